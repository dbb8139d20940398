/*
 * The sandbox: giving up root, confining files, and the seccomp allowlist
 * (sandbox.h).
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
 * Files. A Landlock ruleset handles every filesystem right the kernel
 * knows and allows, beneath the database directory only, what SQLite does
 * there: read and write files, create regular files (-wal, -shm,
 * journals), remove files, read the directory (it opens it to fsync it)
 * and truncate. Nothing else anywhere: no exec, no other directory, no
 * devices. TCP bind and connect are denied (the listening socket exists
 * already), and so are abstract unix sockets and signals to other
 * processes. Landlock restricts one thread, and the collector's threads
 * (writer, API workers, libmicrohttpd) are running when the sandbox goes
 * on: with ABI 8 one call covers them all (TSYNC); before it, each thread
 * is asked by a signal to restrict itself, the way glibc makes setuid()
 * reach every thread, and the start fails unless every thread answered.
 * A kernel without Landlock is said in the log; a root start then
 * chroots into the database directory instead, which SQLite survives:
 * its -wal and -shm are opened before (api.c and store_open read once),
 * only the checkpoint and unlink at close, done by their absolute paths,
 * are skipped (the next open reads the WAL).
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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/landlock.h>

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
	/*
	 * libmicrohttpd's thread names itself (pthread_setname_np on
	 * itself is prctl(PR_SET_NAME)) when it first runs, which on a
	 * loaded machine can be after the filter is in place.
	 */
	ALLOW_EQ(prctl, 0, PR_SET_NAME),
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
	/*
	 * glibc's sysconf(_SC_NPROCESSORS_ONLN), asked on every API release
	 * (analysis/dataset.c sizes its decoders), reads /sys and then
	 * /proc/stat; file confinement refuses both, and glibc then counts
	 * the CPUs of this thread's affinity mask.
	 */
	ALLOW(sched_getaffinity),
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
 * gettid) after listing /proc/self/task (open, getdents, lseek; the file
 * confinement lets these builds read beneath /proc/PID). None of this is
 * in a production build.
 */
static const struct sandbox_rule sandbox_rules_san[] = {
	ALLOW(clone),
	ALLOW(ptrace),
	ALLOW(wait4),
	ALLOW(prctl),
	ALLOW(getppid),
	ALLOW(sigaltstack),
	ALLOW(rt_sigaction),
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

/*
 * sandbox_drop_privileges(), with a chroot into root_dir (when not NULL
 * and root) after the user is looked up and before root is given up.
 */
static int
sandbox_switch_user(const char *user, const char *root_dir, char *err,
    size_t errsz)
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
		 * After the lookup (it reads /etc/passwd and NSS modules),
		 * while root may still chroot. Every thread shares this
		 * root and working directory (CLONE_FS).
		 */
		if (root_dir != NULL && (chdir(root_dir) != 0 ||
		    chroot(".") != 0 || chdir("/") != 0)) {
			snprintf(err, errsz, "sandbox: chroot %s: %s", root_dir,
			    strerror(errno));
			return -1;
		}
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

int
sandbox_drop_privileges(const char *user, char *err, size_t errsz)
{
	return sandbox_switch_user(user, NULL, err, errsz);
}

/* ---- file confinement (Landlock) ---- */

/*
 * What linux/landlock.h of older systems (Debian 12 has 6.1: ABI 2) does
 * not name yet; the values are the kernel's ABI and never change.
 */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)          /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)         /* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)          /* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)   /* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_TSYNC
#define LANDLOCK_RESTRICT_SELF_TSYNC (1U << 3)            /* ABI 8 */
#endif

/* The newest ABI whose rights are known here. */
#define SANDBOX_LANDLOCK_ABI_KNOWN 8

/*
 * struct landlock_ruleset_attr as of ABI 6. The kernel takes a prefix of
 * it: handled_access_fs alone before ABI 4, then handled_access_net, then
 * scoped (sandbox_ruleset_size()).
 */
struct sandbox_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* The rights of ABI 1: everything before REFER. */
#define SANDBOX_FS_ABI1 (LANDLOCK_ACCESS_FS_EXECUTE | \
	LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
	LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
	LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
	LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
	LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
	LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)

/*
 * What SQLite does beneath the database directory: pages in the database
 * and its -wal and -shm (read, write), creating those and a journal
 * (regular files only), deleting them at close, opening the directory to
 * fsync it after a create, and truncating the WAL (ABI 3 adds the right).
 */
#define SANDBOX_FS_DB (LANDLOCK_ACCESS_FS_READ_FILE | \
	LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG | \
	LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_READ_DIR)

void
sandbox_landlock_rights(int abi, struct sandbox_landlock_rights *out)
{
	memset(out, 0, sizeof(*out));
	if (abi < 1)
		return;
	if (abi > SANDBOX_LANDLOCK_ABI_KNOWN)
		abi = SANDBOX_LANDLOCK_ABI_KNOWN;
	out->fs_handled = SANDBOX_FS_ABI1;
	out->fs_db = SANDBOX_FS_DB;
	/* Renames and links across directories: never allowed, and
	 * handled so that no rule ever grants them (ABI 1 denies them
	 * always). */
	if (abi >= 2)
		out->fs_handled |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3) {
		out->fs_handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
		out->fs_db |= LANDLOCK_ACCESS_FS_TRUNCATE;
	}
	/* No port rule: every TCP bind and connect is refused. */
	if (abi >= 4)
		out->net_handled = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (abi >= 5)
		out->fs_handled |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (abi >= 6)
		out->scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
	out->tsync = abi >= 8;
}

int
sandbox_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, (size_t)0,
	    (unsigned)LANDLOCK_CREATE_RULESET_VERSION);

	if (v >= 1)
		return v > INT_MAX ? INT_MAX : (int)v;
	if (v < 0 && (errno == ENOSYS || errno == EOPNOTSUPP))
		return 0;
	if (v >= 0)
		errno = EINVAL; /* defensive: version 0 does not exist */
	return -1;
}

/* How much of struct sandbox_ruleset_attr the kernel of abi knows. */
static size_t
sandbox_ruleset_size(int abi)
{
	if (abi >= 6)
		return sizeof(struct sandbox_ruleset_attr);
	if (abi >= 4)
		return offsetof(struct sandbox_ruleset_attr, scoped);
	return offsetof(struct sandbox_ruleset_attr, handled_access_net);
}

/* Allow access beneath the directory path (opened here, then closed). */
static int
sandbox_landlock_allow(int ruleset, const char *path, uint64_t access,
    char *err, size_t errsz)
{
	struct landlock_path_beneath_attr pb;
	int fd, rc = 0;

	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "sandbox: Landlock: cannot open %s: %s",
		    path, strerror(errno));
		return -1;
	}
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0U) != 0) {
		snprintf(err, errsz, "sandbox: Landlock: cannot allow %s: %s",
		    path, strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

/*
 * The ruleset for the kernel's ABI abi and the database directory dir:
 * its descriptor, or -1 with a message.
 */
static int
sandbox_landlock_ruleset(int abi, const char *dir, char *err, size_t errsz)
{
	struct sandbox_landlock_rights lr;
	struct sandbox_ruleset_attr attr;
	int fd;

	sandbox_landlock_rights(abi, &lr);
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = lr.fs_handled;
	attr.handled_access_net = lr.net_handled;
	attr.scoped = lr.scoped;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr,
	    sandbox_ruleset_size(abi), 0U);
	if (fd < 0) {
		snprintf(err, errsz, "sandbox: Landlock ABI %d: cannot create "
		    "the ruleset: %s", abi, strerror(errno));
		return -1;
	}
	if (sandbox_landlock_allow(fd, dir, lr.fs_db, err, errsz) != 0)
		goto fail;
#ifdef CANDOR_SANDBOX_SANITIZERS
	/*
	 * LeakSanitizer's check at exit lists /proc/PID/task and reads
	 * each thread's status from there (sanitizer builds only).
	 */
	{
		char proc[64];

		snprintf(proc, sizeof(proc), "/proc/%ld", (long)getpid());
		if (sandbox_landlock_allow(fd, proc,
		    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR,
		    err, errsz) != 0)
			goto fail;
	}
#endif
	return fd;
fail:
	close(fd);
	return -1;
}

/*
 * One thread at a time is asked to restrict itself: the asking thread
 * sets tid and ruleset, clears done and signals it; the signal handler of
 * that thread (any other thread ignores the signal) sets no_new_privs,
 * which is per thread, enters the domain, and answers through err and
 * done. Only async-signal-safe raw system calls run in the handler.
 */
static struct {
	atomic_long tid;
	atomic_int ruleset;
	atomic_int err;  /* errno of the failed call, 0: restricted */
	atomic_int done;
} sandbox_ll;

#define SANDBOX_THREADS_MAX 256
#define SANDBOX_THREAD_WAIT_MS 10000

static void
sandbox_landlock_signal(int sig)
{
	int saved = errno, e = 0;

	(void)sig;
	if (syscall(SYS_gettid) != atomic_load(&sandbox_ll.tid)) {
		errno = saved;
		return;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, atomic_load(&sandbox_ll.ruleset),
	    0U) != 0)
		e = errno != 0 ? errno : EINVAL;
	atomic_store(&sandbox_ll.err, e);
	atomic_store(&sandbox_ll.done, 1);
	errno = saved;
}

/*
 * Ask thread tid to restrict itself and wait for its answer. Returns 0
 * when it did, 1 when the thread is gone (it exited meanwhile), -1 with
 * a message.
 */
static int
sandbox_landlock_thread(pid_t pid, long tid, int sig, char *err,
    size_t errsz)
{
	const struct timespec ms = {0, 1000000};
	int i, e;

	atomic_store(&sandbox_ll.done, 0);
	atomic_store(&sandbox_ll.err, 0);
	atomic_store(&sandbox_ll.tid, tid);
	if (syscall(SYS_tgkill, (long)pid, tid, (long)sig) != 0) {
		e = errno;
		atomic_store(&sandbox_ll.tid, 0);
		if (e == ESRCH)
			return 1;
		snprintf(err, errsz, "sandbox: Landlock: cannot signal thread "
		    "%ld: %s", tid, strerror(e));
		return -1;
	}
	for (i = 0; i < SANDBOX_THREAD_WAIT_MS &&
	    !atomic_load(&sandbox_ll.done); i++)
		nanosleep(&ms, NULL);
	/* A late answer must not count for the next thread. */
	atomic_store(&sandbox_ll.tid, 0);
	if (!atomic_load(&sandbox_ll.done)) {
		if (syscall(SYS_tgkill, (long)pid, tid, 0L) != 0 &&
		    errno == ESRCH)
			return 1;
		snprintf(err, errsz, "sandbox: Landlock: thread %ld did not "
		    "restrict itself within %d s (signal %d blocked there?)",
		    tid, SANDBOX_THREAD_WAIT_MS / 1000, sig);
		return -1;
	}
	if ((e = atomic_load(&sandbox_ll.err)) != 0) {
		snprintf(err, errsz, "sandbox: Landlock: thread %ld cannot "
		    "restrict itself: %s", tid, strerror(e));
		return -1;
	}
	return 0;
}

/*
 * Every other thread listed in /proc/self/task, pass after pass until a
 * pass finds none that is not done yet (a thread started meanwhile by an
 * unrestricted one shows up in the next pass; one started by a restricted
 * one inherits its domain).
 */
static int
sandbox_landlock_others(pid_t pid, long self, int sig, char *err,
    size_t errsz)
{
	long done[SANDBOX_THREADS_MAX];
	size_t ndone = 0, i;
	struct dirent *e;
	DIR *d;
	int fresh, rc = -1, r;

	if ((d = opendir("/proc/self/task")) == NULL) {
		snprintf(err, errsz, "sandbox: Landlock: cannot list the "
		    "threads in /proc/self/task: %s", strerror(errno));
		return -1;
	}
	do {
		fresh = 0;
		rewinddir(d);
		while ((e = readdir(d)) != NULL) {
			char *end;
			long tid;

			errno = 0;
			tid = strtol(e->d_name, &end, 10);
			if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
			    *end != '\0' || errno != 0 || tid == self)
				continue;
			for (i = 0; i < ndone && done[i] != tid; i++)
				;
			if (i < ndone)
				continue;
			if (ndone == SANDBOX_THREADS_MAX) {
				snprintf(err, errsz, "sandbox: Landlock: more "
				    "than %d threads", SANDBOX_THREADS_MAX);
				goto out;
			}
			if ((r = sandbox_landlock_thread(pid, tid, sig, err,
			    errsz)) < 0)
				goto out;
			if (r == 0) {
				done[ndone++] = tid;
				fresh = 1;
			}
		}
	} while (fresh);
	rc = 0;
out:
	closedir(d);
	return rc;
}

/*
 * Put every thread of the process in the domain of ruleset; the calling
 * thread goes last, so it can still list the others.
 */
static int
sandbox_landlock_enforce(int ruleset, int abi, char *err, size_t errsz)
{
	struct sandbox_landlock_rights lr;
	struct sigaction sa, old;
	int sig = SIGRTMIN, rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errsz, "sandbox: PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	sandbox_landlock_rights(abi, &lr);
#ifdef CANDOR_SANDBOX_TSAN
	/*
	 * ThreadSanitizer holds a signal back from a thread blocked in a
	 * system call, so the per-thread signal below never arrives. TSan
	 * builds (tests only) restrict the calling thread and the threads it
	 * starts later; test_sandbox, which proves every thread, is not run
	 * under TSan.
	 */
	if (abi < 8) {
		if (syscall(SYS_landlock_restrict_self, ruleset, 0U) != 0) {
			snprintf(err, errsz, "sandbox: Landlock: cannot restrict "
			    "the thread: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
#endif
	/* TSYNC also sets no_new_privs on every thread. EINVAL: a kernel
	 * that says ABI 8 but knows no such flag; do it by hand. */
	if (lr.tsync) {
		if (syscall(SYS_landlock_restrict_self, ruleset,
		    (unsigned)LANDLOCK_RESTRICT_SELF_TSYNC) == 0)
			return 0;
		if (errno != EINVAL) {
			snprintf(err, errsz, "sandbox: Landlock: cannot "
			    "restrict every thread: %s", strerror(errno));
			return -1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sandbox_landlock_signal;
	sa.sa_flags = SA_RESTART;
	if (sigemptyset(&sa.sa_mask) != 0 || sigaction(sig, &sa, &old) != 0) {
		snprintf(err, errsz, "sandbox: Landlock: cannot handle signal "
		    "%d: %s", sig, strerror(errno));
		return -1;
	}
	atomic_store(&sandbox_ll.ruleset, ruleset);
	rc = sandbox_landlock_others(getpid(), syscall(SYS_gettid), sig, err,
	    errsz);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, ruleset, 0U) != 0) {
		snprintf(err, errsz, "sandbox: Landlock: cannot restrict the "
		    "thread: %s", strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		if (sigaction(sig, &old, NULL) != 0) {
			snprintf(err, errsz, "sandbox: Landlock: cannot restore "
			    "signal %d: %s", sig, strerror(errno));
			rc = -1;
		}
	} else {
		/* A thread that never answered may still get the signal:
		 * ignored, it cannot end the process before its message. */
		sa.sa_handler = SIG_IGN;
		sigaction(sig, &sa, NULL);
	}
	return rc;
}

/* The directory of the database file, symbolic links resolved as SQLite
 * resolves them (it opens -wal, -shm and journals next to the target). */
static int
sandbox_db_dir(const char *db_path, char *dir, size_t dirsz, char *err,
    size_t errsz)
{
	char real[PATH_MAX], *slash;

	if (db_path == NULL || realpath(db_path, real) == NULL) {
		snprintf(err, errsz, "sandbox: --db %s: %s",
		    db_path != NULL ? db_path : "(none)",
		    db_path != NULL ? strerror(errno) : "no database");
		return -1;
	}
	slash = strrchr(real, '/');
	if (slash == NULL) {
		/* defensive: realpath() always answers an absolute path */
		snprintf(err, errsz, "sandbox: --db %s: not absolute", real);
		return -1;
	}
	if (slash == real)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (strlen(real) >= dirsz) {
		snprintf(err, errsz, "sandbox: --db %s: path too long", real);
		return -1;
	}
	memcpy(dir, real, strlen(real) + 1);
	return 0;
}

/* ---- all of it ---- */

int
sandbox_enter(const struct sandbox_config *sc, struct sandbox_report *rep,
    char *err, size_t errsz)
{
	const char *root_dir = NULL;
	int ruleset = -1, rc = -1;

	memset(rep, 0, sizeof(*rep));
	rep->files = SANDBOX_FILES_NONE;
	if (sandbox_db_dir(sc->db_path, rep->dir, sizeof(rep->dir), err,
	    errsz) != 0)
		return -1;
	rep->abi = sandbox_landlock_abi();
	if (rep->abi < 0) {
		snprintf(err, errsz, "sandbox: Landlock: cannot ask the kernel "
		    "for its ABI version: %s", strerror(errno));
		rep->abi = 0;
		return -1;
	}
	if (rep->abi > 0) {
		/* Before the switch: root may be the only one who can open
		 * the directory. */
		ruleset = sandbox_landlock_ruleset(rep->abi, rep->dir, err,
		    errsz);
		if (ruleset < 0)
			return -1;
	} else if (geteuid() == 0)
		root_dir = rep->dir;
	if (sandbox_switch_user(sc->user, root_dir, err, errsz) != 0)
		goto out;
	if (root_dir != NULL)
		rep->files = SANDBOX_FILES_CHROOT;
	if (ruleset >= 0) {
		if (sandbox_landlock_enforce(ruleset, rep->abi, err, errsz) != 0)
			goto out;
		rep->files = SANDBOX_FILES_LANDLOCK;
		/* The domain holds its own copy of the rules. */
		close(ruleset);
		ruleset = -1;
	}
	if (sc->seccomp && sandbox_seccomp(err, errsz) != 0)
		goto out;
	rc = 0;
out:
	if (ruleset >= 0)
		close(ruleset);
	return rc;
}
