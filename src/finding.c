#include "finding.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"

const char *kind_name(enum finding_kind k)
{
	switch (k) {
	case KIND_SECRET: return "secret";
	case KIND_POLICY: return "policy";
	case KIND_GITIGNORE: return "gitignore";
	case KIND_SKIPPED: return "skipped";
	}
	return "?";
}

char *redact(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t lead = n / 4;

	if (lead > REDACT_MAX_LEAD)
		lead = REDACT_MAX_LEAD;
	if (n < REDACT_MIN_TAIL_LEN) {
		/* Short secrets (passwords): show almost nothing. */
		lead = n >= 6 ? 1 : 0;
		buf_add(&b, s, lead);
		buf_adds(&b, "…");
	} else {
		buf_add(&b, s, lead);
		buf_adds(&b, "…");
		buf_add(&b, s + n - REDACT_TAIL, REDACT_TAIL);
	}
	return buf_detach(&b, NULL);
}

static struct finding *push(struct findings *f)
{
	struct finding *x;

	if (f->n == f->alloc) {
		f->alloc = f->alloc ? 2 * f->alloc : 16;
		f->v = xrealloc(f->v, f->alloc * sizeof(*f->v));
	}
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	return x;
}

struct finding *findings_add_secret(struct findings *f, const char *path, long line,
				    long column, const struct rule *r,
				    const char *secret, size_t secret_len)
{
	struct finding *x = push(f);

	x->path = xstrdup(path);
	x->line = line;
	x->column = column;
	x->kind = KIND_SECRET;
	x->rule_id = xstrdup(r->id);
	x->severity = r->severity;
	x->redacted = redact(secret, secret_len);
	x->secret_len = secret_len;
	hash_fingerprint(x->fingerprint, r->id, secret, secret_len);
	x->message = xstrdup(r->message ? r->message : r->description);
	x->remediation = xstrdup(r->remediation);
	return x;
}

struct finding *findings_add_file(struct findings *f, const char *path,
				  enum finding_kind kind, const char *rule_id,
				  enum severity sev, const char *message,
				  const char *remediation)
{
	struct finding *x = push(f);

	x->path = xstrdup(path);
	x->kind = kind;
	x->rule_id = xstrdup(rule_id);
	x->severity = sev;
	x->redacted = xstrdup("");
	x->message = xstrdup(message);
	x->remediation = remediation ? xstrdup(remediation) : NULL;
	return x;
}

static int cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c;

	if (x->commit || y->commit) {
		/* History: oldest commit first (the walk's order). */
		if (x->commit && y->commit && x->commit_seq != y->commit_seq)
			return x->commit_seq < y->commit_seq ? -1 : 1;
		c = strcmp(x->commit ? x->commit : "", y->commit ? y->commit : "");
		if (c)
			return c;
	}
	if ((c = strcmp(x->path, y->path)))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if ((c = strcmp(x->rule_id, y->rule_id)))
		return c;
	return strcmp(x->fingerprint, y->fingerprint);
}

void findings_sort(struct findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp);
}

size_t findings_mark_blocking(struct findings *f, unsigned block_kinds)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++) {
		f->v[i].blocking = (f->v[i].kind & block_kinds) != 0;
		n += f->v[i].blocking;
	}
	return n;
}

void findings_release(struct findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].rule_id);
		free(f->v[i].redacted);
		free(f->v[i].message);
		free(f->v[i].remediation);
		free(f->v[i].commit);
		free(f->v[i].date);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}
