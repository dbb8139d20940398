/*
 * The admin listener (--admin-port, loopback only) serves GET and HEAD of
 * /metrics and /healthz with the security headers of every response, and
 * nothing else: no survey route, no other method, no body. It also binds
 * ::1 when the host has IPv6 loopback.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static const char csp[] = "default-src 'none'; style-src 'self'; "
    "script-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

static void
with_admin(struct collector_config *cfg)
{
	cfg->admin = 1;
	cfg->admin_port = 0;
}

static void
with_admin6(struct collector_config *cfg)
{
	with_admin(cfg);
	cfg->admin_addr = "::1";
}

static void
check_header(const struct cl_resp *r, const char *name, const char *want)
{
	char *v = cl_header(r, name);

	if (want == NULL)
		CHECK(v == NULL);
	else {
		if (v == NULL || strcmp(v, want) != 0)
			fprintf(stderr, "%s: \"%s\", expected \"%s\"\n", name,
			    v ? v : "(none)", want);
		CHECK(v != NULL && strcmp(v, want) == 0);
	}
	free(v);
}

static void
check_security_headers(const struct cl_resp *r)
{
	check_header(r, "Content-Security-Policy", csp);
	check_header(r, "X-Content-Type-Options", "nosniff");
	check_header(r, "Referrer-Policy", "no-referrer");
	check_header(r, "X-Frame-Options", "DENY");
	check_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	check_header(r, "Cache-Control", "no-store");
	check_header(r, "Strict-Transport-Security", NULL);
	check_header(r, "Set-Cookie", NULL);
}

static void
admin_serves_metrics(struct cl_client *a)
{
	struct cl_resp r;

	cl_get(a, "/metrics", &r);
	CHECK_INT(r.status, 200);
	check_security_headers(&r);
	check_header(&r, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	CHECK(cl_contains(r.body, "# TYPE candor_submissions_total counter\n"
	    "candor_submissions_total 0\n"));
	CHECK(cl_contains(r.body,
	    "candor_rejections_total{reason=\"honeypot\"} 0\n"));
	CHECK(cl_contains(r.body, "# TYPE candor_commit_latency_ms gauge\n"));
	CHECK(cl_contains(r.body, "\ncandor_metrics_period_end_seconds "));
	cl_resp_free(&r);
	/* Keep-alive: the same handle again. */
	cl_get(a, "/metrics", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);

	cl_request(a, "HEAD", "/metrics", NULL, 0, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.len, 0);
	check_security_headers(&r);
	cl_resp_free(&r);

	cl_get(a, "/healthz", &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "ok\n");
	check_security_headers(&r);
	cl_resp_free(&r);
}

static void
admin_bad_other_requests(struct cl_client *a)
{
	static const char *const paths[] = {"/", "/s/mini", "/resume",
		"/withdraw", "/static/app.css", "/api/v1/forms", "/metricsx",
		NULL};
	struct cl_resp r;
	char *v;
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		cl_get(a, paths[i], &r);
		if (r.status != 404)
			fprintf(stderr, "admin %s: %ld\n", paths[i], r.status);
		CHECK_INT(r.status, 404);
		check_security_headers(&r);
		cl_resp_free(&r);
	}
	cl_request(a, "POST", "/metrics", "a=1", 3, NULL, &r);
	CHECK_INT(r.status, 405);
	check_security_headers(&r);
	v = cl_header(&r, "Allow");
	CHECK(v != NULL && strcmp(v, "GET, HEAD") == 0);
	free(v);
	cl_resp_free(&r);
	cl_request(a, "DELETE", "/healthz", NULL, 0, NULL, &r);
	CHECK_INT(r.status, 405);
	cl_resp_free(&r);
	/* A body (with any method) is refused before it is read. */
	cl_request(a, "POST", "/nope", "x=1", 3, NULL, &r);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	/* Still serving after all of that. */
	cl_get(a, "/healthz", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client a;
	struct collector_config cfg;
	struct collector *c6 = NULL;
	const char *forms[1];
	char err[512];

	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CL_REQUIRE(collector_admin_port(s.c) != 0);
	CL_REQUIRE(cl_client_init(&a, collector_admin_port(s.c)) == 0);
	admin_serves_metrics(&a);
	admin_bad_other_requests(&a);
	cl_client_free(&a);

	/* ::1, when the host has it (the survey listener on 127.0.0.1). */
	cfg = s.cfg;
	with_admin6(&cfg);
	cfg.db_path = s.db;
	cl_server_stop(&s);
	cfg.log = stderr; /* s's log is closed */
	if (collector_start(&cfg, &c6, err, sizeof(err)) == 0) {
		CHECK(collector_admin_port(c6) != 0);
		CL_REQUIRE(cl_client_init(&a, collector_admin_port(c6)) == 0);
		snprintf(a.base, sizeof(a.base), "http://[::1]:%u",
		    collector_admin_port(c6));
		admin_serves_metrics(&a);
		cl_client_free(&a);
		collector_stop(c6);
	} else
		fprintf(stderr, "no IPv6 loopback here (%s): ::1 not tried\n",
		    err);
	cl_server_cleanup(&s);
	return test_done();
}
