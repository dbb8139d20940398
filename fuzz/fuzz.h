/*
 * Shared by the fuzz targets: finding fixtures in the source tree (the
 * CANDOR_SRC environment variable, else the directory the target was
 * configured from) and loading a form once. A fixture that does not load
 * is a broken build, not a finding: the target says so and exits.
 */
#ifndef CANDOR_FUZZ_H
#define CANDOR_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "form.h"

#ifndef CANDOR_FUZZ_SRC_DIR
#define CANDOR_FUZZ_SRC_DIR "."
#endif

/* The path of rel (relative to the source tree) in buf. */
static inline const char *
fuzz_src_path(const char *rel, char *buf, size_t len)
{
	const char *root = getenv("CANDOR_SRC");

	if (root == NULL || root[0] == '\0')
		root = CANDOR_FUZZ_SRC_DIR;
	if ((size_t)snprintf(buf, len, "%s/%s", root, rel) >= len) {
		fprintf(stderr, "fuzz: %s/%s: path too long\n", root, rel);
		exit(2);
	}
	return buf;
}

/* Load the form at rel or exit; never returns NULL. */
static inline struct form *
fuzz_load_form(const char *rel)
{
	char path[4096];
	struct form *f = NULL;
	struct diag d;

	diag_init(&d);
	if (form_load(fuzz_src_path(rel, path, sizeof(path)), &f, &d) != 0) {
		fprintf(stderr, "fuzz: %s: form does not load\n", path);
		exit(2);
	}
	diag_free(&d);
	return f;
}

/*
 * Stop on a broken invariant: abort() so libFuzzer records the input and
 * the replay binary fails under CTest.
 */
#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",   \
			    __FILE__, __LINE__, #cond);                    \
			abort();                                           \
		}                                                          \
	} while (0)

#endif
