/*
 * Shared helpers for the collector tests: an HTTP client on libcurl (one
 * keep-alive handle per client, redirects never followed), urlencoded form
 * bodies, scraping a few values out of pages, and a collector started
 * in-process on port 0 with a database in a fresh temporary directory.
 * Everything is static inline because each test is linked only with
 * testlib.c (tests/CMakeLists.txt).
 */
#ifndef CANDOR_TEST_COLLECTOR_CLIENT_H
#define CANDOR_TEST_COLLECTOR_CLIENT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "collector.h"
#include "store.h"
#include "testlib.h"

/* ---- growable strings ---- */

struct cl_buf {
	char *p;
	size_t n;
};

static inline void
cl_buf_add(struct cl_buf *b, const char *s, size_t n)
{
	char *np = realloc(b->p, b->n + n + 1);

	if (np == NULL)
		abort();
	memcpy(np + b->n, s, n);
	b->n += n;
	np[b->n] = '\0';
	b->p = np;
}

static inline size_t
cl_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	cl_buf_add(arg, ptr, size * nmemb);
	return size * nmemb;
}

/* ---- responses ---- */

struct cl_resp {
	long status;     /* 0 when the transfer failed */
	char *body;      /* NUL-terminated, never NULL after a request */
	size_t len;
	char *headers;   /* raw header block */
	CURLcode rc;
};

static inline void
cl_resp_free(struct cl_resp *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}

/* Value of a response header (malloc'd, trimmed) or NULL. */
static inline char *
cl_header(const struct cl_resp *r, const char *name)
{
	const char *p = r->headers;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			return strndup(v, (size_t)(p + len - v));
		}
		p = eol ? eol + 2 : NULL;
	}
	return NULL;
}

/* ---- client ---- */

struct cl_client {
	CURL *h;
	char base[64];          /* "http://127.0.0.1:PORT" */
	const char *user_agent; /* NULL: curl's default */
	const char *referer;
	const char *accept_language;
	const char *source;     /* local address to send from; NULL: any */
};

static inline int
cl_client_init(struct cl_client *c, unsigned port)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->base, sizeof(c->base), "http://127.0.0.1:%u", port);
	c->h = curl_easy_init();
	return c->h != NULL ? 0 : -1;
}

static inline void
cl_client_free(struct cl_client *c)
{
	if (c->h != NULL)
		curl_easy_cleanup(c->h);
	c->h = NULL;
}

/*
 * One request. method "GET", "POST" (body urlencoded unless ctype says
 * otherwise) or another verb; path is appended to the base URL.
 */
static inline int
cl_request(struct cl_client *c, const char *method, const char *path,
    const char *body, size_t blen, const char *ctype, struct cl_resp *out)
{
	char url[16384], hdr[256];
	struct curl_slist *hl = NULL;
	struct cl_buf b = {NULL, 0}, h = {NULL, 0};

	memset(out, 0, sizeof(*out));
	snprintf(url, sizeof(url), "%s%s", c->base, path);
	curl_easy_reset(c->h);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, cl_write_cb);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, cl_write_cb);
	curl_easy_setopt(c->h, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	if (c->user_agent != NULL)
		curl_easy_setopt(c->h, CURLOPT_USERAGENT, c->user_agent);
	if (c->referer != NULL)
		curl_easy_setopt(c->h, CURLOPT_REFERER, c->referer);
	if (c->source != NULL)
		curl_easy_setopt(c->h, CURLOPT_INTERFACE, c->source);
	if (c->accept_language != NULL) {
		snprintf(hdr, sizeof(hdr), "Accept-Language: %s",
		    c->accept_language);
		hl = curl_slist_append(hl, hdr);
	}
	hl = curl_slist_append(hl, "Expect:"); /* no 100-continue round trip */
	if (strcmp(method, "POST") == 0) {
		snprintf(hdr, sizeof(hdr), "Content-Type: %s",
		    ctype ? ctype : "application/x-www-form-urlencoded");
		hl = curl_slist_append(hl, hdr);
		curl_easy_setopt(c->h, CURLOPT_POST, 1L);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body ? blen : 0));
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
		if (strcmp(method, "HEAD") == 0)
			curl_easy_setopt(c->h, CURLOPT_NOBODY, 1L);
	}
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hl);
	out->rc = curl_easy_perform(c->h);
	if (out->rc == CURLE_OK)
		curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hl);
	if (b.p == NULL)
		cl_buf_add(&b, "", 0);
	if (h.p == NULL)
		cl_buf_add(&h, "", 0);
	out->body = b.p;
	out->len = b.n;
	out->headers = h.p;
	return out->rc == CURLE_OK ? 0 : -1;
}

static inline int
cl_get(struct cl_client *c, const char *path, struct cl_resp *out)
{
	return cl_request(c, "GET", path, NULL, 0, NULL, out);
}

/* ---- urlencoded bodies ---- */

struct cl_form {
	struct cl_buf b;
};

static inline void
cl_form_add(struct cl_form *f, const char *key, const char *val)
{
	char *k = curl_easy_escape(NULL, key, 0);
	char *v = curl_easy_escape(NULL, val, 0);

	if (f->b.n > 0)
		cl_buf_add(&f->b, "&", 1);
	cl_buf_add(&f->b, k, strlen(k));
	cl_buf_add(&f->b, "=", 1);
	cl_buf_add(&f->b, v, strlen(v));
	curl_free(k);
	curl_free(v);
}

static inline void
cl_form_free(struct cl_form *f)
{
	free(f->b.p);
	memset(f, 0, sizeof(*f));
}

/*
 * Follow a 303 as a browser does (Post/Redirect/Get: every survey step is
 * answered by a redirect to the page that shows it), except to the
 * thank-you page, whose one-time receipt a test reads itself.
 */
static inline int
cl_follow(struct cl_client *c, struct cl_resp *out)
{
	char *loc;
	int rc;

	if (out->status != 303)
		return 0;
	loc = cl_header(out, "Location");
	if (loc == NULL || loc[0] != '/' || strstr(loc, "/thanks?") != NULL) {
		free(loc);
		return 0;
	}
	cl_resp_free(out);
	rc = cl_get(c, loc, out);
	free(loc);
	return rc;
}

static inline int
cl_post(struct cl_client *c, const char *path, struct cl_form *f,
    struct cl_resp *out)
{
	if (cl_request(c, "POST", path, f->b.p ? f->b.p : "", f->b.n, NULL,
	    out) != 0)
		return -1;
	return cl_follow(c, out);
}

/*
 * POST fields given as a NULL-terminated list "k1", "v1", "k2", "v2", ...
 */
static inline int
cl_postv(struct cl_client *c, const char *path, struct cl_resp *out,
    const char *const *kv)
{
	struct cl_form f = {{NULL, 0}};
	int rc;

	for (; kv[0] != NULL; kv += 2)
		cl_form_add(&f, kv[0], kv[1]);
	rc = cl_post(c, path, &f, out);
	cl_form_free(&f);
	return rc;
}

/* ---- scraping ---- */

/* The text between after and the next stop character (malloc'd), or NULL. */
static inline char *
cl_between(const char *body, const char *after, char stop)
{
	const char *p = body ? strstr(body, after) : NULL, *e;

	if (p == NULL)
		return NULL;
	p += strlen(after);
	e = strchr(p, stop);
	if (e == NULL)
		return NULL;
	return strndup(p, (size_t)(e - p));
}

static inline char *
cl_state(const char *body)
{
	return cl_between(body, "name=\"state\" value=\"", '"');
}

static inline char *
cl_h1(const char *body)
{
	return cl_between(body, "<h1>", '<');
}

static inline int
cl_contains(const char *body, const char *needle)
{
	return body != NULL && strstr(body, needle) != NULL;
}

/* ---- an in-process collector ---- */

struct cl_server {
	long long clock_skew; /* seconds the metrics clock runs ahead */
	char dir[256];
	char db[300];
	char log_path[300];
	FILE *log;
	struct collector_config cfg;
	struct collector *c;
	unsigned port;
};

/* The path of a fixture under the source tree (static storage per slot). */
static inline const char *
cl_fixture(const char *rel, int slot)
{
	static char bufs[4][512];

	return test_src_path(rel, bufs[slot & 3], sizeof(bufs[0]));
}

/* The metrics clock of a test server: real time plus its skew. */
static inline long long
cl_clock(void *arg)
{
	return (long long)time(NULL) + *(const long long *)arg;
}

/*
 * Start a collector on 127.0.0.1, port 0, serving the given forms, with no
 * minimum fill time and no rate limit, and the admin listener on a free
 * loopback port with a metrics clock the test can move (cl_metric_after),
 * unless changed in cfg_hook.
 */
static inline int
cl_server_start_cfg(struct cl_server *s, const char *const *forms,
    size_t nforms, void (*cfg_hook)(struct collector_config *))
{
	char err[512];
	size_t i;

	memset(s, 0, sizeof(*s));
	if (test_tmpdir(s->dir, sizeof(s->dir)) != 0)
		return -1;
	snprintf(s->db, sizeof(s->db), "%s/candor.db", s->dir);
	snprintf(s->log_path, sizeof(s->log_path), "%s/collector.log", s->dir);
	s->log = fopen(s->log_path, "w");
	if (s->log == NULL)
		return -1;
	collector_config_defaults(&s->cfg);
	for (i = 0; i < nforms; i++)
		s->cfg.forms[i] = forms[i];
	s->cfg.nforms = nforms;
	s->cfg.db_path = s->db;
	s->cfg.port = 0;
	s->cfg.min_fill_seconds = 0;
	s->cfg.rate_per_minute = 0;
	s->cfg.log = s->log;
	s->cfg.admin = 1;
	s->cfg.admin_port = 0;
	s->clock_skew = 0;
	s->cfg.metrics_clock = cl_clock;
	s->cfg.metrics_clock_arg = &s->clock_skew;
	if (cfg_hook != NULL)
		cfg_hook(&s->cfg);
	if (collector_start(&s->cfg, &s->c, err, sizeof(err)) != 0) {
		fprintf(stderr, "collector_start: %s\n", err);
		return -1;
	}
	s->port = collector_port(s->c);
	return 0;
}

static inline int
cl_server_start(struct cl_server *s, const char *form_rel)
{
	const char *forms[1];

	forms[0] = cl_fixture(form_rel, 0);
	return cl_server_start_cfg(s, forms, 1, NULL);
}

/* Give up the test at once when the server cannot start. */
#define CL_REQUIRE(cond)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: required: %s\n", __FILE__,    \
			    __LINE__, #cond);                                 \
			test_failures++;                                      \
			return test_done();                                   \
		}                                                             \
	} while (0)

/* Stop the collector (the database stays until cl_server_cleanup). */
static inline void
cl_server_stop(struct cl_server *s)
{
	collector_stop(s->c);
	s->c = NULL;
	if (s->log != NULL)
		fclose(s->log);
	s->log = NULL;
}

static inline void
cl_server_cleanup(struct cl_server *s)
{
	if (s->c != NULL)
		cl_server_stop(s);
	test_rmtree(s->dir);
}

/* Responses stored for form_id (NULL: all), read with a separate handle. */
static inline long
cl_count_rows(const char *db, const char *form_id)
{
	struct store *st = NULL;
	char err[256];
	long n = -1;

	if (store_open(db, STORE_RDONLY, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	if (store_count(st, form_id, &n) != STORE_OK)
		n = -1;
	store_close(st);
	return n;
}

/*
 * The value of one metric line ("name{labels}" exactly), or -1; c must be
 * a client of the admin listener (there is no public /metrics).
 */
static inline long
cl_metric(struct cl_client *c, const char *name)
{
	struct cl_resp r;
	char needle[256];
	const char *p;
	long v = -1;

	if (cl_get(c, "/metrics", &r) != 0) {
		cl_resp_free(&r);
		return -1;
	}
	snprintf(needle, sizeof(needle), "\n%s ", name);
	p = strstr(r.body, needle);
	if (p != NULL)
		v = strtol(p + strlen(needle), NULL, 10);
	cl_resp_free(&r);
	return v;
}

/*
 * A metric of test server s read from its admin listener. With days > 0
 * the metrics clock first moves that many days ahead, so counters
 * published per period show every count so far; 0 reads live ones.
 */
static inline long
cl_metric_after(struct cl_server *s, int days, const char *name)
{
	struct cl_client a;
	long v;

	s->clock_skew += (long long)days * 86400;
	if (cl_client_init(&a, collector_admin_port(s->c)) != 0)
		return -1;
	v = cl_metric(&a, name);
	cl_client_free(&a);
	return v;
}

/* ---- a collector as a child process ---- */

struct cl_child {
	pid_t pid;
	unsigned port;
};

/*
 * Give the directory of args' --db to args' --user (default nobody) when
 * the test runs as root: the collector refuses a database directory that
 * is not its user's (test_give_dir). 0, or -1.
 */
static inline int
cl_child_give_db_dir(const char *const *args)
{
	const char *db = NULL, *user = NULL;
	char dir[1024], *slash;

	for (size_t i = 0; args[i] != NULL && args[i + 1] != NULL; i++) {
		if (strcmp(args[i], "--db") == 0)
			db = args[i + 1];
		else if (strcmp(args[i], "--user") == 0)
			user = args[i + 1];
	}
	if (db == NULL)
		return 0;
	snprintf(dir, sizeof(dir), "%s", db);
	/* Only a test's own directory: never the working directory or /. */
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	return test_give_dir(dir, user);
}

/*
 * Run build/bin/collector with args (NULL-terminated, after argv[0]),
 * stderr into err_path, and read the port from the first stdout line.
 * As root, the directory of --db is first given to the collector's user.
 */
static inline int
cl_child_start(struct cl_child *ch, const char *const *args,
    const char *err_path)
{
	char bin[512], line[256];
	const char *argv[64];
	int po[2], fd;
	size_t n = 0, i;
	FILE *fp;
	const char *p;

	memset(ch, 0, sizeof(*ch));
	test_bin_path("collector", bin, sizeof(bin));
	argv[n++] = bin;
	for (i = 0; args[i] != NULL && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (cl_child_give_db_dir(args) != 0)
		return -1;
	if (pipe(po) != 0)
		return -1;
	ch->pid = fork();
	if (ch->pid < 0)
		return -1;
	if (ch->pid == 0) {
		fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 2) < 0 || dup2(po[1], 1) < 0)
			_exit(127);
		close(po[0]);
		close(po[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	fp = fdopen(po[0], "r");
	if (fp == NULL || fgets(line, sizeof(line), fp) == NULL) {
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	fclose(fp); /* later stdout output (none expected) gets EPIPE */
	p = strrchr(line, ':');
	if (strncmp(line, "listening on http://", 20) != 0 || p == NULL)
		return -1;
	ch->port = (unsigned)strtoul(p + 1, NULL, 10);
	return ch->port > 0 ? 0 : -1;
}

/* Send sig and wait; returns the exit status, or -1 (killed, error). */
static inline int
cl_child_stop(struct cl_child *ch, int sig)
{
	int status;

	if (ch->pid <= 0)
		return -1;
	if (sig != 0 && kill(ch->pid, sig) != 0)
		return -1;
	if (waitpid(ch->pid, &status, 0) != ch->pid)
		return -1;
	ch->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- the mini survey (tests/collector/mini.json) ---- */

/* Consent; returns the state of page 1 (malloc'd) or NULL. */
static inline char *
cl_mini_consent(struct cl_client *c, const char *lang)
{
	struct cl_resp r;
	char *st;
	const char *kv[] = {"lang", lang, "consent", "1", "adult", "1",
		"action", "start", "website", "", NULL};

	if (cl_postv(c, "/s/mini", &r, kv) != 0 || r.status != 200) {
		cl_resp_free(&r);
		return NULL;
	}
	st = cl_state(r.body);
	cl_resp_free(&r);
	return st;
}

/*
 * Answer pages 1 and 2 of the mini survey; returns the state of page 3
 * (the last page of questions) or NULL.
 */
static inline char *
cl_mini_to_last(struct cl_client *c, const char *lang)
{
	struct cl_resp r;
	char *st = cl_mini_consent(c, lang), *st2;

	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "0", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	st = cl_state(r.body);
	cl_resp_free(&r);
	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"1", "symptoms", "3", "age_band", "2", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	st2 = cl_state(r.body);
	if (!cl_contains(r.body, "name=\"fn_walk\"")) {
		free(st2);
		st2 = NULL;
	}
	cl_resp_free(&r);
	return st2;
}

/*
 * The final submit of the mini survey from its last page of questions
 * ("submit" there submits at once, past the check-your-answers step).
 */
static inline int
cl_mini_submit(struct cl_client *c, const char *state, struct cl_resp *r)
{
	const char *kv[] = {"state", state, "action", "submit", "fn_walk", "1",
		"fn_work", "2", "website", "", NULL};

	return cl_postv(c, "/s/mini", r, kv);
}

/*
 * A whole submission; returns the receipt code shown on the thank-you
 * page (malloc'd) or NULL.
 */
static inline char *
cl_mini_full(struct cl_client *c)
{
	struct cl_resp r;
	char *st = cl_mini_to_last(c, "en"), *loc, *code = NULL;

	if (st == NULL)
		return NULL;
	cl_mini_submit(c, st, &r);
	free(st);
	loc = r.status == 303 ? cl_header(&r, "Location") : NULL;
	cl_resp_free(&r);
	if (loc == NULL)
		return NULL;
	if (cl_get(c, loc, &r) == 0 && r.status == 200)
		code = cl_between(r.body, "id=\"receipt-code\">", '<');
	free(loc);
	cl_resp_free(&r);
	return code;
}

/*
 * Write tests/collector/mini.json with extra (form keys, each followed by
 * a comma) after its "version" line to dir/name; its path into out.
 */
static inline void
cl_mini_with(const char *dir, const char *name, const char *extra, char *out,
    size_t outsz)
{
	char src[1024], *txt, *at, *buf;
	size_t n, len;

	test_src_path("tests/collector/mini.json", src, sizeof(src));
	txt = test_read_file(src, &n);
	if (txt == NULL || (at = strstr(txt, "\"version\": 1,")) == NULL)
		abort();
	at += strlen("\"version\": 1,");
	len = n + strlen(extra) + 2;
	if ((buf = malloc(len)) == NULL)
		abort();
	snprintf(buf, len, "%.*s %s%s", (int)(at - txt), txt, extra, at);
	snprintf(out, outsz, "%s/%s", dir, name);
	if (test_write_file(out, buf, strlen(buf)) != 0)
		abort();
	free(buf);
	free(txt);
}

#endif
