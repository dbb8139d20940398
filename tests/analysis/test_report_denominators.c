/*
 * Every percentage says what it is of, and is of the number the question
 * shows (report fixture, default plan): a frequency percentage is the
 * count over the variable's n (answers that are not a missing code) to
 * 1e-12, a missing code ("prefer not to say") has none; where the gate
 * withheld n, the percentages are of every answer instead, marked so in
 * JSON ("percent_of"), CSV and HTML, and none is left that would give n
 * back. The HTML header of the percentage column names its base, and the
 * line under a table explains each en dash, hidden cell and "< k" with
 * the actual k; statuses that speak of k give its value.
 */
#include "data/report_helpers.h"
#include "report.h"

/* The HTML of the article of variable name (a new string, or NULL). */
static char *
article(const char *html, const char *name)
{
	char key[128];
	const char *p, *e;

	snprintf(key, sizeof(key), "<h3 id=\"q-%s\">", name);
	if ((p = strstr(html, key)) == NULL || (e = strstr(p, "</article>")) ==
	    NULL)
		return NULL;
	return strndup(p, (size_t)(e - p));
}

int
main(void)
{
	char dir[512], db[1024], out[1024], path[2048], want[256];
	size_t i, j, len, nbase_n = 0, nmissing = 0, nwithheld = 0;
	json_t *m, *v, *r;
	char *html, *a;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	import_fixture(dir, "c.db", REPORT_FORM, FIXTURE_CSV, db, sizeof(db));
	CHECK_INT(report_into(dir, "rep", db, REPORT_FORM, NULL, out,
	    sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	snprintf(path, sizeof(path), "%s/report.html", out);
	CHECK((html = test_read_file(path, &len)) != NULL);
	if (m == NULL || html == NULL)
		return test_done();
	json_array_foreach(json_object_get(m, "variables"), i, v) {
		const char *name = json_string_value(json_object_get(v,
		    "variable"));
		json_t *fr = json_object_get(v, "frequencies");
		json_t *n = json_object_get(v, "n");
		const char *of;
		double total;
		if (fr == NULL)
			continue;
		of = json_string_value(json_object_get(fr, "percent_of"));
		CHECK(of != NULL);
		if (of == NULL)
			continue;
		total = json_is_integer(n) ? (double)json_integer_value(n) :
		    jget(fr, "total");
		/*
		 * n shown: of n; n withheld: of every answer, never of n; n
		 * and the total withheld (a follow-up whose total would give
		 * a hidden count back): no percentage at all.
		 */
		if (!json_is_integer(n) && !json_is_integer(json_object_get(fr,
		    "total"))) {
			json_array_foreach(json_object_get(fr, "rows"), j, r)
				CHECK(!json_is_number(json_object_get(r,
				    "percent")));
			continue;
		}
		CHECK_STR(of, json_is_integer(n) ? "n" : "all answers");
		json_array_foreach(json_object_get(fr, "rows"), j, r) {
			json_t *pc = json_object_get(r, "percent");
			int miss = json_is_true(json_object_get(r,
			    "missing_code"));
			if (!json_is_number(pc))
				continue;
			CHECK(json_is_integer(json_object_get(r, "count")));
			CHECK(!(miss && strcmp(of, "n") == 0));
			CHECK_NEAR(json_number_value(pc), 100.0 *
			    (double)json_integer_value(json_object_get(r,
			    "count")) / total, 1e-12);
		}
		a = article(html, name);
		CHECK(a != NULL);
		if (a == NULL)
			continue;
		if (json_is_integer(n)) {
			/* "n = 258" above, and its percentages are of 258. */
			snprintf(want, sizeof(want), "n = %lld usable answers",
			    (long long)json_integer_value(n));
			CHECK(strstr(a, want) != NULL);
			snprintf(want, sizeof(want), "<th scope=\"col\">%% of n = "
			    "%lld [95%% CI]</th>", (long long)json_integer_value(n));
			CHECK(strstr(a, want) != NULL);
			nbase_n++;
			if (json_integer_value(n) != (json_int_t)jget(fr, "total")) {
				CHECK(strstr(a, "not part of n") != NULL);
				nmissing++;
			}
		} else if (json_is_integer(json_object_get(fr, "total"))) {
			snprintf(want, sizeof(want), "<th scope=\"col\">%% of all "
			    "%lld answers [95%% CI]</th>",
			    (long long)json_integer_value(json_object_get(fr,
			    "total")));
			CHECK(strstr(a, want) != NULL);
			nwithheld++;
		}
		if (strstr(a, "<td class=\"n\">hidden</td>") != NULL)
			CHECK(strstr(a, "hidden: a count from 1 to 9, or") !=
			    NULL);
		if (strstr(a, "<td>\xe2\x80\x93</td>") != NULL)
			CHECK(strstr(a, "\xe2\x80\x93 : not computed or not "
			    "published") != NULL);
		free(a);
	}
	/* The fixture has each case. */
	CHECK(nbase_n > 10);
	CHECK(nmissing >= 1);
	CHECK(nwithheld >= 1);
	/* No status speaks of k without naming it. */
	CHECK(strstr(html, "than k</td>") == NULL);
	/* The CSV says the base of each row's percentage. */
	snprintf(path, sizeof(path), "%s/frequencies.csv", out);
	a = test_read_file(path, &len);
	CHECK(a != NULL && strstr(a, ",ci_hi,percent_of\r\n") != NULL);
	CHECK(a != NULL && strstr(a, ",all answers\r\n") != NULL);
	free(a);
	free(html);
	json_decref(m);
	test_rmtree(dir);
	return test_done();
}
