#!/bin/sh
# .gitignore coverage: .env-like files next to what is committed that git
# neither tracks nor ignores. The answer must match `git check-ignore`.
. "$(dirname "$0")/lib.sh"

# gitignore_paths: the paths of gitignore findings in out.json, sorted.
gitignore_paths() {
	sed -n 's/^{"path":"\([^"]*\)",.*"kind":"gitignore".*/\1/p' out.json | sort
}
scan_json() {
	leakgate pre-commit --format json >out.json 2>err.txt
	rc=$?
	cat out.json err.txt
	[ $rc -le 1 ] || { echo "exit $rc" >&2; return 1; }
}

test_expect_success 'an untracked, unignored .env next to a commit warns, naming the line' '
	new_repo r && cd r &&
	echo "A=1" >.env && echo "print(1)" >a.py && git add a.py &&
	test_allowed git commit -qm one &&
	grep -q "^  .env  env-file-not-ignored  medium (warning)" out.txt &&
	grep -q "add the line .\.env. to the .gitignore at the top of the repository" out.txt &&
	grep -q "leakgate init" out.txt &&
	git rev-parse --verify -q HEAD
'

test_expect_success 'the JSON finding is kind gitignore with line null, not blocking' '
	new_repo r && cd r &&
	echo "A=1" >.env.local && echo x >a.txt && git add a.txt &&
	test_exit 0 leakgate pre-commit --format json >out.json 2>err.txt &&
	grep -qF "{\"path\":\".env.local\",\"line\":null,\"column\":null,\"kind\":\"gitignore\",\"rule\":\"env-file-not-ignored\"" out.json &&
	grep -qF "\"blocking\":false" out.json
'

test_expect_success 'ignored or tracked .env files do not warn' '
	new_repo r && cd r &&
	echo "A=1" >.env && echo ".env" >.gitignore && git add .gitignore &&
	test_allowed git commit -qm ignore && ! grep -q gitignore out.txt &&
	git check-ignore -q .env &&
	echo "B=1" >.env.shared && git add .env.shared && git commit -qm shared --no-verify &&
	echo y >b.txt && git add b.txt &&
	test_allowed git commit -qm "tracked .env.shared untouched" &&
	! grep -q "env-file" out.txt &&
	echo z >>b.txt &&
	test_allowed git commit -qam "commit -a: the temporary index knows it is tracked" &&
	! grep -q "env-file" out.txt
'

test_expect_success 'templates are not expected to be ignored' '
	new_repo r && cd r &&
	echo "A=" >.env.example && echo "A=" >.env.sample && echo x >a.txt && git add a.txt &&
	test_allowed git commit -qm one && ! grep -q gitignore out.txt
'

test_expect_success 'nested directories: checked where a path is staged, not elsewhere' '
	new_repo r && cd r &&
	mkdir -p sub/deeper other && echo "A=1" >sub/.env.local && echo "A=1" >other/.env &&
	echo "A=1" >sub/deeper/.env &&
	echo x >sub/x.py && git add sub/x.py &&
	scan_json &&
	test "$(gitignore_paths)" = "sub/.env.local" &&
	grep -q "add the line .\.env\.\*. to the .gitignore" out.json &&
	grep -q "keep templates with .!\.env\.example." out.json
'

test_expect_success 'a staged deletion checks its directory too (git rm --cached)' '
	new_repo r && cd r &&
	mkdir config && echo "A=1" >config/.env && git add config/.env &&
	git commit -qm oops --no-verify &&
	git rm -q --cached config/.env &&
	test_allowed git commit -qm "untrack config/.env" &&
	grep -q "config/.env  env-file-not-ignored" out.txt
'

test_expect_success 'gitignore-check = block blocks, off is silent, [allow] rules too' '
	new_repo r && cd r &&
	git commit -q --allow-empty -m root &&
	echo "A=1" >.env && echo x >a.txt && git add a.txt &&
	printf "[leakgate]\ngitignore-check = block\n" >.leakgate.ini &&
	test_blocked git commit -qm block && grep -q "env-file-not-ignored  medium$" out.txt &&
	printf "[leakgate]\ngitignore-check = off\n" >.leakgate.ini &&
	test_allowed git commit -qm off && ! grep -q "not-ignored" out.txt &&
	git reset -q --soft HEAD~1 &&
	printf "[allow]\nrules = env-file-not-ignored\n" >.leakgate.ini &&
	test_allowed git commit -qm allow && ! grep -q "not-ignored  medium" out.txt &&
	git reset -q --soft HEAD~1 &&
	printf "[allow]\npaths = .env\n" >.leakgate.ini &&
	test_allowed git commit -qm "allow by path" && ! grep -q "not-ignored  medium" out.txt
'

test_expect_success 'following the advice silences the warning' '
	new_repo r && cd r &&
	mkdir -p app && echo "A=1" >app/prod.env && echo x >app/a.txt && git add app/a.txt &&
	scan_json &&
	line=$(sed -n "s/.*add the line '\''\([^'\'']*\)'\'' to the .gitignore.*/\1/p" out.json) &&
	test "$line" = "*.env" &&
	echo "$line" >>.gitignore &&
	scan_json && test -z "$(gitignore_paths)" && git check-ignore -q app/prod.env
'

test_expect_success 'a linked worktree is checked in its own work tree' '
	new_repo r && cd r &&
	echo x >a.txt && git add a.txt && git commit -qm one &&
	git worktree add -q ../wt 2>/dev/null && cd ../wt &&
	echo "A=1" >.env && echo y >b.txt && git add b.txt &&
	test_allowed git commit -qm two &&
	grep -q "^  .env  env-file-not-ignored" out.txt
'

# The big ones: nested .gitignore files, negations, anchored and directory
# patterns, info/exclude and core.excludesFile (or git's XDG default),
# compared with git check-ignore file by file. $DIRS and $NAMES list the
# directories (each gets a staged x.txt) and the .env-like files in each.
DIRS=". a a/sub b c secrets deep/x/y e"
NAMES=".env .env.local .env.staging .env.test .env.ci .env.qa .env.x .env.production
	.env.prod2 keep.env other.env .env.dev"
populate() {
	for d in $DIRS; do
		mkdir -p "$d" &&
		for n in $NAMES; do echo "A=1" >"$d/$n" || return 1; done &&
		echo x >"$d/x.txt" && git add -f "$d/x.txt" || return 1
	done
}
make_ignore_maze() {
	cat >.gitignore <<-\EOF
	.env
	/.env.local
	*.env
	!keep.env
	secrets/
	deep/**/.env.*
	.env.prod*
	!.env.production
	EOF
	mkdir -p a/sub b c secrets deep/x/y e &&
	printf '!.env\n.env.x\n' >a/.gitignore &&
	printf '/.env.staging\n' >b/.gitignore &&
	printf '.env.*\n!.env.dev\n' >e/.gitignore &&
	printf '.env.test\n' >>.git/info/exclude &&
	populate &&
	git add .gitignore a/.gitignore b/.gitignore e/.gitignore &&
	git add -f c/.env.dev && git commit -qm "c/.env.dev is tracked" --no-verify &&
	for d in $DIRS; do echo y >>"$d/x.txt"; done &&
	git add -f -u
}
# expected_paths: every file of populate that git check-ignore says is
# not ignored and that is not tracked.
expected_paths() {
	for d in $DIRS; do
		for n in $NAMES; do
			p=${d#./}/$n; [ "$d" = . ] && p=$n
			git ls-files --error-unmatch -- "$p" >/dev/null 2>&1 && continue
			git check-ignore -q -- "$p" || echo "$p"
		done
	done | sort
}
compare_with_git() {
	expected_paths >expected.txt && scan_json && gitignore_paths >got.txt &&
	echo "expected $(wc -l <expected.txt), got $(wc -l <got.txt)" &&
	diff -u expected.txt got.txt
}

test_expect_success 'matches git check-ignore: nested, negations, info/exclude, core.excludesFile' '
	new_repo r && cd r &&
	printf ".env.ci\n" >"$HOME/my-excludes" &&
	git config core.excludesFile "~/my-excludes" &&
	make_ignore_maze && compare_with_git &&
	test $(wc -l <expected.txt) -gt 20 &&
	grep -qx "a/.env" got.txt && ! grep -qx "b/.env.staging" got.txt &&
	grep -qx "a/.env.staging" got.txt && ! grep -q "\.env\.ci$" got.txt &&
	! grep -q "^secrets/" got.txt
'

test_expect_success 'matches git check-ignore: the XDG default excludes file' '
	new_repo r && cd r &&
	mkdir -p "$XDG_CONFIG_HOME/git" && printf ".env.qa\n" >"$XDG_CONFIG_HOME/git/ignore" &&
	make_ignore_maze && compare_with_git &&
	rm -f "$XDG_CONFIG_HOME/git/ignore" && ! grep -q "\.env\.qa$" got.txt
'

test_expect_success 'matches git check-ignore: globs, **, brackets, escapes, spaces, CRLF' '
	new_repo r && cd r && set -f &&
	DIRS=". logs a/logs anch anch/sub mid/x mid/x/y n1 a/n1/b f x/donly.env g g/h" &&
	NAMES=".env .env.local .env.bak .env.n .env.ic .ENV.IC prod.env Prod.env pRod.env
		dev.env xdev.env sp.env trail.env #hash.env !bang.env donly.env star*.env" &&
	printf "%s\n" "# a comment.env" "\\#hash.env" "\\!bang.env" "**/logs/.env" \
		"donly.env/" "[Pp]rod.env" "?ev.env" "*.env.bak" "sp.env\\ " "trail.env   " \
		"/anch/*.env" "mid/x/.env.*" "**/n1/**/.env.n" ".env.ic" "star\\*.env" \
		"g/**" "!g/.env" >.gitignore &&
	mkdir f && printf ".env.local\r\n!.env.bak\r\n" >f/.gitignore &&
	populate && git add .gitignore f/.gitignore && compare_with_git &&
	test $(wc -l <expected.txt) -gt 50 && ! grep -qx "trail.env" expected.txt &&
	grep -qx "sp.env" expected.txt && ! grep -qx "f/.env.local" expected.txt &&
	grep -qx "g/.env" expected.txt && ! grep -qx "g/h/.env" expected.txt
'

test_expect_success 'matches git check-ignore with core.ignorecase' '
	new_repo r && cd r &&
	git config core.ignorecase true &&
	DIRS=". a" &&
	NAMES=".env .ENV .Env.Local .env.local APP.ENV app.env" &&
	printf "%s\n" ".env" "*.ENV" "/A/.ENV.*" >.gitignore &&
	populate && git add .gitignore && compare_with_git
'

test_done
