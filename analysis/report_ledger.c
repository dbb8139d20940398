/*
 * The release ledger of "analysis report" (report.h, docs/plans.md): the
 * groups of every published report, kept in the database (store.h, schema
 * 5) so that a later report on the same data cannot publish a group that
 * differs from one of them by 0 < n < k respondents (the gate refuses it,
 * naming the earlier release). The ledger is read before the report is
 * built and written, in one transaction, before any file is.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store.h"

struct report_ledger {
	struct store *st; /* read-write */
	struct gate_ledger g;
	struct gate_members *prior;
	size_t nprior, cap;
	long long seq;
	char day[11];
	char name[48];
	unsigned char data_sha[32];
};

static int
prior_cb(const struct store_ledger *l, void *arg)
{
	struct report_ledger *r = arg;
	struct gate_members *m;
	char name[48];

	if (r->nprior == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		struct gate_members *a = realloc(r->prior, nc * sizeof(*a));
		if (a == NULL)
			return STORE_NOMEM;
		r->prior = a;
		r->cap = nc;
	}
	m = &r->prior[r->nprior];
	memset(m, 0, sizeof(*m));
	snprintf(name, sizeof(name), "%lld of %s", l->release_seq, l->day);
	m->release = strdup(name);
	m->group = strdup(l->group);
	m->side = l->side;
	m->nrows = l->nrows;
	m->bits = malloc(l->len ? l->len : 1);
	if (m->release == NULL || m->group == NULL || m->bits == NULL) {
		gate_members_free(m);
		return STORE_NOMEM;
	}
	memcpy(m->bits, l->members, l->len);
	r->nprior++;
	return 0;
}

void
report_ledger_free(struct report_ledger *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nprior; i++)
		gate_members_free(&l->prior[i]);
	free(l->prior);
	gate_ledger_clear(&l->g);
	store_close(l->st);
	free(l);
}

int
report_ledger_open(const char *db, const struct dataset *d,
    struct report_ledger **out, char *err, size_t errsz)
{
	struct report_ledger *l = calloc(1, sizeof(*l));
	char msg[512];
	int rc;

	*out = NULL;
	if (l == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (store_open(db, STORE_RDWR, &l->st, msg, sizeof(msg)) != STORE_OK) {
		snprintf(err, errsz, "--db %s: the release ledger: %s", db, msg);
		goto fail;
	}
	memcpy(l->data_sha, d->sha256, 32);
	if ((rc = store_ledger_foreach(l->st, l->data_sha, prior_cb, l)) !=
	    STORE_OK || (rc = store_ledger_next(l->st, &l->seq)) != STORE_OK) {
		snprintf(err, errsz, "--db %s: the release ledger: %s", db,
		    rc == STORE_NOMEM ? "out of memory" :
		    store_errmsg(l->st));
		goto fail;
	}
	store_period_now(l->day, 0);
	snprintf(l->name, sizeof(l->name), "%lld of %s", l->seq, l->day);
	l->g.prior = l->prior;
	l->g.nprior = l->nprior;
	l->g.release = l->name;
	*out = l;
	return 0;
fail:
	report_ledger_free(l);
	return -1;
}

struct gate_ledger *
report_ledger_gate(struct report_ledger *l)
{
	return l != NULL ? &l->g : NULL;
}

const char *
report_ledger_name(const struct report_ledger *l)
{
	return l->name;
}

int
report_ledger_commit(struct report_ledger *l, const struct form *f,
    const struct plan *p, char *err, size_t errsz)
{
	struct store_ledger row;
	int rc = STORE_OK;

	if ((rc = store_begin(l->st)) != STORE_OK)
		goto fail;
	for (size_t i = 0; i < l->g.nout && rc == STORE_OK; i++) {
		const struct gate_members *m = &l->g.out[i];
		memset(&row, 0, sizeof(row));
		row.release_seq = l->seq;
		memcpy(row.day, l->day, sizeof(row.day));
		row.form_id = f->id;
		memcpy(row.plan_sha, p->sha256, 32);
		memcpy(row.data_sha, l->data_sha, 32);
		row.group = m->group;
		row.side = m->side;
		row.nrows = m->nrows;
		row.members = m->bits;
		row.len = (m->nrows + 7) / 8;
		rc = store_ledger_put(l->st, &row);
	}
	if (rc != STORE_OK) {
		(void)store_rollback(l->st);
		goto fail;
	}
	if ((rc = store_commit(l->st)) != STORE_OK)
		goto fail;
	return 0;
fail:
	snprintf(err, errsz, "the release ledger could not be written (%s); "
	    "nothing was published", store_errmsg(l->st));
	return -1;
}
