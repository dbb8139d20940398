/*
 * restore: "analysis restore" of an "analysis backup" copy, around a real
 * collector (the built binary, driven over HTTP):
 *  - submissions, a backup, more submissions; a restore while the
 *    collector runs is refused ("stop it first") and the database's
 *    bytes (file and -wal) stay as they were;
 *  - with the collector stopped, a corrupted copy (bytes of one page
 *    overwritten) and a copy stamped with a newer schema (exit 2) are
 *    refused, the target unchanged, and the backups themselves are never
 *    written;
 *  - the good copy is restored: 0600, owned by the directory's owner,
 *    no -wal left; a collector started on it serves the survey, and the
 *    response table and "analysis export" hold exactly the rows
 *    acknowledged before the backup: a receipt code from before it
 *    withdraws, one from after it finds nothing;
 *  - a target that does not exist is created; one whose directory does
 *    not exist is refused, naming --db.
 */
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "client.h"
#include "store.h"

#define BEFORE 12 /* submissions before the backup (k = 10 for export) */
#define AFTER 4   /* submissions after it, lost by the restore */

/* Run analysis with a NULL-terminated list of arguments; exit status. */
static int
analysis(char **out, char **err, ...)
{
	char bin[512];
	char *argv[16];
	va_list ap;
	size_t n = 0;
	int rc;

	test_bin_path("analysis", bin, sizeof(bin));
	argv[n++] = bin;
	va_start(ap, err);
	while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	rc = test_run(argv, out, err);
	return rc;
}

/* The rows of the response table, one text line each, sorted. */
static char *
response_rows(const char *db)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	struct cl_buf b = {NULL, 0};

	cl_buf_add(&b, "", 0);
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT hex(id) || '|' || form_id || '|' || "
	    "period || '|' || answers || '|' || hex(receipt_hash) FROM "
	    "response ORDER BY 1", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", db, h ? sqlite3_errmsg(h) : "?");
		test_failures++;
	} else {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			cl_buf_add(&b, t, strlen(t));
			cl_buf_add(&b, "\n", 1);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return b.p;
}

/* The bytes of path and of path-wal, concatenated with a separator. */
static char *
snapshot(const char *path, size_t *len)
{
	struct cl_buf b = {NULL, 0};
	char wal[700], *p;
	size_t n = 0;

	cl_buf_add(&b, "", 0);
	if ((p = test_read_file(path, &n)) != NULL)
		cl_buf_add(&b, p, n);
	free(p);
	cl_buf_add(&b, "\n--wal--\n", 9);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if ((p = test_read_file(wal, &n)) != NULL)
		cl_buf_add(&b, p, n);
	free(p);
	*len = b.n;
	return b.p;
}

static int
same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	return a != NULL && b != NULL && na == nb && memcmp(a, b, na) == 0;
}

/* Copy src to dst, then write len bytes of c at offset off of dst. */
static int
copy_patched(const char *src, const char *dst, long off, const void *c,
    size_t len)
{
	size_t n;
	char *p = test_read_file(src, &n);
	int rc = -1;

	if (p != NULL && off >= 0 && (size_t)off + len <= n) {
		memcpy(p + off, c, len);
		rc = test_write_file(dst, p, n);
	}
	free(p);
	return rc;
}

static int
start(struct cl_child *ch, const char *db, const char *log)
{
	const char *args[] = {"--form",
		cl_fixture("tests/collector/mini.json", 0), "--db", db,
		"--port", "0", "--min-fill-seconds", "0",
		"--rate-per-minute", "0", NULL};

	return cl_child_start(ch, args, log);
}

/* Lines of data in an export's data.csv (the header not counted). */
static long
export_rows(const char *db, const char *out)
{
	char path[700], *o = NULL, *e = NULL, *txt;
	long lines = -1;
	int rc;

	rc = analysis(&o, &e, "export", "--db", db, "--form",
	    cl_fixture("tests/collector/mini.json", 1), "--format", "csv",
	    "--out", out, NULL);
	if (rc != 0)
		fprintf(stderr, "export: exit %d: %s\n", rc, e ? e : "");
	snprintf(path, sizeof(path), "%s/data.csv", out);
	if (rc == 0 && (txt = test_read_file(path, NULL)) != NULL) {
		lines = 0;
		for (const char *p = txt; *p != '\0'; p++)
			lines += *p == '\n';
		lines--;
		free(txt);
	}
	free(o);
	free(e);
	return lines;
}

/* POST /withdraw with code; the status. */
static long
withdraw(struct cl_client *c, const char *code)
{
	const char *kv[] = {"code", code, NULL};
	struct cl_resp r;
	long status;

	cl_postv(c, "/withdraw", &r, kv);
	status = r.status;
	cl_resp_free(&r);
	return status;
}

int
main(void)
{
	struct cl_child ch;
	struct cl_client c;
	struct cl_resp r;
	struct stat sb, sd;
	char dir[256], data[300], db[400], log[400], bk[300], copy[400];
	char bad[400], newer[400], path[500], exp[400];
	char *codes_before[BEFORE], *code_after = NULL, *o = NULL, *e = NULL;
	char *rows_copy, *rows_now, *snap, *snap2, *bbytes, *bbytes2;
	size_t nsnap, nsnap2, nb, nb2;
	unsigned char page2[64], ver[4];
	long psize;
	int i;

	signal(SIGPIPE, SIG_IGN);
	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(db, sizeof(db), "%s/candor.db", data);
	snprintf(log, sizeof(log), "%s/collector.log", dir);
	snprintf(bk, sizeof(bk), "%s/backups", dir);
	snprintf(copy, sizeof(copy), "%s/candor-1.db", bk);
	CL_REQUIRE(mkdir(data, 0700) == 0 && mkdir(bk, 0700) == 0);

	CL_REQUIRE(start(&ch, db, log) == 0);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
	for (i = 0; i < BEFORE; i++) {
		codes_before[i] = cl_mini_full(&c);
		CHECK(codes_before[i] != NULL);
	}
	CHECK_INT(analysis(&o, &e, "backup", "--db", db, "--out", copy, NULL),
	    0);
	free(o);
	free(e);
	for (i = 0; i < AFTER; i++) {
		free(code_after);
		code_after = cl_mini_full(&c);
		CHECK(code_after != NULL);
	}
	CHECK_INT(cl_count_rows(db, "mini"), BEFORE + AFTER);
	rows_copy = response_rows(copy);
	bbytes = test_read_file(copy, &nb);

	/* restore_bad_collector_running: refused, nothing written. */
	snap = snapshot(db, &nsnap);
	CHECK_INT(analysis(&o, &e, "restore", "--backup", copy, "--db", db,
	    NULL), 1);
	CHECK(e != NULL && strstr(e, "--db ") != NULL &&
	    strstr(e, "the collector is running: stop it first") != NULL);
	free(o);
	free(e);
	snap2 = snapshot(db, &nsnap2);
	CHECK(same_bytes(snap, nsnap, snap2, nsnap2));
	free(snap2);
	CHECK_INT(cl_count_rows(db, "mini"), BEFORE + AFTER);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	free(snap);

	/* A clean stop leaves one file: the snapshot is of it alone now. */
	snap = snapshot(db, &nsnap);

	/* restore_bad_corrupt: page 2 of the copy overwritten. */
	snprintf(bad, sizeof(bad), "%s/corrupt.db", bk);
	{
		sqlite3 *h = NULL;
		sqlite3_stmt *st = NULL;
		psize = 0;
		if (sqlite3_open_v2(copy, &h, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK && sqlite3_prepare_v2(h, "PRAGMA page_size", -1,
		    &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			psize = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	CHECK(psize >= 512);
	memset(page2, 0xa5, sizeof(page2));
	CHECK(copy_patched(copy, bad, psize, page2, sizeof(page2)) == 0);
	CHECK_INT(analysis(&o, &e, "restore", "--backup", bad, "--db", db,
	    NULL), 1);
	CHECK(e != NULL && strstr(e, "--backup ") != NULL &&
	    strstr(e, "integrity_check") != NULL);
	free(o);
	free(e);
	snap2 = snapshot(db, &nsnap2);
	CHECK(same_bytes(snap, nsnap, snap2, nsnap2));
	free(snap2);

	/* restore_bad_newer_schema: exit 2, as the collector's. */
	snprintf(newer, sizeof(newer), "%s/newer.db", bk);
	ver[0] = ver[1] = ver[2] = 0;
	ver[3] = (unsigned char)(STORE_SCHEMA_VERSION + 1);
	CHECK(copy_patched(copy, newer, 60, ver, sizeof(ver)) == 0);
	CHECK_INT(analysis(&o, &e, "restore", "--backup", newer, "--db", db,
	    NULL), 2);
	CHECK(e != NULL && strstr(e, "--backup ") != NULL &&
	    strstr(e, "is newer than") != NULL);
	free(o);
	free(e);
	snap2 = snapshot(db, &nsnap2);
	CHECK(same_bytes(snap, nsnap, snap2, nsnap2));
	free(snap2);
	free(snap);

	/* The real restore. */
	CHECK_INT(analysis(&o, &e, "restore", "--backup", copy, "--db", db,
	    NULL), 0);
	CHECK(o != NULL && strstr(o, "restored ") != NULL);
	if (e != NULL && e[0] != '\0')
		fprintf(stderr, "restore: %s", e);
	free(o);
	free(e);
	/* The backup was only read. */
	bbytes2 = test_read_file(copy, &nb2);
	CHECK(same_bytes(bbytes, nb, bbytes2, nb2));
	free(bbytes2);
	snprintf(path, sizeof(path), "%s-wal", copy);
	CHECK(stat(path, &sb) != 0);
	snprintf(path, sizeof(path), "%s-shm", copy);
	CHECK(stat(path, &sb) != 0);

	CHECK(stat(db, &sb) == 0 && stat(data, &sd) == 0);
	CHECK_INT(sb.st_mode & 07777, 0600);
	CHECK_INT(sb.st_uid, sd.st_uid);
	CHECK_INT(sb.st_gid, sd.st_gid);
	snprintf(path, sizeof(path), "%s-wal", db);
	CHECK(stat(path, &sb) != 0);
	rows_now = response_rows(db);
	CHECK(rows_copy != NULL && rows_now != NULL &&
	    strcmp(rows_copy, rows_now) == 0);
	free(rows_now);
	CHECK_INT(cl_count_rows(db, "mini"), BEFORE);

	/* A collector on the restored file: the survey, the data. */
	cl_client_free(&c);
	CL_REQUIRE(start(&ch, db, log) == 0);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
	CHECK(cl_get(&c, "/s/mini", &r) == 0);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	snprintf(exp, sizeof(exp), "%s/export", dir);
	CHECK_INT(export_rows(db, exp), BEFORE);
	CHECK(rows_copy != NULL && (rows_now = response_rows(db)) != NULL &&
	    strcmp(rows_copy, rows_now) == 0);
	free(rows_now);

	/* Codes from before the backup still open their row; later ones not. */
	cl_client_free(&c);
	CL_REQUIRE(start(&ch, db, log) == 0);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
	CHECK_INT(withdraw(&c, code_after), 404);
	CHECK_INT(withdraw(&c, codes_before[0]), 200);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	CHECK_INT(cl_count_rows(db, "mini"), BEFORE - 1);

	/* A target that does not exist is made, in a directory that does. */
	snprintf(path, sizeof(path), "%s/new.db", data);
	CHECK_INT(analysis(&o, &e, "restore", "--backup", copy, "--db", path,
	    NULL), 0);
	CHECK(o != NULL && strstr(o, "a new file") != NULL);
	free(o);
	free(e);
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 07777) == 0600);
	CHECK_INT(cl_count_rows(path, "mini"), BEFORE);

	/* restore_bad_no_directory */
	snprintf(path, sizeof(path), "%s/missing/candor.db", dir);
	CHECK_INT(analysis(&o, &e, "restore", "--backup", copy, "--db", path,
	    NULL), 1);
	CHECK(e != NULL && strstr(e, "analysis restore: --db ") != NULL &&
	    strstr(e, "the directory must exist") != NULL);
	free(o);
	free(e);
	CHECK(stat(path, &sb) != 0);

	/* restore_bad_missing_backup */
	snprintf(path, sizeof(path), "%s/nothing.db", bk);
	CHECK_INT(analysis(&o, &e, "restore", "--backup", path, "--db", db,
	    NULL), 1);
	CHECK(e != NULL && strstr(e, "analysis restore: --backup ") != NULL);
	free(o);
	free(e);

	cl_client_free(&c);
	for (i = 0; i < BEFORE; i++)
		free(codes_before[i]);
	free(code_after);
	free(rows_copy);
	free(bbytes);
	test_rmtree(dir);
	return test_done();
}
