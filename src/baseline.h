/*
 * baseline.h — write the baseline file that `[allow] baseline` reads.
 *
 * A baseline lets an old repository adopt the hook without fixing its
 * history first: it lists the fingerprints of the findings present when it
 * was written, and findings with those fingerprints are not reported
 * again. A fingerprint hashes the rule id and the secret only (never the
 * path or the line number), so an entry survives edits around the secret,
 * moves and squash merges. The file holds no secret: each line is a
 * fingerprint, then a comment naming the rule and the path, for review.
 * config_load_baseline() (config.c) reads it back.
 */
#ifndef LEAKGATE_BASELINE_H
#define LEAKGATE_BASELINE_H

#include <git2.h>

#include "finding.h"
#include "source.h"

/*
 * Write the fingerprints of the secret findings in f (sorted, each once)
 * to path, replacing it atomically (a temporary file renamed over it).
 * Returns the number of fingerprints written, or -1 after printing why the
 * file could not be written.
 */
long baseline_write(const char *path, const struct findings *f);

/*
 * Scan every file of the index (the tree about to be committed) as a whole
 * new file: what a baseline records and what `config --unused` judges the
 * allowlist against, where the hook itself only sees the staged changes.
 * Same callbacks, options and stats as source_staged(): blobs over the size
 * cap go to the skipped callback, binary ones are skipped unless asked for,
 * symlinks, submodules and conflicted entries are passed over. Returns 0,
 * a callback's non-zero value, or -1 after printing a repository error.
 */
int baseline_scan_index(git_repository *repo, const struct source_opts *o,
			const struct source_cb *cb, struct source_stats *st);

#endif
