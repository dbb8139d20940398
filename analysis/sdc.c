/*
 * Disclosure control for tables of counts (sdc.h). sdc_suppress() works on
 * a private copy of the extended matrix (the table with its totals row and
 * column, see sdc.h) in three steps:
 *
 * 1. Primary: every entry, margins included, with 0 < n < k.
 * 2. Line rule, until stable: a line (row or column of the extended
 *    matrix) with exactly one suppressed entry would give it away by
 *    subtraction, so its smallest published non-zero entry (lowest index on
 *    ties) is suppressed too. A line's own total is its last entry and
 *    never smaller than the others, so the total is taken only when no
 *    other non-zero entry is left - the "suppress the margin" case - and
 *    the loop then carries that choice into the totals row or column.
 * 3. Audit. The line rule is necessary, not sufficient: two blocks of
 *    suppressed cells joined by one cell leave that cell derivable from the
 *    sums of the blocks' rows and columns, and two suppressed 1s alone in a
 *    row are both known to be 1 (suppressed entries are >= 1 because zeros
 *    are published). The exact condition is this: think of rows and
 *    columns as vertices and suppressed entries as edges; moving one unit
 *    around an alternating cycle (+1, -1, ...) keeps every line sum. A
 *    suppressed entry e can take another value iff it lies on such a cycle
 *    whose every entry may move in the direction the cycle moves it (up
 *    always; down only from 2 or more): the difference of two completions
 *    splits into such cycles, each moving every entry the same way as the
 *    difference does (a conformal decomposition). The audit searches that cycle for
 *    each suppressed entry; when none exists it suppresses the published
 *    entries of the cheapest one (Dijkstra, cost = the counts hidden,
 *    lowest index on ties). A protected entry stays protected when more is
 *    suppressed, so one pass makes every entry safe; a second pass checks.
 *
 * Signs: in the extended matrix the equation of a line is "members - total
 * = 0". Writing y = x for inner cells and the grand total and y = -x for
 * the other margins makes every line of y sum to zero, so the cycle moves
 * are +1/-1 on y; on x a margin moves the other way. That is all
 * sign_of() is for.
 *
 * This is a greedy heuristic, not an optimal suppression (an integer
 * program, as in tau-argus' optimisation methods): it may hide more than
 * the minimum, the outcome depends on the order of lines, and it
 * guarantees only that no suppressed value is exact, not a protection
 * interval of a given width.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdc.h"

#define COST_INF ULLONG_MAX
#define NO_VERTEX SIZE_MAX

/*
 * The extended matrix and the scratch space of the cycle search. Vertices:
 * row i of the extended matrix is vertex i (0 <= i <= nrows), column j is
 * vertex nrows + 1 + j.
 */
struct sdc_ctx {
	size_t nr, nc;        /* inner rows and columns */
	size_t w;             /* nc + 1: the stride of v[] and st[] */
	size_t nent;          /* (nr + 1) * (nc + 1) */
	size_t nv;            /* (nr + 1) + (nc + 1) vertices */
	long *v;              /* nent values */
	enum sdc_state *st;   /* nent states */
	unsigned long long *dist; /* nv */
	size_t *prev;         /* nv: vertex before on the best path */
	unsigned char *done;  /* nv */
};

/* a * b without overflow; 0 and *out unset if it would overflow. */
static int
mul_ok(size_t a, size_t b, size_t *out)
{
	if (a != 0 && b > SIZE_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

/* Allocate n elements of size sz, zeroed; NULL on overflow or no memory. */
static void *
xcalloc(size_t n, size_t sz)
{
	if (n == 0)
		n = 1;
	return calloc(n, sz); /* calloc checks n * sz itself */
}

int
sdc_table_create(size_t nrows, size_t ncols, struct sdc_table **out)
{
	struct sdc_table *t;
	size_t n, i;

	if (out == NULL)
		return SDC_EINVAL;
	*out = NULL;
	if (nrows < 1 || ncols < 1 || nrows > SDC_DIM_MAX ||
	    ncols > SDC_DIM_MAX || !mul_ok(nrows, ncols, &n))
		return SDC_EINVAL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return SDC_ENOMEM;
	t->nrows = nrows;
	t->ncols = ncols;
	t->cell = xcalloc(n, sizeof(*t->cell));
	t->row_total = xcalloc(nrows, sizeof(*t->row_total));
	t->col_total = xcalloc(ncols, sizeof(*t->col_total));
	t->state = xcalloc(n, sizeof(*t->state));
	t->row_state = xcalloc(nrows, sizeof(*t->row_state));
	t->col_state = xcalloc(ncols, sizeof(*t->col_state));
	if (t->cell == NULL || t->row_total == NULL || t->col_total == NULL ||
	    t->state == NULL || t->row_state == NULL || t->col_state == NULL) {
		sdc_table_destroy(t);
		return SDC_ENOMEM;
	}
	/* Fail closed until sdc_suppress() has decided. */
	for (i = 0; i < n; i++)
		t->state[i] = SDC_PRIMARY;
	for (i = 0; i < nrows; i++)
		t->row_state[i] = SDC_PRIMARY;
	for (i = 0; i < ncols; i++)
		t->col_state[i] = SDC_PRIMARY;
	t->grand_state = SDC_PRIMARY;
	*out = t;
	return SDC_OK;
}

void
sdc_table_destroy(struct sdc_table *t)
{
	if (t == NULL)
		return;
	free(t->cell);
	free(t->row_total);
	free(t->col_total);
	free(t->state);
	free(t->row_state);
	free(t->col_state);
	free(t);
}

int
sdc_check_k(long k)
{
	return k >= SDC_K_MIN ? SDC_OK : SDC_EK;
}

bool
sdc_group_ok(long n, long k)
{
	return sdc_check_k(k) == SDC_OK && n >= k;
}

bool
sdc_summary_ok(long n, long k)
{
	return sdc_check_k(k) == SDC_OK && n >= k;
}

/* Every state SDC_PRIMARY: the result of any failure. */
static void
table_close_all(struct sdc_table *t)
{
	size_t i, n = t->nrows * t->ncols; /* checked by sdc_table_create() */

	for (i = 0; i < n; i++)
		t->state[i] = SDC_PRIMARY;
	for (i = 0; i < t->nrows; i++)
		t->row_state[i] = SDC_PRIMARY;
	for (i = 0; i < t->ncols; i++)
		t->col_state[i] = SDC_PRIMARY;
	t->grand_state = SDC_PRIMARY;
	t->k = 0;
}

/*
 * Check the cells and compute the margins. SDC_ENEGATIVE for a negative
 * cell, SDC_EOVERFLOW if a total would not fit in a long.
 */
static int
table_margins(struct sdc_table *t)
{
	size_t i, j;
	long x;

	for (i = 0; i < t->nrows; i++)
		t->row_total[i] = 0;
	for (j = 0; j < t->ncols; j++)
		t->col_total[j] = 0;
	t->grand = 0;
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			x = t->cell[i * t->ncols + j];
			if (x < 0)
				return SDC_ENEGATIVE;
			/*
			 * grand >= every row and column total, so checking it
			 * first covers the other two sums.
			 */
			if (x > LONG_MAX - t->grand)
				return SDC_EOVERFLOW;
			t->grand += x;
			t->row_total[i] += x;
			t->col_total[j] += x;
		}
	}
	return SDC_OK;
}

static void
ctx_free(struct sdc_ctx *c)
{
	free(c->v);
	free(c->st);
	free(c->dist);
	free(c->prev);
	free(c->done);
}

/* Copy t (with its margins) into a new extended matrix. */
static int
ctx_init(struct sdc_ctx *c, const struct sdc_table *t)
{
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->nr = t->nrows;
	c->nc = t->ncols;
	c->w = c->nc + 1;
	/* Dimensions are capped at SDC_DIM_MAX; checked anyway. */
	if (!mul_ok(c->nr + 1, c->w, &c->nent))
		return SDC_EINVAL;
	c->nv = (c->nr + 1) + (c->nc + 1);
	c->v = xcalloc(c->nent, sizeof(*c->v));
	c->st = xcalloc(c->nent, sizeof(*c->st));
	c->dist = xcalloc(c->nv, sizeof(*c->dist));
	c->prev = xcalloc(c->nv, sizeof(*c->prev));
	c->done = xcalloc(c->nv, sizeof(*c->done));
	if (c->v == NULL || c->st == NULL || c->dist == NULL ||
	    c->prev == NULL || c->done == NULL) {
		ctx_free(c);
		return SDC_ENOMEM;
	}
	for (i = 0; i < c->nr; i++) {
		for (j = 0; j < c->nc; j++)
			c->v[i * c->w + j] = t->cell[i * c->nc + j];
		c->v[i * c->w + c->nc] = t->row_total[i];
	}
	for (j = 0; j < c->nc; j++)
		c->v[c->nr * c->w + j] = t->col_total[j];
	c->v[c->nr * c->w + c->nc] = t->grand;
	return SDC_OK;
}

static void
ctx_store(const struct sdc_ctx *c, struct sdc_table *t)
{
	size_t i, j;

	for (i = 0; i < c->nr; i++) {
		for (j = 0; j < c->nc; j++)
			t->state[i * c->nc + j] = c->st[i * c->w + j];
		t->row_state[i] = c->st[i * c->w + c->nc];
	}
	for (j = 0; j < c->nc; j++)
		t->col_state[j] = c->st[c->nr * c->w + j];
	t->grand_state = c->st[c->nr * c->w + c->nc];
}

/*
 * Step 2 on one line: the entries e0, e0 + step, ... (n of them). If
 * exactly one is suppressed, suppress the smallest published non-zero one.
 * Returns 1 if it suppressed something.
 */
static int
line_rule(struct sdc_ctx *c, size_t e0, size_t step, size_t n)
{
	size_t a, e, nsup = 0, best = NO_VERTEX;

	for (a = 0; a < n; a++)
		if (c->st[e0 + a * step] != SDC_PUBLISHED)
			nsup++;
	if (nsup != 1)
		return 0;
	for (a = 0; a < n; a++) {
		e = e0 + a * step;
		if (c->st[e] != SDC_PUBLISHED || c->v[e] <= 0)
			continue;
		if (best == NO_VERTEX || c->v[e] < c->v[best])
			best = e;
	}
	/*
	 * A suppressed entry is non-zero and its line sums to zero in the
	 * signed view, so another non-zero entry exists; were it missing, the
	 * audit would still protect the entry.
	 */
	if (best == NO_VERTEX)
		return 0;
	c->st[best] = SDC_SECONDARY;
	return 1;
}

static void
apply_line_rule(struct sdc_ctx *c)
{
	size_t i, j;
	int changed;

	do {
		changed = 0;
		for (i = 0; i <= c->nr; i++)
			changed |= line_rule(c, i * c->w, 1, c->w);
		for (j = 0; j <= c->nc; j++)
			changed |= line_rule(c, j, c->w, c->nr + 1);
	} while (changed);
}

/* +1 for inner cells and the grand total, -1 for the other margins. */
static int
sign_of(const struct sdc_ctx *c, size_t e)
{
	int inner_row = e / c->w < c->nr, inner_col = e % c->w < c->nc;

	return inner_row == inner_col ? 1 : -1;
}

/*
 * The cost of moving one unit through entry e in the direction that
 * changes its count by dx (+1 or -1): COST_INF if it may not (zeros never,
 * and a count may not go below 1), 0 if e is already suppressed, its count
 * if it is published and new ones are allowed.
 */
static unsigned long long
arc_cost(const struct sdc_ctx *c, size_t e, int dx, int allow_new)
{
	if (c->v[e] <= 0 || (dx < 0 && c->v[e] < 2))
		return COST_INF;
	if (c->st[e] != SDC_PUBLISHED)
		return 0;
	return allow_new ? (unsigned long long)c->v[e] : COST_INF;
}

/* The entry joining vertices a and b (one a row, the other a column). */
static size_t
entry_of(const struct sdc_ctx *c, size_t a, size_t b)
{
	if (a <= c->nr)
		return a * c->w + (b - c->nr - 1);
	return b * c->w + (a - c->nr - 1);
}

/*
 * Cheapest path from vertex src to dst not through entry skip, moving one
 * unit along it: a step from a row vertex to a column vertex adds +1 to the
 * signed value of the entry, a step back subtracts 1. Dijkstra over the
 * dense graph, O(nv^2); ties go to the lowest vertex, so the result is
 * deterministic. Fills c->prev; returns the cost or COST_INF.
 */
static unsigned long long
cheapest_path(struct sdc_ctx *c, size_t skip, size_t src, size_t dst,
    int allow_new)
{
	size_t u, x, lo, hi, e;
	unsigned long long best, cost, nd;
	int dx;

	for (u = 0; u < c->nv; u++) {
		c->dist[u] = COST_INF;
		c->prev[u] = NO_VERTEX;
		c->done[u] = 0;
	}
	c->dist[src] = 0;
	for (;;) {
		best = COST_INF;
		u = NO_VERTEX;
		for (x = 0; x < c->nv; x++) {
			if (!c->done[x] && c->dist[x] < best) {
				best = c->dist[x];
				u = x;
			}
		}
		if (u == NO_VERTEX || u == dst)
			break;
		c->done[u] = 1;
		if (u <= c->nr) { /* a row: step to the columns */
			lo = c->nr + 1;
			hi = c->nv;
		} else {
			lo = 0;
			hi = c->nr + 1;
		}
		for (x = lo; x < hi; x++) {
			if (c->done[x])
				continue;
			e = entry_of(c, u, x);
			if (e == skip)
				continue;
			dx = (u <= c->nr ? 1 : -1) * sign_of(c, e);
			if ((cost = arc_cost(c, e, dx, allow_new)) == COST_INF)
				continue;
			/* Saturate below COST_INF: still a path, just dear. */
			nd = cost > COST_INF - 1 - c->dist[u] ? COST_INF - 1
			                                      : c->dist[u] + cost;
			if (nd < c->dist[x]) {
				c->dist[x] = nd;
				c->prev[x] = u;
			}
		}
	}
	return c->dist[dst];
}

/*
 * Make sure suppressed entry e lies on a cycle along which a unit can move
 * (see the top of the file); suppress the cheapest such cycle's published
 * entries if it does not. Returns the number of entries suppressed.
 */
static size_t
protect(struct sdc_ctx *c, size_t e)
{
	size_t r = e / c->w, col = c->nr + 1 + e % c->w, u, added = 0;
	int s = sign_of(c, e);
	unsigned long long ca, cb;
	int allow_new;

	/*
	 * Direction A crosses e from its row to its column (its count moves
	 * by s) and returns by a path col -> row; direction B the reverse.
	 */
	for (allow_new = 0; allow_new <= 1; allow_new++) {
		ca = arc_cost(c, e, s, 0) == COST_INF ? COST_INF
		    : cheapest_path(c, e, col, r, allow_new);
		if (!allow_new && ca != COST_INF)
			return 0;
		cb = arc_cost(c, e, -s, 0) == COST_INF ? COST_INF
		    : cheapest_path(c, e, r, col, allow_new);
		if (!allow_new && cb != COST_INF)
			return 0;
	}
	if (ca == COST_INF && cb == COST_INF) {
		/*
		 * Defensive: cannot happen. Doubling every non-zero count keeps
		 * all line sums, so a cycle on which every count goes up always
		 * exists once all non-zero entries may join. Fail closed.
		 */
		for (u = 0; u < c->nent; u++)
			if (c->v[u] > 0 && c->st[u] == SDC_PUBLISHED) {
				c->st[u] = SDC_SECONDARY;
				added++;
			}
		return added;
	}
	if (ca <= cb)
		cheapest_path(c, e, col, r, 1); /* c->prev holds B's path */
	u = ca <= cb ? r : col;
	while (c->prev[u] != NO_VERTEX) {
		size_t f = entry_of(c, c->prev[u], u);

		if (c->st[f] == SDC_PUBLISHED) {
			c->st[f] = SDC_SECONDARY;
			added++;
		}
		u = c->prev[u];
	}
	return added;
}

static void
apply_audit(struct sdc_ctx *c)
{
	size_t e, added;

	do {
		added = 0;
		for (e = 0; e < c->nent; e++)
			if (c->st[e] != SDC_PUBLISHED)
				added += protect(c, e);
	} while (added > 0);
}

int
sdc_suppress(struct sdc_table *t, long k)
{
	struct sdc_ctx c;
	size_t e;
	int rc;

	if (t == NULL)
		return SDC_EINVAL;
	table_close_all(t);
	if ((rc = sdc_check_k(k)) != SDC_OK)
		return rc;
	if ((rc = table_margins(t)) != SDC_OK)
		return rc;
	if ((rc = ctx_init(&c, t)) != SDC_OK)
		return rc;
	for (e = 0; e < c.nent; e++)
		c.st[e] = c.v[e] > 0 && c.v[e] < k ? SDC_PRIMARY : SDC_PUBLISHED;
	apply_line_rule(&c);
	apply_audit(&c);
	ctx_store(&c, t);
	ctx_free(&c);
	t->k = k;
	return SDC_OK;
}

/* Value and state of extended entry (i, j); 0 if out of range. */
static int
table_entry(const struct sdc_table *t, size_t i, size_t j, long *v,
    enum sdc_state *s)
{
	if (t == NULL || i > t->nrows || j > t->ncols)
		return 0;
	if (i < t->nrows && j < t->ncols) {
		*v = t->cell[i * t->ncols + j];
		*s = t->state[i * t->ncols + j];
	} else if (i < t->nrows) {
		*v = t->row_total[i];
		*s = t->row_state[i];
	} else if (j < t->ncols) {
		*v = t->col_total[j];
		*s = t->col_state[j];
	} else {
		*v = t->grand;
		*s = t->grand_state;
	}
	return 1;
}

long
sdc_value(const struct sdc_table *t, size_t i, size_t j)
{
	long v;
	enum sdc_state s;

	return table_entry(t, i, j, &v, &s) ? v : -1;
}

enum sdc_state
sdc_state_at(const struct sdc_table *t, size_t i, size_t j)
{
	long v;
	enum sdc_state s;

	return table_entry(t, i, j, &v, &s) ? s : SDC_PRIMARY;
}

int
sdc_percent(const struct sdc_table *t, size_t i, size_t j,
    enum sdc_base base, double *pct)
{
	long v, b;
	enum sdc_state sv, sb;
	size_t bi, bj;

	if (pct == NULL)
		return SDC_EINVAL;
	*pct = NAN;
	if (t == NULL || !table_entry(t, i, j, &v, &sv))
		return SDC_EINVAL;
	switch (base) {
	case SDC_BASE_ROW:
		bi = i;
		bj = t->ncols;
		break;
	case SDC_BASE_COL:
		bi = t->nrows;
		bj = j;
		break;
	case SDC_BASE_GRAND:
		bi = t->nrows;
		bj = t->ncols;
		break;
	default:
		return SDC_EINVAL;
	}
	if (!table_entry(t, bi, bj, &b, &sb))
		return SDC_EINVAL; /* defensive: bi, bj are in range */
	if (t->k == 0 || sv != SDC_PUBLISHED || sb != SDC_PUBLISHED)
		return SDC_ESUPPRESSED;
	if (b == 0)
		return SDC_EZERO;
	*pct = 100.0 * (double)v / (double)b;
	return SDC_OK;
}

const char *
sdc_strerror(int rc)
{
	static const char *const msg[SDC_RC__MAX] = {
		"success",                                 /* SDC_OK */
		"invalid argument",                        /* SDC_EINVAL */
		"threshold k below the minimum of 5",      /* SDC_EK */
		"negative count",                          /* SDC_ENEGATIVE */
		"total too large",                         /* SDC_EOVERFLOW */
		"out of memory",                           /* SDC_ENOMEM */
		"suppressed for disclosure control",       /* SDC_ESUPPRESSED */
		"percentage of a zero total",              /* SDC_EZERO */
	};

	if (rc > 0 || rc <= -SDC_RC__MAX)
		return "unknown error";
	return msg[-rc];
}

const char *
sdc_state_name(enum sdc_state s)
{
	static const char *const name[SDC_STATE__MAX] = {
		"published", /* SDC_PUBLISHED */
		"primary",   /* SDC_PRIMARY */
		"secondary", /* SDC_SECONDARY */
	};

	if ((unsigned)s >= SDC_STATE__MAX)
		return "unknown";
	return name[s];
}
