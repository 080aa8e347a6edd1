/*
 * source.h — what is about to be committed, as chunks of added content.
 *
 * source_open() opens the repository the way git hands it to a hook
 * (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, linked worktrees).
 * source_staged() diffs HEAD's tree (the empty tree on an unborn branch)
 * against the index and calls back once per chunk: a new file is one chunk
 * holding the whole blob; a modified or renamed file gives one chunk per
 * run of consecutive added lines. A symlink gives its target text (never
 * followed). Deletions, pure renames and gitlinks give nothing; blobs that
 * really look binary are skipped unless asked for; blobs
 * over the size cap are reported through the skipped callback. Everything
 * it passed over is counted in the stats.
 *
 * Chunk data is borrowed and valid only during the callback. During a
 * merge (MERGE_HEAD present), each chunk also carries the same path's
 * content in the merged-in commits, so that a secret that only arrived
 * from the other branch is not reported as new (it is already history),
 * while one typed while resolving a conflict is.
 */
#ifndef LEAKGATE_SOURCE_H
#define LEAKGATE_SOURCE_H

#include <git2.h>
#include <stddef.h>

#define SOURCE_MAX_THEIRS 8

struct blob_view {
	const char *data;
	size_t len;
};

struct chunk {
	const char *path;
	const char *data;
	size_t len;
	size_t first_line;	/* 1-based line number of data[0] */
	int whole;		/* the whole blob of a new file */
	struct blob_view theirs[SOURCE_MAX_THEIRS];
	size_t ntheirs;
	const char *commit;	/* 40-hex id when scanning history, else NULL */
	const char *date;	/* that commit's author date (ISO 8601) */
	size_t commit_seq;	/* its place in the walk, parents first */
};

struct source_stats {
	size_t files;		/* files with content scanned */
	size_t chunks;
	unsigned long long bytes;	/* bytes scanned */
	size_t binary, gitlinks, symlinks, too_large, deleted, renamed;
};

struct source_cb {
	/* Non-zero return stops the walk and is returned. */
	int (*chunk)(void *ctx, const struct chunk *c);
	int (*skipped)(void *ctx, const char *path, const char *why);
	void *ctx;
	/*
	 * Optional, for the file policy: called once for every staged
	 * non-gitlink entry, before its chunks, with its new path, mode, blob
	 * id and status (a git_delta_t: added, modified, renamed, copied,
	 * typechange; also deleted, with the old path, mode and id, so that
	 * the policy knows the directory). Called with file_ctx, or with ctx
	 * when file_ctx is NULL.
	 */
	int (*file)(void *ctx, const char *path, unsigned mode, const git_oid *id,
		    int status);
	void *file_ctx;
	/*
	 * Optional, for the file policy of scans of files on disk: called
	 * with each file's whole content (up to max-blob-size) before the
	 * binary check, so keystores are judged too. Called with file_ctx,
	 * or ctx when file_ctx is NULL. A negative return stops the walk.
	 */
	int (*content)(void *ctx, const char *path, const char *data, size_t len);
};

struct source_opts {
	unsigned long long max_blob_size;
	int scan_binary;
};

/* Open the repository containing the current directory, as a hook sees
 * it. Returns 0; -1 not in a repository (printed); -2 other error. */
int source_open(git_repository **out);

/* Open the index git will commit (GIT_INDEX_FILE, or the repository's).
 * Returns 0 or -1 (printed). Free with git_index_free(). */
int source_index(git_index **out, git_repository *repo);

/* The blob staged at `path` (relative to the top of the work tree, stage 0)
 * in the index git will commit: 1 and *id set when it is there; 0 when it
 * is not; -1 on an error (printed). Reads only what it needs of a large
 * index. */
int source_staged_blob(git_repository *repo, const char *path, git_oid *id);

/* Walk the staged changes. Returns 0, a callback's non-zero value, or -1
 * after printing a repository error. */
int source_staged(git_repository *repo, const struct source_opts *o,
		  const struct source_cb *cb, struct source_stats *st);

/* Point c at the run of added lines [first, last] of patch hunk h (data,
 * len, first_line): into the new blob when the lines are contiguous there,
 * else into copy. Returns 0, or -1 on a libgit2 error. */
struct buf;
int source_patch_run(struct chunk *c, struct buf *copy, git_patch *p, size_t h,
		     size_t first, size_t last);

/* Print libgit2's last error after a message of ours. */
void source_git_error(const char *what);

#endif
