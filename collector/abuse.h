/*
 * Abuse control without identity: a token bucket per client address, in
 * memory only and forgotten when the process exits. Addresses are hashed
 * with a key drawn at start-up into a fixed table; the address itself is
 * never stored, logged or compared. Two addresses that share a slot share a
 * bucket, which only makes the limit stricter for them. (Start tokens are
 * spent durably in the store, with the response: store_submit.)
 */
#ifndef CANDOR_COLLECTOR_ABUSE_H
#define CANDOR_COLLECTOR_ABUSE_H

#include <stddef.h>
#include <sys/socket.h>

#define ABUSE_SLOTS 4096  /* token buckets */
#define ABUSE_TAG_LEN 8   /* crypto_shorthash_BYTES */

struct abuse;

/*
 * burst: bucket size; per_minute: refill rate. per_minute == 0 turns rate
 * limiting off (tests). Returns NULL on allocation failure.
 */
struct abuse *abuse_new(unsigned burst, unsigned per_minute);
void abuse_free(struct abuse *a);
/* Take one token for this client; 1 allowed, 0 over the limit. */
int abuse_allow(struct abuse *a, const struct sockaddr *sa);

/*
 * A tag of the client's address (the /64 of an IPv6 one) under the
 * process's random key: equal for the same client while the process runs,
 * meaningless after it, never stored.
 */
void abuse_tag(const struct abuse *a, const struct sockaddr *sa,
    unsigned char tag[ABUSE_TAG_LEN]);

#endif
