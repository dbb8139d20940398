/*
 * The per-form change counter: every insert and every withdrawal adds one
 * in the same transaction (a rolled-back insert adds nothing, a withdrawal
 * of nothing adds nothing), whichever connection writes; and a read
 * snapshot sees the counter and the rows as of its first read.
 */
#include "helpers.h"

static long long
changes(struct store *s, const char *form)
{
	long long n = -1;

	CHECK_INT(store_changes(s, form, &n), STORE_OK);
	return n;
}

int
main(void)
{
	struct tdb t;
	struct store *w, *rd;
	struct store_response r1, r2, r3;
	long n = -1;
	unsigned char none[STORE_HASH_LEN] = {9, 9, 9};

	tdb_init(&t);
	w = tdb_open(&t, STORE_RDWR);
	rd = tdb_open(&t, STORE_RDONLY);
	CHECK_INT(changes(w, "mini"), 0);

	make_response(&r1, 1);
	make_response(&r2, 2);
	make_response(&r3, 3);
	CHECK_INT(store_insert(w, &r1), STORE_OK);
	CHECK_INT(changes(w, "mini"), 1);
	CHECK_INT(store_insert(w, &r2), STORE_OK);
	CHECK_INT(changes(rd, "mini"), 2);

	/* changes_bad_rollback: an insert rolled back does not count. */
	CHECK_INT(store_begin(w), STORE_OK);
	CHECK_INT(store_insert(w, &r3), STORE_OK);
	CHECK_INT(changes(w, "mini"), 3);
	CHECK_INT(store_rollback(w), STORE_OK);
	CHECK_INT(changes(w, "mini"), 2);

	/* changes_bad_withdraw_nothing: no row, no change. */
	CHECK_INT(store_withdraw(w, none), STORE_NOTFOUND);
	CHECK_INT(changes(w, "mini"), 2);

	/* A withdrawal counts like an insert. */
	CHECK_INT(store_withdraw(w, r1.receipt_hash), STORE_OK);
	CHECK_INT(changes(w, "mini"), 3);

	/* A snapshot keeps its counter and rows while others commit. */
	CHECK_INT(store_snapshot_begin(rd), STORE_OK);
	CHECK_INT(changes(rd, "mini"), 3);
	CHECK_INT(store_insert(w, &r3), STORE_OK);
	CHECK_INT(changes(w, "mini"), 4);
	CHECK_INT(changes(rd, "mini"), 3);
	CHECK_INT(store_count(rd, "mini", &n), STORE_OK);
	CHECK_INT(n, 1);
	CHECK_INT(store_snapshot_end(rd), STORE_OK);
	CHECK_INT(changes(rd, "mini"), 4);
	CHECK_INT(store_count(rd, "mini", &n), STORE_OK);
	CHECK_INT(n, 2);
	CHECK_INT(changes(rd, "other"), 0);

	store_close(rd);
	store_close(w);
	test_rmtree(t.dir);
	return test_done();
}
