/*
 * The test harness (testlib.h).
 */
#define _GNU_SOURCE /* memmem, nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testlib.h"

int test_failures;

void
test_check_near(double a, double b, double rel, const char *expr,
    const char *file, int line)
{
	double scale = fabs(b) > 1e-300 ? fabs(b) : 1.0;

	if (isnan(a) && isnan(b))
		return;
	if (isinf(a) && isinf(b) && (a > 0) == (b > 0))
		return;
	if (!(fabs(a - b) <= rel * scale)) {
		fprintf(stderr, "%s:%d: %s == %.17g, expected %.17g (rel %g)\n",
		    file, line, expr, a, b, rel);
		test_failures++;
	}
}

int
test_done(void)
{
	if (test_failures) {
		fprintf(stderr, "%d check(s) failed\n", test_failures);
		return 1;
	}
	return 0;
}

static const char *
env_path(const char *var, const char *dflt, const char *rel, char *buf,
    size_t len)
{
	const char *root = getenv(var);

	if (root == NULL)
		root = dflt;
	snprintf(buf, len, "%s/%s", root, rel);
	return buf;
}

const char *
test_src_path(const char *rel, char *buf, size_t len)
{
	return env_path("CANDOR_SRC", "..", rel, buf, len);
}

const char *
test_bin_path(const char *name, char *buf, size_t len)
{
	return env_path("CANDOR_BIN", "bin", name, buf, len);
}

int
test_tmpdir(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, len, "%s/candor-test-XXXXXX", t ? t : "/tmp");
	return mkdtemp(buf) ? 0 : -1;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void
test_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
test_give_dir(const char *dir, const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if ((pw = getpwnam(user != NULL ? user : "nobody")) == NULL)
		return -1;
	if (chown(dir, pw->pw_uid, pw->pw_gid) != 0 || chmod(dir, 0700) != 0)
		return -1;
	return 0;
}

char *
test_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap + 65536);
			if (nb == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
		if (r == 0)
			break;
	}
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int
test_write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		return -1;
	if (fwrite(data, 1, len, fp) != len) {
		fclose(fp);
		return -1;
	}
	return fclose(fp) == 0 ? 0 : -1;
}

int
test_file_contains(const char *path, const void *needle, size_t n)
{
	size_t len;
	char *buf = test_read_file(path, &len);
	int found = 0;

	if (buf == NULL)
		return -1;
	if (n > 0 && len >= n)
		found = memmem(buf, len, needle, n) != NULL;
	free(buf);
	return found;
}

/* Append what is readable on fd to *buf. Returns 0 at EOF. */
static int
slurp(int fd, char **buf, size_t *n)
{
	char tmp[4096];
	ssize_t r = read(fd, tmp, sizeof(tmp));

	if (r <= 0)
		return 0;
	char *nb = realloc(*buf, *n + (size_t)r + 1);
	if (nb == NULL)
		return 0;
	memcpy(nb + *n, tmp, (size_t)r);
	*n += (size_t)r;
	nb[*n] = '\0';
	*buf = nb;
	return 1;
}

int
test_run(char *const argv[], char **out, char **err)
{
	int po[2], pe[2], status;
	pid_t pid;
	char *bo = NULL, *be = NULL;
	size_t no = 0, ne = 0;

	if (pipe(po) == -1 || pipe(pe) == -1)
		return -1;
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		close(po[1]);
		close(pe[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	struct pollfd pf[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds > 0) {
		if (poll(pf, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			int more = i == 0 ? slurp(pf[i].fd, &bo, &no)
			                  : slurp(pf[i].fd, &be, &ne);
			if (!more) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
			}
		}
	}
	if (waitpid(pid, &status, 0) == -1)
		status = -1;
	if (bo == NULL)
		bo = strdup("");
	if (be == NULL)
		be = strdup("");
	if (out)
		*out = bo;
	else
		free(bo);
	if (err)
		*err = be;
	else
		free(be);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

long long
test_sql_int(const char *db, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}
