/*
 * The researcher API (api.h, docs/api.md). A call is parsed on the daemon
 * thread (path, method, the shape of the bearer token); what needs no
 * database (405, a missing or malformed token) is audited and answered
 * from there through http_job(). Everything else is queued, its
 * connection suspended, for an API worker: the worker checks the token
 * against its read-only connection, serves or builds the release, appends
 * the audit row through the writer thread, waits for its commit, and only
 * then resumes the connection. A call whose audit fails is answered 503
 * with nothing served.
 *
 * The release rule lives in api_release(): under the form's build lock
 * (one for every kind), in one read snapshot, read the change counter,
 * the latest release of the kind asked and the latest release of the form
 * of any kind, the analysis's included (the release ledger, ledger.h);
 * serve the latest of the kind asked byte for byte unless the counter has
 * moved by k or more since the latest release of any kind (or a release
 * of that kind has yet to be made on these same data); else build a new
 * one from the rows of the same snapshot, with the groups released on the
 * same data before, and store it, in the release table and the ledger,
 * before serving it. So any two releases of a form, of whatever kind and
 * by whichever program, are k changes apart or show the same data.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <sodium.h>

#include "collector_int.h"
#include "dataset.h"
#include "export.h"
#include "gate.h"
#include "ledger.h"
#include "plan.h"
#include "report.h"
#include "token.h"

enum api_ep {
	EP_LIST,    /* /api/v1/forms */
	EP_SUMMARY, /* /api/v1/forms/<id>/summary */
	EP_EXPORT,  /* /api/v1/forms/<id>/export */
	EP_NONE,    /* anything else under /api/: 404 */
	EP__MAX
};

enum api_kind { KIND_SUMMARY, KIND_EXPORT, KIND__MAX };

static const char *const kind_names[KIND__MAX] = {"summary", "export"};

enum api_auth { AUTH_MISSING, AUTH_MALFORMED, AUTH_PARSED };

struct api_call {
	struct req *r;
	enum api_ep ep;
	const struct form *form; /* NULL: not a form served here */
	size_t iform;            /* its index in c->forms */
	char endpoint[160];      /* audited path pattern, no client text */
	enum api_auth auth;
	char tok_id[STORE_TOKEN_ID_LEN + 1];
	char secret[TOKEN_SECRET_LEN + 1];
	struct store_token tok; /* the checked token, when authed */
	int authed;
	/* The answer. */
	unsigned status;
	char *body;
	size_t len;
	const char *ctype;
	int challenge; /* add WWW-Authenticate: Bearer */
	long rows;     /* response rows served, for the audit */
	struct api_call *next;
};

struct api_worker {
	struct api *api;
	struct store *st; /* read-only, this thread's only */
	pthread_t th;
	int started;
};

struct api {
	struct collector *c;
	long k;
	struct plan *plans[COLLECTOR_MAX_FORMS];
	/* One build at a time per form and kind; waiters then reuse it. */
	pthread_mutex_t build[COLLECTOR_MAX_FORMS][KIND__MAX];
	size_t nbuild; /* forms whose build locks exist */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct api_call *head, *tail;
	int stopping;
	struct api_worker w[API_WORKERS];
};

#define JSON_FLAGS (JSON_INDENT(1) | JSON_PRESERVE_ORDER | \
	JSON_REAL_PRECISION(15))

/* ---- answers ---- */

/* Set the answer to a JSON document (stolen); 503 when it cannot be made. */
static void
api_json(struct api_call *a, unsigned status, json_t *doc)
{
	char *s = doc != NULL ? json_dumps(doc, JSON_FLAGS) : NULL, *t;
	size_t n;

	json_decref(doc);
	free(a->body);
	a->body = NULL;
	a->len = 0;
	a->ctype = "application/json";
	if (s == NULL) {
		static const char oom[] = "{\"error\": \"out of memory\"}\n";
		a->status = MHD_HTTP_SERVICE_UNAVAILABLE;
		if ((a->body = strdup(oom)) != NULL)
			a->len = sizeof(oom) - 1;
		return;
	}
	n = strlen(s);
	/* One trailing newline, as the report files have. */
	if ((t = realloc(s, n + 2)) == NULL) {
		free(s);
		a->status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return;
	}
	a->body = t;
	a->body[n] = '\n';
	a->body[n + 1] = '\0';
	a->len = n + 1;
	a->status = status;
}

/* An error answer: {"error": msg}; msg is a literal, never client text. */
static void
api_error(struct api_call *a, unsigned status, const char *msg)
{
	api_json(a, status, json_pack("{s:s}", "error", msg));
	a->challenge = a->status == MHD_HTTP_UNAUTHORIZED;
	a->rows = 0;
}

/* Continuation on the daemon thread once the audit has committed. */
static enum hres
api_answer(struct req *r)
{
	struct api_call *a = r->api;

	if (r->job.rc != STORE_OK) {
		/* No audit row, no data. */
		http_log(r->c, "API call not audited: %s",
		    store_strerror(r->job.rc));
		api_error(a, MHD_HTTP_SERVICE_UNAVAILABLE, "the call could not "
		    "be recorded in the audit trail; nothing was served");
	}
	r->resp.status = a->status;
	r->resp.ctype = a->ctype;
	r->resp.raw = a->body;
	r->resp.raw_len = a->len;
	a->body = NULL;
	if (a->challenge) {
		r->resp.hdr_name = MHD_HTTP_HEADER_WWW_AUTHENTICATE;
		r->resp.hdr_value = "Bearer realm=\"candor\"";
	} else if (a->status == MHD_HTTP_METHOD_NOT_ALLOWED) {
		r->resp.hdr_name = MHD_HTTP_HEADER_ALLOW;
		r->resp.hdr_value = "GET, HEAD";
	}
	return H_DONE;
}

/*
 * The audit of call a into job j (pointers into a): a row for a call with a
 * valid token; for one without, one more in the counter of its day,
 * endpoint pattern and status (audit_fail), so failed calls cost a bounded
 * number of rows however many arrive.
 */
static void
api_audit_fill(struct api_call *a, struct store_job *j)
{
	memset(j, 0, sizeof(*j));
	j->kind = a->authed ? STORE_JOB_AUDIT : STORE_JOB_AUDIT_FAIL;
	store_period_now(j->audit.day, 0);
	j->audit.token_id = a->authed ? a->tok.id : NULL;
	j->audit.token_label = a->authed ? a->tok.label : NULL;
	j->audit.endpoint = a->endpoint;
	j->audit.status = (int)a->status;
	j->audit.rows = a->rows;
}

/* ---- writer jobs from a worker ---- */

/* Run j on the writer thread and wait for its commit; returns j->rc. */
static int
api_writer_run(struct collector *c, struct store_job *j)
{
	struct store_waiter wt;
	int rc = STORE_ERR;

	store_waiter_init(&wt, j);
	if (pthread_mutex_lock(&c->wmu) == 0) {
		if (c->w != NULL)
			rc = store_writer_enqueue(c->w, j);
		pthread_mutex_unlock(&c->wmu);
	}
	if (rc != STORE_OK) {
		store_waiter_destroy(&wt);
		j->rc = rc;
		return rc;
	}
	return store_waiter_wait(&wt, j);
}

/* ---- parsing (daemon thread) ---- */

struct api_call *
api_call_new(struct collector *c, const char *url)
{
	static const char forms[] = "/api/v1/forms";
	struct api_call *a = calloc(1, sizeof(*a));
	const char *id, *rest;
	size_t i, n;

	if (a == NULL)
		return NULL;
	a->ep = EP_NONE;
	snprintf(a->endpoint, sizeof(a->endpoint), "/api/*");
	if (strcmp(url, forms) == 0) {
		a->ep = EP_LIST;
		snprintf(a->endpoint, sizeof(a->endpoint), "%s", forms);
		return a;
	}
	if (strncmp(url, forms, sizeof(forms) - 1) != 0 ||
	    url[sizeof(forms) - 1] != '/')
		return a;
	id = url + sizeof(forms);
	if ((rest = strchr(id, '/')) == NULL)
		return a;
	n = (size_t)(rest - id);
	if (strcmp(rest, "/summary") == 0)
		a->ep = EP_SUMMARY;
	else if (strcmp(rest, "/export") == 0)
		a->ep = EP_EXPORT;
	else
		return a;
	for (i = 0; i < c->nforms; i++)
		if (strlen(c->forms[i]->id) == n &&
		    memcmp(c->forms[i]->id, id, n) == 0) {
			a->form = c->forms[i];
			a->iform = i;
			break;
		}
	/* Only a served form's id is recorded; any other text is not. */
	snprintf(a->endpoint, sizeof(a->endpoint), "%s/%s%s", forms,
	    a->form != NULL ? a->form->id : "*", rest);
	return a;
}

void
api_call_free(struct api_call *a)
{
	if (a == NULL)
		return;
	sodium_memzero(a->secret, sizeof(a->secret));
	free(a->body);
	free(a);
}

/* Read "Bearer <token>" into a->tok_id and a->secret. */
static void
api_parse_auth(struct req *r, struct api_call *a)
{
	const char *h = http_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	size_t n;

	if (h == NULL) {
		a->auth = AUTH_MISSING;
		return;
	}
	a->auth = AUTH_MALFORMED;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return;
	h += 7;
	while (*h == ' ')
		h++;
	n = strlen(h);
	while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (token_parse(h, n, a->tok_id, a->secret) == 0)
		a->auth = AUTH_PARSED;
}

/* Hand a to a worker; the connection stays suspended until it is done. */
static enum hres
api_queue(struct req *r)
{
	struct collector *c = r->c;
	struct api *api = c->api;
	int queued = 0;

	r->cont = api_answer;
	atomic_store(&r->job_done, 0);
	r->job_pending = 1;
	r->inflight = 1;
	atomic_fetch_add(&c->inflight, 1);
	/* As in http_job(): suspend before anyone can resume. */
	MHD_suspend_connection(r->conn);
	pthread_mutex_lock(&api->mu);
	if (!api->stopping) {
		r->api->next = NULL;
		if (api->tail != NULL)
			api->tail->next = r->api;
		else
			api->head = r->api;
		api->tail = r->api;
		pthread_cond_signal(&api->cv);
		queued = 1;
	}
	pthread_mutex_unlock(&api->mu);
	if (!queued) {
		r->job.rc = STORE_ERR; /* answered 503 by api_answer() */
		atomic_store(&r->job_done, 1);
		MHD_resume_connection(r->conn);
	}
	return H_SUSPEND;
}

enum hres
api_dispatch(struct req *r)
{
	struct api_call *a = r->api;

	a->r = r;
	if (r->c->api == NULL) {
		/* --no-api: the paths do not exist. */
		return http_refuse(r, MHD_HTTP_NOT_FOUND, NOTE_NOT_FOUND,
		    REJ__MAX);
	}
	if (r->method != M_GET && r->method != M_HEAD) {
		api_error(a, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: "
		    "the API is read-only (GET)");
	} else {
		api_parse_auth(r, a);
		if (a->auth == AUTH_PARSED)
			return api_queue(r);
		api_error(a, MHD_HTTP_UNAUTHORIZED, a->auth == AUTH_MISSING
		    ? "missing token: send Authorization: Bearer cnd_..."
		    : "malformed token: expected Authorization: Bearer "
		      "cnd_<id>_<secret>");
	}
	api_audit_fill(a, &r->job);
	return http_job(r, api_answer);
}

/* ---- the calls (worker threads) ---- */

static void
api_list(struct api_worker *w, struct api_call *a)
{
	struct collector *c = w->api->c;
	struct store_release rel;
	json_t *arr = json_array(), *doc;
	size_t i;
	int rc;

	for (i = 0; arr != NULL && i < c->nforms; i++) {
		const struct form *f = c->forms[i];
		rc = store_release_latest(w->st, f->id, "summary", &rel);
		free(rel.body);
		if (rc != STORE_OK && rc != STORE_NOTFOUND) {
			json_decref(arr);
			api_error(a, MHD_HTTP_SERVICE_UNAVAILABLE,
			    "database unavailable");
			return;
		}
		json_array_append_new(arr, json_pack("{s:s,s:I,s:s?,s:o,s:o}",
		    "id", f->id, "version", (json_int_t)f->version, "title",
		    form_text_get(f, &f->title, 0),
		    "published_rows", rc == STORE_OK
		        ? json_integer(rel.n_rows) : json_null(),
		    "summary_release", rc == STORE_OK
		        ? json_integer(rel.seq) : json_null()));
	}
	doc = arr != NULL ? json_pack("{s:o}", "forms", arr) : NULL;
	api_json(a, MHD_HTTP_OK, doc);
	a->rows = 0;
}

/* The summary release body: the report model under a release header. */
static int
api_build_summary(struct api *api, struct api_call *a,
    const struct dataset *d, struct ledger *led, long seq, const char *day,
    char **body, size_t *len, char *err, size_t errsz)
{
	struct rel_report *rel = NULL;
	json_t *model, *doc;
	char *s;
	size_t n;

	/*
	 * Through the publication gate, as every report is, with the groups
	 * released earlier on the same data (trackers).
	 */
	if (report_build(a->form, d, api->plans[a->iform], api->k,
	    ledger_gate(led), &rel, err, errsz) != 0)
		return -1;
	{
		/* Interim or final data, by the form's study window. */
		char today[11];
		form_today(a->form, today);
		report_data_status(a->form, today, rel->data_status,
		    sizeof(rel->data_status));
	}
	model = report_json(rel);
	rel_report_free(rel);
	if (model == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	doc = json_pack("{s:s,s:s,s:I,s:s,s:I,s:I,s:o}", "form", a->form->id,
	    "kind", "summary", "release", (json_int_t)seq, "day", day, "k",
	    (json_int_t)api->k, "rows", (json_int_t)d->n, "report", model);
	s = doc != NULL ? json_dumps(doc, JSON_FLAGS) : NULL;
	json_decref(doc);
	if (s == NULL || (n = strlen(s), (*body = realloc(s, n + 2)) == NULL)) {
		free(s);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	(*body)[n] = '\n';
	(*body)[n + 1] = '\0';
	*len = n + 1;
	return 0;
}

/*
 * Serve the release of kind for a->form, building and storing a new one
 * when there is none or the form has changed k or more times since.
 */
static void
api_release(struct api_worker *w, struct api_call *a, enum api_kind kind)
{
	struct api *api = w->api;
	struct store_release rel;
	struct store_spacing sp;
	struct store_job job;
	struct dataset *d = NULL;
	struct ledger *led = NULL;
	static const unsigned char unknown[32];
	char err[512], day[11];
	long long changes = 0;
	long n_rows = 0;
	char *body = NULL;
	size_t len = 0;
	int rc, snap = 0;

	memset(&rel, 0, sizeof(rel));
	/* One lock per form for every kind: releases are spaced across kinds. */
	pthread_mutex_lock(&api->build[a->iform][KIND_SUMMARY]);
	if (store_snapshot_begin(w->st) != STORE_OK)
		goto unavailable;
	snap = 1;
	if (store_changes(w->st, a->form->id, &changes) != STORE_OK)
		goto unavailable;
	rc = store_release_latest(w->st, a->form->id, kind_names[kind], &rel);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		goto unavailable;
	/*
	 * The latest release of any kind: the API's and the analysis's
	 * (reports, exports), from the release ledger. The data hash is not
	 * known before the rows are read; ledger_due() below checks with it.
	 */
	if (store_release_spacing(w->st, a->form->id, unknown, &sp) !=
	    STORE_OK)
		goto unavailable;
	if ((rc == STORE_OK && rel.changes_at == changes) ||
	    !gate_release_due(changes, sp.found, sp.changes_at, api->k))
		goto not_due;
	/* Build from the rows of this same snapshot. */
	if (dataset_load(w->st, a->form, NULL, NULL, &d, err, sizeof(err)) !=
	    0 || ledger_read(w->st, a->form, d, &led, err, sizeof(err)) != 0) {
		http_log(api->c, "API release of form %s not built: %s",
		    a->form->id, err);
		goto unavailable;
	}
	store_snapshot_end(w->st);
	snap = 0;
	if (ledger_due(led, api->k, err, sizeof(err)) != 0)
		goto not_due;
	store_period_now(day, 0);
	if (kind == KIND_SUMMARY) {
		if (api_build_summary(api, a, d, led, rc == STORE_OK ?
		    rel.seq + 1 : 1, day, &body, &len, err, sizeof(err)) != 0) {
			http_log(api->c, "API summary of form %s not built: %s",
			    a->form->id, err);
			goto unavailable;
		}
		n_rows = (long)d->n;
	} else {
		struct export_opts eo = {api->k, EXPORT_MAX_SUPPRESS_DEFAULT,
		    0};
		struct export_stats es;
		if (d->n < (size_t)api->k) {
			api_error(a, MHD_HTTP_CONFLICT, "fewer responses than "
			    "k: no row-level export is published yet");
			goto out;
		}
		memset(&es, 0, sizeof(es));
		if (export_rows_csv(a->form, d, &eo, &body, &len, &es, err,
		    sizeof(err)) != 0) {
			http_log(api->c, "API export of form %s not built: %s",
			    a->form->id, err);
			goto unavailable;
		}
		n_rows = (long)es.rows;
	}
	/*
	 * Stored before it is served, so every served release is kept, and
	 * recorded in the release ledger in the same savepoint; the writer
	 * refuses it when another release of the form came first.
	 */
	memset(&job, 0, sizeof(job));
	job.kind = STORE_JOB_RELEASE;
	job.release.form_id = a->form->id;
	job.release.kind = kind_names[kind];
	memcpy(job.release.day, day, sizeof(day));
	job.release.n_rows = n_rows;
	job.release.changes_at = changes;
	job.release.body = body;
	job.release.len = len;
	if (ledger_job(led, kind == KIND_SUMMARY ? "summary" : "rows",
	    kind == KIND_SUMMARY ? api->plans[a->iform] : NULL, &job) != 0)
		goto unavailable;
	if (api_writer_run(api->c, &job) != STORE_OK) {
		http_log(api->c, "API release of form %s not stored: %s",
		    a->form->id, store_strerror(job.rc));
		goto unavailable;
	}
	a->status = MHD_HTTP_OK;
	a->body = body;
	a->len = len;
	a->rows = n_rows;
	a->ctype = kind == KIND_SUMMARY ? "application/json"
	    : "text/csv; charset=utf-8";
	body = NULL;
	goto out;
not_due:
	if (rel.body == NULL) {
		/*
		 * A release of another kind was made fewer than k changes
		 * ago: a new one now would differ from it by those few
		 * changes.
		 */
		api_error(a, MHD_HTTP_CONFLICT, "no release of this kind yet, "
		    "and the latest release of this form is fewer than k "
		    "changes old: a new one is made after k changes");
		goto out;
	}
	/* Too few changes since: the stored bytes, unchanged. */
	a->status = MHD_HTTP_OK;
	a->body = rel.body;
	a->len = rel.len;
	a->rows = rel.n_rows;
	a->ctype = kind == KIND_SUMMARY ? "application/json"
	    : "text/csv; charset=utf-8";
	rel.body = NULL;
	goto out;
unavailable:
	api_error(a, MHD_HTTP_SERVICE_UNAVAILABLE, "the release cannot be "
	    "built now; try again later");
out:
	if (snap)
		store_snapshot_end(w->st);
	pthread_mutex_unlock(&api->build[a->iform][KIND_SUMMARY]);
	free(rel.body);
	free(body);
	ledger_free(led);
	dataset_free(d);
}

static void
api_handle(struct api_worker *w, struct api_call *a)
{
	struct collector *c = w->api->c;
	struct store_token t;
	int rc, role;

	rc = store_token_get(w->st, a->tok_id, &t);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		api_error(a, MHD_HTTP_SERVICE_UNAVAILABLE, "database "
		    "unavailable");
		return;
	}
	/* Unknown, wrong and revoked look the same from outside. */
	if (rc == STORE_NOTFOUND || !token_check(c->key, &t, a->secret) ||
	    t.revoked[0] != '\0' || (role = token_role_parse(t.role)) < 0) {
		sodium_memzero(a->secret, sizeof(a->secret));
		api_error(a, MHD_HTTP_UNAUTHORIZED, "invalid or revoked token");
		return;
	}
	sodium_memzero(a->secret, sizeof(a->secret));
	a->tok = t;
	a->authed = 1;
	switch (a->ep) {
	case EP_LIST:
		api_list(w, a);
		return;
	case EP_SUMMARY:
	case EP_EXPORT:
		if (a->ep == EP_EXPORT && role != TOKEN_EXPORT) {
			api_error(a, MHD_HTTP_FORBIDDEN, "this token's role "
			    "(summary) may not read row-level exports");
			return;
		}
		if (a->form == NULL) {
			api_error(a, MHD_HTTP_NOT_FOUND, "no such form");
			return;
		}
		if (a->ep == EP_SUMMARY && w->api->plans[a->iform] == NULL) {
			api_error(a, MHD_HTTP_NOT_FOUND, "this form has only "
			    "free-text questions: it has no summary");
			return;
		}
		api_release(w, a, a->ep == EP_SUMMARY ? KIND_SUMMARY
		    : KIND_EXPORT);
		return;
	default:
		api_error(a, MHD_HTTP_NOT_FOUND, "no such endpoint");
		return;
	}
}

static void *
api_worker_main(void *arg)
{
	struct api_worker *w = arg;
	struct api *api = w->api;
	struct api_call *a;
	struct req *r;

	for (;;) {
		pthread_mutex_lock(&api->mu);
		while (api->head == NULL && !api->stopping)
			pthread_cond_wait(&api->cv, &api->mu);
		a = api->head;
		if (a != NULL) {
			api->head = a->next;
			if (api->head == NULL)
				api->tail = NULL;
		}
		pthread_mutex_unlock(&api->mu);
		if (a == NULL)
			break; /* stopping and drained */
		r = a->r;
		api_handle(w, a);
		api_audit_fill(a, &r->job);
		api_writer_run(api->c, &r->job);
		/* After this r belongs to the daemon thread again. */
		atomic_store(&r->job_done, 1);
		MHD_resume_connection(r->conn);
	}
	return NULL;
}

/* ---- start and stop ---- */

/* Has f a variable the default plan can describe (not free text)? */
static int
api_has_outcome(const struct form *f)
{
	for (size_t i = 0; i < f->nvars; i++)
		if (f->vars[i].type != FORM_T_TEXT)
			return 1;
	return 0;
}

int
api_start(struct collector *c, char *err, size_t errsz)
{
	struct api *api;
	struct diag dg;
	long long n;
	size_t i;
	int k;

	if (c->cfg.no_api)
		return 0;
	if (c->cfg.api_k < 5) {
		snprintf(err, errsz, "--api-k: must be at least 5 (got %u)",
		    c->cfg.api_k);
		return -1;
	}
	/* GSL's default handler aborts; the statistics check every status. */
	gsl_set_error_handler_off();
	if ((api = calloc(1, sizeof(*api))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	c->api = api;
	api->c = c;
	api->k = (long)c->cfg.api_k;
	if (pthread_mutex_init(&api->mu, NULL) != 0 ||
	    pthread_cond_init(&api->cv, NULL) != 0) {
		snprintf(err, errsz, "cannot create a mutex");
		free(api);
		c->api = NULL;
		return -1;
	}
	for (i = 0; i < c->nforms; i++) {
		char *js;
		int prc;
		if (!api_has_outcome(c->forms[i])) {
			/* A plan needs an outcome; free text is never one. */
			http_log(c, "API summary not served for form %s: it has "
			    "only free-text questions, nothing to summarise",
			    c->forms[i]->id);
			goto mutexes;
		}
		if ((js = plan_default_json(c->forms[i])) == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		diag_init(&dg);
		prc = plan_load_buffer("(default plan)", js, strlen(js),
		    c->forms[i], &api->plans[i], &dg);
		free(js);
		if (prc != 0) {
			snprintf(err, errsz, "--form %s: the API's default plan "
			    "does not load: %s: %s", c->cfg.forms[i],
			    dg.n > 0 ? dg.a[0].where : "?",
			    dg.n > 0 ? dg.a[0].what : "?");
			diag_free(&dg);
			return -1;
		}
		diag_free(&dg);
mutexes:
		if (pthread_mutex_init(&api->build[i][KIND_SUMMARY], NULL) ||
		    pthread_mutex_init(&api->build[i][KIND_EXPORT], NULL)) {
			snprintf(err, errsz, "cannot create a mutex");
			return -1;
		}
		api->nbuild = i + 1;
	}
	for (k = 0; k < API_WORKERS; k++) {
		struct api_worker *w = &api->w[k];
		char msg[256];
		w->api = api;
		if (store_open(c->cfg.db_path, STORE_RDONLY, &w->st, msg,
		    sizeof(msg)) != STORE_OK) {
			snprintf(err, errsz, "--db %s: API reader: %s",
			    c->cfg.db_path, msg);
			return -1;
		}
		/* A first read opens the WAL files now, before any sandbox. */
		if (store_changes(w->st, "", &n) != STORE_OK) {
			snprintf(err, errsz, "--db %s: API reader: %s",
			    c->cfg.db_path, store_errmsg(w->st));
			return -1;
		}
		if (pthread_create(&w->th, NULL, api_worker_main, w) != 0) {
			snprintf(err, errsz, "cannot start an API worker");
			return -1;
		}
		w->started = 1;
	}
	return 0;
}

void
api_stop(struct collector *c)
{
	struct api *api = c->api;
	int k;

	if (api == NULL)
		return;
	pthread_mutex_lock(&api->mu);
	api->stopping = 1;
	pthread_cond_broadcast(&api->cv);
	pthread_mutex_unlock(&api->mu);
	for (k = 0; k < API_WORKERS; k++) {
		if (api->w[k].started)
			pthread_join(api->w[k].th, NULL);
		api->w[k].started = 0;
		store_close(api->w[k].st);
		api->w[k].st = NULL;
	}
}

void
api_free(struct collector *c)
{
	struct api *api = c->api;
	size_t i;

	if (api == NULL)
		return;
	api_stop(c);
	for (i = 0; i < api->nbuild; i++) {
		pthread_mutex_destroy(&api->build[i][KIND_SUMMARY]);
		pthread_mutex_destroy(&api->build[i][KIND_EXPORT]);
	}
	for (i = 0; i < COLLECTOR_MAX_FORMS; i++)
		plan_free(api->plans[i]);
	pthread_cond_destroy(&api->cv);
	pthread_mutex_destroy(&api->mu);
	free(api);
	c->api = NULL;
}
