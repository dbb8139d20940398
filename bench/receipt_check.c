/*
 * Checks that every receipt code the collector handed out is stored:
 * reads codes (display form, one a line) and looks up the keyed hash of
 * each one's canonical form (store_key + store_hash_code, exactly as the
 * collector stores it) in the response table. Read-only.
 *
 *   receipt_check DB RECEIPTS
 *
 * Prints "receipts=N found=F missing=M rows=R" and exits 0 when every
 * receipt was found, 1 otherwise, 2 on a usage or database error.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

int
main(int argc, char **argv)
{
	struct store *s = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL, *cnt = NULL;
	unsigned char key[STORE_KEY_LEN], hash[STORE_HASH_LEN];
	char err[256], line[256], code[64];
	long n = 0, found = 0, rows = -1;
	FILE *f;
	int rc = 2;

	if (argc != 3) {
		fputs("usage: receipt_check DB RECEIPTS\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 2;
	if (store_open(argv[1], STORE_RDONLY, &s, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "receipt_check: %s\n", err);
		return 2;
	}
	if (store_key(s, key) != STORE_OK) {
		fprintf(stderr, "receipt_check: %s: no store key\n", argv[1]);
		goto out;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT 1 FROM response "
	    "WHERE receipt_hash = ?1", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM response", -1, &cnt,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "receipt_check: %s: %s\n", argv[1],
		    sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_step(cnt) == SQLITE_ROW)
		rows = (long)sqlite3_column_int64(cnt, 0);
	f = fopen(argv[2], "r");
	if (f == NULL) {
		perror(argv[2]);
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t i, k = 0;
		/* Canonical form: the 26 characters without the dashes. */
		for (i = 0; line[i] != '\0' && k + 1 < sizeof(code); i++)
			if (isalnum((unsigned char)line[i]))
				code[k++] = line[i];
		code[k] = '\0';
		if (k == 0)
			continue;
		n++;
		store_hash_code(key, code, hash);
		sqlite3_bind_blob(q, 1, hash, sizeof(hash), SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			found++;
		else if (n - found <= 3)
			fprintf(stderr, "receipt_check: %s: not stored\n", code);
		sqlite3_reset(q);
	}
	fclose(f);
	printf("receipts=%ld found=%ld missing=%ld rows=%ld\n", n, found,
	    n - found, rows);
	rc = found == n ? 0 : 1;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(cnt);
	sqlite3_close(db);
	store_close(s);
	sodium_memzero(key, sizeof(key));
	return rc;
}
