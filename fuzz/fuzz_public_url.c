/*
 * Fuzz target: --public-url (collector/site.c). Any bytes, as a C string
 * (cut at the first NUL): the check never reads past the string, and an
 * accepted address keeps the promises the pages rely on: it starts with
 * http:// or https://, holds no '?', '#', '@', space or control byte, has
 * no path (no '/' after the scheme), fits COLLECTOR_PUBLIC_URL_MAX, and
 * checking its canonical spelling again accepts it unchanged. A refusal
 * names --public-url.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, out[COLLECTOR_PUBLIC_URL_MAX + 1], again[sizeof(out)];
	char err[512];
	const char *rest;

	if (size > 4 * COLLECTOR_PUBLIC_URL_MAX || (s = malloc(size + 1)) ==
	    NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (collector_public_url_check(s, out, sizeof(out), err,
	    sizeof(err)) != 0) {
		if (strstr(err, "--public-url") == NULL)
			abort();
		free(s);
		return 0;
	}
	if (strncasecmp(out, "https://", 8) == 0)
		rest = out + 8;
	else if (strncasecmp(out, "http://", 7) == 0)
		rest = out + 7;
	else
		abort();
	if (strlen(out) > COLLECTOR_PUBLIC_URL_MAX || *rest == '\0' ||
	    strpbrk(rest, "?#@/") != NULL)
		abort();
	for (const char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			abort();
	if (collector_public_url_check(out, again, sizeof(again), err,
	    sizeof(err)) != 0 || strcmp(out, again) != 0)
		abort();
	free(s);
	return 0;
}
