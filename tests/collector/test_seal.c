/*
 * Sealed blobs: a blob opens only under the key it was sealed with; any
 * changed, truncated or extended blob is refused; a page state round-trips
 * its answers and expiry; a state for a form version not served is
 * "expired", not "bad". A draft opens only with its resume code (the
 * installation key cannot open it, nor another code), carries the elapsed
 * fill time and no clock time, and a page state cannot be read as one.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"
#include "testlib.h"

int
main(void)
{
	unsigned char k1[STORE_KEY_LEN], k2[STORE_KEY_LEN];
	struct seal s1, s2;
	char *blob, *plain, path[512];
	size_t len, i;
	struct form *f = NULL;
	struct diag d;
	struct seal_state st, back;

	CHECK(sodium_init() >= 0);
	randombytes_buf(k1, sizeof(k1));
	randombytes_buf(k2, sizeof(k2));
	seal_init(&s1, k1);
	seal_init(&s2, k2);

	blob = seal_box(&s1, SEAL_STATE, "hello", 5);
	CHECK(blob != NULL);
	plain = seal_open(&s1, SEAL_STATE, blob, &len);
	CHECK(plain != NULL && len == 5 && strcmp(plain, "hello") == 0);
	free(plain);
	/* seal_bad_other_key */
	CHECK(seal_open(&s2, SEAL_STATE, blob, &len) == NULL);
	/* seal_bad_flipped: every position */
	for (i = 0; blob[i] != '\0'; i++) {
		char save = blob[i];
		blob[i] = save == 'A' ? 'B' : 'A';
		plain = seal_open(&s1, SEAL_STATE, blob, &len);
		CHECK(plain == NULL);
		free(plain);
		blob[i] = save;
	}
	blob[strlen(blob) - 1] = '\0';
	CHECK(seal_open(&s1, SEAL_STATE, blob, &len) == NULL);
	free(blob);
	CHECK(seal_open(&s1, SEAL_STATE, "", &len) == NULL);
	CHECK(seal_open(&s1, SEAL_STATE, "!!!!", &len) == NULL);

	/* A page state round trip on the mini form. */
	test_src_path("tests/collector/mini.json", path, sizeof(path));
	diag_init(&d);
	CHECK_INT(form_load(path, &f, &d), 0);
	diag_free(&d);
	if (f == NULL)
		return test_done();
	memset(&st, 0, sizeof(st));
	st.form = f;
	st.lang = 1;
	st.page = 2;
	st.started = 1700000000;
	memcpy(st.expires, "2026-12", 8);
	randombytes_buf(st.token, sizeof(st.token));
	st.answers = form_answers_new(f);
	{
		const char *v = "7";
		const char *err = NULL;
		long iv = form_var_find(f, "pain");
		CHECK(iv >= 0);
		CHECK_INT(form_value_parse(f, (size_t)iv, &v, 1,
		    &st.answers->v[iv], &err), 0);
	}
	blob = seal_state(&s1, &st);
	CHECK(blob != NULL);
	CHECK_INT(seal_state_open(&s1, blob, &f, 1, &back), SEAL_OK);
	CHECK_INT(back.lang, 1);
	CHECK_INT(back.page, 2);
	CHECK_INT(back.started, 1700000000);
	CHECK_STR(back.expires, "2026-12");
	CHECK(memcmp(back.token, st.token, SEAL_TOKEN_LEN) == 0);
	CHECK(back.answers != NULL &&
	    back.answers->v[form_var_find(f, "pain")].i == 7);
	seal_state_free(&back);
	CHECK_INT(seal_state_open(&s2, blob, &f, 1, &back), SEAL_BAD);
	/* seal_bad_version: the same form id, a newer version served. */
	f->version = 2;
	CHECK_INT(seal_state_open(&s1, blob, &f, 1, &back), SEAL_EXPIRED);
	f->version = 1;
	/* draft_bad_state: no code opens a page state as a draft. */
	CHECK_INT(seal_draft_open("0123456789ABCDEFGHJKMNPQRS", blob, &f, 1,
	    1700000900, &back), SEAL_BAD);
	free(blob);

	/* A draft: elapsed time in, started = now - elapsed out. */
	{
		const char *code = "7Q3K9M2P4X8V1B6N5C0DHJ7Q3K";
		char *db = seal_draft(&st, code, 125), *dp;
		CHECK(db != NULL);
		CHECK_INT(seal_draft_open(code, db, &f, 1, 1800000000, &back),
		    SEAL_OK);
		CHECK(back.started == 1800000000 - 125);
		CHECK_STR(back.expires, "2026-12");
		CHECK(memcmp(back.token, st.token, SEAL_TOKEN_LEN) == 0);
		CHECK(back.answers != NULL &&
		    back.answers->v[form_var_find(f, "pain")].i == 7);
		seal_state_free(&back);
		/* draft_bad_code, draft_bad_install_key */
		CHECK_INT(seal_draft_open("7Q3K9M2P4X8V1B6N5C0DHJ7Q3M", db, &f,
		    1, 1800000000, &back), SEAL_BAD);
		CHECK_INT(seal_state_open(&s1, db, &f, 1, &back), SEAL_BAD);
		CHECK(seal_open(&s1, SEAL_STATE, db, &len) == NULL);
		/* The plaintext holds the elapsed seconds, not the start. */
		{
			unsigned char key[32], box[4096];
			static const char domain[] = "candor draft key";
			size_t blen = 0;
			crypto_generichash(key, 32, (const unsigned char *)code,
			    strlen(code), (const unsigned char *)domain,
			    sizeof(domain) - 1);
			CHECK(sodium_base642bin(box, sizeof(box), db, strlen(db),
			    NULL, &blen, NULL,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
			dp = calloc(1, blen + 1);
			CHECK(dp != NULL && blen > crypto_secretbox_NONCEBYTES +
			    crypto_secretbox_MACBYTES);
			if (dp != NULL) {
				CHECK(crypto_secretbox_open_easy(
				    (unsigned char *)dp,
				    box + crypto_secretbox_NONCEBYTES,
				    blen - crypto_secretbox_NONCEBYTES, box,
				    key) == 0);
				CHECK(strstr(dp, "\"t\":125,") != NULL);
				CHECK(strstr(dp, "1700000000") == NULL);
				free(dp);
			}
		}
		free(db);
	}
	form_answers_free(st.answers);
	form_free(f);
	seal_wipe(&s1);
	seal_wipe(&s2);
	return test_done();
}
