/*
 * The scoring engine: computes every score a form declares (sums, means,
 * counts of conditions, criteria, bands) from the item answers, in the
 * declared order so that a score may use earlier ones. The collector runs
 * it before storing a response and the analysis runs it again on stored
 * answers; one engine, one set of rules (docs/forms.md, "Scores").
 */
#include <math.h>
#include <string.h>

#include "form_internal.h"

/* Round half away from zero, as the prorating rule says. */
static double
round_half_away(double x)
{
	return x < 0 ? -floor(-x + 0.5) : floor(x + 0.5);
}

static void
score_sum_mean(const struct form *f, const struct form_score *sc,
    struct form_answers *a, struct form_value *out)
{
	double sum = 0;
	size_t n = 0;

	for (size_t i = 0; i < sc->nitems; i++) {
		size_t iv = sc->items[i];
		if (!form_value_known(f, iv, &a->v[iv]))
			continue;
		sum += form_value_number(f, iv, &a->v[iv]);
		n++;
	}
	if (n == 0 || n < sc->min_answered)
		return;
	out->set = 1;
	if (sc->kind == FORM_SCORE_MEAN) {
		out->r = sum / (double)n;
		out->i = (long)out->r;
		return;
	}
	if (n < sc->nitems)
		sum = round_half_away(sum * (double)sc->nitems / (double)n);
	out->r = sum;
	out->i = (long)sum;
}

static void
score_one(const struct form *f, const struct form_score *sc,
    struct form_answers *a, struct form_value *out)
{
	enum form_tri r;
	size_t n = 0;

	switch (sc->kind) {
	case FORM_SCORE_SUM:
	case FORM_SCORE_MEAN:
		score_sum_mean(f, sc, a, out);
		break;
	case FORM_SCORE_COUNT:
		for (size_t i = 0; i < sc->nconds; i++) {
			r = form_cond_eval(sc->conds[i], a);
			if (r == FORM_UNKNOWN)
				return;
			n += r == FORM_TRUE;
		}
		out->set = 1;
		out->i = (long)n;
		out->r = (double)n;
		break;
	case FORM_SCORE_CRITERIA:
		r = form_cond_eval(sc->when, a);
		if (r == FORM_UNKNOWN)
			return;
		out->set = 1;
		out->i = r == FORM_TRUE;
		out->r = (double)out->i;
		break;
	case FORM_SCORE_BANDS: {
		const struct form_value *v = &a->v[sc->of];
		double x;
		if (!form_value_known(f, sc->of, v))
			return;
		x = form_value_number(f, sc->of, v);
		while (n < sc->ncuts && x >= sc->cuts[n])
			n++;
		out->set = 1;
		out->i = (long)n;
		out->r = (double)n;
		break;
	}
	default:
		break;
	}
}

void
form_score(const struct form *f, struct form_answers *a)
{
	for (size_t i = 0; i < f->nscores; i++) {
		const struct form_score *sc = &f->scores[i];
		struct form_value *out = &a->v[sc->ivar];
		memset(out, 0, sizeof(*out));
		score_one(f, sc, a, out);
	}
}
