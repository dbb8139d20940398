/*
 * A row-level export opened in PSPP: synthetic responses to the default
 * survey are imported and exported with --format spss; PSPP runs data.sps
 * followed by DISPLAY DICTIONARY and FREQUENCIES, and its text output must
 * show the variable labels, the missing values, and for every value label
 * the count of that code in data.csv (read here directly). Exits 77 when
 * pspp is not installed.
 */
#include <unistd.h>

#include "../analysis/data/export_helpers.h"
#include "../analysis/data/report_helpers.h"

static const char *const vars[] = {"age_band", "sex", "employment",
    "dx_years", "country"};
#define NVARS (sizeof(vars) / sizeof(vars[0]))

/* Is prog an executable in $PATH? Its path in buf. */
static int
in_path(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	while (path != NULL && *path != '\0') {
		size_t n = strcspn(path, ":");
		snprintf(buf, len, "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Field i (0-based, between '|') of a table line, trimmed, into buf. */
static char *
field(const char *line, int i, char *buf, size_t len)
{
	const char *p = line;
	size_t n;

	for (int k = 0; k <= i; k++) {
		if ((p = strchr(p, '|')) == NULL)
			return NULL;
		p++;
	}
	n = strcspn(p, "|\n");
	if (p[n] != '|')
		return NULL;
	snprintf(buf, len, "%.*s", (int)n, p);
	return trim(buf);
}

/* The line after *pos, advancing; NULL at the end. */
static char *
next_line(char **pos)
{
	char *s = *pos, *nl;

	if (s == NULL || *s == '\0')
		return NULL;
	nl = strchr(s, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*pos = nl + 1;
	} else {
		*pos = s + strlen(s);
	}
	return s;
}

/*
 * The frequency table titled `label` in out: its rows as "label=count"
 * checks. Returns the number of value rows found, -1 if no table.
 */
static int
check_frequencies(const char *out, const char *label,
    const struct csv_table *cb, long cbrow, const struct csv_table *data,
    long dcol)
{
	char *copy = strdup(out), *pos = copy, *line, buf[512], cnt[64];
	int found = 0, rows = 0;
	char *vals = strdup(cb->rows[cbrow][4]);

	while ((line = next_line(&pos)) != NULL) {
		if (strchr(line, '|') == NULL && strcmp(trim(line), label) == 0) {
			found = 1;
			break;
		}
	}
	if (!found) {
		fprintf(stderr, "no frequency table \"%s\"\n", label);
		free(copy);
		free(vals);
		return -1;
	}
	/* Value labels from the codebook: "code=label;code=label". */
	for (char *v = vals, *end; v != NULL && *v != '\0'; v = end) {
		char *eq = strchr(v, '=');
		long code, want = 0, got = -1;
		char *p2, *l2;
		end = strchr(v, ';');
		if (end != NULL)
			*end++ = '\0';
		if (eq == NULL)
			break;
		*eq = '\0';
		code = strtol(v, NULL, 10);
		for (size_t r = 1; r < data->nrows; r++)
			want += data->rows[r][dcol][0] != '\0' &&
			    strtol(data->rows[r][dcol], NULL, 10) == code;
		/* Find the row of this label in the table after the title. */
		p2 = pos;
		while ((l2 = strchr(p2, '\n')) != NULL || *p2 != '\0') {
			size_t ll = l2 ? (size_t)(l2 - p2) : strlen(p2);
			char ln[1024], *lab;
			snprintf(ln, sizeof(ln), "%.*s", (int)ll, p2);
			if (strncmp(ln, "|Total", 6) == 0)
				break;
			if ((lab = field(ln, 0, buf, sizeof(buf))) != NULL) {
				if (strncmp(lab, "Valid ", 6) == 0)
					lab = trim(lab + 6);
				else if (strncmp(lab, "Missing ", 8) == 0)
					lab = trim(lab + 8);
				if (strcmp(lab, eq + 1) == 0 &&
				    field(ln, 1, cnt, sizeof(cnt)) != NULL) {
					got = strtol(cnt, NULL, 10);
					rows++;
				}
			}
			if (l2 == NULL)
				break;
			p2 = l2 + 1;
		}
		if (want > 0 && got != want)
			fprintf(stderr, "%s: %s: PSPP %ld, data.csv %ld\n", label,
			    eq + 1, got, want);
		CHECK(want == 0 ? got == -1 : got == want);
	}
	free(copy);
	free(vals);
	return rows;
}

int
main(void)
{
	char pspp[1024], py[1024], tmp[512], csv[700], db[700], dir[700];
	char path[900], cwd[1024], *o = NULL, *e = NULL, *sps, *out;
	char *form = src(DEFAULT_FORM), *synth = src("scripts/synth.py");
	struct csv_table cb, data;
	size_t len;
	FILE *fp;
	int rc;

	if (!in_path("pspp", pspp, sizeof(pspp))) {
		fprintf(stderr, "pspp not found\n");
		return 77;
	}
	CHECK(in_path("python3", py, sizeof(py)));
	CHECK(test_tmpdir(tmp, sizeof(tmp)) == 0);
	snprintf(csv, sizeof(csv), "%s/in.csv", tmp);
	snprintf(db, sizeof(db), "%s/db.sqlite", tmp);
	snprintf(dir, sizeof(dir), "%s/spss", tmp);
	{
		char *argv[] = {py, synth, "--form", form, "--n", "2000",
		    "--seed", "33", "--out", csv, NULL};
		CHECK_INT(test_run(argv, NULL, NULL), 0);
	}
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL), 0);
	free(o);
	free(e);
	rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
	    "--format", "spss", "--out", dir, "--k", "10", "--max-suppress",
	    "20", (char *)NULL);
	CHECK_INT(rc, 0);
	free(o);
	free(e);

	/* data.sps plus the commands whose output is checked. */
	snprintf(path, sizeof(path), "%s/data.sps", dir);
	sps = test_read_file(path, &len);
	CHECK(sps != NULL);
	if (sps == NULL)
		return test_done();
	snprintf(path, sizeof(path), "%s/check.sps", dir);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	fprintf(fp, "%s\nDISPLAY DICTIONARY /VARIABLES=age_band sex employment "
	    "dx_years country peg.\nFREQUENCIES /VARIABLES=age_band sex "
	    "employment dx_years country /STATISTICS=NONE.\n", sps);
	CHECK(fclose(fp) == 0);
	free(sps);
	/* data.sps reads data.csv from the current directory. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(dir) == 0);
	{
		/* The text output, wide enough that no label wraps. */
		char *argv[] = {pspp, "-b", "--syntax-encoding=UTF-8", "-O",
		    "width=200", "check.sps", NULL};
		rc = test_run(argv, &out, &e);
		CHECK_INT(rc, 0);
		if (rc != 0)
			fprintf(stderr, "pspp: %s%s", out ? out : "", e ? e : "");
		free(e);
	}
	CHECK(chdir(cwd) == 0);
	CHECK(out != NULL);
	if (out == NULL)
		return test_done();
	CHECK(strstr(out, "rror") == NULL && strstr(out, "arning") == NULL);

	snprintf(path, sizeof(path), "%s/codebook.csv", dir);
	CHECK(csv_read_file(path, &cb) == 0);
	snprintf(path, sizeof(path), "%s/data.csv", dir);
	CHECK(csv_read_file(path, &data) == 0);
	CHECK_INT(data.nrows, 2001);

	/* The dictionary: label and missing values of each variable. */
	for (size_t i = 0; i < NVARS; i++) {
		char *p;
		long r;
		for (r = 1; r < (long)cb.nrows; r++)
			if (strcmp(cb.rows[r][0], vars[i]) == 0)
				break;
		CHECK(r < (long)cb.nrows);
		if (r >= (long)cb.nrows)
			continue;
		/* The dictionary row: "|name|position|label|...". */
		for (p = out; (p = strchr(p, '\n')) != NULL; p++) {
			char nm[64];
			if (field(p + 1, 0, nm, sizeof(nm)) != NULL &&
			    strcmp(nm, vars[i]) == 0)
				break;
		}
		CHECK(p != NULL);
		if (p != NULL) {
			char lab[512], miss[128];
			const char *line = p + 1;
			CHECK(field(line, 2, lab, sizeof(lab)) != NULL &&
			    strcmp(lab, cb.rows[r][1]) == 0);
			/* "99;-8" in the codebook, "99; -8" in PSPP. */
			if (field(line, 9, miss, sizeof(miss)) != NULL) {
				char norm[128];
				size_t k = 0;
				for (const char *c = miss; *c && k + 1 < sizeof(norm);
				    c++)
					if (*c != ' ')
						norm[k++] = *c;
				norm[k] = '\0';
				CHECK_STR(norm, cb.rows[r][5]);
			} else {
				CHECK(0);
			}
		}
		/* Frequencies: every value label with its count. */
		CHECK(check_frequencies(out, cb.rows[r][1], &cb, r, &data,
		    csv_col(&data, vars[i])) > 0);
	}
	CHECK(strstr(out, "PEG-3 (mean of 3 items)") != NULL);
	CHECK(strstr(out, "|Missing suppressed for anonymity|") != NULL);

	csv_table_free(&cb);
	csv_table_free(&data);
	free(out);
	free(form);
	free(synth);
	test_rmtree(tmp);
	return test_done();
}
