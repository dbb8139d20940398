/*
 * Receipt and resume codes (code.h). The alphabet avoids letters that are
 * easy to confuse when read aloud or copied by hand, and the parser forgives
 * the usual slips, because the person typing it may be tired and in pain.
 * The check character is a weighted sum modulo 31 (a prime, so every
 * single substitution and adjacent swap but 0<->Z changes it), offset by
 * the kind.
 */
#include <string.h>

#include <sodium.h>

#include "code.h"

static const char code_alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static const char *const code_prefixes[CODE_KIND__MAX] = {"REC", "CONT"};

const char *
code_prefix(enum code_kind kind)
{
	return code_prefixes[kind];
}

static int
code_value(char c)
{
	const char *p = c != '\0' ? strchr(code_alpha, c) : NULL;

	return p != NULL ? (int)(p - code_alpha) : -1;
}

/* The check character of the first CODE_LEN - 1 characters of c. */
static char
code_check(const char *c, enum code_kind kind)
{
	unsigned sum = 7u + 13u * (unsigned)kind;
	size_t i;

	for (i = 0; i < CODE_LEN - 1; i++)
		sum += (unsigned)(i + 1) * (unsigned)code_value(c[i]);
	return code_alpha[sum % 31u];
}

void
code_new(char out[CODE_LEN + 1], enum code_kind kind)
{
	unsigned char b[13];
	size_t i, bit;

	randombytes_buf(b, 12);
	b[12] = 0;
	/* 19 groups of 5 bits: 95 of the 96 random bits. */
	for (i = 0; i < CODE_LEN - 1; i++) {
		unsigned v = 0;
		for (bit = 0; bit < 5; bit++) {
			size_t k = i * 5 + bit;
			v = (v << 1) | ((b[k / 8] >> (7 - k % 8)) & 1u);
		}
		out[i] = code_alpha[v];
	}
	out[CODE_LEN - 1] = code_check(out, kind);
	out[CODE_LEN] = '\0';
	sodium_memzero(b, sizeof(b));
}

void
code_format(const char *code, enum code_kind kind,
    char out[CODE_SHOWN_LEN + 1])
{
	size_t i, o = strlen(code_prefixes[kind]);

	memcpy(out, code_prefixes[kind], o);
	for (i = 0; i < CODE_LEN && code[i] != '\0'; i++) {
		if (i % 4 == 0)
			out[o++] = '-';
		out[o++] = code[i];
	}
	out[o] = '\0';
}

/*
 * The characters of in without separators, upper case, with a leading
 * prefix word removed (its kind in *kind, else -1). -1 when something is
 * not a code character or it is too long.
 */
static int
code_clean(const char *in, size_t inlen, char out[CODE_BUF], int *kind)
{
	char tmp[64];
	size_t i, n = 0, k, o = 0;

	*kind = -1;
	for (i = 0; i < inlen; i++) {
		char c = in[i];
		if (c == '\0')
			return -1; /* embedded NUL */
		if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == sizeof(tmp))
			return -1;
		tmp[n++] = c;
	}
	i = 0;
	for (k = 0; k < CODE_KIND__MAX; k++) {
		size_t pl = strlen(code_prefixes[k]);
		size_t j;
		for (j = 0; j < pl && j < n; j++) {
			char p = code_prefixes[k][j], c = tmp[j];
			if (c != p && !(p == 'O' && c == '0'))
				break;
		}
		if (j == pl && n - pl == CODE_LEN) {
			*kind = (int)k;
			i = pl;
			break;
		}
	}
	for (; i < n; i++) {
		char c = tmp[i];
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (code_value(c) < 0 || o == CODE_BUF - 1)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

enum code_read_rc
code_read(const char *in, size_t inlen, enum code_kind kind,
    char out[CODE_BUF])
{
	char c[CODE_BUF];
	int pk;
	size_t n;

	out[0] = '\0';
	if (code_clean(in, inlen, c, &pk) != 0)
		return CODE_BAD;
	n = strlen(c);
	if (n == CODE_LEGACY_LEN && pk < 0) {
		memcpy(out, c, n + 1);
		return CODE_OK;
	}
	if (n != CODE_LEN)
		return CODE_BAD;
	if (code_check(c, kind) == c[CODE_LEN - 1] &&
	    (pk < 0 || pk == (int)kind)) {
		memcpy(out, c, n + 1);
		return CODE_OK;
	}
	if (code_check(c, kind == CODE_RECEIPT ? CODE_RESUME : CODE_RECEIPT) ==
	    c[CODE_LEN - 1])
		return CODE_OTHER;
	return CODE_BAD;
}

int
code_parse(const char *in, size_t inlen, char out[CODE_LEN + 1])
{
	char c[CODE_BUF];
	size_t k;

	for (k = 0; k < CODE_KIND__MAX; k++)
		if (code_read(in, inlen, (enum code_kind)k, c) == CODE_OK &&
		    strlen(c) == CODE_LEN) {
			memcpy(out, c, CODE_LEN + 1);
			return 0;
		}
	return -1;
}
