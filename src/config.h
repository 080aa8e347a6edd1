/*
 * config.h — configuration read from INI files through inih.
 *
 * A config is built by loading layers in order (built-in rules and defaults,
 * user file, repository file, --config FILE); a later layer overrides
 * settings, appends to allowlists, and merges into rule sections of the same
 * id key by key. Within one file, a key given twice or a rule id given twice
 * is an error.
 *
 * Parsing is strict, because Debian's libinih cuts long lines and strips
 * inline comments (STYLE.md): a line longer than CONFIG_MAX_LINE bytes, an
 * unknown section or key, or a malformed value is a fatal error that names
 * the file and line (exit code 2). A value continues on the following
 * indented lines; how they join depends on the key (see config.c's table).
 * A value wholly inside double quotes loses the quotes and keeps " ;".
 *
 * The config owns every string in it; config_release() frees them all.
 */
#ifndef LEAKGATE_CONFIG_H
#define LEAKGATE_CONFIG_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n, alloc;
};
void strlist_push(struct strlist *l, const char *s);
void strlist_pushn(struct strlist *l, const char *s, size_t n);
int strlist_has(const struct strlist *l, const char *s);
void strlist_release(struct strlist *l);

/* A value and where it was written. */
struct cval {
	char *s;		/* NULL when not given */
	const char *file;	/* owned by config->files */
	int line;
};

/* A rule as written; rules.c validates and compiles it. */
struct rule_def {
	char *id;
	const char *file;
	int line;
	struct cval description, provider, pattern, extract, keywords, entropy,
		validator, severity, priority, remediation, enabled, message;
	struct strlist examples, negatives;	/* C-escaped, as written */
	int builtin;
};

/* Kinds of findings, as bits of settings.block. */
enum finding_kind {
	KIND_SECRET = 1 << 0,
	KIND_POLICY = 1 << 1,
	KIND_GITIGNORE = 1 << 2,
	KIND_SKIPPED = 1 << 3,
};

struct settings {
	unsigned block;			/* kinds that block the commit */
	struct cval block_src;
	int gitignore_check;		/* 0 off, 1 warn, 2 block */
	struct cval gitignore_src;
	unsigned long long max_blob_size;
	struct cval max_blob_src;
	double entropy_floor;		/* < 0: the rules' own floors */
	struct cval entropy_src;
	int scan_binary;		/* 0 skip, 1 scan */
	struct cval binary_src;
	struct cval color, format;
};

struct allowlist {
	struct strlist paths, regexes, line_regexes, rules, fingerprints,
		stopwords;
	struct cval baseline;
};

/* [policy]: names added to or taken out of the file policy (policy.c). */
struct policy_cfg {
	struct strlist forbid, allow;
};

struct config {
	struct settings set;
	struct allowlist allow;
	struct policy_cfg policy;
	struct rule_def *rules;
	size_t nrules, alloc_rules;
	struct strlist files;	/* names of the layers read, for messages */
};

void config_init(struct config *c);
void config_release(struct config *c);

/*
 * Load one layer from text[0..len) named `name` (a path, or "<built-in>").
 * builtin marks rules defined by it. Returns 0, or -1 after printing an
 * error that names the file and line.
 */
int config_load_text(struct config *c, const char *name, const char *text,
		     size_t len, int builtin);
/* Same, reading the file at path; missing files are an error. */
int config_load_file(struct config *c, const char *path);

/* The rule definition with this id, or NULL. */
struct rule_def *config_rule(struct config *c, const char *id);

/* Parse "50MiB", "1g", "1000" into bytes; -1 on error. */
int config_parse_size(const char *s, unsigned long long *out);

#endif
