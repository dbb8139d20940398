/*
 * Import is all or nothing: a file of valid rows with one invalid row at
 * the end (a required answer missing once show_if shows it) stores none of
 * them, and a database that already held rows keeps exactly those; after
 * fixing the row, the whole file goes in.
 */
#include "data/report_helpers.h"
#include "store.h"

static long
count(const char *db)
{
	char err[256];
	struct store *st = NULL;
	long n = -1;

	if (store_open(db, STORE_RDONLY, &st, err, sizeof(err)) == STORE_OK &&
	    store_count(st, NULL, &n) != STORE_OK)
		n = -1;
	store_close(st);
	return n;
}

int
main(void)
{
	static const char first[] = "grp,pain,uses_x\r\n1,3,0\r\n2,4,0\r\n";
	static const char bad[] = "grp,pain,uses_x,x_freq\r\n1,3,0,\r\n"
	    "2,4,0,\r\n1,5,0,\r\n2,6,1,\r\n";
	static const char fixed[] = "grp,pain,uses_x,x_freq\r\n1,3,0,\r\n"
	    "2,4,0,\r\n1,5,0,\r\n2,6,1,2\r\n";
	char dir[512], p1[1024], p2[1024], p3[1024], db[1024];
	char *form = src(SMALL_FORM), *o = NULL, *e = NULL;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(p1, sizeof(p1), "%s/first.csv", dir);
	snprintf(p2, sizeof(p2), "%s/bad.csv", dir);
	snprintf(p3, sizeof(p3), "%s/fixed.csv", dir);
	snprintf(db, sizeof(db), "%s/a.db", dir);
	CHECK(test_write_file(p1, first, sizeof(first) - 1) == 0);
	CHECK(test_write_file(p2, bad, sizeof(bad) - 1) == 0);
	CHECK(test_write_file(p3, fixed, sizeof(fixed) - 1) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", p1, (char *)NULL), 0);
	CHECK_INT(count(db), 2);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", p2, (char *)NULL), 1);
	CHECK(e != NULL && strstr(e, "line 5, column x_freq: required") !=
	    NULL);
	CHECK_INT(count(db), 2);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", p3, (char *)NULL), 0);
	CHECK_INT(count(db), 6);
	free(o);
	free(e);
	free(form);
	test_rmtree(dir);
	return test_done();
}
