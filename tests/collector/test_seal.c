/*
 * Sealed blobs: a blob opens only under the key and purpose it was sealed
 * with; any changed, truncated or extended blob is refused; a page state
 * round-trips its answers; a state for a form version not served is
 * "expired", not "bad".
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
	/* seal_bad_other_key, seal_bad_other_purpose */
	CHECK(seal_open(&s2, SEAL_STATE, blob, &len) == NULL);
	CHECK(seal_open(&s1, SEAL_RECEIPT, blob, &len) == NULL);
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
	CHECK(memcmp(back.token, st.token, SEAL_TOKEN_LEN) == 0);
	CHECK(back.answers != NULL &&
	    back.answers->v[form_var_find(f, "pain")].i == 7);
	seal_state_free(&back);
	CHECK_INT(seal_state_open(&s2, blob, &f, 1, &back), SEAL_BAD);
	/* seal_bad_version: the same form id, a newer version served. */
	f->version = 2;
	CHECK_INT(seal_state_open(&s1, blob, &f, 1, &back), SEAL_EXPIRED);
	f->version = 1;
	free(blob);
	form_answers_free(st.answers);
	form_free(f);
	seal_wipe(&s1);
	seal_wipe(&s2);
	return test_done();
}
