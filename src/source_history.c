#include "source_history.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"

void oid_list_push(struct oid_list *l, const git_oid *id)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	git_oid_cpy(&l->v[l->n++], id);
}

void oid_list_release(struct oid_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* One blob to scan: the whole of new_id, or its lines added to old_id. */
struct task {
	git_oid old_id, new_id;
	int whole;
	char *path;
	char commit[GIT_OID_HEXSZ + 1];
	char date[32];
	size_t seq;
};

/* An open-addressing set of object ids: the blobs already queued. */
struct oidset {
	git_oid *v;
	unsigned char *used;
	size_t cap, n;
};

static size_t oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));	/* SHA-1 bytes are uniform already */
	return h;
}

/* Add id; returns 1 if it was not there yet, 0 if it was. */
static int oidset_add(struct oidset *s, const git_oid *id)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		struct oidset g;

		g.cap = s->cap ? 2 * s->cap : 4096;
		g.n = 0;
		g.v = xmalloc(g.cap * sizeof(*g.v));
		g.used = xcalloc(g.cap, 1);
		for (i = 0; i < s->cap; i++)
			if (s->used[i])
				oidset_add(&g, &s->v[i]);
		free(s->v);
		free(s->used);
		*s = g;
	}
	for (i = oid_hash(id) & (s->cap - 1); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (git_oid_equal(&s->v[i], id))
			return 0;
	s->used[i] = 1;
	git_oid_cpy(&s->v[i], id);
	s->n++;
	return 1;
}

static void oidset_release(struct oidset *s)
{
	free(s->v);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

/* Tasks queued before a sleeping worker is woken. */
#define QUEUE_BATCH 32
/* Consecutive commits a worker diffs in one go. */
#define DIFF_BATCH 256

struct slot;

/* The task queue between the walking thread and the workers. */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct task *v;
	size_t n, alloc, next;
	int closed;		/* the walk is over: no more tasks */
	int stop;		/* an error: everyone stops */
	int waiting;		/* workers asleep on cv */
	size_t done;
	unsigned long long bytes_done;
	/* The commits to diff, in walk order, and their results. */
	const git_oid *commits;
	struct slot *slots;
	size_t ncommits, next_commit;
	size_t seq_wait;	/* the slot the walking thread waits for */
	pthread_cond_t seq_cv;
};

struct worker {
	struct queue *q;
	const struct history_opts *o;
	const struct history_cb *cb;
	const char *gitdir;
	git_repository *repo;
	git_odb *odb;
	struct source_stats st;
	struct buf copy;
	pthread_t tid;
	int started;
	int rc;
};

static void queue_push(struct queue *q, const struct task *t)
{
	pthread_mutex_lock(&q->mu);
	if (q->n == q->alloc) {
		q->alloc = q->alloc ? 2 * q->alloc : 1024;
		q->v = xrealloc(q->v, q->alloc * sizeof(*q->v));
	}
	q->v[q->n++] = *t;
	/* Wake a worker only when one sleeps and there is a batch for it: a
	 * wake-up per blob was a tenth of the time when the walk is the
	 * slower side. queue_close() wakes everyone for the rest. */
	if (q->waiting && q->n - q->next >= QUEUE_BATCH)
		pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

enum { TAKE_NONE, TAKE_SCAN, TAKE_DIFF };

/*
 * The next job for a worker: a blob to scan (first, which keeps the queue
 * short), else a run of consecutive commits [*first, *last) to diff (runs,
 * so that a parent's trees are usually in the same worker's cache).
 * TAKE_NONE when there is nothing left, or after a stop.
 */
static int queue_take(struct queue *q, struct task *t, size_t *first, size_t *last)
{
	int got = TAKE_NONE;

	pthread_mutex_lock(&q->mu);
	while (q->next == q->n && q->next_commit == q->ncommits && !q->closed && !q->stop) {
		q->waiting++;
		pthread_cond_wait(&q->cv, &q->mu);
		q->waiting--;
	}
	if (!q->stop && q->next < q->n) {
		*t = q->v[q->next++];
		got = TAKE_SCAN;
	} else if (!q->stop && q->next_commit < q->ncommits) {
		*first = q->next_commit;
		*last = *first + DIFF_BATCH < q->ncommits ? *first + DIFF_BATCH : q->ncommits;
		q->next_commit = *last;
		got = TAKE_DIFF;
	}
	pthread_mutex_unlock(&q->mu);
	return got;
}

static void queue_done(struct queue *q, unsigned long long bytes)
{
	pthread_mutex_lock(&q->mu);
	q->done++;
	q->bytes_done += bytes;
	pthread_mutex_unlock(&q->mu);
}

static void queue_close(struct queue *q, int stop)
{
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	q->stop |= stop;
	pthread_cond_broadcast(&q->cv);
	pthread_cond_broadcast(&q->seq_cv);
	pthread_mutex_unlock(&q->mu);
}

/* ISO 8601 with the author's own offset: 2023-11-14T22:13:20+01:00. */
static void format_date(char out[32], const git_time *when)
{
	time_t t = (time_t)(when->time + (git_time_t)when->offset * 60);
	int off = when->offset < 0 ? -when->offset : when->offset;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, "%c%02d:%02d", when->offset < 0 ? '-' : '+', off / 60,
		 off % 60);
}

/* A change found by comparing two trees. */
struct change {
	git_oid old_id, new_id;
	int whole;
	char *path;
};

struct tdiff {
	git_repository *repo;
	struct change *v;
	size_t n, alloc;
	size_t added, deleted, gitlinks, symlinks, renamed;
};

static struct change *tdiff_push(struct tdiff *d)
{
	struct change *c;

	if (d->n == d->alloc) {
		d->alloc = d->alloc ? 2 * d->alloc : 16;
		d->v = xrealloc(d->v, d->alloc * sizeof(*d->v));
	}
	c = &d->v[d->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static int is_blob_mode(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/*
 * The files of tree `new` that differ from `old` (NULL: the empty tree),
 * under path. A subtree whose id did not change is skipped without being
 * read, which is what makes a walk of a long history cheap (libgit2's
 * tree-to-tree diff reads every subtree). Deletions are only counted: a
 * commit that adds and deletes files may hold renames.
 */
static int tree_diff(struct tdiff *d, git_tree *old, git_tree *new, struct buf *path)
{
	size_t i = 0, j = 0, n = git_tree_entrycount(new), on = old ? git_tree_entrycount(old) : 0;
	size_t plen = path->len;
	int rc = 0;

	/* Both entry lists are in git's tree order: walk them side by side. */
	while (i < n && !rc) {
		const git_tree_entry *e = git_tree_entry_byindex(new, i);
		const git_tree_entry *o = NULL;
		git_filemode_t m = git_tree_entry_filemode(e), om = 0;
		int cmp = 1;

		while (j < on) {
			o = git_tree_entry_byindex(old, j);
			cmp = strcmp(git_tree_entry_name(o), git_tree_entry_name(e));
			if (cmp >= 0)
				break;
			/* Names differ only in order when one is a tree
			 * ("a/" sorts after "a.c"): fall back to a lookup. */
			if (!git_tree_entry_byname(new, git_tree_entry_name(o)))
				d->deleted++;
			j++;
		}
		if (j < on && cmp == 0) {
			om = git_tree_entry_filemode(o);
			j++;
		} else {
			o = old ? git_tree_entry_byname(old, git_tree_entry_name(e)) : NULL;
			if (o)
				om = git_tree_entry_filemode(o);
		}
		i++;
		if (o && om == m && git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(e)))
			continue;
		buf_adds(path, git_tree_entry_name(e));
		if (m == GIT_FILEMODE_TREE) {
			git_tree *sub = NULL, *osub = NULL;

			if (o && om != GIT_FILEMODE_TREE)
				d->deleted++;	/* a file became a directory */
			if (git_tree_lookup(&sub, d->repo, git_tree_entry_id(e)) < 0 ||
			    (o && om == GIT_FILEMODE_TREE &&
			     git_tree_lookup(&osub, d->repo, git_tree_entry_id(o)) < 0)) {
				source_git_error("cannot read a tree");
				rc = -1;
			} else {
				buf_addc(path, '/');
				rc = tree_diff(d, osub, sub, path);
			}
			git_tree_free(osub);
			git_tree_free(sub);
		} else if (m == GIT_FILEMODE_COMMIT) {
			d->gitlinks++;
		} else if (m == GIT_FILEMODE_LINK) {
			d->symlinks++;
		} else {
			struct change *c = tdiff_push(d);

			git_oid_cpy(&c->new_id, git_tree_entry_id(e));
			c->whole = !(o && is_blob_mode(om));
			if (!c->whole)
				git_oid_cpy(&c->old_id, git_tree_entry_id(o));
			if (!o)
				d->added++;
			else if (om == GIT_FILEMODE_TREE)
				d->deleted++;	/* a directory became a file */
			c->path = xstrndup(path->ptr, path->len);
		}
		path->len = plen;
		path->ptr[plen] = '\0';
	}
	for (; j < on && !rc; j++)
		if (!git_tree_entry_byname(new, git_tree_entry_name(git_tree_entry_byindex(old, j))))
			d->deleted++;
	return rc;
}

static void tdiff_release(struct tdiff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].path);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* The slow path, for commits that both add and delete files: libgit2's
 * diff with rename detection, so that a moved file is not new content.
 * Replaces d's changes and counts. */
static int diff_renames(struct tdiff *d, git_tree *ptree, git_tree *tree)
{
	git_repository *repo = d->repo;
	git_diff *diff = NULL;
	git_diff_options dopt;
	git_diff_find_options fopt;
	size_t i, n;
	int rc = -1;

	tdiff_release(d);
	d->repo = repo;
	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopt, GIT_DIFF_FIND_OPTIONS_VERSION);
	dopt.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, repo, ptree, tree, &dopt) < 0) {
		source_git_error("cannot diff a commit with its parent");
		goto out;
	}
	fopt.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fopt) < 0) {
		source_git_error("cannot detect renames");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, i);
		struct change *c;

		if (dl->status == GIT_DELTA_DELETED) {
			d->deleted++;
			continue;
		}
		if (dl->new_file.mode == GIT_FILEMODE_COMMIT) {
			d->gitlinks++;
			continue;
		}
		if (dl->new_file.mode == GIT_FILEMODE_LINK) {
			d->symlinks++;
			continue;
		}
		if (dl->status == GIT_DELTA_RENAMED)
			d->renamed++;
		c = tdiff_push(d);
		c->whole = !(dl->status == GIT_DELTA_MODIFIED || dl->status == GIT_DELTA_RENAMED) ||
			   dl->old_file.mode == GIT_FILEMODE_COMMIT ||
			   dl->old_file.mode == GIT_FILEMODE_LINK;
		git_oid_cpy(&c->new_id, &dl->new_file.id);
		if (!c->whole)
			git_oid_cpy(&c->old_id, &dl->old_file.id);
		c->path = xstrdup(dl->new_file.path);
	}
	rc = 0;
out:
	git_diff_free(diff);
	return rc;
}

/* What one commit brings, against its first parent: computed by any
 * worker, consumed in walk order by the walking thread. */
struct slot {
	struct tdiff d;
	char commit[GIT_OID_HEXSZ + 1];
	char date[32];
	int ready;
};

static int commit_diff(git_repository *repo, const git_oid *id, struct slot *sl)
{
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	struct buf path = BUF_INIT;
	int rc = -1;

	memset(&sl->d, 0, sizeof(sl->d));
	sl->d.repo = repo;
	if (git_commit_lookup(&commit, repo, id) < 0) {
		source_git_error("cannot read a commit");
		goto out;
	}
	git_oid_tostr(sl->commit, sizeof(sl->commit), id);
	format_date(sl->date, &git_commit_author(commit)->when);
	if (git_commit_tree(&tree, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&ptree, parent) < 0))) {
		source_git_error("cannot read a commit's tree");
		goto out;
	}
	if (tree_diff(&sl->d, ptree, tree, &path) < 0)
		goto out;
	if (sl->d.added && sl->d.deleted && diff_renames(&sl->d, ptree, tree) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&path);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
	return rc;
}

/* Emit the run of added lines [first, last] of hunk h as one chunk. */
static int emit_run(struct worker *w, git_patch *p, size_t h, size_t first, size_t last,
		    struct chunk *c)
{
	if (source_patch_run(c, &w->copy, p, h, first, last) < 0)
		return -1;
	w->st.chunks++;
	w->st.bytes += c->len;
	return w->cb->chunk(w->cb->ctx, c);
}

static int scan_added_lines(struct worker *w, const struct task *t, git_blob *blob,
			    struct chunk *c)
{
	git_blob *old = NULL;
	git_patch *p = NULL;
	git_diff_options dopt;
	size_t h, nh;
	int rc = 0;

	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	dopt.context_lines = 0;
	dopt.interhunk_lines = 0;
	/* The new blob is text (or binary scanning is on): diff it as text
	 * even when the old one looked binary. */
	dopt.flags |= GIT_DIFF_FORCE_TEXT;
	if (git_blob_lookup(&old, w->repo, &t->old_id) < 0 ||
	    git_patch_from_blobs(&p, old, NULL, blob, NULL, &dopt) < 0) {
		source_git_error("cannot diff a blob with its parent's");
		git_blob_free(old);
		return -1;
	}
	w->st.files++;
	nh = git_patch_num_hunks(p);
	for (h = 0; h < nh && !rc; h++) {
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
				rc = emit_run(w, p, h, start, i - 1, c);
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
			rc = emit_run(w, p, h, start, nl - 1, c);
	}
	git_patch_free(p);
	git_blob_free(old);
	return rc;
}

static int do_task(struct worker *w, const struct task *t, unsigned long long *scanned)
{
	git_blob *blob = NULL;
	git_object_t type;
	struct chunk c;
	size_t len;
	int rc;

	memset(&c, 0, sizeof(c));
	c.path = t->path;
	c.commit = t->commit;
	c.date = t->date;
	c.commit_seq = t->seq;
	c.first_line = 1;
	*scanned = 0;
	if (git_odb_read_header(&len, &type, w->odb, &t->new_id) < 0) {
		source_git_error("cannot read a blob");
		return -1;
	}
	if (len > w->o->max_blob_size) {
		char why[96];

		w->st.too_large++;
		snprintf(why, sizeof(why), "%zu bytes, over max-blob-size (%llu bytes)", len,
			 w->o->max_blob_size);
		return w->cb->skipped ? w->cb->skipped(w->cb->ctx, &c, why) : 0;
	}
	if (git_blob_lookup(&blob, w->repo, &t->new_id) < 0) {
		source_git_error("cannot read a blob");
		return -1;
	}
	if (!w->o->scan_binary && git_blob_is_binary(blob)) {
		w->st.binary++;
		git_blob_free(blob);
		return 0;
	}
	if (t->whole) {
		c.data = git_blob_rawcontent(blob);
		c.len = (size_t)git_blob_rawsize(blob);
		c.whole = 1;
		w->st.files++;
		w->st.chunks++;
		w->st.bytes += c.len;
		rc = w->cb->chunk(w->cb->ctx, &c);
	} else {
		unsigned long long before = w->st.bytes;

		rc = scan_added_lines(w, t, blob, &c);
		*scanned = w->st.bytes - before;
		git_blob_free(blob);
		return rc;
	}
	*scanned = c.len;
	git_blob_free(blob);
	return rc;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct task t;
	unsigned long long scanned;
	int rc = 0;

	/* GIT_REPOSITORY_OPEN_BARE: no work tree or config needed, only
	 * objects, and it opens faster. */
	if (git_repository_open_ext(&w->repo, w->gitdir,
				    GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
				    NULL) < 0 ||
	    git_repository_odb(&w->odb, w->repo) < 0) {
		source_git_error("cannot open the repository in a worker thread");
		rc = -1;
	}
	while (!rc) {
		size_t first = 0, last = 0, i;
		int job = queue_take(w->q, &t, &first, &last);

		if (job == TAKE_NONE)
			break;
		if (job == TAKE_SCAN) {
			rc = do_task(w, &t, &scanned);
			queue_done(w->q, scanned);
			continue;
		}
		for (i = first; i < last && !rc; i++) {
			rc = commit_diff(w->repo, &w->q->commits[i], &w->q->slots[i]);
			pthread_mutex_lock(&w->q->mu);
			w->q->slots[i].ready = 1;
			if (i == w->q->seq_wait)
				pthread_cond_signal(&w->q->seq_cv);
			pthread_mutex_unlock(&w->q->mu);
		}
	}
	if (rc)
		queue_close(w->q, 1);
	w->rc = rc;
	return NULL;
}

struct progress {
	int on;
	struct timespec start, last;
};

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* A progress line on stderr, at most ten times a second (or when final). */
static void progress_show(struct progress *pg, struct queue *q, size_t commits, int final)
{
	struct timespec now;
	size_t done, n;
	unsigned long long bytes;
	double secs;

	if (!pg->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && elapsed(&pg->last, &now) < 0.1)
		return;
	pg->last = now;
	pthread_mutex_lock(&q->mu);
	done = q->done;
	n = q->n;
	bytes = q->bytes_done;
	pthread_mutex_unlock(&q->mu);
	secs = elapsed(&pg->start, &now);
	fprintf(stderr, "\rleakgate: %zu commits, %zu/%zu blobs, %.1f MB, %.1f MB/s\033[K",
		commits, done, n, (double)bytes / 1e6,
		secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static int push_oid(git_revwalk *walk, const git_oid *id, int hide)
{
	int err = hide ? git_revwalk_hide(walk, id) : git_revwalk_push(walk, id);

	if (err < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), id);
		source_git_error(hide ? "cannot exclude a commit" : "cannot walk from a commit");
		errorf("(the commit was %s)", hex);
		return -1;
	}
	return 0;
}

/* Every ref that peels to a commit, and HEAD when detached. */
static int push_all(git_revwalk *walk, git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int err;

	if (git_reference_iterator_new(&it, repo) < 0) {
		source_git_error("cannot list the refs");
		return -1;
	}
	while ((err = git_reference_next(&ref, it)) == 0) {
		git_object *obj = NULL;

		/* Tags of trees or blobs have no history: skip them. */
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			err = git_revwalk_push(walk, git_object_id(obj));
			git_object_free(obj);
		}
		git_reference_free(ref);
		if (err < 0)
			break;
		err = 0;
	}
	git_reference_iterator_free(it);
	if (err < 0 && err != GIT_ITEROVER) {
		source_git_error("cannot walk the refs");
		return -1;
	}
	if (git_repository_head_unborn(repo) == 1)
		return 0;	/* nothing committed on the current branch yet */
	err = git_revwalk_push_head(walk);
	if (err < 0 && err != GIT_ENOTFOUND && err != GIT_EUNBORNBRANCH) {
		source_git_error("cannot walk from HEAD");
		return -1;
	}
	git_error_clear();
	return 0;
}

static int peel_commit(git_oid *out, git_object *obj, const char *range)
{
	git_object *c = NULL;

	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0) {
		errorf("'%s' does not name a commit", range);
		return -2;
	}
	git_oid_cpy(out, git_object_id(c));
	git_object_free(c);
	return 0;
}

static int push_range(git_revwalk *walk, git_repository *repo, const char *range)
{
	git_revspec spec;
	git_oid from, to, base;
	int rc = 0;

	memset(&spec, 0, sizeof(spec));
	if (git_revparse(&spec, repo, range) < 0) {
		const git_error *e = git_error_last();

		errorf("cannot resolve the revision range '%s': %s", range,
		       e && e->message ? e->message : "unknown revision");
		return -2;
	}
	if ((rc = peel_commit(&from, spec.from, range)) < 0)
		goto out;
	if (spec.flags & GIT_REVSPEC_SINGLE) {
		rc = push_oid(walk, &from, 0);
		goto out;
	}
	if ((rc = peel_commit(&to, spec.to, range)) < 0)
		goto out;
	if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
		/* A...B: what either side has that their merge base has not. */
		if (git_merge_base(&base, repo, &from, &to) == 0)
			rc = push_oid(walk, &base, 1);
		git_error_clear();
		if (!rc)
			rc = push_oid(walk, &from, 0);
	} else {
		rc = push_oid(walk, &from, 1);
	}
	if (!rc)
		rc = push_oid(walk, &to, 0);
out:
	git_object_free(spec.from);
	git_object_free(spec.to);
	return rc;
}

static int walk_setup(git_revwalk **out, git_repository *repo, const struct history_opts *o)
{
	git_revwalk *walk = NULL;
	size_t i;
	int rc = 0;

	if (git_revwalk_new(&walk, repo) < 0) {
		source_git_error("cannot walk the history");
		return -1;
	}
	/* Parents before children, so the commit that introduced a blob is
	 * the one its findings name. */
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (o->all)
		rc = push_all(walk, repo);
	if (!rc && o->range)
		rc = push_range(walk, repo, o->range);
	for (i = 0; !rc && i < o->push.n; i++)
		rc = push_oid(walk, &o->push.v[i], 0);
	for (i = 0; !rc && i < o->hide.n; i++)
		rc = push_oid(walk, &o->hide.v[i], 1);
	if (!rc && o->hide_remotes && git_revwalk_hide_glob(walk, "refs/remotes/*") < 0) {
		source_git_error("cannot exclude the remote-tracking refs");
		rc = -1;
	}
	if (rc) {
		git_revwalk_free(walk);
		return rc;
	}
	*out = walk;
	return 0;
}

/* Wait until slot i is diffed (or a worker failed), showing progress.
 * Returns whether it is ready. */
static int wait_slot(struct queue *q, size_t i, struct progress *pg, size_t commits)
{
	int ready, stopped;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		q->seq_wait = i;
		if (!q->slots[i].ready && !q->stop) {
			if (pg->on) {
				struct timespec ts;

				clock_gettime(CLOCK_REALTIME, &ts);
				ts.tv_nsec += 100 * 1000 * 1000;
				if (ts.tv_nsec >= 1000 * 1000 * 1000) {
					ts.tv_sec++;
					ts.tv_nsec -= 1000 * 1000 * 1000;
				}
				pthread_cond_timedwait(&q->seq_cv, &q->mu, &ts);
			} else {
				pthread_cond_wait(&q->seq_cv, &q->mu);
			}
		}
		ready = q->slots[i].ready;
		stopped = q->stop;
		pthread_mutex_unlock(&q->mu);
		if (stopped)
			return 0;
		if (ready)
			return 1;
		progress_show(pg, q, commits, 0);
	}
}

/* Queue the new blobs of a diffed commit, in walk order: the first
 * commit that brings a blob is the one its findings name. */
static void queue_slot(struct queue *q, struct slot *sl, size_t seq, struct oidset *seen,
		       struct history_stats *st)
{
	struct task t;
	size_t i;

	memset(&t, 0, sizeof(t));
	memcpy(t.commit, sl->commit, sizeof(t.commit));
	memcpy(t.date, sl->date, sizeof(t.date));
	t.seq = seq;
	st->src.gitlinks += sl->d.gitlinks;
	st->src.symlinks += sl->d.symlinks;
	st->src.deleted += sl->d.deleted;
	st->src.renamed += sl->d.renamed;
	for (i = 0; i < sl->d.n; i++) {
		struct change *c = &sl->d.v[i];

		if (!oidset_add(seen, &c->new_id)) {
			st->repeats++;
			continue;
		}
		t.whole = c->whole;
		git_oid_cpy(&t.new_id, &c->new_id);
		git_oid_cpy(&t.old_id, &c->old_id);
		t.path = c->path;
		c->path = NULL;	/* the queue owns it now */
		queue_push(q, &t);
		st->blobs++;
	}
	tdiff_release(&sl->d);
}

int source_history(git_repository *repo, const struct history_opts *o,
		   const struct history_cb *cbs, int njobs, struct history_stats *st)
{
	struct queue q;
	struct oidset seen = { 0 };
	struct oid_list commits = { 0 };
	struct worker *w = xcalloc((size_t)njobs, sizeof(*w));
	struct progress pg = { 0 };
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t i;
	int rc, err, stopped = 0;

	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	pthread_cond_init(&q.seq_cv, NULL);
	pg.on = o->progress;
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	/* Each commit reads its parent's trees again: keep trees of any
	 * size in libgit2's object cache (its default keeps only small
	 * ones). And skip re-hashing every object read, as git does: it
	 * was a third of the time of a history scan. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4 << 20);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if ((rc = walk_setup(&walk, repo, o)) < 0)
		goto out;
	/* The list first: a topological walk reads every commit anyway.
	 * Then the workers diff commits and scan blobs while this thread
	 * takes the diffs in walk order and queues the new blobs. */
	while ((err = git_revwalk_next(&oid, walk)) == 0)
		oid_list_push(&commits, &oid);
	if (err != GIT_ITEROVER) {
		source_git_error("cannot walk the history");
		rc = -1;
		goto out;
	}
	q.commits = commits.v;
	q.ncommits = commits.n;
	q.slots = xcalloc(commits.n ? commits.n : 1, sizeof(*q.slots));
	for (i = 0; i < (size_t)njobs; i++) {
		w[i].q = &q;
		w[i].o = o;
		w[i].cb = &cbs[i];
		w[i].gitdir = git_repository_path(repo);
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0) {
			errorf("cannot start a worker thread");
			rc = -1;
			break;
		}
		w[i].started = 1;
	}
	for (i = 0; !rc && i < q.ncommits; i++) {
		if (!wait_slot(&q, i, &pg, st->commits)) {
			stopped = 1;	/* a worker failed: its rc is taken below */
			break;
		}
		queue_slot(&q, &q.slots[i], i, &seen, st);
		st->commits++;
		progress_show(&pg, &q, st->commits, 0);
	}
	queue_close(&q, rc != 0 || stopped);
	/* Wait for the workers, showing how far they are. */
	while (pg.on && !rc && !stopped) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		int finished;

		pthread_mutex_lock(&q.mu);
		finished = q.done == q.n || q.stop;
		pthread_mutex_unlock(&q.mu);
		if (finished)
			break;
		nanosleep(&ts, NULL);
		progress_show(&pg, &q, st->commits, 0);
	}
	for (i = 0; i < (size_t)njobs; i++) {
		if (!w[i].started)
			continue;
		pthread_join(w[i].tid, NULL);
		if (w[i].rc && !rc)
			rc = w[i].rc;
	}
	if (!rc && stopped)
		rc = -1;	/* cannot happen: a stop comes with a worker's rc */
	progress_show(&pg, &q, st->commits, 1);
out:
	for (i = 0; i < (size_t)njobs; i++) {
		struct source_stats *s = &w[i].st;

		st->src.files += s->files;
		st->src.chunks += s->chunks;
		st->src.bytes += s->bytes;
		st->src.binary += s->binary;
		st->src.too_large += s->too_large;
		buf_release(&w[i].copy);
		git_odb_free(w[i].odb);
		git_repository_free(w[i].repo);
	}
	for (i = 0; q.slots && i < q.ncommits; i++)
		tdiff_release(&q.slots[i].d);
	free(q.slots);
	for (i = 0; i < q.n; i++)
		free(q.v[i].path);
	free(q.v);
	free(w);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	pthread_cond_destroy(&q.seq_cv);
	oid_list_release(&commits);
	oidset_release(&seen);
	git_revwalk_free(walk);
	return rc;
}
