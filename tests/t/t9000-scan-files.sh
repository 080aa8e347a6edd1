#!/bin/sh
# leakgate scan [PATH...]: files and directories on disk.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a key in a file below a directory is found, redacted' '
	mkdir -p d/sub && k=$(fake_key github) &&
	printf "x = 1\ntoken = \"%s\"\n" "$k" >d/sub/a.py &&
	echo clean >d/b.txt &&
	test_exit 1 leakgate scan d >out.txt 2>err.txt &&
	grep -q "d/sub/a.py:2:10  github-token" err.txt &&
	! grep -q b.txt err.txt &&
	test ! -s out.txt &&
	assert_no_secret out.txt err.txt
'

test_expect_success 'the default path is ., shown without ./' '
	mkdir -p sub && echo "k = \"$(fake_key aws-id)\"" >sub/k.py &&
	test_exit 1 leakgate scan 2>err.txt &&
	grep -q "^  sub/k.py:1:6  aws-access-key-id" err.txt &&
	test_exit 1 leakgate scan ./sub/ 2>err2.txt &&
	grep -q "^  sub/k.py:1:6" err2.txt
'

test_expect_success 'a clean tree exits 0 and -q prints nothing' '
	mkdir d && echo "print(1)" >d/a.py &&
	test_exit 0 leakgate scan -q d >out.txt 2>err.txt &&
	test ! -s out.txt && test ! -s err.txt
'

test_expect_success '.gitignore is honoured inside a repository; --no-ignore scans all' '
	git init -q r && cd r &&
	printf "build/\n*.log\n" >.gitignore &&
	mkdir build && echo "k = \"$(fake_key github)\"" >build/out.txt &&
	echo "k = \"$(fake_key github)\"" >debug.log &&
	echo "ok" >a.txt &&
	test_exit 0 leakgate scan . 2>err.txt &&
	test_exit 0 leakgate scan 2>err.txt &&
	test_exit 1 leakgate scan --no-ignore 2>err.txt &&
	grep -q "build/out.txt:1:6" err.txt && grep -q "debug.log:1:6" err.txt
'

test_expect_success '.gitignore applies when scanning from a subdirectory or from outside' '
	git init -q r && printf "secret.txt\n" >r/.gitignore &&
	mkdir -p r/sub && echo "k = \"$(fake_key github)\"" >r/sub/secret.txt &&
	(cd r/sub && test_exit 0 leakgate scan .) &&
	test_exit 0 leakgate scan r &&
	test_exit 0 leakgate scan r/sub
'

test_expect_success 'a path named on the command line is scanned even if ignored' '
	git init -q r && cd r && echo "*.env" >.gitignore &&
	echo "T = $(fake_key github)" >prod.env &&
	test_exit 0 leakgate scan . &&
	test_exit 1 leakgate scan prod.env 2>err.txt && grep -q "prod.env:1:5" err.txt
'

test_expect_success '.git is never entered, symlinks are not followed, binaries are skipped' '
	git init -q r && cd r &&
	echo "[x]  k = $(fake_key github)" >>.git/description &&
	mkdir ../elsewhere && echo "k = \"$(fake_key github)\"" >../elsewhere/k.txt &&
	ln -s ../elsewhere link &&
	printf "\000\001 k = %s\n" "$(fake_key github)" >blob.bin &&
	test_exit 0 leakgate scan -v . 2>err.txt &&
	grep -q "skipped binary file blob.bin" err.txt &&
	grep -q "skipped symlink link" err.txt
'

test_expect_success 'outside any repository, plain directories are scanned' '
	mkdir plain && echo "k = \"$(fake_key anthropic)\"" >plain/x.txt &&
	GIT_CEILING_DIRECTORIES=$TEST_DIR test_exit 1 leakgate scan plain 2>err.txt &&
	grep -q "plain/x.txt:1:6  anthropic-api-key" err.txt
'

test_expect_success 'a missing path is a usage error (2)' '
	test_exit 2 leakgate scan does-not-exist 2>err.txt &&
	grep -q "cannot scan .does-not-exist." err.txt
'

test_expect_success 'files over max-blob-size are reported as skipped' '
	git init -q r && cd r &&
	printf "[leakgate]\nmax-blob-size = 100\n" >.leakgate.ini &&
	head -c 200 /dev/zero | tr "\000" a >big.txt &&
	leakgate scan --format json . >out.json 2>err.txt; test $? -lt 128 &&
	grep -q "\"path\":\"big.txt\".*\"kind\":\"skipped\"" out.json
'

test_expect_success 'json: one line per finding, no commit field for files' '
	mkdir d && echo "a = \"$(fake_key github)\"" >d/a.txt && echo "b = \"$(fake_key aws-id)\"" >d/b.txt &&
	test_exit 1 leakgate scan --format json d >out.json 2>err.txt &&
	test $(wc -l <out.json) -eq 2 &&
	! grep -q "\"commit\"" out.json &&
	head -n1 out.json | grep -q "^{\"path\":\"d/a.txt\",\"line\":1,\"column\":6,\"kind\":\"secret\",\"rule\":\"github-token\"" &&
	test ! -s err.txt &&
	assert_no_secret out.json
'

test_expect_success 'scan --staged is the pre-commit scan' '
	new_repo r && cd r &&
	echo "k = \"$(fake_key github)\"" >a.py && git add a.py &&
	test_exit 1 leakgate scan --staged --color never >o1.txt 2>e1.txt &&
	test_exit 1 leakgate pre-commit --color never >o2.txt 2>e2.txt &&
	cmp o1.txt o2.txt && grep -v "commit blocked" e1.txt >e1n.txt &&
	grep -v "commit blocked" e2.txt >e2n.txt && grep -q "a.py:1:6" e1.txt &&
	git reset -q && test_exit 0 leakgate scan --staged
'

test_expect_success 'no progress on a non-terminal; progress on a terminal' '
	mkdir d && echo "x" >d/a.txt &&
	leakgate scan d 2>err.txt; test $? -eq 0 && ! grep -q "MB/s" err.txt &&
	if command -v script >/dev/null 2>&1; then
		script -qec "leakgate scan d" /dev/null >tty.txt 2>&1 &&
		grep -q "1 files, .* MB/s" tty.txt
	fi
'

test_expect_success 'bad option combinations are usage errors' '
	test_exit 2 leakgate scan --staged d &&
	test_exit 2 leakgate scan --commits HEAD d &&
	test_exit 2 leakgate scan --all --no-ignore
'

test_done
