/*
 * The token and audit commands of build/bin/analysis: create, list and
 * revoke researcher API tokens, and print the audit trail of API calls.
 * A token is printed once, at creation; the database keeps only a keyed
 * hash of its secret, so neither "token list" nor anything else can show
 * it again. These commands write to the collector's database, which may be
 * in use: SQLite's WAL mode and busy timeout let them share it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "commands.h"
#include "store.h"
#include "token.h"

/*
 * Open the database at path for cmd. A missing file is refused rather than
 * created: a mistyped path must not yield a token for an empty database.
 */
static struct store *
open_db(const char *cmd, const char *path, enum store_mode mode)
{
	struct store *s = NULL;
	struct stat sb;
	char err[1024];

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "analysis %s: --db %s: no such file (the "
		    "collector creates it on its first start)\n", cmd, path);
		return NULL;
	}
	if (store_open(path, mode, &s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "analysis %s: --db %s\n", cmd, err);
		return NULL;
	}
	if (store_schema_version(s) < 3) {
		fprintf(stderr, "analysis %s: --db %s: schema version %d has no "
		    "API tables (start the collector once, or create a token, "
		    "to upgrade it)\n", cmd, path, store_schema_version(s));
		store_close(s);
		return NULL;
	}
	return s;
}

/* Print s with control characters as '?': bytes from disk are untrusted. */
static void
put_clean(const char *s, int width)
{
	int n = 0;

	for (; s != NULL && *s != '\0'; s++, n++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	for (; n < width; n++)
		putchar(' ');
}

static int
valid_token_id(const char *id)
{
	size_t i;

	for (i = 0; id[i] != '\0'; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= '2' && id[i] <= '7')))
			return 0;
	return i == STORE_TOKEN_ID_LEN;
}

int
cmd_token_create(const char *const *val)
{
	struct store_token t;
	struct store *s;
	unsigned char key[STORE_KEY_LEN];
	char secret[TOKEN_SECRET_LEN + 1], full[TOKEN_LEN + 1];
	int role, rc = 1, tries;

	if ((role = token_role_parse(val[FLAG_ROLE])) < 0)
		return cli_bad_flag("token create", FLAG_ROLE,
		    "must be summary or export", val[FLAG_ROLE]);
	if ((s = open_db("token create", val[FLAG_DB], STORE_RDWR)) == NULL)
		return 1;
	if (store_key(s, key) != STORE_OK) {
		fprintf(stderr, "analysis token create: --db %s: cannot read "
		    "the installation key: %s\n", val[FLAG_DB],
		    store_errmsg(s));
		goto out;
	}
	memset(&t, 0, sizeof(t));
	snprintf(t.role, sizeof(t.role), "%s", token_role_name(
	    (enum token_role)role));
	snprintf(t.label, sizeof(t.label), "%s", val[FLAG_LABEL]);
	store_period_now(t.created, 0);
	/* 40-bit ids collide rarely; a collision is a constraint error. */
	for (tries = 0; tries < 5; tries++) {
		token_new(t.id, secret, full);
		store_hash_code(key, secret, t.hash);
		struct store_token old;
		if (store_token_get(s, t.id, &old) == STORE_NOTFOUND)
			break;
	}
	if (tries == 5 || store_token_create(s, &t) != STORE_OK) {
		fprintf(stderr, "analysis token create: --db %s: cannot store "
		    "the token: %s\n", val[FLAG_DB], store_errmsg(s));
		goto out;
	}
	printf("%s\n", full);
	if (fflush(stdout) != 0)
		goto out;
	fprintf(stderr, "analysis token create: token %s (role %s) stored; "
	    "the line above is its only copy: the database keeps a keyed "
	    "hash\n", t.id, t.role);
	rc = 0;
out:
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(full, sizeof(full));
	sodium_memzero(key, sizeof(key));
	store_close(s);
	return rc;
}

struct list_ctx {
	size_t n;
};

static int
list_row(const struct store_token *t, void *arg)
{
	struct list_ctx *x = arg;

	if (x->n++ == 0)
		printf("%-8s  %-7s  %-10s  %-10s  %s\n", "ID", "ROLE",
		    "CREATED", "REVOKED", "LABEL");
	put_clean(t->id, 8);
	printf("  ");
	put_clean(t->role, 7);
	printf("  ");
	put_clean(t->created, 10);
	printf("  ");
	put_clean(t->revoked[0] ? t->revoked : "-", 10);
	printf("  ");
	put_clean(t->label, 0);
	putchar('\n');
	return 0;
}

int
cmd_token_list(const char *const *val)
{
	struct list_ctx x = {0};
	struct store *s;
	int rc = 1;

	if ((s = open_db("token list", val[FLAG_DB], STORE_RDONLY)) == NULL)
		return 1;
	if (store_token_foreach(s, list_row, &x) != STORE_OK) {
		fprintf(stderr, "analysis token list: --db %s: %s\n",
		    val[FLAG_DB], store_errmsg(s));
		goto out;
	}
	if (x.n == 0)
		printf("no tokens\n");
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	store_close(s);
	return rc;
}

int
cmd_token_revoke(const char *const *val)
{
	struct store_token t;
	struct store *s;
	char today[11];
	int rc = 1, src;

	if (!valid_token_id(val[FLAG_ID]))
		return cli_bad_flag("token revoke", FLAG_ID, "must be a token "
		    "id: 8 characters of a-z and 2-7", val[FLAG_ID]);
	if ((s = open_db("token revoke", val[FLAG_DB], STORE_RDWR)) == NULL)
		return 1;
	store_period_now(today, 0);
	src = store_token_get(s, val[FLAG_ID], &t);
	if (src == STORE_NOTFOUND) {
		fprintf(stderr, "analysis token revoke: --id %s: no such token "
		    "(see \"analysis token list\")\n", val[FLAG_ID]);
		goto out;
	}
	if (src == STORE_OK && t.revoked[0] != '\0') {
		printf("token %s was already revoked on %s\n", t.id,
		    t.revoked);
		rc = fflush(stdout) == 0 ? 0 : 1;
		goto out;
	}
	if (src != STORE_OK ||
	    store_token_revoke(s, val[FLAG_ID], today) != STORE_OK) {
		fprintf(stderr, "analysis token revoke: --db %s: %s\n",
		    val[FLAG_DB], store_errmsg(s));
		goto out;
	}
	printf("token %s revoked on %s\n", t.id, today);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	store_close(s);
	return rc;
}

/* Column widths of the audit table, found in a first pass. */
struct audit_ctx {
	int print;
	size_t n;
	int w_tok, w_label, w_end;
};

static int
clen(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 1;

	return n > 200 ? 200 : (int)n;
}

static int
audit_row(const struct store_audit *a, void *arg)
{
	struct audit_ctx *x = arg;
	const char *tok = a->token_id ? a->token_id : "-";
	const char *lab = a->token_label ? a->token_label : "-";

	x->n++;
	if (!x->print) {
		if (clen(tok) > x->w_tok)
			x->w_tok = clen(tok);
		if (clen(lab) > x->w_label)
			x->w_label = clen(lab);
		if (clen(a->endpoint) > x->w_end)
			x->w_end = clen(a->endpoint);
		return 0;
	}
	put_clean(a->day, 10);
	printf("  ");
	put_clean(tok, x->w_tok);
	printf("  ");
	put_clean(lab, x->w_label);
	printf("  ");
	put_clean(a->endpoint, x->w_end);
	printf("  %6d  %8ld\n", a->status, a->rows);
	return 0;
}

static int
audit_fail_row(const struct store_audit_fail_row *a, void *arg)
{
	int *n = arg;

	if ((*n)++ == 0)
		printf("\ncalls without a valid token (counted per day, "
		    "endpoint and status)\n%-10s  %-40s  %6s  %8s\n", "DAY",
		    "ENDPOINT", "STATUS", "CALLS");
	put_clean(a->day, 10);
	printf("  ");
	put_clean(a->endpoint, 40);
	printf("  %6d  %8lld\n", a->status, a->n);
	return 0;
}

int
cmd_audit(const char *const *val)
{
	int nfail = 0;
	struct audit_ctx x = {0, 0, 5, 5, 8};
	struct store *s;
	int rc = 1;

	if ((s = open_db("audit", val[FLAG_DB], STORE_RDONLY)) == NULL)
		return 1;
	/* One read snapshot, so both passes see the same rows. */
	if (store_snapshot_begin(s) != STORE_OK ||
	    store_audit_foreach(s, audit_row, &x) != STORE_OK)
		goto fail;
	if (x.n == 0) {
		printf("no API calls recorded\n");
	} else {
		x.print = 1;
		printf("%-10s  %-*s  %-*s  %-*s  %6s  %8s\n", "DAY", x.w_tok,
		    "TOKEN", x.w_label, "LABEL", x.w_end, "ENDPOINT", "STATUS",
		    "ROWS");
		if (store_audit_foreach(s, audit_row, &x) != STORE_OK)
			goto fail;
	}
	if (store_schema_version(s) >= 4 &&
	    store_audit_fail_foreach(s, audit_fail_row, &nfail) != STORE_OK)
		goto fail;
	if (store_snapshot_end(s) != STORE_OK)
		goto fail;
	rc = fflush(stdout) == 0 ? 0 : 1;
	store_close(s);
	return rc;
fail:
	fprintf(stderr, "analysis audit: --db %s: %s\n", val[FLAG_DB],
	    store_errmsg(s));
	store_close(s);
	return 1;
}
