/*
 * "analysis backup" (docs/operations.md, "Backup"): a consistent copy of
 * the collector's database, taken while it runs, by store_backup() (VACUUM
 * INTO from a read-only connection, store_backup.h). The flags are
 * checked by cli.c; this file refuses an existing --out without --force
 * before any work, and reports what was written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "fmode.h"
#include "store_backup.h"

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
