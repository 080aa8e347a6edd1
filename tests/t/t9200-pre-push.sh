#!/bin/sh
# leakgate pre-push: real `git push` through a pre-push hook.
. "$(dirname "$0")/lib.sh"

# push_repo DIR: a repository with a bare remote "origin" and leakgate as
# its pre-push hook (the project's shim when there is one).
push_repo() {
	git init -q --bare "$1.git" &&
	git init -q "$1" &&
	git -C "$1" remote add origin "$TEST_DIR/$1.git" &&
	hookdir=$(git -C "$1" rev-parse --git-path hooks) &&
	case "$hookdir" in /*) ;; *) hookdir="$1/$hookdir" ;; esac &&
	mkdir -p "$hookdir" &&
	if [ -f "$LEAKGATE_ROOT/hooks/pre-push" ]; then
		cp "$LEAKGATE_ROOT/hooks/pre-push" "$hookdir/pre-push"
	else
		printf "#!/bin/sh\nexec leakgate pre-push \"\$@\"\n" >"$hookdir/pre-push"
	fi &&
	chmod +x "$hookdir/pre-push"
}
commit_file() {
	printf "%s\n" "$2" >"$1" && git add "$1" && git commit -qm "$3" --no-verify
}

test_expect_success 'a push that would send a key is blocked; the remote is unchanged' '
	push_repo r && cd r &&
	commit_file a.txt one first &&
	commit_file k.py "k = \"$(fake_key github)\"" second &&
	commit_file b.txt two third &&
	test_blocked git push -q origin main &&
	grep -q "k.py:1:6  github-token" out.txt &&
	grep -q "push blocked" out.txt &&
	grep -q "git push --no-verify" out.txt &&
	grep -q "rebase -i" out.txt &&
	test_must_fail git --git-dir=../r.git rev-parse -q --verify refs/heads/main &&
	assert_no_secret out.txt
'

test_expect_success 'a clean push is allowed; later pushes scan only the new commits' '
	push_repo r && cd r &&
	commit_file a.txt one first &&
	test_allowed git push -q origin main &&
	commit_file k.py "k = \"$(fake_key github)\"" leaked &&
	git push -q --no-verify origin main &&
	commit_file b.txt two clean &&
	test_allowed git push -q origin main &&
	commit_file c.py "c = \"$(fake_key aws-id)\"" again &&
	test_blocked git push -q origin main &&
	grep -q "c.py:1:6" out.txt && ! grep -q "k.py" out.txt
'

test_expect_success 'a new branch sends only commits no remote-tracking ref has' '
	push_repo r && cd r &&
	commit_file k.py "k = \"$(fake_key github)\"" old-leak &&
	git push -q --no-verify origin main &&
	git checkout -qb topic &&
	commit_file t.txt topic topic-work &&
	test_allowed git push -q origin topic &&
	git checkout -qb topic2 &&
	commit_file t2.py "t = \"$(fake_key anthropic)\"" topic2-leak &&
	test_blocked git push -q origin topic2 &&
	grep -q "t2.py" out.txt && ! grep -q "k.py" out.txt
'

test_expect_success 'deleting a remote branch scans nothing' '
	push_repo r && cd r &&
	commit_file a.txt one first && git push -q origin main &&
	git checkout -qb gone && commit_file k.py "k = \"$(fake_key github)\"" leak &&
	git push -q --no-verify origin gone &&
	test_allowed git push -q origin :gone
'

test_expect_success 'the stdin protocol, directly' '
	git init -q r && cd r &&
	commit_file a.txt one first && c1=$(git rev-parse HEAD) &&
	commit_file k.py "k = \"$(fake_key github)\"" second && c2=$(git rev-parse HEAD) &&
	z=0000000000000000000000000000000000000000 &&
	echo "refs/heads/main $c2 refs/heads/main $c1" | test_exit 1 leakgate pre-push origin url 2>err.txt &&
	grep -q "k.py" err.txt &&
	echo "refs/heads/main $c1 refs/heads/main $z" | test_exit 0 leakgate pre-push origin url &&
	echo "(delete) $z refs/heads/main $c2" | test_exit 0 leakgate pre-push origin url &&
	echo "refs/heads/main $c2 refs/heads/main $c2" | test_exit 0 leakgate pre-push &&
	test_exit 0 leakgate pre-push </dev/null &&
	echo "garbage" | test_exit 2 leakgate pre-push 2>err.txt &&
	grep -q "line 1 of standard input" err.txt &&
	echo "refs/heads/main $c2 refs/heads/main $c2" | test_exit 2 leakgate pre-push a b c
'

test_expect_success 'json output for pre-push carries the commit' '
	git init -q r && cd r &&
	commit_file k.py "k = \"$(fake_key github)\"" first && c=$(git rev-parse HEAD) &&
	echo "refs/heads/main $c refs/heads/main 0000000000000000000000000000000000000000" |
		test_exit 1 leakgate pre-push --format json origin url >out.json &&
	grep -q "\"commit\":\"$c\"" out.json
'

test_expect_success 'pre-push --help and commit-msg --help exit 0' '
	test_exit 0 leakgate pre-push --help >h1.txt &&
	test_exit 0 leakgate commit-msg --help >h2.txt &&
	grep -q "pre-push" h1.txt && grep -q "commit-msg" h2.txt
'

test_expect_success 'pushing tags: an annotated tag scans its commits; a tag of a blob nothing' '
	push_repo r && cd r &&
	commit_file a.txt one first && git push -q origin main &&
	commit_file k.py "k = \"$(fake_key github)\"" leak &&
	git tag -a v1 -m v1 &&
	test_blocked git push -q origin v1 &&
	grep -q "k.py:1:6" out.txt &&
	git tag blobtag "$(git rev-parse HEAD:a.txt)" &&
	test_allowed git push -q origin blobtag
'

test_done
