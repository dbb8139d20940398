/*
 * The analysis batch CLI: GSL's error handler goes off once, before
 * anything else runs (a quantity that cannot be computed is reported, never
 * an abort), and the subcommands dispatch into the library (cli.c).
 */
#include <gsl/gsl_errno.h>

#include "analysis.h"

int
main(int argc, char *argv[])
{
	gsl_set_error_handler_off();
	return analysis_main(argc, argv);
}
