/*
 * Command line: --help documents every flag; each bad flag is refused with
 * exit 2 and a message naming the flag; --check-form still works.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static char bin[512];

static void
flags_bad(const char *const *args, const char *flag)
{
	char *argv[16];
	char *out = NULL, *err = NULL;
	size_t n = 0;
	int rc;

	argv[n++] = bin;
	while (*args != NULL && n < 15)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	rc = test_run(argv, &out, &err);
	if (rc != 2 || err == NULL || strstr(err, flag) == NULL)
		fprintf(stderr, "flags_bad %s: rc %d, stderr: %s\n", flag, rc,
		    err ? err : "(none)");
	CHECK_INT(rc, 2);
	CHECK(err != NULL && strstr(err, flag) != NULL);
	free(out);
	free(err);
}

int
main(void)
{
	char form[512];
	char *out = NULL, *err = NULL;
	const char *all[] = {"--form", "--db", "--bind", "--port",
		"--min-fill-seconds", "--tls-cert", "--tls-key", "--draft-days",
		"--rate-per-minute", "--rate-burst", "--check-form", "--help",
		"--group-read", "--behind-proxy", NULL};
	size_t i;

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	{
		char *argv[] = {bin, "--help", NULL};
		CHECK_INT(test_run(argv, &out, &err), 0);
		for (i = 0; all[i] != NULL; i++)
			CHECK(out != NULL && strstr(out, all[i]) != NULL);
		free(out);
		free(err);
	}
	{
		char *argv[] = {bin, "--check-form", form, NULL};
		CHECK_INT(test_run(argv, &out, &err), 0);
		CHECK(out != NULL && strstr(out, "ok") != NULL);
		free(out);
		free(err);
	}
	{
		const char *a[] = {"--db", "/tmp/x.db", NULL};
		flags_bad(a, "--form");
	}
	/* Behind a proxy: loopback only, and the proxy keeps the rate limit. */
	{
		const char *a[] = {"--form", form, "--db", "/tmp/x.db",
			"--behind-proxy", "--bind", "0.0.0.0", NULL};
		flags_bad(a, "--behind-proxy");
	}
	{
		const char *a[] = {"--form", form, "--db", "/tmp/x.db",
			"--behind-proxy", "--bind", "::", NULL};
		flags_bad(a, "--behind-proxy");
	}
	{
		const char *a[] = {"--form", form, "--db", "/tmp/x.db",
			"--behind-proxy", "--rate-per-minute", "30", NULL};
		flags_bad(a, "--behind-proxy");
	}
	{
		const char *a[] = {"--form", form, NULL};
		flags_bad(a, "--db");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db", "--port",
			"70000", NULL};
		flags_bad(a, "--port");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db", "--port",
			"80x", NULL};
		flags_bad(a, "--port");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db", "--port",
			"-1", NULL};
		flags_bad(a, "--port");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db",
			"--min-fill-seconds", "", NULL};
		flags_bad(a, "--min-fill-seconds");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db",
			"--min-fill-seconds", "99999999999999999999", NULL};
		flags_bad(a, "--min-fill-seconds");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db", "--tls-cert",
			"c.pem", NULL};
		flags_bad(a, "--tls-key");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db", "--frobnicate",
			"1", NULL};
		flags_bad(a, "--frobnicate");
	}
	{
		const char *a[] = {"--form", form, "--db", "x.db", "--port", NULL};
		flags_bad(a, "--port");
	}
	/*
	 * A bad bind address is a start-up failure naming --bind (in a
	 * database directory the collector accepts, so that the check of the
	 * directory passes and the address is what fails).
	 */
	{
		char dir[256], db[320];
		CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
		CHECK(test_give_dir(dir, NULL) == 0);
		snprintf(db, sizeof(db), "%s/x.db", dir);
		char *argv[] = {bin, "--form", form, "--db", db,
			"--bind", "localhost", "--port", "0", NULL};
		int rc = test_run(argv, &out, &err);
		CHECK(rc != 0);
		CHECK(err != NULL && strstr(err, "--bind") != NULL);
		free(out);
		free(err);
		test_rmtree(dir);
	}
	return test_done();
}
