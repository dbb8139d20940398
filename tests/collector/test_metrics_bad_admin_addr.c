/*
 * The admin listener binds loopback only. collector_start() refuses any
 * other --admin-addr (a wildcard, a public address, a name, an IPv4-mapped
 * loopback) with a message naming the flag and the rule, before anything
 * is opened; the binary refuses the same with exit 2, and refuses
 * --admin-addr without --admin-port. Loopback addresses pass the check.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static void
start_bad(const char *form, const char *dir, const char *addr)
{
	struct collector_config cfg;
	struct collector *c = NULL;
	char err[512] = "", db[512];

	snprintf(db, sizeof(db), "%s/never.db", dir);
	collector_config_defaults(&cfg);
	cfg.forms[0] = form;
	cfg.nforms = 1;
	cfg.db_path = db;
	cfg.port = 0;
	cfg.log = stderr;
	cfg.admin = 1;
	cfg.admin_port = 0;
	cfg.admin_addr = addr;
	CHECK(collector_start(&cfg, &c, err, sizeof(err)) != 0);
	CHECK(c == NULL);
	if (strstr(err, "--admin-addr") == NULL || strstr(err, "loopback") ==
	    NULL)
		fprintf(stderr, "%s: %s\n", addr ? addr : "(null)", err);
	CHECK(strstr(err, "--admin-addr") != NULL);
	CHECK(strstr(err, "loopback") != NULL);
	/* Refused before the database was created. */
	CHECK(access(db, F_OK) != 0);
}

static void
flags_bad(char *bin, const char *form, const char *const *extra,
    const char *want)
{
	char *argv[16], *out = NULL, *err = NULL;
	size_t n = 0;
	int rc;

	argv[n++] = bin;
	argv[n++] = "--form";
	argv[n++] = (char *)form;
	argv[n++] = "--db";
	argv[n++] = "/nonexistent/never.db";
	while (*extra != NULL && n < 15)
		argv[n++] = (char *)*extra++;
	argv[n] = NULL;
	rc = test_run(argv, &out, &err);
	if (rc != 2 || err == NULL || strstr(err, want) == NULL)
		fprintf(stderr, "flags_bad: rc %d, stderr: %s\n", rc,
		    err ? err : "(none)");
	CHECK_INT(rc, 2);
	CHECK(err != NULL && strstr(err, want) != NULL);
	free(out);
	free(err);
}

int
main(void)
{
	static const char *const bad[] = {"0.0.0.0", "::", "192.0.2.10",
		"10.0.0.1", "2001:db8::1", "localhost", "::ffff:127.0.0.1",
		"127.0.0.1 ", "", NULL};
	static const char *const good[] = {"127.0.0.1", "127.1.2.3", "::1",
		NULL};
	char dir[256], bin[512], err[256];
	const char *form = cl_fixture("tests/collector/mini.json", 0);
	size_t i;

	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	for (i = 0; bad[i] != NULL; i++) {
		start_bad(form, dir, bad[i]);
		CHECK(collector_admin_addr_check(bad[i], err, sizeof(err)) != 0);
	}
	start_bad(form, dir, NULL);
	for (i = 0; good[i] != NULL; i++)
		CHECK_INT(collector_admin_addr_check(good[i], err, sizeof(err)),
		    0);

	test_bin_path("collector", bin, sizeof(bin));
	{
		const char *a[] = {"--admin-port", "0", "--admin-addr",
			"0.0.0.0", NULL};
		flags_bad(bin, form, a, "--admin-addr 0.0.0.0: must be a "
		    "numeric loopback address");
	}
	{
		const char *a[] = {"--admin-addr", "127.0.0.1", NULL};
		flags_bad(bin, form, a, "--admin-addr: needs --admin-port");
	}
	{
		const char *a[] = {"--admin-port", "70000", NULL};
		flags_bad(bin, form, a, "--admin-port");
	}
	test_rmtree(dir);
	return test_done();
}
