/*
 * CSV import of responses (import.h): an RFC 4180 reader (quoted fields,
 * doubled quotes, CRLF or LF, fields spanning lines), the mapping of the
 * header onto the form's variables, the codings researchers' files use
 * (missing-value tokens, frequency weights, codes written as decimals or
 * as labels), per-row validation through the form module, and the
 * all-or-nothing transaction.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "form_versions.h"
#include "import.h"

/* ---- RFC 4180 reader ---- */

struct csv_in {
	FILE *fp;
	long line;      /* physical line of the next byte */
	char **field;   /* fields of the current record */
	size_t *flen;
	size_t *fcap;
	size_t nfield, capfield;
	uint64_t bytes;
	int bom_checked;
};

static int
field_putc(struct csv_in *c, size_t i, int ch)
{
	if (c->flen[i] + 1 >= c->fcap[i]) {
		size_t cap = c->fcap[i] ? c->fcap[i] * 2 : 64;
		char *p;
		if (cap > IMPORT_MAX_FIELD + 1)
			cap = IMPORT_MAX_FIELD + 1;
		if (c->flen[i] + 1 >= cap)
			return -2; /* too long */
		if ((p = realloc(c->field[i], cap)) == NULL)
			return -1;
		c->field[i] = p;
		c->fcap[i] = cap;
	}
	c->field[i][c->flen[i]++] = (char)ch;
	return 0;
}

/* Start field number nfield; 0, -1 (memory) or -3 (too many fields). */
static int
field_new(struct csv_in *c)
{
	if (c->nfield == IMPORT_MAX_COLUMNS)
		return -3;
	if (c->nfield == c->capfield) {
		size_t cap = c->capfield ? c->capfield * 2 : 32;
		char **f;
		size_t *l, *k;
		if ((f = realloc(c->field, cap * sizeof(*f))) == NULL)
			return -1;
		c->field = f;
		if ((l = realloc(c->flen, cap * sizeof(*l))) == NULL)
			return -1;
		c->flen = l;
		if ((k = realloc(c->fcap, cap * sizeof(*k))) == NULL)
			return -1;
		c->fcap = k;
		for (size_t i = c->capfield; i < cap; i++) {
			c->field[i] = NULL;
			c->flen[i] = c->fcap[i] = 0;
		}
		c->capfield = cap;
	}
	c->flen[c->nfield] = 0;
	if (c->fcap[c->nfield] == 0 && field_putc(c, c->nfield, 'x') != 0)
		return -1;
	c->flen[c->nfield] = 0;
	c->nfield++;
	return 0;
}

static int
next_byte(struct csv_in *c)
{
	int ch = getc(c->fp);

	if (ch != EOF)
		c->bytes++;
	if (ch == '\n')
		c->line++;
	return ch;
}

/*
 * Read one record. Returns 1 (a record: fields NUL-terminated), 0 (end of
 * file) or -1 with *why set (a static message). *start is the line the
 * record began on.
 */
static int
csv_read(struct csv_in *c, long *start, const char **why)
{
	int ch, rc;
	size_t i;

	c->nfield = 0;
	*why = NULL;
	if (!c->bom_checked) {
		c->bom_checked = 1;
		ch = getc(c->fp);
		if (ch == 0xEF) {
			if (getc(c->fp) != 0xBB || getc(c->fp) != 0xBF) {
				*why = "invalid UTF-8";
				return -1;
			}
		} else if (ch != EOF && ungetc(ch, c->fp) == EOF) {
			*why = "read error";
			return -1;
		}
	}
	*start = c->line;
	ch = next_byte(c);
	if (ch == EOF)
		return ferror(c->fp) ? (*why = "read error", -1) : 0;
	if ((rc = field_new(c)) != 0)
		goto fail;
	for (;;) {
		i = c->nfield - 1;
		if (ch == '"' && c->flen[i] == 0) {
			/* Quoted field: up to the closing quote. */
			for (;;) {
				ch = next_byte(c);
				if (ch == EOF) {
					*why = "unterminated quoted field";
					return -1;
				}
				if (ch == '"') {
					ch = next_byte(c);
					if (ch != '"')
						break;
				}
				if ((rc = field_putc(c, i, ch)) != 0)
					goto fail;
			}
			if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
				*why = "text after a closing quote";
				return -1;
			}
		} else {
			while (ch != ',' && ch != '\n' && ch != '\r' &&
			    ch != EOF) {
				if (ch == '"') {
					*why = "quote inside an unquoted field";
					return -1;
				}
				if ((rc = field_putc(c, i, ch)) != 0)
					goto fail;
				ch = next_byte(c);
			}
		}
		c->field[i][c->flen[i]] = '\0';
		if (memchr(c->field[i], '\0', c->flen[i]) != NULL) {
			*why = "NUL byte in a field";
			return -1;
		}
		if (ch == ',') {
			if ((rc = field_new(c)) != 0)
				goto fail;
			ch = next_byte(c);
			continue;
		}
		if (ch == '\r') {
			ch = next_byte(c);
			if (ch != '\n' && ch != EOF) {
				*why = "CR not followed by LF";
				return -1;
			}
		}
		return 1;
	}
fail:
	*why = rc == -2 ? "field longer than 65536 bytes" :
	    rc == -3 ? "more than 4096 fields" : "out of memory";
	return -1;
}

static void
csv_in_free(struct csv_in *c)
{
	for (size_t i = 0; i < c->capfield; i++)
		free(c->field[i]);
	free(c->field);
	free(c->flen);
	free(c->fcap);
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char b = s[i];
		size_t len;
		uint32_t cp;
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			len = 2;
			cp = b & 0x1F;
		} else if (b >= 0xE0 && b <= 0xEF) {
			len = 3;
			cp = b & 0x0F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			len = 4;
			cp = b & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t j = 1; j < len; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

/* ---- periods ---- */

static int
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "YYYY-MM-DD" (or "YYYY-MM" when month) of a real date; NULL or a rule. */
static const char *
check_period(const char *s, int month)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	size_t n = strlen(s);
	int y, m, d;

	if (month ? n != 7 : n != 10)
		return month ? "not a month (YYYY-MM)" :
		    "not a date (YYYY-MM-DD)";
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    (!month && (s[7] != '-' || !digits(s + 8, 2))))
		return month ? "not a month (YYYY-MM)" :
		    "not a date (YYYY-MM-DD)";
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 2000 || m < 1 || m > 12)
		return "no such month";
	if (month)
		return NULL;
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	        y % 400 == 0))))
		return "no such day";
	return NULL;
}

/* ---- the import ---- */

#define COL_PERIOD -1
#define COL_IGNORED -2
#define COL_WEIGHT -3

struct imp {
	const struct form *f;
	const char *file;
	struct diag *diag;
	struct import_result *res;
	const struct import_opts *opt;
	long *colvar;    /* per column: variable index or a COL_ value */
	size_t ncols;
};

const char *
import_na_parse(const char *list, char *buf, size_t bufsz,
    struct import_opts *opt)
{
	size_t n = strlen(list);
	char *p, *q;

	opt->nna = 0;
	if (n == 0)
		return "must list at least one token";
	if (n >= bufsz)
		return "too long";
	memcpy(buf, list, n + 1);
	for (p = buf;; p = q + 1) {
		q = strchr(p, ',');
		if (q != NULL)
			*q = '\0';
		size_t len = strlen(p);
		if (len == 0)
			return "empty token (an empty cell is always no answer)";
		if (len > IMPORT_MAX_NA_LEN)
			return "a token is longer than 32 bytes";
		for (const char *t = p; *t != '\0'; t++)
			if ((unsigned char)*t < 0x20 || *t == 0x7f || *t == '"')
				return "a token contains a control character or a quote";
		if (opt->nna == IMPORT_MAX_NA)
			return "more than 16 tokens";
		opt->na[opt->nna++] = p;
		if (q == NULL)
			return NULL;
	}
}

/* Is the cell one of the missing-value tokens? */
static int
is_na(const struct import_opts *opt, const char *cell)
{
	if (opt == NULL)
		return 0;
	for (size_t i = 0; i < opt->nna; i++)
		if (strcmp(cell, opt->na[i]) == 0)
			return 1;
	return 0;
}

/* Do the item's values parse as whole numbers (codes, scores, counts)? */
static int
whole_kind(enum form_kind k)
{
	return k != FORM_DECIMAL && k != FORM_TEXT;
}

/*
 * A decimal spelling of a whole number ("2.0", " 3.00 ", "+1.") as that
 * number in buf; 0 if it is none (or already plain digits).
 */
static int
whole_decimal(const char *s, char *buf, size_t bufsz)
{
	const char *p;
	char *end;
	double v;

	for (p = s; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '+' ||
		    *p == '-' || *p == ' ' || *p == 'e' || *p == 'E'))
			return 0;
	if (strchr(s, '.') == NULL && strchr(s, 'e') == NULL &&
	    strchr(s, 'E') == NULL)
		return 0; /* plain integers need no help */
	errno = 0;
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v != floor(v) || fabs(v) > 9007199254740992.0)
		return 0;
	snprintf(buf, bufsz, "%.0f", v);
	return 1;
}

/* A choice's label (any language) as its code in buf; 0 if none matches. */
static int
label_code(const struct form *f, const struct form_item *it, const char *s,
    char *buf, size_t bufsz)
{
	for (size_t c = 0; c < it->nchoices; c++)
		for (size_t l = 0; l < f->nlangs && l < FORM_MAX_LANGS; l++) {
			const char *lab = it->choices[c].label.s[l];
			if (lab != NULL && strcmp(lab, s) == 0) {
				snprintf(buf, bufsz, "%ld", it->choices[c].value);
				return 1;
			}
		}
	return 0;
}

/*
 * The value to parse for one cell value of variable iv: itself, or its
 * code when written as a decimal or as a label (into buf, counted).
 */
static const char *
recode(struct imp *x, long iv, const char *v, char *buf, size_t bufsz)
{
	const struct form_item *it = x->f->vars[iv].item;

	if (it == NULL || !whole_kind(it->kind) || v[0] == '\0')
		return v;
	/* A plain integer is a code, even where a label reads like one. */
	const char *p = v;
	while (*p == ' ')
		p++;
	if (*p == '+' || *p == '-')
		p++;
	if (*p >= '0' && *p <= '9') {
		while (*p >= '0' && *p <= '9')
			p++;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return v;
	}
	if (whole_decimal(v, buf, bufsz) ||
	    label_code(x->f, it, v, buf, bufsz)) {
		x->res->recoded++;
		return buf;
	}
	return v;
}

/*
 * "not one of the choices" with the item's codes and labels, so a file
 * coded differently from the form shows what the form expects.
 */
static void
choices_hint(const struct form *f, const struct form_item *it, char *out,
    size_t outsz)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t c = 0; c < it->nchoices && n + 1 < outsz; c++) {
		const char *lab = it->choices[c].label.s[0];
		int w = snprintf(out + n, outsz - n, "%s%ld = %s",
		    c ? ", " : "", it->choices[c].value, lab ? lab : "");
		if (w < 0 || (size_t)w >= outsz - n) {
			snprintf(out + (outsz > 5 ? outsz - 5 : 0),
			    outsz > 5 ? 5 : outsz, "...");
			return;
		}
		n += (size_t)w;
	}
	(void)f;
}

/* A weight cell: a whole number 0 .. IMPORT_MAX_WEIGHT; -1 if not. */
static long
parse_weight(const char *s)
{
	char buf[64];
	const char *p = s;
	long w = 0;

	if (whole_decimal(s, buf, sizeof(buf)))
		p = buf;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		w = w * 10 + (*p - '0');
		if (w > IMPORT_MAX_WEIGHT)
			return -1;
	}
	while (*p == ' ')
		p++;
	return *p == '\0' ? w : -1;
}

static void error_at(struct imp *x, long line, const char *col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
error_at(struct imp *x, long line, const char *col, const char *fmt, ...)
{
	char where[512], msg[512];
	va_list ap;

	x->res->errors++;
	if (x->res->errors > IMPORT_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (col != NULL)
		snprintf(where, sizeof(where), "%s: line %ld, column %s",
		    x->file, line, col);
	else
		snprintf(where, sizeof(where), "%s: line %ld", x->file, line);
	diag_add(x->diag, where, "%s", msg);
}

/* Map the header onto variables; errors for unknown or repeated names. */
static int
read_header(struct imp *x, struct csv_in *c, long line)
{
	const struct form *f = x->f;
	size_t before = x->res->errors;

	if ((x->colvar = calloc(c->nfield, sizeof(*x->colvar))) == NULL)
		return -1;
	x->ncols = c->nfield;
	for (size_t i = 0; i < c->nfield; i++) {
		const char *name = c->field[i];
		long iv;
		char col[64];
		x->colvar[i] = -2;
		snprintf(col, sizeof(col), "%zu", i + 1);
		if (!valid_utf8((const unsigned char *)name, c->flen[i])) {
			error_at(x, line, col, "invalid UTF-8");
			continue;
		}
		if (x->opt && x->opt->weight &&
		    strcmp(name, x->opt->weight) == 0) {
			if (strcmp(name, "period") == 0 ||
			    form_var_find(f, name) >= 0) {
				error_at(x, line, name, "the weight column must "
				    "not be a variable of the form or \"period\"");
				continue;
			}
			x->colvar[i] = COL_WEIGHT;
		} else if (strcmp(name, "period") == 0) {
			x->colvar[i] = COL_PERIOD;
		} else if ((iv = form_var_find(f, name)) < 0) {
			error_at(x, line, name, "unknown column (not a "
			    "variable of form %s)", f->id);
			continue;
		} else if ((size_t)iv >= f->nitem_vars) {
			error_at(x, line, name, "a computed score: it is "
			    "recomputed, not imported");
			continue;
		} else {
			x->colvar[i] = iv;
		}
		for (size_t j = 0; j < i; j++)
			if (x->colvar[j] == x->colvar[i]) {
				error_at(x, line, name, "duplicate column");
				x->colvar[i] = -2;
				break;
			}
	}
	if (x->ncols == 1 && c->flen[0] == 0)
		error_at(x, line, NULL, "empty header");
	if (x->opt && x->opt->weight) {
		size_t i;
		for (i = 0; i < x->ncols && x->colvar[i] != COL_WEIGHT; i++)
			;
		if (i == x->ncols && x->res->errors == before)
			error_at(x, line, NULL, "no weight column %s in the "
			    "header", x->opt->weight);
	}
	return x->res->errors == before ? 0 : 1;
}

/* Split a multiple-choice cell on ';' in place into vals; count or -1. */
static long
split_multi(char *s, const char **vals, size_t max)
{
	size_t n = 0;
	char *p = s, *q;

	if (*s == '\0')
		return 0;
	for (;;) {
		if (n == max)
			return -1;
		vals[n++] = p;
		if ((q = strchr(p, ';')) == NULL)
			break;
		*q = '\0';
		p = q + 1;
	}
	return (long)n;
}

/* Did the cell of variable iv fail to parse (it is unset but not empty)? */
static int
failed_var(const struct imp *x, const struct csv_in *c, long iv)
{
	for (size_t i = 0; i < x->ncols && i < c->nfield; i++)
		if (x->colvar[i] == iv)
			return c->field[i][0] != '\0';
	return 0;
}

/*
 * Validate one data row into a (cleared first); returns 0 when valid, 1
 * when not (errors reported), -1 on memory exhaustion. period receives the
 * row's period cell, or "" when none.
 */
static int
check_row(struct imp *x, struct csv_in *c, long line,
    struct form_answers *a, char period[11], long *weight, uint8_t *wasset,
    struct diag *tmp)
{
	const struct form *f = x->f;
	size_t before = x->res->errors;

	for (size_t i = 0; i < f->nvars; i++)
		form_answers_clear(a, i);
	period[0] = '\0';
	*weight = 1;
	if (c->nfield != x->ncols) {
		error_at(x, line, NULL, "%zu fields, the header has %zu",
		    c->nfield, x->ncols);
		return 1;
	}
	for (size_t i = 0; i < c->nfield; i++) {
		long iv = x->colvar[i];
		const char *vals[FORM_MAX_CHOICES + 1], *err = NULL;
		char rec[FORM_MAX_CHOICES + 1][32];
		const char *name;
		long nv;
		if (iv == COL_IGNORED)
			continue;
		name = iv >= 0 ? f->vars[iv].name :
		    iv == COL_WEIGHT ? x->opt->weight : "period";
		if (!valid_utf8((const unsigned char *)c->field[i],
		    c->flen[i])) {
			error_at(x, line, name, "invalid UTF-8");
			continue;
		}
		if (iv == COL_WEIGHT) {
			if ((*weight = parse_weight(c->field[i])) < 0)
				error_at(x, line, name, "not a frequency weight "
				    "(a whole number 0 to %d)", IMPORT_MAX_WEIGHT);
			continue;
		}
		if (c->flen[i] > 0 && is_na(x->opt, c->field[i])) {
			c->field[i][0] = '\0';
			c->flen[i] = 0;
			x->res->na_cells++;
		}
		if (iv == COL_PERIOD) {
			const char *why;
			if (c->flen[i] == 0)
				continue;
			if ((why = check_period(c->field[i], f->date_month)))
				error_at(x, line, name, "%s", why);
			else
				memcpy(period, c->field[i], c->flen[i] + 1);
			continue;
		}
		if (f->vars[iv].type == FORM_T_SET) {
			nv = split_multi(c->field[i], vals, FORM_MAX_CHOICES);
			if (nv < 0) {
				error_at(x, line, name, "more than %d values",
				    FORM_MAX_CHOICES);
				continue;
			}
		} else {
			vals[0] = c->field[i];
			nv = 1;
		}
		for (long k = 0; k < nv; k++)
			vals[k] = recode(x, iv, vals[k], rec[k], sizeof(rec[k]));
		if (form_value_parse(f, (size_t)iv, vals, (size_t)nv,
		    &a->v[iv], &err) != 0) {
			const struct form_item *it = f->vars[iv].item;
			char hint[512];
			if (it != NULL && it->nchoices > 0 && err != NULL &&
			    (strcmp(err, "not one of the choices") == 0 ||
			    strcmp(err, "not an integer") == 0)) {
				choices_hint(f, it, hint, sizeof(hint));
				error_at(x, line, name, "not one of the choices "
				    "(%s)", hint);
			} else {
				error_at(x, line, name, "%s", err ? err :
				    "invalid");
			}
			form_answers_clear(a, (size_t)iv);
		}
	}
	/*
	 * Required items and branching are checked even when a cell failed,
	 * so that one run lists every error; a variable whose own cell failed
	 * is not reported again as "required".
	 */
	for (size_t i = 0; i < f->nitem_vars; i++)
		wasset[i] = a->v[i].set != 0;
	diag_clear(tmp);
	if (form_answers_check(f, a, tmp) > 0) {
		for (size_t i = 0; i < tmp->n; i++) {
			long iv = form_var_find(f, tmp->a[i].where);
			if (iv >= 0 && failed_var(x, c, iv))
				continue;
			error_at(x, line, tmp->a[i].where, "%s",
			    tmp->a[i].what);
		}
		for (size_t i = tmp->n; i < tmp->total; i++)
			x->res->errors++;
	}
	if (x->res->errors != before)
		return 1;
	for (size_t i = 0; i < f->nitem_vars; i++)
		if (wasset[i] && !a->v[i].set)
			x->res->hidden_cleared++;
	return 0;
}

static int
store_row(struct store *st, const struct form *f,
    const struct form_answers *a, const char *period)
{
	struct store_response r;
	char *ans = NULL, *sc = NULL;
	int rc = STORE_NOMEM;

	memset(&r, 0, sizeof(r));
	randombytes_buf(r.id, sizeof(r.id));
	randombytes_buf(r.receipt_hash, sizeof(r.receipt_hash));
	r.form_id = f->id;
	r.form_version = f->version;
	r.consent_version = f->consent_version;
	if (period[0] != '\0')
		memcpy(r.period, period, strlen(period) + 1);
	else
		store_period_now(r.period, f->date_month);
	if ((ans = form_answers_to_json(a, 0, f->nitem_vars)) == NULL ||
	    (sc = form_answers_to_json(a, f->nitem_vars, f->nvars)) == NULL)
		goto out;
	r.answers = ans;
	r.scores = sc;
	rc = store_insert(st, &r);
out:
	free(ans);
	free(sc);
	return rc;
}

int
import_csv(const struct form *f, struct store *st, const char *csv_path,
    void (*progress)(uint64_t, uint64_t, void *), void *parg,
    struct import_result *res, struct diag *diag)
{
	return import_csv_opts(f, st, csv_path, NULL, progress, parg, res,
	    diag);
}

int
import_csv_opts(const struct form *f, struct store *st, const char *csv_path,
    const struct import_opts *opt,
    void (*progress)(uint64_t, uint64_t, void *), void *parg,
    struct import_result *res, struct diag *diag)
{
	struct imp x;
	struct csv_in c;
	struct form_answers *a = NULL;
	struct diag tmp;
	uint8_t *wasset = NULL;
	struct stat sb;
	uint64_t total = 0;
	char period[11];
	const char *why;
	long line, weight;
	uint64_t responses = 0;
	int rc = -1, r, in_tx = 0, failed = 0, src;

	memset(res, 0, sizeof(*res));
	memset(&x, 0, sizeof(x));
	memset(&c, 0, sizeof(c));
	diag_init(&tmp);
	x.f = f;
	x.file = csv_path;
	x.diag = diag;
	x.res = res;
	x.opt = opt;
	c.line = 1;
	if (sodium_init() < 0) {
		diag_add(diag, csv_path, "libsodium failed to initialise");
		return -1;
	}
	if ((c.fp = fopen(csv_path, "rb")) == NULL) {
		diag_add(diag, csv_path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(c.fp), &sb) == 0 && sb.st_size > 0)
		total = (uint64_t)sb.st_size;
	if ((a = form_answers_new(f)) == NULL ||
	    (wasset = calloc(f->nvars + 1, 1)) == NULL) {
		diag_add(diag, csv_path, "out of memory");
		goto out;
	}
	r = csv_read(&c, &line, &why);
	if (r <= 0) {
		error_at(&x, c.line, NULL, "%s", r == 0 ? "empty file (no "
		    "header)" : why);
		goto out;
	}
	if ((r = read_header(&x, &c, line)) < 0) {
		diag_add(diag, csv_path, "out of memory");
		goto out;
	}
	failed = r != 0;
	/*
	 * The rows go in in the file's order: mark the file, so the
	 * collector rebuilds it (store_compact) at its next start or stop.
	 */
	if ((src = store_begin(st)) != STORE_OK ||
	    (src = store_mark_uncompacted(st)) != STORE_OK) {
		diag_add(diag, csv_path, "database: %s", store_errmsg(st));
		if (store_in_transaction(st))
			store_rollback(st);
		goto out;
	}
	in_tx = 1;
	if (opt != NULL && opt->form_buf != NULL && form_versions_store(st,
	    "the database", f, opt->form_path, opt->form_buf, opt->form_len,
	    diag) != 0) {
		res->errors++;
		goto out;
	}
	while ((r = csv_read(&c, &line, &why)) == 1) {
		res->rows++;
		if (progress != NULL && (res->rows & 0xfff) == 0)
			progress(c.bytes, total, parg);
		if (failed && x.colvar == NULL)
			break;
		uint64_t cleared = res->hidden_cleared;
		r = check_row(&x, &c, line, a, period, &weight, wasset, &tmp);
		if (r != 0) {
			failed = 1;
			continue;
		}
		/* Each copy of a weighted row clears the same answers. */
		if (weight > 1)
			res->hidden_cleared += (res->hidden_cleared - cleared) *
			    (uint64_t)(weight - 1);
		if (weight == 0)
			res->zero_weight++;
		if ((uint64_t)weight > IMPORT_MAX_RESPONSES - responses) {
			error_at(&x, line, NULL, "the weights add up to more "
			    "than %d respondents", IMPORT_MAX_RESPONSES);
			failed = 1;
			break;
		}
		responses += (uint64_t)weight;
		if (failed)
			continue; /* keep validating, store nothing more */
		for (long k = 0; k < weight; k++)
			if ((src = store_row(st, f, a, period)) != STORE_OK) {
				diag_add(diag, csv_path, "database: %s",
				    src == STORE_NOMEM ? "out of memory" :
				    store_errmsg(st));
				res->errors++;
				goto out;
			}
	}
	if (r < 0) {
		error_at(&x, line, NULL, "%s", why);
		failed = 1;
	}
	if (progress != NULL)
		progress(c.bytes, total, parg);
	if (res->rows == 0 && !failed) {
		error_at(&x, line, NULL, "no data rows");
		failed = 1;
	}
	if (failed)
		goto out;
	if ((src = store_commit(st)) != STORE_OK) {
		diag_add(diag, csv_path, "database: %s", store_errmsg(st));
		res->errors++;
		goto out;
	}
	in_tx = 0;
	res->stored = responses;
	rc = 0;
out:
	if (in_tx && store_in_transaction(st) && store_rollback(st) != STORE_OK)
		diag_add(diag, csv_path, "database: rollback failed: %s",
		    store_errmsg(st));
	if (rc != 0)
		res->stored = 0;
	if (c.fp != NULL && fclose(c.fp) != 0 && rc == 0) {
		diag_add(diag, csv_path, "read error: %s", strerror(errno));
		rc = -1;
	}
	csv_in_free(&c);
	free(x.colvar);
	free(wasset);
	form_answers_free(a);
	diag_free(&tmp);
	return rc;
}
