/*
 * A submitter is released only after its commit: when done() runs, a
 * second, independent connection already sees the row. Also: a job that
 * fails alone (duplicate receipt) does not sink its batch-mates.
 */
#include <pthread.h>

#include "helpers.h"
#include "store_writer.h"

#define JOBS 300

static struct tdb t;
static struct store *reader;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int completed, visible_at_done;

struct check {
	struct store_job job;
};

static int
find_id(const struct store_row *row, void *arg)
{
	return memcmp(row->id, arg, STORE_ID_LEN) == 0 ? 2 : 0;
}

static void
done(struct store_job *job, void *arg)
{
	(void)arg;
	/* Runs on the writer thread, after COMMIT returned. */
	pthread_mutex_lock(&mu);
	if (job->rc == STORE_OK &&
	    store_foreach(reader, NULL, find_id, job->resp.id) == 2)
		visible_at_done++;
	completed++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

int
main(void)
{
	static struct check jobs[JOBS];
	struct store_writer *w;
	struct store_job dup, ok;

	tdb_init(&t);
	CHECK_INT(store_writer_start(tdb_open(&t, STORE_RDWR), 32, &w), STORE_OK);
	reader = tdb_open(&t, STORE_RDONLY);
	for (unsigned i = 0; i < JOBS; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].job.kind = STORE_JOB_INSERT;
		make_response(&jobs[i].job.resp, i);
		jobs[i].job.done = done;
		CHECK_INT(store_writer_enqueue(w, &jobs[i].job), STORE_OK);
	}
	pthread_mutex_lock(&mu);
	while (completed < JOBS)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	CHECK_INT(visible_at_done, JOBS);

	/* Same receipt hash as job 0: refused alone; the next job is stored. */
	memset(&dup, 0, sizeof(dup));
	dup.kind = STORE_JOB_INSERT;
	make_response(&dup.resp, 0);
	memset(&ok, 0, sizeof(ok));
	ok.kind = STORE_JOB_INSERT;
	make_response(&ok.resp, 100000);
	CHECK(store_writer_run(w, &dup) != STORE_OK);
	CHECK_INT(store_writer_run(w, &ok), STORE_OK);
	CHECK_INT(tdb_count(reader), JOBS + 1);

	/* Withdraw by receipt hash; a second time finds nothing. */
	struct store_job wd;
	memset(&wd, 0, sizeof(wd));
	wd.kind = STORE_JOB_WITHDRAW;
	memcpy(wd.hash, jobs[5].job.resp.receipt_hash, STORE_HASH_LEN);
	CHECK_INT(store_writer_run(w, &wd), STORE_OK);
	CHECK_INT(store_writer_run(w, &wd), STORE_NOTFOUND);
	CHECK_INT(tdb_count(reader), JOBS);

	store_writer_stop(w);
	/* After stop, nothing more is accepted (w is freed: check on a new one). */
	store_close(reader);
	test_rmtree(t.dir);
	return test_done();
}
