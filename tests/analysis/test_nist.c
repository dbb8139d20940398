/*
 * NIST Statistical Reference Datasets (StRD), certified values:
 *   univariate NumAcc1 .. NumAcc4: mean and standard deviation;
 *   linear regression Norris (36 observations, y = b0 + b1 x) and
 *   Longley (16 observations, 6 predictors, highly collinear):
 *   coefficients, their standard errors, residual SD and R^2.
 * Data and certified values are those of https://www.itl.nist.gov/
 * div898/strd/ (NumAcc2-4 are generated below from their definition: the
 * first value, then 500 alternating pairs).
 *
 * Tolerances (relative), chosen as apophenia's and PSPP's NIST tests do:
 * tight where the data allow, with the reason where they do not.
 *   NumAcc mean: 1e-15. NumAcc1 SD: 1e-15 (integers, exact).
 *   NumAcc2/3/4 SD: 1e-13 / 1e-9 / 1e-8. Values such as 10000000.1 are
 *     not representable: the stored doubles are off by up to 1e-9, which
 *     is 1e-8 of the 0.1 spread (NIST's "truncation error"). The errors
 *     measured, 3.5e-10 and 5.6e-9, are those of R's sd() on the same
 *     doubles to the last digit: the algorithm (long double, two pass)
 *     adds nothing.
 *   Norris: 1e-10 for the coefficients (the intercept, small beside the
 *     data, is off by 9e-13), 1e-12 for SEs, residual SD, RSS and R^2.
 *   Longley: 1e-10 for coefficients, SEs, residual SD and RSS (measured
 *     at most 2.2e-12, condition number ~1e8 on the raw scale; the
 *     usual thresholds are 1e-8 for Norris and 1e-6 for Longley), 1e-12
 *     for R^2.
 */
#include <math.h>
#include <stdint.h>

#include "stats.h"
#include "testlib.h"

static void
numacc(const char *name, double first, double lo, double hi, double mean,
    double sd, double tol_sd)
{
	static double x[1001];
	struct stats_desc d;

	x[0] = first;
	for (size_t i = 1; i < 1001; i += 2) {
		x[i] = lo;
		x[i + 1] = hi;
	}
	CHECK_INT(stats_describe(x, 1001, &d), STATS_RC_OK);
	CHECK_INT(d.n, 1001);
	CHECK_NEAR(d.mean, mean, 1e-15);
	CHECK_NEAR(d.sd, sd, tol_sd);
	if (!(fabs(d.sd - sd) <= tol_sd * sd))
		fprintf(stderr, "(that was %s)\n", name);
}

static void
test_numacc(void)
{
	const double acc1[3] = { 10000001, 10000003, 10000002 };
	uint64_t counts[3] = { 0 };
	struct stats_desc d;

	CHECK_INT(stats_describe(acc1, 3, &d), STATS_RC_OK);
	CHECK_NEAR(d.mean, 10000002.0, 1e-15);
	CHECK_NEAR(d.sd, 1.0, 1e-15);
	/* The counts path, with values starting at 10000001. */
	CHECK_INT(stats_tally(acc1, 3, 10000001, 3, counts), STATS_RC_OK);
	CHECK_INT(stats_describe_counts(10000001, counts, 3, &d), STATS_RC_OK);
	CHECK_NEAR(d.mean, 10000002.0, 1e-15);
	CHECK_NEAR(d.sd, 1.0, 1e-15);

	numacc("NumAcc2", 1.2, 1.1, 1.3, 1.2, 0.1, 1e-13);
	numacc("NumAcc3", 1000000.2, 1000000.1, 1000000.3, 1000000.2, 0.1, 1e-9);
	numacc("NumAcc4", 10000000.2, 10000000.1, 10000000.3, 10000000.2, 0.1,
	    1e-8);
}

/* Norris.dat: y (customer's ozone measurement), x (NIST's). */
static const double norris[36][2] = {
	{ 0.1, 0.2 }, { 338.8, 337.4 }, { 118.1, 118.2 }, { 888.0, 884.6 },
	{ 9.2, 10.1 }, { 228.1, 226.5 }, { 668.5, 666.3 }, { 998.5, 996.3 },
	{ 449.1, 448.6 }, { 778.9, 777.0 }, { 559.2, 558.2 }, { 0.3, 0.4 },
	{ 0.1, 0.6 }, { 778.1, 775.5 }, { 668.8, 666.9 }, { 339.3, 338.0 },
	{ 448.9, 447.5 }, { 10.8, 11.6 }, { 557.7, 556.0 }, { 228.3, 228.1 },
	{ 998.0, 995.8 }, { 888.8, 887.6 }, { 119.6, 120.2 }, { 0.3, 0.3 },
	{ 0.6, 0.3 }, { 557.6, 556.8 }, { 339.3, 339.1 }, { 888.0, 887.2 },
	{ 998.5, 999.0 }, { 778.9, 779.0 }, { 10.2, 11.1 }, { 117.6, 118.3 },
	{ 228.9, 229.2 }, { 668.4, 669.1 }, { 449.2, 448.9 }, { 0.2, 0.5 },
};

static void
test_norris(void)
{
	double y[36], x[36];
	struct stats_ols f;

	for (size_t i = 0; i < 36; i++) {
		y[i] = norris[i][0];
		x[i] = norris[i][1];
	}
	CHECK_INT(stats_ols(y, x, 36, 1, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	CHECK_NEAR(f.coef[0].est, -0.262323073774029, 1e-10);
	CHECK_NEAR(f.coef[1].est, 1.00211681802045, 1e-10);
	CHECK_NEAR(f.coef[0].se, 0.232818234301152, 1e-12);
	CHECK_NEAR(f.coef[1].se, 0.429796848199937E-03, 1e-12);
	CHECK_NEAR(f.sigma, 0.884796396144373, 1e-12);
	CHECK_NEAR(f.r2, 0.999993745883712, 1e-12);
	CHECK_NEAR(f.rss, 26.6173985294224, 1e-12);
	stats_ols_free(&f);
}

/* Longley.dat: y (total derived employment), x1 .. x6. */
static const double longley[16][7] = {
	{ 60323, 83.0, 234289, 2356, 1590, 107608, 1947 },
	{ 61122, 88.5, 259426, 2325, 1456, 108632, 1948 },
	{ 60171, 88.2, 258054, 3682, 1616, 109773, 1949 },
	{ 61187, 89.5, 284599, 3351, 1650, 110929, 1950 },
	{ 63221, 96.2, 328975, 2099, 3099, 112075, 1951 },
	{ 63639, 98.1, 346999, 1932, 3594, 113270, 1952 },
	{ 64989, 99.0, 365385, 1870, 3547, 115094, 1953 },
	{ 63761, 100.0, 363112, 3578, 3350, 116219, 1954 },
	{ 66019, 101.2, 397469, 2904, 3048, 117388, 1955 },
	{ 67857, 104.6, 419180, 2822, 2857, 118734, 1956 },
	{ 68169, 108.4, 442769, 2936, 2798, 120445, 1957 },
	{ 66513, 110.8, 444546, 4681, 2637, 121950, 1958 },
	{ 68655, 112.6, 482704, 3813, 2552, 123366, 1959 },
	{ 69564, 114.2, 502601, 3931, 2514, 125368, 1960 },
	{ 69331, 115.7, 518173, 4806, 2572, 127852, 1961 },
	{ 70551, 116.9, 554894, 4007, 2827, 130081, 1962 },
};

static void
test_longley(void)
{
	static const double b[7] = {
		-3482258.63459582, 15.0618722713733, -0.358191792925910E-01,
		-2.02022980381683, -1.03322686717359, -0.511041056535807E-01,
		1829.15146461355,
	};
	static const double se[7] = {
		890420.383607373, 84.9149257747669, 0.334910077722432E-01,
		0.488399681651699, 0.214274163161675, 0.226073200069370,
		455.478499142212,
	};
	double y[16], x[16 * 6];
	struct stats_ols f;

	for (size_t i = 0; i < 16; i++) {
		y[i] = longley[i][0];
		for (size_t j = 0; j < 6; j++)
			x[i * 6 + j] = longley[i][j + 1];
	}
	CHECK_INT(stats_ols(y, x, 16, 6, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	for (size_t j = 0; j < 7; j++) {
		CHECK_NEAR(f.coef[j].est, b[j], 1e-10);
		CHECK_NEAR(f.coef[j].se, se[j], 1e-10);
	}
	CHECK_NEAR(f.sigma, 304.854073561965, 1e-10);
	CHECK_NEAR(f.r2, 0.995479004577296, 1e-12);
	CHECK_NEAR(f.rss, 836424.055505915, 1e-10);
	stats_ols_free(&f);
}

int
main(void)
{
	test_numacc();
	test_norris();
	test_longley();
	return test_done();
}
