/*
 * The collector's sandbox: once the service has opened everything it needs
 * (forms, database, TLS files, listening socket, threads), a root process
 * gives up root for an unprivileged user, every thread is confined to the
 * database directory (Landlock; a chroot into it when the kernel has no
 * Landlock and the process was started as root), and every thread then
 * gets a seccomp-bpf allowlist of the system calls serving needs. A
 * compromised collector can then no longer exec, open new sockets, connect
 * out, ptrace, mount or change its credentials, nor open, create or remove
 * any file outside the database directory. main.c runs all of it through
 * sandbox_enter() from the before_serve hook of struct collector_config,
 * so it is in place before the first connection is served.
 *
 * Errors: every function returns 0, or -1 with a message in err.
 */
#ifndef CANDOR_SANDBOX_H
#define CANDOR_SANDBOX_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define SANDBOX_DEFAULT_USER "nobody"

/* How the files of the running collector are confined. */
enum sandbox_files {
	SANDBOX_FILES_LANDLOCK, /* a Landlock domain on every thread */
	SANDBOX_FILES_CHROOT,   /* no Landlock, started as root: chroot */
	SANDBOX_FILES_NONE,     /* no Landlock, not root: not confined */
	SANDBOX_FILES__MAX
};

struct sandbox_config {
	const char *user;    /* --user, or NULL (root: SANDBOX_DEFAULT_USER) */
	const char *db_path; /* files are confined to its directory */
	int seccomp;         /* 0: no seccomp allowlist (--no-sandbox) */
};

/* What sandbox_enter() did, for the start-up log. */
struct sandbox_report {
	enum sandbox_files files;
	int abi;                 /* the kernel's Landlock ABI, 0: none */
	char dir[PATH_MAX];      /* the database directory, resolved */
};

/*
 * The whole sandbox, in the only order that works: resolve the database
 * directory and prepare the Landlock ruleset (while root can still open
 * the directory), give up root (as sandbox_drop_privileges does; when
 * Landlock is missing and the process is root, a chroot into the
 * directory after the user lookup, which reads /etc), put every thread of the process in the Landlock domain, then
 * install the seccomp allowlist (sandbox_seccomp) unless sc->seccomp is 0.
 * Call it after every thread is started and every file and listening
 * socket is open, from a thread that is not in a signal handler. A kernel
 * without Landlock (ENOSYS, or EOPNOTSUPP when it is turned off at boot)
 * is not an error: *rep says so and the caller logs it; any other
 * Landlock failure is. There is deliberately no way to leave the file
 * confinement out. Fills *rep (also on error, as far as it got).
 */
int sandbox_enter(const struct sandbox_config *sc, struct sandbox_report *rep,
    char *err, size_t errsz);

/*
 * May this process switch to user (NULL: no --user given)? Run before
 * anything is opened so a wrong --user fails early: --user without root,
 * or a user that does not exist.
 */
int sandbox_check_user(const char *user, char *err, size_t errsz);

/*
 * When the effective uid is 0: switch every thread to user (NULL:
 * "nobody") with no supplementary groups, and check that root cannot be
 * regained (setuid(0) and setgid(0) must fail). Files and sockets opened
 * before stay usable through their descriptors; nothing is chowned. When
 * not root: refuse a user, otherwise keep the identity. In both cases set
 * PR_SET_NO_NEW_PRIVS on the calling thread (the file confinement and
 * sandbox_seccomp set it on the others). sandbox_enter() runs it, with a
 * chroot after the user lookup when Landlock is missing.
 */
int sandbox_drop_privileges(const char *user, char *err, size_t errsz);

/*
 * The Landlock access rights used for a kernel ABI version (pure, so every
 * version can be tested on one kernel). abi < 1: all zero. Rights an ABI
 * does not know are left out (best effort); versions above the newest
 * known one are treated as it.
 */
struct sandbox_landlock_rights {
	uint64_t fs_handled;  /* every filesystem right the ABI knows */
	uint64_t fs_db;       /* of those, allowed beneath the database dir */
	uint64_t net_handled; /* TCP bind and connect (ABI 4+): no rule */
	uint64_t scoped;      /* abstract unix sockets, signals (ABI 6+) */
	int tsync;            /* one call covers every thread (ABI 8+) */
};
void sandbox_landlock_rights(int abi,
    struct sandbox_landlock_rights *out);

/*
 * The running kernel's Landlock ABI version (>= 1), 0 when it has no
 * Landlock (ENOSYS) or has it turned off (EOPNOTSUPP), -1 with errno set
 * for anything else.
 */
int sandbox_landlock_abi(void);

/*
 * Install the seccomp allowlist on every thread of the process (TSYNC). A
 * system call outside it kills the whole process with SIGSYS. Call it
 * after every thread is started and every file and listening socket is
 * open, and after sandbox_drop_privileges() (which sets NO_NEW_PRIVS).
 * Builds with CANDOR_SANDBOX_SANITIZERS defined (CMake sets it with
 * CANDOR_SANITIZE) also allow what the sanitizers' reports and leak check
 * need.
 */
int sandbox_seccomp(char *err, size_t errsz);

#endif
