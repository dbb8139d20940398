/*
 * The default plan of the default survey (forms/fibromyalgia-therapies.json,
 * version 2, where "now or only in the past?" is asked only of those who
 * ticked the therapy in therapies_ever) loads, and its "never" sides are
 * "not ticked": kratom {"not": {"var": "therapies_ever", "has": 18}},
 * cannabis 17, and no opioid: neither tramadol (15) nor other opioids
 * (16); its "ever" side for opioids is "ticked". A form of version 1,
 * which asked every use question with a "never" answer, keeps
 * kratom_use = 0. The collector's API loads the same plan at start.
 */
#include "data/report_helpers.h"
#include "form.h"
#include "plan.h"

static struct form *
load(const char *rel)
{
	struct form *f = NULL;
	struct diag dg;
	char *p = src(rel);

	diag_init(&dg);
	if (form_load(p, &f, &dg) != 0) {
		diag_print(&dg, stderr);
		f = NULL;
	}
	diag_free(&dg);
	free(p);
	return f;
}

static json_t *
group(json_t *plan, const char *name)
{
	return find_by(json_object_get(plan, "groups"), "name", name, NULL,
	    NULL);
}

static int
same(json_t *got, const char *want)
{
	json_error_t e;
	json_t *w = json_loads(want, 0, &e);
	int eq = w != NULL && json_equal(got, w);
	if (!eq) {
		char *s = json_dumps(got, JSON_COMPACT);
		fprintf(stderr, "got %s, want %s\n", s ? s : "(null)", want);
		free(s);
	}
	json_decref(w);
	return eq;
}

static json_t *
default_plan(const struct form *f)
{
	struct plan *p = NULL;
	struct diag dg;
	json_error_t e;
	json_t *j;
	char *s = plan_default_json(f);

	CHECK(s != NULL);
	if (s == NULL)
		return NULL;
	diag_init(&dg);
	CHECK_INT(plan_load_buffer("(default plan)", s, strlen(s), f, &p, &dg),
	    0);
	if (dg.n > 0)
		diag_print(&dg, stderr);
	diag_free(&dg);
	plan_free(p);
	j = json_loads(s, 0, &e);
	free(s);
	return j;
}

int
main(void)
{
	struct form *v2 = load(DEFAULT_FORM), *v1 = load(REPORT_FORM);
	json_t *p2, *p1, *g;

	CHECK(v2 != NULL && v1 != NULL);
	if (v2 == NULL || v1 == NULL)
		return test_done();
	p2 = default_plan(v2);
	p1 = default_plan(v1);
	CHECK(p2 != NULL && p1 != NULL);

	g = group(p2, "kratom_current_vs_never");
	CHECK(same(json_object_get(g, "a"), "{\"var\":\"kratom_use\",\"eq\":2}"));
	CHECK(same(json_object_get(g, "b"), "{\"not\":{\"var\":"
	    "\"therapies_ever\",\"has\":18}}"));
	g = group(p2, "cannabis_current_vs_never");
	CHECK(same(json_object_get(g, "b"), "{\"not\":{\"var\":"
	    "\"therapies_ever\",\"has\":17}}"));
	g = group(p2, "any_opioid_vs_none");
	CHECK(same(json_object_get(g, "a"), "{\"any\":["
	    "{\"var\":\"therapies_ever\",\"has\":16},"
	    "{\"var\":\"therapies_ever\",\"has\":15}]}"));
	CHECK(same(json_object_get(g, "b"), "{\"all\":["
	    "{\"not\":{\"var\":\"therapies_ever\",\"has\":16}},"
	    "{\"not\":{\"var\":\"therapies_ever\",\"has\":15}}]}"));

	g = group(p1, "kratom_current_vs_never");
	CHECK(same(json_object_get(g, "b"), "{\"var\":\"kratom_use\",\"eq\":0}"));
	g = group(p1, "any_opioid_vs_none");
	CHECK(same(json_object_get(g, "a"), "{\"any\":["
	    "{\"var\":\"opioid_use\",\"ge\":1},"
	    "{\"var\":\"tramadol_use\",\"ge\":1}]}"));

	json_decref(p2);
	json_decref(p1);
	form_free(v2);
	form_free(v1);
	return test_done();
}
