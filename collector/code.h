/*
 * Receipt and resume codes: 128 random bits written in Crockford base32
 * (26 characters, no I L O U), shown in groups of four joined by dashes and
 * parsed leniently (any case, dashes and spaces ignored, O read as 0, I and
 * L as 1). Only the canonical 26-character form is ever hashed.
 */
#ifndef CANDOR_COLLECTOR_CODE_H
#define CANDOR_COLLECTOR_CODE_H

#include <stddef.h>

#define CODE_LEN 26          /* canonical characters */
#define CODE_SHOWN_LEN 32    /* with the six dashes */

/* A fresh random code in canonical form (NUL-terminated). */
void code_new(char out[CODE_LEN + 1]);
/* Canonical code to display form "ABCD-EFGH-...-YZ". */
void code_format(const char *code, char out[CODE_SHOWN_LEN + 1]);
/*
 * Read what a person typed (at most inlen bytes) into canonical form.
 * Returns 0, or -1 when it cannot be a code (wrong length, other letters).
 */
int code_parse(const char *in, size_t inlen, char out[CODE_LEN + 1]);

#endif
