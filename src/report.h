/*
 * report.h — writers of the sorted findings.
 *
 * report_text() writes the human report to stderr: each finding with its
 * location, rule, redacted secret and fingerprint, then what to do. Paths
 * are escaped for the terminal. report_json() writes JSON Lines to stdout,
 * one finding per line, every field always present (DESIGN.md).
 * Neither ever sees a whole secret: findings only hold redacted forms.
 */
#ifndef LEAKGATE_REPORT_H
#define LEAKGATE_REPORT_H

#include <stdio.h>

#include "finding.h"
#include "source.h"

struct report_ctx {
	const char *what;	/* "staged changes", "files", ... */
	int hook;		/* running as a git hook: say how to bypass */
	const char *action;	/* what a hook blocks: "commit" (NULL) or "push" */
	const char *advice;	/* what to do about secrets, replacing the
				 * staged-file advice; NULL: the default */
	const struct source_stats *stats;	/* may be NULL */
};

void report_text(FILE *out, const struct findings *f, const struct report_ctx *ctx);
void report_json(FILE *out, const struct findings *f);

/* SARIF 2.1.0 on out: every rule of r (and the ids of file-level findings)
 * under tool.driver.rules, one result per finding with its location,
 * redacted secret and a partial fingerprint. */
void report_sarif(FILE *out, const struct findings *f, const struct rules *r,
		  const char *version);

#endif
