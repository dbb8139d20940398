/*
 * The whole survey flow on the small test form (mini.json): consent, page
 * position, show_if honoured on the server, validation errors next to the
 * field and in a summary with links to each question, answers kept on error
 * and on Back, the check-your-answers step with a Change link per page, the
 * final submit answered 303 only once stored, the receipt shown on the
 * thank-you page with the full address of the withdrawal page, and the row
 * in the database with its answers and scores. Every step is a POST
 * answered by a 303 that the client follows (client.h), as a browser does.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

struct row_seen {
	int n;
	int answers_ok;
	int scores_ok;
	int meta_ok;
};

static int
row_cb(const struct store_row *row, void *arg)
{
	struct row_seen *s = arg;

	s->n++;
	s->answers_ok = strstr(row->answers, "\"pain\":6") != NULL &&
	    strstr(row->answers, "\"used_kratom\":1") != NULL &&
	    strstr(row->answers, "\"kratom_years\":3") != NULL &&
	    strstr(row->answers, "\"symptoms\":[1,3]") != NULL &&
	    strstr(row->answers, "\"age_band\":2") != NULL &&
	    strstr(row->answers, "\"fn_walk\":1") != NULL &&
	    strstr(row->answers, "\"fn_work\":2") != NULL;
	s->scores_ok = strstr(row->scores, "\"fn_total\":3") != NULL;
	s->meta_ok = strcmp(row->form_id, "mini") == 0 &&
	    row->form_version == 1 &&
	    strcmp(row->consent_version, "2026-01-01") == 0 &&
	    strlen(row->period) == 10;
	return 0;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char *st = NULL, *loc = NULL, *code = NULL;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	/* The list and the consent page. */
	cl_get(&c, "/", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "href=\"/s/mini?lang=en\""));
	cl_resp_free(&r);
	cl_get(&c, "/s/mini", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "About this survey"));
	CHECK(cl_contains(r.body, "I am 18 or older"));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	cl_resp_free(&r);

	/* Page 1 of 3; the show_if item is not there yet. */
	st = cl_mini_consent(&c, "en");
	CHECK(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "stay", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Page 1 of 3"));
	CHECK(cl_contains(r.body, "<html lang=\"en\">"));
	/*
	 * It is on the page, hidden, with its condition for app.js to show
	 * it as soon as "Yes" is ticked (without a script it stays hidden).
	 */
	CHECK(cl_contains(r.body, "<div class=\"live\" data-show-if=\""
	    "{&quot;var&quot;:&quot;used_kratom&quot;,&quot;eq&quot;:1}\" "
	    "hidden>\n<div class=\"question field\" id=\"q-kratom_years\""));
	CHECK(!cl_contains(r.body, "value=\"back\"")); /* no Back on page 1 */
	cl_resp_free(&r);

	/* Nothing answered: errors in the summary and at the fields. */
	{
		const char *kv[] = {"state", st, "action", "next", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "role=\"alert\""));
	CHECK(cl_contains(r.body, "<a href=\"#q-pain\" data-focus=\"f-pain\">"));
	CHECK(cl_contains(r.body, "<a href=\"#q-used_kratom\""));
	CHECK(cl_contains(r.body, "<title>Error: Pain</title>"));
	CHECK(cl_contains(r.body, "id=\"e-pain\""));
	/* The scale's group is described by its end labels and its error. */
	CHECK(cl_contains(r.body, "id=\"q-pain\" aria-describedby=\"a-pain "
	    "e-pain\" aria-invalid=\"true\""));
	CHECK(cl_contains(r.body, "<span class=\"anchor-min\">0: No pain"
	    "</span>"));
	CHECK(cl_contains(r.body, "Page 1 of 3"));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	/* "Yes" opens the follow-up on the same page: shown, not an error. */
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "1", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "name=\"kratom_years\""));
	CHECK(cl_contains(r.body, "data-show-if=\"{&quot;var&quot;:&quot;"
	    "used_kratom&quot;,&quot;eq&quot;:1}\">\n"));
	CHECK(!cl_contains(r.body, "class=\"error-summary\""));
	CHECK(cl_contains(r.body, "id=\"f-pain-6\" name=\"pain\" value=\"6\" "
	    "checked"));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	/* A bad value is kept in the field and explained with its range. */
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "1", "kratom_years", "99", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "value=\"99\""));
	CHECK(cl_contains(r.body, "Enter a whole number from 0 to 60."));
	CHECK(cl_contains(r.body, "<a href=\"#q-kratom_years\""));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "1", "kratom_years", "3", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "Page 2 of 3"));
	CHECK(cl_contains(r.body, "data-exclusive=\"1\""));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	/* "None of these" with another symptom is refused. */
	{
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"1", "symptoms", "0", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "Page 2 of 3"));
	CHECK(cl_contains(r.body, "<a href=\"#q-symptoms\""));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	{
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"1", "symptoms", "3", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "Page 3 of 3"));
	/* No page of questions says Submit: the last one leads to the check. */
	CHECK(!cl_contains(r.body, "value=\"submit\""));
	CHECK(cl_contains(r.body, "value=\"next\""));
	CHECK(cl_contains(r.body, "<fieldset class=\"grid-row\""));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	/* Back keeps the answers of the page left and the one returned to. */
	{
		const char *kv[] = {"state", st, "action", "back", "fn_walk",
			"1", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "Page 2 of 3"));
	CHECK(cl_contains(r.body, "name=\"symptoms\" value=\"1\" checked"));
	CHECK(cl_contains(r.body, "name=\"symptoms\" value=\"3\" checked"));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);
	{
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"1", "symptoms", "3", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "name=\"fn_walk\" value=\"1\" checked"));
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	/* Next from the last page: check your answers, nothing stored yet. */
	{
		const char *kv[] = {"state", st, "action", "next", "fn_walk",
			"1", "fn_work", "2", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "<h1>Check your answers before you send "
	    "them</h1>"));
	CHECK(cl_contains(r.body, "<dt>Average pain in the past week</dt><dd>6"
	    "</dd>"));
	CHECK(cl_contains(r.body, "<dt>For how many years?</dt><dd>3</dd>"));
	CHECK(cl_contains(r.body, "<li>Fatigue</li><li>Fog</li>"));
	CHECK(cl_contains(r.body, "<dt>Age</dt><dd><span class=\"unanswered\">"
	    "Not answered</span></dd>"));
	CHECK(cl_contains(r.body, "<dt>walk</dt><dd>A bit hard</dd>"));
	CHECK(cl_contains(r.body, "<span class=\"visually-hidden\"> the "
	    "answers to: Daily life</span>"));
	CHECK(cl_contains(r.body, "value=\"submit\" class=\"primary\">Submit "
	    "my answers"));
	CHECK_INT(cl_count_rows(s.db, "mini"), 0);
	/* A Change link opens that page, and Next comes back here. */
	{
		char *chg = cl_between(r.body, "<h2>Symptoms</h2><a href=\"",
		    '"');
		CHECK(chg != NULL && strncmp(chg, "/s/mini/p?v=", 12) == 0);
		cl_resp_free(&r);
		if (chg != NULL) {
			cl_get(&c, chg, &r);
			CHECK(cl_contains(r.body, "<h1>Symptoms</h1>"));
			free(st);
			st = cl_state(r.body);
			cl_resp_free(&r);
			{
				const char *kv[] = {"state", st, "v", strstr(chg,
				    "v=") + 2, "action", "next", "symptoms",
				    "1", "symptoms", "3", "age_band", "2",
				    NULL};
				cl_postv(&c, "/s/mini", &r, kv);
			}
			CHECK(cl_contains(r.body, "<h1>Check your answers"));
			CHECK(cl_contains(r.body, "<dt>Age</dt><dd>40-64</dd>"));
			free(chg);
		}
	}
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);

	/* Submit: 303 to the thank-you page, receipt shown there. */
	CHECK_INT(cl_count_rows(s.db, "mini"), 0);
	{
		const char *kv[] = {"state", st, "action", "submit", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK_INT(r.status, 303);
	loc = cl_header(&r, "Location");
	CHECK(loc != NULL && strncmp(loc, "/s/mini/thanks?t=", 17) == 0);
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(s.db, "mini"), 1); /* stored before the 303 */
	if (loc != NULL) {
		cl_get(&c, loc, &r);
		CHECK_INT(r.status, 200);
		code = cl_between(r.body, "id=\"receipt-code\">", '<');
		CHECK(code != NULL && strlen(code) == 28 &&
		    strncmp(code, "REC-", 4) == 0);
		/* The full address, and the code as a file to save. */
		{
			char want[96];
			snprintf(want, sizeof(want), "href=\"http://127.0.0.1:%u"
			    "/withdraw?lang=en\"", s.port);
			CHECK(cl_contains(r.body, want));
		}
		CHECK(cl_contains(r.body, "<form method=\"post\" "
		    "action=\"/code-file\" class=\"code-file\">"));
		CHECK(cl_contains(r.body, "data-copy=\"receipt-code\" data-done=\"Copied\" hidden>"));
		cl_resp_free(&r);
	}
	/* The code is not in the URL in readable form. */
	if (loc != NULL && code != NULL)
		CHECK(strstr(loc, code) == NULL);
	/* Shown once: the same URL again shows no code. */
	if (loc != NULL) {
		cl_get(&c, loc, &r);
		CHECK_INT(r.status, 404);
		CHECK(!cl_contains(r.body, "receipt-code"));
		cl_resp_free(&r);
	}
	/* A made-up ticket shows nothing either. */
	cl_get(&c, "/s/mini/thanks?t=AAAA", &r);
	CHECK_INT(r.status, 404);
	cl_resp_free(&r);

	CHECK_INT(cl_metric_after(&s, 1, "candor_submissions_total"), 1);
	cl_server_stop(&s);

	{
		struct store *db = NULL;
		char err[256];
		struct row_seen seen = {0, 0, 0, 0};
		CHECK_INT(store_open(s.db, STORE_RDONLY, &db, err,
		    sizeof(err)), STORE_OK);
		if (db != NULL) {
			store_foreach(db, "mini", row_cb, &seen);
			store_close(db);
		}
		CHECK_INT(seen.n, 1);
		CHECK(seen.answers_ok);
		CHECK(seen.scores_ok);
		CHECK(seen.meta_ok);
	}
	free(st);
	free(loc);
	free(code);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
