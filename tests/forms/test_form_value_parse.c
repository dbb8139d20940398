/* Wire values: every kind's rules, and the *_bad_* cases refused. */
#include "helpers.h"

static void
parse_good(struct form_answers *a)
{
	CHECK_INT(set_answer(a, "age_band", "2"), 0);
	CHECK_INT(value_of(a, "age_band")->i, 2);
	CHECK_INT(set_answer(a, "uses_x", "1"), 0);
	CHECK_INT(set_answer(a, "pain", " 10 "), 0);
	CHECK_INT(value_of(a, "pain")->i, 10);
	CHECK_INT(set_answer(a, "weight", "72.5"), 0);
	CHECK_NEAR(value_of(a, "weight")->r, 72.5, 0);
	CHECK_INT(set_answer(a, "years", "0"), 0);
	CHECK_INT(set_answer(a, "g1", "2"), 0);
	const char *sites[] = {"1", "3"};
	CHECK_INT(set_multi(a, "sites", sites, 2), 0);
	CHECK_INT(value_of(a, "sites")->mask, (1 << 1) | (1 << 3));
	/* An empty string is "no answer", not an error. */
	CHECK_INT(set_answer(a, "years", ""), 0);
	CHECK(!value_of(a, "years")->set);
}

static void
parse_bad_values(struct form_answers *a)
{
	CHECK_INT(set_answer(a, "age_band", "3"), -1);    /* not a choice */
	CHECK_INT(set_answer(a, "age_band", "1x"), -1);   /* trailing junk */
	CHECK_INT(set_answer(a, "uses_x", "2"), -1);      /* yes/no is 0/1 */
	CHECK_INT(set_answer(a, "pain", "11"), -1);       /* scale 0..10 */
	CHECK_INT(set_answer(a, "pain", "-1"), -1);
	CHECK_INT(set_answer(a, "weight", "29.9"), -1);   /* below min */
	CHECK_INT(set_answer(a, "weight", "nan"), -1);
	CHECK_INT(set_answer(a, "weight", "inf"), -1);
	CHECK_INT(set_answer(a, "years", "61"), -1);
	CHECK_INT(set_answer(a, "years", "1.5"), -1);
	CHECK_INT(set_answer(a, "years", "99999999999999999999"), -1);
	CHECK_INT(set_answer(a, "g1", "3"), -1);
	const char *excl[] = {"0", "2"};
	CHECK_INT(set_multi(a, "sites", excl, 2), -1);    /* none + other */
	const char *dup[] = {"2", "2"};
	CHECK_INT(set_multi(a, "sites", dup, 2), -1);
	const char *two[] = {"1", "2"};
	CHECK_INT(set_multi(a, "age_band", two, 2), -1);  /* one value only */
	/* Scores are computed, never parsed from the wire. */
	long iv = form_var_find(a->form, "gsum");
	const char *v = "1", *err;
	struct form_value fv;
	CHECK_INT(form_value_parse(a->form, (size_t)iv, &v, 1, &fv, &err), -1);
	CHECK(err != NULL);
}

static void
missing_choice_not_known(struct form_answers *a)
{
	long iv = form_var_find(a->form, "age_band");

	CHECK_INT(set_answer(a, "age_band", "99"), 0);
	CHECK(a->v[iv].set);
	CHECK(!form_value_known(a->form, (size_t)iv, &a->v[iv]));
}

int
main(void)
{
	struct form *f = load_fixture("tests/forms/data/mini.json");
	struct form_answers *a = form_answers_new(f);

	parse_good(a);
	parse_bad_values(a);
	missing_choice_not_known(a);
	form_answers_free(a);
	form_free(f);
	return test_done();
}
