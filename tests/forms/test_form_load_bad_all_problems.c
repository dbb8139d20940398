/*
 * A broken form file is refused with every problem named by file, JSON
 * path and rule: not just the first one.
 */
#include "helpers.h"

static const char *broken =
    "{\"id\": \"Bad Id\", \"version\": 0, \"languages\": [\"en\", \"es\"],"
    " \"title\": {\"en\": \"T\"}, \"extra\": 1,"
    " \"consent\": {\"version\": \"1\", \"title\": {\"en\": \"C\", \"es\": \"C\"},"
    "   \"text\": {\"en\": \"t\", \"es\": \"t\"}, \"agree\": {\"en\": \"a\", \"es\": \"a\"},"
    "   \"age_confirm\": {\"en\": \"a\", \"es\": \"a\"}},"
    " \"pages\": [{\"id\": \"p\", \"title\": {\"en\": \"P\", \"es\": \"P\"}, \"items\": ["
    "   {\"var\": \"a\", \"kind\": \"single\", \"label\": {\"en\": \"A\", \"es\": \"A\"},"
    "    \"choices\": [{\"value\": 1, \"label\": {\"en\": \"x\", \"es\": \"x\"}},"
    "                  {\"value\": 1, \"label\": {\"en\": \"y\", \"es\": \"y\"}}]},"
    "   {\"var\": \"a\", \"kind\": \"yesno\", \"label\": {\"en\": \"B\", \"es\": \"B\"}},"
    "   {\"var\": \"c\", \"kind\": \"integer\", \"min\": 5, \"max\": 1,"
    "    \"label\": {\"en\": \"C\", \"es\": \"C\"}, \"show_if\": {\"var\": \"d\", \"eq\": 1}},"
    "   {\"var\": \"t\", \"kind\": \"text\", \"max_length\": 10, \"free_text\": true,"
    "    \"label\": {\"en\": \"T\", \"es\": \"T\"}}"
    " ]}],"
    " \"scores\": [{\"var\": \"s\", \"kind\": \"sum\", \"items\": [\"zz\"],"
    "   \"label\": {\"en\": \"S\", \"es\": \"S\"}}]}";

static int
has(const struct diag *d, const char *where, const char *what)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->a[i].where, where) == 0 &&
		    strstr(d->a[i].what, what) != NULL)
			return 1;
	fprintf(stderr, "expected problem \"%s: %s\"\n", where, what);
	diag_print(d, stderr);
	return 0;
}

int
main(void)
{
	struct diag d;
	struct form *f = NULL;

	diag_init(&d);
	CHECK_INT(form_load_buffer("x.json", broken, strlen(broken), &f, &d), -1);
	CHECK(f == NULL);
	CHECK(has(&d, "x.json: id", "invalid form id"));
	CHECK(has(&d, "x.json: version", "integer >= 1"));
	CHECK(has(&d, "x.json: title", "missing translation \"es\""));
	CHECK(has(&d, "x.json: extra", "unknown key"));
	CHECK(has(&d, "x.json: pages[0].items[0].choices[1]",
	    "duplicate value 1"));
	CHECK(has(&d, "x.json: pages[0].items[1].var",
	    "duplicate variable \"a\""));
	CHECK(has(&d, "x.json: pages[0].items[2]", "min 5 greater than max 1"));
	CHECK(has(&d, "x.json: pages[0].items[2].show_if.var",
	    "unknown or later variable \"d\""));
	CHECK(has(&d, "x.json: pages[0].items[3]", "free text is off"));
	CHECK(has(&d, "x.json: scores[0].items[0]", "unknown variable \"zz\""));
	CHECK(d.n >= 10);

	/* Syntax errors give line and column. */
	diag_clear(&d);
	CHECK_INT(form_load_buffer("y.json", "{\n\"id\": }", 9, &f, &d), -1);
	CHECK(d.n == 1 && strncmp(d.a[0].where, "y.json:2:", 9) == 0);
	diag_clear(&d);
	CHECK_INT(form_load("/nonexistent/z.json", &f, &d), -1);
	CHECK(d.n == 1 && strstr(d.a[0].what, "cannot open") != NULL);
	diag_free(&d);
	return test_done();
}
