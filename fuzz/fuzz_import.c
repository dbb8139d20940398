/*
 * Fuzz target: CSV import (analysis/import.c) into a real SQLite store for
 * the mini form (tests/forms/data/mini.json). The input is written to a
 * file (the importer reads a path) in a private directory, on /dev/shm
 * when there is one so commits cost no disk flush.
 *
 * All or nothing: a failed import leaves the store without rows and
 * reports nothing stored; a successful one stores exactly the rows it
 * read. The store is kept empty between inputs: after a successful
 * import it is deleted and created again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "import.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct form *form;
static struct store *st;
static char dir[256], csv[300], db[300];

static void
cleanup(void)
{
	char p[320];

	store_close(st);
	st = NULL;
	unlink(csv);
	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	rmdir(dir);
}

static void
store_fresh(void)
{
	char err[512], p[320];

	if (st != NULL) {
		store_close(st);
		st = NULL;
		unlink(db);
		snprintf(p, sizeof(p), "%s-wal", db);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", db);
		unlink(p);
	}
	if (store_open(db, STORE_RDWR, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "fuzz_import: %s\n", err);
		exit(2);
	}
}

static void
setup(void)
{
	struct stat sb;
	const char *tmp = getenv("TMPDIR");

	if (form != NULL)
		return;
	form = fuzz_load_form("tests/forms/data/mini.json");
	if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	else if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/candor-fuzz-import.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_import: mkdtemp");
		exit(2);
	}
	snprintf(csv, sizeof(csv), "%s/in.csv", dir);
	snprintf(db, sizeof(db), "%s/store.db", dir);
	store_fresh();
	atexit(cleanup);
}

static long
rows_stored(void)
{
	long n = -1;

	FUZZ_CHECK(store_count(st, NULL, &n) == STORE_OK);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_result res;
	struct diag d;
	FILE *fp;
	int rc;

	setup();
	fp = fopen(csv, "wb");
	if (fp == NULL || fwrite(data, 1, size, fp) != size ||
	    fclose(fp) != 0) {
		perror("fuzz_import: write");
		exit(2);
	}
	diag_init(&d);
	rc = import_csv(form, st, csv, NULL, NULL, &res, &d);
	FUZZ_CHECK(!store_in_transaction(st));
	FUZZ_CHECK(res.stored <= res.rows);
	if (rc != 0) {
		FUZZ_CHECK(res.stored == 0);
		FUZZ_CHECK(rows_stored() == 0);
		/* Every failure is explained. */
		FUZZ_CHECK(d.total > 0);
	} else {
		FUZZ_CHECK(res.errors == 0);
		FUZZ_CHECK(res.rows > 0 && res.stored == res.rows);
		FUZZ_CHECK(rows_stored() == (long)res.rows);
		store_fresh();
	}
	diag_free(&d);
	return 0;
}
