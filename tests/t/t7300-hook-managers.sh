#!/bin/sh
# The README's snippets for other hook managers, run for real: husky 9 and
# lefthook 2 (from npm, put in tests/tools by ./install.sh; skipped without
# them, never downloaded here) and a plain core.hooksPath directory
# committed to a team repository.
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
TOOLS=$LEAKGATE_ROOT/tests/tools/node_modules/.bin
# readme_block NAME: the README's fenced block that follows "<!-- NAME -->".
readme_block() {
    sed -n "/<!-- $1 -->/,/^\`\`\`\$/p" "$LEAKGATE_ROOT/README.md" | sed '1,2d;$d'
}

test_expect_success 'the README has the snippets these tests run' '
    for b in husky lefthook hookspath-commit hookspath-clone; do
        test -n "$(readme_block $b)" || { echo "no block $b"; return 1; }
    done
'

test_expect_if 'test -x "$TOOLS/husky" && command -v node' \
'husky: the README snippet blocks a staged key and passes a clean commit' '
    git init -q h && cd h && printf "{ \"private\": true }\n" >package.json &&
    "$TOOLS/husky" >husky.out 2>&1; cat husky.out &&
    test "$(git config core.hooksPath)" = .husky/_ &&
    eval "$(readme_block husky)" &&
    test -f .husky/pre-commit &&
    git add package.json .husky/pre-commit && test_allowed git commit -q -m setup &&
    stage_key && test_blocked git commit -m key && assert_no_secret out.txt &&
    git rm -q --cached app.py && rm app.py &&
    stage_clean && test_allowed git commit -q -m clean &&
    (PATH=/usr/bin:/bin && export PATH && ! command -v leakgate &&
     stage_clean 2 && test_blocked git commit -m no-binary)
'

test_expect_if 'test -x "$TOOLS/lefthook"' \
'lefthook: the README snippet blocks a staged key and passes a clean commit' '
    git init -q l && cd l &&
    readme_block lefthook >lefthook.yml && cat lefthook.yml &&
    PATH="$TOOLS:$PATH" && export PATH &&
    lefthook install >lh.out 2>&1; cat lh.out &&
    test -x .git/hooks/pre-commit &&
    git add lefthook.yml && test_allowed git commit -q -m setup &&
    stage_key && test_blocked git commit -m key && assert_no_secret out.txt &&
    git rm -q --cached app.py && rm app.py &&
    stage_clean && test_allowed git commit -q -m clean
'

test_expect_success 'a core.hooksPath directory committed to the team repository' '
    git init -q team && cd team &&
    LEAKGATE_SRC=$LEAKGATE_ROOT && export LEAKGATE_SRC &&
    eval "$(readme_block hookspath-commit)" &&
    test -x .githooks/pre-commit && git rev-parse -q --verify HEAD &&
    cd .. && git clone -q team clone && cd clone &&
    eval "$(readme_block hookspath-clone)" &&
    test "$(git config core.hooksPath)" = .githooks &&
    stage_key && test_blocked git commit -m key &&
    git rm -q --cached app.py && rm app.py &&
    stage_clean && test_allowed git commit -q -m clean &&
    stage_key k.py && SKIP=leakgate test_allowed git commit -q -m skipped &&
    grep -q "NOT scanned" out.txt
'

# push_remote: a bare remote "origin" for the repository in the current directory.
push_remote() { git init -q --bare ../remote.git && git remote add origin ../remote.git; }

test_expect_if 'test -x "$TOOLS/husky" && command -v node && leakgate pre-push --help' \
'husky: the README pre-push line blocks a key committed with --no-verify' '
    git init -q h && cd h && printf "{ \"private\": true }\n" >package.json &&
    "$TOOLS/husky" >/dev/null 2>&1 && eval "$(readme_block husky)" && push_remote &&
    git add package.json .husky && test_allowed git commit -q -m setup &&
    test_allowed git push -q origin main &&
    stage_key && git commit -q --no-verify -m sneaky &&
    test_blocked git push origin main && assert_no_secret out.txt &&
    test "$(git --git-dir=../remote.git rev-parse main)" = "$(git rev-parse HEAD~1)"
'

test_expect_if 'test -x "$TOOLS/lefthook" && leakgate pre-push --help' \
'lefthook: the README pre-push job blocks a key committed with --no-verify' '
    git init -q l && cd l && readme_block lefthook >lefthook.yml &&
    PATH="$TOOLS:$PATH" && export PATH && lefthook install >/dev/null 2>&1 &&
    test -x .git/hooks/pre-push && push_remote &&
    git add lefthook.yml && test_allowed git commit -q -m setup &&
    test_allowed git push -q origin main &&
    stage_key && git commit -q --no-verify -m sneaky &&
    test_blocked git push origin main && assert_no_secret out.txt &&
    test "$(git --git-dir=../remote.git rev-parse main)" = "$(git rev-parse HEAD~1)"
'

test_expect_if 'leakgate pre-push --help' \
'a committed core.hooksPath directory: pre-push blocks a key committed with --no-verify' '
    git init -q team && cd team && LEAKGATE_SRC=$LEAKGATE_ROOT &&
    eval "$(readme_block hookspath-commit)" && eval "$(readme_block hookspath-clone)" &&
    push_remote && test_allowed git push -q origin main &&
    stage_key && git commit -q --no-verify -m sneaky &&
    test_blocked git push origin main && assert_no_secret out.txt
'

test_done
