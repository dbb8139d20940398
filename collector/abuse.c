/*
 * Token buckets per client address and address tags (abuse.h). The buckets
 * are guarded by one mutex: the daemon's polling thread is the only caller
 * today, but the lock keeps this correct under a thread-per-connection
 * daemon too.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "abuse.h"

_Static_assert(ABUSE_TAG_LEN == crypto_shorthash_BYTES, "address tag size");

struct abuse_bucket {
	double tokens;
	double last; /* monotonic seconds */
};

struct abuse {
	pthread_mutex_t mu;
	unsigned char key[crypto_shorthash_KEYBYTES];
	double burst, per_sec;
	struct abuse_bucket b[ABUSE_SLOTS];
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
	return a;
}

void
abuse_free(struct abuse *a)
{
	if (a == NULL)
		return;
	pthread_mutex_destroy(&a->mu);
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
void
abuse_tag(const struct abuse *a, const struct sockaddr *sa,
    unsigned char tag[ABUSE_TAG_LEN])
{
	const unsigned char *p = (const unsigned char *)"";
	size_t n = 0;

	if (sa != NULL && sa->sa_family == AF_INET) {
		p = (const unsigned char *)&((const struct sockaddr_in *)sa)
		        ->sin_addr;
		n = 4;
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		p = (const unsigned char *)&((const struct sockaddr_in6 *)sa)
		        ->sin6_addr;
		n = 8;
	}
	crypto_shorthash(tag, p, n, a->key);
}

static size_t
abuse_slot_of(const struct abuse *a, const struct sockaddr *sa)
{
	unsigned char h[ABUSE_TAG_LEN];
	uint64_t v = 0;
	size_t i;

	if (sa == NULL ||
	    (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
		return 0;
	abuse_tag(a, sa, h);
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
