/*
 * Sealed state. Everything the collector needs between two pages travels in
 * the page itself, encrypted and authenticated with a key only the server
 * holds (libsodium secretbox under subkeys derived from the store key), so
 * there is no server session and no cookie. A blob is
 * base64url(nonce || secretbox(plaintext)); each purpose has its own
 * subkey, so one kind of blob can never be replayed as another. Drafts are
 * the exception: they are stored, so they are sealed under a key derived
 * from the respondent's resume code instead (seal_draft).
 */
#ifndef CANDOR_COLLECTOR_SEAL_H
#define CANDOR_COLLECTOR_SEAL_H

#include <stddef.h>

#include "form.h"
#include "store.h"

#define SEAL_TOKEN_LEN 16      /* start-token ids: 128 random bits */
#define SEAL_MAX_B64 (96 * 1024) /* longest blob accepted, base64 chars */

enum seal_purpose {
	SEAL_STATE,   /* the hidden "state" field of survey pages */
	SEAL__MAX
};

struct seal {
	unsigned char key[SEAL__MAX][32];
};

/* Derive the subkeys from the installation key. */
void seal_init(struct seal *s, const unsigned char master[STORE_KEY_LEN]);
void seal_wipe(struct seal *s);

/*
 * Seal len bytes; returns a malloc'd NUL-terminated base64url string or
 * NULL on allocation failure (or when the result would exceed
 * SEAL_MAX_B64).
 */
char *seal_box(const struct seal *s, enum seal_purpose p, const void *plain,
    size_t len);
/*
 * Open a blob; returns the malloc'd NUL-terminated plaintext (its length in
 * *len) or NULL when the blob is malformed, truncated or was not sealed by
 * this key for this purpose.
 */
char *seal_open(const struct seal *s, enum seal_purpose p, const char *b64,
    size_t *len);

/* What the hidden field carries from page to page. */
struct seal_state {
	const struct form *form; /* borrowed from the collector */
	int lang;
	size_t page;       /* page shown; npages: check your answers */
	struct form_answers *answers; /* owned */
	long long started; /* Unix seconds at consent; minimum fill time only */
	/*
	 * The day or month ("YYYY-MM-DD", "YYYY-MM", the form's period)
	 * through which the state and its start token are valid; "" in a
	 * state sealed before expiries existed (the caller sets one).
	 */
	char expires[11];
	unsigned char token[SEAL_TOKEN_LEN]; /* single-use start token id */
	int has_draft;     /* resumed from a draft: delete it on submit */
	unsigned char draft[STORE_HASH_LEN];
};

enum seal_err {
	SEAL_OK = 0,
	SEAL_BAD,     /* tampered, truncated or not ours */
	SEAL_EXPIRED, /* for a form or version this process does not serve */
	SEAL_NOMEM,
	SEAL_ERR__MAX
};

/* Seal a state; NULL on failure. */
char *seal_state(const struct seal *s, const struct seal_state *st);
/*
 * Open a state for one of the nforms served forms. On SEAL_OK st is filled
 * (free with seal_state_free()).
 */
enum seal_err seal_state_open(const struct seal *s, const char *b64,
    struct form *const *forms, size_t nforms, struct seal_state *st);
void seal_state_free(struct seal_state *st);

/*
 * A draft: st sealed under a key derived from the resume code (the
 * canonical form, code.h) with the elapsed fill time in place of the start
 * time; NULL on failure. Only the holder of the code can open it.
 */
char *seal_draft(const struct seal_state *st, const char *code,
    long long elapsed);
/*
 * Open a draft with its code; on SEAL_OK st->started is now minus the
 * elapsed time, so the minimum fill time counts only time spent on pages.
 */
enum seal_err seal_draft_open(const char *code, const char *b64,
    struct form *const *forms, size_t nforms, long long now,
    struct seal_state *st);

/*
 * What a journey holds in memory (journey.h), sealed under keys derived
 * from the journey's secret, which only its tickets carry: the latest
 * state, with the elapsed fill time in place of the start time like a
 * draft, and the flash of one view (its errors, or the resume code).
 */
enum seal_held_purpose {
	SEAL_HELD_STATE,
	SEAL_HELD_FLASH,
	SEAL_HELD__MAX
};

char *seal_held(const struct seal_state *st, const unsigned char *secret,
    size_t len, long long elapsed);
/* As seal_draft_open, for a state sealed by seal_held. */
enum seal_err seal_held_open(const unsigned char *secret, size_t len,
    const char *b64, struct form *const *forms, size_t nforms, long long now,
    struct seal_state *st);
/* seal_box / seal_open for a flash under the secret's flash key. */
char *seal_held_box(const unsigned char *secret, size_t len,
    enum seal_held_purpose p, const void *plain, size_t plen);
char *seal_held_unbox(const unsigned char *secret, size_t len,
    enum seal_held_purpose p, const char *b64, size_t *plen);

#endif
