/*
 * Checks that every receipt code the collector handed out is stored:
 * reads codes (display form, "REC-XXXX-XXXX-XXXX-XXXX-XXXX", one a line)
 * and looks up the keyed hash of each one's canonical form (store_key +
 * store_hash_code, exactly as collector/survey.c stores it) in the
 * response table. Read-only. Also counts the spent start tokens, which the
 * collector writes in the same savepoint as each response.
 *
 *   receipt_check DB RECEIPTS
 *
 * Prints "receipts=N found=F missing=M rows=R tokens=T" and exits 0 when
 * every receipt was found, 1 otherwise, 2 on a usage or database error.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

#define RECEIPT_CANON_MAX 26 /* a code issued before kinds existed */

/*
 * The canonical form of a receipt as shown: what the collector hashes is
 * the 20 characters code_new() made (collector/code.h), not the display
 * form, so the "REC" prefix word and the dashes go, and the reading is as
 * lenient as code_read()'s (any case, O as 0, I and L as 1). A code issued
 * before codes had kinds (26 characters, no prefix) is taken as it is. This
 * is a second reading of the format on purpose: the checker does not trust
 * the collector's own parser to confirm the collector's own output.
 * 0, or -1 when the line is not a receipt code.
 */
static int
receipt_canon(const char *line, char out[RECEIPT_CANON_MAX + 1])
{
	static const char alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char tmp[64];
	size_t i, n = 0, k = 0, from = 0;

	for (i = 0; line[i] != '\0'; i++) {
		char c = line[i];
		if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == sizeof(tmp))
			return -1;
		tmp[n++] = c;
	}
	if (n == 3 + 20 && memcmp(tmp, "REC", 3) == 0)
		from = 3;
	else if (n != 20 && n != RECEIPT_CANON_MAX)
		return -1;
	for (i = from; i < n; i++) {
		char c = tmp[i] == 'O' ? '0' : tmp[i] == 'I' || tmp[i] == 'L'
		    ? '1' : tmp[i];
		if (strchr(alpha, c) == NULL)
			return -1;
		out[k++] = c;
	}
	out[k] = '\0';
	return 0;
}

int
main(int argc, char **argv)
{
	struct store *s = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL, *cnt = NULL, *tok = NULL;
	unsigned char key[STORE_KEY_LEN], hash[STORE_HASH_LEN];
	char err[256], line[256], code[RECEIPT_CANON_MAX + 1];
	long n = 0, found = 0, bad = 0, rows = -1, tokens = -1;
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
	/* Schema 4 and later; -1 before. */
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM start_spent", -1,
	    &tok, NULL) == SQLITE_OK && sqlite3_step(tok) == SQLITE_ROW)
		tokens = (long)sqlite3_column_int64(tok, 0);
	f = fopen(argv[2], "r");
	if (f == NULL) {
		perror(argv[2]);
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '\n' || line[0] == '\0')
			continue;
		n++;
		if (receipt_canon(line, code) != 0) {
			if (++bad <= 3)
				fprintf(stderr, "receipt_check: not a receipt "
				    "code: %.40s\n", line);
			continue;
		}
		store_hash_code(key, code, hash);
		if (sqlite3_bind_blob(q, 1, hash, sizeof(hash),
		    SQLITE_STATIC) != SQLITE_OK) {
			fprintf(stderr, "receipt_check: bind: %s\n",
			    sqlite3_errmsg(db));
			fclose(f);
			goto out;
		}
		if (sqlite3_step(q) == SQLITE_ROW)
			found++;
		else if (n - found - bad <= 3)
			fprintf(stderr, "receipt_check: %s: not stored\n", code);
		sqlite3_reset(q);
	}
	fclose(f);
	printf("receipts=%ld found=%ld missing=%ld rows=%ld tokens=%ld\n", n,
	    found, n - found, rows, tokens);
	rc = found == n ? 0 : 1;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(cnt);
	sqlite3_finalize(tok);
	sqlite3_close(db);
	store_close(s);
	sodium_memzero(key, sizeof(key));
	return rc;
}
