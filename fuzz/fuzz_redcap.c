/*
 * Fuzz target: the REDCap data-dictionary reader and importer. For input
 * that imports, the form must load, export, and export to the same rows
 * after a second import (the round trip the importer promises).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_dict(const struct redcap_dict *a, const struct redcap_dict *b)
{
	if (a->nrows != b->nrows)
		return 0;
	for (size_t i = 0; i < a->nrows; i++)
		for (int c = 0; c < RC__MAX; c++)
			if (strcmp(a->rows[i].f[c], b->rows[i].f[c]) != 0)
				return 0;
	return 1;
}

/* Import d as a form; NULL if it does not import. */
static struct form *
import(const struct redcap_dict *d)
{
	struct diag err, warn, ld;
	struct form *f = NULL;
	char *json = NULL;

	diag_init(&err);
	diag_init(&warn);
	diag_init(&ld);
	if (redcap_import("fuzz.csv", d, "fuzz", &json, &err, &warn) == 0 &&
	    form_load_buffer("fuzz.json", json, strlen(json), &f, &ld) != 0)
		abort(); /* an import that succeeded must load */
	free(json);
	diag_free(&err);
	diag_free(&warn);
	diag_free(&ld);
	return f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redcap_dict d, e1, e2;
	struct diag dg;
	struct form *f, *g;

	diag_init(&dg);
	if (redcap_csv_parse("fuzz.csv", (const char *)data, size, &d, &dg) !=
	    0) {
		diag_free(&dg);
		return 0;
	}
	if ((f = import(&d)) != NULL) {
		if (redcap_export("fuzz.json", f, &e1, &dg) != 0)
			abort(); /* an imported form must export */
		if ((g = import(&e1)) == NULL)
			abort(); /* our own export must import */
		if (redcap_export("fuzz.json", g, &e2, &dg) != 0 ||
		    !same_dict(&e1, &e2))
			abort(); /* and be stable */
		redcap_dict_free(&e2);
		form_free(g);
		redcap_dict_free(&e1);
	}
	form_free(f);
	redcap_dict_free(&d);
	diag_free(&dg);
	return 0;
}
