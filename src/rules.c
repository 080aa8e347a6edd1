#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "msg.h"

const char *severity_name(enum severity s)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };

	return (unsigned)s < 5 ? names[s] : "?";
}

static int parse_severity(const char *s, enum severity *out)
{
	int i;

	for (i = SEV_INFO; i <= SEV_CRITICAL; i++)
		if (!strcmp(s, severity_name((enum severity)i))) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int rules_unescape(struct buf *out, const char *s)
{
	while (*s) {
		if (*s != '\\') {
			buf_addc(out, *s++);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': buf_addc(out, '\n'); s++; break;
		case 't': buf_addc(out, '\t'); s++; break;
		case 'r': buf_addc(out, '\r'); s++; break;
		case '\\': buf_addc(out, '\\'); s++; break;
		case 'x': {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0)
				return -1;
			buf_addc(out, (char)(hi * 16 + lo));
			s += 3;
			break;
		}
		default:
			return -1;
		}
	}
	return 0;
}

static int bad(const struct rule_def *d, const struct cval *cv, const char *what)
{
	errorf("%s:%d: rule '%s': %s", cv && cv->file ? cv->file : d->file,
	       cv && cv->line ? cv->line : d->line, d->id, what);
	return -1;
}

static int build_one(struct rule *r, const struct rule_def *d)
{
	char msg[256];
	size_t i;

	memset(r, 0, sizeof(*r));
	r->def = d;
	r->id = d->id;
	if (!d->pattern.s || !*d->pattern.s)
		return bad(d, NULL, "no pattern");
	r->pattern = d->pattern.s;
	r->extract = d->extract.s && *d->extract.s ? d->extract.s : NULL;
	r->description = d->description.s ? d->description.s : d->id;
	r->provider = d->provider.s ? d->provider.s : "custom";
	r->remediation = d->remediation.s ? d->remediation.s :
		"Revoke the credential where it was issued and create a new one.";
	r->message = d->message.s;
	r->severity = SEV_HIGH;
	if (d->severity.s && parse_severity(d->severity.s, &r->severity) < 0)
		return bad(d, &d->severity,
			   "severity must be critical, high, medium, low or info");
	if (d->entropy.s) {
		char *end;

		r->entropy = strtod(d->entropy.s, &end);
		if (end == d->entropy.s || *end || r->entropy < 0 || r->entropy > 8)
			return bad(d, &d->entropy, "entropy must be a number from 0 to 8");
	}
	if (d->priority.s) {
		char *end;
		long v = strtol(d->priority.s, &end, 10);

		if (end == d->priority.s || *end || v < -1000 || v > 1000)
			return bad(d, &d->priority, "priority must be an integer from -1000 to 1000");
		r->priority = (int)v;
	}
	if (d->validator.s) {
		r->validator = validator_find(d->validator.s);
		if (!r->validator) {
			struct buf b = BUF_INIT;

			for (i = 0; validator_names[i]; i++)
				buf_printf(&b, "%s%s", i ? ", " : "", validator_names[i]);
			snprintf(msg, sizeof(msg), "unknown validator '%.16s' (known: %s)",
				 d->validator.s, b.ptr);
			buf_release(&b);
			return bad(d, &d->validator, msg);
		}
	}
	for (i = 0; i < d->examples.n + d->negatives.n; i++) {
		struct buf b = BUF_INIT;
		const char *ex = i < d->examples.n ? d->examples.v[i] :
			d->negatives.v[i - d->examples.n];
		int rc = rules_unescape(&b, ex);

		buf_release(&b);
		if (rc < 0)
			return bad(d, NULL, "malformed escape in an example "
				   "(use \\n, \\t, \\r, \\\\ or \\xHH)");
	}
	return 0;
}

static int is_disabled(const struct rule_def *d)
{
	const char *e = d->enabled.s;

	return e && (!strcmp(e, "false") || !strcmp(e, "no") || !strcmp(e, "0") ||
		     !strcmp(e, "off"));
}

int rules_build(struct rules *out, const struct config *c)
{
	size_t i;

	out->v = xcalloc(c->nrules ? c->nrules : 1, sizeof(*out->v));
	out->n = 0;
	for (i = 0; i < c->nrules; i++) {
		const struct rule_def *d = &c->rules[i];
		const char *e = d->enabled.s;

		if (e && !is_disabled(d) && strcmp(e, "true") && strcmp(e, "yes") &&
		    strcmp(e, "1") && strcmp(e, "on")) {
			bad(d, &d->enabled, "enabled must be true or false");
			goto fail;
		}
		if (is_disabled(d))
			continue;
		if (build_one(&out->v[out->n], d) < 0)
			goto fail;
		out->n++;
	}
	return 0;
fail:
	rules_release(out);
	return -1;
}

void rules_release(struct rules *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
