#!/bin/sh
# test-except.sh: 'ecsfix except' against moto with a loopback fake of BatchUpdateFindings in
# front of its Security Hub: the findings of the family are SUPPRESSED with the note, the audit
# log has the line, scan shows EXCEPTED with reason and expiry and leaves it out of the exit
# status; an expired exception is FAILED again; --remove undoes; errors are one line, exit 2.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
moto_start || exit 1
moto_seed_demo >/dev/null || { echo "FAIL: seeding the demo account"; exit 1; }
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME

# jcheck FILE EXPR: a python expression over the JSON document r
jcheck() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("FAIL: %s" % sys.argv[2])
sys.exit(0 if ok else 1)' "$1" "$2"
}

# jlast FILE EXPR: the same over the last line of a JSON-lines file
jlast() {
	tail -n 1 "$1" >"$1.last"
	jcheck "$1.last" "$2"
}

# start_fake ARGS...: the fake in front of moto; sets HUB to its URL
start_fake() {
	rm -f "$tmp/port"
	python3 "$TOP_SRCDIR/tests/owners/fake_batch_update.py" "$MOTO_URL" "$tmp/port" \
		"$tmp/calls.jsonl" "$@" &
	fake=$!
	cleanup_add "kill $fake 2>/dev/null"
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$tmp/port" ] || { echo "FAIL: the fake did not start"; exit 1; }
	HUB="http://127.0.0.1:$(cat "$tmp/port")"
}

# The ground truth, read with boto3 from moto: the failing ECS.4/ECS.20 findings of ci-runner
python3 - "$MOTO_URL" >"$tmp/expected-ids" <<'EOF'
import boto3, sys
sh = boto3.client("securityhub", endpoint_url=sys.argv[1])
ids = []
for page in sh.get_paginator("get_findings").paginate():
    for f in page["Findings"]:
        ctl = f.get("Compliance", {}).get("SecurityControlId") or f["GeneratorId"].split("/")[-1]
        res = f["Resources"][0]
        if (ctl in ("ECS.4", "ECS.20") and res["Type"] == "AwsEcsTaskDefinition"
                and "/ci-runner:" in res["Id"] and f["Compliance"]["Status"] == "FAILED"
                and f["RecordState"] == "ACTIVE"):
            ids.append(f["Id"])
print("\n".join(sorted(ids)))
EOF
[ "$(wc -l <"$tmp/expected-ids")" -ge 2 ] || { echo "FAIL: the demo has no ci-runner findings"; exit 1; }

start_fake
AWS_ENDPOINT_URL_SECURITYHUB=$HUB
export AWS_ENDPOINT_URL_SECURITYHUB

# before: ci is FAILED and decides the exit status
run "$ECSFIX_BIN" scan --cluster ci
assert_status 1
assert_match '^FAILED +ci +gitlab-runner '

# record it
run "$ECSFIX_BIN" except ci-runner --reason "docker-in-docker builds; see CI-42" \
	--until 2099-12-31 --approved-by "Łukasz Wiśniewski" --controls ECS.4,ECS.20
assert_status 0
assert_match "^ci-runner: exception recorded until 2099-12-31, approved by Łukasz Wiśniewski$"
assert_match "^ci-runner: $(wc -l <"$tmp/expected-ids") Security Hub findings set to SUPPRESSED$"
# the request: exactly those findings, SUPPRESSED, the note with reason, approver and expiry
run python3 - "$tmp/calls.jsonl" "$tmp/expected-ids" <<'EOF'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1])]
want = open(sys.argv[2]).read().split()
assert len(calls) == 1, calls
c = calls[0]
assert sorted(i["Id"] for i in c["FindingIdentifiers"]) == want, c["FindingIdentifiers"]
assert all(i["ProductArn"].startswith("arn:aws:securityhub:") for i in c["FindingIdentifiers"])
assert c["Workflow"] == {"Status": "SUPPRESSED"}, c
text = c["Note"]["Text"]
assert text.startswith("ecsfix exception: "), text
note = json.loads(text[len("ecsfix exception: "):])
assert note == {"scope": "ci-runner", "controls": ["ECS.4", "ECS.20"],
                "reason": "docker-in-docker builds; see CI-42",
                "approvedBy": "Łukasz Wiśniewski", "until": "2099-12-31"}, note
assert c["Note"]["UpdatedBy"] == "Łukasz Wiśniewski"
EOF
assert_status 0
# the audit log: one "except" line, mode 0600
audit=$tmp/state/ecsfix/audit.jsonl
[ "$(stat -c %a "$audit")" = 600 ] || _fail "audit log mode $(stat -c %a "$audit")"
run jlast "$audit" 'r["action"] == "except" and r["outcome"] == "ok" and r["account"] == "123456789012" and json.loads(r["detail"])["until"] == "2099-12-31"'
assert_status 0

# scan: EXCEPTED with reason and expiry, not in the exit status
run "$ECSFIX_BIN" scan --cluster ci
assert_status 0
assert_match '^EXCEPTED +ci +gitlab-runner +ci-runner:2 '
assert_match 'excepted until 2099-12-31 \(approved by Łukasz Wiśniewski\): docker-in-docker builds; see CI-42'
assert_match '1 excepted, 0 passed'
"$ECSFIX_BIN" scan --output json >"$tmp/scan.json"
STATUS=$? LAST="scan --output json (excepted)" OUT=$(head -c 2000 "$tmp/scan.json")
assert_status 1 # other families still fail
run jcheck "$tmp/scan.json" '[t["result"] for t in r["taskDefinitions"] if t["family"] == "ci-runner"] == ["EXCEPTED"] and [t["exception"] for t in r["taskDefinitions"] if t["family"] == "ci-runner"][0]["reason"] == "docker-in-docker builds; see CI-42"'
assert_status 0
run jcheck "$tmp/scan.json" '[(s["status"], s["exception"]["until"]) for s in r["services"] if s["name"] == "gitlab-runner"] == [("EXCEPTED", "2099-12-31")] and r["summary"]["servicesExcepted"] == 1'
assert_status 0
# deciding on ECS.4 only: the exception still covers what decides
run "$ECSFIX_BIN" scan --cluster ci --controls ECS.4
assert_status 0

# an exception whose expiry has passed: FAILED again, saying it expired
python3 - "$MOTO_URL" <<'EOF'
import boto3, json, sys
sh = boto3.client("securityhub", endpoint_url=sys.argv[1])
fs = [f for f in sh.get_findings()["Findings"] if f.get("Workflow", {}).get("Status") == "SUPPRESSED"]
for f in fs:
    note = json.loads(f["Note"]["Text"][len("ecsfix exception: "):])
    note["until"] = "2020-01-31"
    f["Note"]["Text"] = "ecsfix exception: " + json.dumps(note)
sh.batch_import_findings(Findings=fs)
EOF
run "$ECSFIX_BIN" scan --cluster ci
assert_status 1
assert_match '^FAILED +ci +gitlab-runner '
assert_match 'exception expired after 2020-01-31'

# --remove: back to NEW, with a note; nothing left to remove after
run "$ECSFIX_BIN" except ci-runner --remove
assert_status 0
assert_match "^ci-runner: $(wc -l <"$tmp/expected-ids") Security Hub findings set back to NEW"
run python3 -c 'import json, sys
c = [json.loads(l) for l in open(sys.argv[1])][-1]
assert c["Workflow"] == {"Status": "NEW"} and "removed" in c["Note"]["Text"], c' "$tmp/calls.jsonl"
assert_status 0
run "$ECSFIX_BIN" scan --cluster ci
assert_status 1
assert_no_match 'excepted'
run "$ECSFIX_BIN" except ci-runner --remove
assert_status 2
assert_match '^ecsfix: except --remove ci-runner: no exception recorded for ci-runner'
run jlast "$audit" 'r["action"] == "except-remove"'
assert_status 0

# errors: one line, exit 2, nothing sent
n=$(wc -l <"$tmp/calls.jsonl")
for args in "no-such-family --reason r --until 2099-01-01" \
	"ci-runner --until 2099-01-01" \
	"ci-runner --reason r --until 2020-01-01" \
	"ci-runner --reason r --until 2099-02-30" \
	"ci-runner --reason r --until 2099-01-01 --controls ECS.99" \
	"bad/name --reason r --until 2099-01-01" \
	"ci-runner --remove --until 2099-01-01"; do
	# shellcheck disable=SC2086 # word splitting wanted
	run "$ECSFIX_BIN" except $args
	assert_status 2
	assert_match '^ecsfix: except'
	[ "$(echo "$OUT" | wc -l)" -eq 1 ] || _fail "more than one line"
done
run "$ECSFIX_BIN" except ci-runner --reason "$(printf 'a\033[2Jb')" --until 2099-01-01
assert_status 2
assert_match 'control characters'
run "$ECSFIX_BIN" --read-only except ci-runner --reason r --until 2099-01-01
assert_status 2
assert_match 'refused: --read-only'
long=$(python3 -c 'print("x" * 500)')
run "$ECSFIX_BIN" except ci-runner --reason "$long" --until 2099-01-01 --approved-by a
assert_status 2
assert_match "Security Hub keeps 512"
[ "$(wc -l <"$tmp/calls.jsonl")" -eq "$n" ] || _fail "a refused except sent BatchUpdateFindings"

# apply --note-findings goes through the same finding updates: the family's open ECS.4
# findings (consolidated and per-standard) -> NOTIFIED with a note naming the new revision
run "$ECSFIX_BIN" plan --task-definition legacy-batch -o "$tmp/legacy.plan"
assert_status 0
run "$ECSFIX_BIN" apply --yes --no-wait --note-findings "$tmp/legacy.plan"
assert_status 0
assert_match 'ECS.4 finding\(s\) set to NOTIFIED'
run python3 - "$tmp/calls.jsonl" "$MOTO_URL" <<'EOF2'
import boto3, json, sys
c = [json.loads(l) for l in open(sys.argv[1])][-1]
sh = boto3.client("securityhub", endpoint_url=sys.argv[2])
want = sorted(f["Id"] for f in sh.get_findings()["Findings"]
              if "/legacy-batch:" in f["Resources"][0]["Id"] and f["RecordState"] == "ACTIVE"
              and (f.get("Compliance", {}).get("SecurityControlId") or
                   f["GeneratorId"].split("/")[-1]) == "ECS.4")
assert want and sorted(i["Id"] for i in c["FindingIdentifiers"]) == want, (c, want)
assert c["Workflow"] == {"Status": "NOTIFIED"}, c
assert c["Note"]["Text"].startswith("ecsfix: fixed in arn:aws:ecs:"), c
EOF2
assert_status 0

# some findings not processed: exit 1, the reason on stderr
kill "$fake"
first=$(head -1 "$tmp/expected-ids")
start_fake --unprocess "$first"
AWS_ENDPOINT_URL_SECURITYHUB=$HUB
run "$ECSFIX_BIN" except ci-runner --reason r --until 2099-01-01 --approved-by a \
	--controls ECS.4,ECS.20
assert_status 1
assert_match 'not updated: FindingNotFound'

# moto itself has no BatchUpdateFindings (HTTP 404, HTML): one clean line, exit 2
AWS_ENDPOINT_URL_SECURITYHUB=$MOTO_URL
run "$ECSFIX_BIN" except ci-runner --reason r --until 2099-01-01 --approved-by a
assert_status 2
assert_match '^ecsfix: except ci-runner: suppressing the findings of ci-runner: BatchUpdateFindings: .*HTTP 404'
finish
