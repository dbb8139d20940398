/*
 * Row order of row-level exports: two exports of the same data come out
 * in different orders, numbered 1..n each time, yet hold the same multiset
 * of rows; the in-memory CSV of export_rows_csv() holds the same rows as
 * the data.csv that export_write() writes.
 */
#include "data/export_helpers.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of a CSV without their first field (row), sorted. */
static char **
rows_sorted(const struct csv_table *t)
{
	char **r = calloc(t->nrows, sizeof(*r));

	for (size_t i = 1; i < t->nrows; i++) {
		size_t len = 1;
		for (size_t c = 1; c < t->ncols[i]; c++)
			len += strlen(t->rows[i][c]) + 1;
		size_t at = 0;
		r[i - 1] = calloc(len, 1);
		for (size_t c = 1; c < t->ncols[i]; c++) {
			size_t fl = strlen(t->rows[i][c]);
			memcpy(r[i - 1] + at, t->rows[i][c], fl);
			r[i - 1][at + fl] = ',';
			at += fl + 1;
		}
	}
	qsort(r, t->nrows - 1, sizeof(*r), cmp_str);
	return r;
}

static void
free_rows(char **r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i]);
	free(r);
}

int
main(void)
{
	char path[1024], dir[512], err[256];
	struct diag dg;
	struct form *f = NULL;
	struct dataset *d;
	/* No suppression allowed: only generalization, which is order-free. */
	struct export_opts o = {5, 0, 0};
	struct export_stats st1, st2;
	struct csv_table t1, t2, t3;
	char *b1 = NULL, *b2 = NULL, **s1, **s2, **s3;
	size_t l1 = 0, l2 = 0, n = 500, same_place = 0;

	diag_init(&dg);
	if (form_load(test_src_path(EXPORT_FORM, path, sizeof(path)), &f,
	    &dg) != 0) {
		diag_print(&dg, stderr);
		return 1;
	}
	diag_free(&dg);
	d = synth_dataset(f, n, 99, 1);

	CHECK(export_rows_csv(f, d, &o, &b1, &l1, &st1, err, sizeof(err)) == 0);
	CHECK(export_rows_csv(f, d, &o, &b2, &l2, &st2, err, sizeof(err)) == 0);
	if (b1 == NULL || b2 == NULL)
		return test_done();
	CHECK(st1.rows_suppressed == 0 && st2.rows_suppressed == 0);
	CHECK(l1 == l2); /* same cells, other order */
	CHECK(memcmp(b1, b2, l1) != 0);
	csv_parse(b1, l1, &t1);
	csv_parse(b2, l2, &t2);
	CHECK_INT(t1.nrows, n + 1);
	CHECK_INT(t2.nrows, n + 1);
	for (size_t i = 1; i < t1.nrows; i++) {
		char want[32];
		snprintf(want, sizeof(want), "%zu", i);
		CHECK_STR(t1.rows[i][0], want);
		CHECK_STR(t2.rows[i][0], want);
		same_place += strcmp(t1.rows[i][1], t2.rows[i][1]) == 0 &&
		    strcmp(t1.rows[i][t1.ncols[i] - 3],
		    t2.rows[i][t2.ncols[i] - 3]) == 0;
	}
	/* A shuffle leaves few rows where they were. */
	CHECK(same_place < n / 2);
	s1 = rows_sorted(&t1);
	s2 = rows_sorted(&t2);
	for (size_t i = 0; i < n; i++)
		CHECK_STR(s1[i], s2[i]);

	/* export_write's data.csv: the same header and rows. */
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	CHECK(export_write(f, d, EXPORT_CSV, &o, dir, NULL, NULL, err,
	    sizeof(err)) == 0);
	snprintf(path, sizeof(path), "%s/data.csv", dir);
	CHECK(csv_read_file(path, &t3) == 0);
	CHECK_INT(t3.nrows, n + 1);
	for (size_t c = 0; c < t1.ncols[0]; c++)
		CHECK_STR(t3.rows[0][c], t1.rows[0][c]);
	s3 = rows_sorted(&t3);
	for (size_t i = 0; i < n; i++)
		CHECK_STR(s3[i], s1[i]);
	test_rmtree(dir);

	free_rows(s1, n);
	free_rows(s2, n);
	free_rows(s3, n);
	csv_table_free(&t1);
	csv_table_free(&t2);
	csv_table_free(&t3);
	free(b1);
	free(b2);
	dataset_free(d);
	form_free(f);
	return test_done();
}
