/*
 * Version mapping (form_map.h). Parsing reads "from" with the same care
 * as the rest of a form file: every problem is reported with its JSON
 * path. Checking walks both forms' item variables once: each variable of
 * the earlier version must end up somewhere (kept, renamed or dropped),
 * each variable of this version must come from somewhere or be declared
 * new, and every code must land on a code that exists, with the same
 * label unless a recode says the change is meant. A code whose label
 * changed is the case that matters most: read with the new meaning, its
 * rows would be silently wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_map.h"

#define MAP_CODES_WALK 100000 /* integer ranges checked code by code */

/* A problem at "file: path" (the form loader's shape). */
static void
at(struct diag *d, const char *file, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
at(struct diag *d, const char *file, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd_at(d, file, path, fmt, ap);
	va_end(ap);
}

static char *
dupstr(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* A variable name as the form loader allows it: [a-z0-9_], 1..32. */
static int
valid_var(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FORM_VAR_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* A code as written in a recode: an integer in decimal, nothing else. */
static int
parse_code(const char *s, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* A JSON array of variable names into *out, *n. */
static void
parse_names(const char *file, json_t *x, const char *path, char ***out,
    size_t *n, struct diag *d)
{
	char p[DIAG_PATH_MAX];
	size_t i;
	json_t *e;

	if (x == NULL)
		return;
	if (!json_is_array(x)) {
		at(d, file, path, "must be an array of variable names");
		return;
	}
	if ((*out = calloc(json_array_size(x) + 1, sizeof(**out))) == NULL) {
		at(d, file, path, "out of memory");
		return;
	}
	json_array_foreach(x, i, e) {
		diag_path_idx(p, path, i);
		if (!json_is_string(e) || !valid_var(json_string_value(e))) {
			at(d, file, p, "must be a variable name");
			continue;
		}
		for (size_t k = 0; k < *n; k++)
			if (strcmp((*out)[k], json_string_value(e)) == 0)
				at(d, file, p, "\"%s\" listed twice",
				    json_string_value(e));
		if (((*out)[*n] = dupstr(json_string_value(e))) == NULL)
			at(d, file, p, "out of memory");
		else
			(*n)++;
	}
}

static void
parse_renamed(const char *file, json_t *x, const char *path,
    struct form_map *m, struct diag *d)
{
	char p[DIAG_PATH_MAX];
	const char *k;
	json_t *v;

	if (x == NULL)
		return;
	if (!json_is_object(x)) {
		at(d, file, path, "must be an object {\"old\": \"new\"}");
		return;
	}
	if ((m->renamed = calloc(json_object_size(x) + 1,
	    sizeof(*m->renamed))) == NULL) {
		at(d, file, path, "out of memory");
		return;
	}
	json_object_foreach(x, k, v) {
		struct form_map_rename *r = &m->renamed[m->nrenamed];
		diag_path_key(p, path, k);
		if (!valid_var(k) || !json_is_string(v) ||
		    !valid_var(json_string_value(v))) {
			at(d, file, p, "must map a variable name to a "
			    "variable name");
			continue;
		}
		if (strcmp(k, json_string_value(v)) == 0) {
			at(d, file, p, "renamed to itself");
			continue;
		}
		r->from = dupstr(k);
		r->to = dupstr(json_string_value(v));
		m->nrenamed++;
		if (r->from == NULL || r->to == NULL)
			at(d, file, p, "out of memory");
	}
}

static void
parse_recode(const char *file, json_t *x, const char *path,
    struct form_map_recode *r, struct diag *d)
{
	char p[DIAG_PATH_MAX];
	const char *k;
	json_t *v;

	if (!json_is_object(x) || json_object_size(x) == 0) {
		at(d, file, path, "must be a non-empty object {\"old "
		    "code\": new code}");
		return;
	}
	if ((r->codes = calloc(json_object_size(x), sizeof(*r->codes))) ==
	    NULL) {
		at(d, file, path, "out of memory");
		return;
	}
	json_object_foreach(x, k, v) {
		struct form_map_code *c = &r->codes[r->ncodes];
		diag_path_key(p, path, k);
		if (parse_code(k, &c->from) != 0) {
			at(d, file, p, "the old code must be an integer");
			continue;
		}
		if (!json_is_integer(v)) {
			at(d, file, p, "the new code must be an integer");
			continue;
		}
		c->to = (long)json_integer_value(v);
		r->ncodes++;
	}
}

static void
parse_recoded(const char *file, json_t *x, const char *path,
    struct form_map *m, struct diag *d)
{
	char p[DIAG_PATH_MAX];
	const char *k;
	json_t *v;

	if (x == NULL)
		return;
	if (!json_is_object(x)) {
		at(d, file, path, "must be an object {\"var\": {\"old "
		    "code\": new code}}");
		return;
	}
	if ((m->recoded = calloc(json_object_size(x) + 1,
	    sizeof(*m->recoded))) == NULL) {
		at(d, file, path, "out of memory");
		return;
	}
	json_object_foreach(x, k, v) {
		struct form_map_recode *r = &m->recoded[m->nrecoded];
		diag_path_key(p, path, k);
		if (!valid_var(k)) {
			at(d, file, p, "must be a variable name");
			continue;
		}
		if ((r->var = dupstr(k)) == NULL) {
			at(d, file, p, "out of memory");
			continue;
		}
		m->nrecoded++;
		parse_recode(file, v, p, r, d);
	}
}

static void
parse_entry(const char *file, json_t *e, const char *path, long version,
    struct form_map *maps, size_t i, struct diag *d)
{
	static const char *const keys[] = {"version", "renamed", "recoded",
	    "dropped", "new", NULL};
	struct form_map *m = &maps[i];
	char p[DIAG_PATH_MAX];
	const char *k;
	json_t *v;
	size_t j;

	if (!json_is_object(e)) {
		at(d, file, path, "must be an object");
		return;
	}
	json_object_foreach(e, k, v) {
		for (j = 0; keys[j] != NULL; j++)
			if (strcmp(keys[j], k) == 0)
				break;
		if (keys[j] == NULL)
			at(d, file, diag_path_key(p, path, k), "unknown key");
	}
	v = json_object_get(e, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) >= version)
		at(d, file, diag_path_key(p, path, "version"), "must be an "
		    "earlier version (an integer 1..%ld)", version - 1);
	else
		m->version = (long)json_integer_value(v);
	for (j = 0; m->version > 0 && j < i; j++)
		if (maps[j].version == m->version)
			at(d, file, diag_path_key(p, path, "version"),
			    "version %ld is mapped twice", m->version);
	parse_renamed(file, json_object_get(e, "renamed"),
	    diag_path_key(p, path, "renamed"), m, d);
	parse_recoded(file, json_object_get(e, "recoded"),
	    diag_path_key(p, path, "recoded"), m, d);
	parse_names(file, json_object_get(e, "dropped"),
	    diag_path_key(p, path, "dropped"), &m->dropped, &m->ndropped, d);
	parse_names(file, json_object_get(e, "new"),
	    diag_path_key(p, path, "new"), &m->added, &m->nadded, d);
}

int
form_map_parse(const char *file, json_t *from, long version,
    struct form_map **maps, size_t *n, struct diag *d)
{
	size_t before = d->total, i;
	json_t *e;
	char p[DIAG_PATH_MAX];

	*maps = NULL;
	*n = 0;
	if (from == NULL)
		return 0;
	if (!json_is_array(from)) {
		at(d, file, "from", "must be an array");
		return -1;
	}
	if (json_array_size(from) == 0)
		return 0;
	if ((*maps = calloc(json_array_size(from), sizeof(**maps))) == NULL) {
		at(d, file, "from", "out of memory");
		return -1;
	}
	json_array_foreach(from, i, e) {
		parse_entry(file, e, diag_path_idx(p, "from", i), version,
		    *maps, i, d);
		(*n)++;
	}
	if (d->total != before) {
		form_map_free(*maps, *n);
		*maps = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
form_map_free(struct form_map *maps, size_t n)
{
	if (maps == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		struct form_map *m = &maps[i];
		for (size_t j = 0; j < m->nrenamed; j++) {
			free(m->renamed[j].from);
			free(m->renamed[j].to);
		}
		free(m->renamed);
		for (size_t j = 0; j < m->nrecoded; j++) {
			free(m->recoded[j].var);
			free(m->recoded[j].codes);
		}
		free(m->recoded);
		for (size_t j = 0; j < m->ndropped; j++)
			free(m->dropped[j]);
		free(m->dropped);
		for (size_t j = 0; j < m->nadded; j++)
			free(m->added[j]);
		free(m->added);
	}
	free(maps);
}

/* ---- checking ---- */

struct chk {
	struct diag *d;
	char where[DIAG_PATH_MAX + 64];
	const struct form *to, *from;
	const struct form_map *m;
};

static void
problem(struct chk *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct chk *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_add(c->d, c->where, "%s", buf);
}

static int
listed(char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return 1;
	return 0;
}

/* An answered variable (item or grid row) of f called name, or -1. */
static long
item_var(const struct form *f, const char *name)
{
	long iv = form_var_find(f, name);

	return iv >= 0 && (size_t)iv < f->nitem_vars ? iv : -1;
}

static const char *
rename_of(const struct form_map *m, const char *old)
{
	for (size_t i = 0; i < m->nrenamed; i++)
		if (strcmp(m->renamed[i].from, old) == 0)
			return m->renamed[i].to;
	return NULL;
}

static const struct form_map_recode *
recode_of(const struct form_map *m, const char *old)
{
	for (size_t i = 0; i < m->nrecoded; i++)
		if (strcmp(m->recoded[i].var, old) == 0)
			return &m->recoded[i];
	return NULL;
}

static const struct form_map_code *
code_of(const struct form_map_recode *r, long code)
{
	for (size_t i = 0; r != NULL && i < r->ncodes; i++)
		if (r->codes[i].from == code)
			return &r->codes[i];
	return NULL;
}

static const char *
type_name(enum form_type t)
{
	static const char *const names[FORM_T__MAX] = {"an integer",
	    "a decimal", "a multiple choice", "a free text"};

	return t < FORM_T__MAX ? names[t] : "?";
}

/* Is code a value variable iv of f may hold? */
static int
has_code(const struct form *f, size_t iv, long code)
{
	const struct form_item *it = f->vars[iv].item;

	if (it->nchoices > 0)
		return form_choice_find(it, code) != NULL;
	return code >= it->min && code <= it->max;
}

/* One code of the old variable: where it lands, and whether it may. */
static void
check_code(struct chk *c, size_t io, size_t in, long code,
    const struct form_map_recode *r)
{
	const char *name = c->from->vars[io].name;
	const struct form_item *oi = c->from->vars[io].item;
	const struct form_item *ni = c->to->vars[in].item;
	const struct form_map_code *rc = code_of(r, code);
	const struct form_choice *och, *nch;
	const char *ol, *nl;

	if (rc != NULL) {
		if (!has_code(c->to, in, rc->to))
			problem(c, "%s: recoded %ld to %ld, which is not a code "
			    "of %s in version %ld", name, code, rc->to,
			    c->to->vars[in].name, c->to->version);
		return;
	}
	if (!has_code(c->to, in, code)) {
		problem(c, "%s: code %ld of version %ld is not a code of %s "
		    "in version %ld: recode it", name, code, c->from->version,
		    c->to->vars[in].name, c->to->version);
		return;
	}
	if (oi->nchoices == 0 || ni->nchoices == 0)
		return;
	och = form_choice_find(oi, code);
	nch = form_choice_find(ni, code);
	ol = form_text_get(c->from, &och->label, 0);
	nl = form_text_get(c->to, &nch->label, 0);
	if (strcmp(ol != NULL ? ol : "", nl != NULL ? nl : "") != 0 ||
	    och->missing != nch->missing)
		problem(c, "%s: code %ld is \"%s\" in version %ld and \"%s\" "
		    "in version %ld: recode it (\"%ld\": %ld keeps the code)",
		    name, code, ol != NULL ? ol : "", c->from->version,
		    nl != NULL ? nl : "", c->to->version, code, code);
}

/* Old variable io lands on new variable in: types and every code. */
static void
check_pair(struct chk *c, size_t io, size_t in,
    const struct form_map_recode *r)
{
	const struct form_var *ov = &c->from->vars[io], *nv = &c->to->vars[in];
	const struct form_item *oi = ov->item, *ni = nv->item;

	if (ov->type != nv->type) {
		problem(c, "%s: %s in version %ld but %s in version %ld: drop "
		    "it and add a new variable", ov->name, type_name(ov->type),
		    c->from->version, type_name(nv->type), c->to->version);
		return;
	}
	if (ov->type == FORM_T_REAL) {
		if (oi->min < ni->min || oi->max > ni->max)
			problem(c, "%s: range %g..%g of version %ld does not "
			    "fit %g..%g of version %ld", ov->name, oi->min,
			    oi->max, c->from->version, ni->min, ni->max,
			    c->to->version);
		return;
	}
	if (ov->type != FORM_T_INT && ov->type != FORM_T_SET)
		return;
	for (size_t k = 0; r != NULL && k < r->ncodes; k++)
		if (!has_code(c->from, io, r->codes[k].from))
			problem(c, "%s: recodes %ld, which is not a code of "
			    "version %ld", ov->name, r->codes[k].from,
			    c->from->version);
	if (oi->nchoices > 0) {
		for (size_t k = 0; k < oi->nchoices; k++)
			check_code(c, io, in, oi->choices[k].value, r);
	} else if (oi->max - oi->min <= MAP_CODES_WALK) {
		for (long code = (long)oi->min; code <= (long)oi->max; code++)
			check_code(c, io, in, code, r);
	} else if (oi->min < ni->min || oi->max > ni->max)
		problem(c, "%s: range %g..%g of version %ld does not fit "
		    "%g..%g of version %ld", ov->name, oi->min, oi->max,
		    c->from->version, ni->min, ni->max, c->to->version);
}

/* The names the entry lists: each must exist where the rule says. */
static void
check_names(struct chk *c)
{
	const struct form_map *m = c->m;
	long v0 = c->from->version, v1 = c->to->version;

	for (size_t i = 0; i < m->nrenamed; i++) {
		const struct form_map_rename *r = &m->renamed[i];
		if (item_var(c->from, r->from) < 0)
			problem(c, "%s: renamed, but version %ld has no such "
			    "variable", r->from, v0);
		if (listed(m->dropped, m->ndropped, r->from))
			problem(c, "%s: both renamed and dropped", r->from);
	}
	for (size_t i = 0; i < m->ndropped; i++)
		if (item_var(c->from, m->dropped[i]) < 0)
			problem(c, "%s: dropped, but version %ld has no such "
			    "variable", m->dropped[i], v0);
	for (size_t i = 0; i < m->nrecoded; i++) {
		const char *n = m->recoded[i].var;
		long iv = item_var(c->from, n);
		if (iv < 0)
			problem(c, "%s: recoded, but version %ld has no such "
			    "variable", n, v0);
		else if (c->from->vars[iv].type != FORM_T_INT &&
		    c->from->vars[iv].type != FORM_T_SET)
			problem(c, "%s: recoded, but it has no codes", n);
		else if (listed(m->dropped, m->ndropped, n))
			problem(c, "%s: both recoded and dropped", n);
	}
	for (size_t i = 0; i < m->nadded; i++) {
		const char *n = m->added[i];
		if (item_var(c->to, n) < 0)
			problem(c, "%s: listed as new, but version %ld has no "
			    "such variable", n, v1);
		else if (item_var(c->from, n) >= 0 &&
		    !listed(m->dropped, m->ndropped, n) &&
		    rename_of(m, n) == NULL)
			problem(c, "%s: listed as new, but version %ld has it "
			    "(keep it, or drop the old one)", n, v0);
	}
}

/* Every old variable lands once; every new one comes from somewhere. */
static void
check_vars(struct chk *c, long *src, const struct form_map_recode **rec)
{
	const struct form_map *m = c->m;
	long v0 = c->from->version, v1 = c->to->version;

	for (size_t io = 0; io < c->from->nitem_vars; io++) {
		const char *n = c->from->vars[io].name, *t = rename_of(m, n);
		long in;
		if (listed(m->dropped, m->ndropped, n))
			continue;
		in = item_var(c->to, t != NULL ? t : n);
		if (in < 0) {
			if (t != NULL)
				problem(c, "%s: renamed to %s, which version "
				    "%ld does not have", n, t, v1);
			else
				problem(c, "%s: not in version %ld: rename it "
				    "or drop it", n, v1);
			continue;
		}
		if (listed(m->added, m->nadded, c->to->vars[in].name)) {
			if (t != NULL)
				problem(c, "%s: listed as new, but %s of "
				    "version %ld is renamed to it",
				    c->to->vars[in].name, n, v0);
			continue; /* reported by check_names() */
		}
		if (src[in] >= 0) {
			problem(c, "%s: both %s and %s of version %ld map onto "
			    "it", c->to->vars[in].name,
			    c->from->vars[src[in]].name, n, v0);
			continue;
		}
		src[in] = (long)io;
		rec[in] = recode_of(m, n);
		check_pair(c, io, (size_t)in, rec[in]);
	}
	for (size_t in = 0; in < c->to->nitem_vars; in++)
		if (src[in] < 0 && !listed(m->added, m->nadded,
		    c->to->vars[in].name))
			problem(c, "%s: version %ld has no such variable: list "
			    "it in new, or rename a variable to it",
			    c->to->vars[in].name, v0);
}

int
form_mapper_new(const struct form *to, const char *name,
    const struct form *from, struct form_mapper **out, struct diag *d)
{
	struct form_mapper *mp = NULL;
	size_t before = d->total, ie;
	struct chk c;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.to = to;
	c.from = from;
	snprintf(c.where, sizeof(c.where), "%s: from", name);
	if (strcmp(to->id, from->id) != 0) {
		problem(&c, "version %ld is of form %s, not %s",
		    from->version, from->id, to->id);
		return -1;
	}
	if (from->version >= to->version) {
		problem(&c, "version %ld is not earlier than version %ld",
		    from->version, to->version);
		return -1;
	}
	for (ie = 0; ie < to->nmaps; ie++)
		if (to->maps[ie].version == from->version)
			break;
	if (ie == to->nmaps) {
		problem(&c, "no entry for version %ld: say how its variables "
		    "map onto version %ld", from->version, to->version);
		return -1;
	}
	c.m = &to->maps[ie];
	snprintf(c.where, sizeof(c.where), "%s: from[%zu] (version %ld)",
	    name, ie, from->version);
	if ((mp = calloc(1, sizeof(*mp))) == NULL ||
	    (mp->src = malloc((to->nitem_vars + 1) * sizeof(*mp->src))) ==
	    NULL || (mp->rec = calloc(to->nitem_vars + 1,
	    sizeof(*mp->rec))) == NULL) {
		problem(&c, "out of memory");
		form_mapper_free(mp);
		return -1;
	}
	mp->to = to;
	mp->from = from;
	for (size_t i = 0; i < to->nitem_vars; i++)
		mp->src[i] = -1;
	check_names(&c);
	check_vars(&c, mp->src, mp->rec);
	if (d->total != before) {
		form_mapper_free(mp);
		return -1;
	}
	*out = mp;
	return 0;
}

void
form_mapper_free(struct form_mapper *m)
{
	if (m == NULL)
		return;
	free(m->src);
	free(m->rec);
	free(m);
}

static long
recoded(const struct form_map_recode *r, long code)
{
	const struct form_map_code *c = code_of(r, code);

	return c != NULL ? c->to : code;
}

int
form_mapper_apply(const struct form_mapper *m, const struct form_answers *in,
    struct form_answers *out)
{
	const struct form *to = m->to, *from = m->from;

	for (size_t j = 0; j < to->nitem_vars; j++) {
		const struct form_value *v;
		struct form_value *w = &out->v[j];
		if (m->src[j] < 0 || !(v = &in->v[m->src[j]])->set)
			continue;
		switch (to->vars[j].type) {
		case FORM_T_INT:
			w->i = recoded(m->rec[j], v->i);
			w->r = (double)w->i;
			break;
		case FORM_T_REAL:
			w->i = v->i;
			w->r = v->r;
			break;
		case FORM_T_SET: {
			const struct form_item *oi = from->vars[m->src[j]].item;
			const struct form_item *ni = to->vars[j].item;
			w->mask = 0;
			for (size_t k = 0; k < oi->nchoices && k < 64; k++) {
				const struct form_choice *ch;
				if (!(v->mask >> k & 1))
					continue;
				ch = form_choice_find(ni, recoded(m->rec[j],
				    oi->choices[k].value));
				/* Defensive: the check placed every code. */
				if (ch != NULL)
					w->mask |= (uint64_t)1 <<
					    (size_t)(ch - ni->choices);
			}
			w->i = v->i;
			w->r = v->r;
			break;
		}
		case FORM_T_TEXT:
			if (v->text != NULL &&
			    (w->text = strdup(v->text)) == NULL)
				return -1;
			break;
		default:
			continue;
		}
		w->set = 1;
	}
	return 0;
}
