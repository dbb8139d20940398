/*
 * Tokens, the audit trail and releases in the store, directly and through
 * the writer thread's job kinds: what is stored comes back; dates must be
 * dates (never a time); roles and kinds are checked; a token's first
 * revocation date stays; release numbers go 1, 2, ... per form and kind
 * with the SHA-256 of the exact bytes.
 */
#include <sodium.h>

#include "helpers.h"
#include "store_writer.h"

struct seen {
	int n;
	char last_id[16];
	char last_revoked[16];
	long long last_seq;
	int null_token;
};

static int
tok_cb(const struct store_token *t, void *arg)
{
	struct seen *x = arg;

	x->n++;
	snprintf(x->last_id, sizeof(x->last_id), "%s", t->id);
	snprintf(x->last_revoked, sizeof(x->last_revoked), "%s", t->revoked);
	return 0;
}

static int
audit_cb(const struct store_audit *a, void *arg)
{
	struct seen *x = arg;

	x->n++;
	x->last_seq = a->seq;
	if (a->token_id == NULL && a->token_label == NULL)
		x->null_token++;
	return 0;
}

static struct store_token
make_token(const char *id, const char *role)
{
	struct store_token t;

	memset(&t, 0, sizeof(t));
	snprintf(t.id, sizeof(t.id), "%s", id);
	snprintf(t.role, sizeof(t.role), "%s", role);
	snprintf(t.label, sizeof(t.label), "Site A analyst");
	snprintf(t.created, sizeof(t.created), "2026-11-20");
	randombytes_buf(t.hash, sizeof(t.hash));
	return t;
}

int
main(void)
{
	struct tdb t;
	struct store *s;
	struct store_token a, b, got;
	struct store_audit au;
	struct store_release rel, latest;
	struct seen x;
	unsigned char sha[32];

	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);

	/* ---- tokens ---- */
	a = make_token("abcdefgh", "summary");
	b = make_token("zz234567", "export");
	CHECK_INT(store_token_create(s, &a), STORE_OK);
	CHECK_INT(store_token_create(s, &b), STORE_OK);
	CHECK_INT(store_token_get(s, "abcdefgh", &got), STORE_OK);
	CHECK_STR(got.role, "summary");
	CHECK_STR(got.label, "Site A analyst");
	CHECK_STR(got.created, "2026-11-20");
	CHECK_STR(got.revoked, "");
	CHECK(memcmp(got.hash, a.hash, 32) == 0);
	CHECK_INT(store_token_get(s, "nosuchid", &got), STORE_NOTFOUND);
	/* token_bad_duplicate_id, token_bad_role, token_bad_id_shape,
	 * token_bad_created_time */
	CHECK(store_token_create(s, &a) != STORE_OK);
	{
		struct store_token bad = make_token("qqqqqqqq", "admin");
		CHECK(store_token_create(s, &bad) != STORE_OK);
		bad = make_token("ABCDEFGH", "summary");
		CHECK(store_token_create(s, &bad) != STORE_OK);
		bad = make_token("qqqqqqqq", "summary");
		snprintf(bad.created, sizeof(bad.created), "2026-11-2T");
		CHECK(store_token_create(s, &bad) != STORE_OK);
		snprintf(bad.created, sizeof(bad.created), "2026-02-30");
		CHECK(store_token_create(s, &bad) != STORE_OK);
	}
	memset(&x, 0, sizeof(x));
	CHECK_INT(store_token_foreach(s, tok_cb, &x), STORE_OK);
	CHECK_INT(x.n, 2);
	/* Revocation: the first date stays; unknown ids are NOTFOUND. */
	CHECK_INT(store_token_revoke(s, "zz234567", "2026-11-21"), STORE_OK);
	CHECK_INT(store_token_revoke(s, "zz234567", "2026-11-22"), STORE_OK);
	CHECK_INT(store_token_get(s, "zz234567", &got), STORE_OK);
	CHECK_STR(got.revoked, "2026-11-21");
	CHECK_INT(store_token_revoke(s, "nosuchid", "2026-11-22"),
	    STORE_NOTFOUND);

	/* ---- audit ---- */
	memset(&au, 0, sizeof(au));
	snprintf(au.day, sizeof(au.day), "2026-11-21");
	au.endpoint = "/api/v1/forms";
	au.status = 401;
	CHECK_INT(store_audit_append(s, &au), STORE_OK);
	au.token_id = "abcdefgh";
	au.token_label = "Site A analyst";
	au.endpoint = "/api/v1/forms/mini/summary";
	au.status = 200;
	au.rows = 12;
	CHECK_INT(store_audit_append(s, &au), STORE_OK);
	/* audit_bad_time: a time of day is refused, so is a status of 0. */
	snprintf(au.day, sizeof(au.day), "2026-11-2 ");
	CHECK(store_audit_append(s, &au) != STORE_OK);
	snprintf(au.day, sizeof(au.day), "2026-11-21");
	au.status = 0;
	CHECK(store_audit_append(s, &au) != STORE_OK);
	memset(&x, 0, sizeof(x));
	CHECK_INT(store_audit_foreach(s, audit_cb, &x), STORE_OK);
	CHECK_INT(x.n, 2);
	CHECK_INT(x.null_token, 1);
	CHECK_INT(x.last_seq, 2);

	/* ---- releases ---- */
	CHECK_INT(store_release_latest(s, "mini", "summary", &latest),
	    STORE_NOTFOUND);
	memset(&rel, 0, sizeof(rel));
	rel.form_id = "mini";
	rel.kind = "summary";
	snprintf(rel.day, sizeof(rel.day), "2026-11-21");
	rel.n_rows = 10;
	rel.changes_at = 10;
	rel.body = "{\"n\": 10}\n";
	rel.len = strlen(rel.body);
	CHECK_INT(store_release_insert(s, &rel), STORE_OK);
	CHECK_INT(rel.seq, 1);
	crypto_hash_sha256(sha, rel.body, rel.len);
	CHECK(memcmp(sha, rel.sha256, 32) == 0);
	rel.body = "{\"n\": 15}\n";
	rel.len = strlen(rel.body);
	rel.changes_at = 15;
	CHECK_INT(store_release_insert(s, &rel), STORE_OK);
	CHECK_INT(rel.seq, 2);
	/* Another kind numbers its own releases. */
	rel.kind = "export";
	rel.body = "";
	rel.len = 0;
	CHECK_INT(store_release_insert(s, &rel), STORE_OK);
	CHECK_INT(rel.seq, 1);
	/* release_bad_kind */
	rel.kind = "query";
	CHECK(store_release_insert(s, &rel) != STORE_OK);
	CHECK_INT(store_release_latest(s, "mini", "summary", &latest),
	    STORE_OK);
	CHECK_INT(latest.seq, 2);
	CHECK_INT(latest.changes_at, 15);
	CHECK_INT(latest.n_rows, 10);
	CHECK_INT((long)latest.len, 10);
	CHECK(latest.body != NULL &&
	    memcmp(latest.body, "{\"n\": 15}\n", 10) == 0);
	crypto_hash_sha256(sha, latest.body, latest.len);
	CHECK(memcmp(sha, latest.sha256, 32) == 0);
	free(latest.body);
	CHECK_INT(store_release_latest(s, "mini", "export", &latest),
	    STORE_OK);
	CHECK_INT((long)latest.len, 0);
	free(latest.body);

	/* ---- the same through the writer thread ---- */
	{
		struct store_writer *wr;
		struct store_job j;
		CHECK_INT(store_writer_start(s, 16, &wr), STORE_OK);
		memset(&j, 0, sizeof(j));
		j.kind = STORE_JOB_AUDIT;
		snprintf(j.audit.day, sizeof(j.audit.day), "2026-11-22");
		j.audit.endpoint = "/api/*";
		j.audit.status = 404;
		CHECK_INT(store_writer_run(wr, &j), STORE_OK);
		memset(&j, 0, sizeof(j));
		j.kind = STORE_JOB_RELEASE;
		j.release.form_id = "mini";
		j.release.kind = "summary";
		snprintf(j.release.day, sizeof(j.release.day), "2026-11-22");
		j.release.n_rows = 11;
		j.release.changes_at = 25;
		j.release.body = "{}";
		j.release.len = 2;
		CHECK_INT(store_writer_run(wr, &j), STORE_OK);
		CHECK_INT(j.release.seq, 3);
		/* writer_bad_release_day: the job fails alone. */
		snprintf(j.release.day, sizeof(j.release.day), "22-11-2026");
		CHECK(store_writer_run(wr, &j) != STORE_OK);
		store_writer_stop(wr); /* closes s */
	}
	s = tdb_open(&t, STORE_RDONLY);
	memset(&x, 0, sizeof(x));
	CHECK_INT(store_audit_foreach(s, audit_cb, &x), STORE_OK);
	CHECK_INT(x.n, 3);
	CHECK_INT(store_release_latest(s, "mini", "summary", &latest),
	    STORE_OK);
	CHECK_INT(latest.seq, 3);
	CHECK_INT(latest.changes_at, 25);
	free(latest.body);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
