/*
 * The default survey's dated facts are in its codebook and balanced: each
 * medicine or product it asks about that has a dated regulatory
 * statement (kratom, opioids, tramadol, pregabalin, gabapentin,
 * duloxetine, milnacipran, amitriptyline, NSAIDs, cannabis) has at least
 * one fact, each with a date and a source, in the JSON list and in the
 * variable's "facts" cell; the CSV and Markdown carry the same cell. The
 * consent and about texts of the form carry none of them.
 */
#include "data/report_helpers.h"

int
main(void)
{
	static const char *const vars[] = {"kratom_use", "opioid_use",
	    "tramadol_use", "pregabalin_use", "gabapentin_use",
	    "duloxetine_use", "milnacipran_use", "amitriptyline_use",
	    "nsaid_use", "cannabis_use", NULL};
	char *form = src(DEFAULT_FORM), *o = NULL, *e = NULL, *raw;
	json_t *j, *facts, *x, *v;
	json_error_t je;
	size_t i;

	CHECK_INT(run_analysis(&o, &e, "codebook", "--form", form, "--format",
	    "json", (char *)NULL), 0);
	j = o ? json_loads(o, 0, &je) : NULL;
	CHECK(j != NULL);
	facts = json_object_get(j, "facts");
	CHECK(json_array_size(facts) >= 10);
	json_array_foreach(facts, i, x) {
		const char *d = json_string_value(json_object_get(x, "date"));
		CHECK(d != NULL && (strlen(d) == 4 || strlen(d) == 7 ||
		    strlen(d) == 10));
		CHECK(json_string_length(json_object_get(x, "source")) > 0);
		CHECK(json_array_size(json_object_get(x, "about")) > 0);
	}
	for (i = 0; vars[i] != NULL; i++) {
		const char *cell;
		v = find_by(json_object_get(j, "variables"), "variable", vars[i],
		    NULL, NULL);
		cell = json_string_value(json_object_get(v, "facts"));
		if (cell == NULL)
			fprintf(stderr, "%s: no dated fact\n", vars[i]);
		CHECK(cell != NULL && strstr(cell, "(source: ") != NULL);
	}
	v = find_by(json_object_get(j, "variables"), "variable", "kratom_use",
	    NULL, NULL);
	CHECK(strstr(json_string_value(json_object_get(v, "facts")),
	    "2017-11-14: ") != NULL);
	json_decref(j);
	free(o);
	free(e);

	CHECK_INT(run_analysis(&o, &e, "codebook", "--form", form, "--format",
	    "csv", (char *)NULL), 0);
	CHECK(o != NULL && strstr(o, ",free_text,facts\r\n") != NULL);
	CHECK(o != NULL && strstr(o, "2019-12-19: FDA warning of serious "
	    "breathing difficulties") != NULL);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "codebook", "--form", form, "--format",
	    "md", (char *)NULL), 0);
	CHECK(o != NULL && strstr(o, "| facts |") != NULL);
	CHECK(o != NULL && strstr(o, "2024-05-21: ") != NULL);
	free(o);
	free(e);

	/* Not on patient pages: the consent and about texts name none. */
	raw = NULL;
	{
		json_t *root = json_load_file(form, 0, &je), *t;
		const char *keys[] = {"consent", "about", "description", NULL};
		CHECK(root != NULL);
		for (i = 0; root != NULL && keys[i] != NULL; i++) {
			t = json_object_get(root, keys[i]);
			raw = json_dumps(t, JSON_COMPACT);
			CHECK(raw != NULL && strstr(raw, "FDA") == NULL &&
			    strstr(raw, "boxed warning") == NULL &&
			    strstr(raw, "Schedule") == NULL);
			free(raw);
		}
		json_decref(root);
	}
	free(form);
	return test_done();
}
