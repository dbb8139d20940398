/*
 * The database files of a running collector binary, started under umask
 * 022 (which alone would give 0644):
 *  - db_modes_private: the database, its -wal and its -shm are 0600 while
 *    it serves and after a submission, and the database is still 0600
 *    after a clean stop;
 *  - db_modes_group_read: with --group-read all three are 0640.
 * The directory is the test's own 0700 one (given to nobody first when the
 * test runs as root, since the collector then runs as nobody).
 */
#include <signal.h>
#include <sys/stat.h>

#include "client.h"

/* The permission bits of path, or -1 when it does not exist. */
static long
mode_of(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return -1;
	return (long)(sb.st_mode & 07777);
}

static void
check_modes(const char *db, long want)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char path[400];

	for (size_t i = 0; i < 3; i++) {
		long m;
		snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
		m = mode_of(path);
		if (m != want)
			fprintf(stderr, "%s: mode %04lo, expected %04lo\n", path,
			    m, want);
		CHECK_INT(m, want);
	}
}

static void
run_case(int group_read)
{
	struct cl_child ch;
	struct cl_client c;
	char dir[256], db[300], log[300], *code;
	long want = group_read ? 0640 : 0600;
	const char *args[] = {"--form",
		cl_fixture("tests/collector/mini.json", 0), "--db", db,
		"--port", "0", "--min-fill-seconds", "0", "--rate-per-minute",
		"0", group_read ? "--group-read" : NULL, NULL};

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	if (cl_child_start(&ch, args, log) != 0) {
		char *e = test_read_file(log, NULL);
		fprintf(stderr, "collector did not start: %s\n", e ? e : "");
		free(e);
		test_failures++;
		test_rmtree(dir);
		return;
	}
	check_modes(db, want);
	CHECK(cl_client_init(&c, ch.port) == 0);
	code = cl_mini_full(&c);
	CHECK(code != NULL);
	free(code);
	cl_client_free(&c);
	check_modes(db, want);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	CHECK_INT(mode_of(db), want);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	test_rmtree(dir);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	run_case(0); /* db_modes_private */
	run_case(1); /* db_modes_group_read */
	return test_done();
}
