/*
 * Single choices, like multiple ones, have at most 64 options (the
 * analysis keeps a variable's codes in tables of that size). A radio field
 * with 65 is refused with its row, the count and the limit; the form
 * loader says the same for a single choice; 64 options import.
 */
#include "helpers.h"
#include "redcap_inline.h"

/* A dictionary with one radio field of n choices. */
static char *
dict(size_t n)
{
	size_t cap = strlen(RC_HDR) + 64 + n * 24, o;
	char *s = malloc(cap);

	if (s == NULL)
		exit(1);
	o = (size_t)snprintf(s, cap, "%sland,f,,radio,Country,\"", RC_HDR);
	for (size_t i = 1; i <= n; i++)
		o += (size_t)snprintf(s + o, cap - o, "%s%zu, C%zu",
		    i > 1 ? " | " : "", i, i);
	snprintf(s + o, cap - o, "\",,,,,,,,,,,,\r\n");
	return s;
}

int
main(void)
{
	struct diag err, warn;
	struct form *f = NULL;
	char *text, *json;

	text = dict(65);
	CHECK_INT(rc_import_text(text, &json, &err, &warn), -1);
	CHECK(rc_has(&err, 3, "Choices, Calculations, OR Slider Labels",
	    "65 choices: Candor's single and multiple choices have at most "
	    "64"));
	free(text);
	free(json);
	diag_free(&err);
	diag_free(&warn);

	text = dict(64);
	CHECK_INT(rc_import_text(text, &json, &err, &warn), 0);
	CHECK(json != NULL);
	diag_free(&err);
	/* The same form with a 65th choice, through the loader. */
	if (json != NULL) {
		char *p = strstr(json, "\"value\": 64");
		size_t n = strlen(json);
		char *big = malloc(n + 128);
		CHECK(p != NULL && big != NULL);
		if (p != NULL && big != NULL) {
			size_t at = (size_t)(p - json);
			/* Before the 64th choice's object: "{"value": 64...". */
			while (at > 0 && json[at] != '{')
				at--;
			memcpy(big, json, at);
			n = (size_t)snprintf(big + at, strlen(json) + 128 - at,
			    "{\"value\": 65, \"label\": "
			    "\"C65\"}, %s", json + at);
			CHECK_INT(form_load_buffer("x.json", big, at + n, &f,
			    &err), -1);
			int found = 0;
			for (size_t i = 0; i < err.n; i++)
				if (strstr(err.a[i].where, "pages[0].items[0]."
				    "choices") != NULL && strstr(err.a[i].what,
				    "65 choices: single and multiple choices "
				    "have at most 64") != NULL)
					found = 1;
			if (!found)
				diag_print(&err, stderr);
			CHECK(found);
		}
		free(big);
	}
	free(text);
	free(json);
	diag_free(&err);
	diag_free(&warn);
	return test_done();
}
