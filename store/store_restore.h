/*
 * Restore of a Candor database from a backup (store_backup.h), with the
 * collector stopped.
 *
 * The backup is checked before anything is written: its schema version is
 * read from the file header (never through a connection that could write
 * it), it is opened immutable and read-only, and it must pass PRAGMA
 * integrity_check. A backup that has a non-empty -wal or -journal beside
 * it is refused: it is a live database, and an immutable reader would not
 * see what is in its log.
 *
 * The target is opened with PRAGMA locking_mode=EXCLUSIVE and BEGIN
 * EXCLUSIVE. Every connection to a database in WAL mode holds a shared
 * lock on its file for as long as it is open, so this fails while a
 * collector (or any other reader) has the database open, and once it
 * succeeds nothing else can open the file until the restore ends. The
 * copy is made with SQLite's online backup API into that connection, so
 * an existing -wal of the target is handled by SQLite (never left to be
 * replayed over the new content), then checkpointed with TRUNCATE and
 * checked with quick_check. A target that does not exist is created; its
 * directory must exist.
 *
 * The result is given exactly the mode asked for, and when the process
 * runs as root it is given to the owner and group of the directory it is
 * in (the collector's user: collector/main.c refuses a database directory
 * that is not its own). Older schemas are copied as they are: the
 * collector migrates them when it starts.
 *
 * Errors: an enum store_restore_rc, with a message in err and, in
 * info->culprit, which of the two files it is about.
 */
#ifndef CANDOR_STORE_RESTORE_H
#define CANDOR_STORE_RESTORE_H

#include <stddef.h>
#include <sys/types.h>

enum store_restore_rc {
	STORE_RESTORE_OK = 0,
	STORE_RESTORE_BUSY,  /* the target is open in another process */
	STORE_RESTORE_NEWER, /* the backup's schema is newer than ours */
	STORE_RESTORE_BAD,   /* the backup is not a sound Candor database */
	STORE_RESTORE_ERR,   /* any other failure; see err */
	STORE_RESTORE_RC__MAX
};

/* Which file a message is about. */
enum store_restore_file {
	STORE_RESTORE_AT_BACKUP = 0,
	STORE_RESTORE_AT_DB,
	STORE_RESTORE_AT__MAX
};

/* What a restore found and did (filled as far as it got). */
struct store_restore_info {
	enum store_restore_file culprit; /* the file err is about */
	int schema;                      /* the backup's schema version */
	int created;                     /* the target did not exist */
	int chowned;                     /* given to uid:gid (run as root) */
	uid_t uid;
	gid_t gid;
};

/*
 * Replace the database db with the content of the backup file backup.
 * mode: the permission bits of db and of its -wal and -shm, if any
 * (0600, or 0640). err names the file (the caller adds the flag).
 */
int store_restore(const char *backup, const char *db, int mode,
    struct store_restore_info *info, char *err, size_t errsz);

#endif
