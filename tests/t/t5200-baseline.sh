#!/bin/sh
# Baseline: `leakgate scan --staged --write-baseline FILE` records the
# fingerprints of the current findings; [allow] baseline = FILE lets them
# through. Fingerprints key on content, so they survive edits and merges.
. "$(dirname "$0")/lib.sh"

test_expect_success 'write a baseline, then those findings are let through' '
	new_repo r && cd r &&
	k1=$(fake_key github) && k2=$(fake_key aws-id) &&
	printf "a = %s\nb = %s\n" "$k1" "$k2" >old.txt && git add old.txt &&
	test_exit 0 leakgate scan --staged --write-baseline .leakgate-baseline 2>err.txt &&
	grep -q "wrote 2 fingerprints to .leakgate-baseline" err.txt &&
	test $(grep -c "^[0-9a-f]\{16\}  # " .leakgate-baseline) = 2 &&
	assert_no_secret .leakgate-baseline &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline &&
	test_allowed git commit -qm adopt
'

test_expect_success 'a baseline records the whole tree, committed files too' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >old.txt && git add old.txt &&
	git commit -q --no-verify -m "committed before the hook" &&
	echo "u = $(fake_key aws-id)" >new.txt && git add new.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>err.txt &&
	grep -q "wrote 2 fingerprints" err.txt &&
	grep -q "github-token old.txt\$" .leakgate-baseline &&
	grep -q "aws-access-key-id new.txt\$" .leakgate-baseline &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline && test_allowed git commit -qm adopt &&
	sed "s/^t = /token: /" old.txt >tmp && mv tmp old.txt && git add old.txt &&
	test_allowed git commit -qm "the old key line rewritten"
'

test_expect_success 'the baseline survives edits that move the secret' '
	new_repo r && cd r &&
	k=$(fake_key github) &&
	echo "t = $k" >a.txt && git add a.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>/dev/null &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline && git commit -qm adopt &&
	{ seq 1 20; echo "  token: \"$k\" # moved"; } >a.txt && git mv a.txt b.txt && git add b.txt &&
	test_allowed git commit -qm "edit and move" &&
	echo "n = $(fake_key github)" >>b.txt && git add b.txt &&
	test_blocked git commit -qm "a new key is still caught" &&
	test $(grep -c github-token out.txt) = 1
'

test_expect_success 'the baseline survives a squash merge' '
	new_repo r && cd r &&
	k=$(fake_key github) &&
	echo "t = $k" >a.txt && git add a.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>/dev/null &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline && git commit -qm adopt &&
	git checkout -qb topic && { echo "# header"; echo "key: $k"; } >c.txt && git add c.txt &&
	git commit -qm topic && git checkout -q main &&
	git merge -q --squash topic && test_allowed git commit -qm squashed
'

test_expect_success 'rewriting a baseline keeps findings the old one hid' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>/dev/null &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline &&
	echo "u = $(fake_key github)" >b.txt && git add b.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>err.txt &&
	grep -q "wrote 2 fingerprints" err.txt
'

test_expect_success 'the staged baseline is read, not the work tree copy' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>/dev/null &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline &&
	echo "u = $(fake_key github)" >b.txt && git add b.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>/dev/null &&
	test_blocked git commit -qm add && grep -q "b.txt:1" out.txt && ! grep -q "a.txt:1" out.txt
'

test_expect_success 'a baseline not in the index is read from the work tree, with a warning' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	leakgate scan --staged --write-baseline .leakgate-baseline 2>/dev/null &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini && git add .leakgate.ini &&
	test_allowed git commit -qm add &&
	grep -q "using baseline .\.leakgate-baseline. from the work tree: it is not staged" out.txt
'

test_expect_success 'a baseline that does not exist is a config error' '
	new_repo r && cd r &&
	printf "[allow]\nbaseline = missing-baseline\n" >.leakgate.ini && git add .leakgate.ini &&
	test_exit 2 leakgate pre-commit 2>err.txt && cat err.txt &&
	grep -q "^leakgate: error: .leakgate.ini:2: cannot read baseline .missing-baseline." err.txt
'

test_expect_success 'a malformed baseline line is an error naming file and line' '
	new_repo r && cd r &&
	printf "# ok\n0123456789abcdef\nnot-a-fingerprint\n" >bl && git add bl &&
	printf "[allow]\nbaseline = bl\n" >.leakgate.ini && git add .leakgate.ini &&
	test_exit 2 leakgate pre-commit 2>err.txt && cat err.txt &&
	grep -q "bl:3: not a fingerprint" err.txt
'

test_expect_success 'a baseline outside the work tree, by absolute path' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	leakgate scan --staged --write-baseline "$TEST_DIR/bl" 2>/dev/null &&
	mkdir -p "$XDG_CONFIG_HOME/leakgate" &&
	printf "[allow]\nbaseline = %s\n" "$TEST_DIR/bl" >"$XDG_CONFIG_HOME/leakgate/config.ini" &&
	leakgate -v pre-commit 2>err.txt; rc=$?; rm "$XDG_CONFIG_HOME/leakgate/config.ini" &&
	cat err.txt && test $rc = 0 &&
	grep -q "baseline: 1 of 1 fingerprints matched, suppressed 1" err.txt
'

test_expect_success 'config --unused lists baseline fingerprints that match nothing' '
	new_repo r && cd r &&
	printf "0123456789abcdef\n" >bl && git add bl &&
	printf "[allow]\nbaseline = bl\n" >.leakgate.ini && git add .leakgate.ini &&
	leakgate config --unused >u.txt 2>/dev/null && cat u.txt &&
	grep -q "^bl:1: baseline fingerprint .0123456789abcdef. matched nothing" u.txt
'

test_expect_success '--write-baseline is refused for other commands' '
	test_exit 2 leakgate rules --write-baseline x 2>err.txt && grep -q "only with" err.txt
'

test_done
