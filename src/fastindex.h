/*
 * fastindex.h — a small read-only reader of git's index for the staged diff.
 *
 * On a large repository libgit2's own index load and tree-to-index diff cost
 * many times what git needs for the same answer (issue 7): libgit2 allocates
 * every entry and reads every tree of HEAD, while git skips each directory
 * whose cache-tree (the index's TREE extension) matches HEAD. This module
 * does what git does, for the indexes it fully understands, and nothing else:
 *
 *   - the index is mmap'd; entries are never copied or allocated one by one;
 *   - a directory whose cache-tree entry is valid and names the same tree as
 *     HEAD is skipped without reading anything under it (this is also exactly
 *     the tree `git commit` would write for it);
 *   - HEAD's trees are read through libgit2, only for directories that may
 *     have changed.
 *
 * It understands index versions 2 and 3 with every entry at stage 0, no
 * extended flags (no intent-to-add, no skip-worktree), only regular file,
 * executable, symlink and gitlink modes, sorted unique paths, and optional
 * (upper-case) extensions. Anything else — version 4, a split index ("link"),
 * a sparse index ("sdir"), any other required extension, a merge conflict, a
 * malformed or truncated file — makes fastindex_diff() return
 * FASTINDEX_FALLBACK and the caller must use libgit2 instead. It never
 * guesses.
 *
 * The result lists the same changes as git_diff_tree_to_index() with default
 * options (no rename detection; a change of file type is a deletion followed
 * by an addition), in the same order (git's path order).
 */
#ifndef LEAKGATE_FASTINDEX_H
#define LEAKGATE_FASTINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

/* fastindex_diff() result that means "not for me: use libgit2". */
#define FASTINDEX_FALLBACK 1

enum fastindex_status {
	FASTINDEX_ADDED = 'A',
	FASTINDEX_MODIFIED = 'M',
	FASTINDEX_DELETED = 'D',
};

struct fastindex_change {
	const char *path;   /* NUL-terminated; owned by the changes list */
	size_t path_len;
	git_oid old_id;     /* zero when added */
	git_oid new_id;     /* zero when deleted */
	uint32_t old_mode;  /* 0 when added */
	uint32_t new_mode;  /* 0 when deleted */
	uint32_t size_hint; /* the file size the index recorded (what git add
			     * saw, low 32 bits; 0 unknown): a hint, not the
			     * blob's size */
	enum fastindex_status status;
};

struct fastindex_block;

/*
 * The staged changes. Paths point into the mapped index or into blocks the
 * list owns, so they live until fastindex_changes_release().
 */
struct fastindex_changes {
	struct fastindex_change *v;
	size_t n, alloc;
	void *map;          /* the mapped index */
	size_t map_len;
	struct fastindex_block *blocks; /* paths of deleted files */
};

/*
 * Compare HEAD's tree (`head`, or NULL for an unborn branch) with the index
 * file at `index_path` of `repo`.
 *
 * Returns 0 and fills `out` (which must be zeroed or released) on success;
 * FASTINDEX_FALLBACK when the index is one this module does not fully
 * understand or cannot open (`out` is left empty; use libgit2); a negative
 * libgit2 error code when a HEAD tree cannot be read or memory runs out.
 * In every case release `out` with fastindex_changes_release().
 */
int fastindex_diff(struct fastindex_changes *out, git_repository *repo,
		   const char *index_path, const git_tree *head);

/*
 * Look up one path (stage 0) in the index file at `index_path` without
 * reading the rest: returns 1 and sets `id` and `mode` when it is there, 0
 * when it is not, FASTINDEX_FALLBACK under the same conditions as
 * fastindex_diff() (or when the path has conflict stages).
 */
int fastindex_lookup(const char *index_path, const char *path, git_oid *id, uint32_t *mode);

/* Frees everything `c` holds and zeroes it. NULL is a no-op. */
void fastindex_changes_release(struct fastindex_changes *c);

#endif
