/*
 * finding.h — what leakgate reports: secrets, policy violations, skips.
 *
 * A finding is redacted and fingerprinted when it is created: the whole
 * secret is never stored, so no later stage can print it. findings_add_*
 * copy every string they are given; free the list with findings_release().
 * findings_sort() orders by path, line, column and rule, so output is the
 * same whatever order the scan produced it in.
 */
#ifndef LEAKGATE_FINDING_H
#define LEAKGATE_FINDING_H

#include <stddef.h>

#include "config.h"
#include "defaults.h"
#include "rules.h"

struct finding {
	char *path;
	long line, column;		/* 1-based; 0 means null */
	enum finding_kind kind;
	char *rule_id;
	enum severity severity;
	char *redacted;			/* "" for non-secrets */
	size_t secret_len;
	char fingerprint[FINGERPRINT_HEX + 1];	/* "" for non-secrets */
	char *message;
	char *remediation;		/* may be NULL */
	char *commit;			/* NULL unless scanning history */
	char *date;			/* the commit's author date, ISO 8601 */
	size_t commit_seq;		/* history: walk order, parents first */
	int blocking;
};

struct findings {
	struct finding *v;
	size_t n, alloc;
	size_t over_cap;	/* findings not kept because of the caps */
};

/* Redact secret s[0..n) into a NUL-terminated string the caller frees. */
char *redact(const char *s, size_t n);

/* Add a secret finding. Returns the finding (owned by f). */
struct finding *findings_add_secret(struct findings *f, const char *path, long line,
				    long column, const struct rule *r,
				    const char *secret, size_t secret_len);
/* Add a file-level finding (policy, gitignore, skipped): line/column null. */
struct finding *findings_add_file(struct findings *f, const char *path,
				  enum finding_kind kind, const char *rule_id,
				  enum severity sev, const char *message,
				  const char *remediation);

void findings_sort(struct findings *f);
/* Mark blocking findings per kinds mask; returns how many block. */
size_t findings_mark_blocking(struct findings *f, unsigned block_kinds);
void findings_release(struct findings *f);

const char *kind_name(enum finding_kind k);

#endif
