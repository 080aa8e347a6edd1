/*
 * policy.h — file-level checks: files that must not be committed whatever
 * their content says to the secret rules (.env files, private keys,
 * keystores, credential files, Terraform state, shell history), and
 * .gitignore coverage of .env-like files next to what is being committed.
 *
 * The policies are data: config/policy.ini, embedded into the binary, plus
 * the config's [policy] forbid / allow names. The config's allowlist
 * (allow.c) applies to policy findings by rule id and path ([allow]
 * rules = env-file, or a paths pattern). Names are matched as names,
 * anchored to path components (see policy_name_match()), so "env.d.ts" or
 * "src/env/index.js" are not ".env".
 *
 * Use: policy_new(), then policy_file() as the source's file callback for
 * every staged path (it reads a blob only when a name matches a policy that
 * looks at content), then policy_gitignore() once, which reads only the
 * repository root and the directories that hold staged paths (readdir, not
 * recursive) and asks git's ignore rules (gitignore.c, which answers as
 * git check-ignore does) about the .env-like files it finds there.
 * Findings go to the struct findings given to policy_new().
 *
 * A struct policy owns its rules and compiled regexes and borrows the
 * config, the repository, the allowlist and the findings, which must
 * outlive it. Free with policy_free().
 */
#ifndef LEAKGATE_POLICY_H
#define LEAKGATE_POLICY_H

#include <git2.h>
#include <stddef.h>

#include "config.h"
#include "finding.h"
#include "rules.h"

struct allow;
struct gitignore;

/* A name pattern, with its shape worked out once: the .gitignore check
 * runs every entry of a directory through the patterns. */
struct name_pat {
	char *s;		/* as written, less a leading '/' */
	unsigned slashes;	/* it matches the last slashes+1 components */
	int shape;		/* NAME_LITERAL, NAME_STAR_SUFFIX, NAME_GLOB */
	size_t len;		/* of s, or of the suffix after '*' */
};
enum { NAME_GLOB, NAME_LITERAL, NAME_STAR_SUFFIX };

struct name_pats {
	struct name_pat *v;
	size_t n, alloc;
};

struct policy_rule {
	char *id;
	struct name_pats names, allow;
	struct strlist ignore;
	char *content;		/* PCRE2 source; NULL: the name decides */
	enum severity severity;
	char *reason;
	const char *file;	/* where it was defined, for messages */
	int line;
	void *re;		/* compiled content regex (pcre2_code) */
};

struct policy {
	struct policy_rule *v;
	size_t n, alloc;
	struct name_pats allow;		/* names no policy flags */
	struct allow *allowlist;	/* the config's [allow]; may be NULL */
	git_repository *repo;		/* NULL: names only, no gitignore check */
	struct findings *findings;
	struct strlist dirs;		/* directories that hold staged paths */
	unsigned long long max_blob_size;
	int gitignore_check;		/* 0 off, 1 warn, 2 block */
	size_t judged, flagged, not_ignored;	/* for -v */
	size_t dirs_read;
	git_index *index;		/* opened when first needed */
	git_tree *theirs[8];		/* MERGE_HEAD trees, read when needed */
	size_t ntheirs;
	int theirs_read;
	size_t merged_in;		/* not flagged: same blob in a merged branch */
	struct gitignore *ign;		/* read when first needed */
	struct strlist files;		/* names of the texts loaded */
	void *md, *mctx;		/* PCRE2 match data and context */
};

/*
 * Build the policy from the built-in config/policy.ini and cfg's [policy]
 * section (cfg may be NULL: built-ins only). repo may be NULL (no content
 * or gitignore checks). allow (the scan's allowlist, borrowed) may be NULL.
 * Returns 0, or -1 after printing an error.
 */
int policy_new(struct policy **out, const struct config *cfg, git_repository *repo,
	       struct findings *findings, struct allow *allow);
void policy_free(struct policy *p);

/* Whether id names a finding the built-in policy can report: a policy id,
 * "<policy id>-not-ignored", or "forbidden-file" (for allow.c, so that
 * [allow] rules = env-file is not warned about as an unknown rule). */
int policy_known_id(const char *id);

/* Add the policies in text[0..len) (policy.ini syntax) after those already
 * loaded. Returns 0, or -1 after printing an error naming file and line. */
int policy_load_text(struct policy *p, const char *name, const char *text, size_t len);

/* Compile r's content regex (done on first use). Returns 0, or -1 after
 * printing an error naming the policy. */
int policy_compile(struct policy_rule *r);

/*
 * Whether glob pattern pat matches path as a name: a pattern without '/'
 * against the last component, a pattern with k slashes against the last
 * k+1 components; '*' does not cross '/'; letter case is ignored.
 */
int policy_name_match(const char *pat, const char *path);

/*
 * The policy that forbids committing path, or NULL. content is the staged
 * blob (NULL when unknown: a policy that needs content then does not
 * match; *needs_content is set when content would decide it). The
 * allowlist is not consulted here: policy_file() does that.
 */
const struct policy_rule *policy_judge(struct policy *p, const char *path,
				       const char *content, size_t len,
				       int *needs_content);

/*
 * The source's file callback (struct source_cb.file): judge one staged
 * path and remember its directory for policy_gitignore(). status is a
 * git_delta_t; deleted paths only add their directory. Returns 0, or -1
 * after printing a repository error.
 */
int policy_file(void *policy, const char *path, unsigned mode, const git_oid *id,
		int status);

/*
 * Judge one file given its whole content (for scans of files on disk or
 * in history, where there is no staged blob): add a policy finding unless
 * the allowlist lets it through. Returns 1 if a finding was added, else 0.
 */
int policy_check_file(struct policy *p, const char *path, const char *data, size_t len);

/*
 * The .gitignore coverage check, after the walk: .env-like files (names of
 * policies with `ignore` lines) in the work tree, in the root and in every
 * directory policy_file() saw, that are neither tracked (in the index git
 * will commit) nor ignored, become findings of kind "gitignore". Does
 * nothing when gitignore-check is off, in a bare repository, or without a
 * repository. Returns 0, or -1 after printing an error.
 */
int policy_gitignore(struct policy *p);

/*
 * Append to out the .gitignore lines of every policy, in order, leaving
 * out lines already in out. Strings are copied.
 */
void policy_ignore_lines(const struct policy *p, struct strlist *out);

/* The .gitignore line that keeps `path`, flagged by r, out of git: a line
 * of r's ignore list matching its name, r's name pattern when it has no
 * '/', else "/path". Caller frees. */
char *policy_ignore_line_for(const struct policy_rule *r, const char *path);

#endif
