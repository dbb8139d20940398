/*
 * Test builds only: the hidden flags of collector_selftest (main.c built
 * with CANDOR_SANDBOX_SELFTEST, never installed) with which
 * tests/collector/test_sandbox.c proves the sandbox of the real program.
 * Included by main.c alone, in that build alone.
 *
 *   --sandbox-selftest execve|socket   the forbidden call on the main thread
 *                                      once serving; exit 3 if it returned
 *   --sandbox-selftest thread          an AF_INET socket from a thread
 *                                      started before the sandbox
 *   --sandbox-selftest files           from the main thread, from a thread
 *                                      started before the sandbox and
 *                                      (open only) from every other thread:
 *                                      open /etc/passwd, create in /tmp,
 *                                      unlink VICTIM-main (VICTIM-thread
 *                                      from the thread), and create and
 *                                      remove a file
 *                                      in the database directory; one
 *                                      "collector: selftest: files ..."
 *                                      line each; exit 4 when all the
 *                                      first three were refused and the
 *                                      last worked, 3 otherwise
 *   --sandbox-selftest-landlock enosys|eopnotsupp|fail
 *                                      pretend the kernel has no Landlock
 *                                      (ENOSYS), has it turned off
 *                                      (EOPNOTSUPP), or refuses to make
 *                                      the ruleset (EINVAL): a seccomp
 *                                      filter on the main thread answers
 *                                      landlock_create_ruleset so
 *   --sandbox-selftest-victim VICTIM   the files the probe unlinks
 */
#ifndef CANDOR_SANDBOX_SELFTEST_H
#define CANDOR_SANDBOX_SELFTEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "sandbox.h"

#define SELFTEST_THREADS_MAX 64

struct selftest {
	const char *what;       /* --sandbox-selftest, or NULL */
	const char *landlock;   /* --sandbox-selftest-landlock, or NULL */
	const char *victim;     /* --sandbox-selftest-victim, or NULL */
	const struct sandbox_report *rep; /* what the sandbox did */
	int pipe[2];            /* wakes the thread */
	pthread_t thread;
	int started;
	int thread_bad;         /* files: the thread's verdict */
	long self;              /* the main thread's id */
	long tids[SELFTEST_THREADS_MAX]; /* every other thread, before */
	size_t ntids;
};

/*
 * A --sandbox-selftest* flag and its value. 0, or -1 after a message.
 */
static int
selftest_flag(struct selftest *st, const char *flag, const char *v)
{
	if (strcmp(flag, "--sandbox-selftest") == 0) {
		if (strcmp(v, "execve") != 0 && strcmp(v, "socket") != 0 &&
		    strcmp(v, "thread") != 0 && strcmp(v, "files") != 0) {
			fprintf(stderr, "collector: --sandbox-selftest: expected "
			    "execve, socket, thread or files (got \"%s\")\n", v);
			return -1;
		}
		st->what = v;
	} else if (strcmp(flag, "--sandbox-selftest-landlock") == 0) {
		if (strcmp(v, "enosys") != 0 && strcmp(v, "eopnotsupp") != 0 &&
		    strcmp(v, "fail") != 0) {
			fprintf(stderr, "collector: --sandbox-selftest-landlock: "
			    "expected enosys, eopnotsupp or fail (got \"%s\")\n",
			    v);
			return -1;
		}
		st->landlock = v;
	} else if (strcmp(flag, "--sandbox-selftest-victim") == 0) {
		st->victim = v;
	} else {
		fprintf(stderr, "collector: %s: unknown flag\n", flag);
		return -1;
	}
	return 0;
}

/* "ok" when rc >= 0, else the name of e ("EACCES"), into buf. */
static const char *
selftest_result(int rc, int e, char *buf, size_t n)
{
	if (rc >= 0)
		return "ok";
	switch (e) {
	case EACCES:
		return "EACCES";
	case ENOENT:
		return "ENOENT";
	case EPERM:
		return "EPERM";
	default:
		snprintf(buf, n, "errno-%d", e);
		return buf;
	}
}

/*
 * The files probe from the calling thread (who names it in the line).
 * Returns 1 when a refused operation went through or the allowed one
 * failed, else 0.
 */
static int
selftest_files(const struct selftest *st, const char *who)
{
	char tmp[128], inside[PATH_MAX + 64], victim[PATH_MAX + 64], b[4][24];
	const char *r_open, *r_create, *r_unlink = "none", *r_inside;
	const char *dir = st->rep->files == SANDBOX_FILES_CHROOT ? "" :
	    st->rep->dir;
	int fd, rc, e, bad = 0;

	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	e = errno;
	r_open = selftest_result(fd, e, b[0], sizeof(b[0]));
	bad |= fd >= 0;
	if (fd >= 0)
		close(fd);

	snprintf(tmp, sizeof(tmp), "/tmp/candor-selftest-%ld-%s",
	    (long)getpid(), who);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	e = errno;
	r_create = selftest_result(fd, e, b[1], sizeof(b[1]));
	bad |= fd >= 0;
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}

	if (st->victim != NULL) {
		snprintf(victim, sizeof(victim), "%s-%s", st->victim, who);
		rc = unlink(victim);
		e = errno;
		r_unlink = selftest_result(rc, e, b[2], sizeof(b[2]));
		bad |= rc == 0;
	}

	/* What SQLite does in its directory must still work. */
	snprintf(inside, sizeof(inside), "%s/selftest-%s", dir, who);
	fd = open(inside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	e = errno;
	if (fd >= 0) {
		rc = write(fd, "x", 1) == 1 && close(fd) == 0 ? 0 : -1;
		e = errno;
		if (unlink(inside) != 0 && rc == 0) {
			rc = -1;
			e = errno;
		}
	} else
		rc = -1;
	r_inside = selftest_result(rc, e, b[3], sizeof(b[3]));
	bad |= rc != 0;

	fprintf(stderr, "collector: selftest: files %s: open=%s create=%s "
	    "unlink=%s inside=%s\n", who, r_open, r_create, r_unlink,
	    r_inside);
	return bad;
}

/*
 * The probe of every other thread, one at a time: the signal handler
 * opens /etc/passwd and answers 1 + errno (1: it opened). Only calls the
 * seccomp allowlist has (openat, close); no gettid.
 */
static atomic_int selftest_probe_answer;

static void
selftest_probe_signal(int sig)
{
	int saved = errno, fd;

	(void)sig;
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	atomic_store(&selftest_probe_answer, fd >= 0 ? 1 : 1 + errno);
	if (fd >= 0)
		close(fd);
	errno = saved;
}

/*
 * Every thread listed before the sandbox, probed; one line with the
 * common answer ("mixed" when they differ). 1 if one opened the file or
 * did not answer.
 */
static int
selftest_probe_all(const struct selftest *st)
{
	const struct timespec ms = {0, 1000000};
	char b[24], common[24] = "";
	size_t i, n = 0;
	int bad = 0, a = 0, k;
	const char *r;

	for (i = 0; i < st->ntids; i++) {
		atomic_store(&selftest_probe_answer, 0);
		if (syscall(SYS_tgkill, (long)getpid(), st->tids[i],
		    (long)SIGUSR1) != 0)
			continue; /* gone */
		for (k = 0; k < 5000 &&
		    (a = atomic_load(&selftest_probe_answer)) == 0; k++)
			nanosleep(&ms, NULL);
		if (a == 0) {
			fprintf(stderr, "collector: selftest: files thread %ld: "
			    "no answer\n", st->tids[i]);
			bad = 1;
			continue;
		}
		n++;
		bad |= a == 1;
		r = selftest_result(a == 1 ? 0 : -1, a - 1, b, sizeof(b));
		if (n == 1)
			snprintf(common, sizeof(common), "%s", r);
		else if (strcmp(common, r) != 0)
			snprintf(common, sizeof(common), "mixed");
	}
	fprintf(stderr, "collector: selftest: files every thread: %zu probed: "
	    "open=%s\n", n, n > 0 ? common : "none");
	return bad;
}

/* The thread started before the sandbox: waits, then does its part. */
static void *
selftest_thread_main(void *arg)
{
	struct selftest *st = arg;
	char b;
	int fd;

	if (read(st->pipe[0], &b, 1) != 1)
		return NULL;
	if (strcmp(st->what, "files") == 0) {
		st->thread_bad = selftest_files(st, "thread");
		return NULL;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	fprintf(stderr, "collector: selftest: socket() on a thread returned "
	    "%d\n", fd);
	_exit(3);
}

/* --sandbox-selftest-landlock: answer landlock_create_ruleset here. */
static int
selftest_no_landlock(const char *how, char *err, size_t errsz)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (ctx == NULL) {
		snprintf(err, errsz, "selftest: seccomp_init failed");
		return -1;
	}
	if (strcmp(how, "fail") == 0) /* the ruleset, not the ABI query */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL),
		    SCMP_SYS(landlock_create_ruleset), 1,
		    SCMP_A2(SCMP_CMP_EQ, 0));
	else
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(strcmp(how,
		    "enosys") == 0 ? ENOSYS : EOPNOTSUPP),
		    SCMP_SYS(landlock_create_ruleset), 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		snprintf(err, errsz, "selftest: landlock filter: %s",
		    strerror(-rc));
		return -1;
	}
	return 0;
}

/* Note every thread but this one (before the sandbox). 0 or -1. */
static int
selftest_list_threads(struct selftest *st)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/task");
	long tid;

	if (d == NULL)
		return -1;
	st->self = syscall(SYS_gettid);
	while ((e = readdir(d)) != NULL && st->ntids < SELFTEST_THREADS_MAX) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		tid = strtol(e->d_name, NULL, 10);
		if (tid != st->self)
			st->tids[st->ntids++] = tid;
	}
	closedir(d);
	return 0;
}

/*
 * In the before_serve hook, before sandbox_enter(): the thread, the
 * probe's handler and the thread list, the pretended kernel. 0, or -1
 * with err.
 */
static int
selftest_before(struct selftest *st, const struct sandbox_report *rep,
    char *err, size_t errsz)
{
	struct sigaction sa;

	st->rep = rep;
	if (st->what != NULL && (strcmp(st->what, "thread") == 0 ||
	    strcmp(st->what, "files") == 0)) {
		if (pipe(st->pipe) != 0 || pthread_create(&st->thread, NULL,
		    selftest_thread_main, st) != 0) {
			snprintf(err, errsz, "selftest: cannot start a thread");
			return -1;
		}
		st->started = 1;
	}
	if (st->what != NULL && strcmp(st->what, "files") == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = selftest_probe_signal;
		sa.sa_flags = SA_RESTART;
		if (sigemptyset(&sa.sa_mask) != 0 ||
		    sigaction(SIGUSR1, &sa, NULL) != 0 ||
		    selftest_list_threads(st) != 0) {
			snprintf(err, errsz, "selftest: cannot set up the probe");
			return -1;
		}
	}
	if (st->landlock != NULL &&
	    selftest_no_landlock(st->landlock, err, errsz) != 0)
		return -1;
	return 0;
}

/* Once serving: what --sandbox-selftest asked; the exit status. */
static int
selftest_run(struct selftest *st)
{
	char *const argv[] = {"/bin/true", NULL}, *const envp[] = {NULL};
	int fd, bad;

	if (strcmp(st->what, "execve") == 0) {
		execve(argv[0], argv, envp);
		fprintf(stderr, "collector: selftest: execve() returned\n");
	} else if (strcmp(st->what, "socket") == 0) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		fprintf(stderr, "collector: selftest: socket() returned %d\n",
		    fd);
	} else if (strcmp(st->what, "files") == 0) {
		bad = selftest_files(st, "main");
		bad |= selftest_probe_all(st);
		if (write(st->pipe[1], "x", 1) == 1)
			pthread_join(st->thread, NULL);
		else
			bad = 1;
		return bad || st->thread_bad ? 3 : 4;
	} else if (st->started) {
		if (write(st->pipe[1], "x", 1) == 1)
			pthread_join(st->thread, NULL);
	}
	return 3;
}

#endif
