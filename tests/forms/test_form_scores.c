/* The scoring engine on hand-computed cases of every score kind. */
#include "helpers.h"

int
main(void)
{
	struct form *f = load_fixture("tests/forms/data/mini.json");
	struct form_answers *a = form_answers_new(f);

	/* sites {1,3}: two chosen; count of regions: head, back-or-legs. */
	const char *s13[] = {"1", "3"};
	set_multi(a, "sites", s13, 2);
	set_answer(a, "g1", "2");
	set_answer(a, "g2", "1");
	set_answer(a, "pain", "6");
	form_score(f, a);
	CHECK_INT(value_of(a, "nsites")->i, 2);
	CHECK_INT(value_of(a, "gsum")->i, 3);
	CHECK_NEAR(value_of(a, "gmean")->r, 3.0, 1e-15);
	CHECK_INT(value_of(a, "wide")->i, 2);
	CHECK_INT(value_of(a, "flag")->i, 1);
	CHECK_INT(value_of(a, "pain_band")->i, 1); /* 4 <= 6 < 7 */

	/* The exclusive "none" counts as zero sites. */
	const char *none = "0";
	set_multi(a, "sites", &none, 1);
	form_score(f, a);
	CHECK_INT(value_of(a, "nsites")->i, 0);
	CHECK_INT(value_of(a, "wide")->i, 0);
	CHECK_INT(value_of(a, "flag")->i, 0);

	/* Band edges: a cut belongs to the band above it. */
	set_answer(a, "pain", "7");
	form_score(f, a);
	CHECK_INT(value_of(a, "pain_band")->i, 2);
	set_answer(a, "pain", "3");
	form_score(f, a);
	CHECK_INT(value_of(a, "pain_band")->i, 0);

	/* mean with min_answered 2: g1, pain answered -> (2 + 3) / 2. */
	set_answer(a, "g2", "");
	form_score(f, a);
	CHECK_NEAR(value_of(a, "gmean")->r, 2.5, 1e-15);
	/* sum of g1, g2 with g2 missing and no min_answered: no value. */
	CHECK(!value_of(a, "gsum")->set);
	set_answer(a, "pain", "");
	form_score(f, a);
	CHECK(!value_of(a, "gmean")->set);
	CHECK(!value_of(a, "pain_band")->set);
	CHECK(!value_of(a, "flag")->set || value_of(a, "flag")->i == 0);

	form_answers_free(a);
	form_free(f);
	return test_done();
}
