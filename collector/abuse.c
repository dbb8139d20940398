/*
 * Token buckets and the used-start-token set (abuse.h). Both are guarded by
 * one mutex: the daemon's polling thread is the only caller today, but the
 * lock keeps this correct under a thread-per-connection daemon too.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "abuse.h"

struct abuse_bucket {
	double tokens;
	double last; /* monotonic seconds */
};

struct abuse_slot {
	unsigned char id[SEAL_TOKEN_LEN];
	unsigned char st; /* 0 empty, 1 used, 2 released (tombstone) */
};

struct abuse {
	pthread_mutex_t mu;
	unsigned char key[crypto_shorthash_KEYBYTES];
	double burst, per_sec;
	struct abuse_bucket b[ABUSE_SLOTS];
	struct abuse_slot *set;
	size_t cap;   /* slots, a power of two */
	size_t nused; /* used + tombstones */
};

struct abuse *
abuse_new(unsigned burst, unsigned per_minute)
{
	struct abuse *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if (pthread_mutex_init(&a->mu, NULL) != 0) {
		free(a);
		return NULL;
	}
	crypto_shorthash_keygen(a->key);
	a->burst = burst > 0 ? burst : 1;
	a->per_sec = per_minute / 60.0;
	a->cap = 1024;
	a->set = calloc(a->cap, sizeof(*a->set));
	if (a->set == NULL) {
		pthread_mutex_destroy(&a->mu);
		free(a);
		return NULL;
	}
	return a;
}

void
abuse_free(struct abuse *a)
{
	if (a == NULL)
		return;
	pthread_mutex_destroy(&a->mu);
	free(a->set);
	sodium_memzero(a, sizeof(*a));
	free(a);
}

static double
abuse_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The slot of an address. IPv6 clients usually own a whole /64, so only the
 * prefix counts; anything that is not IPv4/IPv6 shares slot 0.
 */
static size_t
abuse_slot_of(const struct abuse *a, const struct sockaddr *sa)
{
	unsigned char h[crypto_shorthash_BYTES];
	const unsigned char *p;
	size_t n;
	uint64_t v = 0;
	size_t i;

	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		p = (const unsigned char *)&((const struct sockaddr_in *)sa)
		        ->sin_addr;
		n = 4;
	} else if (sa->sa_family == AF_INET6) {
		p = (const unsigned char *)&((const struct sockaddr_in6 *)sa)
		        ->sin6_addr;
		n = 8;
	} else
		return 0;
	crypto_shorthash(h, p, n, a->key);
	for (i = 0; i < sizeof(h); i++)
		v = (v << 8) | h[i];
	return (size_t)(v % ABUSE_SLOTS);
}

int
abuse_allow(struct abuse *a, const struct sockaddr *sa)
{
	struct abuse_bucket *b;
	double now;
	int ok;

	if (a->per_sec <= 0)
		return 1;
	now = abuse_now();
	if (pthread_mutex_lock(&a->mu) != 0)
		return 0;
	b = &a->b[abuse_slot_of(a, sa)];
	if (b->last == 0) {
		b->tokens = a->burst;
		b->last = now;
	}
	b->tokens += (now - b->last) * a->per_sec;
	if (b->tokens > a->burst)
		b->tokens = a->burst;
	b->last = now;
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	pthread_mutex_unlock(&a->mu);
	return ok;
}

static size_t
abuse_hash(const unsigned char id[SEAL_TOKEN_LEN])
{
	uint64_t v;

	memcpy(&v, id, sizeof(v)); /* ids are random: any 8 bytes will do */
	return (size_t)v;
}

/* Index of id, or of the first free slot on its probe path (-1: none). */
static long
abuse_find(const struct abuse *a, const unsigned char *id, int *found)
{
	size_t mask = a->cap - 1, i = abuse_hash(id) & mask, k;
	long freeslot = -1;

	*found = 0;
	for (k = 0; k < a->cap; k++, i = (i + 1) & mask) {
		const struct abuse_slot *s = &a->set[i];
		if (s->st == 0)
			return freeslot >= 0 ? freeslot : (long)i;
		if (s->st == 1 && memcmp(s->id, id, SEAL_TOKEN_LEN) == 0) {
			*found = 1;
			return (long)i;
		}
		if (s->st == 2 && freeslot < 0)
			freeslot = (long)i;
	}
	return freeslot;
}

/* Double the table (dropping tombstones). 0 or -1. */
static int
abuse_grow(struct abuse *a)
{
	struct abuse_slot *old = a->set, *ns;
	size_t oldcap = a->cap, i, ncap = a->cap * 2;
	int found;

	ns = calloc(ncap, sizeof(*ns));
	if (ns == NULL)
		return -1;
	a->set = ns;
	a->cap = ncap;
	a->nused = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].st != 1)
			continue;
		long j = abuse_find(a, old[i].id, &found);
		a->set[j] = old[i];
		a->nused++;
	}
	free(old);
	return 0;
}

enum abuse_token
abuse_token_use(struct abuse *a, const unsigned char id[SEAL_TOKEN_LEN])
{
	enum abuse_token rc = ABUSE_TOKEN_FULL;
	long i;
	int found;

	if (pthread_mutex_lock(&a->mu) != 0)
		return ABUSE_TOKEN_FULL;
	i = abuse_find(a, id, &found);
	if (found) {
		rc = ABUSE_TOKEN_USED;
		goto out;
	}
	/* Keep the load under 1/2 so probes stay short. */
	if ((a->nused + 1) * 2 > a->cap) {
		if (a->cap >= 2 * (size_t)ABUSE_MAX_USED || abuse_grow(a) != 0)
			goto out;
		i = abuse_find(a, id, &found);
	}
	if (i < 0)
		goto out;
	if (a->set[i].st == 0)
		a->nused++;
	memcpy(a->set[i].id, id, SEAL_TOKEN_LEN);
	a->set[i].st = 1;
	rc = ABUSE_TOKEN_FRESH;
out:
	pthread_mutex_unlock(&a->mu);
	return rc;
}

void
abuse_token_release(struct abuse *a, const unsigned char id[SEAL_TOKEN_LEN])
{
	long i;
	int found;

	if (pthread_mutex_lock(&a->mu) != 0)
		return;
	i = abuse_find(a, id, &found);
	if (found)
		a->set[i].st = 2;
	pthread_mutex_unlock(&a->mu);
}
