/*
 * "analysis export" end to end on a real database: every format is
 * written; no output file holds the planted free-text answer, a stored
 * response id, receipt hash, period or consent version; CSV is RFC 4180
 * (CRLF, quoted labels with commas, quotes and newlines); --format and
 * flag combinations are refused with the rule named; fewer than k rows
 * write nothing; and a write that fails part-way (file size limit) leaves
 * neither a partial file nor a temporary one, nor harms the old file.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "data/export_helpers.h"
#include "data/report_helpers.h"

static const char *const formats[] = {"csv", "json", "spss", "r", "stata",
    "aggregate"};

/* Does any file in dir hold the n bytes at needle? */
static int
dir_contains(const char *dir, const void *needle, size_t n)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char path[1024];
	int hit = 0;

	if (dp == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path)) {
			closedir(dp);
			return -1;
		}
		if (test_file_contains(path, needle, n) == 1) {
			fprintf(stderr, "found in %s\n", path);
			hit = 1;
		}
	}
	closedir(dp);
	return hit;
}

/* Number of entries in dir (-1 if it does not exist), dot files too. */
static int
dir_count(const char *dir, int *dotfiles)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int n = 0;

	*dotfiles = 0;
	if (dp == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		*dotfiles += de->d_name[0] == '.';
	}
	closedir(dp);
	return n;
}

/* Check that no stored identifier or period of db is in dir. */
static void
check_no_ids(const char *db, const char *dir)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int rows = 0;

	CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(h, "SELECT id, receipt_hash, hex(id), "
	    "lower(hex(id)), hex(receipt_hash), lower(hex(receipt_hash)), "
	    "period, consent_version FROM response", -1, &s, NULL) ==
	    SQLITE_OK);
	while (s != NULL && sqlite3_step(s) == SQLITE_ROW) {
		rows++;
		CHECK(dir_contains(dir, sqlite3_column_blob(s, 0), 16) == 0);
		CHECK(dir_contains(dir, sqlite3_column_blob(s, 1), 32) == 0);
		for (int c = 2; c <= 7; c++) {
			const char *v = (const char *)sqlite3_column_text(s, c);
			CHECK(v != NULL && dir_contains(dir, v, strlen(v)) == 0);
		}
	}
	CHECK(rows > 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* Run analysis with a file size limit (bytes), stderr into errpath. */
static int
run_limited(rlim_t fsize, char *const argv[], const char *errpath)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit rl = {fsize, fsize};
		signal(SIGXFSZ, SIG_IGN); /* a failed write, not a signal */
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(126);
		if (freopen("/dev/null", "w", stdout) == NULL ||
		    freopen(errpath, "w", stderr) == NULL)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
main(void)
{
	char tmp[512], csv[700], db[700], small_db[700], out[800], bin[1024];
	char *form = src(EXPORT_FORM), *o = NULL, *e = NULL, *txt;
	struct csv_table t;
	size_t len;
	int rc, dots;

	CHECK(test_tmpdir(tmp, sizeof(tmp)) == 0);
	snprintf(csv, sizeof(csv), "%s/in.csv", tmp);
	synth_import_csv(csv, 400, 5, 0, 17);
	snprintf(db, sizeof(db), "%s/db.sqlite", tmp);
	rc = run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL);
	CHECK_INT(rc, 0);
	if (rc != 0) {
		fprintf(stderr, "%s", e ? e : "");
		return test_done();
	}
	free(o);
	free(e);

	/* Every format; nothing identifying in any file. */
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		snprintf(out, sizeof(out), "%s/%s", tmp, formats[i]);
		rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
		    "--format", formats[i], "--out", out, "--k", "5",
		    (char *)NULL);
		CHECK_INT(rc, 0);
		if (rc != 0)
			fprintf(stderr, "%s: %s", formats[i], e ? e : "");
		CHECK(dir_contains(out, "zebra-quokka", 12) == 0);
		check_no_ids(db, out);
		CHECK(dir_count(out, &dots) > 0 && dots == 0);
		if (strcmp(formats[i], "aggregate") != 0) {
			CHECK(strstr(o, "rows exported, k = 5") != NULL);
			CHECK(strstr(o, "generalized") != NULL);
		}
		free(o);
		free(e);
	}
	/* The planted answer is in the database (so the check can fail). */
	CHECK(test_file_contains(csv, "zebra-quokka", 12) == 1);

	/* RFC 4180: CRLF records, quoted labels round-trip. */
	snprintf(out, sizeof(out), "%s/csv/codebook.csv", tmp);
	txt = test_read_file(out, &len);
	CHECK(txt != NULL && strstr(txt, "\"Region, \"\"where\"\" you live\n"
	    "now\"") != NULL);
	free(txt);
	CHECK(csv_read_file(out, &t) == 0);
	CHECK(t.crlf_only);
	for (size_t r = 1; r < t.nrows; r++) {
		if (strcmp(t.rows[r][0], "region") == 0)
			CHECK_STR(t.rows[r][1],
			    "Region, \"where\" you live\nnow");
		if (strcmp(t.rows[r][0], "sites___1") == 0)
			CHECK_STR(t.rows[r][1],
			    "Where, \"exactly\"?: Head, neck");
		CHECK_INT(t.ncols[r], t.ncols[0]);
	}
	csv_table_free(&t);
	snprintf(out, sizeof(out), "%s/csv/data.csv", tmp);
	CHECK(csv_read_file(out, &t) == 0);
	CHECK(t.crlf_only);
	CHECK_INT(t.nrows, 401);
	csv_table_free(&t);

	/* SPSS syntax: apostrophes doubled, newlines in labels as spaces. */
	snprintf(out, sizeof(out), "%s/spss/data.sps", tmp);
	txt = test_read_file(out, &len);
	/* region is exported at level 0 or 1, depending on the data. */
	CHECK(txt != NULL && (strstr(txt, "    4 'South''s coast'\n") != NULL ||
	    strstr(txt, "    2 'South''s half'\n") != NULL));
	CHECK(txt != NULL && strstr(txt, "  /region 'Region, \"where\" you "
	    "live now'\n") != NULL);
	CHECK(txt != NULL && strstr(txt, "/FILE='data.csv'") != NULL);
	free(txt);

	/* JSON: metadata for every column, one object per row. */
	{
		json_error_t je;
		json_t *j, *vars, *rows, *row;
		size_t i;
		snprintf(out, sizeof(out), "%s/json/data.json", tmp);
		j = json_load_file(out, 0, &je);
		CHECK(j != NULL);
		vars = json_object_get(json_object_get(j, "metadata"),
		    "variables");
		rows = json_object_get(j, "data");
		CHECK_INT(json_array_size(rows), 400);
		CHECK(json_array_size(vars) > 10);
		json_array_foreach(rows, i, row) {
			const char *k;
			json_t *v;
			CHECK_INT(json_object_size(row), json_array_size(vars));
			CHECK_INT(json_integer_value(json_object_get(row, "row")),
			    i + 1);
			json_object_foreach(row, k, v)
				CHECK(json_is_number(v) || json_is_null(v));
		}
		json_array_foreach(vars, i, row)
			if (strcmp(json_string_value(json_object_get(row,
			    "name")), "region") == 0)
				CHECK_STR(json_string_value(json_object_get(row,
				    "label")), "Region, \"where\" you live\nnow");
		json_decref(j);
	}

	/* Flag errors name the flag and the rule. */
	snprintf(out, sizeof(out), "%s/bad", tmp);
	rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
	    "--format", "xls", "--out", out, (char *)NULL);
	CHECK_INT(rc, 2);
	CHECK(e != NULL && strstr(e, "analysis export: --format: must be csv, "
	    "json, spss, r, stata or aggregate (got \"xls\")") != NULL);
	free(o);
	free(e);
	rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
	    "--format", "csv", "--out", out, "--plan", "p.json",
	    (char *)NULL);
	CHECK_INT(rc, 2);
	CHECK(e != NULL && strstr(e, "--plan: only with --format aggregate") !=
	    NULL);
	free(o);
	free(e);
	rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
	    "--format", "aggregate", "--out", out, "--max-suppress", "5",
	    (char *)NULL);
	CHECK_INT(rc, 2);
	free(o);
	free(e);
	rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
	    "--format", "csv", "--out", out, "--k", "3", (char *)NULL);
	CHECK_INT(rc, 2);
	free(o);
	free(e);
	rc = run_analysis(&o, &e, "export", "--db", db, "--form", form,
	    "--format", "csv", (char *)NULL);
	CHECK_INT(rc, 2);
	free(o);
	free(e);
	CHECK(dir_count(out, &dots) == -1);

	/* Fewer than k rows: refused, nothing written. */
	snprintf(csv, sizeof(csv), "%s/small.csv", tmp);
	synth_import_csv(csv, 9, 3, 0, 0);
	snprintf(small_db, sizeof(small_db), "%s/small.sqlite", tmp);
	rc = run_analysis(&o, &e, "import", "--form", form, "--db", small_db,
	    "--csv", csv, (char *)NULL);
	CHECK_INT(rc, 0);
	free(o);
	free(e);
	snprintf(out, sizeof(out), "%s/few", tmp);
	rc = run_analysis(&o, &e, "export", "--db", small_db, "--form", form,
	    "--format", "r", "--out", out, "--k", "10", (char *)NULL);
	CHECK_INT(rc, 1);
	CHECK(e != NULL && strstr(e, "9 rows, fewer than k = 10") != NULL);
	CHECK(dir_count(out, &dots) <= 0);
	free(o);
	free(e);

	/*
	 * A write that fails part-way: the old data.csv stays whole, no
	 * new file appears, no temporary file is left.
	 */
	snprintf(csv, sizeof(csv), "%s/big.csv", tmp);
	synth_import_csv(csv, 3000, 11, 0, 0);
	snprintf(db, sizeof(db), "%s/big.sqlite", tmp);
	rc = run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL);
	CHECK_INT(rc, 0);
	free(o);
	free(e);
	snprintf(out, sizeof(out), "%s/atomic", tmp);
	CHECK(mkdir(out, 0777) == 0);
	{
		char old[900], errpath[900];
		char *argv[] = {(char *)test_bin_path("analysis", bin,
		    sizeof(bin)), "export", "--db", db, "--form", form,
		    "--format", "spss", "--out", out, NULL};
		snprintf(old, sizeof(old), "%s/data.csv", out);
		CHECK(test_write_file(old, "old,file\r\n", 10) == 0);
		snprintf(errpath, sizeof(errpath), "%s/err.txt", tmp);
		rc = run_limited(65536, argv, errpath);
		CHECK(rc == 1);
		/*
		 * It failed writing the export (over 100 kB), not reading the
		 * database (its shared-memory file takes 32 kB).
		 */
		txt = test_read_file(errpath, &len);
		CHECK(txt != NULL && strstr(txt, "/data.csv: File too large") !=
		    NULL);
		if (txt != NULL)
			fprintf(stderr, "(expected) %s", txt);
		free(txt);
		txt = test_read_file(old, &len);
		CHECK(txt != NULL && len == 10 &&
		    memcmp(txt, "old,file\r\n", 10) == 0);
		free(txt);
		CHECK_INT(dir_count(out, &dots), 1);
		CHECK_INT(dots, 0);
		/* Without the limit the same command replaces it whole. */
		CHECK_INT(run_limited(RLIM_INFINITY, argv, errpath), 0);
		CHECK(csv_read_file(old, &t) == 0);
		CHECK_INT(t.nrows, 3001);
		csv_table_free(&t);
		CHECK_INT(dir_count(out, &dots), 4);
		CHECK_INT(dots, 0);
	}
	{
		char err[256];
		snprintf(out, sizeof(out), "%s/missing-dir", tmp);
		CHECK(export_write_file(out, "x.csv", "a\r\n", 3, err,
		    sizeof(err)) == -1);
		CHECK(strstr(err, "missing-dir/x.csv") != NULL);
	}

	test_rmtree(tmp);
	free(form);
	return test_done();
}
