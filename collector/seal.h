/*
 * Sealed state. Everything the collector needs between two pages travels in
 * the page itself, encrypted and authenticated with a key only the server
 * holds (libsodium secretbox under subkeys derived from the store key), so
 * there is no server session and no cookie. A blob is
 * base64url(nonce || secretbox(plaintext)); each purpose (page state,
 * receipt on the thank-you URL) has its own subkey, so one kind of blob can
 * never be replayed as another.
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
	SEAL_RECEIPT, /* the r= parameter of the thank-you page */
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
	size_t page;       /* index of the page being shown */
	struct form_answers *answers; /* owned */
	long long started; /* Unix seconds at consent; minimum fill time only */
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

#endif
