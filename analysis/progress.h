/*
 * A progress bar on stderr for long batches, drawn only when stderr is a
 * terminal (isatty), so logs and tests see nothing.
 */
#ifndef CANDOR_PROGRESS_H
#define CANDOR_PROGRESS_H

#include <stdint.h>

struct progress {
	const char *what; /* "reading", "importing" */
	int tty;
	int last; /* last permille drawn, -1 none */
};

void progress_init(struct progress *p, const char *what);
/* Draw done / total (total 0: unknown, a count is shown); cb-compatible. */
void progress_cb(uint64_t done, uint64_t total, void *p);
/* Erase the bar (if one was drawn). */
void progress_end(struct progress *p);

#endif
