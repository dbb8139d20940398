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
	NOTE_INTERNAL,
	NOTE__MAX
};

/* What a survey page needs besides the form. */
struct pages_survey {
	const struct form *form;
	int lang;      /* form language index */
	size_t page;   /* page to show */
	const struct form_answers *answers;
	const char *state;          /* sealed state for the hidden field */
	const struct diag *errors;  /* where = variable name; may be NULL */
	const struct post *raw;     /* posted values to show again; may be NULL */
	int too_fast;               /* ask to review and submit again */
	int storage_failed;         /* the submission could not be stored */
	int new_items;              /* questions appeared after an answer */
};

void pages_index(struct html *h, enum ui_lang ul, struct form *const *forms,
    size_t nforms, const char *tag);
/* Consent page; missing_consent / missing_adult add error messages. */
void pages_consent(struct html *h, const struct form *f, int lang,
    int missing_consent, int missing_adult);
void pages_survey(struct html *h, const struct pages_survey *ps);
/* The thank-you page with the receipt code (canonical form). */
void pages_thanks(struct html *h, const struct form *f, int lang,
    const char *code);
/* After "save and continue later": the resume code and a way back in. */
void pages_saved(struct html *h, const struct form *f, int lang,
    const char *code, const char *state, unsigned days);
/* GET/POST /resume; err: 0 none, 1 malformed code, 2 not found/expired. */
void pages_resume(struct html *h, enum ui_lang ul, int err);
/* GET/POST /withdraw; err as for pages_resume. */
void pages_withdraw(struct html *h, enum ui_lang ul, int err);
void pages_withdrawn(struct html *h, enum ui_lang ul);
/* A short page for errors and refusals. */
void pages_message(struct html *h, enum ui_lang ul, enum ui_notice n);

/* The static assets. */
extern const char pages_css[];
extern const char pages_js[];

#endif
