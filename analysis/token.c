/*
 * API tokens (token.h): random ids and secrets in lower-case base32, a
 * strict parser, and the constant-time check of a secret against the
 * stored keyed hash.
 */
#include <string.h>

#include <sodium.h>

#include "token.h"

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static const char *const role_names[TOKEN_ROLE__MAX] = {"summary", "export"};

int
token_role_parse(const char *s)
{
	for (int i = 0; i < TOKEN_ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

const char *
token_role_name(enum token_role r)
{
	return r < TOKEN_ROLE__MAX ? role_names[r] : "?";
}

/* Base32 (RFC 4648 alphabet, lower case, no padding) of n bytes. */
static void
enc32(const unsigned char *in, size_t n, char *out, size_t nout)
{
	unsigned buf = 0;
	int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n && o < nout; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5 && o < nout) {
			out[o++] = b32[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o < nout)
		out[o++] = b32[(buf << (5 - bits)) & 31];
	out[o] = '\0';
}

void
token_new(char id[STORE_TOKEN_ID_LEN + 1], char secret[TOKEN_SECRET_LEN + 1],
    char full[TOKEN_LEN + 1])
{
	unsigned char rid[5], rsec[32];

	randombytes_buf(rid, sizeof(rid));
	randombytes_buf(rsec, sizeof(rsec));
	enc32(rid, sizeof(rid), id, STORE_TOKEN_ID_LEN);
	enc32(rsec, sizeof(rsec), secret, TOKEN_SECRET_LEN);
	memcpy(full, TOKEN_PREFIX, 4);
	memcpy(full + 4, id, STORE_TOKEN_ID_LEN);
	full[4 + STORE_TOKEN_ID_LEN] = '_';
	memcpy(full + 5 + STORE_TOKEN_ID_LEN, secret, TOKEN_SECRET_LEN + 1);
	sodium_memzero(rsec, sizeof(rsec));
}

static int
is_b32(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '2' && ch <= '7');
}

int
token_parse(const char *s, size_t len, char id[STORE_TOKEN_ID_LEN + 1],
    char secret[TOKEN_SECRET_LEN + 1])
{
	size_t i;

	if (len != TOKEN_LEN || memcmp(s, TOKEN_PREFIX, 4) != 0 ||
	    s[4 + STORE_TOKEN_ID_LEN] != '_')
		return -1;
	for (i = 0; i < STORE_TOKEN_ID_LEN; i++)
		if (!is_b32(s[4 + i]))
			return -1;
	for (i = 0; i < TOKEN_SECRET_LEN; i++)
		if (!is_b32(s[5 + STORE_TOKEN_ID_LEN + i]))
			return -1;
	memcpy(id, s + 4, STORE_TOKEN_ID_LEN);
	id[STORE_TOKEN_ID_LEN] = '\0';
	memcpy(secret, s + 5 + STORE_TOKEN_ID_LEN, TOKEN_SECRET_LEN);
	secret[TOKEN_SECRET_LEN] = '\0';
	return 0;
}

int
token_check(const unsigned char key[STORE_KEY_LEN],
    const struct store_token *t, const char *secret)
{
	unsigned char h[STORE_HASH_LEN];
	int ok;

	store_hash_code(key, secret, h);
	ok = sodium_memcmp(h, t->hash, STORE_HASH_LEN) == 0;
	sodium_memzero(h, sizeof(h));
	return ok;
}
