/*
 * The form file's "facts" (dated, cited facts for the codebook): a good
 * list loads with its dates as given (a day, a month or a year), its
 * variables resolved and its text and source; a bad list reports every
 * problem at its JSON path: a date that is not one (30 February, a
 * padded month, 29 February of a common year), an unknown variable, a
 * score named as an item, a variable listed twice, an empty list, an
 * empty text, a missing source and an unknown key.
 */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "testlib.h"

#define HEAD "{\"id\": \"t\", \"version\": 1, \"languages\": [\"en\"]," \
	" \"title\": {\"en\": \"T\"}, \"description\": {\"en\": \"T\"}," \
	" \"consent\": {\"version\": \"1\", \"title\": {\"en\": \"C\"}," \
	"  \"text\": {\"en\": \"C\"}, \"agree\": {\"en\": \"A\"}," \
	"  \"age_confirm\": {\"en\": \"18\"}}," \
	" \"pages\": [{\"id\": \"p1\", \"title\": {\"en\": \"P1\"}, \"items\": [" \
	"  {\"var\": \"a\", \"kind\": \"yesno\", \"label\": {\"en\": \"A?\"}}," \
	"  {\"var\": \"b\", \"kind\": \"yesno\", \"label\": {\"en\": \"B?\"}}]}]," \
	" \"scores\": [{\"var\": \"s\", \"kind\": \"sum\", \"items\": [\"a\", \"b\"]," \
	"  \"label\": {\"en\": \"S\"}}],"

static int
has_problem(const struct diag *d, const char *where, const char *what)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->a[i].where, where) != NULL &&
		    strstr(d->a[i].what, what) != NULL)
			return 1;
	fprintf(stderr, "missing problem %s: %s\n", where, what);
	return 0;
}

int
main(void)
{
	static const char good[] = HEAD " \"facts\": ["
	    "{\"date\": \"2019-12-19\", \"about\": [\"a\", \"b\"],"
	    " \"text\": \"A warning.\", \"source\": \"Agency, 2019-12-19\"},"
	    "{\"date\": \"2008\", \"about\": [\"b\"], \"text\": \"Approved.\","
	    " \"source\": \"Agency, 2008\"},"
	    "{\"date\": \"2024-02\", \"about\": [\"a\"], \"text\": \"Leap.\","
	    " \"source\": \"Agency\"}]}";
	static const char bad[] = HEAD " \"facts\": ["
	    "{\"date\": \"2019-02-30\", \"about\": [\"nope\"], \"text\": \"x\","
	    " \"source\": \"y\"},"
	    "{\"date\": \"2019-1\", \"about\": [\"s\"], \"text\": \"\","
	    " \"source\": \"y\"},"
	    "{\"date\": \"2023-02-29\", \"about\": [\"a\", \"a\"], \"text\": \"x\"},"
	    "{\"date\": \"2020\", \"about\": [], \"text\": \"x\", \"source\": \"y\","
	    " \"url\": \"z\"}]}";
	struct form *f = NULL;
	struct diag d;

	diag_init(&d);
	CHECK_INT(form_load_buffer("good.json", good, strlen(good), &f, &d), 0);
	if (d.n > 0)
		diag_print(&d, stderr);
	diag_free(&d);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nfacts, 3);
		CHECK(strcmp(f->facts[0].date, "2019-12-19") == 0);
		CHECK(strcmp(f->facts[1].date, "2008") == 0);
		CHECK(strcmp(f->facts[2].date, "2024-02") == 0);
		CHECK_INT(f->facts[0].nabout, 2);
		CHECK_INT(f->facts[0].about[1], form_var_find(f, "b"));
		CHECK(strcmp(f->facts[0].text, "A warning.") == 0);
		CHECK(strcmp(f->facts[0].source, "Agency, 2019-12-19") == 0);
		form_free(f);
		f = NULL;
	}

	diag_init(&d);
	CHECK_INT(form_load_buffer("bad.json", bad, strlen(bad), &f, &d), -1);
	CHECK(f == NULL);
	CHECK(has_problem(&d, "facts[0].date", "must be a date"));
	CHECK(has_problem(&d, "facts[0].about[0]", "item variable"));
	CHECK(has_problem(&d, "facts[1].date", "must be a date"));
	CHECK(has_problem(&d, "facts[1].about[0]", "item variable"));
	CHECK(has_problem(&d, "facts[1].text", "1 to 1000 bytes"));
	CHECK(has_problem(&d, "facts[2].date", "must be a date"));
	CHECK(has_problem(&d, "facts[2].about[1]", "listed twice"));
	CHECK(has_problem(&d, "facts[2].source", "missing"));
	CHECK(has_problem(&d, "facts[3].about", "1 to 16"));
	CHECK(has_problem(&d, "facts[3].url", "unknown key"));
	diag_free(&d);
	return test_done();
}
