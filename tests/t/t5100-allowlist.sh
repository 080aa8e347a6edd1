#!/bin/sh
# Allowlists: every kind, global and scoped to a rule; inline pragmas;
# -v counts per entry; leakgate config --unused.
. "$(dirname "$0")/lib.sh"

# config TEXT: write .leakgate.ini (printf format) and stage it.
config() {
	printf "$1" >.leakgate.ini && git add .leakgate.ini
}
# key_in FILE [KIND]: a fresh key (default: GitHub token) in FILE, staged.
key_in() {
	mkdir -p "$(dirname "$1")" &&
	echo "token = $(fake_key "${2:-github}")" >"$1" && git add "$1"
}

test_expect_success 'paths: gitignore-style patterns' '
	new_repo r && cd r &&
	config "[allow]\npaths = tests/fixtures/\n        docs/*.md\n        /root-only.txt\n" &&
	key_in tests/fixtures/deep/a.txt && key_in docs/guide.md && key_in root-only.txt &&
	test_allowed git commit -qm allowed &&
	key_in docs/sub/guide.md && test_blocked git commit -qm "* stops at /" &&
	git rm -q --cached docs/sub/guide.md &&
	key_in sub/root-only.txt && test_blocked git commit -qm "anchored" &&
	git rm -q --cached sub/root-only.txt &&
	key_in src/app.txt && test_blocked git commit -qm "elsewhere"
'

test_expect_success 'paths: ** and ! re-inclusion' '
	new_repo r && cd r &&
	config "[allow]\npaths = **/testdata/**, *.pem\n    !real.pem\n" &&
	key_in a/b/testdata/x.txt && key_in k/x.pem && test_allowed git commit -qm ok &&
	key_in real.pem && test_blocked git commit -qm real
'

test_expect_success 'regexes match the secret, line-regexes the whole line' '
	new_repo r && cd r &&
	config "[allow]\nregexes = ^AKIA\nline-regexes = fixture-only\n" &&
	key_in a.txt aws-id && test_allowed git commit -qm aws &&
	echo "t = $(fake_key github) # fixture-only" >b.txt && git add b.txt &&
	test_allowed git commit -qm line &&
	key_in c.txt && test_blocked git commit -qm other
'

test_expect_success 'rules: a rule id lets all its findings through' '
	new_repo r && cd r &&
	config "[allow]\nrules = github-token\n" &&
	key_in a.txt && test_allowed git commit -qm a &&
	key_in b.txt aws-id && test_blocked git commit -qm b
'

test_expect_success 'fingerprints: the hash from the report, not the secret' '
	new_repo r && cd r &&
	key_in a.txt && test_blocked git commit -qm a &&
	fp=$(sed -n "s/.*fingerprint \([0-9a-f]\{16\}\).*/\1/p" out.txt) && test -n "$fp" &&
	config "[allow]\nfingerprints = $fp\n" && test_allowed git commit -qm a &&
	key_in b.txt && test_blocked git commit -qm b
'

test_expect_success 'an allowlisted key is not re-reported by a generic rule' '
	new_repo r && cd r &&
	echo "api_token = \"$(fake_key github)\"" >a.py && git add a.py &&
	test_blocked git commit -qm a && grep -q github-token out.txt &&
	! grep -q generic-secret out.txt &&
	fp=$(sed -n "s/.*fingerprint \([0-9a-f]\{16\}\).*/\1/p" out.txt) &&
	config "[allow]\nfingerprints = $fp\n" && test_allowed git commit -qm a
'

test_expect_success 'fingerprints: a pasted secret is refused and not echoed' '
	new_repo r && cd r &&
	k=$(fake_key github) && config "[allow]\nfingerprints = $k\n" &&
	test_exit 2 leakgate pre-commit 2>err.txt && cat err.txt &&
	grep -q ".leakgate.ini:2: fingerprints: an item is not a fingerprint" err.txt &&
	assert_no_secret err.txt
'

test_expect_success 'stopwords: case-insensitive, inside the secret' '
	new_repo r && cd r &&
	config "[allow]\nstopwords = ZZTESTZZ\n" &&
	echo "token = ghp_$(rand_str 10)zztestzz$(rand_str 20)" >a.txt && git add a.txt &&
	test_allowed git commit -qm a &&
	key_in b.txt && test_blocked git commit -qm b
'

test_expect_success 'scoped: allow-paths in a rule section applies to that rule only' '
	new_repo r && cd r &&
	config "[rule \"github-token\"]\nallow-paths = vendor/\n" &&
	key_in vendor/a.txt && test_allowed git commit -qm a &&
	key_in vendor/b.txt aws-id && test_blocked git commit -qm b && grep -q aws-access-key-id out.txt
'

test_expect_success 'scoped: allow-regexes, allow-line-regexes, allow-stopwords' '
	new_repo r && cd r &&
	config "[rule \"github-token\"]\nallow-regexes = ^ghp_\nallow-line-regexes = ^id =\n[rule \"aws-access-key-id\"]\nallow-stopwords = nothing\n" &&
	key_in a.txt && test_allowed git commit -qm a &&
	key_in b.txt aws-id && test_blocked git commit -qm b &&
	git rm -q --cached b.txt &&
	printf "[rule \"aws-access-key-id\"]\nallow-line-regexes = ^token =\n" >.leakgate.ini &&
	git add .leakgate.ini && test_allowed git commit -qm line
'

test_expect_success 'pragmas: leakgate:allow, gitleaks:allow, pragma: allowlist secret' '
	new_repo r && cd r &&
	echo "a = \"$(fake_key github)\"  # leakgate:allow" >a.py &&
	echo "b = \"$(fake_key github)\"  // gitleaks:allow" >b.js &&
	echo "c = \"$(fake_key github)\"  # pragma: allowlist secret" >c.py &&
	git add . && test_allowed git commit -qm pragmas &&
	echo "d = \"$(fake_key github)\"" >d.py &&
	echo "# leakgate:allow on another line does not count" >>d.py &&
	git add d.py && test_blocked git commit -qm d
'

test_expect_success '-v says how many findings each entry suppressed' '
	new_repo r && cd r &&
	config "[allow]\npaths = fixtures/\nstopwords = unusedword\n" &&
	key_in fixtures/a.txt && key_in fixtures/b.txt &&
	echo "x = \"$(fake_key github)\" # leakgate:allow" >c.txt && git add c.txt &&
	leakgate -v pre-commit 2>err.txt && cat err.txt &&
	grep -q "^allowlist: 2 matches suppressed by 2 entries" err.txt &&
	grep -q "^  .leakgate.ini:2: \[allow\] paths .fixtures/.: suppressed 2" err.txt &&
	! grep -q "unusedword.: suppressed" err.txt &&
	grep -q "^inline pragmas: 1 match let through" err.txt
'

test_expect_success 'config --unused lists entries that matched nothing' '
	new_repo r && cd r &&
	config "[allow]\npaths = fixtures/\n    gone/\nrules = aws-access-key-id\n[rule \"github-token\"]\nallow-stopwords = never\n" &&
	key_in fixtures/a.txt &&
	leakgate config --unused >unused.txt 2>err.txt && cat unused.txt err.txt &&
	grep -q "^.leakgate.ini:3: \[allow\] paths .gone/. matched nothing" unused.txt &&
	grep -q "^.leakgate.ini:4: \[allow\] rules .aws-access-key-id. matched nothing" unused.txt &&
	grep -q "^.leakgate.ini:6: \[rule \"github-token\"\] allow-stopwords .never. matched nothing" unused.txt &&
	! grep -q fixtures unused.txt &&
	grep -q "3 of 4 allowlist entries matched nothing in the 2 files of the index" err.txt
'

test_expect_success 'config --unused judges the whole tree, not only the staged changes' '
	new_repo r && cd r &&
	key_in fixtures/old.txt && git commit -q --no-verify -m old &&
	config "[allow]\npaths = fixtures/\n" &&
	leakgate config --unused >unused.txt 2>/dev/null && test ! -s unused.txt
'

test_expect_success 'a rule id that no rule has is warned about, with a hint' '
	new_repo r && cd r &&
	config "[allow]\nrules = github-tokn\n" && key_in a.txt &&
	test_exit 1 leakgate pre-commit 2>err.txt && cat err.txt &&
	grep -q "^leakgate: warning: .leakgate.ini:2: \[allow\] rules: no rule has the id .github-tokn. (did you mean .github-token.?)" err.txt
'

test_expect_success 'a file-policy id in [allow] rules is known, and lets the file through' '
	new_repo r && cd r &&
	config "[allow]\nrules = env-file\n" && git add .leakgate.ini &&
	echo "DEBUG=1" >.env && git add .env &&
	test_exit 0 leakgate pre-commit 2>err.txt && cat err.txt &&
	! grep -q "no rule has the id" err.txt
'

test_done
