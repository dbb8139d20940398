/*
 * The study window of a form file ("window": opens, closes, final):
 *  - window_phases: a valid window at day and at month precision puts a
 *    date before, inside, after closing and from final in the right phase
 *    (each date is the first day of what follows it); "final" left out is
 *    the closing date; a form without a window is always open;
 *  - window_bad_*: a date of the other precision, a day that does not
 *    exist, a year out of range, opens not before closes, final before
 *    closes, a missing key, an unknown key and a window that is not an
 *    object are each reported at their JSON path with the rule, all of
 *    them in one pass; collector --check-form prints them and exits 1.
 */
#include "helpers.h"

#include "diag.h"
#include "form.h"

/* mini.json with extra text inserted after its "version" line. */
static char *
with(const char *extra)
{
	char path[1024], *txt, *out, *at;
	size_t n, len;

	test_src_path("tests/collector/mini.json", path, sizeof(path));
	txt = test_read_file(path, &n);
	if (txt == NULL || (at = strstr(txt, "\"version\": 1,")) == NULL)
		abort();
	at += strlen("\"version\": 1,");
	len = n + strlen(extra) + 2;
	out = malloc(len);
	if (out == NULL)
		abort();
	snprintf(out, len, "%.*s %s%s", (int)(at - txt), txt, extra, at);
	free(txt);
	return out;
}

static struct form *
load(const char *extra, struct diag *d)
{
	struct form *f = NULL;
	char *txt = with(extra);

	diag_clear(d);
	form_load_buffer("w.json", txt, strlen(txt), &f, d);
	free(txt);
	return f;
}

/* Does some problem read "w.json: where: ..." and contain what? */
static int
has(const struct diag *d, const char *where, const char *what)
{
	char w[256];

	snprintf(w, sizeof(w), "w.json: %s", where);
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->a[i].where, w) == 0 &&
		    strstr(d->a[i].what, what) != NULL)
			return 1;
	fprintf(stderr, "no problem \"%s: ...%s...\"; got:\n", w, what);
	diag_print(d, stderr);
	return 0;
}

int
main(void)
{
	struct diag d;
	struct form *f;

	diag_init(&d);

	/* window_phases, day precision */
	f = load("\"window\": {\"opens\": \"2026-03-01\", \"closes\": "
	    "\"2026-06-01\", \"final\": \"2026-07-15\"},", &d);
	CHECK(f != NULL && f->window.set);
	if (f != NULL) {
		CHECK_INT(form_phase_on(f, "2026-02-28"), FORM_PHASE_BEFORE);
		CHECK_INT(form_phase_on(f, "2026-03-01"), FORM_PHASE_OPEN);
		CHECK_INT(form_phase_on(f, "2026-05-31"), FORM_PHASE_OPEN);
		CHECK_INT(form_phase_on(f, "2026-06-01"), FORM_PHASE_CLOSED);
		CHECK_INT(form_phase_on(f, "2026-07-14"), FORM_PHASE_CLOSED);
		CHECK_INT(form_phase_on(f, "2026-07-15"), FORM_PHASE_FINAL);
		CHECK_INT(form_phase_on(f, "2031-01-01"), FORM_PHASE_FINAL);
		CHECK_STR(f->window.final, "2026-07-15");
	}
	form_free(f);

	/* month precision; final left out is closes */
	f = load("\"date_precision\": \"month\", \"window\": {\"opens\": "
	    "\"2026-03\", \"closes\": \"2026-09\"},", &d);
	CHECK(f != NULL && f->window.set);
	if (f != NULL) {
		CHECK_STR(f->window.final, "2026-09");
		CHECK_INT(form_phase_on(f, "2026-02"), FORM_PHASE_BEFORE);
		CHECK_INT(form_phase_on(f, "2026-08"), FORM_PHASE_OPEN);
		CHECK_INT(form_phase_on(f, "2026-09"), FORM_PHASE_FINAL);
	}
	form_free(f);

	/* 29 February of a leap year is a day. */
	f = load("\"window\": {\"opens\": \"2028-02-29\", \"closes\": "
	    "\"2028-03-01\"},", &d);
	CHECK(f != NULL && f->window.set);
	form_free(f);

	/* No window: always open. */
	f = load("", &d);
	CHECK(f != NULL && !f->window.set);
	if (f != NULL)
		CHECK_INT(form_phase_on(f, "1999-01-01"), FORM_PHASE_OPEN);
	form_free(f);

	/* window_bad_precision, window_bad_day, window_bad_year */
	f = load("\"window\": {\"opens\": \"2026-03\", \"closes\": "
	    "\"2026-02-30\", \"final\": \"1999-01-01\"},", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window.opens", "must be a date \"YYYY-MM-DD\""));
	CHECK(has(&d, "window.closes", "got \"2026-02-30\""));
	CHECK(has(&d, "window.final", "years 2000-2999"));
	form_free(f);
	f = load("\"date_precision\": \"month\", \"window\": {\"opens\": "
	    "\"2026-03-01\", \"closes\": \"2026-13\"},", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window.opens", "must be a date \"YYYY-MM\" (the "
	    "form's date_precision is \"month\")"));
	CHECK(has(&d, "window.closes", "got \"2026-13\""));
	form_free(f);
	f = load("\"window\": {\"opens\": \"2027-02-29\", \"closes\": "
	    "\"2027-03-01\"},", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window.opens", "got \"2027-02-29\""));
	form_free(f);

	/* window_bad_order */
	f = load("\"window\": {\"opens\": \"2026-06-01\", \"closes\": "
	    "\"2026-06-01\", \"final\": \"2026-05-01\"},", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window.closes", "must be after window.opens "
	    "(2026-06-01)"));
	CHECK(has(&d, "window.final", "must not be before window.closes "
	    "(2026-06-01), got 2026-05-01"));
	form_free(f);

	/* window_bad_keys */
	f = load("\"window\": {\"opens\": \"2026-06-01\", \"until\": "
	    "\"2026-07-01\"},", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window.closes", "missing"));
	CHECK(has(&d, "window.until", "unknown key"));
	form_free(f);
	f = load("\"window\": \"2026\",", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window", "must be an object"));
	form_free(f);
	f = load("\"window\": {\"opens\": \"2026-06-01\", \"closes\": "
	    "\"2026-07-01\", \"final\": 7},", &d);
	CHECK(f == NULL);
	CHECK(has(&d, "window.final", "must be a string"));
	form_free(f);

	/* collector --check-form prints them and exits 1. */
	{
		char bin[1024], dir[512], path[700], *out = NULL;
		char *txt = with("\"window\": {\"opens\": \"2026-06-01\", "
		    "\"closes\": \"2026-05-01\"},");
		test_bin_path("collector", bin, sizeof(bin));
		CHECK_INT(test_tmpdir(dir, sizeof(dir)), 0);
		snprintf(path, sizeof(path), "%s/w.json", dir);
		CHECK_INT(test_write_file(path, txt, strlen(txt)), 0);
		char *argv[] = {bin, "--check-form", path, NULL};
		CHECK_INT(test_run(argv, &out, NULL), 1);
		CHECK(out != NULL && strstr(out, "w.json: window.closes: must "
		    "be after window.opens (2026-06-01), got 2026-05-01") !=
		    NULL);
		free(out);
		free(txt);
		test_rmtree(dir);
	}
	diag_free(&d);
	return test_done();
}
