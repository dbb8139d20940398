/*
 * The sandbox: giving up root and the seccomp allowlist (sandbox.h).
 *
 * Privileges. The collector opens everything it will ever use before the
 * drop: the form files are parsed into memory, the TLS certificate and key
 * are read into memory, the database connection (with its -wal and -shm
 * files, WAL mode) stays open for the life of the process, and the
 * listening socket exists. So nothing is chowned and the data directory
 * may stay owned by root: the unprivileged user reaches the database only
 * through descriptors opened as root. (On stop SQLite then cannot delete
 * the -wal and -shm files from a directory the user cannot write, and
 * skips the checkpoint when the user cannot search it; no data is lost,
 * the next open reads the WAL. docs/collector.md, "Sandbox".)
 *
 * The allowlist. Default action: kill the whole process (SIGSYS), so a
 * forbidden call never half-succeeds and is never retried in a loop; the
 * kernel audit log and `strace -f` name the call. The list was taken from
 * `strace -f` of the full test flow (consent, pages, save and resume,
 * submission, withdrawal, /metrics, /healthz, HTTPS, SIGTERM drain) on
 * x86_64 with glibc 2.36, libmicrohttpd 0.9.75 (epoll, internal thread),
 * SQLite 3.40, libsodium 1.0.18 and GnuTLS 3.7. Nothing that makes a
 * process, a socket or a connection is on it (no execve, fork, socket,
 * connect, bind, listen), nor ptrace, mount, the set*id family,
 * chmod/chown, or mmap/mprotect with PROT_EXEC. Threads may still be
 * started (the researcher API decodes a dataset on worker threads it
 * starts per request): clone only with the flags of a thread of this
 * process, and clone3, whose flags sit in memory a filter cannot read,
 * fails with ENOSYS so glibc falls back to clone.
 */
#define _GNU_SOURCE /* setresuid, getresuid and friends */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <seccomp.h>

#include "sandbox.h"

/* What glibc's pthread_create() passes to clone, and the bits checked. */
#define SANDBOX_CLONE_THREAD (CLONE_VM | CLONE_FS | CLONE_FILES | \
	CLONE_SIGHAND | CLONE_THREAD)
#define SANDBOX_CLONE_MASK (SANDBOX_CLONE_THREAD | CLONE_NEWNS | \
	CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | \
	CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_VFORK | CLONE_PARENT | \
	CLONE_PTRACE)

/* One allowed call, optionally only when one argument matches. */
struct sandbox_rule {
	int nr;                  /* SCMP_SYS(name) */
	unsigned narg;           /* 0: any arguments; 1: arg must match */
	struct scmp_arg_cmp arg;
};

#define ALLOW(name) {SCMP_SYS(name), 0, {0, 0, 0, 0}}
/* Allowed only when (argument i & mask) == 0. */
#define ALLOW_MASK0(name, i, mask) \
	{SCMP_SYS(name), 1, {(i), SCMP_CMP_MASKED_EQ, (mask), 0}}
/* Allowed only when argument i == v. */
#define ALLOW_EQ(name, i, v) {SCMP_SYS(name), 1, {(i), SCMP_CMP_EQ, (v), 0}}

static const struct sandbox_rule sandbox_rules[] = {
	/* Memory: malloc (brk, mmap, arenas, realloc of big blocks with
	 * mremap), SQLite's -shm mapping; never PROT_EXEC. */
	ALLOW(brk),
	ALLOW_MASK0(mmap, 2, PROT_EXEC),
	ALLOW_MASK0(mprotect, 2, PROT_EXEC),
	ALLOW(munmap),
	ALLOW(mremap),
	ALLOW(madvise),
	/* Threads: locks, condition variables, joins, thread exit; a new
	 * thread registers its robust list and rseq area. */
	ALLOW(futex),
	ALLOW(set_robust_list),
	ALLOW(rseq),
	ALLOW(exit),
	ALLOW(exit_group),
	/* The kernel resumes an interrupted sleep (after SIGSTOP/SIGCONT). */
	ALLOW(restart_syscall),
	/* Time: the vDSO answers these; the calls are its fallback. */
	ALLOW(clock_gettime),
	ALLOW(gettimeofday),
	ALLOW(time),
	/* SQLite's busy handler and the accept gate in http.c sleep. */
	ALLOW(clock_nanosleep),
	/* Signals: main's sigwait(), thread exit, abort() (with tgkill,
	 * limited to this process in sandbox_seccomp()). */
	ALLOW(rt_sigprocmask),
	ALLOW(rt_sigtimedwait),
	ALLOW(rt_sigreturn),
	ALLOW(getpid),
	/* Descriptors already open: connections, the ITC eventfd, the log. */
	ALLOW(read),
	ALLOW(write),
	ALLOW(close),
	ALLOW(newfstatat),          /* stdio's first use of stdout */
	ALLOW_EQ(ioctl, 1, TCGETS), /* its isatty() on /dev/null, a tty */
	/* SQLite: pages, POSIX locks, syncs, checkpoints (ftruncate); a
	 * temporary file (openat, unlink), unlink of -wal/-shm at close. */
	ALLOW(pread64),
	ALLOW(pwrite64),
	ALLOW(fcntl),
	ALLOW(fdatasync),
	ALLOW(ftruncate),
	ALLOW(openat),
	ALLOW(unlink),
	/*
	 * SQLite's unix VFS also asks whether -wal, -shm or -journal files
	 * exist (access) before it opens or recovers them, checks the
	 * effective uid and the mode of files it creates (geteuid, fchmod on
	 * its own descriptor) and may resolve the path of one (getcwd,
	 * readlink, lstat): metadata of files the process may open anyway.
	 */
	ALLOW(access),
	ALLOW(faccessat),
	ALLOW(faccessat2),
	ALLOW(geteuid),
	ALLOW(fchmod),
	ALLOW(getcwd),
	ALLOW(readlink),
	ALLOW(lstat),
	ALLOW(stat),
	ALLOW(fstat),
	/* libsodium and GnuTLS: receipt codes, sealed states, TLS. */
	ALLOW(getrandom),
	/* libmicrohttpd (epoll): the listening socket and the epoll and
	 * eventfd descriptors exist; accept4 makes the connections. */
	ALLOW(accept4),
	ALLOW(epoll_wait),
	ALLOW(epoll_pwait),
	ALLOW(epoll_ctl),
	ALLOW(recvfrom),
	ALLOW(sendto),
	ALLOW(sendmsg),
	ALLOW(setsockopt),          /* TCP_NODELAY / TCP_CORK per response */
	ALLOW(shutdown),
};

#ifdef CANDOR_SANDBOX_SANITIZERS
/*
 * Sanitizer builds only (CMake defines CANDOR_SANDBOX_SANITIZERS with
 * CANDOR_SANITIZE or CANDOR_TSAN). Each call below was found by removing
 * it and running the collector tests under ASan+UBSan: LeakSanitizer's
 * check at exit clones a tracer task (clone, prctl, getppid, sigaltstack,
 * rt_sigaction, sched_yield) that ptraces every thread (ptrace, wait4,
 * gettid) after listing /proc/self/task (open, getdents, lseek), and
 * sizes itself with sched_getaffinity. None of this is in a production
 * build.
 */
static const struct sandbox_rule sandbox_rules_san[] = {
	ALLOW(clone),
	ALLOW(ptrace),
	ALLOW(wait4),
	ALLOW(prctl),
	ALLOW(getppid),
	ALLOW(sigaltstack),
	ALLOW(rt_sigaction),
	ALLOW(sched_getaffinity),
	ALLOW(sched_yield),
	ALLOW(gettid),
	ALLOW(open),
	ALLOW(getdents),
	ALLOW(lseek),
	ALLOW(nanosleep),           /* ThreadSanitizer's background thread */
};
#endif

static int
sandbox_add(scmp_filter_ctx ctx, const struct sandbox_rule *r, size_t n,
    char *err, size_t errsz)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (r[i].narg == 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, r[i].nr, 0);
		else
			rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
			    r[i].nr, 1, &r[i].arg);
		if (rc != 0) {
			char *name = seccomp_syscall_resolve_num_arch(
			    SCMP_ARCH_NATIVE, r[i].nr);
			snprintf(err, errsz, "sandbox: seccomp rule for %s: %s",
			    name != NULL ? name : "?", strerror(-rc));
			free(name);
			return -1;
		}
	}
	return 0;
}

int
sandbox_seccomp(char *err, size_t errsz)
{
	scmp_filter_ctx ctx;
	struct scmp_arg_cmp self;
	int rc = -1, src;

	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL) {
		snprintf(err, errsz, "sandbox: seccomp_init failed");
		return -1;
	}
	/*
	 * TSYNC: the writer thread and libmicrohttpd's thread exist already;
	 * without it they would run unfiltered. A call from another ABI (x32,
	 * i386 on x86_64) is killed too.
	 */
	if ((src = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) != 0 ||
	    (src = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0 ||
	    (src = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0) {
		snprintf(err, errsz, "sandbox: seccomp attribute: %s",
		    strerror(-src));
		goto out;
	}
	if (sandbox_add(ctx, sandbox_rules,
	    sizeof(sandbox_rules) / sizeof(sandbox_rules[0]), err, errsz) != 0)
		goto out;
#ifdef CANDOR_SANDBOX_SANITIZERS
	if (sandbox_add(ctx, sandbox_rules_san,
	    sizeof(sandbox_rules_san) / sizeof(sandbox_rules_san[0]), err,
	    errsz) != 0)
		goto out;
#endif
	/*
	 * Threads, never processes: clone must share memory, files, fs and
	 * signal handlers and be a thread of this process, and may not make
	 * namespaces. (x86_64 and arm64 pass the flags first; s390 would
	 * need the second argument.) Sanitizer builds allow any clone.
	 */
	if ((src = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, SANDBOX_CLONE_MASK,
	    SANDBOX_CLONE_THREAD))) != 0 ||
	    (src = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) != 0) {
		snprintf(err, errsz, "sandbox: seccomp rule for clone: %s",
		    strerror(-src));
		goto out;
	}
	/* abort() signals its own thread: tgkill on this process only. */
	self.arg = 0;
	self.op = SCMP_CMP_EQ;
	self.datum_a = (scmp_datum_t)getpid();
	self.datum_b = 0;
	if ((src = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
	    SCMP_SYS(tgkill), 1, &self)) != 0) {
		snprintf(err, errsz, "sandbox: seccomp rule for tgkill: %s",
		    strerror(-src));
		goto out;
	}
#ifndef CANDOR_SANDBOX_SANITIZERS
	/*
	 * No core dumps of answers and keys, and no ptrace from other
	 * processes of the same user (a root start is undumpable already).
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		snprintf(err, errsz, "sandbox: PR_SET_DUMPABLE: %s",
		    strerror(errno));
		goto out;
	}
#endif
	if ((src = seccomp_load(ctx)) != 0) {
		snprintf(err, errsz, "sandbox: cannot install the seccomp "
		    "filter on every thread: %s", src > 0 ? "a thread refused "
		    "to synchronise" : strerror(-src));
		goto out;
	}
	rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}

/* Look user up; 0 with *uid and *gid set, or -1 with a message. */
static int
sandbox_lookup(const char *user, uid_t *uid, gid_t *gid, char *err,
    size_t errsz)
{
	struct passwd pw, *res = NULL;
	char buf[16384];
	int rc;

	rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (rc != 0 || res == NULL) {
		snprintf(err, errsz, "--user %s: no such user%s%s", user,
		    rc != 0 ? ": " : "", rc != 0 ? strerror(rc) : "");
		return -1;
	}
	if (pw.pw_uid == 0 || pw.pw_gid == 0) {
		snprintf(err, errsz, "--user %s: must not be root or in group "
		    "0 (uid %lu, gid %lu)", user, (unsigned long)pw.pw_uid,
		    (unsigned long)pw.pw_gid);
		return -1;
	}
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return 0;
}

int
sandbox_check_user(const char *user, char *err, size_t errsz)
{
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0) {
		if (user == NULL)
			return 0;
		snprintf(err, errsz, "--user %s: only root can switch users "
		    "(running as uid %lu); start as that user instead", user,
		    (unsigned long)geteuid());
		return -1;
	}
	return sandbox_lookup(user != NULL ? user : SANDBOX_DEFAULT_USER, &uid,
	    &gid, err, errsz);
}

int
sandbox_drop_privileges(const char *user, char *err, size_t errsz)
{
	const char *name = user != NULL ? user : SANDBOX_DEFAULT_USER;
	uid_t uid, ru, eu, su;
	gid_t gid, rg, eg, sg;

	if (sandbox_check_user(user, err, errsz) != 0)
		return -1;
	if (geteuid() == 0) {
		if (sandbox_lookup(name, &uid, &gid, err, errsz) != 0)
			return -1;
		/*
		 * glibc applies each of these to every thread of the process
		 * (the writer and libmicrohttpd's thread exist already).
		 * Groups first: after setresuid() they cannot be changed.
		 */
		if (setgroups(0, NULL) != 0) {
			snprintf(err, errsz, "sandbox: --user %s: setgroups: %s",
			    name, strerror(errno));
			return -1;
		}
		if (setresgid(gid, gid, gid) != 0) {
			snprintf(err, errsz, "sandbox: --user %s: setresgid(%lu):"
			    " %s", name, (unsigned long)gid, strerror(errno));
			return -1;
		}
		if (setresuid(uid, uid, uid) != 0) {
			snprintf(err, errsz, "sandbox: --user %s: setresuid(%lu):"
			    " %s", name, (unsigned long)uid, strerror(errno));
			return -1;
		}
		/*
		 * Defensive: prove root is gone. The raw calls act on this
		 * thread only, so a success cannot leak to the others; the
		 * process then refuses to start anyway.
		 */
		if (syscall(SYS_setuid, 0) != -1 ||
		    syscall(SYS_setgid, 0) != -1 ||
		    getresuid(&ru, &eu, &su) != 0 ||
		    getresgid(&rg, &eg, &sg) != 0 || ru != uid || eu != uid ||
		    su != uid || rg != gid || eg != gid || sg != gid ||
		    getgroups(0, NULL) != 0) {
			snprintf(err, errsz, "sandbox: --user %s: root could "
			    "be regained after the switch; refusing to run",
			    name);
			return -1;
		}
#ifdef CANDOR_SANDBOX_SANITIZERS
		/*
		 * The switch made the process undumpable, which keeps
		 * LeakSanitizer from attaching to its own threads at exit.
		 */
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
			snprintf(err, errsz, "sandbox: PR_SET_DUMPABLE: %s",
			    strerror(errno));
			return -1;
		}
#endif
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errsz, "sandbox: PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
