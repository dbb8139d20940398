/*
 * Receipt and resume codes: 19 random Crockford base32 characters and a
 * check character, shown after a prefix word that says which code it is
 * ("REC-", "CONT-") in groups of four; read back from any case, with or
 * without the prefix, dashes and spaces, O read as 0 and I/L as 1. A code
 * typed into the other kind's page is recognised as the other kind; one
 * wrong character or two swapped neighbours are caught; codes issued
 * before kinds existed (26 characters) are still read.
 */
#include <string.h>

#include <sodium.h>

#include "code.h"
#include "testlib.h"

int
main(void)
{
	char a[CODE_LEN + 1], b[CODE_LEN + 1], shown[CODE_SHOWN_LEN + 1];
	char back[CODE_BUF], typo[CODE_LEN + 1], small[CODE_LEN + 1];
	int i, caught = 0, swaps = 0, nswaps = 0;

	CHECK(sodium_init() >= 0);
	code_new(a, CODE_RECEIPT);
	code_new(b, CODE_RECEIPT);
	CHECK_INT(strlen(a), CODE_LEN);
	CHECK(strcmp(a, b) != 0);

	/* Shown with the prefix word and five groups of four. */
	code_format(a, CODE_RECEIPT, shown);
	CHECK_INT(strlen(shown), 4 + 25 - 1);
	CHECK(strncmp(shown, "REC-", 4) == 0);
	CHECK(shown[8] == '-' && shown[13] == '-' && shown[23] == '-');
	CHECK_INT(code_read(shown, strlen(shown), CODE_RECEIPT, back), CODE_OK);
	CHECK_STR(back, a);
	code_new(b, CODE_RESUME);
	code_format(b, CODE_RESUME, shown);
	CHECK_INT(strlen(shown), CODE_SHOWN_LEN);
	CHECK(strncmp(shown, "CONT-", 5) == 0);
	CHECK_INT(code_read(shown, strlen(shown), CODE_RESUME, back), CODE_OK);
	CHECK_STR(back, b);

	/* Lenient: lower case, no prefix, spaces, O for 0, l for 1. */
	{
		char low[64];
		size_t k;
		code_format(a, CODE_RECEIPT, shown);
		for (k = 0; shown[k] != '\0'; k++)
			low[k] = (char)(shown[k] >= 'A' && shown[k] <= 'Z'
			    ? shown[k] - 'A' + 'a' : shown[k] == '-' ? ' '
			    : shown[k]);
		low[k] = '\0';
		CHECK_INT(code_read(low, k, CODE_RECEIPT, back), CODE_OK);
		CHECK_STR(back, a);
		CHECK_INT(code_read(a, CODE_LEN, CODE_RECEIPT, back), CODE_OK);
		CHECK_STR(back, a);
		/* 3-argument code_parse takes either kind. */
		CHECK_INT(code_parse(shown, strlen(shown), small), 0);
		CHECK_STR(small, a);
	}

	/* codes_bad_other_kind: a receipt code on the resume page, and back. */
	code_format(a, CODE_RECEIPT, shown);
	CHECK_INT(code_read(shown, strlen(shown), CODE_RESUME, back),
	    CODE_OTHER);
	CHECK_INT(code_read(a, CODE_LEN, CODE_RESUME, back), CODE_OTHER);
	code_format(b, CODE_RESUME, shown);
	CHECK_INT(code_read(shown, strlen(shown), CODE_RECEIPT, back),
	    CODE_OTHER);

	/* codes_bad_typo: every single substitution and neighbour swap. */
	for (i = 0; i < CODE_LEN; i++) {
		const char *alpha = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
		size_t k;
		for (k = 0; k < 32; k++) {
			if (alpha[k] == a[i])
				continue;
			memcpy(typo, a, sizeof(typo));
			typo[i] = alpha[k];
			if (code_read(typo, CODE_LEN, CODE_RECEIPT, back) !=
			    CODE_OK)
				caught++;
		}
		if (i + 1 < CODE_LEN && a[i] != a[i + 1]) {
			memcpy(typo, a, sizeof(typo));
			typo[i] = a[i + 1];
			typo[i + 1] = a[i];
			nswaps++;
			if (code_read(typo, CODE_LEN, CODE_RECEIPT, back) !=
			    CODE_OK)
				swaps++;
		}
	}
	/* Only 0<->Z at one position can slip through a modulus of 31. */
	CHECK(caught >= CODE_LEN * 31 - CODE_LEN);
	CHECK(swaps >= nswaps - 2);

	/* A code issued before kinds: 26 characters, no prefix, no check. */
	CHECK_INT(code_read("abcd efgh-jkmn pqrs-tvwx yz01-23", 32,
	    CODE_RECEIPT, back), CODE_OK);
	CHECK_STR(back, "ABCDEFGHJKMNPQRSTVWXYZ0123");
	CHECK_INT(code_read("oOiI LlAA AAAA AAAA AAAA AAAA AA", 32, CODE_RESUME,
	    back), CODE_OK);
	CHECK_STR(back, "001111AAAAAAAAAAAAAAAAAAAA");
	CHECK_INT(code_parse("ABCDEFGHJKMNPQRSTVWXYZ0123", 26, small), -1);

	/* codes_bad_* */
	CHECK_INT(code_read("", 0, CODE_RECEIPT, back), CODE_BAD);
	CHECK_INT(code_read("ABCD", 4, CODE_RECEIPT, back), CODE_BAD);
	CHECK_INT(code_read("ABCDEFGHJKMNPQRSTVWXYZ01234", 27, CODE_RECEIPT,
	    back), CODE_BAD);
	CHECK_INT(code_read("ABCDEFGHJKMNPQRSTVWXYZ012U", 26, CODE_RECEIPT,
	    back), CODE_BAD);
	CHECK_INT(code_read("ABCDEFGHJKMNPQRSTVWXYZ012!", 26, CODE_RECEIPT,
	    back), CODE_BAD);
	CHECK_INT(code_read("ABCDEFGHJKMN\0QRSTVWXYZ0123", 26, CODE_RECEIPT,
	    back), CODE_BAD);
	for (i = 0; i < 1000; i++) {
		code_new(a, i % 2 ? CODE_RESUME : CODE_RECEIPT);
		CHECK(strspn(a, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") == CODE_LEN);
		CHECK_INT(code_read(a, CODE_LEN, i % 2 ? CODE_RESUME
		    : CODE_RECEIPT, back), CODE_OK);
	}
	return test_done();
}
