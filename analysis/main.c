/*
 * The analysis batch CLI. First the umask goes to 077, so that nothing it
 * makes (a database created by import, a file a library opens) is ever
 * readable by others before the command chooses its modes (fmode.h,
 * --group-read). Then GSL's error handler goes off, before anything else
 * runs (a quantity that cannot be computed is reported, never an abort),
 * and the subcommands dispatch into the library (cli.c).
 */
#include <sys/stat.h>

#include <gsl/gsl_errno.h>

#include "analysis.h"

int
main(int argc, char *argv[])
{
	(void)umask(077);
	gsl_set_error_handler_off();
	return analysis_main(argc, argv);
}
