/*
 * The program version stamped into every report and export header, so a
 * published figure can be traced to the code that computed it.
 */
#include "analysis.h"

const char *
analysis_version(void)
{
	return "candor-analysis " CANDOR_VERSION;
}
