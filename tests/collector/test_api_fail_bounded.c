/*
 * Failed API calls cost nothing. 10,000 calls with unknown tokens (and
 * malformed ones) from one client leave no row each: the audit holds one
 * counter per day, endpoint and status (at most 2 rows here), the counters
 * add up to the calls, and the compacted database is no larger than after
 * the first ten such calls. With the default per-address limit, a burst of
 * bad calls is answered 429 after the bucket empties, and those cost not
 * even a counter.
 */
#include <sys/stat.h>

#include "test_api_client.h"

#define NBAD 10000

static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void
no_limit(struct collector_config *cfg)
{
	cfg->api_k = 5;
}

static void
limited(struct collector_config *cfg)
{
	cfg->api_k = 5;
	cfg->rate_burst = 60;
	cfg->rate_per_minute = 60;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct audit_fails af;
	struct audit_rows au;
	const char *forms[1];
	long long small, big;
	int i, n401 = 0, n429 = 0;
	static const char bad[] = "Bearer cnd_abcdefgh_"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, no_limit) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	for (i = 0; i < 10; i++) {
		CHECK_INT(api_req(&c, "GET", "/api/v1/forms/mini/summary", bad,
		    &r), 0);
		CHECK_INT(r.status, 401);
		cl_resp_free(&r);
	}
	cl_client_free(&c);
	cl_server_stop(&s);
	small = file_size(s.db);

	/* Start again on the same file and send the flood. */
	{
		char err[512];
		s.log = fopen(s.log_path, "a");
		s.cfg.log = s.log;
		CL_REQUIRE(collector_start(&s.cfg, &s.c, err, sizeof(err)) ==
		    0);
		s.port = collector_port(s.c);
	}
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	for (i = 0; i < NBAD; i++) {
		const char *auth = i % 2 ? bad : "Bearer nonsense";
		CHECK_INT(api_req(&c, "GET", "/api/v1/forms/mini/summary", auth,
		    &r), 0);
		n401 += r.status == 401;
		cl_resp_free(&r);
	}
	CHECK_INT(n401, NBAD);
	cl_client_free(&c);
	cl_server_stop(&s);
	big = file_size(s.db);
	fprintf(stderr, "api_fail_bounded: after 10 bad calls %lld bytes, "
	    "after %d more %lld bytes\n", small, NBAD, big);
	CHECK(big > 0 && big <= small);
	CHECK_INT(audit_fails_read(s.db, &af), 0);
	CHECK_INT(af.n, NBAD + 10);
	CHECK_INT(af.by_status[401], NBAD + 10);
	CHECK(af.rows <= 2);
	CHECK_INT(audit_read(s.db, &au), 0);
	CHECK_INT(au.n, 0);
	cl_server_cleanup(&s);

	/* api_bad_flood_limited: the bucket empties, then 429 at no cost. */
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, limited) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	for (i = 0; i < 200; i++) {
		CHECK_INT(api_req(&c, "GET", "/api/v1/forms", bad, &r), 0);
		n429 += r.status == 429;
		cl_resp_free(&r);
	}
	cl_client_free(&c);
	cl_server_stop(&s);
	CHECK(n429 >= 100);
	CHECK_INT(audit_fails_read(s.db, &af), 0);
	CHECK_INT(af.n, 200 - n429);
	cl_server_cleanup(&s);
	return test_done();
}
