/*
 * The Stata loader (load.do) of a row-level export, checked for structure
 * (Stata itself is not in Debian): it imports data.csv, labels every
 * column of the file, defines and attaches value labels, turns missing
 * codes into labelled extended missing values with mvdecode, quotes every
 * label with compound quotes and escapes $ and ` so no macro expands.
 */
#include "data/export_helpers.h"

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

int
main(void)
{
	char path[1024], dir[512], err[256], want[256];
	struct diag dg;
	struct form *f = NULL;
	struct dataset *d;
	/* Suppression only, so every variable keeps its own codes. */
	struct export_opts o = {5, 100, 0};
	struct csv_table t;
	char *dof;
	size_t len;

	diag_init(&dg);
	if (form_load(test_src_path(EXPORT_FORM, path, sizeof(path)), &f,
	    &dg) != 0) {
		diag_print(&dg, stderr);
		return 1;
	}
	diag_free(&dg);
	d = synth_dataset(f, 300, 3, 0);
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	CHECK(export_write(f, d, EXPORT_STATA, &o, dir, NULL, NULL, err,
	    sizeof(err)) == 0);
	snprintf(path, sizeof(path), "%s/load.do", dir);
	dof = test_read_file(path, &len);
	CHECK(dof != NULL);
	if (dof == NULL)
		return test_done();
	snprintf(path, sizeof(path), "%s/data.csv", dir);
	CHECK(csv_read_file(path, &t) == 0);

	CHECK(strstr(dof, "\nimport delimited using \"data.csv\", clear "
	    "varnames(1)") != NULL);
	CHECK(strstr(dof, "encoding(\"utf-8\")") != NULL);
	/* Every column of the file is labelled, nothing else is. */
	for (size_t c = 0; c < t.ncols[0]; c++) {
		snprintf(want, sizeof(want), "\nlabel variable %s `\"",
		    t.rows[0][c]);
		CHECK(strstr(dof, want) != NULL);
	}
	CHECK_INT(count(dof, "\nlabel variable "), t.ncols[0]);
	CHECK(strstr(dof, "notes") == NULL);
	/* Value labels: defined, attached, missing codes as .a, .b. */
	CHECK(strstr(dof, "\nlabel define sex ///\n    1 `\"Female\"' ///\n"
	    "    2 `\"Male\"' ///\n    3 `\"Another\"' ///\n"
	    "    .a `\"Prefer not to say\"'") != NULL);
	CHECK(strstr(dof, "\nlabel values sex sex\n") != NULL);
	CHECK(strstr(dof, "\nmvdecode sex, mv(99=.a") != NULL);
	CHECK(strstr(dof, "\nlabel define pain_band ///\n    0 `\"Low\"'") !=
	    NULL);
	CHECK(strstr(dof, "\nlabel values used used\n") != NULL);
	CHECK_INT(count(dof, "\nlabel define "), count(dof, ", replace\n"));
	CHECK_INT(count(dof, "\nlabel define "), count(dof, "\nlabel values "));
	/* Quoting: compound quotes balance; $ and ` are escaped. */
	CHECK_INT(count(dof, "`\""), count(dof, "\"'"));
	CHECK(strstr(dof, "Pain, last week (\\$ cost \\`x\\`)") != NULL);
	for (size_t i = 0; i < len; i++) {
		if (dof[i] == '`')
			CHECK(dof[i + 1] == '"' || (i > 0 && dof[i - 1] == '\\'));
		if (dof[i] == '$')
			CHECK(i > 0 && dof[i - 1] == '\\');
	}
	/* A label with a newline stays on one line. */
	CHECK(strstr(dof, "`\"Region, \"where\" you live now\"'") != NULL);

	if (test_failures > 0)
		fprintf(stderr, "%s", dof);
	csv_table_free(&t);
	free(dof);
	test_rmtree(dir);
	dataset_free(d);
	form_free(f);
	return test_done();
}
