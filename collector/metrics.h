/*
 * Counters for GET /metrics (Prometheus text format 0.0.4). Counters are
 * lock-free atomics bumped from any thread; nothing here knows anything
 * about a respondent, only how many things of each kind happened.
 */
#ifndef CANDOR_COLLECTOR_METRICS_H
#define CANDOR_COLLECTOR_METRICS_H

#include <stdatomic.h>

#include "html.h"
#include "store_writer.h"

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

struct metrics {
	atomic_ullong c[MET__MAX];
	atomic_ullong rej[REJ__MAX];
};

void metrics_init(struct metrics *m);
void metrics_count(struct metrics *m, enum metrics_counter c);
void metrics_reject(struct metrics *m, enum metrics_reason r);
const char *metrics_reason_name(enum metrics_reason r);
/*
 * Write the exposition text, with the writer's queue depth and statistics
 * when w is not NULL.
 */
void metrics_render(const struct metrics *m, size_t depth,
    const struct store_writer_stats *st, struct html *out);

#endif
