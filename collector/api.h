/*
 * The researcher API (docs/api.md): /api/v1/forms, /api/v1/forms/<id>/
 * summary and /api/v1/forms/<id>/export, for bearer tokens made with
 * "analysis token create". Every call is audited through the writer thread
 * and answered only after its audit row is committed.
 *
 * Releases, not queries: a summary or export is built from a consistent
 * snapshot and stored; later calls get the stored bytes until the form's
 * change counter (inserts and withdrawals) has moved by at least k, so
 * two releases always differ by at least k changes. Builds run on API
 * worker threads with their own read-only connections, never on the
 * libmicrohttpd thread; one build per form and kind at a time.
 */
#ifndef CANDOR_COLLECTOR_API_H
#define CANDOR_COLLECTOR_API_H

#include <stddef.h>

struct collector;
struct req;
struct api;
struct api_call;

#define API_PREFIX "/api/"
#define API_K_DEFAULT 10
#define API_WORKERS 2

/*
 * Load the default plans, open one read-only connection per worker and
 * start the workers (c->api). Returns 0, or -1 with a message in err.
 * Does nothing when the API is off (cfg.no_api).
 */
int api_start(struct collector *c, char *err, size_t errsz);
/*
 * Finish every queued call (their audits need the writer: call this before
 * stopping it), stop the workers and close their connections. Calls that
 * arrive later are answered 503 at once. Safe to call twice.
 */
void api_stop(struct collector *c);
/* Free c->api (after the daemon has stopped). */
void api_free(struct collector *c);

/* Parse an /api/ request (req_new, on the daemon thread); NULL: memory. */
struct api_call *api_call_new(struct collector *c, const char *url);
void api_call_free(struct api_call *a);
/* api_dispatch() is in collector_int.h: it returns an enum hres. */

#endif
