/*
 * A database written by a newer Candor (a schema version above this
 * build's) is refused at start with exit status 2 and a message naming
 * both versions, and the collector never writes to it: the file's bytes
 * are the same afterwards and no -wal or -shm appears beside it. Every
 * other writer (analysis import, token commands) opens through
 * store_open(), which refuses such a file read-write the same way, before
 * it would switch the journal mode.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client.h"
#include "store.h"

int
main(void)
{
	char dir[512], db[600], side[620], bin[512], form[512], ver[32];
	char *before, *after, *out = NULL, *err = NULL;
	size_t nb, na;
	struct stat sb;
	sqlite3 *h;
	int rc;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));

	/* A real database of this build, then stamped one version newer. */
	{
		struct store *s;
		char e[256];

		CHECK_INT(store_open(db, STORE_RDWR, &s, e, sizeof(e)),
		    STORE_OK);
		store_close(s);
	}
	CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
	snprintf(ver, sizeof(ver), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION + 1);
	CHECK_INT(sqlite3_exec(h, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, ver, NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_close(h), SQLITE_OK);
	CHECK(test_give_dir(dir, NULL) == 0);
	before = test_read_file(db, &nb);
	CHECK(before != NULL);

	{
		char *argv[] = {bin, "--form", form, "--db", db, "--port", "0",
			NULL};

		rc = test_run(argv, &out, &err);
	}
	CHECK_INT(rc, 2);
	snprintf(ver, sizeof(ver), "schema version %d",
	    STORE_SCHEMA_VERSION + 1);
	CHECK(err != NULL && strstr(err, ver) != NULL);
	CHECK(err != NULL && strstr(err, "never writes") != NULL);
	CHECK(out == NULL || strstr(out, "listening") == NULL);

	after = test_read_file(db, &na);
	CHECK(after != NULL && na == nb && memcmp(before, after, nb) == 0);
	snprintf(side, sizeof(side), "%s-wal", db);
	CHECK(stat(side, &sb) != 0);
	snprintf(side, sizeof(side), "%s-shm", db);
	CHECK(stat(side, &sb) != 0);

	{
		struct store *s = NULL;
		char e[256];

		CHECK_INT(store_open(db, STORE_RDWR, &s, e, sizeof(e)),
		    STORE_VERSION);
		CHECK(s == NULL && strstr(e, "newer") != NULL);
	}
	free(after);
	after = test_read_file(db, &na);
	CHECK(after != NULL && na == nb && memcmp(before, after, nb) == 0);
	snprintf(side, sizeof(side), "%s-wal", db);
	CHECK(stat(side, &sb) != 0);

	free(before);
	free(after);
	free(out);
	free(err);
	test_rmtree(dir);
	return test_done();
}
