/*
 * The plan keys for paired comparisons, k-group factors and strata
 * (docs/plans.md): a plan with all three loads, with the variables,
 * levels (the form's codes but the missing ones when none are listed)
 * and strata it names, and one group per pair of a factor's levels; a
 * plan with a problem in each of them
 * reports every problem in one run, each at its JSON path (x not
 * numeric, x equal to y, a duplicate name, a factor on a numeric
 * variable, a level that is not a code, a missing code as a level, one
 * level only, a numeric stratum, an unknown key inside an entry).
 */
#include "data/report_helpers.h"
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
	static const char good[] = "{\"outcomes\": [\"pain\", \"uses_x\"],"
	    " \"paired\": [{\"name\": \"pain_weight\", \"label\": \"Pain vs "
	    "weight\", \"x\": \"pain\", \"y\": \"weight\"}],"
	    " \"factors\": [{\"name\": \"by_grp\", \"var\": \"grp\"},"
	    " {\"name\": \"by_freq\", \"var\": \"x_freq\", \"levels\": [2, 1]}],"
	    " \"strata\": [\"grp\"]}";
	static const char bad[] = "{\"outcomes\": [\"pain\"],"
	    " \"paired\": [{\"name\": \"a\", \"x\": \"grp\", \"y\": \"pain\"},"
	    " {\"name\": \"a\", \"x\": \"pain\", \"y\": \"pain\", \"z\": 1}],"
	    " \"factors\": [{\"name\": \"f1\", \"var\": \"pain\"},"
	    " {\"name\": \"f2\", \"var\": \"grp\", \"levels\": [1, 7, 99]},"
	    " {\"name\": \"f3\", \"var\": \"grp\", \"levels\": [1]}],"
	    " \"strata\": [\"pain\", \"nope\"]}";
	char *path = src(SMALL_FORM);
	struct form *f = NULL;
	struct plan *p = NULL;
	struct diag dg;

	diag_init(&dg);
	CHECK(form_load(path, &f, &dg) == 0);
	if (f == NULL)
		return test_done();
	CHECK(plan_load_buffer("g.json", good, sizeof(good) - 1, f, &p, &dg) ==
	    0);
	diag_print(&dg, stderr);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_INT(p->npaired, 1);
		CHECK_STR(p->paired[0].name, "pain_weight");
		CHECK_STR(p->paired[0].label, "Pain vs weight");
		CHECK_INT(p->paired[0].x, form_var_find(f, "pain"));
		CHECK_INT(p->paired[0].y, form_var_find(f, "weight"));
		CHECK_INT(p->nfactors, 2);
		CHECK_INT(p->factors[0].ivar, form_var_find(f, "grp"));
		/* grp's codes but the missing 99, in form order. */
		CHECK_INT(p->factors[0].nlevels, 2);
		CHECK(p->factors[0].levels[0] == 1 && p->factors[0].levels[1] == 2);
		CHECK_INT(p->factors[1].nlevels, 2);
		CHECK(p->factors[1].levels[0] == 2 && p->factors[1].levels[1] == 1);
		/* One group per pair of levels, after the plan's (none). */
		CHECK_INT(p->ngroups, 2);
		CHECK_STR(p->groups[0].name, "by_grp_1_vs_2");
		CHECK_STR(p->groups[0].label, "Which group?: One vs Two");
		CHECK_STR(p->groups[0].a_label, "One");
		CHECK_STR(p->groups[1].name, "by_freq_2_vs_1");
		CHECK_STR(p->groups[1].b_label, "Daily");
		CHECK(p->groups[1].from_factor && p->groups[1].factor == 1 &&
		    p->groups[1].la == 0 && p->groups[1].lb == 1);
		CHECK_INT(p->nstrata, 1);
		CHECK_INT(p->strata[0], form_var_find(f, "grp"));
	}
	plan_free(p);
	p = NULL;
	diag_clear(&dg);
	CHECK(plan_load_buffer("b.json", bad, sizeof(bad) - 1, f, &p, &dg) ==
	    -1);
	CHECK(p == NULL);
	CHECK(has_problem(&dg, "b.json: paired[0].x", "not numeric"));
	CHECK(has_problem(&dg, "b.json: paired[1].name", "duplicate"));
	CHECK(has_problem(&dg, "b.json: paired[1].y", "two different"));
	CHECK(has_problem(&dg, "b.json: paired[1].z", "unknown key"));
	CHECK(has_problem(&dg, "b.json: factors[0].var", "not categorical"));
	CHECK(has_problem(&dg, "b.json: factors[1].levels[1]", "not a code"));
	CHECK(has_problem(&dg, "b.json: factors[1].levels[2]", "missing code"));
	CHECK(has_problem(&dg, "b.json: factors[2].levels", "2 to 8"));
	CHECK(has_problem(&dg, "b.json: strata[0]", "not categorical"));
	CHECK(has_problem(&dg, "b.json: strata[1]", "unknown variable"));
	CHECK_INT(dg.total, 10);
	plan_free(p);
	form_free(f);
	diag_free(&dg);
	free(path);
	return test_done();
}
