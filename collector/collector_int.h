/*
 * Internals shared by http.c (the daemon, the request life cycle, the
 * routing table and the response headers) and survey.c (what each route
 * does). Not installed, not for tests: tests use collector.h over HTTP.
 */
#ifndef CANDOR_COLLECTOR_INT_H
#define CANDOR_COLLECTOR_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <microhttpd.h>

#include "abuse.h"
#include "api.h"
#include "code.h"
#include "collector.h"
#include "form.h"
#include "html.h"
#include "journey.h"
#include "metrics.h"
#include "pages.h"
#include "post.h"
#include "receipt.h"
#include "seal.h"
#include "store_writer.h"

#define HTTP_PAGE_MAX (1024 * 1024) /* cap on one response body */

struct collector {
	struct collector_config cfg;
	struct form *forms[COLLECTOR_MAX_FORMS];
	size_t nforms;
	pthread_mutex_t wmu;   /* guards w against collector_stop() */
	struct store_writer *w; /* NULL once stopping */
	struct seal seal;
	unsigned char key[STORE_KEY_LEN];
	struct abuse *abuse;
	struct receipts *receipts; /* receipts waiting to be shown once */
	struct journeys *journeys; /* states behind redirects (journey.h) */
	struct metrics met;
	int met_on;               /* met was initialised */
	struct MHD_Daemon *d;
	unsigned port;
	struct MHD_Daemon *admin; /* the loopback metrics listener, or NULL */
	unsigned admin_port;
	int tls;
	char *tls_cert, *tls_key; /* PEM contents, alive as long as d */
	atomic_int inflight;      /* connections suspended on a storage job */
	char swept[11];           /* day drafts were last swept (daemon thread) */
	struct api *api;          /* the researcher API; NULL with no_api */
	atomic_int gate;          /* 0 until before_serve ran, 1 open, -1 failed */
	char public_url[COLLECTOR_PUBLIC_URL_MAX + 1]; /* canonical; "" none */
	FILE *log;
};

enum route {
	ROUTE_INDEX,    /* GET /: the open surveys */
	ROUTE_SURVEY,   /* GET /s/<id>: consent; POST: every survey step */
	ROUTE_THANKS,   /* GET /s/<id>/thanks?t=: the receipt, once */
	ROUTE_VIEW,     /* GET /s/<id>/p?v=: a survey step (journey.h) */
	ROUTE_ABOUT,    /* GET /s/<id>/about: credits and references */
	ROUTE_RESUME,   /* GET /resume: form; POST: restore a draft */
	ROUTE_WITHDRAW, /* GET /withdraw: form; POST: delete a response */
	ROUTE_CODE_FILE, /* POST /code-file: a code as a text file */
	ROUTE_HEALTHZ,  /* GET /healthz */
	ROUTE_METRICS,  /* no public path: metrics are on the admin listener */
	ROUTE_CSS,      /* GET /static/app.css */
	ROUTE_JS,       /* GET /static/app.js */
	ROUTE_API,      /* /api/...: the researcher API (api.c) */
	ROUTE_NONE,     /* no such page: 404 */
	ROUTE__MAX
};

enum req_method { M_GET, M_HEAD, M_POST, M_OTHER, M__MAX };

enum hres { H_DONE, H_SUSPEND };

struct resp {
	unsigned status;
	struct html body;
	const char *ctype;  /* Content-Type, default text/html */
	char *location;     /* Location header (owned) or NULL */
	int cacheable;      /* static assets only */
	int retry_after;    /* seconds, 0 for none */
	/* A body made elsewhere (malloc'd, owned; used instead of body). */
	char *raw;
	size_t raw_len;
	/* One more header (WWW-Authenticate, Allow) or NULL; literals. */
	const char *hdr_name, *hdr_value;
};

struct req {
	struct collector *c;
	struct MHD_Connection *conn;
	enum route route;
	enum req_method method;
	struct form *form;      /* ROUTE_SURVEY, ROUTE_THANKS */
	int early;              /* 1: already decided, answer resp as is */
	int post_on;            /* post_begin() succeeded */
	int bad_ctype;          /* POST that is not urlencoded */
	struct post post;
	size_t drained;         /* body bytes of requests without a parser */
	/* A storage job in flight (the connection is suspended). */
	struct store_job job;
	int job_pending;
	atomic_int job_done;
	int inflight;           /* counted in c->inflight */
	enum hres (*cont)(struct req *r);
	/* Carried across the job. */
	struct seal_state st;
	int has_st;
	char code[CODE_BUF];   /* canonical; a legacy code is longer */
	char *blob;             /* a sealed state (draft put / resume) */
	char *dblob;            /* a draft sealed under its code (draft put) */
	char *answers_json, *scores_json;
	char period[11], expires[11];
	const char *keep_forms[COLLECTOR_MAX_FORMS]; /* withdraw: final forms */
	enum ui_lang ul;
	struct journey_id jid;  /* the journey of a survey step */
	int has_jid;
	struct api_call *api;   /* ROUTE_API: the parsed call (api.c) */
	struct resp resp;
};

/* api.c: answer a ROUTE_API request (its body, if any, is drained). */
enum hres api_dispatch(struct req *r);

/* survey.c: one handler per route and method. */
enum hres survey_dispatch(struct req *r);
/* Decide the interface language of a request without a form. */
enum ui_lang survey_ui_lang(struct req *r);

/* http.c: helpers the handlers use. */
/* Suspend r's connection and queue r->job; r->cont runs on resume. */
enum hres http_job(struct req *r, enum hres (*cont)(struct req *r));
/* Enqueue a job nobody waits for (freed with free() when done). */
void http_job_detached(struct collector *c, struct store_job *job);
/* A short page for a refusal; counts the reason when reason < REJ__MAX. */
enum hres http_refuse(struct req *r, unsigned status, enum ui_notice n,
    enum metrics_reason reason);
const char *http_query(struct req *r, const char *key);
const char *http_header(struct req *r, const char *name);
/* One line on the event log; never pass client data. */
void http_log(struct collector *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
