/*
 * The sandbox of the real collector binary, run as a child process:
 *  - sandbox_landlock_rights_by_abi: the Landlock rights asked for on each
 *    kernel ABI, 0 to 9 (pure, so every version is checked on one kernel);
 *  - sandbox_serves_full_flow: with seccomp and the file confinement on,
 *    every path a respondent takes works (consent, pages, save and resume,
 *    submission, thank-you page, withdrawal, /healthz), a researcher API
 *    summary is built (its threads and its CPU count run confined), the
 *    admin listener serves /metrics, the log names the Landlock ABI, and
 *    SIGTERM still stops it cleanly;
 *    every thread reports Seccomp: 2 and NoNewPrivs: 1;
 *  - sandbox_root_switches_user (root only, else skipped): started as root
 *    with --user nobody it runs with nobody's uid and gid, no groups;
 *  - sandbox_serves_tls: the same flow over HTTPS (a throwaway certificate
 *    from openssl req; skipped without an openssl binary);
 *  - sandbox_bad_forbidden_call: the test build collector_selftest makes a
 *    forbidden call once sandboxed (execve, an AF_INET socket, a socket
 *    from a thread that existed before the filter) and dies of SIGSYS;
 *    with --no-sandbox the same call goes through (exit 3), so the check
 *    can fail;
 *  - sandbox_confines_files: collector_selftest --sandbox-selftest files,
 *    once serving: opening /etc/passwd, creating a file in /tmp and
 *    unlinking a file outside the database directory all fail with EACCES
 *    on the main thread, on a thread started before the sandbox and (the
 *    open) on every other thread (writer, API workers, both listeners),
 *    while a file in the database directory can be made and removed; the
 *    same with --no-sandbox (the confinement has no off switch);
 *  - sandbox_files_bad_no_landlock: the same probe with a kernel that has
 *    no Landlock (ENOSYS) or has it off (EOPNOTSUPP), pretended by the
 *    selftest build: the log says "files are not confined" and the probe
 *    goes through (exit 3), so the check above can fail; as root the
 *    probe instead runs as nobody for this, and a root start gets the
 *    chroot: sandbox_chroot_without_landlock checks the log, ENOENT for
 *    each probe, and the whole flow and a clean stop inside it;
 *  - sandbox_bad_landlock_error: a Landlock failure other than "not
 *    supported" fails the start (exit 1) with a message, before serving;
 *  - sandbox_bad_user_not_root: --user from a process that is not root is
 *    refused with exit 2 and a message naming the flag (when the test runs
 *    as root, the child first switches to nobody itself).
 * Every database directory is made for the user the collector runs as
 * (nobody when root), so that only the sandbox, not file permissions,
 * refuses what the probes try.
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
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "sandbox.h"
#include "test_api_client.h"

#define SB_WAIT_SECONDS 30

/*
 * What the log says about files on this kernel: the Landlock line, or
 * (no Landlock) the chroot or the "not confined" line. Set in main().
 */
static const char *sb_files_line = "file confinement: Landlock ABI ";

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

/* Read one line of the child's stdout into line; 0 or -1. */
static int
sb_read_line(struct sb_child *ch, char *line, size_t size)
{
	size_t n = 0;
	struct pollfd p = {ch->out, POLLIN, 0};

	while (n + 1 < size) {
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
	return 0;
}

/* The port of the "metrics on http://ADDR:PORT/metrics" line, or 0. */
static unsigned
sb_read_admin_port(struct sb_child *ch)
{
	char line[256];
	const char *c;

	if (sb_read_line(ch, line, sizeof(line)) != 0 ||
	    strncmp(line, "metrics on http://", 18) != 0 ||
	    (c = strrchr(line, ':')) == NULL)
		return 0;
	return (unsigned)strtoul(c + 1, NULL, 10);
}

/* Read the "listening on http://ADDR:PORT/" line; 0 or -1. */
static int
sb_read_port(struct sb_child *ch)
{
	char line[256];
	const char *c;

	if (sb_read_line(ch, line, sizeof(line)) != 0)
		return -1;
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

/* Print a child's stderr (after a failure). */
static void
sb_show(const char *what, const char *err_path)
{
	char *v = test_read_file(err_path, NULL);

	fprintf(stderr, "%s; its stderr:\n%s\n", what, v ? v : "(none)");
	free(v);
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

/*
 * A directory dir/name for the user the collector runs as (nobody when
 * root), 0700, into out. 0 or -1.
 */
static int
sb_run_dir(const char *dir, const char *name, int root, char *out,
    size_t outsz)
{
	struct passwd *pw;

	snprintf(out, outsz, "%s/%s", dir, name);
	if (mkdir(out, 0700) != 0)
		return -1;
	if (!root)
		return 0;
	pw = getpwnam("nobody");
	return pw != NULL && chown(out, pw->pw_uid, pw->pw_gid) == 0 ? 0 : -1;
}

/* ---- one connection, over HTTP or HTTPS ---- */

/* One request over HTTPS to localhost:port, trusting only cainfo. */
static int
sb_https(unsigned port, const char *path, const char *post,
    const char *cainfo, struct cl_resp *out)
{
	CURL *h = curl_easy_init();
	struct curl_slist *res = NULL, *hl = NULL;
	struct cl_buf b = {NULL, 0}, hd = {NULL, 0};
	char url[512], rs[128];

	memset(out, 0, sizeof(*out));
	if (h == NULL)
		return -1;
	snprintf(url, sizeof(url), "https://localhost:%u%s", port, path);
	snprintf(rs, sizeof(rs), "localhost:%u:127.0.0.1", port);
	res = curl_slist_append(res, rs);
	hl = curl_slist_append(hl, "Expect:"); /* no 100-continue wait */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RESOLVE, res);
	curl_easy_setopt(h, CURLOPT_CAINFO, cainfo);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
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
	curl_slist_free_all(hl);
	if (b.p == NULL)
		cl_buf_add(&b, "", 0);
	if (hd.p == NULL)
		cl_buf_add(&hd, "", 0);
	out->body = b.p;
	out->len = b.n;
	out->headers = hd.p;
	return out->rc == CURLE_OK ? 0 : -1;
}

struct sb_conn {
	struct cl_client cl;  /* HTTP */
	unsigned port;
	const char *cainfo;   /* HTTPS trusting only this; NULL: HTTP */
};

/*
 * GET path (kv NULL) or POST the fields kv ("k1", "v1", ..., NULL). A
 * POST answered 303 is followed as a browser does, except to the
 * thank-you page (cl_follow in client.h, for both schemes).
 */
static int
sb_req(struct sb_conn *c, const char *path, const char *const *kv,
    struct cl_resp *r)
{
	struct cl_form f = {{NULL, 0}};
	char *loc;
	int rc;

	if (c->cainfo == NULL)
		return kv == NULL ? cl_get(&c->cl, path, r) :
		    cl_postv(&c->cl, path, r, kv);
	if (kv == NULL)
		return sb_https(c->port, path, NULL, c->cainfo, r);
	for (; kv[0] != NULL; kv += 2)
		cl_form_add(&f, kv[0], kv[1]);
	rc = sb_https(c->port, path, f.b.p != NULL ? f.b.p : "", c->cainfo, r);
	cl_form_free(&f);
	if (rc != 0 || r->status != 303)
		return rc;
	loc = cl_header(r, "Location");
	if (loc == NULL || loc[0] != '/' || strstr(loc, "/thanks?") != NULL) {
		free(loc);
		return 0;
	}
	cl_resp_free(r);
	rc = sb_https(c->port, loc, NULL, c->cainfo, r);
	free(loc);
	return rc;
}

/* POST kv to the mini survey; the state of the page it answers with. */
static char *
sb_page(struct sb_conn *c, const char *const *kv, const char *must)
{
	struct cl_resp r;
	char *st = NULL;

	sb_req(c, "/s/mini", kv, &r);
	CHECK_INT(r.status, 200);
	if (r.status == 200 && (must == NULL || cl_contains(r.body, must)))
		st = cl_state(r.body);
	cl_resp_free(&r);
	return st;
}

/*
 * Submit from the last page of questions ("submit" there skips the
 * check-your-answers step) and open the thank-you page: the receipt.
 */
static char *
sb_submit(struct sb_conn *c, const char *st)
{
	const char *kv[] = {"state", st, "action", "submit", "fn_walk", "1",
		"fn_work", "2", "website", "", NULL};
	struct cl_resp r;
	char *loc, *receipt = NULL;

	sb_req(c, "/s/mini", kv, &r);
	CHECK_INT(r.status, 303);
	loc = r.status == 303 ? cl_header(&r, "Location") : NULL;
	cl_resp_free(&r);
	if (loc == NULL)
		return NULL;
	if (sb_req(c, loc, NULL, &r) == 0 && r.status == 200)
		receipt = cl_between(r.body, "id=\"receipt-code\">", '<');
	CHECK_INT(r.status, 200);
	free(loc);
	cl_resp_free(&r);
	return receipt;
}

/* Consent, pages 1 and 2, submit: the receipt code (malloc'd) or NULL. */
static char *
sb_straight(struct sb_conn *c)
{
	const char *consent[] = {"lang", "en", "consent", "1", "adult", "1",
		"action", "start", "website", "", NULL};
	char *st, *st2, *receipt;

	if ((st = sb_page(c, consent, NULL)) == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "6",
			"used_kratom", "0", NULL};
		st2 = sb_page(c, kv, NULL);
	}
	free(st);
	if (st2 == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st2, "action", "next", "symptoms",
			"1", "symptoms", "3", "age_band", "2", NULL};
		st = sb_page(c, kv, "name=\"fn_walk\"");
	}
	free(st2);
	if (st == NULL)
		return NULL;
	receipt = sb_submit(c, st);
	free(st);
	return receipt;
}

/* Save on page 2, resume, finish and submit; returns the receipt code. */
static char *
sb_draft_and_submit(struct sb_conn *c)
{
	const char *consent[] = {"lang", "en", "consent", "1", "adult", "1",
		"action", "start", "website", "", NULL};
	struct cl_resp r;
	char *st, *st2, *code, *receipt;

	if ((st = sb_page(c, consent, NULL)) == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "pain", "5",
			"used_kratom", "0", NULL};
		st2 = sb_page(c, kv, NULL);
	}
	free(st);
	if (st2 == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st2, "action", "save", "symptoms",
			"2", NULL};
		sb_req(c, "/s/mini", kv, &r);
	}
	free(st2);
	CHECK_INT(r.status, 200);
	code = cl_between(r.body, "id=\"resume-code\">", '<');
	cl_resp_free(&r);
	if (code == NULL)
		return NULL;
	{
		const char *kv[] = {"code", code, NULL};
		sb_req(c, "/resume", kv, &r);
	}
	free(code);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "name=\"symptoms\" value=\"2\" checked"));
	st = cl_state(r.body);
	cl_resp_free(&r);
	if (st == NULL)
		return NULL;
	{
		const char *kv[] = {"state", st, "action", "next", "symptoms",
			"2", "age_band", "1", NULL};
		st2 = sb_page(c, kv, "name=\"fn_walk\"");
	}
	free(st);
	if (st2 == NULL)
		return NULL;
	receipt = sb_submit(c, st2);
	free(st2);
	return receipt;
}

/*
 * What a respondent does, on c: the pages, one straight submission, one
 * through save and resume, the withdrawal of the first. Leaves one row.
 */
static void
sb_flow(struct sb_conn *c, const char *db)
{
	struct cl_resp r;
	char *code1, *code2;

	sb_req(c, "/healthz", NULL, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	sb_req(c, "/s/mini", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "name=\"consent\""));
	cl_resp_free(&r);
	sb_req(c, "/static/app.css", NULL, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);

	code1 = sb_straight(c);
	CHECK(code1 != NULL);
	code2 = sb_draft_and_submit(c);
	CHECK(code2 != NULL);
	CHECK_INT(cl_count_rows(db, "mini"), 2);

	sb_req(c, "/withdraw", NULL, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);
	if (code1 != NULL) {
		const char *kv[] = {"code", code1, NULL};
		sb_req(c, "/withdraw", kv, &r);
		CHECK_INT(r.status, 200);
		CHECK(cl_contains(r.body, "Your answers have been deleted."));
		cl_resp_free(&r);
	}
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	sb_req(c, "/no-such-page", NULL, &r);
	CHECK_INT(r.status, 404);
	cl_resp_free(&r);
	free(code1);
	free(code2);
}

/* SIGTERM, then a clean exit 0 with "stopped cleanly" in err_path. */
static void
sb_stop(struct sb_child *ch, const char *err_path)
{
	int st;

	CHECK(kill(ch->pid, SIGTERM) == 0);
	st = sb_wait(ch);
	if (WIFSIGNALED(st))
		fprintf(stderr, "collector killed by signal %d\n",
		    WTERMSIG(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(test_file_contains(err_path, "stopped cleanly",
	    strlen("stopped cleanly")) == 1);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		sb_show("collector did not stop cleanly", err_path);
}

/* ---- the tests ---- */

/* sandbox_landlock_rights_by_abi */
static void
sandbox_landlock_rights_by_abi(void)
{
	struct sandbox_landlock_rights r;
	const uint64_t abi1 = (1ULL << 13) - 1;  /* EXECUTE .. MAKE_SYM */
	const uint64_t db = (1ULL << 1) | (1ULL << 2) | (1ULL << 3) |
	    (1ULL << 5) | (1ULL << 8); /* WRITE, READ, READ_DIR, RM, REG */
	int abi;

	sandbox_landlock_rights(0, &r);
	CHECK(r.fs_handled == 0 && r.fs_db == 0 && r.net_handled == 0 &&
	    r.scoped == 0 && r.tsync == 0);
	for (abi = 1; abi <= 9; abi++) {
		uint64_t fs = abi1;

		sandbox_landlock_rights(abi, &r);
		if (abi >= 2)
			fs |= 1ULL << 13;                 /* REFER */
		if (abi >= 3)
			fs |= 1ULL << 14;                 /* TRUNCATE */
		if (abi >= 5)
			fs |= 1ULL << 15;                 /* IOCTL_DEV */
		CHECK_INT(r.fs_handled, fs);
		CHECK_INT(r.fs_db, db | (abi >= 3 ? 1ULL << 14 : 0));
		CHECK((r.fs_db & ~r.fs_handled) == 0);
		/* Never exec, refer, special files or directories. */
		CHECK((r.fs_db & ((1ULL << 0) | (1ULL << 4) | (1ULL << 6) |
		    (1ULL << 7) | (1ULL << 9) | (1ULL << 10) | (1ULL << 11) |
		    (1ULL << 12) | (1ULL << 13) | (1ULL << 15))) == 0);
		CHECK_INT(r.net_handled, abi >= 4 ? 3 : 0);
		CHECK_INT(r.scoped, abi >= 6 ? 3 : 0);
		CHECK_INT(r.tsync, abi >= 8);
	}
}

/* sandbox_serves_full_flow and, as root, sandbox_root_switches_user. */
static void
sandbox_serves_full_flow(const char *dir, int root)
{
	char bin[512], run[300], db[400], errp[300], status_path[64], form[512];
	char auth[128];
	const char *args[16];
	struct sb_child ch;
	struct sb_conn c;
	struct cl_resp r;
	struct tk t;
	char *v;
	size_t n = 0;
	unsigned admin = 0;

	test_bin_path("collector", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	CHECK(sb_run_dir(dir, "flow", root, run, sizeof(run)) == 0);
	snprintf(db, sizeof(db), "%s/flow.db", run);
	snprintf(errp, sizeof(errp), "%s/flow.err", dir);
	/* A researcher token, in the database made before the start. */
	CHECK(tk_create(db, "summary", "Sandbox", &t) == 0);
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
	args[n++] = "--admin-port";
	args[n++] = "0";
	if (root) {
		args[n++] = "--user";
		args[n++] = "nobody";
	}
	args[n] = NULL;
	if (sb_spawn(&ch, bin, args, errp, 0) != 0 || sb_read_port(&ch) != 0 ||
	    (admin = sb_read_admin_port(&ch)) == 0) {
		sb_show("collector did not start", errp);
		test_failures++;
		if (ch.pid > 0) {
			kill(ch.pid, SIGKILL);
			sb_wait(&ch);
		}
		return;
	}
	CHECK(test_file_contains(errp, sb_files_line,
	    strlen(sb_files_line)) == 1);

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

	memset(&c, 0, sizeof(c));
	CHECK(cl_client_init(&c.cl, ch.port) == 0);
	c.port = ch.port;
	sb_flow(&c, db);
	/* A release is built on worker threads started under the sandbox. */
	api_req(&c.cl, "GET", "/api/v1/forms/mini/summary",
	    tk_bearer(&t, auth, sizeof(auth)), &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "\"rows\": 1,"));
	cl_resp_free(&r);
	cl_client_free(&c.cl);
	/* The admin listener's thread works confined too. */
	CHECK(cl_client_init(&c.cl, admin) == 0);
	cl_get(&c.cl, "/metrics", &r);
	CHECK_INT(r.status, 200);
	CHECK(cl_contains(r.body, "candor_"));
	cl_resp_free(&r);
	cl_client_free(&c.cl);

	/* Still sandboxed and alive after all that; then a clean stop. */
	CHECK(sb_all_threads(ch.pid, "Seccomp", "2") >= 2);
	sb_stop(&ch, errp);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
}

/*
 * sandbox_serves_tls: GnuTLS handshakes and records under the sandbox,
 * the whole flow. Returns 0, or 77 without an openssl binary or a TLS
 * libcurl.
 */
static int
sandbox_serves_tls(const char *dir, int root)
{
	static const char *const openssl_paths[] = {"/usr/bin/openssl",
		"/bin/openssl", "/usr/local/bin/openssl", NULL};
	const char *openssl = NULL;
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	char bin[512], run[300], db[400], errp[300], form[512], cert[300];
	char key[300];
	const char *args[20];
	struct sb_child ch;
	struct sb_conn c;
	char *out = NULL, *err = NULL;
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
	CHECK(sb_run_dir(dir, "tls", root, run, sizeof(run)) == 0);
	snprintf(db, sizeof(db), "%s/tls.db", run);
	snprintf(errp, sizeof(errp), "%s/tls.err", dir);
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
		sb_show("TLS collector did not start", errp);
		test_failures++;
		if (ch.pid > 0) {
			kill(ch.pid, SIGKILL);
			sb_wait(&ch);
		}
		return 0;
	}
	CHECK(sb_all_threads(ch.pid, "Seccomp", "2") >= 2);
	CHECK(test_file_contains(errp, sb_files_line,
	    strlen(sb_files_line)) == 1);
	memset(&c, 0, sizeof(c));
	c.port = ch.port;
	c.cainfo = cert;
	sb_flow(&c, db);
	sb_stop(&ch, errp);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
	return 0;
}

/*
 * Run collector_selftest on a database in dir/name with the flags extra
 * (NULL-terminated); as_nobody: the test (root) starts it as nobody.
 * Returns the wait status; *served tells whether it printed its port.
 */
static int
sb_selftest(const char *dir, const char *name, const char *const *extra,
    int root, int as_nobody, int *served)
{
	char bin[512], run[300], db[400], errp[300], form[512];
	const char *args[24];
	struct sb_child ch;
	size_t n = 0, i;

	test_bin_path("../tests/collector_selftest", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	CHECK(sb_run_dir(dir, name, root, run, sizeof(run)) == 0);
	snprintf(db, sizeof(db), "%s/selftest.db", run);
	snprintf(errp, sizeof(errp), "%s/%s.err", dir, name);
	args[n++] = "--form";
	args[n++] = form;
	args[n++] = "--db";
	args[n++] = db;
	args[n++] = "--port";
	args[n++] = "0";
	for (i = 0; extra[i] != NULL && n < 21; i++)
		args[n++] = extra[i];
	if (root && !as_nobody) {
		args[n++] = "--user";
		args[n++] = "nobody";
	}
	args[n] = NULL;
	if (sb_spawn(&ch, bin, args, errp, as_nobody) != 0)
		return -1;
	*served = sb_read_port(&ch) == 0;
	return sb_wait(&ch);
}

/*
 * sandbox_bad_forbidden_call: what is the selftest binary's fate with
 * --sandbox-selftest what? Returns the wait status.
 */
static int
sandbox_selftest(const char *dir, const char *what, int sandboxed, int root)
{
	char name[64];
	const char *extra[] = {"--sandbox-selftest", what,
		sandboxed ? NULL : "--no-sandbox", NULL};
	int st, served = 0;

	snprintf(name, sizeof(name), "selftest-%s-%d", what, sandboxed);
	st = sb_selftest(dir, name, extra, root, 0, &served);
	/* It started serving (so the filter was in place) before the call. */
	CHECK(served);
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGSYS)
		fprintf(stderr, "selftest %s: killed by signal %d\n", what,
		    WTERMSIG(st));
	if (WIFEXITED(st) && sandboxed) {
		char errp[300];

		snprintf(errp, sizeof(errp), "%s/%s.err", dir, name);
		fprintf(stderr, "selftest %s: exit %d\n", what,
		    WEXITSTATUS(st));
		sb_show("selftest", errp);
	}
	return st;
}

/*
 * The files probe with the extra flags; checks the exit status and that
 * each line of the probe says want (e.g. "open=EACCES create=EACCES
 * unlink=EACCES inside=ok"), and that the log has logline.
 */
static void
sb_files(const char *dir, const char *name, const char *const *flags,
    int root, int as_nobody, int want_exit, const char *want,
    const char *want_every, const char *logline)
{
	static const char *const who[] = {"main", "thread"};
	char victim_dir[300], victim[400], errp[300], line[512];
	const char *extra[14];
	size_t n = 0, i;
	int st, served = 0, fd;

	/* The file to unlink sits outside the database directory, where
	 * the collector's user may write: only the sandbox stands between. */
	snprintf(line, sizeof(line), "%s-outside", name);
	CHECK(sb_run_dir(dir, line, root, victim_dir,
	    sizeof(victim_dir)) == 0);
	snprintf(victim, sizeof(victim), "%s/victim", victim_dir);
	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		snprintf(line, sizeof(line), "%s-%s", victim, who[i]);
		fd = open(line, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
	}
	extra[n++] = "--sandbox-selftest";
	extra[n++] = "files";
	extra[n++] = "--admin-port";  /* one more thread to probe */
	extra[n++] = "0";
	extra[n++] = "--sandbox-selftest-victim";
	extra[n++] = victim;
	for (i = 0; flags[i] != NULL && n < 13; i++)
		extra[n++] = flags[i];
	extra[n] = NULL;
	st = sb_selftest(dir, name, extra, root, as_nobody, &served);
	snprintf(errp, sizeof(errp), "%s/%s.err", dir, name);
	CHECK(served);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == want_exit);
	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		snprintf(line, sizeof(line), "collector: selftest: files %s: "
		    "%s\n", who[i], want);
		CHECK(test_file_contains(errp, line, strlen(line)) == 1);
	}
	if (want_every != NULL) {
		/* Besides main: the writer, 2 API workers, libmicrohttpd's
		 * two listeners, the thread. */
		char *text = test_read_file(errp, NULL);
		const char *p = text != NULL ? strstr(text,
		    "files every thread: ") : NULL;
		char probed[32] = "";

		CHECK(p != NULL);
		if (p != NULL) {
			unsigned long k = strtoul(p + 20, NULL, 10);
			CHECK(k >= 6);
			snprintf(probed, sizeof(probed), ": open=%s\n",
			    want_every);
			CHECK(strstr(p, probed) != NULL);
		}
		free(text);
	}
	CHECK(test_file_contains(errp, logline, strlen(logline)) == 1);
	if (test_failures > 0 && !(WIFEXITED(st) &&
	    WEXITSTATUS(st) == want_exit))
		sb_show(name, errp);
	/* Refused: the victims are still there. */
	for (i = 0; want_exit == 4 && i < sizeof(who) / sizeof(who[0]); i++) {
		snprintf(line, sizeof(line), "%s-%s", victim, who[i]);
		CHECK(access(line, F_OK) == 0);
	}
}

/* sandbox_confines_files */
static void
sandbox_confines_files(const char *dir, int root)
{
	const char *none[] = {NULL};
	const char *nosb[] = {"--no-sandbox", NULL};
	const char *want = "open=EACCES create=EACCES unlink=EACCES "
	    "inside=ok";

	sb_files(dir, "files", none, root, 0, 4, want, "EACCES",
	    "file confinement: Landlock ABI ");
	sb_files(dir, "files-noseccomp", nosb, root, 0, 4, want, "EACCES",
	    "file confinement: Landlock ABI ");
}

/* sandbox_files_bad_no_landlock and, as root, the chroot. */
static void
sandbox_files_bad_no_landlock(const char *dir, int root)
{
	const char *enosys[] = {"--sandbox-selftest-landlock", "enosys",
		NULL};
	const char *eopnotsupp[] = {"--sandbox-selftest-landlock",
		"eopnotsupp", NULL};
	const char *through = "open=ok create=ok unlink=ok inside=ok";
	const char *none = "file confinement: Landlock not available on this "
	    "kernel; files are not confined";

	/* Not root (as root: started as nobody), nothing stops the probe. */
	sb_files(dir, "nolandlock", enosys, root, root, 3, through, "ok",
	    none);
	sb_files(dir, "landlockoff", eopnotsupp, root, root, 3, through, "ok",
	    none);
}

/* The runs of sandbox_chroot_without_landlock. */
static void
sb_chroot_runs(const char *dir)
{
	const char *enosys[] = {"--sandbox-selftest-landlock", "enosys",
		NULL};
	const char *gone = "open=ENOENT create=ENOENT unlink=ENOENT "
	    "inside=ok";
	char bin[512], run[300], db[400], errp[300], form[512], line[512];
	const char *args[20];
	struct sb_child ch;
	struct sb_conn c;
	size_t n = 0;

	sb_files(dir, "chroot-files", enosys, 1, 0, 4, gone, "ENOENT",
	    "file confinement: Landlock not available on this kernel; "
	    "chroot into ");

	/* The whole flow and a clean stop inside the chroot. */
	test_bin_path("../tests/collector_selftest", bin, sizeof(bin));
	test_src_path("tests/collector/mini.json", form, sizeof(form));
	CHECK(sb_run_dir(dir, "chroot", 1, run, sizeof(run)) == 0);
	snprintf(db, sizeof(db), "%s/chroot.db", run);
	snprintf(errp, sizeof(errp), "%s/chroot.err", dir);
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
	args[n++] = enosys[0];
	args[n++] = enosys[1];
	args[n] = NULL;
	if (sb_spawn(&ch, bin, args, errp, 0) != 0 || sb_read_port(&ch) != 0) {
		sb_show("chrooted collector did not start", errp);
		test_failures++;
		if (ch.pid > 0) {
			kill(ch.pid, SIGKILL);
			sb_wait(&ch);
		}
		return;
	}
	snprintf(line, sizeof(line), "chroot into %s instead\n", run);
	CHECK(test_file_contains(errp, line, strlen(line)) == 1);
	memset(&c, 0, sizeof(c));
	CHECK(cl_client_init(&c.cl, ch.port) == 0);
	c.port = ch.port;
	sb_flow(&c, db);
	cl_client_free(&c.cl);
	sb_stop(&ch, errp);
	CHECK_INT(cl_count_rows(db, "mini"), 1);
}

/*
 * sandbox_chroot_without_landlock (root only): no Landlock, root: the
 * start chroots into the database directory. Sanitizer builds: there is
 * no /proc in the chroot for LeakSanitizer's check at exit, so these
 * children run without it (ASAN_OPTIONS gets detect_leaks=0; the
 * Landlock runs keep it).
 */
static void
sandbox_chroot_without_landlock(const char *dir)
{
	const char *was = getenv("ASAN_OPTIONS");
	char *saved = was != NULL ? strdup(was) : NULL, opts[1024];

	snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0", was ? was : "",
	    was != NULL && was[0] != '\0' ? ":" : "");
	CHECK(setenv("ASAN_OPTIONS", opts, 1) == 0);
	sb_chroot_runs(dir);
	if (saved != NULL)
		CHECK(setenv("ASAN_OPTIONS", saved, 1) == 0);
	else
		CHECK(unsetenv("ASAN_OPTIONS") == 0);
	free(saved);
}

/* sandbox_bad_landlock_error */
static void
sandbox_bad_landlock_error(const char *dir, int root)
{
	const char *extra[] = {"--sandbox-selftest-landlock", "fail", NULL};
	const char *msg = "collector: sandbox: Landlock ABI ";
	char errp[300];
	int st, served = 1;

	st = sb_selftest(dir, "landlock-error", extra, root, 0, &served);
	snprintf(errp, sizeof(errp), "%s/landlock-error.err", dir);
	CHECK(!served);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK(test_file_contains(errp, msg, strlen(msg)) == 1);
	CHECK(test_file_contains(errp, "cannot create the ruleset: Invalid "
	    "argument", strlen("cannot create the ruleset: Invalid "
	    "argument")) == 1);
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
	int root = geteuid() == 0, st, tls, abi;

	signal(SIGPIPE, SIG_IGN);
	if (test_tmpdir(dir, sizeof(dir)) != 0) {
		fprintf(stderr, "cannot make a temporary directory\n");
		return 1;
	}
	/* Run directories below are nobody's; nobody must pass through. */
	if (root && chmod(dir, 0711) != 0) {
		fprintf(stderr, "cannot chmod %s\n", dir);
		return 1;
	}
	abi = sandbox_landlock_abi();
	fprintf(stderr, "this kernel's Landlock ABI: %d\n", abi);

	sandbox_landlock_rights_by_abi();
	if (abi < 1)
		sb_files_line = root ? "file confinement: Landlock not "
		    "available on this kernel; chroot into " : "file "
		    "confinement: Landlock not available on this kernel; files "
		    "are not confined";
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

	if (abi >= 1)
		sandbox_confines_files(dir, root);
	else
		fprintf(stderr, "sandbox_confines_files: skipped (no Landlock "
		    "on this kernel)\n");
	sandbox_files_bad_no_landlock(dir, root);
	if (root)
		sandbox_chroot_without_landlock(dir);
	sandbox_bad_landlock_error(dir, root);
	sandbox_bad_user_not_root(dir, root);

	test_rmtree(dir);
	if (test_failures == 0 && (!root || tls == 77 || abi < 1)) {
		if (!root)
			fprintf(stderr, "sandbox_root_switches_user and "
			    "sandbox_chroot_without_landlock: skipped (not "
			    "root)\n");
		fprintf(stderr, "everything else passed\n");
		return 77;
	}
	return test_done();
}
