/*
 * Importing responses from CSV (paper surveys, other tools) into the
 * store. The header names the form's variables (and optionally "period");
 * a multiple-choice cell lists values separated by ';'; an empty cell is no
 * answer. Each row is validated exactly as a web submission: every cell
 * through form_value_parse(), then form_answers_check() (required items,
 * show_if: answers to items the row's own answers hide are cleared, as the
 * web form does, and counted), then form_score(). The import is all or
 * nothing: the rows go into one transaction that is committed only when
 * every row of the file is valid.
 *
 * Each imported row gets a random id, the period of today (or of its
 * "period" cell), the form's consent version, and a random receipt hash:
 * nobody holds a receipt code for it, so a paper respondent withdraws
 * through the site staff (docs/analysis.md).
 */
#ifndef CANDOR_IMPORT_H
#define CANDOR_IMPORT_H

#include <stdint.h>

#include "diag.h"
#include "form.h"
#include "store.h"

#define IMPORT_MAX_ERRORS 100   /* errors kept; later ones are only counted */
#define IMPORT_MAX_FIELD 65536  /* bytes in one cell */
#define IMPORT_MAX_COLUMNS 4096

struct import_result {
	uint64_t rows;          /* data rows read */
	uint64_t stored;        /* rows committed (0 on any error) */
	uint64_t errors;        /* all errors, kept in diag or not */
	uint64_t hidden_cleared; /* answers to hidden items cleared */
};

/*
 * Import the CSV file csv_path into the open read-write store st for form
 * f. Returns 0 when every row was valid and stored; -1 otherwise, with
 * nothing stored and the first IMPORT_MAX_ERRORS problems in diag, each as
 * "FILE: line L, column C" and the rule. progress may be NULL.
 */
int import_csv(const struct form *f, struct store *st, const char *csv_path,
    void (*progress)(uint64_t done, uint64_t total, void *arg), void *parg,
    struct import_result *res, struct diag *diag);

#endif
