/*
 * Schema 3 -> 4 on a real schema-3 file (built by the released steps):
 * every response, answer, receipt hash, draft, token, audit row and change
 * count survives; the response table becomes keyed by its id alone
 * (WITHOUT ROWID) and the file is compacted, so it has no free pages and
 * its rows lie in id order, whatever order they were stored in;
 * unauthenticated audit rows become per-day counters; old drafts stay
 * readable, marked as sealed with the installation key.
 */
#include <sqlite3.h>

#include "helpers.h"

#define NROWS 300

static long long
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct walk {
	unsigned char prev[STORE_ID_LEN];
	long n, answers_ok;
};

static int
walk_cb(const struct store_row *row, void *arg)
{
	struct walk *w = arg;

	CHECK(w->n == 0 || memcmp(w->prev, row->id, STORE_ID_LEN) < 0);
	memcpy(w->prev, row->id, STORE_ID_LEN);
	if (strcmp(row->answers, "{\"pain\":4}") == 0)
		w->answers_ok++;
	w->n++;
	return 0;
}

int
main(void)
{
	struct tdb t;
	struct store *s = NULL;
	struct store_response r;
	struct store_audit a;
	struct store_token tok;
	struct walk w;
	char err[512];
	unsigned char dh[STORE_HASH_LEN];
	void *state = NULL;
	size_t len = 0;
	int scheme = 0;
	long long changes = -1;
	sqlite3 *db;
	unsigned i;

	tdb_init(&t);
	CHECK_INT(store_open_version(t.path, STORE_RDWR, 3, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), 3);
	for (i = 1; i <= NROWS; i++) {
		make_response(&r, i);
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	/* A withdrawal leaves a gap in the rowids, as in the attack. */
	make_response(&r, 7);
	CHECK_INT(store_withdraw(s, r.receipt_hash), STORE_OK);
	memset(&tok, 0, sizeof(tok));
	memcpy(tok.id, "abcdefgh", 9);
	memcpy(tok.role, "summary", 8);
	memcpy(tok.label, "team", 5);
	memcpy(tok.created, "2026-11-20", 11);
	CHECK_INT(store_token_create(s, &tok), STORE_OK);
	memset(&a, 0, sizeof(a));
	memcpy(a.day, "2026-11-21", 11);
	a.endpoint = "/api/v1/forms";
	a.status = 401;
	for (i = 0; i < 5; i++)
		CHECK_INT(store_audit_append(s, &a), STORE_OK);
	a.token_id = "abcdefgh";
	a.token_label = "team";
	a.status = 200;
	a.rows = 12;
	CHECK_INT(store_audit_append(s, &a), STORE_OK);
	CHECK_INT(store_changes(s, "mini", &changes), STORE_OK);
	CHECK_INT(changes, NROWS + 1);
	store_close(s);

	/* The schema-3 file numbers rows in the order they were stored; a
	 * draft in its shape (no scheme column) is written directly. */
	memset(dh, 9, sizeof(dh));
	CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
	CHECK_INT(one_int(db, "SELECT max(rowid) FROM response"), NROWS);
	{
		sqlite3_stmt *st;
		CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO draft (code_hash, "
		    "form_id, expires, state) VALUES (?1, 'mini', '2026-12-09', "
		    "CAST('legacy' AS BLOB))", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_blob(st, 1, dh, sizeof(dh), SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);

	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
	CHECK_INT(tdb_count(s), NROWS - 1);
	memset(&w, 0, sizeof(w));
	CHECK_INT(store_foreach(s, "mini", walk_cb, &w), STORE_OK);
	CHECK_INT(w.n, NROWS - 1);
	CHECK_INT(w.answers_ok, NROWS - 1);
	CHECK_INT(store_changes(s, "mini", &changes), STORE_OK);
	CHECK_INT(changes, NROWS + 1);
	/* The counters still count (the triggers were rebuilt). */
	make_response(&r, 8);
	CHECK_INT(store_withdraw(s, r.receipt_hash), STORE_OK);
	CHECK_INT(store_changes(s, "mini", &changes), STORE_OK);
	CHECK_INT(changes, NROWS + 2);
	/* Receipt hashes stay unique. */
	make_response(&r, 9);
	CHECK(store_insert(s, &r) != STORE_OK);
	CHECK_INT(store_draft_get(s, dh, "2026-12-01", &state, &len, &scheme),
	    STORE_OK);
	CHECK(len == 6 && memcmp(state, "legacy", 6) == 0);
	CHECK_INT(scheme, STORE_DRAFT_INSTALL);
	free(state);
	CHECK_INT(store_token_get(s, "abcdefgh", &tok), STORE_OK);
	store_close(s);

	CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
	CHECK_INT(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name = 'response' AND sql LIKE '%WITHOUT ROWID%'"), 1);
	CHECK_INT(one_int(db, "SELECT count(*) FROM pragma_table_list WHERE "
	    "strict = 1 AND name IN ('response', 'draft', 'start_spent', "
	    "'audit_fail')"), 4);
	CHECK_INT(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'index' AND name = 'response_form_id'"), 1);
	CHECK_INT(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'trigger'"), 2);
	/* Compacted: no free page keeps an old row. */
	CHECK_INT(one_int(db, "PRAGMA freelist_count"), 0);
	/* Five 401 rows became one counter; the token's row is kept. */
	CHECK_INT(one_int(db, "SELECT n FROM audit_fail WHERE day = "
	    "'2026-11-21' AND status = 401"), 5);
	CHECK_INT(one_int(db, "SELECT count(*) FROM audit"), 1);
	CHECK_INT(one_int(db, "SELECT rows FROM audit"), 12);
	sqlite3_close(db);
	test_rmtree(t.dir);
	return test_done();
}
