/*
 * The codebook writer (codebook.h). The entries are built once as JSON
 * values (jansson, insertion order kept) and rendered to each format from
 * there, so the three formats always say the same thing. CSV goes through
 * the one CSV writer; Markdown cells escape '|' and line breaks.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis.h"
#include "codebook.h"
#include "csv_out.h"

static const char *const score_kind_names[FORM_SCORE__MAX] = {
	"sum", "mean", "count", "criteria", "bands",
};

int
codebook_format_parse(const char *s)
{
	if (strcmp(s, "csv") == 0)
		return CODEBOOK_CSV;
	if (strcmp(s, "json") == 0)
		return CODEBOOK_JSON;
	if (strcmp(s, "md") == 0)
		return CODEBOOK_MD;
	return -1;
}

static const char *
type_name(enum form_type t)
{
	switch (t) {
	case FORM_T_INT: return "integer";
	case FORM_T_REAL: return "decimal";
	case FORM_T_SET: return "set of codes";
	case FORM_T_TEXT: return "text";
	default: return "?";
	}
}

static char *
compact(json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY) : NULL;
}

/* The raw JSON of the item owning var (grid rows: the grid) and its page. */
static void
raw_item(json_t *root, const char *var, json_t **item, json_t **page)
{
	size_t i, j, k;
	json_t *pg, *it, *row;

	*item = *page = NULL;
	json_array_foreach(json_object_get(root, "pages"), i, pg) {
		json_array_foreach(json_object_get(pg, "items"), j, it) {
			json_t *v = json_object_get(it, "var");
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), var) == 0)
				goto found;
			json_array_foreach(json_object_get(it, "rows"), k, row) {
				v = json_object_get(row, "var");
				if (json_is_string(v) &&
				    strcmp(json_string_value(v), var) == 0)
					goto found;
			}
		}
	}
	return;
found:
	*item = it;
	*page = pg;
}

static json_t *
raw_score(json_t *root, const char *var)
{
	size_t i;
	json_t *sc, *v;

	json_array_foreach(json_object_get(root, "scores"), i, sc) {
		v = json_object_get(sc, "var");
		if (json_is_string(v) && strcmp(json_string_value(v), var) == 0)
			return sc;
	}
	return NULL;
}

/* Set key to a new string (NULL s: JSON null). Returns -1 on failure. */
static int
set_str(json_t *o, const char *key, const char *s)
{
	return json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static int
set_owned(json_t *o, const char *key, char *s)
{
	int rc = set_str(o, key, s);

	free(s);
	return rc;
}

/* The definition of a score in words and the form's own JSON. */
static char *
score_definition(const struct form *f, const struct form_score *sc,
    json_t *raw)
{
	char buf[4096], *j = NULL, *out;
	size_t n = 0;

	buf[0] = '\0';
	switch (sc->kind) {
	case FORM_SCORE_SUM:
	case FORM_SCORE_MEAN:
		n = (size_t)snprintf(buf, sizeof(buf), "%s of",
		    sc->kind == FORM_SCORE_SUM ? "sum" : "mean");
		for (size_t i = 0; i < sc->nitems && n < sizeof(buf); i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s %s",
			    i ? "," : "", f->vars[sc->items[i]].name);
		if (n < sizeof(buf) && sc->min_answered < sc->nitems)
			snprintf(buf + n, sizeof(buf) - n, " (at least %zu "
			    "answered%s)", sc->min_answered,
			    sc->kind == FORM_SCORE_SUM ? "; prorated" : "");
		return strdup(buf);
	case FORM_SCORE_COUNT:
		j = compact(json_object_get(raw, "conditions"));
		snprintf(buf, sizeof(buf), "number of these conditions that "
		    "hold: %s", j ? j : "?");
		break;
	case FORM_SCORE_CRITERIA:
		j = compact(json_object_get(raw, "when"));
		snprintf(buf, sizeof(buf), "1 when %s, else 0", j ? j : "?");
		break;
	case FORM_SCORE_BANDS:
		n = (size_t)snprintf(buf, sizeof(buf), "band of %s at cuts",
		    f->vars[sc->of].name);
		for (size_t i = 0; i < sc->ncuts && n < sizeof(buf); i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s %g",
			    i ? "," : "", sc->cuts[i]);
		return strdup(buf);
	default:
		break;
	}
	free(j);
	out = strdup(buf);
	return out;
}

/* The effective show_if of an item: page and item conditions. */
static char *
show_if(json_t *item, json_t *page)
{
	json_t *a = item ? json_object_get(item, "show_if") : NULL;
	json_t *b = page ? json_object_get(page, "show_if") : NULL;
	json_t *all;
	char *s;

	if (a == NULL && b == NULL)
		return NULL;
	if (a == NULL || b == NULL)
		return compact(a ? a : b);
	if ((all = json_pack("{s:[OO]}", "all", b, a)) == NULL)
		return NULL;
	s = compact(all);
	json_decref(all);
	return s;
}

/*
 * The dated facts about variable iv as one cell: "DATE: TEXT (source:
 * SOURCE)", several joined by " | ", in the order of the form file; NULL
 * when none (or out of memory, which entry() reports as such).
 */
static char *
facts_text(const struct form *f, size_t iv, int *nomem)
{
	char *out = NULL;
	size_t len = 0;

	*nomem = 0;
	for (size_t i = 0; i < f->nfacts; i++) {
		const struct form_fact *ft = &f->facts[i];
		size_t j, n;
		char *p;

		for (j = 0; j < ft->nabout && ft->about[j] != iv; j++)
			;
		if (j == ft->nabout)
			continue;
		/* Bounded: 64 facts of at most 1000 + 300 bytes each. */
		n = strlen(ft->date) + strlen(ft->text) + strlen(ft->source) + 32;
		if ((p = realloc(out, len + n)) == NULL) {
			free(out);
			*nomem = 1;
			return NULL;
		}
		out = p;
		len += (size_t)snprintf(out + len, n, "%s%s: %s (source: %s)",
		    len ? " | " : "", ft->date, ft->text, ft->source);
	}
	return out;
}

/* The form's facts as the codebook's JSON lists them. */
static json_t *
facts_json(const struct form *f)
{
	json_t *a = json_array(), *o, *about;

	for (size_t i = 0; a != NULL && i < f->nfacts; i++) {
		const struct form_fact *ft = &f->facts[i];
		if ((about = json_array()) == NULL ||
		    (o = json_pack("{s:s,s:o,s:s,s:s}", "date", ft->date,
		    "about", about, "text", ft->text, "source",
		    ft->source)) == NULL || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
		for (size_t j = 0; j < ft->nabout; j++)
			if (json_array_append_new(about, json_string(
			    f->vars[ft->about[j]].name)) != 0) {
				json_decref(a);
				return NULL;
			}
	}
	return a;
}

static json_t *
entry(const struct form *f, size_t iv, json_t *root)
{
	const struct form_var *v = &f->vars[iv];
	const struct form_item *it = v->item;
	json_t *e = json_object(), *codes, *raw = NULL, *page = NULL;
	char buf[512];
	const char *label;

	if (e == NULL)
		return NULL;
	if (v->row != NULL) {
		snprintf(buf, sizeof(buf), "%s: %s",
		    form_text_get(f, &it->label, 0),
		    form_text_get(f, &v->row->label, 0));
		label = buf;
	} else {
		label = form_text_get(f, v->score ? &v->score->label :
		    &it->label, 0);
	}
	if (set_str(e, "variable", v->name) || set_str(e, "label", label))
		goto fail;
	if (v->score != NULL) {
		snprintf(buf, sizeof(buf), "score: %s",
		    score_kind_names[v->score->kind]);
		if (set_str(e, "kind", buf))
			goto fail;
	} else if (set_str(e, "kind", form_kind_name(it->kind))) {
		goto fail;
	}
	if (set_str(e, "type", type_name(v->type)) ||
	    (codes = json_array()) == NULL ||
	    json_object_set_new(e, "codes", codes) != 0)
		goto fail;
	if (it != NULL) {
		for (size_t i = 0; i < it->nchoices; i++) {
			const struct form_choice *c = &it->choices[i];
			if (json_array_append_new(codes, json_pack(
			    "{s:I,s:s,s:b,s:b}", "value", (json_int_t)c->value,
			    "label", form_text_get(f, &c->label, 0), "missing",
			    c->missing, "exclusive", c->exclusive)) != 0)
				goto fail;
		}
		if (it->kind == FORM_YESNO &&
		    (json_array_append_new(codes, json_pack("{s:i,s:s,s:b,"
		        "s:b}", "value", 1, "label", "yes", "missing", 0,
		        "exclusive", 0)) ||
		    json_array_append_new(codes, json_pack("{s:i,s:s,s:b,s:b}",
		        "value", 0, "label", "no", "missing", 0, "exclusive",
		        0))))
			goto fail;
	} else if (v->score->kind == FORM_SCORE_BANDS) {
		for (size_t i = 0; i <= v->score->ncuts; i++)
			if (json_array_append_new(codes, json_pack(
			    "{s:I,s:s,s:b,s:b}", "value", (json_int_t)i,
			    "label", form_text_get(f, &v->score->band_labels[i],
			    0), "missing", 0, "exclusive", 0)) != 0)
				goto fail;
	}
	buf[0] = '\0';
	if (it != NULL && (it->kind == FORM_INTEGER || it->kind ==
	    FORM_DECIMAL || it->kind == FORM_SCALE))
		snprintf(buf, sizeof(buf), "%g..%g", it->min, it->max);
	else if (v->score != NULL && v->score->has_range)
		snprintf(buf, sizeof(buf), "%g..%g", v->score->range[0],
		    v->score->range[1]);
	if (set_str(e, "range", buf[0] ? buf : NULL))
		goto fail;
	if (it != NULL) {
		raw_item(root, v->name, &raw, &page);
		if (json_object_set_new(e, "required",
		        json_boolean(it->required)) ||
		    set_owned(e, "show_if", show_if(raw, page)) ||
		    set_str(e, "definition", NULL))
			goto fail;
	} else {
		raw = raw_score(root, v->name);
		if (json_object_set_new(e, "required", json_false()) ||
		    set_str(e, "show_if", NULL) ||
		    set_owned(e, "definition", score_definition(f, v->score,
		        raw)))
			goto fail;
	}
	if (json_object_set_new(e, "quasi_identifier",
	        json_boolean(it && it->quasi_identifier)) ||
	    json_object_set_new(e, "free_text", json_boolean(it &&
	        it->free_text)))
		goto fail;
	{
		int nomem;
		char *ft = facts_text(f, iv, &nomem);
		if (nomem || set_owned(e, "facts", ft))
			goto fail;
	}
	return e;
fail:
	json_decref(e);
	return NULL;
}

/* "1=Female; 2=Male; 99=Prefer not to say" and "99". */
static void
codes_text(json_t *codes, char *out, size_t outsz, char *miss, size_t msz)
{
	size_t i, n = 0, m = 0;
	json_t *c;

	out[0] = miss[0] = '\0';
	json_array_foreach(codes, i, c) {
		long long v = json_integer_value(json_object_get(c, "value"));
		if (n < outsz)
			n += (size_t)snprintf(out + n, outsz - n, "%s%lld=%s",
			    i ? "; " : "", v, json_string_value(
			    json_object_get(c, "label")));
		if (json_is_true(json_object_get(c, "missing")) && m < msz)
			m += (size_t)snprintf(miss + m, msz - m, "%s%lld",
			    m ? "; " : "", v);
	}
}

static const char *const columns[] = {"variable", "label", "kind", "type",
    "codes", "missing_codes", "range", "required", "show_if", "definition",
    "quasi_identifier", "free_text", "facts", NULL};

/* The flat text of column col of entry e into buf. */
static const char *
cell(json_t *e, const char *col, char *buf, size_t bufsz)
{
	static char codes[16384], miss[1024];
	json_t *v;

	if (strcmp(col, "codes") == 0 || strcmp(col, "missing_codes") == 0) {
		codes_text(json_object_get(e, "codes"), codes, sizeof(codes),
		    miss, sizeof(miss));
		return col[0] == 'c' ? codes : miss;
	}
	v = json_object_get(e, col);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	(void)buf;
	(void)bufsz;
	return "";
}

static void
md_cell(FILE *fp, const char *s)
{
	fputs(" ", fp);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', fp);
		else
			fputc(*s, fp);
	}
	fputs(" |", fp);
}

int
codebook_write(const struct form *f, const char *form_path,
    enum codebook_format fmt, FILE *fp, char *err, size_t errsz)
{
	json_t *root = NULL, *doc = NULL, *vars;
	json_error_t jerr;
	char hex[65], buf[64];
	int rc = -1;
	size_t i;
	json_t *e;

	if ((root = json_load_file(form_path, 0, &jerr)) == NULL) {
		snprintf(err, errsz, "%s: %s", form_path, jerr.text);
		goto out;
	}
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", f->sha256[i]);
	if ((vars = json_array()) == NULL ||
	    (doc = json_pack("{s:s,s:s,s:I,s:s,s:o,s:o}", "program",
	        analysis_version(), "form", f->id, "version",
	        (json_int_t)f->version, "form_sha256", hex, "variables",
	        vars, "facts", facts_json(f))) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	for (i = 0; i < f->nvars; i++) {
		json_t *x = entry(f, i, root);
		if (x == NULL || json_array_append_new(vars, x) != 0) {
			snprintf(err, errsz, "out of memory");
			goto out;
		}
	}
	switch (fmt) {
	case CODEBOOK_JSON:
		if (json_dumpf(doc, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) !=
		    0 || fputc('\n', fp) == EOF) {
			snprintf(err, errsz, "write error");
			goto out;
		}
		break;
	case CODEBOOK_CSV: {
		struct csv_out c = {fp, 0, 0};
		for (size_t k = 0; columns[k]; k++)
			csv_field(&c, columns[k]);
		csv_end_row(&c);
		json_array_foreach(vars, i, e) {
			for (size_t k = 0; columns[k]; k++)
				csv_field(&c, cell(e, columns[k], buf,
				    sizeof(buf)));
			csv_end_row(&c);
		}
		if (c.err) {
			snprintf(err, errsz, "write error");
			goto out;
		}
		break;
	}
	case CODEBOOK_MD:
		fprintf(fp, "# Codebook: %s (version %ld)\n\n",
		    form_text_get(f, &f->title, 0), f->version);
		fprintf(fp, "Form `%s`, file SHA-256 `%s`; %s.\n\n", f->id, hex,
		    analysis_version());
		fputs("|", fp);
		for (size_t k = 0; columns[k]; k++)
			md_cell(fp, columns[k]);
		fputs("\n|", fp);
		for (size_t k = 0; columns[k]; k++)
			fputs("---|", fp);
		fputs("\n", fp);
		json_array_foreach(vars, i, e) {
			fputs("|", fp);
			for (size_t k = 0; columns[k]; k++)
				md_cell(fp, cell(e, columns[k], buf,
				    sizeof(buf)));
			fputs("\n", fp);
		}
		break;
	default:
		snprintf(err, errsz, "unknown format");
		goto out;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		snprintf(err, errsz, "write error");
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	json_decref(root);
	return rc;
}
