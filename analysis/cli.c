/*
 * The command line of build/bin/analysis (analysis.h). Each subcommand
 * declares its flags in a table (name, whether required, validator, help);
 * the one parser checks every flag against it, so an unknown, repeated,
 * missing or malformed flag is refused the same way everywhere, with the
 * flag and the rule named, and exit status 2. A flag without a value (a
 * switch: --force, --group-read) has no validator. Before a command runs
 * the file modes are chosen (fmode.h): 0600 files and 0700 directories,
 * or 0640 and 0750 for a command given --group-read.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "codebook.h"
#include "commands.h"
#include "dataset.h"
#include "export.h"
#include "fmode.h"
#include "import.h"
#include "ledger.h"
#include "plan.h"
#include "progress.h"
#include "report.h"
#include "sdc.h"
#include "store.h"

#define EXIT_USAGE CLI_EXIT_USAGE

/* A validator returns NULL when the value is fine, else the rule broken. */
typedef const char *(*flag_check)(const char *v);

static const char *
check_path(const char *v)
{
	if (v[0] == '\0')
		return "must be a non-empty path";
	if (strlen(v) > 3000)
		return "must be a path of at most 3000 bytes";
	return NULL;
}

static const char *
check_k(const char *v)
{
	char *end;
	long k;

	errno = 0;
	k = strtol(v, &end, 10);
	if (v[0] == '\0' || *end != '\0' || errno != 0 || k > 1000000)
		return "must be an integer from 5 to 1000000";
	if (sdc_check_k(k) != SDC_OK)
		return "must be at least 5 (smaller thresholds do not protect "
		    "respondents)";
	return NULL;
}

static const char *
check_word(const char *v)
{
	if (v[0] == '\0')
		return "must not be empty";
	for (const char *p = v; *p != '\0'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') &&
		    *p != '-' && *p != '_')
			return "must be a word of a-z, 0-9, '-' and '_'";
	return NULL;
}

static const char *
check_label(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > 200)
		return "must be 1 to 200 bytes";
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "must not contain control characters";
	return NULL;
}

static const char *
check_na(const char *v)
{
	struct import_opts o;
	char buf[IMPORT_MAX_NA * (IMPORT_MAX_NA_LEN + 1) + 1];

	return import_na_parse(v, buf, sizeof(buf), &o);
}

static const char *
check_percent(const char *v)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (v[0] == '\0' || *end != '\0' || errno != 0 || !(x >= 0) ||
	    x > 50)
		return "must be a number from 0 to 50 (percent)";
	return NULL;
}

static const struct {
	const char *name;
	const char *arg;
	flag_check check;
} flags[FLAG__MAX] = {
	[FLAG_DB] = {"--db", "PATH", check_path},
	[FLAG_FORM] = {"--form", "FILE", check_path},
	[FLAG_OUT] = {"--out", "DIR", check_path},
	[FLAG_PLAN] = {"--plan", "PLAN.json", check_path},
	[FLAG_K] = {"--k", "K", check_k},
	[FLAG_CSV] = {"--csv", "FILE", check_path},
	[FLAG_FORMAT] = {"--format", "FORMAT", check_word},
	[FLAG_ROLE] = {"--role", "summary|export", check_word},
	[FLAG_LABEL] = {"--label", "TEXT", check_label},
	[FLAG_ID] = {"--id", "ID", check_word},
	[FLAG_MAX_SUPPRESS] = {"--max-suppress", "PERCENT", check_percent},
	[FLAG_FORCE] = {"--force", NULL, NULL},
	[FLAG_GROUP_READ] = {"--group-read", NULL, NULL},
	[FLAG_NO_LEDGER] = {"--no-ledger", NULL, NULL},
	[FLAG_NA] = {"--na", "TOKENS", check_na},
	[FLAG_WEIGHT] = {"--weight", "COLUMN", check_label},
	[FLAG_BACKUP] = {"--backup", "FILE", check_path},
};

#define HELP_GROUP_READ \
	"  --group-read     files 0640, directories 0750 (default 0600, " \
	"0700)\n"

struct cmd {
	const char *name;
	int (*run)(const char *const *val);
	const char *summary;
	int required[FLAG__MAX]; /* 1 required, 2 optional, 0 refused */
	const char *help;
	const char *out_arg; /* what --out names here; NULL: DIR */
};

/* The placeholder of flag f's value in c's messages ("DIR", "FILE"). */
static const char *
flag_arg(const struct cmd *c, int f)
{
	if (f == FLAG_OUT && c->out_arg != NULL)
		return c->out_arg;
	return flags[f].arg != NULL ? flags[f].arg : ""; /* "": a switch */
}

static const struct cmd cmds[] = {
	{"report", cmd_report, "write report.html, report.json and CSV "
	    "tables", {[FLAG_DB] = 1, [FLAG_FORM] = 1, [FLAG_OUT] = 1,
	    [FLAG_PLAN] = 2, [FLAG_K] = 2, [FLAG_GROUP_READ] = 2,
	    [FLAG_NO_LEDGER] = 2},
	    "  --db PATH        the responses (read-only; the release ledger "
	    "is written)\n"
	    "  --form FILE      the form file of the survey\n"
	    "  --out DIR        where to write (created if missing, with "
	    "every level above)\n"
	    "  --plan PLAN.json the analysis plan (docs/plans.md); default: "
	    "the default plan\n"
	    "  --k K            disclosure threshold, at least 5 (default: "
	    "the plan's, else 10)\n"
	    "  --no-ledger      a private run: no release ledger, marked "
	    "\"not for publication\"\n" HELP_GROUP_READ, NULL},
	{"import", cmd_import, "import responses from a CSV file, all or "
	    "nothing", {[FLAG_DB] = 1, [FLAG_FORM] = 1, [FLAG_CSV] = 1,
	    [FLAG_NA] = 2, [FLAG_WEIGHT] = 2, [FLAG_GROUP_READ] = 2},
	    "  --form FILE      the form file of the survey\n"
	    "  --db PATH        the database (created if missing)\n"
	    "  --csv FILE       header of variable names (and \"period\"); "
	    "';' separates the values\n"
	    "                   of a multiple-choice cell\n"
	    "  --na TOKENS      cells that mean no answer, e.g. NA,.,-99 "
	    "(an empty cell always does)\n"
	    "  --weight COLUMN  a column of frequency weights: each row "
	    "stands for that many\n"
	    "                   respondents (0 to 1000000)\n" HELP_GROUP_READ,
	    NULL},
	{"codebook", cmd_codebook, "print the codebook of a form",
	    {[FLAG_FORM] = 1, [FLAG_FORMAT] = 2, [FLAG_OUT] = 2,
	    [FLAG_GROUP_READ] = 2},
	    "  --form FILE      the form file\n"
	    "  --format FMT     csv, json or md (default md)\n"
	    "  --out FILE       write it to FILE (default: standard output)\n"
	    HELP_GROUP_READ, "FILE"},
	{"export", cmd_export, "write de-identified rows or the published "
	    "tables for R, SPSS, Stata", {[FLAG_DB] = 1, [FLAG_FORM] = 1,
	    [FLAG_FORMAT] = 1, [FLAG_OUT] = 1, [FLAG_K] = 2,
	    [FLAG_MAX_SUPPRESS] = 2, [FLAG_PLAN] = 2, [FLAG_GROUP_READ] = 2,
	    [FLAG_NO_LEDGER] = 2},
	    "  --db PATH        the responses (read-only; the release ledger "
	    "is written)\n"
	    "  --form FILE      the form file of the survey\n"
	    "  --format FMT     csv, json, spss, r, stata (rows) or aggregate "
	    "(tables)\n"
	    "  --out DIR        where to write (created if missing, with "
	    "every level above)\n"
	    "  --k K            k-anonymity threshold, at least 5 (default "
	    "10)\n"
	    "  --max-suppress P percent of rows whose quasi-identifiers may "
	    "be suppressed\n"
	    "                   before a coarser level is used (default 5)\n"
	    "  --plan PLAN.json aggregate: the plan whose tables are "
	    "exported\n"
	    "  --no-ledger      a private run: no release ledger, marked "
	    "\"not for publication\"\n" HELP_GROUP_READ, NULL},
	{"redcap-export", cmd_redcap_export, "write a form as a REDCap data "
	    "dictionary", {[FLAG_FORM] = 1, [FLAG_OUT] = 1,
	    [FLAG_GROUP_READ] = 2},
	    "  --form FILE      the form file\n"
	    "  --out FILE       the data dictionary CSV to write\n"
	    HELP_GROUP_READ, "FILE"},
	{"redcap-import", cmd_redcap_import, "turn a REDCap data dictionary "
	    "into a form file", {[FLAG_CSV] = 1, [FLAG_OUT] = 1,
	    [FLAG_ID] = 1, [FLAG_GROUP_READ] = 2},
	    "  --csv FILE       the REDCap data dictionary (CSV)\n"
	    "  --out FILE       the form file to write\n"
	    "  --id ID          the id of the new form\n" HELP_GROUP_READ,
	    "FILE"},
	{"token create", cmd_token_create, "create an API token (printed "
	    "once)", {[FLAG_DB] = 1, [FLAG_ROLE] = 1, [FLAG_LABEL] = 1},
	    "  --db PATH        the collector's database\n"
	    "  --role ROLE      summary (published tables) or export "
	    "(de-identified rows too)\n"
	    "  --label TEXT     who holds the token (shown in the audit)\n",
	    NULL},
	{"token list", cmd_token_list, "list API tokens (never the "
	    "secrets)", {[FLAG_DB] = 1},
	    "  --db PATH        the collector's database\n", NULL},
	{"token revoke", cmd_token_revoke, "revoke an API token",
	    {[FLAG_DB] = 1, [FLAG_ID] = 1},
	    "  --db PATH        the collector's database\n"
	    "  --id ID          the token id shown by \"token list\"\n", NULL},
	{"audit", cmd_audit, "print the audit trail of API calls",
	    {[FLAG_DB] = 1},
	    "  --db PATH        the collector's database\n", NULL},
	{"backup", cmd_backup, "copy the database consistently, also while "
	    "the collector runs", {[FLAG_DB] = 1, [FLAG_OUT] = 1,
	    [FLAG_FORCE] = 2, [FLAG_GROUP_READ] = 2},
	    "  --db PATH        the collector's database (opened read-only)\n"
	    "  --out FILE       the copy to write (its directory must exist)\n"
	    "  --force          replace FILE if it exists\n"
	    "  --group-read     the copy 0640 (default 0600)\n", "FILE"},
	{"restore", cmd_restore, "put a backup in place as the database, "
	    "the collector stopped", {[FLAG_BACKUP] = 1, [FLAG_DB] = 1,
	    [FLAG_GROUP_READ] = 2},
	    "  --backup FILE    the copy to restore (checked first, never "
	    "written)\n"
	    "  --db PATH        the database to replace (created if missing; "
	    "its directory\n"
	    "                   must exist); refused while a collector has it "
	    "open\n"
	    "  --group-read     the database 0640 (default 0600)\n", NULL},
	{"forms", cmd_forms, "list the form versions a database holds, or "
	    "write them out", {[FLAG_DB] = 1, [FLAG_OUT] = 2,
	    [FLAG_GROUP_READ] = 2},
	    "  --db PATH        the database (opened read-only)\n"
	    "  --out DIR        write each stored version as DIR/ID-vN.json "
	    "(created if missing)\n" HELP_GROUP_READ, NULL},
};

int
cli_bad_flag(const char *cmd, enum flag f, const char *rule,
    const char *value)
{
	fprintf(stderr, "analysis %s: %s: %s (got \"%s\")\n", cmd,
	    flags[f].name, rule, value);
	return EXIT_USAGE;
}

const char *
cli_flag_name(enum flag f)
{
	return flags[f].name;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: analysis COMMAND [flags]   (%s)\n\n",
	    analysis_version());
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-14s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp, "\n\"analysis COMMAND --help\" describes its flags.\n");
}

static void
cmd_usage(const struct cmd *c, FILE *fp)
{
	fprintf(fp, "usage: analysis %s", c->name);
	for (int f = 0; f < FLAG__MAX; f++)
		if (c->required[f] == 1)
			fprintf(fp, " %s %s", flags[f].name, flag_arg(c, f));
	for (int f = 0; f < FLAG__MAX; f++)
		if (c->required[f] == 2 && flags[f].arg != NULL)
			fprintf(fp, " [%s %s]", flags[f].name, flag_arg(c, f));
		else if (c->required[f] == 2)
			fprintf(fp, " [%s]", flags[f].name);
	fprintf(fp, "\n%s:\n%s", c->summary, c->help);
}

/* Parse argv[first..] for c into val[]; 0, or EXIT_USAGE after a message. */
static int
parse_flags(const struct cmd *c, int first, int argc, char *argv[],
    const char **val)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i], *v, *why;
		int f;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cmd_usage(c, stdout);
			return -1;
		}
		for (f = 0; f < FLAG__MAX; f++)
			if (strcmp(a, flags[f].name) == 0)
				break;
		if (f == FLAG__MAX || c->required[f] == 0) {
			fprintf(stderr, "analysis %s: %s: unknown %s (see "
			    "\"analysis %s --help\")\n", c->name, a,
			    a[0] == '-' ? "flag" : "argument", c->name);
			return EXIT_USAGE;
		}
		if (val[f] != NULL) {
			fprintf(stderr, "analysis %s: %s: given twice\n",
			    c->name, a);
			return EXIT_USAGE;
		}
		if (flags[f].arg == NULL) { /* a switch */
			val[f] = "";
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "analysis %s: %s: needs a value (%s)\n",
			    c->name, a, flag_arg(c, f));
			return EXIT_USAGE;
		}
		v = argv[++i];
		if ((why = flags[f].check(v)) != NULL) {
			fprintf(stderr, "analysis %s: %s: %s (got \"%s\")\n",
			    c->name, a, why, v);
			return EXIT_USAGE;
		}
		val[f] = v;
	}
	for (int f = 0; f < FLAG__MAX; f++)
		if (c->required[f] == 1 && val[f] == NULL) {
			fprintf(stderr, "analysis %s: %s %s is required\n",
			    c->name, flags[f].name, flag_arg(c, f));
			return EXIT_USAGE;
		}
	return 0;
}

int
analysis_main(int argc, char *argv[])
{
	const char *val[FLAG__MAX] = {NULL};
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s\n", analysis_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		/* "token create": a command word and a subcommand word. */
		const char *sp = strchr(cmds[i].name, ' ');
		size_t n = sp ? (size_t)(sp - cmds[i].name) : strlen(cmds[i].name);
		int first = 2;
		if (strncmp(argv[1], cmds[i].name, n) != 0 || argv[1][n] != '\0')
			continue;
		if (sp != NULL) {
			if (argc < 3 || strcmp(argv[2], sp + 1) != 0)
				continue;
			first = 3;
		}
		if ((rc = parse_flags(&cmds[i], first, argc, argv, val)) != 0)
			return rc < 0 ? 0 : rc;
		fmode_init(val[FLAG_GROUP_READ] != NULL);
		return cmds[i].run(val);
	}
	fprintf(stderr, "analysis: %s: unknown command\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

/* ---- commands ---- */

struct form *
cli_load_form(const char *path)
{
	struct diag d;
	struct form *f = NULL;

	diag_init(&d);
	if (form_load(path, &f, &d) != 0) {
		diag_print(&d, stderr);
		f = NULL;
	}
	diag_free(&d);
	return f;
}

/*
 * Load the rows of form f for a release. With a ledger (ledger set), the
 * file is also opened read-write before anything is read, which brings an
 * older schema up to the ledger's, and the rows, the form's change counter
 * and the ledger are read in one snapshot of the read-only connection, so
 * they agree; *rw is the connection the release is then recorded with. The
 * read-only open comes first so that a missing file is not created.
 */
int
cli_load_release(const char *cmd, const char *db, const struct form *f,
    int ledger, struct store **ro, struct store **rw, struct dataset **d,
    struct ledger **led)
{
	struct progress pr;
	char err[1024];
	int rc;

	*ro = *rw = NULL;
	*d = NULL;
	*led = NULL;
	if (store_open(db, STORE_RDONLY, ro, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "analysis %s: --db %s: %s\n", cmd, db, err);
		return -1;
	}
	if (ledger && store_open(db, STORE_RDWR, rw, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "analysis %s: --db %s: the release ledger: "
		    "%s\n", cmd, db, err);
		return -1;
	}
	if (store_snapshot_begin(*ro) != STORE_OK) {
		fprintf(stderr, "analysis %s: --db %s: %s\n", cmd, db,
		    store_errmsg(*ro));
		return -1;
	}
	progress_init(&pr, "reading");
	rc = dataset_load(*ro, f, progress_cb, &pr, d, err, sizeof(err));
	progress_end(&pr);
	if (rc != 0) {
		fprintf(stderr, "analysis %s: %s: %s\n", cmd, db, err);
		(void)store_snapshot_end(*ro);
		return -1;
	}
	if (ledger && ledger_read(*ro, f, *d, led, err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis %s: --db %s: %s\n", cmd, db, err);
		(void)store_snapshot_end(*ro);
		return -1;
	}
	(void)store_snapshot_end(*ro);
	return 0;
}

int
cmd_report(const char *const *val)
{
	struct form *f = NULL;
	struct plan *p = NULL;
	struct store *st = NULL, *rw = NULL;
	struct dataset *d = NULL;
	struct rel_report *model = NULL;
	struct ledger *led = NULL;
	struct diag dg;
	char err[1024], *js = NULL;
	long k;
	int rc = 1;

	diag_init(&dg);
	if ((f = cli_load_form(val[FLAG_FORM])) == NULL)
		goto out;
	if (val[FLAG_PLAN] != NULL) {
		if (plan_load(val[FLAG_PLAN], f, &p, &dg) != 0) {
			diag_print(&dg, stderr);
			goto out;
		}
	} else {
		if ((js = plan_default_json(f)) == NULL) {
			fprintf(stderr, "analysis report: out of memory\n");
			goto out;
		}
		if (plan_load_buffer("(default plan)", js, strlen(js), f, &p,
		    &dg) != 0) {
			diag_print(&dg, stderr);
			goto out;
		}
	}
	k = p->k;
	if (val[FLAG_K] != NULL)
		k = strtol(val[FLAG_K], NULL, 10); /* validated by check_k */
	if (fmode_mkdirs(val[FLAG_OUT], fmode_dir(), err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis report: --out %s\n", err);
		goto out;
	}
	if (cli_load_release("report", val[FLAG_DB], f,
	    val[FLAG_NO_LEDGER] == NULL, &st, &rw, &d, &led) != 0)
		goto out;
	/* Releases of any kind are k changes apart, or on the same data. */
	if (led != NULL && ledger_due(led, k, err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis report: %s; nothing was written\n",
		    err);
		goto out;
	}
	if (report_build(f, d, p, k, ledger_gate(led), &model, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "analysis report: %s\n", err);
		goto out;
	}
	model->not_for_publication = led == NULL;
	{
		char today[11];
		form_today(f, today);
		report_data_status(f, today, model->data_status,
		    sizeof(model->data_status));
	}
	if (led != NULL && ledger_record(led, rw, "report", p, NULL, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "analysis report: --db %s: %s\n", val[FLAG_DB],
		    err);
		goto out;
	}
	if (report_write_all(model, val[FLAG_OUT], err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis report: %s\n", err);
		goto out;
	}
	printf("%llu rows analysed (%llu not decoded); wrote %s/report.html\n",
	    (unsigned long long)d->n, (unsigned long long)d->rows_failed,
	    val[FLAG_OUT]);
	if (model->data_status[0] != '\0')
		printf("%s\n", model->data_status);
	if (d->rows_failed > 0)
		fprintf(stderr, "analysis report: %llu rows could not be "
		    "decoded; see the report's provenance\n",
		    (unsigned long long)d->rows_failed);
	/* Rows read with another form than --form are worth a line each. */
	for (size_t i = 0; i < d->nversions; i++)
		if (d->versions[i].kind != FORM_SRC_CURRENT)
			printf("note: %llu rows of version %ld, decoded with %s\n",
			    (unsigned long long)d->versions[i].rows,
			    d->versions[i].version, d->versions[i].kind ==
			    FORM_SRC_MAPPED ? "its stored form and mapped onto "
			    "the form's version" : "the form given (the "
			    "database does not store their version)");
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	rel_report_free(model);
	ledger_free(led);
	dataset_free(d);
	store_close(rw);
	store_close(st);
	plan_free(p);
	form_free(f);
	free(js);
	diag_free(&dg);
	return rc;
}

int
cmd_import(const char *const *val)
{
	struct form *f = NULL;
	struct store *st = NULL;
	struct import_result res;
	struct import_opts opt;
	struct progress pr;
	struct diag dg;
	char err[1024], nabuf[IMPORT_MAX_NA * (IMPORT_MAX_NA_LEN + 1) + 1];
	char *fbuf = NULL;
	int rc = 1;

	diag_init(&dg);
	memset(&opt, 0, sizeof(opt));
	/* Checked by check_na() already; parsed again into opt here. */
	if (val[FLAG_NA] != NULL &&
	    import_na_parse(val[FLAG_NA], nabuf, sizeof(nabuf), &opt) != NULL)
		goto out;
	opt.weight = val[FLAG_WEIGHT];
	/* The bytes loaded are the bytes stored: read the file once. */
	if (form_file_read(val[FLAG_FORM], &fbuf, &opt.form_len, &dg) != 0 ||
	    form_load_buffer(val[FLAG_FORM], fbuf, opt.form_len, &f,
	    &dg) != 0) {
		diag_print(&dg, stderr);
		goto out;
	}
	opt.form_path = val[FLAG_FORM];
	opt.form_buf = fbuf;
	if (store_open(val[FLAG_DB], STORE_RDWR, &st, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "analysis import: --db %s: %s\n", val[FLAG_DB],
		    err);
		goto out;
	}
	progress_init(&pr, "importing");
	if (import_csv_opts(f, st, val[FLAG_CSV], &opt, progress_cb, &pr, &res,
	    &dg) != 0) {
		progress_end(&pr);
		diag_print(&dg, stderr);
		if (res.errors > dg.n)
			fprintf(stderr, "... and %llu more errors\n",
			    (unsigned long long)(res.errors - dg.n));
		if (res.errors > 0)
			fprintf(stderr, "analysis import: %llu errors in %llu "
			    "rows; nothing was stored\n",
			    (unsigned long long)res.errors,
			    (unsigned long long)res.rows);
		else
			fprintf(stderr, "analysis import: nothing was "
			    "stored\n");
		goto out;
	}
	progress_end(&pr);
	if (opt.weight != NULL)
		printf("imported %llu rows as %llu respondents (weights in "
		    "%s; %llu rows of weight 0) into %s\n",
		    (unsigned long long)res.rows,
		    (unsigned long long)res.stored, opt.weight,
		    (unsigned long long)res.zero_weight, val[FLAG_DB]);
	else
		printf("imported %llu rows into %s\n",
		    (unsigned long long)res.stored, val[FLAG_DB]);
	if (res.na_cells > 0)
		printf("note: %llu cells held a missing-value token (--na) "
		    "and count as no answer\n",
		    (unsigned long long)res.na_cells);
	if (res.recoded > 0)
		printf("note: %llu cells gave a code as a decimal or as its "
		    "label; stored as the code\n",
		    (unsigned long long)res.recoded);
	if (res.hidden_cleared > 0)
		printf("note: %llu answers to questions that the row's own "
		    "answers skip (show_if) were dropped, as the web form "
		    "does\n", (unsigned long long)res.hidden_cleared);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	store_close(st);
	form_free(f);
	free(fbuf);
	diag_free(&dg);
	return rc;
}

/*
 * Write buf to path through the export module's atomic writer (a
 * temporary name, synced, renamed; fmode_file()), creating the missing
 * directories above it (fmode_dir()). 0, or 1 after a message.
 */
static int
cli_write_file(const char *cmd, const char *path, const char *buf,
    size_t len)
{
	char err[1024], *dcopy = NULL, *bcopy = NULL, *dir, *base;
	size_t n = strlen(path);
	int rc = 1;

	if (n == 0 || path[n - 1] == '/') {
		fprintf(stderr, "analysis %s: --out %s: must name a file\n",
		    cmd, path);
		return 1;
	}
	if ((dcopy = strdup(path)) == NULL || (bcopy = strdup(path)) == NULL) {
		fprintf(stderr, "analysis %s: out of memory\n", cmd);
		goto out;
	}
	dir = dirname(dcopy);
	base = basename(bcopy);
	if (fmode_mkdirs(dir, fmode_dir(), err, sizeof(err)) != 0 ||
	    export_write_file(dir, base, buf, len, err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis %s: --out %s\n", cmd, err);
		goto out;
	}
	rc = 0;
out:
	free(dcopy);
	free(bcopy);
	return rc;
}

int
cmd_codebook(const char *const *val)
{
	struct form *f;
	char err[1024], *buf = NULL;
	size_t len = 0;
	FILE *fp = stdout;
	int fmt = val[FLAG_FORMAT] ? codebook_format_parse(val[FLAG_FORMAT]) :
	    CODEBOOK_MD;
	int rc = 1;

	if (fmt < 0)
		return cli_bad_flag("codebook", FLAG_FORMAT,
		    "must be csv, json or md", val[FLAG_FORMAT]);

	if ((f = cli_load_form(val[FLAG_FORM])) == NULL)
		return 1;
	/* With --out the codebook is built in memory, then written at once. */
	if (val[FLAG_OUT] != NULL && (fp = open_memstream(&buf, &len)) ==
	    NULL) {
		fprintf(stderr, "analysis codebook: out of memory\n");
		goto out;
	}
	if (codebook_write(f, val[FLAG_FORM], (enum codebook_format)fmt,
	    fp, err, sizeof(err)) != 0) {
		fprintf(stderr, "analysis codebook: %s\n", err);
		if (fp != stdout)
			fclose(fp);
		goto out;
	}
	if (fp == stdout) {
		rc = 0;
		goto out;
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "analysis codebook: out of memory\n");
		goto out;
	}
	rc = cli_write_file("codebook", val[FLAG_OUT], buf, len);
out:
	free(buf);
	form_free(f);
	return rc;
}
