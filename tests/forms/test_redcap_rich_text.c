/*
 * What REDCap shows but a form cannot is reported, never kept silently:
 * rich-text (HTML) labels, notes, section headers and choices become their
 * text, tags dropped and entities decoded, with a warning per cell;
 * {field} piping and BioPortal lookups are warnings too. "x < 3" is no
 * tag and is left alone, without a warning.
 */
#include "helpers.h"
#include "redcap_inline.h"

static const char *text = RC_HDR
    "pain,f,\"<h3>Pain</h3><p>About the <b>past week</b>.</p>\",radio,"
    "\"<div class=\"\"rich-text-field-label\"\"><p>How bad was it, "
    "<em>on average</em>?</p></div>\",\"1, <span>Mild</span> | 2, Bad\","
    "<i>Pick one</i>,,,,,,,,,,,\r\n"
    "lim,f,,yesno,Is it less than 3 < 4 &amp; so on?,,,,,,,,,,,,,\r\n"
    "again,f,,yesno,\"You said {pain}, right?\",,,,,,,,,,,,,\r\n"
    "dx,f,,text,Diagnosis,BIOPORTAL:ICD10,,,,,,,,,,,,\r\n";

static const struct form_item *
item(const struct form *f, const char *var)
{
	long iv = form_var_find(f, var);

	return iv >= 0 ? f->vars[iv].item : NULL;
}

int
main(void)
{
	struct diag err, warn;
	struct form *f = NULL;
	const struct form_item *it;
	char *json;

	CHECK_INT(rc_import_text(text, &json, &err, &warn), 0);
	diag_print(&err, stderr);
	CHECK(rc_has(&warn, 3, "Field Label", "rich text (HTML) reduced to "
	    "plain text"));
	CHECK(rc_has(&warn, 3, "Section Header", "rich text (HTML)"));
	CHECK(rc_has(&warn, 3, "Field Note", "rich text (HTML)"));
	CHECK(rc_has(&warn, 3, "Choices, Calculations, OR Slider Labels",
	    "rich text (HTML)"));
	CHECK(rc_has(&warn, 5, "Field Label", "piping {pain} is not "
	    "supported"));
	CHECK(rc_has(&warn, 6, "Choices, Calculations, OR Slider Labels",
	    "BioPortal lookup BIOPORTAL:ICD10 dropped"));
	for (size_t i = 0; i < warn.n; i++)
		CHECK(strstr(warn.a[i].where, "row 4,") == NULL);
	CHECK(json == NULL || strchr(json, '<') == NULL ||
	    strstr(json, "3 < 4") != NULL);
	if (json != NULL &&
	    form_load_buffer("x.json", json, strlen(json), &f, &err) == 0) {
		CHECK((it = item(f, "pain")) != NULL);
		if (it != NULL) {
			CHECK_STR(form_text_get(f, &it->label, 0),
			    "How bad was it, on average?");
			CHECK_STR(form_text_get(f, &it->help, 0), "Pick one");
			CHECK_STR(form_text_get(f, &it->choices[0].label, 0),
			    "Mild");
			CHECK_STR(form_text_get(f, &f->pages[0].title, 0),
			    "Pain");
			CHECK_STR(form_text_get(f, &f->pages[0].intro, 0),
			    "About the past week.");
		}
		CHECK((it = item(f, "lim")) != NULL);
		if (it != NULL)
			CHECK_STR(form_text_get(f, &it->label, 0),
			    "Is it less than 3 < 4 &amp; so on?");
		form_free(f);
	} else {
		CHECK(!"the imported form loads");
		diag_print(&err, stderr);
	}
	free(json);
	diag_free(&err);
	diag_free(&warn);
	return test_done();
}
