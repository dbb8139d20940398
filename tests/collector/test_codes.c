/*
 * Receipt and resume codes: 26 Crockford base32 characters shown in groups
 * of four; parsed back from any case, with or without dashes and spaces,
 * O read as 0 and I/L as 1; anything else refused.
 */
#include <string.h>

#include <sodium.h>

#include "code.h"
#include "testlib.h"

int
main(void)
{
	char a[CODE_LEN + 1], b[CODE_LEN + 1], shown[CODE_SHOWN_LEN + 1];
	char back[CODE_LEN + 1];
	int i;

	CHECK(sodium_init() >= 0);
	code_new(a);
	code_new(b);
	CHECK_INT(strlen(a), CODE_LEN);
	CHECK(strcmp(a, b) != 0);
	code_format(a, shown);
	CHECK_INT(strlen(shown), CODE_SHOWN_LEN);
	CHECK(shown[4] == '-' && shown[9] == '-' && shown[29] == '-');
	CHECK_INT(code_parse(shown, strlen(shown), back), 0);
	CHECK_STR(back, a);

	CHECK_INT(code_parse("abcd efgh-jkmn pqrs-tvwx yz01-23", 32, back), 0);
	CHECK_STR(back, "ABCDEFGHJKMNPQRSTVWXYZ0123");
	CHECK_INT(code_parse("oOiI LlAA AAAA AAAA AAAA AAAA AA", 32, back), 0);
	CHECK_STR(back, "001111AAAAAAAAAAAAAAAAAAAA");

	/* codes_bad_* */
	CHECK_INT(code_parse("", 0, back), -1);
	CHECK_INT(code_parse("ABCD", 4, back), -1);
	CHECK_INT(code_parse("ABCDEFGHJKMNPQRSTVWXYZ01234", 27, back), -1);
	CHECK_INT(code_parse("ABCDEFGHJKMNPQRSTVWXYZ012U", 26, back), -1);
	CHECK_INT(code_parse("ABCDEFGHJKMNPQRSTVWXYZ012!", 26, back), -1);
	CHECK_INT(code_parse("ABCDEFGHJKMN\0QRSTVWXYZ0123", 26, back), -1);
	for (i = 0; i < 1000; i++) {
		code_new(a);
		CHECK(strspn(a, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") == CODE_LEN);
	}
	return test_done();
}
