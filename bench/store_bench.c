/*
 * Benchmark: durable inserts through the group-commit writer against the
 * baseline of one transaction per insert, measured side by side in one run
 * on the same machine. Prints inserts/s for both and the ratio.
 *
 *   build/bin/store_bench [threads=32] [seconds=5] [dir=/tmp]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store.h"
#include "store_writer.h"

static volatile int running;
static struct store_writer *writer;
static pthread_mutex_t solo_mu = PTHREAD_MUTEX_INITIALIZER;
static struct store *solo;

static const char answers[] =
    "{\"age_band\":3,\"sex\":1,\"country\":1,\"wpi_sites\":[3,4,15,16,17],"
    "\"peg_pain\":7,\"peg_enjoy\":6,\"peg_activity\":6,\"kratom_use\":2}";

static void
fill(struct store_response *r)
{
	randombytes_buf(r->id, sizeof(r->id));
	randombytes_buf(r->receipt_hash, sizeof(r->receipt_hash));
	r->form_id = "fibromyalgia-therapies";
	r->form_version = 1;
	r->consent_version = "2026-11-01";
	store_period_now(r->period, 0);
	r->answers = answers;
	r->scores = "{\"peg\":6.333}";
}

static void *
grouped(void *arg)
{
	unsigned long *n = arg;

	while (running) {
		struct store_job job;
		memset(&job, 0, sizeof(job));
		job.kind = STORE_JOB_INSERT;
		fill(&job.resp);
		if (store_writer_run(writer, &job) == STORE_OK)
			(*n)++;
	}
	return NULL;
}

static void *
single(void *arg)
{
	unsigned long *n = arg;

	while (running) {
		struct store_response r;
		fill(&r);
		pthread_mutex_lock(&solo_mu);
		int ok = store_begin(solo) == STORE_OK &&
		    store_insert(solo, &r) == STORE_OK &&
		    store_commit(solo) == STORE_OK;
		pthread_mutex_unlock(&solo_mu);
		if (ok)
			(*n)++;
	}
	return NULL;
}

static double
run(void *(*fn)(void *), int threads, int seconds)
{
	pthread_t th[256];
	unsigned long counts[256] = {0}, total = 0;
	struct timespec a, b;

	running = 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, fn, &counts[i]);
	struct timespec d = {seconds, 0};
	nanosleep(&d, NULL);
	running = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += counts[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)total / ((double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9);
}

int
main(int argc, char *argv[])
{
	int threads = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 32;
	int seconds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	char p1[512], p2[512], err[256];
	struct store *s;

	if (threads < 1 || threads > 256 || seconds < 1 || seconds > 600) {
		fprintf(stderr, "usage: store_bench [threads 1..256] "
		    "[seconds 1..600] [dir]\n");
		return 2;
	}
	snprintf(p1, sizeof(p1), "%s/candor-bench-group.db", dir);
	snprintf(p2, sizeof(p2), "%s/candor-bench-single.db", dir);
	remove(p1);
	remove(p2);
	if (store_open(p1, STORE_RDWR, &s, err, sizeof(err)) != STORE_OK ||
	    store_writer_start(s, 1024, &writer) != STORE_OK ||
	    store_open(p2, STORE_RDWR, &solo, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_bench: %s\n", err);
		return 1;
	}
	double g = run(grouped, threads, seconds);
	double one = run(single, threads, seconds);
	store_writer_stop(writer);
	store_close(solo);
	printf("threads %d, %d s each, WAL + synchronous=FULL\n", threads,
	    seconds);
	printf("one transaction per insert (baseline): %10.0f inserts/s\n", one);
	printf("group commit writer:                   %10.0f inserts/s\n", g);
	printf("ratio group/baseline:                  %10.2f\n", g / one);
	remove(p1);
	remove(p2);
	return 0;
}
