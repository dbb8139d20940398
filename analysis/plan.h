/*
 * The analysis plan (docs/plans.md): which outcomes are described and
 * compared, between which groups, adjusted for which covariates, with
 * which disclosure threshold k, alpha and multiplicity method. A plan is a
 * JSON file; without one the analysis builds a default plan for the form
 * (plan_default()) as JSON text and loads it through the same parser, so
 * both paths are validated and hashed alike.
 *
 * Besides groups of two, a plan may hold paired (within-respondent)
 * comparisons of two numeric answers, k-group factors (the levels of one
 * categorical variable) and stratifying variables for the binary
 * comparisons (Mantel-Haenszel); docs/plans.md has the keys.
 *
 * Group conditions use a subset of the form condition language
 * (docs/forms.md): {"var", "eq"|"ne"|"lt"|"le"|"gt"|"ge": N},
 * {"var", "in": [N...]}, {"var", "has": N}, {"var", "answered": B},
 * {"all": [...]}, {"any": [...]}, {"not": C}, with the same three-valued
 * logic: a respondent whose condition is unknown is in neither group.
 */
#ifndef CANDOR_PLAN_H
#define CANDOR_PLAN_H

#include <stddef.h>

#include "dataset.h"
#include "diag.h"
#include "form.h"

#define PLAN_MAX_BYTES (1 << 20) /* a plan file larger than this is refused */
#define PLAN_MAX_LIST 256        /* outcomes, groups, covariates each */
#define PLAN_MAX_PAIRED 64       /* paired comparisons */
#define PLAN_MAX_FACTORS 16      /* k-group factors */
#define PLAN_MAX_LEVELS 8        /* levels of a factor */
#define PLAN_MAX_STRATA 4        /* stratifying variables */

enum plan_padj { PLAN_HOLM, PLAN_BH, PLAN_PADJ__MAX };

enum plan_coding {
	PLAN_NUMERIC, /* the variable's value as one predictor */
	PLAN_DUMMIES, /* one 0/1 predictor per observed code but the lowest */
	PLAN_CODING__MAX
};

struct plan_cond; /* opaque, see plan_cond_eval() */

struct plan_group {
	char *name;  /* [a-z0-9_]{1,64} */
	char *label; /* free wording of the analyst; may be NULL */
	char *a_label, *b_label; /* short names of the two groups */
	struct plan_cond *a, *b;
	/*
	 * A group the loader made for a factor: two of its levels
	 * (factors[factor].levels[la] vs [lb]). from_factor 0: the plan's.
	 */
	int from_factor;
	size_t factor, la, lb;
};

struct plan_covariate {
	size_t ivar;
	enum plan_coding coding;
};

/*
 * A within-respondent comparison of two numeric answers (x minus y),
 * among the respondents who gave both.
 */
struct plan_paired {
	char *name;  /* [a-z0-9_]{1,64}, unique among paired comparisons */
	char *label; /* may be NULL */
	size_t x, y; /* variable indexes, x != y */
};

/*
 * A k-group factor: every outcome compared across the levels of one
 * categorical variable. levels lists the codes compared, in order
 * (2..PLAN_MAX_LEVELS of them); without "levels" in the file they are
 * every code of the form that is not a missing code (yes/no and criteria:
 * 1 then 0), and more than PLAN_MAX_LEVELS is a problem. The loader adds
 * one group per pair of levels ("<name>_<code>_vs_<code>", a = the first
 * level, b = the second; from_factor set), so every pair is a two-group
 * comparison like the plan's own groups, and the report adds the k-group
 * tests over all levels.
 */
struct plan_factor {
	char *name;  /* unique among factors */
	char *label; /* may be NULL */
	size_t ivar;
	long levels[PLAN_MAX_LEVELS];
	size_t nlevels;
};

struct plan {
	size_t *outcomes; /* variable indexes */
	size_t noutcomes;
	struct plan_group *groups;
	size_t ngroups;
	struct plan_covariate *covs;
	size_t ncovs;
	struct plan_paired *paired;
	size_t npaired;
	struct plan_factor *factors;
	size_t nfactors;
	size_t strata[PLAN_MAX_STRATA]; /* categorical variables: binary
	                                   comparisons also by stratum */
	size_t nstrata;
	int correlations; /* Spearman's rho between numeric outcomes */
	long k;
	double alpha;
	enum plan_padj padj;
	int has_k; /* k came from the file */
	unsigned char sha256[32]; /* of the plan's bytes */
	char *source; /* file name, or "(default plan)" */
};

/*
 * Load a plan for form f from path. Returns 0 and sets *out (free with
 * plan_free()), or -1 with every problem appended to diag as
 * "PATH: JSON-PATH: rule".
 */
int plan_load(const char *path, const struct form *f, struct plan **out,
    struct diag *diag);
/* The same from a buffer; name is used in messages. */
int plan_load_buffer(const char *name, const char *buf, size_t len,
    const struct form *f, struct plan **out, struct diag *diag);
/*
 * The default plan's JSON for form f (outcomes, groups and covariates of
 * the default survey that exist in f). Returns a malloc'd string or NULL.
 */
char *plan_default_json(const struct form *f);
void plan_free(struct plan *p);

/* Evaluate a group condition on row r: FORM_TRUE, FORM_FALSE, FORM_UNKNOWN. */
enum form_tri plan_cond_eval(const struct plan_cond *c,
    const struct dataset *d, size_t r);

const char *plan_padj_name(enum plan_padj m);

/*
 * Does condition c read one variable only, and not as a multiple choice
 * ("has")? Then 1 with its index in *iv, else 0. The gate (gate.h) uses
 * it: such a group is a union of that variable's answers, so its size is
 * a sum of cells of the variable's table.
 */
int plan_cond_single_var(const struct plan_cond *c, size_t *iv);
/*
 * Evaluate a single-variable condition (plan_cond_single_var()) for one
 * value of its variable: set (answered at all), known (set and not a
 * missing code) and its number x.
 */
enum form_tri plan_cond_eval_value(const struct plan_cond *c, int set,
    int known, double x);

#endif
