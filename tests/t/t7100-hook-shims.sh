#!/bin/sh
# The hook shims hooks/pre-commit, hooks/pre-push, hooks/commit-msg: finding
# the binary, failing closed, SKIP=leakgate, LEAKGATE_ALLOW_MISSING, exit
# status, arguments and stdin, chained hooks; then pre-push and commit-msg
# against the real binary (skipped until it has those commands).
. "$(dirname "$0")/lib.sh"

H=$LEAKGATE_ROOT/hooks
# test_expect_if PREREQ DESC BODY: the test, or a TAP skip when PREREQ fails.
test_expect_if() {
    if (cd "$TRASH" && eval "$1") >/dev/null 2>&1 </dev/null; then
        test_expect_success "$2" "$3"
    else
        test_count=$((test_count + 1))
        echo "ok $test_count - $2 # SKIP needs: $1"
    fi
}
stage_key() { echo "token = $(fake_key github)" >"${1:-app.py}" && git add -- "${1:-app.py}"; }
stage_clean() { echo "print(${1:-1})" >"${2:-clean.py}" && git add -- "${2:-clean.py}"; }
# A stand-in leakgate that records its arguments and stdin, exits $STUB_RC.
mkdir -p "$TRASH/stub"
cat >"$TRASH/stub/leakgate" <<'EOF'
#!/bin/sh
printf '%s\n' "$@" >"$STUB_LOG.args"
cat >"$STUB_LOG.stdin"
exit "${STUB_RC:-0}"
EOF
chmod +x "$TRASH/stub/leakgate"
with_stub() { PATH="$TRASH/stub:$PATH" STUB_LOG="$TRASH/stub/log" "$@"; }
# sealed: PATH without any leakgate (the test's bin dir and /usr/local dropped).
sealed() { PATH=/usr/bin:/bin "$@"; }

test_expect_success 'the shims are POSIX sh and short' '
    for h in pre-commit pre-push commit-msg; do
        sh -n "$H/$h" && test -x "$H/$h" &&
        test "$(wc -l <"$H/$h")" -le 50 &&
        head -n 1 "$H/$h" | grep -qx "#!/bin/sh" || return 1
        if command -v dash >/dev/null; then dash -n "$H/$h" || return 1; fi
    done
'

test_expect_success 'missing binary blocks the commit and says how to install' '
    new_repo r1 && cd r1 && stage_clean &&
    sealed sh -c "! command -v leakgate" &&
    test_exit 1 sealed git commit -q -m x 2>err.txt; cat err.txt &&
    grep -q "leakgate binary was not found" err.txt &&
    grep -q "install.sh" err.txt && grep -q LEAKGATE_ALLOW_MISSING err.txt &&
    test_must_fail git rev-parse -q --verify HEAD
'

test_expect_success 'LEAKGATE_ALLOW_MISSING=1 lets it through with a warning' '
    new_repo r2 && cd r2 && stage_clean &&
    LEAKGATE_ALLOW_MISSING=1 sealed git commit -q -m x 2>err.txt; cat err.txt &&
    git rev-parse -q --verify HEAD &&
    grep -q "NOT scanned" err.txt
'

test_expect_success 'SKIP=leakgate skips with a visible warning; other SKIP values do not' '
    new_repo r3 && cd r3 && stage_key &&
    SKIP="flake8, leakgate" git commit -q -m skipped 2>err.txt; cat err.txt &&
    git rev-parse -q --verify HEAD && grep -q "NOT scanned" err.txt &&
    stage_key b.py &&
    SKIP=leakgate-extra,flake8 test_blocked git commit -m not-skipped &&
    SKIP= test_blocked git commit -m not-skipped
'

test_expect_success 'the hook runs leakgate pre-commit and exits with its status' '
    new_repo r4 && cd r4 && stage_clean &&
    STUB_RC=3 with_stub test_blocked git commit -m x &&
    test "$(cat "$TRASH"/stub/log.args)" = pre-commit &&
    STUB_RC=2 with_stub test_blocked git commit -m x &&
    STUB_RC=0 with_stub test_allowed git commit -q -m x
'

test_expect_success 'a chained hook runs first, even with SKIP=leakgate, and can block' '
    new_repo r5 && cd r5 &&
    printf "#!/bin/sh\necho chained >>chained.log\nexit \${CHAINED_RC:-0}\n" >.git/hooks/pre-commit.leakgate-chained &&
    chmod 755 .git/hooks/pre-commit.leakgate-chained &&
    stage_clean && CHAINED_RC=5 test_blocked git commit -m x &&
    test "$(wc -l <chained.log)" -eq 1 &&
    SKIP=leakgate CHAINED_RC=5 test_blocked git commit -m x &&
    SKIP=leakgate test_allowed git commit -q -m x && test "$(wc -l <chained.log)" -eq 3
'

test_expect_success 'a non-executable chained hook is ignored, as git ignores it' '
    new_repo r6 && cd r6 &&
    printf "#!/bin/sh\nexit 1\n" >.git/hooks/pre-commit.leakgate-chained &&
    stage_clean && test_allowed git commit -q -m x
'

# pre-push and commit-msg shims against the recording stub.
push_setup() {
    git init -q --bare "$1.git" && git init -q "$1" && cd "$1" &&
    git remote add origin "../$1.git" &&
    cp "$H/pre-push" .git/hooks/pre-push && chmod +x .git/hooks/pre-push
}
test_expect_success 'pre-push shim: leakgate pre-push REMOTE URL, git stdin passed unchanged' '
    push_setup p1 && stage_clean && git commit -q -m one &&
    with_stub git push -q origin main 2>err.txt; cat err.txt &&
    printf "pre-push\norigin\n../p1.git\n" >want.args && cmp want.args "$TRASH"/stub/log.args &&
    sha=$(git rev-parse HEAD) && z=0000000000000000000000000000000000000000 &&
    printf "refs/heads/main %s refs/heads/main %s\n" "$sha" "$z" >want.stdin &&
    cmp want.stdin "$TRASH"/stub/log.stdin &&
    STUB_RC=1 with_stub test_blocked git push origin main:other &&
    test_must_fail git rev-parse -q --verify refs/remotes/origin/other
'

test_expect_success 'pre-push shim: a chained pre-push hook gets the same stdin, its failure blocks' '
    push_setup p2 && stage_clean && git commit -q -m one &&
    printf "#!/bin/sh\ncat >chained.stdin\nexit \${CHAINED_RC:-0}\n" >.git/hooks/pre-push.leakgate-chained &&
    chmod 755 .git/hooks/pre-push.leakgate-chained &&
    with_stub git push -q origin main &&
    cmp chained.stdin "$TRASH"/stub/log.stdin && test -s chained.stdin &&
    git commit -q --allow-empty -m two &&
    CHAINED_RC=1 with_stub test_blocked git push origin main
'

test_expect_success 'pre-push shim: missing binary blocks the push' '
    push_setup p3 && stage_clean && git commit -q -m one &&
    test_exit 1 sealed git push -q origin main 2>err.txt; cat err.txt &&
    grep -q "push blocked" err.txt &&
    test_must_fail git --git-dir=../p3.git rev-parse -q --verify refs/heads/main
'

test_expect_success 'commit-msg shim: leakgate commit-msg FILE, status passed on' '
    new_repo m1 && cd m1 && cp "$H/commit-msg" .git/hooks/commit-msg &&
    stage_clean && with_stub git commit -q -m "hello" &&
    test "$(sed -n 1p "$TRASH"/stub/log.args)" = commit-msg &&
    test "$(sed -n 2p "$TRASH"/stub/log.args)" = .git/COMMIT_EDITMSG &&
    stage_clean 2 && STUB_RC=1 with_stub test_blocked git commit -m "hello again"
'

# Against the real binary, once it has the commands (issue 9).
test_expect_if 'leakgate pre-push --help' \
'pre-push blocks a key committed with --no-verify; a clean push passes' '
    push_setup e1 && install_hook . &&
    stage_clean && git commit -q -m one && test_allowed git push -q origin main &&
    stage_key && git commit -q --no-verify -m sneaky &&
    test_blocked git push origin main &&
    test "$(git --git-dir=../e1.git rev-parse main)" = "$(git rev-parse HEAD~1)" &&
    assert_no_secret out.txt
'

test_expect_if 'leakgate pre-push --help' \
'pre-push on a new branch scans only commits that are on no remote' '
    push_setup e2 &&
    echo "token = $(fake_key github)" >old.py && git add old.py &&
    git commit -q -m old-key && SKIP=leakgate git push -q origin main &&
    git checkout -q -b feature && stage_clean && git commit -q -m clean &&
    test_allowed git push -q origin feature &&
    git checkout -q -b feature2 && stage_key && git commit -q --no-verify -m key &&
    test_blocked git push origin feature2
'

test_expect_if 'leakgate commit-msg --help' \
'commit-msg blocks a key pasted into the message' '
    new_repo e3 && cd e3 && cp "$H/commit-msg" .git/hooks/commit-msg &&
    stage_clean && test_blocked git commit -m "deploy with $(fake_key github)" &&
    test_must_fail git rev-parse -q --verify HEAD &&
    test_allowed git commit -q -m "a plain message" &&
    assert_no_secret out.txt
'

test_done
