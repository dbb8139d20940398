/*
 * The one output writer. Every byte the collector sends in a body passes
 * through a struct html: markup literals with html_lit(), everything else
 * (form texts, answers, codes, numbers) through html_text(), which escapes
 * & < > " ' so the result is safe in element content and in quoted
 * attribute values alike. The buffer grows up to a cap fixed at creation;
 * past the cap (or on allocation failure) the writer latches an error and
 * ignores further output, so callers check once at the end.
 */
#ifndef CANDOR_COLLECTOR_HTML_H
#define CANDOR_COLLECTOR_HTML_H

#include <stddef.h>

struct html {
	char *p;    /* NUL-terminated while err == 0 */
	size_t n;   /* bytes written */
	size_t cap; /* bytes allocated */
	size_t max; /* hard cap on n */
	int err;    /* 1 once the cap was hit or malloc failed */
};

/* Start an empty writer that refuses to grow past max bytes. */
void html_init(struct html *h, size_t max);
void html_free(struct html *h);
/* Append trusted markup (a literal from this program), unescaped. */
void html_lit(struct html *h, const char *s);
/* Append len bytes of trusted markup. */
void html_litn(struct html *h, const char *s, size_t len);
/* Append text, escaped. NULL appends nothing. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t len);
/* Append a decimal integer (cannot need escaping). */
void html_long(struct html *h, long v);
/* Append a number as shortest round-trip-ish %g text. */
void html_double(struct html *h, double v);
/*
 * Append a plain-text paragraph block: each blank-line separated paragraph
 * becomes <p>...</p>, escaped, single newlines become <br>.
 */
void html_paras(struct html *h, const char *s);
/* Hand the buffer to the caller (malloc'd; free()); the writer is reset. */
char *html_take(struct html *h, size_t *len);

#endif
