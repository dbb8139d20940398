/*
 * Commit latency is published per 10-minute window, and only for a window
 * that held at least 20 commits: after a window of 19 commits the
 * quantile series are absent, after one of 20 they are there (p50 <= p90
 * <= p99, within the writer's buckets), and after a window with no commit
 * they are absent again. Each commit here is one withdrawal with a code
 * that matches nothing (one storage job, alone in its batch).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define T0 1773144005LL /* 2026-03-10 12:00:05 UTC, 5 s into a window */
#define WINDOW 600

static atomic_llong fake_now;

static long long
fake_clock(void *arg)
{
	(void)arg;
	return atomic_load(&fake_now);
}

static void
with_admin(struct collector_config *cfg)
{
	cfg->admin = 1;
	cfg->admin_port = 0;
	cfg->metrics_clock = fake_clock;
}

static void
commits(struct cl_client *c, int n)
{
	struct cl_resp r;
	const char *kv[] = {"code", "0000-0000-0000-0000-0000-0000-00",
		"website", "", NULL};
	int i;

	for (i = 0; i < n; i++) {
		cl_postv(c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 404); /* no such response */
		cl_resp_free(&r);
	}
}

static char *
scrape(struct cl_client *admin)
{
	struct cl_resp r;
	char *body = NULL;

	if (cl_get(admin, "/metrics", &r) == 0 && r.status == 200)
		body = strdup(r.body);
	cl_resp_free(&r);
	return body;
}

static double
quantile(const char *body, const char *q)
{
	char needle[128];
	const char *p;

	snprintf(needle, sizeof(needle),
	    "\ncandor_commit_latency_ms{quantile=\"%s\"} ", q);
	p = body != NULL ? strstr(body, needle) : NULL;
	return p != NULL ? strtod(p + strlen(needle), NULL) : -1;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c, admin;
	const char *forms[1];
	char *body;
	double p50, p90, p99;

	atomic_store(&fake_now, T0);
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);

	/* A window of 19 commits: no latency figures. */
	commits(&c, 19);
	atomic_store(&fake_now, T0 + WINDOW);
	body = scrape(&admin);
	CHECK(body != NULL);
	CHECK(cl_contains(body, "# TYPE candor_commit_latency_ms gauge"));
	CHECK(!cl_contains(body, "candor_commit_latency_ms{"));
	free(body);

	/* A window of 20: p50, p90 and p99. */
	commits(&c, 20);
	atomic_store(&fake_now, T0 + 2 * WINDOW);
	body = scrape(&admin);
	p50 = quantile(body, "0.5");
	p90 = quantile(body, "0.9");
	p99 = quantile(body, "0.99");
	if (p50 < 0 || p90 < 0 || p99 < 0)
		fprintf(stderr, "metrics:\n%s\n", body ? body : "(none)");
	CHECK(p50 >= 0 && p90 >= p50 && p99 >= p90 && p99 <= 250);
	{
		static const char k[] = "\ncandor_metrics_window_end_seconds ";
		const char *p = body != NULL ? strstr(body, k) : NULL;

		CHECK(p != NULL);
		if (p != NULL)
			CHECK_INT(atoll(p + sizeof(k) - 1),
			    (T0 + 2 * WINDOW) / WINDOW * WINDOW);
	}
	free(body);

	/* Scraped again in the same window: the same figures. */
	body = scrape(&admin);
	CHECK(quantile(body, "0.5") == p50 && quantile(body, "0.99") == p99);
	free(body);

	/* A window with no commit: absent again. */
	atomic_store(&fake_now, T0 + 3 * WINDOW);
	body = scrape(&admin);
	CHECK(body != NULL && !cl_contains(body, "candor_commit_latency_ms{"));
	free(body);

	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
