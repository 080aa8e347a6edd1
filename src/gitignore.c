#include "gitignore.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "source.h"

/* .gitignore files larger than this are read only this far. */
#define GITIGNORE_MAX_SIZE (4u * 1024 * 1024)

enum {
	PAT_NEGATIVE = 1 << 0,	/* "!pattern" */
	PAT_MUSTBEDIR = 1 << 1,	/* "pattern/" */
	PAT_NODIR = 1 << 2,	/* no '/': matched against the basename */
};

struct pattern {
	char *pat;
	unsigned flags;
};

/* The lines of one source, relative to base ("" or "dir/sub/"). */
struct plist {
	char *base;		/* NULL for info/exclude and core.excludesFile */
	struct pattern *v;
	size_t n, alloc;
};

struct gitignore {
	git_repository *repo;
	const char *workdir;
	int icase;
	struct plist info, global;
	struct plist *dirs;	/* per-directory .gitignore files read so far */
	size_t ndirs, alloc_dirs;
};

/* --- matching -------------------------------------------------------------- */

static int fnm(const char *pat, size_t plen, const char *s, size_t slen, int icase)
{
	char pb[4096], sb[4096];

	if (plen >= sizeof(pb) || slen >= sizeof(sb))
		return 0;
	memcpy(pb, pat, plen);
	pb[plen] = '\0';
	memcpy(sb, s, slen);
	sb[slen] = '\0';
	return fnmatch(pb, sb, icase ? FNM_CASEFOLD : 0) == 0;
}

/* Match pattern components against path components, "**" spanning any
 * number of them (one or more when it ends the pattern). */
static int wm(const char *p, const char *s, int icase)
{
	const char *pe = strchr(p, '/'), *se;
	size_t plen = pe ? (size_t)(pe - p) : strlen(p);

	if (plen == 2 && p[0] == '*' && p[1] == '*') {
		if (!pe)
			return *s != '\0';
		for (;;) {
			if (wm(pe + 1, s, icase))
				return 1;
			if (!(s = strchr(s, '/')))
				return 0;
			s++;
		}
	}
	se = strchr(s, '/');
	if (!fnm(p, plen, s, se ? (size_t)(se - s) : strlen(s), icase))
		return 0;
	if (!pe)
		return !se;
	return se && wm(pe + 1, se + 1, icase);
}

int gitignore_wildmatch(const char *pattern, const char *path, int icase)
{
	return wm(pattern, path, icase);
}

/* Whether pattern x of list l matches path (whose basename is name). */
static int pattern_matches(const struct gitignore *g, const struct plist *l,
			   const struct pattern *x, const char *path, const char *name,
			   int is_dir)
{
	size_t blen;

	if ((x->flags & PAT_MUSTBEDIR) && !is_dir)
		return 0;
	if (x->flags & PAT_NODIR)
		return fnmatch(x->pat, name, g->icase ? FNM_CASEFOLD : 0) == 0;
	/* Anchored to the directory of the .gitignore. */
	blen = l->base ? strlen(l->base) : 0;
	if (blen && (g->icase ? strncasecmp(path, l->base, blen) : strncmp(path, l->base, blen)))
		return 0;
	return wm(x->pat[0] == '/' ? x->pat + 1 : x->pat, path + blen, g->icase);
}

/* -1 no line matches; else 1 ignored, 0 re-included (last line wins). */
static int list_verdict(const struct gitignore *g, const struct plist *l, const char *path,
			const char *name, int is_dir)
{
	size_t i;

	for (i = l->n; i-- > 0;)
		if (pattern_matches(g, l, &l->v[i], path, name, is_dir))
			return !(l->v[i].flags & PAT_NEGATIVE);
	return -1;
}

/* --- reading sources ------------------------------------------------------- */

/* git's trim_trailing_spaces(): drop trailing spaces not escaped. */
static size_t trim_spaces(const char *s, size_t n)
{
	size_t i, keep = n;
	int escaped = 0;

	for (i = 0, keep = 0; i < n; i++) {
		if (escaped) {
			escaped = 0;
			keep = i + 1;
		} else if (s[i] == '\\') {
			escaped = 1;
			keep = i + 1;
		} else if (s[i] != ' ') {
			keep = i + 1;
		}
	}
	return keep;
}

static void add_line(struct plist *l, const char *s, size_t n)
{
	struct pattern *x;
	unsigned flags = 0;

	n = trim_spaces(s, n);
	if (!n || s[0] == '#')
		return;
	if (s[0] == '!') {
		flags |= PAT_NEGATIVE;
		s++, n--;
	}
	if (n && s[n - 1] == '/') {
		flags |= PAT_MUSTBEDIR;
		n--;
	}
	if (!n)
		return;
	if (!memchr(s, '/', n))
		flags |= PAT_NODIR;
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 16;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	x = &l->v[l->n++];
	x->pat = xstrndup(s, n);
	x->flags = flags;
}

static void parse(struct plist *l, const char *text, size_t len)
{
	size_t pos = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;	/* a UTF-8 BOM */
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + 1;
		if (n && s[n - 1] == '\r')
			n--;
		add_line(l, s, n);
	}
}

/* Read path into l; a missing file is an empty source. */
static void read_source(struct plist *l, const char *path, int nofollow)
{
	struct buf b = BUF_INIT;
	char chunk[16384];
	ssize_t got;
	int fd = open(path, O_RDONLY | (nofollow ? O_NOFOLLOW : 0));

	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			verbosef("cannot read '%s': %s", path, strerror(errno));
		return;
	}
	while ((got = read(fd, chunk, sizeof(chunk))) > 0 && b.len < GITIGNORE_MAX_SIZE)
		buf_add(&b, chunk, (size_t)got);
	close(fd);
	parse(l, b.ptr, b.len);
	buf_release(&b);
}

static void plist_release(struct plist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].pat);
	free(l->v);
	free(l->base);
	memset(l, 0, sizeof(*l));
}

/* The .gitignore of directory dir ("" or "a/b/"), read once. */
static const struct plist *dir_list(struct gitignore *g, const char *dir, size_t len)
{
	struct buf path = BUF_INIT;
	struct plist *l;
	size_t i;

	for (i = 0; i < g->ndirs; i++)
		if (strlen(g->dirs[i].base) == len && !memcmp(g->dirs[i].base, dir, len))
			return &g->dirs[i];
	if (g->ndirs == g->alloc_dirs) {
		g->alloc_dirs = g->alloc_dirs ? 2 * g->alloc_dirs : 16;
		g->dirs = xrealloc(g->dirs, g->alloc_dirs * sizeof(*g->dirs));
	}
	l = &g->dirs[g->ndirs++];
	memset(l, 0, sizeof(*l));
	l->base = xstrndup(dir, len);
	buf_printf(&path, "%s%s.gitignore", g->workdir, l->base);
	/* git does not follow a symlinked .gitignore inside the tree. */
	read_source(l, path.ptr, 1);
	buf_release(&path);
	return l;
}

int gitignore_new(struct gitignore **out, git_repository *repo)
{
	struct gitignore *g;
	git_config *cfg = NULL;
	git_buf excludes = { 0 };
	struct buf path = BUF_INIT;
	int v = 0;

	*out = NULL;
	if (!git_repository_workdir(repo)) {
		errorf("the repository has no work tree");
		return -1;
	}
	g = xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->workdir = git_repository_workdir(repo);
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		source_git_error("cannot read the git config");
		gitignore_free(g);
		return -1;
	}
	if (git_config_get_bool(&v, cfg, "core.ignorecase") == 0)
		g->icase = v;
	buf_printf(&path, "%sinfo/exclude", git_repository_commondir(repo));
	read_source(&g->info, path.ptr, 0);
	buf_reset(&path);
	if (git_config_get_path(&excludes, cfg, "core.excludesFile") == 0) {
		buf_adds(&path, excludes.ptr);
	} else {
		const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

		if (x && *x)
			buf_printf(&path, "%s/git/ignore", x);
		else if (home && *home)
			buf_printf(&path, "%s/.config/git/ignore", home);
	}
	if (path.len)
		read_source(&g->global, path.ptr, 0);
	git_buf_dispose(&excludes);
	git_config_free(cfg);
	buf_release(&path);
	*out = g;
	return 0;
}

void gitignore_free(struct gitignore *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->ndirs; i++)
		plist_release(&g->dirs[i]);
	free(g->dirs);
	plist_release(&g->info);
	plist_release(&g->global);
	free(g);
}

/* -1 undecided, 1 ignored, 0 re-included: path (of length len within the
 * caller's string) judged by the sources in scope, as git's
 * last_matching_pattern_from_lists() does. */
static int verdict(struct gitignore *g, const char *path, int is_dir)
{
	const char *name = strrchr(path, '/');
	size_t end;
	int v;

	name = name ? name + 1 : path;
	/* Per-directory files, deepest first: the path's own directory, then
	 * each parent up to the top. */
	end = (size_t)(name - path);
	for (;;) {
		const struct plist *l = dir_list(g, path, end);

		if ((v = list_verdict(g, l, path, name, is_dir)) >= 0)
			return v;
		if (!end)
			break;
		for (end--; end > 0 && path[end - 1] != '/'; end--)
			;
	}
	if ((v = list_verdict(g, &g->info, path, name, is_dir)) >= 0)
		return v;
	return list_verdict(g, &g->global, path, name, is_dir);
}

int gitignore_is_ignored(struct gitignore *g, const char *path, int is_dir)
{
	struct buf lead = BUF_INIT;
	const char *slash;
	int v;

	/* A path inside an ignored directory is ignored: git does not even
	 * read the .gitignore files below it (dir.c: prep_exclude()). */
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		buf_reset(&lead);
		buf_add(&lead, path, (size_t)(slash - path));
		if (verdict(g, lead.ptr, 1) == 1) {
			buf_release(&lead);
			return 1;
		}
	}
	buf_release(&lead);
	v = verdict(g, path, is_dir);
	return v == 1;
}
