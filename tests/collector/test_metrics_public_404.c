/*
 * No public route exposes metrics: GET and HEAD /metrics on the survey
 * listener answer 404 exactly like an unknown path, with the admin
 * listener off (the default) and with it on. The admin listener is off
 * unless asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static void
with_admin(struct collector_config *cfg)
{
	cfg->admin = 1;
	cfg->admin_port = 0;
}

/* /metrics is answered like /no-such-page, body and all. */
static void
check_public_404(struct cl_client *c)
{
	struct cl_resp m, u;

	cl_get(c, "/metrics", &m);
	cl_get(c, "/no-such-page", &u);
	CHECK_INT(m.status, 404);
	CHECK_INT(u.status, 404);
	CHECK_STR(m.body, u.body);
	CHECK(!cl_contains(m.body, "candor_"));
	cl_resp_free(&m);
	cl_resp_free(&u);
	cl_request(c, "HEAD", "/metrics", NULL, 0, NULL, &m);
	CHECK_INT(m.status, 404);
	cl_resp_free(&m);
	/* No spelling of the path reaches it either. */
	cl_get(c, "/metrics/", &m);
	CHECK_INT(m.status, 404);
	cl_resp_free(&m);
	cl_get(c, "/%6detrics", &m);
	CHECK_INT(m.status, 404);
	CHECK(!cl_contains(m.body, "candor_"));
	cl_resp_free(&m);
	cl_get(c, "/metrics?format=text", &m);
	CHECK_INT(m.status, 404);
	cl_resp_free(&m);
}

static void
no_admin(struct collector_config *cfg)
{
	cfg->admin = 0;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	const char *forms[1];

	/* Off (the default outside tests): no admin listener at all. */
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, no_admin) == 0);
	CHECK_INT(collector_admin_port(s.c), 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	check_public_404(&c);
	cl_client_free(&c);
	cl_server_cleanup(&s);

	/* With the admin listener on, the survey listener still has none. */
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CHECK(collector_admin_port(s.c) != 0);
	CHECK(collector_admin_port(s.c) != s.port);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	check_public_404(&c);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
