/*
 * report.html from the report model (report.h): one self-contained page,
 * inline CSS and SVG charts, no JavaScript, no external resource, readable
 * offline and printable. Every byte of text passes html_text(), the one
 * HTML escaping writer of the analysis. Wording that comes from the form
 * or the plan (labels) is wrapped in <span class="uw"> ("user wording"), so
 * readers and the wording test can tell it from generated text.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Write s escaped for HTML text and attribute values. */
static void
html_text(FILE *fp, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

/* Form or plan wording, marked as such. */
static void
html_uw(FILE *fp, const char *s)
{
	fputs("<span class=\"uw\">", fp);
	html_text(fp, s);
	fputs("</span>", fp);
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static double
jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void
num(FILE *fp, double x, int digits)
{
	char b[48];

	report_fmt(b, sizeof(b), x, digits);
	fputs(b, fp);
}

/* A p-value: 3 significant digits, "< 0.001" below. */
static void
pval(FILE *fp, double p)
{
	if (isfinite(p) && p < 0.001)
		fputs("&lt; 0.001", fp);
	else
		num(fp, p, 3);
}

/* A count of people or its "< k" text. */
static void
count(FILE *fp, json_t *o, const char *k)
{
	char kt[64];
	json_t *v = json_object_get(o, k);

	snprintf(kt, sizeof(kt), "%s_text", k);
	if (json_is_integer(v))
		fprintf(fp, "%lld", (long long)json_integer_value(v));
	else if (json_object_get(o, kt) != NULL)
		html_text(fp, jstr(o, kt));
	else
		fputs("\xe2\x80\x93", fp);
}

/* "x [lo, hi]" */
static void
est_ci(FILE *fp, double x, double lo, double hi, int digits)
{
	num(fp, x, digits);
	if (isfinite(lo) && isfinite(hi)) {
		fputs(" <span class=\"ci\">[", fp);
		num(fp, lo, digits);
		fputs(", ", fp);
		num(fp, hi, digits);
		fputs("]</span>", fp);
	}
}

static const char css[] =
    "body{font-family:Georgia,'DejaVu Serif',serif;max-width:60rem;"
    "margin:2rem auto;padding:0 1rem;color:#1d1d1d;line-height:1.45}"
    "h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid "
    "#345;padding-bottom:.2rem;margin-top:2.5rem}h3{font-size:1.05rem;"
    "margin:1.4rem 0 .4rem}code{font-size:.85em;color:#345}"
    "table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem;"
    "width:100%}"
    "th,td{padding:.25rem .55rem;border-bottom:1px solid #ccd;"
    "text-align:left;vertical-align:top}th{background:#eef1f5}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".ci{color:#555}.prov td{font-family:monospace;font-size:.8rem;"
    "word-break:break-all}.uw{border-bottom:1px dotted #7a93a8}.notice{background:#fff8e1;border-left:4px solid"
    " #e0a800;padding:.6rem 1rem;margin:1rem 0}tr.note td{font-size:.8rem;"
    "color:#5a4a00;background:#fffbea;border-bottom:2px solid #ccd}"
    ".status{color:#8a2b2b}.var{border:1px solid #dde;border-radius:4px;"
    "padding:.4rem .9rem;margin:.8rem 0;break-inside:avoid}"
    ".var h3{margin-top:.3rem}.meta{color:#555;font-size:.85rem}"
    "svg text{font-family:sans-serif;font-size:10px;fill:#333}"
    "@media print{body{margin:0;max-width:none}.var,table{break-inside:"
    "avoid}h2{break-after:avoid}}";

static void
header(FILE *fp, json_t *m)
{
	json_t *h = json_object_get(m, "header");
	json_t *fm = json_object_get(h, "form"), *pl = json_object_get(h,
	    "plan"), *da = json_object_get(h, "data"), *pr;
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
	    "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,"
	    "initial-scale=1\">\n<title>", fp);
	html_text(fp, jstr(h, "title"));
	fputs(" \xe2\x80\x94 analysis report</title>\n<style>", fp);
	fputs(css, fp);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>", fp);
	html_uw(fp, jstr(h, "title"));
	fputs("</h1>\n<p class=\"meta\">Analysis report of the survey "
	    "responses: descriptive statistics and comparisons between "
	    "groups of respondents.</p>\n</header>\n", fp);
	fputs("<div class=\"notice\"><p><strong>How to read this report."
	    "</strong> The respondents chose to take part and described "
	    "themselves; nobody was assigned a therapy. A comparison shows "
	    "how two groups of respondents differ, nothing more: each one "
	    "carries the sentence <q>", fp);
	html_text(fp, REPORT_NOTE);
	fprintf(fp, "</q></p><p>To protect respondents, every count "
	    "between 1 and %lld is shown as <q>&lt; %lld</q>, with its "
	    "percentage, and other cells are hidden where they would reveal "
	    "it; summaries of fewer than %lld answers are not shown, and "
	    "groups smaller than that are not compared. Intervals are 95%% "
	    "confidence intervals. Labels in <span class=\"uw\">this style"
	    "</span> are the wording of the survey or of the analysis plan."
	    "</p></div>\n",
	    (long long)jnum(pl, "k") - 1, (long long)jnum(pl, "k"),
	    (long long)jnum(pl, "k"));
	fputs("<h2 id=\"provenance\">Provenance</h2>\n<table class=\"prov\">"
	    "\n", fp);
	fputs("<tr><th>Program</th><td>", fp);
	html_text(fp, jstr(h, "program"));
	fputs("</td></tr>\n<tr><th>Form</th><td>", fp);
	html_text(fp, jstr(fm, "id"));
	fprintf(fp, " version %lld, SHA-256 ", (long long)jnum(fm, "version"));
	html_text(fp, jstr(fm, "sha256"));
	fputs("</td></tr>\n<tr><th>Plan</th><td>", fp);
	html_text(fp, jstr(pl, "source"));
	fputs(", SHA-256 ", fp);
	html_text(fp, jstr(pl, "sha256"));
	fprintf(fp, "; k = %lld, alpha = ", (long long)jnum(pl, "k"));
	num(fp, jnum(pl, "alpha"), 3);
	fputs(", multiplicity ", fp);
	html_text(fp, jstr(pl, "multiplicity"));
	fputs("</td></tr>\n<tr><th>Data</th><td>SHA-256 ", fp);
	html_text(fp, jstr(da, "sha256"));
	fprintf(fp, "; %lld rows read, %lld analysed, %lld not decoded, "
	    "%lld of another form version</td></tr>\n",
	    (long long)jnum(da, "rows_read"),
	    (long long)jnum(da, "rows_analysed"),
	    (long long)jnum(da, "rows_not_decoded"),
	    (long long)jnum(da, "rows_other_form_version"));
	json_array_foreach(json_object_get(da, "decode_problems"), i, pr) {
		fputs("<tr><th>Not decoded</th><td>", fp);
		html_text(fp, jstr(pr, "problem"));
		fprintf(fp, ": %lld rows</td></tr>\n",
		    (long long)jnum(pr, "rows"));
	}
	fputs("</table>\n", fp);
}

static void
note_row(FILE *fp, int cols)
{
	fprintf(fp, "<tr class=\"note\"><td colspan=\"%d\">", cols);
	html_text(fp, REPORT_NOTE);
	fputs("</td></tr>\n", fp);
}

/* Hedges' g with its interval on a common axis [-1.5, 1.5]. */
static void
forest(FILE *fp, json_t *cmps, const char *group)
{
	const double lo = -1.5, hi = 1.5, w = 520, x0 = 230;
	size_t i, n = 0;
	json_t *c;
	double y;

	json_array_foreach(cmps, i, c)
		if (strcmp(jstr(c, "group"), group) == 0 &&
		    json_object_get(c, "hedges_g") != NULL)
			n++;
	if (n == 0)
		return;
	fprintf(fp, "<svg role=\"img\" aria-label=\"Standardized mean "
	    "differences with 95%% intervals\" width=\"%g\" height=\"%zu\" "
	    "viewBox=\"0 0 %g %zu\">\n", x0 + w + 20, n * 22 + 34,
	    x0 + w + 20, n * 22 + 34);
	for (int t = -3; t <= 3; t++) {
		double x = x0 + (t * 0.5 - lo) / (hi - lo) * w;
		fprintf(fp, "<line x1=\"%.1f\" y1=\"4\" x2=\"%.1f\" y2=\"%zu\" "
		    "stroke=\"%s\"/>\n<text x=\"%.1f\" y=\"%zu\" "
		    "text-anchor=\"middle\">%g</text>\n", x, x, n * 22 + 8,
		    t == 0 ? "#555" : "#dde", x, n * 22 + 20, t * 0.5);
	}
	fprintf(fp, "<text x=\"%.1f\" y=\"%zu\" text-anchor=\"middle\">"
	    "Hedges' g (group a minus group b)</text>\n", x0 + w / 2,
	    n * 22 + 32);
	y = 14;
	json_array_foreach(cmps, i, c) {
		json_t *g = json_object_get(c, "hedges_g");
		double e, l, h;
		if (strcmp(jstr(c, "group"), group) != 0 || g == NULL)
			continue;
		e = jnum(g, "g");
		l = jnum(g, "ci_lo");
		h = jnum(g, "ci_hi");
		fprintf(fp, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">",
		    x0 - 8, y + 3);
		html_text(fp, jstr(c, "outcome"));
		fputs("</text>\n", fp);
		if (isfinite(e) && isfinite(l) && isfinite(h)) {
			double xl = x0 + (fmax(l, lo) - lo) / (hi - lo) * w;
			double xh = x0 + (fmin(h, hi) - lo) / (hi - lo) * w;
			double xe = x0 + (fmin(fmax(e, lo), hi) - lo) /
			    (hi - lo) * w;
			fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"#345\" stroke-width=\"2\"/>\n"
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\""
			    " fill=\"#345\"/>\n", xl, y, xh, y, xe - 4, y - 4);
		}
		y += 22;
	}
	fputs("</svg>\n", fp);
}

static void
comparisons(FILE *fp, json_t *m)
{
	json_t *groups = json_object_get(m, "groups");
	json_t *cmps = json_object_get(m, "comparisons"), *g, *c;
	size_t i, j;

	fputs("<h2 id=\"comparisons\">Comparisons between groups</h2>\n", fp);
	if (json_array_size(groups) == 0)
		fputs("<p>The plan names no groups.</p>\n", fp);
	json_array_foreach(groups, i, g) {
		const char *name = jstr(g, "name");
		fputs("<h3>", fp);
		html_uw(fp, json_is_string(json_object_get(g, "label")) ?
		    jstr(g, "label") : name);
		fputs(" <code>", fp);
		html_text(fp, name);
		fputs("</code></h3>\n<p class=\"meta\">Group a: ", fp);
		html_uw(fp, jstr(g, "a_label"));
		fputs(", n = ", fp);
		count(fp, g, "n_a");
		fputs("; group b: ", fp);
		html_uw(fp, jstr(g, "b_label"));
		fputs(", n = ", fp);
		count(fp, g, "n_b");
		fputs("; in both (left out): ", fp);
		count(fp, g, "in_both_excluded");
		fputs(".</p>\n<table>\n<tr><th>Outcome</th><th>n a</th>"
		    "<th>n b</th><th>Group a</th><th>Group b</th>"
		    "<th>Difference a \xe2\x88\x92 b [95% CI]</th>"
		    "<th>Standardized difference (Hedges' g)</th><th>Test, p"
		    "</th><th>Adjusted p</th></tr>\n", fp);
		json_array_foreach(cmps, j, c) {
			json_t *w, *rd, *t;
			if (strcmp(jstr(c, "group"), name) != 0)
				continue;
			fputs("<tr><td>", fp);
			html_uw(fp, jstr(c, "outcome_label"));
			fputs(" <code>", fp);
			html_text(fp, jstr(c, "outcome"));
			fputs("</code></td><td class=\"n\">", fp);
			count(fp, c, "n_a");
			fputs("</td><td class=\"n\">", fp);
			count(fp, c, "n_b");
			fputs("</td>", fp);
			if (strcmp(jstr(c, "status"), "ok") != 0) {
				fputs("<td colspan=\"6\" class=\"status\">", fp);
				html_text(fp, jstr(c, "status"));
				fputs("</td></tr>\n", fp);
				note_row(fp, 9);
				continue;
			}
			if ((w = json_object_get(c, "welch")) != NULL) {
				json_t *a = json_object_get(c, "a");
				json_t *b = json_object_get(c, "b");
				json_t *h = json_object_get(c, "hedges_g");
				fputs("<td>mean ", fp);
				num(fp, jnum(a, "mean"), 3);
				fputs(" (SD ", fp);
				num(fp, jnum(a, "sd"), 3);
				fputs(")</td><td>mean ", fp);
				num(fp, jnum(b, "mean"), 3);
				fputs(" (SD ", fp);
				num(fp, jnum(b, "sd"), 3);
				fputs(")</td><td>", fp);
				est_ci(fp, jnum(w, "difference"),
				    jnum(w, "ci_lo"), jnum(w, "ci_hi"), 3);
				fputs("</td><td>", fp);
				est_ci(fp, jnum(h, "g"), jnum(h, "ci_lo"),
				    jnum(h, "ci_hi"), 2);
				fputs("</td>", fp);
			} else if ((rd = json_object_get(c,
			    "risk_difference")) != NULL) {
				json_t *o = json_object_get(c, "odds_ratio");
				fputs("<td>", fp);
				num(fp, 100 * jnum(rd, "risk_a"), 3);
				fputs("%</td><td>", fp);
				num(fp, 100 * jnum(rd, "risk_b"), 3);
				fputs("%</td><td>", fp);
				est_ci(fp, 100 * jnum(rd, "difference"),
				    100 * jnum(rd, "ci_lo"),
				    100 * jnum(rd, "ci_hi"), 3);
				fputs(" points</td><td>odds ratio ", fp);
				est_ci(fp, jnum(o, "odds_ratio"),
				    jnum(o, "ci_lo"), jnum(o, "ci_hi"), 3);
				fputs("</td>", fp);
			} else {
				t = json_object_get(c, "table");
				fputs("<td colspan=\"4\">distribution compared "
				    "across ", fp);
				fprintf(fp, "%zu answers", json_array_size(
				    json_object_get(t, "values")));
				fputs("</td>", fp);
			}
			fputs("<td>", fp);
			html_text(fp, jstr(c, "p_test"));
			fputs(", p ", fp);
			if (!(jnum(c, "p") < 0.001))
				fputs("= ", fp);
			pval(fp, jnum(c, "p"));
			fputs("</td><td>", fp);
			pval(fp, jnum(c, "p_adjusted"));
			fputs("</td></tr>\n", fp);
			note_row(fp, 9);
		}
		fputs("</table>\n", fp);
		forest(fp, cmps, name);
	}
}

static void
correlations(FILE *fp, json_t *m)
{
	json_t *cors = json_object_get(m, "correlations"), *c;
	size_t i;

	if (json_array_size(cors) == 0)
		return;
	fputs("<h2 id=\"correlations\">Rank correlations between outcomes"
	    "</h2>\n<table>\n<tr><th>Outcomes</th><th>n</th><th>Spearman's "
	    "rho</th><th>p</th><th>Adjusted p</th></tr>\n", fp);
	json_array_foreach(cors, i, c) {
		fputs("<tr><td><code>", fp);
		html_text(fp, jstr(c, "x"));
		fputs("</code> and <code>", fp);
		html_text(fp, jstr(c, "y"));
		fputs("</code></td><td class=\"n\">", fp);
		count(fp, c, "n");
		fputs("</td>", fp);
		if (strcmp(jstr(c, "status"), "ok") != 0) {
			fputs("<td colspan=\"3\" class=\"status\">", fp);
			html_text(fp, jstr(c, "status"));
			fputs("</td></tr>\n", fp);
		} else {
			fputs("<td>", fp);
			num(fp, jnum(c, "rho"), 3);
			if (json_object_get(c, "why") != NULL) {
				fputs(" (", fp);
				html_text(fp, jstr(c, "why"));
				fputs(")", fp);
			}
			fputs("</td><td>", fp);
			pval(fp, jnum(c, "p"));
			fputs("</td><td>", fp);
			pval(fp, jnum(c, "p_adjusted"));
			fputs("</td></tr>\n", fp);
		}
		note_row(fp, 5);
	}
	fputs("</table>\n", fp);
}

static void
adjusted(FILE *fp, json_t *m)
{
	json_t *adj = json_object_get(m, "adjusted"), *c, *v;
	size_t i, j;

	if (json_array_size(adj) == 0)
		return;
	fputs("<h2 id=\"adjusted\">Comparisons adjusted for covariates</h2>"
	    "\n<p class=\"meta\">Regression of the outcome on group "
	    "membership (a = 1, b = 0) and the covariates of the plan, "
	    "respondents with every value known. Numeric outcomes: linear "
	    "regression, HC3 robust standard errors; yes/no outcomes: "
	    "logistic regression (odds ratio).</p>\n<table>\n<tr><th>Group"
	    "</th><th>Outcome</th><th>Covariates</th><th>n a</th><th>n b"
	    "</th><th>Estimate [95% CI]</th><th>p</th><th>Adjusted p</th>"
	    "</tr>\n", fp);
	json_array_foreach(adj, i, c) {
		fputs("<tr><td><code>", fp);
		html_text(fp, jstr(c, "group"));
		fputs("</code></td><td><code>", fp);
		html_text(fp, jstr(c, "outcome"));
		fputs("</code></td><td>", fp);
		json_array_foreach(json_object_get(c, "covariates"), j, v) {
			fputs(j ? ", " : "", fp);
			html_text(fp, json_string_value(v));
		}
		fputs("</td><td class=\"n\">", fp);
		count(fp, c, "n_a");
		fputs("</td><td class=\"n\">", fp);
		count(fp, c, "n_b");
		fputs("</td>", fp);
		if (strcmp(jstr(c, "status"), "ok") != 0) {
			fputs("<td colspan=\"3\" class=\"status\">", fp);
			html_text(fp, jstr(c, "status"));
			fputs("</td></tr>\n", fp);
		} else {
			fputs("<td>", fp);
			if (json_object_get(c, "why") != NULL) {
				fputs("not computed: ", fp);
				html_text(fp, jstr(c, "why"));
			} else {
				est_ci(fp, jnum(c, "estimate"), jnum(c, "ci_lo"),
				    jnum(c, "ci_hi"), 3);
				if (strncmp(jstr(c, "scale"), "odds", 4) == 0)
					fputs(" (odds ratio)", fp);
			}
			fputs("</td><td>", fp);
			pval(fp, jnum(c, "p"));
			fputs("</td><td>", fp);
			pval(fp, jnum(c, "p_adjusted"));
			fputs("</td></tr>\n", fp);
		}
		note_row(fp, 8);
	}
	fputs("</table>\n", fp);
}

/* The histogram of a variable as an SVG bar chart. */
static void
histogram(FILE *fp, json_t *h, const char *var)
{
	json_t *br = json_object_get(h, "breaks");
	json_t *cn = json_object_get(h, "counts");
	size_t nb = json_array_size(cn), i;
	const double W = 420, H = 110, x0 = 34, y0 = 8;
	double max = 0, bw;

	if (nb == 0 || json_array_size(br) != nb + 1)
		return;
	for (i = 0; i < nb; i++) {
		json_t *v = json_array_get(cn, i);
		if (json_is_integer(v) && (double)json_integer_value(v) > max)
			max = (double)json_integer_value(v);
	}
	if (max <= 0)
		max = 1;
	bw = W / (double)nb;
	fprintf(fp, "<svg role=\"img\" aria-label=\"Histogram of ");
	html_text(fp, var);
	fprintf(fp, "\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\">\n",
	    x0 + W + 10, y0 + H + 30, x0 + W + 10, y0 + H + 30);
	fprintf(fp, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" "
	    "stroke=\"#555\"/>\n", x0, y0 + H, x0 + W, y0 + H);
	fprintf(fp, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%.0f</text>"
	    "\n<text x=\"%g\" y=\"%g\" text-anchor=\"end\">0</text>\n",
	    x0 - 4, y0 + 8, max, x0 - 4, y0 + H);
	for (i = 0; i < nb; i++) {
		json_t *v = json_array_get(cn, i);
		double x = x0 + bw * (double)i;
		if (json_is_integer(v)) {
			double hh = H * (double)json_integer_value(v) / max;
			fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			    "height=\"%.2f\" fill=\"#4a6f8a\"/>\n", x + 1,
			    y0 + H - hh, bw - 2, hh);
		} else {
			fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			    "height=\"%.2f\" fill=\"none\" stroke=\"#b55\" "
			    "stroke-dasharray=\"2 2\"/>\n", x + 1, y0 + H - 12,
			    bw - 2, 12.0);
		}
	}
	/* Value labels: every bin of a narrow integer chart, else 5 breaks. */
	for (i = 0; i <= nb; i++) {
		double b = json_number_value(json_array_get(br, i));
		if (nb <= 12 && i < nb) {
			double mid = (b + json_number_value(json_array_get(br,
			    i + 1))) / 2;
			fprintf(fp, "<text x=\"%.2f\" y=\"%g\" text-anchor="
			    "\"middle\">%g</text>\n", x0 + bw * ((double)i +
			    0.5), y0 + H + 13, mid);
		} else if (nb > 12 && i % (nb / 4 ? nb / 4 : 1) == 0) {
			char t[32];
			report_fmt(t, sizeof(t), b, 3);
			fprintf(fp, "<text x=\"%.2f\" y=\"%g\" text-anchor="
			    "\"middle\">%s</text>\n", x0 + bw * (double)i,
			    y0 + H + 13, t);
		}
	}
	fprintf(fp, "<text x=\"%g\" y=\"%g\">dashed: fewer than k, or "
	    "hidden to protect one</text>\n", x0, y0 + H + 27);
	fputs("</svg>\n", fp);
}

static void
summary(FILE *fp, json_t *s)
{
	fputs("<table><tr><th>Mean [95% CI]</th><th>SD</th><th>Median</th>"
	    "<th>Quartiles</th><th>Min</th><th>Max</th></tr>\n<tr><td>", fp);
	est_ci(fp, jnum(s, "mean"), jnum(s, "ci_lo"), jnum(s, "ci_hi"), 3);
	fputs("</td><td>", fp);
	num(fp, jnum(s, "sd"), 3);
	fputs("</td><td>", fp);
	num(fp, jnum(s, "median"), 3);
	fputs("</td><td>", fp);
	num(fp, jnum(s, "q1"), 3);
	fputs("\xe2\x80\x93", fp);
	num(fp, jnum(s, "q3"), 3);
	fputs("</td><td>", fp);
	num(fp, jnum(s, "min"), 3);
	fputs("</td><td>", fp);
	num(fp, jnum(s, "max"), 3);
	fputs("</td></tr></table>\n", fp);
}

/* A frequency table (or the options of a multiple choice) with bars. */
static void
frequencies(FILE *fp, json_t *rows, int multi)
{
	json_t *r;
	size_t i;

	fprintf(fp, "<table><tr><th>Answer</th><th>n</th><th>%% of %s [95%% "
	    "CI]</th><th></th></tr>\n", multi ? "those who answered" :
	    "answers");
	json_array_foreach(rows, i, r) {
		double p = jnum(r, "percent");
		fputs("<tr><td>", fp);
		html_uw(fp, jstr(r, "label"));
		if (json_is_true(json_object_get(r, "missing_code")))
			fputs(" <span class=\"meta\">(missing code)</span>", fp);
		fputs("</td><td class=\"n\">", fp);
		if (json_is_integer(json_object_get(r, "count")))
			fprintf(fp, "%lld", (long long)json_integer_value(
			    json_object_get(r, "count")));
		else
			fputs("hidden", fp);
		fputs("</td><td>", fp);
		if (isfinite(p)) {
			est_ci(fp, p, jnum(r, "ci_lo"), jnum(r, "ci_hi"), 3);
			fprintf(fp, "</td><td><svg width=\"120\" height=\"10\" "
			    "aria-hidden=\"true\"><rect width=\"120\" "
			    "height=\"10\" fill=\"#eef1f5\"/><rect width=\"%.1f\""
			    " height=\"10\" fill=\"#4a6f8a\"/></svg>", 1.2 * p);
		} else {
			fputs("\xe2\x80\x93</td><td>", fp);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static void
variables(FILE *fp, json_t *m, long k)
{
	json_t *vars = json_object_get(m, "variables"), *v, *x;
	size_t i;

	fputs("<h2 id=\"variables\">Answers, question by question</h2>\n", fp);
	fprintf(fp, "<p class=\"meta\">Hidden counts: between 1 and %ld, "
	    "or hidden so that such a count cannot be worked out from the "
	    "others.</p>\n", k - 1);
	json_array_foreach(vars, i, v) {
		fputs("<article class=\"var\"><h3>", fp);
		html_uw(fp, jstr(v, "label"));
		fputs(" <code>", fp);
		html_text(fp, jstr(v, "variable"));
		fputs("</code></h3>\n<p class=\"meta\">", fp);
		html_text(fp, jstr(v, "class"));
		fputs("; n = ", fp);
		count(fp, v, "n");
		if (json_is_integer(json_object_get(v, "missing")))
			fprintf(fp, ", no answer or not asked: %lld",
			    (long long)json_integer_value(json_object_get(v,
			    "missing")));
		fputs("</p>\n", fp);
		if ((x = json_object_get(v, "summary")) != NULL &&
		    json_is_object(x))
			summary(fp, x);
		else if (json_object_get(v, "summary_note") != NULL) {
			fputs("<p class=\"status\">", fp);
			html_text(fp, jstr(v, "summary_note"));
			fputs("</p>\n", fp);
		}
		if ((x = json_object_get(v, "histogram")) != NULL &&
		    json_is_object(x))
			histogram(fp, x, jstr(v, "variable"));
		if ((x = json_object_get(v, "frequencies")) != NULL)
			frequencies(fp, json_object_get(x, "rows"), 0);
		if ((x = json_object_get(v, "options")) != NULL)
			frequencies(fp, x, 1);
		fputs("</article>\n", fp);
	}
}

int
report_write_html(json_t *m, const char *path)
{
	FILE *fp = fopen(path, "wb");
	long k;
	int rc = 0;

	if (fp == NULL)
		return -1;
	k = (long)jnum(json_object_get(json_object_get(m, "header"), "plan"),
	    "k");
	header(fp, m);
	fputs("<nav><p><a href=\"#comparisons\">Comparisons</a> \xc2\xb7 "
	    "<a href=\"#correlations\">Correlations</a> \xc2\xb7 "
	    "<a href=\"#adjusted\">Adjusted comparisons</a> \xc2\xb7 "
	    "<a href=\"#variables\">Question by question</a></p></nav>\n", fp);
	comparisons(fp, m);
	correlations(fp, m);
	adjusted(fp, m);
	variables(fp, m, k);
	fputs("</body>\n</html>\n", fp);
	if (ferror(fp))
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}
