/*
 * Urlencoded bodies (post.h), after libmicrohttpd's largepost example: the
 * processor is made on the first call, fed on the following ones and
 * destroyed with the request. Caps are checked before every allocation and
 * with overflow-safe arithmetic; once a cap is hit the rest of the body is
 * only counted, so the handler can still drain it and answer cleanly.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "post.h"

#define POST_KEY_MAX 64 /* longer than any variable or control name */

static enum MHD_Result
post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off,
    size_t size)
{
	struct post *p = cls;
	struct post_field *fl;
	size_t cap;

	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	if (p->err != POST_OK)
		return MHD_YES; /* keep draining */
	if (key == NULL || strnlen(key, POST_KEY_MAX + 1) > POST_KEY_MAX) {
		p->err = POST_MALFORMED;
		return MHD_YES;
	}
	if (data == NULL)
		size = 0;
	if (off == 0 || p->n == 0 || strcmp(p->f[p->n - 1].key, key) != 0) {
		if (off != 0) {
			p->err = POST_MALFORMED;
			return MHD_YES;
		}
		if (p->n >= p->lim.max_fields) {
			p->err = POST_TOO_MANY;
			return MHD_YES;
		}
		if (p->n == p->cap) {
			size_t ncap = p->cap ? p->cap * 2 : 16;
			if (ncap > p->lim.max_fields)
				ncap = p->lim.max_fields;
			fl = realloc(p->f, ncap * sizeof(*fl));
			if (fl == NULL) {
				p->err = POST_NOMEM;
				return MHD_YES;
			}
			p->f = fl;
			p->cap = ncap;
		}
		fl = &p->f[p->n];
		fl->key = strdup(key);
		fl->val = malloc(1);
		fl->len = 0;
		if (fl->key == NULL || fl->val == NULL) {
			free(fl->key);
			free(fl->val);
			p->err = POST_NOMEM;
			return MHD_YES;
		}
		fl->val[0] = '\0';
		p->n++;
	}
	fl = &p->f[p->n - 1];
	if (size == 0)
		return MHD_YES;
	if (memchr(data, '\0', size) != NULL) {
		p->err = POST_MALFORMED;
		return MHD_YES;
	}
	cap = strcmp(key, "state") == 0 ? p->lim.max_state : p->lim.max_value;
	if (size > cap || fl->len > cap - size) {
		p->err = POST_TOO_BIG;
		return MHD_YES;
	}
	char *nv = realloc(fl->val, fl->len + size + 1);
	if (nv == NULL) {
		p->err = POST_NOMEM;
		return MHD_YES;
	}
	memcpy(nv + fl->len, data, size);
	fl->len += size;
	nv[fl->len] = '\0';
	fl->val = nv;
	return MHD_YES;
}

int
post_begin(struct post *p, struct MHD_Connection *c,
    const struct post_limits *lim)
{
	const char *ct;

	memset(p, 0, sizeof(*p));
	p->lim = *lim;
	ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	/* Only urlencoded: multipart would let a client send files. */
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) != 0 || (ct[33] != '\0' && ct[33] != ';'))
		return -1;
	p->pp = MHD_create_post_processor(c, 8192, post_iter, p);
	if (p->pp == NULL)
		return -1;
	return 0;
}

/*
 * Is this chunk free of raw NUL bytes, and is every '%' followed by two
 * hex digits? p->pct carries an escape cut by the end of the previous
 * chunk. A browser sends neither; libmicrohttpd 0.9.75 decodes both
 * differently depending on where the body is split into reads.
 */
static int
post_bytes_ok(struct post *p, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (data[i] == '\0')
			return 0;
		if (p->pct > 0) {
			char c = data[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			    (c >= 'A' && c <= 'F')))
				return 0;
			/* "%00" in a key would end it early: "state%00=". */
			if (p->pct == 2)
				p->zero = c == '0';
			else if (p->zero && c == '0')
				return 0;
			p->pct--;
		} else if (data[i] == '%')
			p->pct = 2;
	}
	return 1;
}

void
post_feed(struct post *p, const char *data, size_t len)
{
	size_t n;

	if (len > p->lim.max_body || p->body > p->lim.max_body - len) {
		p->body = p->lim.max_body + 1;
		if (p->err == POST_OK)
			p->err = POST_TOO_BIG;
		return;
	}
	p->body += len;
	if (p->err != POST_OK || p->pp == NULL)
		return;
	if (!post_bytes_ok(p, data, len)) {
		p->err = POST_MALFORMED;
		return;
	}
	/*
	 * libmicrohttpd 0.9.75 reports a value whose escape is cut between
	 * two calls as two values: hand it whole escapes only. First complete
	 * the escape held back from the previous chunk...
	 */
	if (p->nheld > 0) {
		n = 3 - p->nheld < len ? 3 - p->nheld : len;
		memcpy(p->held + p->nheld, data, n);
		p->nheld += n;
		data += n;
		len -= n;
		if (p->nheld < 3)
			return;
		p->nheld = 0;
		if (MHD_post_process(p->pp, p->held, 3) != MHD_YES) {
			if (p->err == POST_OK)
				p->err = POST_MALFORMED;
			return;
		}
	}
	/* ...then hold back the escape this chunk ends inside, if any. */
	if (p->pct > 0) {
		p->nheld = (size_t)(3 - p->pct);
		memcpy(p->held, data + len - p->nheld, p->nheld);
		len -= p->nheld;
	}
	if (len > 0 && MHD_post_process(p->pp, data, len) != MHD_YES &&
	    p->err == POST_OK)
		p->err = POST_MALFORMED;
}

enum post_err
post_end(struct post *p)
{
	size_t i;

	if (p->pp != NULL) {
		if (MHD_destroy_post_processor(p->pp) != MHD_YES &&
		    p->err == POST_OK)
			p->err = POST_MALFORMED;
		p->pp = NULL;
	}
	if (p->pct != 0 && p->err == POST_OK)
		p->err = POST_MALFORMED; /* the body ends inside an escape */
	/* Whole values only: a character may be split between two chunks. */
	for (i = 0; i < p->n && p->err == POST_OK; i++)
		if (!post_text_ok(p->f[i].key, strlen(p->f[i].key)) ||
		    !post_text_ok(p->f[i].val, p->f[i].len))
			p->err = POST_MALFORMED;
	return p->err;
}

int
post_text_ok(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, n;
	unsigned long cp, min;

	while (i < len) {
		unsigned char c = u[i];
		if (c < 0x80) {
			/* C0 controls and DEL, except tab and line breaks. */
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			    c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1fu;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0fu;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07u;
			min = 0x10000;
		} else {
			return 0; /* continuation byte, C0/C1 lead, F5-FF */
		}
		if (n > len - i - 1)
			return 0; /* truncated sequence */
		for (k = 1; k <= n; k++) {
			if ((u[i + k] & 0xc0u) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i + k] & 0x3fu);
		}
		/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
		if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += n + 1;
	}
	return 1;
}

void
post_free(struct post *p)
{
	size_t i;

	if (p->pp != NULL)
		(void)MHD_destroy_post_processor(p->pp);
	for (i = 0; i < p->n; i++) {
		free(p->f[i].key);
		free(p->f[i].val);
	}
	free(p->f);
	memset(p, 0, sizeof(*p));
}

const char *
post_get(const struct post *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->f[i].key, key) == 0)
			return p->f[i].val;
	return NULL;
}

size_t
post_get_all(const struct post *p, const char *key, const char **vals,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->f[i].key, key) != 0)
			continue;
		if (n < max)
			vals[n] = p->f[i].val;
		n++;
	}
	return n;
}

const char *
post_keys_allowed(const struct post *p,
    int (*allow)(const char *key, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!allow(p->f[i].key, arg))
			return p->f[i].key;
	return NULL;
}
