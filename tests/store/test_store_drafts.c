/* Drafts: put, get before expiry, not after; sweep; delete. */
#include "helpers.h"

int
main(void)
{
	struct tdb t;
	struct store *s;
	unsigned char h1[STORE_HASH_LEN] = {1}, h2[STORE_HASH_LEN] = {2};
	void *state;
	size_t len;

	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_draft_put(s, h1, "mini", "2026-12-09", "abc", 3), STORE_OK);
	CHECK_INT(store_draft_put(s, h2, "mini", "2026-11-01", "old", 3), STORE_OK);
	CHECK_INT(store_draft_get(s, h1, "2026-12-09", &state, &len), STORE_OK);
	CHECK(len == 3 && memcmp(state, "abc", 3) == 0);
	free(state);
	CHECK_INT(store_draft_get(s, h1, "2026-12-10", &state, &len),
	    STORE_NOTFOUND);
	CHECK(state == NULL);
	CHECK_INT(store_draft_sweep(s, "2026-11-25"), STORE_OK);
	CHECK_INT(store_draft_get(s, h2, "2026-10-01", &state, &len),
	    STORE_NOTFOUND);
	/* Saving again under the same code replaces the draft. */
	CHECK_INT(store_draft_put(s, h1, "mini", "2026-12-09", "abcd", 4), STORE_OK);
	CHECK_INT(store_draft_get(s, h1, "2026-11-25", &state, &len), STORE_OK);
	CHECK_INT(len, 4);
	free(state);
	CHECK_INT(store_draft_delete(s, h1), STORE_OK);
	CHECK_INT(store_draft_delete(s, h1), STORE_NOTFOUND);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
