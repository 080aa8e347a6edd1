/*
 * cmd_config.c — `leakgate config`: the effective configuration, and where
 * each value came from; `leakgate config --unused`: the allowlist entries
 * that suppress nothing in the tree about to be committed.
 *
 * The printout is INI in the syntax leakgate reads, each value followed by
 * a "; file:line" comment ("default" for built-in values), so it can be
 * read by a person and, for the most part, pasted back into a config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "baseline.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "finding.h"
#include "source.h"

#define ORIGIN_COLUMN 40

static const char *const layer_note_repo = " (the staged version)";

/* Control bytes as \xHH (a value may not carry a terminal escape to the
 * screen); everything else as written, so a pattern reads as in its file. */
static void add_value(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\x%02x", ch);
		else
			buf_addc(b, (char)ch);
	}
}

/* "key = value" padded, then "; origin"; the value quoted when inih would
 * otherwise cut it. */
static void kv(struct buf *b, const char *key, const char *value, const char *file, int line)
{
	size_t start = b->len;
	int quote = strstr(value, " ;") || strchr(value, '#') || value[0] == '"';

	buf_printf(b, "%s = %s", key, quote ? "\"" : "");
	add_value(b, value);
	if (quote)
		buf_addc(b, '"');
	while (b->len - start < ORIGIN_COLUMN)
		buf_addc(b, ' ');
	if (file)
		buf_printf(b, " ; %s:%d\n", file, line);
	else
		buf_adds(b, " ; default\n");
}

static void cv(struct buf *b, const char *key, const struct cval *v, const char *dflt)
{
	if (v->s)
		kv(b, key, v->s, v->file, v->line);
	else if (dflt)
		kv(b, key, dflt, NULL, 0);
}

static void print_settings(struct buf *b, const struct config *c)
{
	const struct settings *s = &c->set;
	struct buf v = BUF_INIT;
	const struct cval *origin;
	static const struct { unsigned bit; const char *name; } kinds[] = {
		{ KIND_SECRET, "secret" }, { KIND_POLICY, "policy" },
		{ KIND_GITIGNORE, "gitignore" }, { KIND_SKIPPED, "skipped" },
	};
	size_t i;

	buf_adds(b, "[leakgate]\n");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (s->block & kinds[i].bit)
			buf_printf(&v, "%s%s", v.len ? ", " : "", kinds[i].name);
	/* gitignore-check = block sets the gitignore bit too. */
	origin = &s->block_src;
	if (!origin->s && s->gitignore_check == 2)
		origin = &s->gitignore_src;
	kv(b, "block", v.len ? v.ptr : "none", origin->s ? origin->file : NULL, origin->line);
	kv(b, "gitignore-check", s->gitignore_check == 0 ? "off" :
	   s->gitignore_check == 1 ? "warn" : "block",
	   s->gitignore_src.s ? s->gitignore_src.file : NULL, s->gitignore_src.line);
	buf_reset(&v);
	if (s->max_blob_src.s)
		buf_printf(&v, "%s", s->max_blob_src.s);
	else
		buf_printf(&v, "%lluMiB", s->max_blob_size >> 20);
	kv(b, "max-blob-size", v.ptr, s->max_blob_src.s ? s->max_blob_src.file : NULL,
	   s->max_blob_src.line);
	if (s->entropy_src.s)
		cv(b, "entropy", &s->entropy_src, NULL);
	else
		buf_adds(b, "; entropy: not set, each rule's own floor applies\n");
	kv(b, "binary", s->scan_binary ? "scan" : "skip",
	   s->binary_src.s ? s->binary_src.file : NULL, s->binary_src.line);
	cv(b, "color", &s->color, "auto");
	cv(b, "format", &s->format, "text");
	buf_release(&v);
}

static void print_entries(struct buf *b, const struct config *c, const char *scope)
{
	struct buf key = BUF_INIT;
	size_t i;

	for (i = 0; i < c->allow.n; i++) {
		const struct allow_entry *e = &c->allow.v[i];

		if (e->kind == ALLOW_BASELINE)
			continue;
		if ((!scope) != (!e->scope) || (scope && strcmp(scope, e->scope)))
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s%s", scope ? "allow-" : "", allow_kind_key(e->kind));
		kv(b, key.ptr, e->value, e->file, e->line);
	}
	buf_release(&key);
}

static void print_allow(struct buf *b, const struct config *c)
{
	size_t i, nbase = 0;

	buf_adds(b, "\n[allow]\n");
	print_entries(b, c, NULL);
	for (i = 0; i < c->allow.n; i++)
		nbase += c->allow.v[i].kind == ALLOW_BASELINE;
	if (c->allow.baseline.s) {
		cv(b, "baseline", &c->allow.baseline, NULL);
		buf_printf(b, "; %zu fingerprints read from the baseline\n", nbase);
	}
}

static int has_scoped(const struct config *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->allow.n; i++)
		if (c->allow.v[i].scope && !strcmp(c->allow.v[i].scope, id))
			return 1;
	return 0;
}

static void print_rules(struct buf *b, const struct config *c)
{
	size_t i, j, nbuiltin = 0, nenabled = 0;

	for (i = 0; i < c->nrules; i++) {
		const struct rule_def *d = &c->rules[i];
		const struct { const char *key; const struct cval *v; } f[] = {
			{ "enabled", &d->enabled }, { "description", &d->description },
			{ "provider", &d->provider }, { "pattern", &d->pattern },
			{ "extract", &d->extract }, { "keywords", &d->keywords },
			{ "entropy", &d->entropy }, { "validator", &d->validator },
			{ "severity", &d->severity }, { "priority", &d->priority },
			{ "message", &d->message }, { "remediation", &d->remediation },
		};
		const char *e = d->enabled.s;
		int disabled = e && (!strcmp(e, "false") || !strcmp(e, "no") ||
				     !strcmp(e, "0") || !strcmp(e, "off"));
		int changed = 0;

		if (d->builtin) {
			nbuiltin++;
			nenabled += !disabled;
		}
		/* A built-in rule is shown only for what a layer changed. */
		for (j = 0; j < sizeof(f) / sizeof(f[0]); j++)
			changed |= f[j].v->s && f[j].v->file != d->file;
		if (d->builtin && !changed && !has_scoped(c, d->id))
			continue;
		buf_printf(b, "\n[rule \"%s\"]", d->id);
		for (j = strlen(d->id) + 9; j < ORIGIN_COLUMN; j++)
			buf_addc(b, ' ');
		buf_printf(b, " ; %s %s:%d\n", d->builtin ? "built-in," : "custom,", d->file, d->line);
		for (j = 0; j < sizeof(f) / sizeof(f[0]); j++)
			if (f[j].v->s && (!d->builtin || f[j].v->file != d->file))
				cv(b, f[j].key, f[j].v, NULL);
		if (!d->builtin)
			buf_printf(b, "; %zu example, %zu negative_example lines\n",
				   d->examples.n, d->negatives.n);
		print_entries(b, c, d->id);
	}
	buf_printf(b, "\n; %zu built-in rules, %zu enabled ('leakgate rules' lists what is on)\n",
		   nbuiltin, nenabled);
}

static int print_config(const struct config *c)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "; leakgate config: the effective configuration; after each value,\n"
		     "; the file and line that set it (default: built into leakgate).\n"
		     "; Layers read, later ones overriding earlier ones:\n");
	for (i = 0; i < c->files.n; i++) {
		const char *f = c->files.v[i];
		int baseline = 0;
		size_t j;

		for (j = 0; j < c->allow.n && !baseline; j++)
			baseline = c->allow.v[j].kind == ALLOW_BASELINE && c->allow.v[j].file == f;
		if (baseline)
			continue;
		buf_adds(&b, ";   ");
		buf_add_term(&b, f, strlen(f));
		if (!strcmp(f, ".leakgate.ini"))
			buf_adds(&b, layer_note_repo);
		buf_addc(&b, '\n');
	}
	buf_addc(&b, '\n');
	print_settings(&b, c);
	print_allow(&b, c);
	print_rules(&b, c);
	fwrite(b.ptr, 1, b.len, stdout);
	buf_release(&b);
	return EXIT_CLEAN;
}

/* Scan every file of the index (the tree about to be committed: an entry
 * that matches nothing there is dead weight), then list what matched
 * nothing. */
static int print_unused(struct pipeline *p, git_repository *repo)
{
	struct source_stats st;
	struct source_opts so;
	struct source_cb cb;
	size_t n;

	memset(&st, 0, sizeof(st));
	so.max_blob_size = p->cfg.set.max_blob_size;
	so.scan_binary = p->cfg.set.scan_binary;
	cb.chunk = scan_chunk;
	cb.skipped = scan_skipped;
	cb.ctx = &p->scan;
	if (baseline_scan_index(repo, &so, &cb, &st) != 0)
		return EXIT_INTERNAL;
	n = allow_report_unused(stdout, filter_allow(p->scan.filter));
	infof("%zu of %zu allowlist entries matched nothing in the %zu files of the index",
	      n, p->cfg.allow.n, st.files);
	return EXIT_CLEAN;
}

int cmd_config(struct options *o)
{
	git_repository *repo = NULL;
	struct pipeline p;
	int rc, exitcode;

	memset(&p, 0, sizeof(p));
	if (o->nargs) {
		errorf("usage: leakgate config [--unused]");
		return EXIT_USAGE;
	}
	/* Outside a repository there is no .leakgate.ini, but the other
	 * layers can still be shown. */
	if (git_repository_open_ext(&repo, ".", GIT_REPOSITORY_OPEN_FROM_ENV, NULL) == 0) {
		git_repository_free(repo);
		repo = NULL;
		if ((rc = source_open(&repo)) < 0)
			return rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
	} else if (o->unused) {
		if ((rc = source_open(&repo)) < 0)
			return rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
	}
	if ((rc = pipeline_open(&p, o, repo)) != 0) {
		exitcode = rc;
		goto out;
	}
	exitcode = o->unused ? print_unused(&p, repo) : print_config(&p.cfg);
out:
	pipeline_close(&p);
	git_repository_free(repo);
	return exitcode;
}
