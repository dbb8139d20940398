/*
 * Releases of different kinds are spaced as one (k = 5): a summary
 * release at 10 changes, then one web submission, then a first export
 * request: a new export now would differ from the summary by that one
 * response, so it is refused (409) and nothing is stored. Four more
 * submissions (5 changes since the summary) and the export is made; the
 * summary is then still release 1 (0 changes since the export... at the
 * same counter as nothing changed: the same data), and one more change
 * does not make a summary release 2 until 5 changes have passed since the
 * export. (The attack: the summary of 12 rows, one submission, an export
 * of 13 rows; their difference was the new respondent's answers.)
 */
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

static void
submit(struct cl_client *c, int n)
{
	for (int i = 0; i < n; i++) {
		char *code = cl_mini_full(c);
		CHECK(code != NULL);
		free(code);
	}
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct tk sum, exp;
	char bs[256], be[256], dir[512], *s1 = NULL;
	size_t s1n = 0;
	const char *forms[1];
	long long at;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(seeded_db, sizeof(seeded_db), "%s/seeded.db", dir);
	CL_REQUIRE(api_seed_mini(seeded_db, 10) == 0);
	CL_REQUIRE(tk_create(seeded_db, "summary", "Site A", &sum) == 0);
	CL_REQUIRE(tk_create(seeded_db, "export", "Data team", &exp) == 0);
	tk_bearer(&sum, bs, sizeof(bs));
	tk_bearer(&exp, be, sizeof(be));
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, cfg_hook) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "\"rows\": 10,"));
	s1 = r.body;
	s1n = r.len;
	r.body = NULL;
	cl_resp_free(&r);

	/* One new respondent: an export now would tell their answers. */
	submit(&c, 1);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	CHECK_INT(r.status, 409);
	cl_resp_free(&r);
	CHECK_INT(releases(seeded_db, "export", &at), 0);
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.len == s1n && memcmp(r.body, s1, s1n) == 0);
	cl_resp_free(&r);

	/* Five changes since the summary: the export is made. */
	submit(&c, 4);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	CHECK_INT(releases(seeded_db, "export", &at), 1);
	CHECK_INT(at, 15);

	/*
	 * The summary may follow at the same counter (the same data), but
	 * not one change later: that would differ from the export by one.
	 */
	submit(&c, 1);
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.len == s1n && memcmp(r.body, s1, s1n) == 0);
	cl_resp_free(&r);
	CHECK_INT(releases(seeded_db, "summary", &at), 1);
	submit(&c, 4);
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "\"release\": 2,"));
	cl_resp_free(&r);
	CHECK_INT(releases(seeded_db, "summary", &at), 2);
	CHECK_INT(at, 20);

	free(s1);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	test_rmtree(dir);
	return test_done();
}
