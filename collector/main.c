/*
 * The collector's entry point: flags only; the service is in the library.
 */
#include <stdio.h>
#include <string.h>

#include "form.h"

static int
check_form(const char *path)
{
	struct diag d;
	struct form *f = NULL;
	int rc;

	diag_init(&d);
	rc = form_load(path, &f, &d);
	if (rc == 0)
		printf("%s: ok (%zu pages, %zu variables)\n", path, f->npages,
		    f->nvars);
	else
		diag_print(&d, stdout);
	form_free(f);
	diag_free(&d);
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "--check-form") == 0)
		return check_form(argv[2]);
	fprintf(stderr, "usage: collector --check-form FILE\n");
	return 2;
}
