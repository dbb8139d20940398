/*
 * What "analysis" writes is private, run under umask 022 (which alone
 * would give 0644 and 0755):
 *  - outputs_private: the database "import" creates, every file of
 *    "report", of "export" (csv and aggregate) and of "codebook --out" is
 *    0600, and every directory they create is 0700, each level of a
 *    nested --out a/b/c and the report's figures/ included;
 *  - outputs_old_file_tightened: a report.html left 0644 by an earlier
 *    run is 0600 after the next; a directory that already existed keeps
 *    its mode (only the levels made are 0700);
 *  - outputs_group_read: with --group-read the files are 0640 and the
 *    directories made 0750;
 *  - outputs_bad_out_level: a --out whose parent is a file fails (exit 1)
 *    naming that level.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "data/export_helpers.h"
#include "data/report_helpers.h"

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

static void check_dir(const char *path, long want);

/*
 * Every entry of dir is a regular file of mode want, but for a report's
 * figures/, a directory of the matching mode (0700 for 0600 files, 0750
 * for 0640) holding such files; how many (>= 1).
 */
static int
check_files(const char *dir, long want)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char path[2048];
	int n = 0;

	CHECK(dp != NULL);
	if (dp == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		long m;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		/* No temporary file left behind. */
		CHECK(de->d_name[0] != '.');
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (strcmp(de->d_name, "figures") == 0) {
			check_dir(path, want == 0640 ? 0750 : 0700);
			check_files(path, want);
			n++;
			continue;
		}
		m = mode_of(path);
		if (m != want)
			fprintf(stderr, "%s: mode %04lo, expected %04lo\n", path,
			    m, want);
		CHECK_INT(m, want);
		n++;
	}
	closedir(dp);
	CHECK(n > 0);
	return n;
}

static void
check_dir(const char *path, long want)
{
	long m = mode_of(path);

	if (m != want)
		fprintf(stderr, "%s: mode %04lo, expected %04lo\n", path, m,
		    want);
	CHECK_INT(m, want);
}

/* report, export csv, export aggregate and codebook under base. */
static void
write_all(const char *base, const char *db, int group_read)
{
	char *form = src(EXPORT_FORM), *out = NULL, *err = NULL, *stdout_cb;
	char p[1024], q[1024], r[1024], cb[1024];
	long fm = group_read ? 0640 : 0600, dm = group_read ? 0750 : 0700;
	char *gr = group_read ? "--group-read" : NULL;
	int rc;

	snprintf(p, sizeof(p), "%s/report/a/b/c", base);
	rc = run_analysis(&out, &err, "report", "--db", db, "--form", form,
	    "--out", p, gr, (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "report: %s\n", err ? err : "");
	CHECK_INT(rc, 0);
	free(out);
	free(err);
	snprintf(q, sizeof(q), "%s/report", base);
	check_dir(q, dm);
	snprintf(q, sizeof(q), "%s/report/a", base);
	check_dir(q, dm);
	snprintf(q, sizeof(q), "%s/report/a/b", base);
	check_dir(q, dm);
	check_dir(p, dm);
	CHECK(check_files(p, fm) >= 3); /* report.html, .json, the CSVs */

	snprintf(q, sizeof(q), "%s/export/rows", base);
	rc = run_analysis(&out, &err, "export", "--db", db, "--form", form,
	    "--format", "csv", "--out", q, gr, (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "export: %s\n", err ? err : "");
	CHECK_INT(rc, 0);
	free(out);
	free(err);
	snprintf(r, sizeof(r), "%s/export", base);
	check_dir(r, dm);
	check_dir(q, dm);
	CHECK(check_files(q, fm) >= 3); /* data.csv, codebook.csv, deid */

	snprintf(r, sizeof(r), "%s/export/tables", base);
	rc = run_analysis(&out, &err, "export", "--db", db, "--form", form,
	    "--format", "aggregate", "--out", r, gr, (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "export aggregate: %s\n", err ? err : "");
	CHECK_INT(rc, 0);
	free(out);
	free(err);
	check_dir(r, dm);
	CHECK(check_files(r, fm) >= 2);

	snprintf(cb, sizeof(cb), "%s/codebook/md/book.md", base);
	rc = run_analysis(&out, &err, "codebook", "--form", form, "--out", cb,
	    gr, (char *)NULL);
	CHECK_INT(rc, 0);
	free(out);
	free(err);
	snprintf(q, sizeof(q), "%s/codebook", base);
	check_dir(q, dm);
	snprintf(q, sizeof(q), "%s/codebook/md", base);
	check_dir(q, dm);
	CHECK_INT(check_files(q, fm), 1);
	/* The file holds exactly what standard output would have. */
	CHECK_INT(run_analysis(&stdout_cb, &err, "codebook", "--form", form,
	    (char *)NULL), 0);
	free(err);
	{
		size_t n = 0;
		char *file = test_read_file(cb, &n);
		CHECK(file != NULL && stdout_cb != NULL &&
		    strcmp(file, stdout_cb) == 0);
		free(file);
	}
	free(stdout_cb);
	free(form);
}

static void
old_file_tightened(const char *base, const char *db)
{
	char *form = src(EXPORT_FORM), *out = NULL, *err = NULL;
	char pre[1024], p[1024], html[1200];

	snprintf(pre, sizeof(pre), "%s/existing", base);
	CHECK(mkdir(pre, 0755) == 0);
	CHECK(chmod(pre, 0755) == 0);
	snprintf(p, sizeof(p), "%s/existing/new", base);
	CHECK(mkdir(p, 0700) == 0);
	snprintf(html, sizeof(html), "%s/report.html", p);
	CHECK(test_write_file(html, "old", 3) == 0);
	CHECK(chmod(html, 0644) == 0);
	CHECK(chmod(p, 0755) == 0);
	CHECK_INT(run_analysis(&out, &err, "report", "--db", db, "--form",
	    form, "--out", p, (char *)NULL), 0);
	free(out);
	free(err);
	CHECK_INT(mode_of(html), 0600);
	CHECK(check_files(p, 0600) >= 3);
	/* Directories that were there are not the command's to change. */
	check_dir(pre, 0755);
	check_dir(p, 0755);
	free(form);
}

static void
bad_out_level(const char *base, const char *db)
{
	char *form = src(EXPORT_FORM), *out = NULL, *err = NULL;
	char f[1024], p[1100];

	snprintf(f, sizeof(f), "%s/plainfile", base);
	CHECK(test_write_file(f, "x", 1) == 0);
	snprintf(p, sizeof(p), "%s/under", f);
	CHECK_INT(run_analysis(&out, &err, "report", "--db", db, "--form",
	    form, "--out", p, (char *)NULL), 1);
	CHECK(err != NULL && strstr(err, "plainfile") != NULL &&
	    strstr(err, "Not a directory") != NULL);
	free(out);
	free(err);
	free(form);
}

int
main(void)
{
	char dir[256], db[512], sub[600];

	umask(022);
	if (test_tmpdir(dir, sizeof(dir)) != 0)
		return 1;
	make_db(dir, db, sizeof(db));
	CHECK_INT(mode_of(db), 0600);

	snprintf(sub, sizeof(sub), "%s/private", dir);
	CHECK(mkdir(sub, 0700) == 0);
	write_all(sub, db, 0); /* outputs_private */
	old_file_tightened(dir, db);
	snprintf(sub, sizeof(sub), "%s/group", dir);
	CHECK(mkdir(sub, 0700) == 0);
	write_all(sub, db, 1); /* outputs_group_read */
	bad_out_level(dir, db);

	test_rmtree(dir);
	return test_done();
}
