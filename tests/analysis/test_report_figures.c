/*
 * The report's figures (report fixture, default plan): every histogram
 * and forest plot of report.html is also a standalone SVG file,
 * figures/histogram-<variable>.svg and figures/forest-<group>.svg, 0600,
 * linked from the page, drawn from the released numbers only (one bar
 * per published bin of report.json, a dashed outline per hidden one).
 * Histograms have a count axis titled "number of respondents" with ticks
 * at 1, 2 or 5 times a power of ten, and a value axis titled from the
 * form (a scale's end labels); forest plots name both groups and their
 * outcomes by label. Every SVG of the page has its own title and a
 * description. A figure an earlier run left behind is removed; a
 * figures that is a symbolic link is refused, and the directory it
 * points to is left alone.
 */
#include <sys/stat.h>

#include "data/report_helpers.h"

static char *
read_in(const char *dir, const char *name)
{
	char path[2048];
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return test_read_file(path, &len);
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

/* One histogram file against the variable's histogram in report.json. */
static void
check_histogram(const char *out, const char *html, json_t *v)
{
	const char *name = json_string_value(json_object_get(v, "variable"));
	json_t *counts = json_object_get(json_object_get(v, "histogram"),
	    "counts"), *x;
	char file[256], link[300], path[2048];
	size_t i, shown = 0, hidden = 0;
	struct stat sb;
	char *svg;

	snprintf(file, sizeof(file), "figures/histogram-%s.svg", name);
	snprintf(link, sizeof(link), "href=\"%s\"", file);
	CHECK(strstr(html, link) != NULL);
	snprintf(path, sizeof(path), "%s/%s", out, file);
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	CHECK((svg = read_in(out, file)) != NULL);
	if (svg == NULL)
		return;
	json_array_foreach(counts, i, x) {
		if (json_is_integer(x))
			shown++;
		else
			hidden++;
	}
	CHECK(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
	    "xmlns=\"http://www.w3.org/2000/svg\"", 73) == 0);
	CHECK(strstr(svg, "<title id=\"h-") != NULL);
	CHECK(strstr(svg, "<desc id=\"h-") != NULL);
	CHECK(strstr(svg, "number of respondents</text>") != NULL);
	CHECK_INT(count_of(svg, "fill=\"#4a6f8a\""), shown);
	CHECK_INT(count_of(svg, "stroke-dasharray"), hidden);
	CHECK(strstr(svg, ">0</text>") != NULL);
	free(svg);
}

/* The tick labels of the count axis of peg_pain: 0, s, 2s, ... */
static void
check_ticks(const char *out)
{
	char *svg = read_in(out, "figures/histogram-peg_pain.svg"), *p;
	long t[16];
	size_t n = 0;

	CHECK(svg != NULL);
	if (svg == NULL)
		return;
	for (p = svg; n < 16 && (p = strstr(p, "text-anchor=\"end\">")) !=
	    NULL; p++)
		t[n++] = strtol(p + 18, NULL, 10);
	CHECK(n >= 3 && n <= 6);
	CHECK_INT(t[0], 0);
	for (size_t i = 1; i < n; i++) {
		long s = t[1], m = s;
		while (m >= 10 && m % 10 == 0)
			m /= 10;
		CHECK(m == 1 || m == 2 || m == 5);
		CHECK_INT(t[i], (long)i * s);
	}
	/* The value axis says what the numbers are, from the form. */
	CHECK(strstr(svg, "answer, from 0 to 10: <tspan class=\"uw\">0 = No "
	    "pain, 10 = Pain as bad as you can imagine</tspan>") != NULL);
	free(svg);
}

static void
check_forests(const char *out, const char *html, json_t *m)
{
	json_t *g;
	size_t i, nforest = 0;

	json_array_foreach(json_object_get(m, "groups"), i, g) {
		const char *name = json_string_value(json_object_get(g, "name"));
		char file[256], link[300];
		char *svg;
		snprintf(file, sizeof(file), "figures/forest-%s.svg", name);
		snprintf(link, sizeof(link), "href=\"%s\"", file);
		if ((svg = read_in(out, file)) == NULL)
			continue;
		nforest++;
		CHECK(strstr(html, link) != NULL);
		CHECK(strstr(svg, json_string_value(json_object_get(g,
		    "a_label"))) != NULL);
		CHECK(strstr(svg, json_string_value(json_object_get(g,
		    "b_label"))) != NULL);
		/* Outcomes by label, not by code. */
		CHECK(strstr(svg, ">PEG-3 (mean of 3 items)</tspan>") != NULL);
		CHECK(strstr(svg, ">peg</") == NULL);
		free(svg);
	}
	CHECK(nforest >= 1);
}

/* Every inline SVG chart has a title and description, titles all differ. */
static void
check_titles(const char *html)
{
	const char *p = html;
	char *seen[512];
	size_t n = 0;

	while ((p = strstr(p, "<svg role=\"img\"")) != NULL) {
		const char *t = strstr(p, "<title id="), *te, *d, *e;
		e = strstr(p, "</svg>");
		CHECK(t != NULL && e != NULL && t < e);
		if (t == NULL || e == NULL || t > e)
			break;
		t = strchr(t, '>') + 1;
		te = strstr(t, "</title>");
		d = strstr(t, "<desc id=");
		CHECK(te != NULL && te - t > 20);
		CHECK(d != NULL && d < e && strstr(d, "</desc>") - d > 40);
		for (size_t i = 0; i < n && te != NULL; i++)
			CHECK(strncmp(seen[i], t, (size_t)(te - t)) != 0 ||
			    seen[i][te - t] != '\0');
		if (n < 512 && te != NULL)
			seen[n++] = strndup(t, (size_t)(te - t));
		p = e;
	}
	CHECK(n > 10);
	for (size_t i = 0; i < n; i++)
		free(seen[i]);
}

int
main(void)
{
	char dir[512], db[1024], out[1024], path[2048];
	json_t *m, *v;
	size_t i, nhist = 0;
	char *html;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, NULL, out,
	    sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	CHECK((html = read_in(out, "report.html")) != NULL);
	if (m == NULL || html == NULL)
		return test_done();
	json_array_foreach(json_object_get(m, "variables"), i, v)
		if (json_object_get(v, "histogram") != NULL) {
			check_histogram(out, html, v);
			nhist++;
		}
	CHECK(nhist > 10);
	check_ticks(out);
	check_forests(out, html, m);
	check_titles(html);
	free(html);
	json_decref(m);

	/* A figure left from an earlier run is gone after the next one. */
	snprintf(path, sizeof(path), "%s/figures/histogram-gone.svg", out);
	CHECK(test_write_file(path, "<svg/>", 6) == 0);
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, NULL, out,
	    sizeof(out)), 0);
	CHECK(access(path, F_OK) != 0);
	snprintf(path, sizeof(path), "%s/figures/histogram-peg_pain.svg", out);
	CHECK(access(path, F_OK) == 0);

	/*
	 * figures as a symbolic link is refused, and nothing in the
	 * directory it points to is removed.
	 */
	{
		char other[2048], keep[2400], fig[2048], o2[1200];
		char *so = NULL, *se = NULL, *form = src(REPORT_FORM);
		snprintf(other, sizeof(other), "%s/other", dir);
		CHECK(mkdir(other, 0700) == 0);
		snprintf(keep, sizeof(keep), "%s/histogram-keep.svg", other);
		CHECK(test_write_file(keep, "<svg/>", 6) == 0);
		snprintf(o2, sizeof(o2), "%s/rep2", dir);
		CHECK(mkdir(o2, 0700) == 0);
		snprintf(fig, sizeof(fig), "%s/figures", o2);
		CHECK(symlink(other, fig) == 0);
		CHECK(run_analysis(&so, &se, "report", "--db", db, "--form",
		    form, "--out", o2, (char *)NULL) != 0);
		CHECK(se != NULL && strstr(se, "figures: not a directory") !=
		    NULL);
		CHECK(access(keep, F_OK) == 0);
		free(so);
		free(se);
		free(form);
	}
	test_rmtree(dir);
	return test_done();
}
