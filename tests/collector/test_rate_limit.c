/*
 * The per-address token bucket: after the burst, requests get 429 with
 * Retry-After, are counted, and health and static files stay reachable.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static void
tight(struct collector_config *cfg)
{
	cfg->rate_burst = 5;
	cfg->rate_per_minute = 1;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	const char *forms[1];
	int i, ok = 0, limited = 0;
	char *v;

	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, tight) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	for (i = 0; i < 8; i++) {
		cl_get(&c, "/s/mini", &r);
		if (r.status == 200)
			ok++;
		if (r.status == 429) {
			limited++;
			v = cl_header(&r, "Retry-After");
			CHECK(v != NULL);
			free(v);
		}
		cl_resp_free(&r);
	}
	CHECK_INT(ok, 5);
	CHECK_INT(limited, 3);
	cl_get(&c, "/healthz", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	CHECK_INT(cl_metric_after(&s, 0,
	    "candor_rejections_total{reason=\"rate_limited\"}"), 3);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
