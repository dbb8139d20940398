/*
 * Reader for the fixtures that tests/reference/stats.R writes, shared by
 * tests/analysis/test_stats_*.c (header-only: the tests link testlib.c
 * only). Two formats, both plain text with '#' comment lines:
 *
 *   data blocks (stats_data.txt, stats_large.txt)
 *       @ name nrow ncol
 *       nrow lines of ncol numbers
 *   expected values (stats_<family>.expected)
 *       name number
 *
 * Numbers were printed by R with "%.17g", so strtod() gives back the very
 * doubles R used; "NA" (a value R did not compute) reads as NaN.
 * A name that is not in the file counts as a test failure, so a renamed
 * fixture can never pass by comparing NaN with NaN.
 */
#ifndef CANDOR_STATS_REF_H
#define CANDOR_STATS_REF_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define REF_NAME_MAX 64

struct ref_block {
	char name[REF_NAME_MAX];
	size_t nrow, ncol;
	double *v; /* nrow * ncol, row-major */
};

struct ref_data {
	struct ref_block *b;
	size_t n;
};

struct ref_expect {
	char (*name)[REF_NAME_MAX];
	double *v;
	size_t n;
};

/* One number; *end past it. "NA" is NaN. Returns 0 if none. */
static inline int
ref_number(const char *s, const char **end, double *v)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == 'N' && s[1] == 'A' && (s[2] == '\0' || s[2] == ' ' ||
	    s[2] == '\n' || s[2] == '\r')) {
		*v = NAN;
		*end = s + 2;
		return 1;
	}
	*v = strtod(s, &e);
	if (e == s)
		return 0;
	*end = e;
	return 1;
}

/* The next line of buf at *pos, NUL-terminated in place; NULL at the end. */
static inline char *
ref_line(char *buf, size_t len, size_t *pos)
{
	char *s, *nl;

	if (*pos >= len)
		return NULL;
	s = buf + *pos;
	nl = memchr(s, '\n', len - *pos);
	if (nl) {
		*nl = '\0';
		*pos = (size_t)(nl - buf) + 1;
	} else {
		*pos = len;
	}
	return s;
}

static inline void
ref_data_free(struct ref_data *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->b[i].v);
	free(d->b);
	d->b = NULL;
	d->n = 0;
}

/* Load the data blocks of $CANDOR_SRC/rel. 0, or -1 (reported). */
static inline int
ref_data_load(struct ref_data *d, const char *rel)
{
	char path[4096], *buf, *s;
	size_t len, pos = 0, cap = 0;

	memset(d, 0, sizeof(*d));
	test_src_path(rel, path, sizeof(path));
	if ((buf = test_read_file(path, &len)) == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		test_failures++;
		return -1;
	}
	while ((s = ref_line(buf, len, &pos)) != NULL) {
		if (s[0] != '@')
			continue;
		struct ref_block blk;
		int used = 0;
		memset(&blk, 0, sizeof(blk));
		if (sscanf(s, "@ %63s %zu %zu%n", blk.name, &blk.nrow, &blk.ncol,
		    &used) != 3 || blk.ncol == 0) {
			fprintf(stderr, "%s: bad block header: %s\n", path, s);
			goto bad;
		}
		blk.v = malloc((blk.nrow * blk.ncol + 1) * sizeof(double));
		if (blk.v == NULL)
			goto bad;
		for (size_t r = 0; r < blk.nrow; r++) {
			const char *p = ref_line(buf, len, &pos);
			for (size_t c = 0; c < blk.ncol; c++)
				if (p == NULL || !ref_number(p, &p,
				    &blk.v[r * blk.ncol + c])) {
					fprintf(stderr, "%s: block %s row %zu: bad\n",
					    path, blk.name, r);
					free(blk.v);
					goto bad;
				}
		}
		if (d->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct ref_block *nb = realloc(d->b, cap * sizeof(*nb));
			if (nb == NULL) {
				free(blk.v);
				goto bad;
			}
			d->b = nb;
		}
		d->b[d->n++] = blk;
	}
	free(buf);
	return 0;
bad:
	free(buf);
	ref_data_free(d);
	test_failures++;
	return -1;
}

/* The block called name (a failure if there is none). */
static inline const struct ref_block *
ref_block(const struct ref_data *d, const char *name)
{
	static struct ref_block none;

	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->b[i].name, name) == 0)
			return &d->b[i];
	fprintf(stderr, "fixture: no data block %s\n", name);
	test_failures++;
	return &none;
}

/* Column c of a block as a new array (caller frees; never NULL if n > 0). */
static inline double *
ref_column(const struct ref_block *b, size_t c)
{
	double *v = malloc((b->nrow + 1) * sizeof(*v));

	if (v == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	for (size_t r = 0; r < b->nrow; r++)
		v[r] = b->v[r * b->ncol + c];
	return v;
}

static inline void
ref_expect_free(struct ref_expect *e)
{
	free(e->name);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* Load "name value" lines of $CANDOR_SRC/rel. 0, or -1 (reported). */
static inline int
ref_expect_load(struct ref_expect *e, const char *rel)
{
	char path[4096], *buf, *s;
	size_t len, pos = 0, cap = 0;

	memset(e, 0, sizeof(*e));
	test_src_path(rel, path, sizeof(path));
	if ((buf = test_read_file(path, &len)) == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		test_failures++;
		return -1;
	}
	while ((s = ref_line(buf, len, &pos)) != NULL) {
		char name[REF_NAME_MAX];
		int used = 0;
		const char *p;
		double v;
		if (s[0] == '#' || s[0] == '\0')
			continue;
		if (sscanf(s, "%63s%n", name, &used) != 1 ||
		    !ref_number(s + used, &p, &v)) {
			fprintf(stderr, "%s: bad line: %s\n", path, s);
			test_failures++;
			continue;
		}
		if (e->n == cap) {
			cap = cap ? cap * 2 : 256;
			void *nn = realloc(e->name, cap * sizeof(*e->name));
			if (nn == NULL)
				break;
			e->name = nn;
			double *nv = realloc(e->v, cap * sizeof(*nv));
			if (nv == NULL)
				break;
			e->v = nv;
		}
		memcpy(e->name[e->n], name, sizeof(name));
		e->v[e->n++] = v;
	}
	free(buf);
	return 0;
}

/* The expected value called name; a failure (and NaN) if there is none. */
static inline double
ref_get(const struct ref_expect *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->name[i], name) == 0)
			return e->v[i];
	fprintf(stderr, "fixture: no expected value %s\n", name);
	test_failures++;
	return NAN;
}

/*
 * CHECK_NEAR against the expected value "<prefix>.<key>", printing the
 * name on failure (NaN matches NA: both mean "not computed").
 */
#define CHECK_REF(e, prefix, key, actual, rel)                                \
	do {                                                                  \
		char ref_nm_[REF_NAME_MAX * 2];                               \
		snprintf(ref_nm_, sizeof(ref_nm_), "%s.%s", (prefix), (key)); \
		test_check_near((actual), ref_get((e), ref_nm_), (rel),       \
		    ref_nm_, __FILE__, __LINE__);                             \
	} while (0)

#endif
