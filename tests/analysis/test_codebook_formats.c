/*
 * The codebook in its three formats says the same things: CSV (header and
 * one row per variable, codes "1=One; 2=Two; 99=Prefer not to say",
 * missing code 99, quasi-identifier flag), JSON (one entry per variable
 * with codes as objects, show_if and score definitions), Markdown (a
 * table with the same rows).
 */
#include "data/report_helpers.h"

int
main(void)
{
	char *form = src(SMALL_FORM), *o = NULL, *e = NULL;
	json_t *j, *vars, *v;
	json_error_t je;

	CHECK_INT(run_analysis(&o, &e, "codebook", "--form", form, "--format",
	    "csv", (char *)NULL), 0);
	CHECK(o != NULL && strncmp(o, "variable,label,kind,type,codes,"
	    "missing_codes,range,required,show_if,definition,"
	    "quasi_identifier,free_text,facts\r\n", 106) == 0);
	CHECK(o != NULL && strstr(o, "grp,Which group?,single,integer,"
	    "1=One; 2=Two; 99=Prefer not to say,99,,yes,,,yes,no,\r\n") != NULL);
	CHECK(o != NULL && strstr(o, "pain,\"Pain, \"\"on average\"\"\",scale,"
	    "integer,,,0..10,yes,,,no,no,\r\n") != NULL);
	CHECK(o != NULL && strstr(o, "x_freq,How often?,single,integer,"
	    "1=Daily; 2=Weekly,,,yes,\"{\"\"var\"\":\"\"uses_x\"\",\"\"eq\"\":1}\"")
	    != NULL);
	free(o);
	free(e);

	CHECK_INT(run_analysis(&o, &e, "codebook", "--form", form, "--format",
	    "json", (char *)NULL), 0);
	j = o ? json_loads(o, 0, &je) : NULL;
	CHECK(j != NULL);
	vars = json_object_get(j, "variables");
	CHECK_INT(json_array_size(vars), 8);
	v = find_by(vars, "variable", "grp", NULL, NULL);
	CHECK_INT(json_array_size(json_object_get(v, "codes")), 3);
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(v,
	    "codes"), 2), "missing")));
	CHECK(json_is_true(json_object_get(v, "quasi_identifier")));
	v = find_by(vars, "variable", "nsites", NULL, NULL);
	CHECK_STR(json_string_value(json_object_get(v, "definition")),
	    "sum of sites");
	CHECK_STR(json_string_value(json_object_get(v, "kind")), "score: sum");
	v = find_by(vars, "variable", "high", NULL, NULL);
	CHECK_STR(json_string_value(json_object_get(v, "definition")),
	    "1 when {\"var\":\"pain\",\"ge\":7}, else 0");
	json_decref(j);
	free(o);
	free(e);

	CHECK_INT(run_analysis(&o, &e, "codebook", "--form", form, "--format",
	    "md", (char *)NULL), 0);
	CHECK(o != NULL && strstr(o, "| variable | label | kind |") != NULL);
	CHECK(o != NULL && strstr(o, "| grp | Which group? | single | integer "
	    "| 1=One; 2=Two; 99=Prefer not to say | 99 |") != NULL);
	free(o);
	free(e);
	free(form);
	return test_done();
}
