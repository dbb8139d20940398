/*
 * No order at rest. 1,000 responses are submitted one after another over
 * HTTP, every tenth withdrawn soon after, and the collector is stopped
 * cleanly. Then the database file is read as bytes, as a thief of the file
 * would: for every b-tree that holds response ids (the table and each of
 * its indexes) the page number, the cell offset, the (page, offset) pair,
 * the position in the cell array and any overflow page of each row are
 * ranked against the true submission order, and so is the cell offset
 * within each page. Every |Kendall tau| must stay under 0.1 (chance: about
 * 0.02 for this many rows). The response table has no rowid, the file has
 * no free pages, the WAL is empty, and a copy made with `analysis backup`
 * passes the same checks.
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "btree_walk.h"
#include "client.h"
#include "code.h"

#define NSUB 1000
#define TAU_MAX 0.1

static char *codes[NSUB];     /* canonical receipt codes, in order */
static int withdrawn[NSUB];

/* The submission index of every stored id, from the receipt hashes. */
struct idmap {
	unsigned char id[16];
	int order;
};

static struct idmap *idm;
static size_t nidm;

static int
cmp_id(const void *a, const void *b)
{
	return memcmp(((const struct idmap *)a)->id,
	    ((const struct idmap *)b)->id, 16);
}

static int
order_of(const unsigned char id[16])
{
	struct idmap key, *m;

	memcpy(key.id, id, 16);
	m = bsearch(&key, idm, nidm, sizeof(*idm), cmp_id);
	return m != NULL ? m->order : -1;
}

static void
load_ids(const char *db)
{
	sqlite3 *sq;
	sqlite3_stmt *st;
	unsigned char key[STORE_KEY_LEN], h[STORE_HASH_LEN];
	int i;

	nidm = 0;
	free(idm);
	idm = calloc(NSUB, sizeof(*idm));
	CHECK_INT(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(sq, "SELECT value FROM meta WHERE key = "
	    "'secret'", -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	memcpy(key, sqlite3_column_blob(st, 0), sizeof(key));
	sqlite3_finalize(st);
	CHECK_INT(sqlite3_prepare_v2(sq, "SELECT id FROM response WHERE "
	    "receipt_hash = ?1", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < NSUB; i++) {
		if (codes[i] == NULL || withdrawn[i])
			continue;
		store_hash_code(key, codes[i], h);
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_bytes(st, 0) == 16) {
			memcpy(idm[nidm].id, sqlite3_column_blob(st, 0), 16);
			idm[nidm++].order = i;
		}
	}
	sqlite3_finalize(st);
	/* response_bad_rowid: the table is keyed by its id alone. */
	CHECK(sqlite3_prepare_v2(sq, "SELECT rowid FROM response", -1, &st,
	    NULL) != SQLITE_OK);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	qsort(idm, nidm, sizeof(*idm), cmp_id);
}

/* The root pages of the response table and its indexes. */
static size_t
roots(const char *db, uint32_t out[8], char names[8][64])
{
	sqlite3 *sq;
	sqlite3_stmt *st;
	size_t n = 0;

	CHECK_INT(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(sq, "SELECT name, rootpage FROM "
	    "sqlite_schema WHERE tbl_name = 'response' AND rootpage > 0",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && n < 8) {
		snprintf(names[n], 64, "%s", sqlite3_column_text(st, 0));
		out[n++] = (uint32_t)sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return n;
}

static double
tau_of(const char *what, const char *tree, const double *x,
    const double *y, size_t n)
{
	double t = bt_kendall(x, y, n);

	fprintf(stderr, "privacy_order: %s, %s: tau %+.4f (%zu rows)\n", tree,
	    what, t, n);
	if (fabs(t) >= TAU_MAX)
		fprintf(stderr, "privacy_order_bad: %s follows submission order "
		    "in %s\n", what, tree);
	CHECK(fabs(t) < TAU_MAX);
	return t;
}

/* A cell's place and its true order, for grouping by page. */
struct placed {
	uint32_t page, offset;
	int order;
};

static int
cmp_placed(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * Within each page: the cell offsets' rank against the true order, pooled
 * over pages with each page weighted by its number of pairs (SQLite fills
 * a page's content area from the end, so without a rebuild later rows sit
 * at lower offsets).
 */
static void
within_pages(const char *tree, const struct bt_cell *c, const int *ord,
    size_t n)
{
	struct placed *pl = malloc(n * sizeof(*pl));
	double *x = malloc(n * sizeof(*x)), *y = malloc(n * sizeof(*y));
	double num = 0, den = 0;
	size_t i = 0, j, k;

	for (i = 0; i < n; i++) {
		pl[i].page = c[i].page;
		pl[i].offset = c[i].offset;
		pl[i].order = ord[i];
	}
	qsort(pl, n, sizeof(*pl), cmp_placed);
	i = 0;
	while (i < n) {
		for (j = i; j < n && pl[j].page == pl[i].page; j++)
			;
		if (j - i >= 2) {
			for (k = i; k < j; k++) {
				x[k - i] = pl[k].offset;
				y[k - i] = pl[k].order;
			}
			double pairs = (double)(j - i) * (double)(j - i - 1) / 2;
			num += bt_kendall(x, y, j - i) * pairs;
			den += pairs;
		}
		i = j;
	}
	if (den > 0) {
		double t = num / den;
		fprintf(stderr, "privacy_order: %s, cell offset within its page: "
		    "tau %+.4f\n", tree, t);
		if (fabs(t) >= TAU_MAX)
			fprintf(stderr, "privacy_order_bad: offsets within pages "
			    "follow submission order in %s\n", tree);
		CHECK(fabs(t) < TAU_MAX);
	}
	free(pl);
	free(x);
	free(y);
}

static void
check_file(const char *db, const char *label)
{
	unsigned char *img;
	size_t len, i, n;
	struct bt_image im;
	uint32_t rt[8];
	char names[8][64], tree[160];
	size_t nt, t;
	char wal[600];
	struct stat sb;

	fprintf(stderr, "privacy_order: checking %s\n", label);
	load_ids(db);
	CHECK(nidm > 800);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	/* Stopped cleanly: the WAL is gone or empty. */
	CHECK(stat(wal, &sb) != 0 || sb.st_size == 0);
	img = (unsigned char *)test_read_file(db, &len);
	CHECK(img != NULL);
	if (img == NULL)
		return;
	CHECK_INT(bt_init(&im, img, len), 0);
	/* No free pages: nothing left where rows used to be. */
	CHECK_INT(bt_u32(img + 36), 0);
	nt = roots(db, rt, names);
	CHECK(nt >= 3); /* the table, the form index, the receipt index */
	for (t = 0; t < nt; t++) {
		double *x[5], *y;
		int *ord;
		size_t novf = 0;

		snprintf(tree, sizeof(tree), "%s: %s", label, names[t]);
		bt_free(&im);
		bt_walk(&im, rt[t], 0);
		CHECK(!im.bad);
		ord = malloc(im.ncells * sizeof(*ord));
		y = malloc(im.ncells * sizeof(*y));
		for (i = 0; i < 5; i++)
			x[i] = malloc(im.ncells * sizeof(double));
		/* Keep cells of known ids, in file order (page, offset). */
		n = 0;
		for (i = 0; i < im.ncells; i++) {
			int o = order_of(im.cells[i].id);
			if (o < 0)
				continue;
			im.cells[n] = im.cells[i];
			ord[n] = o;
			y[n] = o;
			x[0][n] = im.cells[i].page;
			x[1][n] = im.cells[i].offset;
			x[2][n] = (double)im.cells[i].page * 65536.0 +
			    im.cells[i].offset;
			x[3][n] = im.cells[i].index;
			x[4][n] = im.cells[i].overflow;
			if (im.cells[i].overflow != 0)
				novf++;
			n++;
		}
		/* Every stored row is found in every tree. */
		CHECK_INT(n, nidm);
		tau_of("page number", tree, x[0], y, n);
		tau_of("cell offset", tree, x[1], y, n);
		tau_of("page and offset", tree, x[2], y, n);
		tau_of("cell index", tree, x[3], y, n);
		if (novf > 0)
			tau_of("overflow page", tree, x[4], y, n);
		within_pages(tree, im.cells, ord, n);
		for (i = 0; i < 5; i++)
			free(x[i]);
		free(y);
		free(ord);
	}
	bt_free(&im);
	free(img);
}

int
main(void)
{
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	char canon[CODE_LEN + 1], bin[512], copy[600];
	int i, nsub = 0;

	CL_REQUIRE(cl_server_start(&s, "tests/collector/mini.json") == 0);
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	for (i = 0; i < NSUB; i++) {
		char *code = cl_mini_full(&c);
		if (code == NULL || code_parse(code, strlen(code), canon) != 0) {
			free(code);
			continue;
		}
		free(code);
		codes[i] = strdup(canon);
		nsub++;
		/* Withdraw every tenth, a few submissions later. */
		if (i >= 5 && (i - 5) % 10 == 0 && codes[i - 5] != NULL) {
			const char *kv[] = {"code", codes[i - 5], NULL};
			cl_postv(&c, "/withdraw", &r, kv);
			CHECK_INT(r.status, 200);
			withdrawn[i - 5] = r.status == 200;
			cl_resp_free(&r);
		}
	}
	CHECK_INT(nsub, NSUB);
	cl_client_free(&c);
	cl_server_stop(&s);
	check_file(s.db, "after a clean stop");

	/* The documented backup is as free of order as the file. */
	snprintf(copy, sizeof(copy), "%s/backup.db", s.dir);
	test_bin_path("analysis", bin, sizeof(bin));
	{
		char *argv[] = {bin, "backup", "--db", s.db, "--out", copy, NULL};
		char *out = NULL, *err = NULL;
		int rc = test_run(argv, &out, &err);
		if (rc != 0)
			fprintf(stderr, "analysis backup: exit %d: %s\n", rc,
			    err ? err : "");
		CHECK_INT(rc, 0);
		free(out);
		free(err);
		if (rc == 0)
			check_file(copy, "backup copy");
	}
	for (i = 0; i < NSUB; i++)
		free(codes[i]);
	free(idm);
	cl_server_cleanup(&s);
	return test_done();
}
