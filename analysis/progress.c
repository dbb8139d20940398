/*
 * The terminal progress bar (progress.h).
 */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

void
progress_init(struct progress *p, const char *what)
{
	p->what = what;
	p->tty = isatty(STDERR_FILENO) == 1;
	p->last = -1;
}

void
progress_cb(uint64_t done, uint64_t total, void *arg)
{
	struct progress *p = arg;
	char bar[41];
	int permille, fill;

	if (!p->tty)
		return;
	if (total == 0) {
		fprintf(stderr, "\r%s: %llu rows", p->what,
		    (unsigned long long)done);
		p->last = 0;
		return;
	}
	permille = done >= total ? 1000 : (int)(done * 1000 / total);
	if (permille == p->last)
		return;
	p->last = permille;
	fill = permille * 40 / 1000;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%% %llu/%llu", p->what, bar,
	    permille / 10, (unsigned long long)done,
	    (unsigned long long)total);
}

void
progress_end(struct progress *p)
{
	if (p->tty && p->last >= 0)
		fprintf(stderr, "\r\033[K");
	p->last = -1;
}
