#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "defaults.h"
#include "hash.h"
#include "msg.h"

struct candidate_span {
	unsigned rule;
	size_t ms, me, ss, se;
	int dead;
};

struct collect {
	struct scan *s;
	unsigned rule;
};

static int on_span(void *ctx, size_t ms, size_t me, size_t ss, size_t se)
{
	struct collect *cl = ctx;
	struct scan *s = cl->s;
	struct candidate_span *c;

	if (s->ncands >= MAX_CANDIDATES_PER_CHUNK) {
		s->cands_over = 1;
		return 1;	/* stop: the chunk is reported as partly scanned */
	}
	if (s->ncands == s->alloc_cands) {
		s->alloc_cands = s->alloc_cands ? 2 * s->alloc_cands : 32;
		s->cands = xrealloc(s->cands, s->alloc_cands * sizeof(*s->cands));
	}
	c = &s->cands[s->ncands++];
	c->rule = cl->rule;
	c->ms = ms;
	c->me = me;
	c->ss = ss;
	c->se = se;
	c->dead = 0;
	return 0;
}

static int overlaps(const struct candidate_span *a, const struct candidate_span *b)
{
	return a->ss < b->se && b->ss < a->se;
}

/* One rule flagging the same bytes twice keeps the longest span. */
static void dedupe_same_rule(struct scan *s)
{
	size_t i, j;

	for (i = 0; i < s->ncands; i++) {
		struct candidate_span *a = &s->cands[i];

		for (j = i + 1; j < s->ncands && !a->dead; j++) {
			struct candidate_span *b = &s->cands[j];

			if (b->ss >= a->se)
				break;	/* sorted by start: no later one overlaps */
			if (b->dead || b->rule != a->rule || !overlaps(a, b))
				continue;
			if (b->se - b->ss > a->se - a->ss)
				a->dead = 1;
			else
				b->dead = 1;
		}
	}
}

/* Of two kept candidates of different rules on the same bytes, the one of
 * lower priority goes (a generic rule yields to a specific one).
 * Candidates are sorted by start: later ones overlap a only while they
 * start before a ends, and earlier ones only while the furthest end among
 * them (maxse, a running maximum) reaches past a's start. */
static void resolve_priority(struct scan *s, const int *kept)
{
	size_t i, j, *maxse = xcalloc(s->ncands ? s->ncands : 1, sizeof(*maxse));

	for (i = 0; i < s->ncands; i++)
		maxse[i] = i && maxse[i - 1] > s->cands[i].se ? maxse[i - 1] : s->cands[i].se;
	for (i = 0; i < s->ncands; i++) {
		struct candidate_span *a = &s->cands[i];
		int pa = s->rules->v[a->rule].priority;

		if (!kept[i])
			continue;
		for (j = i + 1; j < s->ncands && s->cands[j].ss < a->se && !a->dead; j++) {
			struct candidate_span *b = &s->cands[j];

			if (kept[j] && b->rule != a->rule && overlaps(a, b) &&
			    pa < s->rules->v[b->rule].priority)
				a->dead = 1;
		}
		for (j = i; j-- > 0 && maxse[j] > a->ss && !a->dead;) {
			struct candidate_span *b = &s->cands[j];

			if (kept[j] && b->rule != a->rule && overlaps(a, b) &&
			    pa < s->rules->v[b->rule].priority)
				a->dead = 1;
		}
	}
	free(maxse);
}

static int in_theirs(const struct chunk *c, const char *secret, size_t n)
{
	size_t i;

	for (i = 0; i < c->ntheirs; i++)
		if (memmem(c->theirs[i].data, c->theirs[i].len, secret, n))
			return 1;
	return 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct candidate_span *x = a, *y = b;

	if (x->ss != y->ss)
		return x->ss < y->ss ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

int scan_chunk(void *scan, const struct chunk *c)
{
	struct scan *s = scan;
	size_t i, line = c->first_line, counted = 0, line_start = 0;
	const char *cur_ls = NULL, *cur_le = NULL;
	int *kept = NULL, rc = 0;

	if (engine_scan(s->scanner, c->data, c->len, &s->hits) < 0)
		return -1;
	if (!s->hits.n)
		return 0;
	s->ncands = 0;
	for (i = 0; i < s->hits.n; i++) {
		const struct hit *h = &s->hits.v[i];
		struct collect cl = { s, h->rule };

		rc = extract_run(s->x, h->rule, c->data, c->len, h->first_end, h->last_end,
				 engine_max_width(s->engine, h->rule), on_span, &cl);
		if (rc == 1 && s->cands_over)
			break;
		if (rc)
			return -1;
	}
	if (s->cands_over) {
		/* Only a runaway rule gets here. Fail closed, saying why: a
		 * partial scan must not pass as a clean one. */
		struct buf b = BUF_INIT;

		buf_add_term(&b, c->path, strlen(c->path));
		errorf("%s: more than %u candidate matches in one piece: a rule matches far too "
		       "much of it; narrow the rule, or allowlist the path",
		       b.ptr, (unsigned)MAX_CANDIDATES_PER_CHUNK);
		buf_release(&b);
		s->cands_over = 0;
		return -1;
	}
	if (s->ncands > 1)	/* qsort(NULL, 0) is undefined */
		qsort(s->cands, s->ncands, sizeof(*s->cands), cand_cmp);
	dedupe_same_rule(s);
	kept = xcalloc(s->ncands ? s->ncands : 1, sizeof(*kept));
	filter_new_chunk(s->filter);

	/* First pass: filter every live candidate. */
	for (i = 0; i < s->ncands; i++) {
		struct candidate_span *cs = &s->cands[i];
		const struct rule *r = &s->rules->v[cs->rule];
		const char *sp = c->data + cs->ss, *ls, *le;
		struct candidate cand;
		char fp[FINGERPRINT_HEX + 1];
		enum filter_verdict v;

		if (cs->dead)
			continue;
		/* The line around the candidate, found once per line: on a
		 * long line with many candidates, looking for its ends each
		 * time was quadratic (minutes on one 2 MB line). Candidates
		 * are sorted by start, so they come line by line. */
		if (!cur_ls || sp < cur_ls || sp > cur_le) {
			for (cur_ls = sp; cur_ls > c->data && cur_ls[-1] != '\n'; cur_ls--)
				;
			cur_le = memchr(sp, '\n', c->len - cs->ss);
			if (!cur_le)
				cur_le = c->data + c->len;
		}
		ls = cur_ls;
		le = cur_le;
		hash_fingerprint(fp, r->id, c->data + cs->ss, cs->se - cs->ss);
		cand.rule = r;
		cand.path = c->path;
		cand.secret = c->data + cs->ss;
		cand.secret_len = cs->se - cs->ss;
		cand.line = ls;
		cand.line_len = (size_t)(le - ls);
		cand.fingerprint = fp;
		v = filter_check(s->filter, &cand);
		if (v != FILTER_KEEP) {
			s->suppressed[v]++;
			verbosef("%s: %s match dropped (%s)", c->path, r->id, filter_verdict_name(v));
			/* An allowlisted match still claims its bytes: a
			 * generic rule must not report what a specific
			 * rule's allowlist entry or baseline let through. */
			if (v == FILTER_ALLOWLIST)
				kept[i] = 2;
			continue;
		}
		if (c->ntheirs && in_theirs(c, cand.secret, cand.secret_len)) {
			s->merged_in++;
			verbosef("%s: %s match came from the merged branch", c->path, r->id);
			continue;
		}
		kept[i] = 1;
	}
	resolve_priority(s, kept);

	/* Second pass: findings, with line numbers counted incrementally
	 * (candidates are sorted by offset). */
	for (i = 0; i < s->ncands; i++) {
		struct candidate_span *cs = &s->cands[i];
		long col;

		if (kept[i] != 1 || cs->dead)
			continue;
		for (; counted < cs->ss; counted++)
			if (c->data[counted] == '\n') {
				line++;
				line_start = counted + 1;
			}
		col = (long)(cs->ss - line_start) + 1;
		if (s->cap_path != c->path && (!s->cap_path || strcmp(s->cap_path, c->path))) {
			s->cap_path = c->path;
			s->cap_count = 0;
		}
		if (s->cap_count >= MAX_FINDINGS_PER_FILE || s->findings.n >= MAX_FINDINGS_PER_RUN) {
			s->findings.over_cap++;
			continue;
		}
		s->cap_count++;
		findings_add_secret(&s->findings, c->path, (long)line, col,
				    &s->rules->v[cs->rule], c->data + cs->ss, cs->se - cs->ss);
	}
	free(kept);
	return 0;
}

int scan_skipped(void *scan, const char *path, const char *why)
{
	struct scan *s = scan;
	struct buf b = BUF_INIT;

	buf_printf(&b, "not scanned: %s", why);
	findings_add_file(&s->findings, path, KIND_SKIPPED, "blob-too-large", SEV_INFO,
			  b.ptr, "Raise max-blob-size in .leakgate.ini to scan it, or "
			  "keep large files out of the repository.");
	buf_release(&b);
	return 0;
}

int scan_buffer(struct scan *s, const char *path, const char *data, size_t len)
{
	struct chunk c;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.data = data;
	c.len = len;
	c.first_line = 1;
	c.whole = 1;
	return scan_chunk(s, &c);
}

int scan_init(struct scan *s, const struct config *c, const struct rules *r,
	      const char *cache_dir)
{
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	s->cfg = c;
	s->rules = r;
	if ((rc = engine_new(&s->engine, r, cache_dir)) < 0)
		return rc;
	if (engine_scanner_new(&s->scanner, s->engine) < 0 ||
	    extractor_new(&s->x, r) < 0)
		return -2;
	if (filter_new(&s->filter, c) < 0)
		return -1;
	/* Custom rules are compiled for PCRE2 now, not when they first hit:
	 * a pattern PCRE2 rejects is a config error (exit 2) whatever is
	 * staged, not an internal error on the day it matches. Built-in
	 * rules are checked by the test suite and stay lazy. */
	for (i = 0; i < r->n; i++)
		if (!r->v[i].def->builtin && extract_compile(s->x, (unsigned)i) < 0)
			return -1;
	return 0;
}

void scan_release(struct scan *s)
{
	engine_scanner_free(s->scanner);
	engine_free(s->engine);
	extractor_free(s->x);
	filter_free(s->filter);
	findings_release(&s->findings);
	hits_release(&s->hits);
	free(s->cands);
	memset(s, 0, sizeof(*s));
}
