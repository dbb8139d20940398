/*
 * Migrations: an empty file and a file of every older version reach the
 * current schema and keep their rows; a newer file, or a file that is not
 * ours, is refused with a clear message.
 */
#include <sqlite3.h>

#include "helpers.h"

static void
from_version(int v)
{
	struct tdb t;
	struct store *s = NULL;
	struct store_response r;
	char err[512];

	tdb_init(&t);
	CHECK_INT(store_open_version(t.path, STORE_RDWR, v, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), v);
	if (v >= 1) {
		make_response(&r, (unsigned)v);
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	store_close(s);

	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
	CHECK_INT(tdb_count(s), v >= 1 ? 1 : 0);
	unsigned char h[STORE_HASH_LEN] = {1};
	CHECK_INT(store_draft_put(s, h, "mini", "2026-12-09", "x", 1),
	    STORE_OK);
	store_close(s);
	test_rmtree(t.dir);
}

int
main(void)
{
	struct tdb t;
	struct store *s = NULL;
	char err[512];
	sqlite3 *db;

	for (int v = 0; v < STORE_SCHEMA_VERSION; v++)
		from_version(v);

	/* A file from a newer program is refused, read-write and read-only. */
	tdb_init(&t);
	store_close(tdb_open(&t, STORE_RDWR));
	CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(t.path, STORE_RDWR, &s, err, sizeof(err)),
	    STORE_VERSION);
	CHECK(s == NULL && strstr(err, "newer") != NULL);
	CHECK_INT(store_open(t.path, STORE_RDONLY, &s, err, sizeof(err)),
	    STORE_VERSION);
	test_rmtree(t.dir);

	/* A read-only open of a file that is not ours is refused clearly. */
	tdb_init(&t);
	CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "CREATE TABLE x (a)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(t.path, STORE_RDONLY, &s, err, sizeof(err)),
	    STORE_ERR);
	CHECK(strstr(err, "not a Candor database") != NULL);
	test_rmtree(t.dir);
	return test_done();
}
