/*
 * Post/Redirect/Get: every survey step is a POST answered by 303 to
 * /s/<id>/p?v=<ticket>, so the browser's history holds only GETs. Reload
 * shows the same page; Back and Forward show each page with every answer
 * given so far; a page kept from earlier (a back-forward cache, another
 * tab) posted again loses nothing given later; the URL carries nothing
 * readable; another address cannot open it; after the submit every step
 * says that the answers are in, never an error.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static struct cl_client c;

/* POST kv without following; the Location of the 303 (malloc'd) or NULL. */
static char *
step(const char *const *kv)
{
	struct cl_form f = {{NULL, 0}};
	struct cl_resp r;
	char *loc = NULL, *cc;

	for (; kv[0] != NULL; kv += 2)
		cl_form_add(&f, kv[0], kv[1]);
	cl_request(&c, "POST", "/s/mini", f.b.p, f.b.n, NULL, &r);
	cl_form_free(&f);
	CHECK_INT(r.status, 303);
	if (r.status == 303)
		loc = cl_header(&r, "Location");
	cc = cl_header(&r, "Cache-Control");
	CHECK(cc != NULL && strcmp(cc, "no-store") == 0);
	free(cc);
	cl_resp_free(&r);
	CHECK(loc != NULL && strncmp(loc, "/s/mini/p?v=", 12) == 0 &&
	    strlen(loc) == 12 + 35);
	/* Nothing readable: no page id, no variable, no value. */
	if (loc != NULL)
		CHECK(strstr(loc, "pain") == NULL &&
		    strstr(loc, "symptoms") == NULL &&
		    strstr(loc, "function") == NULL &&
		    strchr(loc + 12, '&') == NULL);
	return loc;
}

/* GET url; the body (malloc'd) when the status is want, else NULL. */
static char *
view(const char *url, long want)
{
	struct cl_resp r;
	char *body = NULL;

	cl_get(&c, url, &r);
	CHECK_INT(r.status, want);
	if (r.status == want) {
		body = r.body;
		r.body = NULL;
	}
	cl_resp_free(&r);
	return body;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client other;
	struct cl_resp r;
	char *st1, *st1_old, *st2, *st3, *p1, *p2, *p3, *body, *err, *thanks;
	char *sum;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	/* Consent: 303 to page 1. */
	{
		const char *kv[] = {"lang", "en", "consent", "1", "adult", "1",
			"action", "start", "website", "", NULL};
		p1 = step(kv);
	}
	CL_REQUIRE(p1 != NULL);
	body = view(p1, 200);
	CL_REQUIRE(body != NULL);
	CHECK(cl_contains(body, "Page 1 of 3"));
	st1_old = cl_state(body);
	free(body);
	/* Reload: the same page again, no resubmission. */
	body = view(p1, 200);
	CHECK(body != NULL && cl_contains(body, "Page 1 of 3"));
	free(body);

	/* "Yes" opens a question on the same page: a redirect to it. */
	{
		const char *kv[] = {"state", st1_old, "v", strstr(p1, "v=") + 2,
			"action", "next", "pain", "6", "used_kratom", "1", NULL};
		err = step(kv);
	}
	CL_REQUIRE(err != NULL);
	body = view(err, 200);
	CHECK(body != NULL && cl_contains(body, "name=\"kratom_years\""));
	st1 = body != NULL ? cl_state(body) : NULL;
	free(body);
	free(err);
	CL_REQUIRE(st1 != NULL);
	/* A page with errors is a redirect too; reloading keeps them. */
	{
		const char *kv[] = {"state", st1, "v", strstr(p1, "v=") + 2,
			"action", "next", "pain", "6", "used_kratom", "1",
			"kratom_years", "99", NULL};
		err = step(kv);
	}
	free(st1);
	CL_REQUIRE(err != NULL);
	body = view(err, 200);
	CHECK(body != NULL && cl_contains(body, "class=\"error-summary\""));
	CHECK(body != NULL && cl_contains(body, "value=\"99\""));
	free(body);
	body = view(err, 200);
	CHECK(body != NULL && cl_contains(body, "class=\"error-summary\"") &&
	    cl_contains(body, "value=\"99\""));
	st1 = body != NULL ? cl_state(body) : NULL;
	free(body);
	CL_REQUIRE(st1 != NULL);

	/* Pages 1 -> 2 -> 3. */
	{
		const char *kv[] = {"state", st1, "v", strstr(err, "v=") + 2,
			"action", "next", "pain", "6", "used_kratom", "1",
			"kratom_years", "3", NULL};
		p2 = step(kv);
	}
	CL_REQUIRE(p2 != NULL);
	body = view(p2, 200);
	st2 = body != NULL ? cl_state(body) : NULL;
	free(body);
	CL_REQUIRE(st2 != NULL);
	{
		const char *kv[] = {"state", st2, "v", strstr(p2, "v=") + 2,
			"action", "next", "symptoms", "1", "symptoms", "3",
			"age_band", "1", NULL};
		p3 = step(kv);
	}
	CL_REQUIRE(p3 != NULL);
	body = view(p3, 200);
	st3 = body != NULL ? cl_state(body) : NULL;
	CHECK(body != NULL && cl_contains(body, "Page 3 of 3"));
	free(body);
	CL_REQUIRE(st3 != NULL);

	/* Back twice: page 1 with its answers, then page 2 with its own. */
	body = view(p1, 200);
	CHECK(body != NULL && cl_contains(body, "name=\"pain\" value=\"6\" "
	    "checked"));
	CHECK(body != NULL && cl_contains(body, "name=\"kratom_years\" "
	    "inputmode=\"numeric\" autocomplete=\"off\" spellcheck=\"false\" "
	    "value=\"3\""));
	free(body);
	body = view(p2, 200);
	CHECK(body != NULL && cl_contains(body, "name=\"symptoms\" value=\"3\" "
	    "checked"));
	CHECK(body != NULL && cl_contains(body, "name=\"age_band\" value=\"1\" "
	    "checked"));
	free(body);
	/* Forward again: page 3. */
	body = view(p3, 200);
	CHECK(body != NULL && cl_contains(body, "Page 3 of 3"));
	free(body);

	/*
	 * A page the browser kept from before (its hidden state knows only
	 * page 1) is sent again: page 2's answers are still there after it.
	 */
	{
		const char *kv[] = {"state", st1_old, "v", strstr(p1, "v=") + 2,
			"action", "next", "pain", "5", "used_kratom", "0", NULL};
		char *again = step(kv);
		body = again != NULL ? view(again, 200) : NULL;
		CHECK(body != NULL && cl_contains(body, "name=\"symptoms\" "
		    "value=\"3\" checked"));
		free(body);
		free(again);
	}

	/* Another address with the same URL sees nothing of it. */
	CL_REQUIRE(cl_client_init(&other, s.port) == 0);
	other.source = "127.0.0.2";
	cl_get(&other, p2, &r);
	CHECK_INT(r.status, 404);
	CHECK(!cl_contains(r.body, "symptoms"));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	CHECK(cl_contains(r.body, "This page can no longer be shown"));
	cl_resp_free(&r);
	cl_client_free(&other);
	/* Nor does a made-up or damaged ticket. */
	body = view("/s/mini/p?v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 404);
	free(body);
	body = view("/s/mini/p?v=x", 404);
	free(body);

	/* Last page, check your answers, submit. */
	{
		const char *kv[] = {"state", st3, "v", strstr(p3, "v=") + 2,
			"action", "next", "fn_walk", "1", "fn_work", "2", NULL};
		sum = step(kv);
	}
	CL_REQUIRE(sum != NULL);
	body = view(sum, 200);
	CHECK(body != NULL && cl_contains(body, "Check your answers"));
	free(st3);
	st3 = body != NULL ? cl_state(body) : NULL;
	free(body);
	CL_REQUIRE(st3 != NULL);
	{
		struct cl_form f = {{NULL, 0}};
		cl_form_add(&f, "state", st3);
		cl_form_add(&f, "v", strstr(sum, "v=") + 2);
		cl_form_add(&f, "action", "submit");
		cl_request(&c, "POST", "/s/mini", f.b.p, f.b.n, NULL, &r);
		cl_form_free(&f);
	}
	CHECK_INT(r.status, 303);
	thanks = cl_header(&r, "Location");
	cl_resp_free(&r);
	CHECK(thanks != NULL && strncmp(thanks, "/s/mini/thanks?t=", 17) == 0);
	CHECK_INT(cl_count_rows(s.db, "mini"), 1);

	/* Back after the submit: the answers are in; no page, no answers. */
	body = view(sum, 200);
	CHECK(body != NULL && cl_contains(body, "Your answers have been sent"));
	CHECK(body != NULL && !cl_contains(body, "name=\"state\""));
	CHECK(body != NULL && !cl_contains(body, "A bit hard"));
	free(body);
	body = view(p2, 200);
	CHECK(body != NULL && cl_contains(body, "Your answers have been sent"));
	CHECK(body != NULL && !cl_contains(body, "Fatigue"));
	free(body);
	CHECK_INT(cl_count_rows(s.db, "mini"), 1);

	free(st1);
	free(st1_old);
	free(st2);
	free(st3);
	free(p1);
	free(p2);
	free(p3);
	free(err);
	free(sum);
	free(thanks);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
