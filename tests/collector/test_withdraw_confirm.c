/*
 * Withdrawal says what it will delete before it does: with a receipt
 * code, the check step answers with the survey's title (in the page's
 * language) and the date the answers were sent, as stored, and a button
 * to confirm; nothing is deleted yet. Confirming deletes the response; a
 * second check with the same code, and a check with a code that withdraws
 * nothing, say that no answers have that code (404).
 */
#include "client.h"

static void
check(struct cl_client *c, const char *code, const char *lang,
    struct cl_resp *r)
{
	const char *kv[] = {"lang", lang, "step", "check", "code", code, NULL};

	CHECK(cl_postv(c, "/withdraw", r, kv) == 0);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char *code, period[11], want[128];

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE((code = cl_mini_full(&c)) != NULL);
	store_period_now(period, 0);

	check(&c, code, "en", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "The answers to the survey <strong>Mini "
	    "survey</strong>"));
	snprintf(want, sizeof(want), "sent on <strong>%s</strong>", period);
	CHECK(cl_contains(r.body, want));
	CHECK(cl_contains(r.body, "value=\"confirm\""));
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(s.db, "mini"), 1);

	check(&c, code, "es", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Las respuestas a la encuesta <strong>"
	    "Encuesta mini</strong>"));
	cl_resp_free(&r);

	{
		const char *kv[] = {"lang", "en", "step", "confirm", "code",
		    code, NULL};
		CHECK(cl_postv(&c, "/withdraw", &r, kv) == 0);
		/* See Other, followed to the page that says it is done. */
		CHECK_INT(r.status, 200);
		CHECK(cl_contains(r.body, "id=\"withdrawn\""));
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(s.db, "mini"), 0);
	check(&c, code, "en", &r);
	CHECK_INT(r.status, 404);
	cl_resp_free(&r);

	free(code);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
