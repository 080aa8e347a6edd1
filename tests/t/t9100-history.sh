#!/bin/sh
# leakgate scan --commits RANGE / --all: what each commit added.
. "$(dirname "$0")/lib.sh"

# commit_file FILE CONTENT MSG: write, add and commit (the hook is not
# installed in these repositories: history is made with --no-verify).
commit_file() {
	printf "%s\n" "$2" >"$1" && git add "$1" && git commit -qm "$3" --no-verify
}

test_expect_success 'a range reports commit id, author date and path' '
	git init -q r && cd r &&
	commit_file a.txt one first && base=$(git rev-parse HEAD) &&
	GIT_AUTHOR_DATE="1700003600 +0200" commit_file k.py "t = \"$(fake_key github)\"" second &&
	c2=$(git rev-parse HEAD) &&
	commit_file b.txt two third &&
	test_exit 1 leakgate scan --commits "$base..HEAD" --format json >out.json 2>err.txt &&
	test $(wc -l <out.json) -eq 1 &&
	grep -q "\"path\":\"k.py\",\"line\":1,\"column\":6,.*\"rule\":\"github-token\"" out.json &&
	grep -q "\"commit\":\"$c2\",\"date\":\"2023-11-15T01:13:20+02:00\"" out.json &&
	assert_no_secret out.json err.txt &&
	test_exit 0 leakgate scan --commits "$c2..HEAD"
'

test_expect_success 'text report names the commit before the path' '
	git init -q r && cd r &&
	commit_file k.py "t = \"$(fake_key aws-id)\"" first && c=$(git rev-parse --short=12 HEAD) &&
	test_exit 1 leakgate scan --commits HEAD --color never 2>err.txt &&
	grep -q "^  $c:k.py:1:6  aws-access-key-id" err.txt &&
	grep -q "revoke the key" err.txt &&
	! grep -q "git add" err.txt
'

test_expect_success 'modified files: only added lines are scanned, with their line numbers' '
	git init -q r && cd r &&
	commit_file k.py "old = \"$(fake_key github)\"" first && c1=$(git rev-parse HEAD) &&
	printf "x = 1\ny = 2\n" >>k.py && git commit -qam second &&
	printf "z = \"%s\"\n" "$(fake_key anthropic)" >>k.py && git commit -qam third &&
	c3=$(git rev-parse HEAD) &&
	test_exit 1 leakgate scan --commits "$c1..HEAD" --format json >out.json &&
	test $(wc -l <out.json) -eq 1 &&
	grep -q "\"line\":4,\"column\":6,.*anthropic-api-key.*\"commit\":\"$c3\"" out.json
'

test_expect_success 'a root commit is scanned whole; a single revision means its history' '
	git init -q r && cd r &&
	commit_file k.py "$(printf "a\nb\nk = \"%s\"" "$(fake_key github)")" root &&
	commit_file n.txt clean next &&
	test_exit 1 leakgate scan --commits HEAD --format json >out.json &&
	grep -q "\"path\":\"k.py\",\"line\":3," out.json
'

test_expect_success 'a blob is scanned once however many commits bring it' '
	git init -q r && cd r &&
	commit_file base.txt base first &&
	git checkout -qb side &&
	commit_file k.py "k = \"$(fake_key github)\"" side-adds && side=$(git rev-parse HEAD) &&
	git checkout -q main &&
	commit_file other.txt other main-moves &&
	git merge -q --no-ff --no-edit side &&
	git rm -q k.py && git commit -qm remove &&
	git revert --no-edit HEAD >/dev/null &&
	git checkout -qb copy && cp k.py k2.py && git add k2.py && git commit -qm copy &&
	test_exit 1 leakgate scan --all --format json -v >out.json 2>err.txt &&
	test $(wc -l <out.json) -eq 1 &&
	grep -q "\"path\":\"k.py\".*\"commit\":\"$side\"" out.json &&
	grep -q "repeated blobs not rescanned" err.txt &&
	! grep -q " 0 repeated blobs" err.txt
'

test_expect_success '--all covers every branch; a branch range does not' '
	git init -q r && cd r &&
	commit_file a.txt one first &&
	git checkout -qb feature && commit_file f.py "f = \"$(fake_key github)\"" feat &&
	git checkout -q main && commit_file b.txt two second &&
	test_exit 0 leakgate scan --commits main &&
	test_exit 1 leakgate scan --all 2>err.txt && grep -q "f.py:1:6" err.txt &&
	test_exit 1 leakgate scan --commits --all &&
	test_exit 1 leakgate scan --commits main..feature &&
	test_exit 1 leakgate scan --commits main...feature &&
	test_exit 0 leakgate scan --commits feature..main
'

test_expect_success 'renames do not re-report moved content; deletions give nothing' '
	git init -q r && cd r &&
	commit_file k.py "k = \"$(fake_key github)\"" first && c1=$(git rev-parse HEAD) &&
	git mv k.py moved.py && git commit -qm rename &&
	git rm -q moved.py && git commit -qm delete &&
	test_exit 0 leakgate scan --commits "$c1..HEAD" &&
	test_exit 1 leakgate scan --all --format json >out.json && test $(wc -l <out.json) -eq 1
'

test_expect_success 'output is the same with one thread or two, run after run' '
	git init -q r && cd r &&
	for i in 1 2 3 4 5 6 7 8; do
		commit_file "f$i.py" "k$i = \"$(fake_key github)\"" "c$i" || exit 1
		commit_file "g$i.txt" "clean $i" "d$i" || exit 1
	done &&
	test_exit 1 leakgate scan --all --format json -j 1 >one.json &&
	test_exit 1 leakgate scan --all --format json -j 2 >two.json &&
	test_exit 1 leakgate scan --all --format json >again.json &&
	test $(wc -l <one.json) -eq 8 &&
	cmp one.json two.json && cmp one.json again.json
'

test_expect_success 'blobs over max-blob-size are reported as skipped, with their commit' '
	git init -q r && cd r &&
	printf "[leakgate]\nmax-blob-size = 100\n" >.leakgate.ini &&
	head -c 300 /dev/zero | tr "\000" b >big.txt && git add . && git commit -qm big &&
	c=$(git rev-parse HEAD) &&
	leakgate scan --commits HEAD --format json >out.json; test $? -lt 128 &&
	grep -q "\"path\":\"big.txt\".*\"kind\":\"skipped\".*\"commit\":\"$c\"" out.json
'

test_expect_success 'binary blobs, symlinks and submodules are skipped' '
	git init -q r && cd r &&
	printf "\000\001k = %s\n" "$(fake_key github)" >b.bin &&
	ln -s "$(fake_key github)" link && git add . && git commit -qm bin &&
	test_exit 0 leakgate scan --commits HEAD
'

test_expect_success 'a bad range is a usage error; outside a repository too' '
	git init -q r && cd r && commit_file a.txt one first &&
	test_exit 2 leakgate scan --commits nosuchref..HEAD 2>err.txt &&
	grep -q "nosuchref" err.txt &&
	cd "$TEST_DIR" && mkdir plain && cd plain &&
	GIT_CEILING_DIRECTORIES=$TEST_DIR test_exit 2 leakgate scan --commits HEAD
'

test_expect_success 'an empty repository has nothing to scan with --all' '
	git init -q r && cd r && test_exit 0 leakgate scan --all
'

test_expect_success 'progress only on a terminal' '
	git init -q r && cd r && commit_file a.txt one first &&
	leakgate scan --all 2>err.txt; test $? -eq 0 && ! grep -q "commits" err.txt &&
	if command -v script >/dev/null 2>&1; then
		script -qec "leakgate scan --all" /dev/null >tty.txt 2>&1 &&
		grep -q "1 commits, 1/1 blobs" tty.txt
	fi
'

test_expect_success 'scan --all --write-baseline: old findings stop, new ones still block' '
	git init -q r && cd r &&
	commit_file k.py "k = \"$(fake_key github)\"" old-leak &&
	test_exit 0 leakgate scan --all --write-baseline .leakgate-baseline 2>err.txt &&
	grep -q "wrote 1 fingerprint" err.txt &&
	assert_no_secret .leakgate-baseline &&
	printf "[allow]\nbaseline = .leakgate-baseline\n" >.leakgate.ini &&
	git add .leakgate.ini .leakgate-baseline && git commit -qm baseline &&
	test_exit 0 leakgate scan --all &&
	commit_file n.py "n = \"$(fake_key aws-id)\"" new-leak &&
	test_exit 1 leakgate scan --all --format json >out.json &&
	test $(wc -l <out.json) -eq 1 && grep -q "n.py" out.json
'

test_expect_success 'the per-run cap holds across threads, and says what it dropped' '
	git init -q r && cd r &&
	awk -v p="AK" "BEGIN { srand(7); cs = \"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567\";
		for (f = 1; f <= 12; f++) for (l = 1; l <= 100; l++) {
			k = \"\"; for (j = 0; j < 16; j++) k = k substr(cs, int(rand() * 32) + 1, 1);
			print \"k\" l \" = \\\"\" p \"IA\" k \"\\\"\" > (\"f\" f \".py\") } }" &&
	git add . && git commit -qm many &&
	test_exit 1 leakgate scan --all --format json -j 2 >out.json &&
	test $(wc -l <out.json) -eq 1000 &&
	test_exit 1 leakgate scan --all -j 2 2>err.txt &&
	grep -q "and 200 more findings not listed" err.txt
'

test_done
