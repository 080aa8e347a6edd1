#!/bin/sh
# Hostile repositories: symlink loops and symlinks out of the tree, empty
# and detached and shallow and sparse repositories, split and sparse
# indexes, corrupt or missing objects, an unwritable cache, no HOME.
# Every case is a real commit attempt with leakgate's exact exit code.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hostile.sh"

test_expect_success 'a symlink loop in the work tree, staged and not' '
	rc_repo r && cd r &&
	ln -s loop-a loop-b && ln -s loop-b loop-a &&
	mkdir d && ln -s ../d d/self && ln -s . d/dot &&
	git add loop-a loop-b d &&
	commit_exit 0 &&
	ln -s spin-a spin-b && ln -s spin-b spin-a &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	commit_exit 1 && grep -q "key.txt:1:5" out.txt
'

test_expect_success 'leakgate scan over a tree with symlink loops, a link out and a FIFO' '
	mkdir tree && cd tree &&
	mkdir d && ln -s ../d d/up && ln -s loop-a loop-b && ln -s loop-b loop-a &&
	ln -s / root-link && mkfifo pipe &&
	echo "k = $(fake_key github)" >d/key.txt &&
	timeout 60 leakgate scan . >out.txt 2>&1; test $? -eq 1 &&
	test $(grep -c "key.txt:1:5" out.txt) -eq 1 &&
	assert_no_secret out.txt
'

test_expect_success 'a .leakgate.ini that is a symlink loop is an error, not "no config"' '
	rc_repo r && cd r &&
	ln -s .leakgate.ini .leakgate.ini &&
	echo hello >a.txt && git add a.txt &&
	commit_exit 2 &&
	grep -q "\.leakgate\.ini" out.txt
'

test_expect_success 'a staged symlink pointing outside the repository is not followed' '
	mkdir outside && k=$(fake_key github) && echo "k = $k" >outside/secret.txt &&
	rc_repo r && cd r &&
	ln -s ../outside/secret.txt link.txt && ln -s /etc/shadow shadow &&
	ln -s "$TEST_DIR/outside" dir-link &&
	git add link.txt shadow dir-link &&
	test_exit 0 leakgate -v >v.txt 2>&1 &&
	grep -q "3 symlinks" v.txt &&
	commit_exit 0 &&
	assert_no_secret out.txt v.txt
'

test_expect_success 'a key written as a symlink target blocks (the target is committed)' '
	rc_repo r && cd r &&
	ln -s "$(fake_key github)" token-link && git add token-link &&
	commit_exit 1 && grep -q "token-link:1:1" out.txt &&
	assert_no_secret out.txt
'

test_expect_success 'an empty repository: nothing staged, an empty file, an empty commit' '
	rc_repo r && cd r &&
	test_exit 0 leakgate &&
	commit_exit 0 --allow-empty &&
	: >empty.txt && git add empty.txt &&
	commit_exit 0
'

test_expect_success 'a detached HEAD' '
	rc_repo r && cd r &&
	echo one >a.txt && git add a.txt && commit_exit 0 &&
	echo two >>a.txt && git add a.txt && commit_exit 0 &&
	git checkout -q --detach HEAD~1 &&
	echo "k = $(fake_key openai-proj)" >>a.txt && git add a.txt &&
	commit_exit 1 && grep -q "a.txt:2:5" out.txt &&
	git checkout -q a.txt 2>/dev/null; git reset -q --hard &&
	echo three >>a.txt && git add a.txt && commit_exit 0 &&
	test "$(git rev-parse --abbrev-ref HEAD)" = HEAD
'

test_expect_success 'a shallow clone' '
	git init -q src && (cd src && seq 1 5 >a.txt && git add a.txt &&
		git commit -qm 1 && seq 6 9 >>a.txt && git commit -qam 2) &&
	git clone -q --depth 1 "file://$TEST_DIR/src" r && install_rc_hook r && cd r &&
	test "$(git rev-parse --is-shallow-repository)" = true &&
	echo "k = $(fake_key github)" >>a.txt && git add a.txt &&
	commit_exit 1 && grep -q "a.txt:10:5" out.txt &&
	git reset -q --hard && echo ten >>a.txt && git add a.txt &&
	commit_exit 0
'

test_expect_success 'a sparse checkout (cone, full index)' '
	rc_repo r && cd r &&
	mkdir -p in out && echo a >in/a && echo b >out/b && echo t >top &&
	git add . && commit_exit 0 &&
	git sparse-checkout init -q --cone --no-sparse-index 2>/dev/null ||
		git sparse-checkout init --cone --no-sparse-index &&
	git sparse-checkout set in &&
	test ! -e out/b &&
	echo "k = $(fake_key github)" >in/key.txt && git add in/key.txt &&
	commit_exit 1 && grep -q "in/key.txt:1:5" out.txt &&
	git rm -q --cached in/key.txt && echo more >>in/a && git add in/a &&
	commit_exit 0
'

test_expect_success 'a sparse index: fails closed (exit 3) and says how to fix it' '
	rc_repo r && cd r &&
	mkdir -p in out && echo a >in/a && echo b >out/b &&
	git add . && commit_exit 0 &&
	git sparse-checkout init --cone --sparse-index && git sparse-checkout set in &&
	echo "k = $(fake_key github)" >in/key.txt && git add in/key.txt &&
	commit_exit 3 && grep -q "index is sparse" out.txt &&
	grep -q "no-sparse-index" out.txt &&
	git sparse-checkout init --cone --no-sparse-index &&
	commit_exit 1 && grep -q "in/key.txt:1:5" out.txt
'

test_expect_success 'core.splitIndex=true: fails closed (exit 3), clean or not, and says how to fix it' '
	rc_repo r && cd r &&
	seq 1 10 >a.txt && git add a.txt && commit_exit 0 &&
	git config core.splitIndex true && git update-index --split-index &&
	ls .git/sharedindex.* >/dev/null &&
	echo more >>a.txt && git add a.txt &&
	commit_exit 3 && grep -q "index is split" out.txt &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	commit_exit 3 && ! grep -qi "no secret" out.txt &&
	git config core.splitIndex false && git update-index --no-split-index &&
	commit_exit 1 && grep -q "key.txt:1:5" out.txt
'

# (A checksum that is wrong while the entries are sound is read as git
# reads it: git does not verify the index checksum on a normal read.)
test_expect_success 'a corrupt index (bad header, bad mode, truncated) fails closed' '
	rc_repo r && cd r &&
	echo a >a.txt && git add a.txt &&
	cp .git/index good-index &&
	printf "XXXX" | dd of=.git/index bs=1 seek=0 conv=notrunc 2>/dev/null &&
	test_exit 3 leakgate 2>err.txt && grep -qi "index" err.txt &&
	cp good-index .git/index &&
	printf "\377\377\377\377" | dd of=.git/index bs=1 seek=36 conv=notrunc 2>/dev/null &&
	test_exit 3 leakgate 2>err.txt && grep -qi "index" err.txt &&
	head -c 30 good-index >.git/index &&
	test_exit 3 leakgate 2>err.txt && grep -q -- "--no-verify" err.txt
'

# The loose object of a staged blob, by path.
obj_path() {
	o=$(git rev-parse "$1") && echo ".git/objects/$(echo $o | cut -c1-2)/$(echo $o | cut -c3-)"
}

test_expect_success 'a missing staged object: exit 3, new file or modified' '
	rc_repo r && cd r &&
	seq 1 10 >a.txt && git add a.txt && commit_exit 0 &&
	echo "new file $(date +%N)" >new.txt && git add new.txt &&
	rm -f "$(obj_path :new.txt)" &&
	commit_exit 3 && grep -q "cannot read" out.txt &&
	git rm -q --cached new.txt && rm new.txt &&
	echo "more $(date +%N)" >>a.txt && git add a.txt &&
	rm -f "$(obj_path :a.txt)" &&
	commit_exit 3 && grep -q "cannot" out.txt
'

test_expect_success 'a corrupt staged object: exit 3' '
	rc_repo r && cd r &&
	echo "content $(date +%N)" >a.txt && git add a.txt &&
	p=$(obj_path :a.txt) && chmod u+w "$p" && echo garbage >"$p" &&
	commit_exit 3 && grep -q "cannot" out.txt
'

test_expect_success 'HEAD whose tree object is missing: exit 3' '
	rc_repo r && cd r &&
	echo "content $(date +%N)" >a.txt && git add a.txt && commit_exit 0 &&
	rm -f "$(obj_path HEAD^{tree})" &&
	test_exit 3 leakgate 2>err.txt && grep -q "HEAD" err.txt
'

test_expect_success 'an unwritable cache directory changes nothing' '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	: >"$TEST_DIR/not-a-dir" &&
	XDG_CACHE_HOME="$TEST_DIR/not-a-dir" commit_exit 1 &&
	! grep -qi "cache" out.txt &&
	mkdir -p "$TEST_DIR/ro/leakgate" && chmod 0500 "$TEST_DIR/ro" "$TEST_DIR/ro/leakgate" &&
	XDG_CACHE_HOME="$TEST_DIR/ro" commit_exit 1 &&
	! grep -qi "cache" out.txt &&
	git rm -q --cached key.txt && echo fine >ok.txt && git add ok.txt &&
	XDG_CACHE_HOME="$TEST_DIR/not-a-dir" commit_exit 0
'

test_expect_success 'a corrupt, truncated or odd cache entry is recompiled, never trusted' '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	commit_exit 1 &&
	f=$(ls "$XDG_CACHE_HOME"/leakgate/rules-*.hsdb) && test -f "$f" &&
	head -c 100 "$f" >t && cat t >"$f" && commit_exit 1 &&
	head -c 100000 /dev/urandom >"$f" && commit_exit 1 &&
	{ head -c 24 "$f"; head -c 5000 /dev/zero; } >t && cat t >"$f" && commit_exit 1 &&
	rm -f "$f" && mkdir "$f" && commit_exit 1 &&
	rmdir "$f" && ln -s "$f" "$f" && commit_exit 1 &&
	grep -q "key.txt:1:5" out.txt
'

test_expect_success 'HOME and XDG unset, empty or relative' '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >key.txt && git add key.txt &&
	(unset HOME XDG_CACHE_HOME XDG_CONFIG_HOME; commit_exit 1) &&
	(HOME= XDG_CACHE_HOME= XDG_CONFIG_HOME= commit_exit 1) &&
	(HOME=rel XDG_CACHE_HOME=rel XDG_CONFIG_HOME=rel commit_exit 1) &&
	test ! -e rel &&
	git rm -q --cached key.txt && echo fine >ok.txt && git add ok.txt &&
	(unset HOME XDG_CACHE_HOME XDG_CONFIG_HOME; commit_exit 0)
'

test_done
