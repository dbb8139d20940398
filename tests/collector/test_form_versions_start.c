/*
 * The real collector binary and the form versions of its database. A
 * start stores the served form as the exact bytes of its file. Exit 2,
 * before serving and without storing anything, when the form file is the
 * stored version changed under the same number ("give the changed form a
 * new version"), when a later version has no mapping from the stored
 * one, and when its mapping is broken (every problem listed, one line
 * each with the variable and the rule). A later version with a valid
 * mapping starts and is stored beside the first. --check-form FILE
 * --previous OLD runs the same check without a database; --previous
 * anywhere else is a usage error. A version that maps only the one before
 * it starts once that one (which maps the rest) is stored.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "store.h"

static char dir[512], db[600];

/* Is version v of form vers stored, with exactly the bytes of path? */
static int
stored_as(long v, const char *path)
{
	struct store *s = NULL;
	char err[512];
	void *body = NULL;
	size_t len = 0, n = 0;
	char *want = test_read_file(path, &n);
	int rc, same;

	if (store_open(db, STORE_RDONLY, &s, err, sizeof(err)) != STORE_OK) {
		free(want);
		return -1;
	}
	rc = store_form_get(s, "vers", v, &body, &len, NULL);
	same = rc == STORE_OK && want != NULL && len == n &&
	    memcmp(body, want, n) == 0;
	free(body);
	free(want);
	store_close(s);
	return rc == STORE_NOTFOUND ? 0 : same ? 1 : -1;
}

static int
start_stop(const char *form)
{
	const char *args[] = {"--form", form, "--db", db, "--port", "0", NULL};
	char errp[700];
	struct cl_child ch;

	snprintf(errp, sizeof(errp), "%s/collector.err", dir);
	if (cl_child_start(&ch, args, errp) != 0) {
		char *e = test_read_file(errp, NULL);
		fprintf(stderr, "collector did not start: %s\n", e ? e : "");
		free(e);
		cl_child_stop(&ch, SIGKILL);
		return -1;
	}
	return cl_child_stop(&ch, SIGTERM);
}

/* Run the collector on form; its exit status, stderr into *err. */
static int
refused(const char *form, char **err)
{
	char bin[512];
	char *argv[] = {bin, "--form", (char *)form, "--db", db, "--port", "0",
		NULL};

	test_bin_path("collector", bin, sizeof(bin));
	return test_run(argv, NULL, err);
}

int
main(void)
{
	char v1[512], v2[512], v3[512], v4[512], changed[700], nomap[700];
	char bad[700], bin[512];
	char *text, *p, *err = NULL, *out = NULL;
	size_t n;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	CHECK(test_give_dir(dir, NULL) == 0);
	test_src_path("tests/forms/data/versions/v1.json", v1, sizeof(v1));
	test_src_path("tests/forms/data/versions/v2.json", v2, sizeof(v2));
	test_src_path("tests/forms/data/versions/v3.json", v3, sizeof(v3));
	test_src_path("tests/forms/data/versions/v4.json", v4, sizeof(v4));
	test_bin_path("collector", bin, sizeof(bin));

	/* Version 1 changed under its number: one word of a label. */
	text = test_read_file(v1, &n);
	CHECK(text != NULL && (p = strstr(text, "Average")) != NULL);
	if (text == NULL || p == NULL)
		return test_done();
	memcpy(p, "Typical", 7);
	snprintf(changed, sizeof(changed), "%s/v1-changed.json", dir);
	CHECK(test_write_file(changed, text, n) == 0);
	free(text);
	/* Version 2 without its "from", and with a broken one. */
	text = test_read_file(v2, &n);
	CHECK(text != NULL && (p = strstr(text, "\"from\"")) != NULL);
	if (text == NULL || p == NULL)
		return test_done();
	memcpy(p, "\"fro_\"", 6);
	{
		/* An unknown key would not load: drop the member instead. */
		char *q = strstr(text, "  \"pages\"");
		char *s = malloc(n + 1);
		size_t k = (size_t)(p - text);
		memcpy(s, text, k);
		memcpy(s + k, q, strlen(q) + 1);
		snprintf(nomap, sizeof(nomap), "%s/v2-nomap.json", dir);
		CHECK(test_write_file(nomap, s, strlen(s)) == 0);
		free(s);
	}
	free(text);
	text = test_read_file(v2, &n);
	{
		/* mood neither kept nor dropped; freq recoded to no code. */
		char *s = malloc(n + 64), *d = strstr(text, "\"dropped\": "
		    "[\"mood\"], "), *r = strstr(text, "\"3\": 1}");
		CHECK(d != NULL && r != NULL);
		if (d == NULL || r == NULL)
			return test_done();
		memcpy(r, "\"3\": 9}", 7);
		{
			size_t k = (size_t)(d - text);
			memcpy(s, text, k);
			d += strlen("\"dropped\": [\"mood\"], ");
			memcpy(s + k, d, strlen(d) + 1);
		}
		snprintf(bad, sizeof(bad), "%s/v2-bad.json", dir);
		CHECK(test_write_file(bad, s, strlen(s)) == 0);
		free(s);
	}
	free(text);

	/* A first start stores version 1, byte for byte. */
	CHECK_INT(start_stop(v1), 0);
	CHECK_INT(stored_as(1, v1), 1);

	CHECK_INT(refused(changed, &err), 2);
	CHECK(err != NULL && strstr(err, "form vers version 1 differs from the "
	    "version 1 stored in the database: give the changed form a new "
	    "version") != NULL);
	free(err);
	CHECK_INT(stored_as(1, v1), 1);

	CHECK_INT(refused(nomap, &err), 2);
	CHECK(err != NULL && strstr(err, "no valid mapping from version 1")
	    != NULL);
	CHECK(err != NULL && strstr(err, "no entry for version 1") != NULL);
	free(err);
	CHECK_INT(stored_as(2, v2), 0);

	CHECK_INT(refused(bad, &err), 2);
	CHECK(err != NULL && strstr(err, "from[0] (version 1): mood: not in "
	    "version 2: rename it or drop it") != NULL);
	CHECK(err != NULL && strstr(err, "from[0] (version 1): freq: recoded "
	    "3 to 9, which is not a code of freq in version 2") != NULL);
	if (err != NULL)
		fputs(err, stderr);
	free(err);
	CHECK_INT(stored_as(2, v2), 0);

	/* The same check without a database. */
	{
		char *argv[] = {bin, "--check-form", bad, "--previous", v1, NULL};
		CHECK_INT(test_run(argv, &out, NULL), 1);
		CHECK(out != NULL && strstr(out, "mood: not in version 2") !=
		    NULL);
		free(out);
	}
	{
		char *argv[] = {bin, "--check-form", v2, "--previous", v1, NULL};
		CHECK_INT(test_run(argv, &out, NULL), 0);
		CHECK(out != NULL && strstr(out, "maps version 1") != NULL);
		free(out);
	}

	/* --previous belongs to --check-form alone. */
	{
		char *argv[] = {bin, "--form", v2, "--previous", v1, "--db", db,
			NULL};
		CHECK_INT(test_run(argv, NULL, &err), 2);
		CHECK(err != NULL && strstr(err, "--previous: only as") != NULL);
		free(err);
	}

	/* A valid version 2 starts, and both versions are kept. */
	CHECK_INT(start_stop(v2), 0);
	CHECK_INT(stored_as(2, v2), 1);
	CHECK_INT(stored_as(1, v1), 1);

	/*
	 * Version 4 maps only version 3: refused until version 3, which maps
	 * 1 and 2, is stored; then accepted through its entries.
	 */
	CHECK_INT(refused(v4, &err), 2);
	CHECK(err != NULL && strstr(err, "no entry for version 2, and no chain")
	    != NULL);
	free(err);
	CHECK_INT(start_stop(v3), 0);
	CHECK_INT(start_stop(v4), 0);
	CHECK_INT(stored_as(4, v4), 1);
	if (test_failures == 0)
		test_rmtree(dir);
	return test_done();
}
