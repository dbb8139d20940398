/*
 * The collector over TLS: a throwaway self-signed certificate made at test
 * time (openssl req; exit 77 when there is no openssl binary), an
 * in-process collector with cfg.tls_cert/tls_key, and libcurl verifying
 * the peer against that very certificate (CURLOPT_CAINFO, localhost
 * resolved to 127.0.0.1). Checks: GET / and /healthz answer 200 over
 * HTTPS with Strict-Transport-Security (max-age) and the other security
 * headers; the same request without the certificate as trust anchor fails
 * verification (so the collector really serves that certificate); plain
 * HTTP to the TLS port gets no 200; the binary refuses --tls-cert without
 * --tls-key with exit 2; a missing, a non-PEM certificate and a non-PEM
 * key each give a start error naming the file.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

static char cert_path[512], key_path[512];

static void
tls_hook(struct collector_config *cfg)
{
	cfg->tls_cert = cert_path;
	cfg->tls_key = key_path;
}

/* One GET over HTTPS to https://localhost:PORT<path>. */
static int
https_get(unsigned port, const char *path, const char *cainfo,
    struct cl_resp *out)
{
	CURL *h = curl_easy_init();
	struct curl_slist *res = NULL;
	struct cl_buf b = {NULL, 0}, hd = {NULL, 0};
	char url[512], rs[128];

	memset(out, 0, sizeof(*out));
	if (h == NULL)
		return -1;
	snprintf(url, sizeof(url), "https://localhost:%u%s", port, path);
	snprintf(rs, sizeof(rs), "localhost:%u:127.0.0.1", port);
	res = curl_slist_append(res, rs);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RESOLVE, res);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cainfo != NULL) {
		curl_easy_setopt(h, CURLOPT_CAINFO, cainfo);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cl_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cl_write_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hd);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	out->rc = curl_easy_perform(h);
	if (out->rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(h);
	curl_slist_free_all(res);
	if (b.p == NULL)
		cl_buf_add(&b, "", 0);
	if (hd.p == NULL)
		cl_buf_add(&hd, "", 0);
	out->body = b.p;
	out->len = b.n;
	out->headers = hd.p;
	return out->rc == CURLE_OK ? 0 : -1;
}

static void
check_header(const struct cl_resp *r, const char *name, const char *want)
{
	char *v = cl_header(r, name);

	if (v == NULL || strcmp(v, want) != 0)
		fprintf(stderr, "%s: \"%s\", expected \"%s\"\n", name,
		    v ? v : "(missing)", want);
	CHECK(v != NULL && strcmp(v, want) == 0);
	free(v);
}

static void
check_secure_headers(const char *what, const struct cl_resp *r)
{
	char *v = cl_header(r, "Strict-Transport-Security");
	long age = -1;

	if (v != NULL && strncmp(v, "max-age=", 8) == 0)
		age = strtol(v + 8, NULL, 10);
	if (age <= 0)
		fprintf(stderr, "%s: Strict-Transport-Security is %s\n", what,
		    v ? v : "missing");
	CHECK(age > 0);
	free(v);
	check_header(r, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'self'; script-src 'self'; img-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	check_header(r, "X-Content-Type-Options", "nosniff");
	check_header(r, "Referrer-Policy", "no-referrer");
	check_header(r, "X-Frame-Options", "DENY");
	check_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	check_header(r, "Cache-Control", "no-store");
	v = cl_header(r, "Set-Cookie");
	CHECK(v == NULL);
	free(v);
}

/*
 * collector_start with this certificate and key must fail, and its
 * message must name want_file.
 */
static void
check_start_fails(const char *form, const char *cert, const char *key,
    const char *want_file)
{
	struct collector_config cfg;
	struct collector *c = NULL;
	char dir[256], db[320], log_path[320], err[512] = "";
	FILE *log;

	if (test_tmpdir(dir, sizeof(dir)) != 0) {
		CHECK(!"test_tmpdir");
		return;
	}
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	snprintf(log_path, sizeof(log_path), "%s/collector.log", dir);
	log = fopen(log_path, "w");
	collector_config_defaults(&cfg);
	cfg.forms[0] = form;
	cfg.nforms = 1;
	cfg.db_path = db;
	cfg.port = 0;
	cfg.min_fill_seconds = 0;
	cfg.log = log;
	cfg.tls_cert = cert;
	cfg.tls_key = key;
	if (collector_start(&cfg, &c, err, sizeof(err)) == 0) {
		fprintf(stderr, "collector_start succeeded with cert %s key "
		    "%s\n", cert, key);
		CHECK(!"collector_start should fail");
		collector_stop(c);
	} else {
		if (strstr(err, want_file) == NULL)
			fprintf(stderr, "start error \"%s\" does not name %s\n",
			    err, want_file);
		CHECK(strstr(err, want_file) != NULL);
	}
	if (log != NULL)
		fclose(log);
	test_rmtree(dir);
}

int
main(void)
{
	static const char *const openssl_paths[] = {"/usr/bin/openssl",
		"/bin/openssl", "/usr/local/bin/openssl", NULL};
	const char *openssl = NULL, *form;
	char dir[256], bad_path[512], bin[512], *out = NULL, *err = NULL;
	const curl_version_info_data *cv;
	struct cl_server s;
	struct cl_client c;
	struct cl_resp r;
	size_t i;
	int rc;

	for (i = 0; openssl_paths[i] != NULL; i++)
		if (access(openssl_paths[i], X_OK) == 0) {
			openssl = openssl_paths[i];
			break;
		}
	if (openssl == NULL) {
		fprintf(stderr, "skip: no openssl binary to make a test "
		    "certificate\n");
		return 77;
	}
	cv = curl_version_info(CURLVERSION_NOW);
	if (cv == NULL || !(cv->features & CURL_VERSION_SSL)) {
		fprintf(stderr, "skip: libcurl has no TLS\n");
		return 77;
	}
	CL_REQUIRE(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(cert_path, sizeof(cert_path), "%s/cert.pem", dir);
	snprintf(key_path, sizeof(key_path), "%s/key.pem", dir);
	snprintf(bad_path, sizeof(bad_path), "%s/not-pem.pem", dir);
	{
		char *const argv[] = {(char *)openssl, "req", "-x509",
			"-newkey", "rsa:2048", "-nodes", "-keyout", key_path,
			"-out", cert_path, "-days", "1", "-subj",
			"/CN=localhost", "-addext",
			"subjectAltName=DNS:localhost,IP:127.0.0.1", NULL};
		rc = test_run(argv, &out, &err);
	}
	if (rc != 0)
		fprintf(stderr, "openssl req: exit %d: %s\n", rc,
		    err ? err : "");
	free(out);
	free(err);
	out = err = NULL;
	CL_REQUIRE(rc == 0);

	form = cl_fixture("tests/collector/mini.json", 1);

	/* ---- serving over TLS ---- */
	{
		const char *forms[1] = {form};
		CL_REQUIRE(cl_server_start_cfg(&s, forms, 1, tls_hook) == 0);
	}

	rc = https_get(s.port, "/", cert_path, &r);
	if (rc != 0)
		fprintf(stderr, "https GET /: %s\n",
		    curl_easy_strerror(r.rc));
	CHECK_INT(r.rc, CURLE_OK);
	CHECK_INT(r.status, 200);
	check_secure_headers("/", &r);
	CHECK(cl_contains(r.body, "<!DOCTYPE html>"));
	CHECK(cl_contains(r.body, "/s/mini"));
	cl_resp_free(&r);

	https_get(s.port, "/healthz", cert_path, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, "ok\n");
	check_secure_headers("/healthz", &r);
	cl_resp_free(&r);

	/* The consent page too: a survey page over TLS. */
	https_get(s.port, "/s/mini", cert_path, &r);
	CHECK_INT(r.status, 200);
	check_secure_headers("/s/mini", &r);
	CHECK(cl_contains(r.body, "name=\"consent\""));
	cl_resp_free(&r);

	/*
	 * Without our certificate as the trust anchor verification fails:
	 * the collector really serves the self-signed certificate.
	 */
	/* With the default trust store instead: verification fails. */
	https_get(s.port, "/", NULL, &r);
	CHECK(r.rc != CURLE_OK);
	CHECK(r.status != 200);
	cl_resp_free(&r);

	/* Plain HTTP to the TLS port: no 200. */
	CL_REQUIRE(cl_client_init(&c, s.port) == 0);
	cl_get(&c, "/", &r);
	if (r.status == 200)
		fprintf(stderr, "plain HTTP to the TLS port got 200\n");
	CHECK(r.status != 200);
	cl_resp_free(&r);
	cl_client_free(&c);

	/* The server still answers over TLS after the plain request. */
	https_get(s.port, "/healthz", cert_path, &r);
	CHECK_INT(r.status, 200);
	cl_resp_free(&r);

	cl_server_cleanup(&s);

	/* ---- the binary: --tls-cert without --tls-key ---- */
	test_bin_path("collector", bin, sizeof(bin));
	{
		char db[320];
		snprintf(db, sizeof(db), "%s/flags.db", dir);
		char *const argv[] = {bin, "--form", (char *)form, "--db", db,
			"--port", "0", "--tls-cert", cert_path, NULL};
		rc = test_run(argv, &out, &err);
		CHECK_INT(rc, 2);
		if (err == NULL || strstr(err, "--tls-key") == NULL)
			fprintf(stderr, "stderr: %s\n", err ? err : "(null)");
		CHECK(err != NULL && strstr(err, "--tls-key") != NULL);
		CHECK(out == NULL || strstr(out, "listening") == NULL);
		free(out);
		free(err);
		out = err = NULL;
	}
	{
		char db[320];
		snprintf(db, sizeof(db), "%s/flags2.db", dir);
		char *const argv[] = {bin, "--form", (char *)form, "--db", db,
			"--port", "0", "--tls-key", key_path, NULL};
		rc = test_run(argv, &out, &err);
		CHECK_INT(rc, 2);
		CHECK(err != NULL && strstr(err, "--tls-cert") != NULL);
		free(out);
		free(err);
		out = err = NULL;
	}

	/* ---- bad certificate or key files: an error naming the file ---- */
	CL_REQUIRE(test_write_file(bad_path, "this is not a certificate\n",
	    26) == 0);
	{
		char missing[600];
		snprintf(missing, sizeof(missing), "%s/missing.pem", dir);
		check_start_fails(form, missing, key_path, missing);
	}
	check_start_fails(form, bad_path, key_path, bad_path);
	check_start_fails(form, cert_path, bad_path, bad_path);
	/* The key file given as the certificate (PEM, but not a cert). */
	check_start_fails(form, key_path, key_path, key_path);

	test_rmtree(dir);
	return test_done();
}
