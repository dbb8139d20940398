/*
 * File modes and directories (fmode.h): the process-wide 0600/0700 (or
 * 0640/0750) policy, writers' helpers that set a mode exactly, and the
 * collector's checks on its database directory and files. Every helper
 * that may run as root in a directory a less privileged user can write
 * opens with O_NOFOLLOW and acts on the descriptor, never on the name.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmode.h"

static int fmode_group; /* fmode_init(1) was called */

void
fmode_init(int group_read)
{
	fmode_group = group_read != 0;
	(void)umask(fmode_group ? 027 : 077);
}

mode_t
fmode_file(void)
{
	return fmode_group ? FMODE_FILE_GROUP : FMODE_FILE;
}

mode_t
fmode_dir(void)
{
	return fmode_group ? FMODE_DIR_GROUP : FMODE_DIR;
}

int
fmode_group_read(void)
{
	return fmode_group;
}

int
fmode_fd(int fd, mode_t mode)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return -1;
	if ((sb.st_mode & 07777) == mode)
		return 0;
	return fchmod(fd, mode);
}

FILE *
fmode_fopen(const char *path, mode_t mode)
{
	int fd, e;
	FILE *fp;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0)
		return NULL;
	if (fmode_fd(fd, mode) != 0 || (fp = fdopen(fd, "wb")) == NULL) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	return fp;
}

/* mkdir one level; an existing directory is fine. */
static int
mkdir_one(const char *p, mode_t mode, char *err, size_t errsz)
{
	struct stat sb;
	int fd, e;

	if (mkdir(p, mode) != 0) {
		e = errno;
		if (e == EEXIST) {
			if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				return 0;
			e = ENOTDIR;
		}
		snprintf(err, errsz, "%s: %s", p, strerror(e));
		errno = e;
		return -1;
	}
	/* The umask may have taken bits mode asks for (0750, umask 077). */
	fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fmode_fd(fd, mode) != 0) {
		e = errno;
		snprintf(err, errsz, "%s: %s", p, strerror(e));
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

int
fmode_mkdirs(const char *path, mode_t mode, char *err, size_t errsz)
{
	size_t n = strlen(path);
	char *p;
	int rc = 0;

	if (n == 0) {
		snprintf(err, errsz, "an empty directory name");
		errno = ENOENT;
		return -1;
	}
	if ((p = malloc(n + 1)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		return -1;
	}
	memcpy(p, path, n + 1);
	/* Every prefix that ends before a '/', then the whole path. */
	for (size_t i = 1; i < n && rc == 0; i++) {
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		rc = mkdir_one(p, mode, err, errsz);
		p[i] = '/';
	}
	if (rc == 0)
		rc = mkdir_one(p, mode, err, errsz);
	free(p);
	return rc;
}

int
fmode_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc, e;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int
fmode_parent_dir(const char *path, char *out, size_t outsz, char *err,
    size_t errsz)
{
	char real[PATH_MAX], *copy, *dir;
	int rc = -1;

	if (realpath(path, real) != NULL) {
		copy = strdup(real);
	} else if (errno == ENOENT) {
		/* A file still to be created: resolve the directory alone. */
		copy = strdup(path);
	} else {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (copy == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		return -1;
	}
	dir = dirname(copy);
	if (realpath(dir, real) == NULL) {
		snprintf(err, errsz, "directory %s: %s", dir, strerror(errno));
	} else if ((size_t)snprintf(out, outsz, "%s", real) >= outsz) {
		snprintf(err, errsz, "directory %s: path too long", real);
	} else {
		rc = 0;
	}
	free(copy);
	return rc;
}

/* "name (uid N)", or "uid N" for a uid without a name. */
static void
user_text(uid_t uid, char *buf, size_t n)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL)
		snprintf(buf, n, "%s (uid %lu)", pw.pw_name,
		    (unsigned long)uid);
	else
		snprintf(buf, n, "uid %lu", (unsigned long)uid);
}

/* The user name for the fix, or the number when it has none. */
static void
user_name(uid_t uid, char *buf, size_t n)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL)
		snprintf(buf, n, "%s", pw.pw_name);
	else
		snprintf(buf, n, "%lu", (unsigned long)uid);
}

int
fmode_check_owner(const char *dir, uid_t uid, char *err, size_t errsz)
{
	struct stat sb;
	char owner[160], want[160], name[128];

	if (stat(dir, &sb) != 0) {
		snprintf(err, errsz, "directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a directory", dir);
		return -1;
	}
	if (sb.st_uid == uid && (sb.st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return 0;
	user_text(sb.st_uid, owner, sizeof(owner));
	user_text(uid, want, sizeof(want));
	user_name(uid, name, sizeof(name));
	snprintf(err, errsz, "directory %s is owned by %s with mode %04o; it "
	    "must be owned by %s and not writable by group or others (fix: "
	    "chown %s: %s && chmod %o %s)", dir, owner,
	    (unsigned)(sb.st_mode & 07777), want, name, dir,
	    (unsigned)fmode_dir(), dir);
	return -1;
}

int
fmode_set(const char *path, mode_t mode, mode_t *was, char *err,
    size_t errsz)
{
	struct stat sb;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsz, "%s: %s", path, errno == ELOOP ?
		    "is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
	} else if (sb.st_nlink != 1) {
		snprintf(err, errsz, "%s: has %lu hard links (a database file "
		    "must have one)", path, (unsigned long)sb.st_nlink);
	} else if ((sb.st_mode & 07777) == mode) {
		rc = 0;
	} else if (fchmod(fd, mode) != 0) {
		snprintf(err, errsz, "%s: chmod %04o: %s", path,
		    (unsigned)mode, strerror(errno));
	} else {
		*was = sb.st_mode & 07777;
		rc = 1;
	}
	close(fd);
	return rc;
}
