/*
 * A bad CSV is refused with every error named by line and column and
 * rule, not only the first: an unknown column, an out-of-range value, a
 * choice that does not exist, a required item left empty (shown through
 * show_if), "none" combined with another choice, a bad period, and a row
 * with the wrong number of fields. Exit status 1, and nothing is stored.
 */
#include "data/report_helpers.h"
#include "store.h"

int
main(void)
{
	static const char csv[] =
	    "grp,pain,uses_x,x_freq,sites,period,colour\r\n"
	    "1,5,0,,,2026-01-01,\r\n"            /* line 2: fine */
	    "1,11,0,,,2026-01-01,\r\n"           /* line 3: pain out of range */
	    "7,5,1,,,2026-01-01,\r\n"            /* line 4: grp, x_freq */
	    "1,5,0,,\"0;1\",2026-02-30,\r\n"     /* line 5: sites, period */
	    "1,5\r\n";                           /* line 6: field count */
	static const char *const want[] = {
	    "bad.csv: line 1, column colour: unknown column",
	    "bad.csv: line 3, column pain: out of range",
	    "bad.csv: line 4, column grp: not one of the choices",
	    "bad.csv: line 5, column sites: \"none\" cannot be combined",
	    "bad.csv: line 5, column period: no such day",
	    "bad.csv: line 6: 2 fields, the header has 7",
	    "nothing was stored",
	};
	char dir[512], path[1024], db[1024], err[256], cwd[1024];
	char *form = src(SMALL_FORM), *o = NULL, *e = NULL;
	struct store *st = NULL;
	long n = -1;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(path, sizeof(path), "%s/bad.csv", dir);
	snprintf(db, sizeof(db), "%s/b.db", dir);
	CHECK(test_write_file(path, csv, sizeof(csv) - 1) == 0);
	/* Run from the directory so the file is named as the user typed it. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(dir) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", "bad.csv", (char *)NULL), 1);
	CHECK(chdir(cwd) == 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (e == NULL || strstr(e, want[i]) == NULL)
			fprintf(stderr, "missing: %s\nstderr:\n%s\n", want[i],
			    e ? e : "");
		CHECK(e != NULL && strstr(e, want[i]) != NULL);
	}
	/* Line 4 also: x_freq is required once uses_x is 1, and grp is not
	 * reported twice. */
	CHECK(e != NULL && strstr(e, "line 4, column x_freq: required") !=
	    NULL);
	CHECK(e != NULL && strstr(e, "line 4, column grp: required") == NULL);
	CHECK(store_open(db, STORE_RDONLY, &st, err, sizeof(err)) == STORE_OK);
	CHECK(st != NULL && store_count(st, NULL, &n) == STORE_OK);
	CHECK_INT(n, 0);
	store_close(st);
	free(form);
	free(o);
	free(e);
	test_rmtree(dir);
	return test_done();
}
