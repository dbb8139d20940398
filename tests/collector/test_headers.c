/*
 * Security headers on every kind of response (pages, refusals, redirects,
 * static files, and the admin listener's metrics and health check),
 * no-store on survey pages, and pages that need no inline script or style
 * (the CSP forbids both).
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define T_NOON 1773144005LL /* 2026-03-10 12:00:05 UTC */

/* A fixed metrics clock: the submission below is within one period. */
static long long
fixed_clock(void *arg)
{
	(void)arg;
	return T_NOON;
}

static void
with_admin(struct collector_config *cfg)
{
	cfg->admin = 1;
	cfg->admin_port = 0;
	cfg->metrics_clock = fixed_clock;
}

static const char csp[] = "default-src 'none'; style-src 'self'; "
    "script-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

static void
check_headers(const char *what, struct cl_resp *r, int survey_page)
{
	char *v;

	v = cl_header(r, "Content-Security-Policy");
	if (v == NULL || strcmp(v, csp) != 0)
		fprintf(stderr, "%s: CSP is %s\n", what, v ? v : "missing");
	CHECK(v != NULL && strcmp(v, csp) == 0);
	free(v);
	v = cl_header(r, "X-Content-Type-Options");
	CHECK(v != NULL && strcmp(v, "nosniff") == 0);
	free(v);
	v = cl_header(r, "Referrer-Policy");
	CHECK(v != NULL && strcmp(v, "no-referrer") == 0);
	free(v);
	v = cl_header(r, "Content-Type");
	CHECK(v != NULL);
	free(v);
	v = cl_header(r, "Strict-Transport-Security");
	CHECK(v == NULL); /* plain HTTP: no HSTS */
	free(v);
	v = cl_header(r, "Set-Cookie");
	CHECK(v == NULL);
	free(v);
	if (survey_page) {
		v = cl_header(r, "Cache-Control");
		CHECK(v != NULL && strcmp(v, "no-store") == 0);
		free(v);
	}
}

/* No inline script, no style attribute, no inline <style>. */
static void
check_no_inline(const char *what, const char *body)
{
	const char *p = body;

	while ((p = strstr(p, "<script")) != NULL) {
		const char *end = strchr(p, '>');
		const char *src = strstr(p, " src=");
		int has_src = end != NULL && src != NULL && src < end;
		if (!has_src || strncmp(end, "></script>", 10) != 0)
			fprintf(stderr, "%s: inline script\n", what);
		CHECK(has_src && strncmp(end, "></script>", 10) == 0);
		p += 7;
	}
	CHECK(strstr(body, "style=") == NULL);
	CHECK(strstr(body, "<style") == NULL);
	CHECK(strstr(body, " onclick") == NULL);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c, admin;
	struct cl_resp r;
	const char *forms[1];
	char *st, *v;

	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);

	cl_get(&c, "/", &r);
	check_headers("/", &r, 1);
	check_no_inline("/", r.body);
	cl_resp_free(&r);

	cl_get(&c, "/s/mini", &r);
	check_headers("/s/mini", &r, 1);
	check_no_inline("/s/mini", r.body);
	CHECK(cl_contains(r.body, "<!DOCTYPE html>"));
	CHECK(cl_contains(r.body, "name=\"viewport\""));
	cl_resp_free(&r);

	st = cl_mini_to_last(&c, "en");
	CHECK(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "stay", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	check_headers("survey page", &r, 1);
	check_no_inline("survey page", r.body);
	cl_resp_free(&r);
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 303);
	check_headers("303", &r, 1);
	cl_resp_free(&r);
	free(st);

	cl_get(&c, "/nope", &r);
	CHECK_INT(r.status, 404);
	check_headers("404", &r, 1);
	cl_resp_free(&r);

	cl_get(&c, "/static/app.css", &r);
	CHECK_INT(r.status, 200);
	check_headers("css", &r, 0);
	v = cl_header(&r, "Content-Type");
	CHECK(v != NULL && strncmp(v, "text/css", 8) == 0);
	free(v);
	CHECK(cl_contains(r.body, "min-height:44px"));
	CHECK(cl_contains(r.body, ":focus-visible"));
	cl_resp_free(&r);

	cl_get(&c, "/static/app.js", &r);
	CHECK_INT(r.status, 200);
	check_headers("js", &r, 0);
	v = cl_header(&r, "Content-Type");
	CHECK(v != NULL && strncmp(v, "text/javascript", 15) == 0);
	free(v);
	cl_resp_free(&r);

	cl_get(&c, "/healthz", &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "ok\n");
	check_headers("healthz", &r, 1);
	cl_resp_free(&r);

	/* The survey listener has no metrics: a 404 like any other. */
	cl_get(&c, "/metrics", &r);
	CHECK_INT(r.status, 404);
	check_headers("public /metrics", &r, 1);
	cl_resp_free(&r);

	cl_get(&admin, "/metrics", &r);
	CHECK_INT(r.status, 200);
	check_headers("metrics", &r, 1);
	v = cl_header(&r, "Content-Type");
	CHECK(v != NULL && strncmp(v, "text/plain; version=0.0.4", 25) == 0);
	free(v);
	CHECK(cl_contains(r.body, "# TYPE candor_submissions_total counter"));
	/* Stored above, but published only once the day is over. */
	CHECK(cl_contains(r.body, "candor_submissions_total 0\n"));
	CHECK(!cl_contains(r.body, "candor_queue_depth"));
	CHECK(cl_contains(r.body, "# TYPE candor_commit_latency_ms gauge"));
	CHECK(!cl_contains(r.body, "candor_commit_latency_ms_bucket"));
	CHECK(cl_contains(r.body,
	    "candor_rejections_total{reason=\"honeypot\"} 0"));
	cl_resp_free(&r);

	cl_get(&admin, "/healthz", &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "ok\n");
	check_headers("admin healthz", &r, 1);
	cl_resp_free(&r);

	cl_get(&admin, "/nope", &r);
	CHECK_INT(r.status, 404);
	check_headers("admin 404", &r, 1);
	cl_resp_free(&r);

	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
