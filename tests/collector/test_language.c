/*
 * Language selection: ?lang= first, then Accept-Language (with q values),
 * else the form's default; the choice sticks for the whole survey and sets
 * the lang attribute.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static struct cl_client c;

static void
consent_in(const char *query, const char *accept, const char *want_lang,
    const char *want_text)
{
	struct cl_resp r;
	char path[64], tag[64];

	c.accept_language = accept;
	snprintf(path, sizeof(path), "/s/mini%s", query);
	cl_get(&c, path, &r);
	CHECK_INT(r.status, 200);
	snprintf(tag, sizeof(tag), "<html lang=\"%s\">", want_lang);
	if (!cl_contains(r.body, tag) || !cl_contains(r.body, want_text))
		fprintf(stderr, "query %s, Accept-Language %s: expected %s\n",
		    query, accept ? accept : "(none)", want_lang);
	CHECK(cl_contains(r.body, tag));
	CHECK(cl_contains(r.body, want_text));
	cl_resp_free(&r);
	c.accept_language = NULL;
}

int
main(void)
{
	struct cl_server s;
	struct cl_resp r;
	char *st;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	consent_in("", NULL, "en", "About this survey");
	consent_in("?lang=es", NULL, "es", "Sobre esta encuesta");
	consent_in("?lang=es-MX", NULL, "es", "Sobre esta encuesta");
	consent_in("", "es-MX,es;q=0.9,en;q=0.5", "es", "Sobre esta encuesta");
	consent_in("", "fr-FR, en;q=0.4, es;q=0.8", "es", "Acepto participar");
	consent_in("", "de, fr", "en", "I agree to take part");
	/* language_bad_query_falls_back */
	consent_in("?lang=zz", "es", "es", "Sobre esta encuesta");
	consent_in("?lang=en", "es", "en", "About this survey");

	/* The language chosen at consent is kept in the state. */
	st = cl_mini_consent(&c, "es");
	CHECK(st != NULL);
	c.accept_language = "en";
	{
		const char *kv[] = {"state", st, "action", "next", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
	}
	CHECK(cl_contains(r.body, "<html lang=\"es\">"));
	CHECK(cl_contains(r.body, "Página 1 de 3"));
	CHECK(cl_contains(r.body, "Hay un problema"));
	CHECK(cl_contains(r.body, "Siguiente"));
	cl_resp_free(&r);
	free(st);

	/* Interface-only pages follow Accept-Language as well. */
	c.accept_language = "es";
	cl_get(&c, "/withdraw", &r);
	CHECK(cl_contains(r.body, "<html lang=\"es\">"));
	CHECK(cl_contains(r.body, "Retirar sus respuestas"));
	cl_resp_free(&r);

	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
