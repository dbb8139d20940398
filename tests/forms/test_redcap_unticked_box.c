/*
 * REDCap stores an unticked checkbox as 0, so "[x(2)] = '0'" shows its
 * field when no box of x is ticked, as when others only are. The imported
 * condition must say the same in the collector's evaluation (an answer
 * with no box ticked has no value in Candor), and export as it came.
 */
#include "helpers.h"
#include "redcap_inline.h"

static const char *text = RC_HDR
    "x,f,,checkbox,Which?,\"1, A | 2, B | 3, C\",,,,,,,,,,,,\r\n"
    "y,f,,yesno,Why not B?,,,,,,,[x(2)] = '0',,,,,,\r\n"
    "z,f,,yesno,Why not C?,,,,,,,[x(3)] <> '1',,,,,,\r\n"
    "w,f,,yesno,Why B?,,,,,,,[x(2)] = '1',,,,,,\r\n";

static const struct form_item *
item(const struct form *f, const char *var)
{
	long iv = form_var_find(f, var);

	if (iv < 0 || f->vars[iv].item == NULL) {
		fprintf(stderr, "no item %s\n", var);
		exit(1);
	}
	return f->vars[iv].item;
}

/* Visibility of y, z and w with the boxes ticked (n of them). */
static void
expect(const struct form *f, const char *const *ticked, size_t n, int y,
    int z, int w)
{
	struct form_answers *a = form_answers_new(f);

	CHECK(a != NULL);
	CHECK_INT(set_multi(a, "x", ticked, n), 0);
	CHECK_INT(form_item_visible(f, item(f, "y"), a), y);
	CHECK_INT(form_item_visible(f, item(f, "z"), a), z);
	CHECK_INT(form_item_visible(f, item(f, "w"), a), w);
	form_answers_free(a);
}

static const char *
branch_of(const struct redcap_dict *d, const char *var)
{
	for (size_t i = 0; i < d->nrows; i++)
		if (strcmp(d->rows[i].f[RC_VAR], var) == 0)
			return d->rows[i].f[RC_BRANCH];
	return "(no row)";
}

int
main(void)
{
	static const char *const a[] = {"1"}, *const b[] = {"2"},
	    *const ab[] = {"1", "2"}, *const c[] = {"3"};
	struct diag err, warn;
	struct form *f = NULL;
	struct redcap_dict out;
	char *json;

	CHECK_INT(rc_import_text(text, &json, &err, &warn), 0);
	CHECK(json != NULL);
	if (json == NULL)
		return test_done();
	CHECK_INT(form_load_buffer("x.json", json, strlen(json), &f, &err), 0);
	if (f == NULL) {
		diag_print(&err, stderr);
		return test_done();
	}
	/* Nothing ticked: REDCap shows y and z, hides w. */
	expect(f, NULL, 0, 1, 1, 0);
	expect(f, a, 1, 1, 1, 0);
	expect(f, b, 1, 0, 1, 1);
	expect(f, ab, 2, 0, 1, 1);
	expect(f, c, 1, 1, 0, 0);

	/* Back to REDCap as it came. */
	redcap_dict_init(&out);
	CHECK_INT(redcap_export("x.json", f, &out, &err), 0);
	CHECK_STR(branch_of(&out, "y"), "[x(2)] = '0'");
	CHECK_STR(branch_of(&out, "z"), "[x(3)] = '0'");
	CHECK_STR(branch_of(&out, "w"), "[x(2)] = '1'");
	redcap_dict_free(&out);
	form_free(f);
	free(json);
	diag_free(&err);
	diag_free(&warn);
	return test_done();
}
