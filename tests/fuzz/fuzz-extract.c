/*
 * fuzz-extract — a custom rule written by the input, then the extraction
 * and filter chain on arbitrary bytes. This is the hostile-config case: a
 * repository's .leakgate.ini may carry any pattern.
 *
 * Input: line 1 = pattern (Hyperscan and PCRE2), line 2 = extract pattern
 * (empty: none), line 3 = first byte picks entropy / stopword / allowlist
 * knobs, the rest = content. Oracles: a pattern either is rejected at
 * build time (-1) or scans; a scan either succeeds or fails closed (-1,
 * e.g. PCRE2's match limit) — it never crashes or hangs; every finding
 * maps onto its bytes (fuzz_check_finding).
 */
#include <git2.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "fuzz.h"
#include "oracle.h"
#include "rules.h"
#include "scan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

/* Next line of in[*pos..len) (without '\n'), at most max bytes. */
static char *take_line(const uint8_t *in, size_t len, size_t *pos, size_t max)
{
	const uint8_t *nl = memchr(in + *pos, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - (in + *pos)) : len - *pos;
	char *s = xstrndup((const char *)in + *pos, n > max ? max : n);

	*pos += n + (nl ? 1 : 0);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	struct config c;
	struct rules r = { 0 };
	struct scan s;
	struct rule_def *d;
	size_t pos = 0, i;
	unsigned knobs;
	char *pat, *ext;
	int rc;

	pat = take_line(in, size, &pos, 128);
	ext = take_line(in, size, &pos, 128);
	knobs = pos < size ? in[pos++] : 0;
	if (pos < size && in[pos] == '\n')
		pos++;
	config_init(&c);
	strlist_push(&c.files, "fuzz.ini");
	c.rules = xcalloc(1, sizeof(*c.rules));
	c.nrules = c.alloc_rules = 1;
	d = &c.rules[0];
	d->id = xstrdup("fuzz-rule");
	d->file = c.files.v[0];
	d->line = 1;
	d->pattern.s = pat;
	d->extract.s = *ext ? ext : NULL;
	if (!*ext)
		free(ext);
	if (knobs & 1)
		d->entropy.s = xstrdup("3.0");
	if (knobs & 2)
		config_allow_add(&c, ALLOW_STOPWORD, "dummy", NULL, c.files.v[0], 1);
	if (knobs & 4)
		config_allow_add(&c, ALLOW_FINGERPRINT, "0123456789abcdef", NULL, c.files.v[0], 1);
	if (knobs & 32)
		config_allow_add(&c, ALLOW_REGEX, "^tok_", "fuzz-rule", c.files.v[0], 1);
	if (knobs & 64)
		config_allow_add(&c, ALLOW_LINE_REGEX, "#.*ok", NULL, c.files.v[0], 1);
	if (knobs & 8)
		c.set.entropy_floor = 2.0;
	if (knobs & 16)
		d->validator.s = xstrdup("github-crc32");

	memset(&s, 0, sizeof(s));
	if (rules_build(&r, &c) == 0 && (rc = scan_init(&s, &c, &r, NULL)) == 0) {
		const char *data = (const char *)in + pos;
		size_t len = size - pos;

		if (scan_buffer(&s, "fuzz.txt", data, len) == 0)
			for (i = 0; i < s.findings.n; i++)
				fuzz_check_finding(&s.findings.v[i], data, len, 1);
	}
	scan_release(&s);
	rules_release(&r);
	config_release(&c);
	return 0;
}
