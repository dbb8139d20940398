/*
 * A submission before the minimum fill time is not stored: the last page
 * comes back with every answer kept and a request to review and submit
 * again, and /metrics counts it.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static void
slow_fill(struct collector_config *cfg)
{
	cfg->min_fill_seconds = 3600;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	const char *forms[1];
	char *st, *st2;

	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, slow_fill) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	st = cl_mini_to_last(&c, "en");
	CL_REQUIRE(st != NULL);
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "take a moment to check your answers"));
	CHECK(cl_contains(r.body, "Page 3 of 3"));
	CHECK(cl_contains(r.body, "name=\"fn_walk\" value=\"1\" checked"));
	CHECK(cl_contains(r.body, "name=\"fn_work\" value=\"2\" checked"));
	st2 = cl_state(r.body);
	CHECK(st2 != NULL);
	cl_resp_free(&r);
	/* Again too fast with the new state: still nothing stored. */
	if (st2 != NULL) {
		cl_mini_submit(&c, st2, &r);
		CHECK_INT(r.status, 200);
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(s.db, NULL), 0);
	CHECK_INT(cl_metric(&c,
	    "candor_rejections_total{reason=\"too_fast\"}"), 2);
	CHECK_INT(cl_metric(&c, "candor_submissions_total"), 0);

	free(st);
	free(st2);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
