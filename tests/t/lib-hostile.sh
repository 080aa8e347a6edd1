# tests/t/lib-hostile.sh — helpers for the hostile-input suite (t8*.sh),
# sourced after lib.sh.
#
# Every hostile case is a real `git commit` through a hook that records
# leakgate's own exit status, so a test can assert the exact code (git
# only says "the hook failed") and that leakgate did not die by a signal.

# rc_repo DIR: like new_repo, with the recording hook.
rc_repo() {
	git init -q "$1" && install_rc_hook "$1"
}
install_rc_hook() {
	hookdir=$(git -C "$1" rev-parse --git-path hooks) &&
	case "$hookdir" in /*) ;; *) hookdir="$1/$hookdir" ;; esac &&
	mkdir -p "$hookdir" &&
	cat >"$hookdir/pre-commit" <<-\HOOK &&
	#!/bin/sh
	if [ -n "${LEAKGATE_HOOK_TIMEOUT:-}" ]; then
		timeout "$LEAKGATE_HOOK_TIMEOUT" leakgate pre-commit "$@"
	else
		leakgate pre-commit "$@"
	fi
	rc=$?
	[ -z "${LEAKGATE_RC_FILE:-}" ] || echo $rc >"$LEAKGATE_RC_FILE"
	exit $rc
	HOOK
	chmod +x "$hookdir/pre-commit"
}

# commit_exit WANT [GIT-COMMIT-ARGS...]: a real commit attempt; leakgate
# must have run and exited WANT (no signal), and git must have made the
# commit exactly when WANT is 0. Output in ./out.txt. With
# LEAKGATE_HOOK_TIMEOUT=SECONDS, leakgate running longer is a failure.
commit_exit() {
	want=$1; shift
	LEAKGATE_RC_FILE=$(pwd)/.leakgate-rc
	export LEAKGATE_RC_FILE
	rm -f "$LEAKGATE_RC_FILE"
	before=$(git rev-parse -q --verify HEAD 2>/dev/null)
	git commit -q -m hostile "$@" >out.txt 2>&1
	git_rc=$?
	cat out.txt
	if [ ! -f "$LEAKGATE_RC_FILE" ]; then
		echo "the hook did not run leakgate to the end" >&2; return 1
	fi
	rc=$(cat "$LEAKGATE_RC_FILE")
	rm -f "$LEAKGATE_RC_FILE"
	if [ "$rc" -gt 128 ]; then echo "leakgate died by signal $((rc - 128))" >&2; return 1; fi
	if [ "$rc" -eq 124 ] && [ -n "${LEAKGATE_HOOK_TIMEOUT:-}" ]; then
		echo "leakgate still running after ${LEAKGATE_HOOK_TIMEOUT}s: a hang" >&2; return 1
	fi
	if [ "$rc" -ne "$want" ]; then echo "leakgate exit $rc, want $want" >&2; return 1; fi
	after=$(git rev-parse -q --verify HEAD 2>/dev/null)
	if [ "$want" -eq 0 ]; then
		[ $git_rc -eq 0 ] && [ "$before" != "$after" ] ||
			{ echo "git did not commit (exit $git_rc)" >&2; return 1; }
	else
		[ $git_rc -ne 0 ] && [ "$before" = "$after" ] ||
			{ echo "git committed despite leakgate exit $rc" >&2; return 1; }
	fi
	# A non-zero exit always says why and how to bypass once.
	if [ "$want" -ne 0 ]; then
		grep -q -- "--no-verify" out.txt ||
			{ echo "no bypass hint in the output" >&2; return 1; }
	fi
	return 0
}

# json_valid FILE: every line of FILE is a JSON object with every field
# of the contract. Needs python3 (skips the check, with a note, without).
json_valid() {
	if ! command -v python3 >/dev/null 2>&1; then
		echo "# python3 missing: JSON not validated" >&2
		return 0
	fi
	python3 - "$1" <<-\PY
	import json, sys
	keys = {"path", "line", "column", "kind", "rule", "severity", "redacted",
	        "fingerprint", "message"}
	n = 0
	with open(sys.argv[1], "rb") as f:
	    for raw in f:
	        raw.decode("utf-8")          # strict: raises on invalid UTF-8
	        o = json.loads(raw)
	        assert isinstance(o, dict), raw
	        missing = keys - set(o)
	        assert not missing, missing
	        n += 1
	assert n > 0, "no JSON lines"
	PY
}

# json_paths FILE: the "path" of each finding as bytes, one per line (a
# newline in a path shown as \n). leakgate writes a byte that is not UTF-8
# as the escape \u00XX (80-ff), and a character as itself: so only the
# escapes are turned back into bytes (a JSON decoder alone cannot tell
# "latin\xe9" from "latin\u00e9").
json_paths() {
	python3 - "$1" <<-\PY
	import json, re, sys
	out = sys.stdout.buffer
	esc = re.compile(r'\\\\|\\u00([89a-fA-F][0-9a-fA-F])')
	for raw in open(sys.argv[1], "rb"):
	    line = raw.decode("utf-8")
	    line = esc.sub(lambda m: m.group(0) if not m.group(1)
	                   else "\\udc" + m.group(1), line)
	    p = json.loads(line)["path"].encode("utf-8", "surrogateescape")
	    out.write(p.replace(b"\n", b"\\n") + b"\n")
	PY
}

# no_control_bytes FILE: no ESC, BEL, CSI or other control byte but
# newline in FILE (what a terminal would act on).
no_control_bytes() {
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; then
		echo "raw control bytes in $1:" >&2
		od -c "$1" | grep -E '033|007|\\b|\\r' | head -5 >&2
		return 1
	fi
	if LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"; then
		echo "raw C1 control in $1" >&2; return 1
	fi
	return 0
}

# slow_tests: true when LEAKGATE_SLOW_TESTS=1 (cases of minutes or GBs).
slow_tests() {
	[ "${LEAKGATE_SLOW_TESTS:-0}" = 1 ]
}

# peak_rss CMD...: run CMD; its status in $peak_rc, its maximum resident
# set size in KiB (from /usr/bin/time -v) in $peak_kb.
peak_rss() {
	/usr/bin/time -v -o "$TRASH/.time" "$@" >"$TRASH/.time-out" 2>&1
	peak_rc=$?
	peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TRASH/.time")
}
