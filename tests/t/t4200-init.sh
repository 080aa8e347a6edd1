#!/bin/sh
# leakgate init: .leakgate.ini if absent, the .env patterns in .gitignore,
# idempotent, existing lines untouched.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init in a fresh repository, then again: nothing changes' '
	new_repo r && cd r &&
	test_exit 0 leakgate init 2>err1.txt && cat err1.txt &&
	test -f .leakgate.ini && test -f .gitignore &&
	grep -qx ".env" .gitignore && grep -qx ".env.\*" .gitignore &&
	grep -qx "\*.env" .gitignore && grep -qx "!.env.example" .gitignore &&
	cp .gitignore gi.1 && cp .leakgate.ini li.1 &&
	test_exit 0 leakgate init 2>err2.txt && cat err2.txt &&
	cmp gi.1 .gitignore && cmp li.1 .leakgate.ini &&
	grep -q "left as it is" err2.txt
'

test_expect_success 'after init, .env files are ignored and templates are not' '
	new_repo r && cd r && leakgate init 2>/dev/null &&
	mkdir -p sub/deeper &&
	for p in .env .env.local .env.production app.env sub/.env sub/deeper/.env.staging \
		sub/prod.env; do
		git check-ignore -q "$p" || { echo "not ignored: $p"; exit 1; }
	done &&
	for p in .env.example .env.sample .env.template .env.dist .env.defaults \
		sub/.env.example sub/.env.local.example .env.production.sample; do
		if git check-ignore -q "$p"; then echo "ignored: $p"; exit 1; fi
	done
'

test_expect_success 'existing lines are kept as they are; only missing ones are added' '
	new_repo r && cd r &&
	printf "node_modules/\n# my env files\n.env\n*.log" >.gitignore &&
	cp .gitignore before &&
	leakgate init 2>err.txt && cat err.txt .gitignore &&
	head -c $(wc -c <before) .gitignore | cmp - before &&
	test $(grep -cx ".env" .gitignore) = 1 &&
	grep -qx "\*.log" .gitignore && grep -qx ".env.\*" .gitignore &&
	cp .gitignore after1 && leakgate init 2>/dev/null && cmp after1 .gitignore
'

test_expect_success 'exceptions are repeated after newly added patterns' '
	new_repo r && cd r &&
	printf "!.env.example\n" >.gitignore &&
	leakgate init 2>/dev/null && cat .gitignore &&
	test $(grep -cx "!.env.example" .gitignore) = 2 &&
	echo A= >.env.example && ! git check-ignore -q .env.example &&
	cp .gitignore after1 && leakgate init 2>/dev/null && cmp after1 .gitignore
'

test_expect_success 'CRLF .gitignore files get CRLF lines' '
	new_repo r && cd r &&
	printf "build/\r\n" >.gitignore &&
	leakgate init 2>/dev/null &&
	! tr -d "\r" <.gitignore | cmp -s - .gitignore &&
	test "$(grep -c "$(printf "\r")\$" .gitignore)" = "$(grep -c "" .gitignore)" &&
	echo A=1 >.env && git check-ignore -q .env
'

test_expect_success 'an existing .leakgate.ini is kept' '
	new_repo r && cd r &&
	printf "[leakgate]\nblock = secret\n" >.leakgate.ini && cp .leakgate.ini before &&
	leakgate init 2>err.txt && cmp before .leakgate.ini &&
	grep -q ".leakgate.ini already exists" err.txt
'

test_expect_success 'the written .leakgate.ini is a valid config, and commits work' '
	new_repo r && cd r && leakgate init 2>/dev/null &&
	echo A=1 >.env && echo "A=" >.env.example &&
	git add .leakgate.ini .gitignore .env.example &&
	test_allowed git commit -qm "leakgate init" &&
	! grep -q "not-ignored" out.txt &&
	git ls-files | grep -qx .leakgate.ini && ! git ls-files | grep -qx .env
'

test_expect_success 'init from a subdirectory writes at the top of the work tree' '
	new_repo r && cd r && mkdir -p a/b && cd a/b &&
	leakgate init 2>/dev/null && cd ../.. &&
	test -f .gitignore && test -f .leakgate.ini && test ! -e a/b/.gitignore
'

test_expect_success 'init outside a repository or in a bare one is a usage error' '
	mkdir plain && (cd plain && test_exit 2 leakgate init) &&
	git init -q --bare bare.git && (cd bare.git && test_exit 2 leakgate init)
'

test_done
