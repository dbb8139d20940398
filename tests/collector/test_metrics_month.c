/*
 * When every served form stores months (date_precision "month"), the
 * metrics' period is the UTC month: submissions made on 15 March stay
 * unpublished past midnight and appear on 1 April. Beside a form that
 * stores days the period is the UTC day again. Month starts are right
 * across a leap day.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define T_MID_MARCH 1773576000LL /* 2026-03-15 12:00:00 UTC */
#define T_NEXT_DAY 1773619201LL  /* 2026-03-16 00:00:01 UTC */
#define T_MARCH 1772323200LL     /* 2026-03-01 00:00:00 UTC */
#define T_APRIL 1775001600LL     /* 2026-04-01 00:00:00 UTC */
#define T_LEAP_DAY 1835438400LL  /* 2028-02-29 12:00:00 UTC */
#define T_FEB_2028 1832976000LL  /* 2028-02-01 00:00:00 UTC */
#define T_MAR_2028 1835481600LL  /* 2028-03-01 00:00:00 UTC */

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

/* mini.json with another id and, if month, date_precision "month". */
static int
write_form(const char *path, const char *id, int month)
{
	char src[512], idkey[64], *in, *out;
	const char *p;
	size_t len, n;
	int rc;

	test_src_path("tests/collector/mini.json", src, sizeof(src));
	in = test_read_file(src, &len);
	if (in == NULL || (p = strstr(in, "\"version\": 1,")) == NULL ||
	    strncmp(in, "{\n  \"id\": \"mini\",", 17) != 0) {
		free(in);
		return -1;
	}
	n = len + 128;
	out = malloc(n);
	if (out == NULL) {
		free(in);
		return -1;
	}
	snprintf(idkey, sizeof(idkey), "{\n  \"id\": \"%s\",", id);
	snprintf(out, n, "%s%.*s%s%s", idkey, (int)(p - in - 17), in + 17,
	    month ? "\"date_precision\": \"month\", " : "", p);
	rc = test_write_file(path, out, strlen(out));
	free(out);
	free(in);
	return rc;
}

/* Log in to the month form at /s/minim and submit once. */
static int
submit_month(struct cl_client *c)
{
	struct cl_resp r;
	char *st = NULL, *st2 = NULL;
	int ok = 0;
	const char *consent[] = {"lang", "en", "consent", "1", "adult", "1",
		"action", "start", "website", "", NULL};

	if (cl_postv(c, "/s/minim", &r, consent) == 0)
		st = cl_state(r.body);
	cl_resp_free(&r);
	if (st != NULL) {
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "0", NULL};
		cl_postv(c, "/s/minim", &r, kv);
		free(st);
		st = cl_state(r.body);
		cl_resp_free(&r);
	}
	if (st != NULL) {
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"1", "age_band", "2", NULL};
		cl_postv(c, "/s/minim", &r, kv);
		st2 = cl_state(r.body);
		cl_resp_free(&r);
	}
	if (st2 != NULL) {
		const char *kv[] = {"state", st2, "action", "submit", "fn_walk",
			"1", "fn_work", "2", "website", "", NULL};
		cl_postv(c, "/s/minim", &r, kv);
		ok = r.status == 303;
		cl_resp_free(&r);
	}
	free(st);
	free(st2);
	return ok;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c, admin;
	char dir[256], fmonth[300], fday[300];
	const char *forms[2];

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(fmonth, sizeof(fmonth), "%s/month.json", dir);
	snprintf(fday, sizeof(fday), "%s/day.json", dir);
	CL_REQUIRE(write_form(fmonth, "minim", 1) == 0);
	CL_REQUIRE(write_form(fday, "minid", 0) == 0);

	/* Every form stores months: the period is the month. */
	atomic_store(&fake_now, T_MID_MARCH);
	forms[0] = fmonth;
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, with_admin) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_MARCH);
	CHECK(submit_month(&c));
	CHECK(submit_month(&c));
	CHECK_INT(cl_count_rows(s.db, "minim"), 2);
	atomic_store(&fake_now, T_NEXT_DAY);
	CHECK_INT(cl_metric(&admin, "candor_submissions_total"), 0);
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_MARCH);
	atomic_store(&fake_now, T_APRIL + 1);
	CHECK_INT(cl_metric(&admin, "candor_submissions_total"), 2);
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_APRIL);
	/* Month starts across a leap day. */
	atomic_store(&fake_now, T_LEAP_DAY);
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_FEB_2028);
	atomic_store(&fake_now, T_MAR_2028);
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_MAR_2028);
	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);

	/* A form that stores days beside it: the period is the day. */
	atomic_store(&fake_now, T_MID_MARCH);
	forms[0] = fmonth;
	forms[1] = fday;
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 2, with_admin) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CL_REQUIRE(cl_client_init(&admin, collector_admin_port(s.c)) == 0);
	CHECK(submit_month(&c));
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_MID_MARCH - 12 * 3600);
	atomic_store(&fake_now, T_NEXT_DAY);
	CHECK_INT(cl_metric(&admin, "candor_submissions_total"), 1);
	CHECK_INT(cl_metric(&admin, "candor_metrics_period_end_seconds"),
	    T_NEXT_DAY - 1);
	cl_client_free(&admin);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	test_rmtree(dir);
	return test_done();
}
