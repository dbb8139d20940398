/*
 * Rows per form version are counts of respondents: 40 answers collected
 * under version 1 of tests/forms/data/versions and one under version 2
 * (the one person who answered after the form changed). The report
 * (k = 10) must not print that one: its provenance lists no rows per
 * version, "rows of another form version" is null, and the withheld list
 * says why. With 40 rows under each version both counts are published.
 */
#include "data/report_helpers.h"

static void
write_csv(const char *path, int v, int nrows)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		return;
	fputs(v == 1 ? "period,pain,freq,mood,symptoms\n" :
	    "period,pain_avg,freq,stiff,symptoms\n", fp);
	for (int i = 0; i < nrows; i++)
		fprintf(fp, "2026-11-01,%d,%d,%d,%d\n", i % 11, 1 + i % 3,
		    (i * 7) % 11, 1 + i % 3);
	fclose(fp);
}

/* Import nv2 rows of version 2 after 40 of version 1; report.json. */
static json_t *
run_case(const char *dir, const char *name, int nv2)
{
	char v1[1024], v2[1024], db[1200], c1[1200], c2[1200], out[1200];
	char *o = NULL, *e = NULL;
	json_t *m;

	test_src_path("tests/forms/data/versions/v1.json", v1, sizeof(v1));
	test_src_path("tests/forms/data/versions/v2.json", v2, sizeof(v2));
	snprintf(db, sizeof(db), "%s/%s.db", dir, name);
	snprintf(c1, sizeof(c1), "%s/%s-1.csv", dir, name);
	snprintf(c2, sizeof(c2), "%s/%s-2.csv", dir, name);
	snprintf(out, sizeof(out), "%s/%s", dir, name);
	write_csv(c1, 1, 40);
	write_csv(c2, 2, nv2);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", v1, "--db", db,
	    "--csv", c1, (char *)NULL), 0);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", v2, "--db", db,
	    "--csv", c2, (char *)NULL), 0);
	if (e != NULL && e[0] != '\0')
		fprintf(stderr, "%s", e);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "report", "--db", db, "--form", v2,
	    "--out", out, "--k", "10", "--no-ledger", (char *)NULL), 0);
	free(o);
	free(e);
	m = load_json(out, "report.json");
	CHECK(m != NULL);
	return m;
}

int
main(void)
{
	char dir[512];
	json_t *m, *data, *w;
	size_t i;
	int noted = 0;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	if ((m = run_case(dir, "one", 1)) != NULL) {
		data = json_object_get(json_object_get(m, "header"), "data");
		CHECK_INT(json_array_size(json_object_get(data,
		    "form_versions")), 0);
		CHECK(json_is_null(json_object_get(data,
		    "rows_other_form_version")));
		json_array_foreach(json_object_get(m, "withheld"), i, w)
			noted |= strstr(json_string_value(json_object_get(w,
			    "what")), "rows per form version") != NULL;
		CHECK(noted);
		json_decref(m);
	}
	if ((m = run_case(dir, "forty", 40)) != NULL) {
		data = json_object_get(json_object_get(m, "header"), "data");
		CHECK_INT(json_array_size(json_object_get(data,
		    "form_versions")), 2);
		CHECK_INT(json_integer_value(json_object_get(data,
		    "rows_other_form_version")), 40);
		json_decref(m);
	}
	test_rmtree(dir);
	return test_done();
}
