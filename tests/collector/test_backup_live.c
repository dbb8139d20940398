/*
 * backup_live: "analysis backup" of the database of a running collector
 * while clients keep submitting (run under umask 022):
 *  - every copy passes PRAGMA integrity_check, is 0600, is a single file
 *    (no -wal, -shm or -journal beside it, not in WAL mode), leaves no
 *    temporary file, and holds the submissions made before it started
 *    (which were still in the source's WAL);
 *  - every response row of a copy taken during the writes is in the
 *    source afterwards, unchanged (a snapshot, not a torn read);
 *  - a copy taken once the clients stopped, the collector still running,
 *    has exactly the rows of the source, table by table.
 */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "client.h"

#define BEFORE 5      /* submissions before the first backup */
#define LIVE_COPIES 3 /* backups taken during the writes */

struct rows {
	char **a; /* "table|col|col..." per row, sorted */
	size_t n;
};

static atomic_int stop_writing;
static atomic_int written;

static void *
writer_main(void *arg)
{
	unsigned port = *(unsigned *)arg;
	struct cl_client c;

	if (cl_client_init(&c, port) != 0)
		return NULL;
	while (!atomic_load(&stop_writing)) {
		char *code = cl_mini_full(&c);
		if (code != NULL)
			atomic_fetch_add(&written, 1);
		free(code);
	}
	cl_client_free(&c);
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append one row of st, as text, to r. */
static void
add_row(struct rows *r, const char *table, sqlite3_stmt *st)
{
	struct cl_buf b = {NULL, 0};
	int n = sqlite3_column_count(st);

	cl_buf_add(&b, table, strlen(table));
	for (int i = 0; i < n; i++) {
		const unsigned char *v;
		char hex[3];
		int len;
		cl_buf_add(&b, "|", 1);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL:
			cl_buf_add(&b, "NULL", 4);
			break;
		case SQLITE_BLOB:
			v = sqlite3_column_blob(st, i);
			len = sqlite3_column_bytes(st, i);
			for (int k = 0; k < len; k++) {
				snprintf(hex, sizeof(hex), "%02x", v[k]);
				cl_buf_add(&b, hex, 2);
			}
			break;
		default:
			v = sqlite3_column_text(st, i);
			cl_buf_add(&b, (const char *)v, (size_t)
			    sqlite3_column_bytes(st, i));
		}
	}
	r->a = realloc(r->a, (r->n + 1) * sizeof(*r->a));
	if (r->a == NULL)
		abort();
	r->a[r->n++] = b.p;
}

/* Every row of every table of db, sorted; 0 or -1. */
static int
dump(const char *db, struct rows *r)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *tl = NULL, *st = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(h, 5000) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT name FROM sqlite_schema WHERE type "
	    "= 'table' ORDER BY name", -1, &tl, NULL) != SQLITE_OK)
		goto out;
	/* One read transaction, so the tables agree with each other. */
	if (sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(tl) == SQLITE_ROW) {
		char sql[300];
		const char *t = (const char *)sqlite3_column_text(tl, 0);
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", t);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
			goto out;
		while (sqlite3_step(st) == SQLITE_ROW)
			add_row(r, t, st);
		sqlite3_finalize(st);
		st = NULL;
	}
	qsort(r->a, r->n, sizeof(*r->a), cmp_str);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", db, h ? sqlite3_errmsg(h) : "?");
	sqlite3_finalize(st);
	sqlite3_finalize(tl);
	sqlite3_close(h);
	return rc;
}

static void
rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->a[i]);
	free(r->a);
	memset(r, 0, sizeof(*r));
}

/*
 * Is every row of sub in all (both sorted)? only_responses: look at the
 * rows of the response tables alone (a row there never changes; counters
 * elsewhere do, so an older snapshot has older values).
 */
static int
rows_subset(const struct rows *sub, const struct rows *all,
    int only_responses)
{
	size_t j = 0;

	for (size_t i = 0; i < sub->n; i++) {
		if (only_responses && strncmp(sub->a[i], "response", 8) != 0)
			continue;
		while (j < all->n && strcmp(all->a[j], sub->a[i]) < 0)
			j++;
		if (j == all->n || strcmp(all->a[j], sub->a[i]) != 0) {
			fprintf(stderr, "row of the copy not in the source: "
			    "%.200s\n", sub->a[i]);
			return 0;
		}
		j++;
	}
	return 1;
}

/* Responses of the mini form, through store.h (the schema may change). */
static long
count_responses(const char *db)
{
	return cl_count_rows(db, "mini");
}

/* Checks on one finished copy. */
static void
check_copy(const char *dir, const char *copy)
{
	static const char *const suffix[] = {"-wal", "-shm", "-journal"};
	char path[600], res[64] = "";
	struct stat sb;
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	DIR *dp;
	struct dirent *de;

	CHECK(stat(copy, &sb) == 0);
	CHECK_INT(sb.st_mode & 07777, 0600);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", copy, suffix[i]);
		CHECK(access(path, F_OK) != 0);
	}
	CHECK(sqlite3_open_v2(copy, &h, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK);
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		snprintf(res, sizeof(res), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	CHECK_STR(res, "ok");
	st = NULL;
	res[0] = '\0';
	if (sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		snprintf(res, sizeof(res), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	CHECK(strcmp(res, "wal") != 0 && res[0] != '\0');
	sqlite3_close(h);
	/* Opening it read-only must not have made companions either. */
	snprintf(path, sizeof(path), "%s-wal", copy);
	CHECK(access(path, F_OK) != 0);
	CHECK(count_responses(copy) >= BEFORE);
	dp = opendir(dir);
	while (dp != NULL && (de = readdir(dp)) != NULL)
		CHECK(strncmp(de->d_name, ".b", 2) != 0); /* no temporary */
	if (dp != NULL)
		closedir(dp);
}

/* analysis backup --db db --out out; the exit status. */
static int
backup(const char *db, const char *out)
{
	char bin[512], *o = NULL, *e = NULL;
	int rc;

	test_bin_path("analysis", bin, sizeof(bin));
	{
		char *argv[] = {bin, "backup", "--db", (char *)db, "--out",
			(char *)out, NULL};
		rc = test_run(argv, &o, &e);
	}
	if (rc != 0)
		fprintf(stderr, "backup %s: exit %d: %s\n", out, rc, e ? e : "");
	free(o);
	free(e);
	return rc;
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct rows src, cp;
	pthread_t th;
	char copies[LIVE_COPIES + 1][600], bdir[400];
	unsigned port;
	int i;

	signal(SIGPIPE, SIG_IGN);
	umask(022);
	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	for (i = 0; i < BEFORE; i++) {
		char *code = cl_mini_full(&c);
		CHECK(code != NULL);
		free(code);
	}
	cl_client_free(&c);
	snprintf(bdir, sizeof(bdir), "%s/backups", s.dir);
	CL_REQUIRE(mkdir(bdir, 0700) == 0);

	port = s.port;
	CL_REQUIRE(pthread_create(&th, NULL, writer_main, &port) == 0);
	for (i = 0; i < LIVE_COPIES; i++) {
		int before = atomic_load(&written);
		snprintf(copies[i], sizeof(copies[i]), "%s/b%d.db", bdir, i);
		CHECK_INT(backup(s.db, copies[i]), 0);
		/* Writes go on between the copies, and during them. */
		while (atomic_load(&written) < before + 2)
			usleep(10000);
	}
	atomic_store(&stop_writing, 1);
	pthread_join(th, NULL);
	CHECK(atomic_load(&written) >= LIVE_COPIES * 2);

	CL_REQUIRE(dump(s.db, &src) == 0);
	CHECK_INT(count_responses(s.db), BEFORE + atomic_load(&written));
	for (i = 0; i < LIVE_COPIES; i++) {
		check_copy(bdir, copies[i]);
		CHECK(dump(copies[i], &cp) == 0);
		CHECK(rows_subset(&cp, &src, 1));
		rows_free(&cp);
	}

	/* Quiet now, the collector still running: an exact copy. */
	snprintf(copies[LIVE_COPIES], sizeof(copies[0]), "%s/quiet.db", bdir);
	CHECK_INT(backup(s.db, copies[LIVE_COPIES]), 0);
	check_copy(bdir, copies[LIVE_COPIES]);
	CHECK(dump(copies[LIVE_COPIES], &cp) == 0);
	CHECK_INT(cp.n, src.n);
	CHECK(rows_subset(&cp, &src, 0) && rows_subset(&src, &cp, 0));
	CHECK_INT(count_responses(copies[LIVE_COPIES]),
	    BEFORE + atomic_load(&written));
	rows_free(&cp);
	rows_free(&src);

	cl_server_cleanup(&s);
	return test_done();
}
