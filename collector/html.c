/*
 * The escaping writer (html.h). It is the only place where output bytes are
 * produced, which is what lets us say that no form text, answer or code can
 * reach a page unescaped. Growth is geometric and overflow-checked; the cap
 * bounds the memory one response can take whatever the form holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void
html_init(struct html *h, size_t max)
{
	h->p = NULL;
	h->n = 0;
	h->cap = 0;
	h->max = max;
	h->err = 0;
}

void
html_free(struct html *h)
{
	free(h->p);
	html_init(h, h->max);
}

/* Make room for len more bytes plus a NUL. Returns 0 or -1 (err latched). */
static int
html_reserve(struct html *h, size_t len)
{
	size_t need, ncap;
	char *np;

	if (h->err)
		return -1;
	if (len > h->max || h->n > h->max - len) {
		h->err = 1;
		return -1;
	}
	need = h->n + len + 1;
	if (need <= h->cap)
		return 0;
	ncap = h->cap ? h->cap : 1024;
	while (ncap < need) {
		if (ncap > ((size_t)-1) / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	np = realloc(h->p, ncap);
	if (np == NULL) {
		h->err = 1;
		return -1;
	}
	h->p = np;
	h->cap = ncap;
	return 0;
}

void
html_litn(struct html *h, const char *s, size_t len)
{
	if (html_reserve(h, len) != 0)
		return;
	memcpy(h->p + h->n, s, len);
	h->n += len;
	h->p[h->n] = '\0';
}

void
html_lit(struct html *h, const char *s)
{
	html_litn(h, s, strlen(s));
}

void
html_textn(struct html *h, const char *s, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = ""; break; /* defensive: never emit NUL */
		default: continue;
		}
		html_litn(h, s + run, i - run);
		html_lit(h, rep);
		run = i + 1;
	}
	html_litn(h, s + run, len - run);
}

void
html_text(struct html *h, const char *s)
{
	if (s != NULL)
		html_textn(h, s, strlen(s));
}

void
html_long(struct html *h, long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld", v);

	if (n > 0 && (size_t)n < sizeof(buf))
		html_litn(h, buf, (size_t)n);
	else
		h->err = 1;
}

void
html_double(struct html *h, double v)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.15g", v);

	if (n > 0 && (size_t)n < sizeof(buf))
		html_textn(h, buf, (size_t)n);
	else
		h->err = 1;
}

void
html_paras(struct html *h, const char *s)
{
	const char *p = s, *end;

	if (s == NULL)
		return;
	while (*p != '\0') {
		while (*p == '\n')
			p++;
		if (*p == '\0')
			break;
		end = strstr(p, "\n\n");
		if (end == NULL)
			end = p + strlen(p);
		html_lit(h, "<p>");
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL) {
				html_textn(h, p, (size_t)(end - p));
				p = end;
			} else {
				html_textn(h, p, (size_t)(nl - p));
				html_lit(h, "<br>");
				p = nl + 1;
			}
		}
		html_lit(h, "</p>\n");
	}
}

char *
html_take(struct html *h, size_t *len)
{
	char *p;

	if (h->err) {
		html_free(h);
		return NULL;
	}
	if (h->p == NULL) {
		if (html_reserve(h, 0) != 0)
			return NULL;
		h->p[0] = '\0';
	}
	p = h->p;
	*len = h->n;
	h->p = NULL;
	h->n = h->cap = 0;
	return p;
}
