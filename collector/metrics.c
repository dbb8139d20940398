/*
 * Metrics (metrics.h): the counts, the periods and windows that decide
 * when each is published, and the exposition. The exposition is written
 * through the escaping writer like every other body; metric names and
 * labels are literals and the values numbers, so nothing actually needs
 * escaping.
 *
 * Each counter's row says when it is published and why. The question asked
 * of each is: could the movement of this counter tell when a particular
 * respondent stored or withdrew a response? If so it is PUB_PERIOD; errors
 * an operator must hear of soon are PUB_WINDOW; what only crafted requests,
 * floods and bots move is PUB_LIVE.
 */
#include <string.h>
#include <time.h>

#include "metrics.h"

static const struct {
	const char *name;
	enum metrics_pub pub;
} metrics_reasons[REJ__MAX] = {
	/* A person at the consent page: one per respondent starting. */
	{"no_consent", PUB_PERIOD},      /* REJ_NO_CONSENT */
	/* One per submit that is then made again and stored. */
	{"too_fast", PUB_PERIOD},        /* REJ_TOO_FAST */
	/* The field is hidden from people: bots, and nothing is stored. */
	{"honeypot", PUB_LIVE},          /* REJ_HONEYPOT */
	/* No page the collector renders sends these: crafted requests. */
	{"unknown_field", PUB_LIVE},     /* REJ_UNKNOWN_FIELD */
	{"too_many_fields", PUB_LIVE},   /* REJ_TOO_MANY_FIELDS */
	{"body_too_big", PUB_LIVE},      /* REJ_BODY_TOO_BIG */
	/* Every state and receipt handed out authenticates: tampering. */
	{"bad_state", PUB_LIVE},         /* REJ_BAD_STATE */
	/* A real person whose form was replaced mid-survey. */
	{"expired_state", PUB_PERIOD},   /* REJ_EXPIRED_STATE */
	/* A second submit (double click, Back) just after a stored one. */
	{"token_reused", PUB_PERIOD},    /* REJ_TOKEN_REUSED */
	/* An address over its bucket: floods, not a respondent's pace. */
	{"rate_limited", PUB_LIVE},      /* REJ_RATE_LIMITED */
	/* Methods, encodings and bodies no browser sends on these pages. */
	{"bad_request", PUB_LIVE},       /* REJ_BAD_REQUEST */
	/* A failed write (nothing stored): an error, seen per window. */
	{"storage_error", PUB_WINDOW},   /* REJ_STORAGE */
	/*
	 * A person who starts, continues, sends or withdraws after the
	 * window closed (or before it opened): a respondent's own step.
	 */
	{"outside_window", PUB_PERIOD},  /* REJ_WINDOW */
};

/* Every one of these is a respondent's own action. */
static const struct {
	const char *name;
	const char *help;
	enum metrics_pub pub;
} metrics_counters[MET__MAX] = {
	{"candor_submissions_total", "Responses stored durably.", PUB_PERIOD},
	{"candor_drafts_saved_total", "Drafts saved for later.", PUB_PERIOD},
	{"candor_drafts_resumed_total", "Drafts restored from a resume code.",
	    PUB_PERIOD},
	{"candor_withdrawals_total", "Responses withdrawn with a receipt code.",
	    PUB_PERIOD},
	{"candor_pages_total", "Survey pages served.", PUB_PERIOD},
	{"candor_validation_errors_total", "Pages shown again with errors.",
	    PUB_PERIOD},
};

/* The help texts name the window and the minimum. */
_Static_assert(METRICS_WINDOW_SECONDS == 600, "help texts say 10 minutes");
_Static_assert(METRICS_WINDOW_MIN_COMMITS == 20, "help text says 20");

static const char *const metrics_pub_text[PUB__MAX] = {
	"live",                                /* PUB_LIVE */
	"as of the end of the last completed 10-minute window", /* PUB_WINDOW */
	"as of the end of the last completed period",           /* PUB_PERIOD */
};

/* The writer's latency buckets (store_writer.h), upper bounds in ms. */
static const double metrics_le[8] = {1, 2, 5, 10, 25, 50, 100, 250};
static const struct {
	double q;
	const char *label;
} metrics_q[3] = {{0.5, "0.5"}, {0.9, "0.9"}, {0.99, "0.99"}};

static long long
metrics_time(void *arg)
{
	(void)arg;
	return (long long)time(NULL);
}

static long long
metrics_floordiv(long long a, long long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Days from 1970-01-01 to the first of month m (1-12) of year y. */
static long long
metrics_days(long long y, unsigned m)
{
	long long era, yoe, doy;

	y -= m <= 2;
	era = metrics_floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/*
 * The period holding t: its key (days or months since the epoch) and, in
 * *start, its first second. A time gmtime_r() cannot represent keeps the
 * day arithmetic (defensive: not before the year 2^31).
 */
static long long
metrics_period_of(long long t, int month, long long *start)
{
	long long day = metrics_floordiv(t, 86400);
	time_t tt = (time_t)t;
	struct tm tm;

	if (month && gmtime_r(&tt, &tm) != NULL) {
		*start = metrics_days(tm.tm_year + 1900LL,
		    (unsigned)tm.tm_mon + 1) * 86400;
		return (tm.tm_year + 1900LL) * 12 + tm.tm_mon;
	}
	*start = day * 86400;
	return day;
}

/*
 * Quantile q of n commits counted in buckets b, interpolated linearly
 * inside its bucket (as Prometheus's histogram_quantile() does); in the
 * open last bucket, the highest finite bound.
 */
static double
metrics_quantile(const unsigned long long b[9], unsigned long long n,
    double q)
{
	double rank = q * (double)n, lo = 0;
	unsigned long long cum = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		if (b[i] > 0 && (double)(cum + b[i]) >= rank)
			return lo + (metrics_le[i] - lo) * (rank - (double)cum) /
			    (double)b[i];
		cum += b[i];
		lo = metrics_le[i];
	}
	return metrics_le[7];
}

/*
 * Close the window: s is the writer now (NULL: unknown), next is 1 when
 * the window closing is the one just before now's (else the last completed
 * window saw no request at all, and has no latency).
 */
static void
metrics_close_window(struct metrics *m, const struct store_writer_stats *s,
    int next)
{
	unsigned long long b[9], n = 0;
	size_t i;

	for (i = 0; i < REJ__MAX; i++)
		if (metrics_reasons[i].pub == PUB_WINDOW)
			m->rej_pub[i] = m->rej[i];
	for (i = 0; i < MET__MAX; i++)
		if (metrics_counters[i].pub == PUB_WINDOW)
			m->c_pub[i] = m->c[i];
	m->lat_have = 0;
	if (s == NULL)
		return;
	m->failures_pub = s->failures;
	for (i = 0; i < 9; i++) {
		b[i] = s->lat_bucket[i] >= m->w_start.lat_bucket[i]
		    ? s->lat_bucket[i] - m->w_start.lat_bucket[i] : 0;
		n += b[i];
	}
	if (next && n >= METRICS_WINDOW_MIN_COMMITS) {
		for (i = 0; i < 3; i++) {
			double v = metrics_quantile(b, n, metrics_q[i].q);
			/* Hundredths of a millisecond are plenty. */
			m->lat[i] = (double)(long long)(v * 100 + 0.5) / 100;
		}
		m->lat_have = 1;
	}
	m->w_start = *s;
}

static void
metrics_close_period(struct metrics *m, const struct store_writer_stats *s)
{
	size_t i;

	for (i = 0; i < MET__MAX; i++)
		if (metrics_counters[i].pub == PUB_PERIOD)
			m->c_pub[i] = m->c[i];
	for (i = 0; i < REJ__MAX; i++)
		if (metrics_reasons[i].pub == PUB_PERIOD)
			m->rej_pub[i] = m->rej[i];
	if (s != NULL) {
		m->commits_pub = s->commits;
		m->jobs_pub = s->jobs;
	}
}

/*
 * With m->mu held: close the window and the period that ended before now.
 * A clock that goes back closes nothing; values only ever move forward.
 */
static void
metrics_roll(struct metrics *m)
{
	long long now = m->o.clock(m->o.clock_arg), start;
	long long w = metrics_floordiv(now, METRICS_WINDOW_SECONDS);
	long long p = metrics_period_of(now, m->o.month, &start);
	struct store_writer_stats s;
	int have = 0;

	if (w <= m->window && p <= m->period)
		return;
	memset(&s, 0, sizeof(s));
	if (m->o.sample != NULL)
		have = m->o.sample(m->o.sample_arg, &s) != 0;
	if (w > m->window) {
		metrics_close_window(m, have ? &s : NULL, w == m->window + 1);
		m->window = w;
		m->window_end = w * METRICS_WINDOW_SECONDS;
	}
	if (p > m->period) {
		metrics_close_period(m, have ? &s : NULL);
		m->period = p;
		m->period_end = start;
	}
}

int
metrics_init(struct metrics *m, const struct metrics_opts *o)
{
	long long now;

	memset(m, 0, sizeof(*m));
	m->o = *o;
	if (m->o.clock == NULL) {
		m->o.clock = metrics_time;
		m->o.clock_arg = NULL;
	}
	if (pthread_mutex_init(&m->mu, NULL) != 0)
		return -1;
	now = m->o.clock(m->o.clock_arg);
	m->window = metrics_floordiv(now, METRICS_WINDOW_SECONDS);
	m->window_end = m->window * METRICS_WINDOW_SECONDS;
	m->period = metrics_period_of(now, m->o.month, &m->period_end);
	if (m->o.sample != NULL && m->o.sample(m->o.sample_arg,
	    &m->w_start) == 0)
		memset(&m->w_start, 0, sizeof(m->w_start));
	return 0;
}

void
metrics_free(struct metrics *m)
{
	pthread_mutex_destroy(&m->mu);
}

void
metrics_count(struct metrics *m, enum metrics_counter c)
{
	if (c >= MET__MAX)
		return; /* defensive */
	if (pthread_mutex_lock(&m->mu) != 0)
		return;
	metrics_roll(m);
	m->c[c]++;
	pthread_mutex_unlock(&m->mu);
}

void
metrics_reject(struct metrics *m, enum metrics_reason r)
{
	if (r >= REJ__MAX)
		return; /* defensive */
	if (pthread_mutex_lock(&m->mu) != 0)
		return;
	metrics_roll(m);
	m->rej[r]++;
	pthread_mutex_unlock(&m->mu);
}

void
metrics_tick(struct metrics *m)
{
	if (pthread_mutex_lock(&m->mu) != 0)
		return;
	metrics_roll(m);
	pthread_mutex_unlock(&m->mu);
}

const char *
metrics_reason_name(enum metrics_reason r)
{
	return r < REJ__MAX ? metrics_reasons[r].name : "unknown";
}

enum metrics_pub
metrics_counter_pub(enum metrics_counter c)
{
	return c < MET__MAX ? metrics_counters[c].pub : PUB_PERIOD;
}

enum metrics_pub
metrics_reason_pub(enum metrics_reason r)
{
	return r < REJ__MAX ? metrics_reasons[r].pub : PUB_PERIOD;
}

static void
metrics_ull(struct html *out, unsigned long long v)
{
	/* Counters stay far below LONG_MAX in practice; clamp defensively. */
	html_long(out, v > (unsigned long long)0x7fffffffffffffffLL
	    ? 0x7fffffffffffffffL : (long)v);
}

static void
metrics_family(struct html *out, const char *name, const char *type,
    const char *help)
{
	html_lit(out, "# HELP ");
	html_lit(out, name);
	html_lit(out, " ");
	html_lit(out, help);
	html_lit(out, "\n# TYPE ");
	html_lit(out, name);
	html_lit(out, " ");
	html_lit(out, type);
	html_lit(out, "\n");
}

static void
metrics_sample(struct html *out, const char *name, unsigned long long v)
{
	html_lit(out, name);
	html_lit(out, " ");
	metrics_ull(out, v);
	html_lit(out, "\n");
}

/* With m->mu held. */
static void
metrics_write(const struct metrics *m, struct html *out)
{
	size_t i;

	for (i = 0; i < MET__MAX; i++) {
		html_lit(out, "# HELP ");
		html_lit(out, metrics_counters[i].name);
		html_lit(out, " ");
		html_lit(out, metrics_counters[i].help);
		html_lit(out, " Counted since start, ");
		html_lit(out, metrics_pub_text[metrics_counters[i].pub]);
		html_lit(out, ".\n# TYPE ");
		html_lit(out, metrics_counters[i].name);
		html_lit(out, " counter\n");
		metrics_sample(out, metrics_counters[i].name,
		    metrics_counters[i].pub == PUB_LIVE ? m->c[i] : m->c_pub[i]);
	}
	metrics_family(out, "candor_rejections_total", "counter",
	    "Requests turned away, by reason; each reason live, per window "
	    "or per period (docs/collector.md, Metrics).");
	for (i = 0; i < REJ__MAX; i++) {
		html_lit(out, "candor_rejections_total{reason=\"");
		html_lit(out, metrics_reasons[i].name);
		html_lit(out, "\"} ");
		metrics_ull(out, metrics_reasons[i].pub == PUB_LIVE ? m->rej[i]
		    : m->rej_pub[i]);
		html_lit(out, "\n");
	}
	metrics_family(out, "candor_commits_total", "counter",
	    "Transactions committed by the writer, as of the end of the last "
	    "completed period.");
	metrics_sample(out, "candor_commits_total", m->commits_pub);
	metrics_family(out, "candor_storage_jobs_total", "counter",
	    "Storage jobs completed by the writer, as of the end of the last "
	    "completed period.");
	metrics_sample(out, "candor_storage_jobs_total", m->jobs_pub);
	metrics_family(out, "candor_commit_failures_total", "counter",
	    "Batches rolled back, as of the end of the last completed "
	    "10-minute window.");
	metrics_sample(out, "candor_commit_failures_total", m->failures_pub);
	metrics_family(out, "candor_commit_latency_ms", "gauge",
	    "Commit latency quantiles of the last completed 10-minute window, "
	    "milliseconds, estimated from the writer's histogram; absent "
	    "unless that window held at least 20 commits.");
	for (i = 0; m->lat_have && i < 3; i++) {
		html_lit(out, "candor_commit_latency_ms{quantile=\"");
		html_lit(out, metrics_q[i].label);
		html_lit(out, "\"} ");
		html_double(out, m->lat[i]);
		html_lit(out, "\n");
	}
	metrics_family(out, "candor_metrics_period_end_seconds", "gauge",
	    m->o.month ? "End of the last completed period (a UTC month), "
	    "Unix time." : "End of the last completed period (a UTC day), "
	    "Unix time.");
	metrics_sample(out, "candor_metrics_period_end_seconds",
	    m->period_end > 0 ? (unsigned long long)m->period_end : 0);
	metrics_family(out, "candor_metrics_window_end_seconds", "gauge",
	    "End of the last completed 10-minute window, Unix time.");
	metrics_sample(out, "candor_metrics_window_end_seconds",
	    m->window_end > 0 ? (unsigned long long)m->window_end : 0);
}

void
metrics_expose(struct metrics *m, struct html *out)
{
	if (pthread_mutex_lock(&m->mu) != 0) {
		out->err = 1; /* defensive: the caller answers 500 */
		return;
	}
	metrics_roll(m);
	metrics_write(m, out);
	pthread_mutex_unlock(&m->mu);
}

void
metrics_render(const struct metrics *m, size_t depth,
    const struct store_writer_stats *st, struct html *out)
{
	(void)depth;
	(void)st;
	/* Every struct metrics lives in a non-const struct collector. */
	metrics_expose((struct metrics *)m, out);
}
