/*
 * The length of the default survey on its typical path, measured over the
 * form with the collector's own length model (pages_page_seconds, the one
 * behind "about N minutes left"): a respondent who uses kratom now and
 * tried exercise and duloxetine in the past, and gives one ordinary answer
 * to every other question shown. Targets (docs/forms.md, "Length"): at
 * most 10 pages, check-your-answers included, and the consent page's
 * "about N minutes" within 25% of the model's time.
 *
 * Also a measuring tool: `test_default_path FORM.json` prints the pages and
 * seconds of that file's typical path (for an older version of the form,
 * say), and checks nothing.
 */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "pages.h"
#include "testlib.h"

/* The typical path's own answers; everything else gets an ordinary one. */
static const struct {
	const char *var;
	const char *vals[4];
} typical[] = {
	{"therapies_ever", {"1", "7", "18", NULL}}, /* exercise, duloxetine, kratom */
	{"exercise_use", {"1", NULL}},     /* in the past */
	{"duloxetine_use", {"1", NULL}},
	{"kratom_use", {"2", NULL}},       /* now */
	{"country", {"2", NULL}},          /* not the US: no state question */
	{"dx_by", {"1", NULL}},
};

static const char *const *
typical_vals(const char *var)
{
	size_t i;

	for (i = 0; i < sizeof(typical) / sizeof(typical[0]); i++)
		if (strcmp(typical[i].var, var) == 0)
			return typical[i].vals;
	return NULL;
}

/* Set ivar from vals; 0 or -1. */
static int
set(const struct form *f, struct form_answers *a, size_t ivar,
    const char *const *vals)
{
	struct form_value v;
	const char *err = NULL;
	size_t n = 0;

	while (vals[n] != NULL)
		n++;
	form_answers_clear(a, ivar);
	if (form_value_parse(f, ivar, vals, n, &v, &err) != 0)
		return -1;
	a->v[ivar] = v;
	return 0;
}

/* An ordinary answer: the first plain choice, the low end of a range. */
static void
ordinary(const struct form *f, struct form_answers *a,
    const struct form_item *it, size_t ivar, const char *var)
{
	const char *const *want = typical_vals(var);
	const char *vals[2] = {NULL, NULL};
	char buf[32];
	size_t k;

	/* Grid rows of therapies ("<t>_use" in older versions) are "never"
	 * unless the path uses them. */
	if (want != NULL) {
		if (set(f, a, ivar, want) != 0)
			fprintf(stderr, "%s: cannot set\n", var);
		return;
	}
	switch (it->kind) {
	case FORM_SINGLE:
	case FORM_MULTIPLE:
	case FORM_DURATION:
	case FORM_GRID:
		for (k = 0; k < it->nchoices; k++)
			if (!it->choices[k].missing && !it->choices[k].exclusive)
				break;
		if (k == it->nchoices)
			k = 0;
		snprintf(buf, sizeof(buf), "%ld", it->choices[k].value);
		break;
	case FORM_YESNO:
		snprintf(buf, sizeof(buf), "0");
		break;
	case FORM_SCALE:
	case FORM_INTEGER:
	case FORM_DECIMAL:
		snprintf(buf, sizeof(buf), "%ld", (long)it->min);
		break;
	case FORM_TEXT:
		return; /* optional free text stays empty */
	default:
		return;
	}
	vals[0] = buf;
	(void)set(f, a, ivar, vals);
}

/* Walk the typical path: pages shown and the model's seconds. */
static void
walk(const struct form *f, size_t *pages, unsigned *seconds, int verbose)
{
	struct form_answers *a = form_answers_new(f);
	size_t p, i, k;

	*pages = 0;
	*seconds = 0;
	if (a == NULL)
		return;
	for (p = 0; p < f->npages; p++) {
		const struct form_page *pg = &f->pages[p];
		if (!form_page_visible(f, p, a))
			continue;
		for (i = 0; i < pg->nitems; i++) {
			const struct form_item *it = &pg->items[i];
			if (!form_item_visible(f, it, a))
				continue;
			if (it->kind != FORM_GRID) {
				ordinary(f, a, it, it->ivar, it->var);
				continue;
			}
			for (k = 0; k < it->nrows; k++)
				ordinary(f, a, it, it->rows[k].ivar,
				    it->rows[k].var);
		}
		(*pages)++;
		*seconds += pages_page_seconds(f, p, a);
		if (verbose)
			printf("  %2zu. %-22s %4u s\n", *pages, pg->id,
			    pages_page_seconds(f, p, a));
	}
	/* The check-your-answers step is a page too. */
	(*pages)++;
	*seconds += PAGES_SUMMARY_SECONDS;
	if (verbose)
		printf("  %2zu. %-22s %4u s\n", *pages, "(check your answers)",
		    PAGES_SUMMARY_SECONDS);
	form_answers_free(a);
}

int
main(int argc, char **argv)
{
	char path[512];
	struct form *f = NULL;
	struct diag d;
	size_t pages;
	unsigned seconds;
	double minutes;

	if (argc > 1)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		test_src_path("forms/fibromyalgia-therapies.json", path,
		    sizeof(path));
	diag_init(&d);
	if (form_load(path, &f, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		CHECK(0);
		return test_done();
	}
	diag_free(&d);
	printf("%s: typical path\n", path);
	walk(f, &pages, &seconds, 1);
	minutes = seconds / 60.0;
	printf("%zu pages, %u s (%.1f minutes); consent says about %ld "
	    "minutes\n", pages, seconds, minutes, f->consent_minutes);
	if (argc == 1) {
		CHECK(pages <= 10);
		CHECK(f->consent_minutes > 0);
		CHECK(f->consent_minutes >= minutes * 0.75 &&
		    f->consent_minutes <= minutes * 1.25);
	}
	form_free(f);
	return test_done();
}
