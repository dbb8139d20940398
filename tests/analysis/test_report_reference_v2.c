/*
 * The default plan on version 2 of the default survey, against R: the v2
 * fixture (tests/analysis/data/report_fixture_v2.csv, of the form kept as
 * report_form_v2.json) is imported and reported with the default plan,
 * whose "never" sides are "not ticked in therapies_ever" (the use
 * questions are asked only of those who ticked the therapy). Each of the
 * three groups' comparisons of peg and phq8 (sizes, Welch difference,
 * interval, t, df, p, Mann-Whitney W and p) must match
 * tests/reference/report_v2.R's values (report_reference_v2.json), 1e-9
 * relative. With the version 1 definition (kratom_use = 0) the never
 * sides would be empty and every comparison missing.
 */
#include "data/report_helpers.h"

#define REL 1e-9
#define V2_FORM "tests/analysis/data/report_form_v2.json"
#define V2_CSV "tests/analysis/data/report_fixture_v2.csv"

static void
check_cmp(json_t *cmps, json_t *ref, const char *group, const char *outcome)
{
	char key[128];
	json_t *c, *r, *w, *mw;

	snprintf(key, sizeof(key), "%s/%s", group, outcome);
	c = find_by(cmps, "group", group, "outcome", outcome);
	r = json_object_get(ref, key);
	if (c == NULL || r == NULL)
		fprintf(stderr, "%s: %s\n", key, c == NULL ? "not in the "
		    "report" : "not in the reference");
	CHECK(c != NULL && r != NULL);
	if (c == NULL || r == NULL)
		return;
	w = json_object_get(c, "welch");
	mw = json_object_get(c, "mann_whitney");
	CHECK(w != NULL && mw != NULL);
	if (w == NULL || mw == NULL) {
		fprintf(stderr, "%s: no welch or mann_whitney\n", key);
		return;
	}
	CHECK_INT(json_integer_value(json_object_get(c, "n_a")),
	    json_integer_value(json_object_get(r, "n_a")));
	CHECK_INT(json_integer_value(json_object_get(c, "n_b")),
	    json_integer_value(json_object_get(r, "n_b")));
	CHECK_NEAR(jget(w, "difference"), jget(r, "difference"), REL);
	CHECK_NEAR(jget(w, "ci_lo"), jget(r, "ci_lo"), REL);
	CHECK_NEAR(jget(w, "ci_hi"), jget(r, "ci_hi"), REL);
	CHECK_NEAR(jget(w, "t"), jget(r, "t"), REL);
	CHECK_NEAR(jget(w, "df"), jget(r, "df"), REL);
	CHECK_NEAR(jget(w, "p"), jget(r, "p"), REL);
	CHECK_NEAR(jget(mw, "w"), jget(r, "mw_w"), REL);
	CHECK_NEAR(jget(mw, "p"), jget(r, "mw_p"), REL);
}

int
main(void)
{
	static const char *const groups[] = {"kratom_current_vs_never",
	    "any_opioid_vs_none", "cannabis_current_vs_never"};
	char dir[512], db[1024], out[1024], *refp = src(
	    "tests/analysis/data/report_reference_v2.json");
	json_t *m, *ref;
	json_error_t e;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "v2.db", V2_FORM, V2_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "rep", db, V2_FORM, NULL, out,
	    sizeof(out)), 0);
	m = load_json(out, "report.json");
	ref = json_load_file(refp, 0, &e);
	CHECK(m != NULL && ref != NULL);
	if (m == NULL || ref == NULL)
		return test_done();
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		check_cmp(json_object_get(m, "comparisons"), ref, groups[i],
		    "peg");
		check_cmp(json_object_get(m, "comparisons"), ref, groups[i],
		    "phq8");
	}
	json_decref(m);
	json_decref(ref);
	free(refp);
	test_rmtree(dir);
	return test_done();
}
