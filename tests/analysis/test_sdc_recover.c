/*
 * Proof that sdc_suppress() leaves no suppressed value recoverable. For
 * fixed tables and for thousands of pseudo-random ones (a seeded
 * generator; shapes 1 x 1 to 6 x 5; small counts, many zeros and ones),
 * every suppressed entry of the published table - cells and margins - is
 * shown to be undetermined by what an adversary knows: all published
 * numbers, that every line of the extended matrix sums to its total, that
 * counts are integers, and that a suppressed count is at least 1 (zeros
 * are always published, so a hidden entry is not 0).
 *
 * Three independent arguments, none of which reuses sdc.c's code:
 * 1. Witness: for each suppressed entry, build a second completion of the
 *    table by moving one unit around an alternating cycle of suppressed
 *    entries (the totals row and column are the extra row and column of
 *    the cycle graph), then check that completion from scratch: every
 *    published number unchanged, every line sum right, every suppressed
 *    entry >= 1, and the entry's value different. With the real table
 *    that is two completions that disagree on the entry.
 * 2. Linear algebra: the entry's unit vector is not in the row space of
 *    the line equations restricted to the suppressed entries, so no linear
 *    combination of published numbers (subtraction included) yields it.
 *    Ranks are computed modulo a prime; the equation matrix is a network
 *    matrix (totally unimodular), so its rank mod p is its rank over Q.
 * 3. Brute force, for tables small enough: enumerate every completion and
 *    count the values the entry takes. It is also the ground truth that
 *    the witness search is checked against on random suppression
 *    patterns, in both directions, so a witness search that missed cycles
 *    (or found false ones) would fail here.
 * Checks the checkers catch known leaks too (the *_bad_* cases): a lone
 * suppressed cell in a line, a cell joining two blocks (line rule met),
 * and two suppressed 1s whose sum is known (linear algebra alone misses
 * that one).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sdc.h"
#include "testlib.h"

#define XMAX 8           /* extended matrices up to 8 x 8 */
#define PRIME 1000003LL  /* for the rank computation */
#define BRUTE_SMALL 20000.0  /* enumeration steps per random table */
#define BRUTE_LARGE 2000000.0 /* per case of the checker tests */

/* The published view of a table: values and which entries are hidden. */
struct ext {
	size_t nr, nc; /* inner rows and columns; the matrix is one larger */
	long v[XMAX][XMAX];
	int sup[XMAX][XMAX];
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: small, seeded, the same sequence on every platform. */
static uint32_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static void
ext_from_table(const struct sdc_table *t, struct ext *x)
{
	size_t i, j;

	memset(x, 0, sizeof(*x));
	x->nr = t->nrows;
	x->nc = t->ncols;
	for (i = 0; i <= x->nr; i++)
		for (j = 0; j <= x->nc; j++) {
			x->v[i][j] = sdc_value(t, i, j);
			x->sup[i][j] = sdc_state_at(t, i, j) != SDC_PUBLISHED;
		}
}

/* An extended matrix from inner counts, margins summed, nothing hidden. */
static void
ext_from_cells(struct ext *x, size_t nr, size_t nc, const long *cells)
{
	size_t i, j;

	memset(x, 0, sizeof(*x));
	x->nr = nr;
	x->nc = nc;
	for (i = 0; i < nr; i++)
		for (j = 0; j < nc; j++) {
			x->v[i][j] = cells[i * nc + j];
			x->v[i][nc] += x->v[i][j];
			x->v[nr][j] += x->v[i][j];
			x->v[nr][nc] += x->v[i][j];
		}
}

/* Every line of y: members sum to the last entry. */
static int
sums_hold(const struct ext *x, long y[XMAX][XMAX])
{
	size_t i, j;
	long s;

	for (i = 0; i <= x->nr; i++) {
		for (s = 0, j = 0; j < x->nc; j++)
			s += y[i][j];
		if (s != y[i][x->nc])
			return 0;
	}
	for (j = 0; j <= x->nc; j++) {
		for (s = 0, i = 0; i < x->nr; i++)
			s += y[i][j];
		if (s != y[x->nr][j])
			return 0;
	}
	return 1;
}

/* Is y a completion of x that an adversary cannot rule out? */
static int
is_completion(const struct ext *x, long y[XMAX][XMAX])
{
	size_t i, j;

	for (i = 0; i <= x->nr; i++)
		for (j = 0; j <= x->nc; j++) {
			if (!x->sup[i][j] && y[i][j] != x->v[i][j])
				return 0;
			if (x->sup[i][j] && y[i][j] < 1)
				return 0;
		}
	return sums_hold(x, y);
}

/* Every row and column of the extended matrix: 0 or >= 2 hidden. */
static int
line_rule_holds(const struct ext *x)
{
	size_t i, j, n;

	for (i = 0; i <= x->nr; i++) {
		for (n = 0, j = 0; j <= x->nc; j++)
			n += (size_t)x->sup[i][j];
		if (n == 1)
			return 0;
	}
	for (j = 0; j <= x->nc; j++) {
		for (n = 0, i = 0; i <= x->nr; i++)
			n += (size_t)x->sup[i][j];
		if (n == 1)
			return 0;
	}
	return 1;
}

/*
 * +1 if a unit added on the "row to column" step changes the count up,
 * -1 if down: lines are "members - total = 0", so the margins other than
 * the grand total enter with the opposite sign.
 */
static int
sgn(const struct ext *x, size_t i, size_t j)
{
	return (i < x->nr) == (j < x->nc) ? 1 : -1;
}

/* May a suppressed entry of count v change by dx and stay >= 1? */
static int
may_move(long v, int dx)
{
	return dx > 0 || v >= 2;
}

/*
 * Witness search: breadth-first over the suppressed entries other than
 * (ei, ej), as a graph on rows (0..nr) and columns (XMAX + j), for a way
 * back that closes a cycle. On success y is the table after moving one
 * unit around the cycle, and 1 is returned.
 */
static int
find_witness(const struct ext *x, size_t ei, size_t ej, long y[XMAX][XMAX])
{
	int dir;

	for (dir = 1; dir >= -1; dir -= 2) {
		/* dir 1: cross (ei, ej) from its row to its column. */
		int dxe = dir * sgn(x, ei, ej);
		size_t src = dir > 0 ? XMAX + ej : ei;
		size_t dst = dir > 0 ? ei : XMAX + ej;
		size_t queue[2 * XMAX], head = 0, tail = 0, u, w, a;
		size_t from[2 * XMAX];
		int seen[2 * XMAX] = {0};

		if (!may_move(x->v[ei][ej], dxe))
			continue;
		queue[tail++] = src;
		seen[src] = 1;
		while (head < tail && !seen[dst]) {
			u = queue[head++];
			size_t n = u < XMAX ? x->nc + 1 : x->nr + 1;
			for (a = 0; a < n; a++) {
				size_t i = u < XMAX ? u : a;
				size_t j = u < XMAX ? a : u - XMAX;
				int dx = (u < XMAX ? 1 : -1) * sgn(x, i, j);

				w = u < XMAX ? XMAX + a : a;
				if (seen[w] || !x->sup[i][j] ||
				    (i == ei && j == ej) ||
				    !may_move(x->v[i][j], dx))
					continue;
				seen[w] = 1;
				from[w] = u;
				queue[tail++] = w;
			}
		}
		if (!seen[dst])
			continue;
		memcpy(y, x->v, sizeof(x->v));
		y[ei][ej] += dxe;
		for (w = dst; w != src; w = from[w]) {
			u = from[w];
			size_t i = u < XMAX ? u : w;
			size_t j = u < XMAX ? w - XMAX : u - XMAX;
			y[i][j] += (u < XMAX ? 1 : -1) * sgn(x, i, j);
		}
		return 1;
	}
	return 0;
}

/* A witness exists and is a completion that disagrees on (ei, ej). */
static int
witness_ok(const struct ext *x, size_t ei, size_t ej)
{
	long y[XMAX][XMAX];

	if (!find_witness(x, ei, ej, y))
		return 0;
	return is_completion(x, y) && y[ei][ej] != x->v[ei][ej];
}

static long long
pmod(long long a)
{
	a %= PRIME;
	return a < 0 ? a + PRIME : a;
}

static long long
pinv(long long a)
{
	long long r = 1, e = PRIME - 2;

	a = pmod(a);
	while (e > 0) {
		if (e & 1)
			r = r * a % PRIME;
		a = a * a % PRIME;
		e >>= 1;
	}
	return r;
}

/* Rank of the first n rows of m (ncol columns), mod PRIME; m is changed. */
static size_t
rank_mod(long long m[][XMAX * XMAX], size_t n, size_t ncol)
{
	size_t r = 0, c, i, j;

	for (c = 0; c < ncol && r < n; c++) {
		for (i = r; i < n && m[i][c] == 0; i++)
			;
		if (i == n)
			continue;
		for (j = 0; j < ncol; j++) {
			long long tmp = m[i][j];
			m[i][j] = m[r][j];
			m[r][j] = tmp;
		}
		long long inv = pinv(m[r][c]);
		for (i = 0; i < n; i++) {
			if (i == r || m[i][c] == 0)
				continue;
			long long f = m[i][c] * inv % PRIME;
			for (j = 0; j < ncol; j++)
				m[i][j] = pmod(m[i][j] - f * m[r][j]);
		}
		r++;
	}
	return r;
}

/*
 * Is (ei, ej) a linear combination of the published numbers? The
 * unknowns are the suppressed entries; each line gives one equation
 * (members +1, total -1). Determined iff adding the unit row of the entry
 * does not raise the rank.
 */
static int
linearly_determined(const struct ext *x, size_t ei, size_t ej)
{
	static long long m[2 * XMAX + 1][XMAX * XMAX];
	static long long m2[2 * XMAX + 1][XMAX * XMAX];
	size_t col[XMAX][XMAX], nu = 0, nrow = 0, i, j;

	for (i = 0; i <= x->nr; i++)
		for (j = 0; j <= x->nc; j++)
			col[i][j] = x->sup[i][j] ? nu++ : SIZE_MAX;
	memset(m, 0, sizeof(m));
	for (i = 0; i <= x->nr; i++, nrow++)
		for (j = 0; j <= x->nc; j++)
			if (col[i][j] != SIZE_MAX)
				m[nrow][col[i][j]] = j < x->nc ? 1 : PRIME - 1;
	for (j = 0; j <= x->nc; j++, nrow++)
		for (i = 0; i <= x->nr; i++)
			if (col[i][j] != SIZE_MAX)
				m[nrow][col[i][j]] = i < x->nr ? 1 : PRIME - 1;
	memcpy(m2, m, sizeof(m));
	m2[nrow][col[ei][ej]] = 1;
	return rank_mod(m, nrow, nu) == rank_mod(m2, nrow + 1, nu);
}

/*
 * Enumerate the completions (inner hidden cells from 1 to bound, margins
 * summed) and set multi[i][j] for every hidden entry: 1 if it takes two or
 * more values, 0 if one. bound must be at least the largest value any
 * completion gives an inner cell (the grand total when it is published).
 * Returns 1, or 0 if the enumeration would exceed max steps (or, which
 * cannot be, no completion exists).
 */
static int
brute_all(const struct ext *x, long bound, double max, int multi[XMAX][XMAX])
{
	size_t hi[XMAX * XMAX], hj[XMAX * XMAX], nh = 0, i, j, a;
	long y[XMAX][XMAX], first[XMAX][XMAX];
	double space = 1;
	int found = 0;

	for (i = 0; i < x->nr; i++)
		for (j = 0; j < x->nc; j++)
			if (x->sup[i][j]) {
				hi[nh] = i;
				hj[nh] = j;
				nh++;
				space *= (double)bound;
			}
	if (space > max)
		return 0;
	memset(multi, 0, sizeof(int) * XMAX * XMAX);
	memcpy(y, x->v, sizeof(y));
	for (a = 0; a < nh; a++)
		y[hi[a]][hj[a]] = 1;
	for (;;) {
		/* Margins from the cells, then the adversary's test. */
		for (i = 0; i <= x->nr; i++)
			y[i][x->nc] = 0;
		for (j = 0; j < x->nc; j++)
			y[x->nr][j] = 0;
		for (i = 0; i < x->nr; i++)
			for (j = 0; j < x->nc; j++) {
				y[i][x->nc] += y[i][j];
				y[x->nr][j] += y[i][j];
				y[x->nr][x->nc] += y[i][j];
			}
		if (is_completion(x, y)) {
			if (!found)
				memcpy(first, y, sizeof(y));
			found = 1;
			for (i = 0; i <= x->nr; i++)
				for (j = 0; j <= x->nc; j++)
					if (y[i][j] != first[i][j])
						multi[i][j] = 1;
		}
		for (a = 0; a < nh; a++) {
			if (++y[hi[a]][hj[a]] <= bound)
				break;
			y[hi[a]][hj[a]] = 1;
		}
		if (a == nh)
			break;
	}
	return found;
}

/* An upper bound for brute_all(). */
static long
brute_bound(const struct ext *x)
{
	long g = x->v[x->nr][x->nc];

	return x->sup[x->nr][x->nc] ? 2 * g + 2 : g;
}

/* 1 or 2: how many values (i, j) takes; 0 if not enumerated. */
static int
brute_one(const struct ext *x, size_t i, size_t j)
{
	int multi[XMAX][XMAX];

	if (!brute_all(x, brute_bound(x), BRUTE_LARGE, multi))
		return 0;
	return multi[i][j] ? 2 : 1;
}

struct stats {
	long tables, hidden, brute;
};

/*
 * All the checks on one suppressed table: states follow the threshold,
 * zeros are published, the line rule holds, and every hidden entry has a
 * witness, is not linearly determined, and (when small enough) takes two
 * values under brute force.
 */
static void
prove_table(const char *what, const struct sdc_table *t, long k,
    struct stats *st)
{
	struct ext x;
	size_t i, j;
	int bad = 0, multi[XMAX][XMAX], brute;

	ext_from_table(t, &x);
	st->tables++;
	brute = brute_all(&x, brute_bound(&x), BRUTE_SMALL, multi);
	for (i = 0; i <= x.nr; i++)
		for (j = 0; j <= x.nc; j++) {
			long v = x.v[i][j];
			enum sdc_state s = sdc_state_at(t, i, j);

			if ((v > 0 && v < k) != (s == SDC_PRIMARY))
				bad |= 1;
			if (v == 0 && s != SDC_PUBLISHED)
				bad |= 2;
			if (!x.sup[i][j])
				continue;
			st->hidden++;
			if (!witness_ok(&x, i, j))
				bad |= 4;
			if (linearly_determined(&x, i, j))
				bad |= 8;
			if (brute && !multi[i][j])
				bad |= 16;
			if (brute)
				st->brute++;
		}
	if (!line_rule_holds(&x))
		bad |= 32;
	if (bad) {
		fprintf(stderr, "%s: %zu x %zu, k %ld: failure mask %d\n",
		    what, x.nr, x.nc, k, bad);
		for (i = 0; i <= x.nr; i++) {
			for (j = 0; j <= x.nc; j++)
				fprintf(stderr, " %4ld%c", x.v[i][j],
				    ".PS"[sdc_state_at(t, i, j)]);
			fprintf(stderr, "\n");
		}
	}
	CHECK(bad == 0);
}

/* Suppress nr x nc cells at k, prove the result, and check determinism. */
static void
run_table(const char *what, size_t nr, size_t nc, const long *cells, long k,
    struct stats *st)
{
	struct sdc_table *t = NULL, *u = NULL;
	size_t n = nr * nc, a;

	CHECK_INT(sdc_table_create(nr, nc, &t), SDC_OK);
	CHECK_INT(sdc_table_create(nr, nc, &u), SDC_OK);
	if (t == NULL || u == NULL)
		goto out;
	memcpy(t->cell, cells, n * sizeof(*cells));
	memcpy(u->cell, cells, n * sizeof(*cells));
	CHECK_INT(sdc_suppress(t, k), SDC_OK);
	prove_table(what, t, k, st);
	/* Same input, same states; and running again changes nothing. */
	CHECK_INT(sdc_suppress(u, k), SDC_OK);
	CHECK_INT(sdc_suppress(u, k), SDC_OK);
	for (a = 0; a < n; a++)
		CHECK_INT(u->state[a], t->state[a]);
	for (a = 0; a < nr; a++)
		CHECK_INT(u->row_state[a], t->row_state[a]);
	for (a = 0; a < nc; a++)
		CHECK_INT(u->col_state[a], t->col_state[a]);
	CHECK_INT(u->grand_state, t->grand_state);
out:
	sdc_table_destroy(t);
	sdc_table_destroy(u);
}

/* The checkers must see the leaks that sdc_suppress() has to avoid. */
static void
test_checker_bad_lone_cell(void)
{
	static const long c[] = {3, 20, 15, 30};
	struct ext x;

	ext_from_cells(&x, 2, 2, c);
	x.sup[0][0] = 1; /* 3 = row total - 20 */
	CHECK(!line_rule_holds(&x));
	CHECK(!witness_ok(&x, 0, 0));
	CHECK(linearly_determined(&x, 0, 0));
	CHECK_INT(brute_one(&x, 0, 0), 1);
}

static void
test_checker_bad_bridge(void)
{
	/* test_sdc_twoway.c's bridge case before the audit. */
	static const long c[] = {
		 3,  4,  2, 30, 40,
		 5,  6, 50, 60, 20,
		70, 80,  7,  8, 25,
		35, 45,  6,  9, 55,
		33, 22, 44, 11, 66,
	};
	struct ext x;
	size_t i, j;

	ext_from_cells(&x, 5, 5, c);
	for (i = 0; i < 5; i++)
		for (j = 0; j < 5; j++)
			x.sup[i][j] = x.v[i][j] < 10;
	CHECK(line_rule_holds(&x));
	CHECK(!witness_ok(&x, 0, 2));
	CHECK(linearly_determined(&x, 0, 2));
	CHECK(witness_ok(&x, 0, 0));
	CHECK(!linearly_determined(&x, 0, 0));
	/* With the complement the audit picks, the cell is safe. */
	x.sup[0][3] = 1;
	CHECK(witness_ok(&x, 0, 2));
	CHECK(!linearly_determined(&x, 0, 2));
}

static void
test_checker_bad_two_ones(void)
{
	/* 1, 1, 20 with the 1s hidden: 22 - 20 = 2 = 1 + 1. */
	static const long c[] = {1, 1, 20};
	struct ext x;

	ext_from_cells(&x, 1, 3, c);
	x.sup[0][0] = x.sup[0][1] = x.sup[1][0] = x.sup[1][1] = 1;
	CHECK(line_rule_holds(&x));
	CHECK(!linearly_determined(&x, 0, 0)); /* algebra alone misses it */
	CHECK(!witness_ok(&x, 0, 0));
	CHECK_INT(brute_one(&x, 0, 0), 1);
	/* 2, 1, 20 is safe: 3 = 2 + 1 = 1 + 2. */
	x.v[0][0] = x.v[1][0] = 2;
	x.v[0][3] = x.v[1][3] = 23;
	CHECK(witness_ok(&x, 0, 0));
	CHECK_INT(brute_one(&x, 0, 0), 2);
}

/*
 * The witness search agrees with brute force on random hiding patterns
 * of tiny tables, both ways: a witness iff two values.
 */
static void
test_checker_matches_brute_force(void)
{
	static const size_t shape[][2] = {{1, 2}, {1, 3}, {2, 2}, {2, 1},
	    {1, 4}, {2, 3}};
	long c[XMAX * XMAX];
	struct ext x;
	size_t s, i, j;
	int rep, compared = 0, multi[XMAX][XMAX];

	for (s = 0; s < sizeof(shape) / sizeof(shape[0]); s++) {
		size_t nr = shape[s][0], nc = shape[s][1];

		for (rep = 0; rep < 150; rep++) {
			for (i = 0; i < nr * nc; i++)
				c[i] = (long)(rnd() % 4);
			ext_from_cells(&x, nr, nc, c);
			for (i = 0; i <= nr; i++)
				for (j = 0; j <= nc; j++)
					x.sup[i][j] = x.v[i][j] > 0 &&
					    rnd() % 2 == 0;
			if (!brute_all(&x, brute_bound(&x), BRUTE_LARGE, multi))
				continue;
			for (i = 0; i <= nr; i++)
				for (j = 0; j <= nc; j++) {
					if (!x.sup[i][j])
						continue;
					int w = witness_ok(&x, i, j);

					compared++;
					if (multi[i][j] != w) {
						fprintf(stderr, "%zu x %zu "
						    "(%zu,%zu): brute force "
						    "%d values, witness %d\n",
						    nr, nc, i, j,
						    multi[i][j] + 1, w);
						CHECK(0);
					}
					/* Determined linearly: one value. */
					if (linearly_determined(&x, i, j))
						CHECK(!multi[i][j]);
				}
		}
	}
	CHECK(compared > 1000);
	fprintf(stderr, "checker vs brute force: %d entries\n", compared);
}

static void
test_fixed_tables(struct stats *st)
{
	static const long rect[] = {20, 50, 10, 8, 19, 22, 17, 32, 12};
	static const long ex1[] = {2, 0, 5, 3, 4, 6};
	static const long margins[] = {4, 30, 50, 12, 0, 0, 40, 60, 35};
	static const long group[] = {20, 30, 40, 2, 3, 0, 25, 15, 35};
	static const long bridge[] = {
		3, 4, 2, 30, 40, 5, 6, 50, 60, 20, 70, 80, 7, 8, 25,
		35, 45, 6, 9, 55, 33, 22, 44, 11, 66};
	static const long zeros[] = {0, 0, 0, 0, 0, 0};
	static const long ones[] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
	static const long diag[] = {3, 40, 50, 60, 2, 70, 80, 90, 1};
	static const long onebig[] = {1, 0, 0, 0, 0, 0, 0, 0, 500};
	static const long two_ones[] = {1, 1, 20};
	static const long lone[] = {0, 7, 0};
	static const long single_small[] = {3};
	static const long single_large[] = {30};
	static const long col3[] = {4, 20, 30};
	static const long wide[] = {
		12, 15, 30, 11, 40,
		10, 1, 25, 33, 18,
		22, 17, 14, 20, 19,
		13, 21, 16, 2, 24,
		45, 11, 27, 29, 10,
		31, 26, 3, 35, 12};

	run_table("rectangle", 3, 3, rect, 10, st);
	run_table("example1", 2, 3, ex1, 5, st);
	run_table("margins", 3, 3, margins, 10, st);
	run_table("group", 3, 3, group, 10, st);
	run_table("bridge", 5, 5, bridge, 10, st);
	run_table("zeros", 2, 3, zeros, 10, st);
	run_table("ones", 3, 3, ones, 10, st);
	run_table("diagonal", 3, 3, diag, 10, st);
	run_table("one big", 3, 3, onebig, 10, st);
	run_table("two ones", 1, 3, two_ones, 10, st);
	run_table("lone", 1, 3, lone, 10, st);
	run_table("1x1 small", 1, 1, single_small, 10, st);
	run_table("1x1 large", 1, 1, single_large, 10, st);
	run_table("r x 1", 3, 1, col3, 10, st);
	run_table("6 x 5", 6, 5, wide, 10, st);
	run_table("6 x 5 k15", 6, 5, wide, 15, st);
}

/* One count: many zeros and small counts, some large ones. */
static long
random_count(int mode)
{
	uint32_t r = rnd() % 100;

	switch (mode) {
	case 0: /* survey-like: mostly large, a few small and empty */
		return r < 10 ? 0 : r < 30 ? 1 + (long)(rnd() % 9)
		                           : 10 + (long)(rnd() % 80);
	case 1: /* half small */
		return r < 20 ? 0 : r < 60 ? 1 + (long)(rnd() % 12)
		                           : 10 + (long)(rnd() % 40);
	case 2: /* tiny counts: 0 to 3, the traps of 1s */
		return (long)(rnd() % 4);
	default: /* sparse: zeros, ones and a few big cells */
		return r < 50 ? 0 : r < 75 ? 1 : 5 + (long)(rnd() % 60);
	}
}

static void
test_random_tables(struct stats *st)
{
	static const long ks[] = {5, 10, 15};
	long c[XMAX * XMAX];
	char what[64];
	size_t nr, nc, a;
	int rep;

	for (nr = 1; nr <= 6; nr++)
		for (nc = 1; nc <= 5; nc++)
			for (rep = 0; rep < 400; rep++) {
				int mode = rep % 4;
				long k = ks[(rep / 4) % 3];

				for (a = 0; a < nr * nc; a++)
					c[a] = random_count(mode);
				snprintf(what, sizeof(what),
				    "random %zux%zu #%d", nr, nc, rep);
				run_table(what, nr, nc, c, k, st);
			}
}

int
main(void)
{
	struct stats st = {0, 0, 0};

	test_checker_bad_lone_cell();
	test_checker_bad_bridge();
	test_checker_bad_two_ones();
	test_checker_matches_brute_force();
	test_fixed_tables(&st);
	test_random_tables(&st);
	fprintf(stderr, "%ld tables, %ld suppressed entries proven "
	    "(%ld also by brute force)\n", st.tables, st.hidden, st.brute);
	CHECK(st.tables > 10000);
	CHECK(st.hidden > 10000);
	return test_done();
}
