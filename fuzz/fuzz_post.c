/*
 * Fuzz target: urlencoded request bodies (collector/post.c) through
 * libmicrohttpd's post processor.
 *
 * post_begin() needs a real connection (the processor reads its
 * Content-Type and unescapes through its daemon), so the target runs one
 * daemon without a listening socket in this thread, hands it one end of a
 * socket pair per input and sends a bodiless POST; inside the request
 * handler the input is decoded twice on that connection: once fed in
 * chunks whose sizes come from the input's first bytes, once in a single
 * piece. Both must give the same fields and the same verdict, and every
 * cap must hold.
 *
 * Input: byte 0 picks the caps (bit 0: the collector's, or small ones so
 * short inputs reach every cap), bytes 1-4 are chunk sizes (1-256, used in
 * turn), the rest is the body.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>

#include <microhttpd.h>

#include "fuzz.h"
#include "post.h"
#include "seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_HDR 5

/* As collector/http.c sets them (max_body, max_fields: its defaults). */
static const struct post_limits lim_collector = {
	128 * 1024, 400, 8192, SEAL_MAX_B64
};
static const struct post_limits lim_small = {200, 6, 16, 40};

static const uint8_t *in_data;
static size_t in_size;
static int handled;

/* Every cap and every field's shape; n fields of total decoded bytes. */
static void
check_post(const struct post *p, size_t body_len)
{
	size_t i, total = 0;

	FUZZ_CHECK(p->n <= p->lim.max_fields);
	FUZZ_CHECK(p->n <= p->cap);
	FUZZ_CHECK(p->body <= p->lim.max_body + 1);
	FUZZ_CHECK(p->body == (body_len > p->lim.max_body ?
	    p->lim.max_body + 1 : body_len));
	if (body_len > p->lim.max_body)
		FUZZ_CHECK(p->err != POST_OK);
	for (i = 0; i < p->n; i++) {
		const struct post_field *fl = &p->f[i];
		size_t cap = strcmp(fl->key, "state") == 0 ? p->lim.max_state :
		    p->lim.max_value;
		FUZZ_CHECK(fl->key != NULL && fl->val != NULL);
		FUZZ_CHECK(strlen(fl->key) <= 64);
		FUZZ_CHECK(strlen(fl->val) == fl->len);
		FUZZ_CHECK(fl->len <= cap);
		FUZZ_CHECK(fl->len <= body_len);
		total += strlen(fl->key) + fl->len;
	}
	/* Decoding never makes text longer ("%41" is one byte, "+" one). */
	if (p->err == POST_OK)
		FUZZ_CHECK(total <= body_len);
	for (i = 0; i < p->n; i++) {
		const char *first = post_get(p, p->f[i].key), *vals[2];
		size_t n = post_get_all(p, p->f[i].key, vals, 2);
		FUZZ_CHECK(first != NULL && n >= 1 && vals[0] == first);
	}
}

/* Decode body in chunks of the sizes in sz[4] (0: in one piece). */
static void
decode(struct MHD_Connection *c, const struct post_limits *lim,
    const uint8_t *sz, const char *body, size_t len, struct post *p)
{
	size_t off = 0, k = 0;

	FUZZ_CHECK(post_begin(p, c, lim) == 0);
	while (off < len) {
		size_t n = sz == NULL ? len - off : (size_t)sz[k++ % 4] + 1;
		if (n > len - off)
			n = len - off;
		post_feed(p, body + off, n);
		off += n;
	}
	(void)post_end(p);
	check_post(p, len);
}

static void
run_input(struct MHD_Connection *c)
{
	const struct post_limits *lim;
	struct post a, b;
	const char *body;
	size_t len, i;

	if (in_size < FUZZ_HDR)
		return;
	lim = (in_data[0] & 1) ? &lim_small : &lim_collector;
	body = (const char *)in_data + FUZZ_HDR;
	len = in_size - FUZZ_HDR;
	decode(c, lim, in_data + 1, body, len, &a);
	decode(c, lim, NULL, body, len, &b);
	/*
	 * The split of the body into reads must not change the outcome. (Which
	 * error is reported may: fed whole, a body over the cap is refused
	 * before any of it is decoded.)
	 */
	FUZZ_CHECK((a.err == POST_OK) == (b.err == POST_OK));
	if (a.err == POST_OK) {
		FUZZ_CHECK(a.n == b.n);
		for (i = 0; i < a.n; i++) {
			FUZZ_CHECK(strcmp(a.f[i].key, b.f[i].key) == 0);
			FUZZ_CHECK(a.f[i].len == b.f[i].len);
			FUZZ_CHECK(memcmp(a.f[i].val, b.f[i].val,
			    a.f[i].len) == 0);
		}
	}
	post_free(&a);
	post_free(&b);
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	static int first;
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = &first;
		run_input(c);
		handled = 1;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, r);
	MHD_destroy_response(r);
	return ret;
}

static struct MHD_Daemon *
daemon_get(void)
{
	static struct MHD_Daemon *d;

	if (d != NULL)
		return d;
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
	    handler, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)5,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "fuzz_post: cannot start libmicrohttpd\n");
		exit(2);
	}
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char req[] = "POST /survey HTTP/1.1\r\n"
	    "Host: localhost\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";
	struct MHD_Daemon *d = daemon_get();
	struct sockaddr_in sin;
	char sink[512];
	int sv[2], i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		perror("fuzz_post: socketpair");
		exit(2);
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(d, sv[0], (const struct sockaddr *)&sin,
	    sizeof(sin)) != MHD_YES) {
		fprintf(stderr, "fuzz_post: MHD_add_connection failed\n");
		exit(2);
	}
	if (write(sv[1], req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
		perror("fuzz_post: write");
		exit(2);
	}
	in_data = data;
	in_size = size;
	handled = 0;
	/* Until the answer is sent and libmicrohttpd closed its end. */
	for (i = 0; i < 1000; i++) {
		const union MHD_DaemonInfo *info;
		if (MHD_run(d) != MHD_YES)
			break;
		while (recv(sv[1], sink, sizeof(sink), MSG_DONTWAIT) > 0)
			;
		info = MHD_get_daemon_info(d,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (handled && info != NULL && info->num_connections == 0)
			break;
	}
	FUZZ_CHECK(handled);
	close(sv[1]);
	return 0;
}
