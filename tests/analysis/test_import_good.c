/*
 * A valid CSV is imported: quoted fields with commas and doubled quotes,
 * CRLF and LF line ends, a quoted field spanning lines is not needed here
 * but a multiple-choice cell "1;2" is, an empty cell is no answer, and the
 * period column is kept. Every row is stored with the form's id, version
 * and consent version, its answers decode, and its scores are computed.
 */
#include "data/report_helpers.h"
#include "form.h"
#include "store.h"

struct seen {
	const struct form *f;
	int rows, with_sites, periods_ok, scores_ok;
};

static int
row_cb(const struct store_row *row, void *arg)
{
	struct seen *s = arg;
	struct form_answers *a = form_answers_new(s->f);
	struct diag d;

	diag_init(&d);
	s->rows++;
	CHECK_STR(row->form_id, "small");
	CHECK_INT(row->form_version, 1);
	CHECK_STR(row->consent_version, "2026-11-01");
	if (strcmp(row->period, "2026-03-04") == 0 ||
	    strcmp(row->period, "2026-05-06") == 0)
		s->periods_ok++;
	CHECK(a != NULL && form_answers_from_json(a, row->answers, &d) == 0);
	if (a != NULL && a->v[form_var_find(s->f, "sites")].set)
		s->with_sites++;
	if (strstr(row->scores, "\"high\"") != NULL)
		s->scores_ok++;
	form_answers_free(a);
	diag_free(&d);
	return 0;
}

int
main(void)
{
	static const char csv[] =
	    "\xef\xbb\xbfgrp,pain,uses_x,x_freq,sites,weight,period\r\n"
	    "1,7,1,2,\"1;2\",71.5,2026-03-04\r\n"
	    "\"2\",3,0,,0,,2026-05-06\n"
	    "99,10,1,1,,\"80\",2026-03-04\r\n";
	char dir[512], path[1024], db[1024], err[256];
	char *form = src(SMALL_FORM), *o = NULL, *e = NULL;
	struct form *f = NULL;
	struct store *st = NULL;
	struct diag d;
	struct seen s;
	long n = -1;

	diag_init(&d);
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(path, sizeof(path), "%s/good.csv", dir);
	snprintf(db, sizeof(db), "%s/g.db", dir);
	CHECK(test_write_file(path, csv, sizeof(csv) - 1) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", path, (char *)NULL), 0);
	CHECK(o != NULL && strstr(o, "imported 3 rows") != NULL);
	CHECK(form_load(form, &f, &d) == 0);
	CHECK(store_open(db, STORE_RDONLY, &st, err, sizeof(err)) == STORE_OK);
	if (f != NULL && st != NULL) {
		CHECK(store_count(st, NULL, &n) == STORE_OK);
		CHECK_INT(n, 3);
		memset(&s, 0, sizeof(s));
		s.f = f;
		CHECK(store_foreach(st, "small", row_cb, &s) == STORE_OK);
		CHECK_INT(s.rows, 3);
		CHECK_INT(s.with_sites, 2);
		CHECK_INT(s.periods_ok, 3);
		CHECK_INT(s.scores_ok, 3);
	}
	store_close(st);
	form_free(f);
	diag_free(&d);
	free(form);
	free(o);
	free(e);
	test_rmtree(dir);
	return test_done();
}
