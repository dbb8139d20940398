/*
 * Form versions at start (versions.h). The check runs on its own
 * connection before the service exists, so a refusal is an exit before
 * the first request, and the writer thread never sees a form the
 * database cannot describe. The rules are form_versions.h's, shared with
 * `analysis import`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "form_map.h"
#include "form_versions.h"
#include "store.h"
#include "versions.h"

/* One form file: 0 stored (or skipped), 1 database error, 2 refused. */
static int
check_one(struct store *s, const char *path, const char *db, FILE *fp)
{
	struct diag d;
	struct form *f = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;

	diag_init(&d);
	if (form_file_read(path, &buf, &len, &d) != 0 ||
	    form_load_buffer(path, buf, len, &f, &d) != 0)
		goto out; /* reported by collector_start() */
	switch (form_versions_store(s, db, f, path, buf, len, &d)) {
	case 0:
		break;
	case -1:
		for (size_t i = 0; i < d.n; i++)
			fprintf(fp, "collector: %s: %s\n",
			    d.a[i].where, d.a[i].what);
		rc = 2;
		break;
	default:
		for (size_t i = 0; i < d.n; i++)
			fprintf(fp, "collector: --db %s: %s\n", db,
			    d.a[i].what);
		rc = 1;
		break;
	}
out:
	free(buf);
	form_free(f);
	diag_free(&d);
	return rc;
}

int
versions_check_store(const char *const *paths, size_t n, const char *db,
    FILE *fp)
{
	struct store *s = NULL;
	char err[512];
	int rc = 0, r;

	/* A database that does not open: collector_start() says why. */
	if (store_open(db, STORE_RDWR, &s, err, sizeof(err)) != STORE_OK)
		return 0;
	/* Every form is checked, so one start lists every problem. */
	for (size_t i = 0; i < n; i++) {
		r = check_one(s, paths[i], db, fp);
		if (r == 1 || (r == 2 && rc == 0))
			rc = r;
	}
	store_close(s);
	return rc;
}

int
versions_check_previous(const char *path, const char *oldpath, FILE *fp)
{
	struct form *f = NULL, *old = NULL;
	struct form_mapper *m = NULL;
	struct diag d;
	int rc = 1;

	diag_init(&d);
	if (form_load(path, &f, &d) != 0 || form_load(oldpath, &old, &d) != 0)
		goto out;
	if (form_mapper_new(f, path, old, &m, &d) != 0)
		goto out;
	fprintf(fp, "%s: ok (%zu pages, %zu variables); maps version %ld of "
	    "%s onto version %ld\n", path, f->npages, f->nvars, old->version,
	    oldpath, f->version);
	rc = 0;
out:
	if (rc != 0)
		diag_print(&d, fp);
	form_mapper_free(m);
	form_free(old);
	form_free(f);
	diag_free(&d);
	return rc;
}
