/*
 * The researcher API's summary (its "report", the default plan run
 * through the publication gate) of version 2 of the default survey uses
 * the default plan's v2 groups: with the v2 fixture imported, the
 * summary compares kratom now vs never, any opioid vs none and cannabis
 * now vs never with the "never" sides filled ("not ticked in
 * therapies_ever"), the same sizes the report gives (tests/reference/
 * report_v2.R: 57 vs 196, 186 vs 114, 91 vs 141 on peg).
 */
#include "test_api_client.h"

#include <jansson.h>

static json_t *
find_cmp(json_t *cmps, const char *group, const char *outcome)
{
	size_t i;
	json_t *c;

	json_array_foreach(cmps, i, c)
		if (json_is_string(json_object_get(c, "group")) &&
		    strcmp(json_string_value(json_object_get(c, "group")),
		    group) == 0 && strcmp(json_string_value(json_object_get(c,
		    "outcome")), outcome) == 0)
			return c;
	return NULL;
}

int
main(void)
{
	static const struct {
		const char *group;
		long n_a, n_b;
	} want[] = {
		{"kratom_current_vs_never", 57, 196},
		{"any_opioid_vs_none", 186, 114},
		{"cannabis_current_vs_never", 91, 141},
	};
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct tk t;
	char bin[1024], form[1024], csv[1024], auth[256];
	char *out = NULL, *err = NULL;
	json_t *j;
	json_error_t je;

	CL_REQUIRE(curl_global_init(CURL_GLOBAL_DEFAULT) == 0);
	{
		const char *forms[] = {cl_fixture(
		    "forms/fibromyalgia-therapies.json", 0)};
		CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, NULL) == 0);
	}
	test_bin_path("analysis", bin, sizeof(bin));
	test_src_path("forms/fibromyalgia-therapies.json", form, sizeof(form));
	test_src_path("tests/analysis/data/report_fixture_v2.csv", csv,
	    sizeof(csv));
	{
		char *argv[] = {bin, "import", "--form", form, "--db", s.db,
			"--csv", csv, NULL};
		int rc = test_run(argv, &out, &err);
		if (rc != 0)
			fprintf(stderr, "import: %s\n", err ? err : "");
		CL_REQUIRE(rc == 0);
		free(out);
		free(err);
	}
	CL_REQUIRE(tk_create(s.db, "summary", "Site A", &t) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	api_req(&c, "GET", "/api/v1/forms/fibromyalgia-therapies/summary",
	    tk_bearer(&t, auth, sizeof(auth)), &r);
	CHECK_INT(r.status, 200);
	j = json_loads(r.body, 0, &je);
	CHECK(j != NULL);
	for (size_t i = 0; j != NULL && i < sizeof(want) / sizeof(want[0]);
	    i++) {
		json_t *x = find_cmp(json_object_get(json_object_get(j,
		    "report"), "comparisons"),
		    want[i].group, "peg");
		if (x == NULL)
			fprintf(stderr, "%s: no peg comparison\n", want[i].group);
		CHECK(x != NULL);
		CHECK_INT(json_integer_value(json_object_get(x, "n_a")),
		    want[i].n_a);
		CHECK_INT(json_integer_value(json_object_get(x, "n_b")),
		    want[i].n_b);
	}
	json_decref(j);
	cl_resp_free(&r);
	cl_client_free(&c);
	cl_server_stop(&s);
	cl_server_cleanup(&s);
	curl_global_cleanup();
	return test_done();
}
