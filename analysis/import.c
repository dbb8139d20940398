/*
 * CSV import of responses (import.h): an RFC 4180 reader (quoted fields,
 * doubled quotes, CRLF or LF, fields spanning lines), the mapping of the
 * header onto the form's variables, per-row validation through the form
 * module, and the all-or-nothing transaction.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

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

struct imp {
	const struct form *f;
	const char *file;
	struct diag *diag;
	struct import_result *res;
	long *colvar;    /* per column: variable index, -1 period, -2 ignored */
	size_t ncols;
};

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
		if (strcmp(name, "period") == 0) {
			x->colvar[i] = -1;
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
    struct form_answers *a, char period[11], uint8_t *wasset,
    struct diag *tmp)
{
	const struct form *f = x->f;
	size_t before = x->res->errors;

	for (size_t i = 0; i < f->nvars; i++)
		form_answers_clear(a, i);
	period[0] = '\0';
	if (c->nfield != x->ncols) {
		error_at(x, line, NULL, "%zu fields, the header has %zu",
		    c->nfield, x->ncols);
		return 1;
	}
	for (size_t i = 0; i < c->nfield; i++) {
		long iv = x->colvar[i];
		const char *vals[FORM_MAX_CHOICES + 1], *err = NULL;
		const char *name;
		long nv;
		if (iv == -2)
			continue;
		name = iv >= 0 ? f->vars[iv].name : "period";
		if (!valid_utf8((const unsigned char *)c->field[i],
		    c->flen[i])) {
			error_at(x, line, name, "invalid UTF-8");
			continue;
		}
		if (iv == -1) {
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
		if (form_value_parse(f, (size_t)iv, vals, (size_t)nv,
		    &a->v[iv], &err) != 0) {
			error_at(x, line, name, "%s", err ? err : "invalid");
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
	struct imp x;
	struct csv_in c;
	struct form_answers *a = NULL;
	struct diag tmp;
	uint8_t *wasset = NULL;
	struct stat sb;
	uint64_t total = 0;
	char period[11];
	const char *why;
	long line;
	int rc = -1, r, in_tx = 0, failed = 0, src;

	memset(res, 0, sizeof(*res));
	memset(&x, 0, sizeof(x));
	memset(&c, 0, sizeof(c));
	diag_init(&tmp);
	x.f = f;
	x.file = csv_path;
	x.diag = diag;
	x.res = res;
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
	while ((r = csv_read(&c, &line, &why)) == 1) {
		res->rows++;
		if (progress != NULL && (res->rows & 0xfff) == 0)
			progress(c.bytes, total, parg);
		if (failed && x.colvar == NULL)
			break;
		r = check_row(&x, &c, line, a, period, wasset, &tmp);
		if (r != 0) {
			failed = 1;
			continue;
		}
		if (failed)
			continue; /* keep validating, store nothing more */
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
	res->stored = res->rows;
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
