/*
 * Drafts: put, get before expiry, not after (a day, or a month that lasts
 * to its end); sweep; delete; a new draft is marked sealed under its code.
 */
#include "helpers.h"

int
main(void)
{
	struct tdb t;
	struct store *s;
	unsigned char h1[STORE_HASH_LEN] = {1}, h2[STORE_HASH_LEN] = {2};
	void *state;
	size_t len;
	int scheme;

	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_draft_put(s, h1, "mini", "2026-12-09", "abc", 3), STORE_OK);
	CHECK_INT(store_draft_put(s, h2, "mini", "2026-11-01", "old", 3), STORE_OK);
	CHECK_INT(store_draft_get(s, h1, "2026-12-09", &state, &len, &scheme), STORE_OK);
	CHECK(len == 3 && memcmp(state, "abc", 3) == 0);
	CHECK_INT(scheme, STORE_DRAFT_CODE);
	free(state);
	CHECK_INT(store_draft_get(s, h1, "2026-12-10", &state, &len, &scheme),
	    STORE_NOTFOUND);
	CHECK(state == NULL);
	CHECK_INT(store_draft_sweep(s, "2026-11-25"), STORE_OK);
	CHECK_INT(store_draft_get(s, h2, "2026-10-01", &state, &len, &scheme),
	    STORE_NOTFOUND);
	/* Saving again under the same code replaces the draft. */
	CHECK_INT(store_draft_put(s, h1, "mini", "2026-12-09", "abcd", 4), STORE_OK);
	CHECK_INT(store_draft_get(s, h1, "2026-11-25", &state, &len, &scheme), STORE_OK);
	CHECK_INT(len, 4);
	free(state);
	CHECK_INT(store_draft_delete(s, h1), STORE_OK);
	CHECK_INT(store_draft_delete(s, h1), STORE_NOTFOUND);
	/* A month-precision form's draft lasts through its month. */
	CHECK_INT(store_draft_put(s, h2, "mini", "2026-12", "mon", 3), STORE_OK);
	CHECK_INT(store_draft_get(s, h2, "2026-12-31", &state, &len, &scheme),
	    STORE_OK);
	free(state);
	CHECK_INT(store_draft_sweep(s, "2026-12-31"), STORE_OK);
	CHECK_INT(store_draft_get(s, h2, "2026-12-01", &state, &len, &scheme),
	    STORE_OK);
	free(state);
	CHECK_INT(store_draft_get(s, h2, "2027-01-01", &state, &len, &scheme),
	    STORE_NOTFOUND);
	CHECK_INT(store_draft_sweep(s, "2027-01-01"), STORE_OK);
	CHECK_INT(store_draft_delete(s, h2), STORE_NOTFOUND);
	/* An expiry finer than a day is refused by the schema. */
	CHECK(store_draft_put(s, h1, "mini", "2026-12-09T10", "x", 1) !=
	    STORE_OK);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
