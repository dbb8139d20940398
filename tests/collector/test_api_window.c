/*
 * The API's summary says whether its data are final, as "analysis report"
 * does (docs/forms.md, "window"): the mini survey with a window that
 * closed on 2020-06-01 and a final date in the past gives "final data (the
 * window closed on 2020-06-01)"; with a window still open, "interim data".
 * Ten seeded rows, a summary token, k = 5.
 */
#include "test_api_client.h"

static char db_path[600];

static void
cfg_hook(struct collector_config *cfg)
{
	cfg->db_path = db_path;
	cfg->api_k = 5;
}

static void
summary_says(const char *form, const char *bearer, const char *want)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	const char *forms[1] = {form};

	if (cl_server_start_cfg(&s, forms, 1, cfg_hook) != 0 ||
	    cl_client_init(&c, s.port) != 0) {
		fprintf(stderr, "%s: the collector did not start\n", form);
		exit(test_done() + 1);
	}
	api_req(&c, "GET", "/api/v1/forms/mini/summary", bearer, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, want));
	cl_resp_free(&r);
	cl_client_free(&c);
	cl_server_stop(&s);
}

int
main(void)
{
	struct tk sum;
	char dir[512], bs[256], f_final[700], f_open[700];

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db_path, sizeof(db_path), "%s/w.db", dir);
	CL_REQUIRE(api_seed_mini(db_path, 10) == 0);
	CL_REQUIRE(tk_create(db_path, "summary", "Site A", &sum) == 0);
	tk_bearer(&sum, bs, sizeof(bs));
	cl_mini_with(dir, "final.json", "\"window\": {\"opens\": \"2020-01-01\", "
	    "\"closes\": \"2020-06-01\", \"final\": \"2020-07-01\"},", f_final,
	    sizeof(f_final));
	cl_mini_with(dir, "open.json", "\"window\": {\"opens\": \"2020-01-01\", "
	    "\"closes\": \"2099-01-01\"},", f_open, sizeof(f_open));
	summary_says(f_final, bs, "final data (the window closed on "
	    "2020-06-01)");
	/* Five changes later, so that a new release is made. */
	CL_REQUIRE(api_seed_mini(db_path, 5) == 0);
	summary_says(f_open, bs, "interim data");
	test_rmtree(dir);
	return test_done();
}
