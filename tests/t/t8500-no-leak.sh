#!/bin/sh
# No secret ever leaks through leakgate itself: every byte it writes — to
# stdout, stderr, any file descriptor, the cache directory, any temporary
# file — is searched for each test secret, in every output mode and on
# error paths. With strace, the bytes are taken from the write system
# calls themselves; without it, from every file that appeared.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hostile.sh"

HAVE_STRACE=
command -v strace >/dev/null 2>&1 && strace -f -qq -o /dev/null true 2>/dev/null && HAVE_STRACE=1

# traced OUT CMD...: run CMD, recording every byte it writes and every file
# it opens for writing into OUT.trace; then check them (check_trace OUT).
traced() {
	out=$1; shift
	if [ -n "$HAVE_STRACE" ]; then
		# (LeakSanitizer cannot run under ptrace: off for make check.)
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -s 100000000 -xx -o "$out.trace" \
			-e trace=write,writev,pwrite64,pwritev,openat,open,creat,rename,renameat,renameat2 \
			"$@" >"$out.stdout" 2>"$out.stderr"
	else
		"$@" >"$out.stdout" 2>"$out.stderr"
	fi
}

# check_trace OUT: no secret in the recorded writes, the captured output,
# or any file written; and the only files written are the rule cache.
check_trace() {
	assert_no_secret "$1.stdout" "$1.stderr" || return 1
	[ -n "$HAVE_STRACE" ] || return 0
	python3 - "$1.trace" "$SECRETS" <<-\PY
	import re, sys, os
	trace = open(sys.argv[1], encoding="latin-1").read()
	secrets = [s.strip().encode() for s in open(sys.argv[2]) if s.strip()]
	hexstr = re.compile(r'"((?:\\x[0-9a-f]{2})*)"')
	written, files = bytearray(), set()
	for line in trace.splitlines():
	    m = re.match(r'\d+ +(\w+)\((.*)', line)
	    if not m:
	        continue
	    call, args = m.groups()
	    if call.startswith(("write", "pwrite")):
	        for s in hexstr.findall(args):
	            written += bytes.fromhex(s.replace("\\x", ""))
	        written += b"\n"
	    elif call in ("openat", "open", "creat") and re.search(r"O_WRONLY|O_RDWR|O_CREAT", args) and "= -1" not in args:
	        for s in hexstr.findall(args):
	            files.add(bytes.fromhex(s.replace("\\x", "")).decode("latin-1"))
	    elif call.startswith("rename") and "= -1" not in args:
	        for s in hexstr.findall(args):
	            files.add(bytes.fromhex(s.replace("\\x", "")).decode("latin-1"))
	bad = [s for s in secrets if s in written]
	assert not bad, "a full secret was written: %d of %d" % (len(bad), len(secrets))
	assert len(written) > 0, "no writes recorded"
	for f in files:
	    if f in ("/dev/null", "/dev/tty"):
	        continue
	    assert re.search(r"/leakgate/rules-[0-9a-f]{16}\.hsdb(\.tmp\.\w+)?$", f), \
	        "leakgate wrote a file other than its rule cache: %r" % f
	    if os.path.isfile(f):
	        data = open(f, "rb").read()
	        assert not any(s in data for s in secrets), "secret in %r" % f
	print("# %d bytes written, %d files: checked" % (len(written), len(files)))
	PY
}

# every_file_clean DIR...: no secret in any file under DIR.
every_file_clean() {
	find "$@" -type f >files.txt &&
	while IFS= read -r f; do assert_no_secret "$f" || return 1; done <files.txt
}

# A repository with one of each kind of test secret staged, new and
# modified, on long and CRLF lines, plus a file whose name is escaped.
secrets_repo() {
	rc_repo r && cd r &&
	seq 1 30 >mod.txt && git add mod.txt && commit_exit 0 &&
	for kind in openai-legacy openai-proj anthropic aws-id github; do
		echo "$kind = \"$(fake_key $kind)\"" >>new.py
	done &&
	private_key_block >id_rsa.pem &&
	printf "pw = \"%s\"\r\n" "$(fake_key github)" >crlf.ini &&
	{ head -c 100000 /dev/zero | tr "\0" x; echo " $(fake_key anthropic)"; } >long.min.js &&
	echo "token: $(fake_key github)" >>mod.txt &&
	echo "k = $(fake_key aws-id)" >"$(printf "esc\033[2Jname.txt")" &&
	git add -A
}

test_expect_success 'every output mode: no secret in any byte written' '
	secrets_repo &&
	export TMPDIR="$TEST_DIR/tmp" && mkdir "$TMPDIR" &&
	: >"$TEST_DIR/stamp" &&
	for mode in "" "--format json" "-v" "-v -v --format json" "--color always" "-q" \
		"--no-cache" "--format sarif"; do
		traced "$TEST_DIR/run" leakgate $mode; rc=$?
		test $rc -eq 1 || { echo "leakgate $mode: exit $rc"; exit 1; }
		check_trace "$TEST_DIR/run" || { echo "leakgate $mode leaked"; exit 1; }
	done &&
	cat "$TEST_DIR/run.stderr" "$TEST_DIR/run.stdout" | grep -q "github-token" &&
	(XDG_CACHE_HOME="$TEST_DIR/fresh-cache" && export XDG_CACHE_HOME &&
	 traced "$TEST_DIR/run" leakgate; test $? -eq 1) &&
	check_trace "$TEST_DIR/run" >files.log && cat files.log &&
	{ [ -z "$HAVE_STRACE" ] || grep -q " 2 files" files.log; } &&
	every_file_clean "$XDG_CACHE_HOME" "$TEST_DIR/fresh-cache" "$TMPDIR" &&
	{ test -z "$(ls -A "$TMPDIR")" || { echo "left in TMPDIR:"; ls -A "$TMPDIR"; false; }; } &&
	find "$TRASH" -newer "$TEST_DIR/stamp" -type f ! -path "*/run.*" ! -name files.txt \
		! -path "$XDG_CACHE_HOME/*" ! -path "$TEST_DIR/fresh-cache/*" ! -name files.log \
		! -name new-files.txt ! -path "$TRASH/.out" \
		>new-files.txt &&
	{ test ! -s new-files.txt || { echo "new files:"; cat new-files.txt; false; }; }
'

test_expect_success 'through the real hook: the commit output holds no secret' '
	secrets_repo &&
	commit_exit 1 &&
	test $(grep -c "fingerprint [0-9a-f]" out.txt) -ge 8 &&
	assert_no_secret out.txt
'

test_expect_success 'error paths: PCRE2 gave up, a cache that cannot be written' '
	secrets_repo &&
	LEAKGATE_TEST_FAIL=pcre2 traced "$TEST_DIR/run" leakgate; test $? -eq 3 &&
	check_trace "$TEST_DIR/run" &&
	LEAKGATE_TEST_FAIL=cache-write traced "$TEST_DIR/run" leakgate --no-cache; test $? -eq 1 &&
	check_trace "$TEST_DIR/run"
'

test_expect_success 'a secret pasted into .leakgate.ini is not echoed back by its error' '
	rc_repo r && cd r &&
	k1=$(fake_key github) && k2=$(fake_key openai-legacy) && k3=$(fake_key aws-id) &&
	printf "[allow]\n%s = 1\n" "$k1" >.leakgate.ini && git add .leakgate.ini &&
	commit_exit 2 && grep -q "leakgate.ini:2" out.txt && assert_no_secret out.txt &&
	printf "[leakgate]\nblock = %s\n" "$k2" >.leakgate.ini && git add .leakgate.ini &&
	commit_exit 2 && grep -q "leakgate.ini:2" out.txt && assert_no_secret out.txt &&
	printf "[leakgate]\nmax-blob-size = %s\n" "$k3" >.leakgate.ini && git add .leakgate.ini &&
	commit_exit 2 && assert_no_secret out.txt &&
	printf "[%s]\n" "$k1" >.leakgate.ini && git add .leakgate.ini &&
	commit_exit 2 && assert_no_secret out.txt
'

test_done
