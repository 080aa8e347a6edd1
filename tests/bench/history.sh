#!/bin/sh
# tests/bench/history.sh — history-scanning throughput of leakgate.
#
# Generates (once, then reuses) a repository of COMMITS commits on main
# (default 20000) with git fast-import: every commit adds one new source
# file of about 3 KB and edits three lines of one of 200 long-lived files,
# one commit in a thousand adds a made-up key, and every 100th merges a
# topic branch of three commits (so 20,600 commits in all); then it times
# `leakgate scan --all` with one thread and with one per core, and prints
# MB/s of scanned content (whole new blobs plus added lines; each distinct
# blob once). Usage: tests/bench/history.sh [COMMITS]
#   LEAKGATE=path/to/leakgate   the binary (default: ./leakgate)
#   BENCH_DIR=dir               where the generated repository is kept
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LEAKGATE=${LEAKGATE:-$ROOT/leakgate}
COMMITS=${1:-${COMMITS:-20000}}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/leakgate-bench-history}
REPO=$BENCH_DIR/repo-$COMMITS-v2

[ -x "$LEAKGATE" ] || { echo "history.sh: build leakgate first (make)" >&2; exit 2; }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
export XDG_CACHE_HOME="$BENCH_DIR/cache"

generate() {
	rm -rf "$REPO.tmp" && mkdir -p "$BENCH_DIR" &&
	git init -q -b main "$REPO.tmp" &&
	# The key prefix is split so that this script holds no key.
	awk -v n="$COMMITS" -v pfx="gh" 'BEGIN {
		srand(20231114);
		cs = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
		for (i = 1; i <= n; i++) {
			body = "";
			for (l = 0; l < 48; l++)
				body = body sprintf("    value_%d = compute(%d, \"%s\")  # step %d\n",
					l, int(rand() * 100000), word(24), l);
			if (i % 1000 == 500)
				body = body "TOKEN = \"" pfx "p_" word(36) "\"\n";
			k = i % 200;
			ver[k]++;
			long = "";
			for (l = 0; l < 60; l++)
				long = long sprintf("line %d of module %d: %s\n", l, k,
					(l % 20 == ver[k] % 20) ? "changed in " i " " word(40) : "stable text " l);
			# Every 100th commit merges a topic branch of three commits
			# (--no-ff): its first-parent diff brings the blobs of the topic
			# again, which a history scan must not scan twice.
			if (i % 100 == 0) {
				for (t = 1; t <= 3; t++) {
					note[t] = "";
					for (l = 0; l < 20; l++)
						note[t] = note[t] sprintf("note %d of topic %d: %s\n", l, i, word(30));
					tmsg = "topic " i " part " t;
					printf "commit refs/heads/topic/%d\nmark :%d\n", i, 1000000 + i * 4 + t;
					printf "author A U Thor <author@example.com> %d +0000\n", 1700000000 + i;
					printf "committer C O Mitter <committer@example.com> %d +0000\n", 1700000000 + i;
					printf "data %d\n%s\n", length(tmsg), tmsg;
					printf "from :%d\n", t == 1 ? i - 1 : 1000000 + i * 4 + t - 1;
					printf "M 100644 inline docs/topic%d/part%d.md\ndata %d\n%s\n", i, t,
						length(note[t]), note[t];
				}
			}
			msg = "commit " i;
			printf "commit refs/heads/main\nmark :%d\n", i;
			printf "author A U Thor <author@example.com> %d +0000\n", 1700000000 + i;
			printf "committer C O Mitter <committer@example.com> %d +0000\n", 1700000000 + i;
			printf "data %d\n%s\n", length(msg), msg;
			if (i > 1) printf "from :%d\n", i - 1;
			if (i % 100 == 0) {
				printf "merge :%d\n", 1000000 + i * 4 + 3;
				for (t = 1; t <= 3; t++)
					printf "M 100644 inline docs/topic%d/part%d.md\ndata %d\n%s\n", i, t,
						length(note[t]), note[t];
			}
			printf "M 100644 inline src/pkg%d/file%d.py\ndata %d\n%s\n", i % 50, i, length(body), body;
			printf "M 100644 inline lib/module%d.txt\ndata %d\n%s\n", k, length(long), long;
		}
	}
	function word(len,   s, j) {
		s = "";
		for (j = 0; j < len; j++) s = s substr(cs, int(rand() * 62) + 1, 1);
		return s;
	}' | git -C "$REPO.tmp" fast-import --quiet &&
	git -C "$REPO.tmp" repack -adq &&
	mv "$REPO.tmp" "$REPO"
}

if [ ! -d "$REPO" ]; then
	echo "generating $COMMITS commits in $REPO ..." >&2
	t0=$(date +%s)
	generate
	echo "generated in $(( $(date +%s) - t0 )) s" >&2
fi

ncommits=$(git -C "$REPO" rev-list --count --all)
[ "$ncommits" -ge "$COMMITS" ] || { echo "history.sh: only $ncommits commits" >&2; exit 1; }
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# run JOBS: prints "<seconds> <bytes> <commits> <cpu seconds>" from
# leakgate's -v summary line.
run() {
	out=$(cd "$REPO" && "$LEAKGATE" scan --all -v -j "$1" --format json 2>&1 >/dev/null) || [ $? -eq 1 ]
	echo "$out" | sed -n 's/.*scanned \([0-9]*\) commits: .* files, \([0-9]*\) bytes in \([0-9.]*\) s .*threads, \([0-9.]*\) s of CPU.*/\3 \2 \1 \4/p'
}

run 1 >/dev/null	# warm the rule cache and the page cache
set -- $(run 1); t1=$1 bytes=$2 seen=$3 c1=$4
set -- $(run "$cores"); tn=$1 cn=$4
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "history scan: $seen commits, $mb MB scanned (each distinct blob once)"
awk -v b="$bytes" -v t="$t1" -v c="$c1" 'BEGIN { printf "  1 thread:   %6.2f s  %7.1f MB/s   (%.2f s of CPU)\n", t, b / 1e6 / t, c }'
awk -v b="$bytes" -v t="$tn" -v c="$cn" -v n="$cores" 'BEGIN { printf "  %d threads:  %6.2f s  %7.1f MB/s   (%.2f s of CPU)\n", n, t, b / 1e6 / t, c }'
load=$(cut -d" " -f1 /proc/loadavg 2>/dev/null || echo "?")
echo "  (load average $load on $cores cores: other work on the machine slows the wall-clock figures)"
