/*
 * Journeys: what carries a respondent's state across the redirect of
 * Post/Redirect/Get. Every survey step is a POST answered by a 303 to
 * /s/<id>/p?v=<ticket>, and the GET of that URL renders the page. The
 * ticket names a journey (one per respondent between consent and submit)
 * held in this process's memory only, and the page of that step. A
 * journey holds the latest state sealed under a key derived from a secret
 * that only the ticket carries (seal_held), the errors of the step that
 * had errors (a "flash", sealed the same way), and the address tag of the
 * client (abuse_tag): a fetch from another address, after
 * JOURNEY_IDLE seconds unused, after a restart or for another form finds
 * nothing. Nothing of it reaches the database or the log.
 *
 * Tickets are base64url of 26 bytes: a 4-byte slot index, the 16-byte
 * journey secret, a 4-byte random view nonce, and the 2-byte page number
 * encrypted with a keystream derived from the secret and that nonce, so a
 * URL says nothing about which page (and so which answers) it shows.
 *
 * The table is a ring of JOURNEY_SLOTS entries holding at most
 * JOURNEY_BYTES of sealed data: under a flood the oldest journey is
 * dropped. A dropped journey loses nothing that a POST needs (every page
 * carries its sealed state in a hidden field); only Back and reload of its
 * pages then show a page saying the page can no longer be shown.
 */
#ifndef CANDOR_COLLECTOR_JOURNEY_H
#define CANDOR_COLLECTOR_JOURNEY_H

#include <stddef.h>
#include <stdint.h>

#include "abuse.h"

#define JOURNEY_SLOTS 8192
#define JOURNEY_IDLE 7200                 /* seconds a journey waits unused */
#define JOURNEY_BYTES (64u * 1024 * 1024) /* sealed bytes held at most */
#define JOURNEY_SECRET_LEN 16
#define JOURNEY_NONCE_LEN 4
#define JOURNEY_TICKET_LEN 35 /* base64url of 26 bytes, unpadded */

/* The page number of the check-your-answers step is npages (seal.h). */
#define JOURNEY_FROM_SUMMARY 0x8000u /* page flag: a Change link */

enum journey_mode {
	JOURNEY_LIVE,  /* in progress: holds a state */
	JOURNEY_SAVED, /* saved as a draft: holds no state, maybe the code */
	JOURNEY_DONE,  /* submitted: holds nothing */
	JOURNEY_MODE__MAX
};

/* Which journey: the slot and its secret. */
struct journey_id {
	uint32_t slot;
	unsigned char secret[JOURNEY_SECRET_LEN];
};

/* What a ticket opened (journeys_open). */
struct journey_view {
	struct journey_id id;
	unsigned page;            /* page number with its flags */
	enum journey_mode mode;
	int lang;                 /* form language of an ended journey */
	char *held;               /* sealed state (LIVE), malloc'd, or NULL */
	char *flash;              /* sealed flash of this view, or NULL */
};

struct journeys;

/* NULL on allocation failure. */
struct journeys *journeys_new(void);
/* Wipe and free; safe with NULL. */
void journeys_free(struct journeys *js);

/*
 * A new live journey for the client tagged tag and form index form, in
 * the oldest slot. Returns 0 with *id, or -1 (lock failure).
 */
int journeys_create(struct journeys *js,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    struct journey_id *id);
/*
 * Keep held (a sealed state) as the journey's latest state, and flash (or
 * NULL) as the flash of a new view whose nonce is written to nonce. Both
 * strings are copied. The journey's idle time starts again. Returns 0, or
 * -1 when the journey is gone, is another client's or form's, or the
 * data would not fit (the caller then starts a new journey).
 */
int journeys_put(struct journeys *js, const struct journey_id *id,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form, const char *held,
    const char *flash, unsigned char nonce[JOURNEY_NONCE_LEN]);
/*
 * End the journey's state: mode JOURNEY_SAVED (with flash, shown by the
 * next fetch of the view with the returned nonce only) or JOURNEY_DONE;
 * lang is the form language its pages are then shown in.
 * Its held state is wiped at once. Returns 0, or -1 as journeys_put.
 */
int journeys_end(struct journeys *js, const struct journey_id *id,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    enum journey_mode mode, int lang, const char *flash,
    unsigned char nonce[JOURNEY_NONCE_LEN]);
/*
 * Open a ticket for form and the client tagged tag. 0 with *out filled
 * (free with journey_view_free), or -1 when there is nothing to show:
 * malformed, unknown, expired, another client's or another form's. A
 * flash shown once (a SAVED journey's) is wiped as it is taken.
 */
int journeys_open(struct journeys *js, const char *ticket,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    struct journey_view *out);
void journey_view_free(struct journey_view *v);

/* The ticket of page (with flags) of journey id under view nonce. */
void journey_ticket(const struct journey_id *id,
    const unsigned char nonce[JOURNEY_NONCE_LEN], unsigned page,
    char out[JOURNEY_TICKET_LEN + 1]);

#endif
