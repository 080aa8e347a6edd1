#!/bin/sh
# Hostile file names: terminal escape sequences, newlines, quotes,
# bytes that are not UTF-8, very long and very deep paths. The text report
# must escape them (nothing a terminal acts on gets through) and the JSON
# must stay valid and give the exact name back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hostile.sh"

# The names, as printf formats; each file gets its own key.
NAMES='\033]0;pwned\007\033[2Jevil.txt
\302\23331mc1.txt
new\nline.txt
q"uo\047te.txt
back\\slash.txt
latin\351.txt
tab\there.txt
\342\200\256txt.exe'

test_expect_success 'hostile names: blocked, escaped in text, valid and exact in JSON' '
	rc_repo r && cd r &&
	printf "%s\n" "$NAMES" | while IFS= read -r fmt; do
		name=$(printf "$fmt") &&
		printf "k = %s\n" "$(fake_key github)" >"$name" || exit 1
	done &&
	test $(git ls-files -o --exclude-standard | wc -l) -ge 8 &&
	git add -A &&
	commit_exit 1 &&
	no_control_bytes out.txt &&
	test $(grep -c github-token out.txt) -eq 8 &&
	grep -qF "\\x1b]0;pwned\\x07\\x1b[2Jevil.txt:1:5" out.txt &&
	grep -qF "\\u009b31mc1.txt:1:5" out.txt &&
	grep -qF "new\\x0aline.txt:1:5" out.txt &&
	grep -qF "q\"uo'"'"'te.txt:1:5" out.txt &&
	grep -qF "back\\\\slash.txt:1:5" out.txt &&
	grep -qF "latin\\xe9.txt:1:5" out.txt &&
	grep -qF "tab\\x09here.txt:1:5" out.txt &&
	grep -qF "\\u202etxt.exe:1:5" out.txt &&
	assert_no_secret out.txt &&
	test_exit 1 leakgate --format json >f.json 2>err.txt &&
	test ! -s err.txt &&
	json_valid f.json &&
	json_paths f.json | sort >got.txt &&
	git ls-files -z | tr "\n\0" "\036\n" | sed "s/\x1e/\\\\n/g" | sort >want.txt &&
	cmp want.txt got.txt &&
	assert_no_secret f.json &&
	test_exit 1 leakgate --format sarif >f.sarif 2>/dev/null &&
	{ ! command -v python3 >/dev/null ||
	  python3 -c "import json,sys; json.loads(open(sys.argv[1],\"rb\").read().decode(\"utf-8\"))" f.sarif; } &&
	no_control_bytes f.sarif &&
	assert_no_secret f.sarif
'

test_expect_success 'hostile names with --color always: still no raw control bytes but colour' '
	rc_repo r && cd r &&
	name=$(printf "\033[31mred\033[0m.txt") &&
	echo "k = $(fake_key github)" >"$name" && git add -A &&
	test_exit 1 leakgate --color always 2>err.txt &&
	grep -qF "\\x1b[31mred\\x1b[0m.txt" err.txt &&
	sed "s/\x1b\[[0-9;]*m//g" err.txt >plain.txt &&
	! grep -q "$(printf "\033")" plain.txt
'

test_expect_success 'a path 4,000 bytes long and 200 directories deep' '
	rc_repo r && cd r &&
	d=$(printf "d%017d/" $(seq 1 200) | tr -d "\n") &&
	f=$(printf "%0196d.txt" 0) &&
	p="$d$f" && test ${#p} -eq 4000 &&
	mkdir -p "$d" && echo "t = $(fake_key github)" >"$p" &&
	git add "$p" &&
	commit_exit 1 &&
	grep -qF "$p:1:5" out.txt &&
	test_exit 1 leakgate --format json >f.json &&
	json_valid f.json && grep -qF "\"path\":\"$p\"" f.json &&
	echo clean >"$p" && git add "$p" &&
	commit_exit 0 &&
	test "$(git ls-tree -r --name-only HEAD)" = "$p"
'

test_expect_success 'a name that looks like an option or a format string' '
	rc_repo r && cd r &&
	echo "k = $(fake_key github)" >"--format=json" &&
	echo "k = $(fake_key github)" >"%s%n%x%p.txt" &&
	git add -- "--format=json" "%s%n%x%p.txt" &&
	commit_exit 1 &&
	grep -qF -- "--format=json:1:5" out.txt &&
	grep -qF "%s%n%x%p.txt:1:5" out.txt
'

test_done
