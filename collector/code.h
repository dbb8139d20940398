/*
 * Receipt and resume codes. A code is 19 random Crockford base32
 * characters (95 bits) and one check character, 20 in all, shown in five
 * groups of four after a word-like prefix that says which code it is:
 * "REC-" for a receipt (recibo), "CONT-" for a resume code (continue,
 * continuar). The check character depends on the kind, so a code typed
 * into the wrong page is recognised as the other kind, and it catches one
 * wrong character or two swapped neighbours. Codes are read leniently: any
 * case, with or without the prefix, dashes and spaces ignored, O read as
 * 0, I and L as 1. Only the canonical 20 characters are ever hashed.
 *
 * Codes issued before kinds existed (128 bits, 26 characters, no prefix
 * and no check) are still read, by code_read, for the drafts and receipts
 * they belong to.
 */
#ifndef CANDOR_COLLECTOR_CODE_H
#define CANDOR_COLLECTOR_CODE_H

#include <stddef.h>

enum code_kind { CODE_RECEIPT, CODE_RESUME, CODE_KIND__MAX };

#define CODE_LEN 20          /* canonical characters of a code */
#define CODE_BITS 95         /* random bits in it */
#define CODE_LEGACY_LEN 26   /* a code issued before kinds existed */
#define CODE_BUF (CODE_LEGACY_LEN + 1) /* holds any canonical code */
#define CODE_SHOWN_LEN 29    /* "CONT-" and five groups of four */

/* A fresh random code of kind in canonical form (NUL-terminated). */
void code_new(char out[CODE_LEN + 1], enum code_kind kind);
/* The prefix word of kind, without its dash: "REC", "CONT". */
const char *code_prefix(enum code_kind kind);
/*
 * Canonical code of kind to display form "REC-ABCD-EFGH-JKMN-PQRS-TVWX".
 */
void code_format(const char *code, enum code_kind kind,
    char out[CODE_SHOWN_LEN + 1]);

enum code_read_rc {
	CODE_OK = 0,
	CODE_BAD = -1,   /* not a code: wrong length, letters or check */
	CODE_OTHER = -2, /* a code of the other kind */
};
/*
 * Read what a person typed (at most inlen bytes) as a code of kind into
 * canonical form: a current code (CODE_LEN) or one issued before kinds
 * (CODE_LEGACY_LEN).
 */
enum code_read_rc code_read(const char *in, size_t inlen, enum code_kind kind,
    char out[CODE_BUF]);
/*
 * A current code of either kind into canonical form; 0, or -1 when it is
 * not one (codes issued before kinds included).
 */
int code_parse(const char *in, size_t inlen, char out[CODE_LEN + 1]);

#endif
