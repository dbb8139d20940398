/*
 * The subcommands of build/bin/analysis. cli.c owns the flag table and the
 * one parser: every flag of every command is declared there, checked the
 * same way, and handed to the command as val[FLAG_...] (NULL when absent;
 * a switch, a flag without a value, is "" when given).
 * A command lives in its own file and only validates what the generic
 * check cannot (for example which --format values it takes), reporting
 * with cli_bad_flag() so the message has the same shape everywhere.
 *
 * A command returns the exit status: 0 success, 1 invalid inputs or an
 * unreadable or unwritable file, CLI_EXIT_USAGE a usage error.
 */
#ifndef CANDOR_COMMANDS_H
#define CANDOR_COMMANDS_H

#include <stdio.h>

#include "form.h"

#define CLI_EXIT_USAGE 2

enum flag {
	FLAG_DB,
	FLAG_FORM,
	FLAG_OUT,
	FLAG_PLAN,
	FLAG_K,
	FLAG_CSV,
	FLAG_FORMAT,
	FLAG_ROLE,         /* token create: summary|export */
	FLAG_LABEL,        /* token create: free text naming the holder */
	FLAG_ID,           /* token revoke: token id; redcap-import: form id */
	FLAG_MAX_SUPPRESS, /* export: percent of rows whose quasi-identifiers
	                      may be suppressed before generalizing further */
	FLAG_FORCE,        /* backup: replace an existing --out (a switch) */
	FLAG_GROUP_READ,   /* writers: files 0640 and directories 0750 instead
	                      of 0600 and 0700 (a switch, fmode.h) */
	FLAG_NO_LEDGER,    /* report, export: a private run, outside the
	                    * release ledger, marked "not for publication" */
	FLAG_NA,           /* import: missing-value tokens, comma-separated */
	FLAG_WEIGHT,       /* import: the frequency-weight column */
	FLAG_BACKUP,       /* restore: the backup file to put in place */
	FLAG__MAX
};

/*
 * Print "analysis CMD: FLAG: RULE (got "VALUE")" and return CLI_EXIT_USAGE;
 * for a value the generic check passed but the command refuses.
 */
int cli_bad_flag(const char *cmd, enum flag f, const char *rule,
    const char *value);
/* The flag's spelling ("--format"). */
const char *cli_flag_name(enum flag f);
/* Load a form file, printing every problem to stderr; NULL on failure. */
struct form *cli_load_form(const char *path);
/*
 * Open db and load the rows of form f for a release of command cmd: *ro
 * read-only and, with ledger set, *rw read-write and *led the release
 * ledger, read in the same snapshot as the rows (ledger.h). Prints the
 * problem and returns -1 on failure; the caller closes and frees what is
 * set either way.
 */
struct dataset;
struct ledger;
struct store;
int cli_load_release(const char *cmd, const char *db, const struct form *f,
    int ledger, struct store **ro, struct store **rw, struct dataset **d,
    struct ledger **led);

/* The commands, each in its own file. */
int cmd_report(const char *const *val);      /* cli.c */
int cmd_import(const char *const *val);      /* cli.c */
int cmd_codebook(const char *const *val);    /* cli.c */
int cmd_export(const char *const *val);      /* export_cmd.c */
int cmd_redcap_export(const char *const *val); /* redcap_cmd.c */
int cmd_redcap_import(const char *const *val); /* redcap_cmd.c */
int cmd_token_create(const char *const *val); /* token_cmd.c */
int cmd_token_list(const char *const *val);   /* token_cmd.c */
int cmd_token_revoke(const char *const *val); /* token_cmd.c */
int cmd_audit(const char *const *val);        /* token_cmd.c */
int cmd_backup(const char *const *val);       /* backup_cmd.c */
int cmd_restore(const char *const *val);      /* backup_cmd.c */
int cmd_forms(const char *const *val);        /* forms_cmd.c */

#endif
