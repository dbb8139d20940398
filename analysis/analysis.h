/*
 * The analysis library: the batch commands behind build/bin/analysis.
 */
#ifndef CANDOR_ANALYSIS_H
#define CANDOR_ANALYSIS_H

/* "candor-analysis X.Y.Z", as written into report headers. */
const char *analysis_version(void);

#endif
