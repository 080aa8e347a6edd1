#!/bin/bash
# tests/bench/run.sh — `make bench`: leakgate's speed beside git's own staged diff.
#
# Builds (once, then reuses) its fixtures under $LEAKGATE_BENCH_DIR, outside the
# source tree, and prints one Markdown table. For every scenario, hyperfine
# measures in one invocation, in the fixture repository (so each command reads
# that repository's index):
#
#   git diff --cached -U0        (output to /dev/null: git producing the staged diff)
#   git diff --cached --quiet    (git only deciding whether anything is staged)
#   leakgate pre-commit
#
# and the table gives leakgate's median as a ratio to both (and its CPU time as
# a ratio to git's, which a busy machine disturbs less), the throughput in
# MB/s of staged content (the size of every staged blob that differs from
# HEAD), and leakgate's peak RSS from one run under /usr/bin/time -v.
#
# Scenarios (targets are ratios to `git diff --cached -U0`, issue 7):
#   small      10-file repository, 1 file / 30 lines staged          <= 3x
#   big-1      linux-source-6.1 repository (>= 80,000 files),
#              1 file / 30 lines staged                               <= 1.5x
#   big-300    same repository, 300 new files / ~5 MB staged          <= 0.5x
#   initial    fresh repository, the whole tree (>= 500 MB) staged,
#              nothing committed                                      <= 0.3x
#   peak RSS <= 100 MiB everywhere.
#
# Environment:
#   LEAKGATE_BENCH_DIR      work directory    (default /var/tmp/leakgate-bench)
#   LEAKGATE                the binary        (default ./leakgate at the top)
#   LEAKGATE_BENCH_CMD      command measured instead of "$LEAKGATE pre-commit"
#                           (e.g. "git status" to try the harness alone)
#   LEAKGATE_BENCH_INITIAL  0 skips the whole-tree initial commit (slowest)
#   LEAKGATE_BENCH_ONLY     space-separated scenario names to run (default all)
#   LEAKGATE_BENCH_RUNS     minimum hyperfine runs per round, fast scenarios (10)
#   LEAKGATE_BENCH_ROUNDS   rounds of the three commands, fast scenarios (3)
#   LEAKGATE_BENCH_STRICT   1: exit 1 when a target is missed
#
# Before measuring, it checks that the fast index reader lists the same staged
# changes as libgit2 on every fixture (build/tests/test-fastindex.t).
#
# It needs hyperfine, jq, GNU time and Debian's linux-source-6.1; when one is
# missing and we are root, it installs them with apt-get (the bench may install
# packages; the tests never do).

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${LEAKGATE_BENCH_DIR:-/var/tmp/leakgate-bench}
LEAKGATE=${LEAKGATE:-$ROOT/leakgate}
CMD=${LEAKGATE_BENCH_CMD:-"$LEAKGATE pre-commit"}
INITIAL=${LEAKGATE_BENCH_INITIAL:-1}
ONLY=${LEAKGATE_BENCH_ONLY:-small big-1 big-300 initial}
RUNS=${LEAKGATE_BENCH_RUNS:-10}
ROUNDS=${LEAKGATE_BENCH_ROUNDS:-3}
STRICT=${LEAKGATE_BENCH_STRICT:-0}
KSRC=/usr/src/linux-source-6.1.tar.xz
# Bump when the way a fixture is built changes, so old ones are rebuilt.
FIXTURE_VERSION=1

say() { printf '%s\n' "bench: $*" >&2; }
die() { printf '%s\n' "bench: error: $*" >&2; exit 2; }

need_tools() {
    local pkgs=""
    command -v hyperfine >/dev/null || pkgs="$pkgs hyperfine"
    command -v jq >/dev/null || pkgs="$pkgs jq"
    [ -x /usr/bin/time ] || pkgs="$pkgs time"
    [ -f "$KSRC" ] || pkgs="$pkgs linux-source-6.1"
    [ -z "$pkgs" ] && return 0
    [ "$(id -u)" = 0 ] || die "missing:$pkgs (apt-get install$pkgs)"
    say "installing$pkgs"
    apt-get update -qq >&2 && apt-get install -y -qq $pkgs >&2 ||
        die "cannot install$pkgs"
}

# Everything runs with a sealed git configuration, so the machine's own
# settings change neither the fixtures nor git's side of the comparison.
seal_env() {
    export HOME="$WORK/home"
    export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$WORK/cache"
    export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
    unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
          GIT_ALTERNATE_OBJECT_DIRECTORIES NO_COLOR 2>/dev/null || true
    export GIT_AUTHOR_NAME='Bench' GIT_AUTHOR_EMAIL='bench@example.com'
    export GIT_COMMITTER_NAME='Bench' GIT_COMMITTER_EMAIL='bench@example.com'
    export GIT_AUTHOR_DATE='1700000000 +0000' GIT_COMMITTER_DATE='1700000000 +0000'
    export LC_ALL=C TZ=UTC
    mkdir -p "$HOME" "$XDG_CACHE_HOME"
    if [ ! -f "$GIT_CONFIG_GLOBAL" ]; then
        git config --global user.name Bench
        git config --global user.email bench@example.com
        git config --global init.defaultBranch main
        git config --global gc.auto 0
        git config --global core.autocrlf false
    fi
}

stamp() { echo "$WORK/.ok-$1-v$FIXTURE_VERSION"; }

# The tree: linux-source-6.1 (78,579 files) plus a vendored copy of its
# Documentation/ under vendor/linux-docs/, which brings it past 80,000 files
# (87,448), like a monorepo that vendors a dependency.
fixture_tree() {
    [ -f "$(stamp tree)" ] && return 0
    say "unpacking $KSRC"
    rm -rf "$WORK/tree" "$WORK/tree.tmp"
    mkdir -p "$WORK/tree.tmp"
    tar -xJf "$KSRC" -C "$WORK/tree.tmp" --strip-components=1
    mkdir -p "$WORK/tree.tmp/vendor"
    cp -a "$WORK/tree.tmp/Documentation" "$WORK/tree.tmp/vendor/linux-docs"
    mv "$WORK/tree.tmp" "$WORK/tree"
    touch "$(stamp tree)"
}

# Thirty added lines of ordinary code, inserted in the middle of FILE.
add_30_lines() {
    local f=$1 n
    n=$(( $(wc -l <"$f") / 2 ))
    {
        head -n "$n" "$f"
        for i in $(seq 1 30); do
            printf 'static int bench_added_%02d(int x) { return x * %d + 1; }\n' "$i" "$i"
        done
        tail -n +"$((n + 1))" "$f"
    } >"$f.new"
    # A new file, not an in-place write: the working files may be hard links.
    mv "$f.new" "$f"
}

fixture_small() {
    local r="$WORK/small"
    [ -f "$(stamp small)" ] && return 0
    say "building small (10 files)"
    rm -rf "$r"; git init -q "$r"
    (
        cd "$r"
        mkdir -p src docs
        printf '# demo\n\nA small service.\n' >README.md
        printf 'node_modules/\n*.log\n' >.gitignore
        printf 'all:\n\tcc -o app src/*.c\n' >Makefile
        for i in 1 2 3 4 5; do
            for j in $(seq 1 60); do
                printf 'int f%d_%d(int x) { return x + %d; }\n' "$i" "$j" "$j"
            done >"src/mod$i.c"
        done
        printf 'Usage notes.\n' >docs/usage.md
        printf '[app]\nport = 8080\n' >app.ini
        git add -A && git commit -q -m 'ten files'
        [ "$(git ls-files | wc -l)" = 10 ] || die "small: not 10 files"
        add_30_lines src/mod3.c && git add src/mod3.c
    )
    touch "$(stamp small)"
}

# The committed big repository, packed as a real clone would be.
fixture_base() {
    local r="$WORK/big-base"
    [ -f "$(stamp base)" ] && return 0
    fixture_tree
    say "building big-base (commit + gc of the whole tree; a few minutes)"
    rm -rf "$r"; mkdir -p "$r"
    # Hard links: git only reads the working files, and later changes replace
    # a file instead of writing into it.
    cp -al "$WORK/tree/." "$r/"
    (
        cd "$r"
        git init -q .
        # -f: Debian's tarball carries a .gitignore that ignores "/*".
        git add -f -A && git commit -q -m 'linux-source-6.1 + vendored docs'
        [ "$(git ls-files | wc -l)" -ge 80000 ] || die "big-base: under 80,000 files"
        git gc -q
        git write-tree >/dev/null
    )
    touch "$(stamp base)"
}

# A copy of big-base sharing its files by hard links, with its own index.
clone_base() {
    local d=$1
    fixture_base
    rm -rf "$d"
    cp -al "$WORK/big-base" "$d"
    cp "$WORK/big-base/.git/index" "$d/.git/index.tmp"
    mv "$d/.git/index.tmp" "$d/.git/index"
}

fixture_big1() {
    local r="$WORK/big-1"
    [ -f "$(stamp big-1)" ] && return 0
    say "building big-1 (1 file / 30 lines staged)"
    clone_base "$r"
    (cd "$r" && add_30_lines kernel/fork.c && git add -f kernel/fork.c)
    touch "$(stamp big-1)"
}

# 300 new files of about 17 KB each, copied from real driver sources, each
# made unique by a first line so no blob already exists in HEAD.
fixture_big300() {
    local r="$WORK/big-300"
    [ -f "$(stamp big-300)" ] && return 0
    say "building big-300 (300 new files, ~5 MB staged)"
    clone_base "$r"
    (
        cd "$r"
        mkdir -p third_party/bench
        i=0
        git ls-files -z -- 'drivers/*.c' | xargs -0 stat -c '%s %n' |
            awk '$1 >= 16000 && $1 <= 19000 { print $2 }' | sort | head -n 300 |
        while read -r f; do
            i=$((i + 1))
            { printf '/* vendored copy %d of %s */\n' "$i" "$f"; cat "$f"; } \
                >"third_party/bench/$(printf 'f%03d' "$i")_$(basename "$f")"
        done
        git add -f third_party/bench
        [ "$(git diff --cached --name-only | wc -l)" = 300 ] || die "big-300: not 300 files"
    )
    touch "$(stamp big-300)"
}

fixture_initial() {
    local r="$WORK/initial"
    [ -f "$(stamp initial)" ] && return 0
    fixture_tree
    say "building initial (whole tree staged, nothing committed; a few minutes)"
    rm -rf "$r"; mkdir -p "$r"
    cp -al "$WORK/tree/." "$r/"
    (cd "$r" && git init -q . && git add -f -A)
    touch "$(stamp initial)"
}

# staged_stats DIR: "FILES BYTES" of the staged blobs that differ from HEAD.
staged_stats() {
    (
        cd "$1"
        git diff --cached --no-renames --raw --no-abbrev |
            awk '$5 != "D" { print $4 }' >"$WORK/.oids"
        files=$(wc -l <"$WORK/.oids")
        bytes=$(git cat-file --batch-check='%(objectsize)' <"$WORK/.oids" |
            awk '{ s += $1 } END { printf "%d", s }')
        echo "$files $bytes"
    )
}

# median NAME: the median, in seconds, of every run of the command named
# NAME over all rounds ($WORK/.round-*.json).
median() {
    jq -s --arg n "$1" '[.[].results[] | select(.command == $n) | .times[]] | sort |
        if length % 2 == 1 then .[length / 2 | floor]
        else (.[length / 2 - 1] + .[length / 2]) / 2 end' "$WORK"/.round-*.json
}

# cpu NAME: mean user + system time, in seconds, over all rounds.
cpu() {
    jq -s --arg n "$1" '[.[].results[] | select(.command == $n) | .user + .system] |
        add / length' "$WORK"/.round-*.json
}

RESULTS="$WORK/results.md"
FAILED=0
ERRORS=0
ROWS=""

# bench NAME DIR TARGET WARMUP RUNS ROUNDS
# Hyperfine runs one command's runs back to back; on a machine where other
# work comes and goes, ROUNDS interleaves the three commands so that each
# sees the same conditions, and the medians are taken over every run.
bench() {
    local name=$1 dir=$2 target=$3 warm=$4 runs=$5 rounds=$6
    local st files bytes mb tu tq tl r_u r_q mbs rss rc verdict cr k
    st=$(staged_stats "$dir"); files=${st% *}; bytes=${st#* }
    say "measuring $name: $files staged files, $bytes bytes, $rounds round(s)"
    rm -f "$WORK"/.round-*.json
    for k in $(seq 1 "$rounds"); do
        (
            cd "$dir"
            hyperfine -N -i --style basic --warmup "$warm" --min-runs "$runs" \
                --export-json "$WORK/.round-$k.json" \
                -n git-U0 'git diff --cached -U0' \
                -n git-quiet 'git diff --cached --quiet' \
                -n leakgate "$CMD" >&2
        )
    done
    # One more run for peak memory and the exit status (0 clean, 1 findings;
    # anything else is an error and fails the bench).
    set +e
    (cd "$dir" && /usr/bin/time -v -o "$WORK/.$name.time" $CMD >/dev/null 2>"$WORK/.$name.err")
    rc=$?
    set -e
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$WORK/.$name.time")
    tu=$(median git-U0); tq=$(median git-quiet); tl=$(median leakgate)
    # CPU time tells what the wall clock hides on a busy machine.
    cr=$(awk -v a="$(cpu leakgate)" -v b="$(cpu git-U0)" \
        'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    read -r r_u r_q mb mbs <<EOF
$(awk -v u="$tu" -v q="$tq" -v l="$tl" -v b="$bytes" 'BEGIN {
    printf "%.2f %.2f %.2f %.1f\n", l / u, l / q, b / 1e6, (b / 1e6) / l }')
EOF
    verdict=$(awk -v r="$r_u" -v t="$target" -v m="$rss" \
        'BEGIN { print (r <= t && m <= 100) ? "yes" : "no" }')
    if [ "$rc" -gt 1 ]; then
        verdict="ERROR (exit $rc)"; ERRORS=$((ERRORS + 1))
        sed 's/^/bench:   /' "$WORK/.$name.err" | tail -n 5 >&2
    elif [ "$verdict" = no ]; then
        FAILED=$((FAILED + 1))
    fi
    ROWS="$ROWS$(printf '| %s | %s / %s | %s | %s | %s | **%s×** (≤ %s×) | %s× | %s× | %s | %s (≤ 100) | %s | %s |' \
        "$name" "$files" "$(size "$bytes")" "$(ms "$tu")" "$(ms "$tq")" "$(ms "$tl")" "$r_u" "$target" \
        "$r_q" "$cr" "$mbs" "$rss" "$rc" "$verdict")
"
}

size() { awk -v b="$1" 'BEGIN { if (b < 1e6) printf "%.1f kB", b / 1e3; else printf "%.1f MB", b / 1e6 }'; }
ms() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }

wanted() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

main() {
    need_tools
    if [ -z "${LEAKGATE_BENCH_CMD:-}" ] && [ ! -x "$LEAKGATE" ]; then
        die "no binary at $LEAKGATE (run make, or set LEAKGATE_BENCH_CMD)"
    fi
    mkdir -p "$WORK"
    seal_env
    [ "$INITIAL" = 0 ] && ONLY=$(echo " $ONLY " | sed 's/ initial / /')

    # Build every fixture first, so the measurements run back to back.
    wanted small && fixture_small
    wanted big-1 && fixture_big1
    wanted big-300 && fixture_big300
    wanted initial && fixture_initial

    # The fast index reader must list exactly what libgit2 lists, on every
    # fixture (tests/unit/test-fastindex.c; make bench builds it).
    check=$ROOT/build/tests/test-fastindex.t
    if [ -z "${LEAKGATE_BENCH_CMD:-}" ] && [ -x "$check" ]; then
        dirs=""
        for s in $ONLY; do dirs="$dirs $WORK/$s"; done
        say "checking fastindex against libgit2 on:$dirs"
        "$check" $dirs | sed 's/^/bench:   /' >&2 || die "fastindex and libgit2 disagree"
    fi

    wanted small && bench small "$WORK/small" 3 3 "$RUNS" "$ROUNDS"
    wanted big-1 && bench big-1 "$WORK/big-1" 1.5 3 "$RUNS" "$ROUNDS"
    wanted big-300 && bench big-300 "$WORK/big-300" 0.5 2 "$RUNS" "$ROUNDS"
    wanted initial && bench initial "$WORK/initial" 0.3 1 3 1

    {
        echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(git --version);"
        echo "measured command: \`$CMD\`$( [ -z "${LEAKGATE_BENCH_CMD:-}" ] &&
            printf ' (%s)' "$("$LEAKGATE" --version 2>/dev/null | head -n 1)")."
        echo
        echo '| scenario | staged files / size | git diff --cached -U0 | git diff --cached --quiet | leakgate | ratio to -U0 (target) | ratio to --quiet | CPU ratio to -U0 | MB/s | peak RSS MiB | exit | target met |'
        echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
        printf '%s' "$ROWS"
        echo
        echo "Times are medians over every hyperfine run ($ROUNDS interleaved rounds of at least $RUNS runs;"
        echo "the initial commit: 1 round of 3); CPU ratio is leakgate's mean user+system time over git's."
        echo "Load average when done: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates wall times)."
    } >"$RESULTS"
    cat "$RESULTS"
    say "table saved in $RESULTS"
    [ "$ERRORS" -eq 0 ] || exit 1
    [ "$STRICT" = 1 ] && [ "$FAILED" -gt 0 ] && exit 1
    exit 0
}

main "$@"
