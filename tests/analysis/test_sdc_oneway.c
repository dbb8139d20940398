/*
 * Disclosure control of one-way tables (a frequency table of one item:
 * counts per choice and the total), sdc.h. Named cases: a single small cell
 * gets a complement, a table of large cells is published whole, k < 5 is
 * refused, zero cells stay 0 and are never used as a complement, and the
 * cases where the total itself must go.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "sdc.h"
#include "testlib.h"

#define P SDC_PUBLISHED
#define PRI SDC_PRIMARY
#define SEC SDC_SECONDARY

/* A 1 x n table with the given counts, suppressed at k. */
static struct sdc_table *
oneway(const long *counts, size_t n, long k, int want_rc)
{
	struct sdc_table *t = NULL;

	CHECK_INT(sdc_table_create(1, n, &t), SDC_OK);
	if (t == NULL)
		return NULL;
	memcpy(t->cell, counts, n * sizeof(*counts));
	CHECK_INT(sdc_suppress(t, k), want_rc);
	return t;
}

/*
 * The cells' states are as expected, the column totals mirror the cells
 * (in a 1 x n table they are the same numbers), and the row total mirrors
 * the grand total.
 */
static void
check_states(const struct sdc_table *t, const enum sdc_state *want,
    enum sdc_state total)
{
	size_t j;

	for (j = 0; j < t->ncols; j++) {
		if (t->state[j] != want[j])
			fprintf(stderr, "cell %zu: %s, expected %s\n", j,
			    sdc_state_name(t->state[j]),
			    sdc_state_name(want[j]));
		CHECK_INT(t->state[j], want[j]);
		CHECK_INT(t->col_state[j], want[j]);
		if (t->k != 0) /* margins are set by a successful call */
			CHECK_INT(t->col_total[j], t->cell[j]);
	}
	CHECK_INT(t->row_state[0], total);
	CHECK_INT(t->grand_state, total);
	if (t->k != 0)
		CHECK_INT(t->row_total[0], t->grand);
}

static void
test_single_small_cell_gets_complement(void)
{
	/* 3 < 10; the smallest other non-zero cell (15) hides it. */
	const long c[] = {3, 15, 20, 0, 40};
	const enum sdc_state want[] = {PRI, SEC, P, P, P};
	struct sdc_table *t = oneway(c, 5, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	CHECK_INT(t->grand, 78);
	CHECK_INT(t->k, 10);
	sdc_table_destroy(t);
}

static void
test_complement_ties_take_lowest_index(void)
{
	const long c[] = {40, 12, 6, 12};
	const enum sdc_state want[] = {P, SEC, PRI, P};
	struct sdc_table *t = oneway(c, 4, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_all_cells_large_publishes_all(void)
{
	/* 10 is not < 10. */
	const long c[] = {12, 30, 10, 55};
	const enum sdc_state want[] = {P, P, P, P};
	struct sdc_table *t = oneway(c, 4, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_two_small_cells_protect_each_other(void)
{
	/* 3 + 4 = 7 is known, neither is: no complement needed. */
	const long c[] = {3, 4, 30, 50};
	const enum sdc_state want[] = {PRI, PRI, P, P};
	struct sdc_table *t = oneway(c, 4, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_k_bad_below_minimum_rejected(void)
{
	const long c[] = {3, 15, 20};
	struct sdc_table *t = oneway(c, 3, 4, SDC_EK);
	const enum sdc_state all[] = {PRI, PRI, PRI};
	double pct;

	if (t == NULL)
		return;
	/* Fail closed: nothing publishable after the error. */
	check_states(t, all, PRI);
	CHECK_INT(t->k, 0);
	CHECK_INT(sdc_percent(t, 0, 1, SDC_BASE_ROW, &pct), SDC_ESUPPRESSED);
	CHECK_INT(sdc_suppress(t, 0), SDC_EK);
	CHECK_INT(sdc_suppress(t, -10), SDC_EK);
	CHECK_INT(sdc_check_k(4), SDC_EK);
	CHECK_INT(sdc_check_k(5), SDC_OK);
	/* A table suppressed at k = 5 and then at a bad k is closed again. */
	CHECK_INT(sdc_suppress(t, 5), SDC_OK);
	CHECK_INT(t->state[2], P);
	CHECK_INT(sdc_suppress(t, 4), SDC_EK);
	CHECK_INT(t->state[2], PRI);
	sdc_table_destroy(t);
}

static void
test_k_minimum_five_accepted(void)
{
	/* At k = 5: 4 is primary, 5 is not. */
	const long c[] = {4, 5, 9, 30};
	const enum sdc_state want[] = {PRI, SEC, P, P};
	struct sdc_table *t = oneway(c, 4, SDC_K_MIN, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_zero_cells_stay_zero(void)
{
	/*
	 * 3 is primary; its only non-zero neighbour is 25, which becomes the
	 * complement. The zeros are published and are not complements: the
	 * total (28) stays published, and 3 + 25 = 28 does not give away 3.
	 */
	const long c[] = {0, 3, 0, 25, 0};
	const enum sdc_state want[] = {P, PRI, P, SEC, P};
	struct sdc_table *t = oneway(c, 5, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	CHECK_INT(sdc_value(t, 0, 0), 0);
	CHECK_INT(sdc_value(t, 0, 2), 0);
	CHECK_INT(sdc_value(t, 0, 5), 28);
	sdc_table_destroy(t);
}

static void
test_only_nonzero_cell_hides_total(void)
{
	/*
	 * Everyone gave the same answer: the cell equals the total, so the
	 * total must go too - it is below k and primary in its own right.
	 */
	const long c[] = {0, 7, 0};
	const enum sdc_state want[] = {P, PRI, P};
	struct sdc_table *t = oneway(c, 3, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, PRI);
	sdc_table_destroy(t);
}

static void
test_only_nonzero_cell_large_published(void)
{
	const long c[] = {0, 70, 0};
	const enum sdc_state want[] = {P, P, P};
	struct sdc_table *t = oneway(c, 3, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_small_total_publishes_only_zeros(void)
{
	/* Fewer than k respondents in all: nothing but the zero. */
	const long c[] = {2, 3, 0};
	const enum sdc_state want[] = {PRI, PRI, P};
	struct sdc_table *t = oneway(c, 3, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, PRI);
	sdc_table_destroy(t);
}

static void
test_two_ones_need_more_than_the_line_rule(void)
{
	/*
	 * 1 and 1 hide each other by the line rule, but 22 - 20 = 2 and
	 * both are at least 1 (zeros are published), so both are 1. The
	 * audit suppresses 20 too (cheaper than the total, 22); then the
	 * three add up to 22 and none is known.
	 */
	const long c[] = {1, 1, 20};
	const enum sdc_state want[] = {PRI, PRI, SEC};
	struct sdc_table *t = oneway(c, 3, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_lone_cell_beside_small_complement(void)
{
	/*
	 * 1 is primary and 30 its complement; 31 is known, 1 could be 2
	 * (and 30 then 29): protected without touching the total.
	 */
	const long c[] = {1, 0, 30, 45};
	const enum sdc_state want[] = {PRI, P, SEC, P};
	struct sdc_table *t = oneway(c, 4, SDC_K_DEFAULT, SDC_OK);

	if (t == NULL)
		return;
	check_states(t, want, P);
	sdc_table_destroy(t);
}

static void
test_bad_negative_count(void)
{
	const long c[] = {3, -1, 20};
	const enum sdc_state all[] = {PRI, PRI, PRI};
	struct sdc_table *t = oneway(c, 3, SDC_K_DEFAULT, SDC_ENEGATIVE);

	if (t == NULL)
		return;
	check_states(t, all, PRI);
	sdc_table_destroy(t);
}

static void
test_bad_total_overflow(void)
{
	const long c[] = {LONG_MAX, 1};
	struct sdc_table *t = oneway(c, 2, SDC_K_DEFAULT, SDC_EOVERFLOW);

	if (t == NULL)
		return;
	CHECK_INT(t->state[0], PRI);
	CHECK_INT(t->k, 0);
	sdc_table_destroy(t);
}

int
main(void)
{
	test_single_small_cell_gets_complement();
	test_complement_ties_take_lowest_index();
	test_all_cells_large_publishes_all();
	test_two_small_cells_protect_each_other();
	test_k_bad_below_minimum_rejected();
	test_k_minimum_five_accepted();
	test_zero_cells_stay_zero();
	test_only_nonzero_cell_hides_total();
	test_only_nonzero_cell_large_published();
	test_small_total_publishes_only_zeros();
	test_two_ones_need_more_than_the_line_rule();
	test_lone_cell_beside_small_complement();
	test_bad_negative_count();
	test_bad_total_overflow();
	return test_done();
}
