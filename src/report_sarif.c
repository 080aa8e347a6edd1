/*
 * report_sarif.c — SARIF 2.1.0 for code-scanning tools (GitHub, GitLab,
 * Azure DevOps), from the same sorted findings as the other writers.
 *
 * One run; tool.driver.rules lists every rule of the table (so a clean scan
 * still tells the consumer what was checked) and then the ids of file-level
 * findings that are not in it (policy checks, skipped blobs). Each result
 * names its rule by id and index, carries the redacted secret in its
 * message (never the secret), a location relative to %SRCROOT% and a
 * partial fingerprint (a hash of the rule id, leakgate's fingerprint and
 * the path: stable when lines move, distinct per file) so that consumers
 * track it across runs; properties.fingerprint is what allowlists take.
 * Columns are leakgate's byte columns (the same as code points for ASCII
 * lines, which is what columnKind claims).
 * History findings carry the commit and date in their properties.
 */
#include "report.h"

#include <string.h>

#include "buf.h"
#include "hash.h"

static void jstr(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	buf_add_json(b, s, strlen(s));
	buf_addc(b, '"');
}

/* A path as a relative URI reference: bytes outside RFC 3986's unreserved
 * set (and '/') are percent-encoded, so spaces, '#', '%' and non-ASCII
 * names survive. */
static void add_uri(struct buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)path;
	struct buf u = BUF_INIT;

	if (*p == '/')
		buf_adds(&u, "file://");	/* an absolute path given to scan */

	for (; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf_addc(&u, (char)*p);
		} else {
			buf_addc(&u, '%');
			buf_addc(&u, hex[*p >> 4]);
			buf_addc(&u, hex[*p & 15]);
		}
	}
	jstr(b, u.ptr);
	buf_release(&u);
}

/* GitHub's scale: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, < 4 low. */
static const char *security_severity(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "9.5";
	case SEV_HIGH: return "8.0";
	case SEV_MEDIUM: return "5.5";
	case SEV_LOW: return "3.0";
	case SEV_INFO: return "1.0";
	}
	return "5.5";
}

static const char *level(enum severity s, int blocking)
{
	if (blocking)
		return "error";
	return s >= SEV_MEDIUM ? "warning" : "note";
}

struct sarif_rule {
	const char *id, *description, *help;
	enum severity severity;
	int secret;
};

static void add_rule(struct buf *b, const struct sarif_rule *r, int first)
{
	buf_adds(b, first ? "\n" : ",\n");
	buf_adds(b, "          {\n            \"id\": ");
	jstr(b, r->id);
	buf_adds(b, ",\n            \"shortDescription\": { \"text\": ");
	jstr(b, r->description);
	buf_adds(b, " },\n            \"fullDescription\": { \"text\": ");
	jstr(b, r->description);
	buf_adds(b, " },\n            \"help\": { \"text\": ");
	jstr(b, r->help);
	buf_printf(b, " },\n            \"defaultConfiguration\": { \"level\": \"%s\" },\n",
		   level(r->severity, r->secret));
	buf_printf(b, "            \"properties\": { \"tags\": [\"security\", \"%s\"], "
		   "\"precision\": \"high\", \"security-severity\": \"%s\" }\n          }",
		   r->secret ? "secret" : "policy", security_severity(r->severity));
}

void report_sarif(FILE *out, const struct findings *f, const struct rules *r,
		  const char *version)
{
	struct buf b = BUF_INIT;
	struct sarif_rule *extra = xcalloc(f->n + 1, sizeof(*extra));
	size_t i, j, nextra = 0;

	buf_adds(&b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		     "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
		     "      \"tool\": {\n        \"driver\": {\n"
		     "          \"name\": \"leakgate\",\n          \"version\": ");
	jstr(&b, version);
	buf_adds(&b, ",\n          \"semanticVersion\": ");
	jstr(&b, version);
	buf_adds(&b, ",\n          \"rules\": [");
	for (i = 0; i < r->n; i++) {
		struct sarif_rule sr = {
			r->v[i].id, r->v[i].description,
			r->v[i].remediation ? r->v[i].remediation : r->v[i].description,
			r->v[i].severity, 1
		};

		add_rule(&b, &sr, i == 0);
	}
	/* File-level findings name checks that are not rules of the table. */
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		int known = 0;

		for (j = 0; j < r->n && !known; j++)
			known = !strcmp(r->v[j].id, x->rule_id);
		for (j = 0; j < nextra && !known; j++)
			known = !strcmp(extra[j].id, x->rule_id);
		if (known)
			continue;
		extra[nextra].id = x->rule_id;
		extra[nextra].description = x->message;
		extra[nextra].help = x->remediation ? x->remediation : x->message;
		extra[nextra].severity = x->severity;
		extra[nextra].secret = x->kind == KIND_SECRET;
		add_rule(&b, &extra[nextra], r->n == 0 && nextra == 0);
		nextra++;
	}
	buf_adds(&b, "\n          ]\n        }\n      },\n"
		     "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		char fp[FINGERPRINT_HEX + 1];
		size_t idx = 0;

		for (j = 0; j < r->n; j++)
			if (!strcmp(r->v[j].id, x->rule_id))
				break;
		if (j < r->n) {
			idx = j;
		} else {
			for (j = 0; j < nextra; j++)
				if (!strcmp(extra[j].id, x->rule_id))
					break;
			idx = r->n + j;
		}
		buf_adds(&b, i ? ",\n" : "\n");
		buf_adds(&b, "        {\n          \"ruleId\": ");
		jstr(&b, x->rule_id);
		buf_printf(&b, ",\n          \"ruleIndex\": %zu,\n          \"level\": \"%s\",\n",
			   idx, level(x->severity, x->blocking));
		buf_adds(&b, "          \"message\": { \"text\": ");
		{
			struct buf m = BUF_INIT;

			buf_adds(&m, x->message);
			if (x->kind == KIND_SECRET)
				buf_printf(&m, ": secret %s (%zu chars), fingerprint %s", x->redacted,
					   x->secret_len, x->fingerprint);
			if (x->commit)
				buf_printf(&m, ", in commit %.12s", x->commit);
			jstr(&b, m.ptr);
			buf_release(&m);
		}
		buf_adds(&b, " },\n          \"locations\": [\n            {\n"
			     "              \"physicalLocation\": {\n"
			     "                \"artifactLocation\": { \"uri\": ");
		add_uri(&b, x->path);
		buf_adds(&b, x->path[0] == '/' ? " }" : ", \"uriBaseId\": \"%SRCROOT%\" }");
		if (x->line) {
			buf_printf(&b, ",\n                \"region\": { \"startLine\": %ld, "
				   "\"startColumn\": %ld", x->line, x->column);
			if (x->kind == KIND_SECRET)
				buf_printf(&b, ", \"endColumn\": %ld",
					   x->column + (long)x->secret_len);
			buf_adds(&b, " }");
		}
		buf_adds(&b, "\n              }\n            }\n          ],\n");
		{
			/* One alert per secret and path: the same key in two
			 * files is two alerts to fix, and must not merge. */
			struct buf k = BUF_INIT;

			buf_adds(&k, x->fingerprint);
			buf_addc(&k, '\0');
			buf_adds(&k, x->path);
			hash_fingerprint(fp, x->rule_id, k.ptr, k.len);
			buf_release(&k);
		}
		buf_printf(&b, "          \"partialFingerprints\": { \"leakgate/v1\": \"%s\" },\n", fp);
		buf_adds(&b, "          \"properties\": { \"kind\": ");
		jstr(&b, kind_name(x->kind));
		buf_printf(&b, ", \"severity\": \"%s\", \"blocking\": %s",
			   severity_name(x->severity), x->blocking ? "true" : "false");
		if (x->kind == KIND_SECRET) {
			buf_adds(&b, ", \"redacted\": ");
			jstr(&b, x->redacted);
			buf_printf(&b, ", \"fingerprint\": \"%s\"", x->fingerprint);
		}
		if (x->commit) {
			buf_adds(&b, ", \"commit\": ");
			jstr(&b, x->commit);
			if (x->date) {
				buf_adds(&b, ", \"date\": ");
				jstr(&b, x->date);
			}
		}
		buf_adds(&b, " }\n        }");
	}
	buf_adds(&b, f->n ? "\n      ],\n" : "],\n");
	buf_adds(&b, "      \"invocations\": [ { \"executionSuccessful\": true } ]\n"
		     "    }\n  ]\n}\n");
	fwrite(b.ptr, 1, b.len, out);
	fflush(out);
	buf_release(&b);
	free(extra);
}
