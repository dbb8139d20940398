/*
 * RFC 4180 output (csv_out.h).
 */
#include <math.h>
#include <string.h>

#include "csv_out.h"

int
csv_open(struct csv_out *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	if ((c->fp = fopen(path, "wb")) == NULL)
		return -1;
	return 0;
}

int
csv_close(struct csv_out *c)
{
	int rc = c->err;

	if (c->fp == NULL)
		return -1;
	if (ferror(c->fp))
		rc = -1;
	if (fclose(c->fp) != 0)
		rc = -1;
	c->fp = NULL;
	return rc ? -1 : 0;
}

static void
put(struct csv_out *c, const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, c->fp) != n)
		c->err = 1;
}

void
csv_field(struct csv_out *c, const char *s)
{
	if (c->nfield++ > 0)
		put(c, ",", 1);
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		put(c, s, strlen(s));
		return;
	}
	put(c, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			put(c, "\"\"", 2);
		else
			put(c, p, 1);
	}
	put(c, "\"", 1);
}

void
csv_num(struct csv_out *c, double x)
{
	char buf[40];

	if (!isfinite(x)) {
		csv_field(c, NULL);
		return;
	}
	snprintf(buf, sizeof(buf), "%.10g", x == 0 ? 0.0 : x);
	csv_field(c, buf);
}

void
csv_uint(struct csv_out *c, uint64_t x)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)x);
	csv_field(c, buf);
}

void
csv_end_row(struct csv_out *c)
{
	put(c, "\r\n", 2);
	c->nfield = 0;
}
