/*
 * Releases of different kinds and times are one series. 120 responses
 * are imported and "analysis report" publishes group pain_hi (release 1).
 * Then:
 *   - one more response (one change): a report, an aggregate export and
 *     a row-level export are each refused, naming the latest release and
 *     the changes still to come, and write nothing; the difference of two
 *     releases would be that one person. A private run (--no-ledger)
 *     still works and says "not for publication";
 *   - nine more (k = 10 changes): the aggregate export is made (release
 *     2), recording its group;
 *   - on those same data, a report whose group differs from the
 *     aggregate export's by one respondent has that group withheld,
 *     naming release 2: the tracker rule holds across kinds;
 *   - a row-level export on the same data is made (release 3), and an
 *     aggregate export with --no-ledger is marked "not for publication".
 * The ledger's rows are read back from the file: four releases, their
 * kinds, counters and groups.
 */
#include <sqlite3.h>
#include <sys/stat.h>

#include "data/report_helpers.h"
#include "report.h"

#define GATE_FORM "tests/analysis/data/gate_form.json"

static const char plan_a[] = "{\"outcomes\": [\"pain\"], \"groups\": "
    "[{\"name\": \"pain_hi\", \"a\": {\"var\": \"pain\", \"ge\": 7}, "
    "\"b\": {\"var\": \"pain\", \"le\": 6}}], \"correlations\": false}";
static const char plan_b[] = "{\"outcomes\": [\"pain\"], \"groups\": "
    "[{\"name\": \"pain_hi_x\", \"a\": {\"all\": [{\"var\": \"pain\", "
    "\"ge\": 7}, {\"var\": \"sex\", \"ne\": 3}]}, \"b\": {\"not\": "
    "{\"all\": [{\"var\": \"pain\", \"ge\": 7}, {\"var\": \"sex\", "
    "\"ne\": 3}]}}}], \"correlations\": false}";

/* 120 rows: one respondent (row 100, pain 8) has sex 3. */
static size_t
generate(char *buf, size_t cap, int from, int rows)
{
	static const int counts[11] = {3, 12, 12, 12, 12, 13, 13, 13, 13, 13,
	    4};
	size_t n = snprintf(buf, cap, "sex,age_band,pain,flare,kratom_use\r\n");
	int v = 0, left = counts[0];

	for (int i = 0; i < from + rows; i++) {
		while (left == 0)
			left = counts[++v % 11];
		left--;
		if (i < from)
			continue;
		n += (size_t)snprintf(buf + n, cap - n, "%d,%d,%d,%d,0\r\n",
		    i == 100 ? 3 : i % 8 == 3 ? 2 : 1, i % 4 + 1, v % 11,
		    i % 2);
	}
	return n;
}

static char *form_path;

static int
import_rows(const char *dir, const char *db, int from, int rows)
{
	static char data[16384];
	char csv[1024], *o = NULL, *e = NULL;
	size_t n = generate(data, sizeof(data), from, rows);
	int rc;

	snprintf(csv, sizeof(csv), "%s/rows-%d.csv", dir, from);
	if (test_write_file(csv, data, n) != 0)
		return -1;
	rc = run_analysis(&o, &e, "import", "--form", form_path, "--db", db,
	    "--csv", csv, (char *)NULL);
	if (rc != 0)
		fprintf(stderr, "import: %s\n", e ? e : "");
	free(o);
	free(e);
	return rc;
}

/* Run analysis with argv; *err keeps its standard error. */
static int
run(char **err, const char *cmd, const char *db, const char *out,
    const char *a1, const char *a2, const char *a3, const char *a4,
    const char *a5)
{
	char *o = NULL;
	int rc;

	free(*err);
	*err = NULL;
	rc = run_analysis(&o, err, cmd, "--db", db, "--form", form_path,
	    "--out", out, a1, a2, a3, a4, a5, (char *)NULL);
	free(o);
	return rc;
}

static int
exists(const char *dir, const char *file)
{
	char p[1200];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	return stat(p, &sb) == 0;
}

int
main(void)
{
	char dir[512], pa[1024], pb[1024], db[1024], out[1100];
	char *e = NULL, *s;
	json_t *m, *g;
	const char *w;
	size_t len;

	form_path = src(GATE_FORM);
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(pa, sizeof(pa), "%s/a.json", dir);
	snprintf(pb, sizeof(pb), "%s/b.json", dir);
	snprintf(db, sizeof(db), "%s/g.db", dir);
	CHECK(test_write_file(pa, plan_a, strlen(plan_a)) == 0);
	CHECK(test_write_file(pb, plan_b, strlen(plan_b)) == 0);
	CHECK_INT(import_rows(dir, db, 0, 120), 0);

	snprintf(out, sizeof(out), "%s/r1", dir);
	CHECK_INT(run(&e, "report", db, out, "--plan", pa, NULL, NULL, NULL),
	    0);
	CHECK(exists(out, "report.json"));

	/* One change later, every kind is refused and writes nothing. */
	CHECK_INT(import_rows(dir, db, 120, 1), 0);
	snprintf(out, sizeof(out), "%s/r2", dir);
	CHECK(run(&e, "report", db, out, "--plan", pa, NULL, NULL, NULL) !=
	    0);
	CHECK(e != NULL && strstr(e, "report 1 of ") != NULL &&
	    strstr(e, "1 change ago") != NULL &&
	    strstr(e, "nothing was written") != NULL);
	CHECK(!exists(out, "report.json"));
	snprintf(out, sizeof(out), "%s/x2", dir);
	CHECK(run(&e, "export", db, out, "--format", "aggregate", "--plan",
	    pa, NULL) != 0);
	CHECK(e != NULL && strstr(e, "report 1 of ") != NULL &&
	    strstr(e, "9 more to go") != NULL);
	CHECK(!exists(out, "tables.json"));
	snprintf(out, sizeof(out), "%s/c2", dir);
	CHECK(run(&e, "export", db, out, "--format", "csv", NULL, NULL,
	    NULL) != 0);
	CHECK(e != NULL && strstr(e, "1 change ago") != NULL);
	CHECK(!exists(out, "data.csv"));
	/* A private run is not a release. */
	snprintf(out, sizeof(out), "%s/p2", dir);
	CHECK_INT(run(&e, "report", db, out, "--plan", pa, "--no-ledger",
	    NULL, NULL), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(m,
	    "header"), "publication")), REPORT_NOT_FOR_PUBLICATION);
	json_decref(m);
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger_release"), 1);

	/* k = 10 changes later: the aggregate export is release 2. */
	CHECK_INT(import_rows(dir, db, 121, 9), 0);
	snprintf(out, sizeof(out), "%s/x3", dir);
	CHECK_INT(run(&e, "export", db, out, "--format", "aggregate", "--plan",
	    pa, NULL), 0);
	CHECK((m = load_json(out, "tables.json")) != NULL);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK(json_integer_value(json_object_get(g, "n_a")) > 0);
	json_decref(m);

	/* The tracker across kinds: plan B's group is one person less. */
	snprintf(out, sizeof(out), "%s/r3", dir);
	CHECK_INT(run(&e, "report", db, out, "--plan", pb, NULL, NULL, NULL),
	    0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK(json_is_null(json_object_get(g, "n_a")));
	w = json_string_value(json_object_get(g, "withheld"));
	CHECK(w != NULL && strstr(w, "refused") != NULL &&
	    strstr(w, "pain_hi") != NULL && strstr(w, "release 2 of ") !=
	    NULL);
	json_decref(m);

	/* The same data: a row-level export may follow at once. */
	snprintf(out, sizeof(out), "%s/c3", dir);
	CHECK_INT(run(&e, "export", db, out, "--format", "csv", NULL, NULL,
	    NULL), 0);
	CHECK(exists(out, "data.csv"));
	snprintf(out, sizeof(out), "%s/c4", dir);
	CHECK_INT(run(&e, "export", db, out, "--format", "csv",
	    "--no-ledger", NULL, NULL), 0);
	snprintf(out, sizeof(out), "%s/c4/deidentification.json", dir);
	CHECK((s = test_read_file(out, &len)) != NULL);
	CHECK(s != NULL && strstr(s, "not for publication") != NULL);
	free(s);
	snprintf(out, sizeof(out), "%s/c3/deidentification.json", dir);
	CHECK((s = test_read_file(out, &len)) != NULL);
	CHECK(s != NULL && strstr(s, "not for publication") == NULL);
	free(s);
	snprintf(out, sizeof(out), "%s/x4", dir);
	CHECK_INT(run(&e, "export", db, out, "--format", "aggregate", "--plan",
	    pb, "--no-ledger"), 0);
	snprintf(out, sizeof(out), "%s/x4/tables.json", dir);
	CHECK((s = test_read_file(out, &len)) != NULL);
	CHECK(s != NULL && strstr(s, "not for publication") != NULL);
	free(s);

	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger_release"), 4);
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger_release WHERE "
	    "release_seq = 1 AND kind = 'report' AND changes_at = 120"), 1);
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger_release WHERE "
	    "release_seq = 2 AND kind = 'aggregate' AND changes_at = 130 AND "
	    "n_rows = 130"), 1);
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger_release WHERE "
	    "release_seq = 3 AND kind = 'report' AND changes_at = 130"), 1);
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger_release WHERE "
	    "release_seq = 4 AND kind = 'rows' AND plan_sha IS NULL"), 1);
	/* Groups: release 1 and 2 each published both sides of theirs;
	 * release 3 withheld its only group. */
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger WHERE release_seq IN "
	    "(1, 2)"), 4);
	CHECK_INT(test_sql_int(db, "SELECT count(*) FROM ledger WHERE release_seq = 3"),
	    0);

	free(e);
	free(form_path);
	test_rmtree(dir);
	return test_done();
}
