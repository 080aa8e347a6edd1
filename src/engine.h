/*
 * engine.h — one Hyperscan database for all rule patterns.
 *
 * engine_new() compiles the rules' patterns (block mode, no start of match)
 * or loads the serialized database from the per-user cache, keyed by a hash
 * of the patterns, their flags and the Hyperscan version; a missing, stale
 * or corrupt cache entry is recompiled and rewritten atomically, never an
 * error. engine_scan() reports runs of end offsets per rule: Hyperscan gives
 * every end offset of a match, and consecutive ends of one rule are merged
 * into one run, so a long match costs one entry.
 *
 * An engine holds one scratch space: engine_scan() is not reentrant. Use
 * engine_scanner_new() for one scratch per thread.
 */
#ifndef LEAKGATE_ENGINE_H
#define LEAKGATE_ENGINE_H

#include <stddef.h>

#include "rules.h"

struct engine;
struct engine_scanner;

/* A run of end offsets [first_end, last_end] of matches of one rule. */
struct hit {
	unsigned rule;
	size_t first_end, last_end;
};

struct hits {
	struct hit *v;
	size_t n, alloc;
};
void hits_release(struct hits *h);

/*
 * Compile (or load from cache_dir, when not NULL) the database for r.
 * Returns 0; -1 after printing which rule Hyperscan rejected and why
 * (a config error); -2 on an internal error (printed).
 * The engine borrows r: r must outlive it. Free with engine_free().
 */
int engine_new(struct engine **out, const struct rules *r, const char *cache_dir);
void engine_free(struct engine *e);

/* Widest match of rule i in bytes, or 0 when unbounded. */
size_t engine_max_width(const struct engine *e, unsigned i);

/* Scratch for one thread. Free with engine_scanner_free(). */
int engine_scanner_new(struct engine_scanner **out, const struct engine *e);
void engine_scanner_free(struct engine_scanner *s);

/*
 * Scan data[0..len) and replace out's contents with the hits, sorted by
 * rule, then offset. Returns 0, or -1 on a Hyperscan error (printed).
 */
int engine_scan(struct engine_scanner *s, const char *data, size_t len, struct hits *out);

/* Whether the last engine_new() loaded from the cache (for -v and tests). */
int engine_from_cache(const struct engine *e);

#endif
