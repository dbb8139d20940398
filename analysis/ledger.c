/*
 * The release ledger (ledger.h): what the earlier releases of a form on
 * the same data published, when the latest one was made, and the record
 * of a new one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"

struct ledger {
	struct gate_ledger g;
	struct gate_members *prior;
	size_t nprior, cap;
	char *form_id;
	long long changes;    /* the form's counter for the data read */
	long long generation; /* the form's releases when read */
	long n_rows;
	struct store_spacing sp;
	unsigned char data_sha[32];
	char day[11];
	char name[48];
	/* ledger_job(): what the writer records */
	struct store_ledger_release rel;
	struct store_ledger *rows;
};

static int
prior_cb(const struct store_ledger *sl, void *arg)
{
	struct ledger *l = arg;
	struct gate_members *m;
	char name[48];

	if (l->nprior == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct gate_members *a = realloc(l->prior, nc * sizeof(*a));
		if (a == NULL)
			return STORE_NOMEM;
		l->prior = a;
		l->cap = nc;
	}
	m = &l->prior[l->nprior];
	memset(m, 0, sizeof(*m));
	snprintf(name, sizeof(name), "%lld of %s", sl->release_seq, sl->day);
	m->release = strdup(name);
	m->group = strdup(sl->group);
	m->side = sl->side;
	m->nrows = sl->nrows;
	m->bits = malloc(sl->len ? sl->len : 1);
	if (m->release == NULL || m->group == NULL || m->bits == NULL) {
		gate_members_free(m);
		return STORE_NOMEM;
	}
	memcpy(m->bits, sl->members, sl->len);
	l->nprior++;
	return 0;
}

void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nprior; i++)
		gate_members_free(&l->prior[i]);
	free(l->prior);
	free(l->rows);
	free(l->form_id);
	gate_ledger_clear(&l->g);
	free(l);
}

int
ledger_read(struct store *st, const struct form *f, const struct dataset *d,
    struct ledger **out, char *err, size_t errsz)
{
	struct ledger *l = calloc(1, sizeof(*l));
	long long next = 1;
	int rc;

	*out = NULL;
	if (l == NULL || (l->form_id = strdup(f->id)) == NULL) {
		free(l);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	memcpy(l->data_sha, d->sha256, 32);
	l->n_rows = (long)d->n;
	if ((rc = store_changes(st, f->id, &l->changes)) != STORE_OK ||
	    (rc = store_release_generation(st, f->id, &l->generation)) !=
	    STORE_OK ||
	    (rc = store_release_spacing(st, f->id, l->data_sha, &l->sp)) !=
	    STORE_OK ||
	    (rc = store_ledger_foreach(st, l->data_sha, prior_cb, l)) !=
	    STORE_OK ||
	    (rc = store_ledger_next(st, &next)) != STORE_OK) {
		snprintf(err, errsz, "the release ledger: %s",
		    rc == STORE_NOMEM ? "out of memory" : store_errmsg(st));
		ledger_free(l);
		return -1;
	}
	store_period_now(l->day, 0);
	snprintf(l->name, sizeof(l->name), "%lld of %s", next, l->day);
	l->g.prior = l->prior;
	l->g.nprior = l->nprior;
	l->g.release = l->name;
	*out = l;
	return 0;
}

int
ledger_due(const struct ledger *l, long k, char *err, size_t errsz)
{
	const struct store_spacing *sp = &l->sp;
	long long d;

	if (!sp->found)
		return 0;
	/* The same counter is the same data, unless a release carried over
	 * from schema 5 (counter unknown) says otherwise. */
	if (l->changes == sp->changes_at && sp->other_data == 0)
		return 0;
	d = l->changes - sp->changes_at;
	if (d >= k)
		return 0;
	if (d < 0)
		snprintf(err, errsz, "form %s: the data has fewer changes (%lld)"
		    " than when its latest release (%s %lld of %s) was made "
		    "(%lld), as after a restore: a new release would differ "
		    "from it by fewer than k = %ld changes", l->form_id,
		    l->changes, sp->kind, sp->seq, sp->day, sp->changes_at, k);
	else
		snprintf(err, errsz, "form %s: its latest release (%s %lld of "
		    "%s) was made %lld change%s ago; a new release is made on "
		    "the same data or after k = %ld changes, so that no two "
		    "releases differ by a few respondents (%lld more to go)",
		    l->form_id, sp->kind, sp->seq, sp->day, d, d == 1 ? "" :
		    "s", k, k - d);
	return -1;
}

struct gate_ledger *
ledger_gate(struct ledger *l)
{
	return l != NULL ? &l->g : NULL;
}

long long
ledger_changes(const struct ledger *l)
{
	return l->changes;
}

/* l->rel and l->rows for this release. */
static int
ledger_rows(struct ledger *l, const char *kind, const struct plan *p)
{
	struct store_ledger_release *r = &l->rel;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	memcpy(r->day, l->day, sizeof(r->day));
	r->form_id = l->form_id;
	if (p != NULL) {
		r->has_plan = 1;
		memcpy(r->plan_sha, p->sha256, 32);
	}
	memcpy(r->data_sha, l->data_sha, 32);
	r->changes_at = l->changes;
	r->n_rows = l->n_rows;
	free(l->rows);
	l->rows = NULL;
	if (l->g.nout == 0)
		return 0;
	if ((l->rows = calloc(l->g.nout, sizeof(*l->rows))) == NULL)
		return -1;
	for (size_t i = 0; i < l->g.nout; i++) {
		const struct gate_members *m = &l->g.out[i];
		struct store_ledger *row = &l->rows[i];
		memcpy(row->day, l->day, sizeof(row->day));
		row->form_id = l->form_id;
		memcpy(row->plan_sha, r->plan_sha, 32);
		memcpy(row->data_sha, l->data_sha, 32);
		row->group = m->group;
		row->side = m->side;
		row->nrows = m->nrows;
		row->members = m->bits;
		row->len = (m->nrows + 7) / 8;
	}
	return 0;
}

int
ledger_record(struct ledger *l, struct store *rw, const char *kind,
    const struct plan *p, long long *seq, char *err, size_t errsz)
{
	int rc;

	if (ledger_rows(l, kind, p) != 0) {
		snprintf(err, errsz, "the release ledger: out of memory");
		return -1;
	}
	if ((rc = store_begin(rw)) != STORE_OK)
		goto fail;
	if ((rc = store_ledger_record(rw, &l->rel, l->rows, l->g.nout,
	    l->generation)) != STORE_OK) {
		(void)store_rollback(rw);
		goto fail;
	}
	if ((rc = store_commit(rw)) != STORE_OK)
		goto fail;
	if (seq != NULL)
		*seq = l->rel.seq;
	return 0;
fail:
	if (rc == STORE_EXISTS)
		snprintf(err, errsz, "the release ledger: another release of "
		    "form %s was recorded while this one was made; nothing "
		    "was written: run it again", l->form_id);
	else
		snprintf(err, errsz, "the release ledger: %s",
		    store_errmsg(rw));
	return -1;
}

int
ledger_job(struct ledger *l, const char *kind, const struct plan *p,
    struct store_job *job)
{
	if (ledger_rows(l, kind, p) != 0)
		return -1;
	job->ledger = &l->rel;
	job->ledger_groups = l->rows;
	job->ledger_ngroups = l->g.nout;
	job->ledger_generation = l->generation;
	return 0;
}
