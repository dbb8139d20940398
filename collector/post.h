/*
 * Request bodies. A POST body must be application/x-www-form-urlencoded; it
 * is decoded by libmicrohttpd's post processor into a capped list of
 * (key, value) fields. Caps: total body bytes, number of fields, bytes per
 * value (the sealed state may be longer than any answer). A value with an
 * embedded NUL makes the body malformed, and so do a raw NUL byte and a
 * '%' not followed by two hex digits (browsers send "%00" and "%25"):
 * libmicrohttpd 0.9.75 decodes those differently depending on where the
 * body is split into reads, so they are refused before they reach it, and
 * an escape split between two reads is handed to it whole. A key or value
 * that is not UTF-8 text is refused too (post_text_ok). Handlers then
 * check the keys against what the page can send (post_keys_allowed) and
 * see only values.
 */
#ifndef CANDOR_COLLECTOR_POST_H
#define CANDOR_COLLECTOR_POST_H

#include <stddef.h>

#include <microhttpd.h>

enum post_err {
	POST_OK = 0,
	POST_TOO_BIG,      /* body or one value over its cap: 413 */
	POST_TOO_MANY,     /* more fields than allowed: 400 */
	POST_MALFORMED,    /* NUL in a value, bad encoding: 400 */
	POST_NOMEM,
	POST_ERR__MAX
};

struct post_field {
	char *key;
	char *val; /* NUL-terminated; len excludes the NUL */
	size_t len;
};

struct post_limits {
	size_t max_body;   /* bytes of body */
	size_t max_fields; /* fields */
	size_t max_value;  /* bytes per ordinary value */
	size_t max_state;  /* bytes of the "state" value */
};

struct post {
	struct MHD_PostProcessor *pp;
	struct post_limits lim;
	struct post_field *f;
	size_t n, cap;
	size_t body; /* bytes seen so far, including any past the cap */
	int pct;     /* hex digits still due after a '%' (0-2) */
	int zero;    /* the escape being read began "%0" */
	char held[3]; /* an escape cut by the end of a chunk, held back */
	size_t nheld;
	enum post_err err;
};

/*
 * Set up body decoding for this connection. Returns 0, or -1 when the
 * content type is not urlencoded (the caller answers 415).
 */
int post_begin(struct post *p, struct MHD_Connection *c,
    const struct post_limits *lim);
/* Feed a chunk of body. After an error the data is counted and dropped. */
void post_feed(struct post *p, const char *data, size_t len);
/* The body is complete; returns p->err. */
enum post_err post_end(struct post *p);
void post_free(struct post *p);

/*
 * Is s (len bytes) text a form may carry: well-formed UTF-8 (no overlong
 * forms, surrogates or code points past U+10FFFF), no NUL, no control
 * character but tab, CR and LF? post_end() holds every key and value to it;
 * http.c holds query strings to it. Browsers never send anything else.
 */
int post_text_ok(const char *s, size_t len);

/* The first value of key, or NULL. */
const char *post_get(const struct post *p, const char *key);
/*
 * Up to max values of key in order, into vals; returns how many there are
 * (which may exceed max).
 */
size_t post_get_all(const struct post *p, const char *key, const char **vals,
    size_t max);
/*
 * Is every key accepted by allow(key, arg)? Returns NULL when so, or the
 * first key that is not (owned by p).
 */
const char *post_keys_allowed(const struct post *p,
    int (*allow)(const char *key, void *arg), void *arg);

#endif
