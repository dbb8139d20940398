/*
 * The SQLite storage layer (store.h). The schema is a list of migrations
 * applied in order under PRAGMA user_version; every SQL statement is in the
 * stmts[] table below, prepared once on first use and always bound. The
 * connection runs in WAL mode with synchronous=FULL, so a committed
 * transaction survives a crash or power loss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_KEY_GET,
	STMT_KEY_PUT,
	STMT_INSERT,
	STMT_WITHDRAW,
	STMT_DRAFT_PUT,
	STMT_DRAFT_GET,
	STMT_DRAFT_DELETE,
	STMT_DRAFT_SWEEP,
	STMT_FOREACH_ALL,
	STMT_FOREACH_FORM,
	STMT_COUNT_ALL,
	STMT_COUNT_FORM,
	STMT_BEGIN_READ,
	STMT_TOKEN_PUT,
	STMT_TOKEN_GET,
	STMT_TOKEN_ALL,
	STMT_TOKEN_REVOKE,
	STMT_AUDIT_PUT,
	STMT_AUDIT_ALL,
	STMT_RELEASE_LATEST,
	STMT_RELEASE_PUT,
	STMT_CHANGES_GET,
	STMT_SPEND,
	STMT_SPENT_SWEEP,
	STMT_AUDIT_FAIL,
	STMT_AUDIT_FAIL_ALL,
	STMT_DIRTY_PUT,
	STMT_DIRTY_GET,
	STMT_DIRTY_DEL,
	STMT_LEDGER_NEXT,
	STMT_LEDGER_PUT,
	STMT_LEDGER_ALL,
	STMT_LREL_PUT,
	STMT_LREL_GEN,
	STMT_LREL_LAST,
	STMT_LREL_OTHER,
	STMT_WITHDRAW_FORM,
	STMT_RESPONSE_FIND,
	STMT_FORM_PUT,
	STMT_FORM_SHA,
	STMT_FORM_ALL,
	STMT_FORM_GET,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* STMT_BEGIN: IMMEDIATE takes the write lock up front. */
	"BEGIN IMMEDIATE",
	/* STMT_COMMIT */
	"COMMIT",
	/* STMT_ROLLBACK */
	"ROLLBACK",
	/* STMT_SAVEPOINT: one job inside a group-commit batch. */
	"SAVEPOINT job",
	/* STMT_RELEASE */
	"RELEASE job",
	/* STMT_ROLLBACK_TO */
	"ROLLBACK TO job",
	/* STMT_KEY_GET */
	"SELECT value FROM meta WHERE key = 'secret'",
	/* STMT_KEY_PUT */
	"INSERT INTO meta (key, value) VALUES ('secret', ?1)",
	/* STMT_INSERT */
	"INSERT INTO response (id, form_id, form_version, consent_version, "
	"period, answers, scores, receipt_hash) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* STMT_WITHDRAW */
	"DELETE FROM response WHERE receipt_hash = ?1",
	/* STMT_DRAFT_PUT: a new draft is always sealed under its code. */
	"INSERT OR REPLACE INTO draft (code_hash, form_id, expires, scheme, "
	"state) VALUES (?1, ?2, ?3, 2, ?4)",
	/*
	 * STMT_DRAFT_GET: expires is a day or a month; it is compared with
	 * today cut to the same length, so a month lasts to its end.
	 */
	"SELECT state, scheme FROM draft WHERE code_hash = ?1 AND "
	"expires >= substr(?2, 1, length(expires))",
	/* STMT_DRAFT_DELETE */
	"DELETE FROM draft WHERE code_hash = ?1",
	/* STMT_DRAFT_SWEEP */
	"DELETE FROM draft WHERE expires < substr(?1, 1, length(expires))",
	/* STMT_FOREACH_ALL */
	"SELECT id, form_id, form_version, consent_version, period, answers, "
	"scores FROM response ORDER BY id",
	/* STMT_FOREACH_FORM */
	"SELECT id, form_id, form_version, consent_version, period, answers, "
	"scores FROM response WHERE form_id = ?1 ORDER BY id",
	/* STMT_COUNT_ALL */
	"SELECT count(*) FROM response",
	/* STMT_COUNT_FORM */
	"SELECT count(*) FROM response WHERE form_id = ?1",
	/* STMT_BEGIN_READ: the snapshot starts at the first read. */
	"BEGIN DEFERRED",
	/* STMT_TOKEN_PUT */
	"INSERT INTO token (id, role, label, hash, created) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/* STMT_TOKEN_GET */
	"SELECT id, role, label, hash, created, revoked FROM token "
	"WHERE id = ?1",
	/* STMT_TOKEN_ALL */
	"SELECT id, role, label, hash, created, revoked FROM token "
	"ORDER BY created, id",
	/* STMT_TOKEN_REVOKE: the first revocation date stays. */
	"UPDATE token SET revoked = coalesce(revoked, ?2) WHERE id = ?1",
	/* STMT_AUDIT_PUT */
	"INSERT INTO audit (day, token_id, token_label, endpoint, status, "
	"rows) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* STMT_AUDIT_ALL */
	"SELECT seq, day, token_id, token_label, endpoint, status, rows "
	"FROM audit ORDER BY seq",
	/* STMT_RELEASE_LATEST */
	"SELECT seq, day, n_rows, changes_at, body, sha256 FROM release "
	"WHERE form_id = ?1 AND kind = ?2 ORDER BY seq DESC LIMIT 1",
	/* STMT_RELEASE_PUT: seq is one more than the latest of its kind. */
	"INSERT INTO release (form_id, kind, seq, day, n_rows, changes_at, "
	"body, sha256) SELECT ?1, ?2, coalesce(max(seq), 0) + 1, ?3, ?4, ?5, "
	"?6, ?7 FROM release WHERE form_id = ?1 AND kind = ?2 "
	"RETURNING seq",
	/* STMT_CHANGES_GET */
	"SELECT changes FROM form_changes WHERE form_id = ?1",
	/* STMT_SPEND: a start token is spent once; a second use conflicts. */
	"INSERT INTO start_spent (token_hash, expires) VALUES (?1, ?2)",
	/* STMT_SPENT_SWEEP: once its state has expired a token is moot. */
	"DELETE FROM start_spent WHERE "
	"expires < substr(?1, 1, length(expires))",
	/* STMT_AUDIT_FAIL: one counter per day, endpoint and status. */
	"INSERT INTO audit_fail (day, endpoint, status, n) "
	"VALUES (?1, ?2, ?3, 1) ON CONFLICT (day, endpoint, status) "
	"DO UPDATE SET n = n + 1",
	/* STMT_AUDIT_FAIL_ALL */
	"SELECT day, endpoint, status, n FROM audit_fail "
	"ORDER BY day, endpoint, status",
	/*
	 * STMT_DIRTY_PUT: rows were written since the last compaction (the
	 * layout may follow their order). Set in the writer's first batch,
	 * cleared by store_compact(); a file found with it (a crash, a
	 * failed compaction) is compacted when next opened read-write.
	 */
	"INSERT OR IGNORE INTO meta (key, value) VALUES ('uncompacted', x'01')",
	/* STMT_DIRTY_GET */
	"SELECT count(*) FROM meta WHERE key = 'uncompacted'",
	/* STMT_DIRTY_DEL */
	"DELETE FROM meta WHERE key = 'uncompacted'",
	/* STMT_LEDGER_NEXT: releases of the ledger are numbered 1, 2, ... */
	"SELECT coalesce(max(release_seq), 0) + 1 FROM ledger_release",
	/* STMT_LEDGER_PUT */
	"INSERT INTO ledger (release_seq, day, form_id, plan_sha, data_sha, "
	"grp, side, nrows, members) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	"?9)",
	/* STMT_LEDGER_ALL: the groups released on one data hash. */
	"SELECT release_seq, day, form_id, plan_sha, grp, side, nrows, members "
	"FROM ledger WHERE data_sha = ?1 ORDER BY release_seq, grp, side",
	/* STMT_LREL_PUT: the next number of the ledger (schema 6). */
	"INSERT INTO ledger_release (release_seq, kind, day, form_id, "
	"plan_sha, data_sha, changes_at, n_rows) SELECT "
	"coalesce(max(release_seq), 0) + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
	"FROM ledger_release RETURNING release_seq",
	/*
	 * STMT_LREL_GEN: how many releases of any kind a form has. No
	 * release is ever deleted, so an unchanged count is an unchanged
	 * set of releases.
	 */
	"SELECT (SELECT count(*) FROM ledger_release WHERE form_id = ?1) + "
	"(SELECT count(*) FROM release WHERE form_id = ?1)",
	/*
	 * STMT_LREL_LAST: the latest release of a form, of any kind: the
	 * ledger's, and the API's (whose summaries are in both).
	 */
	"SELECT kind, seq, day, changes_at FROM ("
	"  SELECT kind, release_seq AS seq, day, changes_at FROM ledger_release"
	"    WHERE form_id = ?1"
	"  UNION ALL"
	"  SELECT 'API ' || kind, seq, day, changes_at FROM release"
	"    WHERE form_id = ?1) "
	"ORDER BY changes_at DESC, day DESC, seq DESC LIMIT 1",
	/*
	 * STMT_LREL_OTHER: releases of the ledger at that counter on other
	 * data (only rows carried over from schema 5, whose counter is the
	 * one at the upgrade, can be such).
	 */
	"SELECT count(*) FROM ledger_release WHERE form_id = ?1 AND "
	"changes_at = ?2 AND data_sha IS NOT ?3",
	/* STMT_WITHDRAW_FORM: the form of the response a code withdraws. */
	"SELECT form_id FROM response WHERE receipt_hash = ?1",
	/* STMT_RESPONSE_FIND: what a withdrawal would delete. */
	"SELECT form_id, period FROM response WHERE receipt_hash = ?1",
	/* STMT_FORM_PUT: a version once stored is never replaced. */
	"INSERT OR IGNORE INTO form_version (form_id, version, sha256, body) "
	"VALUES (?1, ?2, ?3, ?4)",
	/* STMT_FORM_SHA */
	"SELECT sha256 FROM form_version WHERE form_id = ?1 AND version = ?2",
	/*
	 * STMT_FORM_ALL: every stored version with its rows, then every
	 * version that has rows but no stored form (body NULL). The rows
	 * are counted in one pass over the form's responses (materialized),
	 * not once per version.
	 */
	"WITH r AS MATERIALIZED (SELECT form_id, form_version AS version, "
	"count(*) AS n FROM response WHERE ?1 IS NULL OR form_id = ?1 "
	"GROUP BY form_id, form_version) "
	"SELECT f.form_id, f.version, f.sha256, f.body, coalesce(r.n, 0) "
	"FROM form_version f LEFT JOIN r ON r.form_id = f.form_id AND "
	"r.version = f.version WHERE ?1 IS NULL OR f.form_id = ?1 "
	"UNION ALL "
	"SELECT r.form_id, r.version, NULL, NULL, r.n FROM r WHERE NOT "
	"EXISTS (SELECT 1 FROM form_version f WHERE f.form_id = r.form_id "
	"AND f.version = r.version) "
	"ORDER BY 1, 2",
	/* STMT_FORM_GET */
	"SELECT sha256, body FROM form_version WHERE form_id = ?1 AND "
	"version = ?2",
};

/*
 * A date and nothing finer: "YYYY-MM-DD" of a real day ('+0 days' makes
 * SQLite normalize, so 2026-02-30 does not read as itself).
 */
#define STORE_DAY_CHECK(col)                                               \
	"(" col " GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND "  \
	"date(" col ", '+0 days') IS " col ")"


/*
 * Migrations: migrations[v] takes a file from user_version v to v + 1.
 * Append only; never edit a released step.
 */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	/* 0 -> 1: responses and the installation secret. */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value BLOB NOT NULL"
	") STRICT;"
	"CREATE TABLE response ("
	"  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	"  form_id TEXT NOT NULL,"
	"  form_version INTEGER NOT NULL,"
	"  consent_version TEXT NOT NULL,"
	"  period TEXT NOT NULL CHECK ("
	"    period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR"
	"    period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),"
	"  answers TEXT NOT NULL CHECK (json_valid(answers)),"
	"  scores TEXT NOT NULL CHECK (json_valid(scores)),"
	"  receipt_hash BLOB NOT NULL UNIQUE CHECK (length(receipt_hash) = 32)"
	") STRICT;"
	"CREATE INDEX response_form ON response (form_id);",
	/* 1 -> 2: drafts for "save and continue later". */
	"CREATE TABLE draft ("
	"  code_hash BLOB PRIMARY KEY CHECK (length(code_hash) = 32),"
	"  form_id TEXT NOT NULL,"
	"  expires TEXT NOT NULL,"
	"  state BLOB NOT NULL"
	") STRICT;"
	"CREATE INDEX draft_expires ON draft (expires);",
	/*
	 * 2 -> 3: the researcher API. Tokens (only a keyed hash of the
	 * secret), the audit trail of API calls (a day, never a time; no
	 * respondent data, no address), the published releases, and a
	 * per-form change counter kept by triggers so that every insert and
	 * every withdrawal counts, whoever writes the row; and the response
	 * index by form gains the id.
	 */
	"CREATE TABLE token ("
	"  id TEXT PRIMARY KEY CHECK (length(id) = 8 AND"
	"    id NOT GLOB '*[^a-z2-7]*'),"
	"  role TEXT NOT NULL CHECK (role IN ('summary', 'export')),"
	"  label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32),"
	"  created TEXT NOT NULL CHECK " STORE_DAY_CHECK("created") ","
	"  revoked TEXT CHECK (revoked IS NULL OR "
	    STORE_DAY_CHECK("revoked") ")"
	") STRICT;"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  day TEXT NOT NULL CHECK " STORE_DAY_CHECK("day") ","
	"  token_id TEXT,"
	"  token_label TEXT,"
	"  endpoint TEXT NOT NULL CHECK (length(endpoint) <= 200),"
	"  status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),"
	"  rows INTEGER NOT NULL CHECK (rows >= 0)"
	") STRICT;"
	"CREATE TABLE release ("
	"  form_id TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('summary', 'export')),"
	"  seq INTEGER NOT NULL CHECK (seq >= 1),"
	"  day TEXT NOT NULL CHECK " STORE_DAY_CHECK("day") ","
	"  n_rows INTEGER NOT NULL CHECK (n_rows >= 0),"
	"  changes_at INTEGER NOT NULL CHECK (changes_at >= 0),"
	"  body BLOB NOT NULL,"
	"  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
	"  PRIMARY KEY (form_id, kind, seq)"
	") STRICT;"
	"CREATE TABLE form_changes ("
	"  form_id TEXT PRIMARY KEY,"
	"  changes INTEGER NOT NULL CHECK (changes >= 0)"
	") STRICT;"
	/* Rows stored before the counter existed count once each. */
	"INSERT INTO form_changes (form_id, changes) "
	"  SELECT form_id, count(*) FROM response GROUP BY form_id;"
	"CREATE TRIGGER response_changes_insert AFTER INSERT ON response "
	"BEGIN"
	"  INSERT OR IGNORE INTO form_changes (form_id, changes)"
	"    VALUES (NEW.form_id, 0);"
	"  UPDATE form_changes SET changes = changes + 1"
	"    WHERE form_id = NEW.form_id;"
	"END;"
	"CREATE TRIGGER response_changes_delete AFTER DELETE ON response "
	"BEGIN"
	"  INSERT OR IGNORE INTO form_changes (form_id, changes)"
	"    VALUES (OLD.form_id, 0);"
	"  UPDATE form_changes SET changes = changes + 1"
	"    WHERE form_id = OLD.form_id;"
	"END;"
	/*
	 * Reads walk one form's rows in id order (store_foreach): with the
	 * id in the index that is an index scan, not a sort of the whole
	 * table through temporary files.
	 */
	"DROP INDEX response_form;"
	"CREATE INDEX response_form_id ON response (form_id, id);",
	/*
	 * 3 -> 4: nothing at rest orders or times a response.
	 * - response is keyed by its random id alone (WITHOUT ROWID): a
	 *   rowid table numbered rows in submission order. The rows are
	 *   copied in id order; the file is vacuumed after the upgrade
	 *   (store_compact), so pages and cells follow the ids too.
	 * - A draft says how it is sealed: scheme 1, under the installation
	 *   key (drafts saved before this version, read until they expire),
	 *   or 2, under a key derived from its resume code, which only the
	 *   respondent holds. Its expiry is a day or a month, never finer
	 *   than the form's period.
	 * - start_spent holds a keyed hash of every start token used by a
	 *   stored response, until its state expires, so a restart cannot
	 *   turn one survey into two responses.
	 * - API calls without a valid token are counted per day, endpoint
	 *   and status (audit_fail) instead of a row each; the rows already
	 *   kept become counts.
	 */
	"CREATE TABLE response_v4 ("
	"  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	"  form_id TEXT NOT NULL,"
	"  form_version INTEGER NOT NULL,"
	"  consent_version TEXT NOT NULL,"
	"  period TEXT NOT NULL CHECK ("
	"    period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR"
	"    period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),"
	"  answers TEXT NOT NULL CHECK (json_valid(answers)),"
	"  scores TEXT NOT NULL CHECK (json_valid(scores)),"
	"  receipt_hash BLOB NOT NULL UNIQUE CHECK (length(receipt_hash) = 32)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO response_v4 SELECT id, form_id, form_version,"
	"  consent_version, period, answers, scores, receipt_hash"
	"  FROM response ORDER BY id;"
	"DROP TABLE response;"
	"ALTER TABLE response_v4 RENAME TO response;"
	"CREATE INDEX response_form_id ON response (form_id);"
	"CREATE TRIGGER response_changes_insert AFTER INSERT ON response "
	"BEGIN"
	"  INSERT OR IGNORE INTO form_changes (form_id, changes)"
	"    VALUES (NEW.form_id, 0);"
	"  UPDATE form_changes SET changes = changes + 1"
	"    WHERE form_id = NEW.form_id;"
	"END;"
	"CREATE TRIGGER response_changes_delete AFTER DELETE ON response "
	"BEGIN"
	"  INSERT OR IGNORE INTO form_changes (form_id, changes)"
	"    VALUES (OLD.form_id, 0);"
	"  UPDATE form_changes SET changes = changes + 1"
	"    WHERE form_id = OLD.form_id;"
	"END;"
	"CREATE TABLE draft_v4 ("
	"  code_hash BLOB PRIMARY KEY CHECK (length(code_hash) = 32),"
	"  form_id TEXT NOT NULL,"
	"  expires TEXT NOT NULL CHECK ("
	"    expires GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR"
	"    expires GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),"
	"  scheme INTEGER NOT NULL CHECK (scheme IN (1, 2)),"
	"  state BLOB NOT NULL"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO draft_v4 SELECT code_hash, form_id, expires, 1, state"
	"  FROM draft ORDER BY code_hash;"
	"DROP TABLE draft;"
	"ALTER TABLE draft_v4 RENAME TO draft;"
	"CREATE INDEX draft_expires ON draft (expires);"
	"CREATE TABLE start_spent ("
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  expires TEXT NOT NULL CHECK ("
	"    expires GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR"
	"    expires GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX start_spent_expires ON start_spent (expires);"
	"CREATE TABLE audit_fail ("
	"  day TEXT NOT NULL CHECK " STORE_DAY_CHECK("day") ","
	"  endpoint TEXT NOT NULL CHECK (length(endpoint) <= 200),"
	"  status INTEGER NOT NULL CHECK (status BETWEEN 400 AND 599),"
	"  n INTEGER NOT NULL CHECK (n >= 1),"
	"  PRIMARY KEY (day, endpoint, status)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO audit_fail (day, endpoint, status, n)"
	"  SELECT day, endpoint, status, count(*) FROM audit"
	"  WHERE token_id IS NULL AND status BETWEEN 400 AND 599"
	"  GROUP BY day, endpoint, status;"
	"DELETE FROM audit WHERE token_id IS NULL AND"
	"  status BETWEEN 400 AND 599;",
	/*
	 * 4 -> 5: the release ledger of the analysis (docs/plans.md). One
	 * row per side of every group a published report showed: the plan
	 * and data hashes, the day, and the membership as one bit per row of
	 * the data in id order, so that a later report on the same data can
	 * refuse a group that differs from it by fewer than k respondents.
	 */
	"CREATE TABLE ledger ("
	"  release_seq INTEGER NOT NULL CHECK (release_seq >= 1),"
	"  day TEXT NOT NULL CHECK " STORE_DAY_CHECK("day") ","
	"  form_id TEXT NOT NULL,"
	"  plan_sha BLOB NOT NULL CHECK (length(plan_sha) = 32),"
	"  data_sha BLOB NOT NULL CHECK (length(data_sha) = 32),"
	"  grp TEXT NOT NULL CHECK (length(grp) BETWEEN 1 AND 64),"
	"  side INTEGER NOT NULL CHECK (side IN (1, 2)),"
	"  nrows INTEGER NOT NULL CHECK (nrows >= 0),"
	"  members BLOB NOT NULL CHECK (length(members) = (nrows + 7) / 8),"
	"  PRIMARY KEY (release_seq, grp, side)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX ledger_data ON ledger (data_sha);",
	/*
	 * 5 -> 6: every release of the analysis is in the ledger, groups
	 * or not, with its kind and the form's change counter when it was
	 * made, so that any two releases of any kind (reports, aggregate
	 * and row-level exports, the API's) can be kept k changes apart.
	 * The reports already in the ledger become its releases. Their
	 * counter is not known; the counter at the upgrade is the latest it
	 * can have been, so it is taken, and their data hash keeps a later
	 * release on other data at that counter from passing as the same
	 * data (store_release_spacing()).
	 */
	"CREATE TABLE ledger_release ("
	"  release_seq INTEGER PRIMARY KEY CHECK (release_seq >= 1),"
	"  kind TEXT NOT NULL CHECK (kind IN ('report', 'aggregate', 'rows',"
	"    'summary')),"
	"  day TEXT NOT NULL CHECK " STORE_DAY_CHECK("day") ","
	"  form_id TEXT NOT NULL,"
	"  plan_sha BLOB CHECK (plan_sha IS NULL OR length(plan_sha) = 32),"
	"  data_sha BLOB NOT NULL CHECK (length(data_sha) = 32),"
	"  changes_at INTEGER NOT NULL CHECK (changes_at >= 0),"
	"  n_rows INTEGER NOT NULL CHECK (n_rows >= 0)"
	") STRICT;"
	"INSERT INTO ledger_release (release_seq, kind, day, form_id,"
	"  plan_sha, data_sha, changes_at, n_rows)"
	"  SELECT release_seq, 'report', min(day), form_id, plan_sha,"
	"    data_sha, coalesce((SELECT changes FROM form_changes c"
	"      WHERE c.form_id = l.form_id), 0), max(nrows)"
	"  FROM ledger l GROUP BY release_seq;"
	"CREATE INDEX ledger_release_form ON ledger_release (form_id,"
	"  changes_at);",
	/*
	 * 6 -> 7: the database describes itself. Each form version rows
	 * were collected or imported under is kept as the exact bytes of
	 * its file, so every row is decoded with its own version and mapped
	 * onto the current one (forms/form_map.h), and an old file can be
	 * analysed without the old form files. The step cannot know the
	 * bytes of forms used before it: rows of such versions stay
	 * without a stored form and are decoded against the current form,
	 * as before, and reports say how many rows that is.
	 */
	"CREATE TABLE form_version ("
	"  form_id TEXT NOT NULL CHECK (length(form_id) BETWEEN 1 AND 64),"
	"  version INTEGER NOT NULL CHECK (version >= 1),"
	"  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
	"  body BLOB NOT NULL,"
	"  PRIMARY KEY (form_id, version)"
	") STRICT, WITHOUT ROWID;",
};

static int pragma(struct store *s, const char *sql);
static int step_int(struct store *s, sqlite3_stmt *st, long long *n);

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[STMT__MAX];
	enum store_mode mode;
	char errmsg[256];
};

static const char *const rc_text[STORE_RC__MAX] = {
	"ok",
	"not found",
	"database error",
	"disk full",
	"database is read-only",
	"database is locked",
	"database was written by a newer version",
	"out of memory",
	"already exists",
	"kept: the data of its form are final",
};

const char *
store_strerror(int rc)
{
	return rc >= 0 && rc < STORE_RC__MAX ? rc_text[rc] : "unknown error";
}

const char *
store_errmsg(const struct store *s)
{
	return s->errmsg;
}

/* Map an SQLite result to ours and remember the message. */
static int
fail(struct store *s, int src)
{
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src);

	snprintf(s->errmsg, sizeof(s->errmsg), "%s", msg);
	switch (src & 0xff) {
	case SQLITE_FULL:
		return STORE_FULL;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return STORE_READONLY;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_NOMEM:
		return STORE_NOMEM;
	default:
		return STORE_ERR;
	}
}

/* The prepared statement i, reset and unbound, or NULL (error in s). */
static sqlite3_stmt *
stmt(struct store *s, enum stmt i)
{
	int rc;

	if (s->st[i] == NULL) {
		rc = sqlite3_prepare_v3(s->db, stmts[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
		if (rc != SQLITE_OK) {
			fail(s, rc);
			return NULL;
		}
	}
	sqlite3_reset(s->st[i]);
	sqlite3_clear_bindings(s->st[i]);
	return s->st[i];
}

/* Run a statement that returns no rows; bindings already made. */
static int
step_done(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE) {
		int r = fail(s, rc);
		sqlite3_reset(st);
		return r;
	}
	sqlite3_reset(st);
	return STORE_OK;
}

static int
exec_simple(struct store *s, enum stmt i)
{
	sqlite3_stmt *st = stmt(s, i);

	return st ? step_done(s, st) : fail(s, sqlite3_errcode(s->db));
}

int
store_begin(struct store *s)
{
	return exec_simple(s, STMT_BEGIN);
}

int
store_commit(struct store *s)
{
	return exec_simple(s, STMT_COMMIT);
}

int
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return STORE_OK; /* SQLite already rolled back (e.g. on FULL) */
	return exec_simple(s, STMT_ROLLBACK);
}

int
store_savepoint(struct store *s)
{
	return exec_simple(s, STMT_SAVEPOINT);
}

int
store_release(struct store *s)
{
	return exec_simple(s, STMT_RELEASE);
}

int
store_rollback_to(struct store *s)
{
	return exec_simple(s, STMT_ROLLBACK_TO);
}

int
store_set_max_pages(struct store *s, long pages)
{
	char sql[64];

	if (pages < 1) {
		snprintf(s->errmsg, sizeof(s->errmsg), "page cap must be >= 1");
		return STORE_ERR;
	}
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %ld", pages);
	return pragma(s, sql);
}

int
store_in_transaction(struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
store_migrate(struct store *s, int target)
{
	char *msg = NULL, pragma[64];
	int v, rc;

	if (target < 0 || target > STORE_SCHEMA_VERSION) {
		snprintf(s->errmsg, sizeof(s->errmsg), "no schema version %d",
		    target);
		return STORE_ERR;
	}
	v = store_schema_version(s);
	if (v < 0)
		return fail(s, sqlite3_errcode(s->db));
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(s->errmsg, sizeof(s->errmsg), "schema version %d is "
		    "newer than this program's %d", v, STORE_SCHEMA_VERSION);
		return STORE_VERSION;
	}
	for (; v < target; v++) {
		/* One transaction per step: a failed step leaves the last
		 * good version in place. */
		if ((rc = store_begin(s)) != STORE_OK)
			return rc;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    v + 1);
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) !=
		        SQLITE_OK ||
		    sqlite3_exec(s->db, pragma, NULL, NULL, &msg) != SQLITE_OK) {
			rc = fail(s, sqlite3_errcode(s->db));
			snprintf(s->errmsg, sizeof(s->errmsg), "migration to "
			    "version %d: %s", v + 1, msg ? msg : "?");
			sqlite3_free(msg);
			store_rollback(s);
			return rc;
		}
		if ((rc = store_commit(s)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* Create the installation secret if the file has none. */
static int
ensure_key(struct store *s)
{
	unsigned char key[STORE_KEY_LEN];
	sqlite3_stmt *st;
	int rc;

	if (store_key(s, key) == STORE_OK)
		return STORE_OK;
	randombytes_buf(key, sizeof(key));
	if ((st = stmt(s, STMT_KEY_PUT)) == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, key, sizeof(key), SQLITE_STATIC);
	rc = step_done(s, st);
	sodium_memzero(key, sizeof(key));
	return rc;
}

int
store_key(struct store *s, unsigned char key[STORE_KEY_LEN])
{
	sqlite3_stmt *st = stmt(s, STMT_KEY_GET);
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == STORE_KEY_LEN) {
		memcpy(key, sqlite3_column_blob(st, 0), STORE_KEY_LEN);
		sqlite3_reset(st);
		return STORE_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		snprintf(s->errmsg, sizeof(s->errmsg), "no installation key");
		return STORE_NOTFOUND;
	}
	return fail(s, rc);
}

static int
pragma(struct store *s, const char *sql)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : fail(s, rc);
}

/*
 * Migrate, and after a step that rebuilt the response table, compact the
 * file so the old table's pages (in submission order) leave no trace.
 */
static int
store_migrate_compact(struct store *s, int target)
{
	int v = store_schema_version(s), rc;

	if ((rc = store_migrate(s, target)) != STORE_OK)
		return rc;
	if (v >= 1 && v < 4 && target >= 4)
		return store_compact(s);
	return STORE_OK;
}

int
store_compact_pending(struct store *s)
{
	sqlite3_stmt *st;
	long long dirty = 0;
	int rc;

	if (store_schema_version(s) < 4)
		return STORE_OK;
	if ((st = stmt(s, STMT_DIRTY_GET)) == NULL)
		return fail(s, sqlite3_errcode(s->db));
	if ((rc = step_int(s, st, &dirty)) != STORE_OK)
		return rc;
	return dirty > 0 ? store_compact(s) : STORE_OK;
}

int
store_mark_uncompacted(struct store *s)
{
	return exec_simple(s, STMT_DIRTY_PUT);
}

int
store_open(const char *path, enum store_mode mode, struct store **out,
    char *err, size_t errsz)
{
	return store_open_version(path, mode, STORE_SCHEMA_VERSION, out, err,
	    errsz);
}

int
store_open_version(const char *path, enum store_mode mode, int target,
    struct store **out, char *err, size_t errsz)
{
	struct store *s;
	int flags, rc, v;
	char jm[16] = "";

	*out = NULL;
	if (sodium_init() < 0) {
		snprintf(err, errsz, "libsodium failed to initialise");
		return STORE_ERR;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return STORE_NOMEM;
	}
	s->mode = mode;
	flags = mode == STORE_RDONLY ? SQLITE_OPEN_READONLY
	                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	flags |= SQLITE_OPEN_NOMUTEX; /* one thread per connection */
	rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = fail(s, rc);
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if ((rc = pragma(s, "PRAGMA busy_timeout = 5000")) != STORE_OK)
		goto out;
	v = store_schema_version(s);
	if (v < 0) {
		rc = fail(s, sqlite3_errcode(s->db));
		goto out;
	}
	/*
	 * A file from a newer Candor is refused before anything below can
	 * write to it (journal mode, migration, key), in either mode.
	 */
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(s->errmsg, sizeof(s->errmsg), "schema version %d is "
		    "newer than this program's %d", v, STORE_SCHEMA_VERSION);
		rc = STORE_VERSION;
		goto out;
	}
	if (mode == STORE_RDONLY) {
		if (v < 1) {
			snprintf(s->errmsg, sizeof(s->errmsg), "not a Candor "
			    "database (schema version %d)", v);
			rc = STORE_ERR;
		} else
			rc = pragma(s, "PRAGMA query_only = ON");
		goto out;
	}
	/* journal_mode answers with the mode it ended in. */
	{
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1,
		        &st, NULL) != SQLITE_OK) {
			rc = fail(s, sqlite3_errcode(s->db));
			goto out;
		}
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(jm, sizeof(jm), "%s",
			    (const char *)sqlite3_column_text(st, 0));
		rc = sqlite3_finalize(st);
		if (rc != SQLITE_OK) {
			rc = fail(s, rc);
			goto out;
		}
		if (strcmp(jm, "wal") != 0) {
			snprintf(s->errmsg, sizeof(s->errmsg), "cannot switch "
			    "to WAL mode (got \"%s\")", jm);
			rc = STORE_ERR;
			goto out;
		}
	}
	/*
	 * secure_delete is set whatever SQLite was built with: a withdrawn
	 * row's bytes are overwritten, not left in a free block or page.
	 */
	if ((rc = pragma(s, "PRAGMA synchronous = FULL")) != STORE_OK ||
	    (rc = pragma(s, "PRAGMA secure_delete = ON")) != STORE_OK ||
	    (rc = pragma(s, "PRAGMA foreign_keys = ON")) != STORE_OK ||
	    (rc = store_migrate_compact(s, target)) != STORE_OK ||
	    (target >= 1 && (rc = ensure_key(s)) != STORE_OK))
		goto out;
out:
	if (rc != STORE_OK) {
		snprintf(err, errsz, "%s: %s", path,
		    s->errmsg[0] ? s->errmsg : store_strerror(rc));
		store_close(s);
		return rc;
	}
	*out = s;
	return STORE_OK;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->st[i]);
	/* Every statement is finalized, so close cannot be refused. */
	sqlite3_close(s->db);
	free(s);
}

int
store_insert(struct store *s, const struct store_response *r)
{
	sqlite3_stmt *st = stmt(s, STMT_INSERT);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, r->id, STORE_ID_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->form_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->form_version);
	sqlite3_bind_text(st, 4, r->consent_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->answers, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->scores, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, r->receipt_hash, STORE_HASH_LEN,
	    SQLITE_STATIC);
	return step_done(s, st);
}

/* Run a one-hash DELETE; NOTFOUND when nothing matched. */
static int
delete_by_hash(struct store *s, enum stmt i,
    const unsigned char hash[STORE_HASH_LEN])
{
	sqlite3_stmt *st = stmt(s, i);
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	if ((rc = step_done(s, st)) != STORE_OK)
		return rc;
	return sqlite3_changes(s->db) > 0 ? STORE_OK : STORE_NOTFOUND;
}

int
store_withdraw(struct store *s, const unsigned char hash[STORE_HASH_LEN])
{
	return delete_by_hash(s, STMT_WITHDRAW, hash);
}

int
store_withdraw_unless(struct store *s,
    const unsigned char hash[STORE_HASH_LEN], const char *const *keep,
    size_t nkeep, char form_id[STORE_FORM_ID_MAX + 1])
{
	sqlite3_stmt *st = stmt(s, STMT_WITHDRAW_FORM);
	int rc;

	form_id[0] = '\0';
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(form_id, STORE_FORM_ID_MAX + 1, "%s",
		    t != NULL ? (const char *)t : "");
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, rc);
	if (form_id[0] == '\0')
		return STORE_NOTFOUND;
	for (size_t i = 0; i < nkeep; i++)
		if (strcmp(keep[i], form_id) == 0)
			return STORE_KEPT;
	return delete_by_hash(s, STMT_WITHDRAW, hash);
}

static int col_text(sqlite3_stmt *st, int i, char *out, size_t outsz,
    int null_ok);

int
store_response_find(struct store *s, const unsigned char hash[STORE_HASH_LEN],
    char form_id[STORE_FORM_ID_MAX + 1], char period[11])
{
	sqlite3_stmt *st = stmt(s, STMT_RESPONSE_FIND);
	int rc;

	form_id[0] = period[0] = '\0';
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (col_text(st, 0, form_id, STORE_FORM_ID_MAX + 1, 0) != 0 ||
		    col_text(st, 1, period, 11, 0) != 0) {
			snprintf(s->errmsg, sizeof(s->errmsg), "malformed "
			    "response row");
			sqlite3_reset(st);
			return STORE_ERR;
		}
		sqlite3_reset(st);
		return STORE_OK;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(s, rc);
}

int
store_submit(struct store *s, const struct store_response *r,
    const unsigned char token_hash[STORE_HASH_LEN], const char *expires,
    const unsigned char *draft_hash)
{
	sqlite3_stmt *st = stmt(s, STMT_SPEND);
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, token_hash, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, expires, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(s->db);
		int r2 = fail(s, rc);
		sqlite3_reset(st);
		if (ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
			snprintf(s->errmsg, sizeof(s->errmsg), "start token "
			    "already used");
			return STORE_EXISTS;
		}
		return r2;
	}
	sqlite3_reset(st);
	if ((rc = store_insert(s, r)) != STORE_OK)
		return rc;
	if (draft_hash != NULL) {
		rc = store_draft_delete(s, draft_hash);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return rc;
	}
	return STORE_OK;
}

int
store_draft_put(struct store *s, const unsigned char hash[STORE_HASH_LEN],
    const char *form_id, const char *expires, const void *state, size_t len)
{
	sqlite3_stmt *st = stmt(s, STMT_DRAFT_PUT);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, expires, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 4, state, len, SQLITE_STATIC);
	return step_done(s, st);
}

int
store_draft_get(struct store *s, const unsigned char hash[STORE_HASH_LEN],
    const char *today, void **state, size_t *len, int *scheme)
{
	sqlite3_stmt *st = stmt(s, STMT_DRAFT_GET);
	int rc;

	*state = NULL;
	*len = 0;
	*scheme = 0;
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	*len = (size_t)sqlite3_column_bytes(st, 0);
	if ((*state = malloc(*len ? *len : 1)) == NULL) {
		sqlite3_reset(st);
		return STORE_NOMEM;
	}
	if (*len)
		memcpy(*state, sqlite3_column_blob(st, 0), *len);
	*scheme = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_draft_delete(struct store *s, const unsigned char hash[STORE_HASH_LEN])
{
	return delete_by_hash(s, STMT_DRAFT_DELETE, hash);
}

int
store_draft_sweep(struct store *s, const char *today)
{
	sqlite3_stmt *st = stmt(s, STMT_DRAFT_SWEEP);
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	if ((rc = step_done(s, st)) != STORE_OK)
		return rc;
	if ((st = stmt(s, STMT_SPENT_SWEEP)) == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	return step_done(s, st);
}

int
store_checkpoint(struct store *s)
{
	int rc, nlog = -1, nckpt = -1;

	/*
	 * No busy handler: a reader in an older snapshot must not stall the
	 * writer thread; the caller retries later.
	 */
	sqlite3_busy_timeout(s->db, 0);
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &nlog, &nckpt);
	sqlite3_busy_timeout(s->db, 5000);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		snprintf(s->errmsg, sizeof(s->errmsg), "a reader holds an "
		    "older snapshot");
		return STORE_BUSY;
	}
	if (rc != SQLITE_OK)
		return fail(s, rc);
	return nlog == 0 ? STORE_OK : STORE_BUSY;
}

int
store_temp_dir(const char *db_path, char *err, size_t errsz)
{
	const char *slash = strrchr(db_path, '/');
	char *dir, *old = sqlite3_temp_directory;

	if (slash == NULL)
		dir = sqlite3_mprintf(".");
	else if (slash == db_path)
		dir = sqlite3_mprintf("/");
	else
		dir = sqlite3_mprintf("%.*s", (int)(slash - db_path), db_path);
	if (dir == NULL) {
		snprintf(err, errsz, "out of memory");
		return STORE_NOMEM;
	}
	sqlite3_temp_directory = dir;
	sqlite3_free(old);
	return STORE_OK;
}

int
store_compact(struct store *s)
{
	int rc;

	if (!sqlite3_get_autocommit(s->db)) {
		snprintf(s->errmsg, sizeof(s->errmsg), "cannot compact inside "
		    "a transaction");
		return STORE_ERR;
	}
	if ((rc = pragma(s, "VACUUM")) != STORE_OK)
		return rc;
	if (store_schema_version(s) >= 4 &&
	    (rc = exec_simple(s, STMT_DIRTY_DEL)) != STORE_OK)
		return rc;
	/* Readers may still hold the WAL; the caller may try again. */
	rc = store_checkpoint(s);
	return rc == STORE_BUSY ? STORE_OK : rc;
}

int
store_foreach(struct store *s, const char *form_id,
    int (*cb)(const struct store_row *row, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(s, form_id ? STMT_FOREACH_FORM
	                                   : STMT_FOREACH_ALL);
	struct store_row row;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	if (form_id)
		sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Bytes from disk are untrusted: check shapes, skip nothing
		 * silently. */
		if (sqlite3_column_bytes(st, 0) != STORE_ID_LEN) {
			snprintf(s->errmsg, sizeof(s->errmsg), "response with "
			    "a malformed id");
			sqlite3_reset(st);
			return STORE_ERR;
		}
		row.id = sqlite3_column_blob(st, 0);
		row.form_id = (const char *)sqlite3_column_text(st, 1);
		row.form_version = (long)sqlite3_column_int64(st, 2);
		row.consent_version = (const char *)sqlite3_column_text(st, 3);
		row.period = (const char *)sqlite3_column_text(st, 4);
		row.answers = (const char *)sqlite3_column_text(st, 5);
		row.scores = (const char *)sqlite3_column_text(st, 6);
		if (row.form_id == NULL || row.consent_version == NULL ||
		    row.period == NULL || row.answers == NULL ||
		    row.scores == NULL) {
			sqlite3_reset(st);
			return STORE_NOMEM;
		}
		if ((rc = cb(&row, arg)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_count(struct store *s, const char *form_id, long *n)
{
	sqlite3_stmt *st = stmt(s, form_id ? STMT_COUNT_FORM : STMT_COUNT_ALL);
	int rc;

	*n = 0;
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	if (form_id)
		sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	*n = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_snapshot_begin(struct store *s)
{
	return exec_simple(s, STMT_BEGIN_READ);
}

int
store_snapshot_end(struct store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return STORE_OK; /* defensive: SQLite ended it already */
	return exec_simple(s, STMT_COMMIT);
}

/* A statement returning one integer row (or none: *n = 0). */
static int
step_int(struct store *s, sqlite3_stmt *st, long long *n)
{
	int rc = sqlite3_step(st);

	*n = 0;
	if (rc == SQLITE_ROW) {
		*n = (long long)sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_changes(struct store *s, const char *form_id, long long *n)
{
	sqlite3_stmt *st = stmt(s, STMT_CHANGES_GET);

	*n = 0;
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	return step_int(s, st, n);
}

/* Copy a text column into a fixed buffer; -1 when NULL or too long. */
static int
col_text(sqlite3_stmt *st, int i, char *out, size_t outsz, int null_ok)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	int n = sqlite3_column_bytes(st, i);

	out[0] = '\0';
	if (t == NULL)
		return null_ok ? 0 : -1;
	if (n < 0 || (size_t)n >= outsz)
		return -1;
	memcpy(out, t, (size_t)n);
	out[n] = '\0';
	return 0;
}

int
store_token_create(struct store *s, const struct store_token *t)
{
	sqlite3_stmt *st = stmt(s, STMT_TOKEN_PUT);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, t->hash, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, t->created, -1, SQLITE_STATIC);
	return step_done(s, st);
}

/* The current row of a token statement into *t (bytes from disk). */
static int
token_row(struct store *s, sqlite3_stmt *st, struct store_token *t)
{
	if (col_text(st, 0, t->id, sizeof(t->id), 0) != 0 ||
	    col_text(st, 1, t->role, sizeof(t->role), 0) != 0 ||
	    col_text(st, 2, t->label, sizeof(t->label), 0) != 0 ||
	    sqlite3_column_bytes(st, 3) != STORE_HASH_LEN ||
	    col_text(st, 4, t->created, sizeof(t->created), 0) != 0 ||
	    col_text(st, 5, t->revoked, sizeof(t->revoked), 1) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "malformed token row");
		return STORE_ERR;
	}
	memcpy(t->hash, sqlite3_column_blob(st, 3), STORE_HASH_LEN);
	return STORE_OK;
}

int
store_token_get(struct store *s, const char *id, struct store_token *out)
{
	sqlite3_stmt *st = stmt(s, STMT_TOKEN_GET);
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = token_row(s, st, out);
	else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else
		rc = fail(s, rc);
	sqlite3_reset(st);
	return rc;
}

int
store_token_foreach(struct store *s,
    int (*cb)(const struct store_token *t, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(s, STMT_TOKEN_ALL);
	struct store_token t;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&t, 0, sizeof(t));
		if ((rc = token_row(s, st, &t)) != STORE_OK ||
		    (rc = cb(&t, arg)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : fail(s, rc);
	sqlite3_reset(st);
	return rc;
}

int
store_token_revoke(struct store *s, const char *id, const char *day)
{
	sqlite3_stmt *st = stmt(s, STMT_TOKEN_REVOKE);
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	if ((rc = step_done(s, st)) != STORE_OK)
		return rc;
	return sqlite3_changes(s->db) > 0 ? STORE_OK : STORE_NOTFOUND;
}

int
store_audit_append(struct store *s, const struct store_audit *a)
{
	sqlite3_stmt *st = stmt(s, STMT_AUDIT_PUT);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, a->day, -1, SQLITE_STATIC);
	if (a->token_id != NULL) {
		sqlite3_bind_text(st, 2, a->token_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->token_label, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
	}
	sqlite3_bind_text(st, 4, a->endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, a->status);
	sqlite3_bind_int64(st, 6, a->rows);
	return step_done(s, st);
}

int
store_audit_fail(struct store *s, const char *day, const char *endpoint,
    int status)
{
	sqlite3_stmt *st = stmt(s, STMT_AUDIT_FAIL);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, endpoint, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, status);
	return step_done(s, st);
}

int
store_audit_fail_foreach(struct store *s,
    int (*cb)(const struct store_audit_fail_row *r, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(s, STMT_AUDIT_FAIL_ALL);
	struct store_audit_fail_row r;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		if (col_text(st, 0, r.day, sizeof(r.day), 0) != 0 ||
		    (r.endpoint = (const char *)sqlite3_column_text(st, 1)) ==
		        NULL) {
			sqlite3_reset(st);
			snprintf(s->errmsg, sizeof(s->errmsg), "malformed "
			    "audit counter");
			return STORE_ERR;
		}
		r.status = sqlite3_column_int(st, 2);
		r.n = sqlite3_column_int64(st, 3);
		if ((rc = cb(&r, arg)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : fail(s, rc);
}

int
store_audit_foreach(struct store *s,
    int (*cb)(const struct store_audit *a, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(s, STMT_AUDIT_ALL);
	struct store_audit a;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		a.seq = (long long)sqlite3_column_int64(st, 0);
		a.token_id = (const char *)sqlite3_column_text(st, 2);
		a.token_label = (const char *)sqlite3_column_text(st, 3);
		a.endpoint = (const char *)sqlite3_column_text(st, 4);
		a.status = sqlite3_column_int(st, 5);
		a.rows = (long)sqlite3_column_int64(st, 6);
		if (col_text(st, 1, a.day, sizeof(a.day), 0) != 0 ||
		    a.endpoint == NULL) {
			snprintf(s->errmsg, sizeof(s->errmsg), "malformed "
			    "audit row %lld", a.seq);
			sqlite3_reset(st);
			return STORE_ERR;
		}
		if ((rc = cb(&a, arg)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : fail(s, rc);
	sqlite3_reset(st);
	return rc;
}

int
store_release_latest(struct store *s, const char *form_id, const char *kind,
    struct store_release *out)
{
	sqlite3_stmt *st = stmt(s, STMT_RELEASE_LATEST);
	int rc, n;

	memset(out, 0, sizeof(*out));
	out->form_id = form_id;
	out->kind = kind;
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	out->seq = (long)sqlite3_column_int64(st, 0);
	out->n_rows = (long)sqlite3_column_int64(st, 2);
	out->changes_at = (long long)sqlite3_column_int64(st, 3);
	n = sqlite3_column_bytes(st, 4);
	if (col_text(st, 1, out->day, sizeof(out->day), 0) != 0 || n < 0 ||
	    sqlite3_column_bytes(st, 5) != 32) {
		snprintf(s->errmsg, sizeof(s->errmsg), "malformed release row");
		sqlite3_reset(st);
		return STORE_ERR;
	}
	out->len = (size_t)n;
	if ((out->body = malloc(out->len ? out->len : 1)) == NULL) {
		sqlite3_reset(st);
		return STORE_NOMEM;
	}
	if (out->len)
		memcpy(out->body, sqlite3_column_blob(st, 4), out->len);
	memcpy(out->sha256, sqlite3_column_blob(st, 5), 32);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_release_insert(struct store *s, struct store_release *r)
{
	sqlite3_stmt *st = stmt(s, STMT_RELEASE_PUT);
	long long seq;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	crypto_hash_sha256(r->sha256, r->body, r->len);
	sqlite3_bind_text(st, 1, r->form_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->n_rows);
	sqlite3_bind_int64(st, 5, r->changes_at);
	/* A zero-length blob must still be a blob, not NULL. */
	if (r->len > 0)
		sqlite3_bind_blob64(st, 6, r->body, r->len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 6, 0);
	sqlite3_bind_blob(st, 7, r->sha256, 32, SQLITE_STATIC);
	if ((rc = step_int(s, st, &seq)) != STORE_OK)
		return rc;
	r->seq = (long)seq;
	return STORE_OK;
}

int
store_ledger_next(struct store *s, long long *seq)
{
	sqlite3_stmt *st = stmt(s, STMT_LEDGER_NEXT);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	return step_int(s, st, seq);
}

int
store_ledger_put(struct store *s, const struct store_ledger *l)
{
	sqlite3_stmt *st = stmt(s, STMT_LEDGER_PUT);

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	if (l->len != (l->nrows + 7) / 8 || l->side < 1 || l->side > 2)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, l->release_seq);
	sqlite3_bind_text(st, 2, l->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, l->form_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, l->plan_sha, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, l->data_sha, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, l->group, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, l->side);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)l->nrows);
	if (l->len > 0)
		sqlite3_bind_blob64(st, 9, l->members, l->len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 9, 0);
	return step_done(s, st);
}

int
store_ledger_foreach(struct store *s, const unsigned char data_sha[32],
    int (*cb)(const struct store_ledger *l, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(s, STMT_LEDGER_ALL);
	struct store_ledger l;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_blob(st, 1, data_sha, 32, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&l, 0, sizeof(l));
		l.release_seq = (long long)sqlite3_column_int64(st, 0);
		l.form_id = (const char *)sqlite3_column_text(st, 2);
		l.group = (const char *)sqlite3_column_text(st, 4);
		l.side = sqlite3_column_int(st, 5);
		l.nrows = (size_t)sqlite3_column_int64(st, 6);
		l.members = sqlite3_column_blob(st, 7);
		l.len = (size_t)sqlite3_column_bytes(st, 7);
		memcpy(l.data_sha, data_sha, 32);
		if (col_text(st, 1, l.day, sizeof(l.day), 0) != 0 ||
		    l.form_id == NULL || l.group == NULL ||
		    sqlite3_column_bytes(st, 3) != 32 ||
		    l.len != (l.nrows + 7) / 8) {
			snprintf(s->errmsg, sizeof(s->errmsg), "malformed "
			    "ledger row %lld", l.release_seq);
			sqlite3_reset(st);
			return STORE_ERR;
		}
		memcpy(l.plan_sha, sqlite3_column_blob(st, 3), 32);
		if ((rc = cb(&l, arg)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : fail(s, rc);
	sqlite3_reset(st);
	return rc;
}

int
store_release_generation(struct store *s, const char *form_id,
    long long *n)
{
	sqlite3_stmt *st = stmt(s, STMT_LREL_GEN);

	*n = 0;
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	return step_int(s, st, n);
}

int
store_ledger_record(struct store *s, struct store_ledger_release *r,
    struct store_ledger *groups, size_t ngroups, long long generation)
{
	sqlite3_stmt *st;
	long long now;
	int rc;

	if ((rc = store_savepoint(s)) != STORE_OK)
		return rc;
	if ((rc = store_release_generation(s, r->form_id, &now)) !=
	    STORE_OK)
		goto undo;
	if (now != generation) {
		snprintf(s->errmsg, sizeof(s->errmsg), "another release was "
		    "recorded while this one was made");
		rc = STORE_EXISTS;
		goto undo;
	}
	if ((st = stmt(s, STMT_LREL_PUT)) == NULL) {
		rc = fail(s, sqlite3_errcode(s->db));
		goto undo;
	}
	sqlite3_bind_text(st, 1, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->form_id, -1, SQLITE_STATIC);
	if (r->has_plan)
		sqlite3_bind_blob(st, 4, r->plan_sha, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_blob(st, 5, r->data_sha, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->changes_at);
	sqlite3_bind_int64(st, 7, r->n_rows);
	if ((rc = step_int(s, st, &r->seq)) != STORE_OK)
		goto undo;
	for (size_t i = 0; i < ngroups; i++) {
		groups[i].release_seq = r->seq;
		if ((rc = store_ledger_put(s, &groups[i])) != STORE_OK)
			goto undo;
	}
	return store_release(s);
undo:
	(void)store_rollback_to(s);
	(void)store_release(s);
	return rc;
}

int
store_release_spacing(struct store *s, const char *form_id,
    const unsigned char data_sha[32], struct store_spacing *out)
{
	sqlite3_stmt *st = stmt(s, STMT_LREL_LAST);
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return STORE_OK;
	}
	if (rc != SQLITE_ROW) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	out->found = 1;
	out->seq = (long long)sqlite3_column_int64(st, 1);
	out->changes_at = (long long)sqlite3_column_int64(st, 3);
	if (col_text(st, 0, out->kind, sizeof(out->kind), 0) != 0 ||
	    col_text(st, 2, out->day, sizeof(out->day), 0) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "malformed release row");
		sqlite3_reset(st);
		return STORE_ERR;
	}
	sqlite3_reset(st);
	if ((st = stmt(s, STMT_LREL_OTHER)) == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, out->changes_at);
	sqlite3_bind_blob(st, 3, data_sha, 32, SQLITE_STATIC);
	return step_int(s, st, &out->other_data);
}

void
store_period_now(char out[11], int month)
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(out, 11, "1970-01-01");
		return;
	}
	strftime(out, 11, month ? "%Y-%m" : "%Y-%m-%d", &tm);
}

void
store_hash_code(const unsigned char key[STORE_KEY_LEN], const char *code,
    unsigned char out[STORE_HASH_LEN])
{
	crypto_generichash(out, STORE_HASH_LEN, (const unsigned char *)code,
	    strlen(code), key, STORE_KEY_LEN);
}

int
store_form_put(struct store *s, const char *form_id, long version,
    const void *body, size_t len)
{
	unsigned char sha[32];
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(s, STMT_FORM_PUT)) == NULL)
		return fail(s, sqlite3_errcode(s->db));
	crypto_hash_sha256(sha, body, len);
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_blob(st, 3, sha, 32, SQLITE_STATIC);
	if (len > 0)
		sqlite3_bind_blob64(st, 4, body, len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 4, 0);
	if ((rc = step_done(s, st)) != STORE_OK)
		return rc;
	/* Ignored or inserted: either way the stored hash must be ours. */
	if ((st = stmt(s, STMT_FORM_SHA)) == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, version);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? STORE_ERR : fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	rc = sqlite3_column_bytes(st, 0) == 32 &&
	    memcmp(sqlite3_column_blob(st, 0), sha, 32) == 0 ? STORE_OK :
	    STORE_EXISTS;
	sqlite3_reset(st);
	if (rc == STORE_EXISTS)
		snprintf(s->errmsg, sizeof(s->errmsg), "form %s version %ld "
		    "is stored with other bytes", form_id, version);
	return rc;
}

int
store_form_get(struct store *s, const char *form_id, long version,
    void **body, size_t *len, unsigned char sha256[32])
{
	sqlite3_stmt *st = stmt(s, STMT_FORM_GET);
	int rc, n;
	char *p;

	*body = NULL;
	*len = 0;
	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		rc = fail(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	n = sqlite3_column_bytes(st, 1);
	if (sqlite3_column_bytes(st, 0) != 32 || n < 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "malformed form row");
		sqlite3_reset(st);
		return STORE_ERR;
	}
	if ((p = malloc((size_t)n + 1)) == NULL) {
		sqlite3_reset(st);
		return STORE_NOMEM;
	}
	if (n > 0)
		memcpy(p, sqlite3_column_blob(st, 1), (size_t)n);
	p[n] = '\0';
	if (sha256 != NULL)
		memcpy(sha256, sqlite3_column_blob(st, 0), 32);
	sqlite3_reset(st);
	*body = p;
	*len = (size_t)n;
	return STORE_OK;
}

int
store_form_foreach(struct store *s, const char *form_id,
    int (*cb)(const struct store_form *f, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(s, STMT_FORM_ALL);
	struct store_form f;
	int rc;

	if (st == NULL)
		return fail(s, sqlite3_errcode(s->db));
	if (form_id != NULL)
		sqlite3_bind_text(st, 1, form_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&f, 0, sizeof(f));
		f.form_id = (const char *)sqlite3_column_text(st, 0);
		f.version = (long)sqlite3_column_int64(st, 1);
		f.stored = sqlite3_column_type(st, 3) != SQLITE_NULL;
		f.rows = (long long)sqlite3_column_int64(st, 4);
		if (f.stored) {
			f.body = sqlite3_column_blob(st, 3);
			f.len = (size_t)sqlite3_column_bytes(st, 3);
			if (sqlite3_column_bytes(st, 2) != 32) {
				snprintf(s->errmsg, sizeof(s->errmsg),
				    "malformed form row");
				sqlite3_reset(st);
				return STORE_ERR;
			}
			memcpy(f.sha256, sqlite3_column_blob(st, 2), 32);
		}
		if (f.form_id == NULL) {
			snprintf(s->errmsg, sizeof(s->errmsg), "malformed "
			    "form row");
			sqlite3_reset(st);
			return STORE_ERR;
		}
		if ((rc = cb(&f, arg)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : fail(s, rc);
	sqlite3_reset(st);
	return rc;
}
