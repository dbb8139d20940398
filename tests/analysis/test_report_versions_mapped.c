/*
 * Rows of three versions of one form, each decoded with its own stored
 * version and mapped onto the newest, give the same report as the same
 * answers imported under the newest version alone. Version 2 renames
 * pain to pain_avg, swaps the codes of freq (1 Daily .. 3 Rarely becomes
 * 1 Rarely .. 3 Daily), drops mood and adds stiff; version 3 recodes the
 * Fog option of symptoms from 3 to 4 and adds cbt and a score over items
 * of both versions. Everything runs through the real binaries: each
 * version's rows go in with "analysis import" (which stores the form and
 * checks its mapping), the reports come from "analysis report".
 *
 * The results (every table, count and statistic in report.json, and the
 * CSV tables byte for byte) are equal; only the provenance differs, and
 * it says how many rows came from which version and how they were read.
 * The row-level exports hold the same rows (in their own random order).
 * A fourth version that maps only the third reads all four the same way,
 * through the stored third version's mappings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testlib.h"

#define PER 40 /* rows per version */

struct row {
	int pain, freq, mood, stiff, cbt; /* -1: no answer */
	int sym;                          /* bits 0..2: Fatigue, Sleep, Fog */
};

/* Deterministic answers, varied enough for every table to show. */
static void
make_row(int i, struct row *r)
{
	unsigned x = (unsigned)i * 2654435761u;

	r->pain = (int)(x % 11);
	/* Skewed, so that swapping codes 1 and 3 shows in every table. */
	r->freq = (int)((x >> 8) % 6) < 3 ? 1 : (int)((x >> 8) % 6) < 5 ?
	    2 : 3;
	r->mood = (int)((x >> 12) % 11);
	r->stiff = (int)((x >> 16) % 11);
	r->cbt = (int)((x >> 20) % 2);
	r->sym = 1 + (int)((x >> 24) % 7);
}

/* A multiple-choice cell from the symptom bits with Fog coded fog. */
static void
sym_cell(int bits, int fog, char *out, size_t n)
{
	out[0] = '\0';
	if (bits & 1)
		snprintf(out + strlen(out), n - strlen(out), "1");
	if (bits & 2)
		snprintf(out + strlen(out), n - strlen(out), "%s2",
		    out[0] ? ";" : "");
	if (bits & 4)
		snprintf(out + strlen(out), n - strlen(out), "%s%d",
		    out[0] ? ";" : "", fog);
}

/*
 * Write the CSV of rows [from, from + PER) as version v would have
 * collected them (v1, v2, v3), or, with v == 0, the same answers as
 * version 3 reads them.
 */
static void
write_csv(const char *path, int v, int from, FILE *all)
{
	FILE *fp = fopen(path, "w");
	char sym[32];

	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	if (v == 1)
		fputs("period,pain,freq,mood,symptoms\n", fp);
	else if (v == 2)
		fputs("period,pain_avg,freq,stiff,symptoms\n", fp);
	else
		fputs("period,pain_avg,freq,stiff,symptoms,cbt\n", fp);
	for (int i = from; i < from + PER; i++) {
		struct row r;
		int f3; /* freq as version 3 codes it */
		make_row(i, &r);
		f3 = v == 1 ? 4 - r.freq : r.freq;
		if (v == 1) {
			sym_cell(r.sym, 3, sym, sizeof(sym));
			fprintf(fp, "2026-11-01,%d,%d,%d,%s\n", r.pain, r.freq,
			    r.mood, sym);
		} else if (v == 2) {
			sym_cell(r.sym, 3, sym, sizeof(sym));
			fprintf(fp, "2026-11-01,%d,%d,%d,%s\n", r.pain, r.freq,
			    r.stiff, sym);
		} else {
			sym_cell(r.sym, 4, sym, sizeof(sym));
			fprintf(fp, "2026-11-01,%d,%d,%d,%s,%d\n", r.pain,
			    r.freq, r.stiff, sym, r.cbt);
		}
		/* The same answers as version 3 holds them. */
		sym_cell(r.sym, 4, sym, sizeof(sym));
		if (v == 1)
			fprintf(all, "2026-11-01,%d,%d,,%s,\n", r.pain, f3, sym);
		else if (v == 2)
			fprintf(all, "2026-11-01,%d,%d,%d,%s,\n", r.pain, f3,
			    r.stiff, sym);
		else
			fprintf(all, "2026-11-01,%d,%d,%d,%s,%d\n", r.pain, f3,
			    r.stiff, sym, r.cbt);
	}
	fclose(fp);
}

static int
run(char *const argv[], char **out)
{
	char *err = NULL;
	int rc = test_run(argv, out, &err);

	if (rc != 0)
		fprintf(stderr, "%s %s: exit %d: %s\n", argv[0], argv[1], rc,
		    err ? err : "");
	free(err);
	return rc;
}

static void
import(const char *bin, const char *form, const char *db, const char *csv)
{
	char *argv[] = {(char *)bin, "import", "--form", (char *)form, "--db",
		(char *)db, "--csv", (char *)csv, NULL};

	CHECK_INT(run(argv, NULL), 0);
}

static void
report(const char *bin, const char *form, const char *db, const char *out)
{
	char *argv[] = {(char *)bin, "report", "--db", (char *)db, "--form",
		(char *)form, "--out", (char *)out, "--no-ledger", NULL};

	CHECK_INT(run(argv, NULL), 0);
}

static void
export_csv(const char *bin, const char *form, const char *db, const char *out)
{
	char *argv[] = {(char *)bin, "export", "--db", (char *)db, "--form",
		(char *)form, "--format", "csv", "--out", (char *)out,
		"--no-ledger", NULL};

	CHECK_INT(run(argv, NULL), 0);
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The rows of an export's data.csv without their first column (the row
 * number of a shuffled export), sorted, one string; the caller frees.
 */
static char *
export_rows(const char *dir)
{
	char path[700], *text, *p, **lines = NULL, *out;
	size_t n, nl = 0, cap = 0, len = 0;

	snprintf(path, sizeof(path), "%s/data.csv", dir);
	if ((text = test_read_file(path, &n)) == NULL)
		return NULL;
	for (p = text; *p != '\0'; ) {
		char *c, *e = p + strcspn(p, "\r\n");
		int last = *e == '\0';
		*e = '\0';
		c = strchr(p, ',');
		if (nl == cap) {
			cap = cap ? 2 * cap : 256;
			lines = realloc(lines, cap * sizeof(*lines));
		}
		lines[nl++] = c != NULL ? c + 1 : p;
		len += strlen(lines[nl - 1]) + 1;
		p = last ? e : e + 1;
		p += strspn(p, "\r\n");
	}
	qsort(lines, nl, sizeof(*lines), cmp_line);
	out = calloc(len + 1, 1);
	for (size_t i = 0, o = 0; i < nl; i++) {
		size_t k = strlen(lines[i]);
		memcpy(out + o, lines[i], k);
		out[o + k] = '\n';
		o += k + 1;
	}
	free(lines);
	free(text);
	return out;
}

static json_t *
load_json(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);

	if (j == NULL)
		fprintf(stderr, "%s: %s\n", path, e.text);
	CHECK(j != NULL);
	return j;
}

static json_t *load_json(const char *path);

/*
 * A fourth version maps only the third (it renames stiff and adds sleep):
 * rows of versions 1 and 2 reach it through the stored third's entries.
 * Its import is accepted (every earlier version has a chain), and its
 * report on the four versions equals the report of the same answers
 * imported under it alone.
 */
static void
chain_part(const char *dir, const char *bin, const char *dba,
    const char *allp)
{
	char v4[512], csv4[600], all4[600], dbc[600], oa[600], oc[600];
	char pa[700], pc[700], *text, *p;
	json_t *ja, *jc, *vers;
	FILE *fp, *fa;
	size_t n;

	test_src_path("tests/forms/data/versions/v4.json", v4, sizeof(v4));
	snprintf(csv4, sizeof(csv4), "%s/v4.csv", dir);
	snprintf(all4, sizeof(all4), "%s/all4.csv", dir);
	snprintf(dbc, sizeof(dbc), "%s/single4.db", dir);
	snprintf(oa, sizeof(oa), "%s/ra4", dir);
	snprintf(oc, sizeof(oc), "%s/rc4", dir);
	/* The earlier answers as version 4 holds them: one more column. */
	text = test_read_file(allp, &n);
	fa = fopen(all4, "w");
	CHECK(text != NULL && fa != NULL);
	if (text == NULL || fa == NULL)
		return;
	fputs("period,pain_avg,freq,stiffness,symptoms,cbt,sleep\n", fa);
	p = strchr(text, '\n') + 1;
	while (*p != '\0') {
		char *e = strchr(p, '\n');
		fprintf(fa, "%.*s,\n", (int)(e - p), p);
		p = e + 1;
	}
	free(text);
	fp = fopen(csv4, "w");
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	fputs("period,pain_avg,freq,stiffness,symptoms,cbt,sleep\n", fp);
	for (int i = 3 * PER; i < 4 * PER; i++) {
		struct row r;
		char sym[32];
		make_row(i, &r);
		sym_cell(r.sym, 4, sym, sizeof(sym));
		fprintf(fp, "2026-11-01,%d,%d,%d,%s,%d,%d\n", r.pain, r.freq,
		    r.stiff, sym, r.cbt, r.mood);
		fprintf(fa, "2026-11-01,%d,%d,%d,%s,%d,%d\n", r.pain, r.freq,
		    r.stiff, sym, r.cbt, r.mood);
	}
	fclose(fp);
	fclose(fa);

	import(bin, v4, dba, csv4);
	import(bin, v4, dbc, all4);
	report(bin, v4, dba, oa);
	report(bin, v4, dbc, oc);
	snprintf(pa, sizeof(pa), "%s/report.json", oa);
	snprintf(pc, sizeof(pc), "%s/report.json", oc);
	ja = load_json(pa);
	jc = load_json(pc);
	if (ja == NULL || jc == NULL)
		return;
	vers = json_object_get(json_object_get(json_object_get(ja, "header"),
	    "data"), "form_versions");
	CHECK_INT(json_array_size(vers), 4);
	for (size_t i = 0; i < json_array_size(vers) && i < 4; i++)
		CHECK_STR(json_string_value(json_object_get(json_array_get(vers,
		    i), "decoded")), i < 3 ? "mapped" : "current");
	json_object_del(json_object_get(ja, "header"), "data");
	json_object_del(json_object_get(jc, "header"), "data");
	CHECK(json_equal(ja, jc));
	json_decref(ja);
	json_decref(jc);
}

static const char *const tables[] = {"variables.csv", "frequencies.csv",
	"histograms.csv", "groups.csv", "comparisons.csv", "withheld.csv"};

int
main(void)
{
	char dir[512], dba[600], dbb[600], csv[3][600], allp[600], outa[600],
	    outb[600], bin[512], v[3][512], pa[700], pb[700];
	json_t *ja, *jb, *vers;
	FILE *all;
	size_t i;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	test_bin_path("analysis", bin, sizeof(bin));
	test_src_path("tests/forms/data/versions/v1.json", v[0], sizeof(v[0]));
	test_src_path("tests/forms/data/versions/v2.json", v[1], sizeof(v[1]));
	test_src_path("tests/forms/data/versions/v3.json", v[2], sizeof(v[2]));
	snprintf(dba, sizeof(dba), "%s/versions.db", dir);
	snprintf(dbb, sizeof(dbb), "%s/single.db", dir);
	snprintf(allp, sizeof(allp), "%s/all.csv", dir);
	snprintf(outa, sizeof(outa), "%s/ra", dir);
	snprintf(outb, sizeof(outb), "%s/rb", dir);
	all = fopen(allp, "w");
	CHECK(all != NULL);
	if (all == NULL)
		return test_done();
	fputs("period,pain_avg,freq,stiff,symptoms,cbt\n", all);
	for (int k = 0; k < 3; k++) {
		snprintf(csv[k], sizeof(csv[k]), "%s/v%d.csv", dir, k + 1);
		write_csv(csv[k], k + 1, k * PER, all);
	}
	fclose(all);

	/* Three versions into one database, in order; one version alone. */
	for (int k = 0; k < 3; k++)
		import(bin, v[k], dba, csv[k]);
	import(bin, v[2], dbb, allp);
	report(bin, v[2], dba, outa);
	report(bin, v[2], dbb, outb);

	snprintf(pa, sizeof(pa), "%s/report.json", outa);
	snprintf(pb, sizeof(pb), "%s/report.json", outb);
	ja = load_json(pa);
	jb = load_json(pb);
	if (ja == NULL || jb == NULL)
		return test_done();
	/* Provenance: three versions, two of them mapped. */
	vers = json_object_get(json_object_get(json_object_get(ja, "header"), "data"), "form_versions");
	CHECK_INT(json_array_size(vers), 3);
	for (i = 0; i < json_array_size(vers) && i < 3; i++) {
		json_t *e = json_array_get(vers, i);
		CHECK_INT(json_integer_value(json_object_get(e, "version")),
		    (long long)i + 1);
		CHECK_INT(json_integer_value(json_object_get(e, "rows")), PER);
		CHECK_STR(json_string_value(json_object_get(e, "decoded")),
		    i < 2 ? "mapped" : "current");
	}
	CHECK_INT(json_integer_value(json_object_get(json_object_get(
	    json_object_get(ja, "header"), "data"), "rows_analysed")), 3 * PER);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(
	    json_object_get(ja, "header"), "data"), "rows_not_decoded")), 0);
	vers = json_object_get(json_object_get(json_object_get(jb, "header"), "data"), "form_versions");
	CHECK_INT(json_array_size(vers), 1);
	/* Everything but the provenance of the data is the same. */
	json_object_del(json_object_get(ja, "header"), "data");
	json_object_del(json_object_get(jb, "header"), "data");
	CHECK(json_equal(ja, jb));
	if (!json_equal(ja, jb)) {
		char *a = json_dumps(ja, JSON_SORT_KEYS | JSON_INDENT(1));
		char *b = json_dumps(jb, JSON_SORT_KEYS | JSON_INDENT(1));
		snprintf(pa, sizeof(pa), "%s/a.json", dir);
		snprintf(pb, sizeof(pb), "%s/b.json", dir);
		test_write_file(pa, a, strlen(a));
		test_write_file(pb, b, strlen(b));
		fprintf(stderr, "reports differ: diff %s %s\n", pa, pb);
		free(a);
		free(b);
	}
	json_decref(ja);
	json_decref(jb);
	/* The CSV tables carry no provenance: byte for byte. */
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *a, *b;
		size_t na = 0, nb = 0;
		snprintf(pa, sizeof(pa), "%s/%s", outa, tables[i]);
		snprintf(pb, sizeof(pb), "%s/%s", outb, tables[i]);
		a = test_read_file(pa, &na);
		b = test_read_file(pb, &nb);
		CHECK(a != NULL && b != NULL);
		if (a != NULL && b != NULL) {
			if (na != nb || memcmp(a, b, na) != 0)
				fprintf(stderr, "%s differs\n", tables[i]);
			CHECK(na == nb && memcmp(a, b, na) == 0);
			CHECK(na > 0);
		}
		free(a);
		free(b);
	}
	/* The de-identified rows, too: the same rows, in another order. */
	{
		char ea[700], eb[700], *ra, *rb;
		snprintf(ea, sizeof(ea), "%s/ea", dir);
		snprintf(eb, sizeof(eb), "%s/eb", dir);
		export_csv(bin, v[2], dba, ea);
		export_csv(bin, v[2], dbb, eb);
		ra = export_rows(ea);
		rb = export_rows(eb);
		CHECK(ra != NULL && rb != NULL);
		CHECK(ra != NULL && rb != NULL && strcmp(ra, rb) == 0);
		CHECK(ra != NULL && strstr(ra, "pain_avg,freq,stiff,") != NULL);
		free(ra);
		free(rb);
	}
	chain_part(dir, bin, dba, allp);
	if (test_failures == 0)
		test_rmtree(dir);
	return test_done();
}
