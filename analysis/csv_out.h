/*
 * The one CSV writer (RFC 4180): every field of every CSV the analysis
 * writes goes through csv_field(), which quotes a field when it holds a
 * comma, a quote, CR or LF (doubling quotes), and rows end in CRLF as the
 * RFC says. Numbers are formatted once, here, so that reruns give the same
 * bytes. Errors are sticky: check csv_close().
 */
#ifndef CANDOR_CSV_OUT_H
#define CANDOR_CSV_OUT_H

#include <stdint.h>
#include <stdio.h>

struct csv_out {
	FILE *fp;
	int nfield; /* fields written in the current row */
	int err;
};

/* Open path for writing; 0 or -1 (errno set). */
int csv_open(struct csv_out *c, const char *path);
/* Flush and close; 0, or -1 if any write failed. */
int csv_close(struct csv_out *c);
void csv_field(struct csv_out *c, const char *s); /* NULL: empty field */
/* A number as %.10g; NaN and infinities as an empty field. */
void csv_num(struct csv_out *c, double x);
void csv_uint(struct csv_out *c, uint64_t x);
void csv_end_row(struct csv_out *c);

#endif
