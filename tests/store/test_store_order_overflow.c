/*
 * No order at rest, for rows as large as the default survey's (about 2 KB
 * of answers, more than a page's local payload): 600 rows go in one after
 * another through the writer, 60 are withdrawn, and the writer stops (a
 * clean stop compacts). In the raw file neither the page nor the first
 * overflow page of a row, nor its cell offset within its page, may follow
 * the insertion order (|Kendall tau| < 0.1); there are no free pages and
 * the WAL is empty. Without the compaction overflow pages are allocated at
 * the end of the file as rows arrive, in insertion order: this test is
 * what shows store_compact() is needed.
 */
#include <sqlite3.h>
#include <sys/stat.h>

#include "btree_walk.h"
#include "helpers.h"
#include "store_writer.h"

#define NROWS 600

static unsigned char ids[NROWS][STORE_ID_LEN];

static int
order_of(const unsigned char id[16])
{
	for (int i = 0; i < NROWS; i++)
		if (memcmp(ids[i], id, 16) == 0)
			return i;
	return -1;
}

int
main(void)
{
	struct tdb t;
	struct store_writer *w = NULL;
	struct store_job j;
	struct store_response r;
	static char answers[2300];
	unsigned char *img;
	size_t len, i, n = 0, novf = 0;
	struct bt_image im;
	double x[3][NROWS], y[NROWS];
	char wal[700];
	struct stat sb;
	sqlite3 *db;
	sqlite3_stmt *st;
	uint32_t root = 0;

	tdb_init(&t);
	CHECK_INT(store_writer_start(tdb_open(&t, STORE_RDWR), 16, &w),
	    STORE_OK);
	for (i = 0; i < NROWS; i++) {
		size_t k, p = 0;
		p += (size_t)snprintf(answers + p, sizeof(answers) - p,
		    "{\"n\":%zu", i);
		for (k = 0; k < 180; k++)
			p += (size_t)snprintf(answers + p, sizeof(answers) - p,
			    ",\"v%03zu\":%zu", k, (i + k) % 11);
		snprintf(answers + p, sizeof(answers) - p, "}");
		make_response(&r, (unsigned)i + 1);
		r.answers = answers;
		memcpy(ids[i], r.id, STORE_ID_LEN);
		memset(&j, 0, sizeof(j));
		j.kind = STORE_JOB_INSERT;
		j.resp = r;
		CHECK_INT(store_writer_run(w, &j), STORE_OK);
		if (i >= 5 && i % 10 == 5) {
			make_response(&r, (unsigned)i - 4);
			memset(&j, 0, sizeof(j));
			j.kind = STORE_JOB_WITHDRAW;
			memcpy(j.hash, r.receipt_hash, STORE_HASH_LEN);
			CHECK_INT(store_writer_run(w, &j), STORE_OK);
			memset(ids[i - 5], 0, STORE_ID_LEN);
		}
	}
	store_writer_stop(w);

	snprintf(wal, sizeof(wal), "%s-wal", t.path);
	CHECK(stat(wal, &sb) != 0 || sb.st_size == 0);
	CHECK_INT(sqlite3_open_v2(t.path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema "
	    "WHERE name = 'response'", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		root = (uint32_t)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	img = (unsigned char *)test_read_file(t.path, &len);
	CHECK(img != NULL && bt_init(&im, img, len) == 0);
	if (img == NULL)
		return test_done();
	CHECK_INT(bt_u32(img + 36), 0); /* no free pages */
	bt_walk(&im, root, 0);
	CHECK(!im.bad);
	for (i = 0; i < im.ncells; i++) {
		int o = order_of(im.cells[i].id);
		if (o < 0)
			continue;
		y[n] = o;
		x[0][n] = im.cells[i].page;
		x[1][n] = im.cells[i].overflow;
		x[2][n] = (double)im.cells[i].page * 65536 + im.cells[i].offset;
		novf += im.cells[i].overflow != 0;
		n++;
	}
	CHECK_INT(n, NROWS - NROWS / 10);
	CHECK_INT(novf, n); /* every row spills: the case under test */
	for (i = 0; i < 3; i++) {
		double tau = bt_kendall(x[i], y, n);
		static const char *const what[3] = {"page", "overflow page",
			"page and offset"};
		fprintf(stderr, "store_order_overflow: %s: tau %+.4f\n",
		    what[i], tau);
		CHECK(fabs(tau) < 0.1);
	}
	bt_free(&im);
	free(img);
	test_rmtree(t.dir);
	return test_done();
}
