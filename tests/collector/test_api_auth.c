/*
 * API authentication and statuses over real HTTP: 200 for a valid token
 * of the right role; 401 (with WWW-Authenticate: Bearer) for a missing,
 * malformed, unknown, wrong or revoked token; 403 for a summary token on
 * /export; 404 for an unknown form or path; 405 for other methods. Every
 * call with a valid token leaves exactly one audit row, committed before
 * the answer, with the status and rows served, a date and no client text;
 * every call without one adds one to the counter of its day, endpoint and
 * status instead; no token secret is ever written to the database or the
 * log.
 */
#include <sqlite3.h>

#include "test_api_client.h"

static struct audit_rows au;
static struct audit_fails af;
static char db_path[600];
static int calls, fails;

/* One call; checks status, JSON errors, headers, and its audit row. */
static void
call(struct cl_client *c, const char *method, const char *path,
    const char *auth, long want, const char *want_tok, struct cl_resp *r)
{
	char *ct, *cc, *www, *nosniff;

	CHECK_INT(api_req(c, method, path, auth, r), 0);
	if (want_tok != NULL)
		calls++;
	else
		fails++;
	if (r->status != want)
		fprintf(stderr, "%s %s: got %ld: %s\n", method, path, r->status,
		    r->body);
	CHECK_INT(r->status, want);
	ct = cl_header(r, "Content-Type");
	cc = cl_header(r, "Cache-Control");
	www = cl_header(r, "WWW-Authenticate");
	nosniff = cl_header(r, "X-Content-Type-Options");
	CHECK(cc != NULL && strcmp(cc, "no-store") == 0);
	CHECK(nosniff != NULL && strcmp(nosniff, "nosniff") == 0);
	CHECK(ct != NULL && (strcmp(ct, "application/json") == 0 ||
	    strcmp(ct, "text/csv; charset=utf-8") == 0));
	if (want == 401)
		CHECK(www != NULL && strncmp(www, "Bearer", 6) == 0);
	else
		CHECK(www == NULL);
	if (want >= 400 && strcmp(method, "HEAD") != 0)
		CHECK(strncmp(r->body, "{\n \"error\": \"", 13) == 0);
	free(ct);
	free(cc);
	free(www);
	free(nosniff);
	/* The audit is there as soon as the answer is. */
	CHECK_INT(audit_read(db_path, &au), 0);
	CHECK_INT(audit_fails_read(db_path, &af), 0);
	CHECK_INT(au.n, calls);
	CHECK_INT(af.n, fails);
	if (want_tok != NULL && au.n == calls && au.n > 0) {
		struct audit_row *a = &au.a[au.n - 1];
		CHECK_INT(a->status, want);
		CHECK_STR(a->token_id, want_tok);
	}
}

static void
cfg_hook(struct collector_config *cfg)
{
	cfg->api_k = 5;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct tk sum, exp, rev;
	char b1[256], b2[256], b3[256], bad[256], today[11];
	const char *forms[1];
	char *code;

	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, cfg_hook) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	snprintf(db_path, sizeof(db_path), "%s", s.db);
	store_period_now(today, 0);
	CL_REQUIRE(tk_create(s.db, "summary", "Site A analyst", &sum) == 0);
	CL_REQUIRE(tk_create(s.db, "export", "Data team", &exp) == 0);
	CL_REQUIRE(tk_create(s.db, "export", "Former member", &rev) == 0);
	CL_REQUIRE(tk_revoke(s.db, rev.id) == 0);
	tk_bearer(&sum, b1, sizeof(b1));
	tk_bearer(&exp, b2, sizeof(b2));
	tk_bearer(&rev, b3, sizeof(b3));

	/* Six responses, one withdrawn-able. */
	for (int i = 0; i < 6; i++) {
		code = cl_mini_full(&c);
		CHECK(code != NULL);
		free(code);
	}

	/* 401s */
	call(&c, "GET", "/api/v1/forms", NULL, 401, NULL, &r);
	CHECK(cl_contains(r.body, "missing token"));
	cl_resp_free(&r);
	call(&c, "GET", "/api/v1/forms", "Basic dXNlcjpwYXNz", 401, NULL, &r);
	CHECK(cl_contains(r.body, "malformed token"));
	cl_resp_free(&r);
	call(&c, "GET", "/api/v1/forms", "Bearer cnd_short", 401, NULL, &r);
	CHECK(cl_contains(r.body, "malformed token"));
	cl_resp_free(&r);
	/* api_bad_unknown_id: well formed, no such token */
	snprintf(bad, sizeof(bad), "Bearer cnd_%s_%s", "qqqqqqqq", sum.secret);
	call(&c, "GET", "/api/v1/forms/mini/summary", bad, 401, NULL, &r);
	CHECK(cl_contains(r.body, "invalid or revoked token"));
	cl_resp_free(&r);
	/* api_bad_wrong_secret: a real id with another token's secret */
	snprintf(bad, sizeof(bad), "Bearer cnd_%s_%s", sum.id, exp.secret);
	call(&c, "GET", "/api/v1/forms/mini/summary", bad, 401, NULL, &r);
	CHECK(cl_contains(r.body, "invalid or revoked token"));
	cl_resp_free(&r);
	/* api_bad_revoked */
	call(&c, "GET", "/api/v1/forms/mini/summary", b3, 401, NULL, &r);
	CHECK(cl_contains(r.body, "invalid or revoked token"));
	cl_resp_free(&r);

	/* 200s */
	call(&c, "GET", "/api/v1/forms", b1, 200, sum.id, &r);
	CHECK(cl_contains(r.body, "\"id\": \"mini\""));
	CHECK(cl_contains(r.body, "\"title\": \"Mini survey\""));
	CHECK(cl_contains(r.body, "\"published_rows\": null"));
	cl_resp_free(&r);
	call(&c, "GET", "/api/v1/forms/mini/summary", b1, 200, sum.id, &r);
	CHECK(cl_contains(r.body, "\"kind\": \"summary\""));
	CHECK(cl_contains(r.body, "\"rows\": 6"));
	CHECK(cl_contains(r.body, "\"format\": \"candor-report-1\""));
	CHECK(au.n > 0 && au.a[au.n - 1].rows == 6);
	CHECK(au.n > 0 && strcmp(au.a[au.n - 1].label, "Site A analyst") ==
	    0);
	CHECK(au.n > 0 && strcmp(au.a[au.n - 1].endpoint,
	    "/api/v1/forms/mini/summary") == 0);
	cl_resp_free(&r);
	call(&c, "GET", "/api/v1/forms", b1, 200, sum.id, &r);
	CHECK(cl_contains(r.body, "\"published_rows\": 6"));
	CHECK(au.n > 0 && au.a[au.n - 1].rows == 0);
	cl_resp_free(&r);
	/* The export role reads summaries too, and exports. */
	call(&c, "GET", "/api/v1/forms/mini/summary", b2, 200, exp.id, &r);
	cl_resp_free(&r);
	call(&c, "GET", "/api/v1/forms/mini/export", b2, 200, exp.id, &r);
	{
		char *ct = cl_header(&r, "Content-Type");
		CHECK(ct != NULL && strcmp(ct, "text/csv; charset=utf-8") == 0);
		free(ct);
	}
	CHECK(au.n > 0 && au.a[au.n - 1].rows == 6);
	CHECK(cl_contains(r.body, "pain"));
	cl_resp_free(&r);
	call(&c, "HEAD", "/api/v1/forms/mini/summary", b1, 200, sum.id, &r);
	cl_resp_free(&r);

	/* 403: a summary token on /export */
	call(&c, "GET", "/api/v1/forms/mini/export", b1, 403, sum.id, &r);
	CHECK(au.n > 0 && au.a[au.n - 1].rows == 0);
	cl_resp_free(&r);

	/* 404s: an unknown form, an unknown path; client text not kept. */
	call(&c, "GET", "/api/v1/forms/%3Cscript%3E/summary", b2, 404, exp.id,
	    &r);
	CHECK(cl_contains(r.body, "no such form"));
	CHECK(au.n > 0 && strcmp(au.a[au.n - 1].endpoint,
	    "/api/v1/forms/*/summary") == 0);
	cl_resp_free(&r);
	call(&c, "GET", "/api/v2/secret-plans", b2, 404, exp.id, &r);
	CHECK(au.n > 0 && strcmp(au.a[au.n - 1].endpoint, "/api/*") == 0);
	cl_resp_free(&r);

	/* 405s: the API is read-only; audited without a token. */
	call(&c, "POST", "/api/v1/forms", b2, 405, NULL, &r);
	{
		char *allow = cl_header(&r, "Allow");
		CHECK(allow != NULL && strcmp(allow, "GET, HEAD") == 0);
		free(allow);
	}
	cl_resp_free(&r);
	call(&c, "DELETE", "/api/v1/forms/mini/summary", b2, 405, NULL, &r);
	cl_resp_free(&r);

	/* Every row: today's date and nothing finer. */
	CHECK_INT(audit_read(s.db, &au), 0);
	CHECK_INT(au.n, calls);
	for (int i = 0; i < au.n; i++) {
		CHECK_STR(au.a[i].day, today);
		CHECK(strstr(au.a[i].endpoint, "script") == NULL);
	}
	cl_client_free(&c);
	cl_server_stop(&s);

	/* The audit table holds these columns and no others. */
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		char cols[512] = "";
		CHECK_INT(sqlite3_open(s.db, &db), SQLITE_OK);
		CHECK_INT(sqlite3_prepare_v2(db, "SELECT group_concat(name, ',') "
		    "FROM pragma_table_info('audit')", -1, &st, NULL),
		    SQLITE_OK);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(cols, sizeof(cols), "%s",
			    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_close(db);
		CHECK_STR(cols, "seq,day,token_id,token_label,endpoint,status,"
		    "rows");
	}
	/* No secret in the database (and its WAL) or the log. */
	{
		const struct tk *all[3] = {&sum, &exp, &rev};
		char wal[700];
		snprintf(wal, sizeof(wal), "%s-wal", s.db);
		for (int i = 0; i < 3; i++) {
			CHECK_INT(test_file_contains(s.db, all[i]->secret,
			    TOKEN_SECRET_LEN), 0);
			CHECK(test_file_contains(wal, all[i]->secret,
			    TOKEN_SECRET_LEN) <= 0);
			CHECK_INT(test_file_contains(s.log_path, all[i]->secret,
			    TOKEN_SECRET_LEN), 0);
			CHECK_INT(test_file_contains(s.log_path, all[i]->id,
			    STORE_TOKEN_ID_LEN), 0);
		}
	}
	cl_server_cleanup(&s);
	return test_done();
}
