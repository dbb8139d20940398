/*
 * The analysis batch CLI: subcommands dispatch into the library.
 */
#include <stdio.h>

int
main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "usage: analysis report|import|codebook ...\n");
	return 2;
}
