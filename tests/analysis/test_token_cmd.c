/*
 * analysis token create|list|revoke and analysis audit, run as the real
 * binary on a real database: the token is printed once in the cnd_ shape
 * and only its keyed hash is stored (the secret is nowhere in the file);
 * the list shows id, role, label, dates and never a secret; revocation
 * keeps its first date; the audit prints aligned columns. Failures:
 * a bad --role or --id (exit 2, flag and rule named), a missing database,
 * an unknown token, a database from before the API tables (exit 1).
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "testlib.h"
#include "token.h"

static int
run(char **out, char **err, const char *a1, const char *a2, const char *a3,
    const char *a4, const char *a5, const char *a6, const char *a7,
    const char *a8)
{
	char bin[512];
	char *argv[10] = {bin, (char *)a1, (char *)a2, (char *)a3, (char *)a4,
		(char *)a5, (char *)a6, (char *)a7, (char *)a8, NULL};

	test_bin_path("analysis", bin, sizeof(bin));
	free(*out);
	free(*err);
	*out = *err = NULL;
	return test_run(argv, out, err);
}

static int
has(const char *s, const char *needle)
{
	return s != NULL && strstr(s, needle) != NULL;
}

/* Column of needle in the first line of s that contains it, or -1. */
static long
col_of(const char *s, const char *line_has, const char *needle)
{
	const char *l = s ? strstr(s, line_has) : NULL, *p;

	if (l == NULL)
		return -1;
	while (l > s && l[-1] != '\n')
		l--;
	p = strstr(l, needle);
	return p != NULL ? (long)(p - l) : -1;
}

int
main(void)
{
	char dir[512], db[600], old[600], today[11];
	char *out = NULL, *err = NULL;
	char id[STORE_TOKEN_ID_LEN + 1], secret[TOKEN_SECRET_LEN + 1];
	char id2[STORE_TOKEN_ID_LEN + 1], secret2[TOKEN_SECRET_LEN + 1];
	struct store *s = NULL;
	struct store_token t;
	unsigned char key[STORE_KEY_LEN], h[STORE_HASH_LEN];
	char msg[512];
	size_t n;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(old, sizeof(old), "%s/old.db", dir);
	store_period_now(today, 0);

	/* token_bad_missing_db: a mistyped path is not created. */
	CHECK_INT(run(&out, &err, "token", "create", "--db", db, "--role",
	    "summary", "--label", "x"), 1);
	CHECK(has(err, "no such file"));

	CHECK_INT(store_open(db, STORE_RDWR, &s, msg, sizeof(msg)), STORE_OK);
	CHECK_INT(store_key(s, key), STORE_OK);
	store_close(s);

	/* token_bad_role */
	CHECK_INT(run(&out, &err, "token", "create", "--db", db, "--role",
	    "admin", "--label", "x"), 2);
	CHECK(has(err, "analysis token create: --role: must be summary or "
	    "export (got \"admin\")"));
	/* token_bad_no_label */
	CHECK_INT(run(&out, &err, "token", "create", "--db", db, "--role",
	    "summary", NULL, NULL), 2);
	CHECK(has(err, "--label TEXT is required"));

	/* Create: one line on stdout, the token. */
	CHECK_INT(run(&out, &err, "token", "create", "--db", db, "--role",
	    "summary", "--label", "Site A analyst"), 0);
	n = out ? strlen(out) : 0;
	CHECK_INT(n, TOKEN_LEN + 1);
	CHECK(out != NULL && token_parse(out, n - 1, id, secret) == 0);
	CHECK(has(err, "only copy"));
	CHECK_INT(run(&out, &err, "token", "create", "--db", db, "--role",
	    "export", "--label", "Data team"), 0);
	n = out ? strlen(out) : 0;
	CHECK(out != NULL && n == TOKEN_LEN + 1 &&
	    token_parse(out, n - 1, id2, secret2) == 0);
	CHECK(strcmp(id, id2) != 0 && strcmp(secret, secret2) != 0);

	/* Only the keyed hash is stored, under the installation key. */
	CHECK_INT(store_open(db, STORE_RDONLY, &s, msg, sizeof(msg)),
	    STORE_OK);
	CHECK_INT(store_token_get(s, id, &t), STORE_OK);
	CHECK_STR(t.role, "summary");
	CHECK_STR(t.label, "Site A analyst");
	CHECK_STR(t.created, today);
	store_hash_code(key, secret, h);
	CHECK(memcmp(h, t.hash, STORE_HASH_LEN) == 0);
	CHECK(token_check(key, &t, secret));
	CHECK(!token_check(key, &t, secret2));
	store_close(s);
	CHECK_INT(test_file_contains(db, secret, strlen(secret)), 0);
	CHECK_INT(test_file_contains(db, secret2, strlen(secret2)), 0);
	{
		char wal[700];
		snprintf(wal, sizeof(wal), "%s-wal", db);
		CHECK(test_file_contains(wal, secret, strlen(secret)) <= 0);
	}

	/* List: ids, roles, labels, dates; never a secret. */
	CHECK_INT(run(&out, &err, "token", "list", "--db", db, NULL, NULL,
	    NULL, NULL), 0);
	CHECK(has(out, "ID        ROLE     CREATED     REVOKED     LABEL"));
	CHECK(has(out, id) && has(out, id2));
	CHECK(has(out, "Site A analyst") && has(out, "Data team"));
	CHECK(has(out, "export ") && has(out, "summary"));
	CHECK(!has(out, secret) && !has(out, secret2));
	CHECK(!has(out, "cnd_"));

	/* Revoke. */
	CHECK_INT(run(&out, &err, "token", "revoke", "--db", db, "--id",
	    "NOT-AN-ID", NULL, NULL), 2);
	CHECK(has(err, "--id: must be a word"));
	CHECK_INT(run(&out, &err, "token", "revoke", "--db", db, "--id",
	    "abc", NULL, NULL), 2);
	CHECK(has(err, "analysis token revoke: --id: must be a token id"));
	CHECK_INT(run(&out, &err, "token", "revoke", "--db", db, "--id",
	    "qqqqqqqq", NULL, NULL), 1);
	CHECK(has(err, "--id qqqqqqqq: no such token"));
	CHECK_INT(run(&out, &err, "token", "revoke", "--db", db, "--id", id2,
	    NULL, NULL), 0);
	CHECK(has(out, "revoked on") && has(out, today));
	CHECK_INT(run(&out, &err, "token", "revoke", "--db", db, "--id", id2,
	    NULL, NULL), 0);
	CHECK(has(out, "already revoked on") && has(out, today));
	CHECK_INT(run(&out, &err, "token", "list", "--db", db, NULL, NULL,
	    NULL, NULL), 0);
	{
		char line[128];
		snprintf(line, sizeof(line), "%s  export   %s  %s  Data team",
		    id2, today, today);
		CHECK(has(out, line));
		snprintf(line, sizeof(line), "%s  summary  %s  -           "
		    "Site A analyst", id, today);
		CHECK(has(out, line));
	}

	/* Audit: empty, then aligned rows. */
	CHECK_INT(run(&out, &err, "audit", "--db", db, NULL, NULL, NULL, NULL,
	    NULL), 0);
	CHECK(has(out, "no API calls recorded"));
	CHECK_INT(store_open(db, STORE_RDWR, &s, msg, sizeof(msg)), STORE_OK);
	{
		struct store_audit a;
		memset(&a, 0, sizeof(a));
		snprintf(a.day, sizeof(a.day), "%s", today);
		a.endpoint = "/api/v1/forms/mini/summary";
		a.status = 401;
		CHECK_INT(store_audit_append(s, &a), STORE_OK);
		a.token_id = id;
		a.token_label = "Site A analyst";
		a.status = 200;
		a.rows = 1234;
		CHECK_INT(store_audit_append(s, &a), STORE_OK);
		a.endpoint = "/api/v1/forms";
		a.rows = 0;
		CHECK_INT(store_audit_append(s, &a), STORE_OK);
	}
	store_close(s);
	CHECK_INT(run(&out, &err, "audit", "--db", db, NULL, NULL, NULL, NULL,
	    NULL), 0);
	CHECK(has(out, "DAY") && has(out, "TOKEN") && has(out, "ENDPOINT") &&
	    has(out, "STATUS") && has(out, "ROWS"));
	CHECK(has(out, "1234") && has(out, "401") && has(out, "Site A "
	    "analyst"));
	/* Aligned: the endpoint column starts at the same place. */
	CHECK(col_of(out, "DAY", "ENDPOINT") > 0);
	CHECK_INT(col_of(out, "401", "/api/"), col_of(out, "DAY",
	    "ENDPOINT"));
	CHECK_INT(col_of(out, "1234", "/api/"), col_of(out, "DAY",
	    "ENDPOINT"));
	CHECK_INT(col_of(out, " 0\n", "/api/"), col_of(out, "DAY",
	    "ENDPOINT"));
	CHECK(!has(out, secret));

	/* audit_bad_old_schema: a version-2 file has no API tables. */
	CHECK_INT(store_open_version(old, STORE_RDWR, 2, &s, msg, sizeof(msg)),
	    STORE_OK);
	store_close(s);
	CHECK_INT(run(&out, &err, "audit", "--db", old, NULL, NULL, NULL, NULL,
	    NULL), 1);
	CHECK(has(err, "schema version 2 has no API tables"));
	CHECK_INT(run(&out, &err, "token", "list", "--db", old, NULL, NULL,
	    NULL, NULL), 1);

	free(out);
	free(err);
	test_rmtree(dir);
	return test_done();
}
