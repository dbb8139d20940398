/*
 * The API and "analysis" releases are one series (k = 5 for both): an API
 * summary at 10 changes is in the release ledger; one web submission
 * later "analysis report" is refused (it would differ from the summary by
 * that one respondent) and writes nothing; four more and the report is
 * made. One submission after the report, the API serves the summary it
 * already has, byte for byte, and refuses a first export (409), because a
 * new release would differ from the report by one; four more and the API
 * makes summary release 2. The ledger's rows are read from the file.
 */
#include <sqlite3.h>
#include <sys/stat.h>

#include <sodium.h>

#include "test_api_client.h"

static char seeded_db[600];

static void
cfg_hook(struct collector_config *cfg)
{
	cfg->db_path = seeded_db;
	cfg->api_k = 5;
}

/* "analysis report --k 5" into out; its standard error in *err. */
static int
report(const char *form, const char *out, char **err)
{
	char bin[1024], *o = NULL;
	char *argv[] = {(char *)test_bin_path("analysis", bin, sizeof(bin)),
	    "report", "--db", seeded_db, "--form", (char *)form, "--out",
	    (char *)out, "--k", "5", NULL};
	int rc;

	free(*err);
	*err = NULL;
	rc = test_run(argv, &o, err);
	free(o);
	return rc;
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
	struct stat sb;
	char bs[256], be[256], dir[512], out[700], path[800];
	char *s1 = NULL, *e = NULL;
	size_t s1n = 0;
	const char *forms[1];

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
	s1 = r.body;
	s1n = r.len;
	r.body = NULL;
	cl_resp_free(&r);
	CHECK_INT(test_sql_int(seeded_db, "SELECT count(*) FROM ledger_release WHERE kind = "
	    "'summary' AND changes_at = 10 AND n_rows = 10"), 1);

	/* One new respondent: a report now would tell their answers. */
	submit(&c, 1);
	snprintf(out, sizeof(out), "%s/r1", dir);
	CHECK(report(forms[0], out, &e) != 0);
	CHECK(e != NULL && strstr(e, "summary 1 of ") != NULL &&
	    strstr(e, "1 change ago") != NULL);
	snprintf(path, sizeof(path), "%s/report.json", out);
	CHECK(stat(path, &sb) != 0);

	/* Five changes since the summary: the report is made. */
	submit(&c, 4);
	snprintf(out, sizeof(out), "%s/r2", dir);
	CHECK_INT(report(forms[0], out, &e), 0);
	snprintf(path, sizeof(path), "%s/report.json", out);
	CHECK(stat(path, &sb) == 0);
	CHECK_INT(test_sql_int(seeded_db, "SELECT count(*) FROM ledger_release WHERE kind = "
	    "'report' AND changes_at = 15"), 1);

	/* One change after the report: the API makes nothing new. */
	submit(&c, 1);
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.len == s1n && memcmp(r.body, s1, s1n) == 0);
	cl_resp_free(&r);
	api_req(&c, "GET", "/api/v1/forms/mini/export", be, &r);
	CHECK_INT(r.status, 409);
	cl_resp_free(&r);
	CHECK_INT(test_sql_int(seeded_db, "SELECT count(*) FROM release"), 1);

	submit(&c, 4);
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bs, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "\"release\": 2,"));
	cl_resp_free(&r);
	CHECK_INT(test_sql_int(seeded_db, "SELECT count(*) FROM ledger_release WHERE kind = "
	    "'summary' AND changes_at = 20"), 1);
	CHECK_INT(test_sql_int(seeded_db, "SELECT count(*) FROM ledger_release"), 3);

	free(s1);
	free(e);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	test_rmtree(dir);
	return test_done();
}
