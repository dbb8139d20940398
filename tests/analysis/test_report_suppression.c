/*
 * Disclosure control is visible: with 25 respondents in group "One" and 4
 * in group "Two", the small group's frequency cell is hidden (and with it
 * a complement), with no percentage, in every format. The group sizes of
 * the plan's group one_vs_two are cells of that table (25 would give both
 * hidden cells back), so the publication gate withholds the group: its
 * sizes read "withheld", its comparison is not shown.
 */
#include "data/report_helpers.h"
#include "report.h"

int
main(void)
{
	static const char plan[] = "{\"outcomes\": [\"pain\"], \"groups\": ["
	    "{\"name\": \"one_vs_two\", \"a\": {\"var\": \"grp\", \"eq\": 1}, "
	    "\"b\": {\"var\": \"grp\", \"eq\": 2}}]}\n";
	char dir[512], csv[1024], planp[1024], db[1024], out[1024], p[2048];
	char data[8192], *form = src(SMALL_FORM), *o = NULL, *e = NULL;
	size_t n = 0, len;
	json_t *m, *g, *c, *v, *rows, *r;
	char *html, *groups, *freq;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	n += (size_t)snprintf(data + n, sizeof(data) - n,
	    "grp,pain,uses_x,x_freq\r\n");
	for (int i = 0; i < 25; i++)
		n += (size_t)snprintf(data + n, sizeof(data) - n, "1,%d,0,\r\n",
		    i % 11);
	for (int i = 0; i < 4; i++)
		n += (size_t)snprintf(data + n, sizeof(data) - n, "2,%d,1,1\r\n",
		    i + 3);
	snprintf(csv, sizeof(csv), "%s/small.csv", dir);
	snprintf(planp, sizeof(planp), "%s/plan.json", dir);
	snprintf(db, sizeof(db), "%s/s.db", dir);
	CHECK(test_write_file(csv, data, n) == 0);
	CHECK(test_write_file(planp, plan, strlen(plan)) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL), 0);
	CHECK_INT(report_into(dir, "rep", db, SMALL_FORM, planp, out,
	    sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	g = json_array_get(json_object_get(m, "groups"), 0);
	CHECK(json_is_null(json_object_get(g, "n_a")));
	CHECK_STR(json_string_value(json_object_get(g, "n_a_text")),
	    "withheld");
	CHECK(json_is_null(json_object_get(g, "n_b")));
	CHECK(json_is_string(json_object_get(g, "withheld")));
	c = json_array_get(json_object_get(m, "comparisons"), 0);
	CHECK_STR(json_string_value(json_object_get(c, "status")),
	    REPORT_NOT_RUN_K);
	CHECK(json_object_get(c, "welch") == NULL);
	CHECK(json_is_null(json_object_get(c, "n_a")));
	v = find_by(json_object_get(m, "variables"), "variable", "grp", NULL,
	    NULL);
	rows = json_object_get(json_object_get(v, "frequencies"), "rows");
	r = json_array_get(rows, 1); /* "Two": 4 people */
	CHECK(json_is_null(json_object_get(r, "count")));
	CHECK(json_is_null(json_object_get(r, "percent")));
	CHECK(json_object_get(r, "ci_lo") == NULL);
	/* One: 25 would reveal Two from the total 29, so it goes too. */
	CHECK(json_is_null(json_object_get(json_array_get(rows, 0), "count")));
	/* x_freq was answered by the 4 of group Two only: no summary. */
	v = find_by(json_object_get(m, "variables"), "variable", "x_freq",
	    NULL, NULL);
	CHECK(json_is_null(json_object_get(v, "n")));
	CHECK_STR(json_string_value(json_object_get(v, "n_text")), "< 10");

	snprintf(p, sizeof(p), "%s/report.html", out);
	CHECK((html = test_read_file(p, &len)) != NULL);
	CHECK(html && strstr(html, "n = &lt; 10") != NULL);
	CHECK(html && strstr(html, "n = withheld") != NULL);
	CHECK(html && strstr(html, REPORT_NOT_RUN_K) != NULL);
	/* The HTML names the threshold the status speaks of. */
	CHECK(html && strstr(html, REPORT_NOT_RUN_K " (k = 10)") != NULL);
	snprintf(p, sizeof(p), "%s/groups.csv", out);
	CHECK((groups = test_read_file(p, &len)) != NULL);
	CHECK(groups && strstr(groups, "one_vs_two,,group a,group b,withheld,"
	    "withheld,withheld,") != NULL);
	snprintf(p, sizeof(p), "%s/frequencies.csv", out);
	CHECK((freq = test_read_file(p, &len)) != NULL);
	CHECK(freq && strstr(freq, "grp,answers,2,Two,no,hidden,,,,n\r\n") !=
	    NULL);
	free(html);
	free(groups);
	free(freq);
	free(form);
	free(o);
	free(e);
	json_decref(m);
	test_rmtree(dir);
	return test_done();
}
