/*
 * The API's flags and its life in the real binary: --help documents
 * --api-k and --no-api; --api-k below 5 or not a number is refused with
 * exit 2 naming the flag (and collector_start() refuses it too); with
 * no_api the /api/ paths are plain 404 pages and nothing is audited; the
 * built collector, sandboxed as in production, serves a summary release
 * and audits it.
 */
#include <stdlib.h>
#include <string.h>

#include "test_api_client.h"

static char bin[512];

static void
flags_bad(const char *form, const char *k, const char *needle)
{
	char *argv[] = {bin, "--form", (char *)form, "--db", "x.db",
		"--api-k", (char *)k, NULL};
	char *out = NULL, *err = NULL;

	CHECK_INT(test_run(argv, &out, &err), 2);
	CHECK(err != NULL && strstr(err, needle) != NULL);
	free(out);
	free(err);
}

static void
no_api_hook(struct collector_config *cfg)
{
	cfg->no_api = 1;
}

static void
low_k_hook(struct collector_config *cfg)
{
	cfg->api_k = 4;
}

int
main(void)
{
	char form[512], *out = NULL, *err = NULL;
	const char *forms[1];
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct audit_rows au;
	struct tk t;
	char auth[256];

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	{
		char *argv[] = {bin, "--help", NULL};
		CHECK_INT(test_run(argv, &out, &err), 0);
		CHECK(out != NULL && strstr(out, "--api-k N") != NULL);
		CHECK(out != NULL && strstr(out, "--no-api") != NULL);
		free(out);
		free(err);
	}
	/* api_bad_k_low, api_bad_k_word */
	flags_bad(form, "4", "--api-k 4: expected an integer from 5");
	flags_bad(form, "ten", "--api-k");

	/* api_bad_k_low through the library. */
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	{
		struct collector *col = NULL;
		struct collector_config cfg;
		char dir[256], db[300], e[512] = "";
		CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
		snprintf(db, sizeof(db), "%s/candor.db", dir);
		collector_config_defaults(&cfg);
		CHECK_INT(cfg.api_k, 10);
		low_k_hook(&cfg);
		cfg.forms[0] = forms[0];
		cfg.nforms = 1;
		cfg.db_path = db;
		cfg.port = 0;
		CHECK(collector_start(&cfg, &col, e, sizeof(e)) != 0);
		CHECK(strstr(e, "--api-k: must be at least 5") != NULL);
		test_rmtree(dir);
	}

	/* --no-api: no such paths, nothing audited. */
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, no_api_hook) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(tk_create(s.db, "export", "Data team", &t) == 0);
	api_req(&c, "GET", "/api/v1/forms", tk_bearer(&t, auth, sizeof(auth)),
	    &r);
	CHECK_INT(r.status, 404);
	CHECK(cl_contains(r.body, "<html"));
	cl_resp_free(&r);
	CHECK_INT(audit_read(s.db, &au), 0);
	CHECK_INT(au.n, 0);
	cl_client_free(&c);
	cl_server_cleanup(&s);

	/* The real binary, sandboxed: a summary release, audited. */
	{
		struct cl_child ch;
		char dir[256], db[300], log[300];
		CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
		snprintf(db, sizeof(db), "%s/candor.db", dir);
		snprintf(log, sizeof(log), "%s/stderr.log", dir);
		const char *args[] = {"--form", forms[0], "--db", db, "--port",
			"0", "--min-fill-seconds", "0", "--rate-per-minute", "0",
			"--api-k", "5", NULL};
		CL_REQUIRE(cl_child_start(&ch, args, log) == 0);
		CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
		for (int i = 0; i < 5; i++) {
			char *code = cl_mini_full(&c);
			CHECK(code != NULL);
			free(code);
		}
		CHECK(tk_create(db, "summary", "Site B", &t) == 0);
		api_req(&c, "GET", "/api/v1/forms/mini/summary",
		    tk_bearer(&t, auth, sizeof(auth)), &r);
		CHECK_INT(r.status, 200);
		CHECK(cl_contains(r.body, "\"rows\": 5,"));
		cl_resp_free(&r);
		CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
		CHECK_INT(audit_read(db, &au), 0);
		CHECK_INT(au.n, 1);
		CHECK(au.n == 1 && au.a[0].status == 200 && au.a[0].rows == 5);
		CHECK_INT(test_file_contains(log, t.secret, TOKEN_SECRET_LEN),
		    0);
		cl_client_free(&c);
		test_rmtree(dir);
	}
	return test_done();
}
