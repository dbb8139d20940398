/*
 * "analysis export" (docs/exports.md): de-identified rows for R, SPSS,
 * Stata, CSV or JSON (export.h), or the report's disclosure-controlled
 * tables (--format aggregate, built by report_build() exactly as "analysis
 * report" builds them). The flags are checked by cli.c; this file checks
 * the combinations and --format, loads the data read-only and writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "dataset.h"
#include "export.h"
#include "export_int.h"
#include "fmode.h"
#include "ledger.h"
#include "plan.h"
#include "progress.h"
#include "report.h"
#include "store.h"

#define CMD "export"

/* The plan for --format aggregate: --plan, or the default plan. */
static struct plan *
load_plan(const char *path, const struct form *f)
{
	struct plan *p = NULL;
	struct diag dg;
	char *js = NULL;

	diag_init(&dg);
	if (path != NULL) {
		if (plan_load(path, f, &p, &dg) != 0)
			diag_print(&dg, stderr);
	} else if ((js = plan_default_json(f)) == NULL) {
		fprintf(stderr, "analysis " CMD ": out of memory\n");
	} else if (plan_load_buffer("(default plan)", js, strlen(js), f, &p,
	    &dg) != 0) {
		diag_print(&dg, stderr);
	}
	free(js);
	diag_free(&dg);
	return p;
}

/*
 * tables.json and one CSV per table, written into a private directory
 * inside dir (0700, from mkdtemp) and then moved in file by file (given
 * fmode_file(), synced, renamed).
 */
static int
write_aggregate(const struct rel_report *model, const char *dir, char *err,
    size_t errsz)
{
	char tmp[4096], path[4200];

	snprintf(tmp, sizeof(tmp), "%s/.tables.XXXXXX", dir);
	if (mkdtemp(tmp) == NULL) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/tables.json", tmp);
	if (report_write_json(model, path) != 0) {
		snprintf(err, errsz, "%s/tables.json: %s", dir, strerror(errno));
		goto fail;
	}
	if (report_write_csv(model, tmp, err, errsz) != 0)
		goto fail;
	return xpublish_dir(tmp, dir, err, errsz);
fail:
	xdiscard_dir(tmp);
	return -1;
}

int
cmd_export(const char *const *val)
{
	struct export_opts o = {EXPORT_K_DEFAULT, EXPORT_MAX_SUPPRESS_DEFAULT,
	    0};
	struct export_stats st;
	struct form *f = NULL;
	struct plan *p = NULL;
	struct store *sto = NULL, *rw = NULL;
	struct dataset *d = NULL;
	struct ledger *led = NULL;
	struct rel_report *model = NULL;
	char err[1024];
	int fmt, rc = 1;

	fmt = export_format_parse(val[FLAG_FORMAT]);
	if (fmt < 0)
		return cli_bad_flag(CMD, FLAG_FORMAT, "must be csv, json, spss, "
		    "r, stata or aggregate", val[FLAG_FORMAT]);
	if (fmt == EXPORT_AGGREGATE && val[FLAG_MAX_SUPPRESS] != NULL)
		return cli_bad_flag(CMD, FLAG_MAX_SUPPRESS, "only for the "
		    "row-level formats (csv, json, spss, r, stata)",
		    val[FLAG_MAX_SUPPRESS]);
	if (fmt != EXPORT_AGGREGATE && val[FLAG_PLAN] != NULL)
		return cli_bad_flag(CMD, FLAG_PLAN, "only with --format "
		    "aggregate", val[FLAG_PLAN]);
	if (val[FLAG_K] != NULL)
		o.k = strtol(val[FLAG_K], NULL, 10); /* checked by cli.c */
	if (val[FLAG_MAX_SUPPRESS] != NULL)
		o.max_suppress_pct = strtod(val[FLAG_MAX_SUPPRESS], NULL);
	o.private_run = val[FLAG_NO_LEDGER] != NULL;

	if ((f = cli_load_form(val[FLAG_FORM])) == NULL)
		goto out;
	if (fmt == EXPORT_AGGREGATE) {
		if ((p = load_plan(val[FLAG_PLAN], f)) == NULL)
			goto out;
		if (val[FLAG_K] == NULL)
			o.k = p->k;
	}
	if (cli_load_release(CMD, val[FLAG_DB], f, val[FLAG_NO_LEDGER] == NULL,
	    &sto, &rw, &d, &led) != 0)
		goto out;
	if (fmt != EXPORT_AGGREGATE && d->n < (size_t)o.k) {
		fprintf(stderr, "analysis " CMD ": %s: %zu rows, fewer than k "
		    "= %ld: a row-level export would not be k-anonymous; "
		    "nothing was written\n", val[FLAG_DB], d->n, o.k);
		goto out;
	}
	/* Releases of any kind are k changes apart, or on the same data. */
	if (led != NULL && ledger_due(led, o.k, err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis " CMD ": %s; nothing was written\n",
		    err);
		goto out;
	}
	if (fmode_mkdirs(val[FLAG_OUT], fmode_dir(), err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis " CMD ": --out %s\n", err);
		goto out;
	}
	if (fmt == EXPORT_AGGREGATE) {
		if (report_build(f, d, p, o.k, ledger_gate(led), &model, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "analysis " CMD ": %s\n", err);
			goto out;
		}
		model->not_for_publication = led == NULL;
		/* Recorded before a file is written: every release is kept. */
		if (led != NULL && ledger_record(led, rw, "aggregate", p, NULL,
		    err, sizeof(err)) != 0) {
			fprintf(stderr, "analysis " CMD ": --db %s: %s\n",
			    val[FLAG_DB], err);
			goto out;
		}
		if (write_aggregate(model, val[FLAG_OUT], err, sizeof(err)) !=
		    0) {
			fprintf(stderr, "analysis " CMD ": %s\n", err);
			goto out;
		}
		printf("%zu rows; wrote the published tables (k = %ld) to "
		    "%s/tables.json and one CSV per table\n", d->n, o.k,
		    val[FLAG_OUT]);
	} else {
		if (led != NULL && ledger_record(led, rw, "rows", NULL, NULL,
		    err, sizeof(err)) != 0) {
			fprintf(stderr, "analysis " CMD ": --db %s: %s\n",
			    val[FLAG_DB], err);
			goto out;
		}
		if (export_write(f, d, (enum export_format)fmt, &o,
		    val[FLAG_OUT], &st, stdout, err, sizeof(err)) != 0) {
			fprintf(stderr, "analysis " CMD ": %s\n", err);
			goto out;
		}
		printf("wrote %s (see deidentification.json)\n", val[FLAG_OUT]);
	}
	if (d->rows_failed > 0)
		fprintf(stderr, "analysis " CMD ": %llu rows could not be "
		    "decoded and are not in the export\n",
		    (unsigned long long)d->rows_failed);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	rel_report_free(model);
	ledger_free(led);
	dataset_free(d);
	store_close(rw);
	store_close(sto);
	plan_free(p);
	form_free(f);
	return rc;
}
