/*
 * extract.h — PCRE2 confirms a Hyperscan hit and finds the exact secret.
 *
 * Hyperscan reports where a match ends, not where it starts. For a run of
 * end offsets of one rule, extract_run() runs the rule's PCRE2 pattern
 * (`extract`, or `pattern` when there is none) over a window that ends at
 * the run and reports every match that covers an end offset of the run; the
 * secret is the named group `secret` when the pattern has one, else the
 * whole match. Patterns are compiled (with JIT) the first time their rule
 * hits, and matching is bounded by PCRE2's match and depth limits.
 *
 * The extractor borrows the rules; free it with extractor_free().
 * Not reentrant: use one extractor per thread.
 */
#ifndef LEAKGATE_EXTRACT_H
#define LEAKGATE_EXTRACT_H

#include <stddef.h>

#include "rules.h"

struct extractor;

int extractor_new(struct extractor **out, const struct rules *r);
void extractor_free(struct extractor *x);

/* Compile rule i's PCRE2 pattern now. Returns 0, or -1 after printing
 * PCRE2's message with the rule, file and line. */
int extract_compile(struct extractor *x, unsigned i);

/* Called for each match: match span [ms, me) and secret span [ss, se). */
typedef int (*extract_fn)(void *ctx, size_t ms, size_t me, size_t ss, size_t se);

/*
 * For ends in [first_end, last_end] of rule i in data[0..len), with
 * Hyperscan's maximum match width `width` (0: unbounded), call fn for every
 * covering match. Returns 0; -1 when the pattern does not compile or PCRE2
 * gave up (match or depth limit), after printing an error: the caller must
 * fail closed. A non-zero return of fn stops and is returned.
 */
int extract_run(struct extractor *x, unsigned i, const char *data, size_t len,
		size_t first_end, size_t last_end, size_t width, extract_fn fn, void *ctx);

#endif
