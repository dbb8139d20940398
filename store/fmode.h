/*
 * File modes of everything Candor writes. The database, its -wal and -shm,
 * backups, exports, reports and codebooks hold health data, so files are
 * 0600 and directories 0700; one switch (--group-read in both programs)
 * widens them to 0640 and 0750 for a group of analysts, never further.
 *
 * The policy is process-wide, like the umask it sets: main() calls
 * fmode_init() once, before any thread starts, and every writer asks
 * fmode_file() and fmode_dir(). Writers set the mode explicitly (not only
 * through the umask), so a file is never left at a wider mode it had
 * before, and a library caller under umask 022 still gets 0600.
 *
 * Errors: functions that can fail return -1 and, where they take err, put
 * a message naming the path there; errno is left as the failing call set
 * it.
 */
#ifndef CANDOR_FMODE_H
#define CANDOR_FMODE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define FMODE_FILE 0600       /* default for files */
#define FMODE_DIR 0700        /* default for directories */
#define FMODE_FILE_GROUP 0640 /* with --group-read */
#define FMODE_DIR_GROUP 0750

/*
 * Choose the modes (group_read: 0640/0750, else 0600/0700) and set the
 * umask to match (027 or 077), so that files made by libraries (SQLite
 * creating a database) get them too. Without a call the defaults hold
 * for fmode_file() and fmode_dir(); the umask is not touched.
 */
void fmode_init(int group_read);
mode_t fmode_file(void);
mode_t fmode_dir(void);
/* Was fmode_init(1) called? */
int fmode_group_read(void);

/*
 * Give the open file fd exactly mode (chmod only when it differs).
 * Returns 0 or -1.
 */
int fmode_fd(int fd, mode_t mode);

/*
 * Open path for writing: created, or truncated if it exists, and given
 * exactly mode either way. A symbolic link at path is refused (ELOOP).
 * Returns the stream, or NULL with errno set.
 */
FILE *fmode_fopen(const char *path, mode_t mode);

/*
 * Create the directory path and every missing level above it, each with
 * exactly mode. Levels that exist are left as they are, but each must be
 * a directory. Returns 0, or -1 with err naming the level at fault.
 */
int fmode_mkdirs(const char *path, mode_t mode, char *err, size_t errsz);

/* fsync the directory dir (after a rename into it). 0 or -1. */
int fmode_fsync_dir(const char *dir);

/*
 * The directory holding path (a file that need not exist), resolved to an
 * absolute path without symbolic links, into out. When path exists it is
 * resolved first, so a database reached through a link is checked where
 * it really is. Returns 0, or -1 with err.
 */
int fmode_parent_dir(const char *path, char *out, size_t outsz, char *err,
    size_t errsz);

/*
 * Is dir owned by uid and writable by nobody else (no group or other
 * write bit)? Returns 0, or -1 with err naming dir, its owner and mode,
 * the expected owner, and the commands that fix it (chmod 700, or 750
 * under --group-read).
 */
int fmode_check_owner(const char *dir, uid_t uid, char *err, size_t errsz);

/*
 * Give the regular file at path exactly mode, when it exists and has
 * another one. A symbolic link, a file that is not regular, or one with
 * more than one hard link is refused rather than changed (path may be in
 * a directory that a less privileged user can write). It opens and closes
 * path, so call it before this process opens the file through SQLite
 * (closing any descriptor of a file drops the process's POSIX locks on
 * it). Returns 1 and sets
 * *was when the mode was changed, 0 when path does not exist or already
 * had mode, -1 with err.
 */
int fmode_set(const char *path, mode_t mode, mode_t *was, char *err,
    size_t errsz);

#endif
