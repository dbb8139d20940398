/*
 * Withdrawn means gone. The real collector binary (as --user nobody when
 * the test runs as root) stores three responses to a form with a free-text
 * answer, each with a distinctive note; one is withdrawn. As soon as the
 * withdrawal is answered, and again after a clean stop, its note is in
 * none of the database, its WAL and its SHM, read as raw bytes, while a
 * kept response's note is still found (so the search can fail).
 */
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "client.h"

static const char gone[] = "WITHDRAWN-NOTE-7f3a9c2e51d4";
static const char kept[] = "KEPT-NOTE-b81e0c4f9a27";

/* Consent, then the one page with this note; returns the shown code. */
static char *
submit(struct cl_client *c, const char *note)
{
	struct cl_resp r;
	char *st, *loc, *code = NULL;
	const char *kv[] = {"lang", "en", "consent", "1", "adult", "1",
		"action", "start", "website", "", NULL};

	if (cl_postv(c, "/s/notes", &r, kv) != 0 || r.status != 200) {
		cl_resp_free(&r);
		return NULL;
	}
	st = cl_state(r.body);
	cl_resp_free(&r);
	if (st == NULL)
		return NULL;
	{
		const char *kv2[] = {"state", st, "action", "submit", "pain",
			"3", "note", note, "website", "", NULL};
		cl_postv(c, "/s/notes", &r, kv2);
	}
	free(st);
	loc = r.status == 303 ? cl_header(&r, "Location") : NULL;
	cl_resp_free(&r);
	if (loc != NULL && cl_get(c, loc, &r) == 0 && r.status == 200)
		code = cl_between(r.body, "id=\"receipt-code\">", '<');
	if (loc != NULL)
		cl_resp_free(&r);
	free(loc);
	return code;
}

/* 1 when the bytes are in any of the three files, 0 when in none. */
static int
in_files(const char *db, const char *what)
{
	char p[3][600];
	int i, any = 0;

	snprintf(p[0], sizeof(p[0]), "%s", db);
	snprintf(p[1], sizeof(p[1]), "%s-wal", db);
	snprintf(p[2], sizeof(p[2]), "%s-shm", db);
	for (i = 0; i < 3; i++) {
		if (access(p[i], F_OK) != 0)
			continue;
		int f = test_file_contains(p[i], what, strlen(what));
		CHECK(f >= 0);
		if (f == 1) {
			fprintf(stderr, "privacy_withdrawn: \"%s\" in %s\n", what,
			    p[i]);
			any = 1;
		}
	}
	return any;
}

int
main(void)
{
	struct cl_child ch;
	struct cl_client c;
	struct cl_resp r;
	char dir[256], data[300], db[400], log[300];
	char *code;
	const char *user = NULL;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(data, sizeof(data), "%s/data", dir);
	CL_REQUIRE(mkdir(data, 0700) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", data);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	if (geteuid() == 0) {
		/* As deployed: root starts it, nobody runs it and owns the
		 * data directory. */
		struct passwd *pw = getpwnam("nobody");
		CL_REQUIRE(pw != NULL);
		CL_REQUIRE(chown(data, pw->pw_uid, pw->pw_gid) == 0);
		CL_REQUIRE(chmod(dir, 0755) == 0);
		user = "nobody";
	}
	{
		const char *args[] = {"--form",
			cl_fixture("tests/collector/notes.json", 0), "--db", db,
			"--port", "0", "--min-fill-seconds", "0",
			"--rate-per-minute", "0", user ? "--user" : NULL, user,
			NULL};
		CL_REQUIRE(cl_child_start(&ch, args, log) == 0);
	}
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
	code = submit(&c, "an ordinary note");
	CHECK(code != NULL);
	free(code);
	code = submit(&c, kept);
	CHECK(code != NULL);
	free(code);
	code = submit(&c, gone);
	CHECK(code != NULL);
	CHECK(in_files(db, gone)); /* stored: the search finds it */
	if (code != NULL) {
		const char *kv[] = {"code", code, NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 200);
		cl_resp_free(&r);
	}
	free(code);
	/* While running, once the withdrawal is answered. */
	CHECK(!in_files(db, gone));
	CHECK(in_files(db, kept));
	cl_client_free(&c);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	/* After a clean stop, whoever owns the files. */
	CHECK(!in_files(db, gone));
	CHECK(in_files(db, kept));
	/* The stop compacted the file, sandboxed as it is (no mark left). */
	{
		sqlite3 *sq;
		sqlite3_stmt *st;
		int n = -1;
		CHECK_INT(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL),
		    SQLITE_OK);
		CHECK_INT(sqlite3_prepare_v2(sq, "SELECT count(*) FROM meta "
		    "WHERE key = 'uncompacted'", -1, &st, NULL), SQLITE_OK);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(sq);
		CHECK_INT(n, 0);
	}
	if (test_failures == 0)
		test_rmtree(dir);
	else
		fprintf(stderr, "privacy_withdrawn: files kept in %s\n", dir);
	return test_done();
}
