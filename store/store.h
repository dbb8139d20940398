/*
 * Durable storage of responses in one SQLite file. The schema is created
 * and migrated here (PRAGMA user_version), every statement is prepared once
 * from one table, and values are always bound. A response row holds only a
 * random id, the form id and version, the consent version, the submission
 * date (day or month, UTC) and the answers and scores: nothing else about
 * the respondent. Receipt and resume codes are stored as keyed hashes.
 *
 * Nothing at rest orders or times a response: the response table is keyed
 * by the random id alone (WITHOUT ROWID), deleted content is overwritten
 * (secure_delete), store_checkpoint() empties the WAL after a withdrawal,
 * and store_compact() rebuilds the file in key order, so page numbers,
 * cell positions and free pages follow the random ids, not the order of
 * submission.
 *
 * A struct store is one connection and is not thread-safe: the collector
 * gives its read-write store to the writer thread (store_writer.h) alone,
 * and the analysis opens its own read-only one.
 */
#ifndef CANDOR_STORE_H
#define CANDOR_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 7
#define STORE_SCHEMA_FORMS 7 /* the first with the form_version table */
#define STORE_ID_LEN 16   /* response ids: 128 random bits */
#define STORE_HASH_LEN 32 /* keyed hashes of receipt and resume codes */
#define STORE_KEY_LEN 32

enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND, /* no such row (withdraw, draft) */
	STORE_ERR,      /* SQLite error; see store_errmsg() */
	STORE_FULL,     /* disk full */
	STORE_READONLY, /* file or directory not writable */
	STORE_BUSY,     /* locked by another writer for too long */
	STORE_VERSION,  /* file is from a newer Candor */
	STORE_NOMEM,
	STORE_EXISTS,   /* a unique key is taken (a start token spent twice) */
	STORE_KEPT,     /* withdraw: the response's form is final (kept) */
	STORE_RC__MAX
};

enum store_mode { STORE_RDONLY, STORE_RDWR };

struct store;

struct store_response {
	unsigned char id[STORE_ID_LEN];
	const char *form_id;
	long form_version;
	const char *consent_version;
	char period[11]; /* "YYYY-MM-DD" or "YYYY-MM" */
	const char *answers; /* JSON, see form_answers_to_json() */
	const char *scores;  /* JSON */
	unsigned char receipt_hash[STORE_HASH_LEN];
};

/*
 * Open (creating and migrating in STORE_RDWR mode) the database at path.
 * Returns STORE_OK and sets *out, or an error with a message in err.
 */
int store_open(const char *path, enum store_mode mode, struct store **out,
    char *err, size_t errsz);
/* Same, migrating only up to version target (tests build old files). */
int store_open_version(const char *path, enum store_mode mode, int target,
    struct store **out, char *err, size_t errsz);
void store_close(struct store *s);
const char *store_errmsg(const struct store *s);
const char *store_strerror(int rc);
/* The schema version of the open file. */
int store_schema_version(struct store *s);

/*
 * Migrate an open read-write database to version target (tests use it to
 * build files of older versions). store_open() migrates to the latest.
 */
int store_migrate(struct store *s, int target);

/* The installation's secret key (created on first open read-write). */
int store_key(struct store *s, unsigned char key[STORE_KEY_LEN]);

/* Transactions: the writer thread batches many operations into one. */
int store_begin(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);
/* A nested savepoint inside a transaction: one job of a batch. */
int store_savepoint(struct store *s);
int store_release(struct store *s);
int store_rollback_to(struct store *s);
/*
 * Cap the file at `pages` pages (a quota; writes beyond it fail with
 * STORE_FULL exactly as on a full disk).
 */
int store_set_max_pages(struct store *s, long pages);
/* Is a transaction open? (SQLite ends one by itself on some errors.) */
int store_in_transaction(struct store *s);

int store_insert(struct store *s, const struct store_response *r);
/*
 * A submission from the collector, all or nothing (the caller holds a
 * savepoint): spend the start token (its keyed hash, kept until expires,
 * a day or a month), insert the response, and delete the draft it was
 * resumed from when draft_hash is not NULL (a draft already gone is not
 * an error). STORE_EXISTS when the token was spent before.
 */
int store_submit(struct store *s, const struct store_response *r,
    const unsigned char token_hash[STORE_HASH_LEN], const char *expires,
    const unsigned char *draft_hash);
/* Delete the response whose receipt hash matches; STORE_NOTFOUND if none. */
int store_withdraw(struct store *s, const unsigned char hash[STORE_HASH_LEN]);
/*
 * The same, unless the response belongs to one of the nkeep forms named
 * in keep (forms whose data are final, form.h): then nothing is deleted
 * and STORE_KEPT is returned. form_id receives the response's form id
 * ("" when there is no such response).
 */
#define STORE_FORM_ID_MAX 64
int store_withdraw_unless(struct store *s,
    const unsigned char hash[STORE_HASH_LEN], const char *const *keep,
    size_t nkeep, char form_id[STORE_FORM_ID_MAX + 1]);
/*
 * The form and period of the response whose receipt hash is hash (what a
 * withdrawal would delete); STORE_NOTFOUND when there is none.
 */
int store_response_find(struct store *s, const unsigned char hash[STORE_HASH_LEN],
    char form_id[STORE_FORM_ID_MAX + 1], char period[11]);

/*
 * Drafts ("save and continue later"): state is an opaque blob sealed under
 * a key derived from the resume code (scheme STORE_DRAFT_CODE). expires is
 * a day "YYYY-MM-DD" or a month "YYYY-MM"; a draft is readable through the
 * end of it.
 */
enum store_draft_scheme {
	STORE_DRAFT_INSTALL = 1, /* sealed with the installation key (schema <= 3) */
	STORE_DRAFT_CODE = 2     /* sealed under a key derived from the code */
};
int store_draft_put(struct store *s, const unsigned char hash[STORE_HASH_LEN],
    const char *form_id, const char *expires, const void *state, size_t len);
/*
 * On STORE_OK *state is malloc'd (caller frees) and *scheme says how it is
 * sealed. Expired drafts: NOTFOUND.
 */
int store_draft_get(struct store *s, const unsigned char hash[STORE_HASH_LEN],
    const char *today, void **state, size_t *len, int *scheme);
int store_draft_delete(struct store *s,
    const unsigned char hash[STORE_HASH_LEN]);
/*
 * Delete the drafts and spent start tokens that expired before today
 * ("YYYY-MM-DD").
 */
int store_draft_sweep(struct store *s, const char *today);

/*
 * Checkpoint the WAL into the database and truncate it to zero bytes, so
 * no WAL frame keeps a page as it was before the last commit (a withdrawn
 * row). It never waits: STORE_BUSY when a reader still uses an older
 * snapshot (try again later), STORE_OK when the WAL is empty.
 */
int store_checkpoint(struct store *s);
/*
 * Rebuild the file in key order (VACUUM) and empty the WAL: page numbers,
 * cell positions and overflow pages then follow the random ids, and there
 * are no free pages. Takes time and space in proportion to the database;
 * run at a clean stop and after an import.
 */
int store_compact(struct store *s);
/*
 * Make SQLite put its temporary files (the copy VACUUM builds) in the
 * database's own directory: the only directory the confined collector can
 * write, and the one place where a copy of the answers may lie. Sets a
 * process-wide SQLite setting: call it before the threads that use SQLite
 * start, while no other thread uses SQLite.
 */
int store_temp_dir(const char *db_path, char *err, size_t errsz);
/*
 * Note, inside the current transaction, that rows are being written whose
 * layout may follow their order, until store_compact() clears the mark.
 * store_compact_pending() compacts a file that carries the mark (left by a
 * crash or a failed compaction); store_writer_start() calls it, so the
 * collector compacts such a file before it serves.
 */
int store_mark_uncompacted(struct store *s);
int store_compact_pending(struct store *s);

/* Read API for the analysis and exports. */
struct store_row {
	const unsigned char *id;
	const char *form_id;
	long form_version;
	const char *consent_version;
	const char *period;
	const char *answers;
	const char *scores;
};
/*
 * Call cb for every response of form_id (all forms when NULL), in id order.
 * A non-zero return from cb stops the walk and is returned.
 */
int store_foreach(struct store *s, const char *form_id,
    int (*cb)(const struct store_row *row, void *arg), void *arg);
int store_count(struct store *s, const char *form_id, long *n);

/*
 * Read snapshots. Between store_snapshot_begin() and store_snapshot_end()
 * every read of this connection sees the database as of the first read,
 * whatever other connections commit meanwhile (BEGIN DEFERRED ... COMMIT;
 * WAL readers never block the writer). A release is built inside one, so
 * its change counter and its rows agree.
 */
int store_snapshot_begin(struct store *s);
int store_snapshot_end(struct store *s);

/*
 * The per-form change counter: every insert and every withdrawal of a
 * response of form_id adds one, in the same transaction (triggers, so
 * imports count too). *n is 0 for a form never written.
 */
int store_changes(struct store *s, const char *form_id, long long *n);

/* ---- researcher API: tokens, audit trail, releases (schema 3) ---- */

#define STORE_TOKEN_ID_LEN 8 /* lower-case base32 (a-z, 2-7) */
#define STORE_LABEL_MAX 200  /* bytes of a token label */

struct store_token {
	char id[STORE_TOKEN_ID_LEN + 1];
	char role[8];  /* "summary" or "export" */
	char label[STORE_LABEL_MAX + 1];
	unsigned char hash[STORE_HASH_LEN]; /* keyed hash of the secret */
	char created[11]; /* "YYYY-MM-DD" */
	char revoked[11]; /* "YYYY-MM-DD", or "" while valid */
};

/* Store a new token (revoked is ignored: a new token is valid). */
int store_token_create(struct store *s, const struct store_token *t);
/* The token with this id into *out; STORE_NOTFOUND if none. */
int store_token_get(struct store *s, const char *id, struct store_token *out);
/* Call cb for every token, oldest first; a non-zero return stops. */
int store_token_foreach(struct store *s,
    int (*cb)(const struct store_token *t, void *arg), void *arg);
/*
 * Revoke the token on day ("YYYY-MM-DD"); a token already revoked keeps
 * its first date. STORE_NOTFOUND if there is no such token.
 */
int store_token_revoke(struct store *s, const char *id, const char *day);

/* One API call. Nothing about the caller but the token. */
struct store_audit {
	long long seq;           /* set by the store */
	char day[11];            /* "YYYY-MM-DD" */
	const char *token_id;    /* NULL: no valid token */
	const char *token_label; /* NULL with token_id */
	const char *endpoint;    /* path pattern, at most 200 bytes */
	int status;              /* HTTP status answered */
	long rows;               /* response rows served (0 for none) */
};

int store_audit_append(struct store *s, const struct store_audit *a);
/*
 * A call without a valid token (401) or refused before one was checked
 * (429): one more in the counter of its day, endpoint pattern and status.
 * The table grows by at most one row per day, endpoint and status.
 */
int store_audit_fail(struct store *s, const char *day, const char *endpoint,
    int status);
struct store_audit_fail_row {
	char day[11];
	const char *endpoint;
	int status;
	long long n;
};
/* Call cb for every counter, by day, endpoint and status. */
int store_audit_fail_foreach(struct store *s,
    int (*cb)(const struct store_audit_fail_row *r, void *arg), void *arg);
/* Call cb for every audit row in order; a non-zero return stops. */
int store_audit_foreach(struct store *s,
    int (*cb)(const struct store_audit *a, void *arg), void *arg);

/* A published release: the exact bytes served for a form and kind. */
struct store_release {
	const char *form_id;
	const char *kind;     /* "summary" or "export" */
	long seq;             /* 1, 2, ... per form and kind; set by the store */
	char day[11];         /* "YYYY-MM-DD" */
	long n_rows;          /* responses published in it */
	long long changes_at; /* store_changes() when it was built */
	void *body;           /* store_release_latest(): malloc'd, caller frees */
	size_t len;
	unsigned char sha256[32]; /* of body; set by store_release_insert() */
};

/*
 * The latest release of form_id and kind into *out (out->body malloc'd,
 * the caller frees it); STORE_NOTFOUND when there is none.
 */
int store_release_latest(struct store *s, const char *form_id,
    const char *kind, struct store_release *out);
/*
 * Store r as the next release of its form and kind: sets r->seq and
 * r->sha256. r->body is only read.
 */
int store_release_insert(struct store *s, struct store_release *r);

/* ---- the release ledger of the analysis (schema 5) ---- */

/*
 * One side of a group shown by a published report: members holds one bit
 * per row of the data (response id order), bit r of byte r / 8.
 */
struct store_ledger {
	long long release_seq; /* the ledger's number of the release */
	char day[11];          /* "YYYY-MM-DD" */
	const char *form_id;
	unsigned char plan_sha[32], data_sha[32];
	const char *group;     /* plan group name */
	int side;              /* 1: group a, 2: group b */
	size_t nrows;
	const void *members;   /* (nrows + 7) / 8 bytes */
	size_t len;
};

/* The number the next release of the ledger would have: 1, 2, ... */
int store_ledger_next(struct store *s, long long *seq);
/* Record one side of one group of a release. */
int store_ledger_put(struct store *s, const struct store_ledger *l);
/*
 * Call cb for every side of every group released on data_sha, oldest
 * release first; the pointers in *l last for the call only. A non-zero
 * return from cb stops the walk and is returned.
 */
int store_ledger_foreach(struct store *s, const unsigned char data_sha[32],
    int (*cb)(const struct store_ledger *l, void *arg), void *arg);

/* ---- every release of the analysis, of any kind (schema 6) ---- */

/*
 * One release: a report, an aggregate or row-level export of "analysis",
 * or an API summary. The API's releases are also kept whole in the
 * release table (store_release_insert()).
 */
struct store_ledger_release {
	long long seq;          /* the ledger's number; set by the store */
	const char *kind;       /* "report", "aggregate", "rows", "summary" */
	char day[11];           /* "YYYY-MM-DD" */
	const char *form_id;
	int has_plan;           /* rows: no plan */
	unsigned char plan_sha[32], data_sha[32];
	long long changes_at;   /* store_changes() of the data released */
	long n_rows;            /* responses in the data */
};

/*
 * Record release r and the sides of its groups (groups[i].release_seq is
 * set to r's new number) in one savepoint of the caller's transaction,
 * provided r's form has exactly generation releases of any kind (as
 * store_release_generation() said when the release was checked);
 * STORE_EXISTS, with nothing written, when another release came first.
 */
int store_ledger_record(struct store *s, struct store_ledger_release *r,
    struct store_ledger *groups, size_t ngroups, long long generation);
/* How many releases of any kind form_id has (none is ever deleted). */
int store_release_generation(struct store *s, const char *form_id,
    long long *n);

/* The latest release of a form, of any kind, for the spacing rule. */
struct store_spacing {
	int found;             /* 0: the form has no release yet */
	char kind[16];         /* "report", ..., "API summary", "API export" */
	long long seq;
	char day[11];
	long long changes_at;  /* the largest counter of any release */
	/* releases of the ledger at that counter made on other data */
	long long other_data;
};
int store_release_spacing(struct store *s, const char *form_id,
    const unsigned char data_sha[32], struct store_spacing *out);

/* ---- the form versions the data was collected under (schema 7) ---- */
/* (A read-only connection to an older file has no such table.) */

/*
 * Store the exact bytes of a form file as version `version` of form_id
 * (its SHA-256 is computed here). A version already stored with the same
 * bytes is left as it is (STORE_OK); with other bytes nothing is written
 * and STORE_EXISTS is returned: a changed form needs a new version.
 */
int store_form_put(struct store *s, const char *form_id, long version,
    const void *body, size_t len);
/*
 * The stored bytes of a version into *body (malloc'd, NUL-terminated
 * after len bytes; the caller frees) and its SHA-256 into sha256 (may be
 * NULL). STORE_NOTFOUND when the version is not stored.
 */
int store_form_get(struct store *s, const char *form_id, long version,
    void **body, size_t *len, unsigned char sha256[32]);

struct store_form {
	const char *form_id;
	long version;
	int stored;              /* 0: rows of a version with no stored form */
	unsigned char sha256[32]; /* of body; zero when not stored */
	const void *body;        /* NULL when not stored */
	size_t len;
	long long rows;          /* responses of this version */
};
/*
 * Call cb for every stored version of form_id (every form when NULL) and
 * every version that has rows but no stored form, by form id and
 * version; the pointers last for the call only. A non-zero return from cb
 * stops the walk and is returned.
 */
int store_form_foreach(struct store *s, const char *form_id,
    int (*cb)(const struct store_form *f, void *arg), void *arg);

/* Today's date (UTC) as "YYYY-MM-DD", or the month when month is set. */
void store_period_now(char out[11], int month);

/* Keyed hash (BLAKE2b via libsodium) of a code under the store key. */
void store_hash_code(const unsigned char key[STORE_KEY_LEN], const char *code,
    unsigned char out[STORE_HASH_LEN]);

#endif
