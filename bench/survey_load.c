/*
 * Load generator for the collector benchmark: keeps `conns` HTTP/1.1
 * keep-alive connections busy from one epoll thread over loopback and
 * measures acknowledged submissions and per-request latency.
 *
 *   survey_load --port N [--mode survey|final|post] [--conns 64]
 *       [--seconds 15] [--form-id ID] [--path /submit] [--prepare N]
 *       [--receipts FILE] [--addrs K]
 *
 * Modes:
 *   survey  the whole respondent flow of the default survey
 *           (forms/fibromyalgia-therapies.json) against the collector:
 *           GET the consent page, POST consent, POST every page with the
 *           sealed `state` from the page before, the last one with
 *           action=submit, which must answer 303 to the thank-you page,
 *           then GET that page and read the receipt code from
 *           id="receipt-code". A submission counts only when both the 303
 *           and the receipt arrived inside the measured window.
 *   final   the final submission alone, for a like-for-like comparison
 *           with the ceiling: first (not timed) walk `prepare` surveys up
 *           to their last page and keep each final body, then (timed) POST
 *           those bodies, then (not timed) fetch every thank-you page for
 *           its receipt. Ends early when the prepared bodies run out.
 *   post    POST one body shaped like a final submission (the last page's
 *           answers, a state-sized field, action=submit) to `path` and
 *           expect 303: the load for bench/ceiling.c.
 *
 * Connection i binds source address 127.0.0.(1 + i % addrs), so the
 * collector's per-address connection limit (16) is not the bottleneck.
 * Receipts (canonical display form) go to `receipts`, one a line, for
 * bench/receipt_check.c. The result is one line of key=value pairs on
 * stdout; problems go to stderr. Exit 0, or 1 when nothing was
 * acknowledged or a response was unexpected.
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

#define IN_CAP (1u << 20)  /* largest response accepted */
#define OUT_CAP 16384      /* largest request built */
#define STATE_CAP 8192     /* largest state field accepted */
#define MAX_CONNS 1024

enum mode { MODE_SURVEY, MODE_FINAL, MODE_POST };

/* What a request is, for the latency classes. */
enum kind { K_GET, K_PAGE, K_FINAL, K_THANKS };

/* Where a connection is in the survey flow. */
enum step {
	S_CONSENT_GET,  /* GET /s/<id> */
	S_CONSENT_POST, /* POST consent; answer is page 1 */
	S_PAGE,         /* POST page `page`; answer is the next page */
	S_FINAL,        /* POST the last page with action=submit; 303 */
	S_THANKS,       /* GET the thank-you page; receipt */
	S_POST          /* post mode: POST path, 303 */
};

struct lat {
	uint32_t *a; /* microseconds */
	size_t n, cap;
};

struct conn {
	int fd;
	int idx;
	int connected; /* connect() completed */
	enum step step;
	enum kind kind;
	int page;         /* 0-based page being posted */
	int npages;       /* from "Page k of n" */
	uint64_t rng;
	char out[OUT_CAP];
	size_t outlen, outoff;
	char *in;
	size_t inlen;
	double t0;         /* request sent */
	int busy;          /* a request is in flight */
	int close_after;   /* server said Connection: close */
	char state[STATE_CAP];
	char loc[STATE_CAP];
	long prep;         /* final mode: index of the body being posted */
};

static struct {
	enum mode mode;
	int port;
	int conns;
	double seconds;
	const char *form_id;
	const char *path;
	long prepare;
	const char *receipts;
	int addrs;
} opt = { MODE_SURVEY, 0, 64, 15, "fibromyalgia-therapies", "/submit",
	  20000, NULL, 0 };

static int ep;
static struct conn *cs;
static FILE *rfile;
static double t_start, t_end;
static int stopping;     /* no new requests */
static int measuring;    /* inside the timed window */
static unsigned long n_req, n_ack, n_err, n_final;
static struct lat lat_all, lat_final;

/* Final mode: prepared final bodies and the Locations they earned. */
static char **prep_body;
static long prep_n, prep_next;
static char **prep_loc;
static long loc_n, loc_next;
static int phase; /* 0 prepare, 1 timed finals, 2 receipts */

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

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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

static const char *const therapies[] = {
	"exercise", "cbt", "pt", "yoga", "acupuncture", "massage",
	"duloxetine", "milnacipran", "pregabalin", "gabapentin",
	"amitriptyline", "cyclobenzaprine", "nsaid", "paracetamol",
	"tramadol", "opioid", "cannabis", "kratom",
};

/*
 * Valid answers for page `page` of the default survey, drawn at random.
 * Countries other than the US and "no diagnosis" keep page 1 free of
 * questions that open on an answer; every therapy "never used" keeps the
 * survey at its 8 core pages.
 */
static void
page_answers(struct conn *c, int page, struct body *b)
{
	static const int ages[] = { 1, 2, 3, 4, 5, 6, 7, 99 };
	int i, k;

	switch (page) {
	case 0:
		bput(b, "age_band=%d&sex=%d&country=%d&dx_by=%d&employment=%d",
		    ages[rnd(c, 8)], 1 + (int)rnd(c, 3), 2 + (int)rnd(c, 10),
		    rnd(c, 2) ? 2 : 99, 1 + (int)rnd(c, 5));
		break;
	case 1:
		k = 0;
		for (i = 1; i <= 19; i++)
			if (rnd(c, 3) == 0) {
				bput(b, "%swpi_sites=%d", k ? "&" : "", i);
				k++;
			}
		if (k == 0)
			bput(b, "wpi_sites=0");
		bput(b, "&sx_3months=%d", (int)rnd(c, 2));
		break;
	case 2:
		bput(b, "sss_fatigue=%d&sss_unrefreshed=%d&sss_cognitive=%d"
		    "&sss_headache=%d&sss_abdominal=%d&sss_depression=%d",
		    (int)rnd(c, 4), (int)rnd(c, 4), (int)rnd(c, 4),
		    (int)rnd(c, 2), (int)rnd(c, 2), (int)rnd(c, 2));
		break;
	case 3:
		bput(b, "peg_pain=%d&peg_enjoy=%d&peg_activity=%d",
		    (int)rnd(c, 11), (int)rnd(c, 11), (int)rnd(c, 11));
		break;
	case 4:
		bput(b, "nrs_fatigue=%d&nrs_sleep=%d&nrs_stiffness=%d",
		    (int)rnd(c, 11), (int)rnd(c, 11), (int)rnd(c, 11));
		break;
	case 5:
		for (i = 1; i <= 8; i++)
			bput(b, "%sphq8_%d=%d", i > 1 ? "&" : "", i,
			    (int)rnd(c, 4));
		break;
	case 6:
		for (i = 1; i <= 7; i++)
			bput(b, "%sgad7_%d=%d", i > 1 ? "&" : "", i,
			    (int)rnd(c, 4));
		break;
	case 7:
		for (i = 0; i < (int)(sizeof(therapies) / sizeof(*therapies));
		     i++)
			bput(b, "%s%s_use=0", i ? "&" : "", therapies[i]);
		break;
	default:
		die("page %d: the default survey's core has 8 pages", page + 1);
	}
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
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(c->idx % opt.addrs));
	if (bind(c->fd, (struct sockaddr *)&src, sizeof(src)) != 0)
		die("bind 127.0.0.%d: %s", 1 + c->idx % opt.addrs,
		    strerror(errno));
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
			c->step = opt.mode == MODE_POST ? S_POST : S_CONSENT_GET;
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
	if (c->fd < 0)
		conn_open(c);
	c->t0 = now();
	if (c->connected)
		flush_out(c);
	else
		want_out(c, 1);
}

/* The body of a POST from the current page with the current state. */
static void
post_page(struct conn *c, int final)
{
	char buf[OUT_CAP];
	struct body b = { buf, 0, sizeof(buf) - 64 };

	page_answers(c, c->page, &b);
	bput(&b, "&state=%s&website=&action=%s", c->state,
	    final ? "submit" : "next");
	if (opt.mode == MODE_FINAL && final && phase == 0) {
		/* Keep the body for the timed phase instead of sending it. */
		if (prep_n < opt.prepare) {
			prep_body[prep_n] = strndup(b.p, b.n);
			if (prep_body[prep_n] == NULL)
				die("out of memory");
			prep_n++;
		}
		c->step = S_CONSENT_GET;
		c->busy = 0;
		conn_next(c);
		return;
	}
	send_req(c, final ? K_FINAL : K_PAGE, "POST", opt.path, b.p, b.n);
}

/* A body shaped like the collector's final submission, for post mode. */
static void
post_ceiling(struct conn *c)
{
	char buf[OUT_CAP];
	struct body b = { buf, 0, sizeof(buf) - 64 };
	size_t i;

	page_answers(c, 7, &b);
	bput(&b, "&state=");
	/* The collector's last-page state is about 900 base64url bytes. */
	for (i = 0; i < 900; i++)
		b.p[b.n++] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0"
			     "123456789-_"[rnd(c, 64)];
	bput(&b, "&website=&action=submit");
	send_req(c, K_FINAL, "POST", opt.path, b.p, b.n);
}

/* Issue the connection's next request, if any. */
static void
conn_next(struct conn *c)
{
	char path[STATE_CAP + 64];
	static const char consent[] =
	    "lang=en&consent=1&adult=1&website=&action=start";

	if (c->busy)
		return;
	if (stopping && opt.mode == MODE_SURVEY)
		return; /* an unfinished survey stores nothing */
	if (opt.mode == MODE_POST) {
		if (!stopping)
			post_ceiling(c);
		return;
	}
	if (opt.mode == MODE_FINAL && phase == 1) {
		if (stopping || prep_next >= prep_n)
			return;
		c->prep = prep_next++;
		c->step = S_FINAL;
		send_req(c, K_FINAL, "POST", opt.path, prep_body[c->prep],
		    strlen(prep_body[c->prep]));
		return;
	}
	if (opt.mode == MODE_FINAL && phase == 2) {
		if (loc_next >= loc_n)
			return;
		c->step = S_THANKS;
		send_req(c, K_THANKS, "GET", prep_loc[loc_next++], "", 0);
		return;
	}
	switch (c->step) {
	case S_CONSENT_GET:
		if (stopping || (opt.mode == MODE_FINAL && prep_n + 0 >=
		    opt.prepare))
			return;
		send_req(c, K_GET, "GET", opt.path, "", 0);
		break;
	case S_CONSENT_POST:
		send_req(c, K_PAGE, "POST", opt.path, consent,
		    sizeof(consent) - 1);
		break;
	case S_PAGE:
		post_page(c, 0);
		break;
	case S_FINAL:
		post_page(c, 1);
		break;
	case S_THANKS:
		snprintf(path, sizeof(path), "%s", c->loc);
		send_req(c, K_THANKS, "GET", path, "", 0);
		break;
	case S_POST:
		break;
	}
}

/* Copy the value of attribute pattern `pre` (up to '"') into out. */
static int
find_value(const char *body, size_t n, const char *pre, char *out,
    size_t outsz)
{
	const char *p = memmem(body, n, pre, strlen(pre)), *q;
	size_t k;

	if (p == NULL)
		return -1;
	p += strlen(pre);
	q = memchr(p, '"', n - (size_t)(p - body));
	if (q == NULL)
		return -1;
	k = (size_t)(q - p);
	if (k + 1 > outsz)
		return -1;
	memcpy(out, p, k);
	out[k] = '\0';
	return 0;
}

/* The receipt code shown in id="receipt-code" (display form). */
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
	if (k < 26 || k + 1 > outsz)
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
	c->step = opt.mode == MODE_POST ? S_POST : S_CONSENT_GET;
}

/* A survey page was answered with the next page: read state and progress. */
static int
read_page(struct conn *c, const char *body, size_t n)
{
	const char *p;
	int k, total;

	if (find_value(body, n, "name=\"state\" value=\"", c->state,
	    sizeof(c->state)) != 0)
		return -1;
	p = memmem(body, n, "class=\"progress\">Page ", 22);
	if (p == NULL || sscanf(p + 22, "%d of %d", &k, &total) != 2)
		return -1;
	if (k != c->page + 1 || total != 8)
		return -1;
	/* An error summary means the page came back instead of the next. */
	if (memmem(body, n, "role=\"alert\"", 12) != NULL)
		return -1;
	c->npages = total;
	return 0;
}

static void
on_response(struct conn *c, int status, const char *loc, const char *body,
    size_t n)
{
	double dt = now() - c->t0;
	char code[64];

	if (measuring) {
		n_req++;
		lat_add(&lat_all, dt);
		if (c->kind == K_FINAL)
			lat_add(&lat_final, dt);
	}
	c->busy = 0;
	switch (c->step) {
	case S_CONSENT_GET:
		if (status != 200)
			return bad(c, status, "consent page");
		c->step = S_CONSENT_POST;
		break;
	case S_CONSENT_POST:
		c->page = 0;
		if (status != 200 || read_page(c, body, n) != 0)
			return bad(c, status, "consent not accepted");
		c->step = S_PAGE;
		break;
	case S_PAGE:
		if (status != 200)
			return bad(c, status, "page refused");
		c->page++;
		if (read_page(c, body, n) != 0)
			return bad(c, status, "next page missing");
		if (c->page == c->npages - 1)
			c->step = S_FINAL;
		break;
	case S_FINAL:
		if (status != 303 || loc == NULL)
			return bad(c, status, "submission not acknowledged");
		if (opt.mode == MODE_FINAL) {
			if (measuring) {
				n_final++;
				prep_loc[loc_n] = strdup(loc);
				if (prep_loc[loc_n] == NULL)
					die("out of memory");
				loc_n++;
			}
			return;
		}
		snprintf(c->loc, sizeof(c->loc), "%s", loc);
		if (measuring)
			n_final++;
		c->step = S_THANKS;
		break;
	case S_THANKS:
		c->step = S_CONSENT_GET;
		if (status != 200 || find_receipt(body, n, code,
		    sizeof(code)) != 0)
			return bad(c, status, "thank-you page without receipt");
		break;
	case S_POST:
		if (status != 303)
			return bad(c, status, "POST not acknowledged");
		if (measuring)
			n_ack++;
		return;
	}
	if (c->step == S_CONSENT_GET && c->kind == K_THANKS) {
		if (measuring || phase == 2)
			n_ack++;
		if (rfile != NULL && (measuring || phase == 2))
			fprintf(rfile, "%s\n", code);
	}
}

/* Parse what arrived; returns 1 when a whole response was handled. */
static int
parse(struct conn *c)
{
	char *hend, *p, *line;
	long clen = -1;
	int status;
	char loc[STATE_CAP];
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
	if (c->inlen < hlen + (size_t)clen)
		return 0;
	c->in[hlen + (size_t)clen] = '\0';
	on_response(c, status, has_loc ? loc : NULL, c->in + hlen,
	    (size_t)clen);
	c->inlen = 0;
	if (c->close_after) {
		conn_close(c);
	}
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
				c->step = opt.mode == MODE_POST ? S_POST :
				    S_CONSENT_GET;
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
		if (!stopping && t >= t_end) {
			stopping = 1;
			measuring = 0;
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
				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
				    &len);
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
	for (i = 0; i < opt.conns; i++)
		conn_next(&cs[i]);
}

static void
usage(void)
{
	fputs("usage: survey_load --port N [--mode survey|final|post] "
	      "[--conns 64] [--seconds 15] [--form-id ID] [--path /submit] "
	      "[--prepare N] [--receipts FILE] [--addrs K]\n", stderr);
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

int
main(int argc, char **argv)
{
	static char pathbuf[512];
	int i;
	double t0, el;

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
			opt.prepare = num(a, v, 1, 10000000);
		else if (strcmp(a, "--addrs") == 0)
			opt.addrs = (int)num(a, v, 1, 250);
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
			else
				die("--mode: must be survey, final or post "
				    "(got \"%s\")", v);
		} else
			usage();
	}
	if (opt.port == 0)
		usage();
	if (opt.addrs == 0)
		opt.addrs = (opt.conns + 15) / 16;
	if (opt.mode != MODE_POST) {
		snprintf(pathbuf, sizeof(pathbuf), "/s/%s", opt.form_id);
		opt.path = pathbuf;
	}
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
		cs[i].rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		cs[i].step = opt.mode == MODE_POST ? S_POST : S_CONSENT_GET;
		cs[i].in = malloc(IN_CAP);
		if (cs[i].in == NULL)
			die("out of memory");
	}

	if (opt.mode == MODE_FINAL) {
		prep_body = calloc((size_t)opt.prepare, sizeof(*prep_body));
		prep_loc = calloc((size_t)opt.prepare, sizeof(*prep_loc));
		if (prep_body == NULL || prep_loc == NULL)
			die("out of memory");
		phase = 0;
		t_end = now() + 3600;
		for (;;) {
			start_all();
			loop(now() + 3600);
			if (prep_n >= opt.prepare)
				break;
		}
		phase = 1;
		fprintf(stderr, "survey_load: %ld final submissions prepared; "
		    "timed phase\n", prep_n);
	}

	t0 = t_start = now();
	t_end = t_start + opt.seconds;
	measuring = 1;
	start_all();
	loop(t_end + 10);
	el = (opt.mode == MODE_FINAL && now() < t_end ? now() : t_end) - t0;
	if (stopping == 0) {
		stopping = 1;
		measuring = 0;
	}
	if (opt.mode == MODE_FINAL) {
		/* Receipts of the finals acknowledged in the window. */
		phase = 2;
		start_all();
		loop(now() + 600);
	}
	if (rfile != NULL && fclose(rfile) != 0)
		die("%s: %s", opt.receipts, strerror(errno));

	printf("mode=%s conns=%d seconds=%.2f requests=%lu req_per_s=%.0f "
	       "acked=%lu acked_per_s=%.1f finals=%lu p50_ms=%.2f p99_ms=%.2f "
	       "final_p50_ms=%.2f final_p99_ms=%.2f errors=%lu\n",
	    opt.mode == MODE_SURVEY ? "survey" :
	    opt.mode == MODE_FINAL ? "final" : "post", opt.conns, el, n_req,
	    (double)n_req / el, n_ack, (double)n_ack / el,
	    opt.mode == MODE_POST ? n_ack : n_final, lat_q(&lat_all, 0.50),
	    lat_q(&lat_all, 0.99), lat_q(&lat_final, 0.50),
	    lat_q(&lat_final, 0.99), n_err);
	return n_ack > 0 && n_err == 0 ? 0 : 1;
}
