/*
 * Every row of the report's tables is named by its wording first, then
 * its code (report fixture, a plan with a group, two numeric outcomes and
 * a binary one, a paired comparison, a factor, strata and a covariate):
 * the group, outcome and covariates of an adjusted model, the two
 * answers of a paired comparison, a factor and its outcome, a stratified
 * comparison's group, outcome and strata, a correlation's two answers.
 * No first cell is a bare code, and every table's caption links the file
 * that holds it (a CSV file; report.json for the provenance). Under a
 * correlation the sentence is the
 * one for two answers; the therapy sentence stays on the comparisons.
 */
#include "data/report_helpers.h"
#include "report.h"

/* The table of section id in html, as a new string ("" when absent). */
static char *
section(const char *html, const char *id)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "<h2 id=\"%s\">", id);
	if ((p = strstr(html, key)) == NULL || (e = strstr(p, "</table>")) ==
	    NULL)
		return strdup("");
	return strndup(p, (size_t)(e - p));
}

/* Does every data row of the table start with a labelled first cell? */
static void
rows_labelled(const char *what, const char *t, size_t min_rows)
{
	size_t n = 0;

	for (const char *p = t; (p = strstr(p, "<tr><td>")) != NULL; p += 8) {
		int ok = strncmp(p + 8, "<span class=\"uw\">", 17) == 0;
		if (!ok)
			fprintf(stderr, "%s: row without a label: %.80s\n", what,
			    p);
		CHECK(ok);
		n++;
	}
	CHECK(n >= min_rows);
}

/* Every <table> opens with a caption that links a .csv or report.json. */
static void
captions_link_files(const char *html)
{
	size_t n = 0;

	for (const char *p = html; (p = strstr(p, "<table")) != NULL; p++) {
		const char *c = strstr(p, "<caption>"), *e = strstr(p,
		    "</caption>"), *a;
		int ok = c != NULL && e != NULL && c - p < 40;
		if (ok) {
			ok = 0;
			for (a = c; (a = strstr(a, "<a href=\"")) != NULL && a < e;
			    a++) {
				const char *q = strchr(a + 9, '"');
				if (q != NULL && q - (a + 9) > 4 &&
				    (strncmp(q - 4, ".csv", 4) == 0 ||
				    strncmp(a + 9, "report.json\"", 12) == 0))
					ok = 1;
			}
		}
		if (!ok)
			fprintf(stderr, "table without a linked file: %.120s\n",
			    p);
		CHECK(ok);
		n++;
	}
	CHECK(n > 20);
}

static size_t
count_of(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL;
	    p += strlen(needle))
		n++;
	return n;
}

int
main(void)
{
	static const char plan[] =
	    "{\"outcomes\": [\"peg\", \"phq8\", \"fm_2016\"],"
	    " \"groups\": [{\"name\": \"kr\", \"label\": \"Kratom now vs never\","
	    " \"a_label\": \"kratom now\", \"b_label\": \"never kratom\","
	    " \"a\": {\"var\": \"kratom_use\", \"eq\": 2},"
	    " \"b\": {\"var\": \"kratom_use\", \"eq\": 0}}],"
	    " \"paired\": [{\"name\": \"pain_enjoy\", \"x\": \"peg_pain\","
	    " \"y\": \"peg_enjoy\"}],"
	    " \"factors\": [{\"name\": \"age\", \"var\": \"age_band\"}],"
	    " \"strata\": [\"sex\"], \"covariates\": [\"age_band\"]}";
	char dir[512], db[1024], out[1024], pl[1024], path[2048];
	char *html, *t;
	size_t len;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	snprintf(pl, sizeof(pl), "%s/plan.json", dir);
	CHECK(test_write_file(pl, plan, strlen(plan)) == 0);
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, pl, out,
	    sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/report.html", out);
	CHECK((html = test_read_file(path, &len)) != NULL);
	if (html == NULL)
		return test_done();

	t = section(html, "adjusted");
	rows_labelled("adjusted", t, 2);
	CHECK(strstr(t, "<tr><td><span class=\"uw\">Kratom now vs never</span>"
	    " <code>kr</code></td><td><span class=\"uw\">PEG-3 (mean of 3 "
	    "items)</span> <code>peg</code></td><td><span class=\"uw\">How old "
	    "are you?</span> <code>age_band</code></td>") != NULL);
	free(t);

	t = section(html, "paired");
	rows_labelled("paired", t, 1);
	CHECK(strstr(t, "<code>peg_pain</code> minus <span class=\"uw\">What "
	    "number best describes how, during the past week, pain has "
	    "interfered with your enjoyment of life?</span> <code>peg_enjoy"
	    "</code>") != NULL);
	free(t);

	t = section(html, "factors");
	rows_labelled("factors", t, 3);
	CHECK(strstr(t, "<tr><td><span class=\"uw\">How old are you?</span> "
	    "<code>age</code> (7 levels)</td><td><span class=\"uw\">PEG-3 "
	    "(mean of 3 items)</span> <code>peg</code></td>") != NULL);
	free(t);

	t = section(html, "stratified");
	rows_labelled("stratified", t, 1);
	CHECK(strstr(t, "<td><span class=\"uw\">What is your sex or gender?"
	    "</span> <code>sex</code> (") != NULL);
	free(t);

	/* Two answers: labelled, each with the sentence for two answers. */
	t = section(html, "correlations");
	rows_labelled("correlations", t, 1);
	CHECK(count_of(t, "<tr class=\"note\">") > 0);
	CHECK_INT(count_of(t, REPORT_NOTE_ANSWERS), count_of(t,
	    "<tr class=\"note\">"));
	CHECK_INT(count_of(t, REPORT_NOTE), 0);
	free(t);
	t = section(html, "comparisons");
	CHECK(count_of(t, REPORT_NOTE) > 0);
	CHECK_INT(count_of(t, REPORT_NOTE_ANSWERS), 0);
	free(t);

	captions_link_files(html);
	free(html);
	test_rmtree(dir);
	return test_done();
}
