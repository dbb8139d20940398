/*
 * The collector's entry point: flags only; the service is in the library
 * (collector.h). Every flag is validated and an error names the flag and
 * the rule (exit 2). SIGTERM and SIGINT stop the service cleanly: no new
 * connections, every queued write committed and answered, the database
 * closed, exit 0. Once everything is open the service is sandboxed
 * (sandbox.h): a root start switches to --user (default nobody), every
 * thread is confined to the database directory (Landlock, or a chroot
 * when the kernel has none and the start was root; the log says which),
 * and a seccomp allowlist is installed on every thread before the first
 * request (--no-sandbox leaves the allowlist out, for debugging; the file
 * confinement cannot be turned off).
 *
 * Files (fmode.h): the umask is 077 from the first line, so the database
 * and its -wal and -shm are made 0600 (0640 with --group-read). Before
 * anything is opened the database's directory must belong to the user the
 * collector will run as and be writable by no one else, and an existing
 * database file, -wal or -shm with another mode gets 0600 (0640), said on
 * stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector.h"
#include "fmode.h"
#include "form.h"
#include "sandbox.h"
#include "store.h"
#include "versions.h"
#ifdef CANDOR_SANDBOX_SELFTEST
#include "sandbox_selftest.h"
#endif

static const char usage_text[] =
"usage: collector --form FILE [--form FILE ...] --db PATH [options]\n"
"       collector --check-form FILE [--previous OLD]\n"
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
"                          root is still given up and files stay\n"
"                          confined to the database directory)\n"
"  --group-read            the database files 0640 instead of 0600, for\n"
"                          a group that reads them (the directory may\n"
"                          then be 0750)\n"
"  --api-k N               researcher API (docs/api.md): a new summary or\n"
"                          export release only after N changes (responses\n"
"                          added or withdrawn), 5..1000000 (default 10)\n"
"  --no-api                no /api/ routes\n"
"  --behind-proxy          a reverse proxy on this machine is the only\n"
"                          client (docs/operations.md): the per-address\n"
"                          request and connection limits are left to it;\n"
"                          needs a loopback --bind\n"
"  --public-url URL        the site's public address, https://HOST[:PORT]\n"
"                          (http:// only to localhost, 127.0.0.1 or\n"
"                          [::1]; no path, query or fragment): pages\n"
"                          that show a resume or receipt code give it\n"
"                          with the page to go back to (default: the\n"
"                          address the browser used, from its Host\n"
"                          header)\n"
"  --admin-port N          serve GET /metrics and /healthz on a separate\n"
"                          loopback listener on this port, 0..65535; 0\n"
"                          picks a free one (default: none; the survey\n"
"                          port has no /metrics)\n"
"  --admin-addr ADDR       its address: 127.0.0.0/8 or ::1 only, never a\n"
"                          public one (default 127.0.0.1; needs\n"
"                          --admin-port)\n"
"  --check-form FILE       check a form file and print its problems\n"
"                          (exit 0 valid, 1 not)\n"
"  --previous OLD          with --check-form: also check how FILE maps\n"
"                          the variables of OLD, its earlier version\n"
"  --help                  this text\n"
"\n"
"Exit status: 0 after a clean stop (SIGTERM/SIGINT), 1 when the service\n"
"cannot start, 2 for bad flags or a database from a newer Candor.\n";

/* The sandbox settings, run by collector_start() through before_serve. */
struct main_sandbox {
	const char *user;   /* --user, or NULL */
	int seccomp;        /* 0 with --no-sandbox */
	int group_read;     /* --group-read (file modes, not the sandbox) */
	const char *db_path; /* files are confined to its directory */
	struct sandbox_report rep; /* what sandbox_enter() did */
#ifdef CANDOR_SANDBOX_SELFTEST
	struct selftest st;  /* --sandbox-selftest* (sandbox_selftest.h) */
#endif
};

/* The start-up log line on the file confinement. */
static void
main_log_files(const struct sandbox_report *rep)
{
	switch (rep->files) {
	case SANDBOX_FILES_LANDLOCK:
		fprintf(stderr, "collector: file confinement: Landlock ABI %d: "
		    "files only beneath %s\n", rep->abi, rep->dir);
		break;
	case SANDBOX_FILES_CHROOT:
		fprintf(stderr, "collector: file confinement: Landlock not "
		    "available on this kernel; chroot into %s instead\n",
		    rep->dir);
		break;
	default:
		fprintf(stderr, "collector: file confinement: Landlock not "
		    "available on this kernel; files are not confined\n");
		break;
	}
}

static int
main_before_serve(void *arg, char *err, size_t errsz)
{
	struct main_sandbox *sb = arg;
	struct sandbox_config sc;

#ifdef CANDOR_SANDBOX_SELFTEST
	if (selftest_before(&sb->st, &sb->rep, err, errsz) != 0)
		return -1;
#endif
	sc.user = sb->user;
	sc.db_path = sb->db_path;
	sc.seccomp = sb->seccomp;
	if (sandbox_enter(&sc, &sb->rep, err, errsz) != 0)
		return -1;
	main_log_files(&sb->rep);
	return 0;
}

/*
 * The uid the service will run as: --user (default nobody) when started
 * as root, else this process's own. 0, or -1 with err.
 */
static int
main_run_uid(const char *user, uid_t *uid, char *err, size_t errsz)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (geteuid() != 0) {
		*uid = geteuid();
		return 0;
	}
	if (user == NULL)
		user = SANDBOX_DEFAULT_USER;
	if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) != 0 || res == NULL) {
		snprintf(err, errsz, "--user %s: no such user", user);
		return -1;
	}
	*uid = pw.pw_uid;
	return 0;
}

/*
 * Before the database is opened: its directory must be the collector's
 * own (owned by the uid it will run as, no group or other write), or a
 * clean stop cannot delete the -wal, where withdrawn answers may still
 * be, and someone else could swap the files. Then the database file and
 * its -wal and -shm, when they exist, get fmode_file(); SQLite gives a new
 * -wal or -shm the database file's mode. 0, or -1 after a message.
 */
static int
main_check_db(const char *db, const char *user)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char dir[PATH_MAX], real[PATH_MAX], path[PATH_MAX + 8], err[1024];
	mode_t want = fmode_file(), was;
	uid_t uid;
	int rc;

	if (main_run_uid(user, &uid, err, sizeof(err)) != 0 ||
	    fmode_parent_dir(db, dir, sizeof(dir), err, sizeof(err)) != 0 ||
	    fmode_check_owner(dir, uid, err, sizeof(err)) != 0) {
		fprintf(stderr, "collector: --db %s: %s\n", db, err);
		return -1;
	}
	/* SQLite names the -wal and -shm after the resolved path. */
	if (realpath(db, real) == NULL)
		return 0; /* not there yet: SQLite makes it under umask 077 */
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", real, suffix[i]);
		rc = fmode_set(path, want, &was, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "collector: --db %s: %s\n", db, err);
			return -1;
		}
		if (rc == 1)
			fprintf(stderr, "collector: %s: mode %04o changed to "
			    "%04o%s\n", path, (unsigned)was, (unsigned)want,
			    (was & ~want) != 0 ? " (it was readable or "
			    "writable by others)" : " (--group-read)");
	}
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

/*
 * --behind-proxy: every request arrives from the proxy's address, so a
 * per-address limit would count all respondents as one. The proxy keeps
 * those limits (deploy/candor-nginx.conf); the collector then must not be
 * reachable by anyone else, so its address must be a loopback one.
 */
static int
behind_proxy_cfg(struct collector_config *cfg, int have_rate)
{
	if (have_rate) {
		fprintf(stderr, "collector: --behind-proxy: the proxy keeps the "
		    "per-address rate limit; --rate-per-minute and "
		    "--rate-burst cannot be given with it\n");
		return -1;
	}
	if (!collector_addr_is_loopback(cfg->bind_addr)) {
		fprintf(stderr, "collector: --behind-proxy: --bind %s: must be "
		    "a loopback address, 127.0.0.0/8 or ::1 (only the proxy on "
		    "this machine may reach the collector)\n", cfg->bind_addr);
		return -1;
	}
	cfg->rate_per_minute = 0;
	cfg->per_ip_limit = cfg->conn_limit;
	return 0;
}

/*
 * A database from a newer Candor is refused before anything opens it: the
 * schema version (PRAGMA user_version) is read from the file's header with
 * a plain read, so neither the file nor its -wal and -shm are touched, not
 * even by a read-only SQLite connection, which may create them. A missing
 * or unreadable file passes (the real open reports it); so does a newer
 * version that is only in the WAL, which store_open() refuses instead.
 */
static int
main_check_schema(const char *db)
{
	unsigned char h[100];
	unsigned long v;
	ssize_t n;
	int fd;

	if ((fd = open(db, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return 0;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return 0;
	v = (unsigned long)h[60] << 24 | (unsigned long)h[61] << 16 |
	    (unsigned long)h[62] << 8 | h[63];
	if (v <= STORE_SCHEMA_VERSION)
		return 0;
	fprintf(stderr, "collector: --db %s: schema version %lu is newer than "
	    "this collector's %d; it never writes to it: run the newer Candor "
	    "that made it, or restore a backup of schema %d or older\n", db,
	    v, STORE_SCHEMA_VERSION, STORE_SCHEMA_VERSION);
	return -1;
}

/* Turn argv into cfg and sb. Returns 0, 1 for --help, -1 for a bad flag. */
static int
parse_flags(int argc, char *argv[], struct collector_config *cfg,
    struct main_sandbox *sb)
{
	int i;
	int have_port = 0, have_bind = 0, have_db = 0, have_fill = 0;
	int have_admin_addr = 0, behind_proxy = 0, have_rate = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "collector: %s: unexpected argument "
			    "(flags start with --)\n", a);
			return -1;
		}
		if (strcmp(a, "--check-form") == 0 ||
		    strcmp(a, "--previous") == 0) {
			fprintf(stderr, "collector: %s: only as \"collector "
			    "--check-form FILE\" or \"collector --check-form "
			    "FILE --previous OLD\", with no other flag\n", a);
			return -1;
		}
		if (strcmp(a, "--no-sandbox") == 0) {
			sb->seccomp = 0;
			continue;
		}
		if (strcmp(a, "--group-read") == 0) {
			sb->group_read = 1;
			continue;
		}
		if (strcmp(a, "--no-api") == 0) {
			cfg->no_api = 1;
			continue;
		}
		if (strcmp(a, "--behind-proxy") == 0) {
			behind_proxy = 1;
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
			have_rate = 1;
			if (parse_uint(a, v, 0, 100000,
			    &cfg->rate_per_minute) != 0)
				return -1;
		} else if (strcmp(a, "--rate-burst") == 0) {
			have_rate = 1;
			if (parse_uint(a, v, 1, 100000, &cfg->rate_burst) != 0)
				return -1;
		} else if (strcmp(a, "--api-k") == 0) {
			if (parse_uint(a, v, 5, 1000000, &cfg->api_k) != 0)
				return -1;
		} else if (strcmp(a, "--public-url") == 0) {
			char err[512];
			if (cfg->public_url != NULL) {
				fprintf(stderr, "collector: --public-url: given "
				    "twice\n");
				return -1;
			}
			if (collector_public_url_check(v, NULL, 0, err,
			    sizeof(err)) != 0) {
				fprintf(stderr, "collector: %s\n", err);
				return -1;
			}
			cfg->public_url = v;
		} else if (strcmp(a, "--tls-cert") == 0) {
			cfg->tls_cert = v;
		} else if (strcmp(a, "--tls-key") == 0) {
			cfg->tls_key = v;
		} else if (strcmp(a, "--user") == 0) {
			sb->user = v;
#ifdef CANDOR_SANDBOX_SELFTEST
		} else if (strncmp(a, "--sandbox-selftest",
		    strlen("--sandbox-selftest")) == 0) {
			if (selftest_flag(&sb->st, a, v) != 0)
				return -1;
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
	if (behind_proxy && behind_proxy_cfg(cfg, have_rate) != 0)
		return -1;
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

	(void)umask(077); /* before anything is made: see fmode.h */
	if (argc == 3 && strcmp(argv[1], "--check-form") == 0)
		return check_form(argv[2]);
	if (argc == 5 && strcmp(argv[1], "--check-form") == 0 &&
	    strcmp(argv[3], "--previous") == 0)
		return versions_check_previous(argv[2], argv[4], stdout);
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
	sb.db_path = cfg.db_path;
	fmode_init(sb.group_read);
	if (main_check_schema(cfg.db_path) != 0)
		return 2;
	if (main_check_db(cfg.db_path, sb.user) != 0)
		return 1;
	/* Before any thread: a form the database cannot describe is exit 2. */
	rc = versions_check_store(cfg.forms, cfg.nforms, cfg.db_path, stderr);
	if (rc != 0)
		return rc;
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
	if (sb.st.what != NULL) {
		rc = selftest_run(&sb.st);
		collector_stop(c);
		return rc;
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
