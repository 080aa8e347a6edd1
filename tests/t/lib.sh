# tests/t/lib.sh — shared helpers for leakgate's end-to-end tests.
#
# Modelled on git's t/test-lib.sh, but small. A test script does:
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'a staged key blocks the commit' '
#       new_repo r && cd r &&
#       echo "k = $(fake_key openai-proj)" >app.py && git add app.py &&
#       test_blocked git commit -m add
#   '
#   test_done
#
# and prints TAP for prove. Every test body runs in a subshell with
# `set -e` off (chain commands with &&, as git's tests do), in its own
# fresh directory $TEST_DIR. HOME, git's
# system/global config and XDG directories are sealed off inside $TRASH, so
# the machine's own git config never leaks in. Secrets are generated at run
# time from pieces (fake_key) so this file never contains one; each generated
# secret is recorded so assert_no_secret can check that leakgate never
# prints one in full.

set -u
LEAKGATE_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LEAKGATE=${LEAKGATE:-$LEAKGATE_ROOT/leakgate}
export LEAKGATE LEAKGATE_ROOT

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/leakgate-t.XXXXXX")
trap 'chmod -R u+rwx "$TRASH" 2>/dev/null; rm -rf "$TRASH"' EXIT
export HOME="$TRASH/home"
mkdir -p "$HOME" "$TRASH/bin"
export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
      GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CEILING_DIRECTORIES GIT_NAMESPACE \
      GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT NO_COLOR SKIP \
      LEAKGATE_ALLOW_MISSING 2>/dev/null || true
export GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL='author@example.com'
export GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL='committer@example.com'
export GIT_AUTHOR_DATE='1700000000 +0000' GIT_COMMITTER_DATE='1700000000 +0000'
export LC_ALL=C TZ=UTC
# The hook finds the binary on PATH first.
ln -s "$LEAKGATE" "$TRASH/bin/leakgate"
export PATH="$TRASH/bin:$PATH"
git config --global user.name 'A U Thor'
git config --global user.email author@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global core.autocrlf false
SECRETS="$TRASH/secrets"
: >"$SECRETS"

test_count=0
test_failed=0

# test_expect_success DESC BODY: run BODY (a string) in a subshell, in a
# fresh directory $TEST_DIR of its own under $TRASH.
test_expect_success() {
    test_count=$((test_count + 1))
    TEST_DIR="$TRASH/t$test_count"
    mkdir -p "$TEST_DIR"
    (cd "$TEST_DIR" && eval "$2") >"$TRASH/.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "ok $test_count - $1"
    else
        test_failed=$((test_failed + 1))
        echo "not ok $test_count - $1"
        sed 's/^/#   /' "$TRASH/.out" | tail -n 40
    fi
}

test_done() {
    echo "1..$test_count"
    [ $test_failed -eq 0 ]
    exit $?
}

# Exit-status helpers. Each treats a death by signal (status > 128) as a
# failure, never as "blocked", and shows the status when it is wrong.
test_exit() {   # test_exit WANT CMD...
    want=$1; shift
    "$@"
    got=$?
    if [ $got -gt 128 ]; then echo "died by signal: $got: $*" >&2; return 1; fi
    if [ $got -ne "$want" ]; then echo "exit $got, want $want: $*" >&2; return 1; fi
    return 0
}
test_must_fail() {  # any failure but a crash
    "$@"
    got=$?
    if [ $got -gt 128 ]; then echo "died by signal: $got: $*" >&2; return 1; fi
    if [ $got -eq 0 ]; then echo "succeeded, should fail: $*" >&2; return 1; fi
    return 0
}
# test_blocked / test_allowed: a `git commit` (or leakgate) run whose stderr
# and stdout go to ./out.txt (and the console for the TAP log).
test_blocked() { "$@" >out.txt 2>&1; got=$?; cat out.txt
    if [ $got -gt 128 ]; then echo "died by signal: $got" >&2; return 1; fi
    [ $got -ne 0 ] || { echo "not blocked: $*" >&2; return 1; }
    # A hook that crashed makes git fail too: look for a signal in the text.
    ! grep -qiE 'segmentation fault|core dumped|aborted|terminated by signal' out.txt
}
test_allowed() { "$@" >out.txt 2>&1; got=$?; cat out.txt
    [ $got -eq 0 ] || { echo "blocked (exit $got): $*" >&2; return 1; }
}

# new_repo DIR: a fresh repository with leakgate as its pre-commit hook.
new_repo() {
    git init -q "$1" &&
    install_hook "$1"
}
install_hook() {
    hookdir=$(git -C "$1" rev-parse --git-path hooks) &&
    case "$hookdir" in /*) ;; *) hookdir="$1/$hookdir" ;; esac &&
    mkdir -p "$hookdir" &&
    if [ -f "$LEAKGATE_ROOT/hooks/pre-commit" ]; then
        cp "$LEAKGATE_ROOT/hooks/pre-commit" "$hookdir/pre-commit"
    else
        printf '#!/bin/sh\nexec leakgate pre-commit "$@"\n' >"$hookdir/pre-commit"
    fi &&
    chmod +x "$hookdir/pre-commit"
}

# rand_str N [CHARS]: N random characters from CHARS (default [A-Za-z0-9]).
rand_str() {
    LC_ALL=C tr -dc "${2:-A-Za-z0-9}" </dev/urandom | head -c "$1"
}

# crc32_base62 STR: the CRC32 of STR in 6 base62 digits, the checksum that
# ends GitHub and npm tokens (gzip's trailer carries the CRC32 of its input).
crc32_base62() {
    c=$(printf '%s' "$1" | gzip -c | tail -c 8 | od -An -tu4 -N4 | tr -d ' ')
    d=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz
    out=
    for _ in 1 2 3 4 5 6; do
        i=$((c % 62)); c=$((c / 62))
        out="$(printf '%s' "$d" | cut -c$((i + 1)))$out"
    done
    printf '%s' "$out"
}

# fake_key KIND: a fresh, random, well-formed test secret; recorded in
# $SECRETS. The literal prefixes are split so this file holds no secret.
fake_key() {
    case "$1" in
    openai-legacy) k="s""k-$(rand_str 20)T3Blb""kFJ$(rand_str 20)" ;;
    openai-proj) k="s""k-proj-$(rand_str 74 'A-Za-z0-9_')T3Blb""kFJ$(rand_str 74 'A-Za-z0-9_')" ;;
    anthropic) k="s""k-ant-api03-$(rand_str 93 'A-Za-z0-9_')A""A" ;;
    aws-id) k="AK""IA$(rand_str 16 'A-Z2-7')" ;;
    github) b=$(rand_str 30); k="gh""p_$b$(crc32_base62 "$b")" ;;
    generic) k="$(rand_str 32)" ;;
    *) echo "fake_key: unknown kind $1" >&2; return 1 ;;
    esac
    echo "$k" >>"$SECRETS"
    printf '%s' "$k"
}

# private_key_block: a PEM-looking private key block (random body).
private_key_block() {
    b=$(rand_str 64 'A-Za-z0-9+/')
    printf -- '-----BEGIN RSA PRIV''ATE KEY-----\n'
    printf 'MIIEow%s\n' "$(rand_str 58 'A-Za-z0-9+/')"
    printf '%s\n' "$b" "$(rand_str 64 'A-Za-z0-9+/')"
    printf -- '-----END RSA PRIV''ATE KEY-----\n'
    echo "$b" >>"$SECRETS"
}

# assert_no_secret FILE...: none of the secrets generated so far appears in
# full in any of the files.
assert_no_secret() {
    for f in "$@"; do
        while IFS= read -r s; do
            [ -n "$s" ] || continue
            if grep -qF -- "$s" "$f"; then
                echo "full secret printed in $f" >&2
                return 1
            fi
        done <"$SECRETS"
    done
    return 0
}
