/*
 * The HTTP side: the libmicrohttpd daemon and its limits, the routing
 * table, the request life cycle, the security headers, and the bridge to the
 * writer thread. One request is one struct req, made on the first handler
 * call (which never answers: with libmicrohttpd 0.9.75 an answer on the
 * first call costs keep-alive), fed body chunks on the following calls, and
 * answered when the body is complete. A request that needs the database
 * suspends its connection, queues a store job and is resumed by the job's
 * done() callback on the writer thread after the commit; only then is it
 * answered. Shutdown is ordered so no suspended connection is left behind:
 * quiesce, drain the writer, wait for the answers, stop the daemon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "collector_int.h"

/* The policy forbids inline script and style, frames and foreign origins. */
#define HTTP_CSP "default-src 'none'; style-src 'self'; script-src 'self'; " \
	"img-src 'self'; form-action 'self'; frame-ancestors 'none'; "         \
	"base-uri 'none'"

#define HTTP_TLS_FILE_MAX (1024 * 1024)
#define HTTP_DRAIN_FACTOR 4 /* bodies up to this x max_body are drained */

/* Which methods a route takes (bit per enum req_method). */
#define MB(m) (1u << (m))
#define M_READ (MB(M_GET) | MB(M_HEAD))

static const struct http_route {
	const char *path;   /* exact path; NULL for the /s/ patterns */
	unsigned methods;
	int limited;        /* counts against the per-address bucket */
} http_routes[ROUTE__MAX] = {
	{"/", M_READ, 1},                               /* ROUTE_INDEX */
	{NULL, M_READ | MB(M_POST), 1},                 /* ROUTE_SURVEY */
	{NULL, M_READ, 1},                              /* ROUTE_THANKS */
	{NULL, M_READ, 1},                              /* ROUTE_VIEW */
	{NULL, M_READ, 1},                              /* ROUTE_ABOUT */
	{"/resume", M_READ | MB(M_POST), 1},            /* ROUTE_RESUME */
	{"/withdraw", M_READ | MB(M_POST), 1},          /* ROUTE_WITHDRAW */
	/* POST only: the code is in the body, never in a URL. */
	{"/code-file", MB(M_POST), 1},                  /* ROUTE_CODE_FILE */
	{"/healthz", M_READ, 0},                        /* ROUTE_HEALTHZ */
	/* No public path: metrics are on the admin listener only. */
	{NULL, M_READ, 0},                              /* ROUTE_METRICS */
	{"/static/app.css", M_READ, 0},                 /* ROUTE_CSS */
	{"/static/app.js", M_READ, 0},                  /* ROUTE_JS */
	/*
	 * The API answers every method itself: 405 is audited too. Its
	 * calls count against the address's bucket like /withdraw, so a
	 * token guesser is slowed as much as a receipt guesser.
	 */
	{NULL, M_READ | MB(M_POST) | MB(M_OTHER), 1},   /* ROUTE_API */
	{NULL, M_READ | MB(M_POST), 1},                 /* ROUTE_NONE */
};

void
http_log(struct collector *c, const char *fmt, ...)
{
	va_list ap;
	char line[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* One write per line so lines from threads never interleave. */
	fprintf(c->log, "collector: %s\n", line);
	fflush(c->log);
}

/*
 * libmicrohttpd's own messages may carry client addresses in their
 * arguments, so only the format string is written, never the arguments.
 */
static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct collector *c = cls;
	char line[256];
	size_t i, o = 0;

	(void)ap;
	for (i = 0; fmt[i] != '\0' && o + 1 < sizeof(line); i++)
		if (fmt[i] != '\n')
			line[o++] = fmt[i];
	line[o] = '\0';
	fprintf(c->log, "collector: libmicrohttpd: %s\n", line);
	fflush(c->log);
}

const char *
http_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
http_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Map a path to a route; sets *form for the /s/<id> routes. */
static enum route
http_route(struct collector *c, const char *url, struct form **form)
{
	size_t i, n;
	const char *id, *rest;

	*form = NULL;
	for (i = 0; i < ROUTE__MAX; i++)
		if (http_routes[i].path != NULL &&
		    strcmp(http_routes[i].path, url) == 0)
			return (enum route)i;
	if (strncmp(url, API_PREFIX, sizeof(API_PREFIX) - 1) == 0)
		return ROUTE_API;
	if (strncmp(url, "/s/", 3) != 0)
		return ROUTE_NONE;
	id = url + 3;
	rest = strchr(id, '/');
	n = rest ? (size_t)(rest - id) : strlen(id);
	for (i = 0; i < c->nforms; i++) {
		if (strlen(c->forms[i]->id) != n ||
		    memcmp(c->forms[i]->id, id, n) != 0)
			continue;
		*form = c->forms[i];
		if (rest == NULL)
			return ROUTE_SURVEY;
		if (strcmp(rest, "/thanks") == 0)
			return ROUTE_THANKS;
		if (strcmp(rest, "/p") == 0)
			return ROUTE_VIEW;
		if (strcmp(rest, "/about") == 0)
			return ROUTE_ABOUT;
		break;
	}
	*form = NULL;
	return ROUTE_NONE;
}

static enum req_method
http_method(const char *m)
{
	if (strcmp(m, MHD_HTTP_METHOD_GET) == 0)
		return M_GET;
	if (strcmp(m, MHD_HTTP_METHOD_HEAD) == 0)
		return M_HEAD;
	if (strcmp(m, MHD_HTTP_METHOD_POST) == 0)
		return M_POST;
	return M_OTHER;
}

enum hres
http_refuse(struct req *r, unsigned status, enum ui_notice n,
    enum metrics_reason reason)
{
	enum ui_lang ul = r->has_st ? pages_ui_lang(r->st.form->langs[r->st.lang])
	    : survey_ui_lang(r);

	if (reason < REJ__MAX)
		metrics_reject(&r->c->met, reason);
	/* Drop a half-built page: the refusal replaces it. */
	html_free(&r->resp.body);
	r->resp.status = status;
	r->resp.ctype = NULL;
	if (status == MHD_HTTP_TOO_MANY_REQUESTS)
		r->resp.retry_after = 60;
	pages_message(&r->resp.body, ul, n);
	return H_DONE;
}

/* ---- storage jobs ---- */

/* Writer thread: the commit (or the failure) is in; wake the request. */
static void
http_job_done(struct store_job *job, void *arg)
{
	struct req *r = arg;

	(void)job;
	atomic_store(&r->job_done, 1);
	MHD_resume_connection(r->conn);
}

enum hres
http_job(struct req *r, enum hres (*cont)(struct req *r))
{
	struct collector *c = r->c;
	int rc = STORE_ERR;

	r->cont = cont;
	r->job.done = http_job_done;
	r->job.arg = r;
	atomic_store(&r->job_done, 0);
	r->job_pending = 1;
	r->inflight = 1;
	atomic_fetch_add(&c->inflight, 1);
	/* A period that ended is closed before this job can be counted. */
	metrics_tick(&c->met);
	/*
	 * Suspend before queueing: done() may run at once on the writer
	 * thread, and resuming a connection that is not suspended is
	 * undefined. Resuming one that is suspended is safe at any time.
	 */
	MHD_suspend_connection(r->conn);
	if (pthread_mutex_lock(&c->wmu) == 0) {
		if (c->w != NULL)
			rc = store_writer_enqueue(c->w, &r->job);
		pthread_mutex_unlock(&c->wmu);
	}
	if (rc != STORE_OK) {
		/* Stopping, or the queue refused: answer with the error. */
		r->job.rc = rc;
		http_job_done(&r->job, r);
	}
	return H_SUSPEND;
}

static void
http_detached_done(struct store_job *job, void *arg)
{
	(void)arg;
	free(job->out_state);
	free(job);
}

void
http_job_detached(struct collector *c, struct store_job *job)
{
	int rc = STORE_ERR;

	job->done = http_detached_done;
	job->arg = NULL;
	metrics_tick(&c->met);
	if (pthread_mutex_lock(&c->wmu) == 0) {
		if (c->w != NULL)
			rc = store_writer_enqueue(c->w, job);
		pthread_mutex_unlock(&c->wmu);
	}
	if (rc != STORE_OK)
		free(job);
}

/*
 * Expired drafts are deleted at start and then once a day, on the first
 * request of the day (the daemon thread's own state, so no lock): a
 * collector that runs for weeks keeps no draft past its expiry date.
 */
static void
http_sweep_drafts(struct collector *c)
{
	struct sweep {
		struct store_job job; /* first: freed through &job */
		char today[11];
	} *sw;
	char today[11];

	store_period_now(today, 0);
	if (strcmp(today, c->swept) == 0)
		return;
	memcpy(c->swept, today, sizeof(today));
	if ((sw = calloc(1, sizeof(*sw))) == NULL)
		return; /* tried again tomorrow; reads ignore expired drafts */
	memcpy(sw->today, today, sizeof(today));
	sw->job.kind = STORE_JOB_DRAFT_SWEEP;
	sw->job.date = sw->today;
	http_job_detached(c, &sw->job);
}

/* ---- requests ---- */

static void
req_free(struct req *r)
{
	post_free(&r->post);
	if (r->has_st)
		seal_state_free(&r->st);
	free(r->blob);
	free(r->dblob);
	free(r->answers_json);
	free(r->scores_json);
	free(r->job.out_state);
	free(r->resp.location);
	free(r->resp.raw);
	api_call_free(r->api);
	html_free(&r->resp.body);
	sodium_memzero(r->code, sizeof(r->code));
	free(r);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct collector *c = cls;
	struct req *r = *con_cls;

	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	if (r->inflight)
		atomic_fetch_sub(&c->inflight, 1);
	req_free(r);
	*con_cls = NULL;
}

static int
http_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Percent-decoding of the path and query string (libmicrohttpd's unescape
 * callback). Strict: a '%' not followed by two hex digits, and an escaped
 * NUL, become the byte 0xFF, which is never UTF-8, so http_input_ok()
 * refuses the request instead of routing "/s/id%00" as "/s/id" or reading
 * "%G1" literally.
 */
static size_t
http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *w = s;
	const char *p = s;

	(void)cls;
	(void)conn;
	while (*p != '\0') {
		int hi, lo;
		if (*p != '%') {
			*w++ = *p++;
			continue;
		}
		hi = http_hex(p[1]);
		lo = hi >= 0 ? http_hex(p[2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			*w++ = (char)0xff;
			p++;
			continue;
		}
		*w++ = (char)(hi * 16 + lo);
		p += 3;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static enum MHD_Result
http_arg_ok(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	int *ok = cls;

	(void)kind;
	if (!post_text_ok(key, key_size) ||
	    (value != NULL && !post_text_ok(value, value_size)))
		*ok = 0;
	return *ok ? MHD_YES : MHD_NO;
}

/* Header values: no NUL and no control character but tab (RFC 9110). */
static enum MHD_Result
http_header_ok(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	int *ok = cls;
	size_t i;

	(void)kind;
	(void)key;
	(void)key_size;
	for (i = 0; value != NULL && i < value_size; i++) {
		unsigned char ch = (unsigned char)value[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			*ok = 0;
	}
	return *ok ? MHD_YES : MHD_NO;
}

/* Is the path, every query argument and every header value well formed? */
static int
http_input_ok(struct MHD_Connection *conn, const char *url)
{
	int ok = post_text_ok(url, strlen(url));

	if (ok)
		(void)MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND,
		    http_arg_ok, &ok);
	if (ok)
		(void)MHD_get_connection_values_n(conn, MHD_HEADER_KIND,
		    http_header_ok, &ok);
	return ok;
}

/* A declared Content-Length over cap (a malformed one counts as over). */
static int
http_declared_over(struct MHD_Connection *conn, size_t cap)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long v;
	char *end;

	if (cl == NULL)
		return 0;
	errno = 0;
	v = strtoull(cl, &end, 10);
	return cl[0] < '0' || cl[0] > '9' || errno != 0 || *end != '\0' ||
	    v > (unsigned long long)cap;
}

static struct req *
req_new(struct collector *c, struct MHD_Connection *conn, const char *url,
    const char *method)
{
	struct req *r = calloc(1, sizeof(*r));
	const union MHD_ConnectionInfo *ci;
	struct post_limits lim;

	if (r == NULL)
		return NULL;
	r->c = c;
	r->conn = conn;
	atomic_init(&r->job_done, 0);
	html_init(&r->resp.body, HTTP_PAGE_MAX);
	r->route = http_route(c, url, &r->form);
	r->method = http_method(method);
	if (http_routes[r->route].limited) {
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (!abuse_allow(c->abuse, ci != NULL ? ci->client_addr
		    : NULL)) {
			r->early = 1;
			(void)http_refuse(r, MHD_HTTP_TOO_MANY_REQUESTS,
			    NOTE_RATE_LIMITED, REJ_RATE_LIMITED);
			return r;
		}
	}
	if (!http_input_ok(conn, url)) {
		r->early = 1;
		(void)http_refuse(r, MHD_HTTP_BAD_REQUEST, NOTE_BAD_REQUEST,
		    REJ_BAD_REQUEST);
		return r;
	}
	if (r->route == ROUTE_NONE) {
		r->early = 1;
		(void)http_refuse(r, MHD_HTTP_NOT_FOUND, NOTE_NOT_FOUND,
		    REJ__MAX);
		return r;
	}
	if ((http_routes[r->route].methods & MB(r->method)) == 0) {
		r->early = 1;
		(void)http_refuse(r, MHD_HTTP_METHOD_NOT_ALLOWED,
		    NOTE_BAD_METHOD, REJ_BAD_REQUEST);
		return r;
	}
	if (http_declared_over(conn, c->cfg.max_body * HTTP_DRAIN_FACTOR)) {
		/* Answered at once (http_access): not worth reading. */
		r->early = 1;
		(void)http_refuse(r, MHD_HTTP_CONTENT_TOO_LARGE, NOTE_TOO_BIG,
		    REJ_BODY_TOO_BIG);
		return r;
	}
	if (r->route == ROUTE_API &&
	    (r->api = api_call_new(c, url)) == NULL) {
		r->early = 1;
		(void)http_refuse(r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    NOTE_UNAVAILABLE, REJ__MAX);
		return r;
	}
	if (r->method == M_POST && r->route != ROUTE_API) {
		lim.max_body = c->cfg.max_body;
		lim.max_fields = c->cfg.max_fields;
		lim.max_value = 8192;
		lim.max_state = SEAL_MAX_B64;
		if (post_begin(&r->post, conn, &lim) != 0) {
			r->early = 1;
			(void)http_refuse(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
			    NOTE_UNSUPPORTED, REJ_BAD_REQUEST);
			return r;
		}
		r->post_on = 1;
	}
	return r;
}

static int
http_add(struct MHD_Response *resp, const char *k, const char *v)
{
	return MHD_add_response_header(resp, k, v) == MHD_YES ? 0 : -1;
}

/*
 * The headers every response carries, on both listeners: ctype NULL is
 * HTML; hsts only where TLS is on. Returns 0, or -1 when one could not be
 * added.
 */
static int
http_headers(struct MHD_Response *resp, const char *ctype, int cacheable,
    int hsts)
{
	int bad = 0;

	bad |= http_add(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype != NULL
	    ? ctype : "text/html; charset=utf-8");
	bad |= http_add(resp, "Content-Security-Policy", HTTP_CSP);
	bad |= http_add(resp, "X-Content-Type-Options", "nosniff");
	bad |= http_add(resp, "Referrer-Policy", "no-referrer");
	bad |= http_add(resp, "X-Frame-Options", "DENY");
	bad |= http_add(resp, "Cross-Origin-Opener-Policy", "same-origin");
	bad |= http_add(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cacheable
	    ? "public, max-age=3600" : "no-store");
	if (hsts)
		bad |= http_add(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	return bad;
}

/* Queue r->resp with the headers every response carries. */
static enum MHD_Result
http_respond(struct req *r)
{
	struct collector *c = r->c;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = 0;
	char *body;
	unsigned status = r->resp.status ? r->resp.status : MHD_HTTP_OK;
	int bad = 0;
	char ra[16];

	if (r->resp.raw != NULL) {
		/* Ownership passes to libmicrohttpd. */
		body = r->resp.raw;
		len = r->resp.raw_len;
		r->resp.raw = NULL;
		html_free(&r->resp.body);
	} else
		body = html_take(&r->resp.body, &len);
	if (body == NULL) {
		/* Over the page cap or out of memory: a fixed answer. */
		static const char msg[] = "Internal error. Nothing was stored.\n";
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		r->resp.ctype = "text/plain; charset=utf-8";
		resp = MHD_create_response_from_buffer(sizeof(msg) - 1,
		    (void *)msg, MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_buffer(len, body,
		    MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(body);
	}
	if (resp == NULL)
		return MHD_NO;
	bad |= http_headers(resp, r->resp.ctype, r->resp.cacheable, c->tls);
	if (r->resp.location != NULL)
		bad |= http_add(resp, MHD_HTTP_HEADER_LOCATION,
		    r->resp.location);
	if (r->resp.hdr_name != NULL)
		bad |= http_add(resp, r->resp.hdr_name, r->resp.hdr_value);
	if (r->resp.retry_after > 0) {
		snprintf(ra, sizeof(ra), "%d", r->resp.retry_after);
		bad |= http_add(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (bad) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct collector *c = cls;
	struct req *r = *con_cls;
	enum post_err pe;

	(void)version;
	if (r == NULL) {
		http_sweep_drafts(c);
		r = req_new(c, conn, url, method);
		if (r == NULL)
			return MHD_NO;
		*con_cls = r;
		/*
		 * A body declared too big is refused before it is read; the
		 * connection closes after the answer, so keep-alive is moot.
		 */
		if (r->early && r->resp.status == MHD_HTTP_CONTENT_TOO_LARGE)
			return http_respond(r);
		return MHD_YES; /* answer on a later call: keeps keep-alive */
	}
	if (r->job_pending) {
		if (!atomic_load(&r->job_done))
			return MHD_YES; /* defensive: not resumed by us */
		r->job_pending = 0;
		if (r->inflight) {
			r->inflight = 0;
			atomic_fetch_sub(&c->inflight, 1);
		}
		if (r->cont(r) == H_SUSPEND)
			return MHD_YES;
		return http_respond(r);
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		size_t hard = c->cfg.max_body * HTTP_DRAIN_FACTOR;

		*upload_data_size = 0;
		if (r->post_on && !r->early) {
			post_feed(&r->post, upload_data, n);
			if (r->post.body > hard)
				return MHD_NO; /* not worth draining: close */
			return MHD_YES;
		}
		/* Bodies nobody reads are drained, up to the same cap. */
		if (n > hard || r->drained > hard - n)
			return MHD_NO;
		r->drained += n;
		return MHD_YES;
	}
	if (r->early)
		return http_respond(r);
	if (r->post_on) {
		pe = post_end(&r->post);
		if (pe == POST_TOO_BIG) {
			(void)http_refuse(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    NOTE_TOO_BIG, REJ_BODY_TOO_BIG);
			return http_respond(r);
		}
		if (pe == POST_TOO_MANY) {
			(void)http_refuse(r, MHD_HTTP_BAD_REQUEST,
			    NOTE_TOO_MANY_FIELDS, REJ_TOO_MANY_FIELDS);
			return http_respond(r);
		}
		if (pe != POST_OK) {
			(void)http_refuse(r, pe == POST_NOMEM
			    ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_BAD_REQUEST,
			    pe == POST_NOMEM ? NOTE_UNAVAILABLE : NOTE_BAD_REQUEST,
			    REJ_BAD_REQUEST);
			return http_respond(r);
		}
	}
	if ((r->route == ROUTE_API ? api_dispatch(r) : survey_dispatch(r)) ==
	    H_SUSPEND)
		return MHD_YES;
	return http_respond(r);
}

/* ---- the admin listener ---- */

/*
 * Metrics live on a listener of their own that binds loopback only, so no
 * public route exposes them. It serves GET and HEAD of /metrics and
 * /healthz and nothing else, takes no body, and has the tightest limits:
 * a few connections, a short idle timeout, a small memory pool.
 */
#define HTTP_ADMIN_CONNS 8            /* connections, from any address */
#define HTTP_ADMIN_TIMEOUT 15         /* seconds idle */
#define HTTP_ADMIN_MEMORY (16 * 1024) /* bytes per connection */

enum admin_page {
	ADMIN_METRICS,     /* GET /metrics: metrics_expose() */
	ADMIN_HEALTHZ,     /* GET /healthz */
	ADMIN_NOT_FOUND,   /* any other path */
	ADMIN_BAD_METHOD,  /* a method but GET and HEAD */
	ADMIN_BAD_REQUEST, /* a request with a body */
	ADMIN__MAX
};

static const struct http_admin_page {
	const char *path;  /* exact path, or NULL */
	unsigned status;
	const char *text;  /* fixed plain-text body; NULL: the metrics */
} http_admin_pages[ADMIN__MAX] = {
	{"/metrics", MHD_HTTP_OK, NULL},                  /* ADMIN_METRICS */
	{"/healthz", MHD_HTTP_OK, "ok\n"},                /* ADMIN_HEALTHZ */
	{NULL, MHD_HTTP_NOT_FOUND, "Not found.\n"},       /* ADMIN_NOT_FOUND */
	{NULL, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or HEAD only.\n"},
	                                                  /* ADMIN_BAD_METHOD */
	{NULL, MHD_HTTP_BAD_REQUEST, "No body is taken here.\n"},
	                                                  /* ADMIN_BAD_REQUEST */
};

static enum MHD_Result http_accept_gate(void *cls,
    const struct sockaddr *addr, socklen_t addrlen);

/* The con_cls of an admin request past its first handler call. */
static int http_admin_seen;

static enum MHD_Result
http_admin_respond(struct collector *c, struct MHD_Connection *conn,
    enum admin_page pg)
{
	static const char fail[] = "Internal error.\n";
	struct MHD_Response *resp;
	struct html h;
	const char *text = http_admin_pages[pg].text;
	const char *ctype = "text/plain; charset=utf-8";
	unsigned status = http_admin_pages[pg].status;
	char *body = NULL;
	size_t len = 0;
	enum MHD_Result ret;
	int bad;

	if (text == NULL) {
		html_init(&h, HTTP_PAGE_MAX);
		metrics_expose(&c->met, &h);
		body = html_take(&h, &len);
		if (body == NULL) {
			status = MHD_HTTP_INTERNAL_SERVER_ERROR;
			text = fail;
		} else
			ctype = "text/plain; version=0.0.4; charset=utf-8";
	}
	if (body != NULL) {
		resp = MHD_create_response_from_buffer(len, body,
		    MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(body);
	} else
		resp = MHD_create_response_from_buffer(strlen(text),
		    (void *)text, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	/* Plain HTTP on loopback: no HSTS; every other header as usual. */
	bad = http_headers(resp, ctype, 0, 0);
	if (pg == ADMIN_BAD_METHOD)
		bad |= http_add(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (bad) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum admin_page
http_admin_route(const char *url)
{
	size_t i;

	for (i = 0; i < ADMIN__MAX; i++)
		if (http_admin_pages[i].path != NULL &&
		    strcmp(http_admin_pages[i].path, url) == 0)
			return (enum admin_page)i;
	return ADMIN_NOT_FOUND;
}

static enum MHD_Result
http_admin_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct collector *c = cls;
	enum admin_page pg = http_admin_route(url);
	enum req_method m = http_method(method);

	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = &http_admin_seen;
		/* Refusals at once: the connection closes, keep-alive is moot. */
		if (pg != ADMIN_NOT_FOUND && m != M_GET && m != M_HEAD)
			return http_admin_respond(c, conn, ADMIN_BAD_METHOD);
		if (http_declared_over(conn, 0))
			return http_admin_respond(c, conn, ADMIN_BAD_REQUEST);
		return MHD_YES; /* answer on a later call: keeps keep-alive */
	}
	if (*upload_data_size > 0)
		return MHD_NO; /* an undeclared (chunked) body: close */
	return http_admin_respond(c, conn, pg);
}

/* Fill ss with addr and port when addr is a numeric loopback address. */
static int
http_admin_sockaddr(const char *addr, unsigned port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (addr == NULL || port > 65535)
		return -1;
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return -1;
}

int
collector_addr_is_loopback(const char *addr)
{
	struct sockaddr_storage ss;

	return http_admin_sockaddr(addr, 0, &ss) == 0;
}

int
collector_admin_addr_check(const char *addr, char *err, size_t errsz)
{
	if (collector_addr_is_loopback(addr))
		return 0;
	snprintf(err, errsz, "--admin-addr %s: must be a numeric loopback "
	    "address, 127.0.0.0/8 or ::1 (the admin listener is never "
	    "public)", addr != NULL ? addr : "(none)");
	return -1;
}

/*
 * Start the admin daemon (before the sandbox: bind is not allowed after
 * it). Connections wait in http_accept_gate() like the survey listener's.
 */
static int
http_admin_start(struct collector *c, char *err, size_t errsz)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	unsigned int flags;

	/* Checked by collector_start(); here only the address is made. */
	if (http_admin_sockaddr(c->cfg.admin_addr, c->cfg.admin_port,
	    &ss) != 0) {
		if (collector_admin_addr_check(c->cfg.admin_addr, err,
		    errsz) == 0)
			snprintf(err, errsz, "--admin-port: must be 0..65535");
		return -1;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES
	    ? MHD_USE_EPOLL : MHD_USE_POLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	c->admin = MHD_start_daemon(flags, (uint16_t)c->cfg.admin_port,
	    http_accept_gate, c,
	    http_admin_access, c,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, c,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_ADMIN_CONNS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)HTTP_ADMIN_CONNS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_ADMIN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_ADMIN_MEMORY,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, c,
	    MHD_OPTION_END);
	if (c->admin == NULL) {
		snprintf(err, errsz, "--admin-addr %s --admin-port %u: cannot "
		    "listen (address in use, or not allowed)", c->cfg.admin_addr,
		    c->cfg.admin_port);
		return -1;
	}
	di = MHD_get_daemon_info(c->admin, MHD_DAEMON_INFO_BIND_PORT);
	if (di == NULL || di->port == 0) {
		snprintf(err, errsz, "--admin-port: cannot read the bound port");
		return -1;
	}
	c->admin_port = di->port;
	return 0;
}

/* The writer's statistics for the metrics (metrics_opts.sample). */
static int
http_writer_sample(void *arg, struct store_writer_stats *st)
{
	struct collector *c = arg;
	int have = 0;

	if (pthread_mutex_lock(&c->wmu) != 0)
		return 0;
	if (c->w != NULL) {
		store_writer_stats(c->w, st);
		have = 1;
	}
	pthread_mutex_unlock(&c->wmu);
	return have;
}

/*
 * Periods are UTC months when every served form stores months (a daily
 * count would tell those rows' day), else UTC days.
 */
static int
http_metrics_start(struct collector *c, char *err, size_t errsz)
{
	struct metrics_opts o;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.clock = c->cfg.metrics_clock;
	o.clock_arg = c->cfg.metrics_clock_arg;
	o.month = c->nforms > 0;
	for (i = 0; i < c->nforms; i++)
		if (!c->forms[i]->date_month)
			o.month = 0;
	o.sample = http_writer_sample;
	o.sample_arg = c;
	if (metrics_init(&c->met, &o) != 0) {
		snprintf(err, errsz, "cannot create a mutex");
		return -1;
	}
	c->met_on = 1;
	return 0;
}

/* ---- start and stop ---- */

void
collector_config_defaults(struct collector_config *c)
{
	memset(c, 0, sizeof(*c));
	c->bind_addr = "127.0.0.1";
	c->port = 8080;
	c->min_fill_seconds = 20;
	c->draft_days = 14;
	c->rate_burst = 60;
	c->rate_per_minute = 60;
	c->conn_limit = 256;
	c->per_ip_limit = 16;
	c->conn_timeout = 30;
	c->conn_memory = 64 * 1024;
	c->max_body = 128 * 1024;
	c->max_fields = 400;
	c->log = stderr;
	c->api_k = API_K_DEFAULT;
	c->admin_addr = "127.0.0.1";
}

/*
 * libmicrohttpd's accept policy: a connection accepted before the
 * before_serve hook has run (the sandbox) waits here, on the daemon's
 * thread, so no request is parsed outside the sandbox. Polled, not a
 * condition variable: it only ever waits during start-up.
 */
static enum MHD_Result
http_accept_gate(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct collector *c = cls;
	const struct timespec ms = {0, 1000000};
	int g;

	(void)addr;
	(void)addrlen;
	while ((g = atomic_load(&c->gate)) == 0)
		nanosleep(&ms, NULL);
	return g > 0 ? MHD_YES : MHD_NO;
}

/* Read a whole PEM file (capped) into a NUL-terminated buffer. */
static char *
http_read_pem(const char *path, const char *what, const char *marker,
    char *err, size_t errsz)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (fp == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(HTTP_TLS_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		snprintf(err, errsz, "%s: out of memory", path);
		return NULL;
	}
	n = fread(buf, 1, HTTP_TLS_FILE_MAX + 1, fp);
	if (ferror(fp) || n == 0 || n > HTTP_TLS_FILE_MAX) {
		snprintf(err, errsz, "%s: %s", path, n > HTTP_TLS_FILE_MAX
		    ? "larger than 1 MiB" : "cannot read or empty");
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	/* Check the contents here: libmicrohttpd only fails to start, and
	 * its message cannot say which file was wrong. */
	if (strstr(buf, "-----BEGIN ") == NULL || strstr(buf, marker) == NULL) {
		snprintf(err, errsz, "%s: not a PEM %s (no \"%s\" block)", path,
		    what, marker);
		sodium_memzero(buf, n);
		free(buf);
		return NULL;
	}
	return buf;
}

static void
collector_free(struct collector *c)
{
	size_t i;

	api_free(c);
	for (i = 0; i < c->nforms; i++)
		form_free(c->forms[i]);
	abuse_free(c->abuse);
	receipts_free(c->receipts);
	journeys_free(c->journeys);
	if (c->tls_key != NULL) {
		sodium_memzero(c->tls_key, strlen(c->tls_key));
		free(c->tls_key);
	}
	free(c->tls_cert);
	seal_wipe(&c->seal);
	sodium_memzero(c->key, sizeof(c->key));
	if (c->met_on)
		metrics_free(&c->met);
	pthread_mutex_destroy(&c->wmu);
	free(c);
}

static int
collector_load_forms(struct collector *c, char *err, size_t errsz)
{
	size_t i, j;
	struct diag d;

	for (i = 0; i < c->cfg.nforms; i++) {
		diag_init(&d);
		if (form_load(c->cfg.forms[i], &c->forms[i], &d) != 0) {
			if (d.n > 0)
				snprintf(err, errsz, "--form %s: %s: %s (and %zu "
				    "more; see --check-form)", c->cfg.forms[i],
				    d.a[0].where, d.a[0].what,
				    d.total > 0 ? d.total - 1 : 0);
			else
				snprintf(err, errsz, "--form %s: cannot load",
				    c->cfg.forms[i]);
			diag_free(&d);
			return -1;
		}
		diag_free(&d);
		c->nforms++;
		for (j = 0; j < i; j++)
			if (strcmp(c->forms[j]->id, c->forms[i]->id) == 0) {
				snprintf(err, errsz, "--form %s: form id \"%s\" "
				    "is already served by %s", c->cfg.forms[i],
				    c->forms[i]->id, c->cfg.forms[j]);
				return -1;
			}
	}
	return 0;
}

static int
collector_open_store(struct collector *c, char *err, size_t errsz)
{
	struct store *s = NULL;
	char msg[256], today[11];
	int rc;

	/* VACUUM's scratch copy goes beside the database (store.h). */
	if (store_temp_dir(c->cfg.db_path, msg, sizeof(msg)) != STORE_OK)
		rc = STORE_NOMEM;
	else
		rc = store_open(c->cfg.db_path, STORE_RDWR, &s, msg,
		    sizeof(msg));
	if (rc != STORE_OK) {
		snprintf(err, errsz, "--db %s: %s", c->cfg.db_path, msg);
		return -1;
	}
	if (store_key(s, c->key) != STORE_OK) {
		snprintf(err, errsz, "--db %s: cannot read the key: %s",
		    c->cfg.db_path, store_errmsg(s));
		store_close(s);
		return -1;
	}
	/*
	 * Expired drafts are removed at start, then daily by
	 * http_sweep_drafts(); reads ignore them anyway.
	 */
	store_period_now(today, 0);
	if (store_draft_sweep(s, today) != STORE_OK)
		http_log(c, "expired drafts not swept: %s", store_errmsg(s));
	else
		memcpy(c->swept, today, sizeof(c->swept));
	if (store_writer_start(s, 256, &c->w) != STORE_OK) {
		snprintf(err, errsz, "--db %s: cannot start the writer",
		    c->cfg.db_path);
		store_close(s);
		return -1;
	}
	return 0;
}

int
collector_start(const struct collector_config *cfg, struct collector **out,
    char *err, size_t errsz)
{
	struct collector *c;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	unsigned int flags;
	const union MHD_DaemonInfo *di;

	*out = NULL;
	if (cfg->nforms == 0 || cfg->nforms > COLLECTOR_MAX_FORMS) {
		snprintf(err, errsz, "--form: give 1 to %d form files",
		    COLLECTOR_MAX_FORMS);
		return -1;
	}
	if (cfg->db_path == NULL) {
		snprintf(err, errsz, "--db: required");
		return -1;
	}
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		snprintf(err, errsz, "--tls-cert and --tls-key go together");
		return -1;
	}
	if (cfg->port > 65535) {
		snprintf(err, errsz, "--port: must be 0..65535");
		return -1;
	}
	if (cfg->admin && cfg->admin_port > 65535) {
		snprintf(err, errsz, "--admin-port: must be 0..65535");
		return -1;
	}
	if (cfg->admin && collector_admin_addr_check(cfg->admin_addr, err,
	    errsz) != 0)
		return -1;
	if (cfg->public_url != NULL && collector_public_url_check(
	    cfg->public_url, NULL, 0, err, errsz) != 0)
		return -1;
	if (sodium_init() < 0) {
		snprintf(err, errsz, "libsodium cannot be initialised");
		return -1;
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, cfg->bind_addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->bind_addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)cfg->port);
	} else {
		snprintf(err, errsz, "--bind %s: not a numeric IPv4 or IPv6 "
		    "address", cfg->bind_addr);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	c->cfg = *cfg;
	c->log = cfg->log != NULL ? cfg->log : stderr;
	/* Checked above; only the canonical spelling is kept. */
	if (cfg->public_url != NULL && collector_public_url_check(
	    cfg->public_url, c->public_url, sizeof(c->public_url), err,
	    errsz) != 0) {
		free(c);
		return -1;
	}
	c->cfg.public_url = NULL; /* the caller's string is not kept */
	atomic_init(&c->inflight, 0);
	atomic_init(&c->gate, 0);
	if (pthread_mutex_init(&c->wmu, NULL) != 0) {
		free(c);
		snprintf(err, errsz, "cannot create a mutex");
		return -1;
	}
	if (collector_load_forms(c, err, errsz) != 0 ||
	    http_metrics_start(c, err, errsz) != 0)
		goto fail;
	c->abuse = abuse_new(cfg->rate_burst, cfg->rate_per_minute);
	c->receipts = receipts_new();
	c->journeys = journeys_new();
	if (c->abuse == NULL || c->receipts == NULL || c->journeys == NULL) {
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	if (cfg->tls_cert != NULL) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, errsz, "--tls-cert: this libmicrohttpd "
			    "has no TLS support");
			goto fail;
		}
		c->tls_cert = http_read_pem(cfg->tls_cert, "certificate",
		    "CERTIFICATE-----", err, errsz);
		if (c->tls_cert == NULL)
			goto fail;
		c->tls_key = http_read_pem(cfg->tls_key, "private key",
		    "PRIVATE KEY-----", err, errsz);
		if (c->tls_key == NULL)
			goto fail;
		c->tls = 1;
	}
	if (collector_open_store(c, err, errsz) != 0)
		goto fail;
	seal_init(&c->seal, c->key);
	if (api_start(c, err, errsz) != 0)
		goto fail;

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES
	    ? MHD_USE_EPOLL : MHD_USE_POLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (c->tls)
		flags |= MHD_USE_TLS;
	if (c->tls)
		c->d = MHD_start_daemon(flags, (uint16_t)cfg->port,
		    http_accept_gate, c,
		    http_access, c,
		    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, c,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->conn_limit,
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		    (unsigned int)cfg->per_ip_limit,
		    MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned int)cfg->conn_timeout,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->conn_memory,
		    MHD_OPTION_NOTIFY_COMPLETED, http_completed, c,
		    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, c,
		    MHD_OPTION_HTTPS_MEM_CERT, (const char *)c->tls_cert,
		    MHD_OPTION_HTTPS_MEM_KEY, (const char *)c->tls_key,
		    MHD_OPTION_END);
	else
		c->d = MHD_start_daemon(flags, (uint16_t)cfg->port,
		    http_accept_gate, c,
		    http_access, c,
		    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, c,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->conn_limit,
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		    (unsigned int)cfg->per_ip_limit,
		    MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned int)cfg->conn_timeout,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->conn_memory,
		    MHD_OPTION_NOTIFY_COMPLETED, http_completed, c,
		    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, c,
		    MHD_OPTION_END);
	if (c->d == NULL && c->tls) {
		snprintf(err, errsz, "--tls-cert %s --tls-key %s --bind %s "
		    "--port %u: cannot start (the key does not match the "
		    "certificate, or the address is in use or not allowed)",
		    cfg->tls_cert, cfg->tls_key, cfg->bind_addr, cfg->port);
		goto fail;
	}
	if (c->d == NULL) {
		snprintf(err, errsz, "--bind %s --port %u: cannot listen "
		    "(address in use, or not allowed)", cfg->bind_addr,
		    cfg->port);
		goto fail;
	}
	di = MHD_get_daemon_info(c->d, MHD_DAEMON_INFO_BIND_PORT);
	if (di == NULL || di->port == 0) {
		snprintf(err, errsz, "cannot read the bound port");
		goto fail;
	}
	c->port = di->port;
	if (cfg->admin && http_admin_start(c, err, errsz) != 0)
		goto fail;
	/* Keep this the last step: every thread must exist before it. */
	if (cfg->before_serve != NULL &&
	    cfg->before_serve(cfg->before_serve_arg, err, errsz) != 0)
		goto fail;
	atomic_store(&c->gate, 1);
	*out = c;
	return 0;
fail:
	atomic_store(&c->gate, -1);
	if (c->admin != NULL)
		MHD_stop_daemon(c->admin);
	if (c->d != NULL)
		MHD_stop_daemon(c->d);
	api_stop(c); /* its queued calls need the writer */
	if (c->w != NULL)
		store_writer_stop(c->w);
	collector_free(c);
	return -1;
}

unsigned
collector_port(const struct collector *c)
{
	return c->port;
}

unsigned
collector_admin_port(const struct collector *c)
{
	return c->admin != NULL ? c->admin_port : 0;
}

void
collector_stop(struct collector *c)
{
	struct store_writer *w;
	MHD_socket ls;
	int waited;
	struct timespec ts = {0, 10 * 1000 * 1000};

	if (c == NULL)
		return;
	/* 0. No more scrapes (nothing of the admin listener is suspended). */
	if (c->admin != NULL)
		MHD_stop_daemon(c->admin);
	c->admin = NULL;
	/* 1. No new connections. */
	ls = MHD_quiesce_daemon(c->d);
	/* 1b. Finish the API calls queued (they audit through the writer). */
	api_stop(c);
	/* 2. No new jobs; finish the queued ones (done() resumes them). */
	if (pthread_mutex_lock(&c->wmu) == 0) {
		w = c->w;
		c->w = NULL;
		pthread_mutex_unlock(&c->wmu);
	} else {
		w = c->w; /* defensive: a mutex we own cannot fail to lock */
		c->w = NULL;
	}
	if (w != NULL)
		store_writer_stop(w);
	/* 3. Let the resumed connections send their answers (10 s at most). */
	for (waited = 0; atomic_load(&c->inflight) > 0 && waited < 1000;
	    waited++)
		nanosleep(&ts, NULL);
	if (atomic_load(&c->inflight) > 0)
		http_log(c, "stopping with %d answers unsent (stored)",
		    atomic_load(&c->inflight));
	/* 4. Only now can the daemon stop without aborting. */
	MHD_stop_daemon(c->d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	collector_free(c);
}
