/*
 * The collector's sandbox: once the service has opened everything it needs
 * (forms, database, TLS files, listening socket, threads), a root process
 * gives up root for an unprivileged user, and every process then installs
 * a seccomp-bpf allowlist of the system calls serving needs. A compromised
 * collector can then no longer exec, open new sockets, connect out, ptrace,
 * mount or change its credentials. main.c runs both through the
 * before_serve hook of struct collector_config, so the filter is in place
 * before the first connection is served.
 */
#ifndef CANDOR_SANDBOX_H
#define CANDOR_SANDBOX_H

#include <stddef.h>

#define SANDBOX_DEFAULT_USER "nobody"

/*
 * May this process switch to user (NULL: no --user given)? Run before
 * anything is opened so a wrong --user fails early. Returns 0, or -1 with
 * a message in err: --user without root, or a user that does not exist.
 */
int sandbox_check_user(const char *user, char *err, size_t errsz);

/*
 * When the effective uid is 0: switch every thread to user (NULL:
 * "nobody") with no supplementary groups, and check that root cannot be
 * regained (setuid(0) and setgid(0) must fail). Files and sockets opened
 * before stay usable through their descriptors; nothing is chowned. When
 * not root: refuse a user (-1), otherwise keep the identity. In both cases
 * set PR_SET_NO_NEW_PRIVS. Returns 0, or -1 with a message in err.
 */
int sandbox_drop_privileges(const char *user, char *err, size_t errsz);

/*
 * Install the allowlist on every thread of the process (TSYNC). A system
 * call outside it kills the whole process with SIGSYS. Call it after every
 * thread is started and every file and listening socket is open, and after
 * sandbox_drop_privileges() (which sets NO_NEW_PRIVS). Builds with
 * CANDOR_SANDBOX_SANITIZERS defined (CMake sets it with CANDOR_SANITIZE)
 * also allow what the sanitizers' reports and leak check need. Returns 0,
 * or -1 with a message in err.
 */
int sandbox_seccomp(char *err, size_t errsz);

#endif
