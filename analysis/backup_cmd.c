/*
 * "analysis backup" (docs/operations.md, "Backup"): a consistent copy of
 * the collector's database, taken while it runs, by store_backup() (VACUUM
 * INTO from a read-only connection, store_backup.h). The flags are
 * checked by cli.c; this file refuses an existing --out without --force
 * before any work, and reports what was written.
 *
 * "analysis restore" ("Restore"): store_restore() checks a backup and puts
 * it in place while no collector has the database open
 * (store_restore.h); this file names the flag of the file at fault and
 * picks the exit status: 2 for a backup of a newer schema, as the
 * collector does for such a database.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "fmode.h"
#include "store.h"
#include "store_backup.h"
#include "store_restore.h"

#define CMD "backup"

int
cmd_backup(const char *const *val)
{
	const char *db = val[FLAG_DB], *out = val[FLAG_OUT];
	int force = val[FLAG_FORCE] != NULL, rc;
	char err[1024];
	struct stat sb;

	if (stat(db, &sb) != 0) {
		fprintf(stderr, "analysis " CMD ": --db %s: %s\n", db,
		    strerror(errno));
		return 1;
	}
	if (!S_ISREG(sb.st_mode)) {
		fprintf(stderr, "analysis " CMD ": --db %s: not a database "
		    "file\n", db);
		return 1;
	}
	if (force)
		rc = store_backup_replace(db, out, (int)fmode_file(), err,
		    sizeof(err));
	else
		rc = store_backup(db, out, (int)fmode_file(), err, sizeof(err));
	if (rc == STORE_BACKUP_EXISTS) {
		fprintf(stderr, "analysis " CMD ": --out %s\n", err);
		return 1;
	}
	if (rc != STORE_BACKUP_OK) {
		fprintf(stderr, "analysis " CMD ": %s\n", err);
		return 1;
	}
	printf("wrote %s (mode %04o): a consistent copy of %s\n", out,
	    (unsigned)fmode_file(), db);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
cmd_restore(const char *const *val)
{
	const char *backup = val[FLAG_BACKUP], *db = val[FLAG_DB];
	struct store_restore_info info;
	char err[1200];
	int rc;

	rc = store_restore(backup, db, (int)fmode_file(), &info, err,
	    sizeof(err));
	if (rc != STORE_RESTORE_OK) {
		fprintf(stderr, "analysis restore: %s %s\n",
		    cli_flag_name(info.culprit == STORE_RESTORE_AT_BACKUP ?
		    FLAG_BACKUP : FLAG_DB), err);
		return rc == STORE_RESTORE_NEWER ? CLI_EXIT_USAGE : 1;
	}
	printf("restored %s into %s%s (schema version %d, mode %04o", backup,
	    db, info.created ? ", a new file" : "", info.schema,
	    (unsigned)fmode_file());
	if (info.chowned)
		printf(", owner uid %lu gid %lu, those of its directory",
		    (unsigned long)info.uid, (unsigned long)info.gid);
	printf(")\n");
	if (info.schema < STORE_SCHEMA_VERSION)
		printf("schema version %d is older than this Candor's %d: the "
		    "collector migrates the file when it starts\n",
		    info.schema, STORE_SCHEMA_VERSION);
	return fflush(stdout) == 0 ? 0 : 1;
}
