/*
 * A database from before forms were stored (the previous schema, rows of
 * version 1 and no form_version table) upgraded in place: its rows have
 * no stored form, so they are decoded against the form given, as before;
 * rows that form cannot read are counted as not decoded, never dropped
 * silently; and the provenance says which version the rows came from
 * and that it was read with the current form. "analysis forms" lists the
 * version as not stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "store.h"
#include "testlib.h"

#define GOOD 14
#define BAD 3

int
main(void)
{
	char dir[512], db[600], out[600], bin[512], form[512], js[700];
	char err[512], *sout = NULL;
	struct store *s = NULL;
	struct store_response r;
	json_t *j, *data, *vers, *e;
	json_error_t je;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/old.db", dir);
	snprintf(out, sizeof(out), "%s/report", dir);
	test_bin_path("analysis", bin, sizeof(bin));
	test_src_path("tests/forms/data/versions/v3.json", form, sizeof(form));

	CHECK_INT(store_open_version(db, STORE_RDWR, STORE_SCHEMA_FORMS - 1,
	    &s, err, sizeof(err)), STORE_OK);
	if (s == NULL)
		return test_done();
	for (int i = 0; i < GOOD + BAD; i++) {
		char ans[64];
		memset(&r, 0, sizeof(r));
		randombytes_buf(r.id, sizeof(r.id));
		randombytes_buf(r.receipt_hash, sizeof(r.receipt_hash));
		r.form_id = "vers";
		r.form_version = 1;
		r.consent_version = "2026-01-01";
		snprintf(r.period, sizeof(r.period), "2026-11-01");
		/* Version 1's own names: the current form knows pain_avg only. */
		if (i < GOOD)
			snprintf(ans, sizeof(ans), "{\"pain_avg\":%d,\"freq\":%d}",
			    i % 11, 1 + i % 3);
		else
			snprintf(ans, sizeof(ans), "{\"pain\":%d}", i % 11);
		r.answers = ans;
		r.scores = "{}";
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	store_close(s);
	/* The upgrade, as any read-write open makes it. */
	CHECK_INT(store_open(db, STORE_RDWR, &s, err, sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);

	{
		char *argv[] = {bin, "forms", "--db", db, NULL};
		CHECK_INT(test_run(argv, &sout, NULL), 0);
		CHECK(sout != NULL && strstr(sout, "vers\t1\t-\t17\tnot stored")
		    != NULL);
		free(sout);
	}
	{
		char *argv[] = {bin, "report", "--db", db, "--form", form,
			"--out", out, "--no-ledger", NULL};
		CHECK_INT(test_run(argv, NULL, NULL), 0);
	}
	snprintf(js, sizeof(js), "%s/report.json", out);
	j = json_load_file(js, 0, &je);
	CHECK(j != NULL);
	if (j == NULL)
		return test_done();
	data = json_object_get(json_object_get(j, "header"), "data");
	CHECK_INT(json_integer_value(json_object_get(data, "rows_read")),
	    GOOD + BAD);
	CHECK_INT(json_integer_value(json_object_get(data, "rows_analysed")),
	    GOOD);
	CHECK_INT(json_integer_value(json_object_get(data,
	    "rows_not_decoded")), BAD);
	CHECK_INT(json_integer_value(json_object_get(data,
	    "rows_other_form_version")), GOOD);
	vers = json_object_get(data, "form_versions");
	CHECK_INT(json_array_size(vers), 1);
	e = json_array_get(vers, 0);
	CHECK_INT(json_integer_value(json_object_get(e, "version")), 1);
	CHECK_INT(json_integer_value(json_object_get(e, "rows")), GOOD + BAD);
	CHECK_STR(json_string_value(json_object_get(e, "decoded")),
	    "current form (no stored form)");
	json_decref(j);
	snprintf(js, sizeof(js), "%s/report.html", out);
	CHECK(test_file_contains(js, "Form version 1</th><td>17 rows read, "
	    "decoded: current form (no stored form)", 75) == 1);
	if (test_failures == 0)
		test_rmtree(dir);
	return test_done();
}
