#!/bin/sh
# Hostile custom rules in a repository's .leakgate.ini: patterns Hyperscan
# rejects, patterns that make PCRE2 backtrack without end, rules that match
# everything. Each is rejected (exit 2, naming the file and line), bounded
# (exit 3, fail closed) or capped and reported (exit 1) — within seconds,
# never a hang.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hostile.sh"

# rule_repo PATTERN [EXTRA-LINES]: a repository whose .leakgate.ini has one
# custom rule "evil" (staged with the rest).
rule_repo() {
	rc_repo r && cd r &&
	printf "[rule \"evil\"]\npattern = %s\n%s" "$1" "${2:-}" >.leakgate.ini &&
	git add .leakgate.ini
}

# within SECONDS commit_exit ...: leakgate must end within SECONDS.
within() {
	LEAKGATE_HOOK_TIMEOUT=$1; shift
	export LEAKGATE_HOOK_TIMEOUT
	"$@"
	got=$?
	unset LEAKGATE_HOOK_TIMEOUT
	return $got
}

test_expect_success 'Hyperscan rejects a back-reference: exit 2 naming file and line' '
	rule_repo "(ab|cd)\\1" && echo x >a.txt && git add a.txt &&
	within 60 commit_exit 2 &&
	grep -q "\.leakgate\.ini:2: rule .evil.*[Bb]ack-reference" out.txt
'

test_expect_success 'lookaround and an empty-matching pattern are rejected (exit 2)' '
	rule_repo "(?=a)b" && echo x >a.txt && git add a.txt &&
	within 60 commit_exit 2 && grep -q "evil" out.txt &&
	printf "[rule \"evil\"]\npattern = a*\n" >.leakgate.ini && git add .leakgate.ini &&
	within 60 commit_exit 2 && grep -q "empty" out.txt
'

test_expect_success 'a huge bounded repeat is rejected quickly (exit 2), not compiled for minutes' '
	rule_repo "(\\w{1,5000}x){20}" && echo x >a.txt && git add a.txt &&
	within 20 commit_exit 2 && grep -q "over the limit of 4096" out.txt &&
	printf "[rule \"evil\"]\npattern = (\\\\w{1,4}x){1000}\n" >.leakgate.ini &&
	git add .leakgate.ini &&
	within 60 commit_exit 2 && grep -q "evil" out.txt
'

test_expect_success 'catastrophic backtracking in the extract pattern: bounded, fails closed (exit 3)' '
	rule_repo "a+!?" "extract = (?<secret>(a|aa)+(a|aa)+(a|aa)+(a|aa)+\$)
" &&
	{ head -c 30000 /dev/zero | tr "\0" a; echo "!"; } >a.txt && git add a.txt &&
	within 30 commit_exit 3 && grep -q "PCRE2 gave up" out.txt &&
	grep -q "evil" out.txt
'

test_expect_success 'catastrophic backtracking in the pattern itself: bounded, fails closed (exit 3)' '
	rule_repo "(.*a){20}" &&
	{ head -c 5000 /dev/zero | tr "\0" a; echo; } >a.txt && git add a.txt &&
	within 30 commit_exit 3 && grep -q "PCRE2 gave up" out.txt
'

test_expect_success 'a pattern PCRE2 cannot compile is a config error (exit 2), hit or not' '
	rule_repo "(a|b|c|d|e){3000}" && echo clean >a.txt && git add a.txt &&
	within 60 commit_exit 2 && grep -q "\.leakgate\.ini:2: rule .evil.*PCRE2" out.txt &&
	{ head -c 4000 /dev/zero | tr "\0" a; echo; } >a.txt && git add a.txt &&
	within 60 commit_exit 2
'

test_expect_success 'a rule matching everything: capped and reported (exit 1) in seconds' '
	rule_repo "[a-z][0-9]" &&
	for i in $(seq 1 12); do rand_str 2000 "a-z0-9" >f$i.txt; done &&
	git add . &&
	within 60 commit_exit 1 &&
	grep -q "more findings not listed (limits: 100 per file, 1000 per run)" out.txt &&
	n=$(grep -c "^  [a-z0-9/.]*:[0-9]*:[0-9]*  evil" out.txt) &&
	test $n -ge 999 && test $n -le 1000
'

test_expect_success 'a runaway rule on a 2 MB line: fails closed (exit 3) in seconds, naming the file' '
	rule_repo "[a-z][0-9]" &&
	rand_str 2000000 "a-z0-9 " >big.txt && git add big.txt &&
	within 60 commit_exit 3 &&
	grep -q "big.txt: more than 100000 candidate matches" out.txt
'

test_expect_success 'a rule that matches whole megabytes: one run, bounded time' '
	rule_repo "x[0-9]+" &&
	{ printf x; rand_str 8000000 0-9; echo; } >long.txt && git add long.txt &&
	# (Whether the 8 MB match survives the placeholder filters depends on
	# the random digits: the point is the time bound and a clean exit.)
	timeout 60 leakgate >out.txt 2>&1; got=$? &&
	{ test $got -eq 0 || test $got -eq 1; } &&
	{ test $got -eq 0 || grep -q "long.txt:1:1  evil" out.txt; }
'

test_done
