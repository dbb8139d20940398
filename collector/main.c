/*
 * The collector's entry point: flags only; the service is in the library
 * (collector.h). Every flag is validated and an error names the flag and
 * the rule (exit 2). SIGTERM and SIGINT stop the service cleanly: no new
 * connections, every queued write committed and answered, the database
 * closed, exit 0. Once everything is open the service is sandboxed
 * (sandbox.h): a root start switches to --user (default nobody), and a
 * seccomp allowlist is installed on every thread before the first request
 * (--no-sandbox leaves the allowlist out, for debugging).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "form.h"
#include "sandbox.h"
#ifdef CANDOR_SANDBOX_SELFTEST
#include <pthread.h>
#include <sys/socket.h>
#endif

static const char usage_text[] =
"usage: collector --form FILE [--form FILE ...] --db PATH [options]\n"
"       collector --check-form FILE\n"
"\n"
"Serve anonymous surveys defined by form files and store the responses in\n"
"an SQLite database. Prints \"listening on http://ADDR:PORT/\" when ready.\n"
"\n"
"  --form FILE             a form file to serve (repeatable, at most 32;\n"
"                          form ids must differ)\n"
"  --db PATH               the database (created if missing)\n"
"  --bind ADDR             numeric IPv4 or IPv6 address to listen on\n"
"                          (default 127.0.0.1)\n"
"  --port N                TCP port 0..65535; 0 picks a free one\n"
"                          (default 8080)\n"
"  --min-fill-seconds N    minimum time from consent to submit, 0..86400;\n"
"                          faster submissions are asked to review and\n"
"                          submit again (default 20)\n"
"  --draft-days N          days a \"save and continue later\" draft is\n"
"                          kept, 1..365 (default 14)\n"
"  --rate-per-minute N     requests per minute per client address, after a\n"
"                          burst of --rate-burst; 0 turns it off,\n"
"                          0..100000 (default 60)\n"
"  --rate-burst N          1..100000 (default 60)\n"
"  --tls-cert PEM          serve HTTPS with this certificate (with\n"
"                          --tls-key); adds Strict-Transport-Security\n"
"  --tls-key PEM           the certificate's private key\n"
"  --user NAME             started as root, run as this user once the\n"
"                          database, forms and TLS files are open\n"
"                          (default nobody); refused when not root\n"
"  --no-sandbox            no seccomp system-call filter (for debugging;\n"
"                          root is still given up)\n"
"  --api-k N               researcher API (docs/api.md): a new summary or\n"
"                          export release only after N changes (responses\n"
"                          added or withdrawn), 5..1000000 (default 10)\n"
"  --no-api                no /api/ routes\n"
"  --admin-port N          serve GET /metrics and /healthz on a separate\n"
"                          loopback listener on this port, 0..65535; 0\n"
"                          picks a free one (default: none; the survey\n"
"                          port has no /metrics)\n"
"  --admin-addr ADDR       its address: 127.0.0.0/8 or ::1 only, never a\n"
"                          public one (default 127.0.0.1; needs\n"
"                          --admin-port)\n"
"  --check-form FILE       check a form file and print its problems\n"
"                          (exit 0 valid, 1 not)\n"
"  --help                  this text\n"
"\n"
"Exit status: 0 after a clean stop (SIGTERM/SIGINT), 1 when the service\n"
"cannot start, 2 for bad flags.\n";

/* The sandbox settings, run by collector_start() through before_serve. */
struct main_sandbox {
	const char *user;   /* --user, or NULL */
	int seccomp;        /* 0 with --no-sandbox */
#ifdef CANDOR_SANDBOX_SELFTEST
	const char *selftest; /* --sandbox-selftest: the forbidden call */
	int selftest_pipe[2];
	pthread_t selftest_thread;
	int selftest_started;
#endif
};

#ifdef CANDOR_SANDBOX_SELFTEST
/*
 * Test builds only (collector_selftest): a thread that exists before the
 * filter is installed waits, then opens an Internet socket, which the
 * filter must stop on every thread, not only the installing one.
 */
static void *
selftest_thread_main(void *arg)
{
	struct main_sandbox *sb = arg;
	char b;
	int fd;

	if (read(sb->selftest_pipe[0], &b, 1) != 1)
		return NULL;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	fprintf(stderr, "collector: selftest: socket() on a thread returned "
	    "%d\n", fd);
	_exit(3);
}

/* The forbidden call itself; returns only when it was not stopped. */
static void
selftest_run(struct main_sandbox *sb)
{
	char *const argv[] = {"/bin/true", NULL}, *const envp[] = {NULL};
	int fd;

	if (strcmp(sb->selftest, "execve") == 0) {
		execve(argv[0], argv, envp);
		fprintf(stderr, "collector: selftest: execve() returned\n");
	} else if (strcmp(sb->selftest, "socket") == 0) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		fprintf(stderr, "collector: selftest: socket() returned %d\n",
		    fd);
	} else if (sb->selftest_started) {
		if (write(sb->selftest_pipe[1], "x", 1) == 1)
			pthread_join(sb->selftest_thread, NULL);
	}
}
#endif

static int
main_before_serve(void *arg, char *err, size_t errsz)
{
	struct main_sandbox *sb = arg;

#ifdef CANDOR_SANDBOX_SELFTEST
	if (sb->selftest != NULL && strcmp(sb->selftest, "thread") == 0) {
		if (pipe(sb->selftest_pipe) != 0 ||
		    pthread_create(&sb->selftest_thread, NULL,
		    selftest_thread_main, sb) != 0) {
			snprintf(err, errsz, "selftest: cannot start a thread");
			return -1;
		}
		sb->selftest_started = 1;
	}
#endif
	if (sandbox_drop_privileges(sb->user, err, errsz) != 0)
		return -1;
	if (sb->seccomp && sandbox_seccomp(err, errsz) != 0)
		return -1;
	return 0;
}

static int
check_form(const char *path)
{
	struct diag d;
	struct form *f = NULL;
	int rc;

	diag_init(&d);
	rc = form_load(path, &f, &d);
	if (rc == 0)
		printf("%s: ok (%zu pages, %zu variables)\n", path, f->npages,
		    f->nvars);
	else
		diag_print(&d, stdout);
	form_free(f);
	diag_free(&d);
	return rc == 0 ? 0 : 1;
}

/* A decimal integer in [lo, hi] with nothing after it. */
static int
parse_uint(const char *flag, const char *s, unsigned long lo,
    unsigned long hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	if (s == NULL || s[0] < '0' || s[0] > '9') {
		fprintf(stderr, "collector: %s: expected an integer from %lu to "
		    "%lu\n", flag, lo, hi);
		return -1;
	}
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "collector: %s %s: expected an integer from %lu "
		    "to %lu\n", flag, s, lo, hi);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
need_arg(int argc, char *argv[], int i)
{
	if (i + 1 >= argc || argv[i + 1][0] == '\0') {
		fprintf(stderr, "collector: %s: needs a value\n", argv[i]);
		return -1;
	}
	return 0;
}

/* Turn argv into cfg and sb. Returns 0, 1 for --help, -1 for a bad flag. */
static int
parse_flags(int argc, char *argv[], struct collector_config *cfg,
    struct main_sandbox *sb)
{
	int i;
	int have_port = 0, have_bind = 0, have_db = 0, have_fill = 0;
	int have_admin_addr = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "collector: %s: unexpected argument "
			    "(flags start with --)\n", a);
			return -1;
		}
		if (strcmp(a, "--no-sandbox") == 0) {
			sb->seccomp = 0;
			continue;
		}
		if (strcmp(a, "--no-api") == 0) {
			cfg->no_api = 1;
			continue;
		}
		if (need_arg(argc, argv, i) != 0)
			return -1;
		const char *v = argv[++i];
		if (strcmp(a, "--form") == 0) {
			if (cfg->nforms == COLLECTOR_MAX_FORMS) {
				fprintf(stderr, "collector: --form: at most %d "
				    "forms\n", COLLECTOR_MAX_FORMS);
				return -1;
			}
			cfg->forms[cfg->nforms++] = v;
		} else if (strcmp(a, "--db") == 0) {
			if (have_db++) {
				fprintf(stderr, "collector: --db: given twice\n");
				return -1;
			}
			cfg->db_path = v;
		} else if (strcmp(a, "--bind") == 0) {
			if (have_bind++) {
				fprintf(stderr, "collector: --bind: given twice\n");
				return -1;
			}
			cfg->bind_addr = v;
		} else if (strcmp(a, "--port") == 0) {
			if (have_port++) {
				fprintf(stderr, "collector: --port: given twice\n");
				return -1;
			}
			if (parse_uint(a, v, 0, 65535, &cfg->port) != 0)
				return -1;
		} else if (strcmp(a, "--admin-port") == 0) {
			if (cfg->admin++) {
				fprintf(stderr, "collector: --admin-port: given "
				    "twice\n");
				return -1;
			}
			if (parse_uint(a, v, 0, 65535, &cfg->admin_port) != 0)
				return -1;
		} else if (strcmp(a, "--admin-addr") == 0) {
			if (have_admin_addr++) {
				fprintf(stderr, "collector: --admin-addr: given "
				    "twice\n");
				return -1;
			}
			cfg->admin_addr = v;
		} else if (strcmp(a, "--min-fill-seconds") == 0) {
			if (have_fill++) {
				fprintf(stderr, "collector: --min-fill-seconds: "
				    "given twice\n");
				return -1;
			}
			if (parse_uint(a, v, 0, 86400,
			    &cfg->min_fill_seconds) != 0)
				return -1;
		} else if (strcmp(a, "--draft-days") == 0) {
			if (parse_uint(a, v, 1, 365, &cfg->draft_days) != 0)
				return -1;
		} else if (strcmp(a, "--rate-per-minute") == 0) {
			if (parse_uint(a, v, 0, 100000,
			    &cfg->rate_per_minute) != 0)
				return -1;
		} else if (strcmp(a, "--rate-burst") == 0) {
			if (parse_uint(a, v, 1, 100000, &cfg->rate_burst) != 0)
				return -1;
		} else if (strcmp(a, "--api-k") == 0) {
			if (parse_uint(a, v, 5, 1000000, &cfg->api_k) != 0)
				return -1;
		} else if (strcmp(a, "--tls-cert") == 0) {
			cfg->tls_cert = v;
		} else if (strcmp(a, "--tls-key") == 0) {
			cfg->tls_key = v;
		} else if (strcmp(a, "--user") == 0) {
			sb->user = v;
#ifdef CANDOR_SANDBOX_SELFTEST
		} else if (strcmp(a, "--sandbox-selftest") == 0) {
			if (strcmp(v, "execve") != 0 &&
			    strcmp(v, "socket") != 0 &&
			    strcmp(v, "thread") != 0) {
				fprintf(stderr, "collector: --sandbox-selftest: "
				    "expected execve, socket or thread (got "
				    "\"%s\")\n", v);
				return -1;
			}
			sb->selftest = v;
#endif
		} else {
			fprintf(stderr, "collector: %s: unknown flag (see "
			    "--help)\n", a);
			return -1;
		}
	}
	if (cfg->nforms == 0) {
		fprintf(stderr, "collector: --form: required (at least one form "
		    "file)\n");
		return -1;
	}
	if (cfg->db_path == NULL) {
		fprintf(stderr, "collector: --db: required (the database "
		    "path)\n");
		return -1;
	}
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		fprintf(stderr, "collector: --tls-cert and --tls-key: give both "
		    "or neither\n");
		return -1;
	}
	if (have_admin_addr && !cfg->admin) {
		fprintf(stderr, "collector: --admin-addr: needs --admin-port\n");
		return -1;
	}
	if (cfg->admin) {
		char err[256];

		if (collector_admin_addr_check(cfg->admin_addr, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "collector: %s\n", err);
			return -1;
		}
	}
	/* A --user that cannot work fails before anything is opened. */
	{
		char err[256];

		if (sandbox_check_user(sb->user, err, sizeof(err)) != 0) {
			fprintf(stderr, "collector: %s\n", err);
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct collector_config cfg;
	struct main_sandbox sb;
	struct collector *c = NULL;
	char err[512];
	sigset_t set;
	int sig = 0, rc;

	if (argc == 3 && strcmp(argv[1], "--check-form") == 0)
		return check_form(argv[2]);
	collector_config_defaults(&cfg);
	memset(&sb, 0, sizeof(sb));
	sb.seccomp = 1;
	cfg.before_serve = main_before_serve;
	cfg.before_serve_arg = &sb;
	rc = parse_flags(argc, argv, &cfg, &sb);
	if (rc == 1) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (rc != 0)
		return 2;
	/*
	 * Block the stop signals before any thread exists, so every thread
	 * inherits the mask and sigwait() below is the only receiver.
	 */
	if (sigemptyset(&set) != 0 || sigaddset(&set, SIGTERM) != 0 ||
	    sigaddset(&set, SIGINT) != 0 ||
	    pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) {
		fprintf(stderr, "collector: cannot block signals\n");
		return 1;
	}
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "collector: cannot ignore SIGPIPE\n");
		return 1;
	}
	if (collector_start(&cfg, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "collector: %s\n", err);
		return 1;
	}
	if (printf("listening on http%s://%s%s%s:%u/\n",
	    cfg.tls_cert != NULL ? "s" : "",
	    strchr(cfg.bind_addr, ':') != NULL ? "[" : "", cfg.bind_addr,
	    strchr(cfg.bind_addr, ':') != NULL ? "]" : "",
	    collector_port(c)) < 0 ||
	    /* Second line, in the same write: the metrics listener. */
	    (cfg.admin && printf("metrics on http://%s%s%s:%u/metrics\n",
	    strchr(cfg.admin_addr, ':') != NULL ? "[" : "", cfg.admin_addr,
	    strchr(cfg.admin_addr, ':') != NULL ? "]" : "",
	    collector_admin_port(c)) < 0) || fflush(stdout) != 0) {
		collector_stop(c);
		return 1;
	}
	fprintf(stderr, "collector: started (%zu form%s, %s)\n", cfg.nforms,
	    cfg.nforms == 1 ? "" : "s", sb.seccomp ? "sandboxed" :
	    "no seccomp filter: --no-sandbox");
#ifdef CANDOR_SANDBOX_SELFTEST
	if (sb.selftest != NULL) {
		selftest_run(&sb);
		collector_stop(c);
		return 3;
	}
#endif
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	fprintf(stderr, "collector: stopping (signal %d): draining\n", sig);
	collector_stop(c);
	fprintf(stderr, "collector: stopped cleanly\n");
	return 0;
}
