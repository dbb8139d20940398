/*
 * The answers' JSON fast paths (form_answers_fast.c) give what the general
 * jansson paths give: on many generated answer texts, over three forms
 * with every item kind, form_answers_from_json() (fast first) and
 * form_answers_from_json_tree() agree on the return code, every value and
 * every error message; the fast decoder alone, whenever it accepts, agrees
 * too; and form_answers_to_json() writes the same bytes as
 * form_answers_to_json_tree() for the decoded answers, their scores and
 * awkward reals.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "form_fast.h"
#include "helpers.h"

#define ROUNDS 4000 /* generated texts per form */

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static int clean; /* this text: valid values only, in the stored shape */

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

/* A growing text. */
struct out {
	char s[16384];
	size_t n;
};

static void
put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(o->s + o->n, sizeof(o->s) - o->n, fmt, ap);
	va_end(ap);
	if (k > 0 && (size_t)k < sizeof(o->s) - o->n)
		o->n += (size_t)k;
}

static long
some_choice(const struct form_item *it)
{
	return it->choices[rnd((unsigned)it->nchoices)].value;
}

/* A value of variable iv: mostly valid, sometimes any of the ways a stored
 * value can be wrong or merely written differently. */
static void
gen_value(const struct form *f, size_t iv, struct out *o)
{
	const struct form_var *v = &f->vars[iv];
	const struct form_item *it = v->item;
	unsigned odd = clean ? 70 + rnd(30) : rnd(100);
	static const char *const strange[] = {
		"true", "null", "\"\"", "\" 3 \"", "\"3\"", "-0", "01", "2.0",
		"1e2", "12345678901234567890", "-9223372036854775809", "{}",
		"\"x\"", "[1]", "\"\\u0033\"", "3.5", "1E400", "-", "\"\\n\"",
	};

	if (it == NULL) { /* a score */
		put(o, odd < 50 ? "%.0f" : "%.2f", rnd(2000) / 100.0);
		return;
	}
	if (odd < 8) {
		put(o, "%s", strange[rnd(sizeof(strange) / sizeof(strange[0]))]);
		return;
	}
	switch (v->type) {
	case FORM_T_INT:
		if (it->nchoices > 0)
			put(o, "%ld", odd < 14 ? (long)rnd(200) - 100 :
			    some_choice(it));
		else if (clean)
			put(o, "%ld", (long)it->min +
			    (long)rnd((unsigned)(it->max - it->min + 1)));
		else
			put(o, "%ld", (long)it->min - 1 +
			    (long)rnd((unsigned)(it->max - it->min + 3)));
		break;
	case FORM_T_REAL: {
		double lo = it->min - 5, hi = it->max + 5;
		double x;
		if (clean) {
			lo = it->min;
			hi = it->max;
		}
		x = lo + (hi - lo) * rnd(1000000) / 1e6;
		switch (clean ? rnd(2) : rnd(5)) {
		case 0: put(o, "%.17g", x); break;
		case 1: put(o, "%.3f", x); break;
		case 2: put(o, "%ld", (long)x); break;
		case 3: put(o, "%.6e", x); break;
		default: put(o, "\"%.2f\"", x); break;
		}
		break;
	}
	case FORM_T_SET: {
		size_t n = rnd(4);
		uint64_t used = 0;
		if (odd < 12) {
			put(o, "%ld", some_choice(it)); /* not a list */
			break;
		}
		put(o, "[");
		for (size_t k = 0; k < n; k++) {
			long c = odd < 20 ? (long)rnd(20) - 2 : some_choice(it);
			size_t ci = 0;
			while (ci < it->nchoices && it->choices[ci].value != c)
				ci++;
			if (odd >= 30 && ci < it->nchoices &&
			    (used >> ci & 1))
				continue; /* mostly no repeats */
			if (clean && ci < it->nchoices &&
			    it->choices[ci].exclusive && n > 1)
				continue;
			if (ci < it->nchoices)
				used |= (uint64_t)1 << ci;
			put(o, "%s%ld", k ? "," : "", c);
		}
		put(o, "]");
		break;
	}
	case FORM_T_TEXT: {
		static const char *const bits[] = {
			"a", "Ok ", "\\\"", "\\\\", "\\n", "\\t", "\\u00e9",
			"\xc3\xa9", "/", "\\/", "\x7f", "\xff", "\xed\xa0\x80",
			"\\u0000", "\x01", "7",
		};
		size_t n = rnd(odd < 15 ? 80 : 6);
		put(o, "\"");
		for (size_t k = 0; k < n; k++) {
			unsigned b = odd < 40 ? rnd(16) : odd < 70 ? rnd(2) :
			    (unsigned)(15 - rnd(2) * 15);
			put(o, "%s", bits[b]);
		}
		put(o, "\"");
		break;
	}
	default:
		put(o, "0");
	}
}

/* An answers text for f: item variables in order with random values, and
 * now and then a key out of order, repeated, unknown or a score, spaces,
 * or a broken end. */
static void
gen_text(const struct form *f, struct out *o)
{
	unsigned shape;
	size_t keys = 0;
	const char *sep, *colon;

	clean = rnd(2);
	shape = clean ? 99 : rnd(100);
	sep = shape < 5 ? ", " : ",";
	colon = shape < 8 ? ": " : ":";
	o->n = 0;
	o->s[0] = '\0';
	put(o, "%s", shape == 9 ? " {" : "{");
	for (size_t i = 0; i < f->nitem_vars; i++) {
		size_t iv = i;
		if (rnd(100) < 45)
			continue;
		if (shape >= 10 && shape < 14 && rnd(8) == 0)
			iv = rnd((unsigned)f->nvars); /* any order, scores too */
		put(o, "%s\"%s\"%s", keys++ ? sep : "",
		    shape == 14 && rnd(10) == 0 ? "ghost" : f->vars[iv].name,
		    colon);
		gen_value(f, iv, o);
		if (shape == 15 && rnd(10) == 0) { /* the same key again */
			put(o, "%s\"%s\"%s", sep, f->vars[iv].name, colon);
			gen_value(f, iv, o);
		}
	}
	put(o, "}");
	if (shape == 16)
		o->s[--o->n] = '\0'; /* truncated */
	else if (shape == 17)
		put(o, " ");
	else if (shape == 18)
		put(o, "x");
}

static int
same_values(const struct form_answers *x, const struct form_answers *y)
{
	for (size_t i = 0; i < x->form->nvars; i++) {
		const struct form_value *a = &x->v[i], *b = &y->v[i];
		if (a->set != b->set || a->i != b->i ||
		    memcmp(&a->r, &b->r, sizeof(a->r)) != 0 ||
		    a->mask != b->mask || (a->text == NULL) != (b->text == NULL) ||
		    (a->text != NULL && strcmp(a->text, b->text) != 0)) {
			fprintf(stderr, "variable %s differs\n",
			    x->form->vars[i].name);
			return 0;
		}
	}
	return 1;
}

static int
same_diag(const struct diag *a, const struct diag *b)
{
	if (a->n != b->n || a->total != b->total)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->a[i].where, b->a[i].where) != 0 ||
		    strcmp(a->a[i].what, b->a[i].what) != 0)
			return 0;
	return 1;
}

/* to_json and to_json_tree over one range: same bytes (or both NULL). */
static int
same_encoding(const struct form_answers *a, size_t from, size_t to)
{
	char *x = form_answers_to_json(a, from, to);
	char *y = form_answers_to_json_tree(a, from, to);
	int ok = (x == NULL && y == NULL) ||
	    (x != NULL && y != NULL && strcmp(x, y) == 0);

	if (!ok)
		fprintf(stderr, "encodings differ:\n  %s\n  %s\n",
		    x ? x : "(null)", y ? y : "(null)");
	free(x);
	free(y);
	return ok;
}

/* Fixed cases every form must agree on. */
static const char *const fixed[] = {
	"{}", "", "{", "}", "[]", "{}x", "{} ", " {}", "null", "{\"\":1}",
	"{\"a\"}", "{\"ghost\":1}", "{,}", "{\"x\":1,}",
};

static void
run_form(const char *rel)
{
	struct form *f = load_fixture(rel);
	struct form_answers *x = form_answers_new(f), *y = form_answers_new(f),
	    *z = form_answers_new(f);
	struct out o;
	struct diag dx, dy;
	size_t nfast = 0, nfall = 0, nencoded = 0, bad = 0;
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);

	diag_init(&dx);
	diag_init(&dy);
	for (size_t r = 0; r < ROUNDS + nfixed; r++) {
		int rx, ry;
		if (r < nfixed) {
			snprintf(o.s, sizeof(o.s), "%s", fixed[r]);
			o.n = strlen(o.s);
		} else
			gen_text(f, &o);
		for (size_t i = 0; i < f->nvars; i++) {
			form_answers_clear(x, i);
			form_answers_clear(y, i);
			form_answers_clear(z, i);
		}
		diag_clear(&dx);
		diag_clear(&dy);
		rx = form_answers_from_json(x, o.s, &dx);
		ry = form_answers_from_json_tree(y, o.s, &dy);
		if (rx != ry || !same_values(x, y) || !same_diag(&dx, &dy)) {
			if (bad++ < 5)
				fprintf(stderr, "%s: decodes differ (%d, %d): %s\n",
				    rel, rx, ry, o.s);
			continue;
		}
		if (form_answers_fast_decode(z, o.s) == 0) {
			nfast++;
			CHECK_INT(ry, 0);
			CHECK(same_values(z, y));
		} else
			nfall++;
		if (ry != 0)
			continue;
		form_score(f, y);
		nencoded++;
		CHECK(same_encoding(y, 0, f->nitem_vars));
		CHECK(same_encoding(y, f->nitem_vars, f->nvars));
		CHECK(same_encoding(y, 0, f->nvars));
	}
	fprintf(stderr, "%s: %zu fast, %zu general, %zu encoded\n", rel, nfast,
	    nfall, nencoded);
	CHECK_INT((long)bad, 0);
	/* Both paths really ran. */
	CHECK(nfast > ROUNDS / 10);
	CHECK(nfall > ROUNDS / 10);

	/* Awkward reals, in every real variable (decimals and scores). */
	{
		static const double reals[] = {
			0.1, 1.0 / 3, 1e21, 1e22, 1e-7, 123456.0, -0.0, 0.0,
			5e-324, DBL_MAX, -DBL_MAX, 1e17, 100, 70.125, 2.5e-5,
			123456789012345678.0, 1e100, -1e-100,
		};
		for (size_t i = 0; i < f->nvars; i++) {
			if (f->vars[i].type != FORM_T_REAL)
				continue;
			for (size_t k = 0; k < sizeof(reals) / sizeof(reals[0]);
			    k++) {
				y->v[i].set = 1;
				y->v[i].r = reals[k];
				CHECK(same_encoding(y, 0, f->nvars));
			}
			y->v[i].r = NAN; /* json_real() refuses: both NULL */
			CHECK(same_encoding(y, 0, f->nvars));
			y->v[i].r = INFINITY;
			CHECK(same_encoding(y, 0, f->nvars));
			form_answers_clear(y, i);
		}
	}
	diag_free(&dx);
	diag_free(&dy);
	form_answers_free(x);
	form_answers_free(y);
	form_answers_free(z);
	form_free(f);
}

int
main(void)
{
	run_form("tests/forms/data/mini.json");
	run_form("tests/analysis/data/export_form.json");
	run_form("forms/fibromyalgia-therapies.json");
	return test_done();
}
