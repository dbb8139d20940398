/*
 * Stored form versions and the form model (form_versions.h). Both entry
 * points walk the stored versions of one form once; a stored form is
 * loaded from its bytes exactly as from its file, so a stored version
 * maps onto the current one by the same check wherever it runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_versions.h"

struct walk {
	const struct form *f;
	const char *path, *dbname;
	struct diag *d;
	struct form_versions *fv; /* load only */
	size_t cap;               /* of fv->a */
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

/* Map sf onto w->f: the mapper, or NULL with the problems in d. */
static struct form_mapper *
map_stored(struct walk *w, const struct store_form *sf, struct form *old)
{
	struct form_mapper *m = NULL;
	struct diag dm;

	diag_init(&dm);
	if (form_mapper_new(w->f, w->path, old, &m, &dm) != 0) {
		diag_add(w->d, w->path, "version %ld of form %s has no valid "
		    "mapping from version %ld stored in %s (%lld rows):",
		    w->f->version, w->f->id, sf->version, w->dbname, sf->rows);
		for (size_t i = 0; i < dm.n; i++)
			diag_add(w->d, dm.a[i].where, "%s", dm.a[i].what);
		m = NULL;
	}
	diag_free(&dm);
	return m;
}

static void
differs(struct walk *w)
{
	diag_add(w->d, w->path, "form %s version %ld differs from the version "
	    "%ld stored in the database: give the changed form a new version",
	    w->f->id, w->f->version, w->f->version);
}

static int
store_cb(const struct store_form *sf, void *arg)
{
	struct walk *w = arg;
	struct form *old;
	struct form_mapper *m;

	if (!sf->stored)
		return 0;
	if (sf->version == w->f->version) {
		if (memcmp(sf->sha256, w->f->sha256, 32) != 0) {
			differs(w);
			w->refused = 1;
		}
		return 0;
	}
	if (sf->version > w->f->version)
		return 0; /* going back to an older form: its rows still map */
	if ((old = load_stored(w, sf)) == NULL) {
		w->refused = 1;
		return 0;
	}
	if ((m = map_stored(w, sf, old)) == NULL)
		w->refused = 1;
	form_mapper_free(m);
	form_free(old);
	return 0;
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
	if (store_form_foreach(s, f->id, store_cb, &w) != STORE_OK) {
		diag_add(d, dbname, "%s", store_errmsg(s));
		return -2;
	}
	if (w.refused)
		return -1;
	rc = store_form_put(s, f->id, f->version, buf, len);
	if (rc == STORE_EXISTS) {
		differs(&w); /* stored by another writer since the walk */
		return -1;
	}
	if (rc != STORE_OK) {
		diag_add(d, dbname, "storing form %s version %ld: %s", f->id,
		    f->version, store_errmsg(s));
		return -2;
	}
	return 0;
}

static int
load_cb(const struct store_form *sf, void *arg)
{
	struct walk *w = arg;
	struct form_versions *fv = w->fv;
	struct form_src *src;

	if (sf->rows <= 0)
		return 0; /* nothing to decode */
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
	src = &fv->a[fv->n];
	memset(src, 0, sizeof(*src));
	src->version = sf->version;
	src->rows = sf->rows;
	if (sf->version == w->f->version) {
		src->kind = FORM_SRC_CURRENT;
		if (sf->stored && memcmp(sf->sha256, w->f->sha256, 32) != 0) {
			diag_add(w->d, w->path, "form %s version %ld differs "
			    "from the version %ld its %lld rows were collected "
			    "with: analyse with the stored one (analysis forms "
			    "--out writes it)", w->f->id, w->f->version,
			    w->f->version, sf->rows);
			w->refused = 1;
		}
	} else if (!sf->stored) {
		src->kind = FORM_SRC_UNSTORED;
	} else if (sf->version > w->f->version) {
		diag_add(w->d, w->path, "the database has %lld rows of version "
		    "%ld of form %s, newer than this form's version %ld: "
		    "analyse with the newest version (analysis forms --out "
		    "writes it)", sf->rows, sf->version, w->f->id,
		    w->f->version);
		w->refused = 1;
	} else {
		src->kind = FORM_SRC_MAPPED;
		if ((src->form = load_stored(w, sf)) == NULL ||
		    (src->mapper = map_stored(w, sf, src->form)) == NULL) {
			w->refused = 1;
			form_free(src->form);
			src->form = NULL;
			return 0;
		}
	}
	fv->n++;
	return 0;
}

int
form_versions_load(struct store *s, const struct form *f,
    struct form_versions **out, struct diag *d)
{
	struct form_versions *fv;
	struct walk w;
	int rc;

	*out = NULL;
	if ((fv = calloc(1, sizeof(*fv))) == NULL) {
		diag_add(d, "database", "out of memory");
		return -2;
	}
	memset(&w, 0, sizeof(w));
	w.f = f;
	w.path = f->id;
	w.dbname = "the database";
	w.d = d;
	w.fv = fv;
	rc = store_form_foreach(s, f->id, load_cb, &w);
	if (w.nomem || rc != STORE_OK) {
		diag_add(d, "database", "%s", w.nomem ? "out of memory" :
		    store_errmsg(s));
		form_versions_free(fv);
		return -2;
	}
	if (w.refused) {
		form_versions_free(fv);
		return -1;
	}
	*out = fv;
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
		form_mapper_free(fv->a[i].mapper);
		form_free(fv->a[i].form);
	}
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
