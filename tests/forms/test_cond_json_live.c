/*
 * Conditions as JSON (form_cond.c). form_cond_json() writes every node of
 * the condition language back as the form file spells it.
 * form_cond_json_live() writes a condition as a page's script sees
 * it: tests of answers on that page as they are, tests of other pages'
 * answers decided now ({"value": true|false|null}), and counts the tests
 * left to the page (0: the item is decided by the server alone).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form.h"
#include "testlib.h"

/* Page 1: a (yes/no); page 2: b (multiple), n (integer) and the items
 * whose conditions are checked. */
static const char form_json[] =
"{\"id\": \"t\", \"version\": 1, \"languages\": [\"en\"],"
" \"title\": {\"en\": \"T\"}, \"description\": {\"en\": \"T\"},"
" \"consent\": {\"version\": \"1\", \"title\": {\"en\": \"C\"},"
"  \"text\": {\"en\": \"C\"}, \"agree\": {\"en\": \"A\"},"
"  \"age_confirm\": {\"en\": \"18\"}},"
" \"pages\": ["
"  {\"id\": \"p1\", \"title\": {\"en\": \"P1\"}, \"items\": ["
"   {\"var\": \"a\", \"kind\": \"yesno\", \"label\": {\"en\": \"A?\"}}]},"
"  {\"id\": \"p2\", \"title\": {\"en\": \"P2\"}, \"items\": ["
"   {\"var\": \"b\", \"kind\": \"multiple\", \"label\": {\"en\": \"B?\"},"
"    \"choices\": [{\"value\": 1, \"label\": {\"en\": \"one\"}},"
"     {\"value\": 2, \"label\": {\"en\": \"two\"}},"
"     {\"value\": 0, \"label\": {\"en\": \"none\"}, \"exclusive\": true}]},"
"   {\"var\": \"n\", \"kind\": \"integer\", \"min\": 0, \"max\": 9,"
"    \"label\": {\"en\": \"N?\"}},"
"   {\"var\": \"mixed\", \"kind\": \"yesno\", \"label\": {\"en\": \"M?\"},"
"    \"show_if\": {\"all\": [{\"var\": \"a\", \"eq\": 1},"
"     {\"not\": {\"var\": \"b\", \"has\": 2}}]}},"
"   {\"var\": \"fixed\", \"kind\": \"yesno\", \"label\": {\"en\": \"F?\"},"
"    \"show_if\": {\"any\": [{\"var\": \"a\", \"eq\": 1},"
"     {\"var\": \"a\", \"answered\": false}]}},"
"   {\"var\": \"many\", \"kind\": \"yesno\", \"label\": {\"en\": \"X?\"},"
"    \"show_if\": {\"count\": [{\"var\": \"b\", \"has\": 1},"
"     {\"var\": \"n\", \"in\": [3, 4]}, {\"var\": \"n\", \"ge\": 2}], \"ge\": 2}}"
"  ]}]}";

static const struct form_cond *
cond_of(const struct form *f, const char *var)
{
	long iv = form_var_find(f, var);
	return iv >= 0 ? f->vars[iv].item->show_if : NULL;
}

static int
json_is(json_t *got, const char *want)
{
	json_error_t e;
	json_t *w = json_loads(want, 0, &e);
	int eq = got != NULL && w != NULL && json_equal(got, w);

	if (!eq) {
		char *s = got ? json_dumps(got, JSON_COMPACT) : NULL;
		fprintf(stderr, "got %s\nwant %s\n", s ? s : "(null)", want);
		free(s);
	}
	json_decref(w);
	return eq;
}

static void
set(const struct form *f, struct form_answers *a, const char *var,
    const char *const *vals, size_t n)
{
	long iv = form_var_find(f, var);
	const char *err = NULL;

	CHECK(iv >= 0);
	form_answers_clear(a, (size_t)iv);
	CHECK_INT(form_value_parse(f, (size_t)iv, vals, n, &a->v[iv], &err),
	    0);
}

int
main(void)
{
	struct form *f = NULL;
	struct diag dg;
	struct form_answers *a;
	json_t *j;
	size_t nlive = 99;

	diag_init(&dg);
	if (form_load_buffer("t.json", form_json, strlen(form_json), &f,
	    &dg) != 0)
		diag_print(&dg, stderr);
	diag_free(&dg);
	CHECK(f != NULL);
	if (f == NULL)
		return test_done();
	a = form_answers_new(f);
	CHECK(a != NULL);

	/* The form's own spelling, every node kind. */
	j = form_cond_json(f, cond_of(f, "mixed"));
	CHECK(json_is(j, "{\"all\": [{\"var\": \"a\", \"eq\": 1},"
	    " {\"not\": {\"var\": \"b\", \"has\": 2}}]}"));
	json_decref(j);
	j = form_cond_json(f, cond_of(f, "many"));
	CHECK(json_is(j, "{\"count\": [{\"var\": \"b\", \"has\": 1},"
	    " {\"var\": \"n\", \"in\": [3, 4]}, {\"var\": \"n\", \"ge\": 2}],"
	    " \"ge\": 2}"));
	json_decref(j);
	j = form_cond_json(f, cond_of(f, "fixed"));
	CHECK(json_is(j, "{\"any\": [{\"var\": \"a\", \"eq\": 1},"
	    " {\"var\": \"a\", \"answered\": false}]}"));
	json_decref(j);
	CHECK(form_cond_json(f, NULL) == NULL);

	/* Seen from page 2 with a unanswered: a's test is unknown. */
	j = form_cond_json_live(f, cond_of(f, "mixed"), a, 1, &nlive);
	CHECK(json_is(j, "{\"all\": [{\"value\": null},"
	    " {\"not\": {\"var\": \"b\", \"has\": 2}}]}"));
	CHECK_INT(nlive, 1);
	json_decref(j);
	{
		const char *yes[] = {"1"};
		set(f, a, "a", yes, 1);
	}
	j = form_cond_json_live(f, cond_of(f, "mixed"), a, 1, &nlive);
	CHECK(json_is(j, "{\"all\": [{\"value\": true},"
	    " {\"not\": {\"var\": \"b\", \"has\": 2}}]}"));
	CHECK_INT(nlive, 1);
	json_decref(j);
	/* Only other pages' answers: nothing left to the page. */
	j = form_cond_json_live(f, cond_of(f, "fixed"), a, 1, &nlive);
	CHECK(json_is(j, "{\"any\": [{\"value\": true}, {\"value\": false}]}"));
	CHECK_INT(nlive, 0);
	json_decref(j);
	/* Seen from page 1 itself, a's tests stay. */
	j = form_cond_json_live(f, cond_of(f, "fixed"), a, 0, &nlive);
	CHECK(json_is(j, "{\"any\": [{\"var\": \"a\", \"eq\": 1},"
	    " {\"var\": \"a\", \"answered\": false}]}"));
	CHECK_INT(nlive, 2);
	json_decref(j);
	j = form_cond_json_live(f, cond_of(f, "many"), a, 1, &nlive);
	CHECK_INT(nlive, 3);
	json_decref(j);
	CHECK(form_cond_json_live(f, NULL, a, 1, &nlive) == NULL);
	CHECK_INT(nlive, 0);

	form_answers_free(a);
	form_free(f);
	return test_done();
}
