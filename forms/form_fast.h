/*
 * The fast paths of the answers' JSON encoding (form_answers_fast.c), for
 * the form module, the analysis loader and the tests that hold them to the
 * general paths. Everyone else calls form_answers_to_json() and
 * form_answers_from_json(), which try these first.
 *
 * A loaded form carries its precomputed decoding rules (struct form_fast,
 * built by form_load_buffer(), freed by form_free(), read-only afterwards
 * and so shared by every thread without locks).
 */
#ifndef CANDOR_FORM_FAST_H
#define CANDOR_FORM_FAST_H

#include "form.h"

/* Build the rules of loaded form f into *out; 0, or -1 (memory). */
int form_fast_new(const struct form *f, struct form_fast **out);
void form_fast_free(struct form_fast *ff);

/*
 * Decode answers in the exact shape form_answers_to_json() writes: a
 * compact object of item variables in form order, values integers, reals
 * (decimal items), strings without escapes, or arrays of integers. Every
 * value of a must be unset on entry. Returns 0 when decoded (the answers
 * are then exactly those form_answers_from_json() gives), 1 when the text
 * is not in that shape, a value is refused or the form has no rules: a
 * may then hold some values, and the caller clears them before taking the
 * general path, which decides and explains.
 */
int form_answers_fast_decode(struct form_answers *a, const char *json);

/*
 * Encode variables [from, to) of a as form_answers_to_json() does, with no
 * JSON tree. Returns the malloc'd string; NULL with *fallback set when a
 * value is one it does not write (the caller then uses the general path),
 * NULL with *fallback clear on allocation failure.
 */
char *form_answers_fast_encode(const struct form_answers *a, size_t from,
    size_t to, int *fallback);

/* The general paths (jansson), as form_answers.c runs them. */
char *form_answers_to_json_tree(const struct form_answers *a, size_t from,
    size_t to);
int form_answers_from_json_tree(struct form_answers *a, const char *json,
    struct diag *diag);

#endif
