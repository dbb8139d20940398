/*
 * The collector's public interface: start an HTTP survey service on some
 * forms and a database, and stop it cleanly. main.c only turns flags into a
 * struct collector_config; tests run the service in-process on port 0.
 */
#ifndef CANDOR_COLLECTOR_H
#define CANDOR_COLLECTOR_H

#include <stddef.h>
#include <stdio.h>

#define COLLECTOR_MAX_FORMS 32

struct collector_config {
	const char *forms[COLLECTOR_MAX_FORMS]; /* form file paths */
	size_t nforms;
	const char *db_path;
	const char *bind_addr;  /* numeric IPv4 or IPv6; default 127.0.0.1 */
	unsigned port;          /* 0: any free port; default 8080 */
	unsigned min_fill_seconds; /* default 20 */
	const char *tls_cert;   /* PEM file paths; both or neither */
	const char *tls_key;
	unsigned draft_days;    /* drafts expire after; default 14 */
	/* Rate limit per client address: burst and refill per minute. */
	unsigned rate_burst;    /* default 60 */
	unsigned rate_per_minute; /* default 60; 0 turns the limit off */
	/* libmicrohttpd limits. */
	unsigned conn_limit;     /* default 256 */
	unsigned per_ip_limit;   /* default 16 */
	unsigned conn_timeout;   /* seconds idle; default 30 */
	size_t conn_memory;      /* bytes per connection; default 64 KiB */
	/* Request caps. */
	size_t max_body;   /* bytes; default 128 KiB */
	size_t max_fields; /* default 400 */
	FILE *log;         /* event log; default stderr */
	/* The researcher API (docs/api.md). */
	unsigned api_k;    /* changes between releases, >= 5; default 10 */
	int no_api;        /* 1: no /api/ routes, no API threads */
	/*
	 * The admin listener: GET/HEAD /metrics and /healthz only, on a
	 * loopback address (127.0.0.0/8 or ::1; anything else fails the
	 * start). Off unless admin is 1; there is no public /metrics.
	 */
	int admin;
	const char *admin_addr; /* default 127.0.0.1 */
	unsigned admin_port;    /* 0: any free port (collector_admin_port) */
	/*
	 * For tests: the clock of the metrics' periods and windows, in
	 * seconds since the epoch, so a test can step across a period
	 * boundary. NULL (the default): time(). Nothing else reads it.
	 */
	long long (*metrics_clock)(void *arg);
	void *metrics_clock_arg;
	/*
	 * Run by collector_start() as its last step, once everything is open
	 * and every thread is started, before the first connection is served
	 * (one accepted meanwhile waits): where main.c drops privileges and
	 * installs the seccomp filter (sandbox.h). Nonzero fails the start,
	 * with a message in err. NULL: nothing to run.
	 */
	int (*before_serve)(void *arg, char *err, size_t errsz);
	void *before_serve_arg;
	/*
	 * The site's public address, "https://survey.example.org": the pages
	 * that show a code give it with the path to go back to, and the
	 * code's text file holds it. NULL: the address the browser used
	 * (its Host header), or "this site's address" when that is not a
	 * plain host (docs/collector.md). Checked by
	 * collector_public_url_check().
	 */
	const char *public_url;
};

#define COLLECTOR_PUBLIC_URL_MAX 200
#define COLLECTOR_PUBLIC_URL_MAX_S "200"

struct collector;

/* Fill c with the defaults above (no forms, no database). */
void collector_config_defaults(struct collector_config *c);

/*
 * Load the forms, open (create, migrate) the database, start the writer
 * thread and the HTTP daemon. Returns 0 and sets *out, or -1 with a
 * message in err (naming the file or setting at fault).
 */
int collector_start(const struct collector_config *cfg, struct collector **out,
    char *err, size_t errsz);
/* The port actually bound (useful with port 0). */
unsigned collector_port(const struct collector *c);
/* The admin listener's bound port; 0 when it is off. */
unsigned collector_admin_port(const struct collector *c);
/*
 * Is addr allowed for the admin listener (a numeric loopback address)?
 * Returns 0, or -1 with a message naming --admin-addr and the rule in err.
 */
int collector_admin_addr_check(const char *addr, char *err, size_t errsz);
/* Is addr a numeric loopback address (127.0.0.0/8 or ::1)? 1 or 0. */
int collector_addr_is_loopback(const char *addr);
/*
 * Is url a valid --public-url (site.c): https://HOST[:PORT], or http:// to
 * a loopback host, with no user, path, query or fragment (one trailing /
 * allowed)? Returns 0 with its canonical spelling (no trailing /) in out
 * (outsz > COLLECTOR_PUBLIC_URL_MAX; out may be NULL), or -1 with a
 * message naming --public-url and the rule in err.
 */
int collector_public_url_check(const char *url, char *out, size_t outsz,
    char *err, size_t errsz);
/*
 * Stop accepting connections, finish every queued storage job (answering
 * the connections waiting for them), stop the daemon, close the database
 * and free c. Safe with NULL.
 */
void collector_stop(struct collector *c);

#endif
