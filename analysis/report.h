/*
 * The analysis report. report_build() computes every published number
 * from a dataset and a plan into one model (a jansson tree, keys in a
 * fixed order), applying disclosure control (sdc.h) as it goes, so that
 * nothing unprotected ever reaches a writer. The writers then render the
 * same model: report.json (report.c), report.html (report_html.c) and one
 * CSV per table (report_csv.c). No writer computes or rounds anything but
 * its own display format, and nothing depends on the clock or on memory
 * addresses, so the same inputs give the same bytes.
 *
 * Wording: generated text never uses causal language. Every comparison
 * carries REPORT_NOTE verbatim; the survey's own labels (which may say
 * "improved") appear only in label fields (JSON "label", CSV "label"
 * columns, HTML elements of class "fw", "form wording").
 */
#ifndef CANDOR_REPORT_H
#define CANDOR_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "dataset.h"
#include "form.h"
#include "plan.h"

#define REPORT_NOTE "Association in self-reported, self-selected survey " \
	"data \xe2\x80\x94 not evidence that the therapy caused the difference."
#define REPORT_NOT_RUN_K "not run: group smaller than k"
#define REPORT_NOT_SHOWN_CELL "not shown: a cell of the table is smaller " \
	"than k"

/*
 * Compute the report model of dataset d under plan p with threshold k
 * (k >= SDC_K_MIN). Returns 0 and sets *out (json_decref() it), or -1
 * with a message in err (memory, or a bad argument to a statistics call,
 * which is a bug).
 */
int report_build(const struct form *f, const struct dataset *d,
    const struct plan *p, long k, json_t **out, char *err, size_t errsz);

/*
 * Write DIR/report.json, DIR/report.html and DIR/<table>.csv from the
 * model. Returns 0, or -1 with a message in err naming the file.
 */
int report_write_all(json_t *model, const char *dir, char *err,
    size_t errsz);

int report_write_json(json_t *model, const char *path);
int report_write_html(json_t *model, const char *path);
int report_write_csv(json_t *model, const char *dir, char *err,
    size_t errsz);

/* A display number: %.*g with digits significant digits, "-0" as "0". */
void report_fmt(char *buf, size_t n, double x, int digits);

#endif
