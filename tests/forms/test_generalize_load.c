/*
 * Generalization hierarchies ("generalize") of quasi-identifiers: good
 * ones load into struct form_item with their translated labels; bad ones
 * are refused with the file, the JSON path down to the group or choice
 * value, and the rule broken. The default survey's hierarchies load.
 */
#include <stdio.h>

#include "helpers.h"

/* A form whose second item is `item` (JSON text). */
static int
load_with(const char *item, struct form **f, struct diag *d)
{
	char buf[8192];
	int n = snprintf(buf, sizeof(buf),
	    "{\"id\": \"g\", \"version\": 1, \"languages\": [\"en\", \"es\"],"
	    " \"title\": {\"en\": \"T\", \"es\": \"T\"},"
	    " \"consent\": {\"version\": \"1\", \"title\": {\"en\": \"C\", \"es\": \"C\"},"
	    "  \"text\": {\"en\": \"t\", \"es\": \"t\"}, \"agree\": {\"en\": \"a\", \"es\": \"a\"},"
	    "  \"age_confirm\": {\"en\": \"a\", \"es\": \"a\"}},"
	    " \"pages\": [{\"id\": \"p\", \"title\": {\"en\": \"P\", \"es\": \"P\"}, \"items\": ["
	    "  {\"var\": \"x\", \"kind\": \"yesno\", \"label\": {\"en\": \"X\", \"es\": \"X\"}},"
	    "  %s]}]}", item);

	*f = NULL;
	diag_clear(d);
	return form_load_buffer("g.json", buf, (size_t)n, f, d);
}

#define CH(v) "{\"value\": " #v ", \"label\": {\"en\": \"c" #v "\", \"es\": \"c" #v "\"}}"
#define L(s) "\"label\": {\"en\": \"" s "\", \"es\": \"" s " (es)\"}"
/* A single-choice quasi-identifier with choices 1..4 and 99 (missing). */
#define ITEM(kind, qi, gen)                                                   \
	"{\"var\": \"a\", \"kind\": \"" kind "\", \"quasi_identifier\": " qi ","  \
	" \"label\": {\"en\": \"A\", \"es\": \"A\"}, \"choices\": [" CH(1) ","      \
	CH(2) "," CH(3) "," CH(4) ", {\"value\": 99, \"missing\": true,"          \
	" \"label\": {\"en\": \"n\", \"es\": \"n\"}}], \"generalize\": " gen "}"
#define G(v, of) "{\"value\": " #v ", " L("g" #v) ", \"of\": " of "}"

static const char *const good2 =
    "[[" G(1, "[1, 2]") ", " G(3, "[3]") ", " G(4, "[4]") "],"
    " [" G(1, "[1, 2, 3]") ", " G(2, "[4]") "]]";

static int
has(const struct diag *d, const char *where, const char *what)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->a[i].where, where) == 0 &&
		    strstr(d->a[i].what, what) != NULL)
			return 1;
	fprintf(stderr, "expected problem \"%s: %s\"; got:\n", where, what);
	diag_print(d, stderr);
	return 0;
}

/* Load item and expect exactly one problem at where containing what. */
static void
bad(const char *item, const char *where, const char *what)
{
	struct diag d;
	struct form *f;

	diag_init(&d);
	CHECK_INT(load_with(item, &f, &d), -1);
	CHECK(f == NULL);
	CHECK(has(&d, where, what));
	form_free(f);
	diag_free(&d);
}

#define P "g.json: pages[0].items[1].generalize"

int
main(void)
{
	struct diag d;
	struct form *f;
	const struct form_item *it;

	diag_init(&d);

	/* Good: two levels, labels in both languages. */
	{
		char item[4096];
		snprintf(item, sizeof(item), ITEM("single", "true", "%s"),
		    good2);
		CHECK_INT(load_with(item, &f, &d), 0);
		if (f == NULL) {
			diag_print(&d, stderr);
			return test_done();
		}
		it = &f->pages[0].items[1];
		CHECK_INT(it->ngeneralize, 2);
		CHECK_INT(it->generalize[0].ngroups, 3);
		CHECK_INT(it->generalize[0].groups[0].value, 1);
		CHECK_INT(it->generalize[0].groups[0].nof, 2);
		CHECK_INT(it->generalize[0].groups[0].of[1], 2);
		CHECK_STR(form_text_get(f, &it->generalize[1].groups[1].label,
		    1), "g2 (es)");
		CHECK_INT(it->generalize[1].groups[0].nof, 3);
		form_free(f);
	}
	/* Good: a duration item; its missing choice is in no group. */
	CHECK_INT(load_with(ITEM("duration", "true",
	    "[[" G(1, "[1, 2]") ", " G(2, "[3, 4]") "]]"), &f, &d), 0);
	CHECK(f != NULL && f->pages[0].items[1].ngeneralize == 1);
	form_free(f);

	/* Bad hierarchies, each with its place and rule. */
	bad(ITEM("single", "false", "[[" G(1, "[1, 2, 3, 4]") "]]"), P,
	    "only a quasi-identifier is generalized");
	bad("{\"var\": \"a\", \"kind\": \"yesno\", \"quasi_identifier\": true, "
	    "\"label\": {\"en\": \"A\", \"es\": \"A\"}, \"generalize\": []}", P,
	    "only a single-choice or duration item");
	bad(ITEM("single", "true", "{}"), P, "must be an array of 1 to 8 levels");
	bad(ITEM("single", "true", "[]"), P, "must be an array of 1 to 8 levels");
	bad(ITEM("single", "true", "[[" G(1, "[1, 2, 3, 4]") "], 5]"),
	    P "[1]", "a level must be an array");
	bad(ITEM("single", "true", "[[{\"of\": [1, 2, 3, 4], " L("x") "}]]"),
	    P "[0][0].value", "missing");
	bad(ITEM("single", "true", "[[" G(1, "[1, 2]") ", " G(1, "[3, 4]")
	    "]]"), P "[0][1].value", "duplicate value 1 in this level");
	bad(ITEM("single", "true", "[[" G(1, "[1, 2]") ", " G(99, "[3, 4]")
	    "]]"), P "[0][1].value", "99 is the code of a \"missing\" choice");
	bad(ITEM("single", "true", "[[" G(1, "[1, 7]") ", " G(2, "[2, 3, 4]")
	    "]]"), P "[0][0].of[1]", "7 is not a choice of the item");
	bad(ITEM("single", "true", "[[" G(1, "[1, 99]") ", " G(2, "[2, 3, 4]")
	    "]]"), P "[0][0].of[1]", "99 is a \"missing\" choice");
	bad(ITEM("single", "true", "[[" G(1, "[1, 2]") ", " G(2, "[2, 3, 4]")
	    "]]"), P "[0][1].of[0]", "choice 2 is in more than one group");
	bad(ITEM("single", "true", "[[" G(1, "[1, 2]") ", " G(2, "[4]") "]]"),
	    P "[0]", "choice 3 is in no group");
	bad(ITEM("single", "true", "[[" G(1, "[1, 2]") ", " G(2, "[3, 4]")
	    "], [" G(1, "[1, 3]") ", " G(2, "[2, 4]") "]]"), P "[1][1].of",
	    "not a coarsening of level 0: group 1 of that level is split");
	bad(ITEM("single", "true", "[[{\"value\": 1, " L("x") ", \"of\": "
	    "[1, 2, 3, 4], \"extra\": 1}]]"), P "[0][0].extra", "unknown key");
	bad(ITEM("single", "true", "[[{\"value\": 1, \"label\": {\"en\": "
	    "\"x\"}, \"of\": [1, 2, 3, 4]}]]"), P "[0][0].label",
	    "missing translation \"es\"");
	bad(ITEM("single", "true", "[[{\"value\": 1, " L("x") ", \"of\": "
	    "[]}]]"), P "[0][0].of", "must be a non-empty array of choice "
	    "values");
	bad(ITEM("single", "true", "[[{\"value\": 1, " L("x") ", \"of\": "
	    "[1, 2, \"3\", 4]}]]"), P "[0][0].of[2]",
	    "must be an integer choice value");

	/* The default survey: the hierarchies it ships. */
	f = load_fixture("forms/fibromyalgia-therapies.json");
	{
		static const struct {
			const char *var;
			size_t levels, groups0;
		} want[] = {
			{"age_band", 2, 5}, {"country", 1, 5},
			{"us_state", 1, 4}, {"dx_years", 1, 2},
			{"employment", 1, 3}, {"sex", 0, 0},
		};
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			long iv = form_var_find(f, want[i].var);
			CHECK(iv >= 0);
			if (iv < 0)
				continue;
			it = f->vars[iv].item;
			CHECK_INT(it->ngeneralize, want[i].levels);
			if (want[i].levels > 0) {
				CHECK_INT(it->generalize[0].ngroups,
				    want[i].groups0);
				CHECK(form_text_get(f,
				    &it->generalize[0].groups[0].label, 1) !=
				    NULL);
			}
		}
		it = f->vars[form_var_find(f, "age_band")].item;
		CHECK_STR(form_text_get(f, &it->generalize[1].groups[2].label, 0),
		    "55 or older");
		CHECK_STR(form_text_get(f, &it->generalize[1].groups[2].label, 1),
		    "55 o más");
		it = f->vars[form_var_find(f, "us_state")].item;
		CHECK_STR(form_text_get(f, &it->generalize[0].groups[3].label, 0),
		    "West");
	}
	form_free(f);
	diag_free(&d);
	return test_done();
}
