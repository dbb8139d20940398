/*
 * Candor -> REDCap -> Candor, for the default survey and the mini fixture:
 * the dictionary written from the imported form is byte for byte the one
 * written from the original, and the imported form asks the same things
 * (variables, kinds, choice codes and flags, ranges, required, quasi-
 * identifiers) and shows and scores the same on many generated answer
 * sets.
 */
#include <math.h>

#include "csv_out.h"
#include "helpers.h"
#include "redcap.h"

/* The dictionary as CSV text, through the analysis' CSV writer. */
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

static unsigned long long rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random valid answer (or none) for every answered variable. */
static void
random_answers(const struct form *f, struct form_answers *a)
{
	for (size_t i = 0; i < f->nitem_vars; i++) {
		const struct form_item *it = f->vars[i].item;
		struct form_value *v = &a->v[i];
		form_answers_clear(a, i);
		if (rnd(5) == 0 || it->kind == FORM_TEXT)
			continue;
		v->set = 1;
		switch (it->kind) {
		case FORM_MULTIPLE:
			v->mask = 0;
			for (size_t c = 0; c < it->nchoices; c++)
				if (rnd(3) == 0 && !it->choices[c].exclusive)
					v->mask |= 1ull << c;
			if (v->mask == 0)
				for (size_t c = 0; c < it->nchoices; c++)
					if (it->choices[c].exclusive)
						v->mask = 1ull << c;
			if (v->mask == 0)
				v->mask = 1;
			break;
		case FORM_SINGLE:
		case FORM_DURATION:
		case FORM_GRID:
			v->i = it->choices[rnd((unsigned)it->nchoices)].value;
			break;
		case FORM_YESNO:
			v->i = rnd(2);
			break;
		case FORM_INTEGER:
		case FORM_SCALE:
			v->i = (long)it->min +
			    (long)rnd((unsigned)(it->max - it->min + 1));
			break;
		case FORM_DECIMAL:
			v->r = it->min + (it->max - it->min) * rnd(1001) / 1000.0;
			break;
		default:
			v->set = 0;
			break;
		}
	}
}

static const struct form_item *
item_of(const struct form *f, const char *var)
{
	long i = form_var_find(f, var);

	return i < 0 ? NULL : f->vars[i].item;
}

/* Same questions: kinds, codes, flags, ranges, required, identifiers. */
static void
compare_structure(const struct form *f, const struct form *g)
{
	CHECK_INT(g->nvars, f->nvars);
	CHECK_INT(g->nitem_vars, f->nitem_vars);
	for (size_t i = 0; i < f->nvars; i++) {
		const struct form_var *a = &f->vars[i];
		long j = form_var_find(g, a->name);
		CHECK(j == (long)i); /* same order too */
		if (j < 0) {
			fprintf(stderr, "missing variable %s\n", a->name);
			continue;
		}
		const struct form_var *b = &g->vars[j];
		CHECK_INT(b->type, a->type);
		if (a->score != NULL) {
			CHECK(b->score != NULL);
			if (b->score != NULL)
				CHECK_INT(b->score->kind, a->score->kind);
			continue;
		}
		const struct form_item *x = a->item, *y = b->item;
		CHECK(y != NULL);
		if (y == NULL)
			continue;
		if (x->kind != y->kind)
			fprintf(stderr, "%s: kind %s, want %s\n", a->name,
			    form_kind_name(y->kind), form_kind_name(x->kind));
		CHECK_INT(y->kind, x->kind);
		CHECK_INT(y->required, x->required);
		CHECK_INT(y->quasi_identifier, x->quasi_identifier);
		CHECK_INT(y->nchoices, x->nchoices);
		for (size_t c = 0; c < x->nchoices && c < y->nchoices; c++) {
			CHECK_INT(y->choices[c].value, x->choices[c].value);
			CHECK_INT(y->choices[c].exclusive, x->choices[c].exclusive);
			CHECK_INT(y->choices[c].missing, x->choices[c].missing);
		}
		if (x->kind == FORM_INTEGER || x->kind == FORM_DECIMAL ||
		    x->kind == FORM_SCALE) {
			CHECK(y->min == x->min);
			CHECK(y->max == x->max);
		}
		if (x->kind == FORM_TEXT)
			CHECK_INT(y->max_length, x->max_length);
	}
}

/* Same visibility and same scores on n generated answer sets. */
static void
compare_behaviour(const struct form *f, const struct form *g, int n)
{
	struct form_answers *a = form_answers_new(f), *b = form_answers_new(g);
	struct diag d;
	size_t shown = 0, hidden = 0;

	diag_init(&d);
	for (int k = 0; k < n; k++) {
		random_answers(f, a);
		char *js = form_answers_to_json(a, 0, f->nitem_vars);
		for (size_t i = 0; i < g->nvars; i++)
			form_answers_clear(b, i);
		CHECK(js != NULL && form_answers_from_json(b, js, &d) == 0);
		free(js);
		for (size_t i = 0; i < f->nitem_vars; i++) {
			const struct form_item *x = f->vars[i].item;
			const struct form_item *y = item_of(g, f->vars[i].name);
			if (y == NULL)
				continue;
			int vx = form_item_visible(f, x, a);
			int vy = form_item_visible(g, y, b);
			if (vx != vy) {
				fprintf(stderr, "set %d: %s shown %d, imported %d\n",
				    k, f->vars[i].name, vx, vy);
				test_failures++;
			}
			shown += vx != 0;
			hidden += vx == 0;
		}
		form_score(f, a);
		form_score(g, b);
		for (size_t i = f->nitem_vars; i < f->nvars; i++) {
			const struct form_value *va = &a->v[i], *vb = &b->v[i];
			CHECK_INT(vb->set, va->set);
			if (va->set && vb->set &&
			    fabs(form_value_number(f, i, va) -
			        form_value_number(g, i, vb)) > 1e-9) {
				fprintf(stderr, "set %d: score %s differs\n", k,
				    f->vars[i].name);
				test_failures++;
			}
		}
	}
	/* The generated sets exercise both sides of the branching. */
	CHECK(shown > 0 && hidden > 0);
	diag_print(&d, stderr);
	diag_free(&d);
	form_answers_free(a);
	form_answers_free(b);
}

static void
round_trip(const char *rel, const char *id, const char *dir)
{
	struct form *f = load_fixture(rel), *g = NULL;
	struct redcap_dict d1, d2, parsed;
	struct diag err, warn;
	char p1[1200], p2[1200];
	char *csv1 = NULL, *csv2 = NULL, *json = NULL;
	size_t n1 = 0, n2 = 0;

	diag_init(&err);
	diag_init(&warn);
	snprintf(p1, sizeof(p1), "%s/%s.1.csv", dir, id);
	snprintf(p2, sizeof(p2), "%s/%s.2.csv", dir, id);
	CHECK_INT(redcap_export(rel, f, &d1, &err), 0);
	CHECK((csv1 = dict_csv(&d1, p1, &n1)) != NULL);
	CHECK_INT(redcap_csv_parse(p1, csv1, n1, &parsed, &err), 0);
	CHECK_INT(redcap_import(p1, &parsed, id, &json, &err, &warn), 0);
	diag_print(&err, stderr);
	CHECK_INT(err.total, 0);
	/* The one warning: the consent block is a placeholder. */
	CHECK_INT(warn.total, 1);
	CHECK(warn.n == 1 && strstr(warn.a[0].what, "placeholder") != NULL);
	CHECK(json != NULL && form_load_buffer("imported.json", json,
	    strlen(json), &g, &err) == 0);
	if (g != NULL) {
		CHECK_STR(g->id, id);
		CHECK_INT(redcap_export("imported.json", g, &d2, &err), 0);
		CHECK((csv2 = dict_csv(&d2, p2, &n2)) != NULL);
		CHECK(csv1 != NULL && csv2 != NULL && n1 == n2 &&
		    memcmp(csv1, csv2, n1) == 0);
		compare_structure(f, g);
		compare_behaviour(f, g, 3000);
		redcap_dict_free(&d2);
	}
	diag_print(&err, stderr);
	redcap_dict_free(&d1);
	redcap_dict_free(&parsed);
	diag_free(&err);
	diag_free(&warn);
	free(csv1);
	free(csv2);
	free(json);
	form_free(f);
	form_free(g);
}

int
main(void)
{
	char dir[1024];

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	round_trip("forms/fibromyalgia-therapies.json", "fibromyalgia-therapies",
	    dir);
	round_trip("tests/forms/data/mini.json", "mini", dir);
	test_rmtree(dir);
	return test_done();
}
