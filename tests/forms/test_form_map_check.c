/*
 * The mapping between form versions (form_map.h), checked against the
 * earlier version: a valid mapping compiles; each broken rule gives one
 * problem naming the variable and the rule (a variable of the old version
 * left unaccounted for, a recode to a code that does not exist, a recode
 * of a code the old version lacks, a "new" variable the old version has,
 * a variable of the new version that comes from nowhere, a rename onto a
 * variable that does not exist, a code whose label changed without a
 * recode); syntax errors in "from" fail the load with their JSON path;
 * and applying a mapping renames, recodes single and multiple choices
 * and leaves new variables unanswered.
 */
#include <stdlib.h>
#include <string.h>

#include "form_map.h"
#include "helpers.h"

static char *v2_text;

/* v2.json with one substring replaced (must occur), loaded. */
static struct form *
variant(const char *from, const char *to, struct diag *d)
{
	const char *p = strstr(v2_text, from);
	size_t n = strlen(v2_text) - strlen(from) + strlen(to);
	struct form *f = NULL;
	char *s;

	if (p == NULL) {
		fprintf(stderr, "fixture lacks \"%s\"\n", from);
		exit(1);
	}
	size_t k = (size_t)(p - v2_text), nto = strlen(to);
	s = malloc(n + 1);
	memcpy(s, v2_text, k);
	memcpy(s + k, to, nto);
	memcpy(s + k + nto, p + strlen(from), n - k - nto + 1);
	form_load_buffer("v2.json", s, n, &f, d);
	free(s);
	return f;
}

/* Does some problem in d contain both a and b? */
static int
has(const struct diag *d, const char *a, const char *b)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->a[i].what, a) != NULL &&
		    (b == NULL || strstr(d->a[i].what, b) != NULL))
			return 1;
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "  %s: %s\n", d->a[i].where, d->a[i].what);
	return 0;
}

/* Check the variant against v1: the number of problems, and one of them. */
static void
check_bad(const struct form *v1, const char *from, const char *to,
    const char *want_a, const char *want_b)
{
	struct diag d;
	struct form *f;
	struct form_mapper *m = NULL;

	diag_init(&d);
	f = variant(from, to, &d);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(form_mapper_new(f, "v2.json", v1, &m, &d), -1);
		CHECK(m == NULL);
		if (!has(&d, want_a, want_b))
			fprintf(stderr, "missing: %s ... %s\n", want_a,
			    want_b ? want_b : "");
		CHECK(has(&d, want_a, want_b));
		/* Placed at the entry that maps version 1. */
		CHECK(d.n > 0 && strstr(d.a[0].where, "from[0] (version 1)"));
	}
	form_free(f);
	diag_free(&d);
}

/* The variant does not load; a problem's place contains where. */
static void
check_syntax(const char *from, const char *to, const char *where)
{
	struct diag d;
	struct form *f;
	int found = 0;

	diag_init(&d);
	f = variant(from, to, &d);
	CHECK(f == NULL);
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.a[i].where, where) != NULL)
			found = 1;
	if (!found)
		diag_print(&d, stderr);
	CHECK(found);
	form_free(f);
	diag_free(&d);
}

int
main(void)
{
	struct form *v1 = load_fixture("tests/forms/data/versions/v1.json");
	struct form *v2 = load_fixture("tests/forms/data/versions/v2.json");
	struct form *v3 = load_fixture("tests/forms/data/versions/v3.json");
	struct form_mapper *m = NULL;
	struct form_answers *a, *b;
	struct diag d;
	char path[1024], *js;
	size_t n;

	v2_text = test_read_file(test_src_path(
	    "tests/forms/data/versions/v2.json", path, sizeof(path)), &n);
	CHECK(v2_text != NULL);
	if (v2_text == NULL)
		return test_done();

	/* The fixtures map: 1 -> 2, 1 -> 3, 2 -> 3. */
	diag_init(&d);
	CHECK_INT(form_mapper_new(v2, "v2.json", v1, &m, &d), 0);
	form_mapper_free(m);
	CHECK_INT(form_mapper_new(v3, "v3.json", v1, &m, &d), 0);
	form_mapper_free(m);
	CHECK_INT(form_mapper_new(v3, "v3.json", v2, &m, &d), 0);
	CHECK_INT(d.total, 0);

	/* Applying 2 -> 3: symptoms Fog 3 becomes 4; cbt stays unanswered. */
	a = form_answers_new(v2);
	b = form_answers_new(v3);
	CHECK_INT(form_answers_from_json(a, "{\"pain_avg\":4,\"freq\":1,"
	    "\"stiff\":2,\"symptoms\":[1,3]}", &d), 0);
	CHECK_INT(form_mapper_apply(m, a, b), 0);
	js = form_answers_to_json(b, 0, v3->nitem_vars);
	CHECK_STR(js, "{\"pain_avg\":4,\"freq\":1,\"stiff\":2,"
	    "\"symptoms\":[1,4]}");
	free(js);
	form_mapper_free(m);
	form_answers_free(a);
	form_answers_free(b);

	/* Applying 1 -> 3: renamed, freq 1 (Daily) becomes 3, mood gone. */
	CHECK_INT(form_mapper_new(v3, "v3.json", v1, &m, &d), 0);
	a = form_answers_new(v1);
	b = form_answers_new(v3);
	CHECK_INT(form_answers_from_json(a, "{\"pain\":7,\"freq\":1,"
	    "\"mood\":5,\"symptoms\":[2,3]}", &d), 0);
	CHECK_INT(form_mapper_apply(m, a, b), 0);
	js = form_answers_to_json(b, 0, v3->nitem_vars);
	CHECK_STR(js, "{\"pain_avg\":7,\"freq\":3,\"symptoms\":[2,4]}");
	free(js);
	form_mapper_free(m);
	form_answers_free(a);
	form_answers_free(b);
	diag_free(&d);

	/* No entry for the version at all; mapping a later version. */
	diag_init(&d);
	CHECK_INT(form_mapper_new(v2, "v2.json", v3, &m, &d), -1);
	CHECK(has(&d, "not earlier than version 2", NULL));
	diag_clear(&d);
	CHECK_INT(form_mapper_new(v1, "v1.json", v1, &m, &d), -1);
	diag_free(&d);
	{
		struct form *f;
		diag_init(&d);
		f = variant("\"version\": 1, ", "\"version\": 1, \"x\": 0, ", &d);
		CHECK(f == NULL); /* unknown key */
		form_free(f);
		diag_free(&d);
	}

	/* Each rule broken alone. */
	check_bad(v1, "\"dropped\": [\"mood\"], ", "", "mood: not in version 2",
	    "rename it or drop it");
	check_bad(v1, "{\"1\": 3, \"3\": 1}", "{\"1\": 7, \"3\": 1}",
	    "freq: recoded 1 to 7", "not a code of freq in version 2");
	check_bad(v1, "{\"1\": 3, \"3\": 1}", "{\"1\": 3, \"3\": 1, \"9\": 2}",
	    "freq: recodes 9", "not a code of version 1");
	check_bad(v1, "\"recoded\": {\"freq\": {\"1\": 3, \"3\": 1}},", "",
	    "freq: code 1 is \"Daily\" in version 1 and \"Rarely\"",
	    "recode it");
	check_bad(v1, "\"new\": [\"stiff\"]", "\"new\": [\"stiff\", \"freq\"]",
	    "freq: listed as new, but version 1 has it", NULL);
	check_bad(v1, "\"new\": [\"stiff\"]", "\"new\": []",
	    "stiff: version 1 has no such variable", "list it in new");
	check_bad(v1, "{\"pain\": \"pain_avg\"}", "{\"pain\": \"pain_x\"}",
	    "pain: renamed to pain_x, which version 2 does not have", NULL);
	check_bad(v1, "\"dropped\": [\"mood\"]",
	    "\"dropped\": [\"mood\", \"gone\"]",
	    "gone: dropped, but version 1 has no such variable", NULL);
	check_bad(v1, "\"dropped\": [\"mood\"]", "\"dropped\": [\"mood\", "
	    "\"pain\"]", "pain: both renamed and dropped", NULL);

	/* Syntax of "from": reported by the loader with the JSON path. */
	check_syntax("{\"version\": 1,", "{\"version\": 2,", "from[0].version");
	check_syntax("{\"version\": 1,", "{\"version\": 1, \"renames\": {},",
	    "from[0].renames");
	check_syntax("{\"1\": 3, \"3\": 1}", "{\"one\": 3}",
	    "from[0].recoded.freq.one");
	check_syntax("\"dropped\": [\"mood\"]", "\"dropped\": [\"Mood!\"]",
	    "from[0].dropped[0]");
	check_syntax("\"from\": [", "\"from\": [{\"version\": 1}, ", "from[1]");

	free(v2_text);
	form_free(v1);
	form_free(v2);
	form_free(v3);
	return test_done();
}
