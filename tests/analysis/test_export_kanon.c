/*
 * k-anonymity of row-level exports: for several k and suppression limits,
 * every combination of the exported quasi-identifiers occurs in at least
 * k rows (counted in data.csv itself), the suppressed rows form a class of
 * at least k, and the counts in the statistics and deidentification.json
 * add up to what the file holds. Also: fewer than k rows are refused, and
 * a single rare row is suppressed together with k - 1 others.
 */
#include <jansson.h>

#include "data/export_helpers.h"

static const char *const qi_names[] = {"age", "region", "sex"};
#define NQI 3

/* Export d (csv format) into a fresh dir; parse data.csv and the report. */
static int
export_into(const struct form *f, const struct dataset *d, long k,
    double pct, struct csv_table *t, json_t **deid, struct export_stats *st)
{
	struct export_opts o = {k, pct, 0};
	char dir[512], path[700], err[512];
	json_error_t je;

	memset(t, 0, sizeof(*t));
	*deid = NULL;
	if (test_tmpdir(dir, sizeof(dir)) != 0)
		exit(1);
	if (export_write(f, d, EXPORT_CSV, &o, dir, st, NULL, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "export_write: %s\n", err);
		test_rmtree(dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/data.csv", dir);
	CHECK(csv_read_file(path, t) == 0);
	snprintf(path, sizeof(path), "%s/deidentification.json", dir);
	*deid = json_load_file(path, 0, &je);
	CHECK(*deid != NULL);
	test_rmtree(dir);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check every property of one export; returns rows suppressed. */
static uint64_t
check_export(const struct form *f, const struct dataset *d, long k,
    double pct)
{
	struct csv_table t;
	struct export_stats st;
	json_t *deid = NULL, *q;
	long col[NQI];
	char **keys;
	size_t n, nsupp_rows = 0, supp_cells = 0, at_top = 0, idx;
	uint64_t gen_sum = 0;

	if (export_into(f, d, k, pct, &t, &deid, &st) != 0) {
		CHECK(0);
		return 0;
	}
	n = t.nrows - 1;
	CHECK_INT(n, d->n);
	CHECK_INT(st.rows, d->n);
	CHECK(t.crlf_only);
	CHECK(csv_col(&t, "notes") < 0);    /* free text */
	CHECK(csv_col(&t, "age_pain") < 0); /* a score of a quasi-identifier */
	CHECK(csv_col(&t, "pain_band") >= 0);
	CHECK(csv_col(&t, "sites___2") >= 0);
	for (int j = 0; j < NQI; j++) {
		col[j] = csv_col(&t, qi_names[j]);
		CHECK(col[j] >= 0);
	}
	/* Count every combination of the exported quasi-identifiers. */
	keys = calloc(n, sizeof(*keys));
	for (size_t r = 1; r <= n; r++) {
		char buf[128];
		int all = 1;
		CHECK_INT(t.ncols[r], t.ncols[0]);
		snprintf(buf, sizeof(buf), "%s|%s|%s", t.rows[r][col[0]],
		    t.rows[r][col[1]], t.rows[r][col[2]]);
		keys[r - 1] = strdup(buf);
		for (int j = 0; j < NQI; j++) {
			int s = strcmp(t.rows[r][col[j]], "-8") == 0;
			supp_cells += s;
			all &= s;
		}
		nsupp_rows += all;
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && strcmp(keys[a], keys[b]) == 0; b++)
			;
		if ((long)(b - a) < k)
			fprintf(stderr, "k=%ld pct=%g: class %s has %zu rows\n",
			    k, pct, keys[a], b - a);
		CHECK((long)(b - a) >= k);
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);

	/* The statistics describe the file. */
	CHECK_INT(st.values_suppressed, supp_cells);
	CHECK(st.rows_suppressed == 0 || (long)st.rows_suppressed >= k);
	json_array_foreach(json_object_get(deid, "quasi_identifiers"), idx, q) {
		const char *name = json_string_value(json_object_get(q,
		    "variable"));
		const char *lv = json_string_value(json_object_get(q, "level"));
		uint64_t g = (uint64_t)json_integer_value(json_object_get(q,
		    "values_generalized"));
		uint64_t s = (uint64_t)json_integer_value(json_object_get(q,
		    "values_suppressed"));
		long c = csv_col(&t, name);
		uint64_t known = 0, minus8 = 0;
		CHECK(c >= 0 && lv != NULL);
		if (c < 0 || lv == NULL)
			continue;
		for (size_t r = 1; r <= n; r++) {
			const char *v = t.rows[r][c];
			if (strcmp(v, "-8") == 0)
				minus8++;
			else if (v[0] != '\0' && strcmp(v, "99") != 0)
				known++;
			/* generalized codes are codes of that level */
			if (strcmp(name, "age") == 0 && strcmp(lv, "2") == 0)
				CHECK(strcmp(v, "1") == 0 ||
				    strcmp(v, "2") == 0 || strcmp(v, "99") == 0 ||
				    strcmp(v, "-8") == 0);
		}
		CHECK_INT(s, minus8);
		if (strcmp(lv, "0") == 0 || strcmp(lv, "*") == 0)
			CHECK_INT(g, 0);
		else
			CHECK_INT(g, known);
		if (strcmp(lv, "*") == 0) {
			CHECK_INT(minus8, n);
			at_top++;
		}
		gen_sum += g;
	}
	CHECK_INT(gen_sum, st.values_generalized);
	CHECK_INT(json_integer_value(json_object_get(deid, "values_suppressed")),
	    st.values_suppressed);
	if (at_top < NQI) {
		CHECK_INT(st.rows_suppressed, nsupp_rows);
		/* Suppression stays within the limit, or tops up to k. */
		CHECK((double)st.rows_suppressed <= pct * (double)n / 100.0 ||
		    (long)st.rows_suppressed <= k);
	}
	json_decref(deid);
	csv_table_free(&t);
	return st.rows_suppressed;
}

/* n rows of one common combination and one unique row. */
static struct dataset *
one_rare(const struct form *f, size_t n)
{
	struct dataset *d = dataset_new(f, n);
	struct form_answers *a = form_answers_new(f);

	for (size_t i = 0; i < n; i++) {
		const char *v[1];
		v[0] = i == 0 ? "6" : "1";
		set_wire(a, "age", v, 1);
		v[0] = i == 0 ? "4" : "1";
		set_wire(a, "region", v, 1);
		v[0] = i == 0 ? "3" : "1";
		set_wire(a, "sex", v, 1);
		v[0] = "5";
		set_wire(a, "pain", v, 1);
		form_score(f, a);
		if (dataset_append(d, a) != 0)
			exit(1);
	}
	form_answers_free(a);
	return d;
}

int
main(void)
{
	char path[1024], err[256];
	struct diag dg;
	struct form *f = NULL;
	struct dataset *d;
	static const long ks[] = {5, 10, 25};
	static const double pcts[] = {0, 5, 20};
	struct export_opts o = {10, 5, 0};
	struct export_stats st;
	char *out = NULL;
	size_t len = 0;

	diag_init(&dg);
	if (form_load(test_src_path(EXPORT_FORM, path, sizeof(path)), &f,
	    &dg) != 0) {
		diag_print(&dg, stderr);
		return 1;
	}
	diag_free(&dg);

	/* Skewed data: rare combinations force generalization. */
	for (int skew = 0; skew <= 1; skew++) {
		d = synth_dataset(f, 400, 42 + (uint64_t)skew, skew);
		for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
			for (size_t j = 0; j < sizeof(pcts) / sizeof(pcts[0]);
			    j++)
				check_export(f, d, ks[i], pcts[j]);
		dataset_free(d);
	}

	/* One unique row: suppressed with k - 1 rows of the largest class. */
	d = one_rare(f, 100);
	CHECK_INT(check_export(f, d, 10, 5), 10);
	dataset_free(d);

	/* All rows must share one class (k = n). */
	d = synth_dataset(f, 30, 7, 1);
	check_export(f, d, 30, 0);
	dataset_free(d);

	/* Fewer than k rows: refused, nothing built. */
	d = synth_dataset(f, 9, 1, 0);
	CHECK(export_rows_csv(f, d, &o, &out, &len, &st, err,
	    sizeof(err)) == -1);
	CHECK(out == NULL);
	CHECK(strstr(err, "fewer than k") != NULL);
	dataset_free(d);

	form_free(f);
	return test_done();
}
