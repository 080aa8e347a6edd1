/* Unit tests: INI parsing, continuation lines, quoting, strictness. */
#include "tap.h"

#include <stdlib.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "rules.h"

static int load(struct config *c, const char *text)
{
	config_init(c);
	return config_load_text(c, "test.ini", text, strlen(text), 0);
}

int main(void)
{
	struct config c;
	struct buf b = BUF_INIT, want = BUF_INIT;
	struct rule_def *d;
	int i;

	msg_init(COLOR_NEVER, -1);

	ok(load(&c, "[leakgate]\nblock = secret\nmax-blob-size = 2MiB\n") == 0, "settings parse");
	ok(c.set.block == KIND_SECRET, "block = secret");
	ok(c.set.max_blob_size == 2u << 20, "max-blob-size = 2MiB");
	config_release(&c);

	/* A 1,000-byte pattern written over continuation lines round-trips. */
	buf_adds(&b, "[rule \"long\"]\npattern = ");
	for (i = 0; i < 10; i++) {
		int j;

		if (i)
			buf_adds(&b, "\n    ");
		for (j = 0; j < 100; j++) {
			char ch = (char)('a' + (i * 7 + j) % 26);

			buf_addc(&b, ch);
			buf_addc(&want, ch);
		}
	}
	buf_adds(&b, "\n");
	ok(load(&c, b.ptr) == 0, "long pattern over continuation lines loads");
	d = config_rule(&c, "long");
	ok(d && d->pattern.s && strlen(d->pattern.s) == 1000, "pattern is 1000 bytes");
	ok(d && d->pattern.s && !strcmp(d->pattern.s, want.ptr), "pattern round-trips exactly");
	config_release(&c);
	buf_release(&b);
	buf_release(&want);

	ok(load(&c, "[rule \"semi\"]\npattern = \"a ;b;c\" ; a comment\n") == 0, "quoted value loads");
	d = config_rule(&c, "semi");
	is_str(d ? d->pattern.s : NULL, "a ;b;c", "\" ;\" inside quotes survives inih");
	config_release(&c);

	ok(load(&c, "[rule \"x\"]\ndescription = one\n  two\n") == 0, "prose continuation");
	d = config_rule(&c, "x");
	is_str(d ? d->description.s : NULL, "one two", "prose joins with a space");
	config_release(&c);

	ok(load(&c, "[allow]\npaths = a/**, b.txt\n    c/*.md\n") == 0, "list continuation");
	ok(c.allow.paths.n == 3 && !strcmp(c.allow.paths.v[2], "c/*.md"), "list items split and joined");
	config_release(&c);

	ok(load(&c, "[rule \"e\"]\npattern = x\nexample = a\nexample = b\n  c\n") == 0, "examples");
	d = config_rule(&c, "e");
	ok(d && d->examples.n == 2 && !strcmp(d->examples.v[1], "bc"), "repeated key adds, continuation joins");
	config_release(&c);

	/* Errors. */
	buf_adds(&b, "[leakgate]\nblock = ");
	for (i = 0; i < 250; i++)
		buf_addc(&b, 'x');
	ok(load(&c, b.ptr) < 0, "over-long line is an error");
	config_release(&c);
	buf_release(&b);
	ok(load(&c, "[leakgate]\nblok = secret\n") < 0, "unknown key is an error");
	config_release(&c);
	ok(load(&c, "[alow]\npaths = x\n") < 0, "unknown section is an error");
	config_release(&c);
	ok(load(&c, "[rule \"a\"]\npattern = x\n[rule \"a\"]\npattern = y\n") < 0, "duplicate rule id in one file");
	config_release(&c);
	ok(load(&c, "[rule \"a\"]\npattern = x\npattern = y\n") < 0, "key given twice");
	config_release(&c);
	ok(load(&c, "[leakgate]\nmax-blob-size = lots\n") < 0, "bad size");
	config_release(&c);
	ok(load(&c, "[leakgate]\njust a line\n") < 0, "line without '=' is an error");
	config_release(&c);
	ok(load(&c, "key = 1\n") < 0, "key outside a section");
	config_release(&c);

	/* Layers: a later file merges into a rule of the same id. */
	config_init(&c);
	{
		const char *one = "[rule \"r\"]\npattern = abc\nentropy = 3\n";
		const char *two = "[rule \"r\"]\nentropy = 4\n";

		ok(config_load_text(&c, "one.ini", one, strlen(one), 1) == 0 &&
		   config_load_text(&c, "two.ini", two, strlen(two), 0) == 0, "two layers load");
	}
	d = config_rule(&c, "r");
	ok(d && !strcmp(d->pattern.s, "abc") && !strcmp(d->entropy.s, "4"), "later layer overrides key by key");
	config_release(&c);

	/* Example escapes. */
	ok(rules_unescape(&b, "sk\\x2dA\\nB\\\\") == 0 && !strcmp(b.ptr, "sk-A\nB\\"), "example unescapes");
	buf_release(&b);
	ok(rules_unescape(&b, "bad\\q") < 0, "unknown escape rejected");
	buf_release(&b);
	return tap_done();
}
