/*
 * A small test harness: CHECK() records a failure with file and line and
 * goes on, so one run shows every broken expectation; a test's main()
 * returns test_done(). Helpers for fixtures, temporary directories and
 * running the built binaries live here too.
 */
#ifndef CANDOR_TESTLIB_H
#define CANDOR_TESTLIB_H

#include <stddef.h>
#include <stdio.h>

extern int test_failures;

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, \
			    __LINE__, #c);                                    \
			test_failures++;                                      \
		}                                                             \
	} while (0)

#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",  \
			    __FILE__, __LINE__, #a, a_, b_);                   \
			test_failures++;                                       \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {         \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", \
			    __FILE__, __LINE__, #a, a_ ? a_ : "(null)",        \
			    b_ ? b_ : "(null)");                               \
			test_failures++;                                       \
		}                                                              \
	} while (0)

/* |a - b| <= rel * max(|b|, tiny), for values compared with R. */
#define CHECK_NEAR(a, b, rel)                                                 \
	test_check_near((a), (b), (rel), #a, __FILE__, __LINE__)

void test_check_near(double a, double b, double rel, const char *expr,
    const char *file, int line);
int test_done(void);

/* $CANDOR_SRC/rel (the source tree); a static buffer per call site is fine. */
const char *test_src_path(const char *rel, char *buf, size_t len);
/* $CANDOR_BIN/name (built binaries). */
const char *test_bin_path(const char *name, char *buf, size_t len);
/* A new empty directory under $TMPDIR; removed by test_rmtree(). */
int test_tmpdir(char *buf, size_t len);
void test_rmtree(const char *dir);
/*
 * Make dir the database directory of a collector started by this test:
 * started as root, the collector runs as user (NULL: nobody) and refuses a
 * database directory that user does not own (collector/main.c), so when
 * the test runs as root dir is chowned to the user and made 0700. Not
 * root: nothing to do. Returns 0, or -1.
 */
int test_give_dir(const char *dir, const char *user);
/* Read a whole file (NUL-terminated, length in *len); caller frees. */
char *test_read_file(const char *path, size_t *len);
int test_write_file(const char *path, const char *data, size_t len);
/* Does the file contain the byte string needle? -1 if unreadable. */
int test_file_contains(const char *path, const void *needle, size_t n);
/*
 * Run argv (argv[0] a path) with stdout and stderr captured into malloc'd
 * strings (either may be NULL); returns the exit status, or -1.
 */
int test_run(char *const argv[], char **out, char **err);

/* The first column of the first row of sql, read-only on db; -1 on error. */
long long test_sql_int(const char *db, const char *sql);

#endif
