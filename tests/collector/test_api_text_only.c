/*
 * A form whose only questions are free text has nothing the API's default
 * plan can describe. The real binary still starts on it, with the API on:
 * it logs that the form's summary is not served, serves the survey, and
 * answers the summary call with 404 and the reason.
 */
#include <stdlib.h>
#include <string.h>

#include "test_api_client.h"

static const char *form_text =
    "{\"id\": \"textonly\", \"version\": 1, \"free_text\": true,"
    " \"languages\": [\"en\"], \"title\": {\"en\": \"Notes\"},"
    " \"consent\": {\"version\": \"2026-01-01\", \"title\": {\"en\": \"About\"},"
    "   \"text\": {\"en\": \"Anonymous.\"}, \"agree\": {\"en\": \"I agree\"},"
    "   \"age_confirm\": {\"en\": \"I am 18 or older\"}},"
    " \"pages\": [{\"id\": \"p1\", \"title\": {\"en\": \"One\"}, \"items\": ["
    "   {\"var\": \"note\", \"kind\": \"text\", \"free_text\": true,"
    "    \"max_length\": 200, \"label\": {\"en\": \"Anything else?\"}}]}]}";

int
main(void)
{
	char dir[256], db[300], log[300], form[300], auth[256];
	struct cl_child ch;
	struct cl_client c;
	struct cl_resp r;
	struct tk t;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	snprintf(form, sizeof(form), "%s/textonly.json", dir);
	CL_REQUIRE(test_write_file(form, form_text, strlen(form_text)) == 0);
	const char *args[] = {"--form", form, "--db", db, "--port", "0", NULL};
	CL_REQUIRE(cl_child_start(&ch, args, log) == 0);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);

	CHECK_INT(cl_get(&c, "/s/textonly", &r), 0);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);

	CHECK(tk_create(db, "summary", "Site A", &t) == 0);
	api_req(&c, "GET", "/api/v1/forms/textonly/summary",
	    tk_bearer(&t, auth, sizeof(auth)), &r);
	CHECK_INT(r.status, 404);
	CHECK(cl_contains(r.body, "only free-text questions"));
	cl_resp_free(&r);

	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	{
		static const char want[] = "API summary not served for form "
		    "textonly";
		CHECK_INT(test_file_contains(log, want, strlen(want)), 1);
	}
	cl_client_free(&c);
	test_rmtree(dir);
	return test_done();
}
