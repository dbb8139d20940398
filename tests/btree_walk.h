/*
 * A reader of SQLite's file format for privacy tests: it walks one b-tree
 * of a database image from its root page and reports, for every cell that
 * holds a 16-byte blob (a response id), where the bytes lie: page number,
 * cell offset in the page, index in the page's cell array, and the first
 * overflow page. Tests use it to prove that no physical order of the file
 * follows the order in which responses were submitted. It reads the file's
 * bytes directly, as a thief of the file would, not through SQLite.
 * (https://www.sqlite.org/fileformat2.html)
 */
#ifndef CANDOR_TEST_BTREE_WALK_H
#define CANDOR_TEST_BTREE_WALK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bt_cell {
	unsigned char id[16];
	uint32_t page;     /* page number (1-based) */
	uint32_t offset;   /* byte offset of the cell in its page */
	uint32_t index;    /* position in the page's cell pointer array */
	uint32_t overflow; /* first overflow page, 0 if none */
};

struct bt_image {
	const unsigned char *p;
	size_t len;
	uint32_t pagesz, usable, npages;
	struct bt_cell *cells;
	size_t ncells, cap;
	int bad; /* a malformed page was met */
};

static inline uint32_t
bt_u16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t
bt_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* A varint at p (at most end); returns bytes read, 0 if it overruns. */
static inline size_t
bt_varint(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < 9 && p + i < end; i++) {
		if (i == 8) {
			*v = (*v << 8) | p[i];
			return 9;
		}
		*v = (*v << 7) | (p[i] & 0x7f);
		if ((p[i] & 0x80) == 0)
			return i + 1;
	}
	return 0;
}

static inline int
bt_init(struct bt_image *im, const unsigned char *p, size_t len)
{
	memset(im, 0, sizeof(*im));
	if (len < 100 || memcmp(p, "SQLite format 3", 16) != 0)
		return -1;
	im->p = p;
	im->len = len;
	im->pagesz = bt_u16(p + 16) == 1 ? 65536 : bt_u16(p + 16);
	im->usable = im->pagesz - p[20];
	im->npages = (uint32_t)(len / im->pagesz);
	return 0;
}

static inline void
bt_free(struct bt_image *im)
{
	free(im->cells);
	im->cells = NULL;
	im->ncells = im->cap = 0;
}

/* The first 16-byte blob field of a record whose local bytes are rec. */
static inline int
bt_record_id(const unsigned char *rec, size_t n, unsigned char id[16])
{
	const unsigned char *end = rec + n, *h = rec;
	uint64_t hsz, t;
	size_t k, off;

	if ((k = bt_varint(h, end, &hsz)) == 0 || hsz > n)
		return -1;
	off = (size_t)hsz;
	for (h += k; h < rec + hsz; h += k) {
		if ((k = bt_varint(h, rec + hsz, &t)) == 0)
			return -1;
		if (t == 44) { /* a blob of 16 bytes */
			if (off + 16 > n)
				return -1;
			memcpy(id, rec + off, 16);
			return 0;
		}
		if (t >= 12)
			off += (size_t)((t - 12) / 2);
		else {
			static const size_t sz[12] = {0, 1, 2, 3, 4, 6, 8, 8,
				0, 0, 0, 0};
			off += sz[t];
		}
	}
	return -1;
}

static inline void
bt_push(struct bt_image *im, const struct bt_cell *c)
{
	if (im->ncells == im->cap) {
		size_t ncap = im->cap ? im->cap * 2 : 1024;
		struct bt_cell *nc = realloc(im->cells, ncap * sizeof(*nc));
		if (nc == NULL) {
			im->bad = 1;
			return;
		}
		im->cells = nc;
		im->cap = ncap;
	}
	im->cells[im->ncells++] = *c;
}

/* Walk the b-tree rooted at page pg (depth-limited), collecting cells. */
static inline void
bt_walk(struct bt_image *im, uint32_t pg, int depth)
{
	const unsigned char *page, *hdr, *end;
	uint32_t ncell, i, U = im->usable;
	int type, interior;

	if (pg == 0 || pg > im->npages || depth > 20) {
		im->bad = 1;
		return;
	}
	page = im->p + (size_t)(pg - 1) * im->pagesz;
	hdr = pg == 1 ? page + 100 : page;
	end = page + U;
	type = hdr[0];
	if (type != 2 && type != 5 && type != 10 && type != 13) {
		im->bad = 1;
		return;
	}
	interior = type == 2 || type == 5;
	ncell = bt_u16(hdr + 3);
	for (i = 0; i < ncell; i++) {
		uint32_t co = bt_u16(hdr + (interior ? 12 : 8) + 2 * i);
		const unsigned char *c = page + co;
		uint64_t psz = 0, rowid;
		size_t k, local, X, M, K;
		struct bt_cell cell;

		if (co >= U) {
			im->bad = 1;
			return;
		}
		if (interior) {
			bt_walk(im, bt_u32(c), depth + 1);
			c += 4;
		}
		if (type == 5)
			continue; /* table interior: a key only */
		if ((k = bt_varint(c, end, &psz)) == 0) {
			im->bad = 1;
			return;
		}
		c += k;
		if (type == 13) {
			if ((k = bt_varint(c, end, &rowid)) == 0) {
				im->bad = 1;
				return;
			}
			c += k;
			X = U - 35;
		} else
			X = (U - 12) * 64 / 255 - 23;
		M = (U - 12) * 32 / 255 - 23;
		if (psz <= X)
			local = (size_t)psz;
		else {
			K = M + (size_t)((psz - M) % (U - 4));
			local = K <= X ? K : M;
		}
		if (c + local > end) {
			im->bad = 1;
			return;
		}
		memset(&cell, 0, sizeof(cell));
		if (bt_record_id(c, local, cell.id) != 0)
			continue;
		cell.page = pg;
		cell.offset = co;
		cell.index = i;
		cell.overflow = local < psz && c + local + 4 <= end ?
		    bt_u32(c + local) : 0;
		bt_push(im, &cell);
	}
	if (interior)
		bt_walk(im, bt_u32(hdr + 8), depth + 1);
}

/*
 * Kendall's tau-b between x and y (n pairs), O(n^2): the rank correlation
 * of a physical position with the true order.
 */
static inline double
bt_kendall(const double *x, const double *y, size_t n)
{
	double conc = 0, disc = 0, tx = 0, ty = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			double dx = x[i] - x[j], dy = y[i] - y[j];
			if (dx == 0 && dy == 0)
				continue;
			if (dx == 0)
				tx++;
			else if (dy == 0)
				ty++;
			else if ((dx > 0) == (dy > 0))
				conc++;
			else
				disc++;
		}
	if (conc + disc == 0)
		return 0;
	return (conc - disc) / sqrt((conc + disc + tx) * (conc + disc + ty));
}

#endif
