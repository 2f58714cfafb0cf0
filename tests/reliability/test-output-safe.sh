#!/bin/sh
# test-output-safe.sh: text from the account, the wire and files never reaches the terminal raw.
# A proxy (evil_proxy.py) in front of the ECS fake puts ESC/CSI/OSC sequences, C1 controls and
# bidi overrides into names, images, tags, events, reasons, error messages and the request-id
# header; lint reads a file with the same in its container names. Every stdout and stderr of
# scan (table and JSON), plan, apply, lint (text, JSON, SARIF), the errors and the --debug trace
# must be valid UTF-8 free of controls (check_output.py), JSON output valid JSON, and the
# hostile text must be there, shown visibly (\x1b]0;PWNED).
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-outsafe.XXXXXX") || exit 99
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN --no-color"
CHECK="python3 $TOP_SRCDIR/tests/reliability/check_output.py"
SHOWN='\x1b]0;PWNED'

# proxy_start [ARGS]: the evil proxy in front of the fake; AWS_ENDPOINT_URL points at it
proxy_start() {
	rm -f "$WORK/proxy.port"
	python3 "$TOP_SRCDIR/tests/reliability/evil_proxy.py" "$WORK/proxy.port" "$FAKE_URL" "$@" \
		>"$WORK/proxy.out" 2>&1 &
	PROXY_PID=$!
	cleanup_add "kill $PROXY_PID"
	i=0
	while [ ! -s "$WORK/proxy.port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$WORK/proxy.port")
	export AWS_ENDPOINT_URL
}
proxy_stop() {
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
}
# safe WHAT [--json] FILES...: the files are safe, and hold the hostile text shown visibly
safe() {
	LAST=$1
	shift
	run $CHECK --want "$SHOWN" "$@"
	assert_status 0
}
# clean WHAT [--json] FILES...: the files are safe (the hostile text need not be there)
clean() {
	LAST=$1
	shift
	run $CHECK "$@"
	assert_status 0
}

fake_start --scenario complete --only-web
FAKE_URL=$AWS_ENDPOINT_URL
proxy_start

# scan: the table and the JSON
$A scan >"$WORK/scan.out" 2>"$WORK/scan.err"
safe "scan (table)" "$WORK/scan.out" "$WORK/scan.err"
$A scan --output json >"$WORK/scan.json" 2>"$WORK/scan.jerr"
clean "scan --output json" --json "$WORK/scan.json"
clean "scan --output json (stderr)" "$WORK/scan.jerr"
run grep -c 'PWNED' "$WORK/scan.json"
LAST="scan JSON holds the hostile text (escaped)"
assert_match '^[1-9]'

# plan: the diff, the controls, the services; the --debug trace on stderr (request ids)
$A --debug plan --service c1/web -o "$WORK/p.json" >"$WORK/plan.out" 2>"$WORK/plan.err"
safe "plan" "$WORK/plan.out" "$WORK/plan.err"
clean "plan --debug" "$WORK/plan.err"
run grep -c 'req-\\x1b\]0;PWNED-HDR\\x07' "$WORK/plan.err"
LAST="the request-id header shown visibly in the trace"
assert_match '^[1-9]'
# --debug=FILE: the same in the file
$A --debug="$WORK/trace.log" plan --service c1/web >/dev/null 2>&1
clean "plan --debug=FILE" "$WORK/trace.log"

# apply: the progress, the events
$A apply --yes --poll-interval 0.05 "$WORK/p.json" >"$WORK/apply.out" 2>"$WORK/apply.err"
safe "apply" "$WORK/apply.out" "$WORK/apply.err"
proxy_stop

# an error message and request id from the server: one line, shown visibly
proxy_start --fail-op DescribeServices
$A plan --service c1/web >"$WORK/err.out" 2>"$WORK/err.err"
STATUS=$?
LAST="plan with a hostile error"
assert_status 2
safe "plan error" "$WORK/err.out" "$WORK/err.err"
run cat "$WORK/err.err"
assert_match '^ecsfix: .*no such thing.*PWNED.*request id req-\\x1b\]0;PWNED-HDR\\x07'
$A scan >"$WORK/serr.out" 2>"$WORK/serr.err"
safe "scan with a hostile error" "$WORK/serr.out" "$WORK/serr.err"
proxy_stop

# lint: container names with escapes in the file (JSON escapes and raw UTF-8 C1)
printf '%s\n' '{"family": "f\u001b]0;PWNED\u0007", "containerDefinitions": [' \
	'{"name": "c\u001b]0;PWNED\u0007\u001b[2J", "image": "i", "privileged": true},' \
	'{"name": "d\u009b2J\u202e", "image": "i", "user": "root"}]}' >"$WORK/td.json"
$A lint "$WORK/td.json" >"$WORK/lint.out" 2>"$WORK/lint.err"
safe "lint (text)" "$WORK/lint.out" "$WORK/lint.err"
for fmt in json sarif; do
	$A lint --output $fmt "$WORK/td.json" >"$WORK/lint.$fmt" 2>"$WORK/lint.$fmt.err"
	clean "lint --output $fmt" --json "$WORK/lint.$fmt"
done
cp "$WORK/td.json" "$WORK/fix.json"
$A lint --fix --user 1000 "$WORK/fix.json" >"$WORK/fix.out" 2>"$WORK/fix.err"
safe "lint --fix" "$WORK/fix.out" "$WORK/fix.err"

finish
