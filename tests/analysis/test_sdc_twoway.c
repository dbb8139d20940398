/*
 * Disclosure control of two-way tables (an item by a group, with row,
 * column and grand totals), sdc.h. Each case gives the counts and the
 * expected states of the whole extended matrix, worked out by hand from
 * the rules in sdc.c: the 2 x 2 rectangle of the textbooks, a published
 * example table, the case where a line's total must be suppressed, a small
 * group, a pattern the line rule alone leaves open, and an r x 1 table.
 */
#include <stddef.h>
#include <string.h>

#include "sdc.h"
#include "testlib.h"

/*
 * Suppress the nr x nc counts at k and compare every state of the
 * extended matrix with want: (nr + 1) rows of (nc + 1) characters, the
 * last row and column being the totals; '.' published, 'P' primary, 'S'
 * secondary.
 */
static void
check_table(const char *name, size_t nr, size_t nc, const long *cells,
    long k, const char *const *want)
{
	struct sdc_table *t = NULL;
	size_t i, j;
	int bad = 0;

	CHECK_INT(sdc_table_create(nr, nc, &t), SDC_OK);
	if (t == NULL)
		return;
	memcpy(t->cell, cells, nr * nc * sizeof(*cells));
	CHECK_INT(sdc_suppress(t, k), SDC_OK);
	for (i = 0; i <= nr; i++) {
		CHECK_INT(strlen(want[i]), nc + 1);
		for (j = 0; j <= nc && want[i][j] != '\0'; j++) {
			enum sdc_state s = sdc_state_at(t, i, j);
			char got = s == SDC_PUBLISHED ? '.'
			    : s == SDC_PRIMARY        ? 'P'
			                              : 'S';
			if (got != want[i][j]) {
				fprintf(stderr, "%s: (%zu,%zu) = %ld is %c, "
				    "expected %c\n", name, i, j,
				    sdc_value(t, i, j), got, want[i][j]);
				bad = 1;
			}
		}
	}
	CHECK(!bad);
	sdc_table_destroy(t);
}

static void
test_textbook_rectangle(void)
{
	/*
	 * One small cell in the middle of a table of large ones: the line
	 * rule hides the smallest cell of its row (19) and of its column
	 * (17), and the cell where those meet (32) closes the rectangle.
	 * Every margin stays published.
	 */
	static const long c[] = {
		20, 50, 10,
		 8, 19, 22,
		17, 32, 12,
	};
	static const char *const want[] = {
		"....",
		"PS..",
		"SS..",
		"....",
	};

	check_table("rectangle", 3, 3, c, SDC_K_DEFAULT, want);
}

static void
test_published_example_at_k5(void)
{
	/*
	 * The 2014 table of SSBtoolsData("example1") used in the R package
	 * GaussSuppression's vignette "Small count frequency table
	 * suppression" (age by country), under this module's rules (k = 5,
	 * zeros published), worked by hand. Primary: 2, 3, 4 and the column
	 * total 4 (Portugal: only the "old" cell is non-zero). The line rule
	 * adds young-Spain (5), the Iceland total (5) and old-Spain (6).
	 */
	static const long c[] = {
		2, 0, 5, /* young: Iceland, Portugal, Spain */
		3, 4, 6, /* old */
	};
	static const char *const want[] = {
		"P.S.",
		"PPS.",
		"SP..",
	};

	check_table("example1", 2, 3, c, SDC_K_MIN, want);
}

static void
test_margin_suppressed_when_line_has_no_cell(void)
{
	/*
	 * 4 is primary. Its column takes 12 as complement, and 12 is alone
	 * in its row: the only other non-zero entry of that row is its
	 * total, so the row total (12) is suppressed, which in turn needs a
	 * complement in the totals column (84), and so on until every line
	 * holds 0 or >= 2 suppressed entries.
	 */
	static const long c[] = {
		 4, 30, 50,
		12,  0,  0,
		40, 60, 35,
	};
	static const char *const want[] = {
		"PSSS",
		"S..S",
		".SS.",
		"....",
	};

	check_table("margins", 3, 3, c, SDC_K_DEFAULT, want);
}

static void
test_small_group_hidden_with_its_total(void)
{
	/*
	 * A group of 5 people: its cells and its size are all primary. The
	 * columns and the totals column then need complements.
	 */
	static const long c[] = {
		20, 30, 40,
		 2,  3,  0,
		25, 15, 35,
	};
	static const char *const want[] = {
		"SS..",
		"PP.P",
		".S.S",
		"....",
	};

	check_table("small group", 3, 3, c, SDC_K_DEFAULT, want);
}

static void
test_line_rule_not_enough_bridge(void)
{
	/*
	 * Two 2 x 2 blocks of small cells joined by one small cell (2 at row
	 * 0, column 2). Every line holds 0 or >= 2 suppressed cells, yet
	 * rows 0-1 minus columns 0-1 give 2 exactly: the joining cell is on
	 * no cycle. The audit suppresses the cheapest cycle through it,
	 * which here is one more cell (30).
	 */
	static const long c[] = {
		 3,  4,  2, 30, 40,
		 5,  6, 50, 60, 20,
		70, 80,  7,  8, 25,
		35, 45,  6,  9, 55,
		33, 22, 44, 11, 66,
	};
	static const char *const want[] = {
		"PPPS..",
		"PP....",
		"..PP..",
		"..PP..",
		"......",
		"......",
	};

	check_table("bridge", 5, 5, c, SDC_K_DEFAULT, want);
}

static void
test_single_column_mirrors_row_totals(void)
{
	/* An r x 1 table: row totals are the cells and follow them. */
	static const long c[] = {4, 20, 30};
	static const char *const want[] = {
		"PP",
		"SS",
		"..",
		"..",
	};

	check_table("r x 1", 3, 1, c, SDC_K_DEFAULT, want);
}

static void
test_all_large_publishes_all(void)
{
	static const long c[] = {
		10, 20, 30,
		40, 11, 12,
	};
	static const char *const want[] = {
		"....",
		"....",
		"....",
	};

	check_table("large", 2, 3, c, SDC_K_DEFAULT, want);
}

static void
test_zero_never_complement(void)
{
	/*
	 * 6 is primary; its row offers 0, 0 and 11; its column 0 and 40.
	 * Zeros are skipped: 11 and 40 are taken, and their meeting cell 12
	 * closes the rectangle.
	 */
	static const long c[] = {
		 6,  0, 11,
		 0, 15,  0,
		40, 25, 12,
	};
	static const char *const want[] = {
		"P.S.",
		"....",
		"S.S.",
		"....",
	};

	check_table("zeros", 3, 3, c, SDC_K_DEFAULT, want);
}

int
main(void)
{
	test_textbook_rectangle();
	test_published_example_at_k5();
	test_margin_suppressed_when_line_has_no_cell();
	test_small_group_hidden_with_its_total();
	test_line_rule_not_enough_bridge();
	test_single_column_mirrors_row_totals();
	test_all_large_publishes_all();
	test_zero_never_complement();
	return test_done();
}
