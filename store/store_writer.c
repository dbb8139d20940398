/*
 * The writer thread (store_writer.h). Jobs wait in a FIFO guarded by one
 * mutex; the thread swaps out everything queued (up to max_batch), runs the
 * batch in one IMMEDIATE transaction and commits. Only after COMMIT has
 * returned are the jobs completed, so done() always reports durable
 * state. A job that fails on its own (a duplicate receipt, say) does not
 * sink the batch: it runs under a savepoint that is rolled back alone.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_writer.h"

struct store_writer {
	struct store *s;
	size_t max_batch;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	struct store_job *head, *tail;
	size_t depth; /* queued + in the running batch */
	int stopping;
	int wrote;        /* something was committed since start */
	int ckpt_pending; /* a committed deletion may still be in the WAL */
	struct store_writer_stats st;
};

/* A synchronous waiter for store_writer_run(). */
static const double lat_bounds[8] = {1, 2, 5, 10, 25, 50, 100, 250};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
run_job(struct store *s, struct store_job *j)
{
	switch (j->kind) {
	case STORE_JOB_INSERT:
		if (j->has_token)
			return store_submit(s, &j->resp, j->token_hash, j->date,
			    j->has_draft ? j->hash : NULL);
		return store_insert(s, &j->resp);
	case STORE_JOB_WITHDRAW:
		if (j->nkeep > 0)
			return store_withdraw_unless(s, j->hash, j->keep_forms,
			    j->nkeep, j->out_form);
		return store_withdraw(s, j->hash);
	case STORE_JOB_FIND:
		return store_response_find(s, j->hash, j->out_form,
		    j->out_period);
	case STORE_JOB_DRAFT_PUT:
		return store_draft_put(s, j->hash, j->form_id, j->date,
		    j->state, j->state_len);
	case STORE_JOB_DRAFT_GET:
		return store_draft_get(s, j->hash, j->date, &j->out_state,
		    &j->out_len, &j->out_scheme);
	case STORE_JOB_DRAFT_DELETE:
		return store_draft_delete(s, j->hash);
	case STORE_JOB_DRAFT_SWEEP:
		return store_draft_sweep(s, j->date);
	case STORE_JOB_AUDIT:
		return store_audit_append(s, &j->audit);
	case STORE_JOB_RELEASE:
		if (j->ledger != NULL) {
			int rc = store_ledger_record(s, j->ledger,
			    j->ledger_groups, j->ledger_ngroups,
			    j->ledger_generation);
			if (rc != STORE_OK)
				return rc;
		}
		return store_release_insert(s, &j->release);
	case STORE_JOB_AUDIT_FAIL:
		return store_audit_fail(s, j->audit.day, j->audit.endpoint,
		    j->audit.status);
	default:
		return STORE_ERR;
	}
}

/* Did this job delete something that must not stay in the WAL? */
static int
deletes(const struct store_job *j)
{
	return (j->kind == STORE_JOB_WITHDRAW && j->rc == STORE_OK) ||
	    j->kind == STORE_JOB_DRAFT_DELETE ||
	    j->kind == STORE_JOB_DRAFT_SWEEP ||
	    (j->kind == STORE_JOB_INSERT && j->has_draft && j->rc == STORE_OK);
}

static void
run_batch(struct store_writer *w, struct store_job *batch)
{
	struct store_job *j, *next;
	double t0 = now_ms();
	int rc, del = 0;

	rc = store_begin(w->s);
	if (rc == STORE_OK && !w->wrote)
		rc = store_mark_uncompacted(w->s);
	if (rc == STORE_OK) {
		for (j = batch; j != NULL; j = j->next) {
			if (store_savepoint(w->s) != STORE_OK) {
				j->rc = STORE_ERR;
				continue;
			}
			j->rc = run_job(w->s, j);
			/* NOTFOUND changes nothing; keep it. Errors undo
			 * the job's own changes only. */
			if (j->rc != STORE_OK && j->rc != STORE_NOTFOUND &&
			    store_rollback_to(w->s) != STORE_OK)
				rc = j->rc;
			if (store_release(w->s) != STORE_OK &&
			    rc == STORE_OK)
				rc = STORE_ERR;
			/* A full disk or I/O error may have ended the
			 * transaction: the rest of the batch cannot go on. */
			if (!store_in_transaction(w->s)) {
				rc = j->rc != STORE_OK ? j->rc : STORE_ERR;
				break;
			}
		}
		if (rc == STORE_OK)
			rc = store_commit(w->s);
		if (rc != STORE_OK)
			store_rollback(w->s);
	}
	if (rc == STORE_OK) {
		w->wrote = 1;
		for (j = batch; j != NULL; j = j->next)
			del |= deletes(j);
		if (del)
			w->ckpt_pending = 1;
	}
	/*
	 * Empty the WAL before anyone is told the deletion is done, so an
	 * acknowledged withdrawal is in no file. A reader in an older
	 * snapshot makes it wait for the retry in writer_main().
	 */
	if (w->ckpt_pending && store_checkpoint(w->s) == STORE_OK)
		w->ckpt_pending = 0;
	double ms = now_ms() - t0;
	pthread_mutex_lock(&w->mu);
	w->st.commits++;
	if (rc != STORE_OK)
		w->st.failures++;
	size_t b = 0;
	while (b < 8 && ms > lat_bounds[b])
		b++;
	w->st.lat_bucket[b]++;
	w->st.lat_sum_ms += ms;
	pthread_mutex_unlock(&w->mu);
	/* Only now, after COMMIT returned, release the submitters. */
	for (j = batch; j != NULL; j = next) {
		next = j->next;
		if (rc != STORE_OK) {
			j->rc = rc;
			if (j->out_state != NULL) {
				free(j->out_state);
				j->out_state = NULL;
				j->out_len = 0;
			}
		}
		pthread_mutex_lock(&w->mu);
		w->st.jobs++;
		w->depth--;
		pthread_mutex_unlock(&w->mu);
		j->done(j, j->arg);
	}
}

static void *
writer_main(void *arg)
{
	struct store_writer *w = arg;

	for (;;) {
		struct store_job *batch, *last;
		size_t n = 1;

		pthread_mutex_lock(&w->mu);
		while (w->head == NULL && !w->stopping) {
			if (!w->ckpt_pending) {
				pthread_cond_wait(&w->wake, &w->mu);
				continue;
			}
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			if (pthread_cond_timedwait(&w->wake, &w->mu, &ts) != 0 &&
			    w->head == NULL && !w->stopping) {
				pthread_mutex_unlock(&w->mu);
				if (store_checkpoint(w->s) == STORE_OK)
					w->ckpt_pending = 0;
				pthread_mutex_lock(&w->mu);
			}
		}
		if (w->head == NULL) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		batch = last = w->head;
		while (last->next != NULL && n < w->max_batch) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (w->head == NULL)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch);
	}
	return NULL;
}

int
store_writer_start(struct store *s, size_t max_batch, struct store_writer **out)
{
	struct store_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL)
		return STORE_NOMEM;
	/*
	 * A file a crash left in submission order is rebuilt first. Best
	 * effort (a full disk cannot hold the copy): the mark stays, and the
	 * next start or clean stop tries again.
	 */
	(void)store_compact_pending(s);
	w->s = s;
	w->max_batch = max_batch ? max_batch : 256;
	if (pthread_mutex_init(&w->mu, NULL) != 0) {
		free(w);
		return STORE_ERR;
	}
	if (pthread_cond_init(&w->wake, NULL) != 0) {
		pthread_mutex_destroy(&w->mu);
		free(w);
		return STORE_ERR;
	}
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return STORE_ERR;
	}
	*out = w;
	return STORE_OK;
}

int
store_writer_enqueue(struct store_writer *w, struct store_job *job)
{
	job->next = NULL;
	job->rc = STORE_ERR;
	job->out_state = NULL;
	job->out_len = 0;
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		return STORE_ERR;
	}
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	w->depth++;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	return STORE_OK;
}

static void
waiter_done(struct store_job *job, void *arg)
{
	struct store_waiter *wt = arg;

	(void)job;
	pthread_mutex_lock(&wt->mu);
	wt->done = 1;
	pthread_cond_signal(&wt->cv);
	pthread_mutex_unlock(&wt->mu);
}

void
store_waiter_init(struct store_waiter *wt, struct store_job *job)
{
	pthread_mutex_init(&wt->mu, NULL);
	pthread_cond_init(&wt->cv, NULL);
	wt->done = 0;
	job->done = waiter_done;
	job->arg = wt;
}

int
store_waiter_wait(struct store_waiter *wt, struct store_job *job)
{
	pthread_mutex_lock(&wt->mu);
	while (!wt->done)
		pthread_cond_wait(&wt->cv, &wt->mu);
	pthread_mutex_unlock(&wt->mu);
	store_waiter_destroy(wt);
	return job->rc;
}

void
store_waiter_destroy(struct store_waiter *wt)
{
	pthread_cond_destroy(&wt->cv);
	pthread_mutex_destroy(&wt->mu);
}

int
store_writer_run(struct store_writer *w, struct store_job *job)
{
	struct store_waiter wt;
	int rc;

	store_waiter_init(&wt, job);
	if ((rc = store_writer_enqueue(w, job)) != STORE_OK) {
		store_waiter_destroy(&wt);
		return rc;
	}
	return store_waiter_wait(&wt, job);
}

size_t
store_writer_depth(struct store_writer *w)
{
	size_t d;

	pthread_mutex_lock(&w->mu);
	d = w->depth;
	pthread_mutex_unlock(&w->mu);
	return d;
}

void
store_writer_stats(struct store_writer *w, struct store_writer_stats *st)
{
	pthread_mutex_lock(&w->mu);
	*st = w->st;
	pthread_mutex_unlock(&w->mu);
}

void
store_writer_stop(struct store_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	/* The thread drains the queue before it sees `stopping`. */
	pthread_join(w->thread, NULL);
	if (w->wrote)
		(void)store_compact(w->s); /* best effort: data is safe */
	else if (w->ckpt_pending)
		(void)store_checkpoint(w->s);
	store_close(w->s);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
