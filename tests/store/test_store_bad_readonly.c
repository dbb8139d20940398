/*
 * A database file the process may not write gives a clear error at open,
 * and nothing is changed. Tests run as root in CI, where permission bits
 * do not bind, so the check runs in a child that drops to nobody.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static int
child(const char *path)
{
	struct store *s = NULL;
	char err[512];
	int rc;

	rc = store_open(path, STORE_RDWR, &s, err, sizeof(err));
	if (rc == STORE_OK) {
		struct store_response r;
		make_response(&r, 42);
		rc = store_insert(s, &r);
		store_close(s);
		fprintf(stderr, "insert: %s\n", store_strerror(rc));
		return rc == STORE_READONLY ? 0 : 1;
	}
	fprintf(stderr, "open: %s (%s)\n", err, store_strerror(rc));
	return (rc == STORE_READONLY || rc == STORE_ERR) && strstr(err, path)
	    ? 0 : 1;
}

int
main(void)
{
	struct tdb t;
	struct store *s;
	struct store_response r;
	int status = 0;
	pid_t pid;

	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);
	make_response(&r, 1);
	CHECK_INT(store_insert(s, &r), STORE_OK);
	store_close(s);
	CHECK_INT(chmod(t.path, 0444), 0);
	CHECK_INT(chmod(t.dir, 0555), 0);

	pid = fork();
	if (pid == 0) {
		if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(2);
		_exit(child(t.path));
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	chmod(t.dir, 0755);
	chmod(t.path, 0644);
	s = tdb_open(&t, STORE_RDONLY);
	CHECK_INT(tdb_count(s), 1);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
