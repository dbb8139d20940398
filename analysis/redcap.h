/*
 * REDCap data dictionaries (docs/redcap.md). A data dictionary is a CSV
 * file with one row per field and 18 fixed columns; this module turns a
 * loaded form into the rows of one (export) and a dictionary back into a
 * form file (import), so the collector and the tools share one mapping.
 *
 * The export builds the rows only; writing them as CSV is the caller's
 * (the analysis has the one CSV writer). The import reads CSV text itself,
 * because REDCap's files come from outside and need a strict parser with
 * line and column in every message.
 */
#ifndef CANDOR_REDCAP_H
#define CANDOR_REDCAP_H

#include <stddef.h>

#include "diag.h"
#include "form.h"

#define REDCAP_CSV_MAX (8u << 20)  /* a dictionary is at most 8 MiB */
#define REDCAP_ROWS_MAX 20000      /* fields in one dictionary */
#define REDCAP_FIELD_MAX (64u << 10) /* bytes in one cell */

/* The 18 columns, in REDCap's order. */
enum redcap_col {
	RC_VAR,      /* Variable / Field Name */
	RC_FORM,     /* Form Name */
	RC_SECTION,  /* Section Header */
	RC_TYPE,     /* Field Type */
	RC_LABEL,    /* Field Label */
	RC_CHOICES,  /* Choices, Calculations, OR Slider Labels */
	RC_NOTE,     /* Field Note */
	RC_VALID,    /* Text Validation Type OR Show Slider Number */
	RC_MIN,      /* Text Validation Min */
	RC_MAX,      /* Text Validation Max */
	RC_IDENT,    /* Identifier? */
	RC_BRANCH,   /* Branching Logic (Show field only if...) */
	RC_REQUIRED, /* Required Field? */
	RC_ALIGN,    /* Custom Alignment */
	RC_QNUM,     /* Question Number (surveys only) */
	RC_MATRIX,   /* Matrix Group Name */
	RC_RANK,     /* Matrix Ranking? */
	RC_ANNOT,    /* Field Annotation */
	RC__MAX
};

/* Header names exactly as REDCap writes them, indexed by enum redcap_col. */
extern const char *const redcap_columns[RC__MAX];

/* One field. Cells are owned, never NULL once a row is complete. */
struct redcap_row {
	char *f[RC__MAX];
	size_t row;  /* record number in the file; the header is row 1 */
	size_t line; /* line the record starts on */
};

struct redcap_dict {
	struct redcap_row *rows; /* the fields, header excluded */
	size_t nrows;
	size_t cap;
};

void redcap_dict_init(struct redcap_dict *d);
void redcap_dict_free(struct redcap_dict *d);

/*
 * Rows of the data dictionary for form f (labels in its first language).
 * name is the form's file name, used in messages. Returns 0, or -1 with
 * each thing REDCap cannot express appended to diag ("name: pages[3]
 * .items[1].show_if: rule"); out is then empty. Free out either way.
 */
int redcap_export(const char *name, const struct form *f,
    struct redcap_dict *out, struct diag *diag);

/*
 * Parse CSV text (RFC 4180, UTF-8, optional BOM, CRLF or LF) as a REDCap
 * data dictionary: the header must be REDCap's 18 columns in order.
 * Returns 0, or -1 with "name: line L, column C: rule" problems in diag.
 * Free out either way.
 */
int redcap_csv_parse(const char *name, const char *buf, size_t len,
    struct redcap_dict *out, struct diag *diag);

/*
 * Turn a parsed dictionary into the text of a form file with form id id.
 * Every feature the form cannot hold is reported as
 * "name: row R, column "C": rule": in warnings when dropping it is safe
 * (the form means the same), in errors when it is not. Returns 0 and sets
 * *json (malloc'd, free it) when errors is empty; otherwise -1 and *json
 * is NULL. The result always loads with form_load_buffer().
 */
int redcap_import(const char *name, const struct redcap_dict *d,
    const char *id, char **json, struct diag *errors, struct diag *warnings);

/*
 * A condition of form f as REDCap branching logic. Returns a malloc'd
 * string, or NULL with *err set to a static rule when REDCap has no way
 * to say it (a "count", "answered" on a multiple-choice item).
 */
char *redcap_logic_emit(const struct form *f, const struct form_cond *c,
    const char **err);

#endif
