#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "msg.h"
#include "testhook.h"

void source_git_error(const char *what)
{
	const git_error *e = git_error_last();
	const char *m = e && e->message ? e->message : "unknown libgit2 error";

	errorf("%s: %s", what, m);
	/* Index formats git writes that libgit2 1.5 cannot read: never
	 * report "no secrets" for an index that was not read, but say what
	 * to change. */
	if (strstr(m, "extension: 'link'"))
		errorf("the index is split (core.splitIndex), which leakgate cannot read yet; "
		       "to use leakgate, run: git config core.splitIndex false && "
		       "git update-index --no-split-index");
	else if (strstr(m, "extension: 'sdir'"))
		errorf("the index is sparse (sparse-checkout with index.sparse), which leakgate "
		       "cannot read yet; to use leakgate, keep the sparse checkout with a full "
		       "index: git sparse-checkout init --no-sparse-index");
}

/* Whether a (libgit2's, with a trailing '/') and b name the same
 * directory. Compared after resolving both; unresolvable means no. */
static int same_dir(const char *a, const char *b)
{
	char *ra, *rb;
	int same;

	if (!a || !b)
		return 0;
	ra = realpath(a, NULL);
	rb = realpath(b, NULL);
	same = ra && rb && !strcmp(ra, rb);
	free(ra);
	free(rb);
	return same;
}

int source_open(git_repository **out)
{
	const char *wt = getenv("GIT_WORK_TREE");
	char *worktree = wt && *wt ? xstrdup(wt) : NULL;
	int err;

	/* libgit2 1.5 refuses GIT_WORK_TREE under GIT_REPOSITORY_OPEN_FROM_ENV
	 * ("unimplemented"): take it out of the environment and apply it
	 * after opening. */
	if (worktree)
		unsetenv("GIT_WORK_TREE");
	err = git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (err == GIT_ENOTFOUND) {
		errorf("not in a git repository (run leakgate inside one, or set GIT_DIR)");
		free(worktree);
		return -1;
	}
	if (err < 0) {
		source_git_error("cannot open the repository");
		free(worktree);
		return -2;
	}
	if (worktree && !same_dir(git_repository_workdir(*out), worktree)) {
		/* Only when it differs: libgit2 1.5 leaks its path buffer
		 * when set_workdir() is given the current work tree. */
		if (git_repository_set_workdir(*out, worktree, 0) < 0) {
			source_git_error("cannot use GIT_WORK_TREE");
			git_repository_free(*out);
			*out = NULL;
			free(worktree);
			return -2;
		}
	}
	if (worktree) {
		setenv("GIT_WORK_TREE", worktree, 1);
		free(worktree);
	}
	return 0;
}

int source_index(git_index **out, git_repository *repo)
{
	const char *path = getenv("GIT_INDEX_FILE");
	struct stat st;

	*out = NULL;
	if (testhook_fail("index")) {
		errorf("cannot read the index: injected failure (LEAKGATE_TEST_FAIL)");
		return -1;
	}
	if (path && *path) {
		/* git_index_open() of a missing file gives an empty index,
		 * which would look like "everything deleted": refuse. */
		if (stat(path, &st) < 0) {
			errorf("cannot read the index '%s' named by GIT_INDEX_FILE: %s",
			       path, strerror(errno));
			return -1;
		}
		if (git_index_open(out, path) < 0) {
			source_git_error("cannot read the index named by GIT_INDEX_FILE");
			return -1;
		}
		return 0;
	}
	if (git_repository_index(out, repo) < 0) {
		source_git_error("cannot read the index");
		return -1;
	}
	return 0;
}

struct walk {
	git_repository *repo;
	git_odb *odb;
	const struct source_opts *o;
	const struct source_cb *cb;
	struct source_stats *st;
	git_tree *theirs[SOURCE_MAX_THEIRS];
	size_t ntheirs;
	git_blob *theirs_blob[SOURCE_MAX_THEIRS];
	struct buf copy;
};

static int collect_mergehead(const git_oid *oid, void *payload)
{
	struct walk *w = payload;
	git_commit *c = NULL;

	if (w->ntheirs >= SOURCE_MAX_THEIRS)
		return 0;
	if (git_commit_lookup(&c, w->repo, oid) < 0)
		return -1;
	if (git_commit_tree(&w->theirs[w->ntheirs], c) < 0) {
		git_commit_free(c);
		return -1;
	}
	w->ntheirs++;
	git_commit_free(c);
	return 0;
}

/* Fill c->theirs with path's blobs in the merged-in trees. */
static int load_theirs(struct walk *w, struct chunk *c, const char *path)
{
	size_t i;

	for (i = 0; i < w->ntheirs; i++) {
		git_tree_entry *te = NULL;
		git_blob *b = NULL;

		if (git_tree_entry_bypath(&te, w->theirs[i], path) < 0)
			continue;
		if (git_tree_entry_type(te) == GIT_OBJECT_BLOB &&
		    git_blob_lookup(&b, w->repo, git_tree_entry_id(te)) == 0) {
			w->theirs_blob[c->ntheirs] = b;
			c->theirs[c->ntheirs].data = git_blob_rawcontent(b);
			c->theirs[c->ntheirs].len = (size_t)git_blob_rawsize(b);
			c->ntheirs++;
		}
		git_tree_entry_free(te);
	}
	return 0;
}

static void free_theirs(struct walk *w, struct chunk *c)
{
	size_t i;

	for (i = 0; i < c->ntheirs; i++) {
		git_blob_free(w->theirs_blob[i]);
		w->theirs_blob[i] = NULL;
	}
	c->ntheirs = 0;
}

/*
 * Whether to skip a blob as binary. git's own test (libgit2's
 * git_blob_is_binary: a NUL byte or a UTF-16 byte-order mark in the first
 * 8000 bytes) is too easy to trip: one NUL, or "\xff\xfe" at the start,
 * would hide every key in a text file. So a blob git calls binary is
 * still scanned unless it really looks like one: more than 3 in 10 of its
 * first MiB are control bytes (but tab, newlines, form feed, escape) or
 * bytes outside valid UTF-8.
 */
static int really_binary(git_blob *blob)
{
	const unsigned char *s = git_blob_rawcontent(blob);
	size_t n = (size_t)git_blob_rawsize(blob), i, odd = 0;

	if (!git_blob_is_binary(blob))
		return 0;
	if (n > (1u << 20))
		n = 1u << 20;
	for (i = 0; i < n; i++) {
		unsigned c = s[i];

		if (c < 0x80) {
			odd += (c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
				c != '\f' && c != 0x1b) || c == 0x7f;
		} else if (c >= 0xc2 && c <= 0xf4 && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
			/* A lead byte and continuation bytes: text (UTF-8). */
			while (i + 1 < n && (s[i + 1] & 0xc0) == 0x80)
				i++;
		} else {
			odd++;
		}
	}
	return odd * 10 > n * 3;
}

/* Size of a blob without inflating it. */
static int blob_size(struct walk *w, const git_oid *id, size_t *len)
{
	git_object_t type;

	if (testhook_fail("odb") || git_odb_read_header(len, &type, w->odb, id) < 0) {
		source_git_error("cannot read a staged object");
		return -1;
	}
	return 0;
}

/* Whether the blob d->new_file fits under max-blob-size: 1 yes; 0 no (it was
 * reported through the skipped callback); <0 error. */
static int size_ok(struct walk *w, const git_diff_delta *d)
{
	const char *path = d->new_file.path;
	char why[96];
	size_t len;
	int rc;

	if ((rc = blob_size(w, &d->new_file.id, &len)) < 0)
		return rc;
	if (len <= w->o->max_blob_size)
		return 1;
	w->st->too_large++;
	snprintf(why, sizeof(why), "%zu bytes, over max-blob-size (%llu bytes)", len,
		 w->o->max_blob_size);
	if (w->cb->skipped && (rc = w->cb->skipped(w->cb->ctx, path, why)) != 0)
		return rc < 0 ? rc : -1;
	return 0;
}

static int scan_whole(struct walk *w, const git_diff_delta *d)
{
	const char *path = d->new_file.path;
	git_blob *blob = NULL;
	struct chunk c;
	int rc;

	if ((rc = size_ok(w, d)) <= 0)
		return rc;
	if (testhook_fail("blob") || git_blob_lookup(&blob, w->repo, &d->new_file.id) < 0) {
		source_git_error("cannot read a staged blob");
		return -1;
	}
	if (!w->o->scan_binary && d->new_file.mode != GIT_FILEMODE_LINK && really_binary(blob)) {
		w->st->binary++;
		verbosef("skipped binary file %s", path);
		git_blob_free(blob);
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.data = git_blob_rawcontent(blob);
	c.len = (size_t)git_blob_rawsize(blob);
	c.first_line = 1;
	c.whole = 1;
	load_theirs(w, &c, path);
	w->st->files += d->new_file.mode != GIT_FILEMODE_LINK;
	w->st->chunks++;
	w->st->bytes += c.len;
	rc = w->cb->chunk(w->cb->ctx, &c);
	free_theirs(w, &c);
	git_blob_free(blob);
	return rc;
}

/* Emit the run of added lines [first, last] of patch hunk h. */
static int emit_run(struct walk *w, git_patch *p, size_t h, size_t first, size_t last,
		    struct chunk *c)
{
	const git_diff_line *l0 = NULL, *l = NULL;
	const char *expect;
	size_t i;
	int contiguous = 1;

	if (git_patch_get_line_in_hunk(&l0, p, h, first) < 0)
		return -1;
	expect = l0->content;
	for (i = first; i <= last; i++) {
		if (git_patch_get_line_in_hunk(&l, p, h, i) < 0)
			return -1;
		if (l->content != expect)
			contiguous = 0;
		expect = l->content + l->content_len;
	}
	if (contiguous) {
		c->data = l0->content;
		c->len = (size_t)(expect - l0->content);
	} else {
		buf_reset(&w->copy);
		for (i = first; i <= last; i++) {
			git_patch_get_line_in_hunk(&l, p, h, i);
			buf_add(&w->copy, l->content, l->content_len);
		}
		c->data = w->copy.ptr;
		c->len = w->copy.len;
	}
	c->first_line = (size_t)l0->new_lineno;
	w->st->chunks++;
	w->st->bytes += c->len;
	return w->cb->chunk(w->cb->ctx, c);
}

static int scan_added_lines(struct walk *w, git_diff *diff, size_t idx, const git_diff_delta *d)
{
	const char *path = d->new_file.path;
	git_patch *p = NULL;
	struct chunk c;
	size_t h, nh;
	int rc;

	if ((rc = size_ok(w, d)) <= 0)
		return rc;
	/* The diff is made with GIT_DIFF_FORCE_TEXT; binary is decided here. */
	if (!w->o->scan_binary) {
		git_blob *nb = NULL;
		int bin;

		if (testhook_fail("blob") || git_blob_lookup(&nb, w->repo, &d->new_file.id) < 0) {
			source_git_error("cannot read a staged blob");
			return -1;
		}
		bin = really_binary(nb);
		git_blob_free(nb);
		if (bin) {
			w->st->binary++;
			verbosef("skipped binary file %s", path);
			return 0;
		}
	}
	if (testhook_fail("patch") || git_patch_from_diff(&p, diff, idx) < 0) {
		source_git_error("cannot diff a staged file");
		return -1;
	}
	if (!p)
		return 0;
	memset(&c, 0, sizeof(c));
	c.path = path;
	load_theirs(w, &c, path);
	w->st->files++;
	nh = git_patch_num_hunks(p);
	for (h = 0, rc = 0; h < nh && !rc; h++) {
		const git_diff_hunk *hunk;
		size_t nl, i, start = 0;
		int in_run = 0, prev_no = 0;

		if (git_patch_get_hunk(&hunk, &nl, p, h) < 0) {
			rc = -1;
			break;
		}
		for (i = 0; i < nl && !rc; i++) {
			const git_diff_line *l;
			int add;

			if (git_patch_get_line_in_hunk(&l, p, h, i) < 0) {
				rc = -1;
				break;
			}
			add = l->origin == GIT_DIFF_LINE_ADDITION;
			if (in_run && (!add || l->new_lineno != prev_no + 1)) {
				rc = emit_run(w, p, h, start, i - 1, &c);
				in_run = 0;
			}
			if (add && !in_run) {
				in_run = 1;
				start = i;
			}
			if (add)
				prev_no = l->new_lineno;
		}
		if (!rc && in_run)
			rc = emit_run(w, p, h, start, nl - 1, &c);
	}
	free_theirs(w, &c);
	git_patch_free(p);
	return rc;
}

int source_staged(git_repository *repo, const struct source_opts *o,
		  const struct source_cb *cb, struct source_stats *st)
{
	git_index *idx = NULL;
	git_reference *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopt;
	git_diff_find_options fopt;
	struct walk w;
	size_t i, n;
	int rc = 0, err;

	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopt, GIT_DIFF_FIND_OPTIONS_VERSION);
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.o = o;
	w.cb = cb;
	w.st = st;
	if ((rc = source_index(&idx, repo)) < 0)
		goto out;
	if (git_repository_odb(&w.odb, repo) < 0) {
		source_git_error("cannot open the object database");
		rc = -1;
		goto out;
	}
	err = git_repository_head(&head, repo);
	if (err == GIT_EUNBORNBRANCH || err == GIT_ENOTFOUND) {
		tree = NULL;	/* first commit: everything is new */
	} else if (err < 0) {
		source_git_error("cannot resolve HEAD");
		rc = -1;
		goto out;
	} else {
		git_object *obj = NULL;

		if (git_reference_peel(&obj, head, GIT_OBJECT_TREE) < 0) {
			source_git_error("cannot read HEAD's tree");
			rc = -1;
			goto out;
		}
		tree = (git_tree *)obj;
	}
	err = git_repository_mergehead_foreach(repo, collect_mergehead, &w);
	if (err < 0 && err != GIT_ENOTFOUND) {
		source_git_error("cannot read MERGE_HEAD");
		rc = -1;
		goto out;
	}
	/* Only added lines matter: no context. */
	dopt.context_lines = 0;
	dopt.interhunk_lines = 0;
	/* Line diffs even for blobs git calls binary: really_binary()
	 * decides what is skipped (and binary = scan must see lines). */
	dopt.flags |= GIT_DIFF_FORCE_TEXT;
	if (testhook_fail("diff") || git_diff_tree_to_index(&diff, repo, tree, idx, &dopt) < 0) {
		source_git_error("cannot compare HEAD with the index");
		rc = -1;
		goto out;
	}
	fopt.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fopt) < 0) {
		source_git_error("cannot detect renames");
		rc = -1;
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && rc == 0; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_DELETED) {
			st->deleted++;
			if (cb->file && d->old_file.mode != GIT_FILEMODE_COMMIT)
				rc = cb->file(cb->file_ctx ? cb->file_ctx : cb->ctx,
					      d->old_file.path, d->old_file.mode,
					      &d->old_file.id, (int)d->status);
			continue;
		}
		if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
			st->gitlinks++;
			verbosef("skipped submodule %s", d->new_file.path);
			continue;
		}
		/* The file policy judges every staged path, content or not. */
		if (cb->file &&
		    (rc = cb->file(cb->file_ctx ? cb->file_ctx : cb->ctx, d->new_file.path,
				   d->new_file.mode, &d->new_file.id, (int)d->status)) != 0)
			break;
		if (d->new_file.mode == GIT_FILEMODE_LINK) {
			/* Never followed; but its target, the blob, is what
			 * gets committed, and a key can be written there. */
			st->symlinks++;
			verbosef("symlink %s: its target text is scanned, not followed",
				  d->new_file.path);
			rc = scan_whole(&w, d);
			if (rc == 1)
				rc = 0;
			continue;
		}
		if (d->status == GIT_DELTA_RENAMED)
			st->renamed++;
		if (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_COPIED ||
		    d->status == GIT_DELTA_TYPECHANGE || d->old_file.mode == GIT_FILEMODE_COMMIT ||
		    d->old_file.mode == GIT_FILEMODE_LINK)
			rc = scan_whole(&w, d);
		else if (d->status == GIT_DELTA_MODIFIED || d->status == GIT_DELTA_RENAMED)
			rc = scan_added_lines(&w, diff, i, d);
	}
out:
	for (i = 0; i < w.ntheirs; i++)
		git_tree_free(w.theirs[i]);
	buf_release(&w.copy);
	git_diff_free(diff);
	git_tree_free(tree);
	git_reference_free(head);
	git_odb_free(w.odb);
	git_index_free(idx);
	return rc;
}
