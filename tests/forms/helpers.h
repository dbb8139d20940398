/*
 * Shared by the form tests: load a fixture form and set answers from wire
 * strings, failing the test loudly when a fixture is broken.
 */
#ifndef CANDOR_TEST_FORMS_HELPERS_H
#define CANDOR_TEST_FORMS_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "testlib.h"

static inline struct form *
load_fixture(const char *rel)
{
	char path[1024];
	struct diag d;
	struct form *f = NULL;

	diag_init(&d);
	if (form_load(test_src_path(rel, path, sizeof(path)), &f, &d) != 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "cannot load fixture %s\n", rel);
		exit(1);
	}
	diag_free(&d);
	return f;
}

/* Set variable `name` from one wire string ("" clears); returns 0 or -1. */
static inline int
set_answer(struct form_answers *a, const char *name, const char *val)
{
	long iv = form_var_find(a->form, name);
	const char *err;

	if (iv < 0) {
		fprintf(stderr, "no variable %s\n", name);
		exit(1);
	}
	form_answers_clear(a, (size_t)iv);
	return form_value_parse(a->form, (size_t)iv, &val, 1, &a->v[iv], &err);
}

/* Set a multiple-choice variable from n wire strings. */
static inline int
set_multi(struct form_answers *a, const char *name, const char *const *vals,
    size_t n)
{
	long iv = form_var_find(a->form, name);
	const char *err;

	if (iv < 0)
		exit(1);
	form_answers_clear(a, (size_t)iv);
	return form_value_parse(a->form, (size_t)iv, vals, n, &a->v[iv], &err);
}

static inline const struct form_value *
value_of(const struct form_answers *a, const char *name)
{
	long iv = form_var_find(a->form, name);

	if (iv < 0)
		exit(1);
	return &a->v[iv];
}

#endif
