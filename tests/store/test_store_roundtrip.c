/* A response written is read back byte for byte, through the read API. */
#include "helpers.h"

struct seen {
	int n;
	struct store_response want;
};

static int
check_row(const struct store_row *row, void *arg)
{
	struct seen *s = arg;

	s->n++;
	CHECK(memcmp(row->id, s->want.id, STORE_ID_LEN) == 0);
	CHECK_STR(row->form_id, "mini");
	CHECK_INT(row->form_version, 1);
	CHECK_STR(row->consent_version, "2026-11-01");
	CHECK_STR(row->period, "2026-11-25");
	CHECK_STR(row->answers, "{\"pain\":4}");
	CHECK_STR(row->scores, "{}");
	return 0;
}

int
main(void)
{
	struct tdb t;
	struct seen seen = {0};
	struct store *s;
	long n;

	tdb_init(&t);
	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
	make_response(&seen.want, 1);
	CHECK_INT(store_begin(s), STORE_OK);
	CHECK_INT(store_insert(s, &seen.want), STORE_OK);
	CHECK_INT(store_commit(s), STORE_OK);
	store_close(s);

	s = tdb_open(&t, STORE_RDONLY);
	CHECK_INT(store_foreach(s, "mini", check_row, &seen), STORE_OK);
	CHECK_INT(seen.n, 1);
	CHECK_INT(store_foreach(s, "other", check_row, &seen), STORE_OK);
	CHECK_INT(seen.n, 1);
	CHECK_INT(store_count(s, "mini", &n), STORE_OK);
	CHECK_INT(n, 1);
	/* The read-only connection refuses writes. */
	struct store_response r;
	make_response(&r, 2);
	CHECK(store_insert(s, &r) != STORE_OK);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
