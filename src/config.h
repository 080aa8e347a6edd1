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
 * A value wholly inside double quotes loses the quotes and keeps " ;"
 * (also on a continuation line, where it also keeps a leading '#').
 *
 * Allowlist entries ([allow] keys, and allow-* keys in a [rule "ID"]
 * section, scoped to that rule) are kept one item per entry with the file
 * and line that wrote them, for `leakgate config`, `-v` and `--unused`;
 * config_load_baseline() adds a baseline file's fingerprints the same way.
 * [leakgate] disable = id, ... sets enabled = false on those rules once the
 * file is read (an unknown id is an error).
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
/* Add the comma-separated items of v, each trimmed of blanks; empty ones
 * are left out. */
void strlist_split(struct strlist *l, const char *v);

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

/*
 * Allowlist entries, in the order they were read (layer by layer). An entry
 * scoped to a rule (allow-* keys in a [rule "ID"] section) applies only to
 * that rule's findings; the others apply to every finding. Baseline entries
 * are the fingerprints read from the baseline file (file and line are the
 * baseline's). allow.c compiles and matches them.
 */
enum allow_kind {
	ALLOW_PATH,		/* gitignore-style pattern over the path */
	ALLOW_REGEX,		/* PCRE2 over the secret */
	ALLOW_LINE_REGEX,	/* PCRE2 over the whole line */
	ALLOW_RULE,		/* a rule id */
	ALLOW_FINGERPRINT,	/* FINGERPRINT_HEX lowercase hex digits */
	ALLOW_STOPWORD,		/* case-insensitive substring of the secret */
	ALLOW_BASELINE,		/* a fingerprint from the baseline file */
};

struct allow_entry {
	enum allow_kind kind;
	char *value;
	char *scope;		/* rule id, or NULL: every rule */
	const char *file;	/* owned by config->files */
	int line;
};

struct allowlist {
	struct allow_entry *v;
	size_t n, alloc;
	struct cval baseline;	/* file name, as written */
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

/* Name of an allowlist kind as a config key ("paths", "regexes", ...). */
const char *allow_kind_key(enum allow_kind k);

/* Add an entry (value copied; file interned by the caller in c->files). */
struct allow_entry *config_allow_add(struct config *c, enum allow_kind kind,
				     const char *value, const char *scope,
				     const char *file, int line);

/*
 * Read a baseline file's text (one fingerprint per line; '#' starts a
 * comment, also after the fingerprint) into ALLOW_BASELINE entries named
 * `name`. Returns 0, or -1 after printing a malformed line as name:line.
 */
int config_load_baseline(struct config *c, const char *name, const char *text, size_t len);

/* " (did you mean 'x'?)" for the nearest of cands[0..n), or "". The
 * result lives in a static buffer until the next call. */
const char *config_did_you_mean(const char *got, const char *const *cands, size_t n);

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
