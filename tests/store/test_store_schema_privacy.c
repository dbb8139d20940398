/*
 * The response table holds nothing about the respondent but the listed
 * columns, the period is a date or a month (never a time), and the secret
 * key and the receipt hash are the only binary values.
 */
#include <sqlite3.h>

#include "helpers.h"

int
main(void)
{
	static const char *const want[] = {"id", "form_id", "form_version",
	    "consent_version", "period", "answers", "scores", "receipt_hash"};
	struct tdb t;
	struct store_response r;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t n = 0;

	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);
	make_response(&r, 1);
	/* A timestamp in the period column is refused by the schema. */
	snprintf(r.period, sizeof(r.period), "2026-11-2T");
	CHECK(store_insert(s, &r) != STORE_OK);
	snprintf(r.period, sizeof(r.period), "2026-11");
	CHECK_INT(store_insert(s, &r), STORE_OK);
	store_close(s);

	CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(db, "SELECT name FROM "
	    "pragma_table_info('response') ORDER BY cid", -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		CHECK(n < 8);
		if (n < 8)
			CHECK_STR((const char *)sqlite3_column_text(st, 0),
			    want[n]);
		n++;
	}
	CHECK_INT(n, 8);
	sqlite3_finalize(st);
	/* STRICT: a wrong type is refused, not coerced. */
	CHECK(sqlite3_exec(db, "INSERT INTO response VALUES (zeroblob(16), "
	    "'f', 'one', 'c', '2026-11', '{}', '{}', zeroblob(32))", NULL,
	    NULL, NULL) != SQLITE_OK);
	sqlite3_close(db);
	test_rmtree(t.dir);
	return test_done();
}
