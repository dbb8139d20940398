/*
 * The database directory must be the collector's own (fmode.h,
 * collector/main.c):
 *  - datadir_check_unit: fmode_check_owner() accepts a directory owned by
 *    the uid with mode 0700 or 0750, and refuses one owned by another
 *    uid, one writable by group or others, a missing one and a file, with
 *    a message naming the directory, its owner and mode, the expected
 *    owner and the fix; fmode_set() changes a 0644 file to 0600 and
 *    refuses a symbolic link, a hard-linked file and a directory without
 *    touching them; fmode_parent_dir() resolves a database that does not
 *    exist yet and one reached through a symbolic link;
 *  - datadir_bad_group_writable: the binary refuses a database directory
 *    writable by its group (exit 1), creating nothing;
 *  - datadir_bad_root_owned (root only, else skipped): started as root
 *    with --user nobody on a root-owned directory, the binary exits 1 with
 *    the whole message, and creates no database.
 * Exit 77 when the root part could not run and everything else passed.
 */
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>

#include "client.h"
#include "fmode.h"

static long
mode_of(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return -1;
	return (long)(sb.st_mode & 07777);
}

static void
check_owner_unit(const char *dir)
{
	char d[400], f[400], err[1024], want[2048];
	uid_t me = geteuid();

	snprintf(d, sizeof(d), "%s/data", dir);
	CHECK(mkdir(d, 0700) == 0);
	CHECK(chmod(d, 0700) == 0);
	CHECK_INT(fmode_check_owner(d, me, err, sizeof(err)), 0);
	CHECK(chmod(d, 0750) == 0);
	CHECK_INT(fmode_check_owner(d, me, err, sizeof(err)), 0);

	CHECK(chmod(d, 0770) == 0);
	CHECK_INT(fmode_check_owner(d, me, err, sizeof(err)), -1);
	CHECK(strstr(err, "with mode 0770") != NULL);
	CHECK(strstr(err, "not writable by group or others") != NULL);
	CHECK(chmod(d, 0703) == 0);
	CHECK_INT(fmode_check_owner(d, me, err, sizeof(err)), -1);
	CHECK(strstr(err, "with mode 0703") != NULL);

	/* Another owner: the exact message, names looked up as main does. */
	CHECK(chmod(d, 0700) == 0);
	{
		struct passwd *pw = getpwuid(me);
		char owner[256], other[64];
		snprintf(owner, sizeof(owner), "%s (uid %lu)",
		    pw ? pw->pw_name : "?", (unsigned long)me);
		snprintf(other, sizeof(other), "%lu", (unsigned long)me + 4242);
		if (getpwuid(me + 4242) == NULL) {
			snprintf(want, sizeof(want), "directory %s is owned by "
			    "%s with mode 0700; it must be owned by uid %s and "
			    "not writable by group or others (fix: chown %s: %s "
			    "&& chmod 700 %s)", d, owner, other, other, d, d);
			CHECK_INT(fmode_check_owner(d, me + 4242, err,
			    sizeof(err)), -1);
			CHECK_STR(err, want);
		}
	}
	fmode_init(1); /* the fix then says 750 */
	CHECK_INT(fmode_check_owner(d, me + 4242, err, sizeof(err)), -1);
	CHECK(strstr(err, "&& chmod 750 ") != NULL);
	fmode_init(0);
	umask(022); /* fmode_init() set it */

	snprintf(f, sizeof(f), "%s/missing", dir);
	CHECK_INT(fmode_check_owner(f, me, err, sizeof(err)), -1);
	CHECK(strstr(err, "No such file or directory") != NULL);
	snprintf(f, sizeof(f), "%s/file", dir);
	CHECK(test_write_file(f, "x", 1) == 0);
	CHECK_INT(fmode_check_owner(f, me, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a directory") != NULL);
}

static void
set_unit(const char *dir)
{
	char f[400], l[400], h[400], sub[400], err[1024];
	mode_t was = 0;

	snprintf(f, sizeof(f), "%s/db", dir);
	snprintf(l, sizeof(l), "%s/db-link", dir);
	snprintf(h, sizeof(h), "%s/db-hard", dir);
	snprintf(sub, sizeof(sub), "%s/subdir", dir);
	CHECK_INT(fmode_set(f, 0600, &was, err, sizeof(err)), 0); /* absent */
	CHECK(test_write_file(f, "x", 1) == 0);
	CHECK(chmod(f, 0644) == 0);
	CHECK_INT(fmode_set(f, 0600, &was, err, sizeof(err)), 1);
	CHECK_INT(was, 0644);
	CHECK_INT(mode_of(f), 0600);
	CHECK_INT(fmode_set(f, 0600, &was, err, sizeof(err)), 0);

	CHECK(chmod(f, 0644) == 0);
	CHECK(symlink(f, l) == 0);
	CHECK_INT(fmode_set(l, 0600, &was, err, sizeof(err)), -1);
	CHECK(strstr(err, "is a symbolic link") != NULL);
	CHECK_INT(mode_of(f), 0644);
	CHECK(link(f, h) == 0);
	CHECK_INT(fmode_set(h, 0600, &was, err, sizeof(err)), -1);
	CHECK(strstr(err, "has 2 hard links") != NULL);
	CHECK_INT(mode_of(f), 0644);
	CHECK(mkdir(sub, 0755) == 0);
	CHECK_INT(fmode_set(sub, 0600, &was, err, sizeof(err)), -1);
	CHECK_INT(mode_of(sub), 0755);
}

static void
parent_unit(const char *dir)
{
	char real[4096], p[400], l[400], out[4096], want[4200], err[1024];

	CHECK(realpath(dir, real) != NULL);
	snprintf(p, sizeof(p), "%s/subdir/not-yet.db", dir);
	CHECK_INT(fmode_parent_dir(p, out, sizeof(out), err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/subdir", real);
	CHECK_STR(out, want);
	/* A database reached through a link is checked where it is. */
	snprintf(p, sizeof(p), "%s/subdir/real.db", dir);
	snprintf(l, sizeof(l), "%s/link.db", dir);
	CHECK(test_write_file(p, "", 0) == 0);
	CHECK(symlink(p, l) == 0);
	CHECK_INT(fmode_parent_dir(l, out, sizeof(out), err, sizeof(err)), 0);
	CHECK_STR(out, want);
	snprintf(p, sizeof(p), "%s/no-such-dir/x.db", dir);
	CHECK_INT(fmode_parent_dir(p, out, sizeof(out), err, sizeof(err)), -1);
}

/*
 * Run the binary on dir/x.db (root: with --user nobody), stderr into
 * *err; its exit status. One that starts serving instead of refusing is
 * killed after a few seconds (status -1), so a broken check fails fast.
 */
static int
run_on(const char *dir, int as_root, char **err)
{
	char bin[512], db[400], form[512], errp[450];
	int fd, status = -1, i;
	pid_t pid;

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	snprintf(db, sizeof(db), "%s/x.db", dir);
	snprintf(errp, sizeof(errp), "%s.stderr", dir);
	char *argv[] = {bin, "--form", form, "--db", db, "--port", "0",
		as_root ? "--user" : NULL, "nobody", NULL};
	fflush(NULL);
	if ((pid = fork()) == 0) {
		fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(127);
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execv(bin, argv);
		_exit(127);
	}
	for (i = 0; pid > 0 && i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (pid > 0 && i == 500) {
		fprintf(stderr, "%s: the collector did not refuse: killed\n",
		    db);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		status = -1;
	}
	*err = test_read_file(errp, NULL);
	unlink(errp);
	if (access(db, F_OK) == 0) {
		fprintf(stderr, "%s: created\n", db);
		test_failures++;
	}
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
bad_group_writable(const char *dir, int root)
{
	char d[400], *err = NULL;

	snprintf(d, sizeof(d), "%s/shared", dir);
	CHECK(mkdir(d, 0700) == 0);
	CHECK(test_give_dir(d, NULL) == 0);
	CHECK(chmod(d, 0770) == 0);
	CHECK_INT(run_on(d, root, &err), 1);
	CHECK(err != NULL && strstr(err, "with mode 0770; it must be owned "
	    "by") != NULL);
	free(err);
}

static void
bad_root_owned(const char *dir)
{
	char d[400], real[4096], want[20000], *err = NULL;
	struct passwd *pw = getpwnam("nobody");

	CHECK(pw != NULL);
	if (pw == NULL)
		return;
	snprintf(d, sizeof(d), "%s/rootdata", dir);
	CHECK(mkdir(d, 0700) == 0);
	CHECK(chmod(d, 0700) == 0);
	CHECK(realpath(d, real) != NULL);
	CHECK_INT(run_on(d, 1, &err), 1);
	snprintf(want, sizeof(want), "collector: --db %s/x.db: directory %s "
	    "is owned by root (uid 0) with mode 0700; it must be owned by "
	    "nobody (uid %lu) and not writable by group or others (fix: "
	    "chown nobody: %s && chmod 700 %s)\n", d, real,
	    (unsigned long)pw->pw_uid, real, real);
	if (err == NULL || strcmp(err, want) != 0)
		fprintf(stderr, "stderr:   %sexpected: %s",
		    err ? err : "(none)\n", want);
	CHECK(err != NULL && strcmp(err, want) == 0);
	free(err);
	/* The fix works: the same start now gets past the check. */
	CHECK(chown(d, pw->pw_uid, pw->pw_gid) == 0);
	{
		struct cl_child ch;
		char db[450], log[400];
		snprintf(db, sizeof(db), "%s/x.db", d);
		snprintf(log, sizeof(log), "%s/ok.log", dir);
		const char *args[] = {"--form",
			cl_fixture("tests/collector/mini.json", 0), "--db", db,
			"--port", "0", "--user", "nobody", NULL};
		CHECK(cl_child_start(&ch, args, log) == 0);
		if (ch.pid > 0)
			CHECK_INT(cl_child_stop(&ch, SIGTERM), 0);
	}
}

int
main(void)
{
	char dir[256];
	int root = geteuid() == 0;

	signal(SIGPIPE, SIG_IGN);
	umask(022);
	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	check_owner_unit(dir);
	set_unit(dir);
	parent_unit(dir);
	bad_group_writable(dir, root);
	if (root)
		bad_root_owned(dir);
	test_rmtree(dir);
	if (!root && test_failures == 0) {
		fprintf(stderr, "datadir_bad_root_owned: skipped (not root); "
		    "everything else passed\n");
		return 77;
	}
	return test_done();
}
