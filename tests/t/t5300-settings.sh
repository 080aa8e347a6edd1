#!/bin/sh
# [leakgate] settings take effect: block vs warn, entropy floor,
# max-blob-size (skipped files reported), binary, color, format,
# gitignore-check.
. "$(dirname "$0")/lib.sh"

config() {
	printf "$1" >.leakgate.ini && git add .leakgate.ini
}

test_expect_success 'block: kinds not listed warn instead of blocking' '
	new_repo r && cd r && config "[leakgate]\nblock = policy\n" &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	test_allowed git commit -qm a &&
	grep -q "github-token .*(warning)" out.txt && assert_no_secret out.txt
'

test_expect_success 'block = none: nothing blocks, everything is still reported' '
	new_repo r && cd r && config "[leakgate]\nblock = none\n" &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	test_exit 0 leakgate --format json pre-commit >out.json 2>/dev/null &&
	grep -q "\"blocking\":false" out.json
'

test_expect_success 'entropy: the floor overrides the rules'"'"' own' '
	new_repo r && cd r &&
	echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	test_exit 1 leakgate pre-commit 2>/dev/null &&
	config "[leakgate]\nentropy = 7.5\n" &&
	test_exit 0 leakgate -v pre-commit 2>err.txt && grep -q "dropped (entropy)" err.txt
'

test_expect_success 'max-blob-size: a larger file is reported as skipped, never silently' '
	new_repo r && cd r && config "[leakgate]\nmax-blob-size = 1KiB\n" &&
	{ echo "t = $(fake_key github)"; seq 1 1000; } >big.txt && git add big.txt &&
	test_allowed git commit -qm big &&
	grep -q "big.txt" out.txt && grep -q "not scanned" out.txt
'

test_expect_success 'max-blob-size: skipped blocks when block lists it' '
	new_repo r && cd r && config "[leakgate]\nmax-blob-size = 1k\nblock = secret, skipped\n" &&
	seq 1 1000 >big.txt && git add big.txt &&
	test_blocked git commit -qm big && grep -q "big.txt" out.txt
'

test_expect_success 'max-blob-size: under the limit is scanned' '
	new_repo r && cd r && config "[leakgate]\nmax-blob-size = 1MB\n" &&
	{ echo "t = $(fake_key github)"; seq 1 1000; } >big.txt && git add big.txt &&
	test_blocked git commit -qm big && grep -q github-token out.txt
'

test_expect_success 'binary: skip (default) and scan' '
	new_repo r && cd r &&
	{ head -c 4096 /dev/urandom; echo "t = $(fake_key github)"; } >blob.bin && git add blob.bin &&
	test_exit 0 leakgate pre-commit 2>/dev/null &&
	config "[leakgate]\nbinary = scan\n" &&
	test_exit 1 leakgate pre-commit 2>err.txt && grep -q "blob.bin" err.txt
'

test_expect_success 'color: always colours, never and NO_COLOR do not' '
	new_repo r && cd r && echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	esc=$(printf "\033") &&
	config "[leakgate]\ncolor = always\n" &&
	leakgate pre-commit 2>err.txt; grep -q "$esc\[" err.txt &&
	config "[leakgate]\ncolor = never\n" &&
	leakgate pre-commit 2>err.txt; ! grep -q "$esc\[" err.txt &&
	leakgate --color always pre-commit 2>err.txt; grep -q "$esc\[" err.txt
'

test_expect_success 'format: json from the config; --format wins' '
	new_repo r && cd r && echo "t = $(fake_key github)" >a.txt && git add a.txt &&
	config "[leakgate]\nformat = json\n" &&
	test_exit 1 leakgate pre-commit >out.json 2>/dev/null &&
	grep -q "^{\"path\":\"a.txt\",\"line\":1," out.json &&
	test_exit 1 leakgate --format text pre-commit >out2.txt 2>err.txt &&
	test ! -s out2.txt && grep -q github-token err.txt
'

test_expect_success 'gitignore-check: warn, block, off are read; others refused' '
	new_repo r && cd r &&
	for v in warn block off; do
		config "[leakgate]\ngitignore-check = $v\n" &&
		leakgate config >cfg.txt && grep -q "^gitignore-check = $v .*; .leakgate.ini:2" cfg.txt || exit 1
	done &&
	grep -q "^block = secret, policy " cfg.txt &&
	config "[leakgate]\ngitignore-check = block\n" && leakgate config >cfg.txt &&
	grep -q "^block = secret, policy, gitignore " cfg.txt &&
	config "[leakgate]\ngitignore-check = maybe\n" &&
	test_exit 2 leakgate config 2>err.txt &&
	grep -q ".leakgate.ini:2: gitignore-check: .maybe. is not warn, block or off" err.txt
'

test_expect_success 'bad setting values are config errors naming file and line' '
	new_repo r && cd r &&
	for kv in "block = secrets" "max-blob-size = lots" "entropy = 9" "binary = maybe" \
		  "color = sometimes" "format = xml"; do
		config "[leakgate]\n$kv\n" &&
		test_exit 2 leakgate pre-commit 2>err.txt &&
		grep -q "^leakgate: error: .leakgate.ini:2: " err.txt || { cat err.txt; exit 1; }
	done
'

test_done
