/*
 * Receipt and resume codes (code.h). The alphabet avoids letters that are
 * easy to confuse when read aloud or copied by hand, and the parser forgives
 * the usual slips, because the person typing it may be tired and in pain.
 */
#include <string.h>

#include <sodium.h>

#include "code.h"

static const char code_alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void
code_new(char out[CODE_LEN + 1])
{
	unsigned char b[17];
	size_t i, bit;

	randombytes_buf(b, 16);
	b[16] = 0;
	/* 26 groups of 5 bits over 130 bits: the last 2 are zero padding. */
	for (i = 0; i < CODE_LEN; i++) {
		unsigned v = 0;
		for (bit = 0; bit < 5; bit++) {
			size_t k = i * 5 + bit;
			v = (v << 1) | ((b[k / 8] >> (7 - k % 8)) & 1u);
		}
		out[i] = code_alpha[v];
	}
	out[CODE_LEN] = '\0';
	sodium_memzero(b, sizeof(b));
}

void
code_format(const char *code, char out[CODE_SHOWN_LEN + 1])
{
	size_t i, o = 0;

	for (i = 0; i < CODE_LEN && code[i] != '\0'; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = code[i];
	}
	out[o] = '\0';
}

int
code_parse(const char *in, size_t inlen, char out[CODE_LEN + 1])
{
	size_t i, o = 0;

	for (i = 0; i < inlen && in[i] != '\0'; i++) {
		char c = in[i];

		if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (strchr(code_alpha, c) == NULL || c == '\0')
			return -1;
		if (o == CODE_LEN)
			return -1;
		out[o++] = c;
	}
	if (i < inlen && in[i] == '\0')
		return -1; /* embedded NUL */
	if (o != CODE_LEN)
		return -1;
	out[o] = '\0';
	return 0;
}
