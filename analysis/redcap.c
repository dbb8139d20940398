/*
 * REDCap data dictionaries, both ways (redcap.h, docs/redcap.md).
 *
 * Export walks the pages of a loaded form and emits one row per question
 * (one per row of a grid), a descriptive row carrying a grid's question,
 * and one row per score: a calc row when REDCap's sum()/mean() say the same
 * thing, otherwise a descriptive row whose annotation carries the score's
 * definition so that an import restores it. Conditions are written in
 * REDCap's branching syntax with one canonical spelling, so that exporting
 * an imported dictionary gives the same bytes again.
 *
 * Import parses the CSV strictly, then maps each row, collecting every
 * problem with its row and column instead of stopping at the first. The
 * form text it builds is loaded with form_load_buffer() before it is
 * handed back, so a successful import is always a valid form.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "form_internal.h"
#include "redcap.h"

const char *const redcap_columns[RC__MAX] = {
	"Variable / Field Name",
	"Form Name",
	"Section Header",
	"Field Type",
	"Field Label",
	"Choices, Calculations, OR Slider Labels",
	"Field Note",
	"Text Validation Type OR Show Slider Number",
	"Text Validation Min",
	"Text Validation Max",
	"Identifier?",
	"Branching Logic (Show field only if...)",
	"Required Field?",
	"Custom Alignment",
	"Question Number (surveys only)",
	"Matrix Group Name",
	"Matrix Ranking?",
	"Field Annotation",
};

/* The descriptive row of a score REDCap cannot compute ends with this. */
#define SCORE_SUFFIX " (computed by Candor)"
#define TAG_SCORE "@CANDOR-SCORE="
#define LOGIC_DEPTH_MAX 16 /* same nesting limit as form conditions */

/* ---- a growing string ---- */

struct sb {
	char *s;
	size_t n, cap;
	int oom;
};

static void
sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (n > SIZE_MAX / 2 - b->n - 1) {
		b->oom = 1;
		return;
	}
	if (b->n + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap < b->n + n + 1)
			ncap *= 2;
		char *ns = realloc(b->s, ncap);
		if (ns == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
sb_puts(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sb *b, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		b->oom = 1;
		return;
	}
	sb_add(b, buf, (size_t)n);
}

/* Take the string (never NULL unless out of memory); b is reset. */
static char *
sb_take(struct sb *b)
{
	char *s;

	if (b->oom) {
		free(b->s);
		memset(b, 0, sizeof(*b));
		return NULL;
	}
	s = b->s ? b->s : strdup("");
	memset(b, 0, sizeof(*b));
	return s;
}

/* A number as REDCap and the form file write it: integers without ".0". */
static void
sb_num(struct sb *b, double x)
{
	if (x == floor(x) && fabs(x) < 1e15)
		sb_printf(b, "%lld", (long long)x);
	else
		sb_printf(b, "%.10g", x);
}

/* ---- the dictionary ---- */

void
redcap_dict_init(struct redcap_dict *d)
{
	memset(d, 0, sizeof(*d));
}

void
redcap_dict_free(struct redcap_dict *d)
{
	for (size_t i = 0; i < d->nrows; i++)
		for (int c = 0; c < RC__MAX; c++)
			free(d->rows[i].f[c]);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

/* A new zeroed row at the end; NULL when out of memory or full. */
static struct redcap_row *
dict_row(struct redcap_dict *d)
{
	if (d->nrows >= REDCAP_ROWS_MAX)
		return NULL;
	if (d->nrows == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		struct redcap_row *nr = realloc(d->rows, ncap * sizeof(*nr));
		if (nr == NULL)
			return NULL;
		d->rows = nr;
		d->cap = ncap;
	}
	memset(&d->rows[d->nrows], 0, sizeof(d->rows[0]));
	d->rows[d->nrows].row = d->nrows + 2;
	return &d->rows[d->nrows++];
}

/* ---- CSV reading ---- */

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

struct csv_rd {
	const char *name;
	const char *p, *end;
	size_t line, col; /* of p, 1-based */
	struct diag *diag;
	struct sb cell;
	char *cells[RC__MAX];
	size_t ncells;
	size_t extra; /* cells beyond RC__MAX, counted only */
};

static void csv_err(struct csv_rd *r, size_t line, size_t col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
csv_err(struct csv_rd *r, size_t line, size_t col, const char *fmt, ...)
{
	char where[DIAG_PATH_MAX + 64];
	char what[256];
	va_list ap;

	snprintf(where, sizeof(where), "%s: line %zu, column %zu", r->name,
	    line, col);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag_add(r->diag, where, "%s", what);
}

/* Advance over one byte, keeping line and column. */
static void
csv_step(struct csv_rd *r)
{
	if (*r->p == '\n') {
		r->line++;
		r->col = 1;
	} else {
		r->col++;
	}
	r->p++;
}

static void
csv_drop_cells(struct csv_rd *r)
{
	for (size_t i = 0; i < r->ncells && i < RC__MAX; i++) {
		free(r->cells[i]);
		r->cells[i] = NULL;
	}
	r->ncells = 0;
	r->extra = 0;
}

static int
csv_keep_cell(struct csv_rd *r)
{
	char *s = sb_take(&r->cell);

	if (s == NULL)
		return -1;
	if (r->ncells < RC__MAX)
		r->cells[r->ncells] = s;
	else {
		free(s);
		r->extra++;
	}
	r->ncells++;
	return 0;
}

/*
 * One byte (or UTF-8 sequence) of cell content; checks encoding and caps.
 * Returns -1 after reporting a problem.
 */
static int
csv_take(struct csv_rd *r)
{
	size_t n = utf8_len((const unsigned char *)r->p,
	    (size_t)(r->end - r->p));

	if (n == 0 || *r->p == '\0') {
		csv_err(r, r->line, r->col, "%s", *r->p == '\0' ?
		    "NUL byte" : "invalid UTF-8");
		return -1;
	}
	if (r->cell.n + n > REDCAP_FIELD_MAX) {
		csv_err(r, r->line, r->col, "cell longer than %u bytes",
		    REDCAP_FIELD_MAX);
		return -1;
	}
	sb_add(&r->cell, r->p, n);
	for (size_t i = 0; i < n; i++)
		csv_step(r);
	return r->cell.oom ? -1 : 0;
}

/*
 * Read one record into r->cells. Returns 1 for a record, 0 at the end of
 * input, -1 after a syntax problem (reading stops there: a broken quote
 * leaves no reliable place to resume).
 */
static int
csv_record(struct csv_rd *r)
{
	csv_drop_cells(r);
	if (r->p >= r->end)
		return 0;
	for (;;) {
		size_t qline = r->line, qcol = r->col;
		if (r->p < r->end && *r->p == '"') {
			csv_step(r);
			for (;;) {
				if (r->p >= r->end) {
					csv_err(r, qline, qcol, "unterminated "
					    "quoted field");
					return -1;
				}
				if (*r->p == '"') {
					if (r->p + 1 < r->end && r->p[1] == '"') {
						sb_add(&r->cell, "\"", 1);
						csv_step(r);
						csv_step(r);
						continue;
					}
					csv_step(r);
					break;
				}
				if (*r->p == '\r' && r->p + 1 < r->end &&
				    r->p[1] == '\n') {
					csv_step(r); /* CRLF inside: keep LF */
					continue;
				}
				if (csv_take(r) < 0)
					return -1;
			}
			if (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
			    *r->p != '\r') {
				csv_err(r, r->line, r->col, "text after a closing "
				    "quote (a quote inside a quoted field is "
				    "written \"\")");
				return -1;
			}
		} else {
			while (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
			    *r->p != '\r') {
				if (*r->p == '"') {
					csv_err(r, r->line, r->col, "quote inside an "
					    "unquoted field (quote the whole "
					    "field)");
					return -1;
				}
				if (csv_take(r) < 0)
					return -1;
			}
		}
		if (csv_keep_cell(r) < 0)
			return -1;
		if (r->p >= r->end)
			return 1;
		if (*r->p == ',') {
			csv_step(r);
			continue;
		}
		if (*r->p == '\r') {
			if (r->p + 1 < r->end && r->p[1] == '\n')
				csv_step(r);
			else {
				csv_err(r, r->line, r->col, "bare carriage "
				    "return");
				return -1;
			}
		}
		csv_step(r); /* '\n' */
		return 1;
	}
}

int
redcap_csv_parse(const char *name, const char *buf, size_t len,
    struct redcap_dict *out, struct diag *diag)
{
	struct csv_rd r;
	char where[DIAG_PATH_MAX + 64];
	size_t before = diag->total, record = 0;
	int rc;

	redcap_dict_init(out);
	if (len > REDCAP_CSV_MAX) {
		diag_add(diag, name, "file larger than %u bytes", REDCAP_CSV_MAX);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.p = buf;
	r.end = buf + len;
	r.line = 1;
	r.col = 1;
	r.diag = diag;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;
	for (;;) {
		size_t line = r.line; /* where the record starts */
		if ((rc = csv_record(&r)) != 1)
			break;
		record++;
		if (record == 1) {
			if (r.ncells < 1 || strcmp(r.cells[0],
			        redcap_columns[0]) != 0) {
				diag_add(diag, name, "not a REDCap data dictionary "
				    "(the first line must be REDCap's header, "
				    "starting with \"%s\")", redcap_columns[0]);
				rc = -1;
				break;
			}
			for (size_t c = 1; c < RC__MAX && c < r.ncells; c++)
				if (strcmp(r.cells[c], redcap_columns[c]) != 0) {
					snprintf(where, sizeof(where), "%s: line 1, "
					    "column %zu", name, c + 1);
					diag_add(diag, where, "header \"%.60s\", "
					    "expected \"%s\"", r.cells[c],
					    redcap_columns[c]);
				}
			if (r.ncells != RC__MAX) {
				snprintf(where, sizeof(where), "%s: line 1", name);
				diag_add(diag, where, "%zu columns in the header, "
				    "expected REDCap's %d", r.ncells, RC__MAX);
			}
			if (diag->total != before) {
				rc = -1;
				break;
			}
			continue;
		}
		int empty = 1;
		for (size_t c = 0; c < r.ncells && c < RC__MAX; c++)
			if (r.cells[c][0] != '\0')
				empty = 0;
		if (empty && r.extra == 0)
			continue; /* a blank line or a row of commas */
		if (r.ncells != RC__MAX) {
			snprintf(where, sizeof(where), "%s: row %zu (line %zu)",
			    name, record, line);
			diag_add(diag, where, "%zu fields, expected %d", r.ncells,
			    RC__MAX);
			continue;
		}
		struct redcap_row *row = dict_row(out);
		if (row == NULL) {
			diag_add(diag, name, "more than %d fields, or out of "
			    "memory", REDCAP_ROWS_MAX);
			rc = -1;
			break;
		}
		row->row = record;
		for (int c = 0; c < RC__MAX; c++) {
			row->f[c] = r.cells[c];
			r.cells[c] = NULL;
		}
		r.ncells = 0;
	}
	csv_drop_cells(&r);
	free(r.cell.s);
	if (rc == 0 && record == 0)
		diag_add(diag, name, "not a REDCap data dictionary (the file is "
		    "empty)");
	if (diag->total != before) {
		redcap_dict_free(out);
		return -1;
	}
	return 0;
}

/* ---- conditions as REDCap branching logic ---- */

enum ectx { E_TOP, E_AND, E_OR };

static const char *const op_text[] = {
	[COND_EQ] = "=", [COND_NE] = "<>", [COND_LT] = "<",
	[COND_LE] = "<=", [COND_GT] = ">", [COND_GE] = ">=",
};

static enum cond_op
negate_op(enum cond_op op)
{
	switch (op) {
	case COND_EQ: return COND_NE;
	case COND_NE: return COND_EQ;
	case COND_LT: return COND_GE;
	case COND_LE: return COND_GT;
	case COND_GT: return COND_LE;
	case COND_GE: return COND_LT;
	default: return op;
	}
}

/*
 * Would a blank pass this comparison in REDCap? Its branching logic runs
 * in the browser, where a blank compared with a number counts as 0, and
 * where "<>" compares text, so a blank is "<>" anything.
 */
static int
blank_passes(enum cond_op op, double n)
{
	switch (op) {
	case COND_NE: return 1;
	case COND_LT: return 0 < n;
	case COND_LE: return 0 <= n;
	case COND_GT: return 0 > n;
	case COND_GE: return 0 >= n;
	default: return 0;
	}
}

static void
emit_cmp_body(struct sb *b, const char *var, enum cond_op op, double n)
{
	sb_printf(b, "[%s] %s ", var, op_text[op]);
	if (op == COND_EQ || op == COND_NE) {
		sb_puts(b, "'");
		sb_num(b, n);
		sb_puts(b, "'");
	} else {
		sb_num(b, n);
	}
}

/* A comparison, guarded so that a blank does not pass it. */
static void
emit_cmp(struct sb *b, const char *var, enum cond_op op, double n,
    enum ectx ctx)
{
	if (!blank_passes(op, n)) {
		emit_cmp_body(b, var, op, n);
		return;
	}
	if (ctx == E_OR)
		sb_puts(b, "(");
	sb_printf(b, "[%s] <> '' and ", var);
	emit_cmp_body(b, var, op, n);
	if (ctx == E_OR)
		sb_puts(b, ")");
}

static int
is_cmp(enum cond_op op)
{
	return op == COND_EQ || op == COND_NE || op == COND_LT ||
	    op == COND_LE || op == COND_GT || op == COND_GE;
}

static int emit(struct sb *b, const struct form *f,
    const struct form_cond *c, int neg, enum ectx ctx, int depth,
    const char **err);

static int
emit_list(struct sb *b, const struct form *f, struct form_cond *const *kids,
    size_t n, int and, int neg, enum ectx ctx, int depth, const char **err)
{
	int paren = (and && ctx == E_OR) || (!and && ctx == E_AND);

	if (n == 1)
		return emit(b, f, kids[0], neg, ctx, depth + 1, err);
	if (paren)
		sb_puts(b, "(");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_puts(b, and ? " and " : " or ");
		if (emit(b, f, kids[i], neg, and ? E_AND : E_OR, depth + 1,
		        err) < 0)
			return -1;
	}
	if (paren)
		sb_puts(b, ")");
	return 0;
}

static int
emit(struct sb *b, const struct form *f, const struct form_cond *c, int neg,
    enum ectx ctx, int depth, const char **err)
{
	const char *var;

	if (depth > 64) {
		*err = "condition nested too deeply";
		return -1;
	}
	switch (c->op) {
	case COND_ALL:
	case COND_ANY:
		/* "blank, or a comparison a blank passes": REDCap's own
		 * unguarded comparison says exactly that. */
		/* "No box ticked, or not box N": REDCap's unticked box,
		 * '0' (the import's spelling). Negated: box N ticked. */
		if (c->op == COND_ANY && c->nkids == 2 &&
		    c->kids[0]->op == COND_ANSWERED && !c->kids[0]->answered &&
		    f->vars[c->kids[0]->ivar].type == FORM_T_SET &&
		    c->kids[1]->op == COND_NOT &&
		    c->kids[1]->kids[0]->op == COND_HAS &&
		    c->kids[1]->kids[0]->ivar == c->kids[0]->ivar) {
			sb_printf(b, "[%s(%ld)] = '%s'",
			    f->vars[c->kids[0]->ivar].name,
			    (long)c->kids[1]->kids[0]->num, neg ? "1" : "0");
			return 0;
		}
		if (c->op == COND_ANY && !neg && c->nkids == 2 &&
		    c->kids[0]->op == COND_ANSWERED && !c->kids[0]->answered &&
		    is_cmp(c->kids[1]->op) &&
		    c->kids[1]->ivar == c->kids[0]->ivar &&
		    blank_passes(c->kids[1]->op, c->kids[1]->num)) {
			emit_cmp_body(b, f->vars[c->kids[1]->ivar].name,
			    c->kids[1]->op, c->kids[1]->num);
			return 0;
		}
		return emit_list(b, f, c->kids, c->nkids,
		    (c->op == COND_ALL) != neg, neg, ctx, depth, err);
	case COND_NOT:
		return emit(b, f, c->kids[0], !neg, ctx, depth + 1, err);
	case COND_COUNT:
		*err = "\"count\" has no REDCap branching equivalent";
		return -1;
	case COND_ANSWERED:
		var = f->vars[c->ivar].name;
		if (f->vars[c->ivar].type == FORM_T_SET) {
			*err = "\"answered\" on a multiple-choice item has no "
			    "REDCap branching equivalent";
			return -1;
		}
		sb_printf(b, "[%s] %s ''", var,
		    (c->answered != 0) != neg ? "<>" : "=");
		return 0;
	case COND_HAS:
		sb_printf(b, "[%s(%ld)] = '%s'", f->vars[c->ivar].name,
		    (long)c->num, neg ? "0" : "1");
		return 0;
	case COND_IN: {
		int and = neg;
		int paren = c->nset > 1 &&
		    ((and && ctx == E_OR) || (!and && ctx == E_AND));
		if (paren)
			sb_puts(b, "(");
		for (size_t i = 0; i < c->nset; i++) {
			if (i > 0)
				sb_puts(b, and ? " and " : " or ");
			emit_cmp(b, f->vars[c->ivar].name,
			    neg ? COND_NE : COND_EQ, c->set[i],
			    c->nset > 1 ? (and ? E_AND : E_OR) : ctx);
		}
		if (paren)
			sb_puts(b, ")");
		return 0;
	}
	default:
		if (!is_cmp(c->op)) {
			*err = "unknown condition";
			return -1;
		}
		emit_cmp(b, f->vars[c->ivar].name,
		    neg ? negate_op(c->op) : c->op, c->num, ctx);
		return 0;
	}
}

char *
redcap_logic_emit(const struct form *f, const struct form_cond *c,
    const char **err)
{
	struct sb b = {0};

	*err = NULL;
	if (emit(&b, f, c, 0, E_TOP, 0, err) < 0) {
		free(b.s);
		return NULL;
	}
	if (b.oom)
		*err = "out of memory";
	return sb_take(&b);
}

/* ---- export ---- */

struct ex {
	const char *name;
	const struct form *f;
	struct redcap_dict *d;
	struct diag *diag;
	char form_name[80];
	int *score_calc; /* per score: exported as a calc field */
};

static void ex_problem(struct ex *x, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ex_problem(struct ex *x, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd_at(x->diag, x->name, path, fmt, ap);
	va_end(ap);
}

static const char *
txt(const struct form *f, const struct form_text *t)
{
	return form_text_get(f, t, 0);
}

/* REDCap's instrument names: lower-case letters, digits, underscores. */
static void
form_name_of(const char *id, char *out, size_t len)
{
	size_t j = 0;

	if (id == NULL || !islower((unsigned char)id[0]))
		j = (size_t)snprintf(out, len, "form_");
	for (const char *p = id ? id : ""; *p && j + 1 < len; p++) {
		unsigned char ch = (unsigned char)*p;
		out[j++] = (char)(islower(ch) || isdigit(ch) ? ch : '_');
	}
	out[j] = '\0';
}

/* A variable name of our own that no form variable uses. */
static void
own_name(const struct form *f, const char *base, char *out, size_t len)
{
	size_t n;

	snprintf(out, len, "%s", base);
	n = strlen(out);
	while (form_var_find(f, out) >= 0 && n + 2 < len) {
		out[n++] = 'x';
		out[n] = '\0';
	}
}

static int
set_cell(struct redcap_row *row, enum redcap_col c, const char *s)
{
	free(row->f[c]);
	row->f[c] = strdup(s ? s : "");
	return row->f[c] ? 0 : -1;
}

/* Fill the empty cells of the last row; -1 when out of memory. */
static int
finish_row(struct redcap_row *row)
{
	for (int c = 0; c < RC__MAX; c++)
		if (row->f[c] == NULL && (row->f[c] = strdup("")) == NULL)
			return -1;
	return 0;
}

/* "1, Label | 2, Label"; a label with '|' or a newline cannot be said. */
static char *
choices_text(struct ex *x, const struct form_item *it, const char *path)
{
	struct sb b = {0};
	char p[DIAG_PATH_MAX];

	for (size_t i = 0; i < it->nchoices; i++) {
		const char *l = txt(x->f, &it->choices[i].label);
		if (strpbrk(l, "|\n") != NULL)
			ex_problem(x, diag_path_idx(p, diag_path_key(p, path,
			    "choices"), i), "a label with '|' or a line break "
			    "cannot be a REDCap choice");
		if (it->kind == FORM_MULTIPLE && it->choices[i].value < 0)
			ex_problem(x, diag_path_idx(p, diag_path_key(p, path,
			    "choices"), i), "REDCap checkbox codes cannot be "
			    "negative");
		if (i > 0)
			sb_puts(&b, " | ");
		sb_printf(&b, "%ld, ", it->choices[i].value);
		sb_puts(&b, l);
	}
	return sb_take(&b);
}

/* The Candor-only annotation tags of an item, in a fixed order. */
static char *
item_tags(const struct form_item *it)
{
	struct sb b = {0};
	int nmiss = 0;

	for (size_t i = 0; i < it->nchoices; i++)
		if (it->choices[i].exclusive)
			sb_printf(&b, "@NONEOFTHEABOVE='%ld'",
			    it->choices[i].value);
	for (size_t i = 0; i < it->nchoices; i++) {
		if (!it->choices[i].missing)
			continue;
		if (b.n > 0 && nmiss == 0)
			sb_puts(&b, " ");
		sb_printf(&b, "%s%ld", nmiss++ ? "," : "@CANDOR-MISSING='",
		    it->choices[i].value);
	}
	if (nmiss)
		sb_puts(&b, "'");
	if (it->kind == FORM_DURATION)
		sb_puts(&b, b.n ? " @CANDOR-DURATION" : "@CANDOR-DURATION");
	if (it->kind == FORM_TEXT)
		sb_printf(&b, "%s@CHARLIMIT=%zu", b.n ? " " : "",
		    it->max_length);
	return sb_take(&b);
}

/* The page's and the item's conditions together, as one logic string. */
static char *
item_logic(struct ex *x, const struct form_page *pg,
    const struct form_item *it, const char *path)
{
	struct form_cond both = {0};
	struct form_cond *kids[2];
	const struct form_cond *c;
	const char *err = NULL;
	char *s;

	if (pg->show_if != NULL && it->show_if != NULL) {
		kids[0] = pg->show_if;
		kids[1] = it->show_if;
		both.op = COND_ALL;
		both.kids = kids;
		both.nkids = 2;
		c = &both;
	} else {
		c = pg->show_if ? pg->show_if : it->show_if;
	}
	if (c == NULL)
		return strdup("");
	s = redcap_logic_emit(x->f, c, &err);
	if (s == NULL || err != NULL) {
		char p[DIAG_PATH_MAX];
		ex_problem(x, diag_path_key(p, path, "show_if"), "%s",
		    err ? err : "out of memory");
		free(s);
		return NULL;
	}
	return s;
}

static char *
section_text(const struct form *f, const struct form_page *pg)
{
	struct sb b = {0};

	sb_puts(&b, txt(f, &pg->title));
	if (pg->intro.s[0] != NULL) {
		sb_puts(&b, "\n\n");
		sb_puts(&b, txt(f, &pg->intro));
	}
	return sb_take(&b);
}

/* Start a row with the cells every field has; NULL when out of memory. */
static struct redcap_row *ex_row(struct ex *x, const char *var,
    const char *type, const char *label);

/*
 * A page whose Section Header would not fit in one cell (the import takes
 * at most REDCAP_FIELD_MAX bytes): the title and the introduction's first
 * paragraphs stay in the header, on a descriptive row of its own, whose
 * label and further descriptive rows carry the other paragraphs. The
 * import joins descriptive text before a page's first question back into
 * its introduction with a blank line between, so the page comes back as it
 * was. A title or a paragraph longer than a cell is refused. Returns 0 (and
 * frees *section), or -1: out of memory unless a problem was added.
 */
static int
ex_long_section(struct ex *x, const struct form_page *pg, size_t ipage,
    const char *path, char **section)
{
	const struct form *f = x->f;
	const char *title = txt(f, &pg->title), *p = txt(f, &pg->intro);
	struct sb cell[2] = {{0}, {0}}; /* the header, the label being filled */
	struct redcap_row *row;
	char base[FORM_VAR_MAX + 1], var[FORM_VAR_MAX + 8], pp[DIAG_PATH_MAX];
	size_t nrows = 0;
	int cur = 0, rc = -1;

	if (strlen(title) + 2 > REDCAP_FIELD_MAX) {
		ex_problem(x, diag_path_key(pp, path, "title"), "%zu bytes; a "
		    "REDCap cell holds at most %u", strlen(title),
		    REDCAP_FIELD_MAX);
		return -1;
	}
	sb_puts(&cell[0], title);
	while (p != NULL && *p != '\0') {
		const char *e = strstr(p, "\n\n");
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		/* The header always needs the blank line after the title. */
		size_t sep = cur == 0 || cell[1].n > 0 ? 2 : 0;
		if (n > REDCAP_FIELD_MAX) {
			ex_problem(x, diag_path_key(pp, path, "intro"), "a "
			    "paragraph of %zu bytes; a REDCap cell holds at most "
			    "%u (split it with a blank line)", n,
			    REDCAP_FIELD_MAX);
			goto out;
		}
		if (cell[cur].n + sep + n > REDCAP_FIELD_MAX) {
			if (cur == 1 && nrows > 0) {
				/* A full label: its own row. */
				snprintf(base, sizeof(base), "page%zu_text%zu",
				    ipage + 1, nrows + 1);
				own_name(f, base, var, sizeof(var));
				char *t = sb_take(&cell[1]);
				row = t != NULL ? ex_row(x, var, "descriptive", t)
				    : NULL;
				free(t);
				if (row == NULL || finish_row(row) < 0)
					goto out;
				nrows++;
			} else if (cur == 1) {
				/* The header's row, with the first label. */
				snprintf(base, sizeof(base), "page%zu_text1",
				    ipage + 1);
				own_name(f, base, var, sizeof(var));
				char *h = sb_take(&cell[0]), *t = sb_take(&cell[1]);
				row = h != NULL && t != NULL ? ex_row(x, var,
				    "descriptive", t) : NULL;
				if (row == NULL || set_cell(row, RC_SECTION, h) < 0 ||
				    finish_row(row) < 0) {
					free(h);
					free(t);
					goto out;
				}
				free(h);
				free(t);
				nrows++;
			}
			cur = 1;
			sep = 0;
		}
		if (sep)
			sb_add(&cell[cur], "\n\n", 2);
		sb_add(&cell[cur], p, n);
		p = e != NULL ? e + 2 : NULL;
	}
	/* The last label; the header's row when no label was full. */
	snprintf(base, sizeof(base), "page%zu_text%zu", ipage + 1, nrows + 1);
	own_name(f, base, var, sizeof(var));
	{
		char *t = sb_take(&cell[1]), *h = nrows == 0 ?
		    sb_take(&cell[0]) : NULL;
		row = t != NULL && (nrows > 0 || h != NULL) ?
		    ex_row(x, var, "descriptive", t) : NULL;
		if (row == NULL || (h != NULL && set_cell(row, RC_SECTION, h) <
		    0) || finish_row(row) < 0) {
			free(t);
			free(h);
			goto out;
		}
		free(t);
		free(h);
	}
	free(*section);
	*section = NULL;
	rc = 0;
out:
	free(cell[0].s);
	free(cell[1].s);
	return rc;
}

static struct redcap_row *
ex_row(struct ex *x, const char *var, const char *type, const char *label)
{
	struct redcap_row *row = dict_row(x->d);

	if (row == NULL)
		return NULL;
	if (set_cell(row, RC_VAR, var) < 0 ||
	    set_cell(row, RC_FORM, x->form_name) < 0 ||
	    set_cell(row, RC_TYPE, type) < 0 ||
	    set_cell(row, RC_LABEL, label) < 0)
		return NULL;
	return row;
}

static int
ex_item(struct ex *x, const struct form_page *pg, const struct form_item *it,
    const char *path, char **section)
{
	const struct form *f = x->f;
	struct redcap_row *row = NULL;
	char *logic = item_logic(x, pg, it, path);
	char *tags = item_tags(it);
	char *choices = NULL;
	char num[64];
	int rc = -1, bad_logic = 0;

	/* A condition REDCap cannot say is reported; go on for the rest. */
	if (logic == NULL) {
		bad_logic = 1;
		logic = strdup("");
	}
	if (logic == NULL || tags == NULL)
		goto out;
	switch (it->kind) {
	case FORM_GRID: {
		char mx[FORM_VAR_MAX + 16], base[FORM_VAR_MAX + 16];
		if (it->nrows == 0)
			goto out;
		snprintf(base, sizeof(base), "%s_grid", it->rows[0].var);
		own_name(f, base, mx, sizeof(mx));
		if ((choices = choices_text(x, it, path)) == NULL)
			goto out;
		/* The grid's question: a descriptive row before the matrix. */
		if ((row = ex_row(x, mx, "descriptive", txt(f, &it->label))) ==
		        NULL ||
		    set_cell(row, RC_SECTION, *section) < 0 ||
		    set_cell(row, RC_BRANCH, logic) < 0 || finish_row(row) < 0)
			goto out;
		free(*section);
		*section = NULL;
		for (size_t i = 0; i < it->nrows; i++) {
			row = ex_row(x, it->rows[i].var, "radio",
			    txt(f, &it->rows[i].label));
			if (row == NULL ||
			    set_cell(row, RC_CHOICES, choices) < 0 ||
			    set_cell(row, RC_IDENT, it->quasi_identifier ? "y"
			        : "") < 0 ||
			    set_cell(row, RC_BRANCH, logic) < 0 ||
			    set_cell(row, RC_REQUIRED, it->required ? "y" : "") <
			        0 ||
			    set_cell(row, RC_MATRIX, mx) < 0 ||
			    set_cell(row, RC_ANNOT, tags) < 0 || finish_row(row) < 0)
				goto out;
		}
		rc = 0;
		goto out;
	}
	case FORM_SINGLE:
	case FORM_DURATION:
	case FORM_MULTIPLE:
		if ((choices = choices_text(x, it, path)) == NULL)
			goto out;
		row = ex_row(x, it->var, it->kind == FORM_MULTIPLE ? "checkbox" :
		    "radio", txt(f, &it->label));
		if (row == NULL || set_cell(row, RC_CHOICES, choices) < 0)
			goto out;
		break;
	case FORM_INTEGER:
	case FORM_DECIMAL:
	case FORM_SCALE: {
		struct sb b = {0};
		int scale = it->kind == FORM_SCALE;
		row = ex_row(x, it->var, scale ? "slider" : "text",
		    txt(f, &it->label));
		if (row == NULL || set_cell(row, RC_VALID,
		        it->kind == FORM_INTEGER ? "integer" : "number") < 0)
			goto out;
		sb_num(&b, it->min);
		snprintf(num, sizeof(num), "%s", b.s ? b.s : "");
		free(b.s);
		memset(&b, 0, sizeof(b));
		if (set_cell(row, RC_MIN, num) < 0)
			goto out;
		sb_num(&b, it->max);
		snprintf(num, sizeof(num), "%s", b.s ? b.s : "");
		free(b.s);
		memset(&b, 0, sizeof(b));
		if (set_cell(row, RC_MAX, num) < 0)
			goto out;
		if (scale && (it->min_label.s[0] || it->max_label.s[0])) {
			const char *lo = it->min_label.s[0] ?
			    txt(f, &it->min_label) : "";
			const char *hi = it->max_label.s[0] ?
			    txt(f, &it->max_label) : "";
			if (strpbrk(lo, "|\n") || strpbrk(hi, "|\n")) {
				ex_problem(x, path, "a slider label with '|' or a "
				    "line break cannot be said in REDCap");
				goto out;
			}
			sb_puts(&b, lo);
			sb_puts(&b, " | | ");
			sb_puts(&b, hi);
			choices = sb_take(&b);
			if (choices == NULL ||
			    set_cell(row, RC_CHOICES, choices) < 0)
				goto out;
		}
		break;
	}
	case FORM_YESNO:
		row = ex_row(x, it->var, "yesno", txt(f, &it->label));
		break;
	case FORM_TEXT:
		row = ex_row(x, it->var, "notes", txt(f, &it->label));
		break;
	default:
		ex_problem(x, path, "unknown item kind");
		goto out;
	}
	if (row == NULL ||
	    set_cell(row, RC_SECTION, *section) < 0 ||
	    set_cell(row, RC_NOTE, it->help.s[0] ? txt(f, &it->help) : "") < 0 ||
	    set_cell(row, RC_IDENT, it->quasi_identifier ? "y" : "") < 0 ||
	    set_cell(row, RC_BRANCH, logic) < 0 ||
	    set_cell(row, RC_REQUIRED, it->required ? "y" : "") < 0 ||
	    set_cell(row, RC_ANNOT, tags) < 0 || finish_row(row) < 0)
		goto out;
	free(*section);
	*section = NULL;
	rc = 0;
out:
	free(logic);
	free(tags);
	free(choices);
	return bad_logic ? -1 : rc;
}

/* ---- scores ---- */

static json_t *
num_json(double x)
{
	if (x == floor(x) && fabs(x) < 1e15)
		return json_integer((json_int_t)x);
	return json_real(x);
}

static const char *const score_kind_names[FORM_SCORE__MAX] = {
	"sum", "mean", "count", "criteria", "bands",
};

/* The score's definition without var and label, as compact JSON. */
static char *
score_json(const struct form *f, const struct form_score *sc)
{
	json_t *o = json_object(), *a;
	char *s;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "kind", json_string(score_kind_names[sc->kind]));
	switch (sc->kind) {
	case FORM_SCORE_SUM:
	case FORM_SCORE_MEAN:
		a = json_array();
		for (size_t i = 0; i < sc->nitems; i++)
			json_array_append_new(a,
			    json_string(f->vars[sc->items[i]].name));
		json_object_set_new(o, "items", a);
		if (sc->min_answered != sc->nitems)
			json_object_set_new(o, "min_answered",
			    json_integer((json_int_t)sc->min_answered));
		break;
	case FORM_SCORE_COUNT:
		a = json_array();
		for (size_t i = 0; i < sc->nconds; i++)
			json_array_append_new(a, form_cond_json(f, sc->conds[i]));
		json_object_set_new(o, "conditions", a);
		break;
	case FORM_SCORE_CRITERIA:
		json_object_set_new(o, "when", form_cond_json(f, sc->when));
		break;
	case FORM_SCORE_BANDS:
		json_object_set_new(o, "of", json_string(f->vars[sc->of].name));
		a = json_array();
		for (size_t i = 0; i < sc->ncuts; i++)
			json_array_append_new(a, num_json(sc->cuts[i]));
		json_object_set_new(o, "cuts", a);
		a = json_array();
		for (size_t i = 0; i <= sc->ncuts; i++)
			json_array_append_new(a,
			    json_string(txt(f, &sc->band_labels[i])));
		json_object_set_new(o, "labels", a);
		break;
	default:
		break;
	}
	if (sc->has_range) {
		a = json_array();
		json_array_append_new(a, num_json(sc->range[0]));
		json_array_append_new(a, num_json(sc->range[1]));
		json_object_set_new(o, "range", a);
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Can REDCap's sum()/mean() compute this score as Candor does? */
static int
score_is_calc(const struct ex *x, const struct form_score *sc)
{
	const struct form *f = x->f;

	if (sc->kind != FORM_SCORE_SUM && sc->kind != FORM_SCORE_MEAN)
		return 0;
	if (sc->min_answered != sc->nitems)
		return 0;
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct form_var *v = &f->vars[sc->items[i]];
		if (v->type == FORM_T_SET || v->type == FORM_T_TEXT)
			return 0;
		if (v->score != NULL &&
		    !x->score_calc[v->score - f->scores])
			return 0;
	}
	return 1;
}

static int
ex_score(struct ex *x, size_t i)
{
	const struct form *f = x->f;
	const struct form_score *sc = &f->scores[i];
	struct redcap_row *row;
	struct sb b = {0};
	char *s;
	int rc;

	x->score_calc[i] = score_is_calc(x, sc);
	if (x->score_calc[i]) {
		sb_puts(&b, sc->kind == FORM_SCORE_SUM ? "sum(" : "mean(");
		for (size_t j = 0; j < sc->nitems; j++)
			sb_printf(&b, "%s[%s]", j ? "," : "",
			    f->vars[sc->items[j]].name);
		sb_puts(&b, ")");
		if ((s = sb_take(&b)) == NULL)
			return -1;
		if (sc->has_range) {
			sb_puts(&b, "@CANDOR-RANGE='");
			sb_num(&b, sc->range[0]);
			sb_puts(&b, ",");
			sb_num(&b, sc->range[1]);
			sb_puts(&b, "'");
		}
		char *tags = sb_take(&b);
		row = tags ? ex_row(x, sc->var, "calc", txt(f, &sc->label)) :
		    NULL;
		rc = row == NULL || set_cell(row, RC_CHOICES, s) < 0 ||
		    set_cell(row, RC_ANNOT, tags) < 0 ||
		    finish_row(row) < 0 ? -1 : 0;
		free(s);
		free(tags);
		return rc;
	}
	char *js = score_json(f, sc);
	if (js == NULL)
		return -1;
	sb_puts(&b, txt(f, &sc->label));
	sb_puts(&b, SCORE_SUFFIX);
	s = sb_take(&b);
	sb_puts(&b, TAG_SCORE);
	sb_puts(&b, js);
	free(js);
	js = sb_take(&b);
	row = s && js ? ex_row(x, sc->var, "descriptive", s) : NULL;
	rc = row == NULL || set_cell(row, RC_ANNOT, js) < 0 ||
	    finish_row(row) < 0 ? -1 : 0;
	free(s);
	free(js);
	return rc;
}

int
redcap_export(const char *name, const struct form *f,
    struct redcap_dict *out, struct diag *diag)
{
	struct ex x = {name, f, out, diag, {0}, NULL};
	struct redcap_row *row;
	char path[DIAG_PATH_MAX], p2[DIAG_PATH_MAX], rid[FORM_VAR_MAX + 8];
	size_t before = diag->total;
	int oom = 0;

	redcap_dict_init(out);
	form_name_of(f->id, x.form_name, sizeof(x.form_name));
	x.score_calc = calloc(f->nscores + 1, sizeof(int));
	if (x.score_calc == NULL)
		goto oom;
	/* REDCap takes the first field as the record ID, always text. */
	own_name(f, "record_id", rid, sizeof(rid));
	if ((row = ex_row(&x, rid, "text", "Record ID")) == NULL ||
	    finish_row(row) < 0)
		goto oom;
	for (size_t i = 0; i < f->npages && !oom; i++) {
		const struct form_page *pg = &f->pages[i];
		char *section = section_text(f, pg);
		if (section == NULL)
			goto oom;
		diag_path_idx(path, "pages", i);
		if (strlen(section) > REDCAP_FIELD_MAX) {
			size_t nd = diag->total;
			if (ex_long_section(&x, pg, i, path, &section) < 0) {
				if (diag->total == nd)
					oom = 1;
				free(section);
				continue;
			}
		}
		for (size_t j = 0; j < pg->nitems; j++) {
			size_t nd = diag->total;
			diag_path_idx(p2, diag_path_key(p2, path, "items"), j);
			if (ex_item(&x, pg, &pg->items[j], p2, &section) < 0 &&
			    diag->total == nd)
				oom = 1;
		}
		free(section);
	}
	for (size_t i = 0; i < f->nscores && !oom; i++)
		if (ex_score(&x, i) < 0)
			oom = 1;
	if (oom)
		goto oom;
	/* Never a cell the import refuses (a label, note or choice list). */
	for (size_t i = 0; i < out->nrows; i++)
		for (size_t c = 0; c < RC__MAX; c++)
			if (out->rows[i].f[c] != NULL &&
			    strlen(out->rows[i].f[c]) > REDCAP_FIELD_MAX)
				diag_add(diag, name, "field \"%s\", column \"%s\": "
				    "%zu bytes; a REDCap cell holds at most %u",
				    out->rows[i].f[RC_VAR], redcap_columns[c],
				    strlen(out->rows[i].f[c]), REDCAP_FIELD_MAX);
	free(x.score_calc);
	if (diag->total != before) {
		redcap_dict_free(out);
		return -1;
	}
	return 0;
oom:
	diag_add(diag, name, "out of memory");
	free(x.score_calc);
	redcap_dict_free(out);
	return -1;
}

/* ---- import: the state ---- */

enum sym_type {
	S_NUM,   /* radio, dropdown, yesno, slider, integer, number */
	S_SET,   /* checkbox */
	S_TEXT,  /* text, notes */
	S_SCORE, /* calc, or a Candor score */
};

struct sym {
	char *name;
	enum sym_type t;
	json_t *choices; /* checkbox: its choices (borrowed) */
};

/* A field the import refused: its name, row and first problem. */
struct gone {
	char *name;
	size_t row;
	char *why;
};

struct page_acc {
	char *title;
	char *intro;
	json_t *items;
	const struct redcap_row *r; /* where it starts, for messages */
};

struct im {
	const char *name;
	const struct redcap_dict *d;
	struct diag *err, *warn;
	struct sym *syms;
	size_t nsyms, capsyms;
	struct page_acc *pages;
	size_t npages, cappages;
	json_t *scores;
	int free_text;
	char *first_form;     /* the first instrument's name */
	const char *cur_form; /* the previous row's instrument */
	/* the grid being read: consecutive rows of one matrix group */
	json_t *grid_choices;
	json_t *grid_rows;
	char *grid_mx, *grid_label, *grid_logic;
	json_t *grid_show_if;
	int grid_req_all, grid_req_any, grid_ident;
	size_t grid_row;
	char *pending_label; /* a descriptive row just before a matrix */
	/* fields refused, so that a reference to one can say why */
	struct gone *gone;
	size_t ngone, capgone;
	int oom;
};

static void im_add(struct im *m, struct diag *d, const struct redcap_row *r,
    enum redcap_col c, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void
im_add(struct im *m, struct diag *d, const struct redcap_row *r,
    enum redcap_col c, const char *fmt, va_list ap)
{
	char where[DIAG_PATH_MAX + 96];
	char what[400];

	if (r != NULL)
		snprintf(where, sizeof(where), "%s: row %zu, column \"%s\"",
		    m->name, r->row, redcap_columns[c]);
	else
		snprintf(where, sizeof(where), "%s", m->name);
	vsnprintf(what, sizeof(what), fmt, ap);
	diag_add(d, where, "%s", what);
}

static void im_err(struct im *m, const struct redcap_row *r,
    enum redcap_col c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void im_warn(struct im *m, const struct redcap_row *r,
    enum redcap_col c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static char *im_text(struct im *m, const struct redcap_row *r,
    enum redcap_col c, const char *s);

/* A problem that changes what the form means: the import fails. */
static void
im_err(struct im *m, const struct redcap_row *r, enum redcap_col c,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	im_add(m, m->err, r, c, fmt, ap);
	va_end(ap);
}

/* Something dropped that the form does not need to mean the same. */
static void
im_warn(struct im *m, const struct redcap_row *r, enum redcap_col c,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	im_add(m, m->warn, r, c, fmt, ap);
	va_end(ap);
}

/*
 * A cell as form text: trimmed, CRLF as LF, tabs as spaces, other control
 * characters removed (the form refuses them). NULL when out of memory.
 */
static char *
clean(const char *s)
{
	size_t n = strlen(s), j = 0, b = 0;
	char *o;

	if ((o = malloc(n + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\t')
			o[j++] = ' ';
		else if (ch == '\n' || (ch >= 0x20 && ch != 0x7f))
			o[j++] = (char)ch;
	}
	/* Trimmed after the removal, so "a \x1e" is "a" as "a " is. */
	while (j > 0 && isspace((unsigned char)o[j - 1]))
		j--;
	while (b < j && isspace((unsigned char)o[b]))
		b++;
	memmove(o, o + b, j - b);
	o[j - b] = '\0';
	return o;
}

/* Tags after which the text goes on in a new paragraph or line. */
static const char *const html_breaks[] = {
	"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
	"tr", "table", "blockquote", NULL,
};

/* Entities REDCap's rich-text editor writes, and their text. */
static const char *const html_entities[][2] = {
	{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
	{"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}, {NULL, NULL},
};

/*
 * REDCap's rich-text labels are HTML; the form shows text (and escapes it),
 * so a tag would reach respondents as "<div class=...>". Returns the text
 * with the tags dropped (block tags become line breaks) and the common
 * entities decoded, malloc'd, or NULL when out of memory; *changed says
 * whether s held a tag. "x < 3" is no tag: one starts with '<' and a
 * letter, '/' or '!'.
 */
static char *
strip_html(const char *s, int *changed)
{
	size_t n = strlen(s), j = 0;
	char *o = malloc(n + 1);

	*changed = 0;
	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		const char *e;
		if (s[i] == '<' && (isalpha((unsigned char)s[i + 1]) ||
		    s[i + 1] == '/' || s[i + 1] == '!') &&
		    (e = strchr(s + i, '>')) != NULL) {
			const char *t = s + i + 1 + (s[i + 1] == '/');
			size_t tn = strcspn(t, " \t\n/>");
			*changed = 1;
			for (size_t k = 0; html_breaks[k] != NULL; k++)
				if (strlen(html_breaks[k]) == tn &&
				    strncasecmp(t, html_breaks[k], tn) == 0) {
					o[j++] = '\n';
					break;
				}
			i = (size_t)(e - s) + 1;
			continue;
		}
		if (s[i] == '&') {
			size_t k;
			for (k = 0; html_entities[k][0] != NULL; k++)
				if (strncmp(s + i, html_entities[k][0],
				    strlen(html_entities[k][0])) == 0)
					break;
			if (html_entities[k][0] != NULL) {
				/* Every replacement is shorter than its entity. */
				memcpy(o + j, html_entities[k][1],
				    strlen(html_entities[k][1]));
				j += strlen(html_entities[k][1]);
				i += strlen(html_entities[k][0]);
				continue;
			}
		}
		o[j++] = s[i++];
	}
	o[j] = '\0';
	if (!*changed) {
		/* Entities alone are no rich text: keep the cell as written. */
		memcpy(o, s, n + 1);
		return o;
	}
	/* Paragraphs: at most one blank line, no spaces at line ends. */
	size_t w = 0, nl = 0;
	for (size_t i = 0; i < j; i++) {
		if (o[i] == '\n') {
			while (w > 0 && o[w - 1] == ' ')
				w--;
			if (++nl <= 2)
				o[w++] = '\n';
			continue;
		}
		if (nl > 0 && o[i] == ' ')
			continue; /* indentation of the HTML source */
		nl = 0;
		o[w++] = o[i];
	}
	o[w] = '\0';
	return o;
}

static int
blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int
valid_var_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FORM_VAR_MAX || !islower((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '_')
			return 0;
	return 1;
}

/* REDCap instrument names: [a-z][a-z0-9_]*, at most 100 bytes. */
static int
valid_form_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 100 || !islower((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '_')
			return 0;
	return 1;
}

static struct sym *
sym_find(struct im *m, const char *name)
{
	for (size_t i = 0; i < m->nsyms; i++)
		if (strcmp(m->syms[i].name, name) == 0)
			return &m->syms[i];
	return NULL;
}

/*
 * Remember that row r's field was refused, with the first problem reported
 * on it (diag index first). Out of memory only loses the detail.
 */
static void
gone_add(struct im *m, const struct redcap_row *r, size_t first)
{
	const char *why = first < m->err->n ? m->err->a[first].what : "refused";

	if (m->ngone == m->capgone) {
		size_t ncap = m->capgone ? m->capgone * 2 : 16;
		struct gone *ng = realloc(m->gone, ncap * sizeof(*ng));
		if (ng == NULL)
			return;
		m->gone = ng;
		m->capgone = ncap;
	}
	m->gone[m->ngone].name = strdup(r->f[RC_VAR]);
	m->gone[m->ngone].why = strdup(why);
	m->gone[m->ngone].row = r->row;
	if (m->gone[m->ngone].name == NULL || m->gone[m->ngone].why == NULL) {
		free(m->gone[m->ngone].name);
		free(m->gone[m->ngone].why);
		return;
	}
	m->ngone++;
}

/*
 * The rule for a reference to name, which is no field before this one:
 * a field refused earlier says so and why, since "not a field" would send
 * the reader looking for a typing error.
 */
static void
unknown_ref(const struct im *m, const char *name, char *out, size_t len)
{
	for (size_t i = 0; i < m->ngone; i++)
		if (strcmp(m->gone[i].name, name) == 0) {
			snprintf(out, len, "[%s] refers to field %s, which was "
			    "not imported (row %zu: %.120s)", name, name,
			    m->gone[i].row, m->gone[i].why);
			return;
		}
	snprintf(out, len, "[%s] is not a field before this one", name);
}

static int
sym_add(struct im *m, const char *name, enum sym_type t, json_t *choices)
{
	if (m->nsyms == m->capsyms) {
		size_t ncap = m->capsyms ? m->capsyms * 2 : 64;
		struct sym *ns = realloc(m->syms, ncap * sizeof(*ns));
		if (ns == NULL)
			return -1;
		m->syms = ns;
		m->capsyms = ncap;
	}
	if ((m->syms[m->nsyms].name = strdup(name)) == NULL)
		return -1;
	m->syms[m->nsyms].t = t;
	m->syms[m->nsyms].choices = choices;
	m->nsyms++;
	return 0;
}

/* A strict number: the whole (trimmed) cell. */
static int
parse_num(const char *s, double *out)
{
	char *end;
	double x;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	x = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || errno != 0 || !isfinite(x))
		return -1;
	*out = x;
	return 0;
}

/* "Fibromyalgia therapies" from "fibromyalgia_therapies". */
static char *
humanize(const char *form)
{
	char *s = strdup(form && *form ? form : "survey");

	if (s == NULL)
		return NULL;
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	/* trimmed, as a Section Header is read back */
	char *t = clean(s);
	free(s);
	if (t != NULL && t[0] == '\0') {
		free(t);
		t = strdup("Survey");
	}
	if (t != NULL)
		t[0] = (char)toupper((unsigned char)t[0]);
	return t;
}

/* ---- import: branching logic ---- */

enum lop { L_AND, L_OR, L_CMP };

struct lnode {
	enum lop op;
	struct lnode **kids;
	size_t nkids;
	char var[FORM_VAR_MAX + 1];
	int has_code;
	long code;
	enum cond_op cmp;
	int is_blank; /* compared with '' */
	double num;
};

struct lparse {
	const char *p;
	char err[200];
	int depth;
};

static void
lnode_free(struct lnode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		lnode_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static void lp_err(struct lparse *lp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
lp_err(struct lparse *lp, const char *fmt, ...)
{
	va_list ap;

	if (lp->err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(lp->err, sizeof(lp->err), fmt, ap);
	va_end(ap);
}

static void
lp_ws(struct lparse *lp)
{
	while (isspace((unsigned char)*lp->p))
		lp->p++;
}

/* The keyword (and, or) at p, case-insensitive and whole. */
static int
lp_word(struct lparse *lp, const char *w)
{
	size_t n = strlen(w);

	lp_ws(lp);
	if (strncasecmp(lp->p, w, n) == 0 && !isalnum((unsigned char)lp->p[n]) &&
	    lp->p[n] != '_') {
		lp->p += n;
		return 1;
	}
	return 0;
}

struct operand {
	int is_var;
	char var[FORM_VAR_MAX + 1];
	int has_code;
	long code;
	int is_blank;
	double num;
};

/*
 * Copy the text from lp->p up to the delimiter close into buf and step
 * past the delimiter; -1 with the message open (no delimiter) or toolong.
 */
static int
lp_span(struct lparse *lp, char close, char *buf, size_t size,
    const char *open, const char *toolong)
{
	const char *s = lp->p, *e = strchr(s, close);
	size_t n;

	if (e == NULL) {
		lp_err(lp, "%s", open);
		return -1;
	}
	n = (size_t)(e - s);
	lp->p = e + 1;
	if (n >= size) {
		lp_err(lp, "%s", toolong);
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

static int
lp_operand(struct lparse *lp, struct operand *o)
{
	memset(o, 0, sizeof(*o));
	lp_ws(lp);
	if (*lp->p == '[') {
		char buf[128];
		lp->p++;
		if (lp_span(lp, ']', buf, sizeof(buf), "unclosed '['",
		    "field name too long") != 0)
			return -1;
		if (*lp->p == '[') {
			lp_err(lp, "[%s][...]: events and arms (longitudinal "
			    "projects) are not supported", buf);
			return -1;
		}
		if (strpbrk(buf, "-:") != NULL) {
			lp_err(lp, "smart variable or field option [%s] is not "
			    "supported", buf);
			return -1;
		}
		char *par = strchr(buf, '(');
		if (par != NULL) {
			char *end;
			long code;
			size_t pl = strlen(par);
			if (pl < 3 || par[pl - 1] != ')') {
				lp_err(lp, "[%s]: want [field(code)]", buf);
				return -1;
			}
			par[pl - 1] = '\0';
			errno = 0;
			code = strtol(par + 1, &end, 10);
			if (*end != '\0' || errno != 0 || end == par + 1 ||
			    code < -1000 || code > 1000) {
				lp_err(lp, "checkbox code \"%s\" is not an integer "
				    "-1000..1000", par + 1);
				return -1;
			}
			*par = '\0';
			o->has_code = 1;
			o->code = code;
		}
		if (!valid_var_name(buf)) {
			lp_err(lp, "[%s] is not a field name", buf);
			return -1;
		}
		o->is_var = 1;
		memcpy(o->var, buf, strlen(buf) + 1); /* valid: fits */
		return 0;
	}
	if (*lp->p == '\'' || *lp->p == '"') {
		char q = *lp->p++;
		char buf[64];
		if (lp_span(lp, q, buf, sizeof(buf), "unterminated quote",
		    "value too long") != 0)
			return -1;
		if (blank(buf)) {
			o->is_blank = 1;
			return 0;
		}
		if (parse_num(buf, &o->num) < 0) {
			lp_err(lp, "compares with the text '%s'; only numbers "
			    "and '' can be translated", buf);
			return -1;
		}
		return 0;
	}
	if (isdigit((unsigned char)*lp->p) || *lp->p == '-' || *lp->p == '.') {
		char *end;
		errno = 0;
		o->num = strtod(lp->p, &end);
		if (end == lp->p || errno != 0 || !isfinite(o->num)) {
			lp_err(lp, "bad number");
			return -1;
		}
		lp->p = end;
		return 0;
	}
	if (isalpha((unsigned char)*lp->p)) {
		const char *s = lp->p;
		while (isalnum((unsigned char)*lp->p) || *lp->p == '_')
			lp->p++;
		lp_ws(lp);
		if (*lp->p == '(')
			lp_err(lp, "function %.*s() cannot be translated",
			    (int)(lp->p - s) > 40 ? 40 : (int)(lp->p - s), s);
		else
			lp_err(lp, "unexpected word \"%.*s\"",
			    (int)(lp->p - s) > 40 ? 40 : (int)(lp->p - s), s);
		return -1;
	}
	if (*lp->p == '\0')
		lp_err(lp, "unexpected end of the logic");
	else
		lp_err(lp, "unexpected '%c'", *lp->p);
	return -1;
}

static int
lp_op(struct lparse *lp, enum cond_op *op)
{
	static const struct {
		const char *s;
		enum cond_op op;
	} ops[] = {
		{"<>", COND_NE}, {"!=", COND_NE}, {"<=", COND_LE},
		{">=", COND_GE}, {"==", COND_EQ}, {"=", COND_EQ},
		{"<", COND_LT}, {">", COND_GT},
	};

	lp_ws(lp);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);
		if (strncmp(lp->p, ops[i].s, n) == 0) {
			lp->p += n;
			*op = ops[i].op;
			return 0;
		}
	}
	if (*lp->p == '+' || *lp->p == '-' || *lp->p == '*' || *lp->p == '/')
		lp_err(lp, "arithmetic in branching logic cannot be "
		    "translated");
	else if (*lp->p == '\0')
		lp_err(lp, "a field alone is not a condition; compare it");
	else
		lp_err(lp, "expected a comparison (=, <>, <, <=, >, >=) at "
		    "'%c'", *lp->p);
	return -1;
}

static struct lnode *lp_or(struct lparse *lp);

static struct lnode *
lp_cmp(struct lparse *lp)
{
	struct operand a, b;
	enum cond_op op;
	struct lnode *n;

	if (lp_operand(lp, &a) < 0 || lp_op(lp, &op) < 0 ||
	    lp_operand(lp, &b) < 0)
		return NULL;
	if (a.is_var == b.is_var) {
		lp_err(lp, a.is_var ? "comparing two fields cannot be "
		    "translated" : "a comparison needs a field");
		return NULL;
	}
	if (!a.is_var) { /* '1' = [x]: mirror it */
		struct operand t = a;
		a = b;
		b = t;
		op = op == COND_LT ? COND_GT : op == COND_GT ? COND_LT :
		    op == COND_LE ? COND_GE : op == COND_GE ? COND_LE : op;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		lp_err(lp, "out of memory");
		return NULL;
	}
	n->op = L_CMP;
	snprintf(n->var, sizeof(n->var), "%s", a.var);
	n->has_code = a.has_code;
	n->code = a.code;
	n->cmp = op;
	n->is_blank = b.is_blank;
	n->num = b.num;
	return n;
}

static struct lnode *
lp_primary(struct lparse *lp)
{
	lp_ws(lp);
	if (*lp->p == '(') {
		struct lnode *n;
		lp->p++;
		if (++lp->depth > LOGIC_DEPTH_MAX) {
			lp_err(lp, "parentheses nested deeper than %d",
			    LOGIC_DEPTH_MAX);
			return NULL;
		}
		if ((n = lp_or(lp)) == NULL)
			return NULL;
		lp->depth--;
		lp_ws(lp);
		if (*lp->p != ')') {
			lp_err(lp, "missing ')'");
			lnode_free(n);
			return NULL;
		}
		lp->p++;
		return n;
	}
	return lp_cmp(lp);
}

/* Append kid to n, splicing in a kid of the same operator. */
static int
lnode_push(struct lnode *n, struct lnode *kid)
{
	size_t add = kid->op == n->op ? kid->nkids : 1;
	struct lnode **nk = realloc(n->kids, (n->nkids + add) * sizeof(*nk));

	if (nk == NULL)
		return -1;
	n->kids = nk;
	if (kid->op == n->op) {
		for (size_t i = 0; i < kid->nkids; i++)
			n->kids[n->nkids++] = kid->kids[i];
		free(kid->kids);
		free(kid);
	} else {
		n->kids[n->nkids++] = kid;
	}
	return 0;
}

static struct lnode *
lp_list(struct lparse *lp, enum lop op)
{
	struct lnode *first = op == L_AND ? lp_primary(lp) : lp_list(lp, L_AND);
	struct lnode *n;

	if (first == NULL)
		return NULL;
	if (!lp_word(lp, op == L_AND ? "and" : "or"))
		return first;
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		lnode_free(first);
		return NULL;
	}
	n->op = op;
	if (lnode_push(n, first) < 0) {
		lnode_free(first);
		lnode_free(n);
		return NULL;
	}
	do {
		struct lnode *k = op == L_AND ? lp_primary(lp) :
		    lp_list(lp, L_AND);
		if (k == NULL || lnode_push(n, k) < 0) {
			lnode_free(k);
			lnode_free(n);
			return NULL;
		}
	} while (lp_word(lp, op == L_AND ? "and" : "or"));
	return n;
}

static struct lnode *
lp_or(struct lparse *lp)
{
	return lp_list(lp, L_OR);
}

static json_t *
leaf(const char *var, const char *key, json_t *val)
{
	json_t *o = json_object();

	if (o == NULL) {
		json_decref(val);
		return NULL;
	}
	json_object_set_new(o, "var", json_string(var));
	json_object_set_new(o, key, val);
	return o;
}

static int
is_answered(json_t *c, const char *var, int answered)
{
	json_t *a = json_object_get(c, "answered");

	return json_object_size(c) == 2 && json_is_boolean(a) &&
	    json_is_true(a) == answered &&
	    json_is_string(json_object_get(c, "var")) &&
	    strcmp(json_string_value(json_object_get(c, "var")), var) == 0;
}

/* {"any": [{"var": x, "answered": false}, C on x]}: the var, or NULL. */
static const char *
blank_or(json_t *c)
{
	json_t *any = json_object_get(c, "any");
	const char *var;

	if (json_object_size(c) != 1 || json_array_size(any) != 2)
		return NULL;
	var = json_string_value(json_object_get(json_array_get(any, 1), "var"));
	if (var == NULL || !is_answered(json_array_get(any, 0), var, 0))
		return NULL;
	return var;
}

/*
 * In an "all": "x is answered" next to "x blank, or x compares so" says
 * "x compares so" (a blank fails both ways), which is how the export
 * spells a guarded comparison. Undoing it keeps exports stable.
 */
static void
simplify_all(json_t *kids)
{
	size_t i, j;

	for (i = 0; i < json_array_size(kids); i++) {
		const char *var = blank_or(json_array_get(kids, i));
		int guarded = 0;
		if (var == NULL)
			continue;
		for (j = 0; j < json_array_size(kids); j++)
			if (is_answered(json_array_get(kids, j), var, 1))
				guarded = 1;
		if (!guarded)
			continue;
		char name[FORM_VAR_MAX + 1];
		snprintf(name, sizeof(name), "%s", var);
		for (j = 0; j < json_array_size(kids); j++) {
			json_t *k = json_array_get(kids, j);
			const char *v2 = blank_or(k);
			if (v2 != NULL && strcmp(v2, name) == 0)
				json_array_set(kids, j, json_array_get(
				    json_object_get(k, "any"), 1));
		}
		for (j = json_array_size(kids); j-- > 0;)
			if (is_answered(json_array_get(kids, j), name, 1))
				json_array_remove(kids, j);
		i = (size_t)-1; /* start again: indexes moved */
	}
}

/* An AST node as a form condition; NULL with err set. */
static json_t *
lconv(struct im *m, const struct lnode *n, char *err, size_t errlen)
{
	if (n->op != L_CMP) {
		json_t *kids = json_array(), *o;
		for (size_t i = 0; i < n->nkids; i++) {
			json_t *k = lconv(m, n->kids[i], err, errlen);
			if (k == NULL) {
				json_decref(kids);
				return NULL;
			}
			json_array_append_new(kids, k);
		}
		if (n->op == L_AND)
			simplify_all(kids);
		if (json_array_size(kids) == 1) {
			o = json_incref(json_array_get(kids, 0));
			json_decref(kids);
			return o;
		}
		o = json_object();
		json_object_set_new(o, n->op == L_AND ? "all" : "any", kids);
		return o;
	}
	struct sym *s = sym_find(m, n->var);
	if (s == NULL) {
		unknown_ref(m, n->var, err, errlen);
		return NULL;
	}
	if (s->t == S_SCORE) {
		snprintf(err, errlen, "[%s] is calculated; Candor computes "
		    "scores after every question, so a condition cannot use "
		    "one", n->var);
		return NULL;
	}
	if (n->has_code) {
		size_t i;
		json_t *ch;
		int found = 0;
		if (s->t != S_SET) {
			snprintf(err, errlen, "[%s(%ld)]: only a checkbox field "
			    "has options in brackets", n->var, n->code);
			return NULL;
		}
		json_array_foreach(s->choices, i, ch)
			if (json_integer_value(json_object_get(ch, "value")) ==
			    n->code)
				found = 1;
		if (!found) {
			snprintf(err, errlen, "[%s(%ld)]: no such option", n->var,
			    n->code);
			return NULL;
		}
		if (n->is_blank || (n->num != 0 && n->num != 1) ||
		    (n->cmp != COND_EQ && n->cmp != COND_NE)) {
			snprintf(err, errlen, "[%s(%ld)]: a checkbox option is "
			    "compared with = or <> and '1' or '0'", n->var,
			    n->code);
			return NULL;
		}
		json_t *has = leaf(n->var, "has", json_integer(n->code));
		if ((n->cmp == COND_EQ) == (n->num == 1))
			return has;
		/*
		 * "Not ticked": REDCap stores an unticked box as 0, so the
		 * test passes when no box is ticked at all. In Candor that
		 * answer has no value and "not has" would be unknown, hiding
		 * the field; say "no box ticked, or not this one".
		 */
		json_t *not = json_object(), *any = json_array(),
		    *o = json_object();
		json_object_set_new(not, "not", has);
		json_array_append_new(any, leaf(n->var, "answered",
		    json_false()));
		json_array_append_new(any, not);
		json_object_set_new(o, "any", any);
		return o;
	}
	if (s->t == S_SET) {
		snprintf(err, errlen, "[%s] is a checkbox; test one option: "
		    "[%s(CODE)] = '1'", n->var, n->var);
		return NULL;
	}
	if (n->is_blank) {
		if (n->cmp != COND_EQ && n->cmp != COND_NE) {
			snprintf(err, errlen, "[%s] compared with '' by other "
			    "than = or <>", n->var);
			return NULL;
		}
		return leaf(n->var, "answered", json_boolean(n->cmp == COND_NE));
	}
	if (s->t == S_TEXT) {
		snprintf(err, errlen, "[%s] is free text; only = '' and <> '' "
		    "can be translated", n->var);
		return NULL;
	}
	json_t *c = leaf(n->var, n->cmp == COND_EQ ? "eq" :
	    n->cmp == COND_NE ? "ne" : n->cmp == COND_LT ? "lt" :
	    n->cmp == COND_LE ? "le" : n->cmp == COND_GT ? "gt" : "ge",
	    num_json(n->num));
	if (c == NULL || !blank_passes(n->cmp, n->num))
		return c;
	/* REDCap shows the field when x is blank: say so. */
	json_t *any = json_array(), *o = json_object();
	json_array_append_new(any, leaf(n->var, "answered", json_false()));
	json_array_append_new(any, c);
	json_object_set_new(o, "any", any);
	return o;
}

/* Branching logic of row r as a condition; NULL if empty or broken. */
static json_t *
im_logic(struct im *m, const struct redcap_row *r, int *bad)
{
	struct lparse lp;
	struct lnode *n;
	char err[320];
	json_t *c;

	*bad = 0;
	if (blank(r->f[RC_BRANCH]))
		return NULL;
	memset(&lp, 0, sizeof(lp));
	lp.p = r->f[RC_BRANCH];
	n = lp_or(&lp);
	if (n != NULL) {
		lp_ws(&lp);
		if (*lp.p != '\0')
			lp_err(&lp, "unexpected '%c' after a complete condition",
			    *lp.p);
	}
	if (lp.err[0] != '\0' || n == NULL) {
		im_err(m, r, RC_BRANCH, "%s", lp.err[0] ? lp.err :
		    "out of memory");
		lnode_free(n);
		*bad = 1;
		return NULL;
	}
	err[0] = '\0';
	c = lconv(m, n, err, sizeof(err));
	lnode_free(n);
	if (c == NULL) {
		im_err(m, r, RC_BRANCH, "%s", err[0] ? err : "out of memory");
		*bad = 1;
	}
	return c;
}

/* ---- import: annotations ---- */

struct tags {
	long none[FORM_MAX_CHOICES];
	size_t nnone;
	long missing[FORM_MAX_CHOICES];
	size_t nmissing;
	int duration;
	long charlimit; /* 0: none */
	int has_range;
	double range[2];
	char *score; /* JSON text of @CANDOR-SCORE */
};

/* Action tags that change what is asked or stored: not droppable. */
static const char *const meaning_tags[] = {
	"HIDDEN", "HIDDEN-SURVEY", "HIDDEN-FORM", "HIDDEN-APP", "HIDDEN-PDF",
	"READONLY", "READONLY-SURVEY", "READONLY-FORM", "DEFAULT",
	"SETVALUE", "CALCTEXT", "CALCDATE", "IF", "NOW", "TODAY",
	"NOW-SERVER", "TODAY-SERVER", "PREFILL", "MAXCHECKED", "MAXCHOICE",
	"MAXCHOICE-SURVEY-COMPLETE", "USERNAME", "LATITUDE", "LONGITUDE",
	NULL,
};

/* "1,2,3" into out; -1 when a part is not an integer. */
static int
code_list(const char *s, long *out, size_t *n, size_t max)
{
	char buf[512];
	char *p = buf;

	snprintf(buf, sizeof(buf), "%s", s);
	*n = 0;
	for (;;) {
		char *end;
		long v;
		while (isspace((unsigned char)*p))
			p++;
		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || errno != 0 || *n >= max)
			return -1;
		out[(*n)++] = v;
		p = end;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

static void
im_tags(struct im *m, const struct redcap_row *r, struct tags *t)
{
	const char *p = r->f[RC_ANNOT];
	int text = 0;

	memset(t, 0, sizeof(*t));
	while (*p) {
		char name[48], val[512];
		size_t n = 0, vn = 0;
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p != '@') {
			text = 1;
			while (*p && !isspace((unsigned char)*p))
				p++;
			continue;
		}
		p++;
		while ((isupper((unsigned char)*p) || isdigit((unsigned char)*p) ||
		           *p == '-' || *p == '_') && n + 1 < sizeof(name))
			name[n++] = *p++;
		name[n] = '\0';
		val[0] = '\0';
		if (strcmp(name, "CANDOR-SCORE") == 0 && *p == '=') {
			free(t->score);
			t->score = strdup(p + 1);
			if (t->score == NULL)
				m->oom = 1;
			break; /* the JSON runs to the end */
		}
		if (*p == '=') {
			p++;
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				while (*p && *p != q)
					if (vn + 1 < sizeof(val))
						val[vn++] = *p++;
					else
						p++;
				if (*p == q)
					p++;
			} else if (*p == '(') {
				int depth = 0;
				do {
					depth += *p == '(';
					depth -= *p == ')';
					if (vn + 1 < sizeof(val))
						val[vn++] = *p;
					p++;
				} while (*p && depth > 0);
			} else {
				while (*p && !isspace((unsigned char)*p))
					if (vn + 1 < sizeof(val))
						val[vn++] = *p++;
					else
						p++;
			}
			val[vn] = '\0';
		}
		if (strcmp(name, "NONEOFTHEABOVE") == 0) {
			if (code_list(val, t->none, &t->nnone,
			        FORM_MAX_CHOICES) < 0)
				im_err(m, r, RC_ANNOT, "@NONEOFTHEABOVE needs integer "
				    "option codes");
		} else if (strcmp(name, "CANDOR-MISSING") == 0) {
			if (code_list(val, t->missing, &t->nmissing,
			        FORM_MAX_CHOICES) < 0)
				im_err(m, r, RC_ANNOT, "@CANDOR-MISSING needs "
				    "integer option codes");
		} else if (strcmp(name, "CANDOR-DURATION") == 0) {
			t->duration = 1;
		} else if (strcmp(name, "CHARLIMIT") == 0) {
			double d;
			if (parse_num(val, &d) < 0 || d < 1 || d != floor(d))
				im_err(m, r, RC_ANNOT, "@CHARLIMIT needs a positive "
				    "integer");
			else
				t->charlimit = d > FORM_TEXT_MAX ? FORM_TEXT_MAX + 1 :
				    (long)d;
		} else if (strcmp(name, "CANDOR-RANGE") == 0) {
			char *comma = strchr(val, ',');
			if (comma != NULL)
				*comma = '\0';
			if (comma == NULL || parse_num(val, &t->range[0]) < 0 ||
			    parse_num(comma + 1, &t->range[1]) < 0)
				im_err(m, r, RC_ANNOT, "@CANDOR-RANGE needs "
				    "'MIN,MAX'");
			else
				t->has_range = 1;
		} else {
			int bad = 0;
			for (size_t i = 0; meaning_tags[i]; i++)
				if (strcmp(name, meaning_tags[i]) == 0)
					bad = 1;
			if (bad)
				im_err(m, r, RC_ANNOT, "action tag @%s changes what "
				    "is asked or stored and has no Candor "
				    "equivalent", name);
			else
				im_warn(m, r, RC_ANNOT, "action tag @%s dropped",
				    n ? name : "");
		}
	}
	if (text)
		im_warn(m, r, RC_ANNOT, "annotation text dropped (Candor keeps "
		    "no field annotations)");
}

/* ---- import: choices ---- */

/*
 * "1, Label | 2, Label" (REDCap also accepts line breaks between
 * choices) into [{"value", "label"}]; NULL after reporting.
 */
static json_t *
im_choices(struct im *m, const struct redcap_row *r)
{
	const char *s = r->f[RC_CHOICES];
	json_t *arr = json_array();
	int bad = 0;

	if (arr == NULL) {
		m->oom = 1;
		return NULL;
	}
	while (*s) {
		size_t n = strcspn(s, "|\n");
		char part[1024];
		snprintf(part, sizeof(part), "%.*s", (int)(n < 1023 ? n : 1023),
		    s);
		s += n;
		if (*s)
			s++;
		if (blank(part))
			continue;
		char *comma = strchr(part, ',');
		double v;
		if (comma != NULL)
			*comma = '\0';
		if (comma == NULL || parse_num(part, &v) < 0 || v != floor(v) ||
		    v < -1000 || v > 1000) {
			im_err(m, r, RC_CHOICES, "choice \"%.40s\": want \"CODE, "
			    "Label\" with an integer code -1000..1000", part);
			bad = 1;
			continue;
		}
		char *label = im_text(m, r, RC_CHOICES, comma + 1);
		if (label == NULL) {
			m->oom = 1;
			bad = 1;
			break;
		}
		if (label[0] == '\0') {
			im_err(m, r, RC_CHOICES, "choice %ld has no label", (long)v);
			bad = 1;
		}
		size_t i;
		json_t *e;
		json_array_foreach(arr, i, e)
			if (json_integer_value(json_object_get(e, "value")) ==
			    (json_int_t)v) {
				im_err(m, r, RC_CHOICES, "duplicate choice code %ld",
				    (long)v);
				bad = 1;
			}
		json_t *o = json_object();
		json_object_set_new(o, "value", json_integer((json_int_t)v));
		json_object_set_new(o, "label", json_string(label));
		json_array_append_new(arr, o);
		free(label);
	}
	if (!bad && json_array_size(arr) == 0) {
		im_err(m, r, RC_CHOICES, "no choices");
		bad = 1;
	}
	if (!bad && json_array_size(arr) > FORM_MAX_CHOICES) {
		im_err(m, r, RC_CHOICES, "%zu choices: Candor's single and "
		    "multiple choices have at most %d (split the question or "
		    "group its choices)", json_array_size(arr),
		    FORM_MAX_CHOICES);
		bad = 1;
	}
	if (bad) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* Mark choices listed in codes with key (exclusive, missing). */
static void
mark_choices(struct im *m, const struct redcap_row *r, json_t *choices,
    const long *codes, size_t n, const char *key, const char *tag)
{
	for (size_t k = 0; k < n; k++) {
		size_t i;
		json_t *e;
		int found = 0;
		json_array_foreach(choices, i, e)
			if (json_integer_value(json_object_get(e, "value")) ==
			    codes[k]) {
				json_object_set_new(e, key, json_true());
				found = 1;
			}
		if (!found)
			im_err(m, r, RC_ANNOT, "%s names %ld, which is not a "
			    "choice", tag, codes[k]);
	}
}

/* ---- import: pages, grids, items, scores ---- */

static struct page_acc *
new_page(struct im *m, const struct redcap_row *r, const char *section)
{
	struct page_acc *pg;
	char *text = im_text(m, r, RC_SECTION, section ? section : "");
	char *brk;

	if (text == NULL)
		goto oom;
	if (m->npages == m->cappages) {
		size_t ncap = m->cappages ? m->cappages * 2 : 16;
		struct page_acc *np = realloc(m->pages, ncap * sizeof(*np));
		if (np == NULL)
			goto oom;
		m->pages = np;
		m->cappages = ncap;
	}
	pg = &m->pages[m->npages];
	memset(pg, 0, sizeof(*pg));
	pg->r = r;
	if ((pg->items = json_array()) == NULL)
		goto oom;
	m->npages++;
	/* "Title\n\nIntroduction": the export writes a page that way. */
	brk = strstr(text, "\n\n");
	if (brk != NULL) {
		*brk = '\0';
		char *intro = clean(brk + 2);
		if (intro == NULL)
			goto oom;
		if (intro[0] != '\0')
			pg->intro = intro;
		else
			free(intro);
	}
	if (blank(text)) {
		free(text);
		text = humanize(m->cur_form);
	} else {
		char *t = clean(text);
		free(text);
		text = t;
	}
	if ((pg->title = text) == NULL)
		goto oom;
	return pg;
oom:
	free(text);
	m->oom = 1;
	return NULL;
}

static struct page_acc *
cur_page(struct im *m, const struct redcap_row *r)
{
	if (m->npages == 0)
		return new_page(m, r, NULL);
	return &m->pages[m->npages - 1];
}

static void
append_intro(struct im *m, struct page_acc *pg, const char *text)
{
	struct sb b = {0};

	if (pg->intro != NULL) {
		sb_puts(&b, pg->intro);
		sb_puts(&b, "\n\n");
	}
	sb_puts(&b, text);
	free(pg->intro);
	if ((pg->intro = sb_take(&b)) == NULL)
		m->oom = 1;
}

/*
 * Cell c of row r (s: the cell, or a part of it) as form text, its HTML
 * tags dropped with a warning. NULL when out of memory.
 */
static char *
im_text(struct im *m, const struct redcap_row *r, enum redcap_col c,
    const char *s)
{
	int changed;
	char *t = strip_html(s, &changed), *o;

	if (t == NULL)
		return NULL;
	if (changed)
		im_warn(m, r, c, "rich text (HTML) reduced to plain text");
	o = clean(t);
	free(t);
	return o;
}

/* Warn about piping ([field] in text): Candor shows it as typed. */
static void
check_piping(struct im *m, const struct redcap_row *r, enum redcap_col c)
{
	const char *s = r->f[c], *o = strchr(s, '['), *e;

	if (o != NULL && (e = strchr(o, ']')) != NULL && e > o + 1)
		im_warn(m, r, c, "piping %.*s is not supported; the text is "
		    "shown as written", (int)(e - o + 1) > 40 ? 40 :
		    (int)(e - o + 1), o);
	/* {field}: piping as some instrument libraries write it. */
	for (o = strchr(s, '{'); o != NULL; o = strchr(o + 1, '{')) {
		size_t n = strspn(o + 1, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789_:-");
		if (n > 0 && islower((unsigned char)o[1]) && o[1 + n] == '}') {
			im_warn(m, r, c, "piping %.*s is not supported; the text "
			    "is shown as written", (int)(n + 2) > 40 ? 40 :
			    (int)(n + 2), o);
			break;
		}
	}
}

static void
close_grid(struct im *m)
{
	struct page_acc *pg;
	json_t *it;

	if (m->grid_rows == NULL)
		return;
	if (m->grid_req_any && !m->grid_req_all)
		im_warn(m, NULL, RC_REQUIRED, "matrix %s: required on some rows "
		    "only; Candor requires all rows of a grid or none, so none "
		    "are required", m->grid_mx);
	pg = cur_page(m, NULL);
	it = json_object();
	if (pg != NULL && it != NULL) {
		json_object_set_new(it, "kind", json_string("grid"));
		json_object_set_new(it, "label", json_string(m->grid_label));
		if (m->grid_req_all)
			json_object_set_new(it, "required", json_true());
		if (m->grid_ident)
			json_object_set_new(it, "quasi_identifier", json_true());
		json_object_set(it, "choices", m->grid_choices);
		json_object_set(it, "rows", m->grid_rows);
		if (m->grid_show_if)
			json_object_set(it, "show_if", m->grid_show_if);
		json_array_append_new(pg->items, it);
	} else {
		json_decref(it);
		m->oom = 1;
	}
	json_decref(m->grid_rows);
	json_decref(m->grid_choices);
	json_decref(m->grid_show_if);
	free(m->grid_mx);
	free(m->grid_label);
	free(m->grid_logic);
	m->grid_rows = m->grid_choices = m->grid_show_if = NULL;
	m->grid_mx = m->grid_label = m->grid_logic = NULL;
}

/* Does the row after i open a matrix (so a descriptive row heads it)? */
static int
heads_matrix(const struct redcap_dict *d, size_t i)
{
	const struct redcap_row *n;

	if (i + 1 >= d->nrows)
		return 0;
	n = &d->rows[i + 1];
	return !blank(n->f[RC_MATRIX]) && blank(n->f[RC_SECTION]) &&
	    strcmp(n->f[RC_FORM], d->rows[i].f[RC_FORM]) == 0;
}

/* One row of a matrix group (a radio field). */
static void
grid_row(struct im *m, const struct redcap_row *r, json_t *choices,
    json_t *show_if, int required, int ident, const char *label)
{
	char *mx = clean(r->f[RC_MATRIX]);

	if (mx == NULL) {
		m->oom = 1;
		goto out;
	}
	if (m->grid_rows == NULL || strcmp(m->grid_mx, mx) != 0 ||
	    !blank(r->f[RC_SECTION])) {
		close_grid(m);
		if (m->pending_label != NULL) {
			m->grid_label = m->pending_label;
			m->pending_label = NULL;
		} else if (!blank(r->f[RC_SECTION])) {
			m->grid_label = clean(r->f[RC_SECTION]);
		} else {
			m->grid_label = strdup(mx);
			im_warn(m, r, RC_MATRIX, "matrix %s has no header; its "
			    "question is the matrix group name", mx);
		}
		m->grid_mx = mx;
		mx = NULL;
		m->grid_rows = json_array();
		m->grid_choices = json_incref(choices);
		m->grid_show_if = json_incref(show_if);
		m->grid_logic = strdup(r->f[RC_BRANCH]);
		m->grid_req_all = 1;
		m->grid_req_any = 0;
		m->grid_ident = 0;
		m->grid_row = r->row;
		if (m->grid_label == NULL || m->grid_rows == NULL ||
		    m->grid_logic == NULL)
			m->oom = 1;
	} else {
		if (!json_equal(choices, m->grid_choices))
			im_err(m, r, RC_CHOICES, "matrix %s: every row of a grid "
			    "needs the same choices as row %zu", m->grid_mx,
			    m->grid_row);
		if (strcmp(r->f[RC_BRANCH], m->grid_logic) != 0)
			im_err(m, r, RC_BRANCH, "matrix %s: every row of a grid "
			    "needs the same branching logic as row %zu",
			    m->grid_mx, m->grid_row);
	}
	if (m->grid_rows != NULL) {
		json_t *o = json_object();
		json_object_set_new(o, "var", json_string(r->f[RC_VAR]));
		json_object_set_new(o, "label", json_string(label));
		json_array_append_new(m->grid_rows, o);
	}
	m->grid_req_all &= required;
	m->grid_req_any |= required;
	m->grid_ident |= ident;
out:
	free(mx);
}

static int
yes_cell(struct im *m, const struct redcap_row *r, enum redcap_col c)
{
	const char *s = r->f[c];

	if (blank(s) || strcasecmp(s, "n") == 0)
		return 0;
	if (strcasecmp(s, "y") == 0)
		return 1;
	im_warn(m, r, c, "\"%.20s\" is neither y nor n; taken as n", s);
	return 0;
}

/* min/max of a number field; Candor needs both. */
static void
num_range(struct im *m, const struct redcap_row *r, json_t *it, int integer,
    double dmin, double dmax, int warn_default)
{
	double v[2];
	enum redcap_col cols[2] = {RC_MIN, RC_MAX};

	for (int k = 0; k < 2; k++) {
		v[k] = k ? dmax : dmin;
		if (blank(r->f[cols[k]])) {
			if (warn_default)
				im_warn(m, r, cols[k], "no %s; Candor needs one, "
				    "%.0f is used", k ? "maximum" : "minimum", v[k]);
		} else if (parse_num(r->f[cols[k]], &v[k]) < 0 ||
		    (integer && v[k] != floor(v[k])) || fabs(v[k]) > 1e9) {
			im_err(m, r, cols[k], "\"%.30s\" is not %s within +-1e9",
			    r->f[cols[k]], integer ? "an integer" : "a number");
		}
	}
	if (v[0] > v[1])
		im_err(m, r, RC_MIN, "minimum %g above maximum %g", v[0], v[1]);
	json_object_set_new(it, "min", num_json(v[0]));
	json_object_set_new(it, "max", num_json(v[1]));
}

/* sum([a],[b]) or mean([a],[b]) as a score; NULL after reporting. */
static json_t *
im_calc(struct im *m, const struct redcap_row *r, const char *label)
{
	const char *p = r->f[RC_CHOICES];
	json_t *items = json_array(), *sc;
	const char *kind;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "sum", 3) == 0)
		kind = "sum", p += 3;
	else if (strncasecmp(p, "mean", 4) == 0)
		kind = "mean", p += 4;
	else
		goto bad;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '(')
		goto bad;
	for (;;) {
		char name[FORM_VAR_MAX + 2];
		size_t n = 0;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '[')
			goto bad;
		while (*p && *p != ']' && n + 1 < sizeof(name))
			name[n++] = *p++;
		name[n] = '\0';
		if (*p++ != ']')
			goto bad;
		struct sym *s = sym_find(m, name);
		if (s == NULL) {
			char why[300];
			unknown_ref(m, name, why, sizeof(why));
			im_err(m, r, RC_CHOICES, "%s", why);
			goto fail;
		}
		if (s->t == S_SET || s->t == S_TEXT) {
			im_err(m, r, RC_CHOICES, "[%s] is not a number", name);
			goto fail;
		}
		json_array_append_new(items, json_string(name));
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != ')')
			goto bad;
		break;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		goto bad;
	sc = json_object();
	json_object_set_new(sc, "var", json_string(r->f[RC_VAR]));
	json_object_set_new(sc, "kind", json_string(kind));
	json_object_set_new(sc, "label", json_string(label));
	json_object_set_new(sc, "items", items);
	return sc;
bad:
	im_err(m, r, RC_CHOICES, "calculation cannot be expressed in Candor "
	    "(only sum([a],[b],...) and mean([a],[b],...) of earlier "
	    "fields)");
fail:
	json_decref(items);
	return NULL;
}

/* A Candor score carried by a descriptive row; NULL after reporting. */
static json_t *
im_score_tag(struct im *m, const struct redcap_row *r, const char *js,
    const char *label)
{
	json_error_t e;
	json_t *def = json_loads(js, JSON_REJECT_DUPLICATES, &e), *sc, *v;
	const char *k;

	if (!json_is_object(def) ||
	    !json_is_string(json_object_get(def, "kind"))) {
		im_err(m, r, RC_ANNOT, "@CANDOR-SCORE is not a score definition"
		    "%s%s", def ? "" : ": ", def ? "" : e.text);
		json_decref(def);
		return NULL;
	}
	sc = json_object();
	json_object_set_new(sc, "var", json_string(r->f[RC_VAR]));
	json_object_set(sc, "kind", json_object_get(def, "kind"));
	json_object_set_new(sc, "label", json_string(label));
	json_object_foreach(def, k, v)
		if (strcmp(k, "var") != 0 && strcmp(k, "kind") != 0 &&
		    strcmp(k, "label") != 0)
			json_object_set(sc, k, v);
	json_decref(def);
	return sc;
}

static void
add_score(struct im *m, const struct redcap_row *r, json_t *sc,
    const struct tags *t)
{
	if (sc == NULL)
		return;
	if (t->has_range) {
		json_t *a = json_array();
		json_array_append_new(a, num_json(t->range[0]));
		json_array_append_new(a, num_json(t->range[1]));
		json_object_set_new(sc, "range", a);
	}
	json_array_append_new(m->scores, sc);
	if (sym_add(m, r->f[RC_VAR], S_SCORE, NULL) < 0)
		m->oom = 1;
	if (!blank(r->f[RC_BRANCH]))
		im_warn(m, r, RC_BRANCH, "branching on a calculated field "
		    "dropped (Candor always computes scores)");
}

static void
im_row(struct im *m, size_t i)
{
	const struct redcap_row *r = &m->d->rows[i];
	const char *type = r->f[RC_TYPE];
	char *label = NULL, *note = NULL;
	json_t *show_if = NULL, *choices = NULL, *it = NULL;
	struct tags t;
	int bad_logic, required, ident;
	enum sym_type st = S_NUM;

	memset(&t, 0, sizeof(t));
	/* Instruments: each one starts a new page. */
	if (!valid_form_name(r->f[RC_FORM]))
		im_err(m, r, RC_FORM, "\"%.40s\" is not a REDCap instrument name "
		    "(lower-case letters, digits, '_')", r->f[RC_FORM]);
	if (m->cur_form == NULL || strcmp(m->cur_form, r->f[RC_FORM]) != 0) {
		close_grid(m);
		m->cur_form = r->f[RC_FORM];
		if (blank(r->f[RC_SECTION]) && new_page(m, r, NULL) == NULL)
			return;
	}
	if (!valid_var_name(r->f[RC_VAR])) {
		im_err(m, r, RC_VAR, "\"%.40s\" is not a Candor variable name "
		    "([a-z][a-z0-9_]{0,31})", r->f[RC_VAR]);
		return;
	}
	if (sym_find(m, r->f[RC_VAR]) != NULL) {
		im_err(m, r, RC_VAR, "duplicate field \"%s\"", r->f[RC_VAR]);
		return;
	}
	/*
	 * A question posted under one of the collector's own field names
	 * would have every POST of its page refused. Renaming it here would
	 * change the column the data comes back under, so the researcher
	 * chooses the new name. Scores and descriptive text are never posted.
	 */
	if (strcmp(type, "calc") != 0 && strcmp(type, "descriptive") != 0 &&
	    form_var_reserved(r->f[RC_VAR])) {
		im_err(m, r, RC_VAR, "\"%s\" is a name the collector uses for "
		    "its own fields; rename the field (for example to %s_1)",
		    r->f[RC_VAR], r->f[RC_VAR]);
		return;
	}
	if (!blank(r->f[RC_SECTION])) {
		close_grid(m);
		if (new_page(m, r, r->f[RC_SECTION]) == NULL)
			return;
	}
	label = im_text(m, r, RC_LABEL, r->f[RC_LABEL]);
	note = im_text(m, r, RC_NOTE, r->f[RC_NOTE]);
	if (label == NULL || note == NULL) {
		m->oom = 1;
		goto out;
	}
	check_piping(m, r, RC_LABEL);
	check_piping(m, r, RC_NOTE);
	if (strncasecmp(r->f[RC_CHOICES], "BIOPORTAL:", 10) == 0)
		im_warn(m, r, RC_CHOICES, "BioPortal lookup %.40s dropped; the "
		    "field is asked as free text", r->f[RC_CHOICES]);
	im_tags(m, r, &t);
	required = yes_cell(m, r, RC_REQUIRED);
	ident = yes_cell(m, r, RC_IDENT);
	if (!blank(r->f[RC_ALIGN]))
		im_warn(m, r, RC_ALIGN, "custom alignment dropped");
	if (!blank(r->f[RC_QNUM]))
		im_warn(m, r, RC_QNUM, "question number dropped");
	if (yes_cell(m, r, RC_RANK))
		im_warn(m, r, RC_RANK, "matrix ranking dropped (Candor lets "
		    "rows share a choice)");

	/* Rows that are not questions. */
	if (strcmp(type, "calc") == 0) {
		close_grid(m);
		add_score(m, r, im_calc(m, r, label), &t);
		goto out;
	}
	if (strcmp(type, "descriptive") == 0) {
		if (t.score != NULL) {
			size_t n = strlen(label), sn = strlen(SCORE_SUFFIX);
			if (n > sn && strcmp(label + n - sn, SCORE_SUFFIX) == 0)
				label[n - sn] = '\0';
			close_grid(m);
			add_score(m, r, im_score_tag(m, r, t.score, label), &t);
			goto out;
		}
		close_grid(m);
		if (heads_matrix(m->d, i)) {
			free(m->pending_label);
			m->pending_label = label;
			label = NULL;
			goto out;
		}
		struct page_acc *pg = cur_page(m, r);
		if (pg == NULL)
			goto out;
		if (!blank(r->f[RC_BRANCH]))
			im_warn(m, r, RC_BRANCH, "branching on descriptive text "
			    "dropped; the text joins the page introduction");
		if (json_array_size(pg->items) > 0)
			im_warn(m, r, RC_LABEL, "descriptive text after questions "
			    "moved to the page introduction");
		if (label[0] != '\0')
			append_intro(m, pg, label);
		goto out;
	}
	if (label[0] == '\0') {
		im_err(m, r, RC_LABEL, "empty field label");
		goto out;
	}
	show_if = im_logic(m, r, &bad_logic);

	if (!blank(r->f[RC_MATRIX])) {
		if (strcmp(type, "radio") != 0 && strcmp(type, "dropdown") != 0) {
			im_err(m, r, RC_MATRIX, "a %s matrix has no Candor "
			    "equivalent (a grid is one choice per row)", type);
			goto out;
		}
		if ((choices = im_choices(m, r)) == NULL)
			goto out;
		mark_choices(m, r, choices, t.missing, t.nmissing, "missing",
		    "@CANDOR-MISSING");
		grid_row(m, r, choices, show_if, required, ident, label);
		if (sym_add(m, r->f[RC_VAR], S_NUM, NULL) < 0)
			m->oom = 1;
		goto out;
	}
	close_grid(m);
	if (m->pending_label != NULL) { /* defensive: always consumed */
		free(m->pending_label);
		m->pending_label = NULL;
	}
	it = json_object();
	json_object_set_new(it, "var", json_string(r->f[RC_VAR]));
	if (strcmp(type, "radio") == 0 || strcmp(type, "dropdown") == 0) {
		json_object_set_new(it, "kind", json_string(t.duration ?
		    "duration" : "single"));
		if ((choices = im_choices(m, r)) == NULL)
			goto out;
		mark_choices(m, r, choices, t.missing, t.nmissing, "missing",
		    "@CANDOR-MISSING");
	} else if (strcmp(type, "checkbox") == 0) {
		st = S_SET;
		json_object_set_new(it, "kind", json_string("multiple"));
		if ((choices = im_choices(m, r)) == NULL)
			goto out;
		if (t.nnone > 1)
			im_err(m, r, RC_ANNOT, "@NONEOFTHEABOVE with more than one "
			    "code; Candor allows one exclusive choice");
		else
			mark_choices(m, r, choices, t.none, t.nnone, "exclusive",
			    "@NONEOFTHEABOVE");
		if (t.nmissing)
			im_err(m, r, RC_ANNOT, "@CANDOR-MISSING on a checkbox");
	} else if (strcmp(type, "yesno") == 0) {
		json_object_set_new(it, "kind", json_string("yesno"));
	} else if (strcmp(type, "truefalse") == 0) {
		json_object_set_new(it, "kind", json_string("single"));
		choices = json_pack("[{s:i,s:s},{s:i,s:s}]", "value", 1, "label",
		    "True", "value", 0, "label", "False");
	} else if (strcmp(type, "slider") == 0) {
		double lo = 0, hi = 100;
		if (!blank(r->f[RC_MIN]))
			parse_num(r->f[RC_MIN], &lo);
		if (!blank(r->f[RC_MAX]))
			parse_num(r->f[RC_MAX], &hi);
		int scale = lo == floor(lo) && hi == floor(hi) && lo >= -10 &&
		    hi > lo && hi - lo <= 20;
		if (!scale)
			im_warn(m, r, RC_TYPE, "slider %g..%g has more than 21 "
			    "points; imported as an integer question", lo, hi);
		json_object_set_new(it, "kind", json_string(scale ? "scale" :
		    "integer"));
	} else if (strcmp(type, "text") == 0 || strcmp(type, "notes") == 0) {
		const char *v = r->f[RC_VALID];
		if (strcmp(type, "text") == 0 && strcmp(v, "integer") == 0) {
			json_object_set_new(it, "kind", json_string("integer"));
		} else if (strcmp(type, "text") == 0 &&
		    (strcmp(v, "number") == 0 ||
		        (strncmp(v, "number_", 7) == 0 && isdigit((unsigned char)
		            v[7]) && strcmp(v + 8, "dp") == 0))) {
			if (strcmp(v, "number") != 0)
				im_warn(m, r, RC_VALID, "%s: the number of decimal "
				    "places is not enforced", v);
			json_object_set_new(it, "kind", json_string("decimal"));
		} else if (blank(v)) {
			st = S_TEXT;
			json_object_set_new(it, "kind", json_string("text"));
			m->free_text = 1;
		} else {
			im_err(m, r, RC_VALID, "validation type \"%.40s\" has no "
			    "Candor equivalent", v);
			goto out;
		}
	} else {
		im_err(m, r, RC_TYPE, "field type \"%.40s\" has no Candor "
		    "equivalent", type);
		goto out;
	}
	if (st != S_SET && t.nnone)
		im_warn(m, r, RC_ANNOT, "@NONEOFTHEABOVE outside a checkbox "
		    "dropped");
	if (t.duration && strcmp(type, "radio") != 0 &&
	    strcmp(type, "dropdown") != 0)
		im_warn(m, r, RC_ANNOT, "@CANDOR-DURATION outside a radio field "
		    "dropped");

	json_object_set_new(it, "label", json_string(label));
	if (note[0] != '\0')
		json_object_set_new(it, "help", json_string(note));
	if (required)
		json_object_set_new(it, "required", json_true());
	if (ident)
		json_object_set_new(it, "quasi_identifier", json_true());
	if (st == S_TEXT) {
		json_object_set_new(it, "free_text", json_true());
		if (t.charlimit > FORM_TEXT_MAX)
			im_warn(m, r, RC_ANNOT, "@CHARLIMIT above %d; Candor keeps "
			    "at most %d characters", FORM_TEXT_MAX,
			    FORM_TEXT_MAX);
		json_object_set_new(it, "max_length", json_integer(
		    t.charlimit > 0 && t.charlimit <= FORM_TEXT_MAX ?
		    t.charlimit : FORM_TEXT_MAX));
	}
	const char *kind = json_string_value(json_object_get(it, "kind"));
	if (choices != NULL)
		json_object_set(it, "choices", choices);
	if (strcmp(kind, "integer") == 0 || strcmp(kind, "decimal") == 0)
		num_range(m, r, it, strcmp(kind, "integer") == 0,
		    strcmp(type, "slider") == 0 ? 0 : -1e9,
		    strcmp(type, "slider") == 0 ? 100 : 1e9,
		    strcmp(type, "slider") != 0);
	if (strcmp(kind, "scale") == 0) {
		num_range(m, r, it, 1, 0, 100, 0);
		/* left | middle | right */
		char *labs = clean(r->f[RC_CHOICES]);
		char *part[3] = {NULL, NULL, NULL};
		size_t np = 0;
		for (char *p = labs; p != NULL && np < 3;) {
			char *bar = strchr(p, '|');
			if (bar != NULL)
				*bar = '\0';
			part[np++] = clean(p);
			p = bar ? bar + 1 : NULL;
		}
		if (np == 3 && part[1] != NULL && part[1][0] != '\0')
			im_warn(m, r, RC_CHOICES, "middle slider label dropped");
		if (np > 0 && part[0] != NULL && part[0][0] != '\0')
			json_object_set_new(it, "min_label", json_string(part[0]));
		if (np > 1 && part[np - 1] != NULL && part[np - 1][0] != '\0')
			json_object_set_new(it, "max_label",
			    json_string(part[np - 1]));
		for (size_t k = 0; k < 3; k++)
			free(part[k]);
		free(labs);
	}
	if (show_if != NULL)
		json_object_set(it, "show_if", show_if);
	struct page_acc *pg = cur_page(m, r);
	if (pg != NULL && !bad_logic) {
		json_array_append(pg->items, it);
	}
	if (sym_add(m, r->f[RC_VAR], st, st == S_SET ? choices : NULL) < 0)
		m->oom = 1;
	if (st == S_SET)
		json_incref(choices); /* the symbol keeps it */
out:
	free(t.score);
	free(label);
	free(note);
	json_decref(show_if);
	json_decref(choices);
	json_decref(it);
}

/*
 * When every question of a page starts its condition with the same test,
 * that test is the page's: the page is skipped as a whole, as the export
 * wrote it (each field carries its page's condition).
 */
static json_t *
hoist(json_t *items)
{
	json_t *first = NULL, *it;
	size_t i;

	if (json_array_size(items) == 0)
		return NULL;
	json_array_foreach(items, i, it) {
		json_t *c = json_object_get(it, "show_if"), *a;
		if (c == NULL)
			return NULL;
		a = json_object_get(c, "all");
		c = a ? json_array_get(a, 0) : c;
		if (first == NULL)
			first = c;
		else if (!json_equal(first, c))
			return NULL;
	}
	first = json_deep_copy(first);
	json_array_foreach(items, i, it) {
		json_t *c = json_object_get(it, "show_if");
		json_t *a = json_object_get(c, "all");
		if (a == NULL) {
			json_object_del(it, "show_if");
		} else if (json_array_size(a) == 2) {
			json_object_set(it, "show_if", json_array_get(a, 1));
		} else {
			json_t *rest = json_deep_copy(a), *o = json_object();
			json_array_remove(rest, 0);
			json_object_set_new(o, "all", rest);
			json_object_set_new(it, "show_if", o);
		}
	}
	return first;
}

static const char *const placeholder_consent[][2] = {
	{"title", "PLACEHOLDER: consent page title"},
	{"text", "PLACEHOLDER: replace this text with the consent text "
	    "approved for this survey before the form is used. REDCap "
	    "dictionaries carry no consent block."},
	{"agree", "PLACEHOLDER: I have read this and I agree to take part."},
	{"age_confirm", "PLACEHOLDER: I am 18 years old or older."},
};

static json_t *
assemble(struct im *m, const char *id)
{
	json_t *root = json_object(), *consent = json_object(), *pages;
	char *title = humanize(m->first_form);
	size_t np = 0;

	json_object_set_new(root, "id", json_string(id));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "languages", json_pack("[s]", "en"));
	json_object_set_new(root, "title", json_string(title ? title : "Survey"));
	free(title);
	json_object_set_new(consent, "version", json_string("placeholder"));
	for (size_t i = 0; i < sizeof(placeholder_consent) /
	     sizeof(placeholder_consent[0]); i++)
		json_object_set_new(consent, placeholder_consent[i][0],
		    json_string(placeholder_consent[i][1]));
	json_object_set_new(root, "consent", consent);
	if (m->free_text)
		json_object_set_new(root, "free_text", json_true());
	pages = json_array();
	for (size_t i = 0; i < m->npages; i++) {
		struct page_acc *pg = &m->pages[i];
		json_t *o, *cond;
		char pid[32];
		if (json_array_size(pg->items) == 0) {
			if (pg->r != NULL)
				im_warn(m, pg->r, RC_SECTION, "section \"%.40s\" "
				    "has no questions; dropped", pg->title);
			continue;
		}
		snprintf(pid, sizeof(pid), "p%zu", ++np);
		o = json_object();
		json_object_set_new(o, "id", json_string(pid));
		json_object_set_new(o, "title", json_string(pg->title));
		if (pg->intro != NULL)
			json_object_set_new(o, "intro", json_string(pg->intro));
		if ((cond = hoist(pg->items)) != NULL)
			json_object_set_new(o, "show_if", cond);
		json_object_set(o, "items", pg->items);
		json_array_append_new(pages, o);
	}
	json_object_set_new(root, "pages", pages);
	if (json_array_size(m->scores) > 0)
		json_object_set(root, "scores", m->scores);
	return root;
}

int
redcap_import(const char *name, const struct redcap_dict *d, const char *id,
    char **json, struct diag *errors, struct diag *warnings)
{
	struct im m;
	size_t before = errors->total;
	json_t *root = NULL;
	char *text = NULL;
	int valid_id = id != NULL && id[0] != '\0' && strlen(id) <= 64;

	*json = NULL;
	memset(&m, 0, sizeof(m));
	m.name = name;
	m.d = d;
	m.err = errors;
	m.warn = warnings;
	for (const char *p = id; valid_id && *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-')
			valid_id = 0;
	if (!valid_id) {
		diag_add(errors, name, "form id \"%.64s\": want [a-z0-9-]{1,64}",
		    id ? id : "");
		return -1;
	}
	if ((m.scores = json_array()) == NULL)
		goto oom;
	if (d->nrows == 0) {
		diag_add(errors, name, "no fields");
		goto out;
	}
	/* REDCap's first field is the record ID: not a question. */
	if (strcmp(d->rows[0].f[RC_TYPE], "text") != 0)
		im_err(&m, &d->rows[0], RC_TYPE, "the first field is the record "
		    "ID and must be a text field");
	m.first_form = d->rows[0].f[RC_FORM];
	for (size_t i = 1; i < d->nrows && !m.oom; i++) {
		size_t first = errors->n, total = errors->total;
		im_row(&m, i);
		if (errors->total != total && sym_find(&m, d->rows[i].f[RC_VAR])
		    == NULL)
			gone_add(&m, &d->rows[i], first);
	}
	close_grid(&m);
	if (m.npages == 0 || d->nrows < 2)
		diag_add(errors, name, "no questions after the record ID field");
	if (m.oom)
		goto oom;
	if (errors->total != before)
		goto out;
	root = assemble(&m, id);
	if (m.oom || root == NULL)
		goto oom;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL)
		goto oom;
	/* The result must be a valid form; anything else is a gap here. */
	struct form *f = NULL;
	struct diag fd;
	diag_init(&fd);
	if (form_load_buffer(name, text, strlen(text), &f, &fd) != 0) {
		for (size_t i = 0; i < fd.n; i++)
			diag_add(errors, fd.a[i].where, "in the imported form: %s",
			    fd.a[i].what);
		if (fd.n == 0)
			diag_add(errors, name, "the imported form does not load");
	}
	diag_free(&fd);
	form_free(f);
	if (errors->total == before) {
		diag_add(warnings, name, "REDCap has no consent block: the "
		    "form's consent is placeholder text (marked PLACEHOLDER); "
		    "replace it before use");
		*json = text;
		text = NULL;
	}
	goto out;
oom:
	diag_add(errors, name, "out of memory");
out:
	free(text);
	json_decref(root);
	json_decref(m.scores);
	for (size_t i = 0; i < m.nsyms; i++) {
		free(m.syms[i].name);
		json_decref(m.syms[i].choices);
	}
	free(m.syms);
	for (size_t i = 0; i < m.ngone; i++) {
		free(m.gone[i].name);
		free(m.gone[i].why);
	}
	free(m.gone);
	for (size_t i = 0; i < m.npages; i++) {
		free(m.pages[i].title);
		free(m.pages[i].intro);
		json_decref(m.pages[i].items);
	}
	free(m.pages);
	json_decref(m.grid_rows);
	json_decref(m.grid_choices);
	json_decref(m.grid_show_if);
	free(m.grid_mx);
	free(m.grid_label);
	free(m.grid_logic);
	free(m.pending_label);
	return *json != NULL ? 0 : -1;
}
