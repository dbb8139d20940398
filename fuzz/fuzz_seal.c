/*
 * Fuzz target: sealed state (collector/seal.c) under one fixed key, with
 * the mini and the default survey as the served forms.
 *
 * Byte 0 picks the mode, the rest is the payload:
 *   0  the payload is a blob from a client: seal_open() and
 *      seal_state_open() must not crash and must refuse it unless it is
 *      exactly a blob sealed under this key (the corpus holds a few such);
 *      a blob that opens is canonical (re-encoding its bytes gives the same
 *      text) and opens for one purpose only;
 *   1  the payload is a plaintext sealed here and then opened as a page
 *      state: the decoder after authentication (JSON, ranges, hex, the
 *      answers) sees arbitrary text; what it accepts must be in range and
 *      survive sealing again unchanged;
 *   2  a state is derived from the payload (form, language, page, start
 *      time, token, draft hash, answers as storage JSON), sealed, opened
 *      and compared field by field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz.h"
#include "seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct seal key;
static struct form *forms[2];

static void
setup(void)
{
	static int done;
	unsigned char master[STORE_KEY_LEN];
	size_t i;

	if (done)
		return;
	done = 1;
	if (sodium_init() < 0)
		abort();
	for (i = 0; i < sizeof(master); i++)
		master[i] = (unsigned char)(0xA0 + i);
	seal_init(&key, master);
	forms[0] = fuzz_load_form("tests/forms/data/mini.json");
	forms[1] = fuzz_load_form("forms/fibromyalgia-therapies.json");
}

/* The payload as a NUL-terminated string (cut at an embedded NUL). */
static char *
cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Two states carry the same thing. */
static void
check_same(const struct seal_state *a, const struct seal_state *b)
{
	char *ja, *jb;

	FUZZ_CHECK(a->form == b->form);
	FUZZ_CHECK(a->lang == b->lang && a->page == b->page);
	FUZZ_CHECK(a->started == b->started);
	FUZZ_CHECK(strcmp(a->expires, b->expires) == 0);
	FUZZ_CHECK(memcmp(a->token, b->token, sizeof(a->token)) == 0);
	FUZZ_CHECK(a->has_draft == b->has_draft);
	if (a->has_draft)
		FUZZ_CHECK(memcmp(a->draft, b->draft, sizeof(a->draft)) == 0);
	ja = form_answers_to_json(a->answers, 0, a->form->nitem_vars);
	jb = form_answers_to_json(b->answers, 0, b->form->nitem_vars);
	FUZZ_CHECK(ja != NULL && jb != NULL);
	FUZZ_CHECK(strcmp(ja, jb) == 0);
	free(ja);
	free(jb);
}

/* An opened state is in range, and seals and opens again to itself. */
static void
check_opened(const struct seal_state *st)
{
	struct seal_state back;
	char *blob;

	FUZZ_CHECK(st->form == forms[0] || st->form == forms[1]);
	FUZZ_CHECK(st->lang >= 0 && (size_t)st->lang < st->form->nlangs);
	/* Page npages is the check-your-answers step (seal.h). */
	FUZZ_CHECK(st->page <= st->form->npages);
	FUZZ_CHECK(st->answers != NULL && st->answers->form == st->form);
	blob = seal_state(&key, st);
	FUZZ_CHECK(blob != NULL);
	FUZZ_CHECK(seal_state_open(&key, blob, forms, 2, &back) == SEAL_OK);
	check_same(st, &back);
	seal_state_free(&back);
	free(blob);
}

static void
mode_blob(const uint8_t *data, size_t size)
{
	char *b64 = cstr(data, size), *plain, *again;
	size_t len, blen = 0;
	struct seal_state st;
	unsigned char *box;

	plain = seal_open(&key, SEAL_STATE, b64, &len);
	if (plain != NULL) {
		/* Canonical: its bytes encode back to exactly this text. */
		FUZZ_CHECK(strlen(plain) <= len);
		box = malloc(strlen(b64));
		FUZZ_CHECK(box != NULL);
		FUZZ_CHECK(sodium_base642bin(box, strlen(b64), b64,
		    strlen(b64), NULL, &blen, NULL,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
		FUZZ_CHECK(blen == len + crypto_secretbox_NONCEBYTES +
		    crypto_secretbox_MACBYTES);
		again = malloc(sodium_base64_ENCODED_LEN(blen,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING));
		FUZZ_CHECK(again != NULL);
		sodium_bin2base64(again, sodium_base64_ENCODED_LEN(blen,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING), box, blen,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		FUZZ_CHECK(strcmp(again, b64) == 0);
		free(again);
		free(box);
		free(plain);
	}
	/* A draft's key is its code's: a blob opens as one kind at most. */
	if (seal_draft_open("0123456789ABCDEFGHJKMNPQRS", b64, forms, 2,
	    1800000000, &st) == SEAL_OK) {
		struct seal_state other;
		FUZZ_CHECK(seal_state_open(&key, b64, forms, 2, &other) !=
		    SEAL_OK);
		seal_state_free(&st);
	}
	if (seal_state_open(&key, b64, forms, 2, &st) == SEAL_OK) {
		check_opened(&st);
		seal_state_free(&st);
	}
	free(b64);
}

static void
mode_plain(const uint8_t *data, size_t size)
{
	struct seal_state st;
	char *blob = seal_box(&key, SEAL_STATE, data, size);
	enum seal_err rc;

	if (blob == NULL) {
		FUZZ_CHECK(size > SEAL_MAX_B64 / 2);
		return;
	}
	rc = seal_state_open(&key, blob, forms, 2, &st);
	FUZZ_CHECK(rc == SEAL_OK || rc == SEAL_BAD || rc == SEAL_EXPIRED);
	if (rc == SEAL_OK) {
		check_opened(&st);
		seal_state_free(&st);
	} else
		FUZZ_CHECK(st.answers == NULL);
	free(blob);
}

static void
mode_state(const uint8_t *data, size_t size)
{
	struct seal_state st, back;
	const struct form *f;
	struct diag d;
	char *json, *blob;
	size_t i;

	if (size < 4 + SEAL_TOKEN_LEN + 1)
		return;
	memset(&st, 0, sizeof(st));
	f = st.form = forms[data[0] & 1];
	st.lang = (int)(data[1] % f->nlangs);
	st.page = data[2] % f->npages;
	st.has_draft = data[3] & 1;
	st.started = (long long)(data[3] >> 1) * 86400LL * 365;
	snprintf(st.expires, sizeof(st.expires), "%s",
	    data[3] & 2 ? "2026-12" : "2026-12-16");
	memcpy(st.token, data + 4, SEAL_TOKEN_LEN);
	for (i = 0; i < sizeof(st.draft); i++)
		st.draft[i] = data[(4 + i) % size];
	data += 4 + SEAL_TOKEN_LEN;
	size -= 4 + SEAL_TOKEN_LEN;
	st.answers = form_answers_new(f);
	FUZZ_CHECK(st.answers != NULL);
	json = cstr(data, size);
	diag_init(&d);
	if (form_answers_from_json(st.answers, json, &d) != 0) {
		/* Refused: seal a state without answers instead. */
		form_answers_free(st.answers);
		st.answers = form_answers_new(f);
		FUZZ_CHECK(st.answers != NULL);
	}
	diag_free(&d);
	free(json);
	blob = seal_state(&key, &st);
	if (blob != NULL) {
		FUZZ_CHECK(seal_state_open(&key, blob, forms, 2, &back) ==
		    SEAL_OK);
		check_same(&st, &back);
		seal_state_free(&back);
		free(blob);
	} else
		FUZZ_CHECK(size > SEAL_MAX_B64 / 2);
	form_answers_free(st.answers);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		mode_blob(data + 1, size - 1);
		break;
	case 1:
		mode_plain(data + 1, size - 1);
		break;
	default:
		mode_state(data + 1, size - 1);
		break;
	}
	return 0;
}
