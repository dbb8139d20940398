/*
 * Codes a person can keep: with --public-url the thank-you page gives the
 * full address to go back to (https://survey.example.org/withdraw) and a
 * "save as a text file" button, a POST form that carries the code in its
 * body (never in a URL). POST /code-file answers with a text/plain
 * attachment (Content-Disposition, Cache-Control: no-store) that holds the
 * code, what it is for and the address, in the page's language; a resume
 * code gets resume-code.txt with /resume and the days drafts are kept.
 * Refused with 400 and no file: a malformed code, a form that is not
 * served, an unknown field; GET is 405. Without --public-url and with a
 * Host header that is not a plain host, the file says "this site's
 * address, followed by /withdraw".
 */
#include "client.h"
#include "code.h"

static void
with_public_url(struct collector_config *cfg)
{
	cfg->public_url = "https://survey.example.org/";
}

/* POST /code-file with code, lang and form. */
static void
code_file(struct cl_client *c, const char *code, const char *lang,
    const char *form, struct cl_resp *r)
{
	const char *kv[] = {"code", code, "lang", lang, "form", form, NULL};

	cl_postv(c, "/code-file", r, kv);
}

static void
check_hdr(const struct cl_resp *r, const char *name, const char *want)
{
	char *v = cl_header(r, name);

	if (v == NULL || strcmp(v, want) != 0)
		fprintf(stderr, "%s: %s, want %s\n", name, v ? v : "(none)",
		    want);
	CHECK(v != NULL && strcmp(v, want) == 0);
	free(v);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char *st, *loc, *shown = NULL, resume[CODE_LEN + 1],
	    rshown[CODE_SHOWN_LEN + 1];

	CL_REQUIRE(curl_global_init(CURL_GLOBAL_DEFAULT) == 0);
	{
		const char *forms[] = {cl_fixture("tests/collector/mini.json",
		    0)};
		CL_REQUIRE(cl_server_start_cfg(&s, forms, 1,
		    with_public_url) == 0);
	}
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	/* The thank-you page: the public address and the download form. */
	st = cl_mini_to_last(&c, "en");
	CL_REQUIRE(st != NULL);
	cl_mini_submit(&c, st, &r);
	free(st);
	CHECK_INT(r.status, 303);
	loc = cl_header(&r, "Location");
	cl_resp_free(&r);
	CL_REQUIRE(loc != NULL);
	cl_get(&c, loc, &r);
	free(loc);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "<a href=\"https://survey.example.org/"
	    "withdraw?lang=en\">https://survey.example.org/withdraw?lang=en"
	    "</a>"));
	CHECK(cl_contains(r.body, "<form method=\"post\" action=\"/code-file\""));
	CHECK(cl_contains(r.body, "<input type=\"hidden\" name=\"form\" "
	    "value=\"mini\">"));
	CHECK(!cl_contains(r.body, "data:text/plain"));
	CHECK(!cl_contains(r.body, "/code-file?"));
	shown = cl_between(r.body, "name=\"code\" value=\"", '"');
	CHECK(shown != NULL && strncmp(shown, "REC-", 4) == 0);
	cl_resp_free(&r);
	CL_REQUIRE(shown != NULL);

	/* The file: an attachment, not stored anywhere on the way. */
	code_file(&c, shown, "en", "mini", &r);
	CHECK_INT(r.status, 200);
	check_hdr(&r, "Content-Type", "text/plain; charset=utf-8");
	check_hdr(&r, "Content-Disposition",
	    "attachment; filename=\"receipt-code.txt\"");
	check_hdr(&r, "Cache-Control", "no-store");
	CHECK(cl_contains(r.body, "Your receipt code for the survey \"Mini "
	    "survey\":\r\n\r\n"));
	CHECK(cl_contains(r.body, shown));
	CHECK(cl_contains(r.body, "withdraw your answers at any time"));
	CHECK(cl_contains(r.body, "Address: https://survey.example.org/"
	    "withdraw?lang=en\r\n"));
	CHECK(!cl_contains(r.body, "<"));
	cl_resp_free(&r);

	/* In Spanish, and read leniently (lower case, no dashes). */
	{
		char lax[CODE_SHOWN_LEN + 1];
		size_t k = 0;
		for (const char *p = shown; *p != '\0'; p++)
			if (*p != '-')
				lax[k++] = (char)(*p >= 'A' && *p <= 'Z'
				    ? *p - 'A' + 'a' : *p);
		lax[k] = '\0';
		code_file(&c, lax, "es", "mini", &r);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Su código de recibo de la encuesta "
	    "\"Encuesta mini\""));
	CHECK(cl_contains(r.body, shown));
	CHECK(cl_contains(r.body, "retirar sus respuestas"));
	CHECK(cl_contains(r.body, "Dirección: https://survey.example.org/"
	    "withdraw?lang=es"));
	cl_resp_free(&r);

	/* A resume code: its own file name, /resume and the days kept. */
	code_new(resume, CODE_RESUME);
	code_format(resume, CODE_RESUME, rshown);
	code_file(&c, rshown, "en", "mini", &r);
	CHECK_INT(r.status, 200);
	check_hdr(&r, "Content-Disposition",
	    "attachment; filename=\"resume-code.txt\"");
	CHECK(cl_contains(r.body, "Your resume code for the survey"));
	CHECK(cl_contains(r.body, rshown));
	CHECK(cl_contains(r.body, "continue the survey where you left off"));
	CHECK(cl_contains(r.body, "deleted 14 days after they were saved."));
	CHECK(cl_contains(r.body, "Address: https://survey.example.org/"
	    "resume?lang=en"));
	cl_resp_free(&r);

	/* Refused: no file for what is not a code of a served form. */
	code_file(&c, "REC-AAAA-AAAA-AAAA-AAAA-AAAA", "en", "mini", &r);
	CHECK_INT(r.status, 400);
	CHECK(cl_header(&r, "Content-Disposition") == NULL);
	cl_resp_free(&r);
	code_file(&c, shown, "en", "other", &r);
	CHECK_INT(r.status, 400);
	CHECK(cl_header(&r, "Content-Disposition") == NULL);
	cl_resp_free(&r);
	{
		const char *kv[] = {"code", shown, "form", "mini", "extra", "1",
			NULL};
		cl_postv(&c, "/code-file", &r, kv);
		CHECK_INT(r.status, 400);
		CHECK(cl_header(&r, "Content-Disposition") == NULL);
		cl_resp_free(&r);
	}
	cl_get(&c, "/code-file", &r);
	CHECK_INT(r.status, 405);
	cl_resp_free(&r);
	cl_client_free(&c);
	cl_server_stop(&s);
	cl_server_cleanup(&s);

	/*
	 * No --public-url and a Host header that is no plain host: the file
	 * names the page without inventing an address.
	 */
	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	{
		CURL *h = curl_easy_init();
		struct curl_slist *hl = NULL;
		struct cl_buf b = {NULL, 0};
		char url[64], body[256];
		long status = 0;

		CL_REQUIRE(h != NULL);
		snprintf(url, sizeof(url), "http://127.0.0.1:%u/code-file",
		    s.port);
		snprintf(body, sizeof(body), "code=%s&lang=en&form=mini",
		    shown);
		hl = curl_slist_append(hl, "Host: bad_host!");
		hl = curl_slist_append(hl, "Expect:");
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cl_write_cb);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
		CHECK(curl_easy_perform(h) == CURLE_OK);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		CHECK_INT(status, 200);
		CHECK(b.p != NULL && strstr(b.p, "Address: this site's "
		    "address, followed by /withdraw?lang=en\r\n") != NULL);
		if (b.p != NULL && strstr(b.p, "this site's") == NULL)
			fprintf(stderr, "file: %s\n", b.p);
		free(b.p);
		curl_slist_free_all(hl);
		curl_easy_cleanup(h);
	}
	cl_server_stop(&s);
	cl_server_cleanup(&s);
	free(shown);
	curl_global_cleanup();
	return test_done();
}
