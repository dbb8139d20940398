/*
 * The codebook of a form: one entry per variable (item, grid row, score)
 * with its label in the default language, kind, type, codes and their
 * labels, missing codes, range, branching (show_if), score definition,
 * privacy flags and the form's dated facts about it ("DATE: TEXT (source:
 * SOURCE)"; the JSON also lists every fact once), as CSV, JSON or
 * Markdown. Conditions are printed as the
 * compact JSON of the form file, which is re-read for that purpose (the
 * loaded form keeps them as opaque trees).
 */
#ifndef CANDOR_CODEBOOK_H
#define CANDOR_CODEBOOK_H

#include <stdio.h>

#include "form.h"

enum codebook_format { CODEBOOK_CSV, CODEBOOK_JSON, CODEBOOK_MD,
	CODEBOOK_FORMAT__MAX };

/* "csv", "json", "md" to a format; -1 if none. */
int codebook_format_parse(const char *s);

/*
 * Write the codebook of f (loaded from form_path) to fp. Returns 0, or -1
 * with a message in err (the form file could not be re-read, or a write
 * failed).
 */
int codebook_write(const struct form *f, const char *form_path,
    enum codebook_format fmt, FILE *fp, char *err, size_t errsz);

#endif
