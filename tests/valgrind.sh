#!/bin/sh
# tests/valgrind.sh — leakgate under valgrind's memcheck, through real
# commits: a blocked one, an allowed one, a modified file, JSON output, a
# config error and a repository error. Every run must report no invalid
# access, no use of uninitialised memory and no leak (definite, indirect
# or possible). Prints TAP; run with `make valgrind` (slow: not in make
# test).
. "$(dirname "$0")/t/lib.sh"
. "$(dirname "$0")/t/lib-hostile.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi

# A leakgate on PATH that runs the real one under memcheck; one log per
# process in $TRASH/vg/.
VG_LOGS="$TRASH/vg"
mkdir -p "$VG_LOGS" "$TRASH/vgbin"
cat >"$TRASH/vgbin/leakgate" <<WRAP
#!/bin/sh
exec valgrind --quiet --tool=memcheck --error-exitcode=99 --track-origins=yes \\
	--leak-check=full --show-leak-kinds=definite,indirect,possible \\
	--errors-for-leak-kinds=definite,indirect,possible \\
	--log-file="$VG_LOGS/vg.%p" "$LEAKGATE" "\$@"
WRAP
chmod +x "$TRASH/vgbin/leakgate"
PATH="$TRASH/vgbin:$PATH"

# vg_clean: every log written so far is empty (--quiet prints only
# problems), then start afresh.
vg_clean() {
	bad=0 runs=0
	for f in "$VG_LOGS"/vg.*; do
		[ -e "$f" ] || continue
		runs=$((runs + 1))
		if [ -s "$f" ]; then cat "$f"; bad=1; fi
	done
	[ $runs -gt 0 ] || { echo "valgrind did not run" >&2; bad=1; }
	rm -f "$VG_LOGS"/vg.*
	return $bad
}

test_expect_success 'memcheck: a blocked commit' '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && private_key_block >id.pem &&
	git add key.txt id.pem &&
	commit_exit 1 && vg_clean
'

test_expect_success 'memcheck: an allowed commit, then a modified file' '
	rc_repo r && cd r &&
	seq 1 50 >a.txt && git add a.txt && commit_exit 0 &&
	echo "more" >>a.txt && git add a.txt && commit_exit 0 &&
	echo "k = $(fake_key anthropic)" >>a.txt && git add a.txt && commit_exit 1 &&
	vg_clean
'

test_expect_success 'memcheck: JSON, verbose, no cache' '
	rc_repo r && cd r &&
	echo "k = $(fake_key openai-proj)" >k.py && git add k.py &&
	test_exit 1 leakgate --format json -v --no-cache >/dev/null 2>&1 &&
	vg_clean
'

test_expect_success 'memcheck: a config error (exit 2) and a repository error (exit 3)' '
	rc_repo r && cd r &&
	printf "[rule \"evil\"]\npattern = (a)\\\\1\n" >.leakgate.ini &&
	echo a >a.txt && git add a.txt .leakgate.ini && commit_exit 2 &&
	rm .leakgate.ini && git rm -q --cached .leakgate.ini &&
	LEAKGATE_TEST_FAIL=blob commit_exit 3 &&
	vg_clean
'

test_done
