/*
 * Shared by the files of the export module only (export.c builds the
 * de-identified table, export_pkg.c writes the SPSS, R and Stata scripts
 * that load it). The table is a plan of output columns over the dataset,
 * in a shuffled row order, with the generalization level of every
 * quasi-identifier and the rows whose quasi-identifiers are suppressed;
 * xcell() renders one cell, so every writer prints the same values.
 */
#ifndef CANDOR_EXPORT_INT_H
#define CANDOR_EXPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "export.h"
#include "form.h"

#define XSPSS_VAR_LABEL_MAX 255 /* bytes of an SPSS variable label */
#define XSPSS_VAL_LABEL_MAX 120 /* bytes of an SPSS value label */
#define XSTATA_VAR_LABEL_MAX 80 /* characters of a Stata variable label */
#define XMISS_MAX 4             /* missing codes kept per variable */

enum xcol {
	XC_ROW,    /* export-local row number 1..n */
	XC_INT,    /* integer codes or counts */
	XC_REAL,   /* decimals and mean scores */
	XC_OPTION, /* one option of a multiple choice: 0/1 */
	XC__MAX
};

enum xmeasure { XM_NOMINAL, XM_ORDINAL, XM_SCALE, XM__MAX };

struct xval {
	long code;
	char *label; /* owned */
};

struct xvar {
	char *name;  /* owned; a column name of data.csv */
	char *label; /* owned; default language */
	enum xcol kind;
	enum xmeasure measure;
	size_t iv;  /* form variable; unused for XC_ROW */
	size_t opt; /* XC_OPTION: choice index */
	struct xval *vals; /* value labels, in code order of the form */
	size_t nvals;
	long miss[XMISS_MAX]; /* missing codes ("prefer not to say", suppressed) */
	size_t nmiss;
	long qi; /* index into xtable.qis, or -1 */
	int factor; /* coded: R makes it a factor of its value labels */
};

struct xqi {
	size_t iv;
	const struct form_item *item;
	size_t level; /* level used: 0 original, top suppressed */
	size_t top;   /* ngeneralize + 1 */
	long supp;    /* the code written when suppressed */
	long lo;      /* single and duration items: lowest choice value */
	size_t span;  /* hi - lo + 1; 0 for other items */
	long *map;    /* map[(l - 1) * span + code - lo]: group value at l */
	uint64_t generalized, suppressed; /* values, in the output */
};

struct xtable {
	const struct form *f;
	const struct dataset *d;
	size_t n;
	size_t *perm;   /* output row i is dataset row perm[i] */
	uint8_t *rsupp; /* output row i has its quasi-identifiers suppressed */
	struct xqi *qis;
	size_t nqi;
	struct xvar *vars;
	size_t nvars;
	size_t ndropped; /* scores left out: computed from quasi-identifiers */
	struct export_stats st;
	long k;
	double max_pct;
	int private_run;
};

/*
 * Shuffle, de-identify and plan the columns. Returns 0 and sets *out, or
 * -1 with a message in err (fewer than k rows, memory).
 */
int xtable_build(const struct form *f, const struct dataset *d,
    const struct export_opts *o, struct xtable **out, char *err,
    size_t errsz);
void xtable_free(struct xtable *t);
/* The text of a cell (a number), or NULL for an empty cell; buf >= 40. */
const char *xcell(const struct xtable *t, const struct xvar *v, size_t i,
    char *buf, size_t n);
/* The generalization level as text: "0", "1", ... or "*" (suppressed). */
const char *xlevel_text(const struct xqi *q, char *buf, size_t n);

/* Move every file of tmpdir into dir (synced, renamed), remove tmpdir. */
int xpublish_dir(const char *tmpdir, const char *dir, char *err,
    size_t errsz);

/* Remove the files of tmpdir and tmpdir itself. */
void xdiscard_dir(const char *tmpdir);

/* Scripts that load data.csv (export_pkg.c); 0, or -1 on a write error. */
int xpkg_spss(const struct xtable *t, FILE *fp);
int xpkg_r(const struct xtable *t, FILE *fp);
int xpkg_stata(const struct xtable *t, FILE *fp);

#endif
