/*
 * analysis redcap-export writes REDCap's header and CRLF rows, and refuses
 * a form whose branching REDCap cannot say, naming the item and the rule.
 */
#include <sys/stat.h>

#include "helpers.h"

static const char *bad_form =
    "{\"id\": \"b\", \"version\": 1, \"languages\": [\"en\"], \"title\": \"t\","
    " \"consent\": {\"version\": \"1\", \"title\": \"c\", \"text\": \"t\","
    "   \"agree\": \"a\", \"age_confirm\": \"b\"},"
    " \"pages\": [{\"id\": \"p\", \"title\": \"p\", \"items\": ["
    "  {\"var\": \"a\", \"kind\": \"yesno\", \"label\": \"a\"},"
    "  {\"var\": \"b\", \"kind\": \"yesno\", \"label\": \"b\"},"
    "  {\"var\": \"c\", \"kind\": \"single\", \"label\": \"c\","
    "   \"show_if\": {\"count\": [{\"var\": \"a\", \"eq\": 1},"
    "     {\"var\": \"b\", \"eq\": 1}], \"ge\": 1},"
    "   \"choices\": [{\"value\": 1, \"label\": \"x | y\"}]}]}]}";

int
main(void)
{
	char bin[1024], src[1024], dir[1024], out[1100], form[1100];
	char *o = NULL, *e = NULL, *csv;
	size_t len;
	struct stat st;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(out, sizeof(out), "%s/d.csv", dir);
	char *argv[] = {(char *)test_bin_path("analysis", bin, sizeof(bin)),
	    "redcap-export", "--form", (char *)test_src_path(
	    "tests/forms/data/mini.json", src, sizeof(src)), "--out", out, NULL};
	CHECK_INT(test_run(argv, &o, &e), 0);
	csv = test_read_file(out, &len);
	CHECK(csv != NULL && strncmp(csv, "Variable / Field Name,Form Name,"
	    "Section Header,Field Type,Field Label,\"Choices, Calculations, OR "
	    "Slider Labels\",Field Note,", 100) == 0);
	CHECK(csv != NULL && strstr(csv, "\r\nrecord_id,mini,,text,Record ID,"
	    ",,,,,,,,,,,,\r\nage_band,mini,One,radio,Age,") != NULL);
	CHECK(csv != NULL && strstr(csv, "\r\nx_freq,mini,,radio,How often?,"
	    "\"1, Daily | 2, Weekly\",,,,,,[uses_x] = '1',y,,,,,\r\n") != NULL);
	CHECK(csv != NULL && len > 2 && csv[len - 2] == '\r' &&
	    csv[len - 1] == '\n');
	free(csv);
	free(o);
	free(e);

	snprintf(form, sizeof(form), "%s/b.json", dir);
	CHECK(test_write_file(form, bad_form, strlen(bad_form)) == 0);
	remove(out);
	argv[3] = form;
	CHECK_INT(test_run(argv, &o, &e), 1);
	CHECK(e != NULL && strstr(e, "pages[0].items[2].show_if: \"count\" has "
	    "no REDCap branching equivalent") != NULL);
	CHECK(e != NULL && strstr(e, "pages[0].items[2].choices[0]: a label "
	    "with '|'") != NULL);
	CHECK(stat(out, &st) != 0);
	free(o);
	free(e);
	test_rmtree(dir);
	return test_done();
}
