/*
 * Releases against differencing, over real HTTP on a real database, with
 * k = 5: 9 responses seeded through the store plus 1 submitted over HTTP;
 * the first summary (and export) is release 1. A withdrawal over HTTP
 * (1 change) and 3 more submissions (4 changes) change nothing served:
 * the bytes are identical to release 1, so the withdrawal reveals nothing.
 * The 5th change makes release 2, whose counts include every change.
 * Concurrent requests at that moment all get the same bytes and only one
 * release is built. Every call is audited with the rows it served.
 */
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>

#include "test_api_client.h"

static char seeded_db[600];

static void
cfg_hook(struct collector_config *cfg)
{
	cfg->db_path = seeded_db;
	cfg->api_k = 5;
}

struct fetch {
	struct cl_client c;
	const char *path, *auth;
	struct cl_resp r;
};

static void *
fetch_main(void *arg)
{
	struct fetch *f = arg;

	api_req(&f->c, "GET", f->path, f->auth, &f->r);
	return NULL;
}

static long
count_lines(const char *s)
{
	long n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Releases stored for kind, and the changes_at of the latest. */
static int
releases(const char *db, const char *kind, long long *changes_at)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int n = -1;

	*changes_at = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, "SELECT count(*), max(changes_at) FROM "
	    "release WHERE form_id = 'mini' AND kind = ?1", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			n = sqlite3_column_int(st, 0);
			*changes_at = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return n;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct tk sum, exp;
	struct audit_rows au;
	char bs[256], be[256], dir[512], *code_w, *code;
	char *s1 = NULL, *e1 = NULL;
	size_t s1n = 0, e1n = 0;
	const char *forms[1];
	long long at;
	int i, calls = 0;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(seeded_db, sizeof(seeded_db), "%s/seeded.db", dir);
	CL_REQUIRE(api_seed_mini(seeded_db, 9) == 0);
	CL_REQUIRE(tk_create(seeded_db, "summary", "Site A", &sum) == 0);
	CL_REQUIRE(tk_create(seeded_db, "export", "Data team", &exp) == 0);
	tk_bearer(&sum, bs, sizeof(bs));
	tk_bearer(&exp, be, sizeof(be));
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, cfg_hook) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	/* The 10th response, over HTTP: its receipt is withdrawn later. */
	code_w = cl_mini_full(&c);
	CL_REQUIRE(code_w != NULL);
	CHECK_INT(cl_count_rows(seeded_db, "mini"), 10);

	/* Release 1 of each kind. */
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	calls++;
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "\"release\": 1,"));
	CHECK(cl_contains(r.body, "\"rows\": 10,"));
	CHECK(cl_contains(r.body, "\"rows_analysed\": 10"));
	s1 = r.body;
	s1n = r.len;
	r.body = NULL;
	cl_resp_free(&r);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	calls++;
	CHECK_INT(r.status, 200);
	CHECK_INT(count_lines(r.body), 11); /* header + 10 rows */
	e1 = r.body;
	e1n = r.len;
	r.body = NULL;
	cl_resp_free(&r);

	/* 1 change: a withdrawal over HTTP. Nothing served changes. */
	{
		const char *kv[] = {"code", code_w, NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 200);
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(seeded_db, "mini"), 9);
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	calls++;
	CHECK_INT(r.status, 200);
	CHECK(r.len == s1n && memcmp(r.body, s1, s1n) == 0);
	cl_resp_free(&r);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	calls++;
	CHECK(r.len == e1n && memcmp(r.body, e1, e1n) == 0);
	cl_resp_free(&r);

	/* 3 more submissions: 4 changes. Still release 1. */
	for (i = 0; i < 3; i++) {
		code = cl_mini_full(&c);
		CHECK(code != NULL);
		free(code);
	}
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	calls++;
	CHECK(r.len == s1n && memcmp(r.body, s1, s1n) == 0);
	cl_resp_free(&r);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	calls++;
	CHECK(r.len == e1n && memcmp(r.body, e1, e1n) == 0);
	cl_resp_free(&r);
	CHECK_INT(releases(seeded_db, "summary", &at), 1);
	CHECK_INT(at, 10);

	/* The 5th change: release 2, built once for 4 concurrent callers. */
	code = cl_mini_full(&c);
	CHECK(code != NULL);
	free(code);
	CHECK_INT(cl_count_rows(seeded_db, "mini"), 13);
	{
		struct fetch f[4];
		pthread_t th[4];
		for (i = 0; i < 4; i++) {
			CHECK_INT(cl_client_init(&f[i].c, s.port), 0);
			f[i].path = "/api/v1/forms/mini/summary";
			f[i].auth = bs;
			CHECK_INT(pthread_create(&th[i], NULL, fetch_main, &f[i]),
			    0);
		}
		for (i = 0; i < 4; i++) {
			pthread_join(th[i], NULL);
			calls++;
			CHECK_INT(f[i].r.status, 200);
			CHECK(cl_contains(f[i].r.body, "\"release\": 2,"));
			CHECK(cl_contains(f[i].r.body, "\"rows\": 13,"));
			CHECK(cl_contains(f[i].r.body, "\"rows_analysed\": 13"));
			CHECK(f[i].r.len != s1n ||
			    memcmp(f[i].r.body, s1, s1n) != 0);
			CHECK(f[i].r.len == f[0].r.len && memcmp(f[i].r.body,
			    f[0].r.body, f[0].r.len) == 0);
		}
		for (i = 0; i < 4; i++) {
			cl_resp_free(&f[i].r);
			cl_client_free(&f[i].c);
		}
	}
	CHECK_INT(releases(seeded_db, "summary", &at), 2);
	CHECK_INT(at, 15);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	calls++;
	CHECK_INT(r.status, 200);
	CHECK(r.len != e1n || memcmp(r.body, e1, e1n) != 0);
	CHECK_INT(count_lines(r.body), 14); /* header + 13 rows */
	cl_resp_free(&r);
	CHECK_INT(releases(seeded_db, "export", &at), 2);
	CHECK_INT(at, 15);
	/* The list shows what the latest summary release published. */
	api_req(&c, "GET", "/api/v1/forms", bs, &r);
	calls++;
	CHECK(cl_contains(r.body, "\"published_rows\": 13"));
	CHECK(cl_contains(r.body, "\"summary_release\": 2"));
	cl_resp_free(&r);

	/* One audit row per call, with the rows each one served. */
	CHECK_INT(audit_read(seeded_db, &au), 0);
	CHECK_INT(au.n, calls);
	{
		long want[] = {10, 10, 10, 10, 10, 10, 13, 13, 13, 13, 13, 0};
		for (i = 0; i < au.n && i < 12; i++) {
			CHECK_INT(au.a[i].status, 200);
			CHECK_INT(au.a[i].rows, want[i]);
		}
	}

	free(s1);
	free(e1);
	free(code_w);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	test_rmtree(dir);
	return test_done();
}
