/*
 * SIGTERM while submissions are in flight: the collector stops accepting,
 * finishes and answers what was queued, closes the database cleanly and
 * exits 0. Every submission that was answered 303 is in the database, and
 * the file passes PRAGMA integrity_check.
 */
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"

#define NTHREADS 8
#define PER_THREAD 6

struct worker {
	unsigned port;
	int acked;       /* 303 received */
	int failed;      /* connection refused/reset after the stop */
	int other;       /* any other status */
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct cl_client c;
	struct cl_resp r;
	int i;

	if (cl_client_init(&c, w->port) != 0)
		return NULL;
	for (i = 0; i < PER_THREAD; i++) {
		char *st = cl_mini_to_last(&c, "en");
		if (st == NULL) {
			w->failed++;
			continue;
		}
		if (cl_mini_submit(&c, st, &r) != 0)
			w->failed++;
		else if (r.status == 303)
			w->acked++;
		else if (r.status == 503)
			w->failed++; /* stopping: clearly nothing stored */
		else
			w->other++;
		cl_resp_free(&r);
		free(st);
	}
	cl_client_free(&c);
	return NULL;
}

int
main(void)
{
	struct cl_child ch;
	char dir[256], db[300], log[300];
	pthread_t th[NTHREADS];
	struct worker w[NTHREADS];
	struct timespec pause = {0, 30 * 1000 * 1000};
	int i, acked = 0, other = 0, started = 0;
	long rows;
	sqlite3 *sq = NULL;
	sqlite3_stmt *stmt = NULL;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	{
		const char *args[] = {"--form",
			cl_fixture("tests/collector/mini.json", 0), "--db", db,
			"--port", "0", "--min-fill-seconds", "0",
			"--rate-per-minute", "0", NULL};
		CL_REQUIRE(cl_child_start(&ch, args, log) == 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].port = ch.port;
		if (pthread_create(&th[i], NULL, worker_run, &w[i]) == 0)
			started++;
	}
	CL_REQUIRE(started == NTHREADS);
	/* Let some submissions through, then stop in the middle of the rest. */
	nanosleep(&pause, NULL);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		acked += w[i].acked;
		other += w[i].other;
	}
	CHECK_INT(other, 0);
	rows = cl_count_rows(db, "mini");
	fprintf(stderr, "acknowledged %d, stored %ld\n", acked, rows);
	/* Never acknowledged without being stored. */
	CHECK(rows >= acked);
	CHECK(rows >= 0);

	CHECK_INT(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(sq, "PRAGMA integrity_check", -1, &stmt,
	    NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(stmt, 0), "ok");
	sqlite3_finalize(stmt);
	sqlite3_close(sq);
	CHECK(test_file_contains(log, "stopped cleanly", 15) == 1);

	test_rmtree(dir);
	return test_done();
}
