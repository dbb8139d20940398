/*
 * A question or grid row named like one of the collector's own POST
 * fields ("state", "action", "website", ...) would have every POST of its
 * page refused. The loader refuses the name, saying where and why, and the
 * REDCap import refuses such a field with its row; a score of that name,
 * never posted, still loads.
 */
#include "helpers.h"
#include "redcap_inline.h"

static const char *const names[] = {
	"action", "adult", "code", "consent", "form", "lang", "live", "state",
	"step", "v",
	"website",
};

#define HEAD "{\"id\": \"r\", \"version\": 1, \"languages\": [\"en\"]," \
    " \"title\": {\"en\": \"T\"}," \
    " \"consent\": {\"version\": \"1\", \"title\": {\"en\": \"C\"}," \
    "   \"text\": {\"en\": \"t\"}, \"agree\": {\"en\": \"a\"}," \
    "   \"age_confirm\": {\"en\": \"a\"}}," \
    " \"pages\": [{\"id\": \"p\", \"title\": {\"en\": \"P\"}, \"items\": ["

/* Load text; 0 when it loads, else -1 with the problems in d. */
static int
load(const char *text, struct diag *d)
{
	struct form *f = NULL;
	int rc;

	diag_init(d);
	rc = form_load_buffer("r.json", text, strlen(text), &f, d);
	form_free(f);
	return rc;
}

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
	char text[4096], want[128];
	struct diag d, err, warn;
	char *json;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* A question. */
		snprintf(text, sizeof(text), HEAD
		    "{\"var\": \"ok\", \"kind\": \"yesno\", \"label\": {\"en\": \"Q\"}},"
		    "{\"var\": \"%s\", \"kind\": \"yesno\", \"label\": {\"en\": \"Q\"}}"
		    "]}]}", names[i]);
		CHECK_INT(load(text, &d), -1);
		snprintf(want, sizeof(want), "\"%s\" is a name the collector "
		    "uses for its own fields", names[i]);
		CHECK(has(&d, "r.json: pages[0].items[1].var", want));
		diag_free(&d);

		/* A grid row. */
		snprintf(text, sizeof(text), HEAD
		    "{\"kind\": \"grid\", \"label\": {\"en\": \"G\"},"
		    " \"choices\": [{\"value\": 0, \"label\": {\"en\": \"N\"}},"
		    "   {\"value\": 1, \"label\": {\"en\": \"Y\"}}],"
		    " \"rows\": [{\"var\": \"%s\", \"label\": {\"en\": \"R\"}}]}"
		    "]}]}", names[i]);
		CHECK_INT(load(text, &d), -1);
		CHECK(has(&d, "r.json: pages[0].items[0].rows[0].var", want));
		diag_free(&d);

		/* A score is never posted: it may have the name. */
		snprintf(text, sizeof(text), HEAD
		    "{\"var\": \"a\", \"kind\": \"yesno\", \"label\": {\"en\": \"Q\"}}"
		    "]}], \"scores\": [{\"var\": \"%s\", \"kind\": \"sum\","
		    " \"items\": [\"a\"], \"label\": {\"en\": \"S\"}}]}", names[i]);
		CHECK_INT(load(text, &d), 0);
		diag_free(&d);

		/* The REDCap import names the row. */
		snprintf(text, sizeof(text), RC_HDR
		    "%s,f,,yesno,Question,,,,,,,,,,,,,\r\n", names[i]);
		CHECK_INT(rc_import_text(text, &json, &err, &warn), -1);
		CHECK(json == NULL);
		CHECK(rc_has(&err, 3, "Variable / Field Name", want));
		free(json);
		diag_free(&err);
		diag_free(&warn);
	}
	CHECK(!form_var_reserved("state_1"));
	CHECK(!form_var_reserved("ok"));
	return test_done();
}
