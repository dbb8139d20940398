/*
 * Shared by the REDCap tests that write small dictionaries inline: the
 * header row, and one call that parses and imports a text, keeping the
 * errors and warnings for the test to look through.
 */
#ifndef CANDOR_TEST_FORMS_REDCAP_INLINE_H
#define CANDOR_TEST_FORMS_REDCAP_INLINE_H

#include <stdlib.h>
#include <string.h>

#include "redcap.h"
#include "testlib.h"

#define RC_HDR "Variable / Field Name,Form Name,Section Header,Field Type," \
    "Field Label,\"Choices, Calculations, OR Slider Labels\",Field Note," \
    "Text Validation Type OR Show Slider Number,Text Validation Min," \
    "Text Validation Max,Identifier?,Branching Logic (Show field only " \
    "if...),Required Field?,Custom Alignment,Question Number (surveys " \
    "only),Matrix Group Name,Matrix Ranking?,Field Annotation\r\n" \
    "record_id,f,,text,Record ID,,,,,,,,,,,,,\r\n"

/*
 * Parse and import text as "x.csv". Returns redcap_import()'s result (-2
 * when the CSV does not parse); *json is the form or NULL. The caller
 * frees *json and both diags.
 */
static inline int
rc_import_text(const char *text, char **json, struct diag *err,
    struct diag *warn)
{
	struct redcap_dict d;
	int rc;

	diag_init(err);
	diag_init(warn);
	*json = NULL;
	if (redcap_csv_parse("x.csv", text, strlen(text), &d, err) != 0) {
		redcap_dict_free(&d);
		diag_print(err, stderr);
		return -2;
	}
	rc = redcap_import("x.csv", &d, "x", json, err, warn);
	redcap_dict_free(&d);
	return rc;
}

/* Does d hold a message at (row, column) whose rule contains what? */
static inline int
rc_has(const struct diag *d, size_t row, const char *column, const char *what)
{
	char where[512];

	snprintf(where, sizeof(where), "x.csv: row %zu, column \"%s\"", row,
	    column);
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->a[i].where, where) == 0 &&
		    strstr(d->a[i].what, what) != NULL)
			return 1;
	fprintf(stderr, "expected \"%s: ...%s...\" among:\n", where, what);
	diag_print(d, stderr);
	return 0;
}

#endif
