/*
 * The scripts that load a row-level export's data.csv into a statistics
 * package (export_int.h): SPSS/PSPP syntax (data.sps), R (load.R) and
 * Stata (load.do). Each declares the variable labels, the value labels of
 * coded variables and their missing codes ("prefer not to say", and the
 * code of a quasi-identifier suppressed for anonymity), so the data open
 * with the same meaning everywhere. Every label goes through the quoting
 * function of its language; nothing of the data is pasted unquoted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t
u8len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* The prefix of s of at most max bytes that ends on a character boundary. */
static size_t
u8cut(const char *s, size_t max)
{
	size_t n = 0, len = strlen(s);

	while (n < len) {
		size_t l = u8len((unsigned char)s[n]);
		if (n + l > max || n + l > len)
			break;
		n += l;
	}
	return n;
}

/* The prefix of s of at most max characters, in bytes. */
static size_t
u8chars(const char *s, size_t max)
{
	size_t n = 0, len = strlen(s), c = 0;

	while (n < len && c < max) {
		size_t l = u8len((unsigned char)s[n]);
		if (n + l > len)
			break;
		n += l;
		c++;
	}
	return n;
}

/* ---- SPSS / PSPP ---- */

/*
 * An SPSS string literal of at most max bytes: apostrophes doubled,
 * newlines as spaces, split into pieces joined with "+" so that no syntax
 * line grows long.
 */
static void
sps_str(FILE *fp, const char *s, size_t max)
{
	size_t n = u8cut(s, max), piece = 0;

	fputc('\'', fp);
	for (size_t i = 0; i < n; i++) {
		size_t l = u8len((unsigned char)s[i]);
		if (piece >= 60 && l == 1 && s[i] != '\'') {
			fputs("'\n    + '", fp);
			piece = 0;
		}
		if (s[i] == '\'')
			fputs("''", fp);
		else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			fputc(' ', fp);
		else
			fputc(s[i], fp);
		piece++;
	}
	fputc('\'', fp);
}

static const char *const sps_levels[XM__MAX] = {"NOMINAL", "ORDINAL",
    "SCALE"};

int
xpkg_spss(const struct xtable *t, FILE *fp)
{
	fputs("* Candor de-identified export: reads data.csv (UTF-8) from the "
	    "current directory.\n"
	    "* Run it from the export directory, e.g. "
	    "pspp data.sps or CD in SPSS first.\n"
	    "* The code -8 (or the one listed below) marks a value "
	    "suppressed for anonymity.\n\n", fp);
	fputs("GET DATA\n  /TYPE=TXT\n  /FILE='data.csv'\n"
	    "  /ENCODING='UTF-8'\n  /ARRANGEMENT=DELIMITED\n"
	    "  /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\",\"\n"
	    "  /QUALIFIER='\"'\n  /VARIABLES=\n", fp);
	for (size_t j = 0; j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		/* Codes fit F8.0; counts, integer items and row numbers not. */
		fprintf(fp, "    %s %s\n", v->name, v->kind == XC_REAL ?
		    "F40.16" : v->nvals > 0 ? "F8.0" : "F12.0");
	}
	fputs(".\n", fp);
	for (size_t j = 0; j < t->nvars; j++)
		if (t->vars[j].kind == XC_REAL)
			fprintf(fp, "FORMATS %s (F12.4).\n", t->vars[j].name);
	fputs("\nVARIABLE LABELS\n", fp);
	for (size_t j = 0; j < t->nvars; j++) {
		fprintf(fp, "  %s%s ", j ? "/" : "", t->vars[j].name);
		sps_str(fp, t->vars[j].label, XSPSS_VAR_LABEL_MAX);
		fputc('\n', fp);
	}
	fputs(".\n", fp);
	int any = 0;
	for (size_t j = 0; j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		if (v->nvals == 0)
			continue;
		fputs(any++ ? "  /" : "\nVALUE LABELS\n  ", fp);
		fprintf(fp, "%s\n", v->name);
		for (size_t i = 0; i < v->nvals; i++) {
			fprintf(fp, "    %ld ", v->vals[i].code);
			sps_str(fp, v->vals[i].label, XSPSS_VAL_LABEL_MAX);
			fputc('\n', fp);
		}
	}
	if (any)
		fputs(".\n", fp);
	for (size_t j = 0; j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		if (v->nmiss == 0)
			continue;
		fprintf(fp, "MISSING VALUES %s (", v->name);
		/* SPSS takes at most three discrete missing values. */
		for (size_t i = 0; i < v->nmiss && i < 3; i++)
			fprintf(fp, "%s%ld", i ? ", " : "", v->miss[i]);
		fputs(").\n", fp);
	}
	fputs("\nVARIABLE LEVEL\n", fp);
	for (size_t j = 0; j < t->nvars; j++)
		fprintf(fp, "  %s%s (%s)\n", j ? "/" : "", t->vars[j].name,
		    t->vars[j].kind == XC_ROW ? "NOMINAL" :
		    sps_levels[t->vars[j].measure]);
	fputs(".\nEXECUTE.\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* ---- R ---- */

/* Decode one UTF-8 character at s (n bytes); U+FFFD when malformed. */
static unsigned long
u8dec(const unsigned char *s, size_t n)
{
	unsigned long c;

	if (n == 1)
		return s[0] < 0x80 ? s[0] : 0xfffd;
	c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = (c << 6) | (s[i] & 0x3f);
	}
	return c;
}

/* An R string literal: ASCII only (\u escapes), so any locale reads it. */
static void
r_str(FILE *fp, const char *s)
{
	size_t len = strlen(s);

	fputc('"', fp);
	for (size_t i = 0; i < len;) {
		unsigned char ch = (unsigned char)s[i];
		size_t l = u8len(ch);
		if (i + l > len)
			l = 1;
		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", fp);
		else if (ch < 0x20 || ch == 0x7f)
			fputc(' ', fp);
		else if (ch < 0x80)
			fputc(ch, fp);
		else {
			unsigned long c = u8dec((const unsigned char *)s + i, l);
			if (c <= 0xffff)
				fprintf(fp, "\\u%04lx", c);
			else
				fprintf(fp, "\\U%08lx", c);
		}
		i += l;
	}
	fputc('"', fp);
}

static int
is_missing(const struct xvar *v, long code)
{
	for (size_t i = 0; i < v->nmiss; i++)
		if (v->miss[i] == code)
			return 1;
	return 0;
}

int
xpkg_r(const struct xtable *t, FILE *fp)
{
	fputs("# Candor de-identified export. Load it with\n"
	    "#   source(\"load.R\", chdir = TRUE)\n"
	    "# which leaves the data frame `candor`. Coded variables are "
	    "factors; the\n"
	    "# missing codes (\"prefer not to say\", suppressed for "
	    "anonymity) are NA;\n"
	    "# attr(x, \"label\") holds the question.\n\n", fp);
	fputs("candor <- read.csv(\"data.csv\", header = TRUE, na.strings = "
	    "\"\",\n  encoding = \"UTF-8\", check.names = FALSE,\n"
	    "  colClasses = c(\n", fp);
	for (size_t j = 0; j < t->nvars; j++)
		fprintf(fp, "    %s = \"%s\"%s\n", t->vars[j].name,
		    t->vars[j].kind == XC_REAL ? "numeric" : "integer",
		    j + 1 < t->nvars ? "," : "");
	fputs("  ))\n", fp);
	for (size_t j = 0; j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		const char *nm = v->name;
		size_t nl = 0;
		fprintf(fp, "\n");
		if (v->nmiss > 0) {
			fprintf(fp, "candor$%s[candor$%s %%in%% c(", nm, nm);
			for (size_t i = 0; i < v->nmiss; i++)
				fprintf(fp, "%s%ldL", i ? ", " : "", v->miss[i]);
			fputs(")] <- NA\n", fp);
		}
		for (size_t i = 0; i < v->nvals; i++)
			nl += !is_missing(v, v->vals[i].code);
		if (v->factor && nl > 0) {
			size_t k = 0;
			fprintf(fp, "candor$%s <- factor(candor$%s,\n  levels = "
			    "c(", nm, nm);
			for (size_t i = 0; i < v->nvals; i++)
				if (!is_missing(v, v->vals[i].code))
					fprintf(fp, "%s%ldL", k++ ? ", " : "",
					    v->vals[i].code);
			fputs("),\n  labels = c(", fp);
			k = 0;
			for (size_t i = 0; i < v->nvals; i++)
				if (!is_missing(v, v->vals[i].code)) {
					fputs(k++ ? ", " : "", fp);
					r_str(fp, v->vals[i].label);
				}
			fputs("))\n", fp);
		}
		fprintf(fp, "attr(candor$%s, \"label\") <- ", nm);
		r_str(fp, v->label);
		fputc('\n', fp);
	}
	return ferror(fp) ? -1 : 0;
}

/* ---- Stata ---- */

/* A Stata compound-quoted string of at most max characters. */
static void
do_str(FILE *fp, const char *s, size_t max)
{
	size_t n = max > 0 ? u8chars(s, max) : strlen(s);

	fputs("`\"", fp);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '`' || s[i] == '$' || s[i] == '\\')
			fputc('\\', fp); /* no macro expansion */
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			fputc(' ', fp);
		else
			fputc(s[i], fp);
	}
	fputs("\"'", fp);
}

int
xpkg_stata(const struct xtable *t, FILE *fp)
{
	fputs("* Candor de-identified export. Run from the export directory:"
	    " do load.do\n"
	    "* Missing codes become extended missing values (.a, .b, ...) "
	    "with their labels.\n\n", fp);
	fputs("import delimited using \"data.csv\", clear varnames(1) "
	    "delimiters(\",\") encoding(\"utf-8\") case(preserve) "
	    "numericcols(_all)\n", fp);
	for (size_t j = 0; j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		fprintf(fp, "\nlabel variable %s ", v->name);
		do_str(fp, v->label, XSTATA_VAR_LABEL_MAX);
		fputc('\n', fp);
		if (v->nmiss > 0) {
			fprintf(fp, "mvdecode %s, mv(", v->name);
			for (size_t i = 0; i < v->nmiss; i++)
				fprintf(fp, "%s%ld=.%c", i ? " \\ " : "",
				    v->miss[i], (char)('a' + i));
			fputs(")\n", fp);
		}
		if (v->nvals == 0)
			continue;
		fprintf(fp, "label define %s", v->name);
		for (size_t i = 0; i < v->nvals; i++) {
			long code = v->vals[i].code;
			size_t mi;
			for (mi = 0; mi < v->nmiss; mi++)
				if (v->miss[mi] == code)
					break;
			if (mi < v->nmiss)
				fprintf(fp, " ///\n    .%c ", (char)('a' + mi));
			else
				fprintf(fp, " ///\n    %ld ", code);
			do_str(fp, v->vals[i].label, 0);
		}
		fprintf(fp, ", replace\nlabel values %s %s\n", v->name,
		    v->name);
	}
	return ferror(fp) ? -1 : 0;
}
