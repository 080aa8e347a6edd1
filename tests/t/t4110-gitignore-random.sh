#!/bin/sh
# .gitignore coverage against git check-ignore on random .gitignore files:
# nested files, info/exclude, negations, anchors, '**', brackets, escapes,
# directory-only lines, core.ignorecase. Seeds are fixed, so a failure
# names a seed that reproduces it (SEEDS="17" sh t4110-...).
. "$(dirname "$0")/lib.sh"

SEEDS=${SEEDS:-$(seq 1 24)}
DIRS=". a b sub d.env .envd a/sub a/d.env sub/b/a"
FILES=".env .env.local x.env a.env B.ENV .Env.prod"

# random_lines SEED N: N random .gitignore lines.
random_lines() {
	awk -v seed="$1" -v n="$2" 'BEGIN {
		srand(seed)
		np = split("a b sub d.env .envd .env .env.* *.env * ** ?nv [ab] [!a]* .env.local *.ENV B.ENV \\.env a* *b s?b [a-c]* [[:alpha:]]* *.* x.env .Env.*", P, " ")
		for (i = 0; i < n; i++) {
			k = 1 + int(rand() * 3); line = ""
			for (j = 0; j < k; j++)
				line = line (j ? "/" : "") P[1 + int(rand() * np)]
			if (rand() < 0.25) line = "/" line
			if (rand() < 0.15) line = line "/"
			if (rand() < 0.25) line = "!" line
			if (rand() < 0.05) line = line "   "
			print line
		}
	}'
}

run_seed() {
	seed=$1
	rm -rf "r$seed" && new_repo "r$seed" && cd "r$seed" &&
	if [ $((seed % 2)) = 0 ]; then git config core.ignorecase true; fi &&
	for d in $DIRS; do
		mkdir -p "$d" && echo x >"$d/x.txt" && git add -f "$d/x.txt" &&
		for f in $FILES; do echo "A=1" >"$d/$f" || return 1; done
	done &&
	i=0 && for d in . a sub a/sub; do
		i=$((i + 1)) && random_lines $((seed * 10 + i)) $((1 + (seed + i) % 6)) >"$d/.gitignore"
	done &&
	random_lines $((seed * 10 + 9)) 2 >>.git/info/exclude &&
	for d in $DIRS; do
		for f in $FILES; do
			[ "$d" = . ] && echo "$f" || echo "$d/$f"
		done
	done | sort >candidates.txt &&
	git check-ignore --no-index --stdin <candidates.txt | sort >ignored.txt
	comm -23 candidates.txt ignored.txt >expected.txt &&
	{ leakgate pre-commit --format json >out.json 2>err.txt; test $? -le 1; } &&
	sed -n 's/^{"path":"\([^"]*\)",.*"kind":"gitignore".*/\1/p' out.json | sort >got.txt &&
	if ! cmp -s expected.txt got.txt; then
		echo "seed $seed: leakgate and git check-ignore disagree" &&
		for d in . a sub a/sub; do echo "--- $d/.gitignore"; cat "$d/.gitignore"; done &&
		diff -u expected.txt got.txt
		return 1
	fi
	cd ..
}

test_expect_success 'random .gitignore files: the same answer as git check-ignore' '
	set -f &&
	for s in $SEEDS; do run_seed $s || exit 1; done
'

test_done
