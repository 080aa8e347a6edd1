/* Unit tests: INI parsing, continuation lines, quoting, strictness. */
#include "tap.h"

#include <stdlib.h>

#include <git2.h>

#include "allow.h"
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
	ok(c.allow.n == 3 && c.allow.v[2].kind == ALLOW_PATH && !strcmp(c.allow.v[2].value, "c/*.md"),
	   "list items split and joined");
	ok(c.allow.n == 3 && c.allow.v[1].line == 2 && c.allow.v[2].line == 3 &&
	   !strcmp(c.allow.v[2].file, "test.ini"), "each item keeps its file and line");
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

	/* A quoted continuation line keeps " ;" and a leading '#'. */
	ok(load(&c, "[rule \"q\"]\npattern = abc\n    \"#x ;y\"\n    z\n") == 0, "quoted continuation loads");
	d = config_rule(&c, "q");
	is_str(d ? d->pattern.s : NULL, "abc#x ;yz", "quoted continuation joins exactly");
	config_release(&c);

	/* Scoped allowlists, disable, fingerprints. */
	ok(load(&c, "[rule \"r1\"]\npattern = x\nallow-paths = a/**\nallow-regexes = ^x\n"
		"allow-stopwords = Foo, bar\n[leakgate]\ndisable = r1\n") == 0, "scoped keys load");
	ok(c.allow.n == 4 && c.allow.v[0].scope && !strcmp(c.allow.v[0].scope, "r1") &&
	   c.allow.v[1].kind == ALLOW_REGEX && c.allow.v[3].kind == ALLOW_STOPWORD,
	   "scoped entries carry their rule");
	d = config_rule(&c, "r1");
	ok(d && d->enabled.s && !strcmp(d->enabled.s, "false") && d->enabled.line == 7,
	   "disable = id sets enabled = false at its own line");
	config_release(&c);
	ok(load(&c, "[leakgate]\ndisable = nope\n") < 0, "disable of an unknown rule id is an error");
	config_release(&c);
	ok(load(&c, "[allow]\nfingerprints = 0123456789ABCDEF\n") == 0 &&
	   !strcmp(c.allow.v[0].value, "0123456789abcdef"), "fingerprints are lowercased");
	config_release(&c);
	ok(load(&c, "[allow]\nfingerprints = notafingerprint\n") < 0, "a non-fingerprint is an error");
	config_release(&c);
	ok(load(&c, "[rule \"x\"]\npattern = a\nallow-pathz = b\n") < 0, "unknown scoped key is an error");
	config_release(&c);

	/* Baseline files. */
	config_init(&c);
	{
		const char *bl = "# comment\n0123456789abcdef  # rule path\n\n fedcba9876543210\r\n";

		ok(config_load_baseline(&c, "bl", bl, strlen(bl)) == 0 && c.allow.n == 2 &&
		   c.allow.v[1].line == 4 && !strcmp(c.allow.v[1].value, "fedcba9876543210"),
		   "baseline: comments, blank lines, CRLF");
		ok(config_load_baseline(&c, "bl2", "xyz\n", 4) < 0, "baseline: a bad line is an error");
	}
	config_release(&c);

	/* Matching. */
	git_libgit2_init();
	{
		struct allow *a = NULL;
		struct allow_query q;
		const char *text =
			"[rule \"r1\"]\npattern = x\nallow-paths = only/r1/\n"
			"[rule \"r2\"]\npattern = y\n"
			"[allow]\npaths = docs/*.md\n  fixtures/\n  /top.txt\n  *.pem\n  !keep.pem\n  \"#hash\"\n"
			"regexes = ^EXAMPLE\nline-regexes = noqa\nstopwords = Dummy\nrules = r2\n"
			"fingerprints = 00112233445566ff\n";

		ok(load(&c, text) == 0 && allow_new(&a, &c) == 0, "allowlist compiles");
		memset(&q, 0, sizeof(q));
		q.rule_id = "r1";
		q.secret = "s3cr3tvalue";
		q.secret_len = strlen(q.secret);
		q.line = "k = s3cr3tvalue";
		q.line_len = strlen(q.line);
		q.fingerprint = "aaaaaaaaaaaaaaaa";
#define PATH(p, want, name) do { q.path = (p); ok((allow_match(a, &q) >= 0) == (want), "%s", name); } while (0)
		PATH("docs/a.md", 1, "docs/*.md matches docs/a.md");
		PATH("docs/x/a.md", 0, "docs/*.md: '*' does not cross '/'");
		PATH("fixtures/a/b.txt", 1, "fixtures/ matches everything under it");
		PATH("src/fixtures/a.txt", 1, "fixtures/ without a leading slash matches at any depth");
		PATH("top.txt", 1, "/top.txt matches at the root");
		PATH("sub/top.txt", 0, "/top.txt is anchored");
		PATH("a/b/c.pem", 1, "*.pem matches at any depth");
		PATH("keep.pem", 0, "!keep.pem re-includes");
		PATH("./docs/a.md", 1, "a leading ./ is ignored");
		PATH("#hash", 1, "a pattern starting with # is a pattern, not a comment");
		PATH("only/r1/x", 1, "scoped path applies to its rule");
		q.rule_id = "r9";
		PATH("only/r1/x", 0, "scoped path does not apply to another rule");
		q.path = "src/a.c";
		q.rule_id = "r2";
		ok(allow_match(a, &q) >= 0, "rules = r2");
		q.rule_id = "r1";
		ok(allow_match(a, &q) < 0, "nothing matches a plain finding");
		q.fingerprint = "00112233445566ff";
		ok(allow_match(a, &q) >= 0, "fingerprint matches");
		q.fingerprint = "aaaaaaaaaaaaaaaa";
		q.secret = "EXAMPLEabc";
		q.secret_len = strlen(q.secret);
		ok(allow_match(a, &q) >= 0, "regex over the secret");
		q.secret = "xxDUMMYxx";
		q.secret_len = strlen(q.secret);
		ok(allow_match(a, &q) >= 0, "stopwords are case-insensitive");
		q.secret = "plain";
		q.secret_len = 5;
		q.line = "k = plain # noqa";
		q.line_len = strlen(q.line);
		ok(allow_match(a, &q) >= 0, "regex over the line");
		ok(allow_count(a, 0) == 1, "the scoped path entry counted one");
		ok(allow_count(a, 1) == 2 && allow_count(a, 3) == 1,
		   "docs/*.md counted two, /top.txt one");
		allow_free(a);
		config_release(&c);

		ok(load(&c, "[allow]\nregexes = a(b\n") == 0 && allow_new(&a, &c) < 0 && !a,
		   "a bad regex fails allow_new");
		config_release(&c);
		ok(load(&c, "[allow]\nrules = nope\n") == 0 && allow_new(&a, &c) == 0,
		   "an unknown rule id is only a warning (file policy ids)");
		memset(&q, 0, sizeof(q));
		q.rule_id = "nope";
		q.path = "x";
		ok(allow_match(a, &q) == 0, "a file-level finding (no secret) matches by rule id");
		allow_free(a);
		config_release(&c);
		ok(load(&c, "[allow]\nregexes = .\nstopwords = a\npaths = x/\n") == 0 &&
		   allow_new(&a, &c) == 0, "allowlist compiles");
		q.rule_id = "r";
		q.path = "y";
		ok(allow_match(a, &q) < 0, "no secret: regexes and stopwords do not match");
		q.path = "x/y";
		ok(allow_match(a, &q) == 2, "no secret: paths still match");
		ok(allow_path_skips(a, "x/z") && !allow_path_skips(a, "y/z"),
		   "allow_path_skips: global path entries");
		allow_free(a);
		config_release(&c);
	}
	git_libgit2_shutdown();

	/* Example escapes. */
	ok(rules_unescape(&b, "sk\\x2dA\\nB\\\\") == 0 && !strcmp(b.ptr, "sk-A\nB\\"), "example unescapes");
	buf_release(&b);
	ok(rules_unescape(&b, "bad\\q") < 0, "unknown escape rejected");
	buf_release(&b);
	return tap_done();
}
