#!/bin/sh
# Scale: 100,000 staged files, new and then modified. Memory must stay
# bounded (peak RSS measured with /usr/bin/time -v when it is there) and
# a key in one file among them must still block. The modified-files case
# takes longer and runs with LEAKGATE_SLOW_TESTS=1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hostile.sh"

N=100000

# many_files DIR N: N small files in DIR (1000 per process).
many_files() {
	mkdir -p "$1" &&
	seq 1 "$2" | (cd "$1" && xargs -n 1000 sh -c 'for i; do echo "line $i" >f$i.txt; done' _)
}

rss_check() {	# rss_check WANT-EXIT LIMIT-KIB LABEL
	if [ ! -x /usr/bin/time ]; then
		test_exit "$1" leakgate -q
		return
	fi
	peak_rss leakgate -q &&
	echo "# $3: leakgate exit $peak_rc, peak RSS ${peak_kb} KiB" &&
	test "$peak_rc" -eq "$1" &&
	# (ASan's shadow memory makes RSS meaningless under make check.)
	{ [ -n "${ASAN_OPTIONS:-}" ] || test "$peak_kb" -lt "$2"; }
}

test_expect_success "$N new files staged: scanned, one key among them blocks, memory bounded" '
	rc_repo r && cd r &&
	many_files d $N &&
	echo "k = $(fake_key github)" >d/f77777.txt &&
	git add d &&
	test $(git ls-files | wc -l) -eq $N &&
	rss_check 1 262144 "$N new files" &&
	test_exit 1 leakgate -v 2>v.txt &&
	grep -q "scanned $N files" v.txt &&
	commit_exit 1 && grep -q "d/f77777.txt:1:5" out.txt &&
	assert_no_secret out.txt v.txt
'

test_expect_success "SLOW: $N modified files: memory bounded" '
	if ! slow_tests; then echo "# skipped: set LEAKGATE_SLOW_TESTS=1"; exit 0; fi
	rc_repo r && cd r &&
	many_files d $N && git add d && git commit -q --no-verify -m base &&
	(cd d && seq 1 $N | xargs -n 1000 sh -c "for i; do echo more >>f\$i.txt; done" _) &&
	git add d &&
	rss_check 0 262144 "$N modified files" &&
	commit_exit 0
'

test_done
