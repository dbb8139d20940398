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

/* ---- the study window ---- */

/* Where today is in f's window (form.h). */
static enum form_phase
survey_phase(const struct form *f)
{
	char today[11];

	form_today(f, today);
	return form_phase_on(f, today);
}

/*
 * Answer with the page that says where f's window is (pages_window), in
 * form language lang: the start page (status 200), or the refusal of a
 * start, a step, a resume or a withdrawal (403), counted as
 * outside_window.
 */
static enum hres
survey_window_page(struct req *r, const struct form *f, int lang,
    enum form_phase ph, unsigned status)
{
	if (status != MHD_HTTP_OK)
		metrics_reject(&r->c->met, REJ_WINDOW);
	if (lang < 0 || (size_t)lang >= f->nlangs)
		lang = 0;
	r->resp.status = status;
	pages_window(&r->resp.body, f, lang, ph);
	return H_DONE;
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
	    strcmp(key, "website") == 0 || strcmp(key, "step") == 0;
}

/*
 * Keys of a survey page: controls (with "v", the ticket the page was shown
 * under) plus the variables of its items.
 */
static int
allow_page(const char *key, void *arg)
{
	const struct seal_state *st = arg;
	const struct form_page *pg;
	size_t i, k;

	if (strcmp(key, "state") == 0 || strcmp(key, "action") == 0 ||
	    strcmp(key, "website") == 0 || strcmp(key, "v") == 0 ||
	    strcmp(key, "live") == 0)
		return 1;
	if (st->page >= st->form->npages)
		return 0; /* check your answers: controls only */
	pg = &st->form->pages[st->page];
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

/* ---- journeys: the state behind a redirect ---- */

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

/* The client's address tag (abuse_tag), for receipts and journeys. */
static void
survey_client_tag(struct req *r, unsigned char tag[ABUSE_TAG_LEN])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	abuse_tag(r->c->abuse, ci != NULL ? ci->client_addr : NULL, tag);
}

/* A 303 to the local URL url (copied), with a link for old clients. */
static enum hres
survey_see_other(struct req *r, const char *url)
{
	size_t n = strlen(url) + 1;

	free(r->resp.location);
	if ((r->resp.location = malloc(n)) == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	memcpy(r->resp.location, url, n);
	html_free(&r->resp.body);
	html_init(&r->resp.body, HTTP_PAGE_MAX);
	r->resp.status = MHD_HTTP_SEE_OTHER;
	html_lit(&r->resp.body, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>Continue</title></head><body><p>"
	    "<a href=\"");
	html_text(&r->resp.body, url);
	html_lit(&r->resp.body, "\">Continue</a></p></body></html>\n");
	return H_DONE;
}

/* "/s/<id>/p?v=<ticket>" for page (with flags) of r's journey. */
static void
survey_view_url(const struct req *r, const unsigned char
    nonce[JOURNEY_NONCE_LEN], unsigned page, char *out, size_t len)
{
	char ticket[JOURNEY_TICKET_LEN + 1];

	journey_ticket(&r->jid, nonce, page, ticket);
	snprintf(out, len, "/s/%s/p?v=%s", r->st.form->id, ticket);
}

#define SURVEY_URL_MAX (sizeof("/s//p?v=") + 64 + JOURNEY_TICKET_LEN + 1)

/*
 * Keep r->st as the latest state of r's journey (a new journey when it has
 * none or lost it), with flash (plain JSON, or NULL) for the new view, and
 * answer 303 to the view of page (with its flags).
 */
static enum hres
survey_redirect_view(struct req *r, unsigned page, const char *flash_plain)
{
	struct collector *c = r->c;
	unsigned char tag[ABUSE_TAG_LEN], nonce[JOURNEY_NONCE_LEN];
	size_t form = survey_form_index(c, r->st.form);
	long long now = (long long)time(NULL);
	char url[SURVEY_URL_MAX];
	int tries;

	survey_client_tag(r, tag);
	for (tries = 0; tries < 2; tries++) {
		char *held, *flash = NULL;
		int rc;

		if (!r->has_jid) {
			if (journeys_create(c->journeys, tag, form,
			    &r->jid) != 0)
				break;
			r->has_jid = 1;
		}
		held = seal_held(&r->st, r->jid.secret, JOURNEY_SECRET_LEN,
		    now - r->st.started);
		if (flash_plain != NULL)
			flash = seal_held_box(r->jid.secret, JOURNEY_SECRET_LEN,
			    SEAL_HELD_FLASH, flash_plain, strlen(flash_plain));
		rc = held == NULL || (flash_plain != NULL && flash == NULL)
		    ? -1 : journeys_put(c->journeys, &r->jid, tag, form, held,
		    flash, nonce);
		free(held);
		free(flash);
		if (rc == 0) {
			survey_view_url(r, nonce, page, url, sizeof(url));
			return survey_see_other(r, url);
		}
		r->has_jid = 0; /* dropped or taken over: start a new one */
	}
	return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NOTE_INTERNAL,
	    REJ__MAX);
}

/*
 * The journey a POST came from (its hidden "v"): remember it, and when it
 * still holds this respondent's state, continue from that state's answers.
 * A page the browser kept from earlier (a back-forward cache, a second
 * tab) then loses nothing given on later pages. Returns the view's page
 * flags (JOURNEY_FROM_SUMMARY), 0 when there is no journey.
 */
static unsigned
survey_adopt_journey(struct req *r)
{
	struct collector *c = r->c;
	const char *v = post_get(&r->post, "v");
	unsigned char tag[ABUSE_TAG_LEN];
	struct journey_view jv;
	struct seal_state held;
	unsigned flags;

	if (v == NULL)
		return 0;
	survey_client_tag(r, tag);
	if (journeys_open(c->journeys, v, tag, survey_form_index(c,
	    r->st.form), &jv) != 0)
		return 0;
	flags = jv.page & JOURNEY_FROM_SUMMARY;
	if (jv.mode != JOURNEY_LIVE || jv.held == NULL) {
		/* Saved or submitted: this page is older; start anew. */
		journey_view_free(&jv);
		return flags;
	}
	r->jid = jv.id;
	r->has_jid = 1;
	if (seal_held_open(jv.id.secret, JOURNEY_SECRET_LEN, jv.held, c->forms,
	    c->nforms, (long long)time(NULL), &held) == SEAL_OK) {
		if (held.form == r->st.form &&
		    sodium_memcmp(held.token, r->st.token,
		    sizeof(held.token)) == 0) {
			struct form_answers *a = r->st.answers;
			r->st.answers = held.answers;
			held.answers = a;
			if (held.has_draft && !r->st.has_draft) {
				r->st.has_draft = 1;
				memcpy(r->st.draft, held.draft,
				    sizeof(r->st.draft));
			}
		}
		seal_state_free(&held);
	}
	journey_view_free(&jv);
	return flags;
}

/* ---- flashes: what one view shows besides the answers ---- */

enum {
	FLASH_TOO_FAST = 1,  /* ask to review and submit again */
	FLASH_NEW_ITEMS = 2, /* questions appeared after an answer */
};

/*
 * The flash of a view with errors: flags, the problems (variable, rule)
 * and what was typed into fields whose value did not parse. Plain JSON;
 * NULL on allocation failure.
 */
static char *
survey_flash_make(const struct req *r, unsigned flags,
    const struct diag *errs)
{
	json_t *o = json_object(), *e = json_array(), *raw = json_array();
	char *out = NULL;
	size_t i;

	if (o == NULL || e == NULL || raw == NULL)
		goto out;
	for (i = 0; errs != NULL && i < errs->n; i++) {
		const char *w = errs->a[i].where, *typed;
		long iv;

		if (w == NULL)
			continue;
		if (json_array_append_new(e, json_pack("[ss]", w,
		    errs->a[i].what != NULL ? errs->a[i].what : "")) != 0)
			goto out;
		iv = form_var_find(r->st.form, w);
		typed = r->post_on ? post_get(&r->post, w) : NULL;
		if (iv >= 0 && typed != NULL && typed[0] != '\0' &&
		    !r->st.answers->v[iv].set &&
		    json_array_append_new(raw, json_pack("[ss]", w, typed)) != 0)
			goto out;
	}
	if (json_object_set_new(o, "f", json_integer(flags)) != 0 ||
	    json_object_set(o, "e", e) != 0 || json_object_set(o, "r", raw) != 0)
		goto out;
	out = json_dumps(o, JSON_COMPACT);
out:
	json_decref(e);
	json_decref(raw);
	json_decref(o);
	return out;
}

/* A flash read back for one GET (survey_flash_read). */
struct survey_flash {
	unsigned flags;
	struct diag errs;
	struct post raw;     /* typed values, as a body would carry them */
	json_t *doc;         /* owns the strings of raw */
	char code[CODE_LEN + 1]; /* a saved journey's resume code */
};

static void
survey_flash_free(struct survey_flash *fl)
{
	diag_free(&fl->errs);
	free(fl->raw.f);
	json_decref(fl->doc);
	sodium_memzero(fl->code, sizeof(fl->code));
	memset(fl, 0, sizeof(*fl));
}

/* Open and read a sealed flash. 0, or -1 when it does not open. */
static int
survey_flash_read(const struct journey_id *id, const char *sealed,
    struct survey_flash *fl)
{
	size_t len, i, n;
	char *plain;
	json_t *e, *raw, *x;
	const char *code;

	memset(fl, 0, sizeof(*fl));
	diag_init(&fl->errs);
	plain = seal_held_unbox(id->secret, JOURNEY_SECRET_LEN,
	    SEAL_HELD_FLASH, sealed, &len);
	if (plain == NULL)
		return -1;
	fl->doc = json_loadb(plain, len, 0, NULL);
	sodium_memzero(plain, len);
	free(plain);
	if (!json_is_object(fl->doc))
		return -1;
	code = json_string_value(json_object_get(fl->doc, "code"));
	if (code != NULL && strlen(code) == CODE_LEN)
		memcpy(fl->code, code, CODE_LEN + 1);
	fl->flags = (unsigned)json_integer_value(json_object_get(fl->doc,
	    "f"));
	e = json_object_get(fl->doc, "e");
	json_array_foreach(e, i, x) {
		const char *w = json_string_value(json_array_get(x, 0));
		const char *what = json_string_value(json_array_get(x, 1));
		if (w != NULL && what != NULL)
			diag_add(&fl->errs, w, "%s", what);
	}
	raw = json_object_get(fl->doc, "r");
	n = json_array_size(raw);
	if (n > 0 && (fl->raw.f = calloc(n, sizeof(*fl->raw.f))) == NULL)
		return -1;
	json_array_foreach(raw, i, x) {
		const char *w = json_string_value(json_array_get(x, 0));
		const char *v = json_string_value(json_array_get(x, 1));
		if (w == NULL || v == NULL)
			continue;
		fl->raw.f[fl->raw.n].key = (char *)w;
		fl->raw.f[fl->raw.n].val = (char *)v;
		fl->raw.f[fl->raw.n].len = strlen(v);
		fl->raw.n++;
	}
	return 0;
}

/* ---- survey pages ---- */

/*
 * Render step r->st.page (a page, or npages: check your answers) with a
 * freshly sealed state, the ticket of its journey, and what fl says (may
 * be NULL). Direct answers (a storage failure) pass storage_failed.
 */
static enum hres
survey_show(struct req *r, unsigned status, const struct survey_flash *fl,
    int storage_failed)
{
	const struct form *f = r->st.form;
	struct pages_survey ps;
	char *blob = seal_state(&r->c->seal, &r->st);
	char ticket[JOURNEY_TICKET_LEN + 1];
	char (*change)[SURVEY_URL_MAX] = NULL;
	const char **change_p = NULL;
	unsigned char nonce[JOURNEY_NONCE_LEN];
	size_t i;

	if (blob == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	memset(&ps, 0, sizeof(ps));
	ps.form = f;
	ps.lang = r->st.lang;
	ps.page = r->st.page;
	ps.answers = r->st.answers;
	ps.state = blob;
	if (r->has_jid) {
		randombytes_buf(nonce, sizeof(nonce));
		journey_ticket(&r->jid, nonce, (unsigned)r->st.page, ticket);
		ps.view = ticket;
	}
	if (r->st.page == f->npages && r->has_jid) {
		/* Check your answers: a Change link per page shown. */
		change = calloc(f->npages, sizeof(*change));
		change_p = calloc(f->npages, sizeof(*change_p));
		if (change == NULL || change_p == NULL)
			goto fail;
		for (i = 0; i < f->npages; i++) {
			if (!form_page_visible(f, i, r->st.answers))
				continue;
			randombytes_buf(nonce, sizeof(nonce));
			survey_view_url(r, nonce, (unsigned)i |
			    JOURNEY_FROM_SUMMARY, change[i], sizeof(change[i]));
			change_p[i] = change[i];
		}
		ps.change = change_p;
	}
	if (fl != NULL) {
		ps.errors = fl->errs.n > 0 ? &fl->errs : NULL;
		ps.raw = fl->raw.n > 0 ? &fl->raw : NULL;
		ps.too_fast = (fl->flags & FLASH_TOO_FAST) != 0;
		ps.new_items = (fl->flags & FLASH_NEW_ITEMS) != 0;
	}
	ps.storage_failed = storage_failed;
	r->resp.status = status;
	pages_survey(&r->resp.body, &ps);
	free(blob);
	free(change);
	free(change_p);
	metrics_count(&r->c->met, MET_PAGES);
	return H_DONE;
fail:
	free(blob);
	free(change);
	free(change_p);
	return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NOTE_INTERNAL,
	    REJ__MAX);
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
 * The step after page from: the next page shown, or check your answers
 * (npages). After a Change link (from_summary) the pages already complete
 * are passed over: the person goes back to the summary unless the change
 * opened a page with questions still to answer.
 */
static size_t
survey_step_after(const struct seal_state *st, size_t from, int from_summary)
{
	const struct form *f = st->form;
	struct form_answers *tmp;
	struct diag d;
	long i = (long)from;

	while ((i = survey_next_page(st, (size_t)i, 1)) >= 0) {
		size_t problems;

		if (!from_summary)
			return (size_t)i;
		tmp = form_answers_new(f);
		if (tmp == NULL || form_answers_copy(tmp, st->answers) != 0) {
			form_answers_free(tmp);
			return (size_t)i; /* defensive: show the page */
		}
		diag_init(&d);
		problems = form_page_check(f, (size_t)i, tmp, &d);
		diag_free(&d);
		form_answers_free(tmp);
		if (problems > 0)
			return (size_t)i;
	}
	return f->npages;
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

/* 303 to the view of page with a flash of flags and errs. */
static enum hres
survey_redirect_flash(struct req *r, unsigned page, unsigned flags,
    const struct diag *errs)
{
	char *flash = survey_flash_make(r, flags, errs);
	enum hres h;

	if (flash == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	h = survey_redirect_view(r, page, flash);
	sodium_memzero(flash, strlen(flash));
	free(flash);
	return h;
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
	enum hres h;

	diag_init(&all);
	diag_init(&mine);
	if (form_answers_check(f, r->st.answers, &all) > 0) {
		/* A page left with a problem (an older page order, a page
		 * sent on its own): show the first such page. */
		long iv = form_var_find(f, all.a[0].where);
		if (iv >= 0 && f->vars[iv].item != NULL)
			r->st.page = f->vars[iv].item->ipage;
		else if (r->st.page >= f->npages)
			r->st.page = 0;
		survey_errors_for_page(f, r->st.page, &all, &mine);
		metrics_count(&c->met, MET_VALIDATION);
		h = survey_redirect_flash(r, (unsigned)r->st.page, 0, &mine);
		diag_free(&all);
		diag_free(&mine);
		return h;
	}
	diag_free(&all);
	diag_free(&mine);
	if (now - r->st.started < (long long)c->cfg.min_fill_seconds) {
		metrics_reject(&c->met, REJ_TOO_FAST);
		return survey_redirect_flash(r, (unsigned)r->st.page,
		    FLASH_TOO_FAST, NULL);
	}
	form_score(f, r->st.answers);
	r->answers_json = form_answers_to_json(r->st.answers, 0, f->nitem_vars);
	r->scores_json = form_answers_to_json(r->st.answers, f->nitem_vars,
	    f->nvars);
	if (r->answers_json == NULL || r->scores_json == NULL)
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	code_new(r->code, CODE_RECEIPT);
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

/* End r's journey (saved or submitted) so Back shows only that. */
static void
survey_end_journey(struct req *r, enum journey_mode mode, const char *flash,
    unsigned char nonce[JOURNEY_NONCE_LEN])
{
	struct collector *c = r->c;
	unsigned char tag[ABUSE_TAG_LEN];
	size_t form = survey_form_index(c, r->st.form);

	survey_client_tag(r, tag);
	if (r->has_jid && journeys_end(c->journeys, &r->jid, tag, form, mode,
	    r->st.lang, flash, nonce) == 0)
		return;
	if (journeys_create(c->journeys, tag, form, &r->jid) == 0 &&
	    journeys_end(c->journeys, &r->jid, tag, form, mode, r->st.lang,
	    flash, nonce) == 0) {
		r->has_jid = 1;
		return;
	}
	r->has_jid = 0;
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
	unsigned char tag[ABUSE_TAG_LEN], nonce[JOURNEY_NONCE_LEN];
	char url[sizeof("/s//thanks?t=") + 64 + RECEIPT_TICKET_LEN + 1];

	if (r->job.rc == STORE_EXISTS)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_TOKEN_REUSED,
		    REJ_TOKEN_REUSED);
	if (r->job.rc != STORE_OK) {
		metrics_reject(&c->met, REJ_STORAGE);
		http_log(c, "submission not stored: %s",
		    store_strerror(r->job.rc));
		return survey_show(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, 1);
	}
	metrics_count(&c->met, MET_SUBMISSIONS);
	/* Back from the thank-you page now says only that the answers are in. */
	survey_end_journey(r, JOURNEY_DONE, NULL, nonce);
	survey_client_tag(r, tag);
	if (receipts_put(c->receipts, tag, survey_form_index(c, r->st.form),
	    r->st.lang, r->code, ticket) != 0) {
		/* Stored, but the receipt cannot be shown: say so honestly. */
		http_log(c, "receipt page could not be built");
		return http_refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NOTE_INTERNAL, REJ__MAX);
	}
	snprintf(url, sizeof(url), "/s/%s/thanks?t=%s", r->st.form->id,
	    ticket);
	return survey_see_other(r, url);
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
	code_new(r->code, CODE_RESUME);
	memset(&r->job, 0, sizeof(r->job));
	store_hash_code(c->key, r->code, r->job.hash);
	r->dblob = seal_draft(&r->st, r->code, now - r->st.started);
	if (r->dblob == NULL)
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

/*
 * The site's address for the pages that give a code: --public-url when
 * given, else as the browser reached it ("https://host:port"), and ""
 * when the Host header is not a plain host (the page then says "this
 * site's address"). Behind a TLS-terminating proxy, X-Forwarded-Proto
 * says https.
 */
static void
survey_site(struct req *r, char *out, size_t len)
{
	if (r->c->public_url[0] != '\0') {
		snprintf(out, len, "%s", r->c->public_url);
		return;
	}
	const char *host = http_header(r, MHD_HTTP_HEADER_HOST);
	const char *proto = http_header(r, "X-Forwarded-Proto");
	int tls = r->c->tls || (proto != NULL && strcmp(proto, "https") == 0);
	size_t n = host != NULL ? strlen(host) : 0;

	/* Only a plain host[:port]: anything else is not shown. */
	if (n == 0 || n > 255 || strspn(host, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != n)
		host = NULL;
	if (host == NULL)
		snprintf(out, len, "%s", "");
	else
		snprintf(out, len, "%s://%s", tls ? "https" : "http", host);
}

/* The page that shows a resume code (once). */
static void
survey_page_saved(struct req *r, const char *code)
{
	char site[300];

	survey_site(r, site, sizeof(site));
	pages_saved(&r->resp.body, r->st.form, r->st.lang, code, site,
	    r->c->cfg.draft_days);
}

/*
 * The draft is stored: the journey forgets the answers (a person who saves
 * may be leaving a shared device), keeps the code for one showing, and
 * the browser is sent to that showing.
 */
static enum hres
survey_saved(struct req *r)
{
	unsigned char nonce[JOURNEY_NONCE_LEN];
	char url[SURVEY_URL_MAX], *flash = NULL, *plain;
	json_t *o;

	if (r->job.rc != STORE_OK) {
		metrics_reject(&r->c->met, REJ_STORAGE);
		http_log(r->c, "draft not stored: %s",
		    store_strerror(r->job.rc));
		return survey_show(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, 1);
	}
	metrics_count(&r->c->met, MET_DRAFTS);
	o = json_pack("{ss}", "code", r->code);
	plain = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (plain != NULL && !r->has_jid) {
		unsigned char tag[ABUSE_TAG_LEN];
		survey_client_tag(r, tag);
		if (journeys_create(r->c->journeys, tag, survey_form_index(r->c,
		    r->st.form), &r->jid) == 0)
			r->has_jid = 1;
	}
	if (plain != NULL && r->has_jid)
		flash = seal_held_box(r->jid.secret, JOURNEY_SECRET_LEN,
		    SEAL_HELD_FLASH, plain, strlen(plain));
	if (plain != NULL) {
		sodium_memzero(plain, strlen(plain));
		free(plain);
	}
	if (flash == NULL)
		goto direct;
	survey_end_journey(r, JOURNEY_SAVED, flash, nonce);
	free(flash);
	if (!r->has_jid)
		goto direct;
	survey_view_url(r, nonce, (unsigned)r->st.page, url, sizeof(url));
	return survey_see_other(r, url);
direct:
	/* No room to keep it: show the code now rather than lose it. */
	r->resp.status = MHD_HTTP_OK;
	survey_page_saved(r, r->code);
	return H_DONE;
}

/* The consent step: no state yet. */
static enum hres
survey_consent_post(struct req *r)
{
	const char *consent, *adult;
	struct form *f = r->form;
	enum form_phase ph;
	enum hres res;
	long first;
	int missing = 0;

	if (survey_post_checks(r, allow_consent, NULL, &res) != 0)
		return res;
	r->st.lang = survey_lang(r, f, post_get(&r->post, "lang"));
	/* Outside the window no journey starts: nothing new is taken. */
	if ((ph = survey_phase(f)) != FORM_PHASE_OPEN)
		return survey_window_page(r, f, r->st.lang, ph,
		    MHD_HTTP_FORBIDDEN);
	consent = post_get(&r->post, "consent");
	adult = post_get(&r->post, "adult");
	if (consent == NULL || strcmp(consent, "1") != 0)
		missing |= 1;
	if (adult == NULL || strcmp(adult, "1") != 0)
		missing |= 2;
	if (missing) {
		char url[160];
		metrics_reject(&r->c->met, REJ_NO_CONSENT);
		snprintf(url, sizeof(url), "/s/%s?lang=%s&missing=%d", f->id,
		    f->langs[r->st.lang], missing);
		return survey_see_other(r, url);
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
	return survey_redirect_view(r, (unsigned)r->st.page, NULL);
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

/* A POST from the check-your-answers step (page npages). */
static enum hres
survey_summary_post(struct req *r, const char *action)
{
	long prev;

	if (strcmp(action, "back") == 0) {
		prev = survey_next_page(&r->st, r->st.form->npages, -1);
		if (prev >= 0)
			r->st.page = (size_t)prev;
		return survey_redirect_view(r, (unsigned)r->st.page, NULL);
	}
	if (strcmp(action, "save") == 0)
		return survey_save(r);
	if (strcmp(action, "stay") == 0)
		return survey_redirect_view(r, (unsigned)r->st.page, NULL);
	return survey_submit(r); /* submit, next, Enter */
}

/* The POST of a page of questions. */
static enum hres
survey_question_post(struct req *r, const char *action, int from_summary)
{
	struct collector *c = r->c;
	const struct form *f = r->st.form;
	struct form_answers *before = NULL;
	struct diag errs;
	enum hres res;
	const char *lv;
	long nxt;
	int fresh;

	if (strcmp(action, "stay") == 0)
		return survey_redirect_view(r, (unsigned)r->st.page, NULL);
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
		return survey_redirect_view(r, (unsigned)r->st.page, NULL);
	}
	form_page_check(f, r->st.page, r->st.answers, &errs);
	/*
	 * live=1: the page's script showed each follow-up as soon as its
	 * answer was given (app.js), so the person has seen every item that
	 * is now visible, and its problems stand like any other's. Without
	 * it a follow-up that appeared only now sends the page back first.
	 */
	lv = post_get(&r->post, "live");
	if (lv != NULL && strcmp(lv, "1") == 0)
		fresh = 0;
	else
		fresh = survey_new_items(f, r->st.page, before, r->st.answers,
		    &errs);
	form_answers_free(before);
	if (errs.n > 0 || fresh) {
		metrics_count(&c->met, MET_VALIDATION);
		res = survey_redirect_flash(r, (unsigned)r->st.page |
		    (from_summary ? JOURNEY_FROM_SUMMARY : 0u),
		    fresh ? FLASH_NEW_ITEMS : 0, &errs);
		diag_free(&errs);
		return res;
	}
	diag_free(&errs);
	/*
	 * "submit" comes only from pages rendered before the check-your-
	 * answers step existed, and from scripts: it submits from the last
	 * page as it always did.
	 */
	if (strcmp(action, "submit") == 0 &&
	    survey_next_page(&r->st, r->st.page, 1) < 0)
		return survey_submit(r);
	nxt = (long)survey_step_after(&r->st, r->st.page, from_summary);
	r->st.page = (size_t)nxt;
	return survey_redirect_view(r, (unsigned)r->st.page |
	    (from_summary && (size_t)nxt < f->npages ? JOURNEY_FROM_SUMMARY : 0u),
	    NULL);
}

/* Every POST to /s/<id> that carries a state. */
static enum hres
survey_page_post(struct req *r, const char *blob)
{
	struct collector *c = r->c;
	const char *action;
	enum form_phase ph;
	enum seal_err se;
	enum hres res;
	unsigned flags;

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
	/*
	 * A journey started before closing may still be finished and sent
	 * until the data are final, but not after.
	 */
	if ((ph = survey_phase(r->st.form)) == FORM_PHASE_FINAL ||
	    ph == FORM_PHASE_BEFORE)
		return survey_window_page(r, r->st.form, r->st.lang, ph,
		    MHD_HTTP_FORBIDDEN);
	/* A state sealed before states had an expiry gets one now. */
	if (r->st.expires[0] == '\0')
		survey_expiry(c, r->st.form, r->st.expires);
	if (survey_expired(&r->st))
		return http_refuse(r, MHD_HTTP_BAD_REQUEST,
		    NOTE_SESSION_EXPIRED, REJ_EXPIRED_STATE);
	if (survey_post_checks(r, allow_page, &r->st, &res) != 0)
		return res;
	action = post_get(&r->post, "action");
	if (action == NULL)
		action = "next"; /* Enter in a field, old browsers */
	if (strcmp(action, "next") != 0 && strcmp(action, "submit") != 0 &&
	    strcmp(action, "back") != 0 && strcmp(action, "save") != 0 &&
	    strcmp(action, "stay") != 0)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_REQUEST,
		    REJ_BAD_REQUEST);
	flags = survey_adopt_journey(r);
	if (r->st.page >= r->st.form->npages)
		return survey_summary_post(r, action);
	return survey_question_post(r, action,
	    (flags & JOURNEY_FROM_SUMMARY) != 0);
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
	const char *m = http_query(r, "missing");
	int missing = m != NULL && m[0] >= '1' && m[0] <= '3' && m[1] == '\0'
	    ? m[0] - '0' : 0;
	enum form_phase ph = survey_phase(r->form);

	/* Outside its window the start page says when, and offers no start. */
	if (ph != FORM_PHASE_OPEN)
		return survey_window_page(r, r->form, lang, ph, MHD_HTTP_OK);
	r->resp.status = MHD_HTTP_OK;
	pages_consent(&r->resp.body, r->form, lang, missing & 1, missing & 2,
	    r->c->cfg.draft_days);
	return H_DONE;
}

/*
 * GET /s/<id>/p?v=: one step of a journey. A live journey shows its page
 * from the latest state (with the errors of the step that had them); a
 * saved or submitted one says so; anything else is gone.
 */
static enum hres
survey_view_get(struct req *r)
{
	struct collector *c = r->c;
	unsigned char tag[ABUSE_TAG_LEN];
	struct journey_view jv;
	struct survey_flash fl;
	int have_fl = 0;
	unsigned page;
	enum hres h;

	survey_client_tag(r, tag);
	if (journeys_open(c->journeys, http_query(r, "v"), tag,
	    survey_form_index(c, r->form), &jv) != 0) {
		r->ul = survey_ui_lang(r);
		return http_refuse(r, MHD_HTTP_NOT_FOUND, NOTE_VIEW_GONE,
		    REJ__MAX);
	}
	r->jid = jv.id;
	r->has_jid = 1;
	if (jv.flash != NULL && survey_flash_read(&jv.id, jv.flash, &fl) == 0)
		have_fl = 1;
	else if (jv.flash != NULL)
		survey_flash_free(&fl);
	if (jv.mode != JOURNEY_LIVE || jv.held == NULL) {
		int lang = jv.lang >= 0 && (size_t)jv.lang < r->form->nlangs
		    ? jv.lang : 0;
		r->resp.status = MHD_HTTP_OK;
		r->st.form = r->form;
		r->st.lang = lang;
		if (jv.mode == JOURNEY_SAVED && have_fl && fl.code[0] != '\0')
			survey_page_saved(r, fl.code);
		else {
			char site[300];
			survey_site(r, site, sizeof(site));
			pages_ended(&r->resp.body, r->form, lang,
			    jv.mode == JOURNEY_SAVED, site);
		}
		h = H_DONE;
		goto out;
	}
	if (seal_held_open(jv.id.secret, JOURNEY_SECRET_LEN, jv.held, c->forms,
	    c->nforms, (long long)time(NULL), &r->st) != SEAL_OK ||
	    r->st.form != r->form) {
		if (r->st.form != NULL)
			seal_state_free(&r->st);
		r->ul = survey_ui_lang(r);
		h = http_refuse(r, MHD_HTTP_NOT_FOUND, NOTE_VIEW_GONE, REJ__MAX);
		goto out;
	}
	r->has_st = 1;
	page = jv.page & ~JOURNEY_FROM_SUMMARY;
	if (page > r->st.form->npages)
		page = (unsigned)r->st.form->npages;
	r->st.page = page;
	/* A page an answer has since hidden: the next step instead. */
	if (page < r->st.form->npages &&
	    !form_page_visible(r->st.form, page, r->st.answers))
		r->st.page = survey_step_after(&r->st, page, 0);
	h = survey_show(r, MHD_HTTP_OK, have_fl ? &fl : NULL, 0);
out:
	if (have_fl)
		survey_flash_free(&fl);
	journey_view_free(&jv);
	return h;
}

/* ---- receipt ---- */

static enum hres
survey_thanks(struct req *r)
{
	unsigned char tag[ABUSE_TAG_LEN];
	char canon[CODE_LEN + 1], site[300];
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
	survey_site(r, site, sizeof(site));
	r->resp.status = MHD_HTTP_OK;
	pages_thanks(&r->resp.body, r->form, lang, canon, site);
	sodium_memzero(canon, sizeof(canon));
	return H_DONE;
}

/* ---- resume and withdraw ---- */

static enum hres survey_resumed(struct req *r);
static enum hres survey_withdrawn(struct req *r);
static enum hres survey_withdraw_checked(struct req *r);

/* Parse the posted code of kind; on failure render the page with err 1. */
static int
survey_code(struct req *r, enum code_kind kind,
    void (*page)(struct html *, enum ui_lang, int), enum hres *res)
{
	enum code_read_rc rc;
	const char *in;

	r->ul = survey_ui_lang(r);
	if (survey_post_checks(r, allow_code, NULL, res) != 0)
		return -1;
	in = post_get(&r->post, "code");
	rc = in != NULL ? code_read(in, strlen(in), kind, r->code) : CODE_BAD;
	if (rc != CODE_OK) {
		int other = rc == CODE_OTHER;
		sodium_memzero(r->code, sizeof(r->code));
		r->resp.status = MHD_HTTP_BAD_REQUEST;
		page(&r->resp.body, r->ul, other ? 3 : 1);
		*res = H_DONE;
		return -1;
	}
	return 0;
}

static enum hres
survey_resume_post(struct req *r)
{
	enum hres res;

	if (survey_code(r, CODE_RESUME, pages_resume, &res) != 0)
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
	enum form_phase ph;
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
	/* Saved answers go on after closing, until the data are final. */
	if ((ph = survey_phase(r->st.form)) == FORM_PHASE_FINAL ||
	    ph == FORM_PHASE_BEFORE)
		return survey_window_page(r, r->st.form, r->st.lang, ph,
		    MHD_HTTP_FORBIDDEN);
	if (survey_expired(&r->st))
		return http_refuse(r, MHD_HTTP_BAD_REQUEST,
		    NOTE_SESSION_EXPIRED, REJ_EXPIRED_STATE);
	r->st.has_draft = 1;
	for (i = 0; i < STORE_HASH_LEN; i++)
		r->st.draft[i] = r->job.hash[i];
	metrics_count(&c->met, MET_RESUMES);
	return survey_redirect_view(r, (unsigned)r->st.page, NULL);
}

/*
 * POST /withdraw. The page's own form first asks (step=check) and shows
 * what will be deleted with a confirmation (step=confirm); a POST without
 * a step (scripts, pages of earlier versions) withdraws at once.
 */
static enum hres
survey_withdraw_post(struct req *r)
{
	const char *step;
	enum hres res;

	if (survey_code(r, CODE_RECEIPT, pages_withdraw, &res) != 0)
		return res;
	step = post_get(&r->post, "step");
	if (step != NULL && strcmp(step, "check") == 0) {
		/* Find what would be deleted, to show it before asking. */
		memset(&r->job, 0, sizeof(r->job));
		r->job.kind = STORE_JOB_FIND;
		store_hash_code(r->c->key, r->code, r->job.hash);
		return http_job(r, survey_withdraw_checked);
	}
	if (step != NULL && strcmp(step, "confirm") != 0)
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_REQUEST,
		    REJ_BAD_REQUEST);
	memset(&r->job, 0, sizeof(r->job));
	r->job.kind = STORE_JOB_WITHDRAW;
	store_hash_code(r->c->key, r->code, r->job.hash);
	/* Answers to a form whose data are final are kept (form.h). */
	for (size_t i = 0; i < r->c->nforms; i++)
		if (survey_phase(r->c->forms[i]) == FORM_PHASE_FINAL)
			r->keep_forms[r->job.nkeep++] = r->c->forms[i]->id;
	r->job.keep_forms = r->keep_forms;
	return http_job(r, survey_withdrawn);
}

/* The confirmation page: the survey and the date of what would go. */
static enum hres
survey_withdraw_checked(struct req *r)
{
	const char *title = NULL;

	if (r->job.rc == STORE_NOTFOUND) {
		r->resp.status = MHD_HTTP_NOT_FOUND;
		pages_withdraw(&r->resp.body, r->ul, 2);
		return H_DONE;
	}
	if (r->job.rc != STORE_OK) {
		metrics_reject(&r->c->met, REJ_STORAGE);
		http_log(r->c, "withdrawal not checked: %s",
		    store_strerror(r->job.rc));
		return http_refuse(r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    NOTE_UNAVAILABLE, REJ__MAX);
	}
	for (size_t i = 0; i < r->c->nforms; i++) {
		const struct form *f = r->c->forms[i];
		int lang;
		if (strcmp(f->id, r->job.out_form) != 0)
			continue;
		lang = form_lang_find(f, pages_ui_tag(r->ul));
		title = form_text_get(f, &f->title, lang >= 0 ? lang : 0);
	}
	r->resp.status = MHD_HTTP_OK;
	pages_withdraw_confirm(&r->resp.body, r->ul, r->code, title,
	    r->job.out_period);
	return H_DONE;
}

static enum hres
survey_withdrawn(struct req *r)
{
	char url[48];

	if (r->job.rc == STORE_NOTFOUND) {
		r->resp.status = MHD_HTTP_NOT_FOUND;
		pages_withdraw(&r->resp.body, r->ul, 2);
		return H_DONE;
	}
	if (r->job.rc == STORE_KEPT) {
		for (size_t i = 0; i < r->c->nforms; i++) {
			const struct form *f = r->c->forms[i];
			if (strcmp(f->id, r->job.out_form) == 0)
				return survey_window_page(r, f,
				    form_lang_find(f, pages_ui_tag(r->ul)),
				    FORM_PHASE_FINAL, MHD_HTTP_FORBIDDEN);
		}
	}
	if (r->job.rc != STORE_OK) {
		metrics_reject(&r->c->met, REJ_STORAGE);
		http_log(r->c, "withdrawal not done: %s",
		    store_strerror(r->job.rc));
		return http_refuse(r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    NOTE_UNAVAILABLE, REJ__MAX);
	}
	metrics_count(&r->c->met, MET_WITHDRAWALS);
	snprintf(url, sizeof(url), "/withdraw?lang=%s&done=1",
	    pages_ui_tag(r->ul));
	return survey_see_other(r, url);
}

/* ---- a code as a text file ---- */

static int
allow_code_file(const char *key, void *arg)
{
	(void)arg;
	return strcmp(key, "code") == 0 || strcmp(key, "lang") == 0 ||
	    strcmp(key, "form") == 0;
}

/*
 * POST /code-file: the code posted (either kind, told apart by its check
 * character), the address to go back to and what the code is for, as a
 * text/plain attachment in the form's language. Nothing is looked up or
 * stored: the file holds only what the browser sent and the form's public
 * wording, so it opens nothing the sender did not already hold. The
 * response is Cache-Control: no-store like every page. A request that is
 * not a current code of a served form gets 400 and no file.
 */
static enum hres
survey_code_file(struct req *r)
{
	const struct form *f = NULL;
	const char *fid, *in;
	enum code_kind kind = CODE_RECEIPT;
	enum code_read_rc rc;
	char site[300];
	enum hres res;
	size_t i;
	int lang;

	r->ul = survey_ui_lang(r);
	if (survey_post_checks(r, allow_code_file, NULL, &res) != 0)
		return res;
	fid = post_get(&r->post, "form");
	for (i = 0; fid != NULL && i < r->c->nforms; i++)
		if (strcmp(r->c->forms[i]->id, fid) == 0)
			f = r->c->forms[i];
	in = post_get(&r->post, "code");
	rc = in != NULL ? code_read(in, strlen(in), CODE_RECEIPT, r->code)
	    : CODE_BAD;
	if (rc == CODE_OTHER) {
		kind = CODE_RESUME;
		rc = code_read(in, strlen(in), CODE_RESUME, r->code);
	}
	/* Codes issued before kinds are never shown again: not offered. */
	if (f == NULL || rc != CODE_OK || strlen(r->code) != CODE_LEN) {
		sodium_memzero(r->code, sizeof(r->code));
		return http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_REQUEST,
		    REJ_BAD_REQUEST);
	}
	lang = survey_lang(r, f, post_get(&r->post, "lang"));
	survey_site(r, site, sizeof(site));
	r->resp.status = MHD_HTTP_OK;
	r->resp.ctype = "text/plain; charset=utf-8";
	r->resp.hdr_name = "Content-Disposition";
	r->resp.hdr_value = kind == CODE_RECEIPT
	    ? "attachment; filename=\"receipt-code.txt\""
	    : "attachment; filename=\"resume-code.txt\"";
	pages_code_file(&r->resp.body, f, lang, kind, r->code, site,
	    r->c->cfg.draft_days);
	sodium_memzero(r->code, sizeof(r->code));
	return H_DONE;
}

/* ---- the rest ---- */

static enum hres
survey_index(struct req *r)
{
	enum ui_lang ul = survey_ui_lang(r);
	enum form_phase ph[COLLECTOR_MAX_FORMS];

	for (size_t i = 0; i < r->c->nforms; i++)
		ph[i] = survey_phase(r->c->forms[i]);
	r->resp.status = MHD_HTTP_OK;
	pages_index(&r->resp.body, ul, r->c->forms, ph, r->c->nforms,
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
	case ROUTE_VIEW:
		return survey_view_get(r);
	case ROUTE_ABOUT:
		r->resp.status = MHD_HTTP_OK;
		pages_about(&r->resp.body, r->form, survey_lang(r, r->form,
		    NULL));
		return H_DONE;
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
		if (http_query(r, "done") != NULL)
			pages_withdrawn(&r->resp.body, survey_ui_lang(r));
		else
			pages_withdraw(&r->resp.body, survey_ui_lang(r), 0);
		return H_DONE;
	case ROUTE_CODE_FILE:
		return survey_code_file(r);
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
