/*
 * The plan loader reports every problem with the file name and the JSON
 * path, not only the first: an unknown variable among the outcomes, a
 * condition with two operators, a "has" on a single choice, a bad group
 * name, a covariate coding, k below 5, an unknown multiplicity method and
 * an unknown key. A good plan loads, and its conditions evaluate.
 */
#include "data/report_helpers.h"
#include "dataset.h"
#include "plan.h"

static int
has_problem(const struct diag *d, const char *where, const char *what)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->a[i].where, where) == 0 &&
		    strstr(d->a[i].what, what) != NULL)
			return 1;
	fprintf(stderr, "missing problem %s: %s\n", where, what);
	return 0;
}

int
main(void)
{
	static const char bad[] = "{\"outcomes\": [\"pain\", \"nope\"],"
	    " \"groups\": [{\"name\": \"Bad Name\", \"a\": {\"var\": \"grp\","
	    " \"eq\": 1, \"ne\": 2}, \"b\": {\"var\": \"grp\", \"has\": 1}}],"
	    " \"covariates\": [{\"var\": \"grp\", \"coding\": \"ordinal\"}],"
	    " \"k\": 3, \"multiplicity\": \"bonferroni\", \"colour\": 1}";
	static const char good[] = "{\"outcomes\": [\"pain\", \"high\"],"
	    " \"groups\": [{\"name\": \"x_users\", \"a\": {\"all\": ["
	    "{\"var\": \"uses_x\", \"eq\": 1}, {\"var\": \"grp\", \"in\": [1, 2]}]},"
	    " \"b\": {\"not\": {\"var\": \"uses_x\", \"eq\": 1}}}], \"k\": 12,"
	    " \"multiplicity\": \"BH\"}";
	char *path = src(SMALL_FORM);
	struct form *f = NULL;
	struct plan *p = NULL;
	struct dataset *d;
	struct form_answers *a;
	struct diag dg;
	const char *err;
	const char *v1 = "1", *v99 = "99";

	diag_init(&dg);
	CHECK(form_load(path, &f, &dg) == 0);
	if (f == NULL)
		return test_done();
	CHECK(plan_load_buffer("p.json", bad, sizeof(bad) - 1, f, &p, &dg) ==
	    -1);
	CHECK(p == NULL);
	CHECK(has_problem(&dg, "p.json: outcomes[1]", "unknown variable"));
	CHECK(has_problem(&dg, "p.json: groups[0].name", "must be a name"));
	CHECK(has_problem(&dg, "p.json: groups[0].a", "exactly one of"));
	CHECK(has_problem(&dg, "p.json: groups[0].b.has",
	    "needs a multiple-choice"));
	CHECK(has_problem(&dg, "p.json: covariates[0].coding", "numeric"));
	CHECK(has_problem(&dg, "p.json: k", "from 5"));
	CHECK(has_problem(&dg, "p.json: multiplicity", "holm"));
	CHECK(has_problem(&dg, "p.json: colour", "unknown key"));
	diag_clear(&dg);

	CHECK(plan_load_buffer("g.json", good, sizeof(good) - 1, f, &p, &dg) ==
	    0);
	if (p != NULL) {
		CHECK_INT(p->noutcomes, 2);
		CHECK_INT(p->k, 12);
		CHECK_INT(p->padj, PLAN_BH);
		d = dataset_new(f, 4);
		a = form_answers_new(f);
		CHECK(d != NULL && a != NULL);
		/* Row 0: uses_x 1, grp 1 -> a; row 1: grp 99 (missing) -> unknown. */
		form_value_parse(f, (size_t)form_var_find(f, "uses_x"), &v1, 1,
		    &a->v[form_var_find(f, "uses_x")], &err);
		form_value_parse(f, (size_t)form_var_find(f, "grp"), &v1, 1,
		    &a->v[form_var_find(f, "grp")], &err);
		CHECK(dataset_append(d, a) == 0);
		form_value_parse(f, (size_t)form_var_find(f, "grp"), &v99, 1,
		    &a->v[form_var_find(f, "grp")], &err);
		CHECK(dataset_append(d, a) == 0);
		CHECK_INT(plan_cond_eval(p->groups[0].a, d, 0), FORM_TRUE);
		CHECK_INT(plan_cond_eval(p->groups[0].b, d, 0), FORM_FALSE);
		CHECK_INT(plan_cond_eval(p->groups[0].a, d, 1), FORM_UNKNOWN);
		form_answers_free(a);
		dataset_free(d);
	}
	plan_free(p);
	form_free(f);
	diag_free(&dg);
	free(path);
	return test_done();
}
