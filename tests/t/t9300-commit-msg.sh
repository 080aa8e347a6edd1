#!/bin/sh
# leakgate commit-msg FILE: keys pasted into commit messages.
. "$(dirname "$0")/lib.sh"

msg_repo() {
	git init -q "$1" &&
	hookdir=$(git -C "$1" rev-parse --git-path hooks) &&
	case "$hookdir" in /*) ;; *) hookdir="$1/$hookdir" ;; esac &&
	mkdir -p "$hookdir" &&
	if [ -f "$LEAKGATE_ROOT/hooks/commit-msg" ]; then
		cp "$LEAKGATE_ROOT/hooks/commit-msg" "$hookdir/commit-msg"
	else
		printf "#!/bin/sh\nexec leakgate commit-msg \"\$1\"\n" >"$hookdir/commit-msg"
	fi &&
	chmod +x "$hookdir/commit-msg"
}

test_expect_success 'a key in the commit message blocks the commit' '
	msg_repo r && cd r &&
	echo one >a.txt && git add a.txt &&
	test_blocked git commit -q -m "fix login" -m "used token $(fake_key github) to test" &&
	grep -q "COMMIT_EDITMSG:3:12  github-token" out.txt &&
	grep -q "commit blocked" out.txt &&
	grep -q "git commit -e -F .git/COMMIT_EDITMSG" out.txt &&
	test_must_fail git rev-parse -q --verify HEAD &&
	assert_no_secret out.txt
'

test_expect_success 'a clean message is allowed' '
	msg_repo r && cd r &&
	echo one >a.txt && git add a.txt &&
	test_allowed git commit -q -m "add a.txt" &&
	git rev-parse -q --verify HEAD
'

test_expect_success 'what follows the scissors line (git commit -v) is not the message' '
	k=$(fake_key github) &&
	printf "subject\n\n# Please enter the commit message\n# ------------------------ >8 ------------------------\n+k = %s\n" "$k" >msg.txt &&
	test_exit 0 leakgate commit-msg msg.txt &&
	printf "subject %s\n" "$k" >msg2.txt &&
	test_exit 1 leakgate commit-msg msg2.txt 2>err.txt &&
	grep -q "msg2.txt:1:9" err.txt
'

test_expect_success 'works outside a repository; a missing file is a usage error' '
	printf "key %s\n" "$(fake_key aws-id)" >m.txt &&
	GIT_CEILING_DIRECTORIES=$TEST_DIR test_exit 1 leakgate commit-msg m.txt &&
	test_exit 2 leakgate commit-msg nope.txt 2>err.txt &&
	grep -q "nope.txt" err.txt &&
	test_exit 2 leakgate commit-msg &&
	test_exit 2 leakgate commit-msg a b
'

test_expect_success 'an inline allow pragma in the message is honoured' '
	printf "example %s leakgate:allow\n" "$(fake_key github)" >m.txt &&
	test_exit 0 leakgate commit-msg m.txt
'

test_done
