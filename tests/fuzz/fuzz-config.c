/*
 * fuzz-config — the INI reader and rule loader on arbitrary bytes:
 * config_load_text() (our line reader, inih, the handlers, continuation
 * lines, quoting) and rules_build() (validation, example unescaping).
 * The first byte picks the layering: odd loads the built-in rules first,
 * so the input also merges into existing rule sections; bit 1 loads the
 * input twice, as two layers. Oracles: no crash, leak or overread (the
 * sanitizers), a rule table that only holds well-formed rules.
 */
#include <string.h>

#include "buf.h"
#include "config.h"
#include "fuzz.h"
#include "rules.h"

extern const char leakgate_rules_ini[];
extern const char leakgate_rules_ini_end[];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct rules r = { 0 };
	unsigned mode = size ? data[0] : 0;
	const char *text = size ? (const char *)data + 1 : "";
	size_t len = size ? size - 1 : 0, i, j;
	int rc = 0;

	config_init(&c);
	if (mode & 1)
		FUZZ_CHECK(config_load_text(&c, "<built-in rules>", leakgate_rules_ini,
					    (size_t)(leakgate_rules_ini_end - leakgate_rules_ini),
					    1) == 0, "built-in rules do not load");
	rc = config_load_text(&c, "fuzz.ini", text, len, 0);
	if (!rc && (mode & 2))
		rc = config_load_text(&c, "fuzz2.ini", text, len, 0);
	if (!rc && rules_build(&r, &c) == 0) {
		for (i = 0; i < r.n; i++) {
			const struct rule *x = &r.v[i];
			const struct rule_def *d = x->def;

			FUZZ_CHECK(x->id && *x->id, "rule without id");
			FUZZ_CHECK(x->pattern && *x->pattern, "rule '%s' without pattern", x->id);
			FUZZ_CHECK(x->entropy >= 0 && x->entropy <= 8, "entropy out of range");
			FUZZ_CHECK(strlen(severity_name(x->severity)) > 1, "bad severity");
			for (j = 0; j < d->examples.n + d->negatives.n; j++) {
				struct buf b = BUF_INIT;
				const char *ex = j < d->examples.n ? d->examples.v[j] :
					d->negatives.v[j - d->examples.n];

				FUZZ_CHECK(rules_unescape(&b, ex) == 0,
					   "rules_build accepted a malformed example");
				buf_release(&b);
			}
		}
		rules_release(&r);
	}
	/* Sizes are parsed from config text too. */
	{
		char *s = xstrndup(text, len < 64 ? len : 64);
		unsigned long long v;

		(void)config_parse_size(s, &v);
		free(s);
	}
	config_release(&c);
	return 0;
}
