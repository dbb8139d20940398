/*
 * Stored form versions and the form model (form_versions.h). Both entry
 * points first load every stored version of the form (a stored form is
 * loaded from its bytes exactly as from its file), then look, for each
 * earlier one, for a chain of mappings up to the given form: its own
 * entry for that version when it has one (then that entry must hold),
 * else its entry for a later stored version whose own stored form maps
 * the earlier one, and so on. So a form need only map the version before
 * it, and the check that refuses a form is the one that reads the rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_versions.h"

#define CHAIN_MAX FORM_CHAIN_MAX

struct walk {
	const struct form *f;
	const char *path, *dbname;
	struct diag *d;
	struct form_versions *fv; /* the versions, and the stored forms */
	size_t cap;               /* of fv->a */
	/*
	 * While one version is searched for: dead[i] is set once no chain
	 * leads from it to fv->forms[i], which does not depend on how that
	 * form was reached, so no form is tried twice (else the search
	 * could take time exponential in the number of versions).
	 */
	unsigned char dead[FORM_CHAIN_MAX * 4];
	int refused, nomem;
};

/* Load a stored version; NULL (a problem in d) when it does not load. */
static struct form *
load_stored(struct walk *w, const struct store_form *sf)
{
	char name[512];
	struct form *old = NULL;
	struct diag dl;

	snprintf(name, sizeof(name), "%s: form %s version %ld", w->dbname,
	    sf->form_id, sf->version);
	diag_init(&dl);
	if (form_load_buffer(name, sf->body, sf->len, &old, &dl) != 0) {
		/* Defensive: it loaded when it was stored. */
		diag_add(w->d, name, "the stored form no longer loads: %s",
		    dl.n > 0 ? dl.a[0].what : "?");
		old = NULL;
	}
	diag_free(&dl);
	return old;
}

/* Does t have a "from" entry for version v? */
static int
has_entry(const struct form *t, long v)
{
	for (size_t i = 0; i < t->nmaps; i++)
		if (t->maps[i].version == v)
			return 1;
	return 0;
}

static void
steps_free(struct form_mapper **steps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		form_mapper_free(steps[i]);
}

/*
 * A chain of mappings from the stored form a onto t (named name) into
 * steps[0..*n), the first mapping a's rows: t's own entry for a when it
 * has one (its problems then go to d), else through a stored version b
 * between them that t maps and that maps a in turn. Returns 0, or -1.
 */
static int
find_chain(struct walk *w, const struct form *t, const char *name,
    const struct form *a, struct form_mapper **steps, size_t *n,
    size_t depth, struct diag *d)
{
	const struct form_versions *fv = w->fv;
	struct form_mapper *m = NULL;

	*n = 0;
	if (has_entry(t, a->version)) {
		if (form_mapper_new(t, name, a, &m, d) != 0)
			return -1;
		steps[(*n)++] = m;
		return 0;
	}
	if (depth + 1 >= CHAIN_MAX)
		return -1;
	/* The latest stored version first: the shortest chains. */
	for (size_t i = fv->nforms; i-- > 0;) {
		const struct form *b = fv->forms[i];
		struct diag scratch;
		char bname[128];
		size_t k;
		if (b->version <= a->version || b->version >= t->version ||
		    !has_entry(t, b->version) || w->dead[i])
			continue;
		diag_init(&scratch);
		snprintf(bname, sizeof(bname), "stored version %ld",
		    b->version);
		if (form_mapper_new(t, name, b, &m, &scratch) != 0) {
			diag_free(&scratch); /* t's entry for b: not this way */
			continue;
		}
		if (find_chain(w, b, bname, a, steps, &k, depth + 1,
		    &scratch) == 0) {
			diag_free(&scratch);
			steps[k] = m;
			*n = k + 1;
			return 0;
		}
		form_mapper_free(m);
		m = NULL;
		diag_free(&scratch);
		w->dead[i] = 1; /* no chain from a reaches b */
	}
	diag_add(d, name, "no entry for version %ld, and no chain of entries "
	    "through the stored versions after it: say in \"from\" how its "
	    "variables map onto version %ld", a->version, t->version);
	return -1;
}

/* The chain from stored form a onto w->f, or -1 with the problems in d. */
static int
map_stored(struct walk *w, const struct form *a, long long rows,
    struct form_mapper ***steps, size_t *n)
{
	struct form_mapper *buf[CHAIN_MAX];
	struct diag dm;

	*steps = NULL;
	*n = 0;
	memset(w->dead, 0, sizeof(w->dead));
	diag_init(&dm);
	if (find_chain(w, w->f, w->path, a, buf, n, 0, &dm) != 0) {
		diag_add(w->d, w->path, "version %ld of form %s has no valid "
		    "mapping from version %ld stored in %s (%lld rows):",
		    w->f->version, w->f->id, a->version, w->dbname, rows);
		for (size_t i = 0; i < dm.n; i++)
			diag_add(w->d, dm.a[i].where, "%s", dm.a[i].what);
		diag_free(&dm);
		return -1;
	}
	diag_free(&dm);
	if ((*steps = calloc(*n, sizeof(**steps))) == NULL) {
		steps_free(buf, *n);
		*n = 0;
		w->nomem = 1;
		return -1;
	}
	memcpy(*steps, buf, *n * sizeof(**steps));
	return 0;
}

/* Keep one version that has rows or a stored form. */
static int
collect_cb(const struct store_form *sf, void *arg)
{
	struct walk *w = arg;
	struct form_versions *fv = w->fv;
	struct form_src *src;
	struct form *old = NULL;

	if (sf->stored && sf->version != w->f->version &&
	    (old = load_stored(w, sf)) == NULL) {
		w->refused = 1;
		return 0;
	}
	if (old != NULL) {
		if (fv->nforms == CHAIN_MAX * 4) {
			form_free(old); /* defensive: far more than any form */
			diag_add(w->d, w->path, "more than %d stored versions",
			    CHAIN_MAX * 4);
			w->refused = 1;
			return 0;
		}
		fv->forms[fv->nforms++] = old;
	}
	if (fv->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		void *p = realloc(fv->a, cap * sizeof(*fv->a));
		if (p == NULL) {
			w->nomem = 1;
			return 1;
		}
		fv->a = p;
		w->cap = cap;
	}
	src = &fv->a[fv->n++];
	memset(src, 0, sizeof(*src));
	src->version = sf->version;
	src->rows = sf->rows;
	src->stored = sf->stored;
	memcpy(src->sha256, sf->sha256, 32);
	src->form = old;
	src->kind = sf->version == w->f->version ? FORM_SRC_CURRENT :
	    !sf->stored ? FORM_SRC_UNSTORED : FORM_SRC_MAPPED;
	return 0;
}

/* Load every version of w->f's form into w->fv; 0, or -2 (database). */
static int
collect(struct store *s, struct walk *w)
{
	if ((w->fv = calloc(1, sizeof(*w->fv))) == NULL ||
	    (w->fv->forms = calloc(CHAIN_MAX * 4, sizeof(*w->fv->forms))) ==
	    NULL) {
		free(w->fv);
		w->fv = NULL;
		diag_add(w->d, w->dbname, "out of memory");
		return -2;
	}
	if (store_form_foreach(s, w->f->id, collect_cb, w) != STORE_OK ||
	    w->nomem) {
		diag_add(w->d, w->dbname, "%s", w->nomem ? "out of memory" :
		    store_errmsg(s));
		return -2;
	}
	return 0;
}

static void
differs(struct walk *w)
{
	diag_add(w->d, w->path, "form %s version %ld differs from the version "
	    "%ld stored in the database: give the changed form a new version",
	    w->f->id, w->f->version, w->f->version);
}

int
form_versions_store(struct store *s, const char *dbname,
    const struct form *f, const char *path, const char *buf, size_t len,
    struct diag *d)
{
	struct walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.path = path;
	w.dbname = dbname;
	w.d = d;
	if ((rc = collect(s, &w)) != 0)
		goto out;
	for (size_t i = 0; i < w.fv->n; i++) {
		struct form_src *src = &w.fv->a[i];
		if (!src->stored)
			continue;
		if (src->version == f->version &&
		    memcmp(src->sha256, f->sha256, 32) != 0) {
			differs(&w);
			w.refused = 1;
		}
		/* Going back to an older form: later rows still map. */
		if (src->version >= f->version || src->form == NULL)
			continue;
		if (map_stored(&w, src->form, src->rows, &src->steps,
		    &src->nsteps) != 0)
			w.refused = 1;
	}
	if (w.nomem) {
		diag_add(d, dbname, "out of memory");
		rc = -2;
		goto out;
	}
	if (w.refused) {
		rc = -1;
		goto out;
	}
	rc = store_form_put(s, f->id, f->version, buf, len);
	if (rc == STORE_EXISTS) {
		differs(&w); /* stored by another writer since the walk */
		rc = -1;
	} else if (rc != STORE_OK) {
		diag_add(d, dbname, "storing form %s version %ld: %s", f->id,
		    f->version, store_errmsg(s));
		rc = -2;
	}
out:
	form_versions_free(w.fv);
	return rc;
}

int
form_versions_load(struct store *s, const struct form *f,
    struct form_versions **out, struct diag *d)
{
	struct walk w;
	size_t keep = 0;
	int rc;

	*out = NULL;
	memset(&w, 0, sizeof(w));
	w.f = f;
	w.path = f->id;
	w.dbname = "the database";
	w.d = d;
	if ((rc = collect(s, &w)) != 0) {
		form_versions_free(w.fv);
		return rc;
	}
	for (size_t i = 0; i < w.fv->n; i++) {
		struct form_src *src = &w.fv->a[i];
		if (src->rows <= 0)
			continue; /* nothing to decode */
		if (src->kind == FORM_SRC_CURRENT) {
			if (src->stored &&
			    memcmp(src->sha256, f->sha256, 32) != 0) {
				diag_add(d, w.path, "form %s version %ld "
				    "differs from the version %ld its %lld rows "
				    "were collected with: analyse with the "
				    "stored one (analysis forms --out writes "
				    "it)", f->id, f->version, f->version,
				    src->rows);
				w.refused = 1;
			}
		} else if (src->kind == FORM_SRC_MAPPED &&
		    src->version > f->version) {
			diag_add(d, w.path, "the database has %lld rows of "
			    "version %ld of form %s, newer than this form's "
			    "version %ld: analyse with the newest version "
			    "(analysis forms --out writes it)", src->rows,
			    src->version, f->id, f->version);
			w.refused = 1;
		} else if (src->kind == FORM_SRC_MAPPED &&
		    map_stored(&w, src->form, src->rows, &src->steps,
		    &src->nsteps) != 0)
			w.refused = 1;
		w.fv->a[keep++] = *src;
	}
	w.fv->n = keep;
	if (w.refused || w.nomem) {
		if (w.nomem)
			diag_add(d, "database", "out of memory");
		form_versions_free(w.fv);
		return w.nomem ? -2 : -1;
	}
	*out = w.fv;
	return 0;
}

const struct form_src *
form_versions_find(const struct form_versions *fv, long v)
{
	for (size_t i = 0; fv != NULL && i < fv->n; i++)
		if (fv->a[i].version == v)
			return &fv->a[i];
	return NULL;
}

void
form_versions_free(struct form_versions *fv)
{
	if (fv == NULL)
		return;
	for (size_t i = 0; i < fv->n; i++) {
		steps_free(fv->a[i].steps, fv->a[i].nsteps);
		free(fv->a[i].steps);
	}
	for (size_t i = 0; fv->forms != NULL && i < fv->nforms; i++)
		form_free(fv->forms[i]);
	free(fv->forms);
	free(fv->a);
	free(fv);
}

const char *
form_src_kind_name(enum form_src_kind k)
{
	static const char *const names[FORM_SRC__MAX] = {"current",
	    "mapped", "current form (no stored form)"};

	return k < FORM_SRC__MAX ? names[k] : "?";
}
