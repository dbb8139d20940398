/*
 * Privacy: a whole flow (consent, a draft, a submission, a withdrawal of
 * another response) with a unique User-Agent and Referer, from 127.0.0.1,
 * against a collector run as a child process. Afterwards neither the client
 * address nor those header values may appear anywhere in the database file,
 * its WAL or the collector's log.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static const char ua[] = "CandorPrivacyProbe/7.3 (unique-ua-5f2c9e71)";
static const char ref[] = "https://referrer.example/unique-ref-a81d";

static void
absent_from(const char *path, const char *what, size_t n)
{
	int found = test_file_contains(path, what, n);

	if (found == 1)
		fprintf(stderr, "privacy_bad: \"%.*s\" found in %s\n", (int)n,
		    what, path);
	CHECK(found != 1);
}

int
main(void)
{
	struct cl_child ch;
	struct cl_client c;
	struct cl_resp r;
	char dir[256], db[300], wal[310], log[300], fport[16];
	char *code, *st;
	const char *paths[3];
	size_t i;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	{
		const char *args[] = {"--form",
			cl_fixture("tests/collector/mini.json", 0), "--db", db,
			"--bind", "127.0.0.1", "--port", "0",
			"--min-fill-seconds", "0", "--rate-per-minute", "0",
			NULL};
		CL_REQUIRE(cl_child_start(&ch, args, log) == 0);
	}
	snprintf(fport, sizeof(fport), "%u", ch.port);
	CL_REQUIRE(cl_client_init(&c, ch.port) == 0);
	c.user_agent = ua;
	c.referer = ref;

	cl_get(&c, "/s/mini", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	/* A draft, stored in the drafts table. */
	st = cl_mini_to_last(&c, "en");
	CHECK(st != NULL);
	{
		const char *kv[] = {"state", st, "action", "save", NULL};
		cl_postv(&c, "/s/mini", &r, kv);
		CHECK_INT(r.status, 200);
		cl_resp_free(&r);
	}
	free(st);
	/* Two submissions; one withdrawn. */
	code = cl_mini_full(&c);
	CHECK(code != NULL);
	free(code);
	code = cl_mini_full(&c);
	CHECK(code != NULL);
	if (code != NULL) {
		const char *kv[] = {"code", code, NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 200);
		cl_resp_free(&r);
	}
	free(code);
	/* A refused request too: refusals are not logged with client data. */
	cl_mini_submit(&c, "tampered", &r);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);

	/* Look while running (WAL present) and after a clean stop. */
	paths[0] = db;
	paths[1] = wal;
	paths[2] = log;
	for (i = 0; i < 3; i++) {
		absent_from(paths[i], "127.0.0.1", 9);
		absent_from(paths[i], ua, strlen(ua));
		absent_from(paths[i], ref, strlen(ref));
		absent_from(paths[i], "unique-ua-5f2c9e71", 18);
	}
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	for (i = 0; i < 3; i++) {
		absent_from(paths[i], "127.0.0.1", 9);
		absent_from(paths[i], ua, strlen(ua));
		absent_from(paths[i], ref, strlen(ref));
		/* Not even the client's port number as text in the log. */
	}
	/*
	 * The search works: the row is in the database, or still in the WAL
	 * if the checkpoint at close did not move it.
	 */
	CHECK(test_file_contains(db, "mini", 4) == 1 ||
	    test_file_contains(wal, "mini", 4) == 1);

	cl_client_free(&c);
	test_rmtree(dir);
	return test_done();
}
