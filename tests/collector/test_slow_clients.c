/*
 * Slow clients against the libmicrohttpd limits. Hundreds of connections
 * dribble their headers a byte at a time (slowloris), send bodies a byte at
 * a time, or sit idle on a keep-alive connection, while an honest client
 * completes a whole survey.
 *
 * Per-address limits on loopback would hit the honest client too if both
 * came from 127.0.0.1, so every attacker socket is bound to its own source
 * address in 127.0.0.0/8 (Linux routes the whole block to lo) and the
 * honest client keeps 127.0.0.1. What it shows:
 *
 *  1. per_ip_limit: 100 connections of each kind from one address each;
 *     the server keeps at most per_ip_limit of them per address, and the
 *     honest client completes the survey within a bound meanwhile.
 *  2. conn_timeout: the idle keep-alives are closed after conn_timeout.
 *     Dribblers are not (libmicrohttpd's timeout counts inactivity, and a
 *     byte a second is activity); once they stop, they are closed too.
 *  3. conn_limit: attackers on many addresses fill every slot; then no
 *     more connections are served (libmicrohttpd stops accepting: a health
 *     check waits in the listen queue, unanswered). That is the known
 *     limit: a distributed attack needs a proxy or firewall in front. Once
 *     the attackers go quiet, conn_timeout frees the slots and the honest
 *     client gets through.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

#define SLOW_TIMEOUT 3      /* conn_timeout, seconds */
#define SLOW_PER_IP 16      /* per_ip_limit */
#define SLOW_CONN_LIMIT 128 /* conn_limit */
#define SLOW_PER_KIND 100   /* attacker connections of each kind */
#define SLOW_SPREAD 12      /* addresses of the distributed attack */
#define SLOW_HONEST_BOUND 5.0 /* seconds for a whole survey under attack */
#define SLOW_MAX_SOCKS 512

enum slow_kind { SLOW_HEADERS, SLOW_BODY, SLOW_IDLE, SLOW__MAX };

static const char *const slow_kind_name[SLOW__MAX] = {
	"slowloris headers", "slow body", "idle keep-alive"};

/* What each kind sends at once, then a byte at a time (idle: nothing). */
static const char slow_headers[] = "GET /s/mini HTTP/1.1\r\nHost: x\r\n"
    "X-Slow-Header: ";
static const char slow_body[] = "POST /s/mini HTTP/1.1\r\nHost: x\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 100000\r\n\r\nlang=";
static const char slow_idle[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

struct sock {
	int fd;
	enum slow_kind kind;
	int closed; /* seen closed by the server */
};

static struct cl_server s;
static struct sock socks[SLOW_MAX_SOCKS];
static size_t nsocks;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int dribbling, stop;
static int honest_tries, honest_ok;

static void
cfg_hook(struct collector_config *cfg)
{
	cfg->conn_timeout = SLOW_TIMEOUT;
	cfg->per_ip_limit = SLOW_PER_IP;
	cfg->conn_limit = SLOW_CONN_LIMIT;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Connect from 127.0.0.<host> and send the kind's opening bytes. */
static int
attack_open(int host, enum slow_kind kind)
{
	struct sockaddr_in src, dst;
	int fd, one = 1;
	const char *open_bytes = kind == SLOW_HEADERS ? slow_headers
	    : kind == SLOW_BODY ? slow_body : slow_idle;

	if (nsocks == SLOW_MAX_SOCKS)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)host);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)s.port);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) != 0) {
		close(fd);
		return -1;
	}
	(void)send(fd, open_bytes, strlen(open_bytes), MSG_NOSIGNAL);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
		close(fd);
		return -1;
	}
	pthread_mutex_lock(&mu);
	socks[nsocks].fd = fd;
	socks[nsocks].kind = kind;
	socks[nsocks].closed = 0;
	nsocks++;
	pthread_mutex_unlock(&mu);
	return 0;
}

/*
 * Has the server closed this socket? Reads (and drops) whatever arrived:
 * the idle keep-alives get their one answer first.
 */
static int
sock_closed(struct sock *k)
{
	char buf[4096];
	ssize_t n;

	if (k->closed)
		return 1;
	for (;;) {
		n = recv(k->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			k->closed = 1;
		return k->closed;
	}
}

/* Open sockets of a kind (SLOW__MAX: all), from index from on. */
static size_t
count_open(enum slow_kind kind, size_t from)
{
	size_t i, n = 0;

	pthread_mutex_lock(&mu);
	for (i = from; i < nsocks; i++)
		if ((kind == SLOW__MAX || socks[i].kind == kind) &&
		    !sock_closed(&socks[i]))
			n++;
	pthread_mutex_unlock(&mu);
	return n;
}

/* Every 500 ms, one more byte on every open dribbling socket. */
static void *
dribble_run(void *arg)
{
	size_t i;

	(void)arg;
	while (!atomic_load(&stop)) {
		if (atomic_load(&dribbling)) {
			pthread_mutex_lock(&mu);
			for (i = 0; i < nsocks; i++)
				if (socks[i].kind != SLOW_IDLE &&
				    !socks[i].closed &&
				    send(socks[i].fd, "a", 1, MSG_NOSIGNAL |
				    MSG_DONTWAIT) < 0 && errno != EAGAIN)
					socks[i].closed = 1;
			pthread_mutex_unlock(&mu);
		}
		sleep_ms(500);
	}
	return NULL;
}

static void
close_all(void)
{
	size_t i;

	pthread_mutex_lock(&mu);
	for (i = 0; i < nsocks; i++)
		close(socks[i].fd);
	nsocks = 0;
	pthread_mutex_unlock(&mu);
}

/* A whole mini survey from 127.0.0.1; seconds taken, or -1 on failure. */
static double
honest_survey(void)
{
	struct cl_client c;
	double t0 = now_s();
	char *code;

	if (cl_client_init(&c, s.port) != 0)
		return -1;
	honest_tries++;
	code = cl_mini_full(&c);
	cl_client_free(&c);
	if (code == NULL)
		return -1;
	honest_ok++;
	free(code);
	return now_s() - t0;
}

/* Wait until pred() holds, up to limit seconds; the seconds it took or -1. */
static double
wait_until(int (*pred)(void), double limit)
{
	double t0 = now_s();

	while (now_s() - t0 < limit) {
		if (pred())
			return now_s() - t0;
		sleep_ms(100);
	}
	return -1;
}

static int
idle_all_closed(void)
{
	return count_open(SLOW_IDLE, 0) == 0;
}

static int
all_closed(void)
{
	return count_open(SLOW__MAX, 0) == 0;
}

/* 1 and 2: one address per kind; per_ip_limit and conn_timeout. */
static void
slow_per_address(void)
{
	int k, i, opened[SLOW__MAX] = {0};
	size_t kept[SLOW__MAX];
	double t, tclose;

	atomic_store(&dribbling, 1);
	for (k = 0; k < SLOW__MAX; k++)
		for (i = 0; i < SLOW_PER_KIND; i++)
			if (attack_open(3 + k, (enum slow_kind)k) == 0)
				opened[k]++;
	sleep_ms(1000); /* the server has closed what it will not keep */
	for (k = 0; k < SLOW__MAX; k++) {
		kept[k] = count_open((enum slow_kind)k, 0);
		fprintf(stderr, "%s from 127.0.0.%d: %d opened, %zu kept\n",
		    slow_kind_name[k], 3 + k, opened[k], kept[k]);
		CHECK_INT(opened[k], SLOW_PER_KIND);
		CHECK(kept[k] <= SLOW_PER_IP);
		/* The dribblers were accepted, not just refused. */
		if (k != SLOW_IDLE)
			CHECK(kept[k] > 0);
	}
	t = honest_survey();
	fprintf(stderr, "honest survey from 127.0.0.1 under attack: %.3f s\n",
	    t);
	CHECK(t >= 0 && t < SLOW_HONEST_BOUND);
	/* Idle keep-alives go after conn_timeout; dribblers stay. */
	tclose = wait_until(idle_all_closed, SLOW_TIMEOUT + 3);
	fprintf(stderr, "idle keep-alives closed after %.1f s more\n", tclose);
	CHECK(tclose >= 0);
	sleep_ms(SLOW_TIMEOUT * 1000L);
	fprintf(stderr, "after %d s: %zu slowloris, %zu slow-body connections "
	    "still open (a byte every 500 ms is activity)\n", 2 * SLOW_TIMEOUT,
	    count_open(SLOW_HEADERS, 0), count_open(SLOW_BODY, 0));
	/* Once they stop sending, conn_timeout closes them. */
	atomic_store(&dribbling, 0);
	tclose = wait_until(all_closed, SLOW_TIMEOUT + 3);
	fprintf(stderr, "silent dribblers closed after %.1f s\n", tclose);
	CHECK(tclose >= 0);
	close_all();
}

static int
honest_gets_through(void)
{
	return honest_survey() >= 0;
}

/*
 * A health check from 127.0.0.1 on a raw socket: 1 when answered within ms
 * milliseconds, 0 when not (still waiting in the listen queue).
 */
static int
probe_answered(long ms)
{
	struct sockaddr_in dst;
	struct pollfd pfd;
	char buf[64];
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok = 0;

	if (fd < 0)
		return 0;
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)s.port);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) == 0 &&
	    send(fd, slow_idle, strlen(slow_idle), MSG_NOSIGNAL) > 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		ok = poll(&pfd, 1, (int)ms) == 1 &&
		    recv(fd, buf, sizeof(buf), 0) > 0;
	}
	close(fd);
	return ok;
}

/*
 * 3: many addresses fill conn_limit. libmicrohttpd then stops accepting:
 * further connections wait in the kernel's listen queue, so a client sees
 * a connection that is not answered rather than a refusal.
 */
static void
slow_distributed(void)
{
	int a, i, opened = 0, answered;
	double t;

	atomic_store(&dribbling, 1);
	for (a = 0; a < SLOW_SPREAD; a++)
		for (i = 0; i < SLOW_PER_IP; i++)
			if (attack_open(20 + a, SLOW_HEADERS) == 0)
				opened++;
	sleep_ms(1000);
	fprintf(stderr, "distributed: %d slowloris connections from %d "
	    "addresses (conn_limit %d)\n", opened, SLOW_SPREAD,
	    SLOW_CONN_LIMIT);
	CHECK_INT(opened, SLOW_SPREAD * SLOW_PER_IP);
	/* Every slot is taken and no more are made: nobody is answered. */
	answered = probe_answered(2000);
	fprintf(stderr, "health check while every slot is taken: %s\n",
	    answered ? "answered" : "not answered within 2 s");
	CHECK(!answered);
	/* The attackers go quiet: conn_timeout frees the slots. */
	atomic_store(&dribbling, 0);
	t = wait_until(honest_gets_through, SLOW_TIMEOUT + 5);
	fprintf(stderr, "honest survey got through %.1f s after the attackers "
	    "went quiet\n", t);
	CHECK(t >= 0);
	close_all();
}

int
main(void)
{
	const char *forms[1];
	struct rlimit rl;
	pthread_t th;

	/* Room for the attackers' sockets and the server's, in one process. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	forms[0] = cl_fixture("tests/collector/mini.json", 0);
	CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, cfg_hook) == 0);
	atomic_init(&dribbling, 0);
	atomic_init(&stop, 0);
	CL_REQUIRE(pthread_create(&th, NULL, dribble_run, NULL) == 0);

	CHECK(honest_survey() >= 0);
	slow_per_address();
	slow_distributed();
	/* Afterwards the service is as good as new. */
	CHECK(honest_survey() >= 0);

	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	/* Only honest surveys were stored (one cut short may be, too). */
	{
		long rows = cl_count_rows(s.db, "mini");
		CHECK(rows >= honest_ok && rows <= honest_tries);
	}
	cl_server_cleanup(&s);
	return test_done();
}
