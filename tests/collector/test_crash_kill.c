/*
 * Crash safety: the real collector binary is killed with SIGKILL at random
 * moments while client threads complete submissions and withdrawals, then
 * restarted on the same database, several times. At the end every
 * submission that was acknowledged with a 303 must be in the database (its
 * receipt hash is looked up), every withdrawal that was acknowledged must
 * be gone, and PRAGMA integrity_check must say "ok". After every restart
 * the collector must start and serve a whole submission.
 *
 * A submission counts as acknowledged when its 303 arrives. Its receipt
 * code is read from the thank-you page, which is shown once from memory
 * only: when the process dies between the 303 and that page, the code is
 * lost on purpose (nothing stored or in the URL opens it), and the row is
 * accounted for by count instead: the rows stored lie between the
 * acknowledged submissions and all attempted ones, less the withdrawals.
 *
 *     test_crash_kill [kills [seed [clients]]]
 *
 * With no arguments (CTest) it kills 4 times with a seed drawn from the
 * clock; the seed is printed so a failing run can be replayed. The
 * benchmark bench/crash_bench.sh runs it with 100 kills.
 */
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "client.h"
#include "code.h"

#define CRASH_DEFAULT_KILLS 4
#define CRASH_DEFAULT_CLIENTS 6
#define CRASH_MAX_CLIENTS 32
#define CRASH_MIN_RUN_MS 80   /* shortest life of one process */
#define CRASH_MAX_RUN_MS 700  /* longest */

/* What the clients saw, kept across all rounds. */
struct ledger {
	pthread_mutex_t mu;
	char **acked;      /* canonical code of every 303 seen with its page */
	size_t nacked, cap;
	size_t nocode;     /* 303s whose thank-you page was cut off by a kill */
	long cutsubmit;    /* final submissions cut off (stored or not) */
	char **withdrawn;  /* codes whose withdrawal was answered 200 */
	size_t nwithdrawn, wcap;
	char **maybe;      /* codes whose withdrawal was cut off by a kill */
	size_t nmaybe, mcap;
	long unanswered;   /* requests cut off by a kill */
	long other;        /* answers that are neither expected nor a cut */
};

static struct ledger led;

static void
ledger_push(char ***a, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		char **na = realloc(*a, ncap * sizeof(*na));
		if (na == NULL)
			abort();
		*a = na;
		*cap = ncap;
	}
	(*a)[(*n)++] = s;
}

struct client {
	unsigned port;
	unsigned seed;
	atomic_int *stop;
	long submits, withdraws;
};

/*
 * One submission; records a 303 with the code of its thank-you page (or as
 * one without a code). Returns the code as shown, or NULL.
 */
static char *
client_submit(struct cl_client *c)
{
	struct cl_resp r;
	char *st = cl_mini_to_last(c, "en"), *loc = NULL, *code = NULL;
	char canon[CODE_LEN + 1];

	if (st == NULL) {
		pthread_mutex_lock(&led.mu);
		led.unanswered++;
		pthread_mutex_unlock(&led.mu);
		return NULL;
	}
	if (cl_mini_submit(c, st, &r) != 0) {
		pthread_mutex_lock(&led.mu);
		led.unanswered++;
		led.cutsubmit++;
		pthread_mutex_unlock(&led.mu);
	} else if (r.status == 303) {
		loc = cl_header(&r, "Location");
	} else {
		fprintf(stderr, "submit answered %ld\n", r.status);
		pthread_mutex_lock(&led.mu);
		led.other++;
		pthread_mutex_unlock(&led.mu);
	}
	cl_resp_free(&r);
	free(st);
	if (loc != NULL && cl_get(c, loc, &r) == 0 && r.status == 200)
		code = cl_between(r.body, "id=\"receipt-code\">", '<');
	if (loc != NULL) {
		cl_resp_free(&r);
		pthread_mutex_lock(&led.mu);
		if (code != NULL && code_parse(code, strlen(code), canon) == 0)
			ledger_push(&led.acked, &led.nacked, &led.cap,
			    strdup(canon));
		else
			led.nocode++;
		pthread_mutex_unlock(&led.mu);
	}
	free(loc);
	return code;
}

static void
client_withdraw(struct cl_client *c, char *code)
{
	struct cl_resp r;
	const char *kv[] = {"code", code, NULL};
	char canon[CODE_LEN + 1];

	if (code_parse(code, strlen(code), canon) != 0)
		abort();
	if (cl_postv(c, "/withdraw", &r, kv) != 0) {
		/* It may or may not have committed before the kill. */
		memcpy(code, canon, sizeof(canon));
		pthread_mutex_lock(&led.mu);
		led.unanswered++;
		ledger_push(&led.maybe, &led.nmaybe, &led.mcap, code);
		pthread_mutex_unlock(&led.mu);
	} else if (r.status == 200) {
		/* Keep the canonical form: that is what is hashed. */
		memcpy(code, canon, sizeof(canon));
		pthread_mutex_lock(&led.mu);
		ledger_push(&led.withdrawn, &led.nwithdrawn, &led.wcap, code);
		pthread_mutex_unlock(&led.mu);
	} else {
		fprintf(stderr, "withdraw answered %ld\n", r.status);
		pthread_mutex_lock(&led.mu);
		led.other++;
		pthread_mutex_unlock(&led.mu);
		free(code);
	}
	cl_resp_free(&r);
}

static void *
client_run(void *arg)
{
	struct client *w = arg;
	struct cl_client c;

	if (cl_client_init(&c, w->port) != 0)
		return NULL;
	while (!atomic_load(w->stop)) {
		char *code = client_submit(&c);
		w->submits++;
		/* Withdraw about one in five, to check deletes survive too. */
		if (code != NULL && rand_r(&w->seed) % 5 == 0) {
			client_withdraw(&c, code);
			w->withdraws++;
		} else {
			free(code);
		}
	}
	cl_client_free(&c);
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
in_sorted(char **a, size_t n, const char *code)
{
	return n > 0 && bsearch(&code, a, n, sizeof(*a), cmp_str) != NULL;
}

/* Rows whose receipt hash is that of code (0 or 1), or -1. */
static int
rows_for_code(sqlite3 *sq, const unsigned char key[STORE_KEY_LEN],
    const char *code)
{
	unsigned char h[STORE_HASH_LEN];
	sqlite3_stmt *st = NULL;
	int n = -1;

	store_hash_code(key, code, h);
	if (sqlite3_prepare_v2(sq, "SELECT count(*) FROM response WHERE "
	    "receipt_hash = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int
integrity_ok(const char *db)
{
	sqlite3 *sq = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(sq, "PRAGMA integrity_check", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		ok = t != NULL && strcmp(t, "ok") == 0;
		if (!ok)
			fprintf(stderr, "integrity_check: %s\n", t ? t : "(null)");
	}
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return ok;
}

/* The fresh process serves: health, then one whole submission. */
static int
serves(unsigned port)
{
	struct cl_client c;
	struct cl_resp r;
	char *code;
	int ok;

	if (cl_client_init(&c, port) != 0)
		return 0;
	ok = cl_get(&c, "/healthz", &r) == 0 && r.status == 200;
	cl_resp_free(&r);
	code = ok ? client_submit(&c) : NULL;
	ok = ok && code != NULL;
	free(code);
	cl_client_free(&c);
	return ok;
}

static int
start(struct cl_child *ch, const char *db, const char *log)
{
	const char *args[] = {"--form",
		cl_fixture("tests/collector/mini.json", 0), "--db", db,
		"--port", "0", "--min-fill-seconds", "0",
		"--rate-per-minute", "0", NULL};

	return cl_child_start(ch, args, log);
}

int
main(int argc, char *argv[])
{
	struct cl_child ch;
	char dir[256], db[300], log[300];
	unsigned kills = CRASH_DEFAULT_KILLS, nclients = CRASH_DEFAULT_CLIENTS;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	unsigned k, i, restarts_ok = 0;
	struct client w[CRASH_MAX_CLIENTS];
	pthread_t th[CRASH_MAX_CLIENTS];
	atomic_int stop;
	struct store *s = NULL;
	unsigned char key[STORE_KEY_LEN];
	char err[256];
	sqlite3 *sq = NULL;
	size_t missing = 0, resurrected = 0, nacked;
	long rows;
	struct timespec t0, t1;

	if (argc > 1)
		kills = (unsigned)strtoul(argv[1], NULL, 10);
	if (argc > 2)
		seed = (unsigned)strtoul(argv[2], NULL, 10);
	if (argc > 3)
		nclients = (unsigned)strtoul(argv[3], NULL, 10);
	if (kills == 0 || nclients == 0 || nclients > CRASH_MAX_CLIENTS) {
		fprintf(stderr, "usage: test_crash_kill [kills>=1 [seed "
		    "[clients 1..%d]]]\n", CRASH_MAX_CLIENTS);
		return 2;
	}
	fprintf(stderr, "crash_kill: kills %u, seed %u, clients %u\n", kills,
	    seed, nclients);
	srand(seed);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&led.mu, NULL);
	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (k = 0; k < kills; k++) {
		long ms = CRASH_MIN_RUN_MS + rand() % (CRASH_MAX_RUN_MS -
		    CRASH_MIN_RUN_MS + 1);
		struct timespec life = {ms / 1000, (ms % 1000) * 1000000L};

		if (start(&ch, db, log) != 0) {
			fprintf(stderr, "round %u: the collector did not start "
			    "after the previous kill\n", k);
			test_failures++;
			break;
		}
		/* After a kill (k > 0) the new process must serve at once. */
		if (serves(ch.port))
			restarts_ok++;
		else
			fprintf(stderr, "round %u: the collector does not serve\n",
			    k);
		atomic_init(&stop, 0);
		for (i = 0; i < nclients; i++) {
			memset(&w[i], 0, sizeof(w[i]));
			w[i].port = ch.port;
			w[i].seed = seed + k * 131u + i;
			w[i].stop = &stop;
			CL_REQUIRE(pthread_create(&th[i], NULL, client_run,
			    &w[i]) == 0);
		}
		nanosleep(&life, NULL);
		pthread_mutex_lock(&led.mu);
		nacked = led.nacked;
		pthread_mutex_unlock(&led.mu);
		fprintf(stderr, "round %u: SIGKILL after %ld ms (%zu acked so "
		    "far)\n", k, ms, nacked);
		CHECK(kill(ch.pid, SIGKILL) == 0);
		atomic_store(&stop, 1);
		CHECK_INT(cl_child_stop(&ch, 0), -1); /* reaped: killed */
		for (i = 0; i < nclients; i++)
			pthread_join(th[i], NULL);
	}
	CHECK_INT(restarts_ok, kills);

	/*
	 * One more start after the last kill: it must come up and serve.
	 * (The clean stop on SIGTERM is test_sigterm_drain's.)
	 */
	CHECK(start(&ch, db, log) == 0);
	if (ch.pid > 0) {
		CHECK(serves(ch.port));
		CHECK_INT(cl_child_stop(&ch, SIGKILL), -1);
	}

	/* Every acknowledged submission is there; every withdrawal is not. */
	CL_REQUIRE(store_open(db, STORE_RDONLY, &s, err, sizeof(err)) ==
	    STORE_OK);
	CL_REQUIRE(store_key(s, key) == STORE_OK);
	CHECK(store_count(s, "mini", &rows) == STORE_OK);
	store_close(s);
	CL_REQUIRE(sodium_init() >= 0);
	CL_REQUIRE(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK);
	if (led.nwithdrawn > 0)
		qsort(led.withdrawn, led.nwithdrawn, sizeof(char *), cmp_str);
	if (led.nmaybe > 0)
		qsort(led.maybe, led.nmaybe, sizeof(char *), cmp_str);
	for (i = 0; i < led.nacked; i++) {
		const char *code = led.acked[i];
		/* Withdrawn codes are checked below; cut-off ones cannot be. */
		if (in_sorted(led.withdrawn, led.nwithdrawn, code) ||
		    in_sorted(led.maybe, led.nmaybe, code))
			continue;
		if (rows_for_code(sq, key, code) != 1)
			missing++;
	}
	for (i = 0; i < led.nwithdrawn; i++)
		if (rows_for_code(sq, key, led.withdrawn[i]) != 0)
			resurrected++;
	sqlite3_close(sq);
	sodium_memzero(key, sizeof(key));
	clock_gettime(CLOCK_MONOTONIC, &t1);

	fprintf(stderr, "crash_kill: seed %u: %u kills, %zu submissions "
	    "acknowledged, %zu withdrawals acknowledged, %ld requests cut off, "
	    "%zu withdrawals cut off, %ld rows stored; missing %zu, withdrawn but "
	    "present %zu, "
	    "receipts cut off %zu, other answers %ld; %.1f s\n", seed, kills,
	    led.nacked + led.nocode, led.nwithdrawn, led.unanswered, led.nmaybe,
	    rows, missing, resurrected, led.nocode, led.other,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK(led.nacked > 0);
	CHECK_INT(missing, 0);
	CHECK_INT(resurrected, 0);
	CHECK_INT(led.other, 0);
	/*
	 * Rows: at least the acknowledged ones (with or without their code)
	 * less the withdrawn, and at most those plus the cut-off submissions.
	 */
	CHECK(rows >= (long)(led.nacked + led.nocode - led.nwithdrawn -
	    led.nmaybe));
	CHECK(rows <= (long)(led.nacked + led.nocode) + led.cutsubmit -
	    (long)led.nwithdrawn);
	CHECK(integrity_ok(db));

	for (i = 0; i < led.nacked; i++)
		free(led.acked[i]);
	for (i = 0; i < led.nwithdrawn; i++)
		free(led.withdrawn[i]);
	for (i = 0; i < led.nmaybe; i++)
		free(led.maybe[i]);
	free(led.maybe);
	free(led.acked);
	free(led.withdrawn);
	if (test_failures == 0)
		test_rmtree(dir);
	else
		fprintf(stderr, "crash_kill: database kept in %s\n", dir);
	return test_done();
}
