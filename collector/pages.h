/*
 * Page rendering. Every respondent-facing page is produced here from a
 * struct form and a few parsed values, through the escaping writer. Pages
 * are plain semantic HTML5 that works without JavaScript and without
 * styles; /static/app.css and /static/app.js only improve it.
 *
 * The interface words ("Next", "Page 2 of 5", error messages) come from a
 * small table per interface language (enum ui_lang); the survey's own texts
 * come from the form in the respondent's form language.
 */
#ifndef CANDOR_COLLECTOR_PAGES_H
#define CANDOR_COLLECTOR_PAGES_H

#include <stddef.h>

#include "code.h"
#include "diag.h"
#include "form.h"
#include "html.h"
#include "post.h"

enum ui_lang { UI_EN, UI_ES, UI_LANG__MAX };

/* The interface language for a language tag ("es-MX" -> UI_ES). */
enum ui_lang pages_ui_lang(const char *tag);
/* Tag of an interface language ("en"). */
const char *pages_ui_tag(enum ui_lang l);

/* Fixed messages used by pages_message(). */
enum ui_notice {
	NOTE_NOT_FOUND,
	NOTE_BAD_METHOD,
	NOTE_BAD_REQUEST,
	NOTE_BAD_STATE,
	NOTE_EXPIRED,
	NOTE_TOKEN_REUSED,
	NOTE_SESSION_EXPIRED, /* the state's expiry day or month has passed */
	NOTE_RECEIPT_GONE,    /* the thank-you page, fetched a second time */
	NOTE_HONEYPOT,
	NOTE_UNKNOWN_FIELD,
	NOTE_TOO_MANY_FIELDS,
	NOTE_TOO_BIG,
	NOTE_UNSUPPORTED,
	NOTE_RATE_LIMITED,
	NOTE_UNAVAILABLE,
	NOTE_VIEW_GONE,       /* a survey step whose journey is gone */
	NOTE_INTERNAL,
	NOTE__MAX
};

/* What a survey page needs besides the form. */
struct pages_survey {
	const struct form *form;
	int lang;      /* form language index */
	size_t page;   /* page to show; npages: check your answers */
	const struct form_answers *answers;
	const char *state;          /* sealed state for the hidden field */
	const char *view;           /* the journey's ticket ("v"); may be NULL */
	const char *const *change;  /* check your answers: a URL per page
	                               shown (NULL for the others); may be NULL */
	const struct diag *errors;  /* where = variable name; may be NULL */
	const struct post *raw;     /* what was typed into fields whose value
	                               did not parse, shown again; may be NULL */
	int too_fast;               /* ask to review and submit again */
	int storage_failed;         /* the submission could not be stored */
	int new_items;              /* questions appeared after an answer */
};

/*
 * The list of surveys; phases[i] says where forms[i] is in its study
 * window (a survey not open says when it opens, or that it closed).
 */
void pages_index(struct html *h, enum ui_lang ul, struct form *const *forms,
    const enum form_phase *phases, size_t nforms, const char *tag);
/*
 * Consent page; missing_consent / missing_adult add error messages;
 * draft_days is how long saved answers are kept (what is stored).
 */
void pages_consent(struct html *h, const struct form *f, int lang,
    int missing_consent, int missing_adult, unsigned draft_days);
/* The "about this survey" page: the form's credits and references. */
void pages_about(struct html *h, const struct form *f, int lang);
void pages_survey(struct html *h, const struct pages_survey *ps);
/*
 * The thank-you page with the receipt code (canonical form); site is the
 * address the browser used ("https://host", or "" when unknown), for the
 * full address of the withdrawal page.
 */
void pages_thanks(struct html *h, const struct form *f, int lang,
    const char *code, const char *site);
/* After "save and continue later": the resume code, shown once. */
void pages_saved(struct html *h, const struct form *f, int lang,
    const char *code, const char *site, unsigned days);
/*
 * The text file of a code (POST /code-file), in the form's language lang:
 * what the code is, the code, what it is for (for a resume code: that
 * drafts are deleted days after saving) and the address to go back to
 * (site as for pages_thanks). Plain text with CRLF line ends, written raw
 * into h (served as text/plain, never as HTML).
 */
void pages_code_file(struct html *h, const struct form *f, int lang,
    enum code_kind kind, const char *code, const char *site, unsigned days);
/* A step of a journey that was saved (saved 1) or submitted, again. */
void pages_ended(struct html *h, const struct form *f, int lang, int saved,
    const char *site);
/*
 * A survey outside its window (form.h): before it opens (ph BEFORE), or
 * closed to new answers (CLOSED: saved answers and withdrawals go on
 * until final, with links to both; FINAL: nothing goes on). The same page
 * answers the start page, a refused start, and a refused resume, step or
 * withdrawal once the data are final.
 */
void pages_window(struct html *h, const struct form *f, int lang,
    enum form_phase ph);
/*
 * GET/POST /resume; err: 0 none, 1 malformed code, 2 not found/expired,
 * 3 a code of the other kind.
 */
void pages_resume(struct html *h, enum ui_lang ul, int err);
/* GET/POST /withdraw; err as for pages_resume. */
void pages_withdraw(struct html *h, enum ui_lang ul, int err);
/*
 * What withdrawing deletes (the answers to the survey titled title, sent
 * in period, "YYYY-MM-DD" or "YYYY-MM"; title NULL: not served any more),
 * and a button to confirm it.
 */
void pages_withdraw_confirm(struct html *h, enum ui_lang ul,
    const char *code, const char *title, const char *period);
void pages_withdrawn(struct html *h, enum ui_lang ul);
/*
 * The length model (docs/forms.md): seconds to answer one item, and one
 * page with the items its answers a show (a NULL: every item).
 */
#define PAGES_PAGE_SECONDS 5     /* to take in a page and press Next */
#define PAGES_SUMMARY_SECONDS 30 /* to look over check your answers */
unsigned pages_item_seconds(const struct form *f, const struct form_item *it);
unsigned pages_page_seconds(const struct form *f, size_t ipage,
    const struct form_answers *a);
/* A short page for errors and refusals. */
void pages_message(struct html *h, enum ui_lang ul, enum ui_notice n);

/* The static assets. */
extern const char pages_css[];
extern const char pages_js[];

#endif
