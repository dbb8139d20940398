/*
 * The survey model. A form file (docs/forms.md) is loaded once into an
 * immutable struct form that every thread may read without locking. Answers
 * to a form live in a struct form_answers, one struct form_value per
 * variable (items, grid rows and scores alike, indexed as in form->vars).
 * Parsing of wire values, page validation, branching (show_if) and scoring
 * all live here so that the collector, the CSV import and the analysis
 * apply exactly the same rules.
 */
#ifndef CANDOR_FORM_H
#define CANDOR_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define FORM_MAX_LANGS 8
#define FORM_MAX_CHOICES 64 /* a multiple-choice answer is a 64-bit mask */
#define FORM_VAR_MAX 32     /* longest variable name */
#define FORM_TEXT_MAX 2000  /* longest free-text answer, in bytes */

enum form_kind {
	FORM_SINGLE,
	FORM_MULTIPLE,
	FORM_INTEGER,
	FORM_DECIMAL,
	FORM_SCALE,
	FORM_YESNO,
	FORM_GRID,
	FORM_DURATION,
	FORM_TEXT,
	FORM_KIND__MAX
};

enum form_score_kind {
	FORM_SCORE_SUM,
	FORM_SCORE_MEAN,
	FORM_SCORE_COUNT,
	FORM_SCORE_CRITERIA,
	FORM_SCORE_BANDS,
	FORM_SCORE__MAX
};

/* What a variable holds once answered. */
enum form_type {
	FORM_T_INT,  /* choice value, yes/no, scale, integer, grid row, band */
	FORM_T_REAL, /* decimal item, mean score, prorated data */
	FORM_T_SET,  /* multiple choice: mask over choice indexes */
	FORM_T_TEXT, /* free text */
	FORM_T__MAX
};

/* A translated text: one string per form language (index as form->langs). */
struct form_text {
	char *s[FORM_MAX_LANGS];
};

struct form_choice {
	long value;
	struct form_text label;
	int exclusive; /* "none of these" in a multiple-choice item */
	int missing;   /* "prefer not to say": valid, but no value for stats */
};

struct form_map;  /* see form_map.h */
struct form_cond; /* opaque condition tree, see form_cond_eval() */

struct form_row {
	char *var;
	struct form_text label;
	size_t ivar; /* index into form->vars */
};

/*
 * A generalization hierarchy of a quasi-identifier ("generalize"): each
 * level maps every non-missing choice to the code of one group; each level
 * is a coarsening of the one before. Row-level exports use it to make the
 * quasi-identifiers k-anonymous (docs/exports.md).
 */
#define FORM_GEN_MAX_LEVELS 8

struct form_gen_group {
	long value;             /* the code written for the group */
	struct form_text label;
	long *of;               /* the choice values it covers */
	size_t nof;
};

struct form_gen_level {
	struct form_gen_group *groups;
	size_t ngroups;
};

struct form_item {
	enum form_kind kind;
	char *var; /* NULL for FORM_GRID */
	struct form_text label;
	struct form_text help;    /* s[] NULL when absent */
	struct form_text unit;    /* integer/decimal; s[] NULL when absent */
	struct form_text min_label, max_label; /* scale; yes/no labels too */
	int required;
	int quasi_identifier;
	int free_text;
	struct form_choice *choices; /* single, multiple, grid, duration */
	size_t nchoices;
	struct form_row *rows; /* grid */
	size_t nrows;
	double min, max;   /* integer, decimal, scale */
	size_t max_length; /* text */
	struct form_cond *show_if; /* NULL: always shown */
	size_t ivar;               /* index into form->vars; unused for grids */
	size_t ipage;
	struct form_gen_level *generalize; /* single, duration; NULL: none */
	size_t ngeneralize;                /* levels above the original codes */
};

struct form_page {
	char *id;
	struct form_text title;
	struct form_text intro;
	struct form_cond *show_if;
	struct form_item *items;
	size_t nitems;
};

struct form_score {
	enum form_score_kind kind;
	char *var;
	struct form_text label;
	size_t *items; /* sum, mean: variable indexes */
	size_t nitems;
	size_t min_answered;
	struct form_cond **conds; /* count */
	size_t nconds;
	struct form_cond *when; /* criteria */
	size_t of;              /* bands: variable index */
	double *cuts;           /* bands */
	size_t ncuts;
	struct form_text *band_labels; /* bands: ncuts + 1 */
	int has_range;
	double range[2];
	size_t ivar;
};

/* One column of the data: an item, a grid row or a score. */
struct form_var {
	const char *name;
	enum form_type type;
	const struct form_item *item;   /* owning item (grid for a row); NULL for a score */
	const struct form_row *row;     /* grid rows only */
	const struct form_score *score; /* scores only */
};

/* A titled block of the consent page (consent.parts). */
struct form_consent_part {
	struct form_text title, text;
};

#define FORM_MAX_CONSENT_PARTS 8

/*
 * The study window ("window" in the form file, docs/forms.md): three
 * dates at the form's date precision ("YYYY-MM-DD", or "YYYY-MM" for
 * date_precision "month"), UTC, with opens < closes <= final. Each is the
 * first day (or month) of what follows it: from opens new responses are
 * taken; from closes no new ones are, but saved answers may still be
 * continued and sent and answers withdrawn; from final neither, and the
 * data are final. A form without a window is always open.
 */
struct form_window {
	int set;
	char opens[11], closes[11], final[11];
};

enum form_phase {
	FORM_PHASE_BEFORE, /* before opens: nothing is taken yet */
	FORM_PHASE_OPEN,   /* new responses taken */
	FORM_PHASE_CLOSED, /* no new responses; resume and withdrawal go on */
	FORM_PHASE_FINAL,  /* nothing changes any more: the data are final */
	FORM_PHASE__MAX
};

/*
 * A dated, cited fact about a therapy the form asks about (form file key
 * "facts", docs/forms.md): for researchers, printed by the codebook with
 * its date and source; no page a respondent sees shows it, so a fact
 * about one therapy cannot prime the answers about it.
 */
struct form_fact {
	char date[11];  /* YYYY-MM-DD, YYYY-MM or YYYY, as the source dates it */
	char *text;     /* the fact, in the form's first language */
	char *source;   /* who said it, where */
	size_t *about;  /* indexes into form->vars of the items it concerns */
	size_t nabout;
};

#define FORM_MAX_FACTS 64
#define FORM_FACT_ABOUT_MAX 16

struct form {
	char *id;
	long version;
	char *langs[FORM_MAX_LANGS];
	size_t nlangs;
	struct form_text title;
	struct form_text description;
	char *consent_version;
	struct form_text consent_title, consent_text, consent_agree,
	    consent_age;
	struct form_consent_part *consent_parts; /* who, publication, contact */
	size_t nconsent_parts;
	long consent_minutes;    /* "about N minutes" on the consent page; 0 */
	struct form_text about;  /* credits and references; s[] NULL if none */
	struct form_fact *facts; /* dated facts for the codebook only */
	size_t nfacts;
	int free_text_allowed;
	int date_month; /* store the submission month instead of the day */
	struct form_window window;
	struct form_page *pages;
	size_t npages;
	struct form_score *scores;
	size_t nscores;
	struct form_var *vars; /* items and grid rows first, then scores */
	size_t nvars;
	size_t nitem_vars; /* vars[0..nitem_vars) are answered, the rest computed */
	size_t *var_order; /* indexes into vars sorted by name, for lookups */
	unsigned char sha256[32]; /* hash of the file's bytes */
	struct form_fast *fast; /* answers' JSON fast paths (form_fast.h) */
	struct form_map *maps;  /* "from": earlier versions (form_map.h) */
	size_t nmaps;
};

/*
 * Load and validate a form file. On success returns 0 and sets *out (free
 * with form_free()). On failure returns -1, *out is NULL and every problem
 * found is appended to diag, each as "PATH: JSON-PATH: rule".
 */
int form_load(const char *path, struct form **out, struct diag *diag);
/*
 * The bytes of a form file (at most one byte over the loader's cap, so
 * the loader can say the file is too long) into *buf (malloc'd, NUL after
 * len bytes; the caller frees). The database keeps these exact bytes.
 * 0, or -1 with the problem in diag.
 */
int form_file_read(const char *path, char **buf, size_t *len,
    struct diag *diag);
/* Same as form_load(), from a buffer; name is used in messages. */
int form_load_buffer(const char *name, const char *buf, size_t len,
    struct form **out, struct diag *diag);
void form_free(struct form *f);

/*
 * Today (UTC) at the form's date precision, into out; the period a
 * response submitted now would carry.
 */
void form_today(const struct form *f, char out[11]);
/*
 * Where today (a date at the form's precision, as from form_today()) is
 * in the form's window; FORM_PHASE_OPEN for a form without one.
 */
enum form_phase form_phase_on(const struct form *f, const char *today);

/*
 * Is name one the collector uses for its own POST fields (the page state,
 * the button pressed, the honeypot, the page ticket, the language, the
 * consent boxes, the receipt code and its step)? A question by that name
 * would be posted beside the control and every POST of its page refused,
 * so the loader refuses such variables. Returns 1 or 0.
 */
int form_var_reserved(const char *name);
/* Index of the variable called name, or -1. */
long form_var_find(const struct form *f, const char *name);
/* Language index for a tag ("es", "es-MX" matches "es"), or -1. */
int form_lang_find(const struct form *f, const char *tag);
/* The text in language lang, falling back to the default language. */
const char *form_text_get(const struct form *f, const struct form_text *t,
    int lang);
const char *form_kind_name(enum form_kind k);
/* The choice of item with the given value, or NULL. */
const struct form_choice *form_choice_find(const struct form_item *it,
    long value);

/* ---- answers ---- */

struct form_value {
	int set; /* 0: no value */
	long i;
	double r;
	uint64_t mask;
	char *text; /* owned */
};

struct form_answers {
	const struct form *form;
	struct form_value *v; /* form->nvars */
};

struct form_answers *form_answers_new(const struct form *f);
void form_answers_free(struct form_answers *a);
void form_answers_clear(struct form_answers *a, size_t ivar);
int form_answers_copy(struct form_answers *dst, const struct form_answers *src);

/*
 * Parse the wire representation of variable ivar (an item or grid row):
 * nvals strings (several only for a multiple-choice item; none means "no
 * answer"). On error returns -1 and sets *err to a static message naming the
 * rule ("not an integer", "out of range 0..10", "unknown choice"...).
 */
int form_value_parse(const struct form *f, size_t ivar,
    const char *const *vals, size_t nvals, struct form_value *out,
    const char **err);

/* Is the value usable by statistics (set, and not a "missing" choice)? */
int form_value_known(const struct form *f, size_t ivar,
    const struct form_value *v);
/* The value as a number: choice value, mean..., or count of chosen options. */
double form_value_number(const struct form *f, size_t ivar,
    const struct form_value *v);

enum form_tri { FORM_FALSE = 0, FORM_TRUE = 1, FORM_UNKNOWN = 2 };
enum form_tri form_cond_eval(const struct form_cond *c,
    const struct form_answers *a);

/*
 * Condition c written in the form file's condition language
 * (docs/forms.md), variables by name (form_cond.c). form_cond_json()
 * returns a new jansson reference, form_cond_json_string() a malloc'd
 * compact string; both NULL when c is NULL or memory runs out. The caller
 * frees (json_decref(), free()).
 */
struct json_t;
struct json_t *form_cond_json(const struct form *f,
    const struct form_cond *c);
char *form_cond_json_string(const struct form *f, const struct form_cond *c);
/*
 * Condition c as seen from page ipage while answers a are known: the
 * tests of variables asked on that page are written as in
 * form_cond_json(); every other test is decided now by form_cond_eval()
 * and written {"value": true|false|null} (null: unknown). The page's
 * script evaluates the result as the answers on the page change, with
 * form_cond_eval()'s three-valued logic (collector/static.c). *nlive is
 * the number of tests left to the page: 0 means the condition cannot
 * change there. A new reference, or NULL (c NULL, out of memory).
 */
struct json_t *form_cond_json_live(const struct form *f,
    const struct form_cond *c, const struct form_answers *a, size_t ipage,
    size_t *nlive);
/*
 * Is c one test {"var": M, "has": K} on a multiple-choice variable? Then 1,
 * with M's index in *ivar and the code K in *code; else 0 (c NULL too).
 */
int form_cond_is_has(const struct form_cond *c, size_t *ivar, long *code);

int form_page_visible(const struct form *f, size_t ipage,
    const struct form_answers *a);
int form_item_visible(const struct form *f, const struct form_item *it,
    const struct form_answers *a);
/*
 * The variables condition c reads: 0 for none (NULL included), 1 for one
 * (*ivar set), 2 for more than one.
 */
int form_cond_vars(const struct form_cond *c, size_t *ivar);

/*
 * Check the answers of one page: clears the values of hidden items, and
 * appends one problem per violated rule to diag, with the variable name as
 * the place ("peg_pain: required"). Returns the number of problems.
 */
size_t form_page_check(const struct form *f, size_t ipage,
    struct form_answers *a, struct diag *diag);
/* Every page in turn, then the scores: what a final submission must pass. */
size_t form_answers_check(const struct form *f, struct form_answers *a,
    struct diag *diag);

/* Compute every score from the item answers (form_score.c). */
void form_score(const struct form *f, struct form_answers *a);

/*
 * Storage encoding: a compact JSON object {"var": value, ...} of the
 * variables in [from, to) that have a value; multiple choices as arrays of
 * choice values. Returns a malloc'd string or NULL on allocation failure.
 */
char *form_answers_to_json(const struct form_answers *a, size_t from,
    size_t to);
/* The reverse; unknown names or bad values give -1 and a message in diag. */
int form_answers_from_json(struct form_answers *a, const char *json,
    struct diag *diag);

#endif
