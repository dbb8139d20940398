/*
 * Online backup of a Candor database (store_backup.h): VACUUM INTO from a
 * read-only connection of its own into a temporary file next to the
 * target, then quick_check, fsync, rename and a directory fsync. The
 * checks on out run first, so a mistaken --out costs no copy.
 */
#define _GNU_SOURCE /* renameat2 and RENAME_NOREPLACE */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fmode.h"
#include "store_backup.h"

#define BACKUP_BUSY_MS 5000 /* a checkpoint's exclusive moment, at most */

/* The names of out: its directory, the absolute target and the temp. */
struct backup_paths {
	char dir[PATH_MAX];
	char out[PATH_MAX];     /* dir + "/" + base */
	char tmp[PATH_MAX + 16];
};

/*
 * Resolve out's directory, refuse a name that is the database or one of
 * its companion files, or an existing directory; report an existing out.
 */
static int
backup_check_out(const char *db, const char *out, int replace,
    struct backup_paths *bp, char *err, size_t errsz)
{
	static const char *const companions[] = {"", "-wal", "-shm",
		"-journal"};
	char real_db[PATH_MAX], *copy, *base;
	const char *dir;
	struct stat so, sd;
	size_t n = strlen(out);

	if (n == 0 || out[n - 1] == '/') {
		snprintf(err, errsz, "%s: must name a file, not a directory",
		    out);
		return STORE_BACKUP_ERR;
	}
	if (realpath(db, real_db) == NULL || stat(real_db, &sd) != 0) {
		snprintf(err, errsz, "%s: %s", db, strerror(errno));
		return STORE_BACKUP_ERR;
	}
	if (!S_ISREG(sd.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", db);
		return STORE_BACKUP_ERR;
	}
	if (fmode_parent_dir(out, bp->dir, sizeof(bp->dir), err, errsz) != 0)
		return STORE_BACKUP_ERR;
	if ((copy = strdup(out)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return STORE_BACKUP_ERR;
	}
	base = basename(copy);
	dir = strcmp(bp->dir, "/") == 0 ? "" : bp->dir; /* no "//name" */
	if ((size_t)snprintf(bp->out, sizeof(bp->out), "%s/%s", dir, base) >=
	    sizeof(bp->out) || (size_t)snprintf(bp->tmp, sizeof(bp->tmp),
	    "%s/.%s.XXXXXX", dir, base) >= sizeof(bp->tmp)) {
		free(copy);
		snprintf(err, errsz, "%s: path too long", out);
		return STORE_BACKUP_ERR;
	}
	free(copy);
	for (size_t i = 0; i < sizeof(companions) / sizeof(companions[0]);
	    i++) {
		char name[PATH_MAX + 16];
		snprintf(name, sizeof(name), "%s%s", real_db, companions[i]);
		if (strcmp(name, bp->out) == 0) {
			snprintf(err, errsz, "%s: is the database%s%s itself",
			    out, companions[i][0] ? "'s " : "",
			    companions[i][0] ? companions[i] + 1 : "");
			return STORE_BACKUP_ERR;
		}
	}
	if (lstat(bp->out, &so) != 0) {
		if (errno == ENOENT)
			return STORE_BACKUP_OK;
		snprintf(err, errsz, "%s: %s", out, strerror(errno));
		return STORE_BACKUP_ERR;
	}
	if (S_ISDIR(so.st_mode)) {
		snprintf(err, errsz, "%s: is a directory (name the backup "
		    "file)", out);
		return STORE_BACKUP_ERR;
	}
	if (so.st_dev == sd.st_dev && so.st_ino == sd.st_ino) {
		snprintf(err, errsz, "%s: is the database itself (a hard link "
		    "to %s)", out, db);
		return STORE_BACKUP_ERR;
	}
	if (!replace) {
		snprintf(err, errsz, "%s: exists (--force replaces it)", out);
		return STORE_BACKUP_EXISTS;
	}
	return STORE_BACKUP_OK;
}

/* Run one statement; 0, or -1 with SQLite's message. */
static int
backup_exec(sqlite3 *h, const char *sql, const char *bind, const char *what,
    char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && bind != NULL)
		rc = sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errsz, "%s: %s", what, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* One integer or text answer of a pragma; 0, or -1 with err. */
static int
backup_pragma(sqlite3 *h, const char *sql, long *num, char *text,
    size_t textsz, const char *what, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (num != NULL)
			*num = (long)sqlite3_column_int64(st, 0);
		if (text != NULL) {
			const unsigned char *t = sqlite3_column_text(st, 0);
			snprintf(text, textsz, "%s", t ? (const char *)t : "");
		}
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errsz, "%s: %s", what, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* VACUUM INTO tmp from a read-only connection of db. */
static int
backup_copy(const char *db, const char *tmp, char *err, size_t errsz)
{
	sqlite3 *h = NULL;
	long v = -1;
	int rc = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", db, h ? sqlite3_errmsg(h) :
		    "out of memory");
		goto out;
	}
	if (sqlite3_busy_timeout(h, BACKUP_BUSY_MS) != SQLITE_OK ||
	    backup_pragma(h, "PRAGMA user_version", &v, NULL, 0, db, err,
	    errsz) != 0)
		goto out;
	if (v < 1) {
		snprintf(err, errsz, "%s: not a Candor database (schema "
		    "version %ld)", db, v);
		goto out;
	}
	rc = backup_exec(h, "VACUUM INTO ?1", tmp, db, err, errsz);
out:
	sqlite3_close(h);
	return rc;
}

/* PRAGMA quick_check of the finished copy, read-only. */
static int
backup_verify(const char *tmp, const char *out, char *err, size_t errsz)
{
	sqlite3 *h = NULL;
	char res[256] = "";
	int rc = -1;

	if (sqlite3_open_v2(tmp, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", out, h ? sqlite3_errmsg(h) :
		    "out of memory");
	} else if (backup_pragma(h, "PRAGMA quick_check", NULL, res,
	    sizeof(res), out, err, errsz) == 0) {
		if (strcmp(res, "ok") == 0)
			rc = 0;
		else
			snprintf(err, errsz, "%s: the copy fails quick_check: "
			    "%s", out, res);
	}
	sqlite3_close(h);
	return rc;
}

/*
 * Move tmp to out. Without replace the rename must not replace anything:
 * renameat2(RENAME_NOREPLACE), or link() where the file system has no
 * such rename, and a check just before rename() as the last resort.
 */
static int
backup_publish(const struct backup_paths *bp, int replace, char *err,
    size_t errsz)
{
	struct stat sb;
	int e;

	if (replace) {
		if (rename(bp->tmp, bp->out) == 0)
			return STORE_BACKUP_OK;
		e = errno;
	} else if (renameat2(AT_FDCWD, bp->tmp, AT_FDCWD, bp->out,
	    RENAME_NOREPLACE) == 0) {
		return STORE_BACKUP_OK;
	} else if ((e = errno) == EINVAL || e == ENOSYS) {
		if (link(bp->tmp, bp->out) == 0) {
			(void)unlink(bp->tmp);
			return STORE_BACKUP_OK;
		}
		e = errno;
		if (e != EEXIST) {
			if (lstat(bp->out, &sb) == 0)
				e = EEXIST;
			else if (rename(bp->tmp, bp->out) == 0)
				return STORE_BACKUP_OK;
			else
				e = errno;
		}
	}
	if (e == EEXIST) {
		snprintf(err, errsz, "%s: exists (--force replaces it)",
		    bp->out);
		return STORE_BACKUP_EXISTS;
	}
	snprintf(err, errsz, "%s: %s", bp->out, strerror(e));
	return STORE_BACKUP_ERR;
}

static int
backup_run(const char *db, const char *out, int mode, int replace, char *err,
    size_t errsz)
{
	struct backup_paths bp;
	int fd = -1, rc;

	if (mode < 0 || (mode & ~0777) != 0) {
		snprintf(err, errsz, "mode %o: not a file mode",
		    (unsigned)mode);
		return STORE_BACKUP_ERR;
	}
	rc = backup_check_out(db, out, replace, &bp, err, errsz);
	if (rc != STORE_BACKUP_OK)
		return rc;
	rc = STORE_BACKUP_ERR;
	/* An empty file is what VACUUM INTO accepts, and it keeps our mode. */
	if ((fd = mkstemp(bp.tmp)) < 0) {
		snprintf(err, errsz, "%s: %s", bp.dir, strerror(errno));
		return STORE_BACKUP_ERR;
	}
	if (fmode_fd(fd, (mode_t)mode) != 0) {
		snprintf(err, errsz, "%s: %s", bp.tmp, strerror(errno));
		goto out;
	}
	if (backup_copy(db, bp.tmp, err, errsz) != 0 ||
	    backup_verify(bp.tmp, out, err, errsz) != 0)
		goto out;
	if (fsync(fd) != 0) {
		snprintf(err, errsz, "%s: fsync: %s", bp.tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		snprintf(err, errsz, "%s: %s", bp.tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if ((rc = backup_publish(&bp, replace, err, errsz)) != STORE_BACKUP_OK)
		goto out;
	if (fmode_fsync_dir(bp.dir) != 0) {
		/* The copy is in place; only its name may not be durable. */
		snprintf(err, errsz, "%s: fsync: %s", bp.dir, strerror(errno));
		return STORE_BACKUP_ERR;
	}
	return STORE_BACKUP_OK;
out:
	if (fd >= 0)
		close(fd);
	(void)unlink(bp.tmp);
	return rc;
}

int
store_backup(const char *db, const char *out, int mode, char *err,
    size_t errsz)
{
	return backup_run(db, out, mode, 0, err, errsz);
}

int
store_backup_replace(const char *db, const char *out, int mode, char *err,
    size_t errsz)
{
	return backup_run(db, out, mode, 1, err, errsz);
}
