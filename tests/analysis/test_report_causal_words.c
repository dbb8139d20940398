/*
 * No generated text uses causal words (effect, improve..., works, cause...)
 * outside the two association sentences (comparisons, and correlations
 * between two answers). Wording of the survey itself (PGIC
 * choices say "Very much improved") and of the plan is the respondents'
 * and the analyst's, and is marked as such: the check skips JSON "label"
 * and "*_label" values, CSV "label" and "*_label" columns, HTML
 * <span class="uw"> elements and SVG <tspan class="uw"> elements, in the
 * page and in the standalone figures; everything else — keys, headings, notes,
 * statuses, reasons, the reading guide — is scanned.
 */
#include <ctype.h>
#include <dirent.h>

#include "data/report_helpers.h"
#include "report.h"

static const char *const banned[] = {"effect", "improv", "works", "caus",
    NULL};

/* Does s (with the sentence taken out) contain a banned word start? */
static int
causal(const char *what, const char *s)
{
	char *copy = strdup(s), *p;
	int found = 0;

	if (copy == NULL)
		return 1;
	while ((p = strstr(copy, REPORT_NOTE)) != NULL)
		memset(p, ' ', strlen(REPORT_NOTE));
	while ((p = strstr(copy, REPORT_NOTE_ANSWERS)) != NULL)
		memset(p, ' ', strlen(REPORT_NOTE_ANSWERS));
	while ((p = strstr(copy, REPORT_NOTE_PAIRED)) != NULL)
		memset(p, ' ', strlen(REPORT_NOTE_PAIRED));
	for (p = copy; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (size_t b = 0; banned[b]; b++)
		for (p = copy; (p = strstr(p, banned[b])) != NULL; p++)
			if (p == copy || !isalpha((unsigned char)p[-1])) {
				fprintf(stderr, "%s: causal word \"%s\" in: "
				    "%.80s\n", what, banned[b], p);
				found = 1;
			}
	free(copy);
	return found;
}

static int
label_key(const char *k)
{
	size_t n = strlen(k);
	return strcmp(k, "label") == 0 || (n > 6 &&
	    strcmp(k + n - 6, "_label") == 0);
}

static void
walk(json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			CHECK(!causal("report.json key", k));
			if (label_key(k))
				continue;
			walk(x);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			walk(x);
	} else if (json_is_string(v)) {
		CHECK(!causal("report.json", json_string_value(v)));
	}
}

/* Scan an HTML or SVG file with the form's and the plan's wording out. */
static void
scan_markup(const char *what, char *buf)
{
	static const char *const open[] = {"<span class=\"uw\">",
	    "<tspan class=\"uw\">"};
	static const char *const close[] = {"</span>", "</tspan>"};
	char *p, *e;

	for (size_t i = 0; i < 2; i++)
		while ((p = strstr(buf, open[i])) != NULL &&
		    (e = strstr(p, close[i])) != NULL)
			memmove(p, e + strlen(close[i]),
			    strlen(e + strlen(close[i])) + 1);
	CHECK(!causal(what, buf));
}

/* Scan a CSV file, skipping label columns (a small RFC 4180 reader). */
static void
scan_csv(const char *dir, const char *name)
{
	char path[2048], field[65536];
	int skip[256] = {0}, col = 0, row = 0;
	size_t len, f = 0;
	char *buf, *p;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK((buf = test_read_file(path, &len)) != NULL);
	if (buf == NULL)
		return;
	for (p = buf; *p; ) {
		int q = 0;
		f = 0;
		if (*p == '"') {
			q = 1;
			p++;
		}
		while (*p && f + 1 < sizeof(field)) {
			if (q && p[0] == '"' && p[1] == '"') {
				field[f++] = '"';
				p += 2;
			} else if (q && *p == '"') {
				q = 0;
				p++;
			} else if (!q && (*p == ',' || *p == '\r')) {
				break;
			} else {
				field[f++] = *p++;
			}
		}
		field[f] = '\0';
		if (row == 0 && col < 256)
			skip[col] = label_key(field);
		if (col >= 256 || !skip[col])
			CHECK(!causal(name, field));
		col++;
		if (*p == ',') {
			p++;
		} else if (*p == '\r') {
			p += p[1] == '\n' ? 2 : 1;
			row++;
			col = 0;
		}
	}
	free(buf);
}

int
main(void)
{
	static const char *const csvs[] = {"variables.csv", "frequencies.csv",
	    "histograms.csv", "groups.csv", "comparisons.csv",
	    "correlations.csv", "adjusted.csv", NULL};
	char dir[512], db[1024], out[1024], path[2048];
	size_t len;
	char *html, *p;
	struct dirent *de;
	size_t nfig = 0;
	DIR *fd;
	json_t *m;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, NULL, out,
	    sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	walk(m);
	json_decref(m);
	for (size_t i = 0; csvs[i]; i++)
		scan_csv(out, csvs[i]);
	snprintf(path, sizeof(path), "%s/report.html", out);
	CHECK((html = test_read_file(path, &len)) != NULL);
	if (html != NULL) {
		/* The form wording is present, and is the only wording taken out. */
		CHECK(strstr(html, "Very much improved") != NULL);
		scan_markup("report.html", html);
		free(html);
	}
	/* Every standalone figure the page links. */
	snprintf(path, sizeof(path), "%s/figures", out);
	CHECK((fd = opendir(path)) != NULL);
	while (fd != NULL && (de = readdir(fd)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/figures/%s", out, de->d_name);
		CHECK((p = test_read_file(path, &len)) != NULL);
		if (p != NULL) {
			scan_markup(de->d_name, p);
			free(p);
			nfig++;
		}
	}
	if (fd != NULL)
		closedir(fd);
	CHECK(nfig > 10);
	test_rmtree(dir);
	return test_done();
}
