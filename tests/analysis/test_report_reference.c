/*
 * The report's numbers match R: the fixture CSV is imported, the default
 * plan is run, and a few descriptives (peg, peg_pain, phq8) and the Welch
 * comparison of peg between current and never kratom users are compared
 * with tests/reference/report.R's values (committed as
 * tests/analysis/data/report_reference.json), 1e-9 relative. The
 * minimum and maximum may be withheld (null) when the histogram bin that
 * holds them is suppressed; when shown they must match. The publication
 * gate may round a mean and SD (rounded_to_decimals): they must then
 * equal R's value rounded to those decimals, and the interval is the one
 * computed from them.
 */
#include "data/report_helpers.h"

#define REL 1e-9

static void
check_desc(json_t *vars, json_t *ref, const char *var)
{
	json_t *v = find_by(vars, "variable", var, NULL, NULL);
	json_t *r = json_object_get(ref, var);
	json_t *s = json_object_get(v, "summary");
	static const char *const keys[] = {"mean", "sd", "ci_lo", "ci_hi",
	    "q1", "median", "q3", "min", "max", NULL};

	CHECK(v != NULL && r != NULL && s != NULL);
	if (v == NULL || r == NULL || s == NULL)
		return;
	CHECK_INT(json_integer_value(json_object_get(v, "n")),
	    json_integer_value(json_object_get(r, "n")));
	for (size_t i = 0; keys[i]; i++) {
		json_t *dp = json_object_get(s, "rounded_to_decimals");
		double want = jget(r, keys[i]);
		/* min and max are withheld when their histogram bin is. */
		if ((strcmp(keys[i], "min") == 0 || strcmp(keys[i], "max") ==
		    0) && json_is_null(json_object_get(s, keys[i])))
			continue;
		if (dp != NULL && i < 4) {
			double sc = pow(10.0, (double)json_integer_value(dp));
			if (i >= 2) /* the interval: from the rounded figures */
				continue;
			want = round(want * sc) / sc;
		}
		if (fabs(jget(s, keys[i]) - want) > REL * fmax(fabs(want),
		    1e-300))
			fprintf(stderr, "%s.%s\n", var, keys[i]);
		CHECK_NEAR(jget(s, keys[i]), want, REL);
	}
}

int
main(void)
{
	char dir[512], db[1024], out[1024], *refp = src(
	    "tests/analysis/data/report_reference.json");
	json_t *m, *ref, *c, *w, *r, *mw;
	json_error_t e;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, NULL, out,
	    sizeof(out)), 0);
	m = load_json(out, "report.json");
	ref = json_load_file(refp, 0, &e);
	CHECK(m != NULL && ref != NULL);
	if (m == NULL || ref == NULL)
		return test_done();
	check_desc(json_object_get(m, "variables"), ref, "peg");
	check_desc(json_object_get(m, "variables"), ref, "peg_pain");
	check_desc(json_object_get(m, "variables"), ref, "phq8");

	c = find_by(json_object_get(m, "comparisons"), "group",
	    "kratom_current_vs_never", "outcome", "peg");
	r = json_object_get(ref, "welch_peg_kratom");
	CHECK(c != NULL && r != NULL);
	if (c != NULL && r != NULL) {
		w = json_object_get(c, "welch");
		mw = json_object_get(c, "mann_whitney");
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
	json_decref(m);
	json_decref(ref);
	free(refp);
	test_rmtree(dir);
	return test_done();
}
