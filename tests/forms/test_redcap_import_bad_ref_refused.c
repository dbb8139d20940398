/*
 * A reference to a field the import refused names that field, its row
 * and why it was refused, in branching logic and in calculations alike;
 * a reference to a name that is no field at all still says so.
 */
#include "helpers.h"
#include "redcap_inline.h"

static const char *text = RC_HDR
    "visit,f,,text,Visit date,,,date_ymd,,,,,,,,,,\r\n"
    "n,f,,text,How many?,,,integer,0,10,,,,,,,,\r\n"
    "q,f,,yesno,First visit?,,,,,,,[visit] <> '',,,,,,\r\n"
    "s,f,,calc,Total,\"sum([n],[visit])\",,,,,,,,,,,,\r\n"
    "t,f,,yesno,Typo?,,,,,,,[nn] = '1',,,,,,\r\n";

int
main(void)
{
	struct diag err, warn;
	char *json;

	CHECK_INT(rc_import_text(text, &json, &err, &warn), -1);
	CHECK(rc_has(&err, 3, "Text Validation Type OR Show Slider Number",
	    "validation type \"date_ymd\""));
	CHECK(rc_has(&err, 5, "Branching Logic (Show field only if...)",
	    "[visit] refers to field visit, which was not imported (row 3: "
	    "validation type \"date_ymd\""));
	CHECK(rc_has(&err, 6, "Choices, Calculations, OR Slider Labels",
	    "[visit] refers to field visit, which was not imported (row 3: "));
	CHECK(rc_has(&err, 7, "Branching Logic (Show field only if...)",
	    "[nn] is not a field before this one"));
	free(json);
	diag_free(&err);
	diag_free(&warn);
	return test_done();
}
