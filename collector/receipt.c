/*
 * The one-time receipt table (receipt.h): a fixed ring of slots guarded by
 * one mutex. A ticket names its slot and carries 16 random bytes that must
 * match the slot's (compared in constant time), so tickets cannot be
 * guessed, and a slot reused for a later receipt never answers an earlier
 * ticket.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "receipt.h"

#define RECEIPT_NONCE 16

struct receipt_slot {
	unsigned char nonce[RECEIPT_NONCE];
	unsigned char tag[ABUSE_TAG_LEN];
	char code[CODE_LEN + 1];
	size_t form;
	int lang;
	int used;        /* 1 while it holds a receipt */
	double expires;  /* monotonic seconds */
};

struct receipts {
	pthread_mutex_t mu;
	uint32_t next; /* the slot the next receipt takes */
	struct receipt_slot slot[RECEIPT_SLOTS];
};

static double
receipt_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct receipts *
receipts_new(void)
{
	struct receipts *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	if (pthread_mutex_init(&rs->mu, NULL) != 0) {
		free(rs);
		return NULL;
	}
	return rs;
}

void
receipts_free(struct receipts *rs)
{
	if (rs == NULL)
		return;
	pthread_mutex_destroy(&rs->mu);
	sodium_memzero(rs, sizeof(*rs));
	free(rs);
}

int
receipts_put(struct receipts *rs, const unsigned char tag[ABUSE_TAG_LEN],
    size_t form, int lang, const char *code,
    char ticket[RECEIPT_TICKET_LEN + 1])
{
	unsigned char raw[4 + RECEIPT_NONCE];
	struct receipt_slot *sl;
	uint32_t i;

	if (strlen(code) != CODE_LEN)
		return -1;
	if (pthread_mutex_lock(&rs->mu) != 0)
		return -1;
	i = rs->next;
	rs->next = (rs->next + 1) % RECEIPT_SLOTS;
	sl = &rs->slot[i];
	randombytes_buf(sl->nonce, sizeof(sl->nonce));
	memcpy(sl->tag, tag, ABUSE_TAG_LEN);
	memcpy(sl->code, code, CODE_LEN + 1);
	sl->form = form;
	sl->lang = lang;
	sl->used = 1;
	sl->expires = receipt_now() + RECEIPT_TTL;
	raw[0] = (unsigned char)(i >> 24);
	raw[1] = (unsigned char)(i >> 16);
	raw[2] = (unsigned char)(i >> 8);
	raw[3] = (unsigned char)i;
	memcpy(raw + 4, sl->nonce, RECEIPT_NONCE);
	pthread_mutex_unlock(&rs->mu);
	sodium_bin2base64(ticket, RECEIPT_TICKET_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int
receipts_take(struct receipts *rs, const char *ticket,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    char code[CODE_LEN + 1], int *lang)
{
	unsigned char raw[4 + RECEIPT_NONCE];
	struct receipt_slot *sl;
	size_t blen = 0;
	uint32_t i;
	int rc = -1;

	if (ticket == NULL || strlen(ticket) != RECEIPT_TICKET_LEN ||
	    strspn(ticket, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != RECEIPT_TICKET_LEN ||
	    sodium_base642bin(raw, sizeof(raw), ticket, RECEIPT_TICKET_LEN,
	    NULL, &blen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    blen != sizeof(raw))
		return -1;
	i = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
	    (uint32_t)raw[2] << 8 | raw[3];
	if (i >= RECEIPT_SLOTS)
		return -1;
	if (pthread_mutex_lock(&rs->mu) != 0)
		return -1;
	sl = &rs->slot[i];
	if (!sl->used ||
	    sodium_memcmp(sl->nonce, raw + 4, RECEIPT_NONCE) != 0)
		goto out;
	if (sl->expires < receipt_now()) {
		sodium_memzero(sl, sizeof(*sl)); /* expired: gone */
		goto out;
	}
	if (sl->form != form ||
	    sodium_memcmp(sl->tag, tag, ABUSE_TAG_LEN) != 0)
		goto out;
	memcpy(code, sl->code, CODE_LEN + 1);
	*lang = sl->lang;
	sodium_memzero(sl, sizeof(*sl));
	rc = 0;
out:
	pthread_mutex_unlock(&rs->mu);
	sodium_memzero(raw, sizeof(raw));
	return rc;
}
