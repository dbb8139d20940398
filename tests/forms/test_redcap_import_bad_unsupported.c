/*
 * A dictionary full of REDCap features Candor cannot hold: each one is
 * reported once with its row, column and rule; features that change what
 * is asked fail the import (exit 1, nothing written), droppable ones are
 * warnings and the import goes on.
 */
#include <sys/stat.h>

#include "helpers.h"
#include "redcap.h"

struct expect {
	size_t row;
	const char *column;
	const char *rule; /* a part of the message */
};

static const struct expect errors[] = {
	{3, "Text Validation Type OR Show Slider Number",
	    "validation type \"date_ymd\" has no Candor equivalent"},
	{4, "Text Validation Type OR Show Slider Number",
	    "validation type \"email\""},
	{5, "Field Type", "field type \"file\" has no Candor equivalent"},
	{6, "Field Type", "field type \"sql\""},
	{7, "Field Type", "field type \"file\""}, /* a signature */
	{8, "Branching Logic (Show field only if...)",
	    "function datediff() cannot be translated"},
	{9, "Branching Logic (Show field only if...)",
	    "smart variable or field option [record-name]"},
	{10, "Branching Logic (Show field only if...)", "events and arms"},
	{11, "Field Annotation", "action tag @HIDDEN changes what is asked"},
	{12, "Choices, Calculations, OR Slider Labels",
	    "calculation cannot be expressed"},
	{13, "Matrix Group Name", "a checkbox matrix has no Candor equivalent"},
};

static const struct expect warnings[] = {
	{14, "Field Label", "piping [first_visit] is not supported"},
	{14, "Field Annotation", "action tag @PLACEHOLDER dropped"},
	{14, "Field Annotation", "annotation text dropped"},
	{14, "Custom Alignment", "custom alignment dropped"},
};

/* Exactly one entry of d is at (row, column) and has the rule. */
static void
check_one(const struct diag *d, const char *file, const struct expect *e)
{
	char where[512];
	size_t n = 0;

	snprintf(where, sizeof(where), "%s: row %zu, column \"%s\"", file,
	    e->row, e->column);
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->a[i].where, where) == 0 &&
		    strstr(d->a[i].what, e->rule) != NULL)
			n++;
	if (n != 1) {
		fprintf(stderr, "want one \"%s: ...%s...\", found %zu\n", where,
		    e->rule, n);
		test_failures++;
	}
}

int
main(void)
{
	char csv[1024], ok[1024], bin[1024], dir[1024], out[1100];
	struct redcap_dict d;
	struct diag err, warn;
	char *buf, *json = NULL, *o = NULL, *e = NULL;
	size_t len;
	struct stat st;

	diag_init(&err);
	diag_init(&warn);
	test_src_path("tests/forms/data/redcap_unsupported.csv", csv,
	    sizeof(csv));
	buf = test_read_file(csv, &len);
	CHECK(buf != NULL);
	CHECK_INT(redcap_csv_parse("u.csv", buf, len, &d, &err), 0);
	CHECK_INT(redcap_import("u.csv", &d, "intake", &json, &err, &warn), -1);
	CHECK(json == NULL);
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		check_one(&err, "u.csv", &errors[i]);
	for (size_t i = 0; i < sizeof(warnings) / sizeof(warnings[0]); i++)
		check_one(&warn, "u.csv", &warnings[i]);
	CHECK_INT(err.total, sizeof(errors) / sizeof(errors[0]));
	CHECK_INT(warn.total, sizeof(warnings) / sizeof(warnings[0]));
	redcap_dict_free(&d);
	free(buf);

	/* The command: exit 1 and no file. */
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(out, sizeof(out), "%s/intake.json", dir);
	char *argv[] = {(char *)test_bin_path("analysis", bin, sizeof(bin)),
	    "redcap-import", "--csv", csv, "--out", out, "--id", "intake", NULL};
	CHECK_INT(test_run(argv, &o, &e), 1);
	CHECK(stat(out, &st) != 0);
	CHECK(e != NULL && strstr(e, "row 8, column \"Branching Logic (Show "
	    "field only if...)\": function datediff() cannot be translated") !=
	    NULL);
	CHECK(e != NULL && strstr(e, "nothing written") != NULL);
	free(o);
	free(e);

	/* Only droppable features: written, with warnings. */
	test_src_path("tests/forms/data/redcap_warnings.csv", ok, sizeof(ok));
	argv[3] = ok;
	CHECK_INT(test_run(argv, &o, &e), 0);
	CHECK(e != NULL && strstr(e, "row 3, column \"Field Annotation\": "
	    "warning: action tag @PLACEHOLDER dropped") != NULL);
	CHECK(e != NULL && strstr(e, "row 4, column \"Text Validation Min\": "
	    "warning: no minimum") != NULL);
	CHECK(e != NULL && strstr(e, "warning: REDCap has no consent block")
	    != NULL);
	struct form *f = NULL;
	CHECK(form_load(out, &f, &err) == 0);
	if (f != NULL) {
		CHECK_STR(f->id, "intake");
		CHECK(strstr(f->consent_text.s[0], "PLACEHOLDER") != NULL);
		CHECK_STR(f->pages[0].intro.s[0], "Thank you for taking part.");
		CHECK_INT(f->vars[form_var_find(f, "visits")].item->kind,
		    FORM_INTEGER);
	}
	form_free(f);
	free(o);
	free(e);
	test_rmtree(dir);
	diag_free(&err);
	diag_free(&warn);
	return test_done();
}
