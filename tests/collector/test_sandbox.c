/*
 * The sandbox of the real collector binary, run as a child process:
 *  - sandbox_serves_full_flow: with the seccomp filter on, every path a
 *    respondent takes works (consent, pages, save and resume, submission,
 *    thank-you page, withdrawal, /healthz, /metrics) and SIGTERM still stops
 *    it cleanly; every thread reports Seccomp: 2 and NoNewPrivs: 1;
 *  - sandbox_root_switches_user (root only, else skipped): started as root
 *    with --user nobody it runs with nobody's uid and gid, no groups;
 *  - sandbox_serves_tls: the same over HTTPS (a throwaway certificate from
 *    openssl req; this part is skipped without an openssl binary);
 *  - sandbox_bad_forbidden_call: the test build collector_selftest makes a
 *    forbidden call once sandboxed (execve, an AF_INET socket, a socket
 *    from a thread that existed before the filter) and dies of SIGSYS;
 *    with --no-sandbox the same call goes through (exit 3), so the check
 *    can fail;
 *  - sandbox_bad_user_not_root: --user from a process that is not root is
 *    refused with exit 2 and a message naming the flag (when the test runs
 *    as root, the child first switches to nobody itself).
 * Exit 77 (skipped) when the root part or the TLS part could not run and
 * everything else passed.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

#define SB_WAIT_SECONDS 30

struct sb_child {
	pid_t pid;
	int out;        /* read end of the child's stdout */
	unsigned port;  /* from "listening on ...", 0 if none */
};

/*
 * Start bin with args (NULL-terminated, after argv[0]); stderr goes to
 * err_path, stdout to a pipe. With as_nobody (the test runs as root) the
 * child switches to nobody before exec.
 */
static int
sb_spawn(struct sb_child *ch, const char *bin, const char *const *args,
    const char *err_path, int as_nobody)
{
	const char *argv[64];
	int po[2], fd;
	size_t n = 0, i;
	struct passwd *pw = NULL;

	memset(ch, 0, sizeof(*ch));
	ch->out = -1;
	argv[n++] = bin;
	for (i = 0; args[i] != NULL && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (as_nobody && (pw = getpwnam("nobody")) == NULL)
		return -1;
	if (pipe(po) != 0)
		return -1;
	fflush(NULL);
	ch->pid = fork();
	if (ch->pid < 0)
		return -1;
	if (ch->pid == 0) {
		fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 2) < 0 || dup2(po[1], 1) < 0)
			_exit(127);
		close(po[0]);
		close(po[1]);
		if (pw != NULL && (setgroups(0, NULL) != 0 ||
		    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0))
			_exit(126);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	ch->out = po[0];
	return 0;
}

/* Read the "listening on http://ADDR:PORT/" line; 0 or -1. */
static int
sb_read_port(struct sb_child *ch)
{
	char line[256];
	size_t n = 0;
	struct pollfd p = {ch->out, POLLIN, 0};
	const char *c;

	while (n + 1 < sizeof(line)) {
		ssize_t k;

		if (poll(&p, 1, SB_WAIT_SECONDS * 1000) != 1)
			return -1;
		k = read(ch->out, line + n, 1);
		if (k != 1)
			return -1;
		if (line[n++] == '\n')
			break;
	}
	line[n] = '\0';
	c = strrchr(line, ':');
	if ((strncmp(line, "listening on http://", 20) != 0 &&
	    strncmp(line, "listening on https://", 21) != 0) || c == NULL)
		return -1;
	ch->port = (unsigned)strtoul(c + 1, NULL, 10);
	return ch->port > 0 ? 0 : -1;
}

/* Wait for the child (SIGKILL after SB_WAIT_SECONDS); the wait status. */
static int
sb_wait(struct sb_child *ch)
{
	int status = -1, i;

	for (i = 0; i < SB_WAIT_SECONDS * 100; i++) {
		pid_t r = waitpid(ch->pid, &status, WNOHANG);
		if (r == ch->pid)
			break;
		if (r < 0)
			return -1;
		usleep(10000);
	}
	if (i == SB_WAIT_SECONDS * 100) {
		fprintf(stderr, "child %ld did not exit: killed\n",
		    (long)ch->pid);
		kill(ch->pid, SIGKILL);
		waitpid(ch->pid, &status, 0);
		status = -1;
	}
	if (ch->out >= 0)
		close(ch->out);
	ch->out = -1;
	ch->pid = 0;
	return status;
}

/* The value after "key:" in /proc/pid[/task/tid]/status (malloc'd). */
static char *
sb_status(const char *status_path, const char *key)
{
	char *text = test_read_file(status_path, NULL), *v = NULL, needle[64];
	const char *p;

	if (text == NULL)
		return NULL;
	snprintf(needle, sizeof(needle), "\n%s:", key);
	p = strstr(text, needle);
	if (p != NULL) {
		p += strlen(needle);
		while (*p == ' ' || *p == '\t')
			p++;
		v = strndup(p, strcspn(p, "\n"));
	}
	free(text);
	return v;
}

/* Every thread of pid has key == want; the number of threads, or -1. */
static int
sb_all_threads(pid_t pid, const char *key, const char *want)
{
	char dir[64], path[384];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%ld/task", (long)pid);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char *v;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/status", dir, e->d_name);
		v = sb_status(path, key);
		if (v == NULL || strcmp(v, want) != 0) {
			fprintf(stderr, "thread %s: %s: \"%s\", expected "
			    "\"%s\"\n", e->d_name, key, v ? v : "(none)", want);
			n = -1;
		} else if (n >= 0)
			n++;
		free(v);
		if (n < 0)
			break;
	}
	closedir(d);
	return n;
}

/* Save on page 2, resume, finish and submit; returns the receipt code. */
static char *
sb_draft_and_submit(struct cl_client *c)
{
	struct cl_resp r;
	char *st, *code, *loc, *receipt = NULL;

	st = cl_mini_consent(c, "en");
	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "5",
			"used_kratom", "0", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	st = cl_state(r.body);
	cl_resp_free(&r);
	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "save", "symptoms",
			"2", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	CHECK_INT(r.status, 200);
	code = cl_between(r.body, "id=\"resume-code\">", '<');
	cl_resp_free(&r);
	if (code == NULL)
		return NULL;
	{
		const char *kv[] = {"code", code, NULL};
		cl_postv(c, "/resume", &r, kv);
	}
	free(code);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "name=\"symptoms\" value=\"2\" checked"));
	st = cl_state(r.body);
	cl_resp_free(&r);
	{
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"2", "age_band", "1", NULL};
		cl_postv(c, "/s/mini", &r, kv);
	}
	free(st);
	st = cl_state(r.body);
	CHECK(cl_contains(r.body, "value=\"submit\""));
	cl_resp_free(&r);
	if (st == NULL)
		return NULL;
	cl_mini_submit(c, st, &r);
	free(st);
	CHECK_INT(r.status, 303);
	loc = r.status == 303 ? cl_header(&r, "Location") : NULL;
	cl_resp_free(&r);
	if (loc == NULL)
		return NULL;
	if (cl_get(c, loc, &r) == 0 && r.status == 200)
		receipt = cl_between(r.body, "id=\"receipt-code\">", '<');
	free(loc);
	cl_resp_free(&r);
	return receipt;
}

/*
 * sandbox_serves_full_flow and, as root, sandbox_root_switches_user.
 */
static void
sandbox_serves_full_flow(const char *dir, int root)
{
	char bin[512], db[300], errp[300], status_path[64], form[512];
	const char *args[16];
	struct sb_child ch;
	struct cl_client c;
	struct cl_resp r;
	char *code1, *code2, *v;
	size_t n = 0;
	int st;

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	snprintf(db, sizeof(db), "%s/flow.db", dir);
	snprintf(errp, sizeof(errp), "%s/flow.err", dir);
	args[n++] = "--form";
	args[n++] = form;
	args[n++] = "--db";
	args[n++] = db;
	args[n++] = "--port";
	args[n++] = "0";
	args[n++] = "--min-fill-seconds";
	args[n++] = "0";
	args[n++] = "--rate-per-minute";
	args[n++] = "0";
	if (root) {
		args[n++] = "--user";
		args[n++] = "nobody";
	}
	args[n] = NULL;
	if (sb_spawn(&ch, bin, args, errp, 0) != 0 || sb_read_port(&ch) != 0) {
		fprintf(stderr, "collector did not start; its stderr:\n");
		v = test_read_file(errp, NULL);
		fprintf(stderr, "%s\n", v ? v : "(none)");
		free(v);
		test_failures++;
		if (ch.pid > 0) {
			kill(ch.pid, SIGKILL);
			sb_wait(&ch);
		}
		return;
	}

	/* The filter and no_new_privs, on every thread. */
	snprintf(status_path, sizeof(status_path), "/proc/%ld/status",
	    (long)ch.pid);
	CHECK(sb_all_threads(ch.pid, "Seccomp", "2") >= 2);
	CHECK(sb_all_threads(ch.pid, "NoNewPrivs", "1") >= 2);

	/* sandbox_root_switches_user */
	if (root) {
		struct passwd *pw = getpwnam("nobody");
		char want[128];

		CHECK(pw != NULL);
		if (pw != NULL) {
			snprintf(want, sizeof(want), "%lu\t%lu\t%lu\t%lu",
			    (unsigned long)pw->pw_uid, (unsigned long)pw->pw_uid,
			    (unsigned long)pw->pw_uid, (unsigned long)pw->pw_uid);
			CHECK(sb_all_threads(ch.pid, "Uid", want) >= 2);
			snprintf(want, sizeof(want), "%lu\t%lu\t%lu\t%lu",
			    (unsigned long)pw->pw_gid, (unsigned long)pw->pw_gid,
			    (unsigned long)pw->pw_gid, (unsigned long)pw->pw_gid);
			CHECK(sb_all_threads(ch.pid, "Gid", want) >= 2);
			v = sb_status(status_path, "Groups");
			CHECK_STR(v, "");
			free(v);
			v = sb_status(status_path, "CapEff");
			CHECK_STR(v, "0000000000000000");
			free(v);
		}
	}

	CHECK(cl_client_init(&c, ch.port) == 0);
	cl_get(&c, "/healthz", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	cl_get(&c, "/s/mini", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "name=\"consent\""));
	cl_resp_free(&r);
	cl_get(&c, "/static/app.css", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);

	/* One straight submission, one through save and resume. */
	code1 = cl_mini_full(&c);
	CHECK(code1 != NULL);
	code2 = sb_draft_and_submit(&c);
	CHECK(code2 != NULL);
	CHECK_INT(cl_count_rows(db, "mini"), 2);

	/* Withdraw the first. */
	cl_get(&c, "/withdraw", &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	if (code1 != NULL) {
		const char *kv[] = {"code", code1, NULL};
		cl_postv(&c, "/withdraw", &r, kv);
		CHECK_INT(r.status, 200);
		CHECK(cl_contains(r.body, "Your answers have been deleted."));
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	CHECK_INT(cl_metric(&c, "candor_submissions_total"), 2);
	CHECK_INT(cl_metric(&c, "candor_withdrawals_total"), 1);
	CHECK_INT(cl_metric(&c, "candor_drafts_resumed_total"), 1);
	cl_get(&c, "/no-such-page", &r);
	CHECK_INT(r.status, 404);
	cl_resp_free(&r);
	cl_client_free(&c);

	/* Still sandboxed and alive after all that; then a clean stop. */
	CHECK(sb_all_threads(ch.pid, "Seccomp", "2") >= 2);
	CHECK(kill(ch.pid, SIGTERM) == 0);
	st = sb_wait(&ch);
	if (WIFSIGNALED(st))
		fprintf(stderr, "collector killed by signal %d\n",
		    WTERMSIG(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(test_file_contains(errp, "stopped cleanly",
	    strlen("stopped cleanly")) == 1);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	free(code1);
	free(code2);
}

/* One request over HTTPS to localhost:port, trusting only cainfo. */
static int
sb_https(unsigned port, const char *path, const char *post,
    const char *cainfo, struct cl_resp *out)
{
	CURL *h = curl_easy_init();
	struct curl_slist *res = NULL;
	struct cl_buf b = {NULL, 0}, hd = {NULL, 0};
	char url[512], rs[128];

	memset(out, 0, sizeof(*out));
	if (h == NULL)
		return -1;
	snprintf(url, sizeof(url), "https://localhost:%u%s", port, path);
	snprintf(rs, sizeof(rs), "localhost:%u:127.0.0.1", port);
	res = curl_slist_append(res, rs);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RESOLVE, res);
	curl_easy_setopt(h, CURLOPT_CAINFO, cainfo);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	if (post != NULL)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cl_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cl_write_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hd);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	out->rc = curl_easy_perform(h);
	if (out->rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(h);
	curl_slist_free_all(res);
	if (b.p == NULL)
		cl_buf_add(&b, "", 0);
	if (hd.p == NULL)
		cl_buf_add(&hd, "", 0);
	out->body = b.p;
	out->len = b.n;
	out->headers = hd.p;
	return out->rc == CURLE_OK ? 0 : -1;
}

/*
 * sandbox_serves_tls: GnuTLS handshakes and records under the filter.
 * Returns 0, or 77 without an openssl binary or a TLS libcurl.
 */
static int
sandbox_serves_tls(const char *dir, int root)
{
	static const char *const openssl_paths[] = {"/usr/bin/openssl",
		"/bin/openssl", "/usr/local/bin/openssl", NULL};
	const char *openssl = NULL;
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	char bin[512], db[300], errp[300], form[512], cert[300], key[300];
	const char *args[20];
	struct sb_child ch;
	struct cl_resp r;
	char *out = NULL, *err = NULL, *st;
	size_t i, n = 0;
	int rc;

	for (i = 0; openssl_paths[i] != NULL && openssl == NULL; i++)
		if (access(openssl_paths[i], X_OK) == 0)
			openssl = openssl_paths[i];
	if (openssl == NULL || cv == NULL ||
	    !(cv->features & CURL_VERSION_SSL)) {
		fprintf(stderr, "sandbox_serves_tls: skipped (no openssl "
		    "binary or no TLS in libcurl)\n");
		return 77;
	}
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	{
		char *const argv[] = {(char *)openssl, "req", "-x509",
			"-newkey", "rsa:2048", "-nodes", "-keyout", key,
			"-out", cert, "-days", "1", "-subj", "/CN=localhost",
			"-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
			NULL};
		rc = test_run(argv, &out, &err);
	}
	if (rc != 0)
		fprintf(stderr, "openssl req: exit %d: %s\n", rc,
		    err ? err : "");
	free(out);
	free(err);
	CHECK_INT(rc, 0);
	if (rc != 0)
		return 0;

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	snprintf(db, sizeof(db), "%s/tls.db", dir);
	snprintf(errp, sizeof(errp), "%s/tls.err", dir);
	args[n++] = "--form";
	args[n++] = form;
	args[n++] = "--db";
	args[n++] = db;
	args[n++] = "--port";
	args[n++] = "0";
	args[n++] = "--tls-cert";
	args[n++] = cert;
	args[n++] = "--tls-key";
	args[n++] = key;
	if (root) {
		args[n++] = "--user";
		args[n++] = "nobody";
	}
	args[n] = NULL;
	if (sb_spawn(&ch, bin, args, errp, 0) != 0 || sb_read_port(&ch) != 0) {
		fprintf(stderr, "TLS collector did not start\n");
		test_failures++;
		if (ch.pid > 0) {
			kill(ch.pid, SIGKILL);
			sb_wait(&ch);
		}
		return 0;
	}
	CHECK(sb_all_threads(ch.pid, "Seccomp", "2") >= 2);
	sb_https(ch.port, "/healthz", NULL, cert, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	sb_https(ch.port, "/s/mini", NULL, cert, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	sb_https(ch.port, "/s/mini", "lang=en&consent=1&adult=1&action=start"
	    "&website=", cert, &r);
	CHECK_INT(r.status, 200);
	st = cl_state(r.body);
	CHECK(st != NULL);
	free(st);
	cl_resp_free(&r);
	CHECK(kill(ch.pid, SIGTERM) == 0);
	rc = sb_wait(&ch);
	if (WIFSIGNALED(rc))
		fprintf(stderr, "TLS collector killed by signal %d\n",
		    WTERMSIG(rc));
	CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
	return 0;
}

/*
 * sandbox_bad_forbidden_call: what is the selftest binary's fate with
 * --sandbox-selftest what? Returns the wait status.
 */
static int
sandbox_selftest(const char *dir, const char *what, int sandboxed, int root)
{
	char bin[512], db[300], errp[300], form[512];
	const char *args[20];
	struct sb_child ch;
	size_t n = 0;
	int st;

	test_bin_path("../tests/collector_selftest", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	snprintf(db, sizeof(db), "%s/selftest-%s-%d.db", dir, what, sandboxed);
	snprintf(errp, sizeof(errp), "%s/selftest-%s-%d.err", dir, what,
	    sandboxed);
	args[n++] = "--form";
	args[n++] = form;
	args[n++] = "--db";
	args[n++] = db;
	args[n++] = "--port";
	args[n++] = "0";
	args[n++] = "--sandbox-selftest";
	args[n++] = what;
	if (!sandboxed)
		args[n++] = "--no-sandbox";
	if (root) {
		args[n++] = "--user";
		args[n++] = "nobody";
	}
	args[n] = NULL;
	if (sb_spawn(&ch, bin, args, errp, 0) != 0)
		return -1;
	/* It started serving (so the filter was in place) before the call. */
	CHECK(sb_read_port(&ch) == 0);
	st = sb_wait(&ch);
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGSYS)
		fprintf(stderr, "selftest %s: killed by signal %d\n", what,
		    WTERMSIG(st));
	if (WIFEXITED(st) && sandboxed) {
		char *e = test_read_file(errp, NULL);
		fprintf(stderr, "selftest %s: exit %d; stderr:\n%s\n", what,
		    WEXITSTATUS(st), e ? e : "");
		free(e);
	}
	return st;
}

/* sandbox_bad_user_not_root */
static void
sandbox_bad_user_not_root(const char *dir, int root)
{
	char bin[512], db[300], errp[300];
	const char *args[] = {"--form", "/nonexistent/form.json", "--db", db,
		"--user", "nobody", NULL};
	const char *refusal = "collector: --user nobody: only root can "
	    "switch users";
	struct sb_child ch;
	int st;

	test_bin_path("collector", bin, sizeof(bin));
	snprintf(db, sizeof(db), "%s/user.db", dir);
	snprintf(errp, sizeof(errp), "%s/user.err", dir);
	CHECK(sb_spawn(&ch, bin, args, errp, root) == 0);
	st = sb_wait(&ch);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	CHECK(test_file_contains(errp, refusal, strlen(refusal)) == 1);
	/* Refused before anything was opened. */
	CHECK(access(db, F_OK) != 0);
}

int
main(void)
{
	char dir[256];
	int root = geteuid() == 0, st, tls;

	signal(SIGPIPE, SIG_IGN);
	if (test_tmpdir(dir, sizeof(dir)) != 0) {
		fprintf(stderr, "cannot make a temporary directory\n");
		return 1;
	}

	sandbox_serves_full_flow(dir, root);
	tls = sandbox_serves_tls(dir, root);

	/* The forbidden calls die of SIGSYS... */
	st = sandbox_selftest(dir, "socket", 1, root);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
	st = sandbox_selftest(dir, "execve", 1, root);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
	st = sandbox_selftest(dir, "thread", 1, root);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);
	/* ...and go through without the filter (the trigger works). */
	st = sandbox_selftest(dir, "socket", 0, root);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	st = sandbox_selftest(dir, "thread", 0, root);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);

	sandbox_bad_user_not_root(dir, root);

	test_rmtree(dir);
	if (test_failures == 0 && (!root || tls == 77)) {
		if (!root)
			fprintf(stderr, "sandbox_root_switches_user: skipped "
			    "(not root)\n");
		fprintf(stderr, "everything else passed\n");
		return 77;
	}
	return test_done();
}
