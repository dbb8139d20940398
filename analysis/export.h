/*
 * De-identified row-level exports and aggregate exports (docs/exports.md).
 *
 * A row-level export never carries free text, response ids, receipt
 * hashes, form or consent versions or the submission period. The
 * quasi-identifiers of the form (items with "quasi_identifier": true) are
 * made k-anonymous by full-domain generalization along the hierarchies of
 * the form file ("generalize") followed by local suppression; rows are
 * shuffled and numbered 1..n afresh. export.c holds the de-identification
 * and the CSV/JSON writers, export_pkg.c the SPSS, R and Stata scripts.
 */
#ifndef CANDOR_EXPORT_H
#define CANDOR_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "form.h"

/* The code written for a quasi-identifier suppressed for anonymity. */
#define EXPORT_SUPPRESSED (-8L)
#define EXPORT_SUPPRESSED_LABEL "suppressed for anonymity"
#define EXPORT_MAX_SUPPRESS_DEFAULT 5.0
#define EXPORT_K_DEFAULT 10L

struct export_opts {
	long k;                  /* at least 5 */
	double max_suppress_pct; /* 0..50: rows suppressed before raising */
	int private_run;         /* outside the release ledger (--no-ledger):
	                          * deidentification.json says "not for
	                          * publication" */
};

struct export_stats {
	uint64_t rows;               /* rows exported */
	uint64_t values_generalized; /* QI values replaced by a coarser code */
	uint64_t values_suppressed;  /* QI values replaced by the suppressed code */
	uint64_t rows_suppressed;    /* rows with their QIs suppressed */
};

enum export_format {
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_SPSS,
	EXPORT_R,
	EXPORT_STATA,
	EXPORT_AGGREGATE,
	EXPORT_FORMAT__MAX
};

/* "csv" ... "aggregate" to the enum; -1 when unknown. */
int export_format_parse(const char *s);

/*
 * Row-level de-identified CSV (the csv format's data.csv) built in memory;
 * the collector's API serves it. On success returns 0, sets *out to a
 * malloc'd buffer of *len bytes (the caller frees it) and fills *st (may be
 * NULL). Returns -1 with a message in err when there are fewer than k rows
 * or memory runs out.
 */
int export_rows_csv(const struct form *f, const struct dataset *d,
    const struct export_opts *o, char **out, size_t *len,
    struct export_stats *st, char *err, size_t errsz);

/*
 * Write a row-level export of format fmt (not EXPORT_AGGREGATE) into the
 * existing directory dir: the data file(s), the codebook or the loading
 * script, and deidentification.json. Each file is written under a
 * temporary name, synced and renamed. Before anything is written the data
 * are checked (fewer than k rows: -1, nothing written). report (may be
 * NULL) receives a human-readable summary of what was generalized and
 * suppressed. Returns 0, or -1 with a message in err.
 */
int export_write(const struct form *f, const struct dataset *d,
    enum export_format fmt, const struct export_opts *o, const char *dir,
    struct export_stats *st, FILE *report, char *err, size_t errsz);

/*
 * Write len bytes to dir/name atomically (temporary file in dir, fsync,
 * rename, fsync of dir). Returns 0, or -1 with a message in err.
 */
int export_write_file(const char *dir, const char *name, const char *buf,
    size_t len, char *err, size_t errsz);

#endif
