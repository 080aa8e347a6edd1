/*
 * source_fs.h — files and directories on disk as chunks.
 *
 * source_fs() scans each path given: a file is one chunk holding all of
 * it; a directory is walked recursively in name order (so progress and
 * callbacks come in the same order every run). Inside a git work tree,
 * what git ignores (.gitignore, .git/info/exclude, core.excludesFile) is
 * passed over through libgit2's ignore rules, unless no_ignore is set; a
 * path named on the command line is scanned even if it is ignored, as
 * `git add -f` would take it. `.git` directories are never entered;
 * symlinks below a named path are not followed; binary files (a NUL in the
 * first 8000 bytes, as git decides) are skipped unless scan_binary is set;
 * files over max_blob_size go to the skipped callback. Paths in chunks are
 * as typed, joined with '/' ("." itself is dropped: "./a" is "a").
 *
 * Chunk data is borrowed and valid only during the callback.
 */
#ifndef LEAKGATE_SOURCE_FS_H
#define LEAKGATE_SOURCE_FS_H

#include <stddef.h>

#include "source.h"

struct fs_opts {
	unsigned long long max_blob_size;
	int scan_binary;
	int no_ignore;
	int progress;		/* a progress line on stderr */
};

struct fs_stats {
	size_t ignored;		/* files and directories passed over */
	size_t unreadable;	/* warned about */
	struct source_stats src;
};

/*
 * Scan paths[0..n). Returns 0; a callback's non-zero value; -1 after
 * printing an internal error; -2 after printing that a path does not
 * exist or cannot be read (a usage error).
 */
int source_fs(char *const *paths, size_t n, const struct fs_opts *o,
	      const struct source_cb *cb, struct fs_stats *st);

#endif
