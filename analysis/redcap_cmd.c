/*
 * analysis redcap-export / redcap-import: the command-line ends of
 * analysis/redcap.c. Export writes the dictionary rows through the one CSV
 * writer; import reads the dictionary, prints every problem (warnings
 * too) and writes the form file only when nothing changes its meaning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "csv_out.h"
#include "fmode.h"
#include "redcap.h"

/* Read a whole file of at most max bytes; NULL with a message. */
static char *
read_all(const char *cmd, const char *path, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;

	if (fp == NULL) {
		fprintf(stderr, "analysis %s: %s: cannot open: %s\n", cmd, path,
		    strerror(errno));
		return NULL;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(fp);
		fprintf(stderr, "analysis %s: out of memory\n", cmd);
		return NULL;
	}
	n = fread(buf, 1, max + 1, fp);
	if (ferror(fp)) {
		fprintf(stderr, "analysis %s: %s: read error: %s\n", cmd, path,
		    strerror(errno));
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[n < max + 1 ? n : max] = '\0';
	*len = n;
	return buf;
}

int
cmd_redcap_export(const char *const *val)
{
	struct redcap_dict d;
	struct csv_out c;
	struct diag dg;
	struct form *f;
	int rc = 1;

	if ((f = cli_load_form(val[FLAG_FORM])) == NULL)
		return 1;
	diag_init(&dg);
	if (redcap_export(val[FLAG_FORM], f, &d, &dg) != 0) {
		diag_print(&dg, stderr);
		goto out;
	}
	if (csv_open(&c, val[FLAG_OUT]) != 0) {
		fprintf(stderr, "analysis redcap-export: %s: cannot write: %s\n",
		    val[FLAG_OUT], strerror(errno));
		goto out;
	}
	/* The same file modes as every other output (fmode.h). */
	if (fmode_fd(fileno(c.fp), fmode_file()) != 0) {
		fprintf(stderr, "analysis redcap-export: %s: cannot set its "
		    "mode: %s\n", val[FLAG_OUT], strerror(errno));
		(void)csv_close(&c);
		goto out;
	}
	for (int i = 0; i < RC__MAX; i++)
		csv_field(&c, redcap_columns[i]);
	csv_end_row(&c);
	for (size_t r = 0; r < d.nrows; r++) {
		for (int i = 0; i < RC__MAX; i++)
			csv_field(&c, d.rows[r].f[i]);
		csv_end_row(&c);
	}
	if (csv_close(&c) != 0) {
		fprintf(stderr, "analysis redcap-export: %s: write failed\n",
		    val[FLAG_OUT]);
		remove(val[FLAG_OUT]);
		goto out;
	}
	rc = 0;
out:
	redcap_dict_free(&d);
	diag_free(&dg);
	form_free(f);
	return rc;
}

static void
print_warnings(const struct diag *w)
{
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, "%s: warning: %s\n", w->a[i].where, w->a[i].what);
	if (w->total > w->n)
		fprintf(stderr, "... and %zu more warnings\n", w->total - w->n);
}

int
cmd_redcap_import(const char *const *val)
{
	struct redcap_dict d;
	struct diag err, warn;
	char *buf, *json = NULL;
	size_t len;
	FILE *fp;
	int rc = 1;

	if ((buf = read_all("redcap-import", val[FLAG_CSV], REDCAP_CSV_MAX,
	         &len)) == NULL)
		return 1;
	diag_init(&err);
	diag_init(&warn);
	redcap_dict_init(&d);
	if (redcap_csv_parse(val[FLAG_CSV], buf, len, &d, &err) != 0 ||
	    redcap_import(val[FLAG_CSV], &d, val[FLAG_ID], &json, &err,
	        &warn) != 0) {
		print_warnings(&warn);
		diag_print(&err, stderr);
		fprintf(stderr, "analysis redcap-import: %s: not imported; "
		    "nothing written\n", val[FLAG_CSV]);
		goto out;
	}
	print_warnings(&warn);
	if ((fp = fmode_fopen(val[FLAG_OUT], fmode_file())) == NULL) {
		fprintf(stderr, "analysis redcap-import: %s: cannot write: %s\n",
		    val[FLAG_OUT], strerror(errno));
		goto out;
	}
	len = strlen(json);
	if (fwrite(json, 1, len, fp) != len || fputc('\n', fp) == EOF ||
	    fclose(fp) != 0) {
		fprintf(stderr, "analysis redcap-import: %s: write failed\n",
		    val[FLAG_OUT]);
		remove(val[FLAG_OUT]);
		goto out;
	}
	rc = 0;
out:
	free(json);
	free(buf);
	redcap_dict_free(&d);
	diag_free(&err);
	diag_free(&warn);
	return rc;
}
