/*
 * Every comparison carries the association sentence verbatim, in each of
 * the three formats, and every correlation between two answers its own
 * sentence (REPORT_NOTE_ANSWERS), never the therapy one: the "note" of
 * every comparison, correlation and adjusted model in report.json, the "note" column of every row of
 * comparisons.csv, correlations.csv and adjusted.csv, and one note row per
 * comparison in report.html (plus the reading guide and the description
 * of each forest plot, which also shows it in its standalone file).
 */
#include "data/report_helpers.h"
#include "report.h"

/* Occurrences of needle in the file dir/name. */
static size_t
occurrences(const char *dir, const char *name, const char *needle)
{
	char path[2048];
	size_t len, n = 0;
	char *buf, *p;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((buf = test_read_file(path, &len)) == NULL)
		return 0;
	for (p = buf; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(buf);
	return n;
}

/* Data rows (CRLF-terminated lines after the header) of a CSV file. */
static size_t
csv_rows(const char *dir, const char *name)
{
	return occurrences(dir, name, "\r\n") - 1;
}

int
main(void)
{
	static const char *const sections[] = {"comparisons", "correlations",
	    "adjusted"};
	static const char *const csvs[] = {"comparisons.csv",
	    "correlations.csv", "adjusted.csv"};
	/* Between two answers no therapy is compared: its own sentence. */
	static const char *const notes[] = {REPORT_NOTE, REPORT_NOTE_ANSWERS,
	    REPORT_NOTE};
	char dir[512], db[1024], out[1024];
	size_t total = 0, ncor = 0, i;
	json_t *m, *x;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, NULL, out,
	    sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	for (size_t s = 0; m != NULL && s < 3; s++) {
		json_t *arr = json_object_get(m, sections[s]);
		CHECK(json_array_size(arr) > 0);
		json_array_foreach(arr, i, x)
			CHECK_STR(json_string_value(json_object_get(x, "note")),
			    notes[s]);
		/* One CSV row per entry, each with the sentence. */
		CHECK_INT(csv_rows(out, csvs[s]), json_array_size(arr));
		CHECK_INT(occurrences(out, csvs[s], notes[s]),
		    json_array_size(arr));
		if (s == 1)
			CHECK_INT(occurrences(out, csvs[s], REPORT_NOTE), 0);
		if (s != 1)
			total += json_array_size(arr);
		else
			ncor += json_array_size(arr);
	}
	/*
	 * HTML: one note row per entry, the reading guide, and the
	 * description of each forest plot.
	 */
	CHECK_INT(occurrences(out, "report.html", "<tr class=\"note\"><td "
	    "colspan="), total + ncor);
	/* The correlations' rows and the reading guide. */
	CHECK_INT(occurrences(out, "report.html", REPORT_NOTE_ANSWERS),
	    ncor + 1);
	CHECK(occurrences(out, "report.html", "<desc id=\"fg") > 0);
	CHECK_INT(occurrences(out, "report.html", REPORT_NOTE), total + 1 +
	    occurrences(out, "report.html", "<desc id=\"fg"));
	/* A forest plot on its own carries it too. */
	CHECK(occurrences(out, "figures/forest-kratom_current_vs_never.svg",
	    REPORT_NOTE) == 2);
	json_decref(m);
	test_rmtree(dir);
	return test_done();
}
