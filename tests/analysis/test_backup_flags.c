/*
 * "analysis backup" rules (run under umask 022):
 *  - backup_mode: a new copy is 0600, and 0640 with --group-read;
 *  - backup_bad_exists: an existing --out is refused (exit 1, naming it
 *    and --force) and left byte for byte as it was, by the command and
 *    by store_backup() (STORE_BACKUP_EXISTS);
 *  - backup_force: --force replaces it with a good copy of mode 0600,
 *    whatever mode the old file had;
 *  - backup_bad_flags: no --db, no --out, a value after --force, an
 *    unknown flag: exit 2 naming the flag; --out a directory, --out the
 *    database or its -wal, --out in a missing directory, --db missing or
 *    not a Candor database: exit 1 with the reason; none of them leaves a
 *    temporary file behind.
 */
#include <dirent.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "data/export_helpers.h"
#include "data/report_helpers.h"
#include "store_backup.h"

/* A database of 400 synthetic rows of the export fixture form, in dir. */
static void
make_db(const char *dir, char *db, size_t dbsz)
{
	char csv[600], *form = src(EXPORT_FORM), *o = NULL, *e = NULL;
	int rc;

	snprintf(csv, sizeof(csv), "%s/rows.csv", dir);
	snprintf(db, dbsz, "%s/c.db", dir);
	synth_import_csv(csv, 400, 5, 0, 17);
	rc = run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL);
	if (rc != 0) {
		fprintf(stderr, "import failed (%d): %s\n", rc, e ? e : "");
		exit(1);
	}
	free(o);
	free(e);
	free(form);
}

static long
mode_of(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return -1;
	return (long)(sb.st_mode & 07777);
}

/* Number of responses in a copy, through SQLite directly; -1 on error. */
static long
copy_rows(const char *path)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	char sql[200] = "";
	long n = -1;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		goto out;
	/* The responses table, whatever its current name. */
	if (sqlite3_prepare_v2(h, "SELECT name FROM sqlite_schema WHERE type = "
	    "'table' AND name LIKE 'response%' ORDER BY name DESC LIMIT 1",
	    -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
		    sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	st = NULL;
	if (sql[0] != '\0' && sqlite3_prepare_v2(h, sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/* Is there a file starting with '.' in dir (a temporary left behind)? */
static int
has_dotfile(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int hit = 0;

	while (dp != NULL && (de = readdir(dp)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			fprintf(stderr, "left behind: %s/%s\n", dir, de->d_name);
			hit = 1;
		}
	if (dp != NULL)
		closedir(dp);
	return hit;
}

/* Run analysis backup with up to 6 more arguments; status, stderr in *err. */
static int
run_backup(char **err, const char *a1, const char *a2, const char *a3,
    const char *a4, const char *a5, const char *a6)
{
	char *out = NULL;
	int rc = run_analysis(&out, err, "backup", a1, a2, a3, a4, a5, a6,
	    (char *)NULL);

	free(out);
	return rc;
}

/* Expect status want and every needle (NULL-ended) in stderr. */
static void
expect(int rc, int want, char *err, const char *n1, const char *n2)
{
	if (rc != want || (n1 && (!err || !strstr(err, n1))) ||
	    (n2 && (!err || !strstr(err, n2))))
		fprintf(stderr, "exit %d (expected %d), stderr: %s\n", rc, want,
		    err ? err : "(none)");
	CHECK_INT(rc, want);
	CHECK(n1 == NULL || (err != NULL && strstr(err, n1) != NULL));
	CHECK(n2 == NULL || (err != NULL && strstr(err, n2) != NULL));
	free(err);
}

/* Run, then check: the status and stderr of one "analysis backup". */
#define EXPECT(want, n1, n2, ...)                                             \
	do {                                                                  \
		char *e_ = NULL;                                              \
		int r_ = run_backup(&e_, __VA_ARGS__);                        \
		expect(r_, (want), e_, (n1), (n2));                           \
	} while (0)

int
main(void)
{
	char dir[256], db[512], out[700], out2[700], bd[600], p[700];
	char *before, *after;
	size_t nb = 0, na = 0;
	long rows;

	umask(022);
	if (test_tmpdir(dir, sizeof(dir)) != 0)
		return 1;
	make_db(dir, db, sizeof(db));
	rows = copy_rows(db);
	CHECK(rows > 0);
	snprintf(bd, sizeof(bd), "%s/b", dir);
	CHECK(mkdir(bd, 0700) == 0);

	/* backup_mode */
	snprintf(out, sizeof(out), "%s/one.db", bd);
	EXPECT(0, NULL, NULL,
	    "--db", db, "--out", out, NULL, NULL);
	CHECK_INT(mode_of(out), 0600);
	CHECK_INT(copy_rows(out), rows);
	snprintf(out2, sizeof(out2), "%s/group.db", bd);
	EXPECT(0, NULL, NULL,
	    "--db", db, "--out", out2, "--group-read", NULL);
	CHECK_INT(mode_of(out2), 0640);
	CHECK_INT(copy_rows(out2), rows);

	/* backup_bad_exists */
	CHECK(test_write_file(out2, "precious", 8) == 0);
	CHECK(chmod(out2, 0644) == 0);
	before = test_read_file(out2, &nb);
	EXPECT(1, "exists", "--force", "--db", db, "--out", out2, NULL, NULL);
	after = test_read_file(out2, &na);
	CHECK(before && after && nb == na && memcmp(before, after, nb) == 0);
	free(after);
	CHECK_INT(mode_of(out2), 0644);
	{
		char e[512];
		CHECK_INT(store_backup(db, out2, 0600, e, sizeof(e)),
		    STORE_BACKUP_EXISTS);
		after = test_read_file(out2, &na);
		CHECK(after && nb == na && memcmp(before, after, nb) == 0);
		free(after);
	}
	free(before);
	CHECK(!has_dotfile(bd));

	/* backup_force */
	EXPECT(0, NULL, NULL,
	    "--db", db, "--out", out2, "--force", NULL);
	CHECK_INT(mode_of(out2), 0600);
	CHECK_INT(copy_rows(out2), rows);
	CHECK(!has_dotfile(bd));

	/* backup_bad_flags: usage errors */
	EXPECT(2, "--db PATH is required", NULL,
	    "--out", out, NULL, NULL, NULL, NULL);
	EXPECT(2, "--out", "is required",
	    "--db", db, NULL, NULL, NULL, NULL);
	EXPECT(2, "yes: unknown argument", NULL,
	    "--db", db, "--out", out, "--force", "yes");
	EXPECT(2, "--k: unknown flag", NULL,
	    "--db", db, "--out", out, "--k", "10");
	EXPECT(2, "--force: given twice", NULL,
	    "--db", db, "--out", out, "--force", "--force");
	/* ...and bad files */
	EXPECT(1, "is a directory", NULL,
	    "--db", db, "--out", bd, "--force", NULL);
	snprintf(p, sizeof(p), "%s/", bd);
	EXPECT(1, "must name a file", NULL,
	    "--db", db, "--out", p, NULL, NULL);
	EXPECT(1, "is the database", NULL,
	    "--db", db, "--out", db, "--force", NULL);
	snprintf(p, sizeof(p), "%s-wal", db);
	EXPECT(1, "is the database's wal", NULL,
	    "--db", db, "--out", p, "--force", NULL);
	snprintf(p, sizeof(p), "%s/no-such-dir/x.db", dir);
	EXPECT(1, "no-such-dir", "No such file or directory",
	    "--db", db, "--out", p, NULL, NULL);
	snprintf(p, sizeof(p), "%s/missing.db", dir);
	snprintf(out, sizeof(out), "%s/new.db", bd);
	EXPECT(1, "missing.db", "No such file or directory",
	    "--db", p, "--out", out, NULL, NULL);
	snprintf(p, sizeof(p), "%s/plain.db", dir);
	{
		sqlite3 *h = NULL;
		CHECK(sqlite3_open(p, &h) == SQLITE_OK);
		CHECK(sqlite3_exec(h, "CREATE TABLE t (x)", NULL, NULL, NULL) ==
		    SQLITE_OK);
		sqlite3_close(h);
	}
	EXPECT(1, "not a Candor database", NULL,
	    "--db", p, "--out", out, NULL, NULL);
	snprintf(p, sizeof(p), "%s/text.db", dir);
	CHECK(test_write_file(p, "this is not a database at all, only some "
	    "text that is long enough to be a header\n", 81) == 0);
	EXPECT(1, "text.db", NULL,
	    "--db", p, "--out", out, NULL, NULL);
	CHECK(access(out, F_OK) != 0);
	CHECK(!has_dotfile(bd));

	test_rmtree(dir);
	return test_done();
}
