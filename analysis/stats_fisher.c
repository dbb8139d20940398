/*
 * Fisher's exact test of an r x c table (stats_fisher() in stats.h): the
 * sum of the probabilities, under independence with both margins fixed,
 * of every table no more probable than the observed one.
 *
 * The tables are enumerated as paths through a network, as Mehta and
 * Patel's network algorithm does (and R's FEXACT): the columns are filled
 * one at a time, and a node is the multiset of row totals still to be
 * filled (sorted, so that rows with equal totals share nodes). A path's
 * length is -sum log x! over the cells filled so far; the probability of
 * a complete table is exp(K + length), K fixed by the margins. Every
 * node keeps the distinct lengths of the paths that reach it, with how
 * many paths share each, and for each length decides:
 *   - every completion counts (the longest possible completion keeps the
 *     table at most as probable as the observed one): all of them are
 *     added at once, their total being a closed form (the number of
 *     ways to fill the rest is (sum left)! / (prod row! prod column!));
 *   - no completion counts (even the shortest is more probable): dropped;
 *   - otherwise the next column is filled in every possible way.
 * The longest and shortest completions are bounded, not found: filling
 * each remaining column (or row) on its own, ignoring the other margin,
 * spreads or concentrates its total as much as possible, and the tighter
 * of the two relaxations is used. Loose bounds only cost work; the
 * result is the exact sum.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_int.h"

#define FISHER_TOL 3.45254e-7   /* FEXACT's tolerance on the log scale */
#define FISHER_WORK 2000000     /* default cap on path lengths handled */
#define MERGE_SCALE 1e10        /* lengths equal to 1e-10 share an entry */
#define DIM_MAX 64              /* rows or columns after dropping zeros */

/* One node of a stage: the row totals left, and its bounds. */
struct fnode {
	size_t off;            /* its nr row totals (ascending) in the pool */
	uint64_t hash;
	int bounded;
	long double lmax, lmin, lmass; /* completion bounds, log of the count */
};

/* A distinct path length at a node, and how many paths have it. */
struct fentry {
	size_t node;
	int64_t bucket;
	long double len;
	long double w;
};

struct stage {
	struct fnode *nodes;
	size_t nnodes, capnodes;
	size_t *nslot;         /* open addressing over nodes: index + 1 */
	size_t nslots;
	struct fentry *ents;
	size_t nents, capents;
	size_t *eslot;         /* open addressing over entries: index + 1 */
	size_t neslots;
	uint32_t *pool;        /* row vectors */
	size_t npool, cappool;
};

struct fisher {
	size_t nr, nc;         /* rows (the key), columns (the stages) */
	uint32_t rows[DIM_MAX], cols[DIM_MAX];
	long double *lf;       /* log factorials 0..N */
	long double obs;       /* observed length + tolerance */
	long double konst;     /* K */
	long double p;
	size_t work, work_max;
	int nomem;
};

static uint64_t
hash_rows(const uint32_t *r, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= r[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static void
stage_free(struct stage *s)
{
	free(s->nodes);
	free(s->nslot);
	free(s->ents);
	free(s->eslot);
	free(s->pool);
	memset(s, 0, sizeof(*s));
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 64;
	while (nc < need) {
		if (nc > SIZE_MAX / 2 / size)
			return -1;
		nc *= 2;
	}
	void *q = realloc(*p, nc * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = nc;
	return 0;
}

/* Rehash a table of slots (index + 1, 0 empty) to twice its size. */
static int
rehash(size_t **slot, size_t *nslots, size_t count,
    uint64_t (*key)(const struct stage *, size_t), const struct stage *s)
{
	size_t n = *nslots ? *nslots * 2 : 256;
	size_t *t;

	(void)count;
	if ((t = calloc(n, sizeof(*t))) == NULL)
		return -1;
	for (size_t i = 0; i < *nslots; i++) {
		if ((*slot)[i] == 0)
			continue;
		size_t h = (size_t)(key(s, (*slot)[i] - 1) % n);
		while (t[h] != 0)
			h = (h + 1) % n;
		t[h] = (*slot)[i];
	}
	free(*slot);
	*slot = t;
	*nslots = n;
	return 0;
}

static uint64_t
node_key(const struct stage *s, size_t i)
{
	return s->nodes[i].hash;
}

static uint64_t
ent_key(const struct stage *s, size_t i)
{
	const struct fentry *e = &s->ents[i];

	return (uint64_t)e->node * 0x9E3779B97F4A7C15ULL ^ (uint64_t)e->bucket;
}

/* The node with these rows, created if new; SIZE_MAX if out of memory. */
static size_t
node_get(struct stage *s, const uint32_t *rows, size_t nr)
{
	uint64_t h = hash_rows(rows, nr);

	if ((s->nnodes + 1) * 2 > s->nslots &&
	    rehash(&s->nslot, &s->nslots, s->nnodes, node_key, s) != 0)
		return SIZE_MAX;
	size_t i = (size_t)(h % s->nslots);
	for (; s->nslot[i] != 0; i = (i + 1) % s->nslots) {
		struct fnode *n = &s->nodes[s->nslot[i] - 1];
		if (n->hash == h &&
		    memcmp(s->pool + n->off, rows, nr * sizeof(*rows)) == 0)
			return s->nslot[i] - 1;
	}
	/* Row vectors live in one pool; nodes point into it afterwards. */
	if (grow((void **)&s->nodes, &s->capnodes, s->nnodes + 1,
	    sizeof(*s->nodes)) != 0 ||
	    grow((void **)&s->pool, &s->cappool, s->npool + nr,
	    sizeof(*s->pool)) != 0)
		return SIZE_MAX;
	memcpy(s->pool + s->npool, rows, nr * sizeof(*rows));
	struct fnode *n = &s->nodes[s->nnodes];
	memset(n, 0, sizeof(*n));
	n->off = s->npool;
	n->hash = h;
	s->npool += nr;
	s->nslot[i] = ++s->nnodes;
	return s->nnodes - 1;
}

static const uint32_t *
node_rows(const struct stage *s, size_t i)
{
	return s->pool + s->nodes[i].off;
}

/* Add w paths of length len to node; -1 if out of memory. */
static int
entry_add(struct stage *s, size_t node, long double len, long double w)
{
	int64_t b = (int64_t)llroundl(len * MERGE_SCALE);
	struct fentry probe = { node, b, len, w };

	if ((s->nents + 1) * 2 > s->neslots &&
	    rehash(&s->eslot, &s->neslots, s->nents, ent_key, s) != 0)
		return -1;
	uint64_t h = (uint64_t)node * 0x9E3779B97F4A7C15ULL ^ (uint64_t)b;
	size_t i = (size_t)(h % s->neslots);
	for (; s->eslot[i] != 0; i = (i + 1) % s->neslots) {
		struct fentry *e = &s->ents[s->eslot[i] - 1];
		if (e->node == node && e->bucket == b) {
			e->w += w;
			return 0;
		}
	}
	if (grow((void **)&s->ents, &s->capents, s->nents + 1,
	    sizeof(*s->ents)) != 0)
		return -1;
	s->ents[s->nents] = probe;
	s->eslot[i] = ++s->nents;
	return 0;
}

/*
 * Longest (spread) and shortest (concentrated) fill of one margin total
 * t over caps cap[0..n-1] taken alone: -sum log x! at its largest and
 * smallest. Spreading adds each unit where the cell is smallest and not
 * full; concentrating fills the largest caps first.
 */
static void
fill_bounds(const struct fisher *f, uint32_t t, const uint32_t *cap,
    size_t n, long double *lmax, long double *lmin)
{
	uint32_t x[DIM_MAX] = { 0 }, left = t;
	size_t order[DIM_MAX];

	/*
	 * Spread (water-filling over the ascending caps): a cell whose cap
	 * is below the even share of what is left is filled; from the first
	 * one that is not, the rest is shared evenly, the remainder one unit
	 * each (their caps are all above the share).
	 */
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cap[order[j - 1]] > cap[order[j]]; j--) {
			size_t tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	for (size_t i = 0; i < n; i++) {
		uint32_t open = (uint32_t)(n - i), c = cap[order[i]];
		if ((uint64_t)c * open <= left) {
			x[order[i]] = c;
			left -= c;
			continue;
		}
		uint32_t share = left / open, rem = left % open;
		for (size_t q = i; q < n; q++)
			x[order[q]] = share + (q - i < rem ? 1 : 0);
		left = 0;
		break;
	}
	long double s = 0.0L;
	for (size_t i = 0; i < n; i++)
		s -= f->lf[x[i]];
	*lmax = s;
	/* Concentrate. */
	left = t;
	s = 0.0L;
	for (size_t i = n; i-- > 0;) {
		uint32_t c = cap[order[i]], v = c < left ? c : left;
		s -= f->lf[v];
		left -= v;
	}
	*lmin = s;
}

/*
 * Relax the residual network of table x once: rows 0..nr-1, columns
 * nr..nr+nc-1; a row-to-column edge adds a unit to the cell (cost
 * log(x + 1)), a column-to-row edge takes one back (cost -log x), only
 * where the cell is not empty. Returns the last vertex improved, or
 * SIZE_MAX.
 */
static size_t
relax(const struct fisher *f, const uint32_t *x, size_t nr, size_t nc,
    double *dist, size_t *prev)
{
	size_t last = SIZE_MAX;

	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			uint32_t v = x[i * nc + j];
			double up = (double)(f->lf[v + 1] - f->lf[v]);
			if (dist[i] + up < dist[nr + j] - 1e-12) {
				dist[nr + j] = dist[i] + up;
				prev[nr + j] = i;
				last = nr + j;
			}
			if (v > 0) {
				double down = (double)(f->lf[v - 1] - f->lf[v]);
				if (dist[nr + j] + down < dist[i] - 1e-12) {
					dist[i] = dist[nr + j] + down;
					prev[i] = nr + j;
					last = i;
				}
			}
		}
	return last;
}

/* Move one unit along the edge u -> v of the residual network. */
static void
push(uint32_t *x, size_t nr, size_t nc, size_t u, size_t v)
{
	if (v >= nr)
		x[u * nc + (v - nr)]++;
	else
		x[v * nc + (u - nr)]--;
	(void)nc;
}

/*
 * The longest completion exactly: the most even table with these
 * margins minimises sum log x!, a separable convex cost over the tables
 * with the margins (a minimum-cost flow problem). Start from the
 * expected counts rounded down, route the few units still missing along
 * shortest paths, then cancel negative cycles (Bellman-Ford) until there
 * are none, which is the optimality condition; the length is summed
 * from the table itself. -1 only on an inconsistency (defensive).
 */
static int
longest(const struct fisher *f, const uint32_t *rows, size_t c0,
    long double *len)
{
	size_t nr = f->nr, nc = f->nc - c0, nv = nr + nc;
	uint32_t x[DIM_MAX * DIM_MAX], rleft[DIM_MAX], cleft[DIM_MAX];
	double dist[2 * DIM_MAX];
	size_t prev[2 * DIM_MAX];
	uint64_t n = 0;

	for (size_t i = 0; i < nr; i++)
		n += rows[i];
	memcpy(rleft, rows, nr * sizeof(*rleft));
	for (size_t j = 0; j < nc; j++)
		cleft[j] = f->cols[c0 + j];
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			uint32_t e = n ? (uint32_t)((uint64_t)rows[i] *
			    f->cols[c0 + j] / n) : 0;
			x[i * nc + j] = e;
			rleft[i] -= e;
			cleft[j] -= e;
		}
	for (;;) {
		size_t any = 0;
		for (size_t v = 0; v < nv; v++) {
			dist[v] = v < nr && rleft[v] > 0 ? 0.0 : INFINITY;
			prev[v] = SIZE_MAX;
			any += v < nr && rleft[v] > 0;
		}
		if (any == 0)
			break;
		for (size_t pass = 0; pass < nv; pass++)
			if (relax(f, x, nr, nc, dist, prev) == SIZE_MAX)
				break;
		size_t best = SIZE_MAX;
		for (size_t j = 0; j < nc; j++)
			if (cleft[j] > 0 && isfinite(dist[nr + j]) &&
			    (best == SIZE_MAX || dist[nr + j] < dist[nr + best]))
				best = j;
		if (best == SIZE_MAX)
			return -1;
		size_t v = nr + best, steps = 0;
		cleft[best]--;
		while (prev[v] != SIZE_MAX && steps++ <= nv) {
			push(x, nr, nc, prev[v], v);
			v = prev[v];
		}
		if (v >= nr || rleft[v] == 0)
			return -1;
		rleft[v]--;
	}
	/* Cancel negative cycles. */
	for (size_t round = 0; round < 100000; round++) {
		size_t last = SIZE_MAX;
		for (size_t v = 0; v < nv; v++) {
			dist[v] = 0.0;
			prev[v] = SIZE_MAX;
		}
		for (size_t pass = 0; pass < nv; pass++)
			if ((last = relax(f, x, nr, nc, dist, prev)) == SIZE_MAX)
				break;
		if (last == SIZE_MAX)
			break;
		/* Step back nv times to be on the cycle, then walk it. */
		for (size_t q = 0; q < nv && prev[last] != SIZE_MAX; q++)
			last = prev[last];
		size_t v = last, cyc[2 * DIM_MAX + 1], nc2 = 0;
		do {
			cyc[nc2++] = v;
			v = prev[v];
		} while (v != last && v != SIZE_MAX && nc2 <= nv);
		if (v != last)
			break; /* defensive: not a cycle after all */
		/* Edges prev[w] -> w for every w on the cycle. */
		for (size_t q = 0; q < nc2; q++)
			if (cyc[q] < nr && x[cyc[q] * nc + (prev[cyc[q]] - nr)] == 0)
				return -1;
		for (size_t q = 0; q < nc2; q++)
			push(x, nr, nc, prev[cyc[q]], cyc[q]);
	}
	long double s = 0.0L;
	for (size_t q = 0; q < nr * nc; q++)
		s -= f->lf[x[q]];
	*len = s;
	return 0;
}

/*
 * A bound on the shortest completion through a linear relaxation. Cell
 * (i, j) holds at most u = min(r_i, c_j), and log x! is convex, so it
 * lies under its chord: log x! <= x log(u!) / u on [0, u]. The most
 * concentrated table therefore has sum log x! at most the maximum of
 * sum x_ij log(u_ij!) / u_ij over the tables with these margins, a
 * transportation problem solved exactly as a minimum-cost flow
 * (successive shortest paths, each augmenting by its bottleneck). The
 * bound is exact when every cell of the optimum is 0 or full.
 */
static int
shortest_bound(const struct fisher *f, const uint32_t *rows, size_t c0,
    long double *len)
{
	size_t nr = f->nr, nc = f->nc - c0, nv = nr + nc;
	uint32_t x[DIM_MAX * DIM_MAX], rleft[DIM_MAX], cleft[DIM_MAX];
	double w[DIM_MAX * DIM_MAX], dist[2 * DIM_MAX];
	size_t prev[2 * DIM_MAX];
	long double best = 0.0L;

	memset(x, 0, nr * nc * sizeof(*x));
	memcpy(rleft, rows, nr * sizeof(*rleft));
	for (size_t j = 0; j < nc; j++)
		cleft[j] = f->cols[c0 + j];
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			uint32_t u = rows[i] < cleft[j] ? rows[i] : cleft[j];
			w[i * nc + j] = u > 0 ? (double)(f->lf[u] / u) : 0.0;
		}
	for (;;) {
		/* Costs -w forward, +w back: shortest = most gain. */
		for (size_t v = 0; v < nv; v++) {
			dist[v] = v < nr && rleft[v] > 0 ? 0.0 : INFINITY;
			prev[v] = SIZE_MAX;
		}
		for (size_t pass = 0; pass < nv; pass++) {
			int changed = 0;
			for (size_t i = 0; i < nr; i++)
				for (size_t j = 0; j < nc; j++) {
					double c = w[i * nc + j];
					if (dist[i] - c < dist[nr + j] - 1e-12) {
						dist[nr + j] = dist[i] - c;
						prev[nr + j] = i;
						changed = 1;
					}
					if (x[i * nc + j] > 0 &&
					    dist[nr + j] + c < dist[i] - 1e-12) {
						dist[i] = dist[nr + j] + c;
						prev[i] = nr + j;
						changed = 1;
					}
				}
			if (!changed)
				break;
		}
		size_t bj = SIZE_MAX;
		for (size_t j = 0; j < nc; j++)
			if (cleft[j] > 0 && isfinite(dist[nr + j]) &&
			    (bj == SIZE_MAX || dist[nr + j] < dist[nr + bj]))
				bj = j;
		if (bj == SIZE_MAX)
			break;
		/* Bottleneck: the row's supply, the column's need, back cells. */
		uint32_t amt = cleft[bj];
		size_t v = nr + bj;
		while (prev[v] != SIZE_MAX) {
			size_t u = prev[v];
			if (v < nr && x[v * nc + (u - nr)] < amt)
				amt = x[v * nc + (u - nr)];
			v = u;
		}
		if (rleft[v] < amt)
			amt = rleft[v];
		if (amt == 0)
			return -1; /* defensive */
		v = nr + bj;
		cleft[bj] -= amt;
		while (prev[v] != SIZE_MAX) {
			size_t u = prev[v];
			if (v >= nr)
				x[u * nc + (v - nr)] += amt;
			else
				x[v * nc + (u - nr)] -= amt;
			v = u;
		}
		rleft[v] -= amt;
	}
	for (size_t q = 0; q < nr * nc; q++)
		best += (long double)x[q] * (long double)w[q];
	*len = -best;
	return 0;
}

/* Bounds and log-count of the completions of node rows[] from column c0. */
static int
node_bound(const struct fisher *f, const uint32_t *rows, size_t c0,
    struct fnode *nd)
{
	long double cmin = 0.0L, rmin = 0.0L, hi, lo, lmax;
	uint64_t left = 0;

	for (size_t c = c0; c < f->nc; c++) {
		fill_bounds(f, f->cols[c], rows, f->nr, &hi, &lo);
		cmin += lo;
	}
	for (size_t r = 0; r < f->nr; r++) {
		fill_bounds(f, rows[r], f->cols + c0, f->nc - c0, &hi, &lo);
		rmin += lo;
		left += rows[r];
	}
	long double lp;
	if (longest(f, rows, c0, &lmax) != 0 ||
	    shortest_bound(f, rows, c0, &lp) != 0)
		return -1;
	/*
	 * A margin for rounding in the flow's choice between near-equal
	 * paths: "every completion counts" must never be claimed wrongly.
	 */
	nd->lmax = lmax + 1e-9L;
	nd->lmin = cmin > rmin ? cmin : rmin;
	/* The chord weights are rounded to double: a margin the other way. */
	lp -= 1e-9L * (1.0L + fabsl(lp));
	if (lp > nd->lmin)
		nd->lmin = lp;
	long double m = f->lf[left];
	for (size_t r = 0; r < f->nr; r++)
		m -= f->lf[rows[r]];
	for (size_t c = c0; c < f->nc; c++)
		m -= f->lf[f->cols[c]];
	nd->lmass = m;
	nd->bounded = 1;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Call fn for every fill x of a column of total need over the rows
 * rows[0..nr-1] (0 <= x[r] <= rows[r], sum need), with part = -sum
 * log x[r]!. Stops at the first nonzero return of fn and returns it.
 */
typedef int (*fill_fn)(struct fisher *, const uint32_t *x, long double part,
    void *ctx);

static int
each_fill(struct fisher *f, const uint32_t *rows, uint32_t need, fill_fn fn,
    void *ctx)
{
	size_t nr = f->nr, i = 0;
	uint32_t x[DIM_MAX], suffix[DIM_MAX + 1], left[DIM_MAX + 1];
	long double part[DIM_MAX + 1];
	int rc;

	suffix[nr] = 0;
	for (size_t r = nr; r-- > 0;)
		suffix[r] = suffix[r + 1] + rows[r];
	if (suffix[0] < need)
		return 0;
	part[0] = 0.0L;
	left[0] = need;
	x[0] = left[0] > suffix[1] ? left[0] - suffix[1] : 0;
	for (;;) {
		uint32_t hi = rows[i] < left[i] ? rows[i] : left[i];
		if (x[i] > hi) {
			if (i == 0)
				return 0;
			i--;
			x[i]++;
			continue;
		}
		part[i + 1] = part[i] - f->lf[x[i]];
		left[i + 1] = left[i] - x[i];
		if (i + 1 < nr) {
			i++;
			x[i] = left[i] > suffix[i + 1] ? left[i] - suffix[i + 1] : 0;
			continue;
		}
		/* A complete fill: left[nr] is 0 by the lower limits. */
		if ((rc = fn(f, x, part[nr], ctx)) != 0)
			return rc;
		x[i]++;
	}
}

/* Expanding entries into the next stage. */
struct expand_ctx {
	const uint32_t *rows;
	const struct fentry *exp;
	size_t ne;
	struct stage *next;
};

static int
expand_one(struct fisher *f, const uint32_t *x, long double part, void *vc)
{
	struct expand_ctx *c = vc;
	uint32_t child[DIM_MAX];

	for (size_t r = 0; r < f->nr; r++)
		child[r] = c->rows[r] - x[r];
	qsort(child, f->nr, sizeof(*child), cmp_u32);
	size_t nd = node_get(c->next, child, f->nr);
	if (nd == SIZE_MAX)
		return -1;
	for (size_t e = 0; e < c->ne; e++) {
		if (++f->work > f->work_max)
			return 1;
		if (entry_add(c->next, nd, c->exp[e].len + part, c->exp[e].w) != 0)
			return -1;
	}
	return 0;
}

/*
 * With two columns left, a fill of the first decides the table, and the
 * lengths of the completions do not depend on the path so far: they are
 * listed once, sorted, with running sums of their probabilities, and
 * each entry takes the prefix that keeps it at most as probable as the
 * observed table (a binary search instead of one visit per fill).
 */
struct last_ctx {
	const uint32_t *rows;
	long double *len;
	size_t n, cap;
};

static int
last_one(struct fisher *f, const uint32_t *x, long double part, void *vc)
{
	struct last_ctx *c = vc;
	long double l = part;

	for (size_t r = 0; r < f->nr; r++)
		l -= f->lf[c->rows[r] - x[r]];
	if (++f->work > f->work_max)
		return 1;
	if (grow((void **)&c->len, &c->cap, c->n + 1, sizeof(*c->len)) != 0)
		return -1;
	c->len[c->n++] = l;
	return 0;
}

static int
cmp_ld(const void *a, const void *b)
{
	long double x = *(const long double *)a, y = *(const long double *)b;

	return (x > y) - (x < y);
}

static int
settle_last_two(struct fisher *f, const uint32_t *rows, size_t c,
    const struct fentry *exp, size_t ne)
{
	struct last_ctx lc = { rows, NULL, 0, 0 };
	long double *cum = NULL;
	int rc;

	if ((rc = each_fill(f, rows, f->cols[c], last_one, &lc)) != 0)
		goto out;
	qsort(lc.len, lc.n, sizeof(*lc.len), cmp_ld);
	if ((cum = malloc((lc.n + 1) * sizeof(*cum))) == NULL) {
		rc = -1;
		goto out;
	}
	cum[0] = 0.0L;
	for (size_t q = 0; q < lc.n; q++)
		cum[q + 1] = cum[q] + expl(f->konst + lc.len[q]);
	for (size_t e = 0; e < ne; e++) {
		/* How many completions have len <= obs - past. */
		long double lim = f->obs - exp[e].len;
		size_t lo = 0, hi = lc.n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (lc.len[mid] <= lim)
				lo = mid + 1;
			else
				hi = mid;
		}
		f->p += exp[e].w * expl(exp[e].len) * cum[lo];
	}
out:
	free(lc.len);
	free(cum);
	return rc;
}

/*
 * Expand the entries exp[0..ne-1] of node (rows) of stage c into stage
 * c + 1: every fill x of column c, each entry's length plus -sum log x!;
 * with two columns left, settle them at once instead.
 */
static int
expand(struct fisher *f, const uint32_t *rows, size_t c,
    const struct fentry *exp, size_t ne, struct stage *next)
{
	if (c + 2 == f->nc)
		return settle_last_two(f, rows, c, exp, ne);
	struct expand_ctx ec = { rows, exp, ne, next };
	return each_fill(f, rows, f->cols[c], expand_one, &ec);
}

/*
 * Settle or expand every entry of stage c. Returns 0, 1 when the work
 * cap is reached, -1 when memory runs out.
 */
static int
run_stage(struct fisher *f, struct stage *cur, size_t c, struct stage *next)
{
	struct fentry *exp = NULL;
	size_t capexp = 0;
	int rc = 0;

	/* Entries grouped by node: sort a copy of their order. */
	size_t *order = malloc((cur->nents ? cur->nents : 1) * sizeof(*order));
	size_t *count = calloc(cur->nnodes + 1, sizeof(*count));
	if (order == NULL || count == NULL) {
		rc = -1;
		goto out;
	}
	for (size_t e = 0; e < cur->nents; e++)
		count[cur->ents[e].node + 1]++;
	for (size_t n = 0; n < cur->nnodes; n++)
		count[n + 1] += count[n];
	for (size_t e = 0; e < cur->nents; e++)
		order[count[cur->ents[e].node]++] = e;
	/* count[n] is now the end of node n's run; its start is count[n-1]. */
	size_t start = 0;
	for (size_t n = 0; n < cur->nnodes; n++) {
		size_t end = count[n], ne = 0;
		struct fnode *nd = &cur->nodes[n];
		const uint32_t *rows = node_rows(cur, n);
		if (!nd->bounded && node_bound(f, rows, c, nd) != 0) {
			rc = -1;
			goto out;
		}
		for (size_t q = start; q < end; q++) {
			const struct fentry *e = &cur->ents[order[q]];
			if (e->len + nd->lmax <= f->obs) {
				f->p += e->w * expl(f->konst + e->len + nd->lmass);
			} else if (e->len + nd->lmin <= f->obs && c + 1 < f->nc) {
				if (grow((void **)&exp, &capexp, ne + 1,
				    sizeof(*exp)) != 0) {
					rc = -1;
					goto out;
				}
				exp[ne++] = *e;
			}
		}
		start = end;
		if (ne > 0 && (rc = expand(f, rows, c, exp, ne, next)) != 0)
			goto out;
	}
out:
	free(order);
	free(count);
	free(exp);
	return rc;
}

/* The network walk of an nr x nc table with no zero margin, nr <= nc. */
static int
network(struct fisher *f, const uint32_t *cells, size_t nr, size_t nc)
{
	struct stage a, b, *cur = &a, *next = &b;
	long double len = 0.0L;
	uint64_t n = 0;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (size_t i = 0; i < nr; i++)
		n += f->rows[i];
	if ((f->lf = malloc((n + 1) * sizeof(*f->lf))) == NULL)
		return -1;
	f->lf[0] = 0.0L;
	for (uint64_t i = 1; i <= n; i++)
		f->lf[i] = f->lf[i - 1] + logl((long double)i);
	for (size_t i = 0; i < nr * nc; i++)
		len -= f->lf[cells[i]];
	f->obs = len + FISHER_TOL;
	f->konst = -f->lf[n];
	for (size_t i = 0; i < nr; i++)
		f->konst += f->lf[f->rows[i]];
	for (size_t j = 0; j < nc; j++)
		f->konst += f->lf[f->cols[j]];
	uint32_t start[DIM_MAX];
	memcpy(start, f->rows, nr * sizeof(*start));
	qsort(start, nr, sizeof(*start), cmp_u32);
	size_t root = node_get(cur, start, nr);
	if (root == SIZE_MAX || entry_add(cur, root, 0.0L, 1.0L) != 0)
		goto out;
	for (size_t c = 0; c < nc; c++) {
		if ((rc = run_stage(f, cur, c, next)) != 0)
			goto out;
		stage_free(cur);
		struct stage *t = cur;
		cur = next;
		next = t;
	}
	rc = 0;
out:
	stage_free(&a);
	stage_free(&b);
	free(f->lf);
	f->lf = NULL;
	return rc;
}

int
stats_fisher(const uint64_t *tab, size_t nr, size_t nc, size_t work_max,
    struct stats_fisher *out)
{
	uint64_t rs[DIM_MAX] = { 0 }, cs[DIM_MAX] = { 0 }, n = 0;
	size_t ri[DIM_MAX], ci[DIM_MAX], r = 0, c = 0;
	struct fisher f;
	uint32_t *cells = NULL;
	int rc;

	if (out == NULL || tab == NULL || nr < 2 || nc < 2 || nr > DIM_MAX ||
	    nc > DIM_MAX)
		return STATS_E_INVAL;
	out->p = NAN;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			uint64_t v = tab[i * nc + j];
			if (v > UINT32_MAX / 4 || n + v > UINT32_MAX / 4)
				return STATS_E_RANGE;
			rs[i] += v;
			cs[j] += v;
			n += v;
		}
	if (n == 0) {
		out->why = STATS_EMPTY;
		return STATS_RC_OK;
	}
	out->why = STATS_OK;
	for (size_t i = 0; i < nr; i++)
		if (rs[i] > 0)
			ri[r++] = i;
	for (size_t j = 0; j < nc; j++)
		if (cs[j] > 0)
			ci[c++] = j;
	if (r < 2 || c < 2) {
		out->p = 1.0;
		return STATS_RC_OK;
	}
	if (r == 2 && c == 2) {
		uint64_t t2[4] = {
			tab[ri[0] * nc + ci[0]], tab[ri[0] * nc + ci[1]],
			tab[ri[1] * nc + ci[0]], tab[ri[1] * nc + ci[1]],
		};
		return stats_fisher_2x2(t2, out);
	}
	/* The shorter side is the key, the longer one the stages. */
	int flip = r > c;
	size_t kr = flip ? c : r, kc = flip ? r : c;
	memset(&f, 0, sizeof(f));
	f.nr = kr;
	f.nc = kc;
	f.work_max = work_max ? work_max : FISHER_WORK;
	if ((cells = malloc(kr * kc * sizeof(*cells))) == NULL)
		return STATS_E_NOMEM;
	for (size_t i = 0; i < kr; i++)
		for (size_t j = 0; j < kc; j++)
			cells[i * kc + j] = (uint32_t)(flip ?
			    tab[ri[j] * nc + ci[i]] : tab[ri[i] * nc + ci[j]]);
	for (size_t i = 0; i < kr; i++)
		f.rows[i] = (uint32_t)(flip ? cs[ci[i]] : rs[ri[i]]);
	/* Columns ascending, as FEXACT orders them. */
	for (size_t j = 0; j < kc; j++)
		f.cols[j] = (uint32_t)(flip ? rs[ri[j]] : cs[ci[j]]);
	qsort(f.cols, kc, sizeof(*f.cols), cmp_u32);
	rc = network(&f, cells, kr, kc);
	free(cells);
	if (rc < 0)
		return STATS_E_NOMEM;
	if (rc > 0) {
		out->why = STATS_TOO_LARGE;
		return STATS_RC_OK;
	}
	double p = (double)f.p;
	out->p = p > 1.0 ? 1.0 : p < 0.0 ? 0.0 : p;
	return STATS_RC_OK;
}
