/*
 * The analysis library: the batch commands behind build/bin/analysis.
 * main.c only turns off GSL's abort-on-error handler and calls
 * analysis_main(); the subcommands (report, import, codebook) live in
 * cli.c on top of dataset.h, plan.h, report.h, import.h and codebook.h.
 */
#ifndef CANDOR_ANALYSIS_H
#define CANDOR_ANALYSIS_H

/* "candor-analysis X.Y.Z", as written into report headers. */
const char *analysis_version(void);

/*
 * Run the command line: "analysis report|import|codebook [flags]".
 * Returns the exit status: 0 success, 1 the inputs are invalid or a file
 * could not be read or written, 2 a usage error (unknown subcommand,
 * unknown or repeated flag, missing or invalid flag value; the message
 * names the flag and the rule).
 */
int analysis_main(int argc, char *argv[]);

#endif
