/*
 * cli.h — what main.c shares with the command files (cmd_*.c).
 *
 * main.c parses argv into a struct options and dispatches to a command
 * function, which returns an exit code; only main.c calls exit(), except
 * die_usage() which prints a usage error and exits 2. The option strings
 * point into argv and are never freed.
 */
#ifndef LEAKGATE_CLI_H
#define LEAKGATE_CLI_H

#include <git2.h>

#include "config.h"
#include "finding.h"
#include "msg.h"
#include "report.h"
#include "rules.h"

enum { EXIT_CLEAN = 0, EXIT_BLOCKED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

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
	const char *commits;	/* scan --commits RANGE */
	int all;		/* scan --all: every ref */
	int no_ignore;		/* scan PATH: ignore .gitignore */
	int jobs;		/* threads for history; 0: one per core */
	char **args;
	int nargs;
};

extern const char leakgate_version[];

/* Print "leakgate: <fmt with arg>" and a pointer to --help; exit 2. */
void die_usage(const char *fmt, const char *arg) __attribute__((noreturn));

/* The Hyperscan cache directory, or NULL for none; caller frees. */
char *cache_dir(const struct options *o);

/* Load every config layer (built-in, user, repo's .leakgate.ini, --config)
 * into c, which is initialised here. repo may be NULL. Returns 0 or an
 * exit code (the error is printed). */
int load_config(struct config *c, const struct options *o, git_repository *repo);

/* Settings from the config that the command line did not give. */
void apply_config_options(struct options *o, const struct config *c);

/* Write the sorted, marked findings in o->format: JSON Lines or SARIF on
 * stdout (and the text report too with -v), else the text report on
 * stderr. */
void report_emit(const struct options *o, const struct findings *f,
		 const struct rules *r, const struct report_ctx *ctx);

int cmd_pre_commit(struct options *o);
/* cmd_scan.c */
int cmd_scan(struct options *o);
int cmd_pre_push(struct options *o);
int cmd_commit_msg(struct options *o);

#endif
