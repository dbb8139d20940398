/*
 * Receipts shown once. After a submission is stored, the browser is sent
 * to the thank-you page with a ticket in the URL; the ticket is a random
 * key into a table held in this process's memory only. The first fetch
 * from the same client address within RECEIPT_TTL seconds takes the code
 * out of the table and wipes it; any other fetch finds nothing. The ticket
 * is derived from nothing stored, so a log of every URL, with the database
 * and its key, links no row: once taken, expired or evicted, a ticket opens
 * nothing, and it never leaves memory.
 *
 * The table is a ring of RECEIPT_SLOTS entries: under a flood of
 * submissions the oldest untaken receipt is overwritten.
 */
#ifndef CANDOR_COLLECTOR_RECEIPT_H
#define CANDOR_COLLECTOR_RECEIPT_H

#include <stddef.h>

#include "abuse.h"
#include "code.h"

#define RECEIPT_SLOTS 16384
#define RECEIPT_TTL 600 /* seconds a receipt waits to be shown */
/* base64url of a 4-byte slot index and 16 random bytes, unpadded */
#define RECEIPT_TICKET_LEN 27

struct receipts;

/* NULL on allocation failure. */
struct receipts *receipts_new(void);
/* Wipe and free; safe with NULL. */
void receipts_free(struct receipts *rs);

/*
 * Keep code (canonical form) for the client tagged tag, with the form's
 * index and the language it was answered in; writes the ticket (NUL-
 * terminated) to ticket. Returns 0, or -1 if code is not a canonical code.
 */
int receipts_put(struct receipts *rs, const unsigned char tag[ABUSE_TAG_LEN],
    size_t form, int lang, const char *code,
    char ticket[RECEIPT_TICKET_LEN + 1]);
/*
 * Take the receipt of ticket for form: 0 with code, lang filled and the
 * entry wiped; -1 when there is none (unknown, malformed, taken, expired,
 * another form, or another client: the entry is then left alone).
 */
int receipts_take(struct receipts *rs, const char *ticket,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    char code[CODE_LEN + 1], int *lang);

#endif
