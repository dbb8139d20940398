/*
 * REDCap -> Candor -> REDCap on a hand-written dictionary in REDCap's own
 * format (BOM, CRLF, every cell quoted, a dropdown, a checkbox with "none
 * of these", a slider, a matrix headed by its section header, calc fields,
 * and branching with and/or/parentheses, <>, '' and checkbox options).
 * The imported form has the expected questions and shows them when REDCap
 * would; exporting it gives back the dictionary's cells; a second round
 * gives the same bytes.
 */
#include "csv_out.h"
#include "helpers.h"
#include "redcap.h"

static const struct redcap_row *
row_of(const struct redcap_dict *d, const char *var)
{
	for (size_t i = 0; i < d->nrows; i++)
		if (strcmp(d->rows[i].f[RC_VAR], var) == 0)
			return &d->rows[i];
	return NULL;
}

static struct form *
import(const struct redcap_dict *d, const char *id, struct diag *warn)
{
	struct diag err;
	struct form *f = NULL;
	char *json = NULL;

	diag_init(&err);
	CHECK_INT(redcap_import("t.csv", d, id, &json, &err, warn), 0);
	diag_print(&err, stderr);
	CHECK(json != NULL &&
	    form_load_buffer("t.json", json, strlen(json), &f, &err) == 0);
	diag_free(&err);
	free(json);
	if (f == NULL)
		exit(1);
	return f;
}

static void
set_num(struct form_answers *a, const char *var, long v)
{
	long i = form_var_find(a->form, var);

	CHECK(i >= 0);
	form_answers_clear(a, (size_t)i);
	a->v[i].set = 1;
	a->v[i].i = v;
}

static int
shown(const struct form_answers *a, const char *var)
{
	long i = form_var_find(a->form, var);

	return form_item_visible(a->form, a->form->vars[i].item, a);
}

/* Behaviour REDCap has for this dictionary, on the imported form. */
static void
check_form(const struct form *f)
{
	const struct form_item *it;
	struct form_answers *a = form_answers_new(f);
	const char *sites[] = {"2"}, *none[] = {"0"};

	CHECK_INT(f->npages, 4);
	CHECK_STR(f->pages[0].title.s[0], "About you");
	CHECK(f->free_text_allowed);
	it = f->vars[form_var_find(f, "age_group")].item;
	CHECK_INT(it->kind, FORM_SINGLE);
	CHECK(it->required && it->quasi_identifier);
	CHECK_INT(it->nchoices, 3);
	it = f->vars[form_var_find(f, "cigs_day")].item;
	CHECK_INT(it->kind, FORM_INTEGER);
	CHECK(it->min == 1 && it->max == 80);
	it = f->vars[form_var_find(f, "pain_sites")].item;
	CHECK_INT(it->kind, FORM_MULTIPLE);
	CHECK(it->nchoices == 4 && it->choices[3].value == 0 &&
	    it->choices[3].exclusive);
	it = f->vars[form_var_find(f, "back_severity")].item;
	CHECK_STR(it->help.s[0], "Think of the past week.");
	it = f->vars[form_var_find(f, "pain_now")].item;
	CHECK_INT(it->kind, FORM_SCALE);
	CHECK(it->min == 0 && it->max == 10 && it->required);
	CHECK_STR(it->min_label.s[0], "No pain");
	CHECK_STR(it->max_label.s[0], "Worst pain imaginable");
	it = f->vars[form_var_find(f, "fatigue_2")].item;
	CHECK_INT(it->kind, FORM_GRID);
	CHECK_INT(it->nrows, 3);
	CHECK(it->required);
	CHECK_STR(it->label.s[0], "In the past week, how often did you...");
	CHECK_INT(f->vars[form_var_find(f, "sleep_hours")].item->kind,
	    FORM_DECIMAL);
	it = f->vars[form_var_find(f, "comments")].item;
	CHECK(it->kind == FORM_TEXT && it->max_length == 500 && it->free_text);
	CHECK_INT(f->nscores, 2);
	CHECK(f->scores[0].kind == FORM_SCORE_SUM && f->scores[0].nitems == 3);
	CHECK(f->scores[1].kind == FORM_SCORE_MEAN && f->scores[1].nitems == 2);

	/* [smoker] = '1' and [smoker] <> '1' (shown when blank, as REDCap) */
	CHECK(!shown(a, "cigs_day"));
	CHECK(shown(a, "sleep_hours"));
	set_num(a, "smoker", 1);
	CHECK(shown(a, "cigs_day"));
	CHECK(!shown(a, "sleep_hours"));
	set_num(a, "smoker", 0);
	CHECK(!shown(a, "cigs_day"));
	CHECK(shown(a, "sleep_hours"));
	/* [pain_sites(2)] = '1' */
	CHECK(!shown(a, "back_severity"));
	set_multi(a, "pain_sites", sites, 1);
	CHECK(shown(a, "back_severity"));
	CHECK(shown(a, "pain_now"));
	set_multi(a, "pain_sites", none, 1);
	CHECK(!shown(a, "back_severity"));
	CHECK(!shown(a, "pain_now"));
	/* ([age_group] = '1' or [age_group] = '2') and [pain_now] >= 4 */
	set_num(a, "age_group", 2);
	set_num(a, "pain_now", 4);
	CHECK(shown(a, "work_stop"));
	set_num(a, "age_group", 3);
	CHECK(!shown(a, "work_stop"));
	set_num(a, "age_group", 1);
	set_num(a, "pain_now", 3);
	CHECK(!shown(a, "work_stop"));
	/* [age_group] <> '' and ([smoker] = '0' or [pain_now] < 3) */
	CHECK(shown(a, "comments")); /* smoker 0 */
	set_num(a, "smoker", 1);
	CHECK(!shown(a, "comments"));
	set_num(a, "pain_now", 2);
	CHECK(shown(a, "comments"));
	form_answers_clear(a, (size_t)form_var_find(f, "age_group"));
	CHECK(!shown(a, "comments"));
	form_answers_free(a);
}

static char *
dict_csv(const struct redcap_dict *d, const char *path, size_t *len)
{
	struct csv_out c;

	if (csv_open(&c, path) != 0)
		return NULL;
	for (int i = 0; i < RC__MAX; i++)
		csv_field(&c, redcap_columns[i]);
	csv_end_row(&c);
	for (size_t r = 0; r < d->nrows; r++) {
		for (int i = 0; i < RC__MAX; i++)
			csv_field(&c, d->rows[r].f[i]);
		csv_end_row(&c);
	}
	if (csv_close(&c) != 0)
		return NULL;
	return test_read_file(path, len);
}

int
main(void)
{
	static const enum redcap_col kept[] = {RC_FORM, RC_LABEL, RC_NOTE,
	    RC_VALID, RC_MIN, RC_MAX, RC_IDENT, RC_BRANCH, RC_REQUIRED,
	    RC_ANNOT};
	char path[1024], dir[1024], p1[1100], p2[1100];
	struct redcap_dict src, d1, d2;
	struct diag err, warn;
	struct form *f, *g;
	size_t len, n1 = 0, n2 = 0;
	char *buf, *c1, *c2;

	diag_init(&err);
	diag_init(&warn);
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	buf = test_read_file(test_src_path(
	    "tests/forms/data/redcap_pain_study.csv", path, sizeof(path)), &len);
	CHECK(buf != NULL);
	CHECK_INT(redcap_csv_parse("t.csv", buf, len, &src, &err), 0);
	diag_print(&err, stderr);
	CHECK_INT(src.nrows, 15);
	f = import(&src, "pain-study", &warn);
	CHECK_INT(warn.total, 1); /* the consent placeholder, nothing else */
	check_form(f);

	/* Back to REDCap: each field keeps its cells. */
	CHECK_INT(redcap_export("t.json", f, &d1, &err), 0);
	for (size_t i = 0; i < src.nrows; i++) {
		const struct redcap_row *a = &src.rows[i];
		const struct redcap_row *b = row_of(&d1, a->f[RC_VAR]);
		CHECK(b != NULL);
		if (b == NULL)
			continue;
		for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++)
			if (strcmp(a->f[kept[k]], b->f[kept[k]]) != 0) {
				fprintf(stderr, "%s: %s \"%s\", was \"%s\"\n",
				    a->f[RC_VAR], redcap_columns[kept[k]],
				    b->f[kept[k]], a->f[kept[k]]);
				test_failures++;
			}
		if (strcmp(a->f[RC_TYPE], "calc") != 0)
			CHECK_STR(b->f[RC_CHOICES], a->f[RC_CHOICES]);
		else
			CHECK(strncmp(b->f[RC_CHOICES], a->f[RC_CHOICES], 4) == 0);
		CHECK_STR(b->f[RC_TYPE], strcmp(a->f[RC_TYPE], "dropdown") == 0 ?
		    "radio" : a->f[RC_TYPE]);
		CHECK_INT(b->f[RC_MATRIX][0] != '\0', a->f[RC_MATRIX][0] != '\0');
	}

	/* And once more: the same bytes. */
	g = import(&d1, "pain-study", &warn);
	check_form(g);
	CHECK_INT(redcap_export("t.json", g, &d2, &err), 0);
	snprintf(p1, sizeof(p1), "%s/1.csv", dir);
	snprintf(p2, sizeof(p2), "%s/2.csv", dir);
	c1 = dict_csv(&d1, p1, &n1);
	c2 = dict_csv(&d2, p2, &n2);
	CHECK(c1 != NULL && c2 != NULL && n1 == n2 && memcmp(c1, c2, n1) == 0);

	free(c1);
	free(c2);
	free(buf);
	redcap_dict_free(&src);
	redcap_dict_free(&d1);
	redcap_dict_free(&d2);
	form_free(f);
	form_free(g);
	diag_free(&err);
	diag_free(&warn);
	test_rmtree(dir);
	return test_done();
}
