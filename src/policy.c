#define PCRE2_CODE_UNIT_WIDTH 8
#include "policy.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "allow.h"
#include "buf.h"
#include "defaults.h"
#include "gitignore.h"
#include "msg.h"
#include "source.h"

extern const char leakgate_policy_ini[];
extern const char leakgate_policy_ini_end[];

/* --- names ---------------------------------------------------------------- */

static void pats_add(struct name_pats *l, const char *pat, size_t n)
{
	struct name_pat *x;
	size_t i;

	if (n && *pat == '/') {	/* "/x" means the same here: a name, anchored */
		pat++;
		n--;
	}
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	x = &l->v[l->n++];
	memset(x, 0, sizeof(*x));
	x->s = xstrndup(pat, n);
	x->len = n;
	x->shape = NAME_LITERAL;
	for (i = 0; i < n; i++) {
		if (pat[i] == '/')
			x->slashes++;
		if (strchr("*?[\\", pat[i]))
			x->shape = NAME_GLOB;
	}
	if (x->shape == NAME_GLOB && n > 1 && pat[0] == '*' && !x->slashes &&
	    !strpbrk(x->s + 1, "*?[\\")) {
		x->shape = NAME_STAR_SUFFIX;
		x->len = n - 1;
	}
}

static void pats_release(struct name_pats *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* x against path, whose last component is base[0..blen). */
static int pat_match(const struct name_pat *x, const char *path, const char *base, size_t blen)
{
	const char *s = base;
	size_t k = x->slashes;

	if (k) {
		/* Back to the start of the last k+1 components of path. */
		for (; k; k--) {
			if (s == path)
				return 0;	/* fewer components than the pattern */
			for (s--; s > path && s[-1] != '/'; s--)
				;
		}
	} else if (x->shape == NAME_LITERAL) {
		return blen == x->len && !strcasecmp(base, x->s);
	} else if (x->shape == NAME_STAR_SUFFIX) {
		return blen >= x->len && !strcasecmp(base + blen - x->len, x->s + 1);
	}
	return fnmatch(x->s, s, FNM_PATHNAME | FNM_CASEFOLD) == 0;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int any_match(const struct name_pats *pats, const char *path)
{
	const char *base = basename_of(path);
	size_t i, blen = strlen(base);

	for (i = 0; i < pats->n; i++)
		if (pat_match(&pats->v[i], path, base, blen))
			return 1;
	return 0;
}

int policy_name_match(const char *pat, const char *path)
{
	struct name_pats one = { 0 };
	int rc;

	pats_add(&one, pat, strlen(pat));
	rc = any_match(&one, path);
	pats_release(&one);
	return rc;
}

/* --- loading policy.ini --------------------------------------------------- */

struct load {
	struct policy *p;
	const char *name;
	struct policy_rule *cur;
	char err[256];
};

static struct policy_rule *new_rule(struct policy *p, const char *id, const char *file)
{
	struct policy_rule *r;

	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 32;
		p->v = xrealloc(p->v, p->alloc * sizeof(*p->v));
	}
	r = &p->v[p->n++];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id);
	r->file = file;
	r->severity = SEV_HIGH;
	return r;
}

static void add_pats(struct name_pats *l, const char *v)
{
	struct strlist items = { 0 };
	size_t i;

	strlist_split(&items, v);
	for (i = 0; i < items.n; i++)
		pats_add(l, items.v[i], strlen(items.v[i]));
	strlist_release(&items);
}

static void append(char **dst, const char *v, const char *sep)
{
	struct buf b = BUF_INIT;

	if (*dst) {
		buf_adds(&b, *dst);
		buf_adds(&b, sep);
	}
	buf_adds(&b, v);
	free(*dst);
	*dst = buf_detach(&b, NULL);
}

static int parse_sev(const char *s, enum severity *out)
{
	int i;

	for (i = SEV_INFO; i <= SEV_CRITICAL; i++)
		if (!strcmp(s, severity_name((enum severity)i))) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

/* inih handler. A continuation line calls it again with the same key:
 * lists grow, the reason grows by a space, the regex by nothing. */
static int load_handler(void *user, const char *section, const char *key, const char *value)
{
	struct load *l = user;
	struct policy *p = l->p;
	size_t n = strlen(section), i;

	if (n < 10 || strncmp(section, "policy \"", 8) || section[n - 1] != '"') {
		snprintf(l->err, sizeof(l->err), "section [%s] is not [policy \"ID\"]", section);
		return 0;
	}
	if (!l->cur || strncmp(l->cur->id, section + 8, n - 9) || l->cur->id[n - 9]) {
		char *id = xstrndup(section + 8, n - 9);

		for (i = 0; i < p->n; i++)
			if (!strcmp(p->v[i].id, id)) {
				snprintf(l->err, sizeof(l->err), "policy '%s' defined twice", id);
				free(id);
				return 0;
			}
		l->cur = new_rule(p, id, l->name);
		free(id);
	}
	if (!strcmp(key, "names")) {
		add_pats(&l->cur->names, value);
	} else if (!strcmp(key, "allow")) {
		add_pats(&l->cur->allow, value);
	} else if (!strcmp(key, "ignore")) {
		strlist_split(&l->cur->ignore, value);
	} else if (!strcmp(key, "content")) {
		append(&l->cur->content, value, "");
	} else if (!strcmp(key, "reason")) {
		append(&l->cur->reason, value, " ");
	} else if (!strcmp(key, "severity")) {
		if (parse_sev(value, &l->cur->severity) < 0) {
			snprintf(l->err, sizeof(l->err),
				 "severity '%s' is not critical, high, medium, low or info", value);
			return 0;
		}
	} else {
		snprintf(l->err, sizeof(l->err), "unknown key '%s' in [policy \"%s\"]", key,
			 l->cur->id);
		return 0;
	}
	return 1;
}

static void rule_release(struct policy_rule *r)
{
	free(r->id);
	pats_release(&r->names);
	pats_release(&r->allow);
	strlist_release(&r->ignore);
	free(r->content);
	free(r->reason);
	pcre2_code_free(r->re);
	memset(r, 0, sizeof(*r));
}

int policy_compile(struct policy_rule *r)
{
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off;
	int code;

	r->re = pcre2_compile((PCRE2_SPTR)r->content, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE,
			      &code, &off, NULL);
	if (!r->re) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		errorf("%s: policy '%s': bad content regex at offset %zu: %s", r->file, r->id,
		       (size_t)off, (char *)msg);
		return -1;
	}
	return 0;
}

int policy_load_text(struct policy *p, const char *name, const char *text, size_t len)
{
	struct load l;
	struct buf b = BUF_INIT;
	struct strlist sections = { 0 };
	size_t first = p->n, i, line = 1, col, start = 0;
	int rc;

	memset(&l, 0, sizeof(l));
	l.p = p;
	strlist_push(&p->files, name);
	l.name = p->files.v[p->files.n - 1];
	/* inih cuts long lines without saying so, and does not tell a section
	 * given twice from one continued: look at the lines first. */
	for (i = 0; i < len; i++) {
		col = i - start;
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		} else if (col >= CONFIG_MAX_LINE || !text[i]) {
			errorf("%s:%zu: line too long or holding a NUL byte", name, line);
			strlist_release(&sections);
			return -1;
		} else if (col == 0 && text[i] == '[') {
			const char *nl = memchr(text + i, '\n', len - i);
			size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
			char *h = xstrndup(text + i, n);

			if (strlist_has(&sections, h)) {
				errorf("%s:%zu: section %s given twice", name, line, h);
				free(h);
				strlist_release(&sections);
				return -1;
			}
			strlist_push(&sections, h);
			free(h);
		}
	}
	strlist_release(&sections);
	buf_add(&b, text, len);
	rc = ini_parse_string(b.ptr, load_handler, &l);
	buf_release(&b);
	if (rc) {
		errorf("%s:%d: %s", name, rc, l.err[0] ? l.err : "syntax error");
		goto fail;
	}
	for (i = first; i < p->n; i++) {
		struct policy_rule *r = &p->v[i];

		if (!r->names.n || !r->reason) {
			errorf("%s: policy '%s' needs names and a reason", name, r->id);
			goto fail;
		}
		/* Regexes compile when a name first needs its content; the
		 * unit tests compile them all. */
	}
	return 0;
fail:
	/* All or nothing: drop what this text added. */
	while (p->n > first)
		rule_release(&p->v[--p->n]);
	return -1;
}

int policy_known_id(const char *id)
{
	struct buf h = BUF_INIT;
	size_t n = strlen(id), suffix = strlen("-not-ignored");
	int found;

	if (!strcmp(id, "forbidden-file"))
		return 1;
	if (n > suffix && !strcmp(id + n - suffix, "-not-ignored"))
		n -= suffix;
	buf_adds(&h, "\n[policy \"");
	buf_add(&h, id, n);
	buf_adds(&h, "\"]");
	found = memmem(leakgate_policy_ini, (size_t)(leakgate_policy_ini_end - leakgate_policy_ini),
		       h.ptr, h.len) != NULL;
	buf_release(&h);
	return found;
}

/* --- building and freeing ------------------------------------------------- */

int policy_new(struct policy **out, const struct config *cfg, git_repository *repo,
	       struct findings *findings, struct allow *allow)
{
	struct policy *p = xcalloc(1, sizeof(*p));
	size_t i;

	*out = NULL;
	p->repo = repo;
	p->findings = findings;
	p->allowlist = allow;
	p->max_blob_size = cfg ? cfg->set.max_blob_size : DEFAULT_MAX_BLOB_SIZE;
	p->gitignore_check = cfg ? cfg->set.gitignore_check : 1;
	p->md = pcre2_match_data_create(1, NULL);
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->md || !p->mctx) {
		errorf("cannot allocate PCRE2 match data");
		policy_free(p);
		return -1;
	}
	pcre2_set_match_limit(p->mctx, PCRE2_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, PCRE2_DEPTH_LIMIT);
	if (policy_load_text(p, "<built-in policy>", leakgate_policy_ini,
			     (size_t)(leakgate_policy_ini_end - leakgate_policy_ini)) < 0) {
		policy_free(p);
		return -1;
	}
	if (cfg) {
		if (cfg->policy.forbid.n) {
			struct policy_rule *r = new_rule(p, "forbidden-file", "<config>");

			for (i = 0; i < cfg->policy.forbid.n; i++)
				pats_add(&r->names, cfg->policy.forbid.v[i],
					 strlen(cfg->policy.forbid.v[i]));
			r->reason = xstrdup("this name is forbidden by the repository's leakgate "
					    "config ([policy] forbid)");
		}
		for (i = 0; i < cfg->policy.allow.n; i++)
			pats_add(&p->allow, cfg->policy.allow.v[i], strlen(cfg->policy.allow.v[i]));
	}
	*out = p;
	return 0;
}

void policy_free(struct policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		rule_release(&p->v[i]);
	free(p->v);
	pats_release(&p->allow);
	strlist_release(&p->dirs);
	strlist_release(&p->files);
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	gitignore_free(p->ign);
	for (i = 0; i < p->ntheirs; i++)
		git_tree_free(p->theirs[i]);
	free(p);
}

/* --- judging a staged path ------------------------------------------------ */

/* Whether the config's allowlist lets a finding of rule id at path
 * through (by rule id or path; policy findings have no secret). */
static int allowed(struct policy *p, const char *id, const char *path)
{
	struct allow_query q;

	if (!p->allowlist)
		return 0;
	memset(&q, 0, sizeof(q));
	q.rule_id = id;
	q.path = path;
	return allow_match(p->allowlist, &q) >= 0;
}

const struct policy_rule *policy_judge(struct policy *p, const char *path,
				       const char *content, size_t len,
				       int *needs_content)
{
	size_t i;

	*needs_content = 0;
	if (any_match(&p->allow, path))
		return NULL;
	for (i = 0; i < p->n; i++) {
		struct policy_rule *r = &p->v[i];
		int rc;

		if (!any_match(&r->names, path) || any_match(&r->allow, path))
			continue;
		if (!r->content)
			return r;
		if (!content) {
			/* Content decides, and decides before any later policy. */
			*needs_content = 1;
			return NULL;
		}
		if (!r->re && policy_compile(r) < 0)
			return r;	/* fail closed; the error is printed */
		rc = pcre2_match(r->re, (PCRE2_SPTR)content, len, 0, 0, p->md, p->mctx);
		if (rc >= 0)
			return r;
		if (rc != PCRE2_ERROR_NOMATCH) {
			/* A limit hit on a file whose name already matched: fail
			 * closed rather than let a crafted file through. */
			verbosef("policy '%s': content regex stopped (%d) on %s", r->id, rc, path);
			return r;
		}
	}
	return NULL;
}

/* Shell-quote s for a command the user can paste. */
static void add_shell_quoted(struct buf *b, const char *s)
{
	const char *c;

	for (c = s; *c; c++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789._-/+@=:,%", *c))
			break;
	if (!*c && *s && *s != '-') {
		buf_adds(b, s);
		return;
	}
	/* '"'"' rather than '\'' for a quote: the text report escapes
	 * backslashes, and the command must survive it. */
	buf_addc(b, '\'');
	for (c = s; *c; c++) {
		if (*c == '\'')
			buf_adds(b, "'\"'\"'");
		else
			buf_addc(b, *c);
	}
	buf_addc(b, '\'');
}

char *policy_ignore_line_for(const struct policy_rule *r, const char *path)
{
	const char *name = basename_of(path);
	struct buf b = BUF_INIT;
	size_t i;

	/* git matches .gitignore lines with letter case (core.ignorecase
	 * aside), so the suggestion is checked the same way. */
	for (i = 0; i < r->ignore.n; i++)
		if (r->ignore.v[i][0] != '!' && !strchr(r->ignore.v[i], '/') &&
		    fnmatch(r->ignore.v[i], name, 0) == 0)
			return xstrdup(r->ignore.v[i]);
	if (!r->content)
		for (i = 0; i < r->names.n; i++)
			if (!r->names.v[i].slashes && fnmatch(r->names.v[i].s, name, 0) == 0)
				return xstrdup(r->names.v[i].s);
	buf_addc(&b, '/');
	/* Glob characters in the name itself must not act as globs. */
	for (; *path; path++) {
		if (strchr("*?[\\", *path))
			buf_addc(&b, '\\');
		buf_addc(&b, *path);
	}
	return buf_detach(&b, NULL);
}

/* "keep templates with '!.env.example'" when the rule has exceptions. */
static const char *first_exception(const struct policy_rule *r)
{
	size_t i;

	for (i = 0; i < r->ignore.n; i++)
		if (r->ignore.v[i][0] == '!')
			return r->ignore.v[i];
	return NULL;
}

static void add_policy_finding(struct policy *p, const struct policy_rule *r, const char *path)
{
	struct buf rem = BUF_INIT;
	char *line = policy_ignore_line_for(r, path);
	const char *exc = first_exception(r);

	buf_adds(&rem, "Unstage it (the file stays on disk): git rm --cached ");
	add_shell_quoted(&rem, path);
	buf_printf(&rem, " — then keep it out of git with the line '%s' in .gitignore", line);
	if (exc)
		buf_printf(&rem, " (templates stay in with '%s'; 'leakgate init' adds them all)", exc);
	buf_adds(&rem, ". If it was ever pushed or shared, rotate every key, token and password "
		 "in it: deleting it from the repository does not make them safe.");
	findings_add_file(p->findings, path, KIND_POLICY, r->id, r->severity, r->reason, rem.ptr);
	p->flagged++;
	free(line);
	buf_release(&rem);
}

static void remember_dir(struct policy *p, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (!n)
		return;		/* the root is always checked */
	/* The diff comes sorted by path, so repeats are mostly adjacent;
	 * policy_gitignore() removes the rest. */
	if (p->dirs.n && strlen(p->dirs.v[p->dirs.n - 1]) == n &&
	    !memcmp(p->dirs.v[p->dirs.n - 1], path, n))
		return;
	strlist_pushn(&p->dirs, path, n);
}

static int collect_theirs(const git_oid *oid, void *payload)
{
	struct policy *p = payload;
	git_commit *c = NULL;
	int rc;

	if (p->ntheirs >= sizeof(p->theirs) / sizeof(p->theirs[0]))
		return 0;
	if (git_commit_lookup(&c, p->repo, oid) < 0)
		return -1;
	rc = git_commit_tree(&p->theirs[p->ntheirs], c);
	if (rc == 0)
		p->ntheirs++;
	git_commit_free(c);
	return rc;
}

/*
 * Whether the same blob is at path in a commit being merged (MERGE_HEAD):
 * then the file is already history of the other branch, and the merge
 * does not add it — the same rule the secret scan follows. A file changed
 * while resolving the merge has another blob and is still judged.
 */
static int from_merged_branch(struct policy *p, const char *path, const git_oid *id)
{
	size_t i;
	int err, same = 0;

	if (!p->theirs_read) {
		p->theirs_read = 1;
		err = git_repository_mergehead_foreach(p->repo, collect_theirs, p);
		if (err < 0 && err != GIT_ENOTFOUND)
			verbosef("cannot read MERGE_HEAD; judging every staged file");
	}
	for (i = 0; i < p->ntheirs && !same; i++) {
		git_tree_entry *te = NULL;

		if (git_tree_entry_bypath(&te, p->theirs[i], path) == 0) {
			same = git_oid_equal(git_tree_entry_id(te), id);
			git_tree_entry_free(te);
		}
	}
	return same;
}

int policy_file(void *policy, const char *path, unsigned mode, const git_oid *id, int status)
{
	struct policy *p = policy;
	const struct policy_rule *r;
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t len;
	int needs = 0;

	remember_dir(p, path);
	/* A deletion is the cure, not the problem; a symlink holds a path,
	 * not the file it points to. */
	if (status == GIT_DELTA_DELETED || mode == GIT_FILEMODE_LINK ||
	    mode == GIT_FILEMODE_COMMIT)
		return 0;
	p->judged++;
	r = policy_judge(p, path, NULL, 0, &needs);
	if (!r && needs && p->repo) {
		if (git_repository_odb(&odb, p->repo) < 0 ||
		    git_odb_read_header(&len, &type, odb, id) < 0) {
			git_odb_free(odb);
			source_git_error("cannot read a staged object");
			return -1;
		}
		git_odb_free(odb);
		/* Over the cap the source reports the file as skipped. */
		if (len > p->max_blob_size)
			return 0;
		if (git_blob_lookup(&blob, p->repo, id) < 0) {
			source_git_error("cannot read a staged blob");
			return -1;
		}
		r = policy_judge(p, path, git_blob_rawcontent(blob),
				 (size_t)git_blob_rawsize(blob), &needs);
		git_blob_free(blob);
	}
	if (r && p->repo && from_merged_branch(p, path, id)) {
		verbosef("%s: arrived from the merged branch, not flagged again", path);
		p->merged_in++;
		r = NULL;
	}
	if (r && allowed(p, r->id, path)) {
		verbosef("%s: %s allowed by the config", path, r->id);
		r = NULL;
	}
	if (r)
		add_policy_finding(p, r, path);
	return 0;
}

int policy_check_file(struct policy *p, const char *path, const char *data, size_t len)
{
	const struct policy_rule *r;
	int needs = 0;

	p->judged++;
	r = policy_judge(p, path, data, len, &needs);
	if (r && allowed(p, r->id, path)) {
		verbosef("%s: %s allowed by the config", path, r->id);
		r = NULL;
	}
	if (r)
		add_policy_finding(p, r, path);
	return r != NULL;
}

/* --- .gitignore coverage -------------------------------------------------- */

/* The policy whose ignore lines should cover this name, or NULL. */
static const struct policy_rule *ignore_rule_for(struct policy *p, const char *name)
{
	size_t i;

	if (any_match(&p->allow, name))
		return NULL;
	for (i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->v[i];

		if (r->ignore.n && !r->content && any_match(&r->names, name) &&
		    !any_match(&r->allow, name))
			return r;
	}
	return NULL;
}

/* Whether rel is in the index git will commit. The direct index reader
 * looks up one path without loading the whole index (60 ms and more in a
 * big repository); a conflicted path cannot be committed anyway. */
static int tracked(struct policy *p, const char *rel, int *out)
{
	git_oid id;
	int rc = source_staged_blob(p->repo, rel, &id);

	if (rc < 0)
		return -1;
	*out = rc == 1;
	return 0;
}

static int not_ignored_finding(struct policy *p, const struct policy_rule *r, const char *rel)
{
	struct buf msg = BUF_INIT, id = BUF_INIT, rem = BUF_INIT;
	char *line;
	const char *exc = first_exception(r);

	/* Allowing the policy (env-file) allows its coverage check too. */
	buf_printf(&id, "%s-not-ignored", r->id);
	if (allowed(p, id.ptr, rel) || allowed(p, r->id, rel)) {
		buf_release(&id);
		return 0;
	}
	line = policy_ignore_line_for(r, rel);

	buf_printf(&msg, "neither tracked nor ignored by git, so 'git add .' would commit it: "
		   "add the line '%s' to the .gitignore at the top of the repository", line);
	if (exc)
		buf_printf(&msg, " (keep templates with '%s')", exc);
	buf_adds(&msg, ", or run 'leakgate init'");
	buf_reset(&rem);
	buf_adds(&rem, "Then check with: git check-ignore -v ");
	add_shell_quoted(&rem, rel);
	findings_add_file(p->findings, rel, KIND_GITIGNORE, id.ptr, SEV_MEDIUM, msg.ptr, rem.ptr);
	p->not_ignored++;
	free(line);
	buf_release(&msg);
	buf_release(&id);
	buf_release(&rem);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Look at the entries of one directory (dir "" is the root). */
static int check_dir(struct policy *p, const char *workdir, const char *dir)
{
	struct buf full = BUF_INIT, rel = BUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	buf_printf(&full, "%s%s", workdir, dir);
	d = opendir(full.ptr);
	p->dirs_read += d != NULL;
	if (!d) {
		/* A staged path whose directory is gone from the work tree
		 * (git rm --cached, then rm -r) has nothing to check. */
		if (errno != ENOENT && errno != ENOTDIR)
			verbosef("cannot read directory '%s': %s", full.ptr, strerror(errno));
		buf_release(&full);
		return 0;
	}
	while (!rc && (de = readdir(d))) {
		const struct policy_rule *r;
		struct stat st;
		int is_tracked, ignored = 0;

		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		if (!(r = ignore_rule_for(p, de->d_name)))
			continue;
		buf_reset(&rel);
		if (*dir)
			buf_printf(&rel, "%s/", dir);
		buf_adds(&rel, de->d_name);
		if (de->d_type == DT_UNKNOWN) {
			buf_reset(&full);
			buf_printf(&full, "%s%s", workdir, rel.ptr);
			if (lstat(full.ptr, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
		}
		/* Ignored first: it is the common answer, and it spares
		 * reading a second copy of a large index (GIT_INDEX_FILE). */
		if (!p->ign && (rc = gitignore_new(&p->ign, p->repo)) < 0)
			break;
		ignored = gitignore_is_ignored(p->ign, rel.ptr, 0);
		if (ignored)
			continue;
		if ((rc = tracked(p, rel.ptr, &is_tracked)) < 0)
			break;
		if (!is_tracked)
			rc = not_ignored_finding(p, r, rel.ptr);
	}
	closedir(d);
	buf_release(&full);
	buf_release(&rel);
	return rc;
}

int policy_gitignore(struct policy *p)
{
	const char *workdir;
	size_t i;
	int rc;

	verbosef("file policy: %zu staged %s judged, %zu flagged, %zu from a merged branch",
		 p->judged, p->judged == 1 ? "path" : "paths", p->flagged, p->merged_in);
	if (!p->gitignore_check || !p->repo || !(workdir = git_repository_workdir(p->repo)))
		return 0;
	if ((rc = check_dir(p, workdir, "")) < 0)
		return rc;
	if (p->dirs.n > 1)
		qsort(p->dirs.v, p->dirs.n, sizeof(*p->dirs.v), cmp_str);
	for (i = 0; i < p->dirs.n; i++) {
		if (i && !strcmp(p->dirs.v[i], p->dirs.v[i - 1]))
			continue;
		if ((rc = check_dir(p, workdir, p->dirs.v[i])) < 0)
			return rc;
	}
	verbosef(".gitignore coverage: %zu %s read, %zu .env-like %s neither tracked nor ignored",
		 p->dirs_read, p->dirs_read == 1 ? "directory" : "directories", p->not_ignored,
		 p->not_ignored == 1 ? "file" : "files");
	return 0;
}

void policy_ignore_lines(const struct policy *p, struct strlist *out)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->v[i].ignore.n; j++)
			if (!strlist_has(out, p->v[i].ignore.v[j]))
				strlist_push(out, p->v[i].ignore.v[j]);
	}
}
