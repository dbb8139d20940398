/*
 * Live conditions, the server's side. A page whose follow-up depends on
 * an answer on the same page carries the follow-up hidden, with its
 * condition in data-show-if, and the "prefer not to say" choices marked
 * data-missing for the script. A POST with live=1 (added by app.js, which
 * showed the follow-up as soon as "Yes" was ticked) is taken as it is:
 * answered, it goes on to the next page in one step; left empty, the
 * follow-up's own error is shown, not the "new questions" notice. Without
 * live=1 the page comes back first to show the new question, as it
 * always did. live is the only field the page accepts beyond its items.
 */
#include "client.h"

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char *st;

	CL_REQUIRE(curl_global_init(CURL_GLOBAL_DEFAULT) == 0);
	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	/* live=1, follow-up answered: straight on to page 2. */
	st = cl_mini_consent(&c, "en");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "1", "kratom_years", "3", "live", "1",
			NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Page 2 of 3"));
	/* The "prefer not to say" choice is marked for the script. */
	CHECK(cl_contains(r.body, "name=\"age_band\" value=\"-1\" "
	    "data-missing=\"1\""));
	cl_resp_free(&r);

	/* live=1, follow-up empty: its error, no notice. */
	st = cl_mini_consent(&c, "en");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "1", "live", "1", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Page 1 of 3"));
	CHECK(cl_contains(r.body, "<a href=\"#q-kratom_years\""));
	CHECK(cl_contains(r.body, "class=\"error-summary\""));
	cl_resp_free(&r);

	/* No live: the page comes back to show the question, no error. */
	st = cl_mini_consent(&c, "en");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "1", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Page 1 of 3"));
	CHECK(!cl_contains(r.body, "class=\"error-summary\""));
	CHECK(cl_contains(r.body, "data-show-if=\"{&quot;var&quot;:&quot;"
	    "used_kratom&quot;,&quot;eq&quot;:1}\">\n"));
	cl_resp_free(&r);

	/* "No": the follow-up stays hidden and is not asked. */
	st = cl_mini_consent(&c, "en");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "0", "kratom_years", "3", "live", "1",
			NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Page 2 of 3"));
	cl_resp_free(&r);

	/* Any other extra field is refused as before. */
	st = cl_mini_consent(&c, "en");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "0", "lively", "1", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);

	cl_client_free(&c);
	cl_server_stop(&s);
	cl_server_cleanup(&s);
	curl_global_cleanup();
	return test_done();
}
