/*
 * test-fastindex.c — the fast index reader against libgit2, change for change.
 *
 * Without arguments: builds repositories with git in a temporary directory,
 * applies random edits (new, changed, deleted, renamed files and directories,
 * mode and type changes, gitlinks, file/directory swaps, partial staging,
 * commits and write-tree between steps so the cache-tree is partly valid) and
 * checks after each step that fastindex_diff() lists exactly what
 * git_diff_tree_to_index() lists. Then checks that the indexes it must not
 * read (version 4, split, sparse, intent-to-add, conflicts) fall back.
 *
 * With arguments: runs the same comparison in each repository given (the
 * bench runs it on its fixtures). LEAKGATE_FASTINDEX_SEED picks the seed,
 * LEAKGATE_FASTINDEX_ROUNDS the number of random repositories.
 *
 * Prints TAP.
 */
#include "fastindex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int test_n, test_failed;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	test_n++;
	if (!cond)
		test_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", test_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

struct change {
	char status;
	char *path;
	git_oid old_id, new_id;
	uint32_t old_mode, new_mode;
};

struct list {
	struct change *v;
	size_t n;
};

static void list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int index_path(char *buf, size_t size, git_repository *repo)
{
	const char *env = getenv("GIT_INDEX_FILE");

	if (env)
		return snprintf(buf, size, "%s", env) < (int)size ? 0 : -1;
	return snprintf(buf, size, "%sindex", git_repository_path(repo)) < (int)size ? 0 : -1;
}

static int head_tree(git_tree **out, git_repository *repo)
{
	git_object *o = NULL;
	int err = git_revparse_single(&o, repo, "HEAD^{tree}");

	*out = NULL;
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		return 0;
	if (err < 0)
		return err;
	*out = (git_tree *)o;
	return 0;
}

/* libgit2's answer: default options, as source.c's fallback asks it. */
static int by_libgit2(struct list *out, git_repository *repo, const char *ipath,
		      git_tree *head)
{
	git_index *ix = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int err;

	if ((err = git_index_open(&ix, ipath)) < 0 ||
	    (err = git_diff_tree_to_index(&diff, repo, head, ix, NULL)) < 0)
		goto out;
	n = git_diff_num_deltas(diff);
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	out->n = n;
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct change *c = &out->v[i];

		switch (d->status) {
		case GIT_DELTA_ADDED: c->status = 'A'; break;
		case GIT_DELTA_MODIFIED: c->status = 'M'; break;
		case GIT_DELTA_DELETED: c->status = 'D'; break;
		default: c->status = '?'; break;
		}
		c->path = strdup(d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path);
		if (d->status != GIT_DELTA_ADDED) {
			c->old_id = d->old_file.id;
			c->old_mode = d->old_file.mode;
		}
		if (d->status != GIT_DELTA_DELETED) {
			c->new_id = d->new_file.id;
			c->new_mode = d->new_file.mode;
		}
	}
out:
	git_diff_free(diff);
	git_index_free(ix);
	return err;
}

static int by_fastindex(struct list *out, git_repository *repo, const char *ipath,
			git_tree *head)
{
	struct fastindex_changes c = { 0 };
	size_t i;
	int err = fastindex_diff(&c, repo, ipath, head);

	if (err == 0) {
		out->v = calloc(c.n ? c.n : 1, sizeof(*out->v));
		out->n = c.n;
		for (i = 0; i < c.n; i++) {
			out->v[i].status = (char)c.v[i].status;
			out->v[i].path = strdup(c.v[i].path);
			if (strlen(c.v[i].path) != c.v[i].path_len)
				out->v[i].status = '!';
			out->v[i].old_id = c.v[i].old_id;
			out->v[i].new_id = c.v[i].new_id;
			out->v[i].old_mode = c.v[i].old_mode;
			out->v[i].new_mode = c.v[i].new_mode;
		}
	}
	fastindex_changes_release(&c);
	return err;
}

static void show(const char *who, const struct change *c)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	git_oid_tostr(a, sizeof(a), &c->old_id);
	git_oid_tostr(b, sizeof(b), &c->new_id);
	printf("#   %s: %c %s %06o %.8s -> %06o %.8s\n", who, c->status, c->path,
	       c->old_mode, a, c->new_mode, b);
}

/*
 * fastindex_lookup() against git_index_get_bypath() for up to `max` paths of
 * the index, every path of `changes`, and a few that are not there. Returns
 * 1 when all agree (or the index is one fastindex leaves to libgit2).
 */
static int compare_lookups(const char *ipath, const struct list *changes, size_t max)
{
	static const char *absent[] = { ".leakgate.ini", "", "zzzz", "a/", "a/b/c/d/e" };
	git_index *ix = NULL;
	size_t i, n;
	int good = 1;

	if (git_index_open(&ix, ipath) < 0)
		return 0;
	n = git_index_entrycount(ix);
	for (i = 0; i < n + changes->n + 5 && good; i++) {
		const char *path;
		const git_index_entry *e;
		git_oid id;
		uint32_t mode;
		int rc;

		if (i < n) {
			if (i >= max)
				continue;
			path = git_index_get_byindex(ix, i)->path;
		} else if (i < n + changes->n) {
			path = changes->v[i - n].path;
		} else {
			path = absent[i - n - changes->n];
		}
		e = git_index_get_bypath(ix, path, 0);
		rc = fastindex_lookup(ipath, path, &id, &mode);
		if (rc == FASTINDEX_FALLBACK)
			continue;
		if (rc != (e != NULL) || (e && (!git_oid_equal(&id, &e->id) || mode != e->mode))) {
			printf("#   lookup '%s': fastindex %d, libgit2 %s\n", path, rc, e ? "found" : "absent");
			good = 0;
		}
	}
	git_index_free(ix);
	return good;
}

/*
 * Compares both readers in the repository at `dir`. Returns 1 when they
 * agree, 0 when not (printing the difference), -1 when fastindex fell back
 * (`*fell_back` set) and -2 on an error.
 */
static int compare(const char *dir, int *fell_back, size_t *nchanges)
{
	git_repository *repo = NULL;
	git_tree *head = NULL;
	struct list a = { 0 }, b = { 0 };
	char ipath[4096];
	int err, res = -2;
	size_t i;

	*fell_back = 0;
	if (git_repository_open(&repo, dir) < 0 || index_path(ipath, sizeof(ipath), repo) < 0 ||
	    head_tree(&head, repo) < 0)
		goto out;
	if (by_libgit2(&a, repo, ipath, head) < 0) {
		const git_error *e = git_error_last();
		printf("#   libgit2: %s\n", e ? e->message : "error");
		goto out;
	}
	err = by_fastindex(&b, repo, ipath, head);
	if (err == FASTINDEX_FALLBACK) {
		/* Lookups may still work in such an index: check them. */
		*fell_back = 1;
		res = compare_lookups(ipath, &a, 500) ? -1 : 0;
		goto out;
	}
	if (err < 0) {
		printf("#   fastindex error %d\n", err);
		goto out;
	}
	*nchanges = a.n;
	res = a.n == b.n;
	for (i = 0; i < a.n && i < b.n && res; i++) {
		const struct change *x = &a.v[i], *y = &b.v[i];
		if (x->status != y->status || strcmp(x->path, y->path) ||
		    !git_oid_equal(&x->old_id, &y->old_id) || !git_oid_equal(&x->new_id, &y->new_id) ||
		    x->old_mode != y->old_mode || x->new_mode != y->new_mode) {
			show("libgit2  ", x);
			show("fastindex", y);
			res = 0;
		}
	}
	if (res && !compare_lookups(ipath, &a, 500))
		res = 0;
	if (a.n != b.n) {
		printf("#   libgit2 %zu changes, fastindex %zu\n", a.n, b.n);
		for (i = 0; i < a.n && i < 20; i++)
			show("libgit2  ", &a.v[i]);
		for (i = 0; i < b.n && i < 20; i++)
			show("fastindex", &b.v[i]);
	}
out:
	list_free(&a);
	list_free(&b);
	git_tree_free(head);
	git_repository_free(repo);
	return res;
}

/* ---- random repositories, driven through git itself ---- */

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		printf("#   command failed (%d): %s\n", rc, cmd);
	return rc;
}

/* Names chosen to exercise git's ordering: "a" < "a-b" < "a.b" < "a/" < "a0". */
static const char *names[] = { "a", "a-b", "a.b", "a0", "ab", "b", "x.c", "z", "A", "d" };
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* Half the time a path git already tracks, so edits hit existing files. */
static void random_path(char *buf, size_t size)
{
	unsigned depth = rnd(4), k;
	size_t n = 0;

	if (rnd(2)) {
		FILE *f = popen("git ls-files 2>/dev/null", "r");
		char line[256];
		unsigned seen = 0;

		buf[0] = '\0';
		/* Reservoir sampling: one line chosen uniformly. */
		while (f && fgets(line, sizeof(line), f)) {
			if (rnd(++seen) == 0) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(buf, size, "%s", line);
			}
		}
		if (f)
			pclose(f);
		if (buf[0])
			return;
	}
	for (k = 0; k <= depth; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? "/" : "", names[rnd(NNAMES)]);
}

/* One random edit of the work tree and index of the repository in cwd. */
static void random_op(void)
{
	char p[256], q[256];

	random_path(p, sizeof(p));
	random_path(q, sizeof(q));
	switch (rnd(12)) {
	case 0: case 1: case 2: /* write a file (maybe replacing a directory) */
		sh("rm -rf '%s' 2>/dev/null; mkdir -p \"$(dirname '%s')\" 2>/dev/null && "
		   "(echo %u >'%s') 2>/dev/null; true", p, p, rnd(1000), p);
		break;
	case 3: /* delete a path (file or whole directory) */
		sh("rm -rf '%s'", p);
		break;
	case 4: /* delete a top-level directory */
		sh("rm -rf '%s'", names[rnd(NNAMES)]);
		break;
	case 5: /* mode change */
		sh("[ -f '%s' ] && chmod %s '%s'; true", p, rnd(2) ? "+x" : "-x", p);
		break;
	case 6: /* type change: file -> symlink */
		sh("[ -f '%s' ] && rm -f '%s' && ln -s target%u '%s'; true", p, p, rnd(9), p);
		break;
	case 7: /* gitlink */
		sh("git update-index --add --cacheinfo 160000,%040u,'%s' 2>/dev/null; true", rnd(99999) + 1, q);
		break;
	case 8: /* rename */
		sh("[ -e '%s' ] && mkdir -p \"$(dirname '%s')\" 2>/dev/null && mv '%s' '%s' 2>/dev/null; true", p, q, p, q);
		break;
	case 9: /* refresh part of the cache-tree, or an intent-to-add entry */
		if (rnd(4) == 0) {
			sh("mkdir -p \"$(dirname '%s')\" 2>/dev/null && (echo ita >'%s') 2>/dev/null && "
			   "git add -N -- '%s' 2>/dev/null; true", q, q, q);
			break;
		}
		sh("git write-tree >/dev/null");
		break;
	case 10: /* commit what is staged */
		sh("git commit -qm step --allow-empty >/dev/null");
		break;
	default: /* stage only one path */
		sh("git add -A -- '%s' 2>/dev/null; true", p);
		break;
	}
}

static void random_rounds(unsigned rounds, unsigned steps)
{
	char tmpl[] = "/tmp/leakgate-fastindex.XXXXXX";
	char *tmp = mkdtemp(tmpl);
	unsigned r, s;
	int agreed = 1, fell_back = 0, fb;
	size_t total = 0, n = 0, checks = 0;

	if (!tmp) {
		ok(0, "temporary directory");
		return;
	}
	for (r = 0; r < rounds; r++) {
		char dir[512];
		int res;

		snprintf(dir, sizeof(dir), "%s/r%u", tmp, r);
		if (sh("git init -q '%s' && cd '%s' && git config core.symlinks true", dir, dir) ||
		    chdir(dir) < 0) {
			agreed = 0;
			break;
		}
		for (s = 0; s < 16; s++)
			random_op();
		sh("git add -A");
		/* Half of the repositories keep an unborn HEAD for a while. */
		if (rnd(2))
			sh("git commit -qm initial --allow-empty >/dev/null");
		for (s = 0; s < steps; s++) {
			random_op();
			if (rnd(3) == 0)
				sh("git add -A");
			res = compare(dir, &fb, &n);
			checks++;
			if (res == -1)
				fell_back++;
			else if (res != 1) {
				printf("#   round %u step %u in %s differs (seed %llu)\n", r, s, dir, rng_state);
				agreed = 0;
				break;
			}
			total += n;
		}
		if (chdir("/") < 0 || !agreed)
			break;
	}
	ok(agreed, "random indexes: fastindex == libgit2 in %zu checks, %zu changes (%d fell back)",
	   checks, total, fell_back);
	if (agreed)
		sh("rm -rf '%s'", tmp);
	else
		printf("#   kept %s\n", tmp);
}

/* fastindex_diff()'s own result in `dir` (libgit2 may refuse the index). */
static int fast_only(const char *dir)
{
	git_repository *repo = NULL;
	git_tree *head = NULL;
	struct fastindex_changes c = { 0 };
	char ipath[4096];
	int err = -99;

	if (git_repository_open(&repo, dir) == 0 && index_path(ipath, sizeof(ipath), repo) == 0 &&
	    head_tree(&head, repo) == 0)
		err = fastindex_diff(&c, repo, ipath, head);
	fastindex_changes_release(&c);
	git_tree_free(head);
	git_repository_free(repo);
	return err;
}

/* Indexes fastindex must leave to libgit2. */
static void fallbacks(void)
{
	static const struct {
		const char *what, *lookup, *setup;
	} cases[] = {
		{ "index version 4", "d1/f", "git update-index --index-version 4" },
		{ "split index", "d1/f", "git update-index --split-index" },
		{ "intent-to-add", "new", "echo n >new && git add -N new" },
		{ "sparse index", "d2/g",
		  "git sparse-checkout init --cone --sparse-index && git sparse-checkout set d1" },
		{ "unknown required extension", "d1/f",
		  "head -c -20 .git/index >i && printf 'zzzz\\0\\0\\0\\0' >>i && "
		  "tail -c 20 .git/index >>i && mv i .git/index" },
		{ "truncated", "d1/f", "head -c 100 .git/index >i && mv i .git/index" },
		{ "merge conflict", "d1/f",
		  "git checkout -qb side && echo side >d1/f && git commit -qam s && "
		  "git checkout -q main && echo main >d1/f && git commit -qam m && "
		  "(git merge -q side >/dev/null 2>&1; true)" },
	};
	char tmpl[] = "/tmp/leakgate-fastindex.XXXXXX";
	char *tmp = mkdtemp(tmpl);
	char ipath[600];
	git_oid id;
	uint32_t mode;
	size_t k;

	for (k = 0; tmp && k < sizeof(cases) / sizeof(cases[0]); k++) {
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/f%zu", tmp, k);
		if (sh("git init -q -b main '%s' && cd '%s' && mkdir d1 d2 && echo 1 >d1/f && "
		       "echo 2 >d2/g && git add -A && git commit -qm init && (%s)",
		       dir, dir, cases[k].setup)) {
			ok(0, "fallback: %s (setup)", cases[k].what);
			continue;
		}
		ok(fast_only(dir) == FASTINDEX_FALLBACK, "fallback: %s", cases[k].what);
		snprintf(ipath, sizeof(ipath), "%s/.git/index", dir);
		ok(fastindex_lookup(ipath, cases[k].lookup, &id, &mode) == FASTINDEX_FALLBACK,
		   "lookup falls back: %s", cases[k].what);
	}
	if (tmp)
		sh("rm -rf '%s'", tmp);
}

int main(int argc, char **argv)
{
	const char *seed = getenv("LEAKGATE_FASTINDEX_SEED");
	const char *rounds = getenv("LEAKGATE_FASTINDEX_ROUNDS");
	int i, fb;
	size_t n = 0;

	git_libgit2_init();
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			int res = compare(argv[i], &fb, &n);
			ok(res == 1, "%s: fastindex == libgit2 (%zu changes)%s", argv[i], n,
			   fb ? " [fell back]" : "");
		}
	} else {
		if (!getenv("GIT_AUTHOR_NAME")) {
			setenv("GIT_AUTHOR_NAME", "T", 1);
			setenv("GIT_AUTHOR_EMAIL", "t@example.com", 1);
			setenv("GIT_COMMITTER_NAME", "T", 1);
			setenv("GIT_COMMITTER_EMAIL", "t@example.com", 1);
		}
		rng_state = seed ? strtoull(seed, NULL, 10) : 20261122;
		random_rounds(rounds ? (unsigned)atoi(rounds) : 40, 12);
		fallbacks();
	}
	printf("1..%d\n", test_n);
	git_libgit2_shutdown();
	return test_failed ? 1 : 0;
}
