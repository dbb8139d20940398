/*
 * What the analysis refuses about form versions, each with a message
 * that names the rule: "analysis import" of a form whose version is
 * stored with other bytes, or that does not map an earlier stored
 * version (nothing is stored either way: the rows' transaction holds the
 * form too); "analysis report" with a form that does not map the stored
 * version of rows, with an older form than rows in the database, and
 * with the rows' own version changed under its number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "testlib.h"

static char bin[512], db[600];

static int
analysis(const char *cmd, const char *form, const char *extra, char **err)
{
	char *argv[] = {bin, (char *)cmd, "--db", db, "--form", (char *)form,
		strcmp(cmd, "import") == 0 ? "--csv" : "--out", (char *)extra,
		strcmp(cmd, "report") == 0 ? "--no-ledger" : NULL, NULL};

	return test_run(argv, NULL, err);
}

static long
rows(void)
{
	struct store *s = NULL;
	char e[512];
	long n = -1;

	if (store_open(db, STORE_RDONLY, &s, e, sizeof(e)) != STORE_OK)
		return -1;
	if (store_count(s, NULL, &n) != STORE_OK)
		n = -1;
	store_close(s);
	return n;
}

static void
write_variant(const char *src, const char *dst, const char *from,
    const char *to)
{
	size_t n;
	char *t = test_read_file(src, &n), *p, *s;

	CHECK(t != NULL && (p = strstr(t, from)) != NULL);
	if (t == NULL || p == NULL)
		exit(test_done());
	size_t k = (size_t)(p - t), nto = strlen(to), rest = n - k - strlen(from);
	s = malloc(k + nto + rest + 1);
	memcpy(s, t, k);
	memcpy(s + k, to, nto);
	memcpy(s + k + nto, p + strlen(from), rest + 1);
	CHECK(test_write_file(dst, s, strlen(s)) == 0);
	free(s);
	free(t);
}

int
main(void)
{
	char dir[512], v1[512], v2[512], v3[512], csv[700], out[700];
	char changed[700], nomap[700], *err = NULL;
	FILE *fp;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/c.db", dir);
	snprintf(csv, sizeof(csv), "%s/v1.csv", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(changed, sizeof(changed), "%s/v1-changed.json", dir);
	snprintf(nomap, sizeof(nomap), "%s/v3-nomap.json", dir);
	test_bin_path("analysis", bin, sizeof(bin));
	test_src_path("tests/forms/data/versions/v1.json", v1, sizeof(v1));
	test_src_path("tests/forms/data/versions/v2.json", v2, sizeof(v2));
	test_src_path("tests/forms/data/versions/v3.json", v3, sizeof(v3));
	write_variant(v1, changed, "Average pain", "Typical pain");
	/* v3 with no entry for version 1 (its one entry says version 2). */
	write_variant(v3, nomap, "{\"version\": 1,", "{\"version\": 2,");
	write_variant(nomap, nomap, "{\"version\": 2, \"recoded\": {\"symptoms"
	    "\": {\"3\": 4}}, \"new\": [\"cbt\"]}", "");
	write_variant(nomap, nomap, "\"new\": [\"stiff\", \"cbt\"]},",
	    "\"new\": [\"stiff\", \"cbt\"]}");

	fp = fopen(csv, "w");
	CHECK(fp != NULL);
	if (fp == NULL)
		return test_done();
	fputs("period,pain,freq,mood,symptoms\n", fp);
	for (int i = 0; i < 12; i++)
		fprintf(fp, "2026-11-01,%d,%d,%d,1\n", i % 11, 1 + i % 3, i % 5);
	fclose(fp);
	CHECK_INT(analysis("import", v1, csv, NULL), 0);
	CHECK_INT(rows(), 12);

	/* Import: the same version changed; nothing stored. */
	CHECK_INT(analysis("import", changed, csv, &err), 1);
	CHECK(err != NULL && strstr(err, "form vers version 1 differs from the "
	    "version 1 stored in the database: give the changed form a new "
	    "version") != NULL);
	free(err);
	CHECK_INT(rows(), 12);

	/* Report: a form that does not map the rows' stored version. */
	CHECK_INT(analysis("report", nomap, out, &err), 1);
	CHECK(err != NULL && strstr(err, "no valid mapping from version 1") !=
	    NULL && strstr(err, "no entry for version 1") != NULL);
	free(err);

	/* Report: the rows' own version, changed under its number. */
	CHECK_INT(analysis("report", changed, out, &err), 1);
	CHECK(err != NULL && strstr(err, "differs from the version 1 its 12 "
	    "rows were collected with") != NULL);
	free(err);

	/* Rows of version 2 arrive; a report with version 1 is refused. */
	{
		char csv2[700];
		snprintf(csv2, sizeof(csv2), "%s/v2.csv", dir);
		fp = fopen(csv2, "w");
		CHECK(fp != NULL);
		if (fp == NULL)
			return test_done();
		fputs("period,pain_avg,freq,stiff,symptoms\n", fp);
		for (int i = 0; i < 12; i++)
			fprintf(fp, "2026-11-01,%d,%d,%d,2\n", i % 11, 1 + i % 3,
			    i % 4);
		fclose(fp);
		/* Import under v3 without a mapping from 1: refused, too. */
		CHECK_INT(analysis("import", nomap, csv2, &err), 1);
		CHECK(err != NULL && strstr(err, "no entry for version 1") !=
		    NULL);
		free(err);
		CHECK_INT(rows(), 12);
		CHECK_INT(analysis("import", v2, csv2, NULL), 0);
		CHECK_INT(rows(), 24);
	}
	CHECK_INT(analysis("report", v1, out, &err), 1);
	CHECK(err != NULL && strstr(err, "12 rows of version 2 of form vers, "
	    "newer than this form's version 1") != NULL);
	free(err);
	/* And the newest form reads both. */
	CHECK_INT(analysis("report", v2, out, NULL), 0);
	if (test_failures == 0)
		test_rmtree(dir);
	return test_done();
}
