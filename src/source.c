#include "source.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "defaults.h"
#include "fastindex.h"
#include "loose.h"
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

/* The message for a blob over max-blob-size. */
static void too_large_why(char *why, size_t n, size_t len, unsigned long long max)
{
	snprintf(why, n, "%zu bytes, over max-blob-size (%llu bytes)", len, max);
}

/* Whether the blob `id` fits under max-blob-size: 1 yes; 0 no (it was
 * reported through the skipped callback); <0 error. */
static int size_ok(struct walk *w, const char *path, const git_oid *id)
{
	char why[96];
	size_t len;
	int rc;

	if ((rc = blob_size(w, id, &len)) < 0)
		return rc;
	if (len <= w->o->max_blob_size)
		return 1;
	w->st->too_large++;
	too_large_why(why, sizeof(why), len, w->o->max_blob_size);
	if (w->cb->skipped && (rc = w->cb->skipped(w->cb->ctx, path, why)) != 0)
		return rc < 0 ? rc : -1;
	return 0;
}

/* As git_blob_is_binary(): libgit2 looks at the first 8000 bytes
 * (GIT_FILTER_BYTES_TO_CHECK_NUL). */
#define BINARY_CHECK_BYTES 8000
/*
 * Whether to skip a blob as binary. git's own test (libgit2's
 * git_blob_is_binary: a NUL byte or a UTF-16 byte-order mark in the first
 * 8000 bytes) is too easy to trip: one NUL, or "\xff\xfe" at the start,
 * would hide every key in a text file. So a blob git calls binary is
 * still scanned unless it really looks like one: more than 3 in 10 of its
 * first MiB are control bytes (but tab, newlines, form feed, escape) or
 * bytes outside valid UTF-8.
 */
static int really_binary(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t n = len, i, odd = 0;

	if (!git_blob_data_is_binary(data, len < BINARY_CHECK_BYTES ? len : BINARY_CHECK_BYTES))
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

/* For a modified file: 1 to diff it, 0 when it really is binary (counted
 * and skipped), <0 error. */
static int not_binary(struct walk *w, const char *path, const git_oid *id)
{
	git_blob *b = NULL;
	int bin;

	if (w->o->scan_binary)
		return 1;
	if (testhook_fail("blob") || git_blob_lookup(&b, w->repo, id) < 0) {
		source_git_error("cannot read a staged blob");
		return -1;
	}
	bin = really_binary(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	if (bin) {
		w->st->binary++;
		verbosef("skipped binary file %s", path);
		return 0;
	}
	return 1;
}

/* A symlink: never followed, but its target text is what is committed,
 * and a key can be written there. */
static int scan_link(struct walk *w, const char *path, const git_oid *id)
{
	git_blob *blob = NULL;
	struct chunk c;
	int rc;

	w->st->symlinks++;
	verbosef("symlink %s: its target text is scanned, not followed", path);
	if ((rc = size_ok(w, path, id)) <= 0)
		return rc;
	if (testhook_fail("blob") || git_blob_lookup(&blob, w->repo, id) < 0) {
		source_git_error("cannot read a staged blob");
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.data = git_blob_rawcontent(blob);
	c.len = (size_t)git_blob_rawsize(blob);
	c.first_line = 1;
	c.whole = 1;
	w->st->chunks++;
	w->st->bytes += c.len;
	rc = w->cb->chunk(w->cb->ctx, &c);
	git_blob_free(blob);
	return rc;
}

/* Hand a loaded new file to the chunk callback (or count it as binary). */
static int emit_whole(struct walk *w, const char *path, const char *data, size_t len)
{
	struct chunk c;
	int rc;

	if (!w->o->scan_binary && really_binary(data, len)) {
		w->st->binary++;
		verbosef("skipped binary file %s", path);
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.data = data;
	c.len = len;
	c.first_line = 1;
	c.whole = 1;
	load_theirs(w, &c, path);
	w->st->files++;
	w->st->chunks++;
	w->st->bytes += c.len;
	rc = w->cb->chunk(w->cb->ctx, &c);
	free_theirs(w, &c);
	return rc;
}

static int scan_whole(struct walk *w, const char *path, const git_oid *id)
{
	git_blob *blob = NULL;
	int rc;

	if ((rc = size_ok(w, path, id)) <= 0)
		return rc;
	if (testhook_fail("blob") || git_blob_lookup(&blob, w->repo, id) < 0) {
		source_git_error("cannot read a staged blob");
		return -1;
	}
	rc = emit_whole(w, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rc;
}

int source_patch_run(struct chunk *c, struct buf *copy, git_patch *p, size_t h,
		     size_t first, size_t last)
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
		/* Added lines point into the new blob: no copy needed. */
		c->data = l0->content;
		c->len = (size_t)(expect - l0->content);
	} else {
		buf_reset(copy);
		for (i = first; i <= last; i++) {
			git_patch_get_line_in_hunk(&l, p, h, i);
			buf_add(copy, l->content, l->content_len);
		}
		c->data = copy->ptr;
		c->len = copy->len;
	}
	c->first_line = (size_t)l0->new_lineno;
	return 0;
}

/* Emit the run of added lines [first, last] of patch hunk h. */
static int emit_run(struct walk *w, git_patch *p, size_t h, size_t first, size_t last,
		    struct chunk *c)
{
	if (source_patch_run(c, &w->copy, p, h, first, last) < 0)
		return -1;
	w->st->chunks++;
	w->st->bytes += c->len;
	return w->cb->chunk(w->cb->ctx, c);
}

/* The added lines of patch p (which this frees), one chunk per run. */
static int scan_patch(struct walk *w, git_patch *p, const char *path)
{
	struct chunk c;
	size_t h, nh;
	int rc;

	if (!p)
		return 0;
	if ((git_patch_get_delta(p)->flags & GIT_DIFF_FLAG_BINARY) && !w->o->scan_binary) {
		w->st->binary++;
		verbosef("skipped binary file %s", path);
		git_patch_free(p);
		return 0;
	}
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

static int scan_added_lines(struct walk *w, git_diff *diff, size_t idx, const git_diff_delta *d)
{
	git_patch *p = NULL;
	int rc;

	if ((rc = size_ok(w, d->new_file.path, &d->new_file.id)) <= 0)
		return rc;
	if ((rc = not_binary(w, d->new_file.path, &d->new_file.id)) <= 0)
		return rc;
	if (testhook_fail("patch") || git_patch_from_diff(&p, diff, idx) < 0) {
		source_git_error("cannot diff a staged file");
		return -1;
	}
	return scan_patch(w, p, d->new_file.path);
}

/*
 * The same for a file modified between two blobs (the fast path). The blobs
 * are diffed as plain buffers: for blobs, libgit2 looks up the path's diff
 * driver in .gitattributes, which loads the whole index and costs more than
 * the rest of the check on a large repository. Binary files are then told
 * by their content, as new files always are (scan_whole).
 */
static int scan_modified(struct walk *w, const struct fastindex_change *ch)
{
	git_blob *old = NULL, *new = NULL;
	git_patch *p = NULL;
	git_diff_options dopt;
	int rc;

	if ((rc = size_ok(w, ch->path, &ch->new_id)) <= 0)
		return rc;
	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	dopt.context_lines = 0;
	dopt.interhunk_lines = 0;
	/* Binary is decided by really_binary(), not by libgit2's NUL test. */
	dopt.flags |= GIT_DIFF_FORCE_TEXT;
	if (testhook_fail("blob") || git_blob_lookup(&old, w->repo, &ch->old_id) < 0 ||
	    git_blob_lookup(&new, w->repo, &ch->new_id) < 0) {
		source_git_error("cannot read a staged blob");
		rc = -1;
	} else if (!w->o->scan_binary &&
		   really_binary(git_blob_rawcontent(new), (size_t)git_blob_rawsize(new))) {
		w->st->binary++;
		verbosef("skipped binary file %s", ch->path);
		rc = 0;
	} else if (testhook_fail("patch") || git_patch_from_buffers(&p, git_blob_rawcontent(old), (size_t)git_blob_rawsize(old),
				   ch->path, git_blob_rawcontent(new),
				   (size_t)git_blob_rawsize(new), ch->path, &dopt) < 0) {
		source_git_error("cannot diff a staged file");
		rc = -1;
	} else {
		rc = scan_patch(w, p, ch->path);
	}
	git_blob_free(old);
	git_blob_free(new);
	return rc;
}

/*
 * New files of a large change are read on every core: loader threads, each
 * with its own repository handle (libgit2 objects are used by one thread at
 * a time), look up and inflate blobs ahead, while this thread hands them to
 * the callbacks strictly in path order, so the output is the same as the
 * serial walk's. The window bounds how much is held in memory at once.
 */
struct load_item {
	const struct fastindex_change *ch;
	git_blob *blob;		/* read through libgit2, or */
	char *raw;		/* read by loose.c (data points into it) */
	const char *data;
	size_t size;
	int state;		/* 0 pending, 1 loaded, 2 too large, 3 not for
				 * the loaders, -1 error */
	char *err;		/* libgit2's message, which is per thread */
};

struct loader {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct load_item *items;	/* one per file, in path order */
	size_t n;
	size_t next;		/* next item a loader claims */
	size_t consumed;	/* items the consumer is done with */
	size_t in_flight;	/* bytes loaded or reserved, not yet consumed */
	unsigned long long max_blob_size;
	int stop;
};

struct loader_thread {
	struct loader *l;
	git_repository *repo;
	pthread_t tid;
	int started;
};

static char *git_error_copy(const char *what)
{
	const git_error *e = git_error_last();
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
	return buf_detach(&b, NULL);
}

/* Whether a change is a new regular file, which the loaders read. */
static int loads(const struct fastindex_change *c)
{
	return c->status == FASTINDEX_ADDED && c->new_mode != GIT_FILEMODE_COMMIT &&
	       c->new_mode != GIT_FILEMODE_LINK;
}

static int scan_change(struct walk *w, const struct fastindex_change *c);
static int file_cb(struct walk *w, const struct fastindex_change *c);

static void *loader_main(void *arg)
{
	struct loader_thread *t = arg;
	struct loader *l = t->l;
	git_odb *odb = NULL;
	int have_odb = git_repository_odb(&odb, t->repo) == 0;
	struct loose lo;

	loose_init(&lo, t->repo);

	pthread_mutex_lock(&l->mu);
	for (;;) {
		struct load_item *it;
		git_object_t type;
		size_t i, size = 0;
		int state = 1, hinted;
		char *err = NULL;

		while (!l->stop && l->next < l->n && l->next - l->consumed >= SOURCE_LOAD_WINDOW)
			pthread_cond_wait(&l->cv, &l->mu);
		if (l->stop || l->next >= l->n)
			break;
		i = l->next++;
		it = &l->items[i];
		if (!loads(it->ch)) {
			/* Handled by the consumer itself, in its turn. */
			it->state = 3;
			pthread_cond_broadcast(&l->cv);
			continue;
		}
		pthread_mutex_unlock(&l->mu);

		/* Reading a blob's header first costs a second open and read
		 * of every loose object (~15% of a large initial commit). When
		 * the index recorded a size well under the cap, trust it as a
		 * hint and check the real size after reading: a blob is still
		 * skipped exactly when it is over max-blob-size; only a clean
		 * filter that more than doubles a file, or a file of 4 GiB or
		 * more, could make one oversized read. */
		hinted = it->ch->size_hint && it->ch->size_hint <= l->max_blob_size / 2;
		if (hinted) {
			size = it->ch->size_hint;
		} else if (!have_odb ||
			   testhook_fail("odb") ||
			   git_odb_read_header(&size, &type, odb, &it->ch->new_id) < 0) {
			err = git_error_copy("cannot read a staged object");
			state = -1;
		} else if (size > l->max_blob_size) {
			state = 2;
		}

		pthread_mutex_lock(&l->mu);
		/* Wait for room in the byte budget, unless the consumer waits
		 * for this very item: it always proceeds, so nothing deadlocks. */
		if (state == 1) {
			size_t real, len = 0;
			int lr;

			while (!l->stop && i != l->consumed &&
			       l->in_flight + size > SOURCE_LOAD_BYTES)
				pthread_cond_wait(&l->cv, &l->mu);
			l->in_flight += size;
			pthread_mutex_unlock(&l->mu);
			real = size;
			/* Loose objects are inflated here with libdeflate; anything
			 * else (packed, odd, corrupt) is read by libgit2. */
			if (l->stop) {
				;
			} else if (testhook_fail("blob")) {
				err = git_error_copy("cannot read a staged blob");
				state = -1;
			} else if ((lr = loose_read_blob(&lo, &it->ch->new_id, size, &it->raw,
							 &it->data, &len)) == 1) {
				real = len;
			} else if (lr < 0) {
				char hex[GIT_OID_HEXSZ + 1];
				struct buf b = BUF_INIT;

				git_oid_tostr(hex, sizeof(hex), &it->ch->new_id);
				buf_printf(&b, "cannot read a staged blob: loose object %s is corrupt", hex);
				err = buf_detach(&b, NULL);
				state = -1;
			} else if (git_blob_lookup(&it->blob, t->repo, &it->ch->new_id) < 0) {
				err = git_error_copy("cannot read a staged blob");
				state = -1;
			} else {
				it->data = git_blob_rawcontent(it->blob);
				real = (size_t)git_blob_rawsize(it->blob);
			}
			pthread_mutex_lock(&l->mu);
			l->in_flight = l->in_flight - size + real;
			size = real;
			if (state == 1 && size > l->max_blob_size) {
				git_blob_free(it->blob);
				it->blob = NULL;
				free(it->raw);
				it->raw = NULL;
				it->data = NULL;
				l->in_flight -= size;
				state = 2;
			} else if (state != 1) {
				l->in_flight -= size;
			}
		}
		it->size = size;
		it->err = err;
		it->state = state;
		pthread_cond_broadcast(&l->cv);
	}
	pthread_mutex_unlock(&l->mu);
	loose_release(&lo);
	git_odb_free(odb);
	return NULL;
}

/* Scan the changes `v` (in path order): new files read by loaders, the
 * others by scan_change() when their turn comes. */
static int scan_parallel(struct walk *w, const struct fastindex_change *v, size_t n,
			 int nthreads)
{
	struct loader l;
	struct loader_thread t[SOURCE_MAX_LOADERS];
	size_t i;
	int k, rc = 0;

	memset(&l, 0, sizeof(l));
	memset(t, 0, sizeof(t));
	pthread_mutex_init(&l.mu, NULL);
	pthread_cond_init(&l.cv, NULL);
	l.items = xcalloc(n, sizeof(*l.items));
	l.n = n;
	l.max_blob_size = w->o->max_blob_size;
	for (i = 0; i < n; i++)
		l.items[i].ch = &v[i];
	/* Each loader gets a repository of its own, opened the way the
	 * hook's was (same environment, same object stores). All are opened
	 * before any thread starts: source_open() touches the environment. */
	for (k = 0; k < nthreads && rc == 0; k++)
		if (source_open(&t[k].repo) < 0)
			rc = -1;
	for (k = 0; k < nthreads && rc == 0; k++) {
		t[k].l = &l;
		if (pthread_create(&t[k].tid, NULL, loader_main, &t[k]) != 0) {
			errorf("cannot start a loader thread: %s", strerror(errno));
			rc = -1;
			break;
		}
		t[k].started = 1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		struct load_item *it = &l.items[i];
		char why[96];

		pthread_mutex_lock(&l.mu);
		while (it->state == 0)
			pthread_cond_wait(&l.cv, &l.mu);
		pthread_mutex_unlock(&l.mu);
		if (it->state < 0) {
			errorf("%s", it->err);
			rc = -1;
		} else if (it->state == 3) {
			rc = scan_change(w, it->ch);
		} else if ((rc = file_cb(w, it->ch)) != 0) {
			;	/* the policy stopped the walk */
		} else if (it->state == 2) {
			w->st->too_large++;
			too_large_why(why, sizeof(why), it->size, w->o->max_blob_size);
			if (w->cb->skipped && (rc = w->cb->skipped(w->cb->ctx, it->ch->path, why)) > 0)
				rc = -1;
		} else {
			rc = emit_whole(w, it->ch->path, it->data, it->size);
		}
		git_blob_free(it->blob);
		it->blob = NULL;
		free(it->raw);
		it->raw = NULL;
		pthread_mutex_lock(&l.mu);
		l.consumed = i + 1;
		l.in_flight -= it->state == 1 ? it->size : 0;
		pthread_cond_broadcast(&l.cv);
		pthread_mutex_unlock(&l.mu);
	}
	pthread_mutex_lock(&l.mu);
	l.stop = 1;
	pthread_cond_broadcast(&l.cv);
	pthread_mutex_unlock(&l.mu);
	for (k = 0; k < nthreads; k++) {
		if (t[k].started)
			pthread_join(t[k].tid, NULL);
		git_repository_free(t[k].repo);
	}
	for (i = 0; i < n; i++) {
		git_blob_free(l.items[i].blob);
		free(l.items[i].raw);
		free(l.items[i].err);
	}
	free(l.items);
	pthread_cond_destroy(&l.cv);
	pthread_mutex_destroy(&l.mu);
	return rc;
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SOURCE_MAX_LOADERS ? SOURCE_MAX_LOADERS : (int)n;
}

/* The index file git will commit: GIT_INDEX_FILE, or the repository's. */
static char *index_file(git_repository *repo)
{
	const char *env = getenv("GIT_INDEX_FILE");
	struct buf b = BUF_INIT;

	if (env && *env)
		return xstrdup(env);
	buf_printf(&b, "%sindex", git_repository_path(repo));
	return buf_detach(&b, NULL);
}

/* The file-policy callback for a change of the fast path, as the libgit2
 * path calls it for its delta. */
static int file_cb(struct walk *w, const struct fastindex_change *c)
{
	const struct source_cb *cb = w->cb;
	int deleted = c->status == FASTINDEX_DELETED;

	if (!cb->file)
		return 0;
	return cb->file(cb->file_ctx ? cb->file_ctx : cb->ctx, c->path,
			deleted ? c->old_mode : c->new_mode, deleted ? &c->old_id : &c->new_id,
			deleted ? GIT_DELTA_DELETED :
			c->status == FASTINDEX_ADDED ? GIT_DELTA_ADDED : GIT_DELTA_MODIFIED);
}

/* One change of the fast path, as the libgit2 path treats its delta. */
static int scan_change(struct walk *w, const struct fastindex_change *c)
{
	int rc;

	if (c->status == FASTINDEX_DELETED) {
		w->st->deleted++;
		return c->old_mode != GIT_FILEMODE_COMMIT ? file_cb(w, c) : 0;
	}
	if (c->new_mode == GIT_FILEMODE_COMMIT) {
		w->st->gitlinks++;
		verbosef("skipped submodule %s", c->path);
		return 0;
	}
	/* The file policy judges every staged path, content or not. */
	if ((rc = file_cb(w, c)) != 0)
		return rc;
	if (c->new_mode == GIT_FILEMODE_LINK)
		return scan_link(w, c->path, &c->new_id);
	if (c->status == FASTINDEX_ADDED)
		return scan_whole(w, c->path, &c->new_id);
	/* Modified: a file of the same kind (fastindex splits a change of
	 * kind into a deletion and an addition). */
	return scan_modified(w, c);
}

/*
 * The fast path (issue 7): the staged changes from fastindex, without
 * loading the whole index into libgit2. Returns FASTINDEX_FALLBACK when the
 * libgit2 path must do the work instead (an index fastindex does not read,
 * or a change where rename detection could matter), else as source_staged.
 */
static int staged_fast(struct walk *w, git_tree *tree)
{
	struct fastindex_changes ch = { 0 };
	char *ipath = index_file(w->repo);
	size_t i, nadds = 0, ndel = 0;
	int rc;

	if (testhook_fail("index") || testhook_fail("diff")) {
		free(ipath);
		errorf("cannot compare HEAD with the index: injected failure (LEAKGATE_TEST_FAIL)");
		return -1;
	}
	rc = fastindex_diff(&ch, w->repo, ipath, tree);
	free(ipath);
	if (rc == FASTINDEX_FALLBACK)
		return rc;
	if (rc < 0) {
		source_git_error("cannot compare HEAD with the index");
		return -1;
	}
	for (i = 0; i < ch.n; i++) {
		if (ch.v[i].status == FASTINDEX_DELETED)
			ndel++;
		else if (ch.v[i].status == FASTINDEX_ADDED)
			nadds++;
	}
	/* libgit2's rename detection pairs deletions with additions, and a
	 * renamed file is scanned for its added lines only: leave any change
	 * that has both to the path that does it. */
	if (ndel && nadds) {
		verbosef("deletions and additions staged: detecting renames with libgit2");
		fastindex_changes_release(&ch);
		return FASTINDEX_FALLBACK;
	}
	verbosef("index read directly: %zu staged changes", ch.n);
	/* One pass in path order, as the libgit2 path goes: the caps on
	 * findings per file and per run keep the same findings. */
	if (nadds >= SOURCE_PARALLEL_MIN_FILES && online_cpus() > 1)
		rc = scan_parallel(w, ch.v, ch.n, online_cpus());
	else
		for (i = 0, rc = 0; i < ch.n && rc == 0; i++)
			rc = scan_change(w, &ch.v[i]);
	fastindex_changes_release(&ch);
	return rc;
}

int source_staged_blob(git_repository *repo, const char *path, git_oid *id)
{
	char *ipath = index_file(repo);
	const git_index_entry *e;
	git_index *idx = NULL;
	uint32_t mode = 0;
	int rc = fastindex_lookup(ipath, path, id, &mode);

	free(ipath);
	if (rc != FASTINDEX_FALLBACK)
		return rc;
	if (source_index(&idx, repo) < 0)
		return -1;
	rc = 0;
	if ((e = git_index_get_bypath(idx, path, 0))) {
		git_oid_cpy(id, &e->id);
		rc = 1;
	}
	git_index_free(idx);
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
	/* Reading objects, git does not re-hash them; neither do we (the
	 * check costs a quarter of the time of a large initial commit). */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
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
	/* LEAKGATE_NO_FASTINDEX=1 forces the libgit2 path (tests compare). */
	if (!getenv("LEAKGATE_NO_FASTINDEX") &&
	    (rc = staged_fast(&w, tree)) != FASTINDEX_FALLBACK)
		goto out;
	rc = 0;
	if ((rc = source_index(&idx, repo)) < 0)
		goto out;
	verbosef("index read by libgit2");
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
			rc = scan_link(&w, d->new_file.path, &d->new_file.id);
			continue;
		}
		if (d->status == GIT_DELTA_RENAMED)
			st->renamed++;
		if (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_COPIED ||
		    d->status == GIT_DELTA_TYPECHANGE || d->old_file.mode == GIT_FILEMODE_COMMIT ||
		    d->old_file.mode == GIT_FILEMODE_LINK)
			rc = scan_whole(&w, d->new_file.path, &d->new_file.id);
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
