/*
 * Metrics (metrics.h). The exposition is written through the escaping
 * writer like every other body; metric names and labels are literals and
 * the values numbers, so nothing actually needs escaping.
 */
#include "metrics.h"

static const char *const metrics_reasons[REJ__MAX] = {
	"no_consent",      /* REJ_NO_CONSENT */
	"too_fast",        /* REJ_TOO_FAST */
	"honeypot",        /* REJ_HONEYPOT */
	"unknown_field",   /* REJ_UNKNOWN_FIELD */
	"too_many_fields", /* REJ_TOO_MANY_FIELDS */
	"body_too_big",    /* REJ_BODY_TOO_BIG */
	"bad_state",       /* REJ_BAD_STATE */
	"expired_state",   /* REJ_EXPIRED_STATE */
	"token_reused",    /* REJ_TOKEN_REUSED */
	"rate_limited",    /* REJ_RATE_LIMITED */
	"bad_request",     /* REJ_BAD_REQUEST */
	"storage_error",   /* REJ_STORAGE */
};

static const struct {
	const char *name;
	const char *help;
} metrics_counters[MET__MAX] = {
	{"candor_submissions_total", "Responses stored durably."},
	{"candor_drafts_saved_total", "Drafts saved for later."},
	{"candor_drafts_resumed_total", "Drafts restored from a resume code."},
	{"candor_withdrawals_total", "Responses withdrawn with a receipt code."},
	{"candor_pages_total", "Survey pages served."},
	{"candor_validation_errors_total", "Pages shown again with errors."},
};

void
metrics_init(struct metrics *m)
{
	size_t i;

	for (i = 0; i < MET__MAX; i++)
		atomic_init(&m->c[i], 0);
	for (i = 0; i < REJ__MAX; i++)
		atomic_init(&m->rej[i], 0);
}

void
metrics_count(struct metrics *m, enum metrics_counter c)
{
	atomic_fetch_add(&m->c[c], 1);
}

void
metrics_reject(struct metrics *m, enum metrics_reason r)
{
	atomic_fetch_add(&m->rej[r], 1);
}

const char *
metrics_reason_name(enum metrics_reason r)
{
	return r < REJ__MAX ? metrics_reasons[r] : "unknown";
}

static void
metrics_ull(struct html *out, unsigned long long v)
{
	/* Counters stay far below LONG_MAX in practice; clamp defensively. */
	html_long(out, v > (unsigned long long)0x7fffffffffffffffLL
	    ? 0x7fffffffffffffffL : (long)v);
}

void
metrics_render(const struct metrics *m, size_t depth,
    const struct store_writer_stats *st, struct html *out)
{
	static const char *const le[9] = {"1", "2", "5", "10", "25", "50",
		"100", "250", "+Inf"};
	size_t i;
	unsigned long long cum = 0;

	for (i = 0; i < MET__MAX; i++) {
		html_lit(out, "# HELP ");
		html_lit(out, metrics_counters[i].name);
		html_lit(out, " ");
		html_lit(out, metrics_counters[i].help);
		html_lit(out, "\n# TYPE ");
		html_lit(out, metrics_counters[i].name);
		html_lit(out, " counter\n");
		html_lit(out, metrics_counters[i].name);
		html_lit(out, " ");
		metrics_ull(out, atomic_load(&m->c[i]));
		html_lit(out, "\n");
	}
	html_lit(out, "# HELP candor_rejections_total Requests turned away, by "
	    "reason.\n# TYPE candor_rejections_total counter\n");
	for (i = 0; i < REJ__MAX; i++) {
		html_lit(out, "candor_rejections_total{reason=\"");
		html_lit(out, metrics_reasons[i]);
		html_lit(out, "\"} ");
		metrics_ull(out, atomic_load(&m->rej[i]));
		html_lit(out, "\n");
	}
	html_lit(out, "# HELP candor_queue_depth Storage jobs queued and not "
	    "yet committed.\n# TYPE candor_queue_depth gauge\n"
	    "candor_queue_depth ");
	metrics_ull(out, depth);
	html_lit(out, "\n");
	if (st == NULL)
		return;
	html_lit(out, "# HELP candor_commits_total Transactions committed by the "
	    "writer.\n# TYPE candor_commits_total counter\n"
	    "candor_commits_total ");
	metrics_ull(out, st->commits);
	html_lit(out, "\n# HELP candor_commit_failures_total Batches rolled "
	    "back.\n# TYPE candor_commit_failures_total counter\n"
	    "candor_commit_failures_total ");
	metrics_ull(out, st->failures);
	html_lit(out, "\n# HELP candor_commit_latency_ms Commit latency of "
	    "write batches, milliseconds.\n"
	    "# TYPE candor_commit_latency_ms histogram\n");
	for (i = 0; i < 9; i++) {
		cum += st->lat_bucket[i];
		html_lit(out, "candor_commit_latency_ms_bucket{le=\"");
		html_lit(out, le[i]);
		html_lit(out, "\"} ");
		metrics_ull(out, cum);
		html_lit(out, "\n");
	}
	html_lit(out, "candor_commit_latency_ms_sum ");
	html_double(out, st->lat_sum_ms);
	html_lit(out, "\ncandor_commit_latency_ms_count ");
	metrics_ull(out, cum);
	html_lit(out, "\n");
}
