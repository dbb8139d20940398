/*
 * The analysis plan (docs/plans.md): which outcomes are described and
 * compared, between which groups, adjusted for which covariates, with
 * which disclosure threshold k, alpha and multiplicity method. A plan is a
 * JSON file; without one the analysis builds a default plan for the form
 * (plan_default()) as JSON text and loads it through the same parser, so
 * both paths are validated and hashed alike.
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
};

struct plan_covariate {
	size_t ivar;
	enum plan_coding coding;
};

struct plan {
	size_t *outcomes; /* variable indexes */
	size_t noutcomes;
	struct plan_group *groups;
	size_t ngroups;
	struct plan_covariate *covs;
	size_t ncovs;
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
