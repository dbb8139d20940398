/*
 * The dictionary reader is strict RFC 4180: every syntax problem is named
 * with its line and column, a wrong header column by its position, and a
 * file that is not a REDCap dictionary gets one clear message.
 */
#include "helpers.h"
#include "redcap.h"

#define HDR "Variable / Field Name,Form Name,Section Header,Field Type," \
    "Field Label,\"Choices, Calculations, OR Slider Labels\",Field Note," \
    "Text Validation Type OR Show Slider Number,Text Validation Min," \
    "Text Validation Max,Identifier?,Branching Logic (Show field only " \
    "if...),Required Field?,Custom Alignment,Question Number (surveys " \
    "only),Matrix Group Name,Matrix Ranking?,Field Annotation\r\n"
#define ROW(v) v ",f,,text,\"Label, with comma\",,,,,,,,,,,,,\r\n"

/* Parse text; the problems, one per line, or "" when it parsed. */
static char *
problems(const char *text, size_t *nrows)
{
	struct redcap_dict d;
	struct diag dg;
	char *out = calloc(1, 4096);
	size_t n = 0;

	diag_init(&dg);
	redcap_csv_parse("x.csv", text, strlen(text), &d, &dg);
	*nrows = d.nrows;
	for (size_t i = 0; i < dg.n && out; i++)
		n += (size_t)snprintf(out + n, 4096 - n, "%s: %s\n",
		    dg.a[i].where, dg.a[i].what);
	redcap_dict_free(&d);
	diag_free(&dg);
	return out;
}

static void
expect(const char *text, const char *want, size_t want_rows)
{
	size_t nrows;
	char *got = problems(text, &nrows);

	if (got == NULL || strcmp(got, want) != 0) {
		fprintf(stderr, "input:\n%s\ngot:\n%s\nwant:\n%s\n", text,
		    got ? got : "(null)", want);
		test_failures++;
	}
	CHECK_INT(nrows, want_rows);
	free(got);
}

int
main(void)
{
	/* Good: quoted commas, doubled quotes, LF or CRLF, BOM, blank line. */
	expect(HDR ROW("a") ROW("b"), "", 2);
	expect("\xef\xbb\xbf" HDR ROW("a") "\r\n" ROW("\"b\""), "", 2);
	expect(HDR "a,f,,text,\"say \"\"hi\"\"\nthere\",,,,,,,,,,,,,", "", 1);

	/* Bad. */
	expect(HDR ROW("a") "b,f,,text,\"open,,,,,,,,,,,,,\r\n",
	    "x.csv: line 3, column 11: unterminated quoted field\n", 0);
	expect(HDR "a,f,,te\"xt,L,,,,,,,,,,,,,\r\n",
	    "x.csv: line 2, column 8: quote inside an unquoted field (quote "
	    "the whole field)\n", 0);
	expect(HDR "a,f,,\"text\"x,L,,,,,,,,,,,,,\r\n",
	    "x.csv: line 2, column 12: text after a closing quote (a quote "
	    "inside a quoted field is written \"\")\n", 0);
	expect(HDR ROW("a") "b,f,,text,L\r\n" ROW("c"),
	    "x.csv: row 3 (line 3): 5 fields, expected 18\n", 0);
	expect(HDR "a,f,,text,\xff,,,,,,,,,,,,,\r\n",
	    "x.csv: line 2, column 11: invalid UTF-8\n", 0);
	expect("Variable / Field Name,Form Name,Section Header,Field Type,"
	    "Field Label,Choices,Field Note\r\n",
	    "x.csv: line 1, column 6: header \"Choices\", expected \"Choices, "
	    "Calculations, OR Slider Labels\"\n"
	    "x.csv: line 1: 7 columns in the header, expected REDCap's 18\n", 0);
	expect("record_id,age,sex\r\n1,40,2\r\n",
	    "x.csv: not a REDCap data dictionary (the first line must be "
	    "REDCap's header, starting with \"Variable / Field Name\")\n", 0);
	expect("", "x.csv: not a REDCap data dictionary (the file is empty)\n",
	    0);
	return test_done();
}
