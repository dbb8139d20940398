/*
 * Withdrawal: the receipt code from the thank-you page deletes exactly that
 * response; a wrong code and a malformed one get clear messages and delete
 * nothing; a code works once.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char *code1, *code2;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	code1 = cl_mini_full(&c);
	code2 = cl_mini_full(&c);
	CL_REQUIRE(code1 != NULL && code2 != NULL);
	CHECK(strcmp(code1, code2) != 0);
	CHECK_INT(cl_count_rows(s.db, "mini"), 2);

	cl_get(&c, "/withdraw", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "name=\"code\""));
	cl_resp_free(&r);

	/* withdraw_bad_unknown_code */
	{
		const char *kv[] = {"code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZ",
			NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 404);
		CHECK(cl_contains(r.body, "No answers were found for this code"));
		CHECK(cl_contains(r.body, "role=\"alert\""));
		cl_resp_free(&r);
	}
	/* withdraw_bad_malformed_code */
	{
		const char *kv[] = {"code", "1234", NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 400);
		CHECK(cl_contains(r.body, "does not look like a code"));
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(s.db, "mini"), 2);

	/* The right code, typed without dashes and in lower case. */
	{
		char typed[64];
		size_t i, o = 0;
		for (i = 0; code1[i] != '\0' && o + 1 < sizeof(typed); i++)
			if (code1[i] != '-')
				typed[o++] = (char)(code1[i] >= 'A' &&
				    code1[i] <= 'Z' ? code1[i] - 'A' + 'a'
				    : code1[i]);
		typed[o] = '\0';
		const char *kv[] = {"code", typed, NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 200);
		CHECK(cl_contains(r.body, "Your answers have been deleted."));
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(s.db, "mini"), 1);
	/* withdraw_bad_twice */
	{
		const char *kv[] = {"code", code1, NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 404);
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(s.db, "mini"), 1);
	CHECK_INT(cl_metric_after(&s, 1, "candor_withdrawals_total"), 1);

	free(code1);
	free(code2);
	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
