/*
 * store_submit: spending the start token, inserting the response and
 * deleting its draft happen together or not at all. A token spent once is
 * refused the second time (STORE_EXISTS), also after the file is closed and
 * opened again (a restart); a failed insert keeps the draft and leaves the
 * token unspent; spent tokens are swept once their expiry has passed.
 */
#include "helpers.h"

static int
submit(struct store *s, unsigned seed, const unsigned char tok[32],
    const char *exp, const unsigned char *draft)
{
	struct store_response r;
	int rc;

	make_response(&r, seed);
	if ((rc = store_begin(s)) != STORE_OK)
		return rc;
	CHECK_INT(store_savepoint(s), STORE_OK);
	rc = store_submit(s, &r, tok, exp, draft);
	if (rc != STORE_OK)
		CHECK_INT(store_rollback_to(s), STORE_OK);
	CHECK_INT(store_release(s), STORE_OK);
	CHECK_INT(store_commit(s), STORE_OK);
	return rc;
}

static int
has_draft(struct store *s, const unsigned char h[STORE_HASH_LEN])
{
	void *state = NULL;
	size_t len;
	int scheme, rc = store_draft_get(s, h, "2026-12-01", &state, &len,
	    &scheme);

	free(state);
	return rc == STORE_OK;
}

int
main(void)
{
	struct tdb t;
	struct store *s;
	unsigned char t1[32], t2[32], t3[32], d1[32], d2[32];

	memset(t1, 1, 32);
	memset(t2, 2, 32);
	memset(t3, 3, 32);
	memset(d1, 11, 32);
	memset(d2, 12, 32);
	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_draft_put(s, d1, "mini", "2026-12-09", "d1", 2),
	    STORE_OK);
	CHECK_INT(store_draft_put(s, d2, "mini", "2026-12-09", "d2", 2),
	    STORE_OK);

	CHECK_INT(submit(s, 1, t1, "2026-12-09", d1), STORE_OK);
	CHECK_INT(tdb_count(s), 1);
	CHECK(!has_draft(s, d1));
	/* The same state again: refused, nothing more stored. */
	CHECK_INT(submit(s, 2, t1, "2026-12-09", NULL), STORE_EXISTS);
	CHECK_INT(tdb_count(s), 1);

	/* store_submit_bad_insert: a receipt clash fails the insert; the
	 * draft and the token are kept, so the person can try again. */
	CHECK_INT(submit(s, 1, t2, "2026-12-09", d2), STORE_ERR);
	CHECK_INT(tdb_count(s), 1);
	CHECK(has_draft(s, d2));
	CHECK_INT(submit(s, 3, t2, "2026-12-09", d2), STORE_OK);
	CHECK(!has_draft(s, d2));
	/* A draft already gone is no error. */
	CHECK_INT(submit(s, 4, t3, "2026-12", d1), STORE_OK);
	store_close(s);

	/* After a restart the spent tokens are still spent. */
	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(submit(s, 5, t1, "2026-12-09", NULL), STORE_EXISTS);
	CHECK_INT(submit(s, 6, t3, "2026-12", NULL), STORE_EXISTS);
	/* Swept once expired: the day's token on the next day, the month's
	 * token only after its month. */
	CHECK_INT(store_draft_sweep(s, "2026-12-10"), STORE_OK);
	CHECK_INT(submit(s, 7, t1, "2026-12-20", NULL), STORE_OK);
	CHECK_INT(submit(s, 8, t3, "2026-12", NULL), STORE_EXISTS);
	CHECK_INT(store_draft_sweep(s, "2027-01-01"), STORE_OK);
	CHECK_INT(submit(s, 9, t3, "2027-01", NULL), STORE_OK);
	CHECK_INT(tdb_count(s), 5);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
