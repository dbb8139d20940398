/*
 * Schema 5 -> 6 on a real schema-5 file (built by the released steps):
 * the reports already in the release ledger become its releases, of kind
 * "report", at the change counter of the upgrade, and with their data
 * hash; nothing else changes. Then, at schema 6:
 *   - store_release_spacing() finds the latest release of the form of any
 *     kind, the API's included, and counts releases at that counter on
 *     other data (only carried-over ones can be);
 *   - store_ledger_record() numbers a release and its groups and refuses,
 *     with nothing written, when the form's releases changed since the
 *     generation it was given; a release of another form does not count;
 *   - the writer's release job stores the release and its ledger record
 *     in one savepoint: when the record is refused, the release is not
 *     stored either.
 */
#include <sqlite3.h>

#include "helpers.h"
#include "store_writer.h"

static long long
count(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
ledger_row(struct store_ledger *l, long long seq, const unsigned char *dsha,
    int side, const unsigned char *bits)
{
	memset(l, 0, sizeof(*l));
	l->release_seq = seq;
	memcpy(l->day, "2026-12-01", 11);
	l->form_id = "mini";
	memset(l->plan_sha, 1, 32);
	memcpy(l->data_sha, dsha, 32);
	l->group = "g";
	l->side = side;
	l->nrows = 5;
	l->members = bits;
	l->len = 1;
}

int
main(void)
{
	struct tdb t;
	struct store *s = NULL;
	struct store_response r;
	struct store_release rel;
	struct store_ledger l, g[2];
	struct store_ledger_release lr;
	struct store_spacing sp;
	struct store_writer *w = NULL;
	struct store_job job;
	char err[512];
	unsigned char dsha[32], other[32], bits = 0x15;
	long long gen = -1, seq = 0;

	tdb_init(&t);
	CHECK_INT(store_open_version(t.path, STORE_RDWR, 5, &s, err,
	    sizeof(err)), STORE_OK);
	for (unsigned i = 1; i <= 5; i++) {
		make_response(&r, i);
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	memset(dsha, 7, sizeof(dsha));
	memset(other, 8, sizeof(other));
	/* Report 1 published one group, report 2 (other data) one too. */
	ledger_row(&l, 1, dsha, 1, &bits);
	CHECK_INT(store_ledger_put(s, &l), STORE_OK);
	ledger_row(&l, 1, dsha, 2, &bits);
	CHECK_INT(store_ledger_put(s, &l), STORE_OK);
	ledger_row(&l, 2, other, 1, &bits);
	CHECK_INT(store_ledger_put(s, &l), STORE_OK);
	memset(&rel, 0, sizeof(rel));
	rel.form_id = "mini";
	rel.kind = "summary";
	memcpy(rel.day, "2026-11-30", 11);
	rel.n_rows = 3;
	rel.changes_at = 3;
	rel.body = "{}";
	rel.len = 2;
	CHECK_INT(store_release_insert(s, &rel), STORE_OK);
	store_close(s);

	/* Step 6 on its own; 6 -> 7 is test_store_form_version_step. */
	CHECK_INT(store_open_version(t.path, STORE_RDWR, 6, &s, err,
	    sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), 6);
	CHECK_INT(count(t.path, "SELECT count(*) FROM response"), 5);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger"), 3);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger_release"), 2);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger_release WHERE "
	    "kind = 'report' AND changes_at = 5 AND n_rows = 5 AND "
	    "day = '2026-12-01' AND length(plan_sha) = 32"), 2);
	CHECK_INT(count(t.path, "SELECT release_seq FROM ledger_release "
	    "WHERE data_sha = x'0808080808080808080808080808080808080808080808"
	    "080808080808080808'"), 2);

	/* The latest is a carried-over report at 5, one of them on other
	 * data than dsha. */
	CHECK_INT(store_release_spacing(s, "mini", dsha, &sp), STORE_OK);
	CHECK_INT(sp.found, 1);
	CHECK_INT(sp.changes_at, 5);
	CHECK_STR(sp.kind, "report");
	CHECK_INT(sp.other_data, 1);
	CHECK_INT(store_release_spacing(s, "other-form", dsha, &sp), STORE_OK);
	CHECK_INT(sp.found, 0);
	CHECK_INT(store_release_generation(s, "mini", &gen), STORE_OK);
	CHECK_INT(gen, 3);

	/* A new release with its two sides. */
	memset(&lr, 0, sizeof(lr));
	lr.kind = "aggregate";
	memcpy(lr.day, "2026-12-02", 11);
	lr.form_id = "mini";
	lr.has_plan = 1;
	memset(lr.plan_sha, 2, 32);
	memcpy(lr.data_sha, dsha, 32);
	lr.changes_at = 5;
	lr.n_rows = 5;
	ledger_row(&g[0], 0, dsha, 1, &bits);
	ledger_row(&g[1], 0, dsha, 2, &bits);
	CHECK_INT(store_begin(s), STORE_OK);
	CHECK_INT(store_ledger_record(s, &lr, g, 2, gen), STORE_OK);
	CHECK_INT(store_commit(s), STORE_OK);
	CHECK_INT(lr.seq, 3);
	CHECK_INT(g[0].release_seq, 3);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger WHERE "
	    "release_seq = 3"), 2);
	CHECK_INT(store_ledger_next(s, &seq), STORE_OK);
	CHECK_INT(seq, 4);
	/* Made on the same data at 5: dsha is no longer "other" there for
	 * the new one, but the carried-over report on other data still is. */
	CHECK_INT(store_release_spacing(s, "mini", dsha, &sp), STORE_OK);
	CHECK_INT(sp.other_data, 1);

	/* The same generation again: another release came first. */
	CHECK_INT(store_begin(s), STORE_OK);
	CHECK_INT(store_ledger_record(s, &lr, g, 2, gen), STORE_EXISTS);
	CHECK_INT(store_commit(s), STORE_OK);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger_release"), 3);

	/* The writer: a stale generation stores neither record nor body. */
	CHECK_INT(store_release_generation(s, "mini", &gen), STORE_OK);
	CHECK_INT(gen, 4);
	CHECK_INT(store_writer_start(s, 16, &w), STORE_OK);
	memset(&job, 0, sizeof(job));
	job.kind = STORE_JOB_RELEASE;
	job.release = rel;
	job.release.changes_at = 5;
	lr.kind = "summary";
	job.ledger = &lr;
	job.ledger_groups = g;
	job.ledger_ngroups = 2;
	job.ledger_generation = gen - 1;
	CHECK_INT(store_writer_run(w, &job), STORE_EXISTS);
	CHECK_INT(count(t.path, "SELECT count(*) FROM release"), 1);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger_release"), 3);
	job.ledger_generation = gen;
	CHECK_INT(store_writer_run(w, &job), STORE_OK);
	CHECK_INT(count(t.path, "SELECT count(*) FROM release"), 2);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger_release WHERE "
	    "kind = 'summary' AND release_seq = 4"), 1);
	CHECK_INT(count(t.path, "SELECT count(*) FROM ledger WHERE "
	    "release_seq = 4"), 2);
	store_writer_stop(w);
	test_rmtree(t.dir);
	return test_done();
}
