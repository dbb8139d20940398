/*
 * Fuzz target: the form-file loader and validator, then, for a form that
 * loads, the stored-answers decoder and the scoring engine on an empty and
 * on a decoded answer set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	struct form *f = NULL;

	diag_init(&d);
	if (form_load_buffer("fuzz.json", (const char *)data, size, &f, &d) ==
	    0) {
		struct form_answers *a = form_answers_new(f);
		if (a != NULL) {
			struct diag d2;
			diag_init(&d2);
			form_answers_check(f, a, &d2);
			char *js = form_answers_to_json(a, 0, f->nvars);
			if (js != NULL) {
				form_answers_from_json(a, js, &d2);
				free(js);
			}
			diag_free(&d2);
			form_answers_free(a);
		}
		form_free(f);
	}
	diag_free(&d);
	return 0;
}
