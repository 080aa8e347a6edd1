/*
 * config.c — inih handlers for leakgate's INI files.
 *
 * inih is fed through our own line reader (ini_parse_stream), which lets us
 * do what Debian's libinih cannot: know the line number in the handler, tell
 * a continuation line from a repeated key, refuse over-long lines before
 * inih silently cuts them, validate section headers, and protect " ;"
 * inside a double-quoted value from inih's inline-comment stripping (the
 * reader turns those ';' into 0x1f, the handler turns them back).
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "defaults.h"
#include "msg.h"

#define QUOTED_SEMICOLON '\x1f'

void strlist_pushn(struct strlist *l, const char *s, size_t n)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = xstrndup(s, n);
}

void strlist_push(struct strlist *l, const char *s)
{
	strlist_pushn(l, s, strlen(s));
}

int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* --- the key table ------------------------------------------------------ */

enum section { SEC_NONE, SEC_LEAKGATE, SEC_ALLOW, SEC_RULE, SEC_POLICY };

/* How an indented continuation line joins the value before it. */
enum join {
	JOIN_CONCAT,	/* no separator: patterns, examples */
	JOIN_SPACE,	/* one space: prose */
	JOIN_LIST,	/* new items, split on commas */
	JOIN_LINES,	/* each line one item (regex lists) */
};

enum target {
	T_RULE_CVAL,	/* offset into struct rule_def of a struct cval */
	T_RULE_EXAMPLE,
	T_RULE_NEGATIVE,
	T_SETTING,	/* parsed by parse_setting() */
	T_ALLOW_ENTRY,	/* off is an enum allow_kind; scoped in a rule */
	T_ALLOW_CVAL,	/* offset into struct allowlist of a cval */
	T_DISABLE,	/* [leakgate] disable: rule ids, applied at end of file */
	T_POLICY_LIST,	/* offset into struct policy_cfg of a strlist */
};

struct key {
	enum section sec;
	const char *name;
	enum join join;
	enum target target;
	size_t off;
};

#define RULE(f) offsetof(struct rule_def, f)
#define ALLOW(f) offsetof(struct allowlist, f)
#define SET(f) offsetof(struct settings, f)
#define POLICY(f) offsetof(struct policy_cfg, f)

static const struct key keys[] = {
	{ SEC_LEAKGATE, "block", JOIN_LIST, T_SETTING, SET(block_src) },
	{ SEC_LEAKGATE, "gitignore-check", JOIN_CONCAT, T_SETTING, SET(gitignore_src) },
	{ SEC_LEAKGATE, "max-blob-size", JOIN_CONCAT, T_SETTING, SET(max_blob_src) },
	{ SEC_LEAKGATE, "entropy", JOIN_CONCAT, T_SETTING, SET(entropy_src) },
	{ SEC_LEAKGATE, "binary", JOIN_CONCAT, T_SETTING, SET(binary_src) },
	{ SEC_LEAKGATE, "color", JOIN_CONCAT, T_SETTING, SET(color) },
	{ SEC_LEAKGATE, "format", JOIN_CONCAT, T_SETTING, SET(format) },
	{ SEC_LEAKGATE, "disable", JOIN_LIST, T_DISABLE, 0 },

	{ SEC_ALLOW, "paths", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_PATH },
	{ SEC_ALLOW, "regexes", JOIN_LINES, T_ALLOW_ENTRY, ALLOW_REGEX },
	{ SEC_ALLOW, "line-regexes", JOIN_LINES, T_ALLOW_ENTRY, ALLOW_LINE_REGEX },
	{ SEC_ALLOW, "rules", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_RULE },
	{ SEC_ALLOW, "fingerprints", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_FINGERPRINT },
	{ SEC_ALLOW, "stopwords", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_STOPWORD },
	{ SEC_ALLOW, "baseline", JOIN_CONCAT, T_ALLOW_CVAL, ALLOW(baseline) },

	{ SEC_POLICY, "forbid", JOIN_LIST, T_POLICY_LIST, POLICY(forbid) },
	{ SEC_POLICY, "allow", JOIN_LIST, T_POLICY_LIST, POLICY(allow) },

	{ SEC_RULE, "description", JOIN_SPACE, T_RULE_CVAL, RULE(description) },
	{ SEC_RULE, "provider", JOIN_SPACE, T_RULE_CVAL, RULE(provider) },
	{ SEC_RULE, "pattern", JOIN_CONCAT, T_RULE_CVAL, RULE(pattern) },
	{ SEC_RULE, "extract", JOIN_CONCAT, T_RULE_CVAL, RULE(extract) },
	{ SEC_RULE, "keywords", JOIN_CONCAT, T_RULE_CVAL, RULE(keywords) },
	{ SEC_RULE, "entropy", JOIN_CONCAT, T_RULE_CVAL, RULE(entropy) },
	{ SEC_RULE, "validator", JOIN_CONCAT, T_RULE_CVAL, RULE(validator) },
	{ SEC_RULE, "severity", JOIN_CONCAT, T_RULE_CVAL, RULE(severity) },
	{ SEC_RULE, "priority", JOIN_CONCAT, T_RULE_CVAL, RULE(priority) },
	{ SEC_RULE, "remediation", JOIN_SPACE, T_RULE_CVAL, RULE(remediation) },
	{ SEC_RULE, "message", JOIN_SPACE, T_RULE_CVAL, RULE(message) },
	{ SEC_RULE, "enabled", JOIN_CONCAT, T_RULE_CVAL, RULE(enabled) },
	{ SEC_RULE, "example", JOIN_CONCAT, T_RULE_EXAMPLE, 0 },
	{ SEC_RULE, "negative_example", JOIN_CONCAT, T_RULE_NEGATIVE, 0 },
	/* Allowlists scoped to this rule. */
	{ SEC_RULE, "allow-paths", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_PATH },
	{ SEC_RULE, "allow-regexes", JOIN_LINES, T_ALLOW_ENTRY, ALLOW_REGEX },
	{ SEC_RULE, "allow-line-regexes", JOIN_LINES, T_ALLOW_ENTRY, ALLOW_LINE_REGEX },
	{ SEC_RULE, "allow-stopwords", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_STOPWORD },
	{ SEC_RULE, "allow-fingerprints", JOIN_LIST, T_ALLOW_ENTRY, ALLOW_FINGERPRINT },
};

const char *allow_kind_key(enum allow_kind k)
{
	switch (k) {
	case ALLOW_PATH: return "paths";
	case ALLOW_REGEX: return "regexes";
	case ALLOW_LINE_REGEX: return "line-regexes";
	case ALLOW_RULE: return "rules";
	case ALLOW_FINGERPRINT: return "fingerprints";
	case ALLOW_STOPWORD: return "stopwords";
	case ALLOW_BASELINE: return "baseline";
	}
	return "?";
}

struct allow_entry *config_allow_add(struct config *c, enum allow_kind kind,
				     const char *value, const char *scope,
				     const char *file, int line)
{
	struct allowlist *a = &c->allow;
	struct allow_entry *e;

	if (a->n == a->alloc) {
		a->alloc = a->alloc ? 2 * a->alloc : 16;
		a->v = xrealloc(a->v, a->alloc * sizeof(*a->v));
	}
	e = &a->v[a->n++];
	e->kind = kind;
	e->value = xstrdup(value);
	e->scope = scope ? xstrdup(scope) : NULL;
	e->file = file;
	e->line = line;
	return e;
}

static const char *const section_names[] = { "leakgate", "allow", "rule \"ID\"", "policy", NULL };

/* --- parse state ---------------------------------------------------------- */

struct parse {
	struct config *c;
	const char *file;	/* interned in c->files */
	const char *text;
	size_t len, pos;
	int lineno;
	int indented;		/* the current line starts with white space */
	int failed;
	int builtin;
	enum section sec;
	struct rule_def *rule;	/* when sec == SEC_RULE */
	const struct key *last;	/* key of the previous key line */
	struct strlist rules_here;	/* rule ids defined in this file */
	struct strlist keys_here;	/* "section\nkey" seen in this file */
	struct strlist disable;		/* rule ids of [leakgate] disable */
	struct strlist disable_at;	/* and their line numbers, as text */
};

static void perr(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(struct parse *p, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	buf_grow(&b, 256);
	vsnprintf(b.ptr, b.cap, fmt, ap);
	va_end(ap);
	errorf("%s:%d: %s", p->file, p->lineno, b.ptr);
	buf_release(&b);
}

/*
 * A word or value from the file as echoed in an error message: at most
 * ECHO_MAX bytes of it, then "...". A secret pasted in the wrong place
 * (as a key, a section or a setting) must not be printed back whole.
 * Returns one of four static buffers, so a message can echo a few.
 */
#define ECHO_MAX 16
static const char *echo(const char *s)
{
	static char bufs[4][ECHO_MAX + 4];
	static unsigned k;
	char *b = bufs[k++ % 4];
	size_t n = strlen(s);

	if (n <= ECHO_MAX + 3)
		return s;
	memcpy(b, s, ECHO_MAX);
	memcpy(b + ECHO_MAX, "...", 4);
	return b;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev, tmp;

	if (lb >= 63 || la >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *config_did_you_mean(const char *got, const char *const *cands, size_t n)
{
	static char hint[128];
	size_t i, best = 3, d;
	const char *pick = NULL;

	for (i = 0; i < n && cands[i]; i++) {
		d = edit_distance(got, cands[i]);
		if (d < best) {
			best = d;
			pick = cands[i];
		}
	}
	if (!pick)
		return "";
	snprintf(hint, sizeof(hint), " (did you mean '%s'?)", pick);
	return hint;
}

static const char *section_label(enum section s)
{
	switch (s) {
	case SEC_LEAKGATE: return "leakgate";
	case SEC_ALLOW: return "allow";
	case SEC_RULE: return "rule";
	case SEC_POLICY: return "policy";
	default: return "";
	}
}

static int valid_rule_id(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 100)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return 0;
	}
	return 1;
}

struct rule_def *config_rule(struct config *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nrules; i++)
		if (!strcmp(c->rules[i].id, id))
			return &c->rules[i];
	return NULL;
}

/* A section header line "[...]": validate it and make it current. */
static int begin_section(struct parse *p, const char *s, size_t n)
{
	const char *end = memchr(s, ']', n);
	size_t len;

	if (!end) {
		perr(p, "section header without ']'");
		return -1;
	}
	s++;
	len = (size_t)(end - s);
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	p->last = NULL;
	p->rule = NULL;
	if (len == 8 && !memcmp(s, "leakgate", 8)) {
		p->sec = SEC_LEAKGATE;
	} else if (len == 5 && !memcmp(s, "allow", 5)) {
		p->sec = SEC_ALLOW;
	} else if (len == 6 && !memcmp(s, "policy", 6)) {
		p->sec = SEC_POLICY;
	} else if (len > 7 && !memcmp(s, "rule ", 5)) {
		const char *id = s + 5;
		size_t idlen = len - 5;
		char *ids;
		struct config *c = p->c;

		while (idlen && *id == ' ')
			id++, idlen--;
		if (idlen < 3 || id[0] != '"' || id[idlen - 1] != '"' ||
		    !valid_rule_id(id + 1, idlen - 2)) {
			perr(p, "bad rule section: write [rule \"my-rule-id\"] "
			     "(letters, digits, '-', '_', '.')");
			return -1;
		}
		ids = xstrndup(id + 1, idlen - 2);
		if (strlist_has(&p->rules_here, ids)) {
			perr(p, "duplicate rule id '%s' in this file", echo(ids));
			free(ids);
			return -1;
		}
		strlist_push(&p->rules_here, ids);
		p->sec = SEC_RULE;
		p->rule = config_rule(c, ids);
		if (!p->rule) {
			if (c->nrules == c->alloc_rules) {
				c->alloc_rules = c->alloc_rules ? 2 * c->alloc_rules : 64;
				c->rules = xrealloc(c->rules, c->alloc_rules * sizeof(*c->rules));
			}
			p->rule = &c->rules[c->nrules++];
			memset(p->rule, 0, sizeof(*p->rule));
			p->rule->id = ids;
			p->rule->file = p->file;
			p->rule->line = p->lineno;
			p->rule->builtin = p->builtin;
		} else {
			free(ids);
		}
	} else {
		char *name = xstrndup(s, len);

		perr(p, "unknown section [%s]%s; sections are [leakgate], "
		     "[allow], [policy] and [rule \"ID\"]", echo(name),
		     config_did_you_mean(name, section_names, 4));
		free(name);
		return -1;
	}
	return 0;
}

/* Protect ';' inside a double-quoted value of a key line, or of a whole
 * continuation line, from inih's inline comments. */
static void protect_quoted(char *line, size_t n, int indented)
{
	size_t i, q = 0, last = 0;

	if (!indented) {
		while (q < n && line[q] != '=' && line[q] != ':')
			q++;
		if (q == n)
			return;
		q++;
	}
	while (q < n && (line[q] == ' ' || line[q] == '\t'))
		q++;
	if (q >= n || line[q] != '"')
		return;
	for (i = q + 1; i < n; i++)
		if (line[i] == '"')
			last = i;
	for (i = q + 1; i < last; i++)
		if (line[i] == ';')
			line[i] = QUOTED_SEMICOLON;
}

/* inih's reader: one line of p->text per call into str (size num). */
static char *reader(char *str, int num, void *stream)
{
	struct parse *p = stream;
	const char *s, *nl;
	size_t linelen, content, i;

	if (p->failed || p->pos >= p->len)
		return NULL;
	s = p->text + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	linelen = nl ? (size_t)(nl - s) : p->len - p->pos;
	p->pos += linelen + (nl ? 1 : 0);
	p->lineno++;
	content = linelen;
	if (content && s[content - 1] == '\r')
		content--;
	if (memchr(s, '\0', linelen)) {
		perr(p, "NUL byte in line");
		return NULL;
	}
	if (content > CONFIG_MAX_LINE || content + 2 > (size_t)num) {
		perr(p, "line is %zu bytes long; the limit is %d: continue the "
		     "value on the following indented lines", content, CONFIG_MAX_LINE);
		return NULL;
	}
	memcpy(str, s, content);
	str[content] = '\n';
	str[content + 1] = '\0';
	p->indented = content && (s[0] == ' ' || s[0] == '\t');

	for (i = 0; i < content && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i < content && s[i] == '[' && !p->indented) {
		if (begin_section(p, s + i, content - i) < 0)
			return NULL;
	} else if (!p->indented && i < content && s[i] != ';' && s[i] != '#') {
		protect_quoted(str, content, 0);
	} else if (p->indented && i < content && s[i] == '"') {
		/* A quoted continuation line: also keeps a leading '#' or ';'
		 * from being taken for a comment. */
		protect_quoted(str, content, 1);
	}
	return str;
}

/* The handler's view of a value: unquoted, ';' restored. Caller frees. */
static char *clean_value(const char *v)
{
	size_t n = strlen(v), i;
	char *out;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	out = xstrndup(v, n);
	for (i = 0; i < n; i++)
		if (out[i] == QUOTED_SEMICOLON)
			out[i] = ';';
	return out;
}

static void cval_set(struct parse *p, struct cval *cv, const char *v, enum join join, int cont)
{
	if (cont && cv->s) {
		struct buf b = BUF_INIT;

		buf_adds(&b, cv->s);
		if (join == JOIN_SPACE && *cv->s)
			buf_addc(&b, ' ');
		else if (join == JOIN_LIST && *cv->s)
			buf_addc(&b, ',');
		buf_adds(&b, v);
		free(cv->s);
		cv->s = buf_detach(&b, NULL);
		return;
	}
	free(cv->s);
	cv->s = xstrdup(v);
	cv->file = p->file;
	cv->line = p->lineno;
}

void strlist_split(struct strlist *l, const char *v)
{
	const char *s = v, *comma;

	for (;;) {
		size_t n;

		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n)
			strlist_pushn(l, s, n);
		if (!comma)
			break;
		s = comma + 1;
	}
}

static void list_add(struct strlist *l, const char *v, enum join join)
{
	if (join == JOIN_LINES) {
		if (*v)
			strlist_push(l, v);
		return;
	}
	strlist_split(l, v);
}

int config_parse_size(const char *s, unsigned long long *out)
{
	char *end;
	double v;
	unsigned long long mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return -1;
	while (*end == ' ')
		end++;
	if (!*end || !strcasecmp(end, "b"))
		mul = 1;
	else if (!strcasecmp(end, "k") || !strcasecmp(end, "kib"))
		mul = 1ull << 10;
	else if (!strcasecmp(end, "kb"))
		mul = 1000;
	else if (!strcasecmp(end, "m") || !strcasecmp(end, "mib"))
		mul = 1ull << 20;
	else if (!strcasecmp(end, "mb"))
		mul = 1000 * 1000;
	else if (!strcasecmp(end, "g") || !strcasecmp(end, "gib"))
		mul = 1ull << 30;
	else if (!strcasecmp(end, "gb"))
		mul = 1000ull * 1000 * 1000;
	else
		return -1;
	if (v * (double)mul > 1e18)
		return -1;
	*out = (unsigned long long)(v * (double)mul);
	return 0;
}

/* Apply a [leakgate] setting once its whole value is known. */
static int apply_setting(struct parse *p, struct settings *set, const struct key *k)
{
	struct cval *cv = (struct cval *)((char *)set + k->off);
	const char *v = cv->s;
	int save = p->lineno;
	int rc = 0;

	p->lineno = cv->line;
	if (!strcmp(k->name, "block")) {
		struct strlist l = { 0 };
		size_t i;

		list_add(&l, v, JOIN_LIST);
		set->block = 0;
		for (i = 0; i < l.n && !rc; i++) {
			if (!strcmp(l.v[i], "secret"))
				set->block |= KIND_SECRET;
			else if (!strcmp(l.v[i], "policy"))
				set->block |= KIND_POLICY;
			else if (!strcmp(l.v[i], "gitignore"))
				set->block |= KIND_GITIGNORE;
			else if (!strcmp(l.v[i], "skipped"))
				set->block |= KIND_SKIPPED;
			else if (!strcmp(l.v[i], "none"))
				;
			else {
				perr(p, "block: unknown kind '%s'; kinds are secret, "
				     "policy, gitignore, skipped, none", echo(l.v[i]));
				rc = -1;
			}
		}
		strlist_release(&l);
		/* gitignore-check = block is the same switch, kept in step. */
		if (!rc && (set->block & KIND_GITIGNORE))
			set->gitignore_check = 2;
	} else if (!strcmp(k->name, "gitignore-check")) {
		if (!strcmp(v, "off"))
			set->gitignore_check = 0;
		else if (!strcmp(v, "warn"))
			set->gitignore_check = 1;
		else if (!strcmp(v, "block"))
			set->gitignore_check = 2;
		else {
			perr(p, "gitignore-check: '%s' is not warn, block or off", echo(v));
			rc = -1;
		}
		if (!rc) {
			set->block &= ~(unsigned)KIND_GITIGNORE;
			if (set->gitignore_check == 2)
				set->block |= KIND_GITIGNORE;
		}
	} else if (!strcmp(k->name, "max-blob-size")) {
		if (config_parse_size(v, &set->max_blob_size) < 0 || !set->max_blob_size) {
			perr(p, "max-blob-size: '%s' is not a size such as 50MiB", echo(v));
			rc = -1;
		}
	} else if (!strcmp(k->name, "entropy")) {
		char *end;
		double d = strtod(v, &end);

		if (end == v || *end || d < 0 || d > 8) {
			perr(p, "entropy: '%s' is not a number from 0 to 8 (bits per character)", echo(v));
			rc = -1;
		} else {
			set->entropy_floor = d;
		}
	} else if (!strcmp(k->name, "binary")) {
		if (!strcmp(v, "skip"))
			set->scan_binary = 0;
		else if (!strcmp(v, "scan"))
			set->scan_binary = 1;
		else {
			perr(p, "binary: '%s' is not skip or scan", echo(v));
			rc = -1;
		}
	} else if (!strcmp(k->name, "color")) {
		if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
			perr(p, "color: '%s' is not auto, always or never", echo(v));
			rc = -1;
		}
	} else if (!strcmp(k->name, "format")) {
		if (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "sarif")) {
			perr(p, "format: '%s' is not text, json or sarif", echo(v));
			rc = -1;
		}
	}
	p->lineno = save;
	return rc;
}

static int is_fingerprint(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == FINGERPRINT_HEX;
}

/* Add the items of an allowlist value: global in [allow], scoped in a rule. */
static int add_allow(struct parse *p, enum allow_kind kind, const char *v, enum join join)
{
	struct strlist l = { 0 };
	size_t i, j;
	int rc = 0;

	list_add(&l, v, join);
	for (i = 0; i < l.n && !rc; i++) {
		char *item = l.v[i];

		if (kind == ALLOW_FINGERPRINT) {
			for (j = 0; item[j]; j++)
				if (item[j] >= 'A' && item[j] <= 'F')
					item[j] = (char)(item[j] - 'A' + 'a');
			if (!is_fingerprint(item)) {
				/* Someone may paste the secret itself here: do
				 * not echo it back. */
				perr(p, "%s: an item is not a fingerprint (%d hex digits, as "
				     "printed in every finding); never write a secret here",
				     allow_kind_key(kind), FINGERPRINT_HEX);
				rc = -1;
				break;
			}
		}
		if (kind == ALLOW_PATH && item[0] == '!' && !item[1]) {
			perr(p, "paths: '!' alone is not a pattern");
			rc = -1;
			break;
		}
		config_allow_add(p->c, kind, item, p->sec == SEC_RULE ? p->rule->id : NULL,
				 p->file, p->lineno);
	}
	strlist_release(&l);
	return rc;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	const struct key *k = NULL;
	const char *cands[sizeof(keys) / sizeof(keys[0]) + 1];
	size_t i, nc = 0;
	int cont;
	char *v;
	struct buf seen = BUF_INIT;

	(void)section;	/* begin_section() already made it current */
	if (p->failed)
		return 1;
	if (p->sec == SEC_NONE) {
		perr(p, "key '%s' outside a section; start with [leakgate], "
		     "[allow] or [rule \"ID\"]", echo(name));
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i].sec != p->sec)
			continue;
		cands[nc++] = keys[i].name;
		if (!strcmp(keys[i].name, name))
			k = &keys[i];
	}
	cands[nc] = NULL;
	if (!k) {
		perr(p, "unknown key '%s' in [%s]%s", echo(name), section_label(p->sec),
		     config_did_you_mean(name, cands, nc));
		return 0;
	}
	cont = p->indented && p->last == k;
	if (!cont && k->target != T_RULE_EXAMPLE && k->target != T_RULE_NEGATIVE &&
	    k->target != T_ALLOW_ENTRY && k->target != T_DISABLE &&
	    k->target != T_POLICY_LIST) {
		buf_printf(&seen, "%s\n%s\n%s", section_label(p->sec),
			   p->rule ? p->rule->id : "", name);
		if (strlist_has(&p->keys_here, seen.ptr)) {
			perr(p, "key '%s' given twice in this section", echo(name));
			buf_release(&seen);
			return 0;
		}
		strlist_push(&p->keys_here, seen.ptr);
		buf_release(&seen);
	}
	p->last = k;
	v = clean_value(value);

	switch (k->target) {
	case T_RULE_CVAL:
		cval_set(p, (struct cval *)((char *)p->rule + k->off), v, k->join, cont);
		break;
	case T_RULE_EXAMPLE:
	case T_RULE_NEGATIVE: {
		struct strlist *l = k->target == T_RULE_EXAMPLE ?
			&p->rule->examples : &p->rule->negatives;

		if (cont && l->n) {
			struct buf b = BUF_INIT;

			buf_adds(&b, l->v[l->n - 1]);
			buf_adds(&b, v);
			free(l->v[l->n - 1]);
			l->v[l->n - 1] = buf_detach(&b, NULL);
		} else {
			strlist_push(l, v);
		}
		break;
	}
	case T_SETTING: {
		struct cval *cv = (struct cval *)((char *)&p->c->set + k->off);

		cval_set(p, cv, v, k->join, cont);
		if (apply_setting(p, &p->c->set, k) < 0) {
			free(v);
			return 0;
		}
		break;
	}
	case T_ALLOW_ENTRY:
		if (add_allow(p, (enum allow_kind)k->off, v, k->join) < 0) {
			free(v);
			return 0;
		}
		break;
	case T_DISABLE: {
		struct strlist l = { 0 };
		char at[16];

		list_add(&l, v, JOIN_LIST);
		snprintf(at, sizeof(at), "%d", p->lineno);
		for (i = 0; i < l.n; i++) {
			strlist_push(&p->disable, l.v[i]);
			strlist_push(&p->disable_at, at);
		}
		strlist_release(&l);
		break;
	}
	case T_POLICY_LIST:
		list_add((struct strlist *)((char *)&p->c->policy + k->off), v, k->join);
		break;
	case T_ALLOW_CVAL:
		cval_set(p, (struct cval *)((char *)&p->c->allow + k->off), v, k->join, cont);
		break;
	}
	free(v);
	return 1;
}

/* [leakgate] disable = id, ...: once the whole file is read, so that it
 * may name a rule defined further down; each becomes enabled = false. */
static void apply_disable(struct parse *p)
{
	size_t i, j;

	for (i = 0; i < p->disable.n && !p->failed; i++) {
		struct rule_def *d = config_rule(p->c, p->disable.v[i]);

		p->lineno = atoi(p->disable_at.v[i]);
		if (!d) {
			const char **ids = xcalloc(p->c->nrules + 1, sizeof(*ids));

			for (j = 0; j < p->c->nrules; j++)
				ids[j] = p->c->rules[j].id;
			perr(p, "disable: no rule has the id '%s'%s; 'leakgate rules' lists them",
			     p->disable.v[i], config_did_you_mean(p->disable.v[i], ids, p->c->nrules));
			free(ids);
			break;
		}
		free(d->enabled.s);
		d->enabled.s = xstrdup("false");
		d->enabled.file = p->file;
		d->enabled.line = p->lineno;
	}
}

int config_load_text(struct config *c, const char *name, const char *text,
		     size_t len, int builtin)
{
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	strlist_push(&c->files, name);
	p.c = c;
	p.file = c->files.v[c->files.n - 1];
	p.text = text;
	p.len = len;
	p.builtin = builtin;
	if (len > CONFIG_MAX_SIZE) {
		errorf("%s: config file is larger than %u bytes", name, CONFIG_MAX_SIZE);
		return -1;
	}
	rc = ini_parse_stream(reader, &p, handler, &p);
	if (!p.failed && rc != 0) {
		p.lineno = rc > 0 ? rc : p.lineno;
		perr(&p, "syntax error: expected 'key = value', a [section], "
		     "or an indented continuation line");
	}
	if (!p.failed)
		apply_disable(&p);
	strlist_release(&p.rules_here);
	strlist_release(&p.keys_here);
	strlist_release(&p.disable);
	strlist_release(&p.disable_at);
	return p.failed ? -1 : 0;
}

int config_load_file(struct config *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc;

	if (!f) {
		errorf("cannot read config '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > CONFIG_MAX_SIZE)
			break;
	}
	if (ferror(f)) {
		errorf("cannot read config '%s': %s", path, strerror(errno));
		fclose(f);
		buf_release(&b);
		return -1;
	}
	fclose(f);
	rc = config_load_text(c, path, b.ptr, b.len, 0);
	buf_release(&b);
	return rc;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->set.block = KIND_SECRET | KIND_POLICY;
	c->set.gitignore_check = 1;
	c->set.max_blob_size = DEFAULT_MAX_BLOB_SIZE;
	c->set.entropy_floor = -1;
	c->set.scan_binary = 0;
}

static void cval_release(struct cval *cv)
{
	free(cv->s);
	cv->s = NULL;
}

void config_release(struct config *c)
{
	size_t i;

	for (i = 0; i < c->nrules; i++) {
		struct rule_def *r = &c->rules[i];

		free(r->id);
		cval_release(&r->description);
		cval_release(&r->provider);
		cval_release(&r->pattern);
		cval_release(&r->extract);
		cval_release(&r->keywords);
		cval_release(&r->entropy);
		cval_release(&r->validator);
		cval_release(&r->severity);
		cval_release(&r->priority);
		cval_release(&r->remediation);
		cval_release(&r->enabled);
		cval_release(&r->message);
		strlist_release(&r->examples);
		strlist_release(&r->negatives);
	}
	free(c->rules);
	cval_release(&c->set.block_src);
	cval_release(&c->set.gitignore_src);
	cval_release(&c->set.max_blob_src);
	cval_release(&c->set.entropy_src);
	cval_release(&c->set.binary_src);
	cval_release(&c->set.color);
	cval_release(&c->set.format);
	for (i = 0; i < c->allow.n; i++) {
		free(c->allow.v[i].value);
		free(c->allow.v[i].scope);
	}
	free(c->allow.v);
	cval_release(&c->allow.baseline);
	strlist_release(&c->policy.forbid);
	strlist_release(&c->policy.allow);
	strlist_release(&c->files);
	memset(c, 0, sizeof(*c));
}

int config_load_baseline(struct config *c, const char *name, const char *text, size_t len)
{
	const char *file, *s = text, *end = text + len;
	int line = 0;

	strlist_push(&c->files, name);
	file = c->files.v[c->files.n - 1];
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end, *hash;
		char fp[FINGERPRINT_HEX + 1];
		size_t n;

		line++;
		hash = memchr(s, '#', (size_t)(e - s));
		if (hash)
			e = hash;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		n = (size_t)(e - s);
		if (n) {
			if (n != FINGERPRINT_HEX) {
				errorf("%s:%d: not a fingerprint (%d hex digits); rewrite the "
				       "baseline with 'leakgate scan --write-baseline %s'",
				       file, line, FINGERPRINT_HEX, file);
				return -1;
			}
			memcpy(fp, s, n);
			fp[n] = '\0';
			if (!is_fingerprint(fp)) {
				errorf("%s:%d: not a fingerprint (%d lowercase hex digits)",
				       file, line, FINGERPRINT_HEX);
				return -1;
			}
			config_allow_add(c, ALLOW_BASELINE, fp, NULL, file, line);
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}
