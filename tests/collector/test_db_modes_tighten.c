/*
 * Database files left with a wider mode are brought back at start:
 *  - tighten_existing: a database, -wal and -shm left 0644 by an older
 *    version or a careless copy (here: after a SIGKILL, so the -wal still
 *    holds the last commit) are 0600 once the collector has started, its
 *    stderr names each file and both modes, and nothing was lost;
 *  - tighten_group_read: with --group-read the same files become 0640;
 *  - tighten_bad_symlink: a -wal that is a symbolic link is refused (exit
 *    1, a message naming it) and the file it points to keeps its mode.
 */
#include <signal.h>
#include <sys/stat.h>

#include "client.h"

static const char *const suffix[] = {"", "-wal", "-shm"};

static long
mode_of(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return -1;
	return (long)(sb.st_mode & 07777);
}

/* Start on db (extra: one more flag or NULL); 0 or -1. */
static int
start(struct cl_child *ch, const char *db, const char *log,
    const char *extra)
{
	const char *args[] = {"--form",
		cl_fixture("tests/collector/mini.json", 0), "--db", db,
		"--port", "0", "--min-fill-seconds", "0", "--rate-per-minute",
		"0", extra, NULL};
	int rc = cl_child_start(ch, args, log);

	if (rc != 0) {
		char *e = test_read_file(log, NULL);
		fprintf(stderr, "collector did not start: %s\n", e ? e : "");
		free(e);
	}
	return rc;
}

/* After a failed start: make sure the child is gone. */
static void
reap(struct cl_child *ch)
{
	if (ch->pid > 0)
		cl_child_stop(ch, SIGKILL);
}

/* One submission, then SIGKILL: the -wal and -shm stay behind. */
static int
submit_and_kill(const char *db, const char *log)
{
	struct cl_child ch;
	struct cl_client c;
	char *code;

	if (start(&ch, db, log, NULL) != 0) {
		reap(&ch);
		return -1;
	}
	CHECK(cl_client_init(&c, ch.port) == 0);
	code = cl_mini_full(&c);
	CHECK(code != NULL);
	free(code);
	cl_client_free(&c);
	CHECK_INT(cl_child_stop(&ch, SIGKILL), -1);
	return 0;
}

/* Every file 0644; each must exist. */
static void
widen(const char *db)
{
	char path[400];

	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
		CHECK(mode_of(path) >= 0);
		CHECK(chmod(path, 0644) == 0);
	}
}

static void
tighten_case(int group_read)
{
	struct cl_child ch;
	char dir[256], db[300], log[300], log2[300], path[400], line[4400];
	char real[4096];
	long want = group_read ? 0640 : 0600;
	char *text;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/first.log", dir);
	snprintf(log2, sizeof(log2), "%s/second.log", dir);
	if (submit_and_kill(db, log) != 0) {
		test_failures++;
		test_rmtree(dir);
		return;
	}
	widen(db);
	if (start(&ch, db, log2, group_read ? "--group-read" : NULL) != 0) {
		reap(&ch);
		test_failures++;
		test_rmtree(dir);
		return;
	}
	CHECK(realpath(db, real) != NULL);
	text = test_read_file(log2, NULL);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
		CHECK_INT(mode_of(path), want);
		snprintf(line, sizeof(line), "collector: %s%s: mode 0644 "
		    "changed to %04lo (it was readable or writable by others)",
		    real, suffix[i], want);
		if (text == NULL || strstr(text, line) == NULL)
			fprintf(stderr, "missing from stderr: %s\nstderr: %s\n",
			    line, text ? text : "(none)");
		CHECK(text != NULL && strstr(text, line) != NULL);
	}
	free(text);
	CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	CHECK_INT(mode_of(db), want);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	test_rmtree(dir);
}

static void
tighten_bad_symlink(void)
{
	struct cl_child ch;
	char dir[256], db[300], log[300], wal[320], target[300];
	char *e;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log, sizeof(log), "%s/first.log", dir);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	if (submit_and_kill(db, log) != 0) {
		test_failures++;
		test_rmtree(dir);
		return;
	}
	CHECK(test_write_file(target, "x", 1) == 0);
	CHECK(chmod(target, 0644) == 0);
	CHECK(unlink(wal) == 0);
	CHECK(symlink(target, wal) == 0);
	if (start(&ch, db, log, NULL) == 0) {
		fprintf(stderr, "started with a symbolic link as its -wal\n");
		test_failures++;
		cl_child_stop(&ch, SIGKILL);
	} else {
		CHECK_INT(cl_child_stop(&ch, 0), 1);
	}
	e = test_read_file(log, NULL);
	CHECK(e != NULL && strstr(e, "candor.db-wal: is a symbolic link") !=
	    NULL);
	free(e);
	CHECK_INT(mode_of(target), 0644);
	test_rmtree(dir);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	tighten_case(0); /* tighten_existing */
	tighten_case(1); /* tighten_group_read */
	tighten_bad_symlink();
	return test_done();
}
