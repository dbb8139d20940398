/*
 * Shared by the analysis command tests (test_report_*, test_import_*,
 * test_codebook_*, test_plan_*): run build/bin/analysis, build a fixture
 * database by importing a fixture CSV, read the JSON report.
 */
#ifndef CANDOR_TEST_REPORT_HELPERS_H
#define CANDOR_TEST_REPORT_HELPERS_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "testlib.h"

#define DEFAULT_FORM "forms/fibromyalgia-therapies.json"
/*
 * The report fixture (FIXTURE_CSV, tests/reference/report.R) is of version
 * 1 of the default survey, kept here as it was: the report tests check the
 * report on it, whatever the default survey becomes.
 */
#define REPORT_FORM "tests/analysis/data/report_form_v1.json"
#define SMALL_FORM "tests/analysis/data/small_form.json"
#define FIXTURE_CSV "tests/analysis/data/report_fixture.csv"

/* Run "analysis ARGS..." (NULL-terminated); status, output in *out, *err. */
static inline int
run_analysis(char **out, char **err, ...)
{
	char bin[1024];
	char *argv[32];
	size_t n = 0;
	va_list ap;

	argv[n++] = (char *)test_bin_path("analysis", bin, sizeof(bin));
	va_start(ap, err);
	while (n < 31 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return test_run(argv, out, err);
}

/* $CANDOR_SRC/rel in a new static-lifetime string. */
static inline char *
src(const char *rel)
{
	char buf[2048];
	return strdup(test_src_path(rel, buf, sizeof(buf)));
}

/* Import csv_rel (source-relative) for form_rel into dir/name; exits on error. */
static inline void
import_fixture(const char *dir, const char *name, const char *form_rel,
    const char *csv_rel, char *db, size_t dbsz)
{
	char *form = src(form_rel), *csv = src(csv_rel), *out = NULL,
	     *err = NULL;
	int rc;

	snprintf(db, dbsz, "%s/%s", dir, name);
	rc = run_analysis(&out, &err, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL);
	if (rc != 0) {
		fprintf(stderr, "fixture import failed (%d): %s\n", rc,
		    err ? err : "");
		exit(1);
	}
	free(form);
	free(csv);
	free(out);
	free(err);
}

/* Run a report into dir/sub with optional extra flags; returns status. */
static inline int
report_into(const char *dir, const char *sub, const char *db,
    const char *form_rel, const char *plan, char *outdir, size_t outsz)
{
	char *form = src(form_rel), *out = NULL, *err = NULL;
	int rc;

	snprintf(outdir, outsz, "%s/%s", dir, sub);
	if (plan != NULL)
		rc = run_analysis(&out, &err, "report", "--db", db, "--form",
		    form, "--out", outdir, "--plan", plan, (char *)NULL);
	else
		rc = run_analysis(&out, &err, "report", "--db", db, "--form",
		    form, "--out", outdir, (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "report failed (%d): %s\n", rc, err ? err : "");
	free(form);
	free(out);
	free(err);
	return rc;
}

static inline json_t *
load_json(const char *dir, const char *file)
{
	char path[2048];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((j = json_load_file(path, 0, &e)) == NULL)
		fprintf(stderr, "%s: %s\n", path, e.text);
	return j;
}

/* The element of array arr whose key k equals v (and k2 equals v2). */
static inline json_t *
find_by(json_t *arr, const char *k, const char *v, const char *k2,
    const char *v2)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e) {
		const char *a = json_string_value(json_object_get(e, k));
		const char *b = k2 ? json_string_value(json_object_get(e, k2)) :
		    NULL;
		if (a && strcmp(a, v) == 0 && (k2 == NULL || (b &&
		    strcmp(b, v2) == 0)))
			return e;
	}
	return NULL;
}

/* The variable called name in report.json's "variables", or NULL. */
static inline json_t *
report_var(json_t *m, const char *name)
{
	return find_by(json_object_get(m, "variables"), "variable", name,
	    NULL, NULL);
}

static inline double
jget(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : -12345.678;
}

#endif
