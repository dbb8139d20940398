/*
 * Page states are sealed with the answers as a JSON object, last, so they
 * are parsed once; a state sealed in the earlier shape (answers as a JSON
 * string) under the same key still opens to the same state; a state in
 * neither shape, or whose answers break a rule, is refused as bad, and one
 * for a version not served is expired in either shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"
#include "testlib.h"

/* Open plaintext `plain` sealed as a state under s. */
static enum seal_err
open_plain(const struct seal *s, const char *plain, struct form *f,
    struct seal_state *st)
{
	char *blob = seal_box(s, SEAL_STATE, plain, strlen(plain));
	enum seal_err rc;

	if (blob == NULL)
		return SEAL_NOMEM;
	rc = seal_state_open(s, blob, &f, 1, st);
	free(blob);
	return rc;
}

int
main(void)
{
	unsigned char key[STORE_KEY_LEN];
	struct seal s;
	char path[512], *blob, *plain;
	char hex[SEAL_TOKEN_LEN * 2 + 1], old[1024];
	size_t len;
	struct form *f = NULL;
	struct diag d;
	struct seal_state st, back;
	long ipain, iyears;

	CHECK(sodium_init() >= 0);
	randombytes_buf(key, sizeof(key));
	seal_init(&s, key);
	test_src_path("tests/collector/mini.json", path, sizeof(path));
	diag_init(&d);
	CHECK_INT(form_load(path, &f, &d), 0);
	diag_free(&d);
	if (f == NULL)
		return test_done();
	ipain = form_var_find(f, "pain");
	iyears = form_var_find(f, "kratom_years");
	CHECK(ipain >= 0 && iyears >= 0);

	memset(&st, 0, sizeof(st));
	st.form = f;
	st.lang = 1;
	st.page = 1;
	st.started = 1700000000;
	memcpy(st.expires, "2026-12-16", 11);
	st.has_draft = 1;
	randombytes_buf(st.token, sizeof(st.token));
	randombytes_buf(st.draft, sizeof(st.draft));
	st.answers = form_answers_new(f);
	st.answers->v[ipain].set = 1;
	st.answers->v[ipain].i = 7;
	st.answers->v[ipain].r = 7;
	st.answers->v[iyears].set = 1;
	st.answers->v[iyears].i = 12;
	st.answers->v[iyears].r = 12;

	/* seal_state_shape_object: the answers are an object, last. */
	blob = seal_state(&s, &st);
	CHECK(blob != NULL);
	plain = seal_open(&s, SEAL_STATE, blob, &len);
	CHECK(plain != NULL);
	if (plain != NULL) {
		CHECK(strstr(plain, ",\"a\":{\"pain\":7,") != NULL);
		CHECK(plain[len - 1] == '}' && plain[len - 2] == '}');
		const char *head = "{\"f\":\"mini\",\"v\":1,\"l\":1,"
		    "\"p\":1,\"t\":1700000000,\"e\":\"2026-12-16\",\"k\":\"";
		CHECK(strncmp(plain, head, strlen(head)) == 0);
		free(plain);
	}
	CHECK_INT(seal_state_open(&s, blob, &f, 1, &back), SEAL_OK);
	CHECK_INT(back.lang, 1);
	CHECK_INT((long)back.page, 1);
	CHECK(back.started == 1700000000);
	CHECK_STR(back.expires, "2026-12-16");
	CHECK(back.has_draft &&
	    memcmp(back.draft, st.draft, sizeof(st.draft)) == 0);
	CHECK(memcmp(back.token, st.token, sizeof(st.token)) == 0);
	CHECK(back.answers != NULL && back.answers->v[ipain].i == 7 &&
	    back.answers->v[iyears].i == 12);
	seal_state_free(&back);
	free(blob);

	/* seal_state_old_shape: answers as a string, members in any order. */
	sodium_bin2hex(hex, sizeof(hex), st.token, sizeof(st.token));
	snprintf(old, sizeof(old), "{\"k\":\"%s\",\"f\":\"mini\",\"v\":1,"
	    "\"l\":0,\"p\":2,\"a\":\"{\\\"pain\\\":3}\",\"t\":5}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_OK);
	CHECK_INT(back.lang, 0);
	CHECK_INT((long)back.page, 2);
	CHECK(back.started == 5 && !back.has_draft);
	CHECK(memcmp(back.token, st.token, sizeof(st.token)) == 0);
	CHECK(back.answers != NULL && back.answers->v[ipain].set &&
	    back.answers->v[ipain].i == 3 && !back.answers->v[iyears].set);
	seal_state_free(&back);

	/* seal_bad_state_answers: a value out of range, in either shape. */
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":2,"
	    "\"t\":5,\"k\":\"%s\",\"a\":{\"pain\":11}}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_BAD);
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":2,"
	    "\"t\":5,\"k\":\"%s\",\"a\":\"{\\\"pain\\\":11}\"}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_BAD);
	/* seal_bad_state_shape: truncated, trailing bytes, a page out of
	 * range, a bad token, answers that are not an object. */
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":2,"
	    "\"t\":5,\"k\":\"%s\",\"a\":{\"pain\":1}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_BAD);
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":2,"
	    "\"t\":5,\"k\":\"%s\",\"a\":{\"pain\":1}}x", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_BAD);
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":99,"
	    "\"t\":5,\"k\":\"%s\",\"a\":{}}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_BAD);
	CHECK_INT(open_plain(&s, "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":0,"
	    "\"t\":5,\"k\":\"00\",\"a\":{}}", f, &back), SEAL_BAD);
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":0,"
	    "\"t\":5,\"k\":\"%s\",\"a\":[1]}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_BAD);
	/* The well-formed control case of the lines above opens. */
	snprintf(old, sizeof(old), "{\"f\":\"mini\",\"v\":1,\"l\":0,\"p\":2,"
	    "\"t\":5,\"k\":\"%s\",\"a\":{\"pain\":1}}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_OK);
	seal_state_free(&back);

	/* seal_state_expired: another version, in either shape. */
	f->version = 2;
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_EXPIRED);
	snprintf(old, sizeof(old), "{\"k\":\"%s\",\"f\":\"mini\",\"v\":1,"
	    "\"l\":0,\"p\":2,\"a\":\"{}\",\"t\":5}", hex);
	CHECK_INT(open_plain(&s, old, f, &back), SEAL_EXPIRED);
	f->version = 1;

	form_answers_free(st.answers);
	form_free(f);
	seal_wipe(&s);
	return test_done();
}
