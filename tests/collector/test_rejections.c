/*
 * Every way a request is turned away, one static function each: the status
 * it gets, that nothing is stored, and that the admin listener's metrics
 * count the reason: at once for the refusals no respondent's storing can
 * move, at the end of the day for those of the patient flow (no_consent,
 * token_reused; metrics.c says why). (Too-fast submissions have their own
 * test: they need a fill time.)
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define T_NOON 1773144005LL /* 2026-03-10 12:00:05 UTC */

static struct cl_server s;
static struct cl_client c, admin;
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

static long
rejections(const char *reason)
{
	char name[128];

	snprintf(name, sizeof(name), "candor_rejections_total{reason=\"%s\"}",
	    reason);
	return cl_metric(&admin, name);
}

/*
 * A reason published per period: still at its last published value
 * (before) today, then its total once the clock has moved to tomorrow.
 */
static long
rejections_next_day(const char *reason, long before)
{
	CHECK_INT(rejections(reason), before);
	atomic_fetch_add(&fake_now, 86400);
	return rejections(reason);
}

/* Without both consent boxes the consent page comes back; no state. */
static void
reject_bad_no_consent(void)
{
	struct cl_resp r;
	const char *only_consent[] = {"lang", "en", "consent", "1", "action",
		"start", NULL};
	const char *none[] = {"lang", "en", "action", "start", NULL};

	cl_postv(&c, "/s/mini", &r, only_consent);
	CHECK_INT(r.status, 200);
	/* The links bring each box's wrapper, with its error, into view. */
	CHECK(cl_contains(r.body, "<a href=\"#q-adult\""));
	CHECK(!cl_contains(r.body, "<a href=\"#q-consent\""));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	cl_resp_free(&r);
	cl_postv(&c, "/s/mini", &r, none);
	CHECK(cl_contains(r.body, "<a href=\"#q-consent\""));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	cl_resp_free(&r);
	CHECK_INT(rejections_next_day("no_consent", 0), 2);
}

static void
reject_bad_honeypot(void)
{
	struct cl_resp r;
	char *st = cl_mini_to_last(&c, "en");
	const char *kv[] = {"state", st, "action", "submit", "fn_walk", "1",
		"fn_work", "2", "website", "http://spam.example/", NULL};
	const char *consent[] = {"lang", "en", "consent", "1", "adult", "1",
		"website", "x", NULL};

	CHECK(st != NULL);
	cl_postv(&c, "/s/mini", &r, kv);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	cl_postv(&c, "/s/mini", &r, consent);
	CHECK_INT(r.status, 400);
	CHECK(!cl_contains(r.body, "name=\"state\""));
	cl_resp_free(&r);
	free(st);
	CHECK_INT(rejections("honeypot"), 2);
}

static void
reject_bad_unknown_field(void)
{
	struct cl_resp r;
	char *st = cl_mini_to_last(&c, "en");
	/* pain is a real variable, but not of this page. */
	const char *other_page[] = {"state", st, "action", "submit", "fn_walk",
		"1", "fn_work", "2", "pain", "3", NULL};
	const char *made_up[] = {"state", st, "action", "submit", "fn_walk",
		"1", "fn_work", "2", "ip_address", "1", NULL};

	CHECK(st != NULL);
	cl_postv(&c, "/s/mini", &r, other_page);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	cl_postv(&c, "/s/mini", &r, made_up);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	free(st);
	CHECK_INT(rejections("unknown_field"), 2);
}

static void
reject_bad_too_many_fields(void)
{
	struct cl_form f = {{NULL, 0}};
	struct cl_resp r;
	int i;

	for (i = 0; i < 1000; i++)
		cl_form_add(&f, "fn_walk", "1");
	cl_post(&c, "/s/mini", &f, &r);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	cl_form_free(&f);
	CHECK_INT(rejections("too_many_fields"), 1);
}

static void
reject_bad_body_too_big(void)
{
	struct cl_form f = {{NULL, 0}};
	struct cl_resp r;
	size_t n = 200 * 1024;
	char *big = malloc(n + 1);

	CHECK(big != NULL);
	if (big == NULL)
		return;
	memset(big, 'a', n);
	big[n] = '\0';
	cl_form_add(&f, "state", big);
	cl_post(&c, "/s/mini", &f, &r);
	CHECK_INT(r.status, 413);
	cl_resp_free(&r);
	cl_form_free(&f);
	free(big);
	CHECK_INT(rejections("body_too_big"), 1);
}

static void
reject_bad_tampered_state(void)
{
	struct cl_resp r;
	char *st = cl_mini_to_last(&c, "en");
	size_t mid;

	CHECK(st != NULL);
	if (st == NULL)
		return;
	/* Flip one character in the middle of the sealed blob. */
	mid = strlen(st) / 2;
	st[mid] = st[mid] == 'A' ? 'B' : 'A';
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	/* Truncated, and not base64 at all. */
	st[mid] = '\0';
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 400);
	cl_resp_free(&r);
	cl_mini_submit(&c, "<script>", &r);
	CHECK_INT(r.status, 400);
	CHECK(!cl_contains(r.body, "<script>"));
	cl_resp_free(&r);
	free(st);
	CHECK_INT(rejections("bad_state"), 3);
}

static void
reject_bad_token_reused(void)
{
	struct cl_resp r;
	char *st = cl_mini_to_last(&c, "en");
	long before = cl_count_rows(s.db, "mini");

	CHECK(st != NULL);
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 303);
	cl_resp_free(&r);
	cl_mini_submit(&c, st, &r);
	CHECK_INT(r.status, 400);
	CHECK(cl_contains(r.body, "already been submitted"));
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(s.db, "mini"), before + 1);
	free(st);
	CHECK_INT(rejections_next_day("token_reused", 0), 1);
}

static void
reject_bad_method_and_type(void)
{
	struct cl_resp r;

	cl_request(&c, "DELETE", "/s/mini", NULL, 0, NULL, &r);
	CHECK_INT(r.status, 405);
	cl_resp_free(&r);
	cl_request(&c, "POST", "/s/mini", "{\"a\":1}", 7, "application/json",
	    &r);
	CHECK_INT(r.status, 415);
	cl_resp_free(&r);
	cl_request(&c, "POST", "/healthz", "a=1", 3, NULL, &r);
	CHECK_INT(r.status, 405);
	cl_resp_free(&r);
	cl_get(&c, "/s/nope", &r);
	CHECK_INT(r.status, 404);
	cl_resp_free(&r);
	{
		const char *kv[] = {"lang", "en", "consent", "1", "adult", "1",
			NULL};
		cl_postv(&c, "/s/nope", &r, kv);
		CHECK_INT(r.status, 404);
		cl_resp_free(&r);
	}
}

int
main(void)
{
	const char *forms[1];

	atomic_store(&fake_now, T_NOON);
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);

	reject_bad_no_consent();
	reject_bad_honeypot();
	reject_bad_unknown_field();
	reject_bad_too_many_fields();
	reject_bad_body_too_big();
	reject_bad_tampered_state();
	CHECK_INT(cl_count_rows(s.db, NULL), 0); /* nothing stored so far */
	reject_bad_token_reused();
	reject_bad_method_and_type();
	CHECK_INT(cl_count_rows(s.db, NULL), 1); /* only the one good submit */

	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
