#!/bin/sh
# Entry of the `leakgate` hook of the pre-commit framework
# (.pre-commit-hooks.yaml, language: script). pre-commit runs it from the
# user's repository, with the names of the files to check as arguments (the
# staged files, or every tracked file with --all-files; pre-commit has put
# aside unstaged changes, so what is on disk is what is staged), from its own
# clone of the leakgate repository at the pinned rev. The leakgate used is
# the one built in that clone, else one on PATH, else one built there now:
# once per rev, as pre-commit keeps one clone per rev.
root=$(cd "$(dirname "$0")/.." && pwd) || exit 3
lg=$root/leakgate
if [ ! -x "$lg" ] && ! lg=$(command -v leakgate 2>/dev/null); then
    lg=$root/leakgate lock=$root/.leakgate-build.lock n=0
    # Another repository's commit may be building in this clone right now.
    until mkdir "$lock" 2>/dev/null; do
        n=$((n + 1))
        if [ $n -gt 600 ]; then
            echo "leakgate: waited 10 minutes for $lock: remove it if no build is running" >&2
            exit 3
        fi
        sleep 1
    done
    trap 'rmdir "$lock"' EXIT
    if [ ! -x "$lg" ]; then
        echo "leakgate: not on PATH: building it once, in $root" >&2
        if ! make -C "$root" -j"$(nproc 2>/dev/null || echo 2)" >"$root/.leakgate-build.log" 2>&1 ||
           [ ! -x "$lg" ]; then
            tail -n 30 "$root/.leakgate-build.log" >&2
            cat >&2 <<MSG
leakgate: the build failed (log: $root/.leakgate-build.log), so nothing was scanned.
  It needs a C compiler, make, pkg-config and the libgit2, hyperscan, inih and
  pcre2 development packages (Debian/Ubuntu: build-essential pkg-config
  libgit2-dev libhyperscan-dev libinih-dev libpcre2-dev), or install leakgate
  with its install.sh and use the hook id leakgate-system.
MSG
            exit 3
        fi
    fi
fi
# --no-ignore: pre-commit passes tracked files, and a tracked file is scanned
# even if .gitignore matches it. `--`: a file name starting with - is a file.
exec "$lg" scan --no-ignore -- "$@"
