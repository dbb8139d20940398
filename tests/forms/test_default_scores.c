/*
 * The scores of the default survey (forms/fibromyalgia-therapies.json),
 * computed by the scoring engine from hand-made answers and compared with
 * values worked out by hand: WPI, SSS and fibromyalgia severity sums, the
 * 2016 criteria at their edges (including the regions rule, where jaw,
 * chest and abdomen do not count), PEG-3 mean, PHQ-8/GAD-7 bands, the
 * PHQ-2/GAD-2 flags and the kratom use-pattern bands. An unanswered input
 * must leave a score without a value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "testlib.h"

static struct form *F;

/* Index of a variable; a missing one is a broken form, so stop here. */
static size_t
var(const char *name)
{
	long i = form_var_find(F, name);

	if (i < 0) {
		fprintf(stderr, "no variable \"%s\" in the default form\n", name);
		exit(1);
	}
	return (size_t)i;
}

/* Set a variable from its wire values (several only for a multiple). */
static void
set_vals(struct form_answers *a, const char *name, const char *const *vals,
    size_t n)
{
	size_t iv = var(name);
	const char *err = NULL;

	form_answers_clear(a, iv);
	if (form_value_parse(F, iv, vals, n, &a->v[iv], &err) != 0) {
		fprintf(stderr, "%s: cannot set: %s\n", name, err ? err : "?");
		test_failures++;
	}
}

static void
set(struct form_answers *a, const char *name, long value)
{
	char buf[32];
	const char *vals[1] = {buf};

	snprintf(buf, sizeof buf, "%ld", value);
	set_vals(a, name, vals, 1);
}

/* wpi_sites: the listed body sites (values 1..19, or 0 for none). */
static void
set_sites(struct form_answers *a, const long *sites, size_t n)
{
	char bufs[20][8];
	const char *vals[20];

	for (size_t i = 0; i < n && i < 20; i++) {
		snprintf(bufs[i], sizeof bufs[i], "%ld", sites[i]);
		vals[i] = bufs[i];
	}
	set_vals(a, "wpi_sites", vals, n);
}

/* The six SSS inputs: three 0-3 grid rows, then three yes/no items. */
static void
set_sss(struct form_answers *a, long fatigue, long unrefreshed,
    long cognitive, long headache, long abdominal, long depression)
{
	set(a, "sss_fatigue", fatigue);
	set(a, "sss_unrefreshed", unrefreshed);
	set(a, "sss_cognitive", cognitive);
	set(a, "sss_headache", headache);
	set(a, "sss_abdominal", abdominal);
	set(a, "sss_depression", depression);
}

/* Items prefix1..prefixN (0-3 each) filled in order to reach total. */
static void
set_total(struct form_answers *a, const char *prefix, int n, int max,
    int total)
{
	char name[FORM_VAR_MAX + 1];

	for (int i = 1; i <= n; i++) {
		int v = total > max ? max : total;
		total -= v;
		snprintf(name, sizeof name, "%s%d", prefix, i);
		set(a, name, v);
	}
}

static int
has_value(const struct form_answers *a, const char *name)
{
	return a->v[var(name)].set;
}

/* A score's value as a number; -999 when it has none (and that fails). */
static double
num(const struct form_answers *a, const char *name)
{
	size_t iv = var(name);

	if (!a->v[iv].set) {
		fprintf(stderr, "score %s has no value\n", name);
		test_failures++;
		return -999;
	}
	return form_value_number(F, iv, &a->v[iv]);
}

#define N(x) (sizeof(x) / sizeof((x)[0]))

/*
 * Fresh answers with the given sites, SSS inputs and sx_3months, scored.
 * The caller frees them.
 */
static struct form_answers *
fm_case(const long *sites, size_t nsites, const long sss[6], long sx3)
{
	struct form_answers *a = form_answers_new(F);

	if (a == NULL) {
		fprintf(stderr, "form_answers_new failed\n");
		exit(1);
	}
	set_sites(a, sites, nsites);
	set_sss(a, sss[0], sss[1], sss[2], sss[3], sss[4], sss[5]);
	set(a, "sx_3months", sx3);
	form_score(F, a);
	return a;
}

static void
wpi_sss_fs_sums(void)
{
	/* 7 sites; SSS 2+1+3 + 1+0+1 = 8; FS 15. */
	static const long sites[] = {1, 2, 3, 4, 5, 6, 7};
	static const long sss[6] = {2, 1, 3, 1, 0, 1};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 7);
	CHECK_INT(num(a, "sss"), 8);
	CHECK_INT(num(a, "fs"), 15);
	form_answers_free(a);
}

static void
wpi_none_is_zero(void)
{
	/* "No pain in any of these areas" is exclusive and not counted. */
	static const long sites[] = {0};
	static const long sss[6] = {0, 0, 0, 0, 0, 0};
	struct form_answers *a = fm_case(sites, N(sites), sss, 0);

	CHECK_INT(num(a, "wpi"), 0);
	CHECK_INT(num(a, "sss"), 0);
	CHECK_INT(num(a, "fs"), 0);
	CHECK_INT(num(a, "gp_regions"), 0);
	CHECK_INT(num(a, "fm_2016"), 0);
	form_answers_free(a);
}

static void
maximum_scores(void)
{
	/* Every site, every symptom at its worst: WPI 19, SSS 12, FS 31. */
	long sites[19];
	static const long sss[6] = {3, 3, 3, 1, 1, 1};
	struct form_answers *a;

	for (int i = 0; i < 19; i++)
		sites[i] = i + 1;
	a = fm_case(sites, N(sites), sss, 1);
	CHECK_INT(num(a, "wpi"), 19);
	CHECK_INT(num(a, "sss"), 12);
	CHECK_INT(num(a, "fs"), 31);
	CHECK_INT(num(a, "gp_regions"), 5);
	CHECK_INT(num(a, "fm_2016"), 1);
	form_answers_free(a);
}

static void
criteria_wpi7_sss5_meets(void)
{
	/* Left upper 3,5; right upper 4,6; left lower 9; right lower 10; axial 15. */
	static const long sites[] = {3, 4, 5, 6, 9, 10, 15};
	static const long sss[6] = {2, 2, 1, 0, 0, 0};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 7);
	CHECK_INT(num(a, "sss"), 5);
	CHECK_INT(num(a, "gp_regions"), 5);
	CHECK_INT(num(a, "fm_2016"), 1);
	form_answers_free(a);
}

static void
criteria_wpi6_sss8_fails(void)
{
	static const long sites[] = {3, 4, 9, 10, 15, 16};
	static const long sss[6] = {3, 3, 2, 0, 0, 0};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 6);
	CHECK_INT(num(a, "sss"), 8);
	CHECK_INT(num(a, "gp_regions"), 5);
	CHECK_INT(num(a, "fm_2016"), 0);
	form_answers_free(a);
}

static void
criteria_wpi6_sss9_meets(void)
{
	static const long sites[] = {3, 4, 9, 10, 15, 16};
	static const long sss[6] = {3, 3, 2, 1, 0, 0};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 6);
	CHECK_INT(num(a, "sss"), 9);
	CHECK_INT(num(a, "fm_2016"), 1);
	form_answers_free(a);
}

static void
criteria_wpi4_sss9_meets(void)
{
	/* One site in each limb region, none axial: exactly 4 regions. */
	static const long sites[] = {3, 4, 9, 10};
	static const long sss[6] = {3, 3, 2, 1, 0, 0};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 4);
	CHECK_INT(num(a, "sss"), 9);
	CHECK_INT(num(a, "gp_regions"), 4);
	CHECK_INT(num(a, "fm_2016"), 1);
	form_answers_free(a);
}

static void
criteria_wpi3_sss12_fails(void)
{
	/* Three sites can reach at most 3 regions, so both rules fail here. */
	static const long sites[] = {3, 4, 9};
	static const long sss[6] = {3, 3, 3, 1, 1, 1};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 3);
	CHECK_INT(num(a, "sss"), 12);
	CHECK_INT(num(a, "gp_regions"), 3);
	CHECK_INT(num(a, "fm_2016"), 0);
	form_answers_free(a);
}

static void
criteria_needs_3_months(void)
{
	long sites[19];
	static const long sss[6] = {3, 3, 3, 1, 1, 1};
	struct form_answers *a;

	for (int i = 0; i < 19; i++)
		sites[i] = i + 1;
	a = fm_case(sites, N(sites), sss, 0);
	CHECK_INT(num(a, "wpi"), 19);
	CHECK_INT(num(a, "sss"), 12);
	CHECK_INT(num(a, "fm_2016"), 0);
	form_answers_free(a);
}

static void
regions_jaw_chest_abdomen_not_counted(void)
{
	/* Jaw, chest, abdomen and one real region: WPI 5 but 1 region. */
	static const long sites[] = {1, 2, 18, 19, 3};
	static const long sss[6] = {3, 3, 3, 1, 1, 1};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 5);
	CHECK_INT(num(a, "gp_regions"), 1);
	CHECK_INT(num(a, "fm_2016"), 0);
	form_answers_free(a);
}

static void
regions_only_via_excluded_sites_fail(void)
{
	/*
	 * Left and right jaw would give both upper regions and chest or
	 * abdomen the axial one if they counted (5 regions); really only
	 * the two lower regions count. WPI 7 and SSS 5 are otherwise met.
	 */
	static const long sites[] = {1, 2, 18, 19, 9, 10, 11};
	static const long sss[6] = {2, 2, 1, 0, 0, 0};
	struct form_answers *a = fm_case(sites, N(sites), sss, 1);

	CHECK_INT(num(a, "wpi"), 7);
	CHECK_INT(num(a, "sss"), 5);
	CHECK_INT(num(a, "gp_regions"), 2);
	CHECK_INT(num(a, "fm_2016"), 0);
	form_answers_free(a);
}

static void
unanswered_input_gives_no_value(void)
{
	static const long sites[] = {3, 4, 5, 6, 9, 10, 15};
	struct form_answers *a = form_answers_new(F);

	/* sx_3months unanswered: criteria unknown, no value. */
	set_sites(a, sites, N(sites));
	set_sss(a, 2, 2, 1, 0, 0, 0);
	form_score(F, a);
	CHECK_INT(num(a, "wpi"), 7);
	CHECK_INT(num(a, "sss"), 5);
	CHECK(!has_value(a, "fm_2016"));

	/* One SSS input unanswered: no SSS, no FS, no criteria. */
	form_answers_clear(a, var("sss_depression"));
	set(a, "sx_3months", 1);
	form_score(F, a);
	CHECK(!has_value(a, "sss"));
	CHECK(!has_value(a, "fs"));
	CHECK(!has_value(a, "fm_2016"));
	CHECK_INT(num(a, "wpi"), 7);

	/* ... but a false part decides the criteria anyway. */
	set(a, "sx_3months", 0);
	form_score(F, a);
	CHECK_INT(num(a, "fm_2016"), 0);

	/* No body sites: no WPI, no regions. */
	form_answers_clear(a, var("wpi_sites"));
	set(a, "sss_depression", 0);
	form_score(F, a);
	CHECK(!has_value(a, "wpi"));
	CHECK(!has_value(a, "gp_regions"));
	CHECK(!has_value(a, "fs"));
	CHECK_INT(num(a, "sss"), 5);

	/* Nothing at all: no score has a value. */
	form_answers_free(a);
	a = form_answers_new(F);
	form_score(F, a);
	for (size_t i = F->nitem_vars; i < F->nvars; i++)
		CHECK(!a->v[i].set);
	form_answers_free(a);
}

static void
peg_mean_exact(void)
{
	struct form_answers *a = form_answers_new(F);

	set(a, "peg_pain", 7);
	set(a, "peg_enjoy", 5);
	set(a, "peg_activity", 6);
	form_score(F, a);
	CHECK_NEAR(num(a, "peg"), 6.0, 1e-12);

	set(a, "peg_pain", 3);
	set(a, "peg_enjoy", 4);
	set(a, "peg_activity", 4);
	form_score(F, a);
	CHECK_NEAR(num(a, "peg"), 11.0 / 3.0, 1e-12);

	set(a, "peg_pain", 10);
	set(a, "peg_enjoy", 10);
	set(a, "peg_activity", 10);
	form_score(F, a);
	CHECK_NEAR(num(a, "peg"), 10.0, 1e-12);

	form_answers_clear(a, var("peg_enjoy"));
	form_score(F, a);
	CHECK(!has_value(a, "peg"));
	form_answers_free(a);
}

static void
phq8_band_boundaries(void)
{
	static const struct {
		int total, band;
	} cases[] = {{0, 0}, {4, 0}, {5, 1}, {9, 1}, {10, 2}, {14, 2},
	    {15, 3}, {19, 3}, {20, 4}, {24, 4}};

	for (size_t i = 0; i < N(cases); i++) {
		struct form_answers *a = form_answers_new(F);
		set_total(a, "phq8_", 8, 3, cases[i].total);
		form_score(F, a);
		CHECK_INT(num(a, "phq8"), cases[i].total);
		CHECK_INT(num(a, "phq8_band"), cases[i].band);
		form_answers_free(a);
	}
}

static void
phq2_flag_at_3(void)
{
	struct form_answers *a = form_answers_new(F);

	set_total(a, "phq8_", 8, 3, 0);
	set(a, "phq8_1", 1);
	set(a, "phq8_2", 1);
	form_score(F, a);
	CHECK_INT(num(a, "phq2"), 2);
	CHECK_INT(num(a, "phq2_flag"), 0);

	set(a, "phq8_2", 2);
	form_score(F, a);
	CHECK_INT(num(a, "phq2"), 3);
	CHECK_INT(num(a, "phq2_flag"), 1);

	/* Only items 1 and 2 count: the rest may be high. */
	set(a, "phq8_1", 0);
	set(a, "phq8_2", 0);
	for (int i = 3; i <= 8; i++) {
		char name[16];
		snprintf(name, sizeof name, "phq8_%d", i);
		set(a, name, 3);
	}
	form_score(F, a);
	CHECK_INT(num(a, "phq2"), 0);
	CHECK_INT(num(a, "phq2_flag"), 0);
	CHECK_INT(num(a, "phq8"), 18);
	CHECK_INT(num(a, "phq8_band"), 3);
	form_answers_free(a);
}

static void
gad7_bands_and_gad2_flag(void)
{
	static const struct {
		int total, band;
	} cases[] = {{0, 0}, {4, 0}, {5, 1}, {9, 1}, {10, 2}, {14, 2},
	    {15, 3}, {21, 3}};
	struct form_answers *a;

	for (size_t i = 0; i < N(cases); i++) {
		a = form_answers_new(F);
		set_total(a, "gad7_", 7, 3, cases[i].total);
		form_score(F, a);
		CHECK_INT(num(a, "gad7"), cases[i].total);
		CHECK_INT(num(a, "gad7_band"), cases[i].band);
		form_answers_free(a);
	}

	a = form_answers_new(F);
	set_total(a, "gad7_", 7, 3, 0);
	set(a, "gad7_1", 2);
	form_score(F, a);
	CHECK_INT(num(a, "gad2"), 2);
	CHECK_INT(num(a, "gad2_flag"), 0);
	set(a, "gad7_2", 1);
	form_score(F, a);
	CHECK_INT(num(a, "gad2"), 3);
	CHECK_INT(num(a, "gad2_flag"), 1);
	form_answers_free(a);
}

static void
kratom_pattern_bands(void)
{
	static const struct {
		int yes, band;
	} cases[] = {{0, 0}, {1, 0}, {2, 1}, {3, 1}, {4, 2}, {5, 2}, {6, 3},
	    {11, 3}};

	for (size_t i = 0; i < N(cases); i++) {
		struct form_answers *a = form_answers_new(F);
		set_total(a, "kratom_ud", 11, 1, cases[i].yes);
		form_score(F, a);
		CHECK_INT(num(a, "kratom_ud_count"), cases[i].yes);
		CHECK_INT(num(a, "kratom_ud_band"), cases[i].band);
		form_answers_free(a);
	}
}

int
main(void)
{
	char path[4096];
	struct diag d;

	diag_init(&d);
	test_src_path("forms/fibromyalgia-therapies.json", path, sizeof path);
	if (form_load(path, &F, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		CHECK(!"the default form loads");
		return test_done();
	}
	diag_free(&d);
	CHECK_STR(F->id, "fibromyalgia-therapies");

	wpi_sss_fs_sums();
	wpi_none_is_zero();
	maximum_scores();
	criteria_wpi7_sss5_meets();
	criteria_wpi6_sss8_fails();
	criteria_wpi6_sss9_meets();
	criteria_wpi4_sss9_meets();
	criteria_wpi3_sss12_fails();
	criteria_needs_3_months();
	regions_jaw_chest_abdomen_not_counted();
	regions_only_via_excluded_sites_fail();
	unanswered_input_gives_no_value();
	peg_mean_exact();
	phq8_band_boundaries();
	phq2_flag_at_3();
	gad7_bands_and_gad2_flag();
	kratom_pattern_bands();

	form_free(F);
	return test_done();
}
