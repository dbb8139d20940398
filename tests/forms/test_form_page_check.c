/*
 * Page validation: required items must be answered while shown; hidden
 * items are neither required nor kept.
 */
#include "helpers.h"

int
main(void)
{
	struct form *f = load_fixture("tests/forms/data/mini.json");
	struct form_answers *a = form_answers_new(f);
	struct diag d;

	diag_init(&d);
	/* Empty page 1: age_band and uses_x required; x_freq hidden. */
	CHECK_INT(form_page_check(f, 0, a, &d), 2);
	CHECK(d.n == 2 && strcmp(d.a[0].where, "age_band") == 0 &&
	    strcmp(d.a[0].what, "required") == 0);
	CHECK(d.n == 2 && strcmp(d.a[1].where, "uses_x") == 0);

	/* uses_x = yes shows x_freq, which is then required. */
	diag_clear(&d);
	set_answer(a, "age_band", "1");
	set_answer(a, "uses_x", "1");
	CHECK_INT(form_page_check(f, 0, a, &d), 1);
	CHECK(d.n == 1 && strcmp(d.a[0].where, "x_freq") == 0);

	/* An answer to an item that is hidden is dropped, not stored. */
	diag_clear(&d);
	set_answer(a, "x_freq", "2");
	set_answer(a, "uses_x", "0");
	CHECK_INT(form_page_check(f, 0, a, &d), 0);
	CHECK(!value_of(a, "x_freq")->set);

	/* A required grid needs every row. */
	diag_clear(&d);
	const char *none = "0";
	set_multi(a, "sites", &none, 1);
	set_answer(a, "g1", "1");
	CHECK_INT(form_page_check(f, 1, a, &d), 1);
	CHECK(d.n == 1 && strcmp(d.a[0].where, "g2") == 0);

	/* The whole form: page 3 still empty. */
	diag_clear(&d);
	set_answer(a, "g2", "0");
	CHECK_INT(form_answers_check(f, a, &d), 1);
	CHECK(d.n == 1 && strcmp(d.a[0].where, "pain") == 0);

	diag_free(&d);
	form_answers_free(a);
	form_free(f);
	return test_done();
}
