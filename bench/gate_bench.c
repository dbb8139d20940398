/*
 * The publication gate's share of "analysis report" (bench/README.md):
 *
 *   gate_bench DB FORM [PLAN.json] [OUTDIR]
 *
 * Loads the responses as "analysis report" does, builds the report
 * (report_build(), which runs the gate) and writes its files, timing each
 * step with a monotonic clock, and prints the gate's own time
 * (gate_last_counters()) against the whole, with the gate's counters:
 * components audited, protected counts, solver calls, protection steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "dataset.h"
#include "gate.h"
#include "plan.h"
#include "report.h"
#include "store.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int
main(int argc, char *argv[])
{
	struct form *f = NULL;
	struct plan *p = NULL;
	struct store *st = NULL;
	struct dataset *d = NULL;
	struct rel_report *m = NULL;
	struct gate_counters gc;
	struct diag dg;
	char err[1024], *js = NULL;
	const char *out = argc > 4 ? argv[4] : "gate_bench.out";
	double t0, t1, t2, t3, total;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: gate_bench DB FORM [PLAN.json] "
		    "[OUTDIR]\n");
		return 2;
	}
	gsl_set_error_handler_off();
	diag_init(&dg);
	if (form_load(argv[2], &f, &dg) != 0) {
		diag_print(&dg, stderr);
		return 1;
	}
	if (argc > 3 && strcmp(argv[3], "-") != 0)
		rc = plan_load(argv[3], f, &p, &dg);
	else
		rc = (js = plan_default_json(f)) == NULL ? -1 :
		    plan_load_buffer("(default plan)", js, strlen(js), f, &p,
		    &dg);
	if (rc != 0) {
		diag_print(&dg, stderr);
		return 1;
	}
	if (store_open(argv[1], STORE_RDONLY, &st, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "gate_bench: %s: %s\n", argv[1], err);
		return 1;
	}
	(void)mkdir(out, 0700);
	t0 = now();
	if (dataset_load(st, f, NULL, NULL, &d, err, sizeof(err)) != 0) {
		fprintf(stderr, "gate_bench: %s\n", err);
		return 1;
	}
	t1 = now();
	if (report_build(f, d, p, p->k, NULL, &m, err, sizeof(err)) != 0) {
		fprintf(stderr, "gate_bench: %s\n", err);
		return 1;
	}
	t2 = now();
	gate_last_counters(&gc);
	if (report_write_all(m, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "gate_bench: %s\n", err);
		return 1;
	}
	t3 = now();
	total = t3 - t0;
	printf("rows %zu\n", d->n);
	printf("load %.3f s, build %.3f s (gate %.3f s), write %.3f s, "
	    "total %.3f s\n", t1 - t0, t2 - t1, gc.seconds, t3 - t2, total);
	printf("gate share %.1f%% of the report (target < 20%%)\n",
	    100.0 * gc.seconds / total);
	printf("gate: %lu components, %lu protected counts, %lu solver calls, "
	    "%lu steps, %zu notes\n", gc.components, gc.protected_counts,
	    gc.ilps, gc.steps, m->nnotes);
	rel_report_free(m);
	dataset_free(d);
	store_close(st);
	plan_free(p);
	form_free(f);
	free(js);
	diag_free(&dg);
	return 0;
}
