/*
 * Hostile input: oversized headers, URIs and bodies, too many fields, long
 * and nested keys, repeated keys, malformed percent-encoding, malformed
 * UTF-8, control characters and NUL bytes in every field of every page, in
 * the query string, in the path and in headers, and sealed states that are
 * not ours. Each request gets a 4xx, never a 5xx and never a 303; the
 * collector keeps serving (a health check after every case); nothing is
 * stored (the one row at the end is an honest submission made last). Run
 * under ASan and UBSan in CI, so a memory error on any path fails it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "client.h"

static struct cl_server s;
static struct cl_client c;
static int ncases;

/* One case's answer: a 4xx, and the server is still serving. */
static void
expect_4xx(const char *what, long status)
{
	struct cl_resp h;

	ncases++;
	if (status < 400 || status > 499) {
		fprintf(stderr, "%s: answered %ld, expected a 4xx\n", what,
		    status);
		test_failures++;
	}
	if (cl_get(&c, "/healthz", &h) != 0 || h.status != 200) {
		fprintf(stderr, "%s: the collector stopped serving\n", what);
		test_failures++;
	}
	cl_resp_free(&h);
}

/*
 * Send raw bytes on a fresh connection and read the status of the answer:
 * the code, or 0 when the connection closed without one.
 */
static long
raw_status(const void *req, size_t len)
{
	struct sockaddr_in sa;
	struct timeval tv = {10, 0};
	char buf[64];
	size_t off = 0;
	ssize_t n;
	long status = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)s.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return 0;
	}
	while (off < len) {
		n = send(fd, (const char *)req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* the server may answer and close early */
		off += (size_t)n;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n > 12) {
		buf[n] = '\0';
		if (strncmp(buf, "HTTP/1.", 7) == 0)
			status = strtol(buf + 9, NULL, 10);
	}
	close(fd);
	return status;
}

static long
raw_str(const char *req)
{
	return raw_status(req, strlen(req));
}

/* Append s to the string in b (cap bytes); the buffers are sized to fit. */
static void
app(char *b, size_t cap, const char *str)
{
	size_t n = strlen(b), m = strlen(str);

	if (n + m + 1 > cap)
		abort();
	memcpy(b + n, str, m + 1);
}

/* POST a body given already urlencoded (hostile bytes stay as written). */
static long
post_raw(const char *path, const char *body)
{
	struct cl_resp r;
	long st;

	cl_request(&c, "POST", path, body, strlen(body), NULL, &r);
	st = r.status;
	if (st == 303)
		fprintf(stderr, "POST %s %.80s: stored (303)\n", path, body);
	cl_resp_free(&r);
	return st;
}

/* ---- headers, URIs, bodies ---- */

static void
hostile_bad_headers(void)
{
	size_t n = 100 * 1024, i;
	char *big = malloc(n + 256);
	static const char nul_hdr[] = "GET /s/mini HTTP/1.1\r\nHost: x\r\n"
	    "Accept-Language: e\0s\r\n\r\n";
	static const char ctl_hdr[] = "GET /s/mini HTTP/1.1\r\nHost: x\r\n"
	    "Accept-Language: e\x01s\r\n\r\n";
	static const char del_hdr[] = "GET / HTTP/1.1\r\nHost: x\r\n"
	    "X-Note: a\x7f\r\n\r\n";
	long st;

	CHECK(big != NULL);
	if (big == NULL)
		return;
	/* One header of 100 KiB: over the 64 KiB connection memory. */
	snprintf(big, 64, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
	i = strlen(big);
	memset(big + i, 'a', n);
	memcpy(big + i + n, "\r\n\r\n", 5);
	expect_4xx("header of 100 KiB", raw_str(big));
	/* Three thousand small headers. */
	snprintf(big, 64, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
	i = strlen(big);
	while (i + 16 < n) {
		memcpy(big + i, "X-A: 1\r\n", 8);
		i += 8;
	}
	memcpy(big + i, "\r\n", 3);
	expect_4xx("25000 headers", raw_str(big));
	/* A URI of 70 KiB. */
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', 70 * 1024);
	{
		static const char tail[] = " HTTP/1.1\r\nHost: x\r\n\r\n";
		memcpy(big + 5 + 70 * 1024, tail, sizeof(tail));
	}
	expect_4xx("URI of 70 KiB", raw_str(big));
	free(big);
	expect_4xx("control character in a header", raw_str(ctl_hdr));
	expect_4xx("DEL in a header", raw_str(del_hdr));
	/*
	 * libmicrohttpd 0.9.75 ends a header value at a NUL byte before the
	 * collector sees it: the request is served with the value cut
	 * short. Not a 4xx, but never an error and never a crash.
	 */
	st = raw_status(nul_hdr, sizeof(nul_hdr) - 1);
	CHECK(st == 200 || (st >= 400 && st <= 499));
	expect_4xx("garbage request line", raw_str("\x01\x02 / HTTP/1.1\r\n\r\n"));
}

static void
hostile_bad_bodies(void)
{
	size_t n = 200 * 1024;
	char *big = malloc(n + 1), *req;
	static const char huge_decl[] = "POST /s/mini HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: 999999999999999\r\n\r\nlang=en";
	static const char bad_decl[] = "POST /s/mini HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: 99999999999999999999999999\r\n\r\nlang=en";
	static const char huge_chunk[] = "POST /s/mini HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nlang=en";
	struct cl_resp r;

	CHECK(big != NULL);
	if (big == NULL)
		return;
	memset(big, 'a', n);
	memcpy(big, "lang=", 5);
	big[n] = '\0';
	/* Read and drained: 200 KiB is over the 128 KiB cap. */
	expect_4xx("body of 200 KiB", post_raw("/s/mini", big));
	/* Declared far over the cap: refused before a byte is read. */
	expect_4xx("Content-Length 10^15", raw_str(huge_decl));
	expect_4xx("Content-Length past 2^64", raw_str(bad_decl));
	expect_4xx("chunk size past 2^64", raw_str(huge_chunk));
	/* A body of 300 KiB, chunked (no length declared): drained, 413. */
	req = malloc(400 * 1024);
	CHECK(req != NULL);
	if (req != NULL) {
		size_t i, len = 300 * 1024;
		i = (size_t)snprintf(req, 256, "POST /s/mini HTTP/1.1\r\nHost: x"
		    "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n%zx\r\n", len);
		memset(req + i, 'a', len);
		memcpy(req + i, "lang=", 5);
		i += len;
		memcpy(req + i, "\r\n0\r\n\r\n", 7);
		i += 7;
		expect_4xx("chunked body of 300 KiB", raw_status(req, i));
		free(req);
	}
	/* Content types that are not urlencoded. */
	cl_request(&c, "POST", "/s/mini", "--x\r\n", 5,
	    "multipart/form-data; boundary=x", &r);
	expect_4xx("multipart body", r.status);
	cl_resp_free(&r);
	cl_request(&c, "POST", "/withdraw", "code=1", 6,
	    "application/x-www-form-urlencodedX", &r);
	expect_4xx("content type with a suffix", r.status);
	cl_resp_free(&r);
	free(big);
}

/* ---- fields ---- */

static void
hostile_bad_fields(void)
{
	struct cl_form f = {{NULL, 0}};
	char key[300], *val;
	int i;

	/* One field more than the 400 allowed. */
	for (i = 0; i < 401; i++)
		cl_form_add(&f, "website", "");
	expect_4xx("401 fields", post_raw("/s/mini", f.b.p));
	cl_form_free(&f);
	/* A key longer than any variable or control name. */
	memset(key, 'k', 65);
	memcpy(key + 65, "=1", 3);
	expect_4xx("key of 65 bytes", post_raw("/s/mini", key));
	/* Nested keys in the style of PHP and Rails. */
	{
		struct cl_buf b = {NULL, 0};
		cl_buf_add(&b, "lang", 4);
		for (i = 0; i < 500; i++)
			cl_buf_add(&b, "[a]", 3);
		cl_buf_add(&b, "=en", 3);
		expect_4xx("key nested 500 deep", post_raw("/s/mini", b.p));
		free(b.p);
	}
	expect_4xx("key with brackets", post_raw("/withdraw",
	    "code[]=AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA"));
	/* A value longer than 8 KiB. */
	val = malloc(9000 + 16);
	CHECK(val != NULL);
	if (val != NULL) {
		memcpy(val, "code=", 5);
		memset(val + 5, 'A', 9000);
		val[9005] = '\0';
		expect_4xx("value of 9000 bytes", post_raw("/withdraw", val));
		free(val);
	}
	/* Repeated keys a browser sends once. */
	expect_4xx("consent twice", post_raw("/s/mini", "lang=en&consent=1&"
	    "consent=1&adult=1&action=start"));
	expect_4xx("code twice", post_raw("/withdraw", "code=AAAA&code=BBBB"));
	expect_4xx("empty key", post_raw("/s/mini", "=1&lang=en"));
}

/* ---- every field of every page ---- */

static const char *const bad_values[] = {
	"%00",          /* NUL */
	"1%00",         /* NUL after a valid value */
	"%FF",          /* never UTF-8 */
	"%C0%AF",       /* overlong '/' */
	"%E0%80%AF",    /* overlong, three bytes */
	"%ED%A0%80",    /* UTF-16 surrogate */
	"%F4%90%80%80", /* past U+10FFFF */
	"%C3",          /* truncated sequence */
	"%80",          /* lone continuation byte */
	"%0B",          /* vertical tab */
	"%1B%5B2J",     /* terminal escape */
	"%7F",          /* DEL */
	"%",            /* escape cut short */
	"%G1",          /* not hex */
	"1%2",          /* one digit */
	"%%41",         /* double percent */
	NULL
};

/* The fields each page of the mini survey sends, as "key=value" pairs. */
static const char *const page_fields[3][6] = {
	{"action=next", "pain=6", "used_kratom=0", "website=", NULL},
	{"action=next", "symptoms=1", "symptoms=3", "age_band=2", "website=",
	    NULL},
	{"action=back", "fn_walk=1", "fn_work=2", "website=", NULL},
};

/* The state of page ipage (0-2), after answering the pages before it. */
static char *
state_of_page(int ipage)
{
	struct cl_resp r;
	char *st = cl_mini_consent(&c, "en"), *body;
	int k, i;

	for (k = 0; k < ipage && st != NULL; k++) {
		size_t n = strlen(st) + 256;
		body = malloc(n);
		if (body == NULL)
			abort();
		snprintf(body, n, "state=%s", st);
		for (i = 0; page_fields[k][i] != NULL; i++) {
			app(body, n, "&");
			app(body, n, page_fields[k][i]);
		}
		free(st);
		cl_request(&c, "POST", "/s/mini", body, strlen(body), NULL, &r);
		free(body);
		cl_follow(&c, &r); /* every step answers 303 to its page */
		st = r.status == 200 ? cl_state(r.body) : NULL;
		cl_resp_free(&r);
	}
	return st;
}

/*
 * For each field of each page (and "state" itself), send the page with
 * that one value, or that one key, replaced by each hostile string.
 */
static void
hostile_bad_every_field(void)
{
	int ipage, ifield, ibad, key;
	char what[160];

	for (ipage = 0; ipage < 3; ipage++) {
		char *st = state_of_page(ipage);
		size_t cap;
		char *body;

		CHECK(st != NULL);
		if (st == NULL)
			continue;
		cap = strlen(st) + 512;
		body = malloc(cap);
		if (body == NULL)
			abort();
		/* ifield -1 is the state field. */
		for (ifield = -1; ifield < 0 || page_fields[ipage][ifield] != NULL;
		    ifield++) {
			for (ibad = 0; bad_values[ibad] != NULL; ibad++) {
				for (key = 0; key < 2; key++) {
					const char *fv = ifield < 0 ? "state="
					    : page_fields[ipage][ifield];
					size_t kl = strcspn(fv, "=");
					int i;

					if (key)
						snprintf(body, cap, "%.*s%s=%s",
						    (int)kl, fv, bad_values[ibad],
						    ifield < 0 ? st : fv + kl + 1);
					else
						snprintf(body, cap, "%.*s=%s%s",
						    (int)kl, fv, ifield < 0 ? st
						    : fv + kl + 1, bad_values[ibad]);
					if (ifield >= 0) {
						app(body, cap, "&state=");
						app(body, cap, st);
					}
					for (i = 0; page_fields[ipage][i] != NULL;
					    i++) {
						if (i == ifield)
							continue;
						app(body, cap, "&");
						app(body, cap, page_fields[ipage][i]);
					}
					snprintf(what, sizeof(what), "page %d, %s "
					    "of %.*s: %s", ipage + 1, key ? "key"
					    : "value", (int)kl, fv,
					    bad_values[ibad]);
					expect_4xx(what, post_raw("/s/mini", body));
				}
			}
		}
		/* The same page untouched still goes through. */
		{
			int i;
			snprintf(body, cap, "state=%s", st);
			for (i = 0; page_fields[ipage][i] != NULL; i++) {
				app(body, cap, "&");
				app(body, cap, page_fields[ipage][i]);
			}
			/* 303 to the next step (Post/Redirect/Get). */
			CHECK_INT(post_raw("/s/mini", body), 303);
		}
		free(body);
		free(st);
	}
	/* The consent step and the code forms. */
	for (ibad = 0; bad_values[ibad] != NULL; ibad++) {
		char body[256];
		snprintf(body, sizeof(body), "lang=en%s&consent=1&adult=1&"
		    "action=start&website=", bad_values[ibad]);
		snprintf(what, sizeof(what), "consent lang: %s", bad_values[ibad]);
		expect_4xx(what, post_raw("/s/mini", body));
		snprintf(body, sizeof(body), "consent=1%s&adult=1&action=start",
		    bad_values[ibad]);
		expect_4xx("consent value", post_raw("/s/mini", body));
		snprintf(body, sizeof(body), "code=AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"
		    "-AA%s", bad_values[ibad]);
		expect_4xx("withdraw code", post_raw("/withdraw", body));
		expect_4xx("resume code", post_raw("/resume", body));
	}
}

/* ---- query strings and paths ---- */

static void
hostile_bad_query(void)
{
	static const char *const paths[] = {"/", "/s/mini", "/s/mini/thanks",
		"/resume", "/withdraw", "/healthz", NULL};
	char url[256], what[300];
	struct cl_resp r;
	int ip, ib;

	for (ip = 0; paths[ip] != NULL; ip++)
		for (ib = 0; bad_values[ib] != NULL; ib++) {
			snprintf(url, sizeof(url), "%s?lang=en%s", paths[ip],
			    bad_values[ib]);
			cl_get(&c, url, &r);
			snprintf(what, sizeof(what), "GET %s", url);
			expect_4xx(what, r.status);
			cl_resp_free(&r);
			snprintf(url, sizeof(url), "%s?r%s=1", paths[ip],
			    bad_values[ib]);
			cl_get(&c, url, &r);
			snprintf(what, sizeof(what), "GET %s", url);
			expect_4xx(what, r.status);
			cl_resp_free(&r);
		}
	/* In the path: "/s/mini%00" must not be served as "/s/mini". */
	for (ib = 0; bad_values[ib] != NULL; ib++) {
		snprintf(url, sizeof(url), "/s/mini%s", bad_values[ib]);
		cl_get(&c, url, &r);
		snprintf(what, sizeof(what), "GET %s", url);
		expect_4xx(what, r.status);
		cl_resp_free(&r);
	}
	/* A well-formed escape in the path is still the same page. */
	cl_get(&c, "/s/%6Dini?lang=es", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
}

/* ---- sealed state ---- */

static void
hostile_bad_state(void)
{
	char *st = state_of_page(0), *body, *loc = NULL;
	size_t n = 96 * 1024;
	struct cl_resp r;
	const char *receipt;

	CHECK(st != NULL);
	if (st == NULL)
		return;
	body = malloc(n + 256);
	if (body == NULL)
		abort();
	expect_4xx("empty state", post_raw("/s/mini", "state=&action=next"));
	expect_4xx("one-character state", post_raw("/s/mini", "state=A"));
	/* The longest state accepted, but not sealed by us. */
	memcpy(body, "state=", 6);
	memset(body + 6, 'A', n);
	body[6 + n] = '\0';
	expect_4xx("state of 96 KiB", post_raw("/s/mini", body));
	/* One byte over the state cap. */
	memset(body + 6, 'A', n + 1);
	body[7 + n] = '\0';
	expect_4xx("state over 96 KiB", post_raw("/s/mini", body));
	/* Standard base64 instead of base64url. */
	snprintf(body, n, "state=%s%%2B%%2F&action=next", st);
	expect_4xx("state with + and /", post_raw("/s/mini", body));
	/* A page-1 state with the fields of page 3. */
	snprintf(body, n, "state=%s&action=submit&fn_walk=1&fn_work=2", st);
	expect_4xx("page-1 state, page-3 fields", post_raw("/s/mini", body));
	/* A receipt blob is no state, and a state is no receipt. */
	{
		char *last = cl_mini_to_last(&c, "en");
		CHECK(last != NULL);
		if (last != NULL) {
			/* Too fast? No: min fill 0. Keep the 303 for its blob. */
			cl_mini_submit(&c, last, &r);
			CHECK_INT(r.status, 303);
			loc = cl_header(&r, "Location");
			cl_resp_free(&r);
			free(last);
		}
	}
	receipt = loc != NULL ? strstr(loc, "?t=") : NULL;
	CHECK(receipt != NULL);
	if (receipt != NULL) {
		snprintf(body, n, "state=%s&action=next&pain=1&used_kratom=0",
		    receipt + 3);
		expect_4xx("receipt as state", post_raw("/s/mini", body));
		snprintf(body, n, "/s/mini/thanks?t=%s", st);
		cl_get(&c, body, &r);
		expect_4xx("state as receipt", r.status);
		cl_resp_free(&r);
	}
	free(loc);
	free(body);
	free(st);
}

int
main(void)
{
	long before;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);

	hostile_bad_headers();
	hostile_bad_bodies();
	hostile_bad_fields();
	hostile_bad_every_field();
	hostile_bad_query();
	CHECK_INT(cl_count_rows(s.db, NULL), 0);
	/* The state checks submit one honest response for its receipt. */
	hostile_bad_state();
	before = cl_count_rows(s.db, NULL);
	CHECK_INT(before, 1);
	/* Still serving whole submissions after all of it. */
	{
		char *code = cl_mini_full(&c);
		CHECK(code != NULL);
		free(code);
	}
	CHECK_INT(cl_count_rows(s.db, NULL), before + 1);
	fprintf(stderr, "hostile_input: %d cases\n", ncases);

	cl_client_free(&c);
	cl_server_cleanup(&s);
	return test_done();
}
