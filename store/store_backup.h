/*
 * A consistent copy of a Candor database, taken while the collector keeps
 * writing to it. The copy is made with VACUUM INTO over a read-only
 * connection of its own (never the collector's, never store.h's), inside
 * one read transaction, so it is the database as of one commit. It is
 * rebuilt page by page in key order: it carries neither the insertion
 * order of the rows nor the free pages that withdrawn answers left, and it
 * is a single file in rollback-journal mode (no -wal, no -shm).
 *
 * The copy is written under a temporary name in the directory of out
 * (".NAME.XXXXXX"), given exactly mode, checked (PRAGMA quick_check),
 * fsynced, renamed to out, and the directory fsynced. A failure leaves
 * neither the temporary file nor a partial out, and an existing out as it
 * was. out may not name the database itself or its -wal, -shm or
 * -journal.
 *
 * The copy holds everything the database holds, the installation's
 * secret key included: keep it as the database is kept.
 *
 * Errors: an enum store_backup_rc, with a message naming the file in err.
 */
#ifndef CANDOR_STORE_BACKUP_H
#define CANDOR_STORE_BACKUP_H

#include <stddef.h>

enum store_backup_rc {
	STORE_BACKUP_OK = 0,
	STORE_BACKUP_EXISTS, /* out exists, and replacing was not asked for */
	STORE_BACKUP_ERR,    /* any other failure; see err */
	STORE_BACKUP_RC__MAX
};

/*
 * Copy the database db to out, which must not exist yet (checked again
 * atomically at the rename, so a file that appears meanwhile is not
 * replaced either). mode: the permission bits of out (0600, or 0640).
 */
int store_backup(const char *db, const char *out, int mode, char *err,
    size_t errsz);
/* The same, replacing an existing out (atomically, by rename). */
int store_backup_replace(const char *db, const char *out, int mode,
    char *err, size_t errsz);

#endif
