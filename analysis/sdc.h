/*
 * Statistical disclosure control for published tables of counts. Every
 * aggregate Candor publishes passes this module: a frequency table of one
 * item (a 1 x c table) or a crosstab of an item by a group (an r x c table),
 * each with its row totals, column totals and grand total. Cells with
 * 0 < n < k are suppressed (primary), and further cells are suppressed
 * (secondary) until no suppressed value can be worked out from the numbers
 * that are published. Small groups are also kept out of comparisons and
 * descriptive summaries (sdc_group_ok(), sdc_summary_ok()).
 *
 * The model. A table and its margins form an (r+1) x (c+1) "extended"
 * matrix: row r holds the column totals, column c the row totals, and the
 * corner the grand total. Every line of it (a row or a column, the totals
 * row and column included) obeys one equation: its last entry is the sum of
 * the others. The adversary knows those equations, every published number,
 * that counts are integers, and - because zeros are always published - that
 * every suppressed entry is at least 1. A suppressed entry is protected when
 * at least two completions of the table consistent with all of that give it
 * different values. sdc_suppress() guarantees this for every suppressed
 * entry: each lies on an alternating cycle of suppressed entries along
 * which one unit can be moved (+1, -1, +1, ...) without changing any
 * published number and without taking any suppressed entry below 1.
 *
 * Choices, and why:
 * - Margins are subject to the threshold too: a row total of 7 is the count
 *   of a group of 7 people, and the one-way table of the group variable
 *   would suppress it, so the crosstab must not reveal it either. A table
 *   whose grand total is below k therefore publishes nothing but zeros.
 * - Zero cells are published as 0: an empty category is structural
 *   knowledge, not about anyone. A zero is never chosen as a complement,
 *   because hiding a value everyone can infer protects nothing (and it
 *   could not carry the unit moved around a cycle: counts are not negative).
 * - One-way tables (1 x c): one primary cell gets the smallest other
 *   non-zero cell as its complement, and the total stays published (p + q
 *   is known, neither p nor q is). Only when no other non-zero cell exists
 *   is the total suppressed - but then the total equals p < k and is a
 *   primary itself. When the complements found that way still pin a value
 *   down (cells 1 and 1 beside 20: both must be 1), more cells, or the
 *   total, are suppressed until they do not.
 * - In a 1 x c table the column totals equal the cells (and in an r x 1
 *   table the row totals equal the cells); their states mirror the cells
 *   and a caller need not print them.
 *
 * Ownership: sdc_table_create() allocates the table and all its arrays;
 * sdc_table_destroy() frees them. The caller fills cell[] and reads the
 * other fields; it never frees or replaces the arrays.
 *
 * PRIMARY and SECONDARY exist for audit logs and tests. A published table
 * must render both the same way (one symbol), or readers learn which
 * suppressed cells are below k.
 *
 * Limits, by design of this module (callers must know them):
 * - One table at a time. Tables that share cells or margins (two crosstabs
 *   by the same group, a table and a sub-table) are not coordinated: a
 *   total hidden in one may be printed in another. Publish each count in
 *   one table, or suppress the shared margins consistently.
 * - The guarantee is "no exact value", not a protection interval: a hidden
 *   1 may be known to lie in 1..3. An adversary who knows this algorithm
 *   (complements are the smallest candidates, secondaries are >= k) can
 *   narrow ranges further. Optimal suppression with intervals (tau-argus'
 *   optimisation methods) is an integer program and out of scope.
 * - Counts only. A group whose members all gave one answer (a single
 *   non-zero cell >= k in its row) is published as such: that is group
 *   attribute disclosure, which thresholds on counts do not address.
 */
#ifndef CANDOR_SDC_H
#define CANDOR_SDC_H

#include <stdbool.h>
#include <stddef.h>

#define SDC_K_DEFAULT 10 /* DESIGN.md: suppress 0 < n < 10 */
#define SDC_K_MIN 5      /* smaller thresholds are refused */
/*
 * Largest number of rows or columns. Survey tables are small (choices by
 * groups); the audit's cost grows about as the fourth power of the side
 * (a path search per suppressed entry), and a 100 x 100 table with a
 * third of its cells small takes about 0.2 s, so the cap keeps one call
 * well below a second.
 */
#define SDC_DIM_MAX 100

enum sdc_rc {
	SDC_OK = 0,
	SDC_EINVAL = -1,      /* NULL table, bad index or dimension */
	SDC_EK = -2,          /* k < SDC_K_MIN */
	SDC_ENEGATIVE = -3,   /* a cell holds a negative count */
	SDC_EOVERFLOW = -4,   /* a total does not fit in a long */
	SDC_ENOMEM = -5,
	SDC_ESUPPRESSED = -6, /* sdc_percent(): not publishable */
	SDC_EZERO = -7,       /* sdc_percent(): the base is 0 */
	SDC_RC__MAX = 8       /* number of codes, for tables of messages */
};

enum sdc_state {
	SDC_PUBLISHED = 0, /* the value may be shown */
	SDC_PRIMARY,       /* 0 < n < k */
	SDC_SECONDARY,     /* hidden so that a primary cannot be derived */
	SDC_STATE__MAX
};

/* Denominator of a percentage (sdc_percent()). */
enum sdc_base {
	SDC_BASE_ROW,   /* the cell's row total: distribution within a group */
	SDC_BASE_COL,   /* the cell's column total */
	SDC_BASE_GRAND, /* the grand total */
	SDC_BASE__MAX
};

struct sdc_table {
	size_t nrows, ncols;
	long *cell;              /* nrows * ncols, row-major; the caller fills */
	long *row_total;         /* nrows; set by sdc_suppress() */
	long *col_total;         /* ncols; set by sdc_suppress() */
	long grand;              /* set by sdc_suppress() */
	enum sdc_state *state;   /* nrows * ncols, like cell[] */
	enum sdc_state *row_state;
	enum sdc_state *col_state;
	enum sdc_state grand_state;
	long k;                  /* threshold of the last success; 0: none */
};

/*
 * Allocate an nrows x ncols table (1 <= each <= SDC_DIM_MAX) with every
 * count 0 and every state SDC_PRIMARY: nothing is publishable until
 * sdc_suppress() has succeeded. Returns SDC_OK and sets *out, or
 * SDC_EINVAL or SDC_ENOMEM (and *out is NULL).
 */
int sdc_table_create(size_t nrows, size_t ncols, struct sdc_table **out);

/* Free the table and its arrays; NULL is a no-op. */
void sdc_table_destroy(struct sdc_table *t);

/*
 * Compute the margins from cell[] and decide every state (cells, row and
 * column totals, grand total) for threshold k. Deterministic: the same
 * counts and k give the same states. May be called again after cell[]
 * changes, and must be, before anything is published.
 *
 * Returns SDC_OK, or SDC_EINVAL (t NULL), SDC_EK (k < SDC_K_MIN),
 * SDC_ENEGATIVE, SDC_EOVERFLOW or SDC_ENOMEM. On any error every state is
 * SDC_PRIMARY and t->k is 0, so a caller that ignores the error still
 * publishes nothing.
 */
int sdc_suppress(struct sdc_table *t, long k);

/* SDC_OK if k may be used as a threshold, else SDC_EK. */
int sdc_check_k(long k);

/*
 * May a group of n respondents enter a comparison (a t-test, a
 * chi-square, an odds ratio...)? True iff n >= k. An invalid k
 * (k < SDC_K_MIN) answers false: fail closed; check k with sdc_check_k()
 * where it is read, to report it.
 */
bool sdc_group_ok(long n, long k);

/*
 * May a descriptive summary (n, mean, SD, median, quartiles, min, max,
 * histogram) of the n values of one group be published? True iff n >= k;
 * false for an invalid k, as sdc_group_ok().
 */
bool sdc_summary_ok(long n, long k);

/*
 * The entry at (i, j) of the extended matrix: i <= nrows, j <= ncols;
 * i == nrows is the column totals row, j == ncols the row totals column,
 * (nrows, ncols) the grand total. Out of range: sdc_value() returns -1,
 * sdc_state_at() SDC_PRIMARY.
 */
long sdc_value(const struct sdc_table *t, size_t i, size_t j);
enum sdc_state sdc_state_at(const struct sdc_table *t, size_t i, size_t j);

/*
 * The percentage 100 * entry(i, j) / base, with (i, j) in the extended
 * matrix as for sdc_value(). Publishable only when both the entry and its
 * base are published: a percentage of a hidden cell reveals the cell, and
 * a published count over a hidden base reveals the base.
 *
 * Returns SDC_OK and sets *pct; SDC_ESUPPRESSED (the entry or the base is
 * suppressed, or sdc_suppress() has not succeeded); SDC_EZERO (the base
 * is 0); SDC_EINVAL. *pct is NaN on every error.
 */
int sdc_percent(const struct sdc_table *t, size_t i, size_t j,
    enum sdc_base base, double *pct);

/* A short English message for an sdc_rc; never NULL. */
const char *sdc_strerror(int rc);

/* "published", "primary", "secondary"; never NULL. */
const char *sdc_state_name(enum sdc_state s);

#endif
