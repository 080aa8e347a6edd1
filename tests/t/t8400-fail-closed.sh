#!/bin/sh
# Fail closed, always: failures injected through LEAKGATE_TEST_FAIL (see
# src/testhook.h) at every step that reads the repository or scans must
# block the commit with exit 3, a one-line reason and the bypass hint —
# never exit 0, never a crash, never a core dump.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hostile.sh"

# staged_repo: a repository with one committed file, then a new file and
# a modification of the committed one staged (both clean).
staged_repo() {
	rc_repo r && cd r &&
	seq 1 20 >old.txt && git add old.txt && commit_exit 0 &&
	echo "new file" >new.txt && echo "line 21" >>old.txt &&
	git add new.txt old.txt
}

for point in index odb blob diff patch hs-scan; do
	test_expect_success "injected failure '$point': exit 3, one reason, bypass hint" '
		staged_repo &&
		LEAKGATE_TEST_FAIL='$point' commit_exit 3 &&
		grep -q "^leakgate: error: " out.txt &&
		grep -q "commit blocked" out.txt &&
		commit_exit 0
	'
done

test_expect_success "injected failure 'blob' on a modified file only: exit 3" '
	rc_repo r && cd r &&
	seq 1 20 >old.txt && git add old.txt && commit_exit 0 &&
	echo "line 21" >>old.txt && git add old.txt &&
	LEAKGATE_TEST_FAIL=blob commit_exit 3
'

test_expect_success "injected PCRE2 failure on a hit: exit 3, not 0 and not 1" '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	LEAKGATE_TEST_FAIL=pcre2 commit_exit 3 &&
	grep -q "PCRE2 gave up" out.txt &&
	assert_no_secret out.txt &&
	commit_exit 1
'

test_expect_success "a cache that cannot be written is only a speed-up" '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	LEAKGATE_TEST_FAIL=cache-write commit_exit 1 &&
	! grep -qi "error" out.txt &&
	git rm -q --cached key.txt && echo ok >ok.txt && git add ok.txt &&
	LEAKGATE_TEST_FAIL=cache-write commit_exit 0
'

# alloc_sweep WANT: for a sample of N (every N when LEAKGATE_SLOW_TESTS=1),
# make the N-th allocation fail; leakgate must exit 3 saying "out of
# memory", or — once N is past its last allocation — exit WANT.
alloc_sweep() {
	want=$1 n=1 ran=0 oom=0
	while :; do
		LEAKGATE_TEST_FAIL=alloc=$n leakgate >/dev/null 2>err.txt
		got=$?
		ran=$((ran + 1))
		if [ $got -eq 3 ]; then
			grep -q "out of memory" err.txt &&
			grep -q -- "--no-verify" err.txt ||
				{ echo "alloc=$n: exit 3 without the reason" >&2; return 1; }
			oom=$((oom + 1))
		elif [ $got -eq "$want" ]; then
			break	# past the last allocation
		else
			echo "alloc=$n: exit $got (want 3, or $want past the end)" >&2
			cat err.txt >&2
			return 1
		fi
		if slow_tests || [ $n -lt 120 ]; then n=$((n + 1)); else n=$((n + 151)); fi
	done
	echo "# alloc sweep: $ran runs, $oom failed closed, all allocations passed at n=$n"
	test $oom -gt 100
}

test_expect_success 'every allocation failure (sampled) fails closed: a staged key' '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && seq 1 100 >other.txt &&
	git add key.txt other.txt &&
	alloc_sweep 1
'

test_expect_success 'every allocation failure (sampled) fails closed: clean changes' '
	staged_repo &&
	alloc_sweep 0
'

test_expect_success 'an allocation failure inside the hook blocks the real commit' '
	staged_repo &&
	LEAKGATE_TEST_FAIL=alloc=200 commit_exit 3 && grep -q "out of memory" out.txt
'

test_expect_success 'a crash leaves no core dump (it would hold the staged secrets)' '
	mkdir probe && (cd probe && ulimit -c unlimited 2>/dev/null;
		sh -c "kill -SEGV \$\$"; true) 2>/dev/null;
	if ! ls probe/core* >/dev/null 2>&1; then
		echo "# this system writes no core file to the cwd: check skipped"; exit 0
	fi
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	# (Under make check, ASan must let the signal through, not report it.)
	(ulimit -c unlimited; ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" \
		LEAKGATE_TEST_FAIL=crash leakgate >/dev/null 2>&1; echo $? >rc) &&
	test "$(cat rc)" -gt 128 &&
	! ls core* >/dev/null 2>&1 &&
	! ls .git/core* >/dev/null 2>&1
'

test_done
