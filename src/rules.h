/*
 * rules.h — the validated, immutable rule table.
 *
 * rules_build() turns the rule definitions of a loaded config into rules
 * with parsed fields, in config order, leaving out disabled ones. A rule
 * borrows its strings from the config: the config must outlive the rules.
 * Regex syntax is checked by the engine (Hyperscan) and extract (PCRE2).
 */
#ifndef LEAKGATE_RULES_H
#define LEAKGATE_RULES_H

#include <stddef.h>

#include "config.h"
#include "validate.h"

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

struct rule {
	const char *id, *description, *provider, *pattern, *extract,
		*remediation, *message;
	double entropy;			/* minimum bits per character */
	validator_fn validator;		/* NULL: none */
	enum severity severity;
	int priority;
	const struct rule_def *def;	/* examples, file and line */
};

struct rules {
	struct rule *v;
	size_t n;
};

/* Returns 0, or -1 after printing an error naming the rule, file and line. */
int rules_build(struct rules *out, const struct config *c);
void rules_release(struct rules *r);

const char *severity_name(enum severity s);

/* Decode a C-escaped example (\n \t \r \\ \xHH) into out; -1 if malformed. */
struct buf;
int rules_unescape(struct buf *out, const char *s);

#endif
