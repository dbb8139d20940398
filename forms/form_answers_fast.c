/*
 * The answers' JSON encoding without a JSON tree (form_fast.h). Every
 * collector request opens the answers sealed in its page state and every
 * final one stores them, and the analysis reads a million of them: a tree
 * per request, integers printed back to strings and parsed again, is most
 * of that work.
 *
 * The decoder reads only the exact shape form_answers_to_json() writes
 * and checks each value by the rules of form_value_parse(), precomputed
 * per variable when the form is loaded (struct fastvar), or by
 * form_value_parse() itself with the very string the general path would
 * give it. Anything else (whitespace, escapes, keys out of order, unknown
 * keys, scores, refused values) is left to the general path, so the
 * answers and the error messages are always the general path's. The
 * encoder writes the bytes jansson's json_dumps(JSON_COMPACT |
 * JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) writes, straight into a
 * growing buffer. tests/forms/test_answers_fast_same.c holds both to the
 * general paths.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form_fast.h"

/*
 * How the fast decoder checks a value of one item variable: the rules of
 * form_value_parse() for the item's kind. FV_SLOW calls form_value_parse()
 * itself (text, choices too far apart for a table).
 */
enum fv_mode { FV_SLOW, FV_CHOICE, FV_RANGE, FV_MULTI, FV_DECIMAL };

#define FV_TABLE_MAX 1024 /* widest choice-value range given a table */
#define FV_TEXT_STACK 256 /* strings shorter than this are copied on the stack */

struct fastvar {
	enum fv_mode mode;
	size_t nlen;      /* strlen of the name */
	long lo, hi;      /* FV_CHOICE, FV_MULTI: range of the table */
	int16_t *idx;     /* choice index of value lo + k, or -1 */
	double min, max;  /* FV_RANGE, FV_DECIMAL */
	uint64_t excl;    /* FV_MULTI: exclusive choices */
};

struct form_fast {
	size_t nvars;
	int plain_names;  /* every name [a-z0-9_]: written without escapes */
	struct fastvar *v; /* [nvars] */
};

/* The table of a choice item; 0, or -1 (memory). Leaves FV_SLOW if the
 * values are too far apart. */
static int
fastvar_choices(const struct form_item *it, struct fastvar *fv)
{
	if (it->nchoices == 0 || it->nchoices > FORM_MAX_CHOICES)
		return 0;
	fv->lo = fv->hi = it->choices[0].value;
	for (size_t j = 1; j < it->nchoices; j++) {
		if (it->choices[j].value < fv->lo)
			fv->lo = it->choices[j].value;
		if (it->choices[j].value > fv->hi)
			fv->hi = it->choices[j].value;
	}
	if (fv->hi - fv->lo >= FV_TABLE_MAX)
		return 0;
	fv->idx = malloc((size_t)(fv->hi - fv->lo + 1) * sizeof(*fv->idx));
	if (fv->idx == NULL)
		return -1;
	for (long k = 0; k <= fv->hi - fv->lo; k++)
		fv->idx[k] = -1;
	/* The first choice with a value, as choice_index() finds it. */
	for (size_t j = it->nchoices; j-- > 0;)
		fv->idx[it->choices[j].value - fv->lo] = (int16_t)j;
	for (size_t j = 0; j < it->nchoices; j++)
		if (it->choices[j].exclusive)
			fv->excl |= (uint64_t)1 << j;
	fv->mode = it->kind == FORM_MULTIPLE ? FV_MULTI : FV_CHOICE;
	return 0;
}

int
form_fast_new(const struct form *f, struct form_fast **out)
{
	struct form_fast *ff = calloc(1, sizeof(*ff));

	*out = NULL;
	if (ff == NULL)
		return -1;
	ff->nvars = f->nvars;
	ff->plain_names = 1;
	if ((ff->v = calloc(f->nvars ? f->nvars : 1, sizeof(*ff->v))) ==
	    NULL)
		goto fail;
	for (size_t i = 0; i < f->nvars; i++) {
		const struct form_item *it = f->vars[i].item;
		struct fastvar *fv = &ff->v[i];
		fv->nlen = strlen(f->vars[i].name);
		fv->mode = FV_SLOW;
		for (const char *p = f->vars[i].name; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			        (*p >= '0' && *p <= '9') || *p == '_'))
				ff->plain_names = 0;
		if (i >= f->nitem_vars || it == NULL)
			continue;
		switch (it->kind) {
		case FORM_YESNO:
		case FORM_SCALE:
		case FORM_INTEGER:
			fv->mode = FV_RANGE;
			fv->min = it->min;
			fv->max = it->max;
			break;
		case FORM_DECIMAL:
			fv->mode = FV_DECIMAL;
			fv->min = it->min;
			fv->max = it->max;
			break;
		case FORM_SINGLE:
		case FORM_DURATION:
		case FORM_GRID:
		case FORM_MULTIPLE:
			if (fastvar_choices(it, fv) != 0)
				goto fail;
			break;
		default:
			break;
		}
	}
	*out = ff;
	return 0;
fail:
	form_fast_free(ff);
	return -1;
}

void
form_fast_free(struct form_fast *ff)
{
	if (ff == NULL)
		return;
	for (size_t i = 0; ff->v != NULL && i < ff->nvars; i++)
		free(ff->v[i].idx);
	free(ff->v);
	free(ff);
}

/* ---- decoding ---- */

/*
 * One JSON integer as jansson reads it: -?(0|[1-9][0-9]*), here at most 18
 * digits (so it fits a long, and "%lld" would print the same digits). Sets
 * *v, copies the token to tok (for form_value_parse) and moves *pp past it;
 * -1 for anything else (reals, strings, literals, "-0").
 */
static int
int_token(const char **pp, long *v, char tok[24])
{
	const char *p = *pp;
	size_t k = 0, digits = 0;
	long x = 0;
	int neg = 0;

	if (*p == '-') {
		neg = 1;
		tok[k++] = *p++;
	}
	if (*p == '0') {
		if (neg)
			return -1; /* "-0" would be printed as "0" */
		tok[k++] = *p++;
		if (*p >= '0' && *p <= '9')
			return -1; /* "01" is not JSON */
	} else if (*p >= '1' && *p <= '9') {
		while (*p >= '0' && *p <= '9') {
			if (++digits > 18)
				return -1;
			x = x * 10 + (*p - '0');
			tok[k++] = *p++;
		}
	} else
		return -1;
	if (*p == '.' || *p == 'e' || *p == 'E')
		return -1; /* a real: real_token() */
	tok[k] = '\0';
	*v = neg ? -x : x;
	*pp = p;
	return 0;
}

/* Skip [0-9]+ ; NULL if there is no digit. */
static const char *
skip_digits(const char *p)
{
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

/*
 * One JSON real (a fraction or an exponent), at most 64 bytes, as the
 * double jansson would read; the general path prints it with "%.17g" and
 * parse_double() reads that back, which gives the same double for any
 * finite normal value (or zero). -1 for anything else (integers, overflow,
 * subnormals, a locale whose decimal point is not '.').
 */
static int
real_token(const char **pp, double *v)
{
	const char *p = *pp;
	char buf[65];
	char *end;
	size_t n;
	double d;
	int real = 0;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if ((p = skip_digits(p)) == NULL)
		return -1;
	if (*p == '.') {
		if ((p = skip_digits(p + 1)) == NULL)
			return -1;
		real = 1;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if ((p = skip_digits(p)) == NULL)
			return -1;
		real = 1;
	}
	n = (size_t)(p - *pp);
	if (!real || n >= sizeof(buf))
		return -1;
	memcpy(buf, *pp, n);
	buf[n] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (errno != 0 || end != buf + n || !isfinite(d) ||
	    (d != 0 && fabs(d) < DBL_MIN))
		return -1;
	*v = d;
	*pp = p;
	return 0;
}

/* Choice index of value v in fv's table, or -1. */
static int
fv_choice(const struct fastvar *fv, long v)
{
	return v < fv->lo || v > fv->hi ? -1 : fv->idx[v - fv->lo];
}

/*
 * A string value without escapes or control characters, handed to
 * form_value_parse() as the general path hands json_string_value(): the
 * same bytes. (Bytes jansson would refuse as not UTF-8 are refused by
 * every rule of form_value_parse() too, and then the general path
 * explains.) *pp is on the opening quote; 0 or 1 as fast_decode().
 */
static int
string_value(const struct form *f, size_t iv, const char **pp,
    struct form_value *out)
{
	const char *p = *pp + 1, *s = p, *err;
	char stack[FV_TEXT_STACK], *buf = stack;
	size_t n;

	while (*p != '"') {
		if (*p == '\\' || (unsigned char)*p < 0x20)
			return 1; /* escapes, controls, end of text */
		p++;
	}
	n = (size_t)(p - s);
	if (n >= sizeof(stack) && (buf = malloc(n + 1)) == NULL)
		return 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	{
		const char *vals[1] = {buf};
		form_value_parse(f, iv, vals, 1, out, &err);
	}
	if (buf != stack)
		free(buf);
	if (err != NULL)
		return 1;
	*pp = p + 1;
	return 0;
}

int
form_answers_fast_decode(struct form_answers *a, const char *s)
{
	const struct form *f = a->form;
	const struct form_fast *ff = f->fast;
	char tok[FORM_MAX_CHOICES][24];
	const char *vals[FORM_MAX_CHOICES];
	long lv[FORM_MAX_CHOICES];
	const char *p = s, *k, *err;
	size_t next = 0, iv, klen, n;

	if (ff == NULL || ff->nvars != f->nvars)
		return 1;
	if (*p++ != '{')
		return 1;
	if (*p == '}')
		return p[1] == '\0' ? 0 : 1;
	for (;;) {
		const struct fastvar *fv;
		struct form_value *out;
		if (*p++ != '"')
			return 1;
		k = p;
		while (*p != '"') {
			if (*p == '\\' || (unsigned char)*p < 0x20)
				return 1; /* escapes, controls, end of text */
			p++;
		}
		klen = (size_t)(p - k);
		if (*++p != ':')
			return 1;
		p++;
		/* Keys come in variable order; a later one is never before. */
		for (iv = next; iv < f->nitem_vars; iv++)
			if (ff->v[iv].nlen == klen &&
			    f->vars[iv].name[0] == *k &&
			    memcmp(f->vars[iv].name, k, klen) == 0)
				break;
		if (iv >= f->nitem_vars)
			return 1; /* unknown, repeated, out of order, a score */
		next = iv + 1;
		fv = &ff->v[iv];
		out = &a->v[iv];
		n = 0;
		if (*p == '"') {
			if (f->vars[iv].type == FORM_T_SET ||
			    string_value(f, iv, &p, out) != 0)
				return 1;
			goto next_key;
		}
		if (*p == '[') {
			if (f->vars[iv].type != FORM_T_SET)
				return 1;
			p++;
			if (*p == ']')
				p++;
			else
				for (;;) {
					if (n == FORM_MAX_CHOICES ||
					    int_token(&p, &lv[n], tok[n]) != 0)
						return 1;
					vals[n] = tok[n];
					n++;
					if (*p == ',') {
						p++;
						continue;
					}
					if (*p++ != ']')
						return 1;
					break;
				}
		} else {
			if (f->vars[iv].type == FORM_T_SET)
				return 1;
			if (int_token(&p, &lv[0], tok[0]) != 0) {
				double d;
				/* Only a decimal item takes a real here. */
				if (fv->mode != FV_DECIMAL ||
				    real_token(&p, &d) != 0 || d < fv->min ||
				    d > fv->max)
					return 1;
				out->r = d;
				out->set = 1;
				goto next_key;
			}
			vals[0] = tok[0];
			n = 1;
		}
		switch (n == 0 ? FV_SLOW : fv->mode) {
		case FV_CHOICE:
			if (fv_choice(fv, lv[0]) < 0)
				return 1;
			out->i = lv[0];
			out->r = (double)lv[0];
			out->set = 1;
			break;
		case FV_RANGE:
			if (lv[0] < fv->min || lv[0] > fv->max)
				return 1;
			out->i = lv[0];
			out->r = (double)lv[0];
			out->set = 1;
			break;
		case FV_MULTI:
			for (size_t j = 0; j < n; j++) {
				int ci = fv_choice(fv, lv[j]);
				if (ci < 0 || (out->mask & ((uint64_t)1 << ci)))
					return 1;
				out->mask |= (uint64_t)1 << ci;
			}
			if ((out->mask & fv->excl) &&
			    (out->mask & (out->mask - 1)) != 0)
				return 1;
			out->set = 1;
			break;
		default:
			form_value_parse(f, iv, vals, n, out, &err);
			if (err != NULL)
				return 1;
			break;
		}
next_key:
		if (*p == ',') {
			p++;
			continue;
		}
		return *p == '}' && p[1] == '\0' ? 0 : 1;
	}
}

/* ---- encoding ---- */

#define JB_MAX ((size_t)64 << 20) /* no answers come near this */

/* A growing output buffer; oom is set once and then everything is a no-op. */
struct jbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
jb_put(struct jbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (n > JB_MAX - b->len) {
		b->oom = 1;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *q;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((q = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
jb_char(struct jbuf *b, char c)
{
	jb_put(b, &c, 1);
}

/* An integer as jansson writes it ("%lld"). */
static void
jb_int(struct jbuf *b, long long v)
{
	char buf[24], *q = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	jb_put(b, q, (size_t)(buf + sizeof(buf) - q));
}

/*
 * A finite real as jansson 2.14's jsonp_dtostr() writes it at precision
 * 17: "%.17g", ".0" appended when there is neither '.' nor 'e', and the
 * exponent without '+' or leading zeros. -1 when the printed text is not
 * plain C-locale digits (the general path then decides).
 */
static int
jb_real(struct jbuf *b, double v)
{
	char buf[48], *e, *start, *end;
	int n = snprintf(buf, sizeof(buf), "%.17g", v);
	size_t len;

	if (n < 0 || (size_t)n >= sizeof(buf) - 3)
		return -1;
	len = (size_t)n;
	if (strspn(buf, "0123456789.-+e") != len)
		return -1;
	if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
		buf[len++] = '.';
		buf[len++] = '0';
		buf[len] = '\0';
	}
	if ((e = strchr(buf, 'e')) != NULL) {
		start = e + 1;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, len - (size_t)(end - buf) + 1);
			len -= (size_t)(end - start);
		}
	}
	jb_put(b, buf, len);
	return 0;
}

/* A string through jansson's own writer (escapes, UTF-8 check). */
static int
jb_text(struct jbuf *b, const char *s)
{
	json_t *j = json_string(s);
	char *d;

	if (j == NULL)
		return -1; /* not UTF-8: the general path fails alike */
	d = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (d == NULL) {
		b->oom = 1;
		return 0;
	}
	jb_put(b, d, strlen(d));
	free(d);
	return 0;
}

char *
form_answers_fast_encode(const struct form_answers *a, size_t from,
    size_t to, int *fallback)
{
	const struct form *f = a->form;
	const struct form_fast *ff = f->fast;
	struct jbuf b = {NULL, 0, 0, 0};
	int first = 1;

	*fallback = 1;
	if (ff == NULL || ff->nvars != f->nvars || !ff->plain_names)
		return NULL;
	jb_char(&b, '{');
	for (size_t i = from; i < to && i < f->nvars; i++) {
		const struct form_value *fv = &a->v[i];
		const struct form_var *var = &f->vars[i];
		if (!fv->set)
			continue;
		if (var->type == FORM_T_SET && var->item == NULL)
			goto fallback;
		if (var->type == FORM_T_REAL && !isfinite(fv->r))
			goto fallback; /* json_real() refuses it */
		if (var->type == FORM_T_TEXT && fv->text == NULL)
			goto fallback;
		if (!first)
			jb_char(&b, ',');
		first = 0;
		jb_char(&b, '"');
		jb_put(&b, var->name, ff->v[i].nlen);
		jb_put(&b, "\":", 2);
		switch (var->type) {
		case FORM_T_INT:
			jb_int(&b, fv->i);
			break;
		case FORM_T_REAL:
			if (jb_real(&b, fv->r) != 0)
				goto fallback;
			break;
		case FORM_T_SET: {
			int firstc = 1;
			jb_char(&b, '[');
			for (size_t c = 0; c < var->item->nchoices; c++)
				if (fv->mask >> c & 1) {
					if (!firstc)
						jb_char(&b, ',');
					firstc = 0;
					jb_int(&b, var->item->choices[c].value);
				}
			jb_char(&b, ']');
			break;
		}
		case FORM_T_TEXT:
			if (jb_text(&b, fv->text) != 0)
				goto fallback;
			break;
		default:
			goto fallback;
		}
	}
	jb_char(&b, '}');
	if (b.oom) {
		*fallback = 0;
		free(b.p);
		return NULL;
	}
	*fallback = 0;
	return b.p;
fallback:
	free(b.p);
	return NULL;
}
