/*
 * The form versions a database holds (the form_version table, store.h)
 * joined to the form model (form_map.h): the one place that decides
 * whether a form may write to a database, and how each stored version's
 * rows are read. The collector calls form_versions_store() before it
 * serves, `analysis import` before it writes, and the analysis loads
 * form_versions_load() to decode every row with its own version.
 *
 * Rules (docs/forms.md, "Versions"):
 * - a version is stored once, as the exact bytes of its file; the same
 *   version with other bytes is refused;
 * - a form may be stored only when it maps every earlier stored version
 *   of its id onto itself (form_mapper_new()): through its own entry for
 *   that version when it has one, else through a chain of entries of the
 *   stored versions after it (v3 maps v2, whose stored form maps v1);
 * - rows of a version with no stored form (collected before the table
 *   existed) are decoded against the current form, as they always were.
 *
 * Errors: 0, or -1 with every problem in a struct diag (as form.h).
 */
#ifndef CANDOR_FORM_VERSIONS_H
#define CANDOR_FORM_VERSIONS_H

#include <stddef.h>

#include "diag.h"
#include "form.h"
#include "form_map.h"
#include "store.h"

/*
 * Check form f, whose file path holds the len bytes buf, against the
 * versions stored in s (the file dbname, for messages), and store it.
 * Returns 0 when it is stored (or was, with the same bytes), -1 when it is
 * refused (every problem in d) and -2 on a database error (the message
 * in d).
 */
int form_versions_store(struct store *s, const char *dbname,
    const struct form *f, const char *path, const char *buf, size_t len,
    struct diag *d);

#define FORM_CHAIN_MAX 64 /* mappings in one chain at most */

/* How the rows of one version are decoded. */
enum form_src_kind {
	FORM_SRC_CURRENT,  /* the current form's own version */
	FORM_SRC_MAPPED,   /* with its stored form, then mapped */
	FORM_SRC_UNSTORED, /* no stored form: against the current form */
	FORM_SRC__MAX
};

struct form_src {
	long version;
	long long rows;
	enum form_src_kind kind;
	int stored;                 /* the database has its form */
	unsigned char sha256[32];   /* of the stored form */
	const struct form *form;    /* FORM_SRC_MAPPED: the stored form */
	/*
	 * FORM_SRC_MAPPED: the mappings in order, steps[0] from this
	 * version, the last onto the current form; each step's ->to is the
	 * next one's ->from.
	 */
	struct form_mapper **steps;
	size_t nsteps;
};

struct form_versions {
	struct form_src *a; /* by version */
	size_t n;
	struct form **forms; /* every stored version but the current; owned */
	size_t nforms;
};

/*
 * Every version of f->id that has rows in s, with its decoder. Refused
 * (-1, problems in d): the current version stored with other bytes than
 * f's, rows of a stored version newer than f, and a stored earlier
 * version with rows that f does not map. -2: database error.
 */
int form_versions_load(struct store *s, const struct form *f,
    struct form_versions **out, struct diag *d);
/* The source of version v, or NULL (no rows of it were seen). */
const struct form_src *form_versions_find(const struct form_versions *fv,
    long v);
void form_versions_free(struct form_versions *fv);
/* "current", "mapped", "current form (no stored form)". */
const char *form_src_kind_name(enum form_src_kind k);

#endif
