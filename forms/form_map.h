/*
 * Mapping between versions of a form (docs/forms.md, "Versions"). A form
 * file may say, in "from", how the variables of each earlier version map
 * onto its own: which were renamed, which had their codes changed
 * (recoded), which were dropped, and which are new. Every other variable
 * is kept: same name, same type, same codes with the same labels.
 *
 * form_map_parse() reads the "from" member while the form is loaded
 * (syntax only: it cannot see the earlier version). form_mapper_new()
 * checks the mapping from one earlier version against that version's
 * form and, when every variable is accounted for, compiles it; so the
 * check that the collector runs at start, the one that --check-form
 * --previous runs, and the mapping the analysis applies to every row are
 * one piece of code. Nothing here touches SQLite.
 *
 * Errors follow the form library: 0 on success, -1 with every problem
 * appended to a struct diag, each naming the variable and the rule.
 */
#ifndef CANDOR_FORM_MAP_H
#define CANDOR_FORM_MAP_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "form.h"

struct form_map_rename {
	char *from, *to; /* old name, new name */
};

struct form_map_code {
	long from, to; /* old code, new code */
};

/* The codes of one variable of the earlier version, by its old name. */
struct form_map_recode {
	char *var;
	struct form_map_code *codes;
	size_t ncodes;
};

/* One entry of "from": how version `version` maps onto this one. */
struct form_map {
	long version;
	struct form_map_rename *renamed;
	size_t nrenamed;
	struct form_map_recode *recoded;
	size_t nrecoded;
	char **dropped; /* old names */
	size_t ndropped;
	char **added;   /* "new": names of this version only */
	size_t nadded;
};

/*
 * Parse the "from" array of a form of version `version` (file names the
 * file in messages). Sets *maps (free with form_map_free()) and *n.
 * Returns 0, or -1 with the problems in diag (then *maps is NULL).
 */
int form_map_parse(const char *file, json_t *from, long version,
    struct form_map **maps, size_t *n, struct diag *diag);
void form_map_free(struct form_map *maps, size_t n);

/* A checked mapping from one earlier version onto a form. */
struct form_mapper {
	const struct form *to, *from; /* borrowed: they must outlive it */
	long *src; /* [to->nitem_vars]: index into from->vars, or -1 */
	const struct form_map_recode **rec; /* [to->nitem_vars]: or NULL */
};

/*
 * Check the mapping of `to` (the file `name`) from the earlier form
 * `from` (same id, lower version) and compile it. Returns 0 and sets
 * *out (free with form_mapper_free()), or -1 with every problem in diag,
 * one per variable and rule, placed at "name: from[i]".
 */
int form_mapper_new(const struct form *to, const char *name,
    const struct form *from, struct form_mapper **out, struct diag *diag);
void form_mapper_free(struct form_mapper *m);
/*
 * Map the item answers in (answers to m->from) onto out (answers to
 * m->to, cleared by the caller); scores are not mapped: the caller
 * computes them with form_score() on the new form. Returns 0, or -1 when
 * memory runs out (free text).
 */
int form_mapper_apply(const struct form_mapper *m,
    const struct form_answers *in, struct form_answers *out);

#endif
