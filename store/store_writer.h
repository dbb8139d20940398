/*
 * The single writer thread with group commit. Submitters enqueue jobs; the
 * writer takes every job queued so far (up to a batch cap), runs them in one
 * transaction, commits, and only then completes each job with its own
 * result. A job is never completed before the commit that holds it has
 * returned, so an acknowledged response is on disk (WAL, synchronous=FULL).
 *
 * When the commit fails the whole batch is rolled back and every job in it
 * gets the error: nothing of a failed batch is stored.
 */
#ifndef CANDOR_STORE_WRITER_H
#define CANDOR_STORE_WRITER_H

#include <pthread.h>
#include <stddef.h>

#include "store.h"

enum store_job_kind {
	STORE_JOB_INSERT,  /* store_insert(), or store_submit() with a token */
	STORE_JOB_WITHDRAW,
	STORE_JOB_FIND,    /* store_response_find(): out_form, out_period */
	STORE_JOB_DRAFT_PUT,
	STORE_JOB_DRAFT_GET,
	STORE_JOB_DRAFT_DELETE,
	STORE_JOB_DRAFT_SWEEP, /* delete drafts expired before date */
	STORE_JOB_AUDIT,   /* append audit */
	STORE_JOB_RELEASE, /* insert release; sets release.seq, .sha256 (and
	                    * records ledger when set) */
	STORE_JOB_AUDIT_FAIL, /* count a failed API call (audit) */
	STORE_JOB__MAX
};

struct store_job {
	enum store_job_kind kind;
	struct store_response resp; /* INSERT */
	/*
	 * INSERT from the collector: the start token's keyed hash, spent in
	 * the same savepoint (has_token), kept until date; and the draft to
	 * delete with it (has_draft, hash).
	 */
	int has_token, has_draft;
	unsigned char token_hash[STORE_HASH_LEN];
	unsigned char hash[STORE_HASH_LEN]; /* WITHDRAW, DRAFT_* */
	/*
	 * WITHDRAW: forms whose responses are kept (final data); borrowed,
	 * alive until done(). out_form: the form of the response found.
	 */
	const char *const *keep_forms;
	size_t nkeep;
	char out_form[STORE_FORM_ID_MAX + 1];
	char out_period[11];   /* FIND */
	const char *form_id;   /* DRAFT_PUT */
	const char *date;      /* DRAFT_PUT, INSERT: expiry; DRAFT_GET, _SWEEP: today */
	const void *state;     /* DRAFT_PUT */
	size_t state_len;
	void *out_state;       /* DRAFT_GET result, malloc'd; caller frees */
	size_t out_len;
	int out_scheme;        /* DRAFT_GET: enum store_draft_scheme */
	struct store_audit audit;     /* AUDIT */
	struct store_release release; /* RELEASE: body owned by the caller */
	/*
	 * RELEASE with ledger set: also record it in the release ledger
	 * (store_ledger_record(), with generation), in the same savepoint,
	 * so a release is served only once it is in both.
	 */
	struct store_ledger_release *ledger;
	struct store_ledger *ledger_groups;
	size_t ledger_ngroups;
	long long ledger_generation;
	int rc;                /* result, set before done() is called */
	/*
	 * Called on the writer thread after the commit (or the failure). It
	 * must be short and must not block: resume a connection, signal a
	 * condition variable. NULL for store_writer_run().
	 */
	void (*done)(struct store_job *job, void *arg);
	void *arg;
	struct store_job *next; /* queue link, owned by the writer */
};

struct store_writer;

/*
 * The writer takes ownership of s and closes it in store_writer_stop().
 * After every commit that withdrew a response or deleted a draft it empties
 * the WAL (store_checkpoint), retrying each second while a reader holds an
 * older snapshot; at stop, when anything was written, it compacts the file
 * (store_compact) so no order of submission is left in its layout.
 */
int store_writer_start(struct store *s, size_t max_batch,
    struct store_writer **out);
/*
 * Queue a job; done() runs later on the writer thread. Returns STORE_ERR
 * (and does not queue) once the writer is stopping.
 */
int store_writer_enqueue(struct store_writer *w, struct store_job *job);
/* Queue a job and wait for its result; returns job->rc. */
int store_writer_run(struct store_writer *w, struct store_job *job);
/*
 * The same in steps, for callers that enqueue under a lock of their own:
 * store_waiter_init() sets job's done() and arg; after a successful
 * store_writer_enqueue(), store_waiter_wait() blocks until the job is
 * complete and returns job->rc; after a failed one, store_waiter_destroy().
 */
struct store_waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
};
void store_waiter_init(struct store_waiter *wt, struct store_job *job);
int store_waiter_wait(struct store_waiter *wt, struct store_job *job);
void store_waiter_destroy(struct store_waiter *wt);
/* Jobs queued and not yet completed. */
size_t store_writer_depth(struct store_writer *w);
/* Statistics for /metrics. */
struct store_writer_stats {
	unsigned long long commits, jobs, failures;
	/* commit latency histogram, milliseconds: <=1,2,5,10,25,50,100,250,+Inf */
	unsigned long long lat_bucket[9];
	double lat_sum_ms;
};
void store_writer_stats(struct store_writer *w, struct store_writer_stats *st);
/* Finish every queued job, stop the thread, close the store, free w. */
void store_writer_stop(struct store_writer *w);

#endif
