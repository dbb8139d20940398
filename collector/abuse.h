/*
 * Abuse control without identity. Two mechanisms live here, both in memory
 * only and both forgotten when the process exits:
 *
 *  - a token bucket per client address. Addresses are hashed with a key
 *    drawn at start-up into a fixed table; the address itself is never
 *    stored, logged or compared. Two addresses that share a slot share a
 *    bucket, which only makes the limit stricter for them.
 *  - the set of start-token ids already used by a submission, so a sealed
 *    state cannot be submitted twice. The set is bounded (ABUSE_MAX_USED
 *    ids) and is lost on restart: after a restart an old state could be
 *    submitted once more. docs/collector.md says so.
 */
#ifndef CANDOR_COLLECTOR_ABUSE_H
#define CANDOR_COLLECTOR_ABUSE_H

#include <stddef.h>
#include <sys/socket.h>

#include "seal.h"

#define ABUSE_SLOTS 4096            /* token buckets */
#define ABUSE_MAX_USED (1u << 20)   /* start tokens remembered */

struct abuse;

/*
 * burst: bucket size; per_minute: refill rate. per_minute == 0 turns rate
 * limiting off (tests). Returns NULL on allocation failure.
 */
struct abuse *abuse_new(unsigned burst, unsigned per_minute);
void abuse_free(struct abuse *a);
/* Take one token for this client; 1 allowed, 0 over the limit. */
int abuse_allow(struct abuse *a, const struct sockaddr *sa);

enum abuse_token {
	ABUSE_TOKEN_FRESH = 0, /* recorded now as used */
	ABUSE_TOKEN_USED,      /* was already used */
	ABUSE_TOKEN_FULL,      /* the set is full: refuse, try later */
	ABUSE_TOKEN__MAX
};
/* Atomically check and mark a start token as used. */
enum abuse_token abuse_token_use(struct abuse *a,
    const unsigned char id[SEAL_TOKEN_LEN]);
/* Forget a token again (its submission failed to store). */
void abuse_token_release(struct abuse *a,
    const unsigned char id[SEAL_TOKEN_LEN]);

#endif
