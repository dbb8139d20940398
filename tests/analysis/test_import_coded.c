/*
 * Import of files as researchers have them (import.h, import_csv_opts):
 * missing-value tokens ("NA", ".") read as no answer; a frequency-weight
 * column expanded exactly (3 stands for three respondents, 0 for none);
 * codes written as decimals ("7.0", "5.00") and choice labels ("One",
 * "Daily", "Head") stored as the form's codes. Then the failures, all
 * reported in one run with nothing stored: a code that is no choice
 * (the message lists the form's codes and labels), weights that are not
 * whole numbers 0..1000000, a weight column missing from the header or
 * named like a variable; and the --na list parser. Last, the same
 * through the command line (--na, --weight), and a bad --na refused
 * with exit status 2.
 */
#include "data/report_helpers.h"
#include "form.h"
#include "import.h"
#include "store.h"

struct seen {
	const struct form *f;
	int rows, grp1_pain7, sites_both, weight_unset;
};

static int
row_cb(const struct store_row *row, void *arg)
{
	struct seen *s = arg;
	struct form_answers *a = form_answers_new(s->f);
	struct diag d;

	diag_init(&d);
	s->rows++;
	if (a != NULL && form_answers_from_json(a, row->answers, &d) == 0) {
		const struct form_value *g = &a->v[form_var_find(s->f, "grp")];
		const struct form_value *p = &a->v[form_var_find(s->f, "pain")];
		const struct form_value *st = &a->v[form_var_find(s->f, "sites")];
		const struct form_value *w = &a->v[form_var_find(s->f, "weight")];
		if (g->set && g->i == 1 && p->set && p->i == 7)
			s->grp1_pain7++;
		/* Choice indexes 1 and 2 are Head (1) and Back (2). */
		if (st->set && st->mask == 6)
			s->sites_both++;
		if (!w->set)
			s->weight_unset++;
	}
	form_answers_free(a);
	diag_free(&d);
	return 0;
}

/* Import csv into a fresh database under dir; the import's status. */
static int
import(const struct form *f, const char *dir, const char *name,
    const char *csv, const struct import_opts *opt, struct import_result *res,
    struct diag *d, struct store **out)
{
	char path[1024], db[1024], err[256];
	struct store *st = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	snprintf(db, sizeof(db), "%s/%s.db", dir, name);
	CHECK(test_write_file(path, csv, strlen(csv)) == 0);
	CHECK(store_open(db, STORE_RDWR, &st, err, sizeof(err)) == STORE_OK);
	if (st == NULL)
		return -2;
	rc = import_csv_opts(f, st, path, opt, NULL, NULL, res, d);
	*out = st;
	return rc;
}

static int
has_error(const struct diag *d, const char *what)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->a[i].what, what) != NULL ||
		    strstr(d->a[i].where, what) != NULL)
			return 1;
	return 0;
}

static void
test_good(const struct form *f, const char *dir)
{
	static const char csv[] =
	    "grp,pain,uses_x,x_freq,sites,weight,freq\n"
	    "One,7.0,1,Daily,Head;2,NA,3\n"
	    "2,3,0,NA,NA,.,1\n"
	    "1,5.00,0,,0,70.5,0\n"
	    "1,7,0,,,72,1\n";
	struct import_opts opt = { .na = { "NA", "." }, .nna = 2, .weight = "freq" };
	struct import_result res;
	struct store *st = NULL;
	struct diag d;
	struct seen s;
	long n = -1;

	diag_init(&d);
	CHECK_INT(import(f, dir, "good", csv, &opt, &res, &d, &st), 0);
	diag_print(&d, stderr);
	CHECK_INT(res.rows, 4);
	CHECK_INT(res.stored, 5);     /* 3 + 1 + 0 + 1 */
	CHECK_INT(res.zero_weight, 1);
	CHECK_INT(res.na_cells, 4);
	CHECK_INT(res.recoded, 5);    /* One, 7.0, Daily, Head, 5.00 */
	if (st != NULL) {
		CHECK(store_count(st, NULL, &n) == STORE_OK);
		CHECK_INT(n, 5);
		memset(&s, 0, sizeof(s));
		s.f = f;
		CHECK(store_foreach(st, "small", row_cb, &s) == STORE_OK);
		CHECK_INT(s.rows, 5);
		CHECK_INT(s.grp1_pain7, 4);  /* three copies and the last row */
		CHECK_INT(s.sites_both, 3);
		CHECK_INT(s.weight_unset, 4);
	}
	store_close(st);
	diag_free(&d);
}

static void
test_bad(const struct form *f, const char *dir)
{
	static const char csv[] =
	    "grp,pain,uses_x,x_freq,freq\n"
	    "1.5,7,0,,1\n"
	    "Three,7,0,,1\n"
	    "1,7,0,,-1\n"
	    "1,7,0,,2.5\n"
	    "1,7,0,,1000001\n"
	    "1,7,0,,1\n";
	struct import_opts opt = { .na = { "NA" }, .nna = 1, .weight = "freq" };
	struct import_result res;
	struct store *st = NULL;
	struct diag d;
	long n = -1;

	diag_init(&d);
	CHECK_INT(import(f, dir, "bad", csv, &opt, &res, &d, &st), -1);
	CHECK_INT(res.errors, 5);
	CHECK_INT(res.stored, 0);
	CHECK(has_error(&d, "line 2, column grp"));
	CHECK(has_error(&d, "1 = One, 2 = Two, 99 = Prefer not to say"));
	CHECK(has_error(&d, "line 3, column grp"));
	CHECK(has_error(&d, "line 4, column freq"));
	CHECK(has_error(&d, "line 5, column freq"));
	CHECK(has_error(&d, "line 6, column freq"));
	CHECK(has_error(&d, "not a frequency weight"));
	if (st != NULL) {
		CHECK(store_count(st, NULL, &n) == STORE_OK);
		CHECK_INT(n, 0);
	}
	store_close(st);
	diag_free(&d);

	/* import_bad_weight_missing / import_bad_weight_variable */
	static const char nofreq[] = "grp,pain,uses_x\n1,7,0\n";
	struct import_opts w1 = { .weight = "freq" };
	diag_init(&d);
	CHECK_INT(import(f, dir, "nofreq", nofreq, &w1, &res, &d, &st), -1);
	CHECK(has_error(&d, "no weight column freq"));
	store_close(st);
	diag_free(&d);
	struct import_opts w2 = { .weight = "pain" };
	diag_init(&d);
	CHECK_INT(import(f, dir, "varfreq", nofreq, &w2, &res, &d, &st), -1);
	CHECK(has_error(&d, "must not be a variable"));
	store_close(st);
	diag_free(&d);
}

static void
test_na_parse(void)
{
	struct import_opts o;
	char buf[256];

	memset(&o, 0, sizeof(o));
	CHECK(import_na_parse("NA,.,-99", buf, sizeof(buf), &o) == NULL);
	CHECK_INT(o.nna, 3);
	CHECK_STR(o.na[0], "NA");
	CHECK_STR(o.na[1], ".");
	CHECK_STR(o.na[2], "-99");
	/* na_bad_*: empty list, empty token, control character, too long. */
	CHECK(import_na_parse("", buf, sizeof(buf), &o) != NULL);
	CHECK(import_na_parse("NA,,x", buf, sizeof(buf), &o) != NULL);
	CHECK(import_na_parse("N\tA", buf, sizeof(buf), &o) != NULL);
	CHECK(import_na_parse("0123456789012345678901234567890123",
	    buf, sizeof(buf), &o) != NULL);
	CHECK(import_na_parse("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", buf,
	    sizeof(buf), &o) != NULL);
	CHECK(import_na_parse("NA,.", buf, 3, &o) != NULL);
}

static void
test_cli(const char *dir, const char *form)
{
	static const char csv[] =
	    "grp,pain,uses_x,x_freq,n\n"
	    "Two,4.0,0,NA,4\n"
	    "1,6,1,Weekly,0\n"
	    "99,8,0,,2\n";
	char path[1024], db[1024];
	char *o = NULL, *e = NULL;

	snprintf(path, sizeof(path), "%s/cli.csv", dir);
	snprintf(db, sizeof(db), "%s/cli.db", dir);
	CHECK(test_write_file(path, csv, strlen(csv)) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", path, "--na", "NA,.", "--weight", "n", (char *)NULL), 0);
	CHECK(o != NULL && strstr(o, "imported 3 rows as 6 respondents") !=
	    NULL);
	CHECK(o != NULL && strstr(o, "1 cells held a missing-value token") !=
	    NULL);
	CHECK(o != NULL && strstr(o, "3 cells gave a code") != NULL);
	free(o);
	free(e);
	o = e = NULL;
	/* import_bad_na_flag */
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", path, "--na", "NA,,x", (char *)NULL), 2);
	CHECK(e != NULL && strstr(e, "--na") != NULL);
	free(o);
	free(e);
}

int
main(void)
{
	char dir[512];
	char *form = src(SMALL_FORM);
	struct form *f = NULL;
	struct diag d;

	diag_init(&d);
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	CHECK(form_load(form, &f, &d) == 0);
	if (f != NULL) {
		test_good(f, dir);
		test_bad(f, dir);
	}
	test_na_parse();
	test_cli(dir, form);
	form_free(f);
	diag_free(&d);
	free(form);
	return test_done();
}
