/*
 * The rest of sdc.h: group and summary thresholds, percentages (hidden
 * with their cell or their base), table creation limits, accessors of the
 * extended matrix, and the messages.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "sdc.h"
#include "testlib.h"

static void
test_group_and_summary_thresholds(void)
{
	CHECK(sdc_group_ok(10, SDC_K_DEFAULT));
	CHECK(!sdc_group_ok(9, SDC_K_DEFAULT));
	CHECK(sdc_group_ok(5, SDC_K_MIN));
	CHECK(!sdc_group_ok(0, SDC_K_MIN));
	CHECK(sdc_summary_ok(10, SDC_K_DEFAULT));
	CHECK(!sdc_summary_ok(9, SDC_K_DEFAULT));
	CHECK(!sdc_summary_ok(-1, SDC_K_DEFAULT));
}

static void
test_group_bad_k_fails_closed(void)
{
	CHECK(!sdc_group_ok(1000, 4));
	CHECK(!sdc_group_ok(1000, 0));
	CHECK(!sdc_summary_ok(1000, 4));
	CHECK(!sdc_summary_ok(1000, -3));
}

/* 1 x 5: 3 primary, 15 its complement; the total 78 published. */
static struct sdc_table *
oneway(void)
{
	static const long c[] = {3, 15, 20, 0, 40};
	struct sdc_table *t = NULL;

	CHECK_INT(sdc_table_create(1, 5, &t), SDC_OK);
	if (t == NULL)
		return NULL;
	memcpy(t->cell, c, sizeof(c));
	return t;
}

static void
test_percent_of_published_cells(void)
{
	struct sdc_table *t = oneway();
	double pct;

	if (t == NULL)
		return;
	CHECK_INT(sdc_suppress(t, SDC_K_DEFAULT), SDC_OK);
	CHECK_INT(sdc_percent(t, 0, 2, SDC_BASE_ROW, &pct), SDC_OK);
	CHECK_NEAR(pct, 100.0 * 20 / 78, 1e-12);
	CHECK_INT(sdc_percent(t, 0, 2, SDC_BASE_GRAND, &pct), SDC_OK);
	CHECK_NEAR(pct, 100.0 * 20 / 78, 1e-12);
	/* A published zero is 0 %. */
	CHECK_INT(sdc_percent(t, 0, 3, SDC_BASE_ROW, &pct), SDC_OK);
	CHECK_NEAR(pct, 0.0, 0);
	/* The total over itself. */
	CHECK_INT(sdc_percent(t, 0, 5, SDC_BASE_ROW, &pct), SDC_OK);
	CHECK_NEAR(pct, 100.0, 1e-12);
	sdc_table_destroy(t);
}

static void
test_percent_bad_of_suppressed_cell(void)
{
	struct sdc_table *t = oneway();
	double pct = 0;

	if (t == NULL)
		return;
	CHECK_INT(sdc_suppress(t, SDC_K_DEFAULT), SDC_OK);
	CHECK_INT(sdc_percent(t, 0, 0, SDC_BASE_ROW, &pct), SDC_ESUPPRESSED);
	CHECK(isnan(pct));
	CHECK_INT(sdc_percent(t, 0, 1, SDC_BASE_GRAND, &pct),
	    SDC_ESUPPRESSED);
	CHECK(isnan(pct));
	sdc_table_destroy(t);
}

static void
test_percent_bad_over_suppressed_base(void)
{
	/*
	 * test_sdc_twoway.c's margins case: row 1 (12, 0, 0) has its total
	 * hidden. Its published 0 may not be shown as a share of that total
	 * (the share of 0 is harmless, but of a non-zero published count it
	 * would give the total away; one rule for all).
	 */
	static const long c[] = {4, 30, 50, 12, 0, 0, 40, 60, 35};
	struct sdc_table *t = NULL;
	double pct;

	CHECK_INT(sdc_table_create(3, 3, &t), SDC_OK);
	if (t == NULL)
		return;
	memcpy(t->cell, c, sizeof(c));
	CHECK_INT(sdc_suppress(t, SDC_K_DEFAULT), SDC_OK);
	CHECK_INT(sdc_state_at(t, 1, 3), SDC_SECONDARY);
	CHECK_INT(sdc_percent(t, 1, 1, SDC_BASE_ROW, &pct), SDC_ESUPPRESSED);
	/* Column A's total (56) is published, and so is 40 in it. */
	CHECK_INT(sdc_percent(t, 2, 0, SDC_BASE_COL, &pct), SDC_OK);
	CHECK_NEAR(pct, 100.0 * 40 / 56, 1e-12);
	sdc_table_destroy(t);
}

static void
test_percent_bad_zero_base(void)
{
	static const long c[] = {0, 0, 20, 30};
	struct sdc_table *t = NULL;
	double pct = 0;

	CHECK_INT(sdc_table_create(2, 2, &t), SDC_OK);
	if (t == NULL)
		return;
	memcpy(t->cell, c, sizeof(c));
	CHECK_INT(sdc_suppress(t, SDC_K_DEFAULT), SDC_OK);
	CHECK_INT(sdc_percent(t, 0, 0, SDC_BASE_ROW, &pct), SDC_EZERO);
	CHECK(isnan(pct));
	CHECK_INT(sdc_percent(t, 1, 0, SDC_BASE_ROW, &pct), SDC_OK);
	CHECK_NEAR(pct, 40.0, 1e-12);
	sdc_table_destroy(t);
}

static void
test_percent_bad_arguments(void)
{
	struct sdc_table *t = oneway();
	double pct;

	if (t == NULL)
		return;
	/* Not yet suppressed: nothing is publishable. */
	CHECK_INT(sdc_percent(t, 0, 2, SDC_BASE_ROW, &pct), SDC_ESUPPRESSED);
	CHECK_INT(sdc_suppress(t, SDC_K_DEFAULT), SDC_OK);
	CHECK_INT(sdc_percent(t, 2, 0, SDC_BASE_ROW, &pct), SDC_EINVAL);
	CHECK_INT(sdc_percent(t, 0, 6, SDC_BASE_ROW, &pct), SDC_EINVAL);
	CHECK_INT(sdc_percent(t, 0, 2, SDC_BASE__MAX, &pct), SDC_EINVAL);
	CHECK_INT(sdc_percent(t, 0, 2, SDC_BASE_ROW, NULL), SDC_EINVAL);
	CHECK_INT(sdc_percent(NULL, 0, 2, SDC_BASE_ROW, &pct), SDC_EINVAL);
	sdc_table_destroy(t);
}

static void
test_create_limits(void)
{
	struct sdc_table *t = (struct sdc_table *)&t; /* not NULL */

	CHECK_INT(sdc_table_create(0, 3, &t), SDC_EINVAL);
	CHECK(t == NULL);
	CHECK_INT(sdc_table_create(3, 0, &t), SDC_EINVAL);
	CHECK_INT(sdc_table_create(SDC_DIM_MAX + 1, 1, &t), SDC_EINVAL);
	CHECK_INT(sdc_table_create(1, SDC_DIM_MAX + 1, &t), SDC_EINVAL);
	CHECK_INT(sdc_table_create((size_t)-1, (size_t)-1, &t), SDC_EINVAL);
	CHECK_INT(sdc_table_create(2, 2, NULL), SDC_EINVAL);
	CHECK_INT(sdc_suppress(NULL, SDC_K_DEFAULT), SDC_EINVAL);
	sdc_table_destroy(NULL);
}

static void
test_new_table_fails_closed(void)
{
	struct sdc_table *t = NULL;
	size_t i, j;

	CHECK_INT(sdc_table_create(2, 3, &t), SDC_OK);
	if (t == NULL)
		return;
	for (i = 0; i <= 2; i++)
		for (j = 0; j <= 3; j++) {
			CHECK_INT(sdc_state_at(t, i, j), SDC_PRIMARY);
			CHECK_INT(sdc_value(t, i, j), 0);
		}
	CHECK_INT(t->k, 0);
	sdc_table_destroy(t);
}

static void
test_extended_accessors(void)
{
	static const long c[] = {11, 12, 13, 14, 15, 16};
	struct sdc_table *t = NULL;

	CHECK_INT(sdc_table_create(2, 3, &t), SDC_OK);
	if (t == NULL)
		return;
	memcpy(t->cell, c, sizeof(c));
	CHECK_INT(sdc_suppress(t, SDC_K_DEFAULT), SDC_OK);
	CHECK_INT(sdc_value(t, 1, 2), 16);
	CHECK_INT(sdc_value(t, 0, 3), 36);  /* row total */
	CHECK_INT(sdc_value(t, 2, 1), 27);  /* column total */
	CHECK_INT(sdc_value(t, 2, 3), 81);  /* grand total */
	CHECK_INT(sdc_state_at(t, 2, 3), SDC_PUBLISHED);
	CHECK_INT(sdc_value(t, 3, 0), -1);
	CHECK_INT(sdc_value(t, 0, 4), -1);
	CHECK_INT(sdc_state_at(t, 3, 0), SDC_PRIMARY);
	CHECK_INT(sdc_value(NULL, 0, 0), -1);
	sdc_table_destroy(t);
}

static void
test_messages(void)
{
	int rc;

	for (rc = 0; rc > -SDC_RC__MAX; rc--) {
		CHECK(sdc_strerror(rc) != NULL);
		CHECK(strcmp(sdc_strerror(rc), "unknown error") != 0);
	}
	CHECK_STR(sdc_strerror(SDC_EK), "threshold k below the minimum of 5");
	CHECK_STR(sdc_strerror(1), "unknown error");
	CHECK_STR(sdc_strerror(-SDC_RC__MAX), "unknown error");
	CHECK_STR(sdc_state_name(SDC_PUBLISHED), "published");
	CHECK_STR(sdc_state_name(SDC_PRIMARY), "primary");
	CHECK_STR(sdc_state_name(SDC_SECONDARY), "secondary");
	CHECK_STR(sdc_state_name(SDC_STATE__MAX), "unknown");
}

int
main(void)
{
	test_group_and_summary_thresholds();
	test_group_bad_k_fails_closed();
	test_percent_of_published_cells();
	test_percent_bad_of_suppressed_cell();
	test_percent_bad_over_suppressed_base();
	test_percent_bad_zero_base();
	test_percent_bad_arguments();
	test_create_limits();
	test_new_table_fails_closed();
	test_extended_accessors();
	test_messages();
	return test_done();
}
