/*
 * allow.h — the allowlist: which confirmed matches the config lets through.
 *
 * allow_new() compiles the config's allowlist entries once: path patterns
 * into private libgit2 ignore matchers (gitignore semantics: '*' stops at
 * '/', '**' crosses directories, a trailing '/' means a directory and all
 * under it, a leading or inner '/' anchors at the repository root, '!'
 * re-includes), regexes with PCRE2, rule ids checked against the config's
 * rules, fingerprints (and the baseline's) into a sorted table, stopwords
 * lowercased. allow_match() then decides per candidate and credits one
 * entry with the suppression, so `-v` can say what each entry did and
 * `leakgate config --unused` which entries did nothing.
 *
 * The allow borrows the config (entries, names): the config must outlive
 * it. Free with allow_free(). Not reentrant: one per scan.
 */
#ifndef LEAKGATE_ALLOW_H
#define LEAKGATE_ALLOW_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

struct allow;

/*
 * Compile c's allowlist. Returns 0, or -1 after printing an error naming
 * the file and line (a regex PCRE2 rejects, with its message). A rule id
 * that no rule has is only warned about, with a hint: other findings (file
 * policy) have ids of their own.
 */
int allow_new(struct allow **out, const struct config *c);

/* Warn about [allow] rules entries that name no rule and no id that
 * also_known (may be NULL) accepts, e.g. file-policy ids. */
void allow_check_ids(const struct allow *a, int (*also_known)(const char *id));
void allow_free(struct allow *a);

/* What one candidate looks like to the allowlist. A file-level finding
 * (policy, say) has no secret, line or fingerprint: leave them NULL, and
 * only rule ids and paths can match it. */
struct allow_query {
	const char *rule_id;
	const char *path;	/* repository-relative, '/'-separated */
	const char *secret;	/* may be NULL */
	size_t secret_len;
	const char *line;	/* the line holding the secret's start; may be NULL */
	size_t line_len;
	const char *fingerprint;	/* may be NULL */
};

/*
 * The index (into c->allow.v) of the entry that lets q through, or -1 if
 * none does. The entry's count goes up by one. Never fails: an error while
 * matching (PCRE2's match limit, say) counts as "no match", so the finding
 * is kept.
 */
long allow_match(struct allow *a, const struct allow_query *q);

/* Whether a whole file at path is allowed for every rule (a global path
 * entry): a scanner may skip it. Does not count. */
int allow_path_skips(struct allow *a, const char *path);

/* How many candidates entry i suppressed. */
size_t allow_count(const struct allow *a, size_t i);

/* For -v: one line per entry that suppressed something, then totals. */
void allow_report(FILE *out, const struct allow *a);

/* For `config --unused`: one line per entry that suppressed nothing.
 * Returns how many. */
size_t allow_report_unused(FILE *out, const struct allow *a);

#endif
