/*
 * The collector's metrics (Prometheus text format 0.0.4), served only on
 * the loopback admin listener (http.c), and the rule that keeps them from
 * timing anyone.
 *
 * A stored row keeps only its period (UTC day, or month), so a metric that
 * moves when a response is stored would tell its second. Hence:
 *
 *  - PUB_PERIOD. What counts respondents' actions (submissions,
 *    withdrawals, drafts saved and resumed, pages, the validation failures
 *    and refusals of the patient flow, the writer's commits and jobs) is
 *    published as its value at the end of the last completed period: UTC
 *    day, or UTC month when every served form stores months. Within one
 *    period every scrape gives the same numbers, whatever happens.
 *  - PUB_WINDOW. Errors (failed writes, commit failures) are published as
 *    their value at the end of the last completed METRICS_WINDOW_SECONDS
 *    window, so an operator hears of them within minutes; the commit
 *    latency quantiles of that window are published only when it held at
 *    least METRICS_WINDOW_MIN_COMMITS commits, since a window of one commit
 *    would give that commit's time, and are absent otherwise.
 *  - PUB_LIVE. Refusals whose movement cannot tell when a respondent stored
 *    or withdrew a response (crafted requests, flooding, bots) are live.
 *
 * Gauges that move with a single submission (queue depth, connections in
 * flight) are not published at all. The per-counter decision, with its
 * reason, is the table in metrics.c and docs/collector.md.
 *
 * Periods and windows move lazily: every count, every scrape and every
 * storage job queued (metrics_tick) first closes whatever period or window
 * ended since the last one, so a published value is exactly the count of
 * the events before that boundary. Counts start at 0 when the collector
 * starts. Everything is guarded by one mutex; metrics_* may be called from
 * any thread, but never while holding the collector's writer lock (the
 * roll takes it through sample()).
 */
#ifndef CANDOR_COLLECTOR_METRICS_H
#define CANDOR_COLLECTOR_METRICS_H

#include <pthread.h>

#include "html.h"
#include "store_writer.h"

#define METRICS_WINDOW_SECONDS 600    /* the error and latency window */
#define METRICS_WINDOW_MIN_COMMITS 20 /* fewer: no latency for the window */

/* Why a request was turned away; the label values of rejections_total. */
enum metrics_reason {
	REJ_NO_CONSENT,      /* consent or 18+ box not ticked */
	REJ_TOO_FAST,        /* submitted before the minimum fill time */
	REJ_HONEYPOT,        /* the hidden field was filled in */
	REJ_UNKNOWN_FIELD,   /* a field name the page does not have */
	REJ_TOO_MANY_FIELDS, /* field-count cap */
	REJ_BODY_TOO_BIG,    /* body-size cap */
	REJ_BAD_STATE,       /* sealed state tampered with or malformed */
	REJ_EXPIRED_STATE,   /* state for a form version no longer served */
	REJ_TOKEN_REUSED,    /* start token already used by a submission */
	REJ_RATE_LIMITED,    /* per-address token bucket empty */
	REJ_BAD_REQUEST,     /* malformed request: encoding, method, value */
	REJ_STORAGE,         /* the database failed; nothing stored */
	REJ_WINDOW,          /* outside the study window (form.h) */
	REJ__MAX
};

enum metrics_counter {
	MET_SUBMISSIONS, /* responses stored */
	MET_DRAFTS,      /* drafts saved */
	MET_RESUMES,     /* drafts restored */
	MET_WITHDRAWALS, /* responses withdrawn */
	MET_PAGES,       /* survey pages served */
	MET_VALIDATION,  /* pages re-shown with validation errors */
	MET__MAX
};

/* When a value is published (see above). */
enum metrics_pub {
	PUB_LIVE,   /* as it happens */
	PUB_WINDOW, /* at the end of each window */
	PUB_PERIOD, /* at the end of each period */
	PUB__MAX
};

struct metrics_opts {
	/* Seconds since the epoch; NULL: time(). Tests step it. */
	long long (*clock)(void *arg);
	void *clock_arg;
	int month; /* 1: periods are UTC months; 0: UTC days */
	/*
	 * Reads the writer's statistics into st; returns 0 when there is no
	 * writer (stopping). NULL: no writer figures.
	 */
	int (*sample)(void *arg, struct store_writer_stats *st);
	void *sample_arg;
};

struct metrics {
	pthread_mutex_t mu;
	struct metrics_opts o;
	long long period, window;         /* keys of the current ones */
	long long period_end, window_end; /* their starts, in epoch seconds */
	unsigned long long c[MET__MAX], rej[REJ__MAX];         /* counted */
	unsigned long long c_pub[MET__MAX], rej_pub[REJ__MAX]; /* published */
	struct store_writer_stats w_start; /* writer when the window opened */
	unsigned long long commits_pub, jobs_pub, failures_pub;
	int lat_have;   /* the last completed window had enough commits */
	double lat[3];  /* its p50, p90, p99 in milliseconds */
};

/*
 * Start with every count at 0 and the current period and window open.
 * Returns 0, or -1 when the mutex cannot be made (m is then unusable and
 * needs no metrics_free). o is copied.
 */
int metrics_init(struct metrics *m, const struct metrics_opts *o);
void metrics_free(struct metrics *m);
void metrics_count(struct metrics *m, enum metrics_counter c);
void metrics_reject(struct metrics *m, enum metrics_reason r);
/*
 * Close the period or window that ended, if any. Call it before queueing a
 * storage job, so the writer's figures taken at the boundary hold no job
 * queued after it.
 */
void metrics_tick(struct metrics *m);
const char *metrics_reason_name(enum metrics_reason r);
/* When a counter or a reason is published (for docs and tests). */
enum metrics_pub metrics_counter_pub(enum metrics_counter c);
enum metrics_pub metrics_reason_pub(enum metrics_reason r);
/* Write the exposition text of the published values into out. */
void metrics_expose(struct metrics *m, struct html *out);
/*
 * The same, under the old signature: depth and st are ignored, and m must
 * point to a struct metrics that is not itself const (its lock is taken).
 * Only survey.c's handler of ROUTE_METRICS calls it, and no public path
 * reaches that route any more.
 */
void metrics_render(const struct metrics *m, size_t depth,
    const struct store_writer_stats *st, struct html *out);

#endif
