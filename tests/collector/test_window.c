/*
 * The study window (docs/forms.md, "window") with real collectors on one
 * database, the mini survey under four windows in turn:
 *  - open (2020 to 2099): answers are taken; a receipt, a second receipt,
 *    a saved draft and a journey in progress are kept for later; the
 *    consent page says until when answers can be withdrawn;
 *  - closed, final in the future (closed 2020-06-01, final 2099-01-01):
 *    the start page says it closed (English and Spanish), a start is
 *    refused with 403 and the same page, nothing stored; the saved draft
 *    is continued and sent, the journey in progress goes on, and a
 *    receipt withdraws;
 *  - final in the past: resume of a second draft, the submit of a second
 *    journey, a withdrawal and a start are each refused with 403 and the
 *    page that says the data are final; the response stays;
 *  - not open yet (opens 2099-01-01): the start page says when it opens,
 *    in both languages, and a start is refused;
 *  - the list of surveys says when a survey opens, or that it closed;
 *  - the admin listener counts each refusal as outside_window, published
 *    at the end of the day like the other steps of respondents;
 *  - "analysis report" says "final data (the window closed on
 *    2020-06-01)" under the past window and "interim data" under the
 *    others, in report.json, report.html and on standard output.
 */
#include <signal.h>
#include <stdarg.h>

#include "client.h"

#define W_OPEN "\"window\": {\"opens\": \"2020-01-01\", \"closes\": " \
	"\"2099-01-01\", \"final\": \"2099-02-01\"},"
#define W_CLOSED "\"window\": {\"opens\": \"2020-01-01\", \"closes\": " \
	"\"2020-06-01\", \"final\": \"2099-01-01\"},"
#define W_FINAL "\"window\": {\"opens\": \"2020-01-01\", \"closes\": " \
	"\"2020-06-01\", \"final\": \"2020-07-01\"},"
#define W_SOON "\"window\": {\"opens\": \"2099-01-01\", \"closes\": " \
	"\"2099-06-01\"},"

#define OUTSIDE_WINDOW "candor_rejections_total{reason=\"outside_window\"}"

static char db_path[600];

static void
use_db(struct collector_config *cfg)
{
	cfg->db_path = db_path;
}

static int
start(struct cl_server *s, const char *form)
{
	const char *forms[1] = {form};

	return cl_server_start_cfg(s, forms, 1, use_db);
}

/* A consent POST, not followed: its status and body. */
static void
consent_raw(struct cl_client *c, const char *lang, struct cl_resp *r)
{
	struct cl_form f = {{NULL, 0}};

	cl_form_add(&f, "lang", lang);
	cl_form_add(&f, "consent", "1");
	cl_form_add(&f, "adult", "1");
	cl_form_add(&f, "action", "start");
	cl_form_add(&f, "website", "");
	cl_request(c, "POST", "/s/mini", f.b.p, f.b.n, NULL, r);
	cl_form_free(&f);
}

/* Save on page 2; the resume code shown (malloc'd) or NULL. */
static char *
save_draft(struct cl_client *c)
{
	struct cl_resp r;
	char *st = cl_mini_consent(c, "en"), *code = NULL;

	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "4",
			"used_kratom", "0", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);
	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "save", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	code = cl_between(r.body, "id=\"resume-code\">", '<');
	cl_resp_free(&r);
	return code;
}

static long
post_code(struct cl_client *c, const char *path, const char *code,
    struct cl_resp *r)
{
	const char *kv[] = {"code", code, NULL};

	cl_postv(c, path, r, kv);
	return r->status;
}

/* analysis report --no-ledger into dir/name; stdout (malloc'd). */
static char *
report(const char *form, const char *dir, const char *name)
{
	char bin[512], out[700], *o = NULL, *e = NULL;
	int rc;

	test_bin_path("analysis", bin, sizeof(bin));
	snprintf(out, sizeof(out), "%s/%s", dir, name);
	{
		char *argv[] = {bin, "report", "--db", db_path, "--form",
			(char *)form, "--out", out, "--no-ledger", NULL};
		rc = test_run(argv, &o, &e);
	}
	if (rc != 0)
		fprintf(stderr, "report: exit %d: %s\n", rc, e ? e : "");
	CHECK_INT(rc, 0);
	free(e);
	return o;
}

static void
check_report(const char *dir, const char *name, const char *out,
    const char *status)
{
	char path[700];
	size_t n;
	char *txt;

	CHECK(out != NULL && strstr(out, status) != NULL);
	snprintf(path, sizeof(path), "%s/%s/report.json", dir, name);
	txt = test_read_file(path, &n);
	CHECK(txt != NULL && strstr(txt, "\"data_status\"") != NULL &&
	    strstr(txt, status) != NULL);
	free(txt);
	snprintf(path, sizeof(path), "%s/%s/report.html", dir, name);
	txt = test_read_file(path, &n);
	CHECK(txt != NULL && strstr(txt, "id=\"data-status\"") != NULL &&
	    strstr(txt, status) != NULL);
	free(txt);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char dir[256], f_open[400], f_closed[400], f_final[400], f_soon[400];
	char *code1, *code2, *draft, *journey, *draft2, *journey2, *out;

	signal(SIGPIPE, SIG_IGN);
	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	CL_REQUIRE(test_give_dir(dir, NULL) == 0);
	snprintf(db_path, sizeof(db_path), "%s/candor.db", dir);
	cl_mini_with(dir, "open.json", W_OPEN, f_open, sizeof(f_open));
	cl_mini_with(dir, "closed.json", W_CLOSED, f_closed, sizeof(f_closed));
	cl_mini_with(dir, "final.json", W_FINAL, f_final, sizeof(f_final));
	cl_mini_with(dir, "soon.json", W_SOON, f_soon, sizeof(f_soon));

	/* window_open */
	CL_REQUIRE(start(&s, f_open) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CHECK(cl_get(&c, "/", &r) == 0);
	CHECK(!cl_contains(r.body, "class=\"window\""));
	cl_resp_free(&r);
	CHECK(cl_get(&c, "/s/mini", &r) == 0);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "Answers can be withdrawn with the receipt "
	    "code before 2099-02-01"));
	cl_resp_free(&r);
	code1 = cl_mini_full(&c);
	code2 = cl_mini_full(&c);
	draft = save_draft(&c);
	journey = cl_mini_to_last(&c, "en");
	draft2 = save_draft(&c);
	journey2 = cl_mini_to_last(&c, "en");
	CHECK(code1 != NULL && code2 != NULL && draft != NULL &&
	    journey != NULL && draft2 != NULL && journey2 != NULL);
	CHECK_INT(cl_count_rows(db_path, "mini"), 2);
	out = report(f_open, dir, "r-open");
	check_report(dir, "r-open", out, "interim data (the window closes on "
	    "2099-01-01)");
	free(out);
	cl_client_free(&c);
	cl_server_cleanup(&s); /* its own directory, not the database's */

	/* window_closed: no new start; resume, journeys, withdrawal go on. */
	CL_REQUIRE(start(&s, f_closed) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CHECK(cl_get(&c, "/s/mini", &r) == 0);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "This survey is closed"));
	CHECK(cl_contains(r.body, "It closed on 2020-06-01 and takes no new "
	    "answers."));
	CHECK(cl_contains(r.body, "Before 2099-01-01, saved answers can still "
	    "be continued"));
	CHECK(cl_contains(r.body, "href=\"/withdraw?lang=en\""));
	CHECK(!cl_contains(r.body, "name=\"consent\""));
	cl_resp_free(&r);
	CHECK(cl_get(&c, "/", &r) == 0);
	CHECK(cl_contains(r.body, "<p class=\"window\">It closed on "
	    "2020-06-01.</p>"));
	cl_resp_free(&r);
	CHECK(cl_get(&c, "/s/mini?lang=es", &r) == 0);
	CHECK(cl_contains(r.body, "Esta encuesta está cerrada"));
	CHECK(cl_contains(r.body, "Se cerró el 2020-06-01"));
	cl_resp_free(&r);
	consent_raw(&c, "en", &r);
	CHECK_INT(r.status, 403);
	CHECK(cl_contains(r.body, "It closed on 2020-06-01"));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	cl_resp_free(&r);
	consent_raw(&c, "es", &r);
	CHECK_INT(r.status, 403);
	CHECK(cl_contains(r.body, "Se cerró el 2020-06-01"));
	cl_resp_free(&r);
	/* The saved draft: continued, then sent. */
	CHECK_INT(post_code(&c, "/resume", draft, &r), 200);
	{
		char *st = cl_state(r.body);
		cl_resp_free(&r);
		CHECK(st != NULL);
		if (st != NULL) {
			const char *kv[] = {"state", st, "action", "next",
				"symptoms", "1", "age_band", "2", NULL};
			cl_postv(&c, "/s/mini", &r, kv);
			free(st);
			st = cl_state(r.body);
			cl_resp_free(&r);
		}
		CHECK(st != NULL);
		if (st != NULL) {
			cl_mini_submit(&c, st, &r);
			CHECK_INT(r.status, 303);
			cl_resp_free(&r);
			free(st);
		}
	}
	/* The journey in progress before closing is sent too. */
	cl_mini_submit(&c, journey, &r);
	CHECK_INT(r.status, 303);
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(db_path, "mini"), 4);
	CHECK_INT(post_code(&c, "/withdraw", code1, &r), 200);
	CHECK(cl_contains(r.body, "Your answers have been deleted."));
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(db_path, "mini"), 3);
	out = report(f_closed, dir, "r-closed");
	check_report(dir, "r-closed", out, "interim data (the window closed "
	    "on 2020-06-01; saved answers may still be sent and answers "
	    "withdrawn before 2099-01-01)");
	free(out);
	cl_client_free(&c);
	cl_server_cleanup(&s);

	/* window_final: nothing changes any more. */
	CL_REQUIRE(start(&s, f_final) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CHECK(cl_get(&c, "/s/mini", &r) == 0);
	CHECK(cl_contains(r.body, "Its data are final"));
	CHECK(!cl_contains(r.body, "Before 2020-07-01"));
	cl_resp_free(&r);
	CHECK_INT(post_code(&c, "/withdraw", code2, &r), 403);
	CHECK(cl_contains(r.body, "Its data are final"));
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(db_path, "mini"), 3);
	/* A code that opens nothing still says so. */
	CHECK_INT(post_code(&c, "/withdraw", code1, &r), 404);
	cl_resp_free(&r);
	CHECK_INT(post_code(&c, "/resume", draft2, &r), 403);
	CHECK(cl_contains(r.body, "Its data are final"));
	CHECK(!cl_contains(r.body, "name=\"state\""));
	cl_resp_free(&r);
	cl_mini_submit(&c, journey2, &r);
	CHECK_INT(r.status, 403);
	CHECK(cl_contains(r.body, "Its data are final"));
	cl_resp_free(&r);
	consent_raw(&c, "en", &r);
	CHECK_INT(r.status, 403);
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(db_path, "mini"), 3);
	/* withdraw, resume, submit and start; not the 404 nor the GETs. */
	CHECK_INT(cl_metric_after(&s, 0, OUTSIDE_WINDOW), 0);
	CHECK_INT(cl_metric_after(&s, 1, OUTSIDE_WINDOW), 4);
	out = report(f_final, dir, "r-final");
	check_report(dir, "r-final", out, "final data (the window closed on "
	    "2020-06-01)");
	free(out);
	cl_client_free(&c);
	cl_server_cleanup(&s);

	/* window_not_open_yet */
	CL_REQUIRE(start(&s, f_soon) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	CHECK(cl_get(&c, "/s/mini", &r) == 0);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "This survey is not open yet"));
	CHECK(cl_contains(r.body, "It opens on 2099-01-01."));
	cl_resp_free(&r);
	CHECK(cl_get(&c, "/?lang=es", &r) == 0);
	CHECK(cl_contains(r.body, "<p class=\"window\">Se abre el "
	    "2099-01-01.</p>"));
	cl_resp_free(&r);
	CHECK(cl_get(&c, "/s/mini?lang=es", &r) == 0);
	CHECK(cl_contains(r.body, "Esta encuesta todavía no está abierta"));
	CHECK(cl_contains(r.body, "Se abre el 2099-01-01."));
	cl_resp_free(&r);
	consent_raw(&c, "es", &r);
	CHECK_INT(r.status, 403);
	CHECK(cl_contains(r.body, "Se abre el 2099-01-01."));
	cl_resp_free(&r);
	CHECK_INT(cl_count_rows(db_path, "mini"), 3);
	out = report(f_soon, dir, "r-soon");
	check_report(dir, "r-soon", out, "interim data (the window opens on "
	    "2099-01-01)");
	free(out);
	cl_client_free(&c);
	cl_server_cleanup(&s);

	free(code1);
	free(code2);
	free(draft);
	free(journey);
	free(draft2);
	free(journey2);
	test_rmtree(dir);
	return test_done();
}
