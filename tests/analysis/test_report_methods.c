/*
 * The plan's paired comparisons, k-group factors and strata end to end
 * (gate form, about 3,000 respondents from 288 weighted rows): a paired
 * comparison is published with its paired t-test and signed-rank figures,
 * equal to the statistics library's on the same pairs, and joins the
 * Holm/BH family; a factor on age_band adds one comparison per pair of
 * its 4 levels and, per outcome, Welch's and the classic ANOVA and
 * Kruskal-Wallis (pain) or the table's test and Cramer's V (flare); the
 * binary outcome is compared within the strata of sex (Mantel-Haenszel).
 * Every new row carries the non-causal note, in JSON and in the CSV
 * files. A paired comparison whose pairs are fewer by 0 < n < k than
 * one answer's respondents is not shown.
 */
#include "data/report_helpers.h"
#include "report.h"
#include "stats.h"

#define GATE_FORM "tests/analysis/data/gate_form.json"

/* The rows: every (sex, age, pain, flare, kratom) pattern, weighted. */
static size_t
make_csv(char *buf, size_t cap, double *px, double *py, size_t *npairs)
{
	size_t n = 0, np = 0, row = 0;

	n += (size_t)snprintf(buf + n, cap - n,
	    "sex,age_band,pain,flare,kratom_use,w\n");
	for (int sex = 1; sex <= 2; sex++)
		for (int age = 1; age <= 4; age++)
			for (int pain = 0; pain <= 10; pain += 2)
				for (int flare = 0; flare <= 1; flare++)
					for (int kr = 0; kr <= 2; kr++) {
						int w = 8 + (int)((row * 7 + (size_t)(pain * age)) % 5) +
						    (flare && pain > 5 ? 3 : 0) + (kr == 2 ? age : 0);
						row++;
						n += (size_t)snprintf(buf + n, cap - n,
						    "%d,%d,%d,%d,%d,%d\n", sex, age, pain, flare, kr, w);
						for (int i = 0; i < w && px != NULL; i++) {
							px[np] = pain;
							py[np++] = kr;
						}
					}
	if (npairs)
		*npairs = np;
	return n;
}

static json_t *
run(const char *dir, const char *name, double *px, double *py, size_t *np,
    char *out, size_t outsz)
{
	static const char plan[] =
	    "{\"outcomes\": [\"pain\", \"flare\"],"
	    " \"groups\": [{\"name\": \"kr\", \"a\": {\"var\": \"kratom_use\","
	    " \"eq\": 2}, \"b\": {\"var\": \"kratom_use\", \"eq\": 0}}],"
	    " \"paired\": [{\"name\": \"pain_kratom\", \"x\": \"pain\","
	    " \"y\": \"kratom_use\"}],"
	    " \"factors\": [{\"name\": \"age\", \"var\": \"age_band\"}],"
	    " \"strata\": [\"sex\"], \"correlations\": false}";
	static char csv[1 << 16];
	char path[2048], db[1024], pl[1024], sub[64];
	char *form = src(GATE_FORM), *o = NULL, *e = NULL;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	snprintf(db, sizeof(db), "%s/%s.db", dir, name);
	snprintf(pl, sizeof(pl), "%s/%s.json", dir, name);
	size_t len = make_csv(csv, sizeof(csv), px, py, np);
	CHECK(test_write_file(path, csv, len) == 0);
	CHECK(test_write_file(pl, plan, strlen(plan)) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", path, "--weight", "w", (char *)NULL), 0);
	if (e != NULL && e[0] != '\0')
		fprintf(stderr, "%s", e);
	free(o);
	free(e);
	o = e = NULL;
	snprintf(sub, sizeof(sub), "out_%s", name);
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	CHECK_INT(run_analysis(&o, &e, "report", "--db", db, "--form", form,
	    "--out", path, "--plan", pl, "--no-ledger", (char *)NULL), 0);
	if (e != NULL && e[0] != '\0')
		fprintf(stderr, "%s", e);
	free(o);
	free(e);
	free(form);
	snprintf(out, outsz, "%s", path);
	j = load_json(path, "report.json");
	return j;
}

/* Does o carry the sentence note? */
static int
has_note(json_t *o, const char *note)
{
	const char *n = json_string_value(json_object_get(o, "note"));
	return n != NULL && strcmp(n, note) == 0;
}

int
main(void)
{
	static double px[8000], py[8000];
	char dir[512], out[2048], path[4096];
	size_t np = 0;
	json_t *j, *a, *e;
	size_t i;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	j = run(dir, "full", px, py, &np, out, sizeof(out));
	CHECK(j != NULL);
	if (j == NULL)
		return test_done();

	/* Paired: the library's numbers on the same pairs. */
	struct stats_paired_t t;
	struct stats_signrank w;
	CHECK_INT(stats_paired_t(px, py, np, &t), STATS_RC_OK);
	CHECK_INT(stats_signed_rank(px, py, np, &w), STATS_RC_OK);
	a = json_object_get(j, "paired");
	CHECK(json_array_size(a) == 1);
	e = json_array_get(a, 0);
	if (e != NULL) {
		json_t *pt = json_object_get(e, "paired_t");
		json_t *sr = json_object_get(e, "signed_rank");
		CHECK(json_string_value(json_object_get(e, "status")) != NULL &&
		    strcmp(json_string_value(json_object_get(e, "status")),
		    "ok") == 0);
		CHECK(has_note(e, REPORT_NOTE_PAIRED));
		CHECK(jget(e, "n") == (double)np);
		CHECK_NEAR(jget(pt, "difference"), t.diff, 1e-13);
		CHECK_NEAR(jget(pt, "ci_lo"), t.ci_lo, 1e-13);
		CHECK_NEAR(jget(pt, "t"), t.t, 1e-13);
		CHECK_NEAR(jget(e, "p"), t.p, 1e-13);
		CHECK_NEAR(jget(sr, "v"), w.v, 1e-13);
		CHECK_NEAR(jget(sr, "pseudomedian"), w.est, 1e-13);
		CHECK(json_is_number(json_object_get(e, "p_holm")));
	}

	/* The factor: 6 pairs of levels per outcome, plus the k-group tests. */
	size_t age_cmps = 0;
	json_array_foreach(json_object_get(j, "comparisons"), i, e) {
		const char *g = json_string_value(json_object_get(e, "group"));
		if (g != NULL && strncmp(g, "age_", 4) == 0)
			age_cmps++;
	}
	CHECK_INT(age_cmps, 12);
	CHECK(find_by(json_object_get(j, "groups"), "name", "age_1_vs_4", NULL,
	    NULL) != NULL);
	a = json_object_get(j, "factor_tests");
	CHECK(json_array_size(a) == 2);
	e = find_by(a, "factor", "age", "outcome", "pain");
	if (e != NULL) {
		const char *pt = json_string_value(json_object_get(e, "p_test"));
		CHECK(pt != NULL && strcmp(pt, "Welch's one-way ANOVA") == 0);
		CHECK(jget(e, "levels") == 4);
		CHECK(jget(json_object_get(e, "anova"), "df1") == 3);
		CHECK(json_is_number(json_object_get(json_object_get(e,
		    "kruskal_wallis"), "p")));
		CHECK(jget(json_object_get(e, "welch_anova"), "p") == jget(e, "p"));
		CHECK(has_note(e, REPORT_NOTE_ANSWERS));
	} else {
		CHECK(!"no factor test for pain");
	}
	e = find_by(a, "factor", "age", "outcome", "flare");
	if (e != NULL) {
		CHECK(jget(json_object_get(e, "chisq"), "df") == 3);
		CHECK(jget(e, "cramer_v") >= 0 && jget(e, "cramer_v") < 1);
	} else {
		CHECK(!"no factor test for flare");
	}

	/* Strata: flare within sex, for every group (kr and the 6 pairs). */
	a = json_object_get(j, "stratified");
	CHECK(json_array_size(a) == 7);
	e = find_by(a, "group", "kr", "outcome", "flare");
	if (e != NULL) {
		const char *st = json_string_value(json_object_get(e, "status"));
		CHECK(st != NULL && strcmp(st, "ok") == 0);
		CHECK(jget(e, "strata") == 2);
		CHECK(jget(e, "odds_ratio") > 0);
		CHECK(json_is_number(json_object_get(e, "p_holm")));
		CHECK(has_note(e, REPORT_NOTE));
	} else {
		CHECK(!"no stratified comparison for kr");
	}
	json_decref(j);
	static const char *const files[] = {"paired.csv", "factors.csv",
	    "stratified.csv"};
	static const char *const notes[] = {REPORT_NOTE_PAIRED,
	    REPORT_NOTE_ANSWERS, REPORT_NOTE};
	for (i = 0; i < 3; i++) {
		size_t len;
		char *s;
		snprintf(path, sizeof(path), "%s/%s", out, files[i]);
		s = test_read_file(path, &len);
		CHECK(s != NULL && strstr(s, notes[i]) != NULL);
		free(s);
	}

	/* One respondent more answered pain than both: not shown. */
	static const char csv[] = "grp,pain,uses_x,weight,n\n"
	    "1,3,0,70.5,20\n1,6,0,80,20\n2,4,0,65,20\n2,7,0,,1\n";
	static const char plan[] = "{\"outcomes\": [\"pain\"], \"paired\":"
	    " [{\"name\": \"pw\", \"x\": \"pain\", \"y\": \"weight\"}]}";
	char db[1024], pl[1024], *form = src(SMALL_FORM), *o = NULL, *er = NULL;
	snprintf(path, sizeof(path), "%s/skip.csv", dir);
	snprintf(db, sizeof(db), "%s/skip.db", dir);
	snprintf(pl, sizeof(pl), "%s/skip.json", dir);
	CHECK(test_write_file(path, csv, strlen(csv)) == 0);
	CHECK(test_write_file(pl, plan, strlen(plan)) == 0);
	CHECK_INT(run_analysis(&o, &er, "import", "--form", form, "--db", db,
	    "--csv", path, "--weight", "n", (char *)NULL), 0);
	CHECK_INT(report_into(dir, "out_skip", db, SMALL_FORM, pl, out,
	    sizeof(out)), 0);
	j = load_json(out, "report.json");
	e = j ? json_array_get(json_object_get(j, "paired"), 0) : NULL;
	CHECK(e != NULL && jget(e, "n") == 60);
	CHECK(e != NULL && strncmp(json_string_value(json_object_get(e,
	    "status")), "not shown", 9) == 0);
	CHECK(e != NULL && json_object_get(e, "paired_t") == NULL);
	json_decref(j);
	free(o);
	free(er);
	free(form);
	return test_done();
}
