#define PCRE2_CODE_UNIT_WIDTH 8
#include "allow.h"

#include <ctype.h>
#include <git2.h>
#include <git2/sys/config.h>
#include <git2/sys/repository.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "defaults.h"
#include "msg.h"

/*
 * Path patterns of one scope (global, or one rule). libgit2 has no public
 * gitignore matcher apart from a repository's ignore rules, so each set
 * gets an in-memory repository of its own (git_repository_new: no work
 * tree, no .gitignore files, no info/exclude) with an empty config (so the
 * user's core.excludesFile does not leak in), and the patterns are added
 * as its internal ignore rules: git_ignore_path_is_ignored() is then
 * exactly git's matching, including "a directory matches all under it"
 * and "!" re-inclusion. `all` decides; `one[k]` (each positive pattern
 * alone) only tells which entry to credit.
 */
struct pathset {
	const char *scope;	/* NULL: every rule */
	git_repository *all;
	size_t *idx;		/* entry indexes, in order */
	git_repository **one;	/* per idx; NULL for a "!" pattern */
	size_t n;
	char *last_path;	/* one-path cache: chunks repeat their path */
	long last_entry;
};

struct allow {
	const struct config *c;
	size_t *count;			/* per entry */
	struct pathset *ps;
	size_t nps;
	pcre2_code **re;		/* per entry; NULL unless a regex */
	char **lower;			/* per entry; stopwords lowercased */
	size_t *fps;			/* fingerprint entries, sorted by value */
	size_t nfps;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

static int matcher_new(git_repository **out, const char *rules)
{
	git_repository *r = NULL;
	git_config *cfg = NULL;

	*out = NULL;
	if (git_repository_new(&r) < 0)
		goto fail;
	if (git_config_new(&cfg) < 0)
		goto fail;
	git_repository_set_config(r, cfg);
	git_config_free(cfg);
	if (git_ignore_add_rule(r, rules) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	git_repository_free(r);
	{
		const git_error *e = git_error_last();

		errorf("cannot set up the path allowlist: %s", e ? e->message : "libgit2 error");
	}
	return -1;
}

/* A repository-relative path as git's matching wants it. */
static const char *norm_path(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	return p;
}

static int matcher_has(git_repository *r, const char *path)
{
	int ignored = 0;

	if (!r || git_ignore_path_is_ignored(&ignored, r, path) < 0)
		return 0;
	return ignored;
}

static struct pathset *pathset_for(struct allow *a, const char *scope)
{
	size_t i;

	for (i = 0; i < a->nps; i++)
		if ((!scope && !a->ps[i].scope) ||
		    (scope && a->ps[i].scope && !strcmp(scope, a->ps[i].scope)))
			return &a->ps[i];
	return NULL;
}

static int build_pathsets(struct allow *a)
{
	const struct allowlist *al = &a->c->allow;
	size_t i, j;

	for (i = 0; i < al->n; i++) {
		const struct allow_entry *e = &al->v[i];
		struct pathset *ps;

		if (e->kind != ALLOW_PATH)
			continue;
		if (!(ps = pathset_for(a, e->scope))) {
			a->ps = xrealloc(a->ps, (a->nps + 1) * sizeof(*a->ps));
			ps = &a->ps[a->nps++];
			memset(ps, 0, sizeof(*ps));
			ps->scope = e->scope;
			ps->idx = xcalloc(al->n, sizeof(*ps->idx));
			ps->one = xcalloc(al->n, sizeof(*ps->one));
		}
		ps->idx[ps->n++] = i;
	}
	for (i = 0; i < a->nps; i++) {
		struct pathset *ps = &a->ps[i];
		struct buf all = BUF_INIT;

		for (j = 0; j < ps->n; j++) {
			const char *v = al->v[ps->idx[j]].value;

			struct buf line = BUF_INIT;
			int rc = 0;

			/* A leading '#' would make the line a comment. */
			buf_printf(&line, "%s%s\n", v[0] == '#' ? "\\" : "", v);
			buf_adds(&all, line.ptr);
			if (v[0] != '!')
				rc = matcher_new(&ps->one[j], line.ptr);
			buf_release(&line);
			if (rc < 0) {
				buf_release(&all);
				return -1;
			}
		}
		if (matcher_new(&ps->all, all.ptr) < 0) {
			buf_release(&all);
			return -1;
		}
		buf_release(&all);
	}
	return 0;
}

/* The entry of ps that allows path, or -1. */
static long pathset_match(struct pathset *ps, const char *path)
{
	long hit = -1;
	size_t j;

	path = norm_path(path);
	if (ps->last_path && !strcmp(ps->last_path, path))
		return ps->last_entry;
	if (matcher_has(ps->all, path)) {
		/* Credit the last positive pattern that matches on its own
		 * (in gitignore, the last match wins). */
		for (j = ps->n; j-- > 0 && hit < 0;)
			if (matcher_has(ps->one[j], path))
				hit = (long)ps->idx[j];
		if (hit < 0)
			hit = (long)ps->idx[0];
	}
	free(ps->last_path);
	ps->last_path = xstrdup(path);
	ps->last_entry = hit;
	return hit;
}

static int fp_cmp(const void *x, const void *y, void *cfg)
{
	const struct config *sc = cfg;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(sc->allow.v[i].value, sc->allow.v[j].value);

	/* Equal fingerprints keep config order: the first one is credited. */
	return c ? c : (i < j ? -1 : i > j);
}

static const char *scope_label(const struct allow_entry *e, struct buf *b)
{
	buf_reset(b);
	if (e->kind == ALLOW_BASELINE)
		buf_adds(b, "baseline fingerprint");
	else if (e->scope)
		buf_printf(b, "[rule \"%s\"] allow-%s", e->scope, allow_kind_key(e->kind));
	else
		buf_printf(b, "[allow] %s", allow_kind_key(e->kind));
	return b->ptr;
}

static int compile_regex(struct allow *a, size_t i)
{
	const struct allow_entry *e = &a->c->allow.v[i];
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];
	struct buf b = BUF_INIT;

	a->re[i] = pcre2_compile((PCRE2_SPTR)e->value, PCRE2_ZERO_TERMINATED, 0, &errcode,
				 &erroff, NULL);
	if (a->re[i]) {
		(void)pcre2_jit_compile(a->re[i], PCRE2_JIT_COMPLETE);
		return 0;
	}
	pcre2_get_error_message(errcode, msg, sizeof(msg));
	errorf("%s:%d: %s: regex rejected by PCRE2 at offset %zu: %s", e->file, e->line,
	       scope_label(e, &b), (size_t)erroff, (const char *)msg);
	buf_release(&b);
	return -1;
}

static void check_rule_id(const struct allow *a, const struct allow_entry *e,
			  int (*also_known)(const char *id))
{
	const struct config *c = a->c;
	const char **ids;
	size_t j;

	if (config_rule((struct config *)c, e->value) || (also_known && also_known(e->value)))
		return;
	ids = xcalloc(c->nrules + 1, sizeof(*ids));
	for (j = 0; j < c->nrules; j++)
		ids[j] = c->rules[j].id;
	/* A warning, not an error: findings that are not made by rules
	 * (file policy, say) have ids of their own that may be listed here. */
	warnf("%s:%d: [allow] rules: no rule has the id '%s'%s; 'leakgate rules' lists them",
	      e->file, e->line, e->value, config_did_you_mean(e->value, ids, c->nrules));
	free(ids);
}

void allow_check_ids(const struct allow *a, int (*also_known)(const char *id))
{
	const struct allowlist *al = &a->c->allow;
	size_t i;

	for (i = 0; i < al->n; i++)
		if (al->v[i].kind == ALLOW_RULE)
			check_rule_id(a, &al->v[i], also_known);
}

int allow_new(struct allow **out, const struct config *c)
{
	struct allow *a = xcalloc(1, sizeof(*a));
	const struct allowlist *al = &c->allow;
	size_t i, j, n = al->n ? al->n : 1;

	a->c = c;
	a->count = xcalloc(n, sizeof(*a->count));
	a->re = xcalloc(n, sizeof(*a->re));
	a->lower = xcalloc(n, sizeof(*a->lower));
	a->fps = xcalloc(n, sizeof(*a->fps));
	a->md = pcre2_match_data_create(1, NULL);
	a->mctx = pcre2_match_context_create(NULL);
	if (!a->md || !a->mctx) {
		errorf("cannot allocate PCRE2 match data");
		goto fail;
	}
	pcre2_set_match_limit(a->mctx, PCRE2_MATCH_LIMIT);
	pcre2_set_depth_limit(a->mctx, PCRE2_DEPTH_LIMIT);
	for (i = 0; i < al->n; i++) {
		const struct allow_entry *e = &al->v[i];

		switch (e->kind) {
		case ALLOW_REGEX:
		case ALLOW_LINE_REGEX:
			if (compile_regex(a, i) < 0)
				goto fail;
			break;
		case ALLOW_STOPWORD:
			a->lower[i] = xstrdup(e->value);
			for (j = 0; a->lower[i][j]; j++)
				a->lower[i][j] = (char)tolower((unsigned char)a->lower[i][j]);
			break;
		case ALLOW_FINGERPRINT:
		case ALLOW_BASELINE:
			a->fps[a->nfps++] = i;
			break;
		case ALLOW_RULE:
		case ALLOW_PATH:
			break;
		}
	}
	qsort_r(a->fps, a->nfps, sizeof(*a->fps), fp_cmp, (void *)c);
	if (build_pathsets(a) < 0)
		goto fail;
	*out = a;
	return 0;
fail:
	allow_free(a);
	*out = NULL;
	return -1;
}

void allow_free(struct allow *a)
{
	size_t i, j;

	if (!a)
		return;
	for (i = 0; i < a->nps; i++) {
		struct pathset *ps = &a->ps[i];

		for (j = 0; j < ps->n; j++)
			git_repository_free(ps->one[j]);
		git_repository_free(ps->all);
		free(ps->one);
		free(ps->idx);
		free(ps->last_path);
	}
	free(a->ps);
	for (i = 0; i < a->c->allow.n; i++) {
		pcre2_code_free(a->re[i]);
		free(a->lower[i]);
	}
	free(a->re);
	free(a->lower);
	free(a->fps);
	free(a->count);
	pcre2_match_data_free(a->md);
	pcre2_match_context_free(a->mctx);
	free(a);
}

static int applies(const struct allow_entry *e, const char *rule_id)
{
	return !e->scope || !strcmp(e->scope, rule_id);
}

static int contains_ci(const char *h, size_t hn, const char *lower)
{
	size_t nn = strlen(lower), i, j;

	if (!nn || hn < nn)
		return 0;
	for (i = 0; i + nn <= hn; i++) {
		for (j = 0; j < nn; j++)
			if (tolower((unsigned char)h[i + j]) != (unsigned char)lower[j])
				break;
		if (j == nn)
			return 1;
	}
	return 0;
}

static int regex_hits(struct allow *a, size_t i, const char *s, size_t n)
{
	return pcre2_match(a->re[i], (PCRE2_SPTR)s, n, 0, 0, a->md, a->mctx) >= 0;
}

static long find_fingerprint(const struct allow *a, const struct allow_query *q)
{
	const struct allowlist *al = &a->c->allow;
	size_t lo = 0, hi = a->nfps;

	if (!q->fingerprint)
		return -1;
	/* Lower bound, then the first applicable entry with this value. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(al->v[a->fps[mid]].value, q->fingerprint) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->nfps && !strcmp(al->v[a->fps[lo]].value, q->fingerprint); lo++)
		if (applies(&al->v[a->fps[lo]], q->rule_id))
			return (long)a->fps[lo];
	return -1;
}

long allow_match(struct allow *a, const struct allow_query *q)
{
	const struct allowlist *al = &a->c->allow;
	long hit;
	size_t i;

	if ((hit = find_fingerprint(a, q)) >= 0)
		goto found;
	for (i = 0; i < al->n; i++)
		if (al->v[i].kind == ALLOW_RULE && !strcmp(al->v[i].value, q->rule_id)) {
			hit = (long)i;
			goto found;
		}
	for (i = 0; i < a->nps; i++) {
		struct pathset *ps = &a->ps[i];

		if (ps->scope && strcmp(ps->scope, q->rule_id))
			continue;
		if ((hit = pathset_match(ps, q->path)) >= 0)
			goto found;
	}
	for (i = 0; i < al->n; i++) {
		const struct allow_entry *e = &al->v[i];

		if (!applies(e, q->rule_id))
			continue;
		if ((e->kind == ALLOW_REGEX && q->secret &&
		     regex_hits(a, i, q->secret, q->secret_len)) ||
		    (e->kind == ALLOW_LINE_REGEX && q->line &&
		     regex_hits(a, i, q->line, q->line_len)) ||
		    (e->kind == ALLOW_STOPWORD && q->secret &&
		     contains_ci(q->secret, q->secret_len, a->lower[i]))) {
			hit = (long)i;
			goto found;
		}
	}
	return -1;
found:
	a->count[hit]++;
	return hit;
}

int allow_path_skips(struct allow *a, const char *path)
{
	struct pathset *ps = pathset_for(a, NULL);

	return ps && pathset_match(ps, path) >= 0;
}

size_t allow_count(const struct allow *a, size_t i)
{
	return i < a->c->allow.n ? a->count[i] : 0;
}

static void entry_line(struct buf *b, const struct allow_entry *e, struct buf *tmp)
{
	buf_add_term(b, e->file, strlen(e->file));
	buf_printf(b, ":%d: %s '", e->line, scope_label(e, tmp));
	buf_add_term(b, e->value, strlen(e->value));
	buf_addc(b, '\'');
}

void allow_report(FILE *out, const struct allow *a)
{
	const struct allowlist *al = &a->c->allow;
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	size_t i, total = 0, nbase = 0, base_hits = 0, base_used = 0;
	const char *base_file = NULL;

	for (i = 0; i < al->n; i++) {
		const struct allow_entry *e = &al->v[i];

		total += a->count[i];
		if (e->kind == ALLOW_BASELINE) {
			/* A baseline can hold thousands: one summary line. */
			nbase++;
			base_hits += a->count[i];
			base_used += a->count[i] > 0;
			base_file = e->file;
			continue;
		}
		if (!a->count[i])
			continue;
		buf_adds(&b, "  ");
		entry_line(&b, e, &tmp);
		buf_printf(&b, ": suppressed %zu\n", a->count[i]);
	}
	if (nbase) {
		buf_adds(&b, "  ");
		buf_add_term(&b, base_file, strlen(base_file));
		buf_printf(&b, ": baseline: %zu of %zu fingerprints matched, suppressed %zu\n",
			   base_used, nbase, base_hits);
	}
	fprintf(out, "allowlist: %zu %s suppressed by %zu %s\n%s", total,
		total == 1 ? "match" : "matches", al->n, al->n == 1 ? "entry" : "entries", b.ptr);
	buf_release(&b);
	buf_release(&tmp);
}

size_t allow_report_unused(FILE *out, const struct allow *a)
{
	const struct allowlist *al = &a->c->allow;
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < al->n; i++) {
		/* A "!" path pattern takes back, it never suppresses. */
		if (a->count[i] || (al->v[i].kind == ALLOW_PATH && al->v[i].value[0] == '!'))
			continue;
		entry_line(&b, &al->v[i], &tmp);
		buf_adds(&b, " matched nothing\n");
		n++;
	}
	fwrite(b.ptr, 1, b.len, out);
	buf_release(&b);
	buf_release(&tmp);
	return n;
}
