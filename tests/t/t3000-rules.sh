#!/bin/sh
# Every built-in rule against its own example and negative_example lines,
# through the real engine (Hyperscan + PCRE2 + filters).
. "$(dirname "$0")/lib.sh"

test_expect_success 'every built-in rule flags its examples and not its negatives' '
	leakgate rules --check
'

test_expect_success 'rules lists id, provider and description' '
	leakgate rules >list.txt &&
	grep -q "^openai-project-key  *OpenAI  *OpenAI API key" list.txt
'

test_expect_success 'rules --check fails on a rule that misses its example' '
	cat >custom.ini <<-\EOF2 &&
	[rule "acme-token"]
	description = ACME token
	pattern = \bacme_[a-z0-9]{32}\b
	example = acme_0123456789abcdefghijklmnopqrstuv
	example = acme_short
	negative_example = acme_tooshort
	EOF2
	test_exit 1 leakgate rules --check custom.ini 2>err.txt &&
	grep -q "custom.ini:1: rule .acme-token. misses its example 2" err.txt
'

test_expect_success 'rules --check fails on a rule that flags its negative' '
	cat >custom.ini <<-\EOF2 &&
	[rule "acme-token"]
	pattern = \bacme_[a-z0-9]{8,}\b
	example = acme_0123456789abcdefghijklmnopqrstuv
	negative_example = acme_0123456789
	EOF2
	test_exit 1 leakgate rules --check custom.ini 2>err.txt &&
	grep -q "flags its negative_example 1" err.txt
'

test_expect_success 'a pattern Hyperscan rejects names the rule, file and line' '
	printf "[rule \"bad\"]\ndescription = x\npattern = (a)\\\\1\nexample = aa\nnegative_example = b\n" >bad.ini &&
	test_exit 2 leakgate rules --check bad.ini 2>err.txt &&
	grep -q "bad.ini:3: rule .bad.: pattern rejected by Hyperscan" err.txt
'

test_expect_success 'an extract pattern PCRE2 rejects names the rule, file and line' '
	printf "[rule \"bad\"]\npattern = abc\nextract = (?<secret>abc\nexample = abc\nnegative_example = b\n" >bad.ini &&
	test_exit 2 leakgate rules --check bad.ini 2>err.txt &&
	grep -q "bad.ini:3: rule .bad.: extract pattern rejected by PCRE2" err.txt
'

test_done
