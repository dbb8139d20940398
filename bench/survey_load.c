/*
 * Load generator for the collector benchmark: keeps `conns` HTTP/1.1
 * keep-alive connections busy from one epoll thread over loopback and
 * measures acknowledged submissions and per-request latency. It walks the
 * survey as a browser without JavaScript does: every step is a POST
 * answered by 303, and the 303 is followed by a GET of its Location on the
 * same connection before anything else is sent.
 *
 *   survey_load --port N [--mode survey|final|post|probe] [--conns 64]
 *       [--seconds 15] [--form-id ID] [--path /submit] [--prepare 6000]
 *       [--rounds 2] [--state-bytes 1800] [--receipts FILE] [--addrs K]
 *       [--server-pid PID]
 *
 * Modes:
 *   survey  whole surveys of the default survey
 *           (forms/fibromyalgia-therapies.json) against the collector for
 *           `seconds`: GET the consent page, POST consent, then for every
 *           step GET the page its 303 names and POST that page's form
 *           filled in (fill_form), until the check-your-answers page; POST
 *           its "submit", which must answer 303 to the thank-you page, and
 *           GET that page for the code in id="receipt-code". A submission
 *           counts when both the 303 and the receipt arrived inside the
 *           window.
 *   final   final submissions alone, for the like-for-like comparison with
 *           the ceiling, in `rounds` rounds: first (not timed) walk
 *           `prepare` surveys up to their check-your-answers page and keep
 *           each one's submit body, then (timed) send those bodies, each
 *           from the address that walked it, each POST followed by the GET
 *           of its thank-you page; a round ends when its bodies run out.
 *   post    the same pair against bench/ceiling.c for `seconds`: POST a body
 *           shaped like the collector's submit body (a `state-bytes` state
 *           field, a ticket, the honeypot, action=submit) to `path`, expect
 *           303, GET its Location, expect 200 with id="receipt-code".
 *   probe   walk one survey to its check-your-answers page and print the
 *           sizes of its submit body and state, for post mode's shape.
 *
 * The answers follow the survey's typical path (tests/forms/
 * test_default_path.c: kratom now, exercise and duloxetine in the past; see
 * path_answers); every other question shown gets a random valid answer. A
 * question that opens on an answer of its own page (years since diagnosis,
 * the use of each therapy ticked) brings the page back once, as in a
 * browser, and is then answered.
 *
 * Connection i binds source address 127.0.0.(1 + i % addrs), so the
 * collector's per-address connection limit (16) is not the bottleneck; a
 * journey and a receipt are bound to the address that made them, so a
 * prepared body is sent from its own address. Receipts (display form) go to
 * `receipts`, one a line, for bench/receipt_check.c. With `server-pid`,
 * the server's CPU time (user and system, every thread, from /proc) over
 * the timed windows is divided by the submissions acknowledged in them: on
 * a shared machine that cost moves much less than the rates do. The result
 * is one line of key=value pairs on stdout; problems go to stderr. Exit 0,
 * or 1 when nothing was acknowledged or a response was unexpected.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_CAP (1u << 20) /* largest response accepted */
#define BODY_CAP 65536    /* largest request body built */
#define OUT_CAP (BODY_CAP + 1024) /* a request with its headers */
#define LOC_CAP 512       /* largest Location accepted */
#define FIELD_CAP 256     /* distinct fields of one page's form */
#define VAL_CAP 64        /* values offered for one field */
#define STEP_MAX 64       /* POSTs in one survey before it is a loop */
#define MAX_CONNS 1024
#define ADDR_MAX 250
/*
 * Prepared bodies per round: each keeps a journey alive in the
 * collector's ring of 8192 (collector/journey.h, JOURNEY_SLOTS), and a
 * journey overwritten before its submit would make that submit cheaper
 * than a browser's; the margin covers the walks abandoned at the end of a
 * prepare phase.
 */
#define PREPARE_MAX 8000

enum mode { MODE_SURVEY, MODE_FINAL, MODE_POST, MODE_PROBE };

/* What a request is, for the latency classes. */
enum kind {
	K_CONSENT, /* GET the consent page */
	K_STEP,    /* POST consent or a page: 303 */
	K_VIEW,    /* GET a step: a page or check your answers */
	K_FINAL,   /* POST submit: 303 after the commit */
	K_THANKS,  /* GET the thank-you page */
	K__MAX
};

/* Where a connection is in the flow. */
enum step {
	S_CONSENT_GET,  /* GET /s/<id> */
	S_CONSENT_POST, /* POST consent; 303 to the first page */
	S_VIEW,         /* GET the Location of the last 303 */
	S_STEP,         /* POST the page just shown; 303 */
	S_SUBMIT,       /* POST submit; 303 to the thank-you page */
	S_THANKS,       /* GET the thank-you page; receipt */
};

/* Phases of a run. */
enum phase { PH_PREPARE, PH_TIMED };

struct lat {
	uint32_t *a; /* microseconds */
	size_t n, cap;
};

struct conn {
	int fd;
	int idx;
	int addr;          /* source address index */
	int connected;     /* connect() completed */
	enum step step;
	enum kind kind;
	uint64_t rng;
	char out[OUT_CAP];
	size_t outlen, outoff;
	char *in;
	size_t inlen;
	double t0;         /* request sent */
	double t_sub;      /* submit POST sent */
	int busy;          /* a request is in flight */
	int close_after;   /* server said Connection: close */
	int sub_in_window; /* the submit's 303 arrived while measuring */
	int nsteps;        /* POSTs of this survey */
	unsigned long nreq; /* requests of this survey */
	char loc[LOC_CAP]; /* Location of the last 303 */
	char *body;        /* the next POST's body */
	size_t nbody;
	long prep;         /* final mode: the prepared body being sent */
};

static struct {
	enum mode mode;
	int port;
	int conns;
	double seconds;
	const char *form_id;
	const char *path;
	long prepare;
	long rounds;
	long state_bytes;
	const char *receipts;
	int addrs;
	long server_pid;
} opt = { MODE_SURVEY, 0, 64, 15, "fibromyalgia-therapies", "/submit",
	  6000, 2, 1800, NULL, 0, 0 };

static int ep;
static struct conn *cs;
static FILE *rfile;
static enum phase phase;
static double t_end;      /* survey and post: end of the window */
static double t_last;     /* final: the last receipt of a round */
static int stopping;      /* no new requests */
static int measuring;     /* inside the timed window */
static unsigned long n_req, n_ack, n_err, n_receipts;
static unsigned long sum_req_per_ack;
static unsigned long n_submit_bodies;
static unsigned long long sum_body_bytes, sum_state_bytes;
static struct lat lat_all, lat_kind[K__MAX], lat_sub;
static double cpu_t0, cpu_sum; /* server CPU seconds: window start, total */

/* Final mode: prepared submit bodies, one list per source address. */
struct prep_list {
	char **body;
	long n, next, quota;
};
static struct prep_list prep[ADDR_MAX];
static long prep_total;

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct body {
	char *p;
	size_t n, cap;
};

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void bput(struct body *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
die(const char *fmt, ...)
{
	va_list ap;
	fputs("survey_load: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static uint32_t
rnd(struct conn *c, uint32_t n)
{
	/* xorshift64*: cheap, and seeded per connection for repeatability. */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (uint32_t)((c->rng * 2685821657736338717ULL) >> 33) % n;
}

static void
lat_add(struct lat *l, double sec)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 65536;
		uint32_t *a = realloc(l->a, cap * sizeof(*a));
		if (a == NULL)
			die("out of memory");
		l->a = a;
		l->cap = cap;
	}
	l->a[l->n++] = (uint32_t)(sec * 1e6);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * CPU seconds (user + system, all threads) the server has used so far, from
 * /proc/PID/stat; 0 without --server-pid.
 */
static double
server_cpu(void)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	if (opt.server_pid == 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", opt.server_pid);
	f = fopen(path, "r");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields 14 and 15, counted after the command name's ")". */
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u "
	    "%*u %*u %llu %llu", &ut, &st) != 2)
		die("%s: unreadable", path);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Quantile (nearest rank) in milliseconds. */
static double
lat_q(struct lat *l, double q)
{
	size_t i;
	if (l->n == 0)
		return 0;
	qsort(l->a, l->n, sizeof(*l->a), cmp_u32);
	i = (size_t)(q * (double)(l->n - 1) + 0.5);
	return l->a[i] / 1000.0;
}

/* ---- request bodies ---- */

static void
bput(struct body *b, const char *fmt, ...)
{
	va_list ap;
	int k;
	va_start(ap, fmt);
	k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= b->cap - b->n)
		die("request body over %zu bytes", b->cap);
	b->n += (size_t)k;
}

/*
 * Append the HTML attribute value v (n bytes, as the collector escapes it:
 * &amp; &quot; &#39; &lt; &gt;) urlencoded, as a browser sends it.
 */
static void
bput_attr(struct body *b, const char *v, size_t n)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = { { "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' },
		     { "&lt;", '<' }, { "&gt;", '>' } };
	size_t i, k;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '&')
			for (k = 0; k < sizeof(ents) / sizeof(*ents); k++) {
				size_t el = strlen(ents[k].ent);
				if (n - i >= el && memcmp(v + i, ents[k].ent,
				    el) == 0) {
					c = (unsigned char)ents[k].c;
					i += el - 1;
					break;
				}
			}
		if (b->n + 4 >= b->cap)
			die("request body over %zu bytes", b->cap);
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			b->p[b->n++] = (char)c;
		else if (c == ' ')
			b->p[b->n++] = '+';
		else
			b->n += (size_t)snprintf(b->p + b->n, 4, "%%%02X", c);
	}
	b->p[b->n] = '\0';
}

/*
 * The typical path's own answers (tests/forms/test_default_path.c):
 * exercise, duloxetine and kratom ever used, the first two in the past and
 * kratom now, outside the US, diagnosed by a doctor; a current kratom user
 * says on how many days a week (the one number field shown). Every other
 * question gets a random valid answer.
 */
static const struct path_answer {
	const char *var;
	const char *vals[4]; /* fixed values, or none: a number lo..hi */
	int lo, hi;
} path_answers[] = {
	{ "country", { "2" }, 0, 0 },          /* not the US: no state */
	{ "dx_by", { "1" }, 0, 0 },            /* opens years since */
	{ "therapies_ever", { "1", "7", "18" }, 0, 0 },
	{ "exercise_use", { "1" }, 0, 0 },     /* in the past */
	{ "duloxetine_use", { "1" }, 0, 0 },   /* in the past */
	{ "kratom_use", { "2" }, 0, 0 },       /* now */
	{ "kratom_days_week", { NULL }, 1, 7 },
};

static const struct path_answer *
path_answer(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(path_answers) / sizeof(*path_answers); i++)
		if (strlen(path_answers[i].var) == n &&
		    memcmp(path_answers[i].var, name, n) == 0)
			return &path_answers[i];
	return NULL;
}

/* ---- the form of a page, as a browser sees it ---- */

enum ftype { F_HIDDEN, F_RADIO, F_CHECK, F_TEXT, F_NUMBER, F_AREA };

/* One control name of a form, with every value offered under it. */
struct field {
	const char *name;
	size_t nlen;
	enum ftype type;
	const char *val[VAL_CAP];
	size_t vlen[VAL_CAP];
	int nval;
	uint64_t checked; /* bit i: val[i] is checked */
};

struct form {
	struct field f[FIELD_CAP];
	int n;
	int submit; /* has a button action=submit: check your answers */
	int next;   /* has a button action=next: a page of questions */
};

/* The value of attribute name in tag [p, e), or NULL. */
static const char *
tag_attr(const char *p, const char *e, const char *name, size_t *len)
{
	char pat[32];
	const char *v, *q;
	int k = snprintf(pat, sizeof(pat), " %s=\"", name);

	v = memmem(p, (size_t)(e - p), pat, (size_t)k);
	if (v == NULL)
		return NULL;
	v += k;
	q = memchr(v, '"', (size_t)(e - v));
	if (q == NULL)
		return NULL;
	*len = (size_t)(q - v);
	return v;
}

/* Does tag [p, e) carry the bare attribute name? */
static int
tag_flag(const char *p, const char *e, const char *name)
{
	size_t n = strlen(name);
	const char *q = p;

	while ((q = memmem(q, (size_t)(e - q), name, n)) != NULL) {
		char before = q > p ? q[-1] : ' ', after = q + n < e ? q[n] : '>';
		if (before == ' ' && (after == ' ' || after == '>' ||
		    after == '/'))
			return 1;
		q += n;
	}
	return 0;
}

static struct field *
form_field(struct form *fm, const char *name, size_t nlen, enum ftype type)
{
	int i;

	for (i = 0; i < fm->n; i++)
		if (fm->f[i].nlen == nlen && memcmp(fm->f[i].name, name,
		    nlen) == 0)
			return &fm->f[i];
	if (fm->n == FIELD_CAP)
		die("a page's form has over %d fields", FIELD_CAP);
	memset(&fm->f[fm->n], 0, sizeof(fm->f[fm->n]));
	fm->f[fm->n].name = name;
	fm->f[fm->n].nlen = nlen;
	fm->f[fm->n].type = type;
	return &fm->f[fm->n++];
}

/*
 * Read the survey form (<form method="post" action="/s/...">) of a page:
 * its controls in document order, with their values and which are
 * checked, and its submit buttons. 0, or -1 when the page has no such form.
 */
static int
form_read(const char *html, size_t n, struct form *fm)
{
	static const char open[] = "<form method=\"post\" action=\"/s/";
	const char *p = memmem(html, n, open, sizeof(open) - 1), *end, *e;

	fm->n = 0;
	fm->submit = fm->next = 0;
	if (p == NULL)
		return -1;
	end = memmem(p, n - (size_t)(p - html), "</form>", 7);
	if (end == NULL)
		return -1;
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *name, *val, *type;
		size_t nl, vl = 0, tl;
		struct field *f;
		enum ftype t;

		p++;
		e = memchr(p, '>', (size_t)(end - p));
		if (e == NULL)
			break;
		if (strncmp(p, "button", 6) == 0) {
			val = tag_attr(p, e, "value", &vl);
			if (val != NULL && vl == 6 && memcmp(val, "submit", 6) == 0)
				fm->submit = 1;
			if (val != NULL && vl == 4 && memcmp(val, "next", 4) == 0)
				fm->next = 1;
			p = e;
			continue;
		}
		if (strncmp(p, "input ", 6) != 0 &&
		    strncmp(p, "textarea ", 9) != 0) {
			p = e;
			continue;
		}
		name = tag_attr(p, e, "name", &nl);
		if (name == NULL) {
			p = e;
			continue;
		}
		type = tag_attr(p, e, "type", &tl);
		if (p[0] == 't') {
			/* A textarea's value is its content. */
			t = F_AREA;
			val = e + 1;
			vl = 0;
			while (val + vl < end && val[vl] != '<')
				vl++;
		} else if (type != NULL && tl == 5 && memcmp(type, "radio",
		    5) == 0)
			t = F_RADIO;
		else if (type != NULL && tl == 8 && memcmp(type, "checkbox",
		    8) == 0)
			t = F_CHECK;
		else if (type != NULL && tl == 6 && memcmp(type, "hidden",
		    6) == 0)
			t = F_HIDDEN;
		else {
			size_t ml;
			t = tag_attr(p, e, "inputmode", &ml) != NULL ? F_NUMBER :
			    F_TEXT;
		}
		if (t != F_AREA)
			val = tag_attr(p, e, "value", &vl);
		f = form_field(fm, name, nl, t);
		if (f->nval == VAL_CAP)
			die("a field offers over %d values", VAL_CAP);
		f->val[f->nval] = val != NULL ? val : "";
		f->vlen[f->nval] = val != NULL ? vl : 0;
		if ((t == F_RADIO || t == F_CHECK) && tag_flag(p, e, "checked"))
			f->checked |= 1ull << f->nval;
		f->nval++;
		p = e;
	}
	return 0;
}

/* Is value i of f a positive number (not "none", not "prefer not")? */
static int
val_positive(const struct field *f, int i)
{
	return f->vlen[i] > 0 && f->val[i][0] >= '1' && f->val[i][0] <= '9';
}

static void
bput_pair(struct body *b, const struct field *f, const char *v, size_t vl)
{
	if (b->n > 0)
		bput(b, "&");
	bput_attr(b, f->name, f->nlen);
	bput(b, "=");
	bput_attr(b, v, vl);
}

/* The index of value v among f's, or -1. */
static int
val_find(const struct field *f, const char *v)
{
	int i;

	for (i = 0; i < f->nval; i++)
		if (f->vlen[i] == strlen(v) && memcmp(f->val[i], v,
		    f->vlen[i]) == 0)
			return i;
	return -1;
}

/*
 * Answer one choice field: what is checked stays checked (a page that came
 * back), else the path's answer, else a random one (one radio; each
 * positive box with chance 1/3, at least one). -1 when the path's answer is
 * not offered (the form changed).
 */
static int
fill_choice(struct conn *c, const struct field *f, struct body *b)
{
	const struct path_answer *pa = path_answer(f->name, f->nlen);
	uint64_t pick = f->checked;
	int i, npos = 0;

	if (pick == 0 && pa != NULL && pa->vals[0] != NULL) {
		for (i = 0; i < 4 && pa->vals[i] != NULL; i++) {
			int k = val_find(f, pa->vals[i]);
			if (k < 0)
				return -1;
			pick |= 1ull << k;
		}
	}
	if (pick == 0 && f->type == F_RADIO)
		pick = 1ull << rnd(c, (uint32_t)f->nval);
	if (pick == 0) {
		for (i = 0; i < f->nval; i++)
			if (val_positive(f, i)) {
				npos++;
				if (rnd(c, 3) == 0)
					pick |= 1ull << i;
			}
		if (pick == 0 && npos > 0) {
			int k = (int)rnd(c, (uint32_t)npos);
			for (i = 0; i < f->nval; i++)
				if (val_positive(f, i) && k-- == 0)
					pick = 1ull << i;
		} else if (pick == 0)
			pick = 1ull << rnd(c, (uint32_t)f->nval);
	}
	for (i = 0; i < f->nval; i++)
		if ((pick >> i) & 1u)
			bput_pair(b, f, f->val[i], f->vlen[i]);
	return 0;
}

/*
 * The body a browser sends for the survey form fm: every control in
 * document order (hidden state and ticket, the answers, the empty
 * honeypot), then the button pressed: "submit" on check your answers,
 * "next" on a page of questions. Sets *state_len to the state's length.
 * 0, or -1 when the page cannot be answered (message in *why).
 */
static int
fill_form(struct conn *c, const struct form *fm, struct body *b,
    size_t *state_len, const char **why)
{
	int i;

	b->n = 0;
	*state_len = 0;
	for (i = 0; i < fm->n; i++) {
		const struct field *f = &fm->f[i];
		const struct path_answer *pa;
		char num[16];

		switch (f->type) {
		case F_HIDDEN:
			if (f->nlen == 5 && memcmp(f->name, "state", 5) == 0)
				*state_len = f->vlen[0];
			bput_pair(b, f, f->val[0], f->vlen[0]);
			break;
		case F_RADIO:
		case F_CHECK:
			if (fill_choice(c, f, b) != 0) {
				*why = "a path answer is not offered";
				return -1;
			}
			break;
		case F_NUMBER:
			pa = path_answer(f->name, f->nlen);
			if (f->vlen[0] == 0 && pa != NULL && pa->vals[0] == NULL) {
				snprintf(num, sizeof(num), "%d", pa->lo +
				    (int)rnd(c, (uint32_t)(pa->hi - pa->lo + 1)));
				bput_pair(b, f, num, strlen(num));
			} else
				bput_pair(b, f, f->val[0], f->vlen[0]);
			break;
		case F_TEXT:
		case F_AREA:
			/* Typed text stays; the honeypot stays empty. */
			bput_pair(b, f, f->val[0], f->vlen[0]);
			break;
		}
	}
	if (*state_len == 0) {
		*why = "no state field";
		return -1;
	}
	if (fm->submit)
		bput(b, "&action=submit");
	else if (fm->next)
		bput(b, "&action=next");
	else {
		*why = "neither Next nor Submit";
		return -1;
	}
	return 0;
}

/* A body shaped like the collector's submit body, for post mode. */
static void
ceiling_body(struct conn *c, struct body *b)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
				  "vwxyz0123456789-_";
	long i;

	b->n = 0;
	bput(b, "state=");
	if (b->n + (size_t)opt.state_bytes + 64 >= b->cap)
		die("--state-bytes %ld: body over %zu bytes", opt.state_bytes,
		    b->cap);
	for (i = 0; i < opt.state_bytes; i++)
		b->p[b->n++] = b64[rnd(c, 64)];
	bput(b, "&v=");
	for (i = 0; i < 35; i++) /* a journey ticket: 35 base64url */
		b->p[b->n++] = b64[rnd(c, 64)];
	bput(b, "&website=&action=submit");
}

/* ---- connections ---- */

static void conn_open(struct conn *c);
static void conn_next(struct conn *c);

static void
conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->busy = 0;
	c->inlen = 0;
	c->connected = 0;
}

static void
conn_open(struct conn *c)
{
	struct sockaddr_in src, dst;
	struct epoll_event ev;
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		die("socket: %s", strerror(errno));
	if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) != 0)
		die("TCP_NODELAY: %s", strerror(errno));
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)c->addr);
	if (bind(c->fd, (struct sockaddr *)&src, sizeof(src)) != 0)
		die("bind 127.0.0.%d: %s", 1 + c->addr, strerror(errno));
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)opt.port);
	dst.sin_addr.s_addr = htonl(0x7f000001u);
	if (connect(c->fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 &&
	    errno != EINPROGRESS)
		die("connect to port %d: %s", opt.port, strerror(errno));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.ptr = c;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
}

static void
want_out(struct conn *c, int on)
{
	struct epoll_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | (on ? EPOLLOUT : 0);
	ev.data.ptr = c;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
}

/* Back to the start of the flow (a new survey, or the next body). */
static void
conn_reset(struct conn *c)
{
	c->step = opt.mode == MODE_POST || (opt.mode == MODE_FINAL &&
	    phase == PH_TIMED) ? S_SUBMIT : S_CONSENT_GET;
	c->nsteps = 0;
	c->nreq = 0;
	c->prep = -1;
}

static void
flush_out(struct conn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t k = write(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff);
		if (k < 0 && errno == EAGAIN) {
			want_out(c, 1);
			return;
		}
		if (k <= 0) {
			n_err++;
			conn_close(c);
			conn_reset(c);
			conn_next(c);
			return;
		}
		c->outoff += (size_t)k;
	}
	want_out(c, 0);
}

static void
send_req(struct conn *c, enum kind kind, const char *method, const char *path,
    const char *body, size_t blen)
{
	int k;

	if (blen > 0)
		k = snprintf(c->out, sizeof(c->out),
		    "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
		    "Content-Type: application/x-www-form-urlencoded\r\n"
		    "Content-Length: %zu\r\n\r\n",
		    method, path, opt.port, blen);
	else
		k = snprintf(c->out, sizeof(c->out),
		    "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", method,
		    path, opt.port);
	if (k < 0 || (size_t)k + blen >= sizeof(c->out))
		die("request over %zu bytes", sizeof(c->out));
	memcpy(c->out + k, body, blen);
	c->outlen = (size_t)k + blen;
	c->outoff = 0;
	c->kind = kind;
	c->busy = 1;
	c->nreq++;
	if (c->fd < 0)
		conn_open(c);
	c->t0 = now();
	if (kind == K_FINAL)
		c->t_sub = c->t0;
	if (c->connected)
		flush_out(c);
	else
		want_out(c, 1);
}

/* Keep the body for the timed phase (final and probe modes). */
static void
prep_keep(struct conn *c)
{
	struct prep_list *pl = &prep[c->addr];

	if (pl->n < pl->quota) {
		pl->body[pl->n] = strndup(c->body, c->nbody);
		if (pl->body[pl->n] == NULL)
			die("out of memory");
		pl->n++;
		prep_total++;
	}
}

/* Issue the connection's next request, if any. */
static void
conn_next(struct conn *c)
{
	static const char consent[] =
	    "lang=en&consent=1&adult=1&website=&action=start";
	char path[320];
	struct body b;
	struct prep_list *pl = &prep[c->addr];

	if (c->busy)
		return;
	if (stopping && (opt.mode == MODE_SURVEY || opt.mode == MODE_POST))
		return; /* an unfinished survey stores nothing */
	if (phase == PH_PREPARE && pl->n >= pl->quota)
		return; /* enough for this address; abandon the walk */
	switch (c->step) {
	case S_CONSENT_GET:
		c->nsteps = 0;
		c->nreq = 0;
		snprintf(path, sizeof(path), "/s/%s", opt.form_id);
		send_req(c, K_CONSENT, "GET", path, "", 0);
		break;
	case S_CONSENT_POST:
		snprintf(path, sizeof(path), "/s/%s", opt.form_id);
		send_req(c, K_STEP, "POST", path, consent, sizeof(consent) - 1);
		break;
	case S_VIEW:
	case S_THANKS:
		send_req(c, c->step == S_VIEW ? K_VIEW : K_THANKS, "GET",
		    c->loc, "", 0);
		break;
	case S_STEP:
		snprintf(path, sizeof(path), "/s/%s", opt.form_id);
		send_req(c, K_STEP, "POST", path, c->body, c->nbody);
		break;
	case S_SUBMIT:
		if (opt.mode == MODE_POST) {
			b.p = c->body;
			b.n = 0;
			b.cap = BODY_CAP;
			ceiling_body(c, &b);
			c->nbody = b.n;
			send_req(c, K_FINAL, "POST", opt.path, c->body,
			    c->nbody);
			break;
		}
		if (opt.mode == MODE_FINAL && phase == PH_TIMED) {
			if (pl->next >= pl->n)
				return; /* this address's bodies ran out */
			c->prep = pl->next++;
			c->nbody = strlen(pl->body[c->prep]);
			memcpy(c->body, pl->body[c->prep], c->nbody + 1);
		}
		snprintf(path, sizeof(path), "/s/%s", opt.form_id);
		send_req(c, K_FINAL, "POST", path, c->body, c->nbody);
		break;
	}
}

/* The code shown in id="receipt-code" (display form). */
static int
find_receipt(const char *body, size_t n, char *out, size_t outsz)
{
	static const char pre[] = "id=\"receipt-code\">";
	const char *p = memmem(body, n, pre, sizeof(pre) - 1), *q;
	size_t k;

	if (p == NULL)
		return -1;
	p += sizeof(pre) - 1;
	q = memchr(p, '<', n - (size_t)(p - body));
	if (q == NULL)
		return -1;
	k = (size_t)(q - p);
	if (k < 20 || k + 1 > outsz)
		return -1;
	memcpy(out, p, k);
	out[k] = '\0';
	return 0;
}

static void
bad(struct conn *c, int status, const char *what)
{
	n_err++;
	if (n_err <= 5)
		fprintf(stderr, "survey_load: connection %d: %s (status %d)\n",
		    c->idx, what, status);
	if (n_err >= 1000)
		die("1000 unexpected responses; stopping");
	conn_reset(c);
}

/* Does a 303's Location lead where it should? */
static int
loc_ok(const char *loc, const char *want)
{
	return loc != NULL && strstr(loc, want) != NULL;
}

/* A step's page arrived: fill its form in and choose the next step. */
static void
on_view(struct conn *c, int status, const char *html, size_t n)
{
	static struct form fm; /* one thread; large */
	struct body b = { c->body, 0, BODY_CAP };
	const char *why = "";
	size_t state_len;

	if (status != 200)
		return bad(c, status, "step page refused");
	if (memmem(html, n, "class=\"error-summary\"", 21) != NULL)
		return bad(c, status, "page came back with errors");
	if (form_read(html, n, &fm) != 0)
		return bad(c, status, "step page without its form");
	if (fill_form(c, &fm, &b, &state_len, &why) != 0)
		return bad(c, status, why);
	c->nbody = b.n;
	if (++c->nsteps > STEP_MAX)
		return bad(c, status, "survey does not end");
	if (!fm.submit) {
		c->step = S_STEP;
		return;
	}
	n_submit_bodies++;
	sum_body_bytes += b.n;
	sum_state_bytes += state_len;
	if (phase == PH_PREPARE) {
		prep_keep(c);
		c->step = S_CONSENT_GET;
		return;
	}
	c->step = S_SUBMIT;
}

/* The thank-you page arrived: one submission acknowledged. */
static void
on_thanks(struct conn *c, int status, const char *body, size_t n)
{
	char code[64];

	if (status != 200 || find_receipt(body, n, code, sizeof(code)) != 0)
		return bad(c, status, "thank-you page without receipt");
	if (opt.mode != MODE_POST) {
		n_receipts++;
		if (rfile != NULL)
			fprintf(rfile, "%s\n", code);
	}
	if (measuring && c->sub_in_window) {
		n_ack++;
		sum_req_per_ack += c->nreq;
		lat_add(&lat_sub, now() - c->t_sub);
	}
	if (opt.mode == MODE_FINAL)
		t_last = now();
	conn_reset(c);
}

static void
on_response(struct conn *c, int status, const char *loc, const char *body,
    size_t n)
{
	double dt = now() - c->t0;

	if (measuring) {
		n_req++;
		lat_add(&lat_all, dt);
		lat_add(&lat_kind[c->kind], dt);
	}
	c->busy = 0;
	switch (c->step) {
	case S_CONSENT_GET:
		if (status != 200)
			return bad(c, status, "consent page");
		c->step = S_CONSENT_POST;
		break;
	case S_CONSENT_POST:
	case S_STEP:
		if (status != 303 || !loc_ok(loc, "/p?v="))
			return bad(c, status, c->step == S_STEP ?
			    "page not answered 303 to the next step" :
			    "consent not answered 303 to the first page");
		snprintf(c->loc, sizeof(c->loc), "%s", loc);
		c->step = S_VIEW;
		break;
	case S_VIEW:
		on_view(c, status, body, n);
		break;
	case S_SUBMIT:
		if (status != 303 || !loc_ok(loc, "/thanks?"))
			return bad(c, status, "submission not acknowledged");
		snprintf(c->loc, sizeof(c->loc), "%s", loc);
		c->sub_in_window = measuring;
		c->step = S_THANKS;
		break;
	case S_THANKS:
		on_thanks(c, status, body, n);
		break;
	}
}

/* Parse what arrived; returns 1 when a whole response was handled. */
static int
parse(struct conn *c)
{
	char *hend, *p, *line;
	long clen = -1;
	int status;
	char loc[LOC_CAP];
	int has_loc = 0;
	size_t hlen;

	hend = memmem(c->in, c->inlen, "\r\n\r\n", 4);
	if (hend == NULL)
		return 0;
	hlen = (size_t)(hend - c->in) + 4;
	if (sscanf(c->in, "HTTP/1.%*d %d", &status) != 1)
		die("connection %d: not an HTTP response", c->idx);
	c->close_after = 0;
	line = memchr(c->in, '\n', hlen);
	while (line != NULL && line + 1 < hend) {
		p = line + 1;
		line = memchr(p, '\n', (size_t)(hend + 2 - p));
		if (line == NULL)
			break;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			clen = strtol(p + 15, NULL, 10);
		else if (strncasecmp(p, "Connection: close", 17) == 0)
			c->close_after = 1;
		else if (strncasecmp(p, "Location: ", 10) == 0) {
			size_t k = (size_t)(line - p) - 11;
			if (k < sizeof(loc)) {
				memcpy(loc, p + 10, k);
				loc[k] = '\0';
				has_loc = 1;
			}
		} else if (strncasecmp(p, "Transfer-Encoding:", 18) == 0)
			die("connection %d: chunked responses are not read",
			    c->idx);
	}
	if (clen < 0)
		clen = 0;
	if (hlen + (size_t)clen >= IN_CAP)
		die("connection %d: response over %u bytes", c->idx, IN_CAP);
	if (c->inlen < hlen + (size_t)clen)
		return 0;
	c->in[hlen + (size_t)clen] = '\0';
	on_response(c, status, has_loc ? loc : NULL, c->in + hlen,
	    (size_t)clen);
	c->inlen = 0;
	if (c->close_after)
		conn_close(c);
	return 1;
}

static void
on_readable(struct conn *c)
{
	for (;;) {
		ssize_t k;
		if (c->inlen + 1 >= IN_CAP)
			die("connection %d: response over %u bytes", c->idx,
			    IN_CAP);
		k = read(c->fd, c->in + c->inlen, IN_CAP - 1 - c->inlen);
		if (k < 0 && errno == EAGAIN)
			return;
		if (k <= 0) {
			if (c->busy) {
				n_err++;
				if (n_err <= 5)
					fprintf(stderr, "survey_load: "
					    "connection %d closed mid-request\n",
					    c->idx);
				conn_reset(c);
			}
			conn_close(c);
			conn_next(c);
			return;
		}
		c->inlen += (size_t)k;
		if (parse(c)) {
			conn_next(c);
			return;
		}
	}
}

/* Run the event loop until every connection is idle (or deadline). */
static void
loop(double deadline)
{
	struct epoll_event evs[256];
	int i, k, busy;

	for (;;) {
		double t = now();
		if (!stopping && t_end > 0 && t >= t_end) {
			stopping = 1;
			measuring = 0;
			cpu_sum += server_cpu() - cpu_t0;
		}
		busy = 0;
		for (i = 0; i < opt.conns; i++)
			busy |= cs[i].busy;
		if (!busy || t >= deadline)
			return;
		k = epoll_wait(ep, evs, 256, 50);
		if (k < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		for (i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;
			if (c->fd < 0)
				continue;
			if ((evs[i].events & EPOLLOUT) && !c->connected) {
				int err = 0;
				socklen_t len = sizeof(err);
				if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR,
				    &err, &len) != 0)
					err = errno;
				if (err != 0)
					die("connect to port %d: %s", opt.port,
					    strerror(err));
				c->connected = 1;
			}
			if ((evs[i].events & EPOLLOUT) && c->outoff < c->outlen)
				flush_out(c);
			if (c->fd >= 0 && (evs[i].events & (EPOLLIN | EPOLLHUP |
			    EPOLLERR)))
				on_readable(c);
		}
	}
}

static void
start_all(void)
{
	int i;
	for (i = 0; i < opt.conns; i++) {
		conn_reset(&cs[i]);
		conn_next(&cs[i]);
	}
}

/*
 * Final mode, one round: walk `prepare` surveys to their check of answers
 * (not timed), then send their submits and fetch their receipts (timed).
 * Returns the timed seconds.
 */
static double
final_round(long round)
{
	double t0;
	int a;

	for (a = 0; a < opt.addrs; a++) {
		struct prep_list *pl = &prep[a];
		long i;
		for (i = 0; i < pl->n; i++)
			free(pl->body[i]);
		pl->n = pl->next = 0;
	}
	prep_total = 0;
	phase = PH_PREPARE;
	measuring = 0;
	stopping = 0;
	t_end = 0;
	while (prep_total < opt.prepare) {
		long before = prep_total;
		start_all();
		loop(now() + 3600);
		if (prep_total == before && n_err > 0)
			die("round %ld: surveys cannot be walked to the end",
			    round);
	}
	fprintf(stderr, "survey_load: round %ld: %ld final submissions "
	    "prepared; timed phase\n", round, prep_total);
	phase = PH_TIMED;
	t0 = t_last = now();
	cpu_t0 = server_cpu();
	measuring = 1;
	start_all();
	loop(now() + 600);
	measuring = 0;
	cpu_sum += server_cpu() - cpu_t0;
	return t_last - t0;
}

static void
usage(void)
{
	fputs("usage: survey_load --port N [--mode survey|final|post|probe] "
	      "[--conns 64] [--seconds 15] [--form-id ID] [--path /submit] "
	      "[--prepare 6000] [--rounds 2] [--state-bytes 1800] "
	      "[--receipts FILE] [--addrs K] [--server-pid PID]\n", stderr);
	exit(2);
}

static long
num(const char *flag, const char *v, long lo, long hi)
{
	char *end;
	long x;
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || x < lo || x > hi)
		die("%s: must be an integer from %ld to %ld (got \"%s\")", flag,
		    lo, hi, v);
	return x;
}

static void
parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--port") == 0)
			opt.port = (int)num(a, v, 1, 65535);
		else if (strcmp(a, "--conns") == 0)
			opt.conns = (int)num(a, v, 1, MAX_CONNS);
		else if (strcmp(a, "--seconds") == 0)
			opt.seconds = (double)num(a, v, 1, 3600);
		else if (strcmp(a, "--prepare") == 0)
			opt.prepare = num(a, v, 1, PREPARE_MAX);
		else if (strcmp(a, "--rounds") == 0)
			opt.rounds = num(a, v, 1, 100);
		else if (strcmp(a, "--state-bytes") == 0)
			opt.state_bytes = num(a, v, 0, BODY_CAP - 1024);
		else if (strcmp(a, "--addrs") == 0)
			opt.addrs = (int)num(a, v, 1, ADDR_MAX);
		else if (strcmp(a, "--server-pid") == 0)
			opt.server_pid = num(a, v, 1, 1L << 30);
		else if (strcmp(a, "--form-id") == 0)
			opt.form_id = v;
		else if (strcmp(a, "--path") == 0)
			opt.path = v;
		else if (strcmp(a, "--receipts") == 0)
			opt.receipts = v;
		else if (strcmp(a, "--mode") == 0) {
			if (strcmp(v, "survey") == 0)
				opt.mode = MODE_SURVEY;
			else if (strcmp(v, "final") == 0)
				opt.mode = MODE_FINAL;
			else if (strcmp(v, "post") == 0)
				opt.mode = MODE_POST;
			else if (strcmp(v, "probe") == 0)
				opt.mode = MODE_PROBE;
			else
				die("--mode: must be survey, final, post or "
				    "probe (got \"%s\")", v);
		} else
			usage();
	}
	if (opt.port == 0)
		usage();
	if (strlen(opt.form_id) > 64)
		die("--form-id: at most 64 characters");
	if (opt.mode == MODE_PROBE) {
		opt.conns = 1;
		opt.prepare = 1;
		opt.rounds = 1;
	}
	if (opt.addrs == 0)
		opt.addrs = (opt.conns + 15) / 16;
	if (opt.addrs > opt.conns)
		opt.addrs = opt.conns;
}

static void
setup(void)
{
	int i;

	if (opt.receipts != NULL) {
		rfile = fopen(opt.receipts, "w");
		if (rfile == NULL)
			die("%s: %s", opt.receipts, strerror(errno));
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1: %s", strerror(errno));
	cs = calloc((size_t)opt.conns, sizeof(*cs));
	if (cs == NULL)
		die("out of memory");
	for (i = 0; i < opt.conns; i++) {
		cs[i].fd = -1;
		cs[i].idx = i;
		cs[i].addr = i % opt.addrs;
		cs[i].rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		cs[i].in = malloc(IN_CAP);
		cs[i].body = malloc(BODY_CAP);
		if (cs[i].in == NULL || cs[i].body == NULL)
			die("out of memory");
	}
	for (i = 0; i < opt.addrs; i++) {
		/* Exactly `prepare` in all, as even as the addresses allow. */
		prep[i].quota = opt.prepare / opt.addrs +
		    (i < opt.prepare % opt.addrs);
		prep[i].body = calloc((size_t)prep[i].quota + 1,
		    sizeof(*prep[i].body));
		if (prep[i].body == NULL)
			die("out of memory");
	}
}

int
main(int argc, char **argv)
{
	const char *mname[] = { "survey", "final", "post", "probe" };
	double el = 0;
	long r;

	parse_args(argc, argv);
	setup();
	if (opt.mode == MODE_PROBE) {
		phase = PH_PREPARE;
		start_all();
		loop(now() + 60);
		if (prep_total != 1 || n_submit_bodies == 0)
			die("probe: the survey could not be walked to its end");
		printf("mode=probe body_bytes=%llu state_bytes=%llu "
		    "requests_to_check=%lu\n", sum_body_bytes, sum_state_bytes,
		    cs[0].nreq);
		return 0;
	}
	if (opt.mode == MODE_FINAL) {
		for (r = 1; r <= opt.rounds; r++)
			el += final_round(r);
	} else {
		phase = PH_TIMED;
		t_end = now() + opt.seconds;
		cpu_t0 = server_cpu();
		measuring = 1;
		start_all();
		loop(t_end + 10);
		el = opt.seconds;
		stopping = 1;
		measuring = 0;
	}
	if (rfile != NULL && fclose(rfile) != 0)
		die("%s: %s", opt.receipts, strerror(errno));
	if (el <= 0)
		el = 1e-9;

	printf("mode=%s conns=%d seconds=%.2f requests=%lu req_per_s=%.0f "
	       "acked=%lu acked_per_s=%.1f receipts=%lu req_per_ack=%.1f "
	       "p50_ms=%.2f p99_ms=%.2f final_p50_ms=%.2f final_p99_ms=%.2f "
	       "thanks_p50_ms=%.2f thanks_p99_ms=%.2f sub_p50_ms=%.2f "
	       "sub_p99_ms=%.2f view_p99_ms=%.2f step_p99_ms=%.2f "
	       "body_bytes=%.0f state_bytes=%.0f cpu_ms_per_ack=%.3f "
	       "cpu_cores=%.2f errors=%lu\n",
	    mname[opt.mode], opt.conns, el, n_req, (double)n_req / el, n_ack,
	    (double)n_ack / el, n_receipts,
	    n_ack ? (double)sum_req_per_ack / (double)n_ack : 0.0,
	    lat_q(&lat_all, 0.50), lat_q(&lat_all, 0.99),
	    lat_q(&lat_kind[K_FINAL], 0.50), lat_q(&lat_kind[K_FINAL], 0.99),
	    lat_q(&lat_kind[K_THANKS], 0.50), lat_q(&lat_kind[K_THANKS], 0.99),
	    lat_q(&lat_sub, 0.50), lat_q(&lat_sub, 0.99),
	    lat_q(&lat_kind[K_VIEW], 0.99), lat_q(&lat_kind[K_STEP], 0.99),
	    n_submit_bodies ? (double)sum_body_bytes /
	    (double)n_submit_bodies : 0.0, n_submit_bodies ?
	    (double)sum_state_bytes / (double)n_submit_bodies : 0.0,
	    n_ack && opt.server_pid ? 1e3 * cpu_sum / (double)n_ack : 0.0,
	    cpu_sum / el, n_err);
	return n_ack > 0 && n_err == 0 ? 0 : 1;
}
