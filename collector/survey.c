/*
 * What each route does: the survey flow (consent, pages, Back, "save and
 * continue later", submit), the receipt, resume and withdrawal, and the
 * operational endpoints. Handlers see only parsed values: a POST body has
 * passed the caps in post.c, and its keys are checked here against what the
 * page could have sent before any value is used. Nothing is stored before
 * the final submit except an explicit draft; a submission is answered only
 * after the writer thread reports its commit (http_job()).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "collector_int.h"

/* ---- expiry of a state ---- */

/*
 * The day or month through which a state started now stays valid: today
 * plus the draft lifetime, cut to the form's period, so no expiry is finer
 * than the date a response carries.
 */
static void
survey_expiry(const struct collector *c, const struct form *f,
    char out[11])
{
	time_t t = time(NULL) + (time_t)c->cfg.draft_days * 86400;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, f->date_month ? "%Y-%m" : "%Y-%m-%d", &tm) == 0)
		store_period_now(out, f->date_month);
}

/* Has the state's expiry passed? (A day or month lasts to its end.) */
static int
survey_expired(const struct seal_state *st)
{
	char today[11];
	size_t n = strlen(st->expires);

	store_period_now(today, 0);
	return n == 0 || strncmp(st->expires, today, n) < 0;
}

/* The keyed hash under which a spent start token is kept. */
static void
survey_token_hash(const struct collector *c, const struct seal_state *st,
    unsigned char out[STORE_HASH_LEN])
{
	char hex[2 * SEAL_TOKEN_LEN + 3] = "t:";

	sodium_bin2hex(hex + 2, sizeof(hex) - 2, st->token, sizeof(st->token));
	store_hash_code(c->key, hex, out);
}

/* ---- languages ---- */

/* The interface language of a tag, or -1 when we have none for it. */
static int
survey_ui_find(const char *tag)
{
	size_t i;

	for (i = 0; i < UI_LANG__MAX; i++) {
		const char *t = pages_ui_tag((enum ui_lang)i);
		size_t n = strlen(t);
		if (strncasecmp(tag, t, n) == 0 &&
		    (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_'))
			return (int)i;
	}
	return -1;
}

/*
 * The best of the form's languages for an Accept-Language header: the
 * highest q among tags the form has; ties go to the earlier tag. -1: none.
 */
static int
survey_accept_lang(const struct form *f, const char *accept)
{
	const char *p = accept;
	int best = -1;
	double bestq = 0;

	while (p != NULL && *p != '\0') {
		char tag[36];
		size_t n = 0;
		double q = 1.0;
		const char *end = strchr(p, ',');
		const char *semi;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		semi = memchr(p, ';', len);
		n = semi ? (size_t)(semi - p) : len;
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (semi != NULL) {
			const char *qs = semi + 1;
			while (qs < p + len && (*qs == ' ' || *qs == '\t'))
				qs++;
			if (qs + 2 <= p + len && qs[0] == 'q' && qs[1] == '=') {
				char qb[8];
				size_t qn = (size_t)(p + len - (qs + 2));
				char *qe;
				if (qn >= sizeof(qb))
					qn = sizeof(qb) - 1;
				memcpy(qb, qs + 2, qn);
				qb[qn] = '\0';
				q = strtod(qb, &qe);
				if (qe == qb || q < 0 || q > 1)
					q = 0;
			}
		}
		if (n > 0 && n < sizeof(tag) && q > bestq) {
			int l;
			memcpy(tag, p, n);
			tag[n] = '\0';
			l = f != NULL ? form_lang_find(f, tag)
			    : survey_ui_find(tag);
			if (l >= 0) {
				best = l;
				bestq = q;
			}
		}
		p = end ? end + 1 : NULL;
	}
	return best;
}

/* ?lang=, else Accept-Language, else the form's default. */
static int
survey_lang(struct req *r, const struct form *f, const char *posted)
{
	const char *q = posted != NULL ? posted : http_query(r, "lang");
	int l;

	if (q != NULL && (l = form_lang_find(f, q)) >= 0)
		return l;
	l = survey_accept_lang(f, http_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	return l >= 0 ? l : 0;
}

enum ui_lang
survey_ui_lang(struct req *r)
{
	const char *q = r->method == M_POST && r->post_on
	    ? post_get(&r->post, "lang") : NULL;
	int l;

	if (q == NULL)
		q = http_query(r, "lang");
	if (q != NULL)
		return pages_ui_lang(q);
	l = survey_accept_lang(NULL, http_header(r,
	    MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	return l >= 0 ? (enum ui_lang)l : UI_EN;
}

/* ---- key checks ---- */

static int
allow_consent(const char *key, void *arg)
{
	(void)arg;
	return strcmp(key, "lang") == 0 || strcmp(key, "consent") == 0 ||
	    strcmp(key, "adult") == 0 || strcmp(key, "action") == 0 ||
	    strcmp(key, "website") == 0;
}

static int
allow_code(const char *key, void *arg)
{
	(void)arg;
	return strcmp(key, "code") == 0 || strcmp(key, "lang") == 0 ||
	    strcmp(key, "website") == 0;
}

/* Keys of a survey page: controls plus the variables of its items. */
static int
allow_page(const char *key, void *arg)
{
	const struct seal_state *st = arg;
	const struct form_page *pg = &st->form->pages[st->page];
	size_t i, k;

	if (strcmp(key, "state") == 0 || strcmp(key, "action") == 0 ||
	    strcmp(key, "website") == 0)
		return 1;
	for (i = 0; i < pg->nitems; i++) {
		const struct form_item *it = &pg->items[i];
		if (it->kind != FORM_GRID) {
			if (strcmp(it->var, key) == 0)
				return 1;
			continue;
		}
		for (k = 0; k < it->nrows; k++)
			if (strcmp(it->rows[k].var, key) == 0)
				return 1;
	}
	return 0;
}

/*
 * Does some key come twice that a browser sends once? Only the boxes of a
 * multiple-choice item repeat; a second "state" or a second value of a
 * radio group would otherwise be read as the first and the rest ignored.
 */
static int
survey_repeated_key(const struct req *r)
{
	const struct post *p = &r->post;
	size_t i, j;
	long iv;

	for (i = 1; i < p->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(p->f[i].key, p->f[j].key) == 0)
				break;
		if (j == i)
			continue;
		iv = r->has_st ? form_var_find(r->st.form, p->f[i].key) : -1;
		if (iv < 0 || r->st.form->vars[iv].item == NULL ||
		    r->st.form->vars[iv].item->kind != FORM_MULTIPLE)
			return 1;
	}
	return 0;
}

/* Common checks of every POST: unknown keys, then the honeypot. */
static int
survey_post_checks(struct req *r, int (*allow)(const char *, void *),
    void *arg, enum hres *res)
{
	const char *hp;

	if (post_keys_allowed(&r->post, allow, arg) != NULL) {
		*res = http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_UNKNOWN_FIELD,
		    REJ_UNKNOWN_FIELD);
		return -1;
	}
	if (survey_repeated_key(r)) {
		*res = http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_REQUEST,
		    REJ_BAD_REQUEST);
		return -1;
	}
	hp = post_get(&r->post, "website");
	if (hp != NULL && hp[0] != '\0') {
		*res = http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_HONEYPOT,
		    REJ_HONEYPOT);
		return -1;
	}
	return 0;
}

/* ---- survey pages ---- */

/* Render page st->page with a freshly sealed state. */
static enum hres
survey_show(struct req *r, unsigned status, const struct diag *errors,
    int use_raw, int too_fast, int storage_failed, int new_items)
{
	struct pages_survey ps;
	char *blob = seal_state(&r->c->seal, &r->st);

	if (blob == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	memset(&ps, 0, sizeof(ps));
	ps.form = r->st.form;
	ps.lang = r->st.lang;
	ps.page = r->st.page;
	ps.answers = r->st.answers;
	ps.state = blob;
	ps.errors = errors;
	ps.raw = use_raw ? &r->post : NULL;
	ps.too_fast = too_fast;
	ps.storage_failed = storage_failed;
	ps.new_items = new_items;
	r->resp.status = status;
	pages_survey(&r->resp.body, &ps);
	free(blob);
	metrics_count(&r->c->met, MET_PAGES);
	return H_DONE;
}

/* Index of a visible page after (dir 1) or before (dir -1) from, or -1. */
static long
survey_next_page(const struct seal_state *st, size_t from, int dir)
{
	long i = (long)from + dir;

	for (; i >= 0 && (size_t)i < st->form->npages; i += dir)
		if (form_page_visible(st->form, (size_t)i, st->answers))
			return i;
	return -1;
}

/*
 * Parse the posted values of the current page into the answers. Values
 * that do not parse are cleared and reported in errs. Returns the number of
 * problems.
 */
static size_t
survey_parse_page(struct req *r, struct diag *errs)
{
	const struct form *f = r->st.form;
	const struct form_page *pg = &f->pages[r->st.page];
	size_t i, k, problems = 0;

	for (i = 0; i < pg->nitems; i++) {
		const struct form_item *it = &pg->items[i];
		size_t nv = it->kind == FORM_GRID ? it->nrows : 1;

		for (k = 0; k < nv; k++) {
			const char *var = it->kind == FORM_GRID
			    ? it->rows[k].var : it->var;
			size_t ivar = it->kind == FORM_GRID ? it->rows[k].ivar
			    : it->ivar;
			const char *vals[FORM_MAX_CHOICES];
			size_t n = post_get_all(&r->post, var, vals,
			    FORM_MAX_CHOICES);
			struct form_value v;
			const char *err = NULL;

			form_answers_clear(r->st.answers, ivar);
			if (n > FORM_MAX_CHOICES) {
				diag_add(errs, var, "%s", "too many values");
				problems++;
				continue;
			}
			if (form_value_parse(f, ivar, vals, n, &v, &err) != 0) {
				diag_add(errs, var, "%s",
				    err != NULL ? err : "invalid");
				problems++;
				continue;
			}
			r->st.answers->v[ivar] = v; /* takes v.text */
		}
	}
	return problems;
}

/* Keep only the problems about variables of page ipage. */
static void
survey_errors_for_page(const struct form *f, size_t ipage,
    const struct diag *all, struct diag *out)
{
	size_t i;

	for (i = 0; i < all->n; i++) {
		long iv = form_var_find(f, all->a[i].where);
		if (iv < 0 || f->vars[iv].item == NULL ||
		    f->vars[iv].item->ipage != ipage)
			continue;
		diag_add(out, all->a[i].where, "%s", all->a[i].what);
	}
}

static enum hres survey_submitted(struct req *r);
static enum hres survey_saved(struct req *r);

/* The final submit: every check, then the insert job. */
static enum hres
survey_submit(struct req *r)
{
	struct collector *c = r->c;
	const struct form *f = r->st.form;
	struct diag all, mine;
	long long now = (long long)time(NULL);

	diag_init(&all);
	diag_init(&mine);
	if (form_answers_check(f, r->st.answers, &all) > 0) {
		/* Only a state from an older page order gets here. */
		long iv = form_var_find(f, all.a[0].where);
		if (iv >= 0 && f->vars[iv].item != NULL)
			r->st.page = f->vars[iv].item->ipage;
		survey_errors_for_page(f, r->st.page, &all, &mine);
		metrics_count(&c->met, MET_VALIDATION);
		enum hres h = survey_show(r, MHD_HTTP_OK, &mine, 0, 0, 0, 0);
		diag_free(&all);
		diag_free(&mine);
		return h;
	}
	diag_free(&all);
	diag_free(&mine);
	if (now - r->st.started < (long long)c->cfg.min_fill_seconds) {
		metrics_reject(&c->met, REJ_TOO_FAST);
		return survey_show(r, MHD_HTTP_OK, NULL, 0, 1, 0, 0);
	}
	form_score(f, r->st.answers);
	r->answers_json = form_answers_to_json(r->st.answers, 0, f->nitem_vars);
	r->scores_json = form_answers_to_json(r->st.answers, f->nitem_vars,
	    f->nvars);
	if (r->answers_json == NULL || r->scores_json == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	code_new(r->code);
	store_period_now(r->period, f->date_month);
	memset(&r->job, 0, sizeof(r->job));
	r->job.kind = STORE_JOB_INSERT;
	randombytes_buf(r->job.resp.id, sizeof(r->job.resp.id));
	r->job.resp.form_id = f->id;
	r->job.resp.form_version = f->version;
	r->job.resp.consent_version = f->consent_version;
	memcpy(r->job.resp.period, r->period, sizeof(r->period));
	r->job.resp.answers = r->answers_json;
	r->job.resp.scores = r->scores_json;
	store_hash_code(c->key, r->code, r->job.resp.receipt_hash);
	/*
	 * One savepoint spends the start token, stores the answers and
	 * deletes the draft they were resumed from: a failed insert loses
	 * neither the draft nor the token.
	 */
	r->job.has_token = 1;
	survey_token_hash(c, &r->st, r->job.token_hash);
	memcpy(r->expires, r->st.expires, sizeof(r->expires));
	r->job.date = r->expires;
	if (r->st.has_draft) {
		r->job.has_draft = 1;
		memcpy(r->job.hash, r->st.draft, STORE_HASH_LEN);
	}
	return http_job(r, survey_submitted);
}

/* The index of f among the served forms. */
static size_t
survey_form_index(const struct collector *c, const struct form *f)
{
	size_t i;

	for (i = 0; i < c->nforms; i++)
		if (c->forms[i] == f)
			return i;
	return 0;
}

/* The client's address tag (abuse_tag), for the one-time receipt. */
static void
survey_client_tag(struct req *r, unsigned char tag[ABUSE_TAG_LEN])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	abuse_tag(r->c->abuse, ci != NULL ? ci->client_addr : NULL, tag);
}

/*
 * After the insert job: on success a 303 to the thank-you page with a
 * one-time ticket (receipt.h), the answers kept on the page if not.
 */
static enum hres
survey_submitted(struct req *r)
{
	struct collector *c = r->c;
	char ticket[RECEIPT_TICKET_LEN + 1];
	unsigned char tag[ABUSE_TAG_LEN];
	size_t need;

	if (r->job.rc == STORE_EXISTS)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_TOKEN_REUSED,
		    REJ_TOKEN_REUSED);
	if (r->job.rc != STORE_OK) {
		metrics_reject(&c->met, REJ_STORAGE);
		http_log(c, "submission not stored: %s",
		    store_strerror(r->job.rc));
		return survey_show(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, 0, 0,
		    1, 0);
	}
	metrics_count(&c->met, MET_SUBMISSIONS);
	survey_client_tag(r, tag);
	if (receipts_put(c->receipts, tag, survey_form_index(c, r->st.form),
	    r->st.lang, r->code, ticket) != 0)
		goto fail;
	need = strlen("/s/") + strlen(r->st.form->id) + strlen("/thanks?t=") +
	    sizeof(ticket);
	r->resp.location = malloc(need);
	if (r->resp.location == NULL)
		goto fail;
	snprintf(r->resp.location, need, "/s/%s/thanks?t=%s", r->st.form->id,
	    ticket);
	r->resp.status = MHD_HTTP_SEE_OTHER;
	html_lit(&r->resp.body, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>Stored</title></head><body><p>"
	    "<a href=\"");
	html_text(&r->resp.body, r->resp.location);
	html_lit(&r->resp.body, "\">Continue</a></p></body></html>\n");
	return H_DONE;
fail:
	/* Stored, but the receipt cannot be shown: say so honestly. */
	http_log(c, "receipt page could not be built");
	return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NOTE_INTERNAL,
	    REJ__MAX);
}

/* "Save and continue later": store the sealed state under a new code. */
static enum hres
survey_save(struct req *r)
{
	struct collector *c = r->c;
	long long now = (long long)time(NULL);

	/*
	 * The draft holds the elapsed fill time, not a clock time, and is
	 * sealed under its resume code; it expires with the state.
	 */
	code_new(r->code);
	memset(&r->job, 0, sizeof(r->job));
	store_hash_code(c->key, r->code, r->job.hash);
	r->dblob = seal_draft(&r->st, r->code, now - r->st.started);
	/* The page shown now continues from the draft, and deletes it. */
	r->st.has_draft = 1;
	memcpy(r->st.draft, r->job.hash, STORE_HASH_LEN);
	r->blob = seal_state(&c->seal, &r->st);
	if (r->dblob == NULL || r->blob == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	memcpy(r->expires, r->st.expires, sizeof(r->expires));
	r->job.kind = STORE_JOB_DRAFT_PUT;
	r->job.form_id = r->st.form->id;
	r->job.date = r->expires;
	r->job.state = r->dblob;
	r->job.state_len = strlen(r->dblob);
	return http_job(r, survey_saved);
}

static enum hres
survey_saved(struct req *r)
{
	if (r->job.rc != STORE_OK) {
		metrics_reject(&r->c->met, REJ_STORAGE);
		http_log(r->c, "draft not stored: %s",
		    store_strerror(r->job.rc));
		return survey_show(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, 0, 0,
		    1, 0);
	}
	metrics_count(&r->c->met, MET_DRAFTS);
	r->resp.status = MHD_HTTP_OK;
	pages_saved(&r->resp.body, r->st.form, r->st.lang, r->code, r->blob,
	    r->c->cfg.draft_days);
	return H_DONE;
}

/* The consent step: no state yet. */
static enum hres
survey_consent_post(struct req *r)
{
	const char *consent, *adult;
	struct form *f = r->form;
	enum hres res;
	long first;

	if (survey_post_checks(r, allow_consent, NULL, &res) != 0)
		return res;
	r->st.lang = survey_lang(r, f, post_get(&r->post, "lang"));
	consent = post_get(&r->post, "consent");
	adult = post_get(&r->post, "adult");
	if (consent == NULL || strcmp(consent, "1") != 0 || adult == NULL ||
	    strcmp(adult, "1") != 0) {
		metrics_reject(&r->c->met, REJ_NO_CONSENT);
		r->resp.status = MHD_HTTP_OK;
		pages_consent(&r->resp.body, f, r->st.lang,
		    consent == NULL || strcmp(consent, "1") != 0,
		    adult == NULL || strcmp(adult, "1") != 0);
		return H_DONE;
	}
	r->st.form = f;
	r->st.answers = form_answers_new(f);
	if (r->st.answers == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	r->has_st = 1;
	r->st.started = (long long)time(NULL);
	survey_expiry(r->c, f, r->st.expires);
	randombytes_buf(r->st.token, sizeof(r->st.token));
	r->st.page = 0;
	if (!form_page_visible(f, 0, r->st.answers) &&
	    (first = survey_next_page(&r->st, 0, 1)) >= 0)
		r->st.page = (size_t)first;
	return survey_show(r, MHD_HTTP_OK, NULL, 0, 0, 0, 0);
}

/*
 * Drop problems about items that were hidden when the page was shown: they
 * appeared because of an answer on this same page, and the person has not
 * seen them yet. Returns 1 when any such item exists.
 */
static int
survey_new_items(const struct form *f, size_t ipage,
    const struct form_answers *before, const struct form_answers *after,
    struct diag *errs)
{
	const struct form_page *pg = &f->pages[ipage];
	struct diag keep;
	size_t i, k;
	int any = 0;

	diag_init(&keep);
	for (i = 0; i < errs->n; i++) {
		long iv = form_var_find(f, errs->a[i].where);
		const struct form_item *it = iv >= 0 ? f->vars[iv].item : NULL;
		if (it != NULL && !form_item_visible(f, it, before) &&
		    form_item_visible(f, it, after))
			continue;
		diag_add(&keep, errs->a[i].where, "%s", errs->a[i].what);
	}
	for (k = 0; k < pg->nitems; k++)
		if (!form_item_visible(f, &pg->items[k], before) &&
		    form_item_visible(f, &pg->items[k], after))
			any = 1;
	diag_free(errs);
	*errs = keep;
	return any;
}

/* Every POST to /s/<id> that carries a state. */
static enum hres
survey_page_post(struct req *r, const char *blob)
{
	struct collector *c = r->c;
	const struct form *f;
	struct form_answers *before = NULL;
	struct diag errs;
	const char *action;
	enum seal_err se;
	enum hres res;
	long nxt;
	int fresh;

	se = seal_state_open(&c->seal, blob, c->forms, c->nforms, &r->st);
	if (se == SEAL_EXPIRED)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_EXPIRED,
		    REJ_EXPIRED_STATE);
	if (se != SEAL_OK || r->st.form != r->form) {
		if (se == SEAL_OK)
			seal_state_free(&r->st);
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_STATE,
		    REJ_BAD_STATE);
	}
	r->has_st = 1;
	f = r->st.form;
	/* A state sealed before states had an expiry gets one now. */
	if (r->st.expires[0] == '\0')
		survey_expiry(c, f, r->st.expires);
	if (survey_expired(&r->st))
		return http_refuse(r, MHD_HTTP_BAD_REQUEST,
		    NOTE_SESSION_EXPIRED, REJ_EXPIRED_STATE);
	if (survey_post_checks(r, allow_page, &r->st, &res) != 0)
		return res;
	action = post_get(&r->post, "action");
	if (action == NULL)
		action = "next"; /* Enter in a field, old browsers */
	if (strcmp(action, "stay") == 0)
		return survey_show(r, MHD_HTTP_OK, NULL, 0, 0, 0, 0);
	if (strcmp(action, "next") != 0 && strcmp(action, "submit") != 0 &&
	    strcmp(action, "back") != 0 && strcmp(action, "save") != 0)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_REQUEST,
		    REJ_BAD_REQUEST);

	before = form_answers_new(f);
	if (before == NULL || form_answers_copy(before, r->st.answers) != 0) {
		form_answers_free(before);
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	}
	diag_init(&errs);
	survey_parse_page(r, &errs);
	if (strcmp(action, "back") == 0 || strcmp(action, "save") == 0) {
		/* Keep what parsed; a half-typed value is not worth a stop. */
		form_answers_free(before);
		diag_free(&errs);
		if (strcmp(action, "save") == 0)
			return survey_save(r);
		nxt = survey_next_page(&r->st, r->st.page, -1);
		if (nxt >= 0)
			r->st.page = (size_t)nxt;
		return survey_show(r, MHD_HTTP_OK, NULL, 0, 0, 0, 0);
	}
	form_page_check(f, r->st.page, r->st.answers, &errs);
	fresh = survey_new_items(f, r->st.page, before, r->st.answers, &errs);
	form_answers_free(before);
	if (errs.n > 0 || fresh) {
		metrics_count(&c->met, MET_VALIDATION);
		res = survey_show(r, MHD_HTTP_OK, &errs, 1, 0, 0, fresh);
		diag_free(&errs);
		return res;
	}
	diag_free(&errs);
	nxt = survey_next_page(&r->st, r->st.page, 1);
	if (nxt >= 0) {
		r->st.page = (size_t)nxt;
		return survey_show(r, MHD_HTTP_OK, NULL, 0, 0, 0, 0);
	}
	return survey_submit(r);
}

static enum hres
survey_post(struct req *r)
{
	const char *blob = post_get(&r->post, "state");

	if (blob != NULL)
		return survey_page_post(r, blob);
	return survey_consent_post(r);
}

static enum hres
survey_get(struct req *r)
{
	int lang = survey_lang(r, r->form, NULL);

	r->resp.status = MHD_HTTP_OK;
	pages_consent(&r->resp.body, r->form, lang, 0, 0);
	return H_DONE;
}

/* ---- receipt ---- */

static enum hres
survey_thanks(struct req *r)
{
	unsigned char tag[ABUSE_TAG_LEN];
	char canon[CODE_LEN + 1];
	int lang = 0;

	survey_client_tag(r, tag);
	if (receipts_take(r->c->receipts, http_query(r, "t"), tag,
	    survey_form_index(r->c, r->form), canon, &lang) != 0 ||
	    lang < 0 || (size_t)lang >= r->form->nlangs) {
		/* Taken, expired, another client's, or never issued. */
		r->ul = survey_ui_lang(r);
		return http_refuse(r, MHD_HTTP_NOT_FOUND, NOTE_RECEIPT_GONE,
		    REJ__MAX);
	}
	r->resp.status = MHD_HTTP_OK;
	pages_thanks(&r->resp.body, r->form, lang, canon);
	sodium_memzero(canon, sizeof(canon));
	return H_DONE;
}

/* ---- resume and withdraw ---- */

static enum hres survey_resumed(struct req *r);
static enum hres survey_withdrawn(struct req *r);

/* Parse the posted code; on failure render the page with err 1. */
static int
survey_code(struct req *r, void (*page)(struct html *, enum ui_lang, int),
    enum hres *res)
{
	const char *in;

	r->ul = survey_ui_lang(r);
	if (survey_post_checks(r, allow_code, NULL, res) != 0)
		return -1;
	in = post_get(&r->post, "code");
	if (in == NULL || code_parse(in, strlen(in), r->code) != 0) {
		r->resp.status = MHD_HTTP_BAD_REQUEST;
		page(&r->resp.body, r->ul, 1);
		*res = H_DONE;
		return -1;
	}
	return 0;
}

static enum hres
survey_resume_post(struct req *r)
{
	enum hres res;

	if (survey_code(r, pages_resume, &res) != 0)
		return res;
	memset(&r->job, 0, sizeof(r->job));
	r->job.kind = STORE_JOB_DRAFT_GET;
	store_hash_code(r->c->key, r->code, r->job.hash);
	store_period_now(r->period, 0);
	r->job.date = r->period;
	return http_job(r, survey_resumed);
}

static enum hres
survey_resumed(struct req *r)
{
	struct collector *c = r->c;
	char *blob;
	enum seal_err se;
	size_t i;

	if (r->job.rc == STORE_NOTFOUND) {
		r->resp.status = MHD_HTTP_NOT_FOUND;
		pages_resume(&r->resp.body, r->ul, 2);
		return H_DONE;
	}
	if (r->job.rc != STORE_OK || r->job.out_state == NULL) {
		metrics_reject(&c->met, REJ_STORAGE);
		http_log(c, "draft not read: %s", store_strerror(r->job.rc));
		return http_refuse(r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    NOTE_UNAVAILABLE, REJ__MAX);
	}
	if (r->job.out_len > SEAL_MAX_B64 ||
	    (blob = malloc(r->job.out_len + 1)) == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	memcpy(blob, r->job.out_state, r->job.out_len);
	blob[r->job.out_len] = '\0';
	if (r->job.out_scheme == STORE_DRAFT_CODE)
		se = seal_draft_open(r->code, blob, c->forms, c->nforms,
		    (long long)time(NULL), &r->st);
	else /* saved before drafts were sealed under their code */
		se = seal_state_open(&c->seal, blob, c->forms, c->nforms,
		    &r->st);
	free(blob);
	if (se == SEAL_OK && r->st.expires[0] == '\0')
		survey_expiry(c, r->st.form, r->st.expires);
	if (se == SEAL_EXPIRED)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_EXPIRED,
		    REJ_EXPIRED_STATE);
	if (se != SEAL_OK)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_STATE,
		    REJ_BAD_STATE);
	r->has_st = 1;
	if (survey_expired(&r->st))
		return http_refuse(r, MHD_HTTP_BAD_REQUEST,
		    NOTE_SESSION_EXPIRED, REJ_EXPIRED_STATE);
	r->st.has_draft = 1;
	for (i = 0; i < STORE_HASH_LEN; i++)
		r->st.draft[i] = r->job.hash[i];
	metrics_count(&c->met, MET_RESUMES);
	return survey_show(r, MHD_HTTP_OK, NULL, 0, 0, 0, 0);
}

static enum hres
survey_withdraw_post(struct req *r)
{
	enum hres res;

	if (survey_code(r, pages_withdraw, &res) != 0)
		return res;
	memset(&r->job, 0, sizeof(r->job));
	r->job.kind = STORE_JOB_WITHDRAW;
	store_hash_code(r->c->key, r->code, r->job.hash);
	return http_job(r, survey_withdrawn);
}

static enum hres
survey_withdrawn(struct req *r)
{
	if (r->job.rc == STORE_NOTFOUND) {
		r->resp.status = MHD_HTTP_NOT_FOUND;
		pages_withdraw(&r->resp.body, r->ul, 2);
		return H_DONE;
	}
	if (r->job.rc != STORE_OK) {
		metrics_reject(&r->c->met, REJ_STORAGE);
		http_log(r->c, "withdrawal not done: %s",
		    store_strerror(r->job.rc));
		return http_refuse(r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    NOTE_UNAVAILABLE, REJ__MAX);
	}
	metrics_count(&r->c->met, MET_WITHDRAWALS);
	r->resp.status = MHD_HTTP_OK;
	pages_withdrawn(&r->resp.body, r->ul);
	return H_DONE;
}

/* ---- the rest ---- */

static enum hres
survey_index(struct req *r)
{
	enum ui_lang ul = survey_ui_lang(r);

	r->resp.status = MHD_HTTP_OK;
	pages_index(&r->resp.body, ul, r->c->forms, r->c->nforms,
	    pages_ui_tag(ul));
	return H_DONE;
}

static enum hres
survey_metrics(struct req *r)
{
	struct collector *c = r->c;
	struct store_writer_stats st;
	size_t depth = 0;
	int have = 0;

	memset(&st, 0, sizeof(st));
	if (pthread_mutex_lock(&c->wmu) == 0) {
		if (c->w != NULL) {
			depth = store_writer_depth(c->w);
			store_writer_stats(c->w, &st);
			have = 1;
		}
		pthread_mutex_unlock(&c->wmu);
	}
	r->resp.status = MHD_HTTP_OK;
	r->resp.ctype = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(&c->met, depth, have ? &st : NULL, &r->resp.body);
	return H_DONE;
}

enum hres
survey_dispatch(struct req *r)
{
	int post = r->method == M_POST;

	switch (r->route) {
	case ROUTE_INDEX:
		return survey_index(r);
	case ROUTE_SURVEY:
		return post ? survey_post(r) : survey_get(r);
	case ROUTE_THANKS:
		return survey_thanks(r);
	case ROUTE_RESUME:
		if (post)
			return survey_resume_post(r);
		r->resp.status = MHD_HTTP_OK;
		pages_resume(&r->resp.body, survey_ui_lang(r), 0);
		return H_DONE;
	case ROUTE_WITHDRAW:
		if (post)
			return survey_withdraw_post(r);
		r->resp.status = MHD_HTTP_OK;
		pages_withdraw(&r->resp.body, survey_ui_lang(r), 0);
		return H_DONE;
	case ROUTE_HEALTHZ:
		r->resp.status = MHD_HTTP_OK;
		r->resp.ctype = "text/plain; charset=utf-8";
		html_lit(&r->resp.body, "ok\n");
		return H_DONE;
	case ROUTE_METRICS:
		return survey_metrics(r);
	case ROUTE_CSS:
		r->resp.status = MHD_HTTP_OK;
		r->resp.ctype = "text/css; charset=utf-8";
		r->resp.cacheable = 1;
		html_lit(&r->resp.body, pages_css);
		return H_DONE;
	case ROUTE_JS:
		r->resp.status = MHD_HTTP_OK;
		r->resp.ctype = "text/javascript; charset=utf-8";
		r->resp.cacheable = 1;
		html_lit(&r->resp.body, pages_js);
		return H_DONE;
	default:
		return http_refuse(r, MHD_HTTP_NOT_FOUND, NOTE_NOT_FOUND,
		    REJ__MAX);
	}
}
