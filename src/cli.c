#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
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

/* Whether a config file is there to be read: anything but "no such file"
 * counts, so that a symlink loop, a dangling link or an unreadable file is
 * an error (config_load_file says which), never a silently missing layer. */
static int config_present(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 || errno != ENOENT;
}

/* The repository's .leakgate.ini: the staged version when it is in the
 * index (what will be committed), else the work tree's, else none. */
static int load_repo_config(struct config *c, git_repository *repo)
{
	git_index *idx = NULL;
	const git_index_entry *e;
	git_blob *blob = NULL;
	const char *wd;
	int rc = 0;

	if (!repo || git_repository_is_bare(repo))
		return 0;
	if (source_index(&idx, repo) < 0)
		return -2;
	e = git_index_get_bypath(idx, ".leakgate.ini", 0);
	if (e) {
		if (git_blob_lookup(&blob, repo, &e->id) < 0) {
			source_git_error("cannot read the staged .leakgate.ini");
			rc = -2;
		} else {
			rc = config_load_text(c, ".leakgate.ini", git_blob_rawcontent(blob),
					      (size_t)git_blob_rawsize(blob), 0);
			git_blob_free(blob);
		}
	} else if ((wd = git_repository_workdir(repo))) {
		struct buf p = BUF_INIT;

		buf_printf(&p, "%s.leakgate.ini", wd);
		if (config_present(p.ptr))
			rc = config_load_file(c, p.ptr);
		buf_release(&p);
	}
	git_index_free(idx);
	return rc;
}

/* All layers. Returns 0, or an exit code. */
static int load_config(struct config *c, const struct options *o, git_repository *repo)
{
	char *user = user_config_path();
	int rc;

	if ((rc = cli_load_builtin(c)) != 0) {
		free(user);
		return rc;
	}
	if (user && config_present(user) && config_load_file(c, user) < 0) {
		free(user);
		return EXIT_USAGE;
	}
	free(user);
	if ((rc = load_repo_config(c, repo)) < 0)
		return rc == -2 ? EXIT_INTERNAL : EXIT_USAGE;
	if (o->config_file && config_load_file(c, o->config_file) < 0)
		return EXIT_USAGE;
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
