#!/bin/sh
# Issue 7: the fast path (the index read directly, new files loaded on every
# core) must report exactly what the libgit2 path reports. Each test stages
# something, then runs leakgate both ways (LEAKGATE_NO_FASTINDEX=1 forces the
# libgit2 path) and compares exit status, JSON and the text report.
. "$(dirname "$0")/lib.sh"

# both_ways WANT_PATH: run leakgate pre-commit with the fast path and with
# libgit2; fail unless both agree, neither crashed, and -v says the default
# run took WANT_PATH ("directly" or "libgit2").
both_ways() {
	leakgate pre-commit -v --format json >fast.json 2>fast.err
	fast=$?
	LEAKGATE_NO_FASTINDEX=1 leakgate pre-commit -v --format json >slow.json 2>slow.err
	slow=$?
	if [ $fast -gt 2 ] || [ $slow -gt 2 ]; then
		echo "error or crash: fast $fast, libgit2 $slow" >&2
		cat fast.err slow.err >&2
		return 1
	fi
	[ $fast -eq $slow ] || { echo "exit: fast $fast, libgit2 $slow" >&2; return 1; }
	cmp fast.json slow.json || { diff fast.json slow.json >&2; return 1; }
	# The report must match exactly; -v lines (which say which path ran,
	# and may come in another order) as a set.
	grep -v '^leakgate: ' fast.err >fast.txt
	grep -v '^leakgate: ' slow.err >slow.txt
	cmp fast.txt slow.txt || { diff fast.txt slow.txt >&2; return 1; }
	grep '^leakgate: ' fast.err | grep -v -e '^leakgate: index read' -e 'detecting renames' \
		-e '^leakgate: rules' | sort >fast.v
	grep '^leakgate: ' slow.err | grep -v -e '^leakgate: index read' -e '^leakgate: rules' |
		sort >slow.v
	cmp fast.v slow.v || { diff fast.v slow.v >&2; return 1; }
	grep -q "index read $1" fast.err || { echo "fast run did not read the index $1" >&2; cat fast.err >&2; return 1; }
	grep -q "index read by libgit2" slow.err || { echo "LEAKGATE_NO_FASTINDEX ignored" >&2; return 1; }
	assert_no_secret fast.json fast.err
}

# many_files DIR N: N small source files, every seventh with a key in it.
many_files() {
	mkdir -p "$1" &&
	i=0 && while [ $i -lt "$2" ]; do
		{
			echo "// file $i"
			seq 1 $((i % 13 + 2)) | sed 's/^/int v_&;/'
			if [ $((i % 7)) -eq 3 ]; then echo "const k = \"$(fake_key github)\";"; fi
		} >"$1/f$i.c" || return 1
		i=$((i + 1))
	done
}

test_expect_success 'initial commit of many files (parallel loaders): same findings' '
	new_repo r && cd r &&
	many_files src 150 && many_files src/deep/er 40 &&
	echo "x = \"$(fake_key openai-proj)\"" >top.py &&
	git add -A &&
	both_ways directly &&
	test "$(grep -c github-token fast.json)" -eq 27
'

test_expect_success 'many new files: output identical over repeated runs' '
	new_repo r && cd r &&
	many_files a 120 && git add -A &&
	leakgate pre-commit --format json >one.json 2>/dev/null;
	leakgate pre-commit --format json >two.json 2>/dev/null;
	leakgate pre-commit --format json >three.json 2>/dev/null;
	test -s one.json && cmp one.json two.json && cmp one.json three.json
'

test_expect_success 'modified files: only added lines, old keys not reported' '
	new_repo r && cd r &&
	many_files lib 20 && echo "old = \"$(fake_key aws-id)\"" >lib/cfg.py &&
	git add -A && git commit -q --no-verify -m base &&
	echo "new = \"$(fake_key anthropic)\"" >>lib/cfg.py &&
	sed -i "3a const t = \"$(fake_key github)\";" lib/f5.c &&
	echo "int more;" >>lib/f6.c &&
	git add -A &&
	both_ways directly &&
	grep -q anthropic-api-key fast.json && grep -q "lib/f5.c" fast.json &&
	! grep -q aws fast.json
'

test_expect_success 'new files in a big tree whose other directories are unchanged' '
	new_repo r && cd r &&
	many_files d1 30 && many_files d2/x 30 && many_files d3 30 &&
	git add -A && git commit -q --no-verify -m base &&
	many_files d2/x/new 80 && echo "k = $(fake_key aws-id)" >d3/late.txt &&
	git add -A &&
	both_ways directly
'

test_expect_success 'symlinks, gitlinks, binary files, mode changes' '
	new_repo r && cd r &&
	echo "a" >plain.txt && git add -A && git commit -q --no-verify -m base &&
	ln -s "$(fake_key github)" link &&
	printf "bin\000 $(fake_key aws-id)\n" >blob.bin &&
	git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,sub &&
	chmod +x plain.txt &&
	git add -A &&
	both_ways directly
'

test_expect_success 'a rename with an edit goes through libgit2 (rename detection)' '
	new_repo r && cd r &&
	many_files m 10 && echo "old = \"$(fake_key aws-id)\"" >>m/f1.c &&
	git add -A && git commit -q --no-verify -m base &&
	git mv m/f1.c m/g1.c && echo "int z;" >>m/g1.c &&
	git add -A &&
	both_ways "by libgit2" &&
	! grep -q aws fast.json
'

test_expect_success 'blobs over max-blob-size are reported in order, both ways' '
	new_repo r && cd r &&
	printf "[leakgate]\nmax-blob-size = 100\n" >.leakgate.ini &&
	many_files big 90 && git add -A &&
	both_ways directly &&
	grep -q skipped fast.json
'

# The loaders trust the size the index recorded when it is small; a clean
# filter can make the blob larger than the file. It must still be skipped.
test_expect_success 'a blob larger than the index says is still over max-blob-size' '
	new_repo r && cd r &&
	git config filter.grow.clean "sed -e p -e p" &&
	echo "*.g filter=grow" >.gitattributes &&
	printf "[leakgate]\nmax-blob-size = 100\n" >.leakgate.ini &&
	many_files many 70 &&
	i=0 && while [ $i -lt 5 ]; do echo "grow $i: forty-four bytes with the newline.." >"many/x$i.g"; i=$((i + 1)); done &&
	git add -A &&
	test "$(git cat-file -s :many/x1.g)" -gt 100 &&
	both_ways directly &&
	test "$(grep -c "many/x.\.g.*skipped" fast.json)" -eq 5
'

test_expect_success 'file policy (forbidden files) judged the same both ways' '
	new_repo r && cd r &&
	echo a >keep.txt && git add -A && git commit -q --no-verify -m base &&
	many_files app 70 &&
	echo "DB_PASSWORD=x" >app/.env && echo "k" >app/id_rsa && echo "S=1" >.env.local &&
	git add -A &&
	both_ways directly &&
	grep -q "app/.env" fast.json &&
	echo "int q;" >>app/f3.c && git add -A && git commit -q --no-verify -m more &&
	git rm -q --cached keep.txt &&
	both_ways directly
'

# keys_file FILE N SEED: N lines, each with its own token-shaped key.
keys_file() {
	# AWS access key ids: random GitHub-looking tokens would fail their
	# checksum and not be findings at all.
	awk -v n="$2" -v seed="$3" -v p1="AK" -v p2="IA" 'BEGIN {
		srand(seed); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
		for (i = 0; i < n; i++) {
			k = ""; for (j = 0; j < 16; j++) k = k substr(a, int(rand() * 32) + 1, 1)
			printf "t%d = \"%s%s%s\"\n", i, p1, p2, k
		}
	}' >"$1"
}

test_expect_success 'over the findings caps, the same findings are kept both ways' '
	new_repo r && cd r &&
	keys_file a.txt 5 1 && keys_file z.txt 5 2 && git add -A &&
	git commit -q --no-verify -m base &&
	keys_file a.txt 120 3 && keys_file z.txt 120 4 &&
	many_files m 70 &&
	i=0 && while [ $i -lt 10 ]; do keys_file "m/k$i.txt" 101 $((i + 10)); i=$((i + 1)); done &&
	git add -A &&
	both_ways directly &&
	test "$(wc -l <fast.json)" -ge 1000
'

test_expect_success 'the staged .leakgate.ini is read from a large index' '
	new_repo r && cd r &&
	many_files a 200 &&
	k=$(fake_key github) &&
	echo "x = \"$k\"" >a/secret.c &&
	git add -A && git commit -q --no-verify -m base &&
	echo "// changed" >>a/secret.c &&
	printf "[allow]\npaths = a/**\n" >.leakgate.ini && git add -A &&
	test_exit 0 leakgate pre-commit &&
	echo "y = \"$(fake_key anthropic)\"" >>a/f1.c && git add a/f1.c &&
	test_exit 0 leakgate pre-commit &&
	git rm -q -f .leakgate.ini &&
	test_exit 1 leakgate pre-commit
'

test_done
