/*
 * The decoded responses of one form, column-wise. Each stored row is read
 * once (store_foreach, id order), decoded against the form with
 * form_answers_from_json(), rescored with form_score() (one engine), and
 * its values are appended to one column per variable. The statistics then
 * walk the columns, never the rows again.
 *
 * Columns are compact so that a million responses fit in memory: an item
 * holding a small integer (choice codes, scales, yes/no, grid rows, integer
 * items whose range fits) is an int16_t array; decimal items and scores are
 * double arrays (NaN: no value); multiple choices are bit masks over the
 * choice indexes. Free text is not kept (it is never published).
 *
 * A "known" value is one statistics may use: set, and not a choice marked
 * "missing" ("prefer not to say"). ds_known()/ds_num() give it.
 */
#ifndef CANDOR_DATASET_H
#define CANDOR_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "form.h"
#include "form_versions.h"
#include "store.h"

#define DS_NONE INT16_MIN /* an int16 cell without a value */
#define DS_FAIL_KEEP 20   /* distinct decode problems kept for the report */
#define DS_VERSIONS_MAX 64 /* form versions counted one by one */

enum ds_kind {
	DS_I16,  /* small integers; DS_NONE when unset */
	DS_F64,  /* doubles; NaN when unset */
	DS_MASK, /* multiple choice: uint64_t mask, 0 with set == 0 unset */
	DS_SKIP, /* free text: not kept */
	DS_KIND__MAX
};

struct ds_col {
	enum ds_kind kind;
	int16_t *i16;
	double *f64;
	uint64_t *mask;
	uint8_t *mset; /* DS_MASK: 1 when answered (a mask may be 0) */
	/*
	 * Value range of an integer variable (from the form: choices, min and
	 * max), so counts vectors can be sized; small is 1 when every known
	 * value is an integer in [lo, hi] and hi - lo < STATS_COUNTS_MAX.
	 */
	long lo, hi;
	int small;
	uint8_t *is_missing; /* hi - lo + 1 flags: code is a "missing" choice */
	uint64_t excl;       /* DS_MASK: bits of exclusive choices */
};

/* The rows read of one form version, and how they were decoded. */
struct ds_version {
	long version;
	uint64_t rows;
	enum form_src_kind kind;
};

/* One distinct decode problem and how many rows had it. */
struct ds_fail {
	char *what; /* "peg_pain: out of range" */
	uint64_t rows;
};

struct dataset {
	const struct form *form;
	size_t n;   /* rows decoded and kept */
	size_t cap;
	struct ds_col *cols; /* form->nvars */
	uint64_t rows_read;  /* rows of the form read from the store */
	uint64_t rows_failed; /* rows that could not be decoded (not kept) */
	uint64_t rows_other_version; /* kept rows of another form version */
	struct ds_fail fails[DS_FAIL_KEEP];
	size_t nfails;
	uint64_t fails_other; /* rows whose problem was not kept */
	struct ds_version versions[DS_VERSIONS_MAX]; /* by version */
	size_t nversions;
	uint64_t versions_other; /* rows of versions beyond the table */
	unsigned char sha256[32]; /* of the rows read, in id order */
};

/*
 * Read every response of form f from the open store into a new dataset.
 * A row is decoded with the form of its own version when the database
 * stores it, and mapped onto f (form_versions.h); rows of a version with
 * no stored form are decoded against f. A database whose versions f
 * cannot read (form_versions_load() refuses) is an error naming the
 * first problem.
 * progress (may be NULL) is called now and then with rows done and the
 * total. Returns 0 and sets *out (free with dataset_free()), or -1 with a
 * message in err. Rows that fail to decode are counted, not kept.
 */
int dataset_load(struct store *st, const struct form *f,
    void (*progress)(uint64_t done, uint64_t total, void *arg), void *parg,
    struct dataset **out, char *err, size_t errsz);

/* An empty dataset for f with room for cap rows (tests build their own). */
struct dataset *dataset_new(const struct form *f, size_t cap);
/* Append the values of one decoded, scored response; 0 or -1 (memory). */
int dataset_append(struct dataset *d, const struct form_answers *a);
void dataset_free(struct dataset *d);

/* Is the value of variable iv in row r set at all (missing codes too)? */
int ds_set(const struct dataset *d, size_t iv, size_t r);
/* Is it usable by statistics (set and not a "missing" choice)? */
int ds_known(const struct dataset *d, size_t iv, size_t r);
/*
 * The number statistics use (as form_value_number(): a multiple choice
 * gives the count of options chosen, not counting an exclusive one);
 * returns 1 and sets *x when known, else 0.
 */
int ds_num(const struct dataset *d, size_t iv, size_t r, double *x);
/* The raw integer code of an integer column (missing codes too); 0 if unset. */
int ds_code(const struct dataset *d, size_t iv, size_t r, long *code);

#endif
