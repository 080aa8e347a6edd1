/*
 * cli.h — what every command shares: the options parsed from argv, exit
 * codes, and the pipeline set-up (config layers -> rules -> scan).
 *
 * A command is `int cmd_x(struct options *o)` returning an exit code; it
 * is listed in main.c's command table. pipeline_open() loads every config
 * layer, builds the rules and the scan; pipeline_close() frees what it
 * made (it is safe on a pipeline that failed to open). The pipeline owns
 * its config, rules and scan; the repository stays the caller's.
 */
#ifndef LEAKGATE_CLI_H
#define LEAKGATE_CLI_H

#include <git2.h>

#include "config.h"
#include "finding.h"
#include "msg.h"
#include "report.h"
#include "rules.h"
#include "scan.h"

enum { EXIT_CLEAN = 0, EXIT_BLOCKED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* The built-in rules (config/rules.ini), embedded by src/embed.S. */
extern const char leakgate_rules_ini[];
extern const char leakgate_rules_ini_end[];

struct options {
	const char *command;
	const char *config_file;
	const char *format;
	enum color_mode color;
	int no_cache;
	int verbosity;
	int staged;
	int check;
	int hook;		/* running as a git hook */
	const char *write_baseline;	/* scan --write-baseline FILE */
	int unused;		/* config --unused */
	const char *commits;	/* scan --commits RANGE */
	int all;		/* scan --all: every ref */
	int no_ignore;		/* scan PATH: ignore .gitignore */
	int jobs;		/* threads for history; 0: one per core */
	char **args;
	int nargs;
};

struct pipeline {
	struct config cfg;
	struct rules rules;
	struct scan scan;
	char *cache;
};

/* $XDG_CACHE_HOME/leakgate, else ~/.cache/leakgate; NULL: no cache (or
 * --no-cache). The caller frees. */
char *cli_cache_dir(const struct options *o);

/* Load the built-in rules only (no user or repository layers). Returns 0
 * or an exit code. */
int cli_load_builtin(struct config *c);

/* Load every layer (built-in, user, repository — repo may be NULL —,
 * --config), build the rules and the scan, and apply config settings to
 * the options (format, colour). Returns 0 or an exit code (printed). */
int pipeline_open(struct pipeline *p, struct options *o, git_repository *repo);
void pipeline_close(struct pipeline *p);

/* main.c: the version string, and a usage error: print
 * "leakgate: <fmt with arg>" and a pointer to --help, then exit 2. */
extern const char leakgate_version[];
void die_usage(const char *fmt, const char *arg) __attribute__((noreturn));

/* Write the sorted, marked findings in o->format: JSON Lines or SARIF on
 * stdout (and the text report too with -v), else the text report on
 * stderr. (cmd_scan.c) */
void report_emit(const struct options *o, const struct findings *f,
		 const struct rules *r, const struct report_ctx *ctx);

/* The commands. */
int cmd_pre_commit(struct options *o);		/* main.c */
int cmd_scan(struct options *o);		/* cmd_scan.c */
int cmd_pre_push(struct options *o);		/* cmd_scan.c */
int cmd_commit_msg(struct options *o);		/* cmd_scan.c */
int cmd_config(struct options *o);	/* cmd_config.c */

#endif
