/*
 * Restore of a Candor database from a backup (store_restore.h): the paths
 * are checked, then the backup (header, log files, integrity_check, its
 * tables), and only then is the target locked, overwritten through the
 * online backup API, checkpointed, checked, and given its mode and owner.
 * Every step that can refuse runs before the first byte of the target is
 * written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fmode.h"
#include "store.h"
#include "store_restore.h"

#define RESTORE_MAX_PROBLEMS 3 /* integrity_check lines quoted in err */

/* The parts of the request every step needs. */
struct restore {
	const char *backup;
	const char *db;
	char dir[4096]; /* db's directory, resolved */
	struct store_restore_info *info;
	char *err;
	size_t errsz;
};

/* Record a message about file at; returns rc. */
static int
restore_fail(struct restore *r, enum store_restore_file at, int rc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
restore_fail(struct restore *r, enum store_restore_file at, int rc,
    const char *fmt, ...)
{
	va_list ap;

	r->info->culprit = at;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errsz, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * The backup must be a regular file; db, when it exists, a regular file
 * with one name (not a link, whose target would be overwritten), and not
 * the backup itself; when it does not, its directory must exist.
 */
static int
restore_check_paths(struct restore *r)
{
	struct stat sb, sd;
	char e[1024];

	if (stat(r->backup, &sb) != 0)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_ERR, "%s: %s", r->backup, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_ERR, "%s: not a regular file", r->backup);
	if (fmode_parent_dir(r->db, r->dir, sizeof(r->dir), e, sizeof(e)) != 0)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s (the directory must exist)", r->db, e);
	if (lstat(r->db, &sd) != 0) {
		if (errno != ENOENT)
			return restore_fail(r, STORE_RESTORE_AT_DB,
			    STORE_RESTORE_ERR, "%s: %s", r->db,
			    strerror(errno));
		r->info->created = 1;
		return STORE_RESTORE_OK;
	}
	if (S_ISLNK(sd.st_mode))
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: is a symbolic link (name the database file itself)",
		    r->db);
	if (!S_ISREG(sd.st_mode))
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: not a regular file", r->db);
	if (sd.st_nlink > 1)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: has %lu hard links (a database has one name)", r->db,
		    (unsigned long)sd.st_nlink);
	if (sd.st_dev == sb.st_dev && sd.st_ino == sb.st_ino)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_ERR, "%s: is the database itself", r->backup);
	return STORE_RESTORE_OK;
}

/*
 * The schema version from the backup's header (bytes 60-63, PRAGMA
 * user_version), read with read(2) so the file cannot be written.
 */
static int
restore_check_header(struct restore *r)
{
	unsigned char h[100];
	unsigned long v;
	ssize_t n;
	int fd;

	if ((fd = open(r->backup, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_ERR, "%s: %s", r->backup, strerror(errno));
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_BAD, "%s: not an SQLite database", r->backup);
	v = (unsigned long)h[60] << 24 | (unsigned long)h[61] << 16 |
	    (unsigned long)h[62] << 8 | h[63];
	if (v < 1)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_BAD, "%s: not a Candor database (schema "
		    "version 0)", r->backup);
	if (v > STORE_SCHEMA_VERSION)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_NEWER, "%s: schema version %lu is newer than "
		    "this Candor's %d: restore it with the newer Candor that "
		    "made it", r->backup, v, STORE_SCHEMA_VERSION);
	r->info->schema = (int)v;
	return STORE_RESTORE_OK;
}

/*
 * A non-empty -wal or -journal beside the backup holds changes that an
 * immutable reader would not see (a copy of a live database, or one cut
 * short by a crash): refuse it rather than restore half of it.
 */
static int
restore_check_logs(struct restore *r)
{
	static const char *const logs[] = {"-wal", "-journal"};
	char path[4200];
	struct stat sb;

	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", r->backup,
		    logs[i]) >= sizeof(path))
			return restore_fail(r, STORE_RESTORE_AT_BACKUP,
			    STORE_RESTORE_ERR, "%s: path too long", r->backup);
		if (lstat(path, &sb) == 0 && sb.st_size > 0)
			return restore_fail(r, STORE_RESTORE_AT_BACKUP,
			    STORE_RESTORE_BAD, "%s: %s is beside it and not "
			    "empty: this is a live database, not a backup (take "
			    "one with analysis backup)", r->backup, path);
	}
	return STORE_RESTORE_OK;
}

/* "file:" and path, percent-encoded, with the read-only parameters. */
static int
restore_uri(const char *path, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *tail = "?mode=ro&immutable=1";
	size_t n = 0;

	if (outsz < 6)
		return -1;
	memcpy(out, "file:", 5);
	n = 5;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
		    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '/' ||
		    *p == '.' || *p == '-' || *p == '_';
		if (outsz - n < 4)
			return -1;
		if (plain) {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	if (outsz - n <= strlen(tail))
		return -1;
	memcpy(out + n, tail, strlen(tail) + 1);
	return 0;
}

/* One integer answer of sql on h; 0, or -1. */
static int
restore_int(sqlite3 *h, const char *sql, long *v)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*v = (long)sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Run an integrity or quick check on h; 0 when it says "ok", else -1
 * with the first few problems (or SQLite's error) in buf.
 */
static int
restore_run_check(sqlite3 *h, const char *sql, char *buf, size_t bufsz)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc, rows = 0, ok = 0;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(buf, bufsz, "%s", sqlite3_errmsg(h));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (rows == 0 && t != NULL && strcmp(t, "ok") == 0)
			ok = 1;
		if (!ok && rows < RESTORE_MAX_PROBLEMS && n < bufsz) {
			int w = snprintf(buf + n, bufsz - n, "%s%s",
			    rows ? "; " : "", t ? t : "?");
			n += w > 0 ? (size_t)w : 0;
		}
		rows++;
	}
	if (rc != SQLITE_DONE) {
		snprintf(buf, bufsz, "%s", sqlite3_errmsg(h));
		ok = 0;
	} else if (!ok && rows > RESTORE_MAX_PROBLEMS && n < bufsz) {
		snprintf(buf + n, bufsz - n, " (%d problems in all)", rows);
	}
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

/*
 * Open the backup immutable and read-only (no lock, no -shm, no write of
 * any kind), and check it: integrity_check, the schema version the header
 * gave, and the table every Candor schema has.
 */
static int
restore_open_backup(struct restore *r, sqlite3 **out)
{
	char uri[3 * 4096 + 64], why[1024];
	long v = -1, t = 0;

	*out = NULL;
	if (restore_uri(r->backup, uri, sizeof(uri)) != 0)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_ERR, "%s: path too long", r->backup);
	if (sqlite3_open_v2(uri, out, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL) != SQLITE_OK)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_BAD, "%s: %s", r->backup, *out ?
		    sqlite3_errmsg(*out) : "out of memory");
	if (restore_run_check(*out, "PRAGMA integrity_check", why,
	    sizeof(why)) != 0)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_BAD, "%s: fails PRAGMA integrity_check: %s",
		    r->backup, why);
	if (restore_int(*out, "PRAGMA user_version", &v) != 0 ||
	    v != r->info->schema ||
	    restore_int(*out, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name IN ('meta', 'response')", &t) != 0 ||
	    t != 2)
		return restore_fail(r, STORE_RESTORE_AT_BACKUP,
		    STORE_RESTORE_BAD, "%s: not a Candor database (no meta and "
		    "response tables)", r->backup);
	return STORE_RESTORE_OK;
}

/*
 * Open db (creating it) and take its exclusive lock, kept until the
 * connection closes (locking_mode=EXCLUSIVE). No busy timeout: a lock
 * held by someone else means a collector or a reader has it open now.
 */
static int
restore_lock_db(struct restore *r, sqlite3 **out)
{
	int rc;

	*out = NULL;
	if (sqlite3_open_v2(r->db, out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", r->db, *out ? sqlite3_errmsg(*out) :
		    "out of memory");
	if (sqlite3_exec(*out, "PRAGMA locking_mode = EXCLUSIVE", NULL, NULL,
	    NULL) != SQLITE_OK)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", r->db, sqlite3_errmsg(*out));
	rc = sqlite3_exec(*out, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_BUSY,
		    "%s: is open in another process: the collector is "
		    "running: stop it first (nothing was written)", r->db);
	if (rc == SQLITE_NOTADB)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: exists and is not an SQLite database (nothing was "
		    "written; move it away or name another file)", r->db);
	/* The backup API needs no open transaction; the lock stays. */
	if (rc != SQLITE_OK || sqlite3_exec(*out, "COMMIT", NULL, NULL,
	    NULL) != SQLITE_OK)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", r->db, sqlite3_errmsg(*out));
	return STORE_RESTORE_OK;
}

/*
 * The backup API cannot change the page size of a database in WAL mode;
 * such a target (a backup made with another page size) leaves WAL first.
 * The collector turns WAL back on when it starts.
 */
static int
restore_page_size(struct restore *r, sqlite3 *src, sqlite3 *dst)
{
	long ps = 0, pd = 0;
	sqlite3_stmt *st = NULL;
	int wal = 0;

	if (restore_int(src, "PRAGMA page_size", &ps) != 0 ||
	    restore_int(dst, "PRAGMA page_size", &pd) != 0)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", r->db, sqlite3_errmsg(dst));
	if (ps == pd)
		return STORE_RESTORE_OK;
	if (sqlite3_prepare_v2(dst, "PRAGMA journal_mode", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		wal = strcmp((const char *)sqlite3_column_text(st, 0), "wal") ==
		    0;
	sqlite3_finalize(st);
	if (wal && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL,
	    NULL, NULL) != SQLITE_OK)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", r->db, sqlite3_errmsg(dst));
	return STORE_RESTORE_OK;
}

/* Copy every page of src into dst, checkpoint and check the result. */
static int
restore_copy(struct restore *r, sqlite3 *src, sqlite3 *dst)
{
	sqlite3_backup *b;
	char why[1024];
	long v = -1;
	int rc = 0;

	if (sqlite3_exec(dst, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK || (rc = restore_page_size(r, src, dst)) != 0)
		return rc != 0 ? rc : restore_fail(r, STORE_RESTORE_AT_DB,
		    STORE_RESTORE_ERR, "%s: %s", r->db, sqlite3_errmsg(dst));
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", r->db, sqlite3_errmsg(dst));
	rc = sqlite3_backup_step(b, -1);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: the copy failed: %s", r->db, sqlite3_errmsg(dst));
	/*
	 * Move the copied pages from the -wal into the file and empty it
	 * (busy is 0 in rollback-journal mode too). Nothing else can hold
	 * the file, so a busy checkpoint is an error, not a retry.
	 */
	if (restore_int(dst, "PRAGMA wal_checkpoint(TRUNCATE)", &v) != 0 ||
	    v != 0)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: checkpoint: %s", r->db, v > 0 ? "busy" :
		    sqlite3_errmsg(dst));
	v = -1;
	if (restore_run_check(dst, "PRAGMA quick_check", why, sizeof(why)) !=
	    0)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: the restored file fails quick_check: %s", r->db, why);
	if (restore_int(dst, "PRAGMA user_version", &v) != 0 ||
	    v != r->info->schema)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: the restored file has schema version %ld, not %d",
		    r->db, v, r->info->schema);
	return STORE_RESTORE_OK;
}

/*
 * Give db and its -wal and -shm, where they exist, mode and (as root) the
 * owner of their directory. By path, never by opening them: closing a
 * descriptor of the file would drop the lock this process holds on it.
 */
static int
restore_own(struct restore *r, int mode)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	struct stat sd, sb;
	char path[4200];

	if (geteuid() == 0) {
		if (stat(r->dir, &sd) != 0)
			return restore_fail(r, STORE_RESTORE_AT_DB,
			    STORE_RESTORE_ERR, "directory %s: %s", r->dir,
			    strerror(errno));
		r->info->chowned = 1;
		r->info->uid = sd.st_uid;
		r->info->gid = sd.st_gid;
	}
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", r->db, suffix[i]);
		if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (chmod(path, (mode_t)mode) != 0 || (r->info->chowned &&
		    lchown(path, r->info->uid, r->info->gid) != 0))
			return restore_fail(r, STORE_RESTORE_AT_DB,
			    STORE_RESTORE_ERR, "%s: %s", path, strerror(errno));
	}
	return STORE_RESTORE_OK;
}

/* Remove db's -journal, if there is one (see the caller). */
static int
restore_unlink_journal(struct restore *r)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s-journal", r->db);
	if (unlink(path) != 0 && errno != ENOENT)
		return restore_fail(r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", path, strerror(errno));
	return STORE_RESTORE_OK;
}

/* Remove a target this restore created, with any log SQLite made. */
static void
restore_unlink_new(const char *db)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char path[4200];

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
		(void)unlink(path);
	}
}

int
store_restore(const char *backup, const char *db, int mode,
    struct store_restore_info *info, char *err, size_t errsz)
{
	struct restore r = {backup, db, "", info, err, errsz};
	sqlite3 *src = NULL, *dst = NULL;
	int rc, opened = 0;

	memset(info, 0, sizeof(*info));
	err[0] = '\0';
	if (mode < 0 || (mode & ~0777) != 0)
		return restore_fail(&r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "mode %o: not a file mode", (unsigned)mode);
	if ((rc = restore_check_paths(&r)) != 0 ||
	    (rc = restore_check_header(&r)) != 0 ||
	    (rc = restore_check_logs(&r)) != 0 ||
	    (rc = restore_open_backup(&r, &src)) != 0 ||
	    (rc = restore_lock_db(&r, &dst)) != 0 ||
	    (opened = 1, rc = restore_copy(&r, src, dst)) != 0 ||
	    (rc = restore_own(&r, mode)) != 0)
		goto out;
	sqlite3_close(src);
	src = NULL;
	/*
	 * In exclusive locking mode a rollback journal is zeroed at commit,
	 * not deleted. Every transaction is over and the lock is still ours,
	 * so it is no hot journal and nobody can open the file: remove it
	 * rather than leave a stray file owned by whoever ran the restore.
	 */
	if ((rc = restore_unlink_journal(&r)) != 0)
		goto out;
	/* Closing the last connection removes the emptied -wal. */
	if (sqlite3_close(dst) != SQLITE_OK) {
		rc = restore_fail(&r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "%s: %s", db, sqlite3_errmsg(dst));
		dst = NULL;
		goto out;
	}
	dst = NULL;
	/* Anything SQLite left or made after restore_own gets the same. */
	if ((rc = restore_own(&r, mode)) != 0)
		goto out;
	if (info->created && fmode_fsync_dir(r.dir) != 0)
		rc = restore_fail(&r, STORE_RESTORE_AT_DB, STORE_RESTORE_ERR,
		    "directory %s: fsync: %s", r.dir, strerror(errno));
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	/*
	 * A file this call created and could not fill is not left behind
	 * (one that existed is left as SQLite's rollback made it).
	 */
	if (rc != STORE_RESTORE_OK && rc != STORE_RESTORE_BUSY && opened &&
	    info->created)
		restore_unlink_new(db);
	return rc;
}
