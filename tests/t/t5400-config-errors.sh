#!/bin/sh
# Strict parsing: every config error is fatal (exit 2), names the file and
# the line, and says what to do; through the hook it blocks the commit.
. "$(dirname "$0")/lib.sh"

# expect_config_error 'INI TEXT' 'EXPECTED MESSAGE (grep BRE)': the text as
# --config FILE gives exit 2 and the message on stderr.
expect_config_error() {
	printf "$1" >bad.ini &&
	test_exit 2 leakgate pre-commit --config bad.ini 2>err.txt &&
	cat err.txt &&
	grep -q "^leakgate: error: $2" err.txt
}

test_expect_success 'a missing --config file' '
	new_repo r && cd r &&
	test_exit 2 leakgate pre-commit --config nope.ini 2>err.txt &&
	grep -q "^leakgate: error: cannot read config .nope.ini.: No such file or directory" err.txt
'

test_expect_success 'an unreadable config file' '
	new_repo r && cd r && mkdir dir.ini &&
	test_exit 2 leakgate pre-commit --config dir.ini 2>err.txt &&
	grep -q "^leakgate: error: cannot read config .dir.ini.: Is a directory" err.txt &&
	if [ "$(id -u)" != 0 ]; then
		printf "[leakgate]\n" >locked.ini && chmod 000 locked.ini &&
		test_exit 2 leakgate pre-commit --config locked.ini 2>err.txt &&
		grep -q "Permission denied" err.txt
	fi
'

test_expect_success 'an unreadable user config file' '
	new_repo r && cd r && mkdir -p "$XDG_CONFIG_HOME/leakgate/config.ini" &&
	test_exit 2 leakgate pre-commit 2>err.txt; rc=$?; rmdir "$XDG_CONFIG_HOME/leakgate/config.ini" &&
	test $rc = 0 && grep -q "cannot read config .*config.ini.: Is a directory" err.txt
'

test_expect_success 'a bad allowlist regex shows PCRE2'"'"'s message' '
	new_repo r && cd r &&
	expect_config_error "[allow]\nregexes = ok\n  a(b\n" \
		"bad.ini:3: \[allow\] regexes: regex rejected by PCRE2 at offset 3: missing closing parenthesis"
'

test_expect_success 'a bad scoped line regex names its rule' '
	new_repo r && cd r &&
	expect_config_error "[rule \"github-token\"]\nallow-line-regexes = [z-a]\n" \
		"bad.ini:2: \[rule \"github-token\"\] allow-line-regexes: regex rejected by PCRE2 at offset 3: range out of order"
'

test_expect_success 'a bad custom rule pattern names the rule, file and line' '
	new_repo r && cd r &&
	expect_config_error "[rule \"mine\"]\ndescription = x\npattern = a(b\n" \
		"bad.ini:3: rule .mine.: pattern rejected by Hyperscan: Missing close parenthesis"
'

test_expect_success 'a bad extract pattern is a config error before any hit' '
	new_repo r && cd r &&
	expect_config_error "[rule \"mine\"]\npattern = zzq[0-9]+\nextract = (?<secret>zzq[0-9]+\n" \
		"bad.ini:3: rule .mine.: extract pattern rejected by PCRE2 at offset 19: missing closing parenthesis"
'

test_expect_success 'an unknown key, with a hint' '
	new_repo r && cd r &&
	expect_config_error "[allow]\npath = x\n" \
		"bad.ini:2: unknown key .path. in \[allow\] (did you mean .paths.?)" &&
	expect_config_error "[leakgate]\nmax-blobsize = 1k\n" \
		"bad.ini:2: unknown key .max-blobsize. in \[leakgate\] (did you mean .max-blob-size.?)" &&
	expect_config_error "[rule \"x\"]\npatern = x\n" \
		"bad.ini:2: unknown key .patern. in \[rule\] (did you mean .pattern.?)"
'

test_expect_success 'an unknown section, with a hint' '
	new_repo r && cd r &&
	expect_config_error "[allowlist]\npaths = x\n" \
		"bad.ini:1: unknown section \[allowlist\]"  &&
	expect_config_error "[alow]\npaths = x\n" \
		"bad.ini:1: unknown section \[alow\] (did you mean .allow.?)"
'

test_expect_success 'an over-long line' '
	new_repo r && cd r &&
	expect_config_error "[rule \"x\"]\npattern = $(rand_str 250 a-z)\n" \
		"bad.ini:2: line is 260 bytes long; the limit is 198: continue the value on the following indented lines"
'

test_expect_success 'a duplicate rule id in one file' '
	new_repo r && cd r &&
	expect_config_error "[rule \"x\"]\npattern = a\n\n[rule \"x\"]\npattern = b\n" \
		"bad.ini:4: duplicate rule id .x. in this file"
'

test_expect_success 'a key given twice, a line without =, a key outside a section' '
	new_repo r && cd r &&
	expect_config_error "[leakgate]\nbinary = scan\nbinary = skip\n" \
		"bad.ini:3: key .binary. given twice in this section" &&
	expect_config_error "[leakgate]\nbinary\n" "bad.ini:2: syntax error" &&
	expect_config_error "binary = scan\n" "bad.ini:1: key .binary. outside a section"
'

test_expect_success 'a bad section header' '
	new_repo r && cd r &&
	expect_config_error "[rule my-rule]\n" "bad.ini:1: bad rule section" &&
	expect_config_error "[allow\n" "bad.ini:1: section header without"
'

test_expect_success 'an error in the staged .leakgate.ini blocks the commit and says how to bypass' '
	new_repo r && cd r &&
	printf "[allow]\nstopword = x\n" >.leakgate.ini && echo hi >a.txt && git add . &&
	test_blocked git commit -qm a &&
	grep -q "^leakgate: error: .leakgate.ini:2: unknown key .stopword. in \[allow\] (did you mean .stopwords.?)" out.txt &&
	grep -q "git commit --no-verify" out.txt &&
	test_must_fail git rev-parse -q --verify HEAD
'

test_expect_success 'leakgate config fails the same way' '
	new_repo r && cd r &&
	printf "[leakgate]\nblock = secret\n  policy\n  nonsense\n" >.leakgate.ini && git add .leakgate.ini &&
	test_exit 2 leakgate config >/dev/null 2>err.txt && cat err.txt &&
	grep -q ".leakgate.ini:2: block: unknown kind .nonsense." err.txt
'

test_done
