/* collector --check-form: exit 0 on a valid file, 1 with every problem. */
#include "helpers.h"

int
main(void)
{
	char bin[1024], good[1024], dir[512], bad[1024];
	char *out = NULL;

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/forms/data/mini.json", good, sizeof(good));
	char *argv_good[] = {bin, "--check-form", good, NULL};
	CHECK_INT(test_run(argv_good, &out, NULL), 0);
	CHECK(out && strstr(out, "ok") != NULL);
	free(out);

	CHECK_INT(test_tmpdir(dir, sizeof(dir)), 0);
	snprintf(bad, sizeof(bad), "%s/broken.json", dir);
	const char *text = "{\"id\": \"b\", \"version\": 1, \"languages\": [\"en\"],"
	    " \"title\": \"t\", \"pages\": [], \"bogus\": true}";
	CHECK_INT(test_write_file(bad, text, strlen(text)), 0);
	char *argv_bad[] = {bin, "--check-form", bad, NULL};
	CHECK_INT(test_run(argv_bad, &out, NULL), 1);
	CHECK(out && strstr(out, "broken.json: consent: missing") != NULL);
	CHECK(out && strstr(out, "broken.json: pages: must be a non-empty") != NULL);
	CHECK(out && strstr(out, "broken.json: bogus: unknown key") != NULL);
	free(out);

	/* A question named like a field of the collector's own. */
	text = "{\"id\": \"r\", \"version\": 1, \"languages\": [\"en\"],"
	    " \"title\": \"t\", \"consent\": {\"version\": \"1\","
	    " \"title\": \"C\", \"text\": \"t\", \"agree\": \"a\","
	    " \"age_confirm\": \"a\"}, \"pages\": [{\"id\": \"p\","
	    " \"title\": \"P\", \"items\": [{\"var\": \"state\","
	    " \"kind\": \"yesno\", \"label\": \"Q\"}]}]}";
	CHECK_INT(test_write_file(bad, text, strlen(text)), 0);
	CHECK_INT(test_run(argv_bad, &out, NULL), 1);
	CHECK(out && strstr(out, "broken.json: pages[0].items[0].var: "
	    "\"state\" is a name the collector uses for its own fields") !=
	    NULL);
	free(out);
	test_rmtree(dir);
	return test_done();
}
