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
 * Each imported response gets a random id, the period of today (or of its
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
#define IMPORT_MAX_NA 16        /* missing-value tokens */
#define IMPORT_MAX_NA_LEN 32    /* bytes in one token */
#define IMPORT_MAX_WEIGHT 1000000      /* respondents one row may stand for */
#define IMPORT_MAX_RESPONSES 100000000 /* respondents one file may add */

/*
 * How the file codes what researchers' files commonly hold.
 *  - na: cells equal (byte for byte) to one of these tokens are no
 *    answer, like an empty cell ("NA", ".", "-99"...); in every column
 *    but the weight column.
 *  - weight: the name of a column of frequency weights (aggregated
 *    tables, one row per pattern of answers): a whole number 0 ..
 *    IMPORT_MAX_WEIGHT, and the row is stored that many times, each copy
 *    a respondent of its own (own id, own receipt hash). Not a form
 *    variable, and not "period".
 * Choice cells (single and multiple choice, grids, durations, yes/no,
 * scales, integers) also accept a decimal spelling of a whole code
 * ("2.0", "2.00", as SPSS and spreadsheets write them) and, for items
 * with choices, a choice's label in any of the form's languages (exact
 * text); both are stored as the code, whose label stays the form's. A
 * value that is no choice is reported with the item's codes and labels.
 */
struct import_opts {
	const char *na[IMPORT_MAX_NA];
	size_t nna;
	const char *weight;     /* NULL: no weight column */
	/*
	 * The exact bytes of f's file (form_file_read()), stored in the
	 * same transaction as the rows (form_versions_store()), so the
	 * database can decode them later without the file; NULL: not
	 * stored (tests that build rows by other means).
	 */
	const char *form_path, *form_buf;
	size_t form_len;
};

/*
 * Parse a --na list: tokens separated by commas ("NA,.,-99"), each 1 ..
 * IMPORT_MAX_NA_LEN bytes without control characters, at most
 * IMPORT_MAX_NA. The tokens point into buf, a copy the caller keeps
 * alive (bufsz > strlen(list)). Returns NULL, or the rule broken.
 */
const char *import_na_parse(const char *list, char *buf, size_t bufsz,
    struct import_opts *opt);

struct import_result {
	uint64_t rows;          /* data rows read */
	uint64_t stored;        /* responses committed (0 on any error) */
	uint64_t errors;        /* all errors, kept in diag or not */
	uint64_t hidden_cleared; /* answers to hidden items cleared */
	uint64_t na_cells;      /* cells read as no answer through opts->na */
	uint64_t recoded;       /* cells given as a decimal or a label */
	uint64_t zero_weight;   /* rows with weight 0 (nothing stored) */
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

/* As import_csv(), with options (opt NULL: none). */
int import_csv_opts(const struct form *f, struct store *st,
    const char *csv_path, const struct import_opts *opt,
    void (*progress)(uint64_t done, uint64_t total, void *arg), void *parg,
    struct import_result *res, struct diag *diag);

#endif
