/*
 * The analysis report. report_build() computes every number of a report
 * from a dataset and a plan into a candidate release model (release.h),
 * applying per-table disclosure control (sdc.h) as it goes, and then
 * passes the whole model through the publication gate (gate.h), which
 * audits it against an attacker holding all of it and withholds or rounds
 * what it must. Only the gate's decisions reach the writers, which render
 * the sealed model: report.json (report_json.c), report.html
 * (report_html.c) and one CSV per table (report_csv.c). No writer
 * computes or rounds anything but its own display format, and nothing
 * depends on the clock or on memory addresses, so the same inputs give
 * the same bytes.
 *
 * Wording: generated text never uses causal language. Every comparison
 * of groups, paired answers, factor levels, strata and adjusted model
 * carries REPORT_NOTE verbatim, every correlation REPORT_NOTE_ANSWERS; the survey's own labels (which may say
 * "improved") appear only in label fields (JSON "label", CSV "label"
 * columns, HTML elements of class "uw", "user wording").
 */
#ifndef CANDOR_REPORT_H
#define CANDOR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "dataset.h"
#include "form.h"
#include "gate.h"
#include "plan.h"
#include "release.h"

#define REPORT_NOTE "Association in self-reported, self-selected survey " \
	"data \xe2\x80\x94 not evidence that the therapy caused the difference."
/*
 * Between two answers (correlations) no therapy is compared: the
 * sentence says what such an association is not.
 */
#define REPORT_NOTE_ANSWERS "Association between two answers \xe2\x80\x94 " \
	"not evidence that one caused the other."
/*
 * A paired comparison is of two answers of the same respondents (pain
 * when starting and now); a factor's k-group tests set one answer against
 * the levels of another. Neither compares groups of a therapy.
 */
#define REPORT_NOTE_PAIRED "Difference between two answers of the same " \
	"respondents, in self-reported, self-selected survey data " \
	"\xe2\x80\x94 not evidence of what caused it."
#define REPORT_NOT_RUN_K "not run: group smaller than k"
#define REPORT_NOT_SHOWN_CELL "not shown: a cell of the table is smaller " \
	"than k"
#define REPORT_NOT_FOR_PUBLICATION "not for publication: a private run " \
	"outside the release ledger (--no-ledger)"

/*
 * Build the released model of dataset d under plan p with threshold k
 * (k >= SDC_K_MIN). ledger (may be NULL: no earlier releases, nothing
 * recorded) gives the gate the earlier releases on the same data and
 * receives the membership of this release's groups (gate.h). Returns 0
 * and sets *out (rel_report_free() it), or -1 with a message in err
 * (memory, the gate's solver, or a bad argument to a statistics call,
 * which is a bug).
 */
int report_build(const struct form *f, const struct dataset *d,
    const struct plan *p, long k, struct gate_ledger *ledger,
    struct rel_report **out, char *err, size_t errsz);

/*
 * What a report says of its data when the form has a study window
 * (form.h), for today (a date at the form's precision): "final data (the
 * window closed on C)" once the data are final, else "interim data (...)"
 * with where the window is; "" without a window. This is the one thing in
 * a report that depends on the day it is run, and only for such forms.
 */
void report_data_status(const struct form *f, const char *today, char *out,
    size_t n);

/* The model as JSON (format candor-report-1); NULL when memory runs out. */
json_t *report_json(const struct rel_report *m);

/*
 * Write DIR/report.json, DIR/report.html, DIR/figures/<figure>.svg and
 * DIR/<table>.csv from the model. Returns 0, or -1 with a message in err naming the file.
 */
int report_write_all(const struct rel_report *m, const char *dir, char *err,
    size_t errsz);

int report_write_json(const struct rel_report *m, const char *path);
/*
 * Write every figure of report.html also as a standalone SVG file,
 * DIR/figures/histogram-<variable>.svg and DIR/figures/forest-<group>.svg
 * (the same drawing, from the sealed model only), after removing the
 * figures an earlier run left there. Returns 0, or -1 with err.
 */
int report_write_figures(const struct rel_report *m, const char *dir,
    char *err, size_t errsz);
int report_write_html(const struct rel_report *m, const char *path);
int report_write_csv(const struct rel_report *m, const char *dir, char *err,
    size_t errsz);

/* A display number: %.*g with digits significant digits, "-0" as "0". */
void report_fmt(char *buf, size_t n, double x, int digits);

/* ---- shared with the gate (gate.c), which recounts what it audits ---- */

enum vclass {
	VC_NUMERIC,     /* summary and histogram */
	VC_ORDINAL,     /* grid row: both a summary and a frequency table */
	VC_CATEGORICAL, /* frequency table of codes */
	VC_BINARY,      /* yes/no, criteria: frequency table, 2x2 comparisons */
	VC_MULTI,       /* multiple choice: one proportion per option */
	VC_SKIP         /* free text: never published */
};

enum vclass report_var_class(const struct form *f, size_t iv);

/* One code of a frequency table. */
struct report_code {
	long value;
	const char *label;
	int missing;
};

/* The codes of a categorical or binary variable, in form order. */
size_t report_var_codes(const struct form *f, size_t iv,
    struct report_code *out, size_t max);

/*
 * Per-value counts of every set code of an integer variable over
 * [col->lo, col->hi] (missing codes included), of the rows whose memb[]
 * is want (all rows when memb is NULL). Returns a calloc'd array of
 * hi - lo + 1 entries, or NULL (no small range, or memory).
 */
uint64_t *report_code_counts(const struct dataset *d, size_t iv,
    const uint8_t *memb, int want);

/* memb[r]: 1 in group a, 2 in group b, 0 neither (or both); malloc'd. */
uint8_t *report_group_members(const struct dataset *d,
    const struct plan_group *g, uint64_t *na, uint64_t *nb, uint64_t *both);

#endif
