/*
 * Bad command lines exit 2 with a message naming the flag and the rule:
 * k below 5, a malformed k, unknown and repeated flags, a missing required
 * flag, a flag without its value, an unknown command or format. --help
 * exits 0.
 */
#include "data/report_helpers.h"

static void
bad(const char *needle, char *a1, char *a2, char *a3, char *a4, char *a5,
    char *a6, char *a7, char *a8)
{
	char *out = NULL, *err = NULL;
	int rc = run_analysis(&out, &err, a1, a2, a3, a4, a5, a6, a7, a8,
	    (char *)NULL);

	if (rc != 2 || err == NULL || strstr(err, needle) == NULL)
		fprintf(stderr, "%s %s: rc %d, stderr: %s\n", a1, a2 ? a2 : "",
		    rc, err ? err : "(none)");
	CHECK_INT(rc, 2);
	CHECK(err != NULL && strstr(err, needle) != NULL);
	free(out);
	free(err);
}

int
main(void)
{
	char *out = NULL, *err = NULL;

	bad("--k: needs a value", "report", "--db", "x.db", "--form",
	    "f.json", "--out", "o", "--k");
	bad("--k: must be at least 5", "report", "--k", "4", "--db", "x.db",
	    "--form", "f.json", "--out");
	bad("--k: must be an integer", "report", "--k", "10x", NULL, NULL,
	    NULL, NULL, NULL);
	bad("--bogus: unknown flag", "report", "--bogus", "1", NULL, NULL,
	    NULL, NULL, NULL);
	bad("--db PATH is required", "report", "--form", "f.json", "--out",
	    "o", NULL, NULL, NULL);
	bad("--out: given twice", "report", "--out", "a", "--out", "b", NULL,
	    NULL, NULL);
	bad("--csv: unknown flag", "codebook", "--csv", "x", NULL, NULL, NULL,
	    NULL, NULL);
	bad("--format: must be csv, json or md", "codebook", "--form", "f",
	    "--format", "xml", NULL, NULL, NULL);
	bad("--csv FILE is required", "import", "--form", "f", "--db", "d",
	    NULL, NULL, NULL);
	bad("--form: must be a non-empty path", "import", "--form", "", NULL,
	    NULL, NULL, NULL, NULL);
	bad("frobnicate: unknown command", "frobnicate", NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL);
	CHECK_INT(run_analysis(&out, &err, "report", "--help", (char *)NULL),
	    0);
	CHECK(out != NULL && strstr(out, "--plan") != NULL);
	free(out);
	free(err);
	return test_done();
}
