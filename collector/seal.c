/*
 * Sealed state (seal.h). The plaintext of a page state is a small JSON
 * object: form id and version, language, page, the start time in whole
 * seconds, the expiry (a day or a month), the start-token id, the draft
 * hash if any, and last the answers as an object in the storage encoding
 * (form_answers_to_json). A state is refused when it does not authenticate
 * (tampered) or names a form version this process does not serve
 * ("expired"); its expiry is the caller's to check.
 *
 * A draft has the same plaintext with the elapsed fill time in place of
 * the start time, sealed under a key derived from its resume code alone:
 * the server keeps no key that opens it.
 *
 * Every request opens one, so the plaintext is written and read in its one
 * exact shape without a JSON tree, and the answers are parsed once, by
 * form_answers_from_json(). A state in the earlier shape (the answers as a
 * JSON string, any member order), sealed before an upgrade under the same
 * key, is still read, by jansson.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "seal.h"

/* crypto_kdf contexts are exactly 8 bytes. */
static const char *const seal_ctx[SEAL__MAX] = {"candorst"};

#define SEAL_ID_MAX 64 /* longest form id written in a state */

void
seal_init(struct seal *s, const unsigned char master[STORE_KEY_LEN])
{
	size_t i;

	for (i = 0; i < SEAL__MAX; i++) {
		/* Cannot fail for these sizes; checked anyway. */
		if (crypto_kdf_derive_from_key(s->key[i], sizeof(s->key[i]),
		    (uint64_t)(i + 1), seal_ctx[i], master) != 0)
			crypto_generichash(s->key[i], sizeof(s->key[i]),
			    (const unsigned char *)seal_ctx[i], 8, master,
			    STORE_KEY_LEN);
	}
}

void
seal_wipe(struct seal *s)
{
	sodium_memzero(s, sizeof(*s));
}

/* seal_box() under any 32-byte key. */
static char *
box_key(const unsigned char key[32], const void *plain, size_t len)
{
	unsigned char *box = NULL;
	char *out = NULL;
	size_t blen, b64len;

	if (len > SEAL_MAX_B64)
		return NULL;
	blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	b64len = sodium_base64_ENCODED_LEN(blen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (b64len > SEAL_MAX_B64 + 1)
		return NULL;
	box = malloc(blen);
	out = malloc(b64len);
	if (box == NULL || out == NULL)
		goto fail;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	if (crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, len,
	    box, key) != 0)
		goto fail;
	sodium_bin2base64(out, b64len, box, blen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(box);
	return out;
fail:
	free(box);
	free(out);
	return NULL;
}

char *
seal_box(const struct seal *s, enum seal_purpose p, const void *plain,
    size_t len)
{
	return box_key(s->key[p], plain, len);
}

/* seal_open() under any 32-byte key. */
static char *
open_key(const unsigned char key[32], const char *b64, size_t *len)
{
	size_t n = strlen(b64), blen = 0;
	unsigned char *box = NULL;
	char *plain = NULL;

	if (n == 0 || n > SEAL_MAX_B64)
		return NULL;
	/*
	 * The base64url alphabet only: libsodium 1.0.18 decodes some bytes
	 * above 0x7f as if they were letters of it, which would let one blob
	 * be written in many ways.
	 */
	if (strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != n)
		return NULL;
	box = malloc(n); /* decoded is always shorter */
	if (box == NULL)
		return NULL;
	if (sodium_base642bin(box, n, b64, n, NULL, &blen, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		goto fail;
	if (blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		goto fail;
	*len = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	plain = malloc(*len + 1);
	if (plain == NULL)
		goto fail;
	if (crypto_secretbox_open_easy((unsigned char *)plain,
	    box + crypto_secretbox_NONCEBYTES,
	    blen - crypto_secretbox_NONCEBYTES, box, key) != 0)
		goto fail;
	plain[*len] = '\0';
	free(box);
	return plain;
fail:
	free(box);
	free(plain);
	return NULL;
}

char *
seal_open(const struct seal *s, enum seal_purpose p, const char *b64,
    size_t *len)
{
	return open_key(s->key[p], b64, len);
}

/*
 * The key of a draft: BLAKE2b of the canonical resume code under a fixed
 * domain key. The code holds 128 random bits, so no slow hash is needed;
 * the lookup hash (store_hash_code) is keyed with the installation key, so
 * the two never coincide.
 */
static void
draft_key(const char *code, unsigned char key[32])
{
	static const char domain[] = "candor draft key";

	crypto_generichash(key, 32, (const unsigned char *)code, strlen(code),
	    (const unsigned char *)domain, sizeof(domain) - 1);
}

/*
 * The keys of what a journey holds (journey.h): BLAKE2b of the journey's
 * secret under a domain key per purpose, so a held state never opens as
 * a flash, nor either as a draft or a page state.
 */
static void
held_key(const unsigned char *secret, size_t len, enum seal_held_purpose p,
    unsigned char key[32])
{
	static const char *const domain[SEAL_HELD__MAX] = {
		"candor held state", "candor view flash",
	};

	crypto_generichash(key, 32, secret, len,
	    (const unsigned char *)domain[p], strlen(domain[p]));
}

char *
seal_held_box(const unsigned char *secret, size_t len,
    enum seal_held_purpose p, const void *plain, size_t plen)
{
	unsigned char key[32];
	char *out;

	held_key(secret, len, p, key);
	out = box_key(key, plain, plen);
	sodium_memzero(key, sizeof(key));
	return out;
}

char *
seal_held_unbox(const unsigned char *secret, size_t len,
    enum seal_held_purpose p, const char *b64, size_t *plen)
{
	unsigned char key[32];
	char *out;

	held_key(secret, len, p, key);
	out = open_key(key, b64, plen);
	sodium_memzero(key, sizeof(key));
	return out;
}

/* A period string: "YYYY-MM-DD" or "YYYY-MM" (digits and dashes only). */
static int
seal_period_ok(const char *p)
{
	size_t n = strlen(p), i;

	if (n != 7 && n != 10)
		return 0;
	for (i = 0; i < n; i++) {
		int dash = i == 4 || i == 7;
		if (dash ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return 0;
	}
	return 1;
}

/* A form id as it may be written between quotes unescaped. */
static int
seal_plain_id(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > SEAL_ID_MAX)
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/*
 * The plaintext of st with t as its time member (the start time of a page
 * state, the elapsed seconds of a draft), sealed under key.
 */
static char *
seal_plain_box(const unsigned char key[32], const struct seal_state *st,
    long long t)
{
	char tok[SEAL_TOKEN_LEN * 2 + 1], dh[STORE_HASH_LEN * 2 + 1];
	char *answers = NULL, *plain = NULL, *out = NULL;
	size_t alen, cap = 0;
	int n;

	/* Defensive: form_load() allows [a-z0-9_] ids of 32 bytes at most. */
	if (!seal_plain_id(st->form->id) ||
	    (st->expires[0] != '\0' && !seal_period_ok(st->expires)))
		return NULL;
	answers = form_answers_to_json(st->answers, 0, st->form->nitem_vars);
	if (answers == NULL)
		goto out;
	alen = strlen(answers);
	if (alen > SEAL_MAX_B64)
		goto out; /* seal_box() refuses it anyway */
	sodium_bin2hex(tok, sizeof(tok), st->token, sizeof(st->token));
	if (st->has_draft)
		sodium_bin2hex(dh, sizeof(dh), st->draft, sizeof(st->draft));
	/* Id, four numbers, a date, two hex strings, punctuation: < 340. */
	cap = alen + 340;
	if ((plain = malloc(cap)) == NULL)
		goto out;
	n = snprintf(plain, cap, "{\"f\":\"%s\",\"v\":%ld,\"l\":%d,\"p\":%zu,"
	    "\"t\":%lld%s%s%s,\"k\":\"%s\"%s%s%s,\"a\":%s}",
	    st->form->id, st->form->version, st->lang, st->page, t,
	    st->expires[0] ? ",\"e\":\"" : "", st->expires,
	    st->expires[0] ? "\"" : "", tok, st->has_draft ? ",\"d\":\"" : "",
	    st->has_draft ? dh : "", st->has_draft ? "\"" : "", answers);
	if (n < 0 || (size_t)n >= cap)
		goto out;
	out = box_key(key, plain, (size_t)n);
out:
	if (plain != NULL)
		sodium_memzero(plain, cap);
	free(plain);
	free(answers);
	return out;
}

char *
seal_state(const struct seal *s, const struct seal_state *st)
{
	return seal_plain_box(s->key[SEAL_STATE], st, st->started);
}

char *
seal_draft(const struct seal_state *st, const char *code, long long elapsed)
{
	unsigned char key[32];
	char *out;

	draft_key(code, key);
	out = seal_plain_box(key, st, elapsed < 0 ? 0 : elapsed);
	sodium_memzero(key, sizeof(key));
	return out;
}

/* The members of a state's plaintext, before they are checked. */
struct seal_fields {
	char fid[SEAL_ID_MAX + 1];
	char exp[11]; /* "" in states sealed before expiries existed */
	long long ver, lang, page, started;
	char tok[SEAL_TOKEN_LEN * 2 + 1];
	char dh[STORE_HASH_LEN * 2 + 1];
	int has_dh;
	const char *answers; /* NUL-terminated, inside the plaintext */
};

/* Move *pp past the literal lit; -1 if it is not there. */
static int
scan_lit(const char **pp, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*pp, lit, n) != 0)
		return -1;
	*pp += n;
	return 0;
}

/* A string without escapes into out[cap]; -1 if not one or too long. */
static int
scan_str(const char **pp, char *out, size_t cap)
{
	const char *p = *pp;
	size_t n = 0;

	if (*p++ != '"')
		return -1;
	while (*p != '"') {
		if (*p == '\0' || *p == '\\' || n + 1 >= cap)
			return -1;
		out[n++] = *p++;
	}
	out[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* A JSON integer that fits a long long; -1 otherwise. */
static int
scan_int(const char **pp, long long *v)
{
	const char *p = *pp;
	char *end;

	if (*p != '-' && (*p < '0' || *p > '9'))
		return -1;
	errno = 0;
	*v = strtoll(p, &end, 10);
	if (errno != 0 || end == p)
		return -1;
	*pp = end;
	return 0;
}

/*
 * Read the plaintext in the shape seal_state() writes; 0, or -1 when it is
 * in any other. On success the answers end where the plaintext's closing
 * brace was (overwritten with NUL).
 */
static int
seal_scan(char *plain, size_t len, struct seal_fields *sf)
{
	const char *p = plain;
	char *last = plain + len - 1;

	if (len < 2 || *last != '}' ||
	    scan_lit(&p, "{\"f\":") != 0 ||
	    scan_str(&p, sf->fid, sizeof(sf->fid)) != 0 ||
	    scan_lit(&p, ",\"v\":") != 0 || scan_int(&p, &sf->ver) != 0 ||
	    scan_lit(&p, ",\"l\":") != 0 || scan_int(&p, &sf->lang) != 0 ||
	    scan_lit(&p, ",\"p\":") != 0 || scan_int(&p, &sf->page) != 0 ||
	    scan_lit(&p, ",\"t\":") != 0 ||
	    scan_int(&p, &sf->started) != 0)
		return -1;
	sf->exp[0] = '\0';
	if (scan_lit(&p, ",\"e\":") == 0 &&
	    (scan_str(&p, sf->exp, sizeof(sf->exp)) != 0 ||
	    !seal_period_ok(sf->exp)))
		return -1;
	if (scan_lit(&p, ",\"k\":") != 0 ||
	    scan_str(&p, sf->tok, sizeof(sf->tok)) != 0)
		return -1;
	sf->has_dh = 0;
	if (scan_lit(&p, ",\"d\":") == 0) {
		if (scan_str(&p, sf->dh, sizeof(sf->dh)) != 0)
			return -1;
		sf->has_dh = 1;
	}
	if (scan_lit(&p, ",\"a\":") != 0 || *p != '{' || p >= last)
		return -1;
	/* No NUL inside: the answers are exactly the bytes up to last. */
	if (memchr(p, '\0', (size_t)(last - p)) != NULL)
		return -1;
	*last = '\0';
	sf->answers = p;
	return 0;
}

/*
 * The earlier shape, by jansson: any member order, the answers as a JSON
 * string. *o keeps sf->answers alive; the caller frees it.
 */
static int
seal_unpack_old(const char *plain, size_t len, json_t **o,
    struct seal_fields *sf)
{
	json_error_t jerr;
	const char *fid = NULL, *tok = NULL, *dh = NULL;
	json_int_t ver = 0, page = 0, started = 0;
	int lang = 0;

	*o = json_loadb(plain, len, JSON_REJECT_DUPLICATES, &jerr);
	if (*o == NULL)
		return -1;
	if (json_unpack(*o, "{s:s, s:I, s:i, s:I, s:s, s:I, s:s, s?s}", "f",
	    &fid, "v", &ver, "l", &lang, "p", &page, "a", &sf->answers, "t",
	    &started, "k", &tok, "d", &dh) != 0)
		return -1;
	if (strlen(fid) >= sizeof(sf->fid) || strlen(tok) >= sizeof(sf->tok) ||
	    (dh != NULL && strlen(dh) >= sizeof(sf->dh)))
		return -1;
	memcpy(sf->fid, fid, strlen(fid) + 1);
	memcpy(sf->tok, tok, strlen(tok) + 1);
	sf->has_dh = dh != NULL;
	if (dh != NULL)
		memcpy(sf->dh, dh, strlen(dh) + 1);
	sf->ver = ver;
	sf->lang = lang;
	sf->page = page;
	sf->started = started;
	return 0;
}

/* Hex string of exactly n bytes into out. */
static int
seal_hex(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;

	if (hex == NULL || strlen(hex) != n * 2)
		return -1;
	if (sodium_hex2bin(out, n, hex, n * 2, NULL, &got, NULL) != 0 ||
	    got != n)
		return -1;
	return 0;
}

/* Open a blob sealed by seal_plain_box() under key into st. */
static enum seal_err
seal_plain_open(const unsigned char key[32], const char *b64,
    struct form *const *forms, size_t nforms, struct seal_state *st)
{
	char *plain;
	size_t len, i;
	json_t *o = NULL;
	struct seal_fields sf;
	enum seal_err rc = SEAL_BAD;
	struct diag d;

	memset(st, 0, sizeof(*st));
	memset(&sf, 0, sizeof(sf));
	diag_init(&d);
	plain = open_key(key, b64, &len);
	if (plain == NULL)
		return SEAL_BAD;
	/* Sealed by us, so malformed means a bug or a key clash: still BAD. */
	if (seal_scan(plain, len, &sf) != 0 &&
	    seal_unpack_old(plain, len, &o, &sf) != 0)
		goto out;
	for (i = 0; i < nforms; i++)
		if (strcmp(forms[i]->id, sf.fid) == 0 &&
		    forms[i]->version == sf.ver)
			break;
	if (i == nforms) {
		rc = SEAL_EXPIRED;
		goto out;
	}
	st->form = forms[i];
	/* Page npages is the check-your-answers step. */
	if (sf.lang < 0 || (unsigned long long)sf.lang >= st->form->nlangs ||
	    sf.page < 0 || (unsigned long long)sf.page > st->form->npages)
		goto out;
	st->lang = (int)sf.lang;
	st->page = (size_t)sf.page;
	st->started = sf.started;
	memcpy(st->expires, sf.exp, sizeof(st->expires));
	if (seal_hex(sf.tok, st->token, sizeof(st->token)) != 0)
		goto out;
	if (sf.has_dh) {
		if (seal_hex(sf.dh, st->draft, sizeof(st->draft)) != 0)
			goto out;
		st->has_draft = 1;
	}
	st->answers = form_answers_new(st->form);
	if (st->answers == NULL) {
		rc = SEAL_NOMEM;
		goto out;
	}
	if (form_answers_from_json(st->answers, sf.answers, &d) != 0)
		goto out;
	rc = SEAL_OK;
out:
	if (rc != SEAL_OK)
		seal_state_free(st);
	diag_free(&d);
	json_decref(o);
	sodium_memzero(plain, len);
	free(plain);
	sodium_memzero(&sf, sizeof(sf));
	return rc;
}

enum seal_err
seal_state_open(const struct seal *s, const char *b64,
    struct form *const *forms, size_t nforms, struct seal_state *st)
{
	return seal_plain_open(s->key[SEAL_STATE], b64, forms, nforms, st);
}

enum seal_err
seal_draft_open(const char *code, const char *b64, struct form *const *forms,
    size_t nforms, long long now, struct seal_state *st)
{
	unsigned char key[32];
	enum seal_err rc;

	draft_key(code, key);
	rc = seal_plain_open(key, b64, forms, nforms, st);
	sodium_memzero(key, sizeof(key));
	if (rc == SEAL_OK) {
		/* The time member of a draft is the elapsed fill time. */
		long long el = st->started;
		st->started = el >= 0 && el <= now ? now - el : now;
	}
	return rc;
}

char *
seal_held(const struct seal_state *st, const unsigned char *secret,
    size_t len, long long elapsed)
{
	unsigned char key[32];
	char *out;

	held_key(secret, len, SEAL_HELD_STATE, key);
	out = seal_plain_box(key, st, elapsed < 0 ? 0 : elapsed);
	sodium_memzero(key, sizeof(key));
	return out;
}

enum seal_err
seal_held_open(const unsigned char *secret, size_t len, const char *b64,
    struct form *const *forms, size_t nforms, long long now,
    struct seal_state *st)
{
	unsigned char key[32];
	enum seal_err rc;

	held_key(secret, len, SEAL_HELD_STATE, key);
	rc = seal_plain_open(key, b64, forms, nforms, st);
	sodium_memzero(key, sizeof(key));
	if (rc == SEAL_OK) {
		long long el = st->started;
		st->started = el >= 0 && el <= now ? now - el : now;
	}
	return rc;
}

void
seal_state_free(struct seal_state *st)
{
	if (st->answers != NULL)
		form_answers_free(st->answers);
	memset(st, 0, sizeof(*st));
}
