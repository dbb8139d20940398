/*
 * Conditions are three-valued: an unanswered variable makes a comparison
 * unknown, and all/any/count decide only when the unknowns cannot matter.
 */
#include "helpers.h"

static const char *form_text =
    "{\"id\": \"c\", \"version\": 1, \"languages\": [\"en\"], \"title\": \"t\","
    " \"consent\": {\"version\": \"1\", \"title\": \"c\", \"text\": \"t\","
    "   \"agree\": \"a\", \"age_confirm\": \"b\"},"
    " \"pages\": [{\"id\": \"p\", \"title\": \"p\", \"items\": ["
    "  {\"var\": \"a\", \"kind\": \"scale\", \"label\": \"a\"},"
    "  {\"var\": \"b\", \"kind\": \"scale\", \"label\": \"b\"},"
    "  {\"var\": \"m\", \"kind\": \"multiple\", \"label\": \"m\", \"choices\": ["
    "    {\"value\": 1, \"label\": \"x\"}, {\"value\": 2, \"label\": \"y\"}]}]}],"
    " \"scores\": ["
    "  {\"var\": \"all_ab\", \"kind\": \"criteria\", \"label\": \"s\","
    "   \"when\": {\"all\": [{\"var\": \"a\", \"ge\": 5}, {\"var\": \"b\", \"ge\": 5}]}},"
    "  {\"var\": \"any_ab\", \"kind\": \"criteria\", \"label\": \"s\","
    "   \"when\": {\"any\": [{\"var\": \"a\", \"ge\": 5}, {\"var\": \"b\", \"ge\": 5}]}},"
    "  {\"var\": \"not_a\", \"kind\": \"criteria\", \"label\": \"s\","
    "   \"when\": {\"not\": {\"var\": \"a\", \"in\": [1, 2, 3]}}},"
    "  {\"var\": \"cnt\", \"kind\": \"criteria\", \"label\": \"s\","
    "   \"when\": {\"count\": [{\"var\": \"a\", \"ge\": 5}, {\"var\": \"b\", \"ge\": 5},"
    "     {\"var\": \"m\", \"has\": 2}], \"ge\": 2}},"
    "  {\"var\": \"ans\", \"kind\": \"criteria\", \"label\": \"s\","
    "   \"when\": {\"var\": \"b\", \"answered\": false}}]}";

static struct form *f;

static long
score(struct form_answers *a, const char *name)
{
	form_score(f, a);
	const struct form_value *v = value_of(a, name);
	return v->set ? v->i : -1; /* -1: unknown */
}

int
main(void)
{
	struct diag d;
	diag_init(&d);
	if (form_load_buffer("c.json", form_text, strlen(form_text), &f, &d)) {
		diag_print(&d, stderr);
		return 1;
	}
	struct form_answers *a = form_answers_new(f);

	/* Nothing answered: all unknown, answered:false true. */
	CHECK_INT(score(a, "all_ab"), -1);
	CHECK_INT(score(a, "any_ab"), -1);
	CHECK_INT(score(a, "not_a"), -1);
	CHECK_INT(score(a, "cnt"), -1);
	CHECK_INT(score(a, "ans"), 1);

	/* a false decides all; a true decides any. */
	set_answer(a, "a", "2");
	CHECK_INT(score(a, "all_ab"), 0);
	CHECK_INT(score(a, "any_ab"), -1);
	CHECK_INT(score(a, "not_a"), 0);
	set_answer(a, "a", "7");
	CHECK_INT(score(a, "all_ab"), -1);
	CHECK_INT(score(a, "any_ab"), 1);
	CHECK_INT(score(a, "not_a"), 1);

	/* count >= 2: one true, two unknown -> unknown; then decided. */
	CHECK_INT(score(a, "cnt"), -1);
	const char *two = "2";
	set_multi(a, "m", &two, 1);
	CHECK_INT(score(a, "cnt"), 1);
	set_answer(a, "a", "1");
	CHECK_INT(score(a, "cnt"), -1); /* depends on b */
	set_answer(a, "b", "0");
	CHECK_INT(score(a, "cnt"), 0);
	CHECK_INT(score(a, "ans"), 0);
	CHECK_INT(score(a, "all_ab"), 0);
	CHECK_INT(score(a, "any_ab"), 0);

	form_answers_free(a);
	form_free(f);
	diag_free(&d);
	return test_done();
}
