#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <hs.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "defaults.h"
#include "hash.h"
#include "msg.h"
#include "testhook.h"

#define CACHE_MAGIC "LGHSDB2\n"

struct engine {
	const struct rules *rules;
	hs_database_t *db;
	size_t *width;		/* per rule; 0 = unbounded */
	int from_cache;
};

struct engine_scanner {
	const struct engine *e;
	hs_scratch_t *scratch;
	size_t *last_run;	/* per rule: index into hits + 1, 0 = none */
	struct hits *out;
	size_t base;		/* offset of the piece being scanned */
	int overflow;
};

void hits_release(struct hits *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

static unsigned pattern_flags(void)
{
	/* ^ and $ are line anchors, as in PCRE2 with PCRE2_MULTILINE. */
	return HS_FLAG_MULTILINE;
}

/* The cache key: everything that changes the compiled database. */
static void cache_key(char out[41], const struct rules *r)
{
	struct buf b = BUF_INIT;
	hs_platform_info_t plat;
	size_t i;

	buf_printf(&b, "%s\n%s\n%u\n", CACHE_MAGIC, hs_version(), pattern_flags());
	if (hs_populate_platform(&plat) == HS_SUCCESS)
		buf_printf(&b, "%u %llu %llu\n", plat.tune,
			   (unsigned long long)plat.cpu_features,
			   (unsigned long long)plat.reserved1);
	for (i = 0; i < r->n; i++) {
		buf_adds(&b, r->v[i].pattern);
		buf_addc(&b, '\0');
	}
	hash_hex(out, b.ptr, b.len);
	buf_release(&b);
}

static int compile_db(struct engine *e)
{
	const struct rules *r = e->rules;
	const char **exprs = xcalloc(r->n, sizeof(*exprs));
	unsigned *flags = xcalloc(r->n, sizeof(*flags));
	unsigned *ids = xcalloc(r->n, sizeof(*ids));
	hs_compile_error_t *cerr = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->n; i++) {
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *ierr = NULL;

		exprs[i] = r->v[i].pattern;
		flags[i] = pattern_flags();
		ids[i] = (unsigned)i;
		if (hs_expression_info(exprs[i], flags[i], &info, &ierr) != HS_SUCCESS) {
			const struct rule_def *d = r->v[i].def;

			errorf("%s:%d: rule '%s': pattern rejected by Hyperscan: %s",
			       d->pattern.file ? d->pattern.file : d->file,
			       d->pattern.line ? d->pattern.line : d->line, d->id,
			       ierr ? ierr->message : "unknown error");
			hs_free_compile_error(ierr);
			rc = -1;
			goto out;
		}
		e->width[i] = info->max_width == UINT_MAX ? 0 : info->max_width;
		free(info);
		/* Custom rules only: the built-in ones are vetted by the suite. */
		if (!r->v[i].def->builtin && e->width[i] > MAX_PATTERN_WIDTH) {
			const struct rule_def *d = r->v[i].def;

			errorf("%s:%d: rule '%s': the pattern can match up to %zu bytes, over the "
			       "limit of %d: use + or * for long runs, or smaller bounds",
			       d->pattern.file ? d->pattern.file : d->file,
			       d->pattern.line ? d->pattern.line : d->line, d->id, e->width[i],
			       MAX_PATTERN_WIDTH);
			rc = -1;
			goto out;
		}
	}
	if (hs_compile_multi(exprs, flags, ids, (unsigned)r->n, HS_MODE_BLOCK, NULL,
			     &e->db, &cerr) != HS_SUCCESS) {
		if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < r->n) {
			const struct rule_def *d = r->v[cerr->expression].def;

			errorf("%s:%d: rule '%s': pattern rejected by Hyperscan: %s",
			       d->pattern.file ? d->pattern.file : d->file,
			       d->pattern.line ? d->pattern.line : d->line, d->id, cerr->message);
			rc = -1;
		} else {
			errorf("cannot compile the rules with Hyperscan: %s",
			       cerr ? cerr->message : "unknown error");
			rc = -2;
		}
		hs_free_compile_error(cerr);
	}
out:
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

static int read_all(const char *path, struct buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Cache file: magic, rule count (u64), widths (u64 each), database. */
static int cache_load(struct engine *e, const char *path)
{
	struct buf b = BUF_INIT;
	size_t n = e->rules->n, head = 8 + 8 + 8 * n, i;
	uint64_t v;
	int rc = -1;

	if (read_all(path, &b) < 0 || b.len <= head || memcmp(b.ptr, CACHE_MAGIC, 8))
		goto out;
	memcpy(&v, b.ptr + 8, 8);
	if (v != n)
		goto out;
	for (i = 0; i < n; i++) {
		memcpy(&v, b.ptr + 16 + 8 * i, 8);
		e->width[i] = (size_t)v;
	}
	if (hs_deserialize_database(b.ptr + head, b.len - head, &e->db) != HS_SUCCESS) {
		e->db = NULL;
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

static int mkdir_p(const char *dir)
{
	char *p = xstrdup(dir), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* Write atomically: a temporary file in the same directory, then rename. */
static void cache_store(const struct engine *e, const char *dir, const char *path)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	char *bytes = NULL;
	size_t len = 0, i;
	uint64_t v;
	int fd = -1;

	if (testhook_fail("cache-write") || hs_serialize_database(e->db, &bytes, &len) != HS_SUCCESS)
		goto out;
	buf_add(&b, CACHE_MAGIC, 8);
	v = e->rules->n;
	buf_add(&b, &v, 8);
	for (i = 0; i < e->rules->n; i++) {
		v = e->width[i];
		buf_add(&b, &v, 8);
	}
	buf_add(&b, bytes, len);
	if (mkdir_p(dir) < 0)
		goto out;
	buf_printf(&tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp.ptr);
	if (fd < 0)
		goto out;
	if (write(fd, b.ptr, b.len) != (ssize_t)b.len || fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		unlink(tmp.ptr);
		goto out;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0)
		unlink(tmp.ptr);
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp.ptr);
	}
	if (!e->from_cache && msg_verbosity() > 0 && access(path, R_OK) < 0)
		verbosef("could not write the rule cache in '%s' (it is only a speed-up)", dir);
	free(bytes);
	buf_release(&b);
	buf_release(&tmp);
}

int engine_new(struct engine **out, const struct rules *r, const char *cache_dir)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	struct buf path = BUF_INIT;
	char key[41];
	int rc = 0;

	*out = NULL;
	e->rules = r;
	e->width = xcalloc(r->n ? r->n : 1, sizeof(*e->width));
	if (r->n == 0) {
		*out = e;	/* nothing to match: scans report no hits */
		return 0;
	}
	if (cache_dir) {
		cache_key(key, r);
		buf_printf(&path, "%s/rules-%.16s.hsdb", cache_dir, key);
		if (cache_load(e, path.ptr) == 0) {
			e->from_cache = 1;
			verbosef("rules loaded from cache %s", path.ptr);
		}
	}
	if (!e->db) {
		rc = compile_db(e);
		if (rc < 0)
			goto out;
		if (cache_dir)
			cache_store(e, cache_dir, path.ptr);
	}
	*out = e;
	e = NULL;
out:
	buf_release(&path);
	engine_free(e);
	return rc;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	hs_free_database(e->db);
	free(e->width);
	free(e);
}

size_t engine_max_width(const struct engine *e, unsigned i)
{
	return i < e->rules->n ? e->width[i] : 0;
}

int engine_from_cache(const struct engine *e)
{
	return e->from_cache;
}

int engine_scanner_new(struct engine_scanner **out, const struct engine *e)
{
	struct engine_scanner *s = xcalloc(1, sizeof(*s));

	s->e = e;
	s->last_run = xcalloc(e->rules->n ? e->rules->n : 1, sizeof(*s->last_run));
	if (e->db && hs_alloc_scratch(e->db, &s->scratch) != HS_SUCCESS) {
		errorf("cannot allocate Hyperscan scratch space");
		engine_scanner_free(s);
		*out = NULL;
		return -1;
	}
	*out = s;
	return 0;
}

void engine_scanner_free(struct engine_scanner *s)
{
	if (!s)
		return;
	hs_free_scratch(s->scratch);
	free(s->last_run);
	free(s);
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *ctx)
{
	struct engine_scanner *s = ctx;
	struct hits *h = s->out;
	size_t last = s->last_run[id];

	(void)from;
	(void)flags;
	to += s->base;
	if (last && (h->v[last - 1].last_end + 1 >= to || h->n >= MAX_HITS_PER_CHUNK)) {
		/* A continuation of the run (or past the cap: widen the run,
		 * which extraction then covers in full; nothing is dropped). */
		if (to > h->v[last - 1].last_end)
			h->v[last - 1].last_end = (size_t)to;
		if (h->n >= MAX_HITS_PER_CHUNK)
			s->overflow = 1;
		return 0;
	}
	if (h->n == h->alloc) {
		h->alloc = h->alloc ? 2 * h->alloc : 64;
		h->v = xrealloc(h->v, h->alloc * sizeof(*h->v));
	}
	h->v[h->n].rule = id;
	h->v[h->n].first_end = h->v[h->n].last_end = (size_t)to;
	s->last_run[id] = ++h->n;
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->first_end != y->first_end)
		return x->first_end < y->first_end ? -1 : 1;
	return 0;
}

int engine_scan(struct engine_scanner *s, const char *data, size_t len, struct hits *out)
{
	size_t off = 0, i;
	hs_error_t err;

	out->n = 0;
	if (!s->e->db || len == 0)
		return 0;
	s->out = out;
	s->overflow = 0;
	/* Hyperscan takes an unsigned int length: scan huge buffers in
	 * pieces that overlap by the extraction window. */
	while (off < len) {
		size_t n = len - off;
		const size_t maxn = (size_t)1 << 30;

		if (n > maxn)
			n = maxn;
		s->base = off;
		err = testhook_fail("hs-scan") ? HS_UNKNOWN_ERROR :
			hs_scan(s->e->db, data + off, (unsigned)n, 0, s->scratch, on_match, s);
		if (err != HS_SUCCESS) {
			errorf("Hyperscan scan failed (error %d)", (int)err);
			goto fail;
		}
		if (off + n >= len)
			break;
		off += n - EXTRACT_WINDOW;
	}
	for (i = 0; i < out->n; i++)
		s->last_run[out->v[i].rule] = 0;
	if (out->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(out->v, out->n, sizeof(*out->v), hit_cmp);
	return 0;
fail:
	for (i = 0; i < out->n; i++)
		s->last_run[out->v[i].rule] = 0;
	return -1;
}
