/*
 * The whole flow on the default survey (forms/fibromyalgia-therapies.json),
 * driven by the form model: on each page the test finds which page it is
 * from the field names, answers every item on it with a valid value ("yes"
 * to open the branches), and goes on until the 303. The receipt is shown
 * and one row is stored, with its scores.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "form.h"

static const char *default_form = "forms/fibromyalgia-therapies.json";

/* Index of the page shown in body, or -1. */
static long
page_shown(const struct form *f, const char *body)
{
	size_t p, i, k;
	char needle[FORM_VAR_MAX + 16];

	for (p = 0; p < f->npages; p++)
		for (i = 0; i < f->pages[p].nitems; i++) {
			const struct form_item *it = &f->pages[p].items[i];
			size_t nv = it->kind == FORM_GRID ? it->nrows : 1;
			for (k = 0; k < nv; k++) {
				snprintf(needle, sizeof(needle), "name=\"%s\"",
				    it->kind == FORM_GRID ? it->rows[k].var
				    : it->var);
				if (strstr(body, needle) != NULL)
					return (long)p;
			}
		}
	return -1;
}

static const char *
first_choice(const struct form_item *it, int skip_exclusive, char *buf,
    size_t len)
{
	size_t k;

	for (k = 0; k < it->nchoices; k++) {
		if (it->choices[k].missing)
			continue;
		if (skip_exclusive && it->choices[k].exclusive)
			continue;
		snprintf(buf, len, "%ld", it->choices[k].value);
		return buf;
	}
	snprintf(buf, len, "%ld", it->choices[0].value);
	return buf;
}

/* Answer every item of page p into form body f. */
static void
answer_page(const struct form *fm, size_t p, struct cl_form *f)
{
	size_t i, k;
	char buf[64];

	for (i = 0; i < fm->pages[p].nitems; i++) {
		const struct form_item *it = &fm->pages[p].items[i];
		switch (it->kind) {
		case FORM_SINGLE:
		case FORM_DURATION:
			cl_form_add(f, it->var, first_choice(it, 0, buf,
			    sizeof(buf)));
			break;
		case FORM_MULTIPLE:
			/* Every ordinary option: opens the most branches. */
			for (k = 0; k < it->nchoices; k++) {
				if (it->choices[k].exclusive ||
				    it->choices[k].missing)
					continue;
				snprintf(buf, sizeof(buf), "%ld",
				    it->choices[k].value);
				cl_form_add(f, it->var, buf);
			}
			break;
		case FORM_GRID: {
			/* The highest ordinary choice: "used it" in use grids. */
			size_t last = 0, j;
			for (j = 0; j < it->nchoices; j++)
				if (!it->choices[j].missing)
					last = j;
			snprintf(buf, sizeof(buf), "%ld",
			    it->choices[last].value);
			for (k = 0; k < it->nrows; k++)
				cl_form_add(f, it->rows[k].var, buf);
			break;
		}
		case FORM_YESNO:
			cl_form_add(f, it->var, "1");
			break;
		case FORM_SCALE:
		case FORM_INTEGER:
			snprintf(buf, sizeof(buf), "%ld", (long)it->min);
			cl_form_add(f, it->var, buf);
			break;
		case FORM_DECIMAL:
			snprintf(buf, sizeof(buf), "%g", it->min);
			cl_form_add(f, it->var, buf);
			break;
		case FORM_TEXT:
			cl_form_add(f, it->var, "text answer");
			break;
		default:
			break;
		}
	}
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	struct form *fm = NULL;
	struct diag d;
	char path[512], *st = NULL, *loc = NULL, *code = NULL;
	int steps, pages_seen = 0, done = 0;
	long last = -1;

	test_src_path(default_form, path, sizeof(path));
	diag_init(&d);
	if (form_load(path, &fm, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		fprintf(stderr, "default survey not loadable yet\n");
		CL_REQUIRE(0);
	}
	diag_free(&d);
	CL_REQUIRE(cl_server_start(&s, default_form) == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	{
		char url[128];
		snprintf(url, sizeof(url), "/s/%s", fm->id);
		cl_get(&c, url, &r);
		CHECK_INT(r.status, 200);
		cl_resp_free(&r);
	}
	{
		struct cl_form f = {{NULL, 0}};
		char url[128];
		snprintf(url, sizeof(url), "/s/%s", fm->id);
		cl_form_add(&f, "lang", fm->langs[0]);
		cl_form_add(&f, "consent", "1");
		cl_form_add(&f, "adult", "1");
		cl_post(&c, url, &f, &r);
		cl_form_free(&f);
	}
	for (steps = 0; steps < 4 * (int)fm->npages + 8; steps++) {
		struct cl_form f = {{NULL, 0}};
		char url[128];
		long p;

		if (r.status == 303) {
			done = 1;
			break;
		}
		CHECK_INT(r.status, 200);
		st = cl_state(r.body);
		p = page_shown(fm, r.body);
		if (st != NULL && p < 0 && cl_contains(r.body,
		    "Check your answers")) {
			/* The last step: every answer listed, then submit. */
			CHECK(cl_contains(r.body, "class=\"summary-list\""));
			cl_resp_free(&r);
			cl_form_add(&f, "state", st);
			cl_form_add(&f, "action", "submit");
			snprintf(url, sizeof(url), "/s/%s", fm->id);
			cl_post(&c, url, &f, &r);
			cl_form_free(&f);
			free(st);
			st = NULL;
			continue;
		}
		if (st == NULL || p < 0) {
			fprintf(stderr, "step %d: no state or unknown page:\n%s\n",
			    steps, r.body);
			CHECK(0);
			break;
		}
		if (p != last)
			pages_seen++;
		last = p;
		cl_resp_free(&r);
		cl_form_add(&f, "state", st);
		cl_form_add(&f, "action", "next");
		answer_page(fm, (size_t)p, &f);
		snprintf(url, sizeof(url), "/s/%s", fm->id);
		cl_post(&c, url, &f, &r);
		cl_form_free(&f);
		free(st);
		st = NULL;
		if (r.status == 200 && cl_contains(r.body, "error-summary"))
			fprintf(stderr, "page %ld: errors:\n%s\n", p, r.body);
	}
	CHECK(done);
	fprintf(stderr, "%d pages walked\n", pages_seen);
	CHECK(pages_seen >= (int)fm->npages / 2);
	if (done) {
		loc = cl_header(&r, "Location");
		cl_resp_free(&r);
		CHECK(loc != NULL);
		if (loc != NULL) {
			cl_get(&c, loc, &r);
			code = cl_between(r.body, "id=\"receipt-code\">", '<');
			CHECK(code != NULL);
			cl_resp_free(&r);
		}
	} else
		cl_resp_free(&r);
	CHECK_INT(cl_count_rows(s.db, fm->id), 1);

	free(loc);
	free(code);
	form_free(fm);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
