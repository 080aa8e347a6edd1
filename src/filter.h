/*
 * filter.h — decides whether a confirmed match is a finding worth
 * reporting: entropy floors, checksum validators, placeholders and
 * templates, inline pragmas, and the config's allowlist.
 *
 * filter_new() compiles what the config asks for (allowlist regexes) once;
 * filter_check() is then a pure decision per candidate. The filter borrows
 * the config: the config must outlive it. Free with filter_free().
 */
#ifndef LEAKGATE_FILTER_H
#define LEAKGATE_FILTER_H

#include <stddef.h>

#include "config.h"
#include "rules.h"

struct candidate {
	const struct rule *rule;
	const char *path;
	const char *secret;
	size_t secret_len;
	const char *line;	/* the whole line that holds the secret's start */
	size_t line_len;
	const char *fingerprint;
};

enum filter_verdict {
	FILTER_KEEP = 0,
	FILTER_ENTROPY,
	FILTER_VALIDATOR,
	FILTER_PLACEHOLDER,
	FILTER_PRAGMA,
	FILTER_ALLOWLIST,
};

struct filter;

/* Returns 0, or -1 after printing an error (bad allowlist regex: file and
 * line named). */
int filter_new(struct filter **out, const struct config *c);
void filter_free(struct filter *f);

/* The compiled allowlist (per-entry counts for -v and --unused). */
struct allow;
struct allow *filter_allow(struct filter *f);

enum filter_verdict filter_check(struct filter *f, const struct candidate *c);
/* Call before the candidates of a new chunk: filter_check() remembers the
 * last line it read (by address), which a new chunk's data may reuse. */
void filter_new_chunk(struct filter *f);
const char *filter_verdict_name(enum filter_verdict v);

/* Shannon entropy of s[0..n) in bits per byte. */
double entropy_shannon(const char *s, size_t n);

/* Whether line[0..n) carries an inline allow pragma. */
int filter_has_pragma(const char *line, size_t n);

#endif
