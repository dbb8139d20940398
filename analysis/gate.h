/*
 * The publication gate: every number that leaves Candor passes here. The
 * report, the aggregate export and the API's summary releases are one
 * release model (release.h) built by report_build(), which hands it to
 * gate_release() before anything is written or served; the API's release
 * spacing rule for every kind of release is gate_release_due().
 *
 * The attacker. Someone who holds every number of the release (the JSON's
 * 15 digits, not the HTML's 3), the form file and the plan, and knows how
 * the release is made. The gate models what such a person can solve:
 * every count is an integer unknown, per variable one per answer value
 * (missing codes and "no answer" included), and per comparison one per
 * (group a, group b, everyone else) x value; the published numbers are
 * constraints on them:
 *   - table cells, totals, n, missing, rows analysed: linear equalities;
 *     a hidden cell is >= 1 (zeros are published), a "< k" count is in
 *     1..k-1;
 *   - mean and SD of an integer-valued variable: the sum and the sum of
 *     squares, linear in the counts (an interval when rounded);
 *   - median and quartiles: rank constraints on the cumulative counts;
 *     min and max: the cells outside them are 0, theirs are >= 1;
 *   - group sizes: a group defined on one variable is a sum of its cells;
 *   - derived scores that are a function of one variable (criteria such as
 *     pain >= 7, bands of a score): their cells are sums of its cells;
 *   - sum scores: the sum of a score's values is the sum of its items'
 *     values (an item's atoms, or the ticked options of a multiple
 *     choice), whenever that holds in the data (no prorated rows), so a
 *     score's table or mean is audited together with its items' tables;
 *   - follow-up questions: the rows that answered an item shown only on a
 *     condition of one variable (its page's and its own show_if) are among
 *     the rows that meet it, and all of them when the item is required, so
 *     a follow-up's total counts the answer that shows it (where the data
 *     keep the rule; a multiple choice counts when one option decides).
 *     Where joining the two would make an integer program of more than
 *     GATE_JOIN_MAX columns (a list of therapies and every follow-up), the
 *     side whose count is published exactly is a constant in the other's
 *     program, and when neither is, the follow-up's n, total and
 *     percentages are withheld by rule;
 *   - each group's own n, mean, SD and quartiles, and the split of every
 *     value into the two groups and the rest (the residual group);
 *   - a comparison's table cells; Welch, Hedges and Mann-Whitney figures
 *     (the last is not linear: each candidate solution is recomputed).
 * For every hidden cell and "< k" count (a "protected count") it solves,
 * with GLPK's integer solver, for its least and greatest value over all
 * integer solutions, and checks each solution by recomputing every
 * published number that is not linear in the counts (rounded means and
 * SDs, intervals, Mann-Whitney). The release passes only when every
 * protected count keeps at least gate_min_values(k) feasible values, each
 * shown by a checked solution (the true data is one).
 *
 * When a count is not protected the gate withholds, in order of the
 * information lost, until it is: more suppression in the table itself;
 * rounding the mean, SD and interval to a precision that follows from n
 * (the table pass leaves follow-up links out, so each table is first
 * suppressed on its own);
 * the Mann-Whitney figures; the mean and SD; the quantiles; a comparison's
 * statistics or table; a group; the variable's n (with, for a table with
 * a hidden cell that not everyone answers, its total and percentages); the
 * variable. Residual
 * groups and differences of groups of 0 < n < k respondents are withheld
 * by rule (their numbers would be the whole minus the parts), and so are
 * adjusted models whose crude comparison is not published or whose
 * complete cases differ from it by 0 < n < k respondents. Every step is a
 * note in the model, in plain words.
 *
 * The tracker. With a ledger (gate_ledger), a group whose membership
 * differs from a group of an earlier release on the same data by
 * 0 < n < k respondents is withheld, naming that release; the membership
 * of every group published is returned for the caller to record.
 *
 * Not covered, by design (docs/analysis.md): joint distributions that no
 * table publishes (which items sum to which score, a condition over two
 * variables), sum scores with a prorated row or an item without its own
 * table, mean scores, follow-ups on conditions over two variables, variables histogrammed over ranges (their bins are merged
 * until none is hidden instead), and an attacker who adds or withdraws
 * responses himself (see docs/api.md). Row-level exports are not
 * aggregates and keep their own k-anonymity rules (export.h).
 *
 * Errors: GATE_OK (0) or a negative enum gate_rc, with a message.
 */
#ifndef CANDOR_GATE_H
#define CANDOR_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "form.h"
#include "plan.h"
#include "release.h"

enum gate_rc {
	GATE_OK = 0,
	GATE_ENOMEM = -1,
	GATE_ESOLVER = -2, /* GLPK failed in a way that is not "unprotected" */
	GATE_EINVAL = -3
};

/*
 * The membership of one side of a published group, as a bit per row of
 * the data (rows in response id order). A ledger entry is compared only
 * with a release on the same data (the same data SHA-256), where row r is
 * the same response; the bits are a function of the data and the plan,
 * which the release names, so they reveal nothing the release and the
 * database do not, and without the database they name no one.
 */
struct gate_members {
	char *release; /* the ledger name of the release ("3 of 2026-12-03") */
	char *group;   /* plan group name */
	int side;      /* 1: a, 2: b */
	uint8_t *bits; /* (nrows + 7) / 8 bytes */
	size_t nrows;
};

struct gate_ledger {
	/* in: the groups of earlier releases on the same data */
	const struct gate_members *prior;
	size_t nprior;
	const char *release; /* the name this release will have */
	/* out: the groups this release publishes (gate_ledger_clear() frees) */
	struct gate_members *out;
	size_t nout;
};

void gate_ledger_clear(struct gate_ledger *l);
void gate_members_free(struct gate_members *m);

/* The protection interval: max(3, k / 3) feasible values. */
long gate_min_values(long k);

/*
 * Audit model m (built from d under plan p with threshold k) as a whole
 * and change it until it may be published: states of numbers, rounding,
 * notes (release.h). m->min_values is set. ledger may be NULL.
 */
int gate_release(const struct form *f, const struct dataset *d,
    const struct plan *p, long k, struct gate_ledger *ledger,
    struct rel_report *m, char *err, size_t errsz);

/*
 * May a new release of any kind be made? Yes when there is none yet
 * (have_last 0), when the form's change counter has moved by at least k
 * since the latest release of any kind, or not at all (the same data).
 */
int gate_release_due(long long changes_now, int have_last,
    long long last_changes_at, long k);

/* Counters of the last gate_release() on this thread, for benchmarks. */
struct gate_counters {
	unsigned long components, protected_counts, ilps, steps;
	double seconds; /* the gate's own time (a clock read, not an input) */
};
void gate_last_counters(struct gate_counters *out);

#endif
