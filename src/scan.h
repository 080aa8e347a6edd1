/*
 * scan.h — the detection pipeline for one chunk of content:
 * engine (Hyperscan hits) -> extract (PCRE2 spans) -> filter -> findings.
 *
 * A struct scan owns its engine, scanner, extractor, filter and findings;
 * it borrows the config and rules, which must outlive it. scan_chunk() is
 * the source's chunk callback; scan_skipped() its skipped callback.
 * Not reentrant: one struct scan per thread.
 */
#ifndef LEAKGATE_SCAN_H
#define LEAKGATE_SCAN_H

#include "config.h"
#include "engine.h"
#include "extract.h"
#include "filter.h"
#include "finding.h"
#include "rules.h"
#include "source.h"

struct candidate_span;

struct scan {
	const struct config *cfg;
	const struct rules *rules;
	struct engine *engine;
	struct engine_scanner *scanner;
	struct extractor *x;
	struct filter *filter;
	struct findings findings;
	struct hits hits;
	struct candidate_span *cands;
	size_t ncands, alloc_cands;
	size_t suppressed[FILTER_ALLOWLIST + 1];	/* by verdict */
	size_t merged_in;	/* dropped: arrived from the merged branch */
	int cands_over;		/* MAX_CANDIDATES_PER_CHUNK was reached */
	const char *cap_path;	/* for MAX_FINDINGS_PER_FILE */
	size_t cap_count;
};

/*
 * Set up the pipeline. cache_dir may be NULL (no cache). Returns 0;
 * -1 config error (printed: a rule's pattern was rejected); -2 internal.
 */
int scan_init(struct scan *s, const struct config *c, const struct rules *r,
	      const char *cache_dir);
void scan_release(struct scan *s);

/* Scan one chunk, adding findings. 0, or -1 on an error (printed). */
int scan_chunk(void *scan, const struct chunk *c);
/* Record a skipped file as a finding of kind "skipped". */
int scan_skipped(void *scan, const char *path, const char *why);
/* Scan a standalone buffer as if it were a new file at path. */
int scan_buffer(struct scan *s, const char *path, const char *data, size_t len);

#endif
