#!/bin/sh
# Configuration layers: built-in -> user file -> staged .leakgate.ini ->
# --config FILE, each later one overriding; `leakgate config` says where
# every value came from.
. "$(dirname "$0")/lib.sh"

# stage_key FILE: a fresh GitHub token in FILE, staged.
stage_key() {
	echo "token = $(fake_key github)" >"$1" && git add "$1"
}

test_expect_success 'built-in defaults: a staged key blocks' '
	new_repo r && cd r && stage_key a.txt &&
	test_blocked git commit -qm add && grep -q github-token out.txt
'

test_expect_success 'user file in $XDG_CONFIG_HOME applies' '
	new_repo r && cd r && stage_key a.txt &&
	mkdir -p "$XDG_CONFIG_HOME/leakgate" &&
	printf "[allow]\nrules = github-token\n" >"$XDG_CONFIG_HOME/leakgate/config.ini" &&
	test_allowed git commit -qm add &&
	rm "$XDG_CONFIG_HOME/leakgate/config.ini"
'

test_expect_success 'user file falls back to ~/.config when XDG_CONFIG_HOME is unset' '
	new_repo r && cd r && stage_key a.txt &&
	mkdir -p "$TEST_DIR/h/.config/leakgate" &&
	printf "[allow]\nrules = github-token\n" >"$TEST_DIR/h/.config/leakgate/config.ini" &&
	(unset XDG_CONFIG_HOME; HOME="$TEST_DIR/h" test_exit 0 leakgate pre-commit) &&
	(HOME="$TEST_DIR/h" test_exit 1 leakgate pre-commit 2>/dev/null)
'

test_expect_success 'the staged .leakgate.ini overrides the user file' '
	new_repo r && cd r && stage_key a.txt &&
	mkdir -p "$XDG_CONFIG_HOME/leakgate" &&
	printf "[leakgate]\nblock = policy\n" >"$XDG_CONFIG_HOME/leakgate/config.ini" &&
	test_exit 0 leakgate pre-commit 2>err.txt && grep -q "(warning)" err.txt &&
	printf "[leakgate]\nblock = secret, policy\n" >.leakgate.ini && git add .leakgate.ini &&
	test_blocked git commit -qm add &&
	rm "$XDG_CONFIG_HOME/leakgate/config.ini"
'

test_expect_success '--config FILE overrides the repository file' '
	new_repo r && cd r && stage_key a.txt &&
	printf "[leakgate]\nblock = secret\n" >.leakgate.ini && git add .leakgate.ini &&
	printf "[leakgate]\nblock = policy\n" >../extra.ini &&
	test_exit 1 leakgate pre-commit 2>/dev/null &&
	test_exit 0 leakgate pre-commit --config ../extra.ini 2>/dev/null
'

test_expect_success 'the staged .leakgate.ini is read, not the work tree copy' '
	new_repo r && cd r &&
	printf "[allow]\nrules = github-token\n" >.leakgate.ini && git add .leakgate.ini &&
	git commit -qm config &&
	: >.leakgate.ini && stage_key a.txt &&
	test_allowed git commit -qm "allowed by the staged config" &&
	! grep -q "not staged" out.txt
'

test_expect_success 'a .leakgate.ini not in the index is read from the work tree, with a warning' '
	new_repo r && cd r && stage_key a.txt &&
	printf "[allow]\nrules = github-token\n" >.leakgate.ini &&
	test_allowed git commit -qm add &&
	grep -q "warning: using .leakgate.ini from the work tree: it is not staged" out.txt &&
	git add .leakgate.ini && stage_key b.txt && test_allowed git commit -qm b &&
	! grep -q "not staged" out.txt
'

test_expect_success 'a .leakgate.ini that cannot be read is an error, not "no config"' '
	new_repo r && cd r && stage_key a.txt &&
	ln -s .leakgate.ini .leakgate.ini &&
	test_exit 2 leakgate pre-commit 2>err.txt && cat err.txt &&
	grep -q "cannot read config .*\.leakgate\.ini" err.txt
'

test_expect_success 'an unstaged edit to a committed allowlist does not count' '
	new_repo r && cd r &&
	printf "[allow]\nstopwords = nothing-here\n" >.leakgate.ini && git add .leakgate.ini &&
	git commit -qm config &&
	printf "[allow]\nrules = github-token\n" >.leakgate.ini &&
	stage_key a.txt && test_blocked git commit -qm add
'

test_expect_success 'leakgate config shows each value and where it came from' '
	new_repo r && cd r &&
	mkdir -p "$XDG_CONFIG_HOME/leakgate" &&
	printf "[leakgate]\nmax-blob-size = 2MiB\nbinary = scan\n" >"$XDG_CONFIG_HOME/leakgate/config.ini" &&
	printf "[leakgate]\nbinary = skip\n\n[allow]\npaths = docs/*.md\n" >.leakgate.ini &&
	git add .leakgate.ini &&
	printf "[allow]\nstopwords = sample\n" >../extra.ini &&
	leakgate config --config ../extra.ini >cfg.txt 2>err.txt && cat cfg.txt &&
	grep -q "^max-blob-size = 2MiB .*; $XDG_CONFIG_HOME/leakgate/config.ini:2\$" cfg.txt &&
	grep -q "^binary = skip .*; .leakgate.ini:2\$" cfg.txt &&
	grep -q "^paths = docs/\*.md .*; .leakgate.ini:5\$" cfg.txt &&
	grep -q "^stopwords = sample .*; ../extra.ini:2\$" cfg.txt &&
	grep -q "^block = secret, policy .*; default\$" cfg.txt &&
	grep -q "^;   .leakgate.ini (the staged version)" cfg.txt &&
	rm "$XDG_CONFIG_HOME/leakgate/config.ini"
'

test_expect_success 'leakgate config works outside a repository' '
	printf "[leakgate]\nformat = json\n" >c.ini &&
	GIT_CEILING_DIRECTORIES="$TEST_DIR" leakgate config --config c.ini >cfg.txt &&
	grep -q "^format = json .*; c.ini:2" cfg.txt
'

test_expect_success 'a built-in rule is disabled by id, merged key by key' '
	new_repo r && cd r && stage_key a.txt &&
	printf "[rule \"github-token\"]\nenabled = false\n" >.leakgate.ini && git add .leakgate.ini &&
	test_allowed git commit -qm add &&
	leakgate config >cfg.txt && grep -A1 "^\[rule \"github-token\"\]" cfg.txt | grep -q "^enabled = false .*; .leakgate.ini:2"
'

test_expect_success '[leakgate] disable = id, id turns rules off' '
	new_repo r && cd r && stage_key a.txt &&
	echo "id = $(fake_key aws-id)" >b.txt && git add b.txt &&
	printf "[leakgate]\ndisable = github-token,\n  aws-access-key-id\n" >.leakgate.ini &&
	git add .leakgate.ini && test_allowed git commit -qm add
'

test_expect_success 'a later layer changes one key of a built-in rule' '
	new_repo r && cd r && stage_key a.txt &&
	printf "[rule \"github-token\"]\nseverity = low\n" >.leakgate.ini && git add .leakgate.ini &&
	test_blocked git commit -qm add && grep -q "github-token  low" out.txt
'

test_expect_success 'custom rules in .leakgate.ini use the rules.ini syntax' '
	new_repo r && cd r &&
	cat >.leakgate.ini <<-\INI &&
	[rule "acme-token"]
	description = ACME internal token
	pattern = \bacme_[A-Za-z0-9]{32}\b
	keywords = acme_
	INI
	git add .leakgate.ini && git commit -qm config &&
	echo "t = acme_$(rand_str 32)" >a.txt && git add a.txt &&
	test_blocked git commit -qm add && grep -q acme-token out.txt
'

# The patterns below are written the way a user must: a long value over
# indented continuation lines, and " ;" inside double quotes.
test_expect_success 'a 1,000-byte pattern round-trips exactly through a real commit' '
	new_repo r && cd r &&
	long=$(rand_str 1000 "a-z") &&
	{
		printf "[rule \"long\"]\npattern = %s\n" "$(echo "$long" | cut -c1-100)" &&
		for i in 1 2 3 4 5 6 7 8 9; do
			printf "    %s\n" "$(echo "$long" | cut -c$((i * 100 + 1))-$((i * 100 + 100)))"
		done
	} >.leakgate.ini &&
	git add .leakgate.ini && git commit -qm config &&
	leakgate config | grep -q "^pattern = $long " &&
	echo "x $long y" >hit.txt && git add hit.txt &&
	test_blocked git commit -qm hit && grep -q "hit.txt:1:3" out.txt &&
	git rm -q --cached hit.txt &&
	short=$(echo "$long" | cut -c1-999) &&
	echo "x ${short}Q y" >miss.txt && git add miss.txt &&
	test_allowed git commit -qm miss
'

test_expect_success 'a pattern containing " ;" round-trips exactly through a real commit' '
	new_repo r && cd r &&
	printf "[rule \"semi\"]\npattern = \"tok ;[0-9]{6} ;end\" ; a real comment\n" >.leakgate.ini &&
	git add .leakgate.ini && git commit -qm config &&
	leakgate config | grep -q "^pattern = \"tok ;\[0-9\]{6} ;end\" " &&
	echo "a tok ;123456 ;end b" >hit.txt && git add hit.txt &&
	test_blocked git commit -qm hit && grep -q "hit.txt:1:3  semi" out.txt &&
	git rm -q --cached hit.txt &&
	echo "a tok 123456 end b" >miss.txt && git add miss.txt &&
	test_allowed git commit -qm miss
'

test_expect_success 'config/leakgate.example.ini is valid and documents every key' '
	ex="$LEAKGATE_ROOT/config/leakgate.example.ini" &&
	keys=$(sed -n "s/.*{ SEC_[A-Z]*, \"\([a-z_-]*\)\".*/\1/p" "$LEAKGATE_ROOT/src/config.c") &&
	test $(echo "$keys" | wc -l) -gt 25 &&
	for k in $keys; do
		grep -q "^#\{0,1\}$k = " "$ex" || { echo "not documented: $k"; exit 1; }
	done &&
	GIT_CEILING_DIRECTORIES="$TEST_DIR" leakgate config --config "$ex" >cfg.txt &&
	leakgate rules --check "$ex"
'

test_expect_success 'every ini block of the README'"'"'s Configuration section loads' '
	sed -n "/^## Configuration/,/^## /p" "$LEAKGATE_ROOT/README.md" |
	awk "/^ *\\\`\\\`\\\`ini/ { n++; f = \"block\" n \".ini\"; on = 1; next }
	     /^ *\\\`\\\`\\\`/ { on = 0; next }
	     on { sub(/^   /, \"\"); print > f }" &&
	ls block*.ini >list && test $(wc -l <list) -ge 5 &&
	for f in block*.ini; do
		cat "$f" &&
		GIT_CEILING_DIRECTORIES="$TEST_DIR" leakgate config --config "$f" >/dev/null || exit 1
	done
'

test_done
