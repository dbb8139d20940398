/*
 * Respondent counters move once a period, never with a submission: with
 * the metrics clock held inside one UTC day, scrapes of the admin listener
 * taken before and after 5 full submissions, a withdrawal and a consent
 * refusal are byte-identical, and stay identical in every respondent
 * counter when the clock moves on within the day (past several 10-minute
 * windows). Once the clock crosses midnight UTC the counters show the new
 * totals, and then hold those through the next day's submissions.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define T_NOON 1773144005LL     /* 2026-03-10 12:00:05 UTC */
#define T_MIDNIGHT 1773187200LL /* 2026-03-11 00:00:00 UTC */

static atomic_llong fake_now;

static long long
fake_clock(void *arg)
{
	(void)arg;
	return atomic_load(&fake_now);
}

static void
with_admin(struct collector_config *cfg)
{
	cfg->admin = 1;
	cfg->admin_port = 0;
	cfg->metrics_clock = fake_clock;
}

/* Every counter a respondent's action moves (PUB_PERIOD in metrics.c). */
static const char *const respondent[] = {
	"candor_submissions_total",
	"candor_drafts_saved_total",
	"candor_drafts_resumed_total",
	"candor_withdrawals_total",
	"candor_pages_total",
	"candor_validation_errors_total",
	"candor_rejections_total{reason=\"no_consent\"}",
	"candor_rejections_total{reason=\"too_fast\"}",
	"candor_rejections_total{reason=\"expired_state\"}",
	"candor_rejections_total{reason=\"token_reused\"}",
	"candor_rejections_total{reason=\"outside_window\"}",
	"candor_commits_total",
	"candor_storage_jobs_total",
	"candor_metrics_period_end_seconds",
	NULL,
};

/* The body of GET /metrics on the admin listener (malloc'd), or NULL. */
static char *
scrape(struct cl_client *admin)
{
	struct cl_resp r;
	char *body = NULL;

	if (cl_get(admin, "/metrics", &r) == 0 && r.status == 200)
		body = strdup(r.body);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	return body;
}

/* The whole sample line of name ("name value", no newline), or NULL. */
static char *
line_of(const char *body, const char *name)
{
	char needle[256];
	const char *p, *e;

	snprintf(needle, sizeof(needle), "\n%s ", name);
	p = body != NULL ? strstr(body, needle) : NULL;
	if (p == NULL)
		return NULL;
	p++;
	e = strchr(p, '\n');
	return e != NULL ? strndup(p, (size_t)(e - p)) : NULL;
}

static long
value_of(const char *body, const char *name)
{
	char *l = line_of(body, name);
	long v = -1;

	if (l != NULL)
		v = strtol(l + strlen(name) + 1, NULL, 10);
	free(l);
	return v;
}

/* Every respondent counter has the same line in a and b. */
static void
check_same_respondent(const char *what, const char *a, const char *b)
{
	size_t i;

	for (i = 0; respondent[i] != NULL; i++) {
		char *la = line_of(a, respondent[i]), *lb = line_of(b, respondent[i]);
		if (la == NULL || lb == NULL || strcmp(la, lb) != 0)
			fprintf(stderr, "%s: %s: \"%s\" then \"%s\"\n", what,
			    respondent[i], la ? la : "(none)", lb ? lb : "(none)");
		CHECK(la != NULL && lb != NULL && strcmp(la, lb) == 0);
		free(la);
		free(lb);
	}
}

static void
withdraw(struct cl_client *c, const char *code)
{
	struct cl_resp r;
	const char *kv[] = {"code", code, "website", "", NULL};

	cl_postv(c, "/withdraw", &r, kv);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c, admin;
	struct cl_resp r;
	const char *forms[1];
	const char *no_boxes[] = {"lang", "en", "action", "start", "website",
		"", NULL};
	char *before, *after, *later, *next_day, *next_day_later;
	char *codes[5];
	size_t i;

	atomic_store(&fake_now, T_NOON);
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CL_REQUIRE(collector_admin_port(s.c) != 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);

	before = scrape(&admin);
	CL_REQUIRE(before != NULL);
	CHECK_INT(value_of(before, "candor_submissions_total"), 0);
	/* Nothing that moves in real time is published at all. */
	CHECK(!cl_contains(before, "candor_queue_depth"));
	CHECK(!cl_contains(before, "_bucket{"));
	CHECK(!cl_contains(before, "inflight"));

	for (i = 0; i < 5; i++) {
		codes[i] = cl_mini_full(&c);
		CHECK(codes[i] != NULL);
	}
	if (codes[0] != NULL)
		withdraw(&c, codes[0]);
	cl_postv(&c, "/s/mini", &r, no_boxes);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(s.db, "mini"), 4);

	/* Same instant: the whole exposition is the same, byte for byte. */
	after = scrape(&admin);
	CHECK_STR(after, before);
	/* Later the same day, windows closed: respondent counters hold. */
	atomic_store(&fake_now, T_NOON + 3 * 3600 + 7);
	later = scrape(&admin);
	check_same_respondent("later the same day", before, later);
	CHECK_INT(value_of(later, "candor_metrics_period_end_seconds"),
	    T_MIDNIGHT - 86400);

	/* Past midnight UTC: the day's totals. */
	atomic_store(&fake_now, T_MIDNIGHT + 1);
	next_day = scrape(&admin);
	CHECK_INT(value_of(next_day, "candor_submissions_total"), 5);
	CHECK_INT(value_of(next_day, "candor_withdrawals_total"), 1);
	CHECK_INT(value_of(next_day,
	    "candor_rejections_total{reason=\"no_consent\"}"), 1);
	CHECK(value_of(next_day, "candor_pages_total") >= 15);
	CHECK(value_of(next_day, "candor_commits_total") >= 6);
	CHECK(value_of(next_day, "candor_storage_jobs_total") >= 6);
	CHECK_INT(value_of(next_day, "candor_metrics_period_end_seconds"),
	    T_MIDNIGHT);

	/* The next day's submissions wait for the end of that day. */
	{
		char *code = cl_mini_full(&c);
		CHECK(code != NULL);
		free(code);
	}
	atomic_store(&fake_now, T_MIDNIGHT + 6 * 3600);
	next_day_later = scrape(&admin);
	check_same_respondent("the next day", next_day, next_day_later);

	for (i = 0; i < 5; i++)
		free(codes[i]);
	free(before);
	free(after);
	free(later);
	free(next_day);
	free(next_day_later);
	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
