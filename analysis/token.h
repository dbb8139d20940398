/*
 * Researcher API tokens. A token is "cnd_<id>_<secret>": the id is 8
 * lower-case base32 characters (40 random bits, public: it names the
 * token in lists and in the audit trail), the secret 52 (256 random bits).
 * Only a keyed hash of the secret is stored (store_hash_code() under the
 * installation key), so the database alone cannot produce a valid token.
 * The collector checks tokens with token_parse() and token_check(); the
 * analysis CLI makes them with token_new().
 */
#ifndef CANDOR_TOKEN_H
#define CANDOR_TOKEN_H

#include <stddef.h>

#include "store.h"

#define TOKEN_SECRET_LEN 52 /* base32 of 32 random bytes */
#define TOKEN_PREFIX "cnd_"
/* "cnd_" id "_" secret */
#define TOKEN_LEN (4 + STORE_TOKEN_ID_LEN + 1 + TOKEN_SECRET_LEN)

enum token_role { TOKEN_SUMMARY, TOKEN_EXPORT, TOKEN_ROLE__MAX };

/* The role named s ("summary", "export"), or -1. */
int token_role_parse(const char *s);
const char *token_role_name(enum token_role r);

/*
 * A fresh random token: the id, the secret and the whole token text
 * (NUL-terminated). The caller wipes secret and full after use.
 */
void token_new(char id[STORE_TOKEN_ID_LEN + 1],
    char secret[TOKEN_SECRET_LEN + 1], char full[TOKEN_LEN + 1]);

/*
 * Split a token of exactly len bytes into id and secret. Returns 0, or -1
 * when it does not have the shape above (any other length, prefix or
 * character). Never reads past len.
 */
int token_parse(const char *s, size_t len, char id[STORE_TOKEN_ID_LEN + 1],
    char secret[TOKEN_SECRET_LEN + 1]);

/*
 * Does secret match the stored token t under key? Constant time in the
 * secret (sodium_memcmp of the keyed hashes). Revocation is not checked.
 */
int token_check(const unsigned char key[STORE_KEY_LEN],
    const struct store_token *t, const char *secret);

#endif
