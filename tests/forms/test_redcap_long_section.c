/*
 * A page introduction longer than one CSV cell (the import takes 64 KiB)
 * is exported over several descriptive rows, every cell within the limit,
 * and export -> import -> export gives the same bytes. A single paragraph
 * longer than a cell is refused, naming the page.
 */
#include "helpers.h"
#include "redcap.h"

#define PARA 30000 /* three of them do not fit in one cell */

/* Write a one-page form whose intro has npara paragraphs of len bytes. */
static void
write_form(const char *path, size_t npara, size_t len)
{
	size_t cap = npara * (len + 2) + 2048, o = 0;
	char *s = malloc(cap);

	CHECK(s != NULL);
	if (s == NULL)
		exit(1);
	o += (size_t)snprintf(s + o, cap - o, "{\"id\": \"long\", \"version\": 1,"
	    " \"languages\": [\"en\"], \"title\": {\"en\": \"Long\"},"
	    " \"consent\": {\"version\": \"1\", \"title\": {\"en\": \"C\"},"
	    " \"text\": {\"en\": \"t\"}, \"agree\": {\"en\": \"a\"},"
	    " \"age_confirm\": {\"en\": \"a\"}}, \"pages\": [{\"id\": \"p1\","
	    " \"title\": {\"en\": \"Before you start\"}, \"intro\": {\"en\": \"");
	for (size_t i = 0; i < npara; i++) {
		if (i > 0)
			o += (size_t)snprintf(s + o, cap - o, "\\n\\n");
		for (size_t k = 0; k < len; k++)
			s[o++] = (char)('a' + (i + k) % 26);
	}
	o += (size_t)snprintf(s + o, cap - o, "\"}, \"items\": [{\"var\": \"q\","
	    " \"kind\": \"yesno\", \"label\": {\"en\": \"Ready?\"}}]}]}");
	CHECK_INT(test_write_file(path, s, o), 0);
	free(s);
}

static int
run(char *const argv[], char **err)
{
	char *out = NULL;
	int rc = test_run(argv, &out, err);

	free(out);
	return rc;
}

/* The longest cell of a dictionary file: parse it as the import does. */
static void
check_cells(const char *path)
{
	size_t len;
	char *buf = test_read_file(path, &len);
	struct redcap_dict d;
	struct diag dg;

	CHECK(buf != NULL);
	diag_init(&dg);
	CHECK_INT(redcap_csv_parse("d.csv", buf, len, &d, &dg), 0);
	diag_print(&dg, stderr);
	CHECK(d.nrows >= 4); /* record_id, the text rows, q */
	for (size_t i = 0; i < d.nrows; i++)
		for (size_t c = 0; c < RC__MAX; c++)
			CHECK(strlen(d.rows[i].f[c]) <= REDCAP_FIELD_MAX);
	redcap_dict_free(&d);
	diag_free(&dg);
	free(buf);
}

int
main(void)
{
	char dir[256], form[300], d1[300], f2[300], d2[300], bin[512];
	char *err = NULL, *a, *b;
	size_t na, nb;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(form, sizeof(form), "%s/long.json", dir);
	snprintf(d1, sizeof(d1), "%s/d1.csv", dir);
	snprintf(f2, sizeof(f2), "%s/long2.json", dir);
	snprintf(d2, sizeof(d2), "%s/d2.csv", dir);
	test_bin_path("analysis", bin, sizeof(bin));
	write_form(form, 5, PARA);

	char *ex1[] = {bin, "redcap-export", "--form", form, "--out", d1, NULL};
	CHECK_INT(run(ex1, &err), 0);
	if (err != NULL && err[0] != '\0')
		fprintf(stderr, "%s", err);
	free(err);
	check_cells(d1);
	char *im[] = {bin, "redcap-import", "--csv", d1, "--out", f2, "--id",
	    "long", NULL};
	CHECK_INT(run(im, &err), 0);
	CHECK(err == NULL || strstr(err, "row") == NULL ||
	    strstr(err, "descriptive") == NULL);
	free(err);
	char *ex2[] = {bin, "redcap-export", "--form", f2, "--out", d2, NULL};
	CHECK_INT(run(ex2, &err), 0);
	free(err);
	a = test_read_file(d1, &na);
	b = test_read_file(d2, &nb);
	CHECK(a != NULL && b != NULL && na == nb && memcmp(a, b, na) == 0);
	free(a);
	free(b);

	/* One paragraph longer than a cell. */
	write_form(form, 1, REDCAP_FIELD_MAX + 1);
	CHECK_INT(run(ex1, &err), 1);
	CHECK(err != NULL && strstr(err, "pages[0].intro: a paragraph of "
	    "65537 bytes; a REDCap cell holds at most 65536") != NULL);
	if (err != NULL)
		fprintf(stderr, "%s", err);
	free(err);
	test_rmtree(dir);
	return test_done();
}
