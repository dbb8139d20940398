/*
 * Sealed state (seal.h). The plaintext of a page state is a small JSON
 * object: form id and version, language, page, the answers in the storage
 * encoding (form_answers_to_json), the start time in whole seconds and the
 * start-token id. States have no age limit: a patient may leave a page open
 * for days. A state is refused when it does not authenticate (tampered) or
 * names a form version this process does not serve ("expired").
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "seal.h"

/* crypto_kdf contexts are exactly 8 bytes. */
static const char *const seal_ctx[SEAL__MAX] = {"candorst", "candorrc"};

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

char *
seal_box(const struct seal *s, enum seal_purpose p, const void *plain,
    size_t len)
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
	    box, s->key[p]) != 0)
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
seal_open(const struct seal *s, enum seal_purpose p, const char *b64,
    size_t *len)
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
	    blen - crypto_secretbox_NONCEBYTES, box, s->key[p]) != 0)
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
seal_state(const struct seal *s, const struct seal_state *st)
{
	char tok[SEAL_TOKEN_LEN * 2 + 1], dh[STORE_HASH_LEN * 2 + 1];
	char *answers = NULL, *plain = NULL, *out = NULL;
	json_t *o = NULL;

	answers = form_answers_to_json(st->answers, 0, st->form->nitem_vars);
	if (answers == NULL)
		goto out;
	sodium_bin2hex(tok, sizeof(tok), st->token, sizeof(st->token));
	o = json_pack("{s:s, s:I, s:i, s:I, s:s, s:I, s:s}", "f", st->form->id,
	    "v", (json_int_t)st->form->version, "l", st->lang, "p",
	    (json_int_t)st->page, "a", answers, "t", (json_int_t)st->started,
	    "k", tok);
	if (o == NULL)
		goto out;
	if (st->has_draft) {
		sodium_bin2hex(dh, sizeof(dh), st->draft, sizeof(st->draft));
		if (json_object_set_new(o, "d", json_string(dh)) != 0)
			goto out;
	}
	plain = json_dumps(o, JSON_COMPACT);
	if (plain == NULL)
		goto out;
	out = seal_box(s, SEAL_STATE, plain, strlen(plain));
out:
	if (plain != NULL)
		sodium_memzero(plain, strlen(plain));
	free(plain);
	free(answers);
	json_decref(o);
	return out;
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

enum seal_err
seal_state_open(const struct seal *s, const char *b64,
    struct form *const *forms, size_t nforms, struct seal_state *st)
{
	char *plain;
	size_t len, i;
	json_t *o = NULL;
	json_error_t jerr;
	const char *fid = NULL, *answers = NULL, *tok = NULL, *dh = NULL;
	json_int_t ver = 0, page = 0, started = 0;
	int lang = 0;
	enum seal_err rc = SEAL_BAD;
	struct diag d;

	memset(st, 0, sizeof(*st));
	diag_init(&d);
	plain = seal_open(s, SEAL_STATE, b64, &len);
	if (plain == NULL)
		return SEAL_BAD;
	o = json_loadb(plain, len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL)
		goto out;
	/* Sealed by us, so malformed means a bug or a key clash: still BAD. */
	if (json_unpack(o, "{s:s, s:I, s:i, s:I, s:s, s:I, s:s, s?s}", "f",
	    &fid, "v", &ver, "l", &lang, "p", &page, "a", &answers, "t",
	    &started, "k", &tok, "d", &dh) != 0)
		goto out;
	for (i = 0; i < nforms; i++)
		if (strcmp(forms[i]->id, fid) == 0 && forms[i]->version == ver)
			break;
	if (i == nforms) {
		rc = SEAL_EXPIRED;
		goto out;
	}
	st->form = forms[i];
	if (lang < 0 || (size_t)lang >= st->form->nlangs || page < 0 ||
	    (size_t)page >= st->form->npages)
		goto out;
	st->lang = lang;
	st->page = (size_t)page;
	st->started = (long long)started;
	if (seal_hex(tok, st->token, sizeof(st->token)) != 0)
		goto out;
	if (dh != NULL) {
		if (seal_hex(dh, st->draft, sizeof(st->draft)) != 0)
			goto out;
		st->has_draft = 1;
	}
	st->answers = form_answers_new(st->form);
	if (st->answers == NULL) {
		rc = SEAL_NOMEM;
		goto out;
	}
	if (form_answers_from_json(st->answers, answers, &d) != 0)
		goto out;
	rc = SEAL_OK;
out:
	if (rc != SEAL_OK)
		seal_state_free(st);
	diag_free(&d);
	json_decref(o);
	sodium_memzero(plain, len);
	free(plain);
	return rc;
}

void
seal_state_free(struct seal_state *st)
{
	if (st->answers != NULL)
		form_answers_free(st->answers);
	memset(st, 0, sizeof(*st));
}
