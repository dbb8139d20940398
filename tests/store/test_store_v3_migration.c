/*
 * Schema 2 -> 3: a version-2 file with responses of two forms gains the
 * token, audit, release and form_changes tables; the change counter starts
 * at the number of rows already stored, per form, and counts on from there.
 */
#include <sqlite3.h>

#include "helpers.h"

static long long
changes(struct store *s, const char *form)
{
	long long n = -1;

	CHECK_INT(store_changes(s, form, &n), STORE_OK);
	return n;
}

int
main(void)
{
	struct tdb t;
	struct store *s = NULL;
	struct store_response r;
	char err[512];
	unsigned seed;

	tdb_init(&t);
	CHECK_INT(store_open_version(t.path, STORE_RDWR, 2, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), 2);
	for (seed = 1; seed <= 3; seed++) {
		make_response(&r, seed);
		if (seed == 3)
			r.form_id = "other";
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	store_close(s);

	/* store_bad_v2_reader: a read-only open of a v2 file has no API
	 * tables, and says so through the version. */
	s = tdb_open(&t, STORE_RDONLY);
	CHECK_INT(store_schema_version(s), 2);
	store_close(s);

	CHECK_INT(store_open_version(t.path, STORE_RDWR, 3, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), 3);
	CHECK_INT(tdb_count(s), 3);
	CHECK_INT(changes(s, "mini"), 2);
	CHECK_INT(changes(s, "other"), 1);
	CHECK_INT(changes(s, "never"), 0);
	/* The counter goes on from the migrated value. */
	make_response(&r, 4);
	CHECK_INT(store_insert(s, &r), STORE_OK);
	CHECK_INT(changes(s, "mini"), 3);
	CHECK_INT(store_withdraw(s, r.receipt_hash), STORE_OK);
	CHECK_INT(changes(s, "mini"), 4);
	CHECK_INT(changes(s, "other"), 1);
	store_close(s);

	/* The new tables are STRICT and exist exactly once. */
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		int n = 0;
		CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
		CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
		    "pragma_table_list WHERE strict = 1 AND name IN ('token', "
		    "'audit', 'release', 'form_changes')", -1, &st, NULL),
		    SQLITE_OK);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		CHECK_INT(n, 4);
		sqlite3_close(db);
	}
	test_rmtree(t.dir);
	return test_done();
}
