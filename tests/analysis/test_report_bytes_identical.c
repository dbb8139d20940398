/*
 * Reproducibility: the same database, form and plan give byte-identical
 * report.json, report.html, CSV files and standalone figures on a second
 * run.
 */
#include "data/report_helpers.h"

int
main(void)
{
	static const char *const files[] = {"report.json", "report.html",
	    "variables.csv", "frequencies.csv", "histograms.csv", "groups.csv",
	    "comparisons.csv", "correlations.csv", "adjusted.csv",
	    "figures/histogram-peg_pain.svg", "figures/histogram-wpi.svg",
	    "figures/forest-kratom_current_vs_never.svg", NULL};
	char dir[512], db[1024], a[1024], b[1024], pa[2048], pb[2048];

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "one", db, REPORT_FORM, NULL, a,
	    sizeof(a)), 0);
	CHECK_INT(report_into(dir, "two", db, REPORT_FORM, NULL, b,
	    sizeof(b)), 0);
	for (size_t i = 0; files[i]; i++) {
		size_t la = 0, lb = 0;
		char *x, *y;
		snprintf(pa, sizeof(pa), "%s/%s", a, files[i]);
		snprintf(pb, sizeof(pb), "%s/%s", b, files[i]);
		x = test_read_file(pa, &la);
		y = test_read_file(pb, &lb);
		CHECK(x != NULL && y != NULL);
		if (x != NULL && y != NULL) {
			if (la != lb || memcmp(x, y, la) != 0)
				fprintf(stderr, "%s differs\n", files[i]);
			CHECK(la == lb && memcmp(x, y, la) == 0);
			CHECK(la > 0);
		}
		free(x);
		free(y);
	}
	test_rmtree(dir);
	return test_done();
}
