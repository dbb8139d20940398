/*
 * "Save and continue later": the draft is stored under a resume code shown
 * once; entering the code (in any case, with or without dashes) restores
 * every answer and the page; the submission then deletes the draft; a wrong
 * or malformed code gets a clear message and restores nothing, and a
 * receipt code is recognised as one. The page that shows the code is the
 * target of a redirect; fetched again it shows neither code nor answers.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "client.h"
#include "code.h"

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char *st, *code = NULL, *loose = NULL, *st2 = NULL, *saved = NULL;
	size_t i, o = 0;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	cl_get(&c, "/resume", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "<label class=\"question\" for=\"f-code\">"));
	cl_resp_free(&r);

	/* Answer page 1, then save on page 2 with a half-filled page. */
	st = cl_mini_consent(&c, "es");
	CL_REQUIRE(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "4",
			"used_kratom", "0", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);
	{
		struct cl_form f = {{NULL, 0}};
		cl_form_add(&f, "state", st);
		cl_form_add(&f, "action", "save");
		cl_form_add(&f, "symptoms", "2");
		cl_request(&c, "POST", "/s/mini", f.b.p, f.b.n, NULL, &r);
		cl_form_free(&f);
	}
	CHECK_INT(r.status, 303);
	saved = cl_header(&r, "Location");
	cl_resp_free(&r);
	CL_REQUIRE(saved != NULL && strncmp(saved, "/s/mini/p?v=", 12) == 0);
	cl_get(&c, saved, &r);
	CHECK_INT(r.status, 200);
	code = cl_between(r.body, "id=\"resume-code\">", '<');
	CHECK(code != NULL && strlen(code) == CODE_SHOWN_LEN &&
	    strncmp(code, "CONT-", 5) == 0);
	CHECK(cl_contains(r.body, "<html lang=\"es\">"));
	CHECK(cl_contains(r.body, "código para continuar"));
	CHECK(cl_contains(r.body, "/resume?lang=es\""));
	CHECK(cl_contains(r.body, "action=\"/code-file\""));
	/* "Continue now" enters the code for the person. */
	CHECK(cl_contains(r.body, "<form method=\"post\" action=\"/resume\">"));
	cl_resp_free(&r);
	/* Shown once: Back or reload say the answers are saved, no code. */
	cl_get(&c, saved, &r);
	CHECK_INT(r.status, 200);
	CHECK(!cl_contains(r.body, "resume-code"));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	CHECK(cl_contains(r.body, "Sus respuestas están guardadas"));
	cl_resp_free(&r);
	CHECK_INT(cl_metric_after(&s, 1, "candor_drafts_saved_total"), 1);
	CHECK_INT(cl_count_rows(s.db, NULL), 0);
	CL_REQUIRE(code != NULL);

	/* Wrong and malformed codes, and a receipt code. */
	{
		char other[CODE_LEN + 1], shown[CODE_SHOWN_LEN + 1];
		const char *kv[] = {"code", shown, NULL};
		CHECK(sodium_init() >= 0);
		code_new(other, CODE_RECEIPT);
		code_format(other, CODE_RECEIPT, shown);
		cl_postv(&c, "/resume", &r, kv);
		CHECK_INT(r.status, 400);
		CHECK(cl_contains(r.body, "Este es un código de recibo") ||
		    cl_contains(r.body, "This is a receipt code"));
		cl_resp_free(&r);
		code_new(other, CODE_RESUME);
		code_format(other, CODE_RESUME, shown);
		cl_postv(&c, "/resume", &r, kv);
		CHECK_INT(r.status, 404);
		CHECK(cl_contains(r.body, "No saved answers were found"));
		cl_resp_free(&r);
	}
	{
		const char *kv[] = {"code", "0000-0000-0000-0000-0000-0000-00",
			NULL};
		cl_postv(&c, "/resume", &r, kv);
		CHECK_INT(r.status, 404);
		CHECK(cl_contains(r.body, "No saved answers were found"));
		cl_resp_free(&r);
	}
	{
		const char *kv[] = {"code", "hello", NULL};
		cl_postv(&c, "/resume", &r, kv);
		CHECK_INT(r.status, 400);
		CHECK(cl_contains(r.body, "does not look like a code"));
		cl_resp_free(&r);
	}

	/* Lower case, spaces instead of dashes. */
	loose = malloc(strlen(code) + 1);
	CL_REQUIRE(loose != NULL);
	for (i = 0; code[i] != '\0'; i++)
		loose[o++] = code[i] == '-' ? ' '
		    : (char)tolower((unsigned char)code[i]);
	loose[o] = '\0';
	{
		const char *kv[] = {"code", loose, NULL};
		cl_postv(&c, "/resume", &r, kv);
	}
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Página 2 de 3"));
	CHECK(cl_contains(r.body, "name=\"symptoms\" value=\"2\" checked"));
	st2 = cl_state(r.body);
	cl_resp_free(&r);
	CHECK_INT(cl_metric_after(&s, 1, "candor_drafts_resumed_total"), 1);

	/* Back to page 1: its answers came back too. */
	{
		const char *kv[] = {"state", st2, "action", "back", "symptoms",
			"2", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "name=\"pain\" value=\"4\" checked"));
	CHECK(cl_contains(r.body, "name=\"used_kratom\" value=\"0\" checked"));
	free(st2);
	st2 = cl_state(r.body);
	cl_resp_free(&r);

	/* Finish and submit; the draft is gone afterwards. */
	{
		const char *kv[] = {"state", st2, "action", "next", "pain", "4",
			"used_kratom", "0", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st2);
	st2 = cl_state(r.body);
	cl_resp_free(&r);
	{
		const char *kv[] = {"state", st2, "action", "next", "symptoms",
			"2", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	free(st2);
	st2 = cl_state(r.body);
	cl_resp_free(&r);
	cl_mini_submit(&c, st2, &r);
	CHECK_INT(r.status, 303);
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(s.db, "mini"), 1);
	{
		const char *kv[] = {"code", code, NULL};
		cl_postv(&c, "/resume", &r, kv);
		CHECK_INT(r.status, 404);
		cl_resp_free(&r);
	}

	free(st);
	free(st2);
	free(saved);
	free(code);
	free(loose);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
