/*
 * Shared by the export tests (tests/analysis/test_export_*.c and
 * tests/export/): an RFC 4180 reader for what the exports write, and
 * synthetic data for the export fixture form (export_form.json): rows
 * built in memory for the library, or a CSV for "analysis import".
 */
#ifndef CANDOR_TEST_EXPORT_HELPERS_H
#define CANDOR_TEST_EXPORT_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "export.h"
#include "form.h"
#include "testlib.h"

#define EXPORT_FORM "tests/analysis/data/export_form.json"
#define PLANTED_TEXT "zebra-quokka-7731 says hello"

/* ---- CSV reading ---- */

struct csv_table {
	char ***rows; /* rows[r][c], NUL-terminated fields */
	size_t *ncols;
	size_t nrows;
	int crlf_only; /* every record ended with CRLF */
};

/* Parse RFC 4180 text (quotes, doubled quotes, CRLF); exits on bad input. */
static inline void
csv_parse(const char *s, size_t len, struct csv_table *t)
{
	size_t cap = 0, i = 0;
	char *field = malloc(len + 1);

	memset(t, 0, sizeof(*t));
	t->crlf_only = 1;
	if (field == NULL)
		exit(1);
	while (i < len) {
		char **row = NULL;
		size_t nc = 0;
		for (;;) {
			size_t fl = 0;
			if (i < len && s[i] == '"') {
				i++;
				for (;;) {
					if (i >= len) {
						fprintf(stderr, "csv: open quote\n");
						exit(1);
					}
					if (s[i] == '"') {
						if (i + 1 < len && s[i + 1] == '"') {
							field[fl++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					field[fl++] = s[i++];
				}
			} else {
				while (i < len && s[i] != ',' && s[i] != '\r' &&
				    s[i] != '\n')
					field[fl++] = s[i++];
			}
			field[fl] = '\0';
			row = realloc(row, (nc + 1) * sizeof(*row));
			row[nc++] = strdup(field);
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
			i += 2;
		else {
			t->crlf_only = 0;
			if (i < len)
				i++;
		}
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			t->rows = realloc(t->rows, cap * sizeof(*t->rows));
			t->ncols = realloc(t->ncols, cap * sizeof(*t->ncols));
		}
		t->rows[t->nrows] = row;
		t->ncols[t->nrows++] = nc;
	}
	free(field);
}

static inline void
csv_table_free(struct csv_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols[r]; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t->ncols);
}

/* Column of the header called name, or -1. */
static inline long
csv_col(const struct csv_table *t, const char *name)
{
	for (size_t c = 0; t->nrows > 0 && c < t->ncols[0]; c++)
		if (strcmp(t->rows[0][c], name) == 0)
			return (long)c;
	return -1;
}

static inline int
csv_read_file(const char *path, struct csv_table *t)
{
	size_t len;
	char *s = test_read_file(path, &len);

	if (s == NULL)
		return -1;
	csv_parse(s, len, t);
	free(s);
	return 0;
}

/* ---- synthetic data for export_form.json ---- */

static inline uint32_t
xrand(uint64_t *st)
{
	*st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*st >> 33);
}

/*
 * Answers of row i: a skewed mix, so that some combinations of the
 * quasi-identifiers are rare. rare_every > 0 makes every such row unique
 * (age 6, region 4, sex 3).
 */
struct synth_row {
	int age, region, sex; /* sex 0: unanswered */
	int pain;
	int sites[4]; /* chosen options 0..3 */
	int nsites;   /* -1: unanswered */
	double weight; /* < 0: unanswered */
	int used;      /* -1: unanswered */
};

static inline void
synth_row(uint64_t *st, struct synth_row *r, int skew)
{
	static const int ages[] = {1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 99};
	uint32_t x = xrand(st);

	memset(r, 0, sizeof(*r));
	r->age = ages[x % 13];
	r->region = 1 + (int)(xrand(st) % (skew ? 4 : 2));
	x = xrand(st) % 20;
	r->sex = x < 10 ? 1 : x < 17 ? 2 : x < 18 ? 3 : x < 19 ? 99 : 0;
	r->pain = (int)(xrand(st) % 11);
	if (xrand(st) % 10 == 0) {
		r->nsites = -1;
	} else if (xrand(st) % 8 == 0) {
		r->nsites = 1;
		r->sites[0] = 0;
	} else {
		for (int o = 1; o <= 3; o++)
			if (xrand(st) % 2)
				r->sites[r->nsites++] = o;
	}
	r->weight = xrand(st) % 7 == 0 ? -1 :
	    40 + (double)(xrand(st) % 100000) / 1000.0;
	r->used = xrand(st) % 9 == 0 ? -1 : (int)(xrand(st) % 2);
}

static inline void
set_wire(struct form_answers *a, const char *name, const char *const *v,
    size_t n)
{
	long iv = form_var_find(a->form, name);
	const char *err;

	form_answers_clear(a, (size_t)iv);
	if (n > 0 &&
	    form_value_parse(a->form, (size_t)iv, v, n, &a->v[iv], &err) != 0) {
		fprintf(stderr, "synth: %s: %s\n", name, err);
		exit(1);
	}
}

/* A dataset of n synthetic rows for export_form.json. */
static inline struct dataset *
synth_dataset(const struct form *f, size_t n, uint64_t seed, int skew)
{
	struct dataset *d = dataset_new(f, n);
	struct form_answers *a = form_answers_new(f);
	uint64_t st = seed;

	if (d == NULL || a == NULL)
		exit(1);
	for (size_t i = 0; i < n; i++) {
		struct synth_row r;
		char b[10][32];
		const char *v[4];
		synth_row(&st, &r, skew);
		for (size_t iv = 0; iv < f->nvars; iv++)
			form_answers_clear(a, iv);
		snprintf(b[0], 32, "%d", r.age);
		v[0] = b[0];
		set_wire(a, "age", v, 1);
		snprintf(b[1], 32, "%d", r.region);
		v[0] = b[1];
		set_wire(a, "region", v, 1);
		snprintf(b[2], 32, "%d", r.sex);
		v[0] = b[2];
		set_wire(a, "sex", v, r.sex ? 1 : 0);
		snprintf(b[3], 32, "%d", r.pain);
		v[0] = b[3];
		set_wire(a, "pain", v, 1);
		for (int j = 0; j < r.nsites; j++) {
			snprintf(b[4 + j], 32, "%d", r.sites[j]);
			v[j] = b[4 + j];
		}
		set_wire(a, "sites", v, r.nsites > 0 ? (size_t)r.nsites : 0);
		snprintf(b[7], 32, "%.3f", r.weight);
		v[0] = b[7];
		set_wire(a, "weight", v, r.weight >= 0 ? 1 : 0);
		snprintf(b[8], 32, "%d", r.used);
		v[0] = b[8];
		set_wire(a, "used", v, r.used >= 0 ? 1 : 0);
		form_score(f, a);
		if (dataset_append(d, a) != 0)
			exit(1);
	}
	form_answers_free(a);
	return d;
}

/*
 * The same rows as a CSV for "analysis import" into path, with the
 * planted free text in row plant_at and the period 2026-11-03.
 */
static inline void
synth_import_csv(const char *path, size_t n, uint64_t seed, int skew,
    size_t plant_at)
{
	FILE *fp = fopen(path, "w");
	uint64_t st = seed;

	if (fp == NULL)
		exit(1);
	fprintf(fp, "period,age,region,sex,notes,pain,sites,weight,used\n");
	for (size_t i = 0; i < n; i++) {
		struct synth_row r;
		synth_row(&st, &r, skew);
		fprintf(fp, "2026-11-03,%d,%d,", r.age, r.region);
		if (r.sex)
			fprintf(fp, "%d", r.sex);
		fprintf(fp, ",%s,%d,", i == plant_at ? "\"" PLANTED_TEXT
		    ", really\"" : "", r.pain);
		for (int j = 0; j < r.nsites; j++)
			fprintf(fp, "%s%d", j ? ";" : "", r.sites[j]);
		fputc(',', fp);
		if (r.weight >= 0)
			fprintf(fp, "%.3f", r.weight);
		fputc(',', fp);
		if (r.used >= 0)
			fprintf(fp, "%d", r.used);
		fputc('\n', fp);
	}
	if (fclose(fp) != 0)
		exit(1);
}

#endif
