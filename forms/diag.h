/*
 * A list of problems, each with a place and a rule. Loaders and validators
 * append every problem they find instead of stopping at the first, so a
 * user fixes a file in one pass.
 */
#ifndef CANDOR_DIAG_H
#define CANDOR_DIAG_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>

#define DIAG_MAX 1000 /* problems kept; later ones are counted only */
#define DIAG_PATH_MAX 256 /* longest JSON path kept in a message */

struct diag_entry {
	char *where; /* "forms/x.json: pages[2].items[5]", "line 4, column peg_pain" */
	char *what;  /* "duplicate value 3" */
};

struct diag {
	struct diag_entry *a;
	size_t n;      /* entries kept */
	size_t cap;
	size_t total;  /* entries reported, kept or not */
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);
void diag_clear(struct diag *d);
/* Append one problem; where and the printf-style message are copied. */
void diag_add(struct diag *d, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * JSON paths for messages: out (DIAG_PATH_MAX bytes) = path.key or
 * path[i], cut at DIAG_PATH_MAX - 1 bytes. Return out.
 */
const char *diag_path_key(char *out, const char *path, const char *key);
const char *diag_path_idx(char *out, const char *path, size_t i);
/* Append a problem placed at "file: path" (just "file" when path is ""). */
void diag_vadd_at(struct diag *d, const char *file, const char *path,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* Print "where: what" lines to fp. */
void diag_print(const struct diag *d, FILE *fp);

#endif
