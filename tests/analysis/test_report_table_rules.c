/*
 * The report applies the statistics library's rules end to end (small
 * form, 75 respondents imported from 6 weighted rows): an outcome nobody
 * reported (a 2 x 2 table with a zero column) gets Fisher's exact test
 * with p = 1, so it keeps its place in the Holm and BH family (p_holm and
 * p_bh are published for it, and the family has both comparisons); a
 * covariate that is constant among the complete cases is left out of the
 * adjusted model as R's lm() leaves it out, named in dropped_collinear in
 * JSON and CSV, and the group's coefficient is still estimated.
 */
#include "data/report_helpers.h"

int
main(void)
{
	static const char csv[] =
	    "grp,pain,uses_x,weight,n\n"
	    "1,3,0,70,12\n"
	    "1,5,0,70,15\n"
	    "1,7,0,70,11\n"
	    "2,4,0,70,13\n"
	    "2,6,0,70,14\n"
	    "2,8,0,70,10\n";
	static const char plan[] =
	    "{\"outcomes\": [\"pain\", \"uses_x\"],\n"
	    " \"groups\": [{\"name\": \"g12\", \"a\": {\"var\": \"grp\", \"eq\": 1},\n"
	    "              \"b\": {\"var\": \"grp\", \"eq\": 2}}],\n"
	    " \"covariates\": [\"weight\"], \"correlations\": false}\n";
	char dir[512], path[2048], db[1024], pl[1024], out[1024];
	char *form = src(SMALL_FORM), *o = NULL, *e = NULL;
	json_t *j = NULL;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(path, sizeof(path), "%s/rows.csv", dir);
	snprintf(db, sizeof(db), "%s/r.db", dir);
	snprintf(pl, sizeof(pl), "%s/plan.json", dir);
	CHECK(test_write_file(path, csv, strlen(csv)) == 0);
	CHECK(test_write_file(pl, plan, strlen(plan)) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", path, "--weight", "n", (char *)NULL), 0);
	CHECK_INT(report_into(dir, "out", db, SMALL_FORM, pl, out,
	    sizeof(out)), 0);
	if ((j = load_json(out, "report.json")) != NULL) {
		json_t *cmps = json_object_get(j, "comparisons");
		json_t *ux = find_by(cmps, "group", "g12", "outcome", "uses_x");
		json_t *pn = find_by(cmps, "group", "g12", "outcome", "pain");
		CHECK(ux != NULL && pn != NULL);
		if (ux != NULL) {
			const char *t = json_string_value(json_object_get(ux,
			    "p_test"));
			CHECK(t != NULL && strcmp(t, "Fisher's exact test") == 0);
			CHECK(jget(ux, "p") == 1.0);
			CHECK(jget(ux, "p_holm") == 1.0);
			CHECK(jget(ux, "p_bh") == 1.0);
		}
		if (pn != NULL && ux != NULL) {
			/* Two tests in the family: Holm doubles the smaller p. */
			double p = jget(pn, "p"), ph = jget(pn, "p_holm");
			CHECK(p > 0 && p < 0.5);
			CHECK_NEAR(ph, 2 * p, 1e-12);
		}
		json_t *adj = find_by(json_object_get(j, "adjusted"), "group",
		    "g12", "outcome", "pain");
		CHECK(adj != NULL);
		if (adj != NULL) {
			const char *st = json_string_value(json_object_get(adj,
			    "status"));
			const char *dr = json_string_value(json_object_get(adj,
			    "dropped_collinear"));
			CHECK(st != NULL && strcmp(st, "ok") == 0);
			CHECK(dr != NULL && strcmp(dr, "weight") == 0);
			/* The crude difference: no covariate is left in. */
			json_t *w = json_object_get(pn, "welch");
			CHECK(w != NULL && fabs(jget(adj, "estimate") -
			    jget(w, "difference")) < 1e-9);
		}
		json_decref(j);
	}
	char *adjcsv = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/adjusted.csv", out);
	adjcsv = test_read_file(path, &len);
	CHECK(adjcsv != NULL && strstr(adjcsv, "dropped_collinear") != NULL);
	free(adjcsv);
	free(o);
	free(e);
	free(form);
	return test_done();
}
