/*
 * A submission before the minimum fill time is not stored: the last page
 * comes back with every answer kept and a request to review and submit
 * again, and the metrics count it: at the end of the day, since a too-fast
 * submit is one respondent's attempt (metrics.c), published per period.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define T_NOON 1773144005LL /* 2026-03-10 12:00:05 UTC */

static atomic_llong fake_now;

static long long
fake_clock(void *arg)
{
	(void)arg;
	return atomic_load(&fake_now);
}

static void
slow_fill(struct collector_config *cfg)
{
	cfg->min_fill_seconds = 3600;
	cfg->admin = 1;
	cfg->admin_port = 0;
	cfg->metrics_clock = fake_clock;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c, admin;
	struct cl_resp r;
	const char *forms[1];
	char *st, *st2;

	atomic_store(&fake_now, T_NOON);
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, slow_fill) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);

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
	/* Not yet: the day is not over. */
	CHECK_INT(cl_metric(&admin,
	    "candor_rejections_total{reason=\"too_fast\"}"), 0);
	atomic_store(&fake_now, T_NOON + 12 * 3600);
	CHECK_INT(cl_metric(&admin,
	    "candor_rejections_total{reason=\"too_fast\"}"), 2);
	CHECK_INT(cl_metric(&admin, "candor_submissions_total"), 0);

	free(st);
	free(st2);
	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
