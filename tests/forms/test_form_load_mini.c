/* A valid form loads into the model the file describes. */
#include "helpers.h"

int
main(void)
{
	struct form *f = load_fixture("tests/forms/data/mini.json");

	CHECK_STR(f->id, "mini");
	CHECK_INT(f->version, 1);
	CHECK_INT(f->nlangs, 2);
	CHECK_STR(f->langs[1], "es");
	CHECK_STR(f->consent_version, "2026-11-01");
	CHECK_INT(f->npages, 3);
	CHECK_INT(f->nscores, 6);
	/* 3 + sites + 2 grid rows + 3 items, then 6 scores */
	CHECK_INT(f->nitem_vars, 9);
	CHECK_INT(f->nvars, 15);
	CHECK_INT(form_var_find(f, "g2"), 5);
	CHECK_INT(form_var_find(f, "nope"), -1);
	CHECK(f->vars[form_var_find(f, "sites")].type == FORM_T_SET);
	CHECK(f->vars[form_var_find(f, "weight")].type == FORM_T_REAL);
	CHECK(f->vars[form_var_find(f, "gmean")].type == FORM_T_REAL);
	CHECK(f->pages[0].items[0].quasi_identifier);
	CHECK(f->pages[0].items[2].show_if != NULL);
	CHECK(f->pages[1].items[0].choices[0].exclusive);
	CHECK(f->pages[0].items[0].choices[2].missing);
	CHECK_STR(form_text_get(f, &f->title, 1), "Mini encuesta");
	CHECK_STR(form_text_get(f, &f->title, 7), "Mini survey");
	CHECK_INT(form_lang_find(f, "es-MX"), 1);
	CHECK_INT(form_lang_find(f, "ES"), 1);
	CHECK_INT(form_lang_find(f, "fr"), -1);
	CHECK_STR(form_kind_name(f->pages[1].items[1].kind), "grid");
	form_free(f);
	return test_done();
}
