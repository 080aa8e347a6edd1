#!/bin/sh
# Golden outputs (text, JSON Lines, SARIF) of a history scan, and SARIF
# validated by Microsoft's SARIF Multitool when it is installed.
. "$(dirname "$0")/lib.sh"

GOLDEN=$LEAKGATE_ROOT/tests/fixtures/history

# The same secrets every run, built from pieces so this file holds none.
# (Made-up values; they only have to look like keys. The GitHub one carries
# a valid checksum: a random ghp_ string is not reported as a GitHub token.)
gh_tok="gh""p_Zq4Xk9Lm2Vb7Nc1Rt8Wy3Hd6Fs0Gj54AbfIR"
aws_id="AK""IAJ5XRKTQ2PLM7WZ3B"
gen_val="Hq8""vZr2LpX6mN4cT9wB1kY7sD3fG5jR0"
printf '%s\n%s\n%s\n' "$gh_tok" "$aws_id" "$gen_val" >>"$SECRETS"

# golden_repo DIR: a fixed four-commit history; object ids are stable
# because lib.sh fixes names and dates.
golden_repo() {
	git init -q "$1" && cd "$1" &&
	printf "[leakgate]\nmax-blob-size = 1024\n" >.leakgate.ini &&
	printf "# demo\n" >README.md &&
	printf "import os\nGH = \"%s\"\n" "$gh_tok" >config.py &&
	git add . && git commit -qm root &&
	printf "AWS_ID = \"%s\"\n" "$aws_id" >>config.py &&
	mkdir -p "docs" && printf "see the key %s\n" "$gh_tok" >"docs/notes über #1.txt" &&
	git add . && git commit -qm second &&
	printf "export API_%s=\"%s\"\n" "TOKEN" "$gen_val" >deploy.sh &&
	awk "BEGIN { for (i = 0; i < 100; i++) print \"padding line \" i }" >big.txt &&
	git add . && git commit -qm third &&
	git checkout -qb side && printf "x\n" >side.txt && git add side.txt && git commit -qm side &&
	git checkout -q main && git merge -q --no-ff --no-edit side &&
	cd ..
}

normalize() {	# the version may change without the output changing
	sed -e 's/^\(          "version": \)"[^"]*",$/\1"@VERSION@",/' \
	    -e 's/^\(          "semanticVersion": \)"[^"]*",$/\1"@VERSION@",/'
}

test_expect_success 'text report of the history matches the golden file' '
	golden_repo r && cd r &&
	test_exit 1 leakgate scan --all --color never 2>out.txt &&
	diff -u "$GOLDEN/expected.txt" out.txt &&
	assert_no_secret out.txt
'

test_expect_success 'JSON Lines of the history match the golden file' '
	golden_repo r && cd r &&
	test_exit 1 leakgate scan --all --format json >out.jsonl 2>err.txt &&
	test ! -s err.txt &&
	diff -u "$GOLDEN/expected.jsonl" out.jsonl &&
	assert_no_secret out.jsonl
'

test_expect_success 'SARIF of the history matches the golden file' '
	golden_repo r && cd r &&
	test_exit 1 leakgate scan --all --format sarif >out.sarif 2>err.txt &&
	test ! -s err.txt &&
	normalize <out.sarif >out.norm &&
	diff -u "$GOLDEN/expected.sarif" out.norm &&
	assert_no_secret out.sarif
'

# Structure GitHub relies on, checked with node when it is there: every
# result names a rule by id and matching index, has a location and a
# fingerprint, and no message holds a secret.
sarif_check_js='
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const fail = (m) => { console.error(m); process.exit(1); };
if (log.version !== "2.1.0" || log.runs.length !== 1) fail("version/runs");
const run = log.runs[0], rules = run.tool.driver.rules;
const ids = new Set(rules.map((r) => r.id));
if (ids.size !== rules.length) fail("duplicate rule ids");
for (const r of rules)
	if (!r.shortDescription.text || !r.fullDescription.text || !r.help.text) fail("rule text " + r.id);
for (const x of run.results) {
	if (!Number.isInteger(x.ruleIndex) || rules[x.ruleIndex].id !== x.ruleId) fail("ruleIndex " + x.ruleId);
	if (!["error", "warning", "note"].includes(x.level)) fail("level");
	const loc = x.locations[0].physicalLocation;
	if (!loc.artifactLocation.uri) fail("uri");
	if (!/^[0-9a-f]{16}$/.test(x.partialFingerprints["leakgate/v1"])) fail("fingerprint");
}
console.log(run.results.length);
'

test_expect_success 'SARIF structure: rule ids and indexes agree (node)' '
	golden_repo r && cd r &&
	leakgate scan --all --format sarif >out.sarif; test $? -eq 1 &&
	if command -v node >/dev/null 2>&1; then
		n=$(node -e "$sarif_check_js" out.sarif) && test "$n" -eq 5
	else
		echo "node not installed: structure check not run"
	fi
'

# The SARIF Multitool (npm: @microsoft/sarif-multitool-linux), wherever it
# is: $SARIF_MULTITOOL, tests/tools (install.sh), ./node_modules, or npm's
# global root (npm install -g).
find_multitool() {
	for m in "${SARIF_MULTITOOL:-}" \
		"$LEAKGATE_ROOT/tests/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" \
		"$LEAKGATE_ROOT/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" \
		"$(npm root -g 2>/dev/null)/@microsoft/sarif-multitool-linux/Sarif.Multitool"; do
		if [ -n "$m" ] && [ -f "$m" ]; then
			[ -x "$m" ] || chmod u+x "$m" 2>/dev/null
			[ -x "$m" ] && { echo "$m"; return 0; }
		fi
	done
	return 1
}
MULTITOOL=$(find_multitool || true)

# sarif_validate FILE: 0 when the Multitool reports no error. It exits 0
# even on errors, so its own SARIF log is read for error results.
sarif_validate() {
	schema=$(dirname "$MULTITOOL")/sarif-2.1.0.json
	"$MULTITOOL" validate "$1" --output "$1.validation" --log ForceOverwrite \
		--json-schema "$schema" >"$1.vlog" 2>&1 || { cat "$1.vlog"; return 1; }
	cat "$1.vlog"
	test -s "$1.validation" || { echo "no validation log"; return 1; }
	! grep -q ": error " "$1.vlog" &&
	! grep -q "\"level\": \"error\"" "$1.validation"
}

if [ -z "$MULTITOOL" ]; then
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP SARIF Multitool not installed (npm install --prefix tests/tools @microsoft/sarif-multitool-linux)"
else
	test_expect_success 'the Multitool catches a broken SARIF file (it is really validating)' '
		golden_repo r && cd r &&
		leakgate scan --all --format sarif >out.sarif; test $? -eq 1 &&
		sed "s/\"startLine\": [0-9]*/\"startLine\": 0/" out.sarif >bad.sarif &&
		! sarif_validate bad.sarif
	'

	test_expect_success 'SARIF of a history scan passes Sarif.Multitool validate' '
		golden_repo r && cd r &&
		leakgate scan --all --format sarif >out.sarif; test $? -eq 1 &&
		sarif_validate out.sarif
	'

	test_expect_success 'SARIF of a clean scan and of absolute paths validate too' '
		mkdir clean && echo "print(1)" >clean/a.py &&
		test_exit 0 leakgate scan --format sarif clean >clean.sarif &&
		grep -q "\"results\": \[\]" clean.sarif &&
		sarif_validate clean.sarif &&
		mkdir d && echo "k = \"$(fake_key github)\"" >d/k.txt &&
		test_exit 1 leakgate scan --format sarif "$TEST_DIR/d" >abs.sarif &&
		grep -q "\"uri\": \"file:///" abs.sarif &&
		sarif_validate abs.sarif
	'
fi

test_done
