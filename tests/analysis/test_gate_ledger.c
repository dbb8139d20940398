/*
 * The release ledger refuses trackers across reports: on the same data,
 * plan A publishes group pain_hi (pain >= 7, 43 respondents); plan B's
 * group differs from it by one respondent (pain >= 7 and sex not 3) and
 * is refused, naming release 1 (the report still writes, with that group
 * withheld). Plan A again is fine: the same membership. A private run
 * with --no-ledger neither reads nor writes the ledger and says "not for
 * publication" at the top of every format.
 */
#include "data/report_helpers.h"
#include "report.h"

#define GATE_FORM "tests/analysis/data/gate_form.json"

static size_t
generate(char *buf, size_t cap)
{
	static const int counts[11] = {3, 12, 12, 12, 12, 13, 13, 13, 13, 13,
	    4};
	size_t n = snprintf(buf, cap, "sex,age_band,pain,flare,kratom_use\r\n");
	int v = 0, left = counts[0];

	for (int i = 0; i < 120; i++) {
		while (left == 0)
			left = counts[++v];
		left--;
		n += (size_t)snprintf(buf + n, cap - n, "%d,%d,%d,%d,0\r\n",
		    i == 100 ? 3 : i % 8 == 3 ? 2 : 1, i % 4 + 1, v, i % 2);
	}
	return n;
}

static int
report(const char *dir, const char *sub, const char *db, const char *plan,
    int private_run, char *out, size_t outsz)
{
	char *form = src(GATE_FORM), *o = NULL, *e = NULL;
	int rc;

	snprintf(out, outsz, "%s/%s", dir, sub);
	if (private_run)
		rc = run_analysis(&o, &e, "report", "--db", db, "--form", form,
		    "--out", out, "--plan", plan, "--no-ledger", (char *)NULL);
	else
		rc = run_analysis(&o, &e, "report", "--db", db, "--form", form,
		    "--out", out, "--plan", plan, (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "report: %s\n", e ? e : "");
	free(form);
	free(o);
	free(e);
	return rc;
}

int
main(void)
{
	static const char plan_a[] = "{\"outcomes\": [\"pain\"], \"groups\": "
	    "[{\"name\": \"pain_hi\", \"a\": {\"var\": \"pain\", \"ge\": 7}, "
	    "\"b\": {\"var\": \"pain\", \"le\": 6}}], \"correlations\": false}";
	static const char plan_b[] = "{\"outcomes\": [\"pain\"], \"groups\": "
	    "[{\"name\": \"pain_hi_x\", \"a\": {\"all\": [{\"var\": \"pain\", "
	    "\"ge\": 7}, {\"var\": \"sex\", \"ne\": 3}]}, \"b\": {\"not\": "
	    "{\"all\": [{\"var\": \"pain\", \"ge\": 7}, {\"var\": \"sex\", "
	    "\"ne\": 3}]}}}], \"correlations\": false}";
	static char data[8192];
	char dir[512], csv[1024], pa[1024], pb[1024], db[1024], out[1024];
	char p[1200], *form = src(GATE_FORM), *o = NULL, *e = NULL, *s;
	size_t n, len;
	json_t *m, *g;
	const char *w;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	n = generate(data, sizeof(data));
	snprintf(csv, sizeof(csv), "%s/d.csv", dir);
	snprintf(pa, sizeof(pa), "%s/a.json", dir);
	snprintf(pb, sizeof(pb), "%s/b.json", dir);
	snprintf(db, sizeof(db), "%s/g.db", dir);
	CHECK(test_write_file(csv, data, n) == 0);
	CHECK(test_write_file(pa, plan_a, strlen(plan_a)) == 0);
	CHECK(test_write_file(pb, plan_b, strlen(plan_b)) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL), 0);

	CHECK_INT(report(dir, "a", db, pa, 0, out, sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK_INT(json_integer_value(json_object_get(g, "n_a")), 43);
	CHECK(json_object_get(json_object_get(m, "header"), "publication") ==
	    NULL);
	json_decref(m);

	CHECK_INT(report(dir, "b", db, pb, 0, out, sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK(json_is_null(json_object_get(g, "n_a")));
	w = json_string_value(json_object_get(g, "withheld"));
	CHECK(w != NULL && strstr(w, "refused") != NULL &&
	    strstr(w, "pain_hi") != NULL && strstr(w, "release 1 of ") !=
	    NULL);
	json_decref(m);

	/* The same group again: nothing differs, nothing refused. */
	CHECK_INT(report(dir, "a2", db, pa, 0, out, sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK_INT(json_integer_value(json_object_get(g, "n_a")), 43);
	json_decref(m);

	/* A private run: no ledger, and it says so everywhere. */
	CHECK_INT(report(dir, "p", db, pb, 1, out, sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(m,
	    "header"), "publication")), REPORT_NOT_FOR_PUBLICATION);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK_INT(json_integer_value(json_object_get(g, "n_a")), 42);
	json_decref(m);
	snprintf(p, sizeof(p), "%s/report.html", out);
	CHECK((s = test_read_file(p, &len)) != NULL);
	CHECK(s != NULL && strstr(s, "not for publication") != NULL &&
	    strstr(s, "not for publication") < strstr(s, "<h1>"));
	free(s);
	snprintf(p, sizeof(p), "%s/withheld.csv", out);
	CHECK((s = test_read_file(p, &len)) != NULL);
	CHECK(s != NULL && strstr(s, "not for publication") != NULL);
	free(s);

	free(form);
	free(o);
	free(e);
	test_rmtree(dir);
	return test_done();
}
