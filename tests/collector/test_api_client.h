/*
 * Shared by the API tests: an HTTP request with an Authorization header
 * (over client.h's libcurl handle), and tokens created in the real
 * database the way "analysis token create" makes them.
 */
#ifndef CANDOR_TEST_API_CLIENT_H
#define CANDOR_TEST_API_CLIENT_H

#include <sodium.h>

#include "client.h"
#include "token.h"

/* A token made for a test: the full text and its id. */
struct tk {
	char full[TOKEN_LEN + 1];
	char id[STORE_TOKEN_ID_LEN + 1];
	char secret[TOKEN_SECRET_LEN + 1];
};

/* Create a token of role in the database at db (may be in use). */
static inline int
tk_create(const char *db, const char *role, const char *label, struct tk *t)
{
	struct store *s = NULL;
	struct store_token st;
	unsigned char key[STORE_KEY_LEN];
	char err[256];
	int rc;

	if (store_open(db, STORE_RDWR, &s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	memset(&st, 0, sizeof(st));
	token_new(t->id, t->secret, t->full);
	snprintf(st.id, sizeof(st.id), "%s", t->id);
	snprintf(st.role, sizeof(st.role), "%s", role);
	snprintf(st.label, sizeof(st.label), "%s", label);
	store_period_now(st.created, 0);
	rc = store_key(s, key);
	if (rc == STORE_OK) {
		store_hash_code(key, t->secret, st.hash);
		rc = store_token_create(s, &st);
	}
	store_close(s);
	return rc == STORE_OK ? 0 : -1;
}

static inline int
tk_revoke(const char *db, const char *id)
{
	struct store *s = NULL;
	char err[256], today[11];
	int rc;

	if (store_open(db, STORE_RDWR, &s, err, sizeof(err)) != STORE_OK)
		return -1;
	store_period_now(today, 0);
	rc = store_token_revoke(s, id, today);
	store_close(s);
	return rc == STORE_OK ? 0 : -1;
}

/*
 * method path with "Authorization: <auth>" (NULL: no header). Uses the
 * client's handle, so calls on one client are sequential.
 */
static inline int
api_req(struct cl_client *c, const char *method, const char *path,
    const char *auth, struct cl_resp *out)
{
	char url[4096], hdr[512];
	struct curl_slist *hl = NULL;
	struct cl_buf b = {NULL, 0}, h = {NULL, 0};

	memset(out, 0, sizeof(*out));
	snprintf(url, sizeof(url), "%s%s", c->base, path);
	curl_easy_reset(c->h);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, cl_write_cb);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, cl_write_cb);
	curl_easy_setopt(c->h, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	if (auth != NULL) {
		snprintf(hdr, sizeof(hdr), "Authorization: %s", auth);
		hl = curl_slist_append(hl, hdr);
	}
	hl = curl_slist_append(hl, "Expect:");
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c->h, CURLOPT_POST, 1L);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, "a=1");
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c->h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	}
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hl);
	out->rc = curl_easy_perform(c->h);
	if (out->rc == CURLE_OK)
		curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hl);
	if (b.p == NULL)
		cl_buf_add(&b, "", 0);
	if (h.p == NULL)
		cl_buf_add(&h, "", 0);
	out->body = b.p;
	out->len = b.n;
	out->headers = h.p;
	return out->rc == CURLE_OK ? 0 : -1;
}

/* "Bearer <token>" into buf. */
static inline const char *
tk_bearer(const struct tk *t, char *buf, size_t n)
{
	snprintf(buf, n, "Bearer %s", t->full);
	return buf;
}

/* One audit row, copied. */
struct audit_row {
	char day[11];
	char token_id[16];
	char label[64];
	char endpoint[200];
	int status;
	long rows;
};

struct audit_rows {
	struct audit_row a[256];
	int n;
};

static inline int
audit_cb(const struct store_audit *a, void *arg)
{
	struct audit_rows *x = arg;
	struct audit_row *r;

	if (x->n >= 256)
		return 1;
	r = &x->a[x->n++];
	snprintf(r->day, sizeof(r->day), "%s", a->day);
	snprintf(r->token_id, sizeof(r->token_id), "%s",
	    a->token_id ? a->token_id : "(null)");
	snprintf(r->label, sizeof(r->label), "%s",
	    a->token_label ? a->token_label : "(null)");
	snprintf(r->endpoint, sizeof(r->endpoint), "%s", a->endpoint);
	r->status = a->status;
	r->rows = a->rows;
	return 0;
}

/* Read the whole audit trail with a separate read-only connection. */
static inline int
audit_read(const char *db, struct audit_rows *x)
{
	struct store *s = NULL;
	char err[256];
	int rc;

	x->n = 0;
	if (store_open(db, STORE_RDONLY, &s, err, sizeof(err)) != STORE_OK)
		return -1;
	rc = store_audit_foreach(s, audit_cb, x);
	store_close(s);
	return rc == STORE_OK ? 0 : -1;
}

/* Totals of the counters of calls without a valid token. */
struct audit_fails {
	long long n, rows; /* calls counted, counter rows */
	long long by_status[600];
};

static inline int
audit_fail_cb(const struct store_audit_fail_row *r, void *arg)
{
	struct audit_fails *x = arg;

	x->n += r->n;
	x->rows++;
	if (r->status >= 0 && r->status < 600)
		x->by_status[r->status] += r->n;
	return 0;
}

static inline int
audit_fails_read(const char *db, struct audit_fails *x)
{
	struct store *s = NULL;
	char err[256];
	int rc;

	memset(x, 0, sizeof(*x));
	if (store_open(db, STORE_RDONLY, &s, err, sizeof(err)) != STORE_OK)
		return -1;
	rc = store_audit_fail_foreach(s, audit_fail_cb, x);
	store_close(s);
	return rc == STORE_OK ? 0 : -1;
}

/*
 * n rows of the mini form (tests/collector/mini.json) with varied
 * answers, straight into the store at db: row i has pain i % 11, age band
 * 1 + i % 3, fn_walk i % 3 and the score fn_total i % 3 + 1.
 */
static inline int
api_seed_mini(const char *db, int n)
{
	struct store *s = NULL;
	struct store_response r;
	char err[256], answers[160], scores[64];
	int rc = 0;

	if (store_open(db, STORE_RDWR, &s, err, sizeof(err)) != STORE_OK)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		memset(&r, 0, sizeof(r));
		randombytes_buf(r.id, sizeof(r.id));
		randombytes_buf(r.receipt_hash, sizeof(r.receipt_hash));
		r.form_id = "mini";
		r.form_version = 1;
		r.consent_version = "2026-01-01";
		store_period_now(r.period, 0);
		snprintf(answers, sizeof(answers), "{\"pain\":%d,\"used_kratom\":"
		    "0,\"symptoms\":[1],\"age_band\":%d,\"fn_walk\":%d,"
		    "\"fn_work\":1}", i % 11, 1 + i % 3, i % 3);
		snprintf(scores, sizeof(scores), "{\"fn_total\":%d}",
		    i % 3 + 1);
		r.answers = answers;
		r.scores = scores;
		rc = store_insert(s, &r) == STORE_OK ? 0 : -1;
	}
	store_close(s);
	return rc;
}

#endif
