/*
 * report.html from the sealed release model (release.h): one
 * self-contained page,
 * inline CSS and SVG charts, no JavaScript, no external resource, readable
 * offline and printable. Every byte of text passes html_text(), the one
 * HTML escaping writer of the analysis. Wording that comes from the form
 * or the plan (labels) is wrapped in <span class="uw"> ("user wording"), so
 * readers and the wording test can tell it from generated text.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fmode.h"
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

/*
 * What the table being written shows that needs a word under it: an en
 * dash, a hidden cell, a "< k" count, a withheld number. One table is
 * written at a time, by one thread: marks_reset() before it, table_end()
 * after it explains what was used, with the actual k.
 */
static struct {
	int dash, hidden, below, withheld;
} marks;

static void
marks_reset(void)
{
	memset(&marks, 0, sizeof(marks));
}

static void
num(FILE *fp, double x, int digits)
{
	char b[48];

	if (!isfinite(x))
		marks.dash++;
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
    ".nfp{background:#8a2b2b;color:#fff;padding:.5rem 1rem;"
    "font-size:1.2rem;text-transform:uppercase}"
    "svg text{font-family:sans-serif;font-size:10px;fill:#333}"
    ".tw{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}"
    "code{overflow-wrap:anywhere}caption{text-align:left;font-size:.85rem;"
    "color:#555;padding:.2rem 0}.vh{position:absolute;width:1px;height:1px;"
    "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
    "nav ul{padding-left:1.2rem;columns:16rem}nav li a{display:inline-block;"
    "min-height:24px;padding:.15rem 0}p.top{font-size:.85rem}"
    "@media print{body{margin:0;max-width:none}.var,table{break-inside:"
    "avoid}h2{break-after:avoid}}";

/* A shown number, or an en dash. */
static void
rnum(FILE *fp, const struct rel_num *x, int digits)
{
	num(fp, rel_num_shown(x) ? x->v : NAN, digits);
}

static void
rpval(FILE *fp, const struct rel_num *x)
{
	pval(fp, rel_num_shown(x) ? x->v : NAN);
}

static void
rest_ci(FILE *fp, const struct rel_num *x, const struct rel_num *lo,
    const struct rel_num *hi, int digits, double scale)
{
	est_ci(fp, rel_num_shown(x) ? scale * x->v : NAN,
	    rel_num_shown(lo) ? scale * lo->v : NAN,
	    rel_num_shown(hi) ? scale * hi->v : NAN, digits);
}

/* A count of people, its "< k" text, "withheld", or an en dash. */
static void
count(FILE *fp, const struct rel_count *x, long k)
{
	switch (x->st) {
	case REL_SHOWN:
		fprintf(fp, "%lld", x->v);
		break;
	case REL_BELOW_K:
		fprintf(fp, "&lt; %ld", k);
		marks.below++;
		break;
	case REL_HIDDEN:
		fputs("hidden", fp);
		marks.hidden++;
		break;
	case REL_WITHHELD:
		fputs("withheld", fp);
		marks.withheld++;
		break;
	default:
		fputs("\xe2\x80\x93", fp);
		marks.dash++;
	}
}

/*
 * Close a table and say, under it, what its en dashes, hidden cells,
 * "< k" counts and withheld numbers mean, with the actual k.
 */
static void
table_end(FILE *fp, long k)
{
	fputs("</table></div>\n", fp);
	if (marks.dash + marks.hidden + marks.below + marks.withheld == 0)
		return;
	fputs("<p class=\"meta\">", fp);
	if (marks.dash)
		fputs("\xe2\x80\x93 : not computed or not published; the "
		    "reason is given in the row, or under <a href=\"#withheld\">"
		    "Withheld</a>. ", fp);
	if (marks.below)
		fprintf(fp, "&lt; %ld: a count from 1 to %ld, not shown to "
		    "protect the few respondents it counts. ", k, k - 1);
	if (marks.hidden)
		fprintf(fp, "hidden: a count from 1 to %ld, or a count hidden "
		    "with it so that it cannot be worked out from the others. ",
		    k - 1);
	if (marks.withheld)
		fputs("withheld: left out because, together with the rest of "
		    "this report, it would narrow a hidden count (see "
		    "<a href=\"#withheld\">Withheld</a>).", fp);
	fputs("</p>\n", fp);
	marks_reset();
}

/*
 * A status ("not run: group smaller than k") with the actual k named
 * after it, so that the reader need not look the threshold up.
 */
static void
status_text(FILE *fp, const char *s, long k)
{
	int has_k = 0;

	html_text(fp, s);
	for (size_t i = 0; s != NULL && s[i]; i++)
		if (s[i] == 'k' && (i == 0 || s[i - 1] == ' ') &&
		    !(s[i + 1] >= 'a' && s[i + 1] <= 'z'))
			has_k = 1;
	if (has_k)
		fprintf(fp, " (k = %ld)", k);
}

static void
header(FILE *fp, const struct rel_report *m)
{
	long long k = m->k;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
	    "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,"
	    "initial-scale=1\">\n<title>", fp);
	html_text(fp, m->title);
	fputs(" \xe2\x80\x94 analysis report</title>\n<style>", fp);
	fputs(css, fp);
	fputs("</style>\n</head>\n<body>\n<header id=\"top\">\n", fp);
	if (m->not_for_publication) {
		fputs("<p class=\"nfp\"><strong>", fp);
		html_text(fp, REPORT_NOT_FOR_PUBLICATION);
		fputs("</strong></p>\n", fp);
	}
	fputs("<h1>", fp);
	html_uw(fp, m->title);
	fputs("</h1>\n<p class=\"meta\">Analysis report of the survey "
	    "responses: descriptive statistics and comparisons between "
	    "groups of respondents.</p>\n", fp);
	if (m->data_status[0] != '\0') {
		fputs("<p class=\"meta\" id=\"data-status\"><strong>", fp);
		html_text(fp, m->data_status);
		fputs("</strong></p>\n", fp);
	}
	fputs("</header>\n<main>\n", fp);
	fputs("<div class=\"notice\"><p><strong>How to read this report."
	    "</strong> The respondents chose to take part and described "
	    "themselves; nobody was assigned a therapy. A comparison shows "
	    "how two groups of respondents differ, nothing more: each one "
	    "carries the sentence <q>", fp);
	html_text(fp, REPORT_NOTE);
	fputs("</q>; a correlation between two answers, and an answer "
	    "across the levels of another, carry <q>", fp);
	html_text(fp, REPORT_NOTE_ANSWERS);
	fputs("</q>; two answers of the same respondents carry <q>", fp);
	html_text(fp, REPORT_NOTE_PAIRED);
	fprintf(fp, "</q></p><p>To protect respondents, every count "
	    "between 1 and %lld is shown as <q>&lt; %lld</q>, with its "
	    "percentage, and other cells are hidden where they would reveal "
	    "it; summaries of fewer than %lld answers are not shown, and "
	    "groups smaller than that are not compared. The report was "
	    "checked as a whole: no hidden count can be narrowed to fewer "
	    "than %ld values from all the numbers shown together; what had "
	    "to be withheld or rounded for that is listed under "
	    "<a href=\"#withheld\">Withheld</a>. Intervals are 95%% "
	    "confidence intervals. Labels in <span class=\"uw\">this style"
	    "</span> are the wording of the survey or of the analysis plan. "
	    "An en dash (\xe2\x80\x93) marks a number that was not computed "
	    "or not published; the reason is given beside it. Every table is "
	    "also a CSV file beside this page, named in its caption."
	    "</p></div>\n", k - 1, k, k, m->min_values);
	fputs("<h2 id=\"provenance\">Provenance</h2>\n<div class=\"tw\"><table class=\"prov\">"
	    "<caption>Where these numbers come from (in <a href=\"report.json\">"
	    "report.json</a>, its header)</caption>"
	    "\n", fp);
	fputs("<tr><th scope=\"row\">Program</th><td>", fp);
	html_text(fp, m->program);
	fputs("</td></tr>\n<tr><th scope=\"row\">Form</th><td>", fp);
	html_text(fp, m->form_id);
	fprintf(fp, " version %ld, SHA-256 ", m->form_version);
	html_text(fp, m->form_sha);
	fputs("</td></tr>\n<tr><th scope=\"row\">Plan</th><td>", fp);
	html_text(fp, m->plan_source);
	fputs(", SHA-256 ", fp);
	html_text(fp, m->plan_sha);
	fprintf(fp, "; k = %lld, alpha = ", k);
	num(fp, m->alpha, 3);
	fputs(", multiplicity ", fp);
	html_text(fp, m->multiplicity);
	fputs("</td></tr>\n<tr><th scope=\"row\">Data</th><td>SHA-256 ", fp);
	html_text(fp, m->data_sha);
	fprintf(fp, "; %llu rows read, %llu analysed, %llu not decoded",
	    m->rows_read, m->rows_analysed, m->rows_not_decoded);
	if (m->versions_withheld)
		fputs("; rows per form version withheld (see Withheld)"
		    "</td></tr>\n", fp);
	else
		fprintf(fp, ", %llu of another form version</td></tr>\n",
		    m->rows_other_version);
	for (size_t i = 0; i < m->nversions; i++) {
		fprintf(fp, "<tr><th scope=\"row\">Form version %ld</th><td>"
		    "%llu rows read, decoded: ", m->versions[i].version,
		    m->versions[i].rows);
		html_text(fp, m->versions[i].how);
		fputs("</td></tr>\n", fp);
	}
	if (m->versions_other > 0)
		fprintf(fp, "<tr><th scope=\"row\">Other form versions</th>"
		    "<td>%llu rows read</td></tr>\n", m->versions_other);
	for (size_t i = 0; i < m->nproblems; i++) {
		fputs("<tr><th scope=\"row\">Not decoded</th><td>", fp);
		html_text(fp, m->problems[i].what);
		fprintf(fp, ": %llu rows</td></tr>\n", m->problems[i].rows);
	}
	fputs("</table></div>\n", fp);
}

/*
 * The sentence under a row: note is REPORT_NOTE, REPORT_NOTE_ANSWERS or
 * REPORT_NOTE_PAIRED.
 */
static void
note_row_text(FILE *fp, int cols, const char *note)
{
	fprintf(fp, "<tr class=\"note\"><td colspan=\"%d\">", cols);
	html_text(fp, note);
	fputs("</td></tr>\n", fp);
}

static void
note_row(FILE *fp, int cols)
{
	note_row_text(fp, cols, REPORT_NOTE);
}

/* The label of the report's variable called name, or NULL. */
static const char *
label_of(const struct rel_report *m, const char *name)
{
	for (size_t i = 0; name != NULL && i < m->nvars; i++)
		if (strcmp(m->vars[i].name, name) == 0)
			return m->vars[i].label;
	return NULL;
}

/* "Label code": the wording first, the code after it (or the code alone). */
static void
label_code(FILE *fp, const char *label, const char *code)
{
	if (label != NULL && label[0] != '\0') {
		html_uw(fp, label);
		fputc(' ', fp);
	}
	fputs("<code>", fp);
	html_text(fp, code);
	fputs("</code>", fp);
}

/*
 * Text cut to at most max bytes at a character boundary, with "..." when
 * cut: SVG text does not wrap, and a figure must not run off its box.
 */
static void
svg_cut(FILE *fp, const char *s, size_t max)
{
	char b[256];
	size_t n = strlen(s);

	if (max >= sizeof(b) - 4)
		max = sizeof(b) - 4;
	if (n <= max) {
		html_text(fp, s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	memcpy(b, s, max);
	memcpy(b + max, "...", 4);
	html_text(fp, b);
}

/* Form or plan wording inside SVG text, marked like html_uw(). */
static void
svg_uw(FILE *fp, const char *s, size_t max)
{
	fputs("<tspan class=\"uw\">", fp);
	svg_cut(fp, s, max);
	fputs("</tspan>", fp);
}

/*
 * The opening of a figure: inline, it lives in the page's CSS; standalone
 * (figures/<name>.svg), it is an XML document of its own, with its own
 * namespace and text style, readable by any SVG viewer or editor.
 */
static void
svg_open(FILE *fp, int standalone, const char *id, double w, double h)
{
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		    "xmlns=\"http://www.w3.org/2000/svg\" ", fp);
	else
		fputs("<svg ", fp);
	fprintf(fp, "role=\"img\" aria-labelledby=\"%s-t %s-d\" width=\"%g\" "
	    "height=\"%g\" viewBox=\"0 0 %g %g\">\n", id, id, w, h, w, h);
}

static void
svg_style(FILE *fp, int standalone)
{
	if (standalone)
		fputs("<style>text{font-family:sans-serif;font-size:10px;"
		    "fill:#333}</style>\n<rect width=\"100%\" height=\"100%\" "
		    "fill=\"#fff\"/>\n", fp);
}

/*
 * A step for about four ticks from 0 to max: 1, 2 or 5 times a power of
 * ten, never below 1 (counts of people are whole numbers).
 */
static double
tick_step(double max)
{
	double raw = max / 4, mag, st;

	if (!(raw > 1))
		return 1;
	mag = pow(10, floor(log10(raw)));
	st = mag;
	if (st < raw)
		st = 2 * mag;
	if (st < raw)
		st = 5 * mag;
	if (st < raw)
		st = 10 * mag;
	return st;
}

/* Is s a name that may be a file name as it is (plan and form names)? */
static int
figure_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* The link to a figure's own SVG file, and to the CSV of its numbers. */
static void
figure_links(FILE *fp, const char *kind, const char *name,
    const char *what, const char *csv)
{
	if (!figure_name_ok(name))
		return;
	fprintf(fp, "<p class=\"meta\"><a href=\"figures/%s-", kind);
	html_text(fp, name);
	fputs(".svg\" download>Download the ", fp);
	html_text(fp, what);
	fputs(" <code>", fp);
	html_text(fp, name);
	fprintf(fp, "</code> (SVG)</a>; its numbers are in <a href=\"%s\">%s"
	    "</a>.</p>\n", csv, csv);
}

/*
 * Hedges' g of each numeric outcome of group ig with its interval, on a
 * common axis [-1.5, 1.5] (estimates beyond it are drawn at its edge,
 * intervals cut by it): rows named by the outcome's label, the axis by
 * the two groups.
 */
static void
forest_svg(FILE *fp, const struct rel_report *m, size_t ig, int standalone)
{
	const double lo = -1.5, hi = 1.5, w = 520, x0 = 230;
	const double yt = standalone ? 20 : 0;
	size_t i, n = 0;
	double y, hh;
	char id[96];

	for (i = 0; i < m->ncmps; i++)
		if (m->cmps[i].igroup == ig && m->cmps[i].has_welch)
			n++;
	if (n == 0)
		return;
	const struct rel_group *g = &m->groups[ig];
	hh = yt + (double)n * 22 + 48 + (standalone ? 14 : 0);
	snprintf(id, sizeof(id), "fg%zu", ig);
	svg_open(fp, standalone, id, x0 + w + 20, hh);
	fprintf(fp, "<title id=\"%s-t\">Standardized differences between "
	    "group a (", id);
	html_text(fp, g->a_label);
	fputs(") and group b (", fp);
	html_text(fp, g->b_label);
	fputs("), comparison ", fp);
	html_text(fp, g->name);
	fprintf(fp, "</title>\n<desc id=\"%s-d\">Hedges' g, group a minus "
	    "group b, of %zu outcomes with their 95%% intervals, on an axis "
	    "from -1.5 to 1.5 (right of 0: higher in group a); the numbers are "
	    "in comparisons.csv. ", id, n);
	html_text(fp, REPORT_NOTE);
	fputs("</desc>\n", fp);
	svg_style(fp, standalone);
	if (standalone) {
		fputs("<text x=\"4\" y=\"13\" font-weight=\"bold\">", fp);
		svg_uw(fp, g->label != NULL ? g->label : g->name, 90);
		fputs("</text>\n", fp);
	}
	for (int t = -3; t <= 3; t++) {
		double x = x0 + (t * 0.5 - lo) / (hi - lo) * w;
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" "
		    "stroke=\"%s\"/>\n<text x=\"%.1f\" y=\"%g\" "
		    "text-anchor=\"middle\">%g</text>\n", x, yt + 4, x,
		    yt + (double)n * 22 + 8, t == 0 ? "#555" : "#dde", x,
		    yt + (double)n * 22 + 20, t * 0.5);
	}
	fprintf(fp, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">"
	    "Hedges' g, group a minus group b: ", x0 + w / 2,
	    yt + (double)n * 22 + 32);
	svg_uw(fp, g->a_label, 40);
	fputs(" minus ", fp);
	svg_uw(fp, g->b_label, 40);
	fputs("</text>\n", fp);
	fprintf(fp, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"end\">"
	    "\xe2\x86\x90 higher in ", x0 + w / 2 - 8, yt + (double)n * 22 + 44);
	svg_uw(fp, g->b_label, 30);
	fprintf(fp, "</text>\n<text x=\"%.1f\" y=\"%g\">higher in ",
	    x0 + w / 2 + 8, yt + (double)n * 22 + 44);
	svg_uw(fp, g->a_label, 30);
	fputs(" \xe2\x86\x92</text>\n", fp);
	y = yt + 14;
	for (i = 0; i < m->ncmps; i++) {
		const struct rel_cmp *c = &m->cmps[i];
		if (c->igroup != ig || !c->has_welch)
			continue;
		fprintf(fp, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">",
		    x0 - 8, y + 3);
		/* The label, cut to fit the 230 units left of the axis. */
		svg_uw(fp, c->outcome_label ? c->outcome_label : c->outcome,
		    36);
		fputs("</text>\n", fp);
		if (rel_num_shown(&c->g_g) && rel_num_shown(&c->g_lo) &&
		    rel_num_shown(&c->g_hi)) {
			double e = c->g_g.v, l = c->g_lo.v, h = c->g_hi.v;
			double xl = x0 + (fmax(l, lo) - lo) / (hi - lo) * w;
			double xh = x0 + (fmin(h, hi) - lo) / (hi - lo) * w;
			double xe = x0 + (fmin(fmax(e, lo), hi) - lo) /
			    (hi - lo) * w;
			fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"#345\" stroke-width=\"2\"/>\n"
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\""
			    " fill=\"#345\"/>\n", xl, y, xh, y, xe - 4, y - 4);
		} else {
			fprintf(fp, "<text x=\"%g\" y=\"%.1f\">not shown: see "
			    "the table</text>\n", x0 + 4, y + 3);
		}
		y += 22;
	}
	if (standalone) {
		/* On its own, the figure carries the sentence visibly. */
		fprintf(fp, "<text x=\"4\" y=\"%g\">", hh - 6);
		html_text(fp, REPORT_NOTE);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}

static void
forest(FILE *fp, const struct rel_report *m, size_t ig)
{
	size_t n = 0;

	for (size_t i = 0; i < m->ncmps; i++)
		if (m->cmps[i].igroup == ig && m->cmps[i].has_welch)
			n++;
	if (n == 0)
		return;
	forest_svg(fp, m, ig, 0);
	figure_links(fp, "forest", m->groups[ig].name,
	    "plot of standardized differences of", "comparisons.csv");
}

static void
cmp_row(FILE *fp, const struct rel_cmp *c, long k)
{
	fputs("<tr><td>", fp);
	html_uw(fp, c->outcome_label);
	fputs(" <code>", fp);
	html_text(fp, c->outcome);
	fputs("</code></td><td class=\"n\">", fp);
	count(fp, &c->n_a, k);
	fputs("</td><td class=\"n\">", fp);
	count(fp, &c->n_b, k);
	fputs("</td>", fp);
	if (strcmp(c->status, "ok") != 0) {
		fputs("<td colspan=\"6\" class=\"status\">", fp);
		status_text(fp, c->status, k);
		fputs("</td></tr>\n", fp);
		note_row(fp, 9);
		return;
	}
	if (c->has_welch) {
		fputs("<td>mean ", fp);
		rnum(fp, &c->a.mean, 3);
		fputs(" (SD ", fp);
		rnum(fp, &c->a.sd, 3);
		fputs(")</td><td>mean ", fp);
		rnum(fp, &c->b.mean, 3);
		fputs(" (SD ", fp);
		rnum(fp, &c->b.sd, 3);
		fputs(")</td><td>", fp);
		rest_ci(fp, &c->w_diff, &c->w_lo, &c->w_hi, 3, 1);
		fputs("</td><td>", fp);
		rest_ci(fp, &c->g_g, &c->g_lo, &c->g_hi, 2, 1);
		fputs("</td>", fp);
	} else if (c->has_rd) {
		fputs("<td>", fp);
		rnum(fp, &(struct rel_num){100 * c->rd_a.v, c->rd_a.st,
		    REL_EXACT}, 3);
		fputs("%</td><td>", fp);
		rnum(fp, &(struct rel_num){100 * c->rd_b.v, c->rd_b.st,
		    REL_EXACT}, 3);
		fputs("%</td><td>", fp);
		rest_ci(fp, &c->rd_diff, &c->rd_lo, &c->rd_hi, 3, 100);
		fputs(" points</td><td>odds ratio ", fp);
		rest_ci(fp, &c->or_est, &c->or_lo, &c->or_hi, 3, 1);
		fputs("</td>", fp);
	} else {
		fprintf(fp, "<td colspan=\"4\">distribution compared across "
		    "%zu answers</td>", c->ncols);
	}
	fputs("<td>", fp);
	html_text(fp, c->p_test != NULL ? c->p_test : "");
	fputs(", p ", fp);
	if (!(rel_num_shown(&c->p) && c->p.v < 0.001))
		fputs("= ", fp);
	rpval(fp, &c->p);
	fputs("</td><td>", fp);
	rpval(fp, &c->p_adjusted);
	fputs("</td></tr>\n", fp);
	note_row(fp, 9);
}

static void
comparisons(FILE *fp, const struct rel_report *m)
{
	size_t i, j;

	fputs("<h2 id=\"comparisons\">Comparisons between groups</h2>\n", fp);
	if (m->ngroups == 0)
		fputs("<p>The plan names no groups.</p>\n", fp);
	for (i = 0; i < m->ngroups; i++) {
		const struct rel_group *g = &m->groups[i];
		fputs("<h3>", fp);
		html_uw(fp, g->label != NULL ? g->label : g->name);
		fputs(" <code>", fp);
		html_text(fp, g->name);
		fputs("</code></h3>\n<p class=\"meta\">Group a: ", fp);
		html_uw(fp, g->a_label);
		fputs(", n = ", fp);
		count(fp, &g->n_a, m->k);
		fputs("; group b: ", fp);
		html_uw(fp, g->b_label);
		fputs(", n = ", fp);
		count(fp, &g->n_b, m->k);
		fputs("; in both (left out): ", fp);
		count(fp, &g->in_both, m->k);
		fputs(".</p>\n", fp);
		if (g->withheld != NULL) {
			fputs("<p class=\"status\">Withheld: ", fp);
			html_text(fp, g->withheld);
			fputs("</p>\n", fp);
		}
		marks_reset();
		fputs("<div class=\"tw\"><table>\n<caption>Comparisons of group ",
		    fp);
		html_text(fp, g->name);
		fputs(": n a and n b are the respondents of each group with a "
		    "usable answer to the outcome, the base of its means and "
		    "percentages (in <a href=\"comparisons.csv\">comparisons.csv"
		    "</a>)</caption>\n<tr><th scope=\"col\">Outcome</th><th scope=\"col\">n a</th>"
		    "<th scope=\"col\">n b</th><th scope=\"col\">Group a</th><th scope=\"col\">Group b</th>"
		    "<th scope=\"col\">Difference a \xe2\x88\x92 b [95% CI]</th>"
		    "<th scope=\"col\">Standardized difference (Hedges' g)</th><th scope=\"col\">Test, p"
		    "</th><th scope=\"col\">Adjusted p</th></tr>\n", fp);
		for (j = 0; j < m->ncmps; j++)
			if (m->cmps[j].igroup == i)
				cmp_row(fp, &m->cmps[j], m->k);
		table_end(fp, m->k);
		forest(fp, m, i);
	}
}

static void
correlations(FILE *fp, const struct rel_report *m)
{
	if (m->ncors == 0)
		return;
	marks_reset();
	fputs("<h2 id=\"correlations\">Rank correlations between outcomes"
	    "</h2>\n<div class=\"tw\"><table>\n<caption>Spearman's rho between "
	    "two answers; n: the respondents who gave both (in <a href=\"correlations.csv\">correlations.csv</a>)"
	    "</caption>\n<tr><th scope=\"col\">Outcomes</th><th scope=\"col\">n</th><th scope=\"col\">Spearman's "
	    "rho</th><th scope=\"col\">p</th><th scope=\"col\">Adjusted p</th></tr>\n", fp);
	for (size_t i = 0; i < m->ncors; i++) {
		const struct rel_cor *c = &m->cors[i];
		fputs("<tr><td>", fp);
		html_uw(fp, c->x_label);
		fputs(" <code>", fp);
		html_text(fp, c->x);
		fputs("</code> and ", fp);
		html_uw(fp, c->y_label);
		fputs(" <code>", fp);
		html_text(fp, c->y);
		fputs("</code></td><td class=\"n\">", fp);
		count(fp, &c->n, m->k);
		fputs("</td>", fp);
		if (strcmp(c->status, "ok") != 0) {
			fputs("<td colspan=\"3\" class=\"status\">", fp);
			status_text(fp, c->status, m->k);
			fputs("</td></tr>\n", fp);
		} else {
			fputs("<td>", fp);
			rnum(fp, &c->rho, 3);
			if (c->why != NULL) {
				fputs(" (", fp);
				html_text(fp, c->why);
				fputs(")", fp);
			}
			fputs("</td><td>", fp);
			rpval(fp, &c->p);
			fputs("</td><td>", fp);
			rpval(fp, &c->p_adjusted);
			fputs("</td></tr>\n", fp);
		}
		note_row_text(fp, 5, REPORT_NOTE_ANSWERS);
	}
	table_end(fp, m->k);
}

static void
adjusted(FILE *fp, const struct rel_report *m)
{
	if (m->nadjs == 0)
		return;
	marks_reset();
	fputs("<h2 id=\"adjusted\">Comparisons adjusted for covariates</h2>"
	    "\n<p class=\"meta\">Regression of the outcome on group "
	    "membership (a = 1, b = 0) and the covariates of the plan, "
	    "respondents with every value known. Numeric outcomes: linear "
	    "regression, HC3 robust standard errors; yes/no outcomes: "
	    "logistic regression (odds ratio).</p>\n<div class=\"tw\"><table>\n"
	    "<caption>Adjusted comparisons; n a and n b: the respondents of "
	    "each group with every value of the model known (in "
	    "<a href=\"adjusted.csv\">"
	    "adjusted.csv</a>)</caption>\n<tr><th scope=\"col\">Group"
	    "</th><th scope=\"col\">Outcome</th><th scope=\"col\">Covariates</th><th scope=\"col\">n a</th><th scope=\"col\">n b"
	    "</th><th scope=\"col\">Estimate [95% CI]</th><th scope=\"col\">p</th><th scope=\"col\">Adjusted p</th>"
	    "</tr>\n", fp);
	for (size_t i = 0; i < m->nadjs; i++) {
		const struct rel_adj *c = &m->adjs[i];
		fputs("<tr><td>", fp);
		label_code(fp, c->igroup < m->ngroups ?
		    m->groups[c->igroup].label : NULL, c->group);
		fputs("</td><td>", fp);
		label_code(fp, c->outcome_label, c->outcome);
		fputs("</td><td>", fp);
		for (size_t j = 0; j < c->ncovs; j++) {
			fputs(j ? "; " : "", fp);
			label_code(fp, label_of(m, c->covs[j]), c->covs[j]);
		}
		fputs("</td><td class=\"n\">", fp);
		count(fp, &c->n_a, m->k);
		fputs("</td><td class=\"n\">", fp);
		count(fp, &c->n_b, m->k);
		fputs("</td>", fp);
		if (strcmp(c->status, "ok") != 0) {
			fputs("<td colspan=\"3\" class=\"status\">", fp);
			status_text(fp, c->status, m->k);
			fputs("</td></tr>\n", fp);
		} else {
			fputs("<td>", fp);
			if (c->why != NULL) {
				fputs("not computed: ", fp);
				html_text(fp, c->why);
			} else {
				rest_ci(fp, &c->est, &c->lo, &c->hi, 3, 1);
				if (c->scale != NULL &&
				    strncmp(c->scale, "odds", 4) == 0)
					fputs(" (odds ratio)", fp);
			}
			if (c->dropped != NULL) {
				fputs("<br><small>left out as collinear with "
				    "the other predictors: ", fp);
				html_text(fp, c->dropped);
				fputs("</small>", fp);
			}
			fputs("</td><td>", fp);
			rpval(fp, &c->p);
			fputs("</td><td>", fp);
			rpval(fp, &c->p_adjusted);
			fputs("</td></tr>\n", fp);
		}
		note_row(fp, 8);
	}
	table_end(fp, m->k);
}

/* "Back to top" after a section that was written. */
static void
top_link(FILE *fp, int written)
{
	if (written)
		fputs("<p class=\"top\"><a href=\"#top\">Back to top</a></p>\n",
		    fp);
}

/* A status cell over cols columns, or NULL when the row is "ok". */
static int
status_cells(FILE *fp, const char *status, int cols, long k)
{
	if (strcmp(status, "ok") == 0)
		return 0;
	fprintf(fp, "<td colspan=\"%d\" class=\"status\">", cols);
	status_text(fp, status, k);
	fputs("</td></tr>\n", fp);
	return 1;
}

static void
paired(FILE *fp, const struct rel_report *m)
{
	if (m->npairs == 0)
		return;
	marks_reset();
	fputs("<h2 id=\"paired\">Two answers of the same respondents</h2>\n"
	    "<p>The first answer minus the second, among those who gave "
	    "both: the mean difference with its 95% interval (paired "
	    "t-test) and the Hodges-Lehmann pseudomedian with its interval "
	    "(Wilcoxon signed-rank test).</p>\n<div class=\"tw\"><table>\n"
	    "<caption>Paired comparisons; pairs: the respondents who gave "
	    "both answers (in <a href=\"paired.csv\">paired.csv"
	    "</a>)</caption>\n<tr><th scope=\"col\">Answers</th>"
	    "<th scope=\"col\">Pairs</th><th scope=\"col\">Mean difference</th><th scope=\"col\">Pseudomedian</th>"
	    "<th scope=\"col\">p</th><th scope=\"col\">Adjusted p</th></tr>\n", fp);
	for (size_t i = 0; i < m->npairs; i++) {
		const struct rel_pair *c = &m->pairs[i];
		fputs("<tr><td>", fp);
		if (c->label != NULL) {
			html_uw(fp, c->label);
			fputs("<br>", fp);
		}
		label_code(fp, c->x_label, c->x);
		fputs(" minus ", fp);
		label_code(fp, c->y_label, c->y);
		fputs("</td><td class=\"n\">", fp);
		count(fp, &c->n, m->k);
		fputs("</td>", fp);
		if (!status_cells(fp, c->status, 4, m->k)) {
			fputs("<td>", fp);
			rest_ci(fp, &c->diff, &c->lo, &c->hi, 3, 1);
			fputs("</td><td>", fp);
			rest_ci(fp, &c->est, &c->est_lo, &c->est_hi, 3, 1);
			fputs("</td><td>", fp);
			rpval(fp, &c->p);
			fputs("</td><td>", fp);
			rpval(fp, &c->p_adjusted);
			fputs("</td></tr>\n", fp);
		}
		note_row_text(fp, 6, REPORT_NOTE_PAIRED);
	}
	table_end(fp, m->k);
}

static void
factor_tests(FILE *fp, const struct rel_report *m)
{
	if (m->nkgroups == 0)
		return;
	marks_reset();
	fputs("<h2 id=\"factors\">Outcomes across the levels of a factor</h2>"
	    "\n<p>Each pair of levels is also a comparison between groups "
	    "above. Numeric outcomes: Welch's one-way ANOVA (its p is the one "
	    "adjusted), the classic ANOVA and Kruskal-Wallis; categorical "
	    "outcomes: the table's chi-square or Fisher's exact test and "
	    "Cram\xc3\xa9r's V.</p>\n<div class=\"tw\"><table>\n<caption>Tests "
	    "over a factor's levels; n: the respondents with a level of "
	    "the factor and a usable answer to the outcome (in <a href=\"factors.csv\">factors.csv</a>)"
	    "</caption>\n<tr><th scope=\"col\">Factor</th><th scope=\"col\">Outcome"
	    "</th><th scope=\"col\">n</th><th scope=\"col\">Test</th><th scope=\"col\">Also</th><th scope=\"col\">p</th>"
	    "<th scope=\"col\">Adjusted p</th></tr>\n", fp);
	for (size_t i = 0; i < m->nkgroups; i++) {
		const struct rel_kgroup *c = &m->kgroups[i];
		fputs("<tr><td>", fp);
		label_code(fp, label_of(m, c->var), c->factor);
		fprintf(fp, " (%zu levels)</td><td>", c->nlevels);
		label_code(fp, c->outcome_label, c->outcome);
		fputs("</td><td class=\"n\">", fp);
		count(fp, &c->n, m->k);
		fputs("</td>", fp);
		if (!status_cells(fp, c->status, 4, m->k)) {
			fputs("<td>", fp);
			html_text(fp, c->p_test ? c->p_test : "\xe2\x80\x93");
			fputs("</td><td>", fp);
			if (strcmp(c->type, "numeric") == 0) {
				fputs("ANOVA p ", fp);
				rpval(fp, &c->f_p);
				fputs(", Kruskal-Wallis p ", fp);
				rpval(fp, &c->kw_p);
			} else {
				fputs("Cram\xc3\xa9r's V ", fp);
				rnum(fp, &c->cramer_v, 3);
			}
			if (c->why != NULL) {
				fputs(" (", fp);
				html_text(fp, c->why);
				fputs(")", fp);
			}
			fputs("</td><td>", fp);
			rpval(fp, &c->p);
			fputs("</td><td>", fp);
			rpval(fp, &c->p_adjusted);
			fputs("</td></tr>\n", fp);
		}
		note_row_text(fp, 7, REPORT_NOTE_ANSWERS);
	}
	table_end(fp, m->k);
}

static void
stratified(FILE *fp, const struct rel_report *m)
{
	if (m->nstrats == 0)
		return;
	marks_reset();
	fputs("<h2 id=\"stratified\">Comparisons within strata</h2>\n<p>The "
	    "Mantel-Haenszel odds ratio of group a vs group b over the strata "
	    "of one variable, with its 95% interval and test.</p>\n<div class=\"tw\"><table>\n"
	    "<caption>Comparisons within strata; n: the respondents of the "
	    "two groups with the outcome and the stratum known (in "
	    "<a href=\"stratified.csv\">"
	    "stratified.csv</a>)</caption>\n"
	    "<tr><th scope=\"col\">Group</th><th scope=\"col\">Outcome</th><th scope=\"col\">Strata</th><th scope=\"col\">n</th>"
	    "<th scope=\"col\">Odds ratio</th><th scope=\"col\">p</th><th scope=\"col\">Adjusted p</th></tr>\n", fp);
	for (size_t i = 0; i < m->nstrats; i++) {
		const struct rel_strat *c = &m->strats[i];
		fputs("<tr><td>", fp);
		label_code(fp, c->igroup < m->ngroups ?
		    m->groups[c->igroup].label : NULL, c->group);
		fputs("</td><td>", fp);
		label_code(fp, c->outcome_label, c->outcome);
		fputs("</td><td>", fp);
		label_code(fp, label_of(m, c->stratum), c->stratum);
		fprintf(fp, " (%zu strata)</td><td class=\"n\">", c->nstrata);
		count(fp, &c->n, m->k);
		fputs("</td>", fp);
		if (!status_cells(fp, c->status, 3, m->k)) {
			fputs("<td>", fp);
			if (c->or_why != NULL) {
				fputs("not computed: ", fp);
				html_text(fp, c->or_why);
			} else {
				rest_ci(fp, &c->or_est, &c->lo, &c->hi, 3, 1);
			}
			fputs("</td><td>", fp);
			rpval(fp, &c->p);
			fputs("</td><td>", fp);
			rpval(fp, &c->p_adjusted);
			fputs("</td></tr>\n", fp);
		}
		note_row(fp, 7);
	}
	table_end(fp, m->k);
}

/*
 * The histogram of a variable as an SVG bar chart, drawn from the
 * released counts only (a hidden or withheld bar is a dashed outline of
 * fixed height): the count axis "number of respondents" with ticks at 1,
 * 2 or 5 times a power of ten, the value axis titled from the form
 * (rel_var.axis), and a title and description that name the variable.
 */
static void
histogram_svg(FILE *fp, const struct rel_var *v, long k, int standalone)
{
	const struct rel_hist *h = &v->hist;
	const double W = 420, H = 120, x0 = 52;
	const double y0 = standalone ? 24 : 10;
	size_t nb = h->nb, i, nhidden = 0, every;
	double max = 0, top, step, bw;
	char id[96], t[32];

	if (nb == 0)
		return;
	for (i = 0; i < nb; i++) {
		if (rel_count_shown(&h->counts[i])) {
			if ((double)h->counts[i].v > max)
				max = (double)h->counts[i].v;
		} else {
			nhidden++;
		}
	}
	step = tick_step(max);
	top = step * ceil(max / step);
	if (top <= 0)
		top = step;
	bw = W / (double)nb;
	snprintf(id, sizeof(id), "h-%s", v->name);
	svg_open(fp, standalone, id, x0 + W + 12, y0 + H + 48);
	fprintf(fp, "<title id=\"%s-t\">Histogram of ", id);
	html_text(fp, v->name);
	fputs(": number of respondents per ", fp);
	fputs(h->per_value ? "answer value" : "range of answers", fp);
	fprintf(fp, "</title>\n<desc id=\"%s-d\">", id);
	fprintf(fp, "%zu bars, one per %s, from ", nb, h->per_value ?
	    "value" : "range");
	report_fmt(t, sizeof(t), h->per_value ? h->breaks[0] + 0.5 :
	    h->breaks[0], 4);
	fputs(t, fp);
	fputs(" to ", fp);
	report_fmt(t, sizeof(t), h->per_value ? h->breaks[nb] - 0.5 :
	    h->breaks[nb], 4);
	fputs(t, fp);
	fputs("; ", fp);
	if (rel_count_shown(&v->n))
		fprintf(fp, "%lld respondents answered; ", v->n.v);
	fprintf(fp, "the tallest bar is %.0f respondents", max);
	if (nhidden > 0)
		fprintf(fp, "; %zu dashed bars are hidden counts (from 1 to "
		    "%ld, or hidden to protect one)", nhidden, k - 1);
	fputs(". Value axis: ", fp);
	html_text(fp, v->axis[0] ? v->axis : "answer");
	html_text(fp, v->axis_uw);
	fputs(". The counts are in histograms.csv.</desc>\n", fp);
	svg_style(fp, standalone);
	if (standalone) {
		/*
		 * A grid row's label is "question: row"; when it does not fit,
		 * the row is what tells the figures of one grid apart.
		 */
		const char *lab = v->label, *r;
		if (strlen(lab) > 70 && (r = strstr(lab, ": ")) != NULL &&
		    r[2] != '\0')
			lab = r + 2;
		fputs("<text x=\"4\" y=\"14\" font-weight=\"bold\">", fp);
		svg_uw(fp, lab, 70);
		fputs(" (", fp);
		html_text(fp, v->name);
		fputs(")</text>\n", fp);
	}
	/* The count axis: gridlines and ticks, then its title. */
	for (double y = 0; y <= top + step / 2; y += step) {
		double yy = y0 + H - H * y / top;
		fprintf(fp, "<line x1=\"%g\" y1=\"%.2f\" x2=\"%g\" y2=\"%.2f\" "
		    "stroke=\"%s\"/>\n<text x=\"%g\" y=\"%.2f\" text-anchor="
		    "\"end\">%.0f</text>\n", x0 - 3, yy, x0 + W, yy,
		    y == 0 ? "#555" : "#e4e7ec", x0 - 5, yy + 3.5, y);
	}
	fprintf(fp, "<text x=\"12\" y=\"%g\" transform=\"rotate(-90 12 %g)\" "
	    "text-anchor=\"middle\">number of respondents</text>\n",
	    y0 + H / 2, y0 + H / 2);
	for (i = 0; i < nb; i++) {
		double x = x0 + bw * (double)i;
		if (rel_count_shown(&h->counts[i])) {
			double hh = H * (double)h->counts[i].v / top;
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
	/*
	 * Value ticks: at the middle of each value's bar (at most 11
	 * labels, every 2nd, 5th... value of a wide range), or at the
	 * edges of ranges.
	 */
	if (h->per_value) {
		every = nb <= 11 ? 1 : nb <= 22 ? 2 : 5;
		for (i = 0; i < nb; i += every) {
			report_fmt(t, sizeof(t), h->breaks[i] + 0.5, 4);
			fprintf(fp, "<text x=\"%.2f\" y=\"%g\" text-anchor="
			    "\"middle\">%s</text>\n", x0 + bw * ((double)i +
			    0.5), y0 + H + 13, t);
		}
	} else {
		every = nb <= 5 ? 1 : nb <= 10 ? 2 : nb / 4;
		for (i = 0; i <= nb; i++) {
			if (i % every != 0 && i != nb)
				continue;
			if (i != nb && nb - i < every && i != 0)
				continue; /* too close to the last label */
			report_fmt(t, sizeof(t), h->breaks[i], 3);
			fprintf(fp, "<line x1=\"%.2f\" y1=\"%g\" x2=\"%.2f\" "
			    "y2=\"%g\" stroke=\"#555\"/>\n<text x=\"%.2f\" "
			    "y=\"%g\" text-anchor=\"middle\">%s</text>\n",
			    x0 + bw * (double)i, y0 + H, x0 + bw * (double)i,
			    y0 + H + 3, x0 + bw * (double)i, y0 + H + 13, t);
		}
	}
	fprintf(fp, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">", x0 + W /
	    2, y0 + H + 28);
	html_text(fp, v->axis[0] ? v->axis : "answer");
	if (v->axis_uw[0])
		svg_uw(fp, v->axis_uw, 80 - strlen(v->axis));
	fputs("</text>\n", fp);
	if (nhidden > 0)
		fprintf(fp, "<text x=\"%g\" y=\"%g\">dashed outline: a count "
		    "from 1 to %ld, or hidden to protect one</text>\n", x0,
		    y0 + H + 43, k - 1);
	fputs("</svg>\n", fp);
}

static void
histogram(FILE *fp, const struct rel_var *v, long k)
{
	histogram_svg(fp, v, k, 0);
	figure_links(fp, "histogram", v->name, "histogram of",
	    "histograms.csv");
}

/* "n = 35" when n is shown, else "n" alone: the denominator in words. */
static void
base_n(FILE *fp, const struct rel_var *v)
{
	if (rel_count_shown(&v->n))
		fprintf(fp, "n = %lld", v->n.v);
	else
		fputs("n", fp);
}

static void
summary(FILE *fp, const struct rel_var *v, long k)
{
	const struct rel_summary *s = &v->sum;

	marks_reset();
	fputs("<div class=\"tw\"><table><caption>Summary of ", fp);
	html_text(fp, v->name);
	fputs(", of the ", fp);
	base_n(fp, v);
	fputs(" usable answers (in <a href=\"variables.csv\">variables.csv"
	    "</a>)</caption><tr><th scope=\"col\">Mean [95% CI]</th>"
	    "<th scope=\"col\">SD</th><th scope=\"col\">Median</th>"
	    "<th scope=\"col\">Quartiles (25th and 75th percentiles)</th>"
	    "<th scope=\"col\">Min</th><th scope=\"col\">Max</th></tr>\n"
	    "<tr><td>", fp);
	rest_ci(fp, &s->mean, &s->ci_lo, &s->ci_hi, 3, 1);
	fputs("</td><td>", fp);
	rnum(fp, &s->sd, 3);
	fputs("</td><td>", fp);
	rnum(fp, &s->median, 3);
	fputs("</td><td>", fp);
	rnum(fp, &s->q1, 3);
	fputs(" and ", fp);
	rnum(fp, &s->q3, 3);
	fputs("</td><td>", fp);
	rnum(fp, &s->min, 3);
	fputs("</td><td>", fp);
	rnum(fp, &s->max, 3);
	fputs("</td></tr>", fp);
	table_end(fp, k);
	if ((s->min.st == REL_NONE || s->max.st == REL_NONE) &&
	    rel_num_shown(&s->median))
		fputs("<p class=\"meta\">The minimum and the maximum are one "
		    "respondent's answers: each is shown only when the bar of "
		    "the histogram that holds it is shown.</p>\n", fp);
	if (s->mean.st == REL_SHOWN && s->mean.dp >= 0)
		fprintf(fp, "<p class=\"meta\">Mean, SD and interval rounded "
		    "to %d decimals to protect hidden counts.</p>\n",
		    s->mean.dp);
}

/*
 * A frequency table (or the options of a multiple choice) with bars.
 * The percentages are of the variable's n, the number the question
 * shows: a missing code ("prefer not to say") is counted, and has no
 * percentage, as it is not part of n.
 */
static void
frequencies(FILE *fp, const struct rel_var *v, int multi, long k)
{
	marks_reset();
	fputs("<div class=\"tw\"><table><caption>Answers to ", fp);
	html_text(fp, v->name);
	if (v->percent_of_total) {
		/* n is withheld: the base is every answer, said as such. */
		fprintf(fp, ": respondents per answer; percentages of all %lld "
		    "answers, missing codes included, as n is withheld (in ",
		    v->freq_total.v);
	} else {
		fputs(multi ? ": respondents who chose each option, of the " :
		    ": respondents per answer; percentages of the ", fp);
		base_n(fp, v);
		fputs(multi ? " who answered (in " : " usable answers (in ",
		    fp);
	}
	fputs("<a href=\"frequencies.csv\">frequencies.csv</a>)</caption>",
	    fp);
	fputs("<tr><th scope=\"col\">Answer</th><th scope=\"col\">n</th>"
	    "<th scope=\"col\">% of ", fp);
	if (v->percent_of_total)
		fprintf(fp, "all %lld answers", v->freq_total.v);
	else
		base_n(fp, v);
	fputs(" [95% CI]</th><th scope=\"col\"><span class=\"vh\">Bar</span>"
	    "</th></tr>\n", fp);
	for (size_t i = 0; i < v->nrows; i++) {
		const struct rel_freq *r = &v->rows[i];
		fputs("<tr><td>", fp);
		html_uw(fp, r->label);
		if (r->missing_code)
			fputs(" <span class=\"meta\">(missing code)</span>", fp);
		fputs("</td><td class=\"n\">", fp);
		count(fp, &r->count, k);
		fputs("</td><td>", fp);
		if (rel_num_shown(&r->percent)) {
			rest_ci(fp, &r->percent, &r->ci_lo, &r->ci_hi, 3, 1);
			fprintf(fp, "</td><td><svg width=\"120\" height=\"10\" "
			    "aria-hidden=\"true\"><rect width=\"120\" "
			    "height=\"10\" fill=\"#eef1f5\"/><rect width=\"%.1f\""
			    " height=\"10\" fill=\"#4a6f8a\"/></svg>",
			    1.2 * r->percent.v);
		} else if (r->missing_code && !v->percent_of_total) {
			fputs("not part of n</td><td>", fp);
		} else {
			if (r->percent.st == REL_WITHHELD) {
				fputs("withheld", fp);
				marks.withheld++;
			} else {
				fputs("\xe2\x80\x93", fp);
				marks.dash++;
			}
			fputs("</td><td>", fp);
		}
		fputs("</td></tr>\n", fp);
	}
	table_end(fp, k);
}

static void
variables(FILE *fp, const struct rel_report *m)
{
	fputs("<h2 id=\"variables\">Answers, question by question</h2>\n", fp);
	fprintf(fp, "<p class=\"meta\">Hidden counts: between 1 and %ld, "
	    "or hidden so that such a count cannot be worked out from the "
	    "others.</p>\n", m->k - 1);
	fputs("<nav aria-label=\"Questions\" id=\"q-list\"><ul>\n", fp);
	for (size_t i = 0; i < m->nvars; i++) {
		fputs("<li><a href=\"#q-", fp);
		html_text(fp, m->vars[i].name);
		fputs("\">", fp);
		html_uw(fp, m->vars[i].label);
		fputs("</a></li>\n", fp);
	}
	fputs("</ul></nav>\n", fp);
	for (size_t i = 0; i < m->nvars; i++) {
		const struct rel_var *v = &m->vars[i];
		fputs("<article class=\"var\"><h3 id=\"q-", fp);
		html_text(fp, v->name);
		fputs("\">", fp);
		html_uw(fp, v->label);
		fputs(" <code>", fp);
		html_text(fp, v->name);
		fputs("</code></h3>\n<p class=\"meta\">", fp);
		html_text(fp, v->klass);
		fputs("; n = ", fp);
		marks_reset();
		count(fp, &v->n, m->k);
		fputs(" usable answers", fp);
		if (rel_count_shown(&v->missing))
			fprintf(fp, "; without one (no answer, not asked, or "
			    "a missing code such as <q>prefer not to say</q>): "
			    "%lld", v->missing.v);
		if (marks.below)
			fprintf(fp, " (&lt; %ld: from 1 to %ld)", m->k, m->k - 1);
		else if (marks.withheld)
			fputs(" (see <a href=\"#withheld\">Withheld</a>)", fp);
		fputs("</p>\n", fp);
		if (v->sum_state == REL_SUM_SHOWN)
			summary(fp, v, m->k);
		else if (v->sum_state == REL_SUM_NOTE) {
			fputs("<p class=\"status\">", fp);
			html_text(fp, v->summary_note);
			fputs("</p>\n", fp);
		}
		if (v->has_hist)
			histogram(fp, v, m->k);
		if (v->has_freq)
			frequencies(fp, v, 0, m->k);
		if (v->has_options)
			frequencies(fp, v, 1, m->k);
		fputs("<p class=\"top\"><a href=\"#q-list\">Questions</a> "
		    "\xc2\xb7 <a href=\"#top\">Back to top</a></p>\n"
		    "</article>\n", fp);
	}
}

/* What the gate withheld, in plain words. */
static void
withheld(FILE *fp, const struct rel_report *m)
{
	fputs("<h2 id=\"withheld\">Withheld</h2>\n", fp);
	if (m->nnotes == 0) {
		fputs("<p>Nothing beyond the hidden counts above: the numbers "
		    "shown together leave every hidden count protected.</p>\n",
		    fp);
		return;
	}
	marks_reset();
	fputs("<p class=\"meta\">Numbers left out or rounded because, "
	    "together with the rest of this report, they would have given "
	    "away a hidden count or a few respondents' answers.</p>\n<div class=\"tw\"><table>"
	    "<caption>What was withheld (in <a href=\"withheld.csv\">"
	    "withheld.csv</a>)</caption>"
	    "<tr><th scope=\"col\">What</th><th scope=\"col\">Why</th></tr>\n", fp);
	for (size_t i = 0; i < m->nnotes; i++) {
		fputs("<tr><td>", fp);
		html_text(fp, m->notes[i].what);
		fputs("</td><td>", fp);
		html_text(fp, m->notes[i].why);
		fputs("</td></tr>\n", fp);
	}
	table_end(fp, m->k);
}

/* Write one standalone figure; 0, or -1 with err naming the file. */
static int
figure_file(const struct rel_report *m, const char *dir, const char *kind,
    const char *name, size_t i, char *err, size_t errsz)
{
	char path[4096];
	FILE *fp;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/figures/%s-%s.svg", dir, kind, name);
	if ((fp = fmode_fopen(path, fmode_file())) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (strcmp(kind, "histogram") == 0)
		histogram_svg(fp, &m->vars[i], m->k, 1);
	else
		forest_svg(fp, m, i, 1);
	if (ferror(fp))
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0)
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
	return rc;
}

/*
 * Remove the figures an earlier run left in dir/figures: a figure this
 * release does not draw (a histogram withheld now) must not stay beside
 * it with numbers the gate did not pass this time. Only names this
 * writer makes are touched.
 */
static int
figures_clear(const char *dir, char *err, size_t errsz)
{
	char path[4096];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/figures", dir);
	if ((d = opendir(path)) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char f[4096 + 256];
		if (n < 5 || strcmp(e->d_name + n - 4, ".svg") != 0 ||
		    (strncmp(e->d_name, "histogram-", 10) != 0 &&
		    strncmp(e->d_name, "forest-", 7) != 0))
			continue;
		snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
		if (unlink(f) != 0 && errno != ENOENT) {
			snprintf(err, errsz, "%s: %s", f, strerror(errno));
			rc = -1;
			break;
		}
	}
	closedir(d);
	return rc;
}

int
report_write_figures(const struct rel_report *m, const char *dir, char *err,
    size_t errsz)
{
	char path[4096], e2[512];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/figures", dir);
	/*
	 * Old figures are removed from it: a symbolic link there would have
	 * files of another directory removed and written.
	 */
	if (lstat(path, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a directory (a symbolic link or "
		    "a file is refused)", path);
		return -1;
	}
	if (fmode_mkdirs(path, fmode_dir(), e2, sizeof(e2)) != 0) {
		snprintf(err, errsz, "%s", e2);
		return -1;
	}
	if (figures_clear(dir, err, errsz) != 0)
		return -1;
	for (size_t i = 0; i < m->nvars; i++)
		if (m->vars[i].has_hist && m->vars[i].hist.nb > 0 &&
		    figure_name_ok(m->vars[i].name) &&
		    figure_file(m, dir, "histogram", m->vars[i].name, i, err,
		    errsz) != 0)
			return -1;
	for (size_t g = 0; g < m->ngroups; g++) {
		size_t n = 0;
		for (size_t i = 0; i < m->ncmps; i++)
			if (m->cmps[i].igroup == g && m->cmps[i].has_welch)
				n++;
		if (n > 0 && figure_name_ok(m->groups[g].name) &&
		    figure_file(m, dir, "forest", m->groups[g].name, g, err,
		    errsz) != 0)
			return -1;
	}
	return 0;
}

int
report_write_html(const struct rel_report *m, const char *path)
{
	FILE *fp = fmode_fopen(path, fmode_file()); /* 0600, or 0640 */
	int rc = 0;

	if (fp == NULL)
		return -1;
	header(fp, m);
	fputs("<nav><p><a href=\"#comparisons\">Comparisons</a> \xc2\xb7 "
	    "<a href=\"#correlations\">Correlations</a> \xc2\xb7 "
	    "<a href=\"#adjusted\">Adjusted comparisons</a> \xc2\xb7 ", fp);
	if (m->npairs > 0)
		fputs("<a href=\"#paired\">Two answers</a> \xc2\xb7 ", fp);
	if (m->nkgroups > 0)
		fputs("<a href=\"#factors\">Factors</a> \xc2\xb7 ", fp);
	if (m->nstrats > 0)
		fputs("<a href=\"#stratified\">Within strata</a> \xc2\xb7 ",
		    fp);
	fputs("<a href=\"#variables\">Question by question</a> \xc2\xb7 "
	    "<a href=\"#withheld\">Withheld</a></p></nav>\n", fp);
	comparisons(fp, m);
	top_link(fp, 1);
	correlations(fp, m);
	top_link(fp, m->ncors > 0);
	adjusted(fp, m);
	top_link(fp, m->nadjs > 0);
	paired(fp, m);
	top_link(fp, m->npairs > 0);
	factor_tests(fp, m);
	top_link(fp, m->nkgroups > 0);
	stratified(fp, m);
	top_link(fp, m->nstrats > 0);
	variables(fp, m);
	withheld(fp, m);
	top_link(fp, 1);
	fputs("</main>\n</body>\n</html>\n", fp);
	if (ferror(fp))
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}
