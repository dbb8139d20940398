/*
 * Drafts, start tokens and receipts, against the real collector binary:
 *  - a saved draft holds no clock time: its expiry is a day, it is marked
 *    as sealed under its resume code, the installation key (read from the
 *    database, as a thief of the file would) does not open it, and opened
 *    with the code it gives back the elapsed fill time only;
 *  - resumed and submitted, the draft is gone in the same commit;
 *  - a state submitted once is refused after a restart too, and nothing
 *    more is stored (the start token is spent durably);
 *  - the thank-you page shows the receipt once, only to the address the
 *    submission came from; a second view, or a view from another address,
 *    shows no code, and the URL carries nothing the database can open.
 */
#include <signal.h>
#include <sqlite3.h>
#include <time.h>

#include <sodium.h>

#include "client.h"
#include "code.h"
#include "seal.h"

static long long
one_int(const char *db, const char *sql)
{
	sqlite3 *sq;
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return v;
}

/* The one draft row: expiry, scheme, state (malloc'd, NUL-terminated). */
static char *
draft_row(const char *db, char exp[32], int *scheme,
    unsigned char key[STORE_KEY_LEN])
{
	sqlite3 *sq;
	sqlite3_stmt *st;
	char *state = NULL;

	CHECK_INT(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(sq, "SELECT value FROM meta WHERE key = "
	    "'secret'", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		memcpy(key, sqlite3_column_blob(st, 0), STORE_KEY_LEN);
	sqlite3_finalize(st);
	CHECK_INT(sqlite3_prepare_v2(sq, "SELECT expires, scheme, state FROM "
	    "draft", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 2);
		snprintf(exp, 32, "%s", sqlite3_column_text(st, 0));
		*scheme = sqlite3_column_int(st, 1);
		state = calloc(1, (size_t)n + 1);
		memcpy(state, sqlite3_column_blob(st, 2), (size_t)n);
	}
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return state;
}

static int
start(struct cl_child *ch, const char *db, const char *log)
{
	const char *args[] = {"--form",
		cl_fixture("tests/collector/mini.json", 0), "--db", db,
		"--bind", "0.0.0.0", "--port", "0", "--min-fill-seconds", "0",
		"--rate-per-minute", "0", NULL};

	return cl_child_start(ch, args, log);
}

int
main(void)
{
	struct cl_child ch;
	struct cl_client c, other;
	struct cl_resp r;
	char dir[256], db[300], log[300], exp[32] = "", today[11];
	char canon[CODE_LEN + 1], *st, *code, *blob, *loc;
	unsigned char key[STORE_KEY_LEN];
	struct seal sl;
	struct seal_state ss;
	struct form *f = NULL;
	struct diag d;
	int scheme = 0;
	long long now;

	CL_REQUIRE(sodium_init() >= 0);
	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	diag_init(&d);
	CL_REQUIRE(form_load(cl_fixture("tests/collector/mini.json", 1), &f,
	    &d) == 0);
	diag_free(&d);
	CL_REQUIRE(start(&ch, db, log) == 0);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);

	/* Save a draft on the last page. */
	st = cl_mini_to_last(&c, "en");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "save", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	code = cl_between(r.body, "id=\"resume-code\">", '<');
	cl_resp_free(&r);
	CL_REQUIRE(code != NULL &&
	    code_parse(code, strlen(code), canon) == 0);
	free(code);

	blob = draft_row(db, exp, &scheme, key);
	CL_REQUIRE(blob != NULL);
	store_period_now(today, 0);
	/* A day, after today: no time of day anywhere in the row. */
	CHECK_INT((long long)strlen(exp), 10);
	CHECK(strcmp(exp, today) > 0);
	CHECK_INT(scheme, STORE_DRAFT_CODE);
	seal_init(&sl, key);
	CHECK_INT(seal_state_open(&sl, blob, &f, 1, &ss), SEAL_BAD);
	{
		size_t len;
		char *plain = seal_open(&sl, SEAL_STATE, blob, &len);
		CHECK(plain == NULL);
		free(plain);
	}
	now = (long long)time(NULL);
	CHECK_INT(seal_draft_open(canon, blob, &f, 1, now, &ss), SEAL_OK);
	/* The elapsed time came back: a few seconds, not a date. */
	CHECK(ss.started <= now && ss.started > now - 600);
	seal_state_free(&ss);
	free(blob);

	/* Resume and submit: the draft goes with the insert. */
	{
		const char *kv[] = {"code", canon, NULL};
		cl_postv(&c, "/resume", &r, kv);
	}
	CHECK_INT(r.status, 200);
	st = cl_state(r.body);
	cl_resp_free(&r);
	CL_REQUIRE(st != NULL);
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 303);
	loc = cl_header(&r, "Location");
	cl_resp_free(&r);
	CHECK_INT(one_int(db, "SELECT count(*) FROM draft"), 0);
	CHECK_INT(one_int(db, "SELECT count(*) FROM response"), 1);

	/* receipt_bad_other_address: another address sees no code, and the
	 * one that submitted still can, once. */
	CL_REQUIRE(loc != NULL);
	CHECK(strstr(loc, "?t=") != NULL);
	CL_REQUIRE(cl_client_init(&other, ch.port) == 0);
	other.source = "127.0.0.2";
	cl_get(&other, loc, &r);
	CHECK_INT(r.status, 404);
	CHECK(!cl_contains(r.body, "receipt-code"));
	cl_resp_free(&r);
	cl_get(&c, loc, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "receipt-code"));
	cl_resp_free(&r);
	cl_get(&c, loc, &r);
	CHECK_INT(r.status, 404);
	CHECK(!cl_contains(r.body, "receipt-code"));
	cl_resp_free(&r);
	cl_client_free(&other);

	/* token_bad_restart: the same state again, after a restart. */
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	CL_REQUIRE(start(&ch, db, log) == 0);
	cl_client_free(&c);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
	/* A restart forgets the receipt: the URL shows nothing now. */
	cl_get(&c, loc, &r);
	CHECK_INT(r.status, 404);
	cl_resp_free(&r);
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 400);
	CHECK(cl_contains(r.body, "already been submitted"));
	cl_resp_free(&r);
	CHECK_INT(one_int(db, "SELECT count(*) FROM response"), 1);
	CHECK_INT(one_int(db, "SELECT count(*) FROM start_spent"), 1);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	free(st);
	free(loc);
	cl_client_free(&c);
	seal_wipe(&sl);
	form_free(f);
	if (test_failures == 0)
		test_rmtree(dir);
	return test_done();
}
