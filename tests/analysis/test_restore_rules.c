/*
 * "analysis restore" rules without a collector (run under umask 022):
 *  - restore_group_read: --group-read gives 0640, and a new target is one
 *    file (no -journal or -wal left); an existing target of mode 0644 is
 *    left 0600 without it;
 *  - restore_older_schema: a backup of schema 1 is restored as it is and
 *    the command says the collector migrates it;
 *  - restore_bad_flags: no --backup, no --db, an unknown flag: exit 2
 *    naming the flag;
 *  - restore_bad_live: a backup with a non-empty -wal beside it is refused;
 *  - restore_bad_not_candor: an SQLite file of schema 0, and a file that is
 *    not SQLite at all, are refused as backups;
 *  - restore_bad_target: a target that is a symbolic link, or a file that
 *    is not a database, is refused and left as it was.
 * Every refusal exits 1 (2 for flags) and names the flag at fault.
 */
#include <stdarg.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "data/export_helpers.h"
#include "data/report_helpers.h"
#include "store.h"

static long
mode_of(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return -1;
	return (long)(sb.st_mode & 07777);
}

static long
rows_of(const char *path)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(h, "SELECT count(*) FROM "
	    "response", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/*
 * Run "analysis restore" with the NULL-terminated arguments; check the
 * exit status, and that stderr and stdout hold in_err and in_out (each
 * may be NULL: not checked).
 */
static void
expect_at(int line, int status, const char *in_err, const char *in_out, ...)
{
	char bin[1024], *argv[24], *o = NULL, *e = NULL;
	size_t n = 0;
	va_list ap;
	int rc;

	argv[n++] = (char *)test_bin_path("analysis", bin, sizeof(bin));
	argv[n++] = "restore";
	va_start(ap, in_out);
	while (n < 23 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	rc = test_run(argv, &o, &e);
	if (rc != status) {
		fprintf(stderr, "line %d: exit %d, expected %d: %s\n", line, rc,
		    status, e ? e : "");
		test_failures++;
	}
	if (in_err != NULL && (e == NULL || strstr(e, in_err) == NULL)) {
		fprintf(stderr, "line %d: stderr lacks \"%s\": %s\n", line,
		    in_err, e ? e : "");
		test_failures++;
	}
	if (in_out != NULL && (o == NULL || strstr(o, in_out) == NULL)) {
		fprintf(stderr, "line %d: stdout lacks \"%s\": %s\n", line,
		    in_out, o ? o : "");
		test_failures++;
	}
	free(o);
	free(e);
}

#define EXPECT(...) expect_at(__LINE__, __VA_ARGS__)

int
main(void)
{
	char dir[256], db[512], bk[600], t[600], p[700], *form;
	char *before, *after, *o = NULL, *e = NULL;
	size_t nb = 0, na = 0;
	long rows;

	umask(022);
	if (test_tmpdir(dir, sizeof(dir)) != 0)
		return 1;
	form = src(EXPORT_FORM);
	snprintf(p, sizeof(p), "%s/rows.csv", dir);
	snprintf(db, sizeof(db), "%s/c.db", dir);
	synth_import_csv(p, 50, 5, 0, 17);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", p, (char *)NULL), 0);
	free(o);
	free(e);
	snprintf(bk, sizeof(bk), "%s/b.db", dir);
	CHECK_INT(run_analysis(&o, &e, "backup", "--db", db, "--out", bk,
	    (char *)NULL), 0);
	free(o);
	free(e);
	rows = rows_of(bk);
	CHECK(rows == 50);

	/* restore_group_read */
	snprintf(t, sizeof(t), "%s/g.db", dir);
	EXPECT(0, NULL, "mode 0640", "--backup", bk, "--db", t,
	    "--group-read", NULL);
	CHECK_INT(mode_of(t), 0640);
	/* One file: no -wal, and no zeroed -journal of the exclusive lock. */
	snprintf(p, sizeof(p), "%s-journal", t);
	CHECK_INT(mode_of(p), -1);
	snprintf(p, sizeof(p), "%s-wal", t);
	CHECK_INT(mode_of(p), -1);
	CHECK_INT(rows_of(t), rows);
	CHECK(chmod(t, 0644) == 0);
	EXPECT(0, NULL, "mode 0600", "--backup", bk, "--db", t, NULL);
	CHECK_INT(mode_of(t), 0600);

	/* restore_older_schema */
	snprintf(p, sizeof(p), "%s/v1.db", dir);
	{
		struct store *s = NULL;
		char err[256];
		CHECK_INT(store_open_version(p, STORE_RDWR, 1, &s, err,
		    sizeof(err)), STORE_OK);
		store_close(s);
	}
	snprintf(t, sizeof(t), "%s/from-v1.db", dir);
	EXPECT(0, NULL, "the collector migrates", "--backup", p, "--db", t,
	    NULL);
	CHECK_INT(rows_of(t), 0);

	/* restore_bad_flags */
	EXPECT(2, "--backup", NULL, "--db", t, NULL);
	EXPECT(2, "--db", NULL, "--backup", bk, NULL);
	EXPECT(2, "--out: unknown flag", NULL, "--backup", bk, "--db", t,
	    "--out", t, NULL);

	/* restore_bad_live: a copy with its -wal. */
	snprintf(p, sizeof(p), "%s/live.db-wal", dir);
	CHECK(test_write_file(p, "x", 1) == 0);
	snprintf(p, sizeof(p), "%s/live.db", dir);
	before = test_read_file(bk, &nb);
	CHECK(before != NULL && test_write_file(p, before, nb) == 0);
	free(before);
	EXPECT(1, "--backup ", NULL, "--backup", p, "--db", t, NULL);
	EXPECT(1, "a live database, not a backup", NULL, "--backup", p, "--db",
	    t, NULL);

	/* restore_bad_not_candor */
	snprintf(p, sizeof(p), "%s/plain.db", dir);
	{
		sqlite3 *h = NULL;
		CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
		CHECK_INT(sqlite3_exec(h, "CREATE TABLE x (a)", NULL, NULL,
		    NULL), SQLITE_OK);
		sqlite3_close(h);
	}
	EXPECT(1, "not a Candor database", NULL, "--backup", p, "--db", t,
	    NULL);
	snprintf(p, sizeof(p), "%s/rows.csv", dir);
	EXPECT(1, "--backup ", NULL, "--backup", p, "--db", t, NULL);
	EXPECT(1, "not an SQLite database", NULL, "--backup", p, "--db", t,
	    NULL);

	/* restore_bad_target: a link, and a file that is not a database. */
	snprintf(p, sizeof(p), "%s/link.db", dir);
	CHECK(symlink(t, p) == 0);
	EXPECT(1, "--db ", NULL, "--backup", bk, "--db", p, NULL);
	EXPECT(1, "is a symbolic link", NULL, "--backup", bk, "--db", p, NULL);
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	CHECK(test_write_file(p, "not a database, but long enough to be read "
	    "as a header by SQLite: 0123456789012345678901234567890123456789"
	    "0123456789", 114) == 0);
	before = test_read_file(p, &nb);
	EXPECT(1, "is not an SQLite database", NULL, "--backup", bk, "--db",
	    p, NULL);
	after = test_read_file(p, &na);
	CHECK(before != NULL && after != NULL && na == nb &&
	    memcmp(before, after, nb) == 0);
	free(before);
	free(after);
	/* --backup naming the database itself. */
	EXPECT(1, "is the database itself", NULL, "--backup", t, "--db", t,
	    NULL);

	free(form);
	test_rmtree(dir);
	return test_done();
}
