/*
 * The ceiling for the collector benchmark: the least a durable web
 * collector must do, with nothing else. libmicrohttpd (epoll, internal
 * polling thread, suspend/resume) receives a POST body, the connection is
 * suspended and the body handed to one writer thread, which inserts every
 * queued body as one row (random id, body as text) in one transaction
 * (WAL, synchronous=FULL), commits, and only then resumes the connections,
 * which are answered 303 with a Location naming the row. The GET of that
 * Location (Post/Redirect/Get, as the collector's thank-you page) is
 * answered 200 with a fixed page showing the id from the URL, looked up
 * nowhere. No parsing, no validation, no sealing, no page rendering.
 *
 *   ceiling --db FILE [--port 0]
 *
 * Prints "listening on http://127.0.0.1:PORT/" and runs until SIGTERM or
 * SIGINT, then prints "rows=N" (rows in the table) and exits 0.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>

#define BODY_CAP (128 * 1024)

struct job {
	struct MHD_Connection *conn;
	char *body;
	size_t len, cap;
	unsigned char id[16];
	int suspended; /* waiting for the writer */
	int done;      /* committed (1) or failed (-1) */
	struct job *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct job *q_head, **q_tail = &q_head;
static int q_stop;
static sqlite3 *db;
static sqlite3_stmt *ins;
static volatile sig_atomic_t got_signal;

static int
exec(const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "ceiling: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* The writer: one transaction per batch of whatever is queued. */
static void *
writer(void *arg)
{
	(void)arg;
	for (;;) {
		struct job *batch, *j;
		int ok;

		pthread_mutex_lock(&mu);
		while (q_head == NULL && !q_stop)
			pthread_cond_wait(&cv, &mu);
		if (q_head == NULL && q_stop) {
			pthread_mutex_unlock(&mu);
			return NULL;
		}
		batch = q_head;
		q_head = NULL;
		q_tail = &q_head;
		pthread_mutex_unlock(&mu);

		ok = exec("BEGIN") == 0;
		for (j = batch; ok && j != NULL; j = j->next) {
			sqlite3_bind_blob(ins, 1, j->id, sizeof(j->id),
			    SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, j->body, (int)j->len,
			    SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				fprintf(stderr, "ceiling: insert: %s\n",
				    sqlite3_errmsg(db));
				ok = 0;
			}
			sqlite3_reset(ins);
		}
		if (ok)
			ok = exec("COMMIT") == 0;
		else if (sqlite3_get_autocommit(db) == 0)
			exec("ROLLBACK");
		for (j = batch; j != NULL;) {
			struct job *nx = j->next;
			j->done = ok ? 1 : -1;
			MHD_resume_connection(j->conn);
			j = nx;
		}
	}
}

static enum MHD_Result
answer(struct MHD_Connection *conn, unsigned status, const char *loc)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	if (loc != NULL && MHD_add_response_header(r, "Location", loc) !=
	    MHD_YES) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* GET /thanks?r=<32 hex>: the least page that shows a receipt. */
static enum MHD_Result
thanks(struct MHD_Connection *conn, const char *url)
{
	const char *r = MHD_lookup_connection_value(conn,
	    MHD_GET_ARGUMENT_KIND, "r");
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char page[256];
	size_t i;
	int k;

	if (strcmp(url, "/thanks") != 0 || r == NULL || strlen(r) != 32)
		return answer(conn, MHD_HTTP_NOT_FOUND, NULL);
	for (i = 0; i < 32; i++)
		if (!((r[i] >= '0' && r[i] <= '9') || (r[i] >= 'a' &&
		    r[i] <= 'f')))
			return answer(conn, MHD_HTTP_NOT_FOUND, NULL);
	k = snprintf(page, sizeof(page), "<!DOCTYPE html>\n<html lang=\"en\">"
	    "<head><meta charset=\"utf-8\"><title>Thank you</title></head>"
	    "<body><p><strong id=\"receipt-code\">%s</strong></p></body>"
	    "</html>\n", r);
	if (k < 0 || (size_t)k >= sizeof(page))
		return MHD_NO;
	resp = MHD_create_response_from_buffer((size_t)k, page,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (MHD_add_response_header(resp, "Content-Type",
	    "text/html; charset=utf-8") != MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	struct job *j = *ctx;
	char loc[64];
	size_t i;

	(void)cls;
	(void)version;
	if (strcmp(method, "GET") == 0) {
		if (j == NULL) {
			/* Answered on the second call, as the POST. */
			j = calloc(1, sizeof(*j));
			if (j == NULL)
				return MHD_NO;
			*ctx = j;
			return MHD_YES;
		}
		return thanks(conn, url);
	}
	if (strcmp(method, "POST") != 0)
		return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, NULL);
	if (j == NULL) {
		/* First call: only headers; answer later to keep keep-alive. */
		j = calloc(1, sizeof(*j));
		if (j == NULL)
			return MHD_NO;
		j->conn = conn;
		*ctx = j;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (j->len + *upload_size > BODY_CAP)
			return MHD_NO;
		if (j->len + *upload_size + 1 > j->cap) {
			size_t cap = j->len + *upload_size + 1;
			char *p = realloc(j->body, cap < 2048 ? 2048 : cap);
			if (p == NULL)
				return MHD_NO;
			j->body = p;
			j->cap = cap < 2048 ? 2048 : cap;
		}
		memcpy(j->body + j->len, upload, *upload_size);
		j->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (j->done == 0 && !j->suspended) {
		/* Body complete: suspend first, then queue (see collector). */
		randombytes_buf(j->id, sizeof(j->id));
		j->suspended = 1;
		MHD_suspend_connection(conn);
		pthread_mutex_lock(&mu);
		*q_tail = j;
		q_tail = &j->next;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mu);
		return MHD_YES;
	}
	if (j->done < 0)
		return answer(conn, MHD_HTTP_SERVICE_UNAVAILABLE, NULL);
	memcpy(loc, "/thanks?r=", 10);
	for (i = 0; i < sizeof(j->id); i++)
		snprintf(loc + 10 + 2 * i, 3, "%02x", j->id[i]);
	return answer(conn, MHD_HTTP_SEE_OTHER, loc);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct job *j = *ctx;
	(void)cls;
	(void)conn;
	(void)toe;
	if (j != NULL) {
		free(j->body);
		free(j);
	}
	*ctx = NULL;
}

static void
on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	unsigned port = 0;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	pthread_t wt;
	sqlite3_stmt *cnt;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--port") == 0)
			port = (unsigned)strtoul(argv[i + 1], NULL, 10);
	}
	if (path == NULL || i != argc || port > 65535) {
		fputs("usage: ceiling --db FILE [--port 0]\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "ceiling: %s: %s\n", path, sqlite3_errmsg(db));
		return 1;
	}
	if (exec("PRAGMA journal_mode = WAL") != 0 ||
	    exec("PRAGMA synchronous = FULL") != 0 ||
	    exec("CREATE TABLE IF NOT EXISTS response (id BLOB PRIMARY KEY, "
		 "answers TEXT NOT NULL) STRICT") != 0)
		return 1;
	if (sqlite3_prepare_v2(db, "INSERT INTO response (id, answers) "
	    "VALUES (?1, ?2)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "ceiling: prepare: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	if (pthread_create(&wt, NULL, writer, NULL) != 0)
		return 1;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC, (uint16_t)port, NULL, NULL,
	    access_cb, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "ceiling: --port %u: cannot listen\n", port);
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di == NULL)
		return 1;
	printf("listening on http://127.0.0.1:%u/\n", (unsigned)di->port);
	fflush(stdout);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!got_signal)
		pause();
	/* Quiesce, finish the queue (resuming everyone), then stop. */
	MHD_quiesce_daemon(d);
	pthread_mutex_lock(&mu);
	q_stop = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(wt, NULL);
	sleep(1); /* resumed connections get their answer */
	MHD_stop_daemon(d);
	sqlite3_finalize(ins);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM response", -1, &cnt,
	    NULL) == SQLITE_OK && sqlite3_step(cnt) == SQLITE_ROW)
		printf("rows=%lld\n", (long long)sqlite3_column_int64(cnt, 0));
	sqlite3_finalize(cnt);
	sqlite3_close(db);
	return 0;
}
