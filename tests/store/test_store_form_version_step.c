/*
 * The form_version step on a real file of the previous schema (built by
 * the released steps): its responses survive, the table appears empty
 * (the step cannot know the bytes of earlier forms), and the rows of the
 * version without a stored form are listed as such. Stored forms
 * round-trip byte for byte with their SHA-256; storing the same bytes
 * again is a no-op; other bytes under the same version are refused and
 * leave the stored ones in place; the table's CHECKs refuse a bad hash.
 */
#include <sqlite3.h>

#include "helpers.h"

struct seen {
	int n;
	long version[4];
	int stored[4];
	long long rows[4];
};

static int
cb(const struct store_form *f, void *arg)
{
	struct seen *s = arg;

	CHECK_STR(f->form_id, "mini");
	if (s->n < 4) {
		s->version[s->n] = f->version;
		s->stored[s->n] = f->stored;
		s->rows[s->n] = f->rows;
		if (f->stored) {
			unsigned char sha[32];
			crypto_hash_sha256(sha, f->body, f->len);
			CHECK(memcmp(sha, f->sha256, 32) == 0);
		} else
			CHECK(f->body == NULL);
	}
	s->n++;
	return 0;
}

int
main(void)
{
	static const char v2[] = "{\"id\": \"mini\", \"version\": 2}\n";
	static const char v2b[] = "{\"id\": \"mini\", \"version\": 2} \n";
	struct tdb t;
	struct store *s = NULL;
	struct store_response r;
	struct seen sn;
	unsigned char sha[32], want[32];
	char err[512];
	void *body = NULL;
	size_t len = 0;
	long n = 0;
	sqlite3 *h;

	tdb_init(&t);
	CHECK_INT(store_open_version(t.path, STORE_RDWR, STORE_SCHEMA_FORMS - 1,
	    &s, err, sizeof(err)), STORE_OK);
	CHECK_INT(store_schema_version(s), STORE_SCHEMA_FORMS - 1);
	for (unsigned i = 1; i <= 3; i++) {
		make_response(&r, i);
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	store_close(s);

	s = tdb_open(&t, STORE_RDWR);
	CHECK_INT(store_schema_version(s), STORE_SCHEMA_VERSION);
	CHECK_INT(store_count(s, "mini", &n), STORE_OK);
	CHECK_INT(n, 3);
	/* Nothing stored: version 1's rows are listed without a form. */
	memset(&sn, 0, sizeof(sn));
	CHECK_INT(store_form_foreach(s, NULL, cb, &sn), STORE_OK);
	CHECK_INT(sn.n, 1);
	CHECK_INT(sn.version[0], 1);
	CHECK_INT(sn.stored[0], 0);
	CHECK_INT(sn.rows[0], 3);
	CHECK_INT(store_form_get(s, "mini", 1, &body, &len, sha),
	    STORE_NOTFOUND);

	/* Stored, stored again, refused with other bytes. */
	CHECK_INT(store_form_put(s, "mini", 2, v2, strlen(v2)), STORE_OK);
	CHECK_INT(store_form_put(s, "mini", 2, v2, strlen(v2)), STORE_OK);
	CHECK_INT(store_form_put(s, "mini", 2, v2b, strlen(v2b)),
	    STORE_EXISTS);
	CHECK_INT(store_form_get(s, "mini", 2, &body, &len, sha), STORE_OK);
	CHECK_INT(len, strlen(v2));
	CHECK(body != NULL && memcmp(body, v2, len) == 0);
	crypto_hash_sha256(want, (const unsigned char *)v2, strlen(v2));
	CHECK(memcmp(sha, want, 32) == 0);
	free(body);
	memset(&sn, 0, sizeof(sn));
	CHECK_INT(store_form_foreach(s, "mini", cb, &sn), STORE_OK);
	CHECK_INT(sn.n, 2);
	CHECK_INT(sn.version[0], 1);
	CHECK_INT(sn.stored[0], 0);
	CHECK_INT(sn.version[1], 2);
	CHECK_INT(sn.stored[1], 1);
	CHECK_INT(sn.rows[1], 0);
	memset(&sn, 0, sizeof(sn));
	CHECK_INT(store_form_foreach(s, "other", cb, &sn), STORE_OK);
	CHECK_INT(sn.n, 0);
	store_close(s);

	/* The table's own rules, for writers that bypass the functions. */
	CHECK_INT(sqlite3_open(t.path, &h), SQLITE_OK);
	CHECK(sqlite3_exec(h, "INSERT INTO form_version VALUES ('mini', 3, "
	    "x'00', x'00')", NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(h, "INSERT INTO form_version VALUES ('mini', 0, "
	    "zeroblob(32), x'00')", NULL, NULL, NULL) != SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "INSERT INTO form_version VALUES ('mini', "
	    "3, zeroblob(32), x'00')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	test_rmtree(t.dir);
	return test_done();
}
