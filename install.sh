#!/bin/sh
# install.sh — install leakgate: build dependencies, the binary, and the git
# hooks, for one repository, every repository under a directory, or every
# future clone. Idempotent: a second run changes nothing and says so.
# POSIX sh; run `./install.sh --help`.
set -u

usage() {
    cat <<'EOF'
usage: ./install.sh [options]

Installs the build dependencies (apt-get on Debian/Ubuntu; elsewhere prints
the packages to install and stops), builds leakgate, installs the binary
under PREFIX/bin, then installs the git hooks into the repository the command
is run from. Running it again changes nothing.

Where the hooks go (default: the repository containing the current directory):
  --repo DIR        the repository at DIR (may be given more than once)
  --all DIR         every repository found under DIR
  --global          every future `git init`/`git clone` (init.templateDir);
                    with --all, existing repositories too
  --no-hook         install the binary only
  --hooks LIST      comma-separated hooks to install (pre-commit, pre-push,
                    commit-msg); default: pre-commit, plus pre-push and
                    commit-msg when the installed leakgate supports them

What else:
  --prefix DIR      install the binary to DIR/bin (default /usr/local as
                    root, else ~/.local)
  --uninstall       remove the hooks installed into the chosen repositories
                    (or template, with --global) and restore the hooks they
                    replaced, byte for byte
  --purge           with --uninstall, also remove PREFIX/bin/leakgate
  --no-deps         do not check or install dependencies
  --no-test-deps    install build dependencies only, not what `make test`
                    needs (pre-commit, prove, jq, husky, lefthook
                    and the SARIF Multitool)
  --no-build        do not run make; install the already built ./leakgate
  --dry-run         print what would be done, change nothing
  -h, --help        this text

An existing hook is never overwritten: it is renamed HOOK.leakgate-chained,
run first by leakgate's hook (its failure blocks), and put back by
--uninstall. If core.hooksPath is set, the hooks go there when it is a
directory outside the repository; a directory inside it (committed, or
managed by husky or lefthook) is left alone, with the reason and what to do.
EOF
}

me=install.sh
say() { printf '%s: %s\n' "$me" "$*"; }
warn() { printf '%s: warning: %s\n' "$me" "$*" >&2; }
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }

src=$(cd "$(dirname "$0")" && pwd) || die "cannot find the source directory"

prefix='' repos='' all_dirs='' global=0 uninstall=0 purge=0 deps=1 test_deps=1
build=1 dry=0 hook=1 hooks=''
nl='
'
while [ $# -gt 0 ]; do
    case $1 in
    -h|--help) usage; exit 0 ;;
    --prefix|--repo|--all|--hooks)
        [ $# -ge 2 ] || die "$1 needs a value"
        case $1 in
        --prefix) prefix=$2 ;;
        --repo) repos="$repos$2$nl" ;;
        --all) all_dirs="$all_dirs$2$nl" ;;
        --hooks) hooks=$2 ;;
        esac
        shift ;;
    --prefix=*) prefix=${1#*=} ;;
    --repo=*) repos="$repos${1#*=}$nl" ;;
    --all=*) all_dirs="$all_dirs${1#*=}$nl" ;;
    --hooks=*) hooks=${1#*=} ;;
    --global) global=1 ;;
    --uninstall) uninstall=1 ;;
    --purge) purge=1 ;;
    --no-deps) deps=0 ;;
    --no-test-deps) test_deps=0 ;;
    --no-build) build=0 ;;
    --no-hook) hook=0 ;;
    --dry-run|-n) dry=1 ;;
    *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
[ $purge = 0 ] || [ $uninstall = 1 ] || die "--purge goes with --uninstall"

for h in $(printf '%s' "$hooks" | tr ',' ' '); do
    case $h in
    pre-commit|pre-push|commit-msg) ;;
    *) die "--hooks: unknown hook '$h' (pre-commit, pre-push, commit-msg)" ;;
    esac
done

uid=$(id -u)
if [ -z "$prefix" ]; then
    if [ "$uid" = 0 ]; then prefix=/usr/local; else prefix=$HOME/.local; fi
fi
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
# The prefix is written into the installed hooks inside single quotes.
case $prefix in *[\'\\\|\&]*|*"$nl"*) die "--prefix: unsupported character in '$prefix'" ;; esac

# run CMD...: run a command, or only show it with --dry-run.
run() {
    if [ $dry = 1 ]; then say "would run: $*"; return 0; fi
    say "running: $*"
    "$@"
}

# ---------------------------------------------------------------------------
# Dependencies

deb_build="build-essential pkg-config libgit2-dev libhyperscan-dev libinih-dev libpcre2-dev git"
# Hyperscan is x86-only; elsewhere its fork vectorscan provides the same libhs.
case $(dpkg --print-architecture 2>/dev/null || echo amd64) in
amd64|i386) ;;
*) deb_build=$(echo "$deb_build" | sed 's/libhyperscan-dev/libvectorscan-dev/') ;;
esac
# perl has prove; jq reads the JSON report in tests; pre-commit is the
# framework the tests drive; npm fetches husky and lefthook for their tests
# (tests skip when those are missing).
deb_test="perl jq pre-commit"
# Debian's npm only where there is no npm at all (Node.js may come from elsewhere).
command -v npm >/dev/null 2>&1 || deb_test="$deb_test npm"
if grep -q cmocka "$src/Makefile" 2>/dev/null; then deb_test="$deb_test libcmocka-dev"; fi

deb_installed() {
    case $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) in
    *" ok installed") return 0 ;;
    *) return 1 ;;
    esac
}

other_systems() {
    cat >&2 <<'EOF'
Install these with your system's package manager, then run ./install.sh --no-deps:
  Fedora/RHEL:  sudo dnf install gcc make pkgconf-pkg-config git libgit2-devel hyperscan-devel inih-devel pcre2-devel
  Arch:         sudo pacman -S --needed base-devel pkgconf git libgit2 hyperscan libinih pcre2
  Alpine:       sudo apk add build-base pkgconf git libgit2-dev hyperscan-dev inih-dev pcre2-dev
  macOS:        brew install pkg-config libgit2 vectorscan inih pcre2   (vectorscan provides libhs)
  tests also need: prove (perl), jq, pre-commit
EOF
}

install_deps() {
    if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        want=$deb_build
        [ $test_deps = 0 ] || want="$want $deb_test"
        missing=
        for p in $want; do deb_installed "$p" || missing="$missing $p"; done
        missing=${missing# }
        if [ -z "$missing" ]; then
            say "dependencies: all installed, nothing to do ($want)"
            return 0
        fi
        say "dependencies: missing: $missing"
        sudo=
        if [ "$uid" != 0 ]; then
            if command -v sudo >/dev/null 2>&1; then sudo=sudo
            else die "not root and no sudo: as root, run: apt-get install $missing"
            fi
        fi
        run $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
            die "apt-get update failed"
        # shellcheck disable=SC2086
        run $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends $missing </dev/null ||
            die "apt-get install failed: $missing"
        return 0
    fi
    # Not Debian: check what the build needs, print the packages if missing.
    absent=
    for t in cc make git pkg-config; do
        command -v $t >/dev/null 2>&1 || absent="$absent $t"
    done
    if command -v pkg-config >/dev/null 2>&1; then
        for m in libgit2 libhs inih libpcre2-8; do
            pkg-config --exists $m || absent="$absent $m"
        done
    fi
    if [ -n "$absent" ]; then
        printf '%s: error: not a Debian/Ubuntu system and missing:%s\n' "$me" "$absent" >&2
        other_systems
        exit 1
    fi
    say "dependencies: found (cc make git pkg-config libgit2 libhs inih libpcre2-8)"
}

# Test tools from npm, kept in tests/tools (ignored by git): husky and
# lefthook for the tests of the README's snippets, and Microsoft's SARIF
# Multitool, which validates the SARIF output. Best effort: their tests skip
# without them, saying so.
tools=$src/tests/tools
npm_tools="husky@9 lefthook@2 @microsoft/sarif-multitool-linux@5.7.0"
install_test_tools() {
    if [ -x "$tools/node_modules/.bin/husky" ] && [ -x "$tools/node_modules/.bin/lefthook" ] &&
       [ -f "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
        say "test tools: husky, lefthook and the SARIF Multitool already in tests/tools, nothing to do"
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        warn "npm not found: the husky, lefthook and SARIF validation tests will be skipped"
        return 0
    fi
    if [ $dry = 1 ]; then say "would run: npm install $npm_tools into $tools"; return 0; fi
    mkdir -p "$tools" || { warn "cannot create $tools: the tests that need npm tools will be skipped"; return 0; }
    printf '*\n' >"$tools/.gitignore"   # nothing in tests/tools is committed
    [ -f "$tools/package.json" ] || printf '{ "private": true }\n' >"$tools/package.json"
    say "running: npm install --ignore-scripts --prefix $tools $npm_tools"
    # --ignore-scripts: lefthook's postinstall would run `lefthook install`
    # in the repository install.sh is run from and add hooks there. (The
    # Multitool's binary then lacks its executable bit; its test sets it.)
    # shellcheck disable=SC2086
    (cd "$tools" && INIT_CWD=$tools npm install --ignore-scripts --prefix "$tools" \
        --no-audit --no-fund --loglevel=error --fetch-timeout=60000 --fetch-retries=1 \
        $npm_tools </dev/null >&2) ||
        warn "npm install failed: the husky, lefthook and SARIF validation tests will be skipped"
}

# ---------------------------------------------------------------------------
# Binary

bin=$prefix/bin/leakgate

install_binary() {
    if [ $build = 1 ]; then
        jobs=$(nproc 2>/dev/null || echo 2)
        run make -C "$src" -j"$jobs" || die "build failed (missing dependencies? run ./install.sh without --no-deps)"
        if [ $dry = 0 ] && cmp -s "$src/leakgate" "$bin"; then
            say "binary: $bin is up to date"
        else
            run make -C "$src" install PREFIX="$prefix" || die "make install PREFIX=$prefix failed"
        fi
    elif [ -x "$src/leakgate" ]; then
        if cmp -s "$src/leakgate" "$bin"; then
            say "binary: $bin is up to date"
        elif [ $dry = 1 ]; then
            say "would install $src/leakgate as $bin"
        else
            mkdir -p "$prefix/bin" && cp "$src/leakgate" "$bin.tmp$$" &&
            chmod 755 "$bin.tmp$$" && mv -f "$bin.tmp$$" "$bin" ||
                { rm -f "$bin.tmp$$"; die "cannot install $bin"; }
            say "binary: installed $bin"
        fi
    elif [ -x "$bin" ]; then
        say "binary: --no-build and no ./leakgate: keeping $bin"
    else
        die "--no-build: no built ./leakgate in $src and none in $prefix/bin"
    fi
    case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) warn "$prefix/bin is not on PATH: the hooks find leakgate there anyway; add it to use leakgate by hand" ;;
    esac
}

# ---------------------------------------------------------------------------
# Hooks

marker='^# leakgate-hook: '
failed=0

is_ours() { [ -f "$1" ] && grep -q "$marker" "$1" 2>/dev/null; }

# shim HOOK: the hook as installed, with the prefix recorded, on stdout.
shim() {
    sed "s|^prefix=''|prefix='$prefix'|" "$src/hooks/$1"
}

# put_hook DIR HOOK: install one hook into the hooks directory DIR.
put_hook() {
    t=$1/$2 c=$1/$2.leakgate-chained
    [ -f "$src/hooks/$2" ] || die "missing $src/hooks/$2"
    if [ -e "$t" ] || [ -h "$t" ]; then
        if is_ours "$t"; then
            if shim "$2" | cmp -s - "$t" && [ -x "$t" ]; then
                say "$2: already installed in $1"
                return 0
            fi
            action=updated
        elif [ -e "$c" ] || [ -h "$c" ]; then
            warn "$2: $t is not leakgate's and $c already exists: not touching either; move one away and run again"
            failed=$((failed + 1))
            return 1
        else
            if [ $dry = 1 ]; then say "would keep the existing $t as $c (run first)"
            else mv "$t" "$c" || { failed=$((failed + 1)); return 1; }
                say "$2: kept the existing hook as $c; it runs first and its failure blocks"
            fi
            action=installed
        fi
    else
        action=installed
    fi
    if [ $dry = 1 ]; then say "would write $t"; return 0; fi
    mkdir -p "$1" && shim "$2" >"$t.tmp$$" && chmod 755 "$t.tmp$$" && mv -f "$t.tmp$$" "$t" ||
        { rm -f "$t.tmp$$"; warn "$2: cannot write $t"; failed=$((failed + 1)); return 1; }
    say "$2: $action $t"
}

# drop_hook DIR HOOK: remove leakgate's hook from DIR, restore the one it kept.
drop_hook() {
    t=$1/$2 c=$1/$2.leakgate-chained
    if is_ours "$t"; then
        if [ $dry = 1 ]; then say "would remove $t"
        else rm -f "$t" && say "$2: removed $t"
        fi
    elif [ -e "$t" ] || [ -h "$t" ]; then
        say "$2: $t is not leakgate's: left alone"
        return 0
    fi
    if [ -e "$c" ] || [ -h "$c" ]; then
        if [ $dry = 1 ]; then say "would restore $c as $t"
        else mv "$c" "$t" && say "$2: restored the previous hook $t"
        fi
    fi
}

# hook_list: the hooks to install (or, for --uninstall, all of leakgate's).
hook_list() {
    if [ $uninstall = 1 ]; then echo pre-commit pre-push commit-msg; return; fi
    if [ -n "$hooks" ]; then printf '%s' "$hooks" | tr ',' ' '; return; fi
    lg=$bin
    [ -x "$lg" ] || lg=$src/leakgate
    l=pre-commit
    for h in pre-push commit-msg; do
        if [ -x "$lg" ] && "$lg" $h --help >/dev/null 2>&1 </dev/null; then
            l="$l $h"
        else
            say "$h: not installed: this leakgate has no '$h' command yet (--hooks $h to force)" >&2
        fi
    done
    echo "$l"
}

# do_dir DIR: install (or uninstall) every hook of the list into DIR.
do_dir() {
    for h in $hook_names; do
        if [ $uninstall = 1 ]; then drop_hook "$1" "$h"; else put_hook "$1" "$h"; fi
    done
}

# hooks_dir_of REPO: print the directory git runs REPO's hooks from, or
# explain why leakgate will not install there and return 1.
hooks_dir_of() {
    if ! git -C "$1" rev-parse --git-dir >/dev/null 2>&1; then
        warn "$1: not a git repository"
        return 1
    fi
    if [ "$(git -C "$1" rev-parse --is-bare-repository)" = true ]; then
        warn "$1: bare repository (nothing is committed there): skipped"
        return 1
    fi
    d=$(git -C "$1" rev-parse --path-format=absolute --git-path hooks) || return 1
    hp=$(git -C "$1" config --get core.hooksPath) || hp=
    [ -n "$hp" ] || { echo "$d"; return 0; }
    top=$(git -C "$1" rev-parse --show-toplevel)
    gd=$(git -C "$1" rev-parse --path-format=absolute --git-common-dir)
    case $d/ in
    "$gd"/*) ;;   # e.g. core.hooksPath = .git/hooks: private to this clone
    "$top"/*)
        warn "$1: core.hooksPath is '$hp', a directory inside the repository"
        warn "  (committed for the whole team, or managed by husky or lefthook): a hook written"
        warn "  there would be committed or overwritten, so none was. Call leakgate from that"
        warn "  directory's pre-commit instead: see README.md, \"Other hook managers\""
        return 1 ;;
    esac
    say "$1: core.hooksPath is '$hp' (shared by every repository that uses it): installing there" >&2
    echo "$d"
}

do_repo() {
    if d=$(hooks_dir_of "$1"); then do_dir "$d"; else failed=$((failed + 1)); fi
}

do_all() {
    [ -d "$1" ] || { warn "--all: $1 is not a directory"; failed=$((failed + 1)); return; }
    n=0
    # A .git directory is a repository, a .git file a linked worktree or a
    # submodule (those share or have their own hooks directory: both fine).
    tmp=$(mktemp) || die "mktemp failed"
    find "$1" -name .git -prune -print >"$tmp" 2>/dev/null
    while IFS= read -r g; do
        n=$((n + 1))
        do_repo "${g%/.git}" </dev/null
    done <"$tmp"
    rm -f "$tmp"
    say "--all $1: $n repositories"
}

# The template directory install.sh sets when the user has none: ours alone,
# so --uninstall --global can tell it set init.templateDir and unset it.
our_template=${XDG_CONFIG_HOME:-$HOME/.config}/leakgate/git-template

do_global() {
    hp=$(git config --global --type=path --get core.hooksPath) || hp=
    if [ -n "$hp" ]; then
        case $hp in
        /*)
            say "global core.hooksPath is '$hp': git runs hooks from there for every repository"
            say "  and ignores templates, so the hooks go there (core.hooksPath is left as it is)"
            do_dir "$hp" ;;
        *)
            warn "global core.hooksPath is '$hp', relative: each repository's own '$hp' directory"
            warn "  runs its hooks, and a template would be ignored; not changing your core.hooksPath."
            warn "  Add leakgate to each repository's '$hp' (README.md, \"Other hook managers\")"
            failed=$((failed + 1)) ;;
        esac
        return
    fi
    td=$(git config --global --type=path --get init.templateDir) || td=
    if [ $uninstall = 1 ]; then
        [ -n "$td" ] || { say "--global: no init.templateDir set: nothing to uninstall"; return; }
        do_dir "$td/hooks"
        if [ "$td" = "$our_template" ]; then
            if [ $dry = 1 ]; then say "would unset init.templateDir and remove $td"
            else
                git config --global --unset init.templateDir
                rmdir "$td/hooks" "$td" 2>/dev/null
                say "--global: unset init.templateDir (it was leakgate's $td)"
            fi
        fi
        return
    fi
    if [ -z "$td" ]; then
        td=$our_template
        if [ $dry = 1 ]; then say "would set init.templateDir to $td"
        else
            mkdir -p "$td/hooks" && git config --global init.templateDir "$td" ||
                die "cannot set init.templateDir"
            say "--global: set init.templateDir to $td"
        fi
    else
        say "--global: using your init.templateDir $td"
    fi
    do_dir "$td/hooks"
    say "--global: every future git init and git clone gets the hooks; existing clones: --all DIR"
}

# ---------------------------------------------------------------------------
# Main

if [ $uninstall = 0 ]; then
    if [ $deps = 1 ]; then
        install_deps
        [ $test_deps = 0 ] || install_test_tools
    fi
    install_binary
fi

if [ $hook = 1 ]; then
    hook_names=$(hook_list)
    targets=0
    if [ -n "$repos" ]; then
        while IFS= read -r r; do
            [ -n "$r" ] && do_repo "$r" </dev/null
        done <<EOF
$repos
EOF
        targets=1
    fi
    if [ -n "$all_dirs" ]; then
        while IFS= read -r r; do
            [ -n "$r" ] && do_all "$r" </dev/null
        done <<EOF
$all_dirs
EOF
        targets=1
    fi
    if [ $global = 1 ]; then do_global; targets=1; fi
    if [ $targets = 0 ]; then
        if git rev-parse --git-dir >/dev/null 2>&1; then
            do_repo "$(pwd)"
        else
            say "not inside a git repository: no hook installed (use --repo DIR, --all DIR or --global)"
        fi
    fi
fi

if [ $uninstall = 1 ] && [ $purge = 1 ]; then
    if [ -e "$bin" ]; then
        if [ $dry = 1 ]; then say "would remove $bin"
        else rm -f "$bin" && say "removed $bin"
        fi
    else
        say "no $bin to remove"
    fi
fi

if [ $failed -gt 0 ]; then
    warn "$failed hook location(s) not done: see the messages above"
    exit 1
fi
exit 0
