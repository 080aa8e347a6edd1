#!/bin/sh
# End to end: real `git commit` through the installed hook.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a clean first commit is allowed' '
	new_repo r && cd r &&
	echo "print(1)" >a.py && git add a.py &&
	test_allowed git commit -qm first &&
	git rev-parse --verify HEAD
'

test_expect_success 'a staged key blocks the first commit, redacted' '
	new_repo r && cd r &&
	k=$(fake_key openai-proj) &&
	printf "import os\nKEY = \"%s\"\n" "$k" >app.py && git add app.py &&
	test_blocked git commit -qm add &&
	grep -q "app.py:2:8" out.txt &&
	grep -q "openai-project-key" out.txt &&
	grep -q "fingerprint [0-9a-f]\{16\}" out.txt &&
	grep -q "git commit --no-verify" out.txt &&
	test_must_fail git rev-parse --verify -q HEAD &&
	assert_no_secret out.txt
'

test_expect_success 'each starter rule blocks its kind of key' '
	new_repo r && cd r &&
	for kind in openai-legacy openai-proj anthropic aws-id github; do
		echo "x = $(fake_key $kind)" >k.txt && git add k.txt &&
		test_blocked git commit -qm "$kind" || { echo "not blocked: $kind"; exit 1; }
	done &&
	private_key_block >id.pem && git rm -q --cached k.txt && git add id.pem &&
	test_blocked git commit -qm pem && grep -q private-key out.txt &&
	assert_no_secret out.txt
'

test_expect_success 'the exit code is 1 and the report goes to stderr' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >t.txt && git add t.txt &&
	test_exit 1 leakgate pre-commit >stdout.txt 2>stderr.txt &&
	test ! -s stdout.txt && grep -q github-token stderr.txt
'

test_expect_success 'git commit -a: the temporary index is what is scanned' '
	new_repo r && cd r &&
	echo "x = 1" >a.py && git add a.py && git commit -qm one &&
	echo "k = \"$(fake_key anthropic)\"" >>a.py &&
	test_blocked git commit -qam two &&
	grep -q anthropic-api-key out.txt
'

test_expect_success 'git commit <path>: only that path is committed and scanned' '
	new_repo r && cd r &&
	echo one >a.txt && echo one >b.txt && git add . && git commit -qm one &&
	echo "k = $(fake_key github)" >>a.txt && echo two >>b.txt &&
	git add a.txt &&
	test_allowed git commit -qm two b.txt &&
	test_blocked git commit -qm three a.txt
'

test_expect_success 'partial staging: a key only in the work tree does not block' '
	new_repo r && cd r &&
	echo "x = 1" >a.py && git add a.py && git commit -qm one &&
	echo "y = 2" >>a.py && git add a.py &&
	echo "k = \"$(fake_key openai-legacy)\"" >>a.py &&
	test_allowed git commit -qm two &&
	git show HEAD:a.py | grep -q "y = 2"
'

test_expect_success 'partial staging: a key only in the index blocks' '
	new_repo r && cd r &&
	echo "x = 1" >a.py && git add a.py && git commit -qm one &&
	cp a.py clean.py &&
	echo "k = \"$(fake_key openai-legacy)\"" >>a.py && git add a.py &&
	cp clean.py a.py &&
	test_blocked git commit -qm two
'

test_expect_success 'renaming a file that holds an old key does not re-flag it' '
	new_repo r && cd r &&
	echo "k = $(fake_key github)" >old.txt && seq 1 50 >>old.txt && git add old.txt &&
	git commit -qm one --no-verify &&
	git mv old.txt new.txt && echo more >>new.txt && git add new.txt &&
	test_allowed git commit -qm rename
'

test_expect_success 'deleting a key is allowed' '
	new_repo r && cd r &&
	echo "k = $(fake_key github)" >k.txt && echo keep >>k.txt && git add k.txt &&
	git commit -qm one --no-verify &&
	echo keep >k.txt && git add k.txt &&
	test_allowed git commit -qm remove-line &&
	git rm -q k.txt && test_allowed git commit -qm remove-file
'

test_expect_success 'modified files: only added lines are scanned' '
	new_repo r && cd r &&
	{ echo "k = $(fake_key github)"; seq 1 20; } >k.txt && git add k.txt &&
	git commit -qm one --no-verify &&
	seq 21 30 >>k.txt && git add k.txt &&
	test_allowed git commit -qm more &&
	echo "j = $(fake_key aws-id)" >>k.txt && git add k.txt &&
	test_blocked git commit -qm key && grep -q "k.txt:32:5" out.txt
'

test_expect_success 'merge: a key typed while resolving a conflict blocks' '
	new_repo r && cd r &&
	seq 1 10 >f.txt && git add f.txt && git commit -qm base &&
	git checkout -qb side && sed -i "s/^5$/five/" f.txt && git commit -qam side &&
	git checkout -q main && sed -i "s/^5$/FIVE/" f.txt && git commit -qam main &&
	test_must_fail git merge -q side &&
	sed -i "/^<<<<<<<\|^=======\|^>>>>>>>/d; s/^five$/key = $(fake_key github)/" f.txt &&
	git add f.txt &&
	test_blocked git commit -qm merge && grep -q github-token out.txt
'

test_expect_success 'merge: a key that came from the merged branch is not new' '
	new_repo r && cd r &&
	seq 1 10 >f.txt && git add f.txt && git commit -qm base &&
	git checkout -qb side &&
	echo "k = $(fake_key github)" >side.txt && git add side.txt &&
	git commit -qm side --no-verify &&
	git checkout -q main && echo main >m.txt && git add m.txt && git commit -qm main &&
	git merge -q --no-commit side 2>/dev/null; test -f .git/MERGE_HEAD &&
	test_allowed git commit -qm merge
'

test_expect_success 'a linked worktree is scanned through its own index' '
	new_repo r && cd r &&
	echo one >a.txt && git add a.txt && git commit -qm one &&
	git worktree add -q ../wt -b wtb && cd ../wt &&
	echo "k = $(fake_key github)" >w.txt && git add w.txt &&
	test_blocked git commit -qm wt && grep -q "w.txt:1:5" out.txt &&
	git rm -q --cached w.txt && echo fine >ok.txt && git add ok.txt &&
	test_allowed git commit -qm fine
'

test_expect_success 'file names with spaces, non-ASCII and a newline are escaped' '
	new_repo r && cd r &&
	k=$(fake_key github) &&
	echo "k = $k" >"my file.txt" &&
	echo "k = $k" >"caf$(printf "\303\251").txt" &&
	echo "k = $k" >"new
line.txt" &&
	git add . &&
	test_blocked git commit -qm names &&
	grep -q "my file.txt:1:5" out.txt &&
	grep -q "caf.*\.txt:1:5" out.txt &&
	grep -q "new\\\\x0aline.txt:1:5" out.txt
'

test_expect_success 'CRLF files: line and column are right' '
	new_repo r && cd r &&
	printf "a\r\nb\r\nkey = %s\r\n" "$(fake_key aws-id)" >crlf.txt && git add crlf.txt &&
	test_blocked git commit -qm crlf && grep -q "crlf.txt:3:7" out.txt
'

test_expect_success 'a key at byte 0 and at the last byte, no trailing newline' '
	new_repo r && cd r &&
	printf "%s" "$(fake_key github)" >first.txt &&
	printf "text %s" "$(fake_key aws-id)" >last.txt && git add . &&
	test_blocked git commit -qm edges &&
	grep -q "first.txt:1:1" out.txt && grep -q "last.txt:1:6" out.txt
'

test_expect_success 'a key inside a 1 MB minified line' '
	new_repo r && cd r &&
	k=$(fake_key openai-legacy) &&
	{ head -c 600000 /dev/zero | tr "\0" "a"; printf ";var k=\"%s\";" "$k";
	  head -c 500000 /dev/zero | tr "\0" "b"; } >min.js && git add min.js &&
	test_blocked git commit -qm min &&
	grep -q "min.js:1:600009" out.txt && assert_no_secret out.txt
'

test_expect_success 'binary blobs are skipped and counted with -v' '
	new_repo r && cd r &&
	{ head -c 4096 /dev/urandom; echo "k = $(fake_key github)"; } >bin.dat && git add bin.dat &&
	leakgate -v pre-commit 2>err.txt; test $? -eq 0 &&
	grep -q "1 binary" err.txt
'

test_expect_success 'submodules (gitlinks) and symlinks are skipped and counted' '
	new_repo sub && (cd sub && echo s >s && git add s && git commit -qm s) &&
	new_repo r && cd r &&
	git -c protocol.file.allow=always submodule -q add ../sub sub 2>/dev/null &&
	ln -s /etc/passwd link && git add link &&
	leakgate -v pre-commit 2>err.txt; test $? -eq 0 &&
	grep -q "1 submodules, 1 symlinks" err.txt
'

test_expect_success 'JSON output: one object per finding, every field checked' '
	new_repo r && cd r &&
	k=$(fake_key github) &&
	printf "one\n  token: %s\n" "$k" >c.yml && git add c.yml &&
	test_exit 1 leakgate --format json >out.json 2>err.txt &&
	test $(wc -l <out.json) -eq 1 &&
	jq -e ".path == \"c.yml\" and .line == 2 and .column == 10 and
	       .kind == \"secret\" and .rule == \"github-token\" and
	       .severity == \"critical\" and (.redacted | test(\"^ghp_.*…..$\")) and
	       (.fingerprint | test(\"^[0-9a-f]{16}$\")) and (.message | length > 0)" out.json &&
	assert_no_secret out.json err.txt
'

test_expect_success 'the fingerprint depends on rule and secret only' '
	new_repo r && cd r &&
	k=$(fake_key github) &&
	echo "a = $k" >a.txt && printf "\n\nb = %s\n" "$k" >b.txt && git add . &&
	leakgate --format json >out.json; test $? -eq 1 &&
	test $(jq -r .fingerprint out.json | sort -u | wc -l) -eq 1
'

test_expect_success 'inline pragma allows a line' '
	new_repo r && cd r &&
	echo "k = $(fake_key github) # leakgate:allow" >a.txt && git add a.txt &&
	test_allowed git commit -qm pragma
'

test_expect_success 'colour only on request; NO_COLOR wins over auto' '
	new_repo r && cd r &&
	echo "k = $(fake_key github)" >a.txt && git add a.txt &&
	leakgate 2>plain.txt; ! grep -q "$(printf "\033")" plain.txt &&
	leakgate --color always 2>color.txt; grep -q "$(printf "\033")\[31m" color.txt
'

test_expect_success 'outside a repository: exit 2 with a message' '
	mkdir -p norepo && cd norepo &&
	GIT_CEILING_DIRECTORIES=$TRASH test_exit 2 leakgate pre-commit 2>err.txt &&
	grep -q "not in a git repository" err.txt
'

test_expect_success 'unknown option and command: exit 2' '
	test_exit 2 leakgate --bogus && test_exit 2 leakgate frobnicate
'

test_expect_success 'options may come before the command' '
	new_repo r && cd r &&
	leakgate --no-cache rules >list.txt && grep -q openai-project-key list.txt &&
	test_exit 2 leakgate --no-cache frobnicate
'

test_expect_success 'a stray argument to pre-commit is a usage error, not a scan' '
	new_repo r && cd r &&
	test_exit 2 leakgate pre-commit extra 2>err.txt &&
	grep -q "unexpected argument" err.txt
'

test_expect_success 'a missing GIT_INDEX_FILE fails closed (exit 3)' '
	new_repo r && cd r &&
	GIT_INDEX_FILE=$TRASH/nope test_exit 3 leakgate pre-commit 2>err.txt &&
	grep -q "GIT_INDEX_FILE" err.txt && grep -q "no-verify" err.txt
'

test_expect_success 'a corrupt index fails closed (exit 3)' '
	new_repo r && cd r &&
	echo a >a && git add a && printf "garbage" >.git/index &&
	test_exit 3 leakgate pre-commit && test_must_fail git commit -qm x
'

test_expect_success 'GIT_DIR and GIT_WORK_TREE from the environment are honoured' '
	new_repo r &&
	echo "k = $(fake_key github)" >r/a.txt && git -C r add a.txt &&
	mkdir elsewhere && cd elsewhere &&
	GIT_DIR=$TEST_DIR/r/.git GIT_WORK_TREE=$TEST_DIR/r test_exit 1 leakgate pre-commit
'

test_done
