#!/bin/sh
# tests/detect/run.sh — the detection benchmark behind `make bench-detect`.
#
# Builds a labelled corpus of realistic files (tests/detect/corpus.py: keys
# generated from their published formats, in many languages and file types,
# plus hard decoys), stages it in a fresh repository, runs leakgate on the
# staged changes with --format json, and prints recall and precision per
# provider (tests/detect/score.py). SEED=N picks another corpus.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LEAKGATE=${LEAKGATE:-$ROOT/leakgate}
W=$(mktemp -d "${TMPDIR:-/tmp}/leakgate-detect.XXXXXX")
trap 'rm -rf "$W"' EXIT
export HOME="$W/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$W/home/.gitconfig"
export XDG_CACHE_HOME="$W/home/.cache"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE 2>/dev/null || true
mkdir -p "$HOME"

python3 "$ROOT/tests/detect/corpus.py" "$W/repo" "${SEED:-1}"
cd "$W/repo"
git init -q . && git add -A
rc=0
"$LEAKGATE" pre-commit --format json >"$W/findings.jsonl" 2>"$W/stderr.txt" || rc=$?
if [ "$rc" -gt 1 ]; then
	echo "leakgate failed with exit $rc:" >&2
	cat "$W/stderr.txt" >&2
	exit 1
fi
python3 "$ROOT/tests/detect/score.py" "$W/labels.json" "$W/findings.jsonl" "$ROOT/config/rules.ini"
