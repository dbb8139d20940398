/*
 * Many submitter threads through one writer: every job completes with OK,
 * every row is stored once, and batches really group several jobs.
 */
#include <pthread.h>

#include "helpers.h"
#include "store_writer.h"

#define THREADS 8
#define PER_THREAD 200

static struct store_writer *w;

static void *
submitter(void *arg)
{
	unsigned base = (unsigned)(size_t)arg * PER_THREAD;

	for (unsigned i = 0; i < PER_THREAD; i++) {
		struct store_job job;
		memset(&job, 0, sizeof(job));
		job.kind = STORE_JOB_INSERT;
		make_response(&job.resp, base + i);
		if (store_writer_run(w, &job) != STORE_OK)
			return (void *)1;
	}
	return NULL;
}

int
main(void)
{
	struct tdb t;
	pthread_t th[THREADS];
	struct store_writer_stats st;

	tdb_init(&t);
	CHECK_INT(store_writer_start(tdb_open(&t, STORE_RDWR), 64, &w), STORE_OK);
	for (size_t i = 0; i < THREADS; i++)
		CHECK_INT(pthread_create(&th[i], NULL, submitter, (void *)i), 0);
	for (size_t i = 0; i < THREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		CHECK(ret == NULL);
	}
	store_writer_stats(w, &st);
	CHECK_INT(st.jobs, THREADS * PER_THREAD);
	CHECK_INT(st.failures, 0);
	CHECK(st.commits <= st.jobs);
	CHECK_INT(store_writer_depth(w), 0);
	store_writer_stop(w);

	struct store *s = tdb_open(&t, STORE_RDONLY);
	CHECK_INT(tdb_count(s), THREADS * PER_THREAD);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
