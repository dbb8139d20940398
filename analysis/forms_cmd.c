/*
 * "analysis forms" (docs/analysis.md, "forms"): the form versions a
 * database holds (form_version, store.h), so an old database can be
 * analysed without the old form files. It lists every version that is
 * stored or has rows: id, version, SHA-256 of the stored bytes ("-" when
 * the version's rows came before forms were stored) and its rows; with
 * --out it writes each stored version, byte for byte, as
 * DIR/ID-vVERSION.json. The database is opened read-only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "fmode.h"
#include "store.h"

#define CMD "forms"

struct forms_walk {
	const char *out; /* NULL: list only */
	int bad;
};

static void
hex32(const unsigned char *h, char out[65])
{
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Write one stored version under w->out; 0 or -1 (said on stderr). */
static int
write_form(const struct forms_walk *w, const struct store_form *sf,
    char *path, size_t pathsz)
{
	FILE *fp;

	snprintf(path, pathsz, "%s/%s-v%ld.json", w->out, sf->form_id,
	    sf->version);
	if ((fp = fmode_fopen(path, fmode_file())) == NULL) {
		fprintf(stderr, "analysis " CMD ": --out %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if ((sf->len > 0 && fwrite(sf->body, 1, sf->len, fp) != sf->len) ||
	    fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		fprintf(stderr, "analysis " CMD ": --out %s: %s\n", path,
		    strerror(errno));
		fclose(fp);
		return -1;
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "analysis " CMD ": --out %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
forms_cb(const struct store_form *sf, void *arg)
{
	struct forms_walk *w = arg;
	char sha[65] = "-", path[4200] = "";

	if (sf->stored)
		hex32(sf->sha256, sha);
	if (sf->stored && w->out != NULL && write_form(w, sf, path,
	    sizeof(path)) != 0) {
		w->bad = 1;
		return 1;
	}
	printf("%s\t%ld\t%s\t%lld%s%s\n", sf->form_id, sf->version, sha,
	    sf->rows, path[0] != '\0' ? "\t" : (sf->stored ? "" :
	    "\tnot stored: rows decoded against the current form"), path);
	return 0;
}

int
cmd_forms(const char *const *val)
{
	struct forms_walk w;
	struct store *st = NULL;
	char err[1024];
	int rc = 1, src;

	memset(&w, 0, sizeof(w));
	w.out = val[FLAG_OUT];
	if (w.out != NULL &&
	    fmode_mkdirs(w.out, fmode_dir(), err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis " CMD ": --out %s\n", err);
		return 1;
	}
	if (store_open(val[FLAG_DB], STORE_RDONLY, &st, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "analysis " CMD ": --db %s: %s\n",
		    val[FLAG_DB], err);
		return 1;
	}
	if (store_schema_version(st) < STORE_SCHEMA_FORMS) {
		fprintf(stderr, "analysis " CMD ": --db %s: schema version %d "
		    "stores no forms (open it read-write once, with analysis "
		    "import or the collector, to upgrade it to %d)\n",
		    val[FLAG_DB], store_schema_version(st), STORE_SCHEMA_FORMS);
		goto out;
	}
	printf("form\tversion\tsha256\trows%s\n", w.out != NULL ? "\tfile" :
	    "");
	src = store_form_foreach(st, NULL, forms_cb, &w);
	if (src != STORE_OK && !w.bad) {
		fprintf(stderr, "analysis " CMD ": --db %s: %s\n",
		    val[FLAG_DB], store_errmsg(st));
		goto out;
	}
	if (!w.bad)
		rc = fflush(stdout) == 0 ? 0 : 1;
out:
	store_close(st);
	return rc;
}
