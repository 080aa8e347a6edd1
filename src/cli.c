#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "allow.h"
#include "extract.h"
#include "policy.h"
#include "source.h"

int cli_load_builtin(struct config *c)
{
	config_init(c);
	if (config_load_text(c, "<built-in rules>", leakgate_rules_ini,
			     (size_t)(leakgate_rules_ini_end - leakgate_rules_ini), 1) < 0)
		return EXIT_INTERNAL;
	return 0;
}

/* $XDG_CACHE_HOME/leakgate, else ~/.cache/leakgate; NULL: no cache. */
char *cli_cache_dir(const struct options *o)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (o->no_cache)
		return NULL;
	if (x && x[0] == '/')
		buf_printf(&b, "%s/leakgate", x);
	else if (home && home[0] == '/')
		buf_printf(&b, "%s/.cache/leakgate", home);
	else
		return NULL;
	return buf_detach(&b, NULL);
}

static char *user_config_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (x && x[0] == '/')
		buf_printf(&b, "%s/leakgate/config.ini", x);
	else if (home && home[0] == '/')
		buf_printf(&b, "%s/.config/leakgate/config.ini", home);
	else
		return NULL;
	return buf_detach(&b, NULL);
}

/* A file of the repository as it will be committed: the staged blob when
 * path is in the index (*found = 1), else nothing (*found = 0, and
 * *on_disk says whether the work tree has it). Returns 0, or -2 after
 * printing a repository error. */
static int read_staged(struct buf *out, int *found, int *on_disk, git_repository *repo,
		       const char *path)
{
	git_blob *blob = NULL;
	git_oid id;
	const char *wd = git_repository_workdir(repo);
	int rc = 0, staged;

	*found = *on_disk = 0;
	/* Not source_index(): loading a large index costs more than the
	 * whole check (issue 7). */
	if ((staged = source_staged_blob(repo, path, &id)) < 0)
		return -2;
	if (staged) {
		if (git_blob_lookup(&blob, repo, &id) < 0) {
			source_git_error("cannot read a staged file");
			rc = -2;
		} else {
			buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			*found = 1;
			git_blob_free(blob);
		}
	} else if (wd) {
		struct buf p = BUF_INIT;
		struct stat st;

		buf_printf(&p, "%s%s", wd, path);
		/* Anything but "no such file" counts as there: a dangling
		 * symlink, a loop or an unreadable directory must fail
		 * loudly when read, never mean "no config". */
		*on_disk = lstat(p.ptr, &st) == 0 || errno != ENOENT;
		buf_release(&p);
	}
	return rc;
}

/* Read a whole file from disk into out. Returns 0, or -1 with errno set. */
static int read_file(struct buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

/*
 * The repository's .leakgate.ini. When it is in the index, the staged
 * version is read, not the work tree's: a commit is judged by the
 * allowlist that is committed with it, so an unstaged edit cannot let a
 * secret through. When it is not in the index at all, the work tree's file
 * is read; the hook then warns that this commit does not carry it.
 */
static int load_repo_config(struct config *c, git_repository *repo, int staged_scan)
{
	struct buf text = BUF_INIT, path = BUF_INIT;
	int found, on_disk, rc;

	if (!repo || git_repository_is_bare(repo))
		return 0;
	rc = read_staged(&text, &found, &on_disk, repo, ".leakgate.ini");
	if (rc == 0 && found) {
		rc = config_load_text(c, ".leakgate.ini", text.ptr, text.len, 0);
	} else if (rc == 0 && on_disk) {
		if (staged_scan)
			warnf("using .leakgate.ini from the work tree: it is not staged, so "
			      "this commit does not carry it (git add .leakgate.ini)");
		buf_printf(&path, "%s.leakgate.ini", git_repository_workdir(repo));
		rc = config_load_file(c, path.ptr);
	}
	buf_release(&text);
	buf_release(&path);
	return rc;
}

/*
 * The baseline named by [allow] baseline: a path relative to the work
 * tree's root (or absolute). Inside the work tree it is read like
 * .leakgate.ini: the staged version when it is in the index. A baseline
 * that does not exist is a config error.
 */
static int load_baseline(struct config *c, git_repository *repo, int staged_scan)
{
	const struct cval *cv = &c->allow.baseline;
	const char *wd = repo ? git_repository_workdir(repo) : NULL;
	const char *name = cv->s;
	struct buf text = BUF_INIT, path = BUF_INIT;
	int rc = 0, found = 0, on_disk = 0;

	if (!cv->s || !*cv->s)
		return 0;
	if (cv->s[0] != '/' && wd) {
		name = cv->s;
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		if ((rc = read_staged(&text, &found, &on_disk, repo, name)) < 0)
			goto out;
		if (found) {
			rc = config_load_baseline(c, name, text.ptr, text.len) < 0 ? -1 : 0;
			goto out;
		}
		if (on_disk && staged_scan)
			warnf("using baseline '%s' from the work tree: it is not staged, so "
			      "this commit does not carry it (git add %s)", name, name);
		buf_printf(&path, "%s%s", wd, name);
	} else {
		buf_adds(&path, cv->s);
	}
	if (read_file(&text, path.ptr) < 0) {
		errorf("%s:%d: cannot read baseline '%s': %s; write one with "
		       "'leakgate scan --staged --write-baseline FILE'", cv->file, cv->line,
		       cv->s, strerror(errno));
		rc = -1;
		goto out;
	}
	rc = config_load_baseline(c, name, text.ptr, text.len) < 0 ? -1 : 0;
out:
	buf_release(&text);
	buf_release(&path);
	return rc;
}

/* All layers. Returns 0, or an exit code. */
static int load_config(struct config *c, const struct options *o, git_repository *repo)
{
	char *user = user_config_path();
	/* Scans of what is about to be committed (not of files on disk or
	 * of history) say when they use a config file that is not staged. */
	int staged = !strcmp(o->command, "pre-commit") || o->staged;
	struct stat st;
	int rc;

	if ((rc = cli_load_builtin(c)) != 0) {
		free(user);
		return rc;
	}
	/* As for the repository's file: only "no such file" means none. */
	if (user && (lstat(user, &st) == 0 || errno != ENOENT) &&
	    config_load_file(c, user) < 0) {
		free(user);
		return EXIT_USAGE;
	}
	free(user);
	if ((rc = load_repo_config(c, repo, staged)) < 0)
		return rc == -2 ? EXIT_INTERNAL : EXIT_USAGE;
	if (o->config_file && config_load_file(c, o->config_file) < 0)
		return EXIT_USAGE;
	/* Writing a baseline records every current finding, so the old
	 * baseline must not hide any. */
	if (!o->write_baseline && (rc = load_baseline(c, repo, staged)) < 0)
		return rc == -2 ? EXIT_INTERNAL : EXIT_USAGE;
	return 0;
}

static void apply_config_options(struct options *o, const struct config *c)
{
	/* The command line wins over the config. */
	if (!o->format && c->set.format.s)
		o->format = c->set.format.s;
	if (o->color == COLOR_AUTO && c->set.color.s) {
		if (!strcmp(c->set.color.s, "always"))
			o->color = COLOR_ALWAYS;
		else if (!strcmp(c->set.color.s, "never"))
			o->color = COLOR_NEVER;
	}
	if (!o->format)
		o->format = "text";
	msg_init(o->color, o->verbosity);
}

int pipeline_open(struct pipeline *p, struct options *o, git_repository *repo)
{
	size_t i;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = load_config(&p->cfg, o, repo)) != 0)
		return rc;
	apply_config_options(o, &p->cfg);
	if (rules_build(&p->rules, &p->cfg) < 0)
		return EXIT_USAGE;
	p->cache = cli_cache_dir(o);
	rc = scan_init(&p->scan, &p->cfg, &p->rules, p->cache);
	if (rc < 0)
		return rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
	allow_check_ids(filter_allow(p->scan.filter), policy_known_id);
	/* PCRE2 compiles a rule's pattern only when the rule first hits; a
	 * pattern a config file wrote must fail now, as a config error, not
	 * in the middle of a scan. (Built-in rules are checked by the tests.) */
	for (i = 0; i < p->rules.n; i++) {
		const struct rule_def *d = p->rules.v[i].def;

		if ((!d->builtin || (d->pattern.file && d->pattern.file != d->file) ||
		     (d->extract.file && d->extract.file != d->file)) &&
		    extract_compile(p->scan.x, (unsigned)i) < 0)
			return EXIT_USAGE;
	}
	return 0;
}

void pipeline_close(struct pipeline *p)
{
	scan_release(&p->scan);
	rules_release(&p->rules);
	config_release(&p->cfg);
	free(p->cache);
	memset(p, 0, sizeof(*p));
}
