/*
 * source_history.h — commits as chunks of added content, on several threads.
 *
 * source_history() walks the commits selected by the options with libgit2's
 * revwalk, parents before children, and diffs each commit's tree against
 * its first parent's (a root commit against the empty tree). Every file a
 * commit adds is one chunk holding the whole blob; every file it modifies
 * gives one chunk per run of consecutive added lines. Deletions, gitlinks
 * and symlinks give nothing. A blob is scanned at most once however many
 * commits bring it (merges, cherry-picks, reverts, branches): the first
 * commit in walk order that introduces it is the one its findings name, so
 * the choice does not depend on thread scheduling.
 *
 * The calling thread lists the commits; `jobs` worker threads diff runs of
 * consecutive commits against their parents (skipping unchanged subtrees)
 * and scan blobs; the calling thread takes the diffs in walk order, drops
 * blobs already seen and queues the rest. Worker i calls cbs[i], so a
 * callback needs no locking if its ctx is per worker. Each worker opens
 * its own git_repository (libgit2 objects are not shared between
 * threads). Chunk data is borrowed and valid only during the
 * callback; chunk->commit and chunk->date name the commit.
 */
#ifndef LEAKGATE_SOURCE_HISTORY_H
#define LEAKGATE_SOURCE_HISTORY_H

#include <git2.h>
#include <stddef.h>

#include "source.h"

struct history_cb {
	/* Non-zero return stops every worker and is returned. */
	int (*chunk)(void *ctx, const struct chunk *c);
	/* A blob that was not scanned; c->data is NULL. */
	int (*skipped)(void *ctx, const struct chunk *c, const char *why);
	void *ctx;
};

struct oid_list {
	git_oid *v;
	size_t n, alloc;
};
void oid_list_push(struct oid_list *l, const git_oid *id);
void oid_list_release(struct oid_list *l);

struct history_opts {
	const char *range;	/* "A..B", "A...B" or one revision; or NULL */
	int all;		/* every ref, and HEAD */
	struct oid_list push;	/* more commits to walk from */
	struct oid_list hide;	/* and commits whose history is excluded */
	int hide_remotes;	/* exclude what refs/remotes/ reach */
	unsigned long long max_blob_size;
	int scan_binary;
	int progress;		/* a progress line on stderr */
};

struct history_stats {
	size_t commits;		/* commits walked */
	size_t blobs;		/* distinct blobs queued */
	size_t repeats;		/* blob changes not rescanned: seen before */
	struct source_stats src;	/* as for staged scans, summed */
};

/*
 * Walk and scan with njobs workers (njobs >= 1, cbs has njobs entries).
 * Returns 0; a callback's non-zero value; -1 after printing a repository
 * error; -2 after printing that the range or a revision cannot be
 * resolved (a usage error).
 */
int source_history(git_repository *repo, const struct history_opts *o,
		   const struct history_cb *cbs, int njobs, struct history_stats *st);

#endif
