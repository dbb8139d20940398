/*
 * One CSV file per table of the report model (report.h), through the one
 * CSV writer (csv_out.h): variables.csv (summaries), frequencies.csv,
 * histograms.csv, groups.csv, comparisons.csv, correlations.csv and
 * adjusted.csv. A suppressed count is written as its "< k" text, a
 * suppressed or uncomputed number as an empty field; every comparison row
 * ends with the association note.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_out.h"
#include "report.h"

static double
jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A count, or its "< k" text, or empty. */
static void
count(struct csv_out *c, json_t *o, const char *k)
{
	char kt[64];
	json_t *v = json_object_get(o, k);

	snprintf(kt, sizeof(kt), "%s_text", k);
	if (json_is_integer(v))
		csv_uint(c, (uint64_t)json_integer_value(v));
	else
		csv_field(c, jstr(o, kt));
}

static void
header(struct csv_out *c, const char *const *cols)
{
	for (size_t i = 0; cols[i] != NULL; i++)
		csv_field(c, cols[i]);
	csv_end_row(c);
}

static void
nums(struct csv_out *c, json_t *o, const char *const *keys)
{
	for (size_t i = 0; keys[i] != NULL; i++)
		csv_num(c, jnum(o, keys[i]));
}

static void
variables_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"variable", "label", "class", "n",
	    "missing", "mean", "sd", "ci_lo", "ci_hi", "median", "q1", "q3",
	    "min", "max", "note", NULL};
	static const char *const keys[] = {"mean", "sd", "ci_lo", "ci_hi",
	    "median", "q1", "q3", "min", "max", NULL};
	json_t *v;
	size_t i;

	header(c, cols);
	json_array_foreach(json_object_get(m, "variables"), i, v) {
		json_t *s = json_object_get(v, "summary");
		csv_field(c, jstr(v, "variable"));
		csv_field(c, jstr(v, "label"));
		csv_field(c, jstr(v, "class"));
		count(c, v, "n");
		count(c, v, "missing");
		nums(c, json_is_object(s) ? s : NULL, keys);
		csv_field(c, jstr(v, "summary_note"));
		csv_end_row(c);
	}
}

static void
freq_rows(struct csv_out *c, const char *var, json_t *rows, const char *kind)
{
	json_t *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		csv_field(c, var);
		csv_field(c, kind);
		csv_num(c, jnum(r, "value"));
		csv_field(c, jstr(r, "label"));
		csv_field(c, json_is_true(json_object_get(r, "missing_code")) ?
		    "yes" : "no");
		if (json_is_integer(json_object_get(r, "count")))
			count(c, r, "count");
		else
			csv_field(c, "hidden");
		csv_num(c, jnum(r, "percent"));
		csv_num(c, jnum(r, "ci_lo"));
		csv_num(c, jnum(r, "ci_hi"));
		csv_end_row(c);
	}
}

static void
frequencies_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"variable", "table", "value",
	    "label", "missing_code", "count", "percent", "ci_lo", "ci_hi",
	    NULL};
	json_t *v, *x;
	size_t i;

	header(c, cols);
	json_array_foreach(json_object_get(m, "variables"), i, v) {
		if ((x = json_object_get(v, "frequencies")) != NULL)
			freq_rows(c, jstr(v, "variable"),
			    json_object_get(x, "rows"), "answers");
		if ((x = json_object_get(v, "options")) != NULL)
			freq_rows(c, jstr(v, "variable"), x, "options chosen");
	}
}

static void
histograms_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"variable", "bin", "lower",
	    "upper", "count", NULL};
	json_t *v, *h;
	size_t i;

	header(c, cols);
	json_array_foreach(json_object_get(m, "variables"), i, v) {
		json_t *br, *cn;
		if (!json_is_object(h = json_object_get(v, "histogram")))
			continue;
		br = json_object_get(h, "breaks");
		cn = json_object_get(h, "counts");
		for (size_t b = 0; b < json_array_size(cn); b++) {
			json_t *x = json_array_get(cn, b);
			csv_field(c, jstr(v, "variable"));
			csv_uint(c, b + 1);
			csv_num(c, json_number_value(json_array_get(br, b)));
			csv_num(c, json_number_value(json_array_get(br, b + 1)));
			if (json_is_integer(x))
				csv_uint(c, (uint64_t)json_integer_value(x));
			else
				csv_field(c, "hidden");
			csv_end_row(c);
		}
	}
}

static void
groups_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"group", "label", "a_label",
	    "b_label", "n_a", "n_b", "in_both_excluded", NULL};
	json_t *g;
	size_t i;

	header(c, cols);
	json_array_foreach(json_object_get(m, "groups"), i, g) {
		csv_field(c, jstr(g, "name"));
		csv_field(c, jstr(g, "label"));
		csv_field(c, jstr(g, "a_label"));
		csv_field(c, jstr(g, "b_label"));
		count(c, g, "n_a");
		count(c, g, "n_b");
		count(c, g, "in_both_excluded");
		csv_end_row(c);
	}
}

static void
comparisons_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"group", "outcome",
	    "outcome_label", "type", "status", "n_a", "n_b", "mean_a", "sd_a",
	    "mean_b", "sd_b", "difference", "difference_ci_lo",
	    "difference_ci_hi", "t", "df", "hedges_g", "g_ci_lo", "g_ci_hi",
	    "mann_whitney_w", "mann_whitney_p", "risk_a", "risk_b",
	    "risk_difference", "rd_ci_lo", "rd_ci_hi", "odds_ratio",
	    "or_ci_lo", "or_ci_hi", "chisq", "chisq_df", "p_test", "p",
	    "p_holm", "p_bh", "p_adjusted", "note", NULL};
	json_t *x;
	size_t i;

	header(c, cols);
	json_array_foreach(json_object_get(m, "comparisons"), i, x) {
		json_t *a = json_object_get(x, "a"), *b = json_object_get(x, "b");
		json_t *w = json_object_get(x, "welch");
		json_t *g = json_object_get(x, "hedges_g");
		json_t *mw = json_object_get(x, "mann_whitney");
		json_t *rd = json_object_get(x, "risk_difference");
		json_t *or = json_object_get(x, "odds_ratio");
		json_t *ch = json_object_get(x, "chisq");
		csv_field(c, jstr(x, "group"));
		csv_field(c, jstr(x, "outcome"));
		csv_field(c, jstr(x, "outcome_label"));
		csv_field(c, jstr(x, "type"));
		csv_field(c, jstr(x, "status"));
		count(c, x, "n_a");
		count(c, x, "n_b");
		csv_num(c, jnum(a, "mean"));
		csv_num(c, jnum(a, "sd"));
		csv_num(c, jnum(b, "mean"));
		csv_num(c, jnum(b, "sd"));
		csv_num(c, jnum(w, "difference"));
		csv_num(c, jnum(w, "ci_lo"));
		csv_num(c, jnum(w, "ci_hi"));
		csv_num(c, jnum(w, "t"));
		csv_num(c, jnum(w, "df"));
		csv_num(c, jnum(g, "g"));
		csv_num(c, jnum(g, "ci_lo"));
		csv_num(c, jnum(g, "ci_hi"));
		csv_num(c, jnum(mw, "w"));
		csv_num(c, jnum(mw, "p"));
		csv_num(c, jnum(rd, "risk_a"));
		csv_num(c, jnum(rd, "risk_b"));
		csv_num(c, jnum(rd, "difference"));
		csv_num(c, jnum(rd, "ci_lo"));
		csv_num(c, jnum(rd, "ci_hi"));
		csv_num(c, jnum(or, "odds_ratio"));
		csv_num(c, jnum(or, "ci_lo"));
		csv_num(c, jnum(or, "ci_hi"));
		csv_num(c, jnum(ch, "statistic"));
		csv_num(c, jnum(ch, "df"));
		csv_field(c, jstr(x, "p_test"));
		csv_num(c, jnum(x, "p"));
		csv_num(c, jnum(x, "p_holm"));
		csv_num(c, jnum(x, "p_bh"));
		csv_num(c, jnum(x, "p_adjusted"));
		csv_field(c, REPORT_NOTE);
		csv_end_row(c);
	}
}

static void
correlations_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"x", "y", "status", "n", "rho",
	    "s", "p", "p_holm", "p_bh", "p_adjusted", "why", "note", NULL};
	static const char *const keys[] = {"rho", "s", "p", "p_holm", "p_bh",
	    "p_adjusted", NULL};
	json_t *x;
	size_t i;

	header(c, cols);
	json_array_foreach(json_object_get(m, "correlations"), i, x) {
		csv_field(c, jstr(x, "x"));
		csv_field(c, jstr(x, "y"));
		csv_field(c, jstr(x, "status"));
		count(c, x, "n");
		nums(c, x, keys);
		csv_field(c, jstr(x, "why"));
		csv_field(c, REPORT_NOTE);
		csv_end_row(c);
	}
}

static void
adjusted_csv(struct csv_out *c, json_t *m)
{
	static const char *const cols[] = {"group", "outcome", "model",
	    "covariates", "status", "n", "n_a", "n_b", "scale", "estimate",
	    "ci_lo", "ci_hi", "p", "p_holm", "p_bh", "p_adjusted", "why",
	    "note", NULL};
	static const char *const keys[] = {"estimate", "ci_lo", "ci_hi", "p",
	    "p_holm", "p_bh", "p_adjusted", NULL};
	json_t *x, *v;
	size_t i, j;

	header(c, cols);
	json_array_foreach(json_object_get(m, "adjusted"), i, x) {
		char cov[1024];
		size_t n = 0;
		cov[0] = '\0';
		json_array_foreach(json_object_get(x, "covariates"), j, v)
			if (n < sizeof(cov))
				n += (size_t)snprintf(cov + n, sizeof(cov) - n,
				    "%s%s", j ? ";" : "", json_string_value(v));
		csv_field(c, jstr(x, "group"));
		csv_field(c, jstr(x, "outcome"));
		csv_field(c, jstr(x, "model"));
		csv_field(c, cov);
		csv_field(c, jstr(x, "status"));
		count(c, x, "n");
		count(c, x, "n_a");
		count(c, x, "n_b");
		csv_field(c, jstr(x, "scale"));
		nums(c, x, keys);
		csv_field(c, jstr(x, "why"));
		csv_field(c, REPORT_NOTE);
		csv_end_row(c);
	}
}

int
report_write_csv(json_t *m, const char *dir, char *err, size_t errsz)
{
	static const struct {
		const char *file;
		void (*fn)(struct csv_out *, json_t *);
	} tables[] = {
		{"variables.csv", variables_csv},
		{"frequencies.csv", frequencies_csv},
		{"histograms.csv", histograms_csv},
		{"groups.csv", groups_csv},
		{"comparisons.csv", comparisons_csv},
		{"correlations.csv", correlations_csv},
		{"adjusted.csv", adjusted_csv},
	};
	char path[4096];

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct csv_out c;
		snprintf(path, sizeof(path), "%s/%s", dir, tables[i].file);
		if (csv_open(&c, path) != 0) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			return -1;
		}
		tables[i].fn(&c, m);
		if (csv_close(&c) != 0) {
			snprintf(err, errsz, "%s: write error", path);
			return -1;
		}
	}
	return 0;
}
