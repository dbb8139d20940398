/*
 * Schema 4 -> 5 on a real schema-4 file (built by the released steps):
 * its responses, release and change counter survive, and the release
 * ledger table appears empty. Ledger rows round-trip (found by their data
 * hash only, in release order, with their membership bits), and a row
 * whose membership does not match its row count is refused (by the
 * function and by the table's CHECK).
 */
#include <sqlite3.h>

#include "helpers.h"

struct seen {
	int n;
	long long seq[8];
	int side[8];
	unsigned char bits[8];
};

static int
cb(const struct store_ledger *l, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->seq[s->n] = l->release_seq;
		s->side[s->n] = l->side;
		s->bits[s->n] = l->len > 0 ? ((const unsigned char *)
		    l->members)[0] : 0;
		CHECK_INT(l->nrows, 5);
		CHECK_STR(l->group, "g");
		CHECK_STR(l->day, "2026-12-01");
	}
	s->n++;
	return 0;
}

int
main(void)
{
	struct tdb t;
	struct store *s = NULL;
	struct store_response r;
	struct store_release rel, got;
	struct store_ledger l;
	struct seen sn;
	char err[512];
	unsigned char dsha[32], other[32], bits = 0x15;
	long long changes = -1;
	long n = 0;

	tdb_init(&t);
	CHECK_INT(store_open_version(t.path, STORE_RDWR, 4, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), 4);
	for (unsigned i = 1; i <= 5; i++) {
		make_response(&r, i);
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	memset(&rel, 0, sizeof(rel));
	rel.form_id = "mini";
	rel.kind = "summary";
	memcpy(rel.day, "2026-12-01", 11);
	rel.n_rows = 5;
	rel.changes_at = 5;
	rel.body = "{}";
	rel.len = 2;
	CHECK_INT(store_release_insert(s, &rel), STORE_OK);
	store_close(s);

	/* Step 5 on its own; 5 -> 6 is test_store_v6_releases. */
	CHECK_INT(store_open_version(t.path, STORE_RDWR, 5, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), 5);
	CHECK_INT(store_count(s, "mini", &n), STORE_OK);
	CHECK_INT(n, 5);
	CHECK_INT(store_changes(s, "mini", &changes), STORE_OK);
	CHECK_INT(changes, 5);
	CHECK_INT(store_release_latest(s, "mini", "summary", &got), STORE_OK);
	CHECK_INT(got.seq, 1);
	free(got.body);

	memset(dsha, 7, sizeof(dsha));
	memset(other, 8, sizeof(other));
	memset(&l, 0, sizeof(l));
	l.release_seq = 1;
	memcpy(l.day, "2026-12-01", 11);
	l.form_id = "mini";
	memset(l.plan_sha, 1, 32);
	memcpy(l.data_sha, dsha, 32);
	l.group = "g";
	l.side = 1;
	l.nrows = 5;
	l.members = &bits;
	l.len = 1;
	CHECK_INT(store_ledger_put(s, &l), STORE_OK);
	l.side = 2;
	bits = 0x0a;
	CHECK_INT(store_ledger_put(s, &l), STORE_OK);
	l.release_seq = 2;
	memcpy(l.data_sha, other, 32);
	CHECK_INT(store_ledger_put(s, &l), STORE_OK);
	/* A bad membership length is refused. */
	l.release_seq = 3;
	l.len = 2;
	CHECK(store_ledger_put(s, &l) != STORE_OK);

	memset(&sn, 0, sizeof(sn));
	CHECK_INT(store_ledger_foreach(s, dsha, cb, &sn), STORE_OK);
	CHECK_INT(sn.n, 2);
	CHECK_INT(sn.seq[0], 1);
	CHECK_INT(sn.side[0], 1);
	CHECK_INT(sn.bits[0], 0x15);
	CHECK_INT(sn.side[1], 2);
	CHECK_INT(sn.bits[1], 0x0a);
	memset(&sn, 0, sizeof(sn));
	CHECK_INT(store_ledger_foreach(s, other, cb, &sn), STORE_OK);
	CHECK_INT(sn.n, 1);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
