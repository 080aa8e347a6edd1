#!/bin/sh
# .pre-commit-hooks.yaml with Debian's pre-commit, offline: the hook
# repository is a local path, PRE_COMMIT_HOME is inside $TRASH. Both entries
# (leakgate-system: the binary on PATH; leakgate: builds on first use) block
# a staged key, pass a clean commit, and with --all-files scan every tracked
# file. Needs `leakgate scan --no-ignore -- FILE...` (issue 9): skipped until it exists.
. "$(dirname "$0")/lib.sh"

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

export PRE_COMMIT_HOME="$TRASH/pre-commit-home" PRE_COMMIT_COLOR=never
HAVE='command -v pre-commit && echo x >scan-probe.txt && leakgate scan --no-ignore -- scan-probe.txt'

# The hook repository: what a user's pre-commit clones. Small (no sources)
# unless $1 = full: then every file of this checkout, to build from.
hook_repo() {
    mkdir "$1" &&
    if [ "${2-}" = full ]; then
        (cd "$LEAKGATE_ROOT" && git ls-files -z --cached --others --exclude-standard |
            tar --null -T - --ignore-failed-read -cf -) | tar -xf - -C "$1"
    else
        cp -R "$LEAKGATE_ROOT/.pre-commit-hooks.yaml" "$LEAKGATE_ROOT/hooks" "$1/"
    fi &&
    (cd "$1" && git init -q && git add -A && git commit -q --no-verify -m hooks)
}
# use_hooks HOOKREPO ID: a fresh repository in ./u using hook ID from HOOKREPO.
use_hooks() {
    git init -q u && cd u &&
    printf "repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: %s\n" \
        "$TEST_DIR/$1" "$(git -C "$TEST_DIR/$1" rev-parse HEAD)" "$2" >.pre-commit-config.yaml &&
    git add .pre-commit-config.yaml && git commit -q -m config &&
    pre-commit install >/dev/null
}

test_expect_if 'command -v pre-commit' \
'.pre-commit-hooks.yaml is valid for pre-commit' '
    hook_repo hr0 && pre-commit validate-manifest hr0/.pre-commit-hooks.yaml
'

test_expect_if "$HAVE" \
'leakgate-system: a staged key is blocked, a clean commit passes' '
    hook_repo hr1 && use_hooks hr1 leakgate-system &&
    stage_key && test_blocked git commit -m key && grep -q "leakgate" out.txt &&
    grep -q Failed out.txt && assert_no_secret out.txt &&
    git rm -q --cached app.py && rm app.py &&
    stage_clean && test_allowed git commit -m clean && grep -q Passed out.txt
'

test_expect_if "$HAVE" \
'leakgate-system: pre-commit run --all-files scans every tracked file' '
    hook_repo hr2 && use_hooks hr2 leakgate-system &&
    stage_clean 1 "with space.py" && stage_clean 2 -dash.py && mkdir -p d/e &&
    stage_clean 3 d/e/deep.py && git commit -q -m clean &&
    test_allowed pre-commit run --all-files &&
    echo "x = 1" >old.py && echo "token = $(fake_key github)" >>old.py && git add old.py &&
    git commit -q --no-verify -m sneaky &&
    test_blocked pre-commit run --all-files && grep -q old.py out.txt &&
    assert_no_secret out.txt &&
    mkdir rec && printf "#!/bin/sh\nprintf \"%%s\\\\n\" \"\$@\" >>%s/args\nexec %s \"\$@\"\n" \
        "$TEST_DIR/u/rec" "$LEAKGATE" >rec/leakgate && chmod +x rec/leakgate &&
    PATH="$TEST_DIR/u/rec:$PATH" pre-commit run --all-files >/dev/null 2>&1;
    cat rec/args &&
    for f in .pre-commit-config.yaml "with space.py" -dash.py d/e/deep.py old.py; do
        grep -qxF -e "$f" -e "./$f" rec/args || { echo "not scanned: $f"; return 1; }
    done
'

test_expect_if "$HAVE" \
'leakgate-system: --all-files scans a tracked file that .gitignore matches' '
    hook_repo hr6 && use_hooks hr6 leakgate-system &&
    echo "*.log" >.gitignore && git add .gitignore && git commit -q -m ignore &&
    test_allowed pre-commit run --all-files &&
    echo "token = $(fake_key github)" >debug.log && git add -f debug.log &&
    git commit -q --no-verify -m forced &&
    test_blocked pre-commit run --all-files && grep -q debug.log out.txt &&
    assert_no_secret out.txt
'

test_expect_if "$HAVE" \
'SKIP=leakgate-system skips the framework hook, visibly' '
    hook_repo hr3 && use_hooks hr3 leakgate-system &&
    stage_key && SKIP=leakgate-system test_allowed git commit -m skipped &&
    grep -q Skipped out.txt
'

test_expect_if "$HAVE" \
'leakgate (script entry) uses the leakgate on PATH: blocks a key, passes clean' '
    hook_repo hr4 && use_hooks hr4 leakgate &&
    stage_key && test_blocked git commit -m key && grep -q Failed out.txt &&
    git rm -q --cached app.py && rm app.py &&
    stage_clean && test_allowed git commit -m clean &&
    ! grep -q building out.txt &&
    SKIP=leakgate test_allowed git commit --allow-empty -m skip && grep -q Skipped out.txt
'

test_expect_if "$HAVE && test -f \"\$LEAKGATE_ROOT/Makefile\" && PATH=/usr/bin:/bin && ! command -v leakgate" \
'leakgate (script entry) without leakgate on PATH builds it once, then blocks and passes' '
    hook_repo hr5 full && use_hooks hr5 leakgate &&
    PATH=/usr/bin:/bin && export PATH &&
    stage_key && test_blocked git commit -m key && grep -q "building it once" out.txt &&
    built=$(ls "$PRE_COMMIT_HOME"/*/leakgate) && test -x "$built" &&
    git rm -q --cached app.py && rm app.py &&
    stage_clean && test_allowed git commit -m clean && ! grep -q building out.txt &&
    stage_key k.py && test_blocked git commit -m key2 && ! grep -q building out.txt
'

test_expect_if 'command -v pre-commit' \
'install.sh chains a hook installed by pre-commit install: both run' '
    git init -q chained && cd chained &&
    printf "repos:\n- repo: local\n  hooks:\n  - id: marker\n    name: framework-marker\n    entry: sh -c \"echo ran >>\$PWD/marker.log\"\n    language: system\n    pass_filenames: false\n    always_run: true\n" >.pre-commit-config.yaml &&
    git add .pre-commit-config.yaml && git commit -q --no-verify -m config &&
    pre-commit install >/dev/null && cp .git/hooks/pre-commit ../framework-hook &&
    "$LEAKGATE_ROOT/install.sh" --no-deps --no-build --prefix "$TRASH/prefix" --hooks pre-commit >../inst.txt 2>&1 &&
    cmp ../framework-hook .git/hooks/pre-commit.leakgate-chained &&
    stage_clean && test_allowed git commit -q -m clean && grep -q framework-marker out.txt &&
    test "$(wc -l <marker.log)" -eq 1 &&
    stage_key && test_blocked git commit -m key && test "$(wc -l <marker.log)" -eq 2 &&
    "$LEAKGATE_ROOT/install.sh" --uninstall --no-deps >/dev/null 2>&1 &&
    cmp ../framework-hook .git/hooks/pre-commit
'

test_done
