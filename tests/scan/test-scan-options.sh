#!/bin/sh
# test-scan-options.sh: --controls and --cluster change what decides and what is read; partial
# results are honest (a MISSING cluster, Security Hub denied); errors are one line, exit 2.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
moto_start || exit 1
moto_seed_demo >/dev/null || { echo "FAIL: seeding the demo account"; exit 1; }
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"

# jq-like checks with python: jcheck FILE EXPR (EXPR is a python expression over r)
jcheck() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("FAIL: %s" % sys.argv[2])
sys.exit(0 if ok else 1)' "$1" "$2"
}

# ECS.8 (AWS keys in environment) fails nowhere in the demo: nothing decides -> 0
run "$ECSFIX_BIN" scan --controls ECS.8
assert_status 0
# host network mode: the monitoring agent -> 1
run "$ECSFIX_BIN" scan --controls ECS.17
assert_status 1
assert_match '^FAILED +prod-eu +monitoring-agent '
run "$ECSFIX_BIN" scan --controls ecs.4,ECS.20
assert_status 1
run "$ECSFIX_BIN" scan --controls ECS.99
assert_status 2
assert_match '^ecsfix: .*ECS.99'

# --cluster limits the scan; tools runs nothing on host mode
"$ECSFIX_BIN" scan --cluster tools --controls ECS.17 --output json >"$tmp/tools.json"
STATUS=$? LAST="scan --cluster tools --controls ECS.17" OUT=$(cat "$tmp/tools.json")
assert_status 0
run jcheck "$tmp/tools.json" '{s["name"] for s in r["services"]} == {"reporting", "grafana"} and [c["name"] for c in r["clusters"]] == ["tools"]'
assert_status 0
run jcheck "$tmp/tools.json" 'all("/monitoring-agent:" not in t["arn"] for t in r["taskDefinitions"])'
assert_status 0

# a cluster that does not exist, beside one that does: reported as UNKNOWN, the rest is read
"$ECSFIX_BIN" scan --cluster staging --cluster no-such-cluster --output json >"$tmp/partial.json"
STATUS=$? LAST="scan --cluster staging --cluster no-such-cluster" OUT=$(cat "$tmp/partial.json")
assert_status 1
run jcheck "$tmp/partial.json" '{c["name"]: c["status"] for c in r["clusters"]} == {"staging": "ACTIVE", "no-such-cluster": "UNKNOWN"}'
assert_status 0
run jcheck "$tmp/partial.json" 'any("no-such-cluster" in e["reason"] for e in r["errors"]) and len(r["services"]) == 2'
assert_status 0
# only a missing cluster: nothing useful could be read -> 2, one line
run "$ECSFIX_BIN" scan --cluster no-such-cluster
assert_status 2
assert_match '^ecsfix: cluster no-such-cluster not found'
[ "$(echo "$OUT" | wc -l)" -eq 1 ] || _fail "more than one line"

# the table fits the terminal (COLUMNS when not a TTY): columns dropped by priority, names
# cut with "~"; --wide keeps every column; PRIV and USER say the flag
COLUMNS=80 "$ECSFIX_BIN" scan >"$tmp/t80.txt" 2>&1
STATUS=$? LAST="COLUMNS=80 scan" OUT=$(cat "$tmp/t80.txt")
assert_status 1
awk '/^$/ { exit } length($0) > 80 { bad = 1 } END { exit bad }' "$tmp/t80.txt" ||
	_fail "a table line is wider than 80 columns"
assert_match '^        note: revision monitoring-agent:3 also used by 1 other service:$'
assert_match '^              staging/monitoring-agent$'
assert_match '^STATUS +CLUSTER +SERVICE +REVISION .*FAILING'
assert_no_match '^STATUS.*LAUNCH'
COLUMNS=80 "$ECSFIX_BIN" scan --wide >"$tmp/wide.txt" 2>&1
STATUS=$? LAST="scan --wide" OUT=$(cat "$tmp/wide.txt")
assert_status 1
assert_match '^STATUS +CLUSTER +SERVICE +REVISION +LAUNCH +TASKS +NET +PRIV +USER +FAILING +FINDINGS +OWNER$'
assert_match '^FAILED +prod-eu +monitoring-agent +monitoring-agent:[0-9]+ +[A-Z0-9_]+ +[0-9?]+/[0-9?]+ +host +yes +root +'
assert_no_match '^STATUS +ACCOUNT'
COLUMNS=40 "$ECSFIX_BIN" scan >"$tmp/t40.txt" 2>&1
STATUS=$? LAST="COLUMNS=40 scan" OUT=$(cat "$tmp/t40.txt")
assert_match '^STATUS +SERVICE +FAILING'
awk '/^$/ { exit } length($0) > 40 { bad = 1 } END { exit bad }' "$tmp/t40.txt" ||
	_fail "a table line is wider than 40 columns"

# --cluster: the summary counts only the findings about what was scanned
"$ECSFIX_BIN" scan --output json >"$tmp/all.json"
"$ECSFIX_BIN" scan --cluster tools --output json >"$tmp/toolsf.json"
STATUS=$? LAST="scan --cluster tools (findings)" OUT=$(cat "$tmp/toolsf.json")
run jcheck "$tmp/toolsf.json" 'all(f["services"] or any(t["arn"] == f["resource"] for t in r["taskDefinitions"]) for f in r["findings"])'
assert_status 0
run python3 -c 'import json, sys
a, t = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if len(t["findings"]) < len(a["findings"]) and t["summary"]["findingsFailed"] + t["summary"]["findingsPassed"] <= len(t["findings"]) else 1)' "$tmp/all.json" "$tmp/toolsf.json"
assert_status 0

run "$ECSFIX_BIN" scan --output yaml
assert_status 2
assert_match "unknown output format 'yaml'"

# ECS unreachable: exit 2 with one line
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run "$ECSFIX_BIN" --endpoint-url "http://127.0.0.1:$port" scan
assert_status 2
assert_match '^ecsfix: '
[ "$(echo "$OUT" | wc -l)" -eq 1 ] || _fail "more than one line: $OUT"

# Security Hub denies GetFindings: findings UNKNOWN with the reason, ECS results still decide
python3 "$TOP_SRCDIR/tests/scan/stub_denied.py" "$tmp/stub.port" &
stub=$!
cleanup_add "kill $stub"
i=0
while [ ! -s "$tmp/stub.port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
AWS_ENDPOINT_URL_SECURITYHUB="http://127.0.0.1:$(cat "$tmp/stub.port")" \
	"$ECSFIX_BIN" scan --output json >"$tmp/denied.json" 2>"$tmp/denied.err"
STATUS=$? LAST="scan with Security Hub denied" OUT=$(cat "$tmp/denied.err")
assert_status 1
[ -s "$tmp/stub.port.count" ] || _fail "Security Hub stub never called"
run jcheck "$tmp/denied.json" 'r["findings"] == [] and "AccessDenied" in (r["findingsUnknown"] or "") and r["summary"]["exitCode"] == 1'
assert_status 0
run jcheck "$tmp/denied.json" 'any(e["call"] == "GetFindings" and "securityhub:GetFindings" in e["reason"] for e in r["errors"])'
assert_status 0
run jcheck "$tmp/denied.json" 'any(s["status"] == "FAILED" for s in r["services"]) and all(s["status"] != "UNKNOWN" for s in r["services"])'
assert_status 0
AWS_ENDPOINT_URL_SECURITYHUB="http://127.0.0.1:$(cat "$tmp/stub.port")" run "$ECSFIX_BIN" scan --controls ECS.8
assert_status 0
assert_match 'Security Hub findings UNKNOWN'
# --no-findings: Security Hub is not asked at all
: >"$tmp/stub.port.count"
AWS_ENDPOINT_URL_SECURITYHUB="http://127.0.0.1:$(cat "$tmp/stub.port")" run "$ECSFIX_BIN" scan --no-findings
assert_status 1
[ -s "$tmp/stub.port.count" ] && _fail "--no-findings still called Security Hub"
# Ctrl-C while a call hangs: exit 130 at once, one line
python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(50)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    conns.append(s.accept()[0])
    open(sys.argv[1] + ".accepted", "a").write("x")' "$tmp/hang.port" &
hang=$!
cleanup_add "kill $hang"
i=0
while [ ! -s "$tmp/hang.port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
"$ECSFIX_BIN" --endpoint-url "http://127.0.0.1:$(cat "$tmp/hang.port")" scan >"$tmp/int.out" 2>&1 &
pid=$!
# interrupt once the scan is inside a call (the server accepted its connection), not after a
# guessed delay
i=0
while [ ! -s "$tmp/hang.port.accepted" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$tmp/hang.port.accepted" ] || _fail "the scan never connected"
kill -INT $pid
wait $pid
STATUS=$? LAST="scan interrupted" OUT=$(cat "$tmp/int.out")
assert_status 130
assert_match '^ecsfix: scan interrupted$'
finish
