/*
 * Fuzz target: the version mapping (form_map.h). The input is two form
 * files separated by one NUL byte, the newer first; when both load, the
 * mapping of the newer from the older is checked, and when it compiles
 * it is applied to the older form's answers decoded from their own
 * encoding, then the newer form scores the result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "form_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Map a set of answers in which every item of old has a value. */
static void
apply(const struct form_mapper *m, const struct form *old,
    const struct form *f)
{
	struct form_answers *a = form_answers_new(old);
	struct form_answers *b = form_answers_new(f);
	struct diag d;

	diag_init(&d);
	if (a != NULL && b != NULL) {
		for (size_t i = 0; i < old->nitem_vars; i++) {
			const struct form_item *it = old->vars[i].item;
			struct form_value *v = &a->v[i];
			v->set = old->vars[i].type != FORM_T_TEXT;
			v->i = it->nchoices > 0 ? it->choices[0].value :
			    (long)it->min;
			v->r = it->min;
			v->mask = it->nchoices > 0 ? 1 : 0;
		}
		if (form_mapper_apply(m, a, b) == 0)
			form_score(f, b);
	}
	diag_free(&d);
	form_answers_free(a);
	form_answers_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0, size);
	struct form *f = NULL, *old = NULL;
	struct form_mapper *m = NULL;
	struct diag d;

	if (sep == NULL)
		return 0;
	diag_init(&d);
	if (form_load_buffer("new.json", (const char *)data,
	    (size_t)(sep - data), &f, &d) == 0 &&
	    form_load_buffer("old.json", (const char *)sep + 1,
	    size - (size_t)(sep - data) - 1, &old, &d) == 0 &&
	    form_mapper_new(f, "new.json", old, &m, &d) == 0)
		apply(m, old, f);
	form_mapper_free(m);
	form_free(old);
	form_free(f);
	diag_free(&d);
	return 0;
}
