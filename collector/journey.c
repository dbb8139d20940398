/*
 * The journey table (journey.h): a fixed ring of slots guarded by one
 * mutex. A slot keeps a hash of its secret, never the secret, so the table
 * alone opens no ticket and the sealed data it holds (under keys derived
 * from the secret, seal_held) cannot be read from it. Idle times are
 * monotonic seconds, used only to forget.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "journey.h"

#define JOURNEY_RAW (4 + JOURNEY_SECRET_LEN + JOURNEY_NONCE_LEN + 2)

struct journey_slot {
	unsigned char hash[32]; /* BLAKE2b of the secret */
	unsigned char tag[ABUSE_TAG_LEN];
	size_t form;
	int used;
	enum journey_mode mode;
	int lang;
	char *held;
	char *flash;
	unsigned char flash_nonce[JOURNEY_NONCE_LEN];
	int flash_once;   /* wiped by the first fetch */
	double expires;   /* monotonic seconds */
};

struct journeys {
	pthread_mutex_t mu;
	uint32_t next;   /* the slot the next journey takes */
	size_t bytes;    /* held + flash bytes in all slots */
	struct journey_slot slot[JOURNEY_SLOTS];
};

static double
journey_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
journey_hash(const unsigned char secret[JOURNEY_SECRET_LEN],
    unsigned char out[32])
{
	static const char domain[] = "candor journey id";

	crypto_generichash(out, 32, secret, JOURNEY_SECRET_LEN,
	    (const unsigned char *)domain, sizeof(domain) - 1);
}

/* Free and wipe one string of a slot, keeping the byte count. */
static void
journey_drop_str(struct journeys *js, char **s)
{
	size_t n;

	if (*s == NULL)
		return;
	n = strlen(*s);
	js->bytes -= n < js->bytes ? n : js->bytes;
	sodium_memzero(*s, n);
	free(*s);
	*s = NULL;
}

static void
journey_clear(struct journeys *js, struct journey_slot *sl)
{
	journey_drop_str(js, &sl->held);
	journey_drop_str(js, &sl->flash);
	sodium_memzero(sl, sizeof(*sl));
}

struct journeys *
journeys_new(void)
{
	struct journeys *js = calloc(1, sizeof(*js));

	if (js == NULL)
		return NULL;
	if (pthread_mutex_init(&js->mu, NULL) != 0) {
		free(js);
		return NULL;
	}
	return js;
}

void
journeys_free(struct journeys *js)
{
	size_t i;

	if (js == NULL)
		return;
	for (i = 0; i < JOURNEY_SLOTS; i++)
		journey_clear(js, &js->slot[i]);
	pthread_mutex_destroy(&js->mu);
	sodium_memzero(js, sizeof(*js));
	free(js);
}

int
journeys_create(struct journeys *js, const unsigned char tag[ABUSE_TAG_LEN],
    size_t form, struct journey_id *id)
{
	struct journey_slot *sl;

	randombytes_buf(id->secret, sizeof(id->secret));
	if (pthread_mutex_lock(&js->mu) != 0)
		return -1;
	id->slot = js->next;
	js->next = (js->next + 1) % JOURNEY_SLOTS;
	sl = &js->slot[id->slot];
	journey_clear(js, sl);
	journey_hash(id->secret, sl->hash);
	memcpy(sl->tag, tag, ABUSE_TAG_LEN);
	sl->form = form;
	sl->used = 1;
	sl->mode = JOURNEY_LIVE;
	sl->expires = journey_now() + JOURNEY_IDLE;
	pthread_mutex_unlock(&js->mu);
	return 0;
}

/*
 * The slot of id when it is live for this client and form, else NULL;
 * an expired slot is cleared on the way. Called with the lock held.
 */
static struct journey_slot *
journey_find(struct journeys *js, const struct journey_id *id,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form)
{
	struct journey_slot *sl;
	unsigned char h[32];

	if (id->slot >= JOURNEY_SLOTS)
		return NULL;
	sl = &js->slot[id->slot];
	if (!sl->used)
		return NULL;
	journey_hash(id->secret, h);
	if (sodium_memcmp(h, sl->hash, sizeof(h)) != 0)
		return NULL;
	if (sl->expires < journey_now()) {
		journey_clear(js, sl);
		return NULL;
	}
	if (sl->form != form || sodium_memcmp(sl->tag, tag, ABUSE_TAG_LEN) != 0)
		return NULL;
	return sl;
}

/*
 * Make room for need more bytes by dropping the oldest journeys other
 * than keep. Returns 0, or -1 when need alone is over the cap.
 */
static int
journey_room(struct journeys *js, const struct journey_slot *keep,
    size_t need)
{
	uint32_t i, k;

	if (need > JOURNEY_BYTES)
		return -1;
	for (k = 0, i = js->next; js->bytes + need > JOURNEY_BYTES &&
	    k < JOURNEY_SLOTS; k++, i = (i + 1) % JOURNEY_SLOTS)
		if (&js->slot[i] != keep && js->slot[i].used)
			journey_clear(js, &js->slot[i]);
	return js->bytes + need > JOURNEY_BYTES ? -1 : 0;
}

/* A copy of s counted in js->bytes, or NULL. */
static char *
journey_dup(struct journeys *js, const char *s)
{
	size_t n = strlen(s);
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, n + 1);
	js->bytes += n;
	return d;
}

int
journeys_put(struct journeys *js, const struct journey_id *id,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form, const char *held,
    const char *flash, unsigned char nonce[JOURNEY_NONCE_LEN])
{
	struct journey_slot *sl;
	size_t need = strlen(held) + (flash != NULL ? strlen(flash) : 0);
	int rc = -1;

	randombytes_buf(nonce, JOURNEY_NONCE_LEN);
	if (pthread_mutex_lock(&js->mu) != 0)
		return -1;
	if ((sl = journey_find(js, id, tag, form)) == NULL)
		goto out;
	journey_drop_str(js, &sl->held);
	journey_drop_str(js, &sl->flash);
	if (journey_room(js, sl, need) != 0)
		goto out;
	if ((sl->held = journey_dup(js, held)) == NULL)
		goto out;
	if (flash != NULL) {
		if ((sl->flash = journey_dup(js, flash)) == NULL)
			goto out;
		memcpy(sl->flash_nonce, nonce, JOURNEY_NONCE_LEN);
		sl->flash_once = 0;
	}
	sl->mode = JOURNEY_LIVE;
	sl->expires = journey_now() + JOURNEY_IDLE;
	rc = 0;
out:
	pthread_mutex_unlock(&js->mu);
	return rc;
}

int
journeys_end(struct journeys *js, const struct journey_id *id,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    enum journey_mode mode, int lang, const char *flash,
    unsigned char nonce[JOURNEY_NONCE_LEN])
{
	struct journey_slot *sl;
	int rc = -1;

	randombytes_buf(nonce, JOURNEY_NONCE_LEN);
	if (pthread_mutex_lock(&js->mu) != 0)
		return -1;
	if ((sl = journey_find(js, id, tag, form)) == NULL)
		goto out;
	journey_drop_str(js, &sl->held);
	journey_drop_str(js, &sl->flash);
	sl->mode = mode;
	sl->lang = lang;
	sl->expires = journey_now() + JOURNEY_IDLE;
	if (flash != NULL && journey_room(js, sl, strlen(flash)) == 0 &&
	    (sl->flash = journey_dup(js, flash)) != NULL) {
		memcpy(sl->flash_nonce, nonce, JOURNEY_NONCE_LEN);
		sl->flash_once = 1;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&js->mu);
	return rc;
}

/* The keystream that hides the page number of a ticket. */
static void
journey_pad(const unsigned char secret[JOURNEY_SECRET_LEN],
    const unsigned char nonce[JOURNEY_NONCE_LEN], unsigned char pad[2])
{
	unsigned char out[16];

	crypto_generichash(out, sizeof(out), nonce, JOURNEY_NONCE_LEN, secret,
	    JOURNEY_SECRET_LEN);
	pad[0] = out[0];
	pad[1] = out[1];
	sodium_memzero(out, sizeof(out));
}

void
journey_ticket(const struct journey_id *id,
    const unsigned char nonce[JOURNEY_NONCE_LEN], unsigned page,
    char out[JOURNEY_TICKET_LEN + 1])
{
	unsigned char raw[JOURNEY_RAW], pad[2];
	unsigned char *p = raw;

	*p++ = (unsigned char)(id->slot >> 24);
	*p++ = (unsigned char)(id->slot >> 16);
	*p++ = (unsigned char)(id->slot >> 8);
	*p++ = (unsigned char)id->slot;
	memcpy(p, id->secret, JOURNEY_SECRET_LEN);
	p += JOURNEY_SECRET_LEN;
	memcpy(p, nonce, JOURNEY_NONCE_LEN);
	p += JOURNEY_NONCE_LEN;
	journey_pad(id->secret, nonce, pad);
	*p++ = (unsigned char)((page >> 8) & 0xffu) ^ pad[0];
	*p = (unsigned char)(page & 0xffu) ^ pad[1];
	sodium_bin2base64(out, JOURNEY_TICKET_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* Decode a ticket; 0, or -1 when it is not one. */
static int
journey_parse(const char *ticket, struct journey_id *id,
    unsigned char nonce[JOURNEY_NONCE_LEN], unsigned *page)
{
	unsigned char raw[JOURNEY_RAW], pad[2];
	size_t blen = 0;

	if (ticket == NULL || strlen(ticket) != JOURNEY_TICKET_LEN ||
	    strspn(ticket, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != JOURNEY_TICKET_LEN ||
	    sodium_base642bin(raw, sizeof(raw), ticket, JOURNEY_TICKET_LEN,
	    NULL, &blen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    blen != sizeof(raw))
		return -1;
	id->slot = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
	    (uint32_t)raw[2] << 8 | raw[3];
	memcpy(id->secret, raw + 4, JOURNEY_SECRET_LEN);
	memcpy(nonce, raw + 4 + JOURNEY_SECRET_LEN, JOURNEY_NONCE_LEN);
	journey_pad(id->secret, nonce, pad);
	*page = (unsigned)(raw[JOURNEY_RAW - 2] ^ pad[0]) << 8 |
	    (unsigned)(raw[JOURNEY_RAW - 1] ^ pad[1]);
	sodium_memzero(raw, sizeof(raw));
	return id->slot < JOURNEY_SLOTS ? 0 : -1;
}


/* A malloc'd copy of s (not counted), or NULL. */
static char *
journey_copy(const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if ((d = malloc(n + 1)) != NULL)
		memcpy(d, s, n + 1);
	return d;
}

int
journeys_open(struct journeys *js, const char *ticket,
    const unsigned char tag[ABUSE_TAG_LEN], size_t form,
    struct journey_view *out)
{
	unsigned char nonce[JOURNEY_NONCE_LEN];
	struct journey_slot *sl;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (journey_parse(ticket, &out->id, nonce, &out->page) != 0)
		return -1;
	if (pthread_mutex_lock(&js->mu) != 0)
		return -1;
	if ((sl = journey_find(js, &out->id, tag, form)) == NULL)
		goto out;
	out->mode = sl->mode;
	out->lang = sl->lang;
	if (sl->held != NULL && (out->held = journey_copy(sl->held)) == NULL)
		goto out;
	if (sl->flash != NULL &&
	    sodium_memcmp(sl->flash_nonce, nonce, JOURNEY_NONCE_LEN) == 0) {
		if ((out->flash = journey_copy(sl->flash)) == NULL)
			goto out;
		if (sl->flash_once)
			journey_drop_str(js, &sl->flash);
	}
	sl->expires = journey_now() + JOURNEY_IDLE;
	rc = 0;
out:
	pthread_mutex_unlock(&js->mu);
	if (rc != 0)
		journey_view_free(out);
	return rc;
}

void
journey_view_free(struct journey_view *v)
{
	if (v->held != NULL) {
		sodium_memzero(v->held, strlen(v->held));
		free(v->held);
	}
	if (v->flash != NULL) {
		sodium_memzero(v->flash, strlen(v->flash));
		free(v->flash);
	}
	sodium_memzero(v, sizeof(*v));
}
