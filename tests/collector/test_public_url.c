/*
 * --public-url (site.c): the addresses it takes (https://host[:port],
 * http:// to this machine only, one trailing / dropped) and each rule it
 * refuses, with a message naming --public-url and the rule; the
 * collector binary refuses a bad one with exit status 2 and the same
 * message, and a second --public-url.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static void
good(const char *url, const char *want)
{
	char out[COLLECTOR_PUBLIC_URL_MAX + 1], err[512] = "";
	int rc = collector_public_url_check(url, out, sizeof(out), err,
	    sizeof(err));

	if (rc != 0 || strcmp(out, want) != 0)
		fprintf(stderr, "good %s: rc %d, out %s, err %s\n", url, rc,
		    rc == 0 ? out : "-", err);
	CHECK_INT(rc, 0);
	CHECK(rc != 0 || strcmp(out, want) == 0);
}

static void
bad_case(const char *url, const char *rule)
{
	char out[COLLECTOR_PUBLIC_URL_MAX + 1], err[512] = "";
	int rc = collector_public_url_check(url, out, sizeof(out), err,
	    sizeof(err));

	if (rc != -1 || strstr(err, "--public-url") == NULL ||
	    strstr(err, rule) == NULL)
		fprintf(stderr, "bad %s: rc %d, err %s (want \"%s\")\n", url,
		    rc, err, rule);
	CHECK_INT(rc, -1);
	CHECK(strstr(err, "--public-url") != NULL);
	CHECK(strstr(err, rule) != NULL);
}

static void
flag_bad(const char *bin, const char *form, const char *const *extra,
    const char *rule)
{
	char *argv[16], *out = NULL, *err = NULL;
	size_t n = 0;
	int rc;

	argv[n++] = (char *)bin;
	argv[n++] = "--form";
	argv[n++] = (char *)form;
	argv[n++] = "--db";
	argv[n++] = "/nonexistent/x.db";
	while (*extra != NULL && n < 15)
		argv[n++] = (char *)*extra++;
	argv[n] = NULL;
	rc = test_run(argv, &out, &err);
	if (rc != 2 || err == NULL || strstr(err, rule) == NULL)
		fprintf(stderr, "flag: rc %d, stderr %s\n", rc, err ? err : "");
	CHECK_INT(rc, 2);
	CHECK(err != NULL && strstr(err, "--public-url") != NULL);
	CHECK(err != NULL && strstr(err, rule) != NULL);
	free(out);
	free(err);
}

int
main(void)
{
	char bin[512], form[512], longer[300];

	good("https://survey.example.org", "https://survey.example.org");
	good("https://survey.example.org/", "https://survey.example.org");
	good("HTTPS://Survey.Example.org:8443", "HTTPS://Survey.Example.org:8443");
	good("https://[2001:db8::1]:443/", "https://[2001:db8::1]:443");
	good("http://localhost:8080", "http://localhost:8080");
	good("http://127.0.0.1:8080/", "http://127.0.0.1:8080");
	good("http://[::1]", "http://[::1]");

	bad_case("survey.example.org", "must start with https://");
	bad_case("ftp://survey.example.org", "must start with https://");
	bad_case("http://survey.example.org", "http:// only to this machine");
	bad_case("http://10.0.0.1:8080", "http:// only to this machine");
	bad_case("https://survey.example.org/?lang=en", "no query");
	bad_case("https://survey.example.org#top", "fragment");
	bad_case("https://user:pw@survey.example.org", "no user name");
	bad_case("https://survey.example.org/candor", "no path");
	bad_case("https://survey.example.org:0", "port");
	bad_case("https://survey.example.org:99999", "port");
	bad_case("https://survey.example.org:80x", "port");
	bad_case("https://", "host name of 1 to 253");
	bad_case("https://:443", "host name of 1 to 253");
	bad_case("https://sur_vey.example.org", "letters, digits");
	bad_case("https://survey example.org", "no spaces");
	bad_case("https://[2001:db8::1", "closing ]");
	bad_case("https://[2001:db8::g]", "hex digits");
	bad_case("", "needs a value");
	memset(longer, 'a', sizeof(longer) - 1);
	memcpy(longer, "https://", 8);
	longer[sizeof(longer) - 1] = '\0';
	bad_case(longer, "at most 200");

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	{
		const char *a[] = {"--public-url", "http://survey.example.org",
			NULL};
		flag_bad(bin, form, a, "http:// only to this machine");
	}
	{
		const char *a[] = {"--public-url", "https://a.example.org",
			"--public-url", "https://b.example.org", NULL};
		flag_bad(bin, form, a, "given twice");
	}
	{
		char *argv[] = {bin, "--help", NULL}, *out = NULL, *err = NULL;
		CHECK_INT(test_run(argv, &out, &err), 0);
		CHECK(out != NULL && strstr(out, "--public-url URL") != NULL);
		free(out);
		free(err);
	}
	return test_done();
}
