/*
 * Problem lists (see diag.h). Allocation failures are not reported through
 * the list itself: an entry that cannot be stored is still counted in
 * total, so callers never mistake a failed load for a clean one.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_clear(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->a[i].where);
		free(d->a[i].what);
	}
	d->n = 0;
	d->total = 0;
}

void
diag_free(struct diag *d)
{
	diag_clear(d);
	free(d->a);
	memset(d, 0, sizeof(*d));
}

void
diag_add(struct diag *d, const char *where, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	d->total++;
	if (d->n >= DIAG_MAX)
		return;
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		struct diag_entry *na = realloc(d->a, ncap * sizeof(*na));
		if (na == NULL)
			return;
		d->a = na;
		d->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d->a[d->n].where = strdup(where ? where : "");
	d->a[d->n].what = strdup(buf);
	if (d->a[d->n].where == NULL || d->a[d->n].what == NULL) {
		free(d->a[d->n].where);
		free(d->a[d->n].what);
		return;
	}
	d->n++;
}

void
diag_vadd_at(struct diag *d, const char *file, const char *path,
    const char *fmt, va_list ap)
{
	char where[DIAG_PATH_MAX + 512], msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (path[0] != '\0')
		snprintf(where, sizeof(where), "%s: %s", file, path);
	else
		snprintf(where, sizeof(where), "%s", file);
	diag_add(d, where, "%s", msg);
}

void
diag_print(const struct diag *d, FILE *fp)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->a[i].where[0] != '\0')
			fprintf(fp, "%s: %s\n", d->a[i].where, d->a[i].what);
		else
			fprintf(fp, "%s\n", d->a[i].what);
	}
	if (d->total > d->n)
		fprintf(fp, "... and %zu more problems\n", d->total - d->n);
}

/* out = a + b + c, cut to fit DIAG_PATH_MAX. */
static const char *
path_join(char *out, const char *a, const char *b, const char *c)
{
	const char *parts[3] = {a, b, c};
	size_t n = 0;

	for (size_t p = 0; p < 3; p++)
		for (const char *s = parts[p]; *s && n < DIAG_PATH_MAX - 1; s++)
			out[n++] = *s;
	out[n] = '\0';
	return out;
}

const char *
diag_path_key(char *out, const char *path, const char *key)
{
	return path_join(out, path, path[0] ? "." : "", key);
}

const char *
diag_path_idx(char *out, const char *path, size_t i)
{
	char idx[32];

	snprintf(idx, sizeof(idx), "[%zu]", i);
	return path_join(out, path, "", idx);
}
