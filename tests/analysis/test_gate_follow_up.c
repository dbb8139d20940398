/*
 * A follow-up question's total is the count of the answer that shows it.
 * tests/analysis/data/follow_up_form.json asks "used" (never, in the
 * past, now) and, only of those who use it now, the required "often";
 * follow_up.csv holds 100 responses: 80 never, 3 in the past, 17 now.
 * "used" hides its cells of 3 and 17; but "often" is answered by exactly
 * those 17, so its total (or n) gives "now" = 17 and "in the past" = 3.
 *
 * The attacker, written independently of gate.c, reads report.json and
 * tries every completion of the hidden cells of both tables against every
 * published count (cells, totals, n) and the form's rule (the rows that
 * answered "often" are those with used = 2). Every hidden cell must keep
 * at least 3 values (k = 10). On the release the gate made before it
 * modelled follow-ups (follow_up_release_before.json) the same attacker
 * pins the hidden cells to one value each.
 */
#include "data/report_helpers.h"
#include "report.h"

#define FORM "tests/analysis/data/follow_up_form.json"
#define CSV "tests/analysis/data/follow_up.csv"

struct tab {
	long cell[4]; /* -1: not published */
	int ncell;
	long total;   /* -1: not published */
	long n;       /* -1: not published */
};

static long
count_of(json_t *o, const char *k)
{
	json_t *x = json_object_get(o, k);

	return x == NULL || json_is_null(x) ? -1 : (long)json_integer_value(x);
}

static void
read_tab(json_t *m, const char *name, struct tab *t)
{
	json_t *v = report_var(m, name), *fr = json_object_get(v, "frequencies");
	json_t *rows = json_object_get(fr, "rows"), *r;
	size_t i;

	memset(t, 0, sizeof(*t));
	json_array_foreach(rows, i, r)
		if (i < 4)
			t->cell[t->ncell++] = count_of(r, "count");
	t->total = count_of(fr, "total");
	t->n = count_of(v, "n");
}

/* Does published x (or -1) allow the true value y? */
static int
allows(long x, long y)
{
	return x < 0 || x == y;
}

/* A hidden cell is at least 1 (zeros are published). */
static int
cell_ok(long pub, long y)
{
	return pub >= 0 ? pub == y : y >= 1;
}

/* The fewest values a hidden cell keeps over all completions. */
static int
fewest_values(json_t *m)
{
	struct tab u, o;
	static unsigned char seen[5][101];
	int fewest = 1000;

	read_tab(m, "used", &u);
	read_tab(m, "often", &o);
	memset(seen, 0, sizeof(seen));
	/* used: c0 + c1 + c2 = 100 (required, always asked). */
	for (long c0 = 0; c0 <= 100; c0++)
		for (long c1 = 0; c0 + c1 <= 100; c1++) {
			long c2 = 100 - c0 - c1;
			if (!cell_ok(u.cell[0], c0) || !cell_ok(u.cell[1], c1) ||
			    !cell_ok(u.cell[2], c2) || !allows(u.total, 100) ||
			    !allows(u.n, 100))
				continue;
			/* often: answered by exactly the c2 who use it now. */
			for (long d1 = 0; d1 <= c2; d1++) {
				long d2 = c2 - d1;
				if (!cell_ok(o.cell[0], d1) ||
				    !cell_ok(o.cell[1], d2) ||
				    !allows(o.total, c2) || !allows(o.n, c2))
					continue;
				seen[0][c0] = seen[1][c1] = seen[2][c2] = 1;
				seen[3][d1] = seen[4][d2] = 1;
			}
		}
	for (int j = 0; j < 5; j++) {
		long pub = j < 3 ? u.cell[j] : o.cell[j - 3];
		int nv = 0;
		if (pub >= 0)
			continue;
		for (int y = 0; y <= 100; y++)
			nv += seen[j][y];
		if (nv < fewest)
			fewest = nv;
	}
	return fewest;
}

int
main(void)
{
	char dir[512], db[1024], out[1100], *e = NULL, *o = NULL;
	char *form = src(FORM), *csv = src(CSV);
	char *before = src("tests/analysis/data/follow_up_release_before.json");
	json_error_t je;
	json_t *m;
	int fewest;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/f.db", dir);
	snprintf(out, sizeof(out), "%s/r", dir);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL), 0);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "report", "--db", db, "--form", form,
	    "--out", out, "--k", "10", (char *)NULL), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	fewest = fewest_values(m);
	fprintf(stderr, "now: every hidden cell keeps %d or more values\n",
	    fewest);
	CHECK(fewest >= 3 && fewest < 1000);
	/* The parent's table itself is still published where it is safe. */
	CHECK_INT(count_of(json_array_get(json_object_get(json_object_get(
	    report_var(m, "used"), "frequencies"), "rows"), 0), "count"), 80);
	json_decref(m);

	CHECK((m = json_load_file(before, 0, &je)) != NULL);
	CHECK(m != NULL && (fewest = fewest_values(m)) < 3);
	fprintf(stderr, "before: a hidden cell kept %d value(s)\n", fewest);
	json_decref(m);

	free(o);
	free(e);
	free(form);
	free(csv);
	free(before);
	test_rmtree(dir);
	return test_done();
}
