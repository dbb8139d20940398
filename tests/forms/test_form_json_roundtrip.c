/*
 * The storage encoding: answers written to JSON and read back are the same;
 * bad stored JSON is reported, not trusted.
 */
#include "helpers.h"

int
main(void)
{
	struct form *f = load_fixture("tests/forms/data/mini.json");
	struct form_answers *a = form_answers_new(f), *b = form_answers_new(f);
	struct diag d;
	char *js, *js2;

	diag_init(&d);
	set_answer(a, "age_band", "99");
	set_answer(a, "uses_x", "1");
	set_answer(a, "x_freq", "2");
	const char *s[] = {"2", "3"};
	set_multi(a, "sites", s, 2);
	set_answer(a, "weight", "70.125");
	set_answer(a, "pain", "4");
	form_score(f, a);
	js = form_answers_to_json(a, 0, f->nitem_vars);
	CHECK_STR(js, "{\"age_band\":99,\"uses_x\":1,\"x_freq\":2,"
	    "\"sites\":[2,3],\"pain\":4,\"weight\":70.125}");
	CHECK_INT(form_answers_from_json(b, js, &d), 0);
	js2 = form_answers_to_json(b, 0, f->nitem_vars);
	CHECK_STR(js2, js);
	free(js2);
	free(js);

	js = form_answers_to_json(a, f->nitem_vars, f->nvars);
	/* flag: 2 sites but pain 4 < 5 */
	CHECK_STR(js, "{\"nsites\":2,\"wide\":1,\"flag\":0,\"pain_band\":1}");
	free(js);

	/* Stored bytes are untrusted. */
	CHECK_INT(form_answers_from_json(b, "{\"pain\": 12}", &d), -1);
	CHECK_INT(form_answers_from_json(b, "{\"ghost\": 1}", &d), -1);
	CHECK_INT(form_answers_from_json(b, "{\"sites\": [0, 1]}", &d), -1);
	CHECK_INT(form_answers_from_json(b, "[1]", &d), -1);
	CHECK_INT(form_answers_from_json(b, "{\"pain\": \"3\", \"pain\": 4}", &d),
	    -1);
	CHECK(d.n == 5);
	diag_free(&d);
	form_answers_free(a);
	form_answers_free(b);
	form_free(f);
	return test_done();
}
