#!/bin/sh
# test-apply-malformed.sh: plan and apply against answers that are not what AWS sends (issue
# 12 items 2 and 6), each a clean one-line error or a handled case, never a crash:
# DescribeServices answering {}, "services": null, or a service without taskDefinition (plan);
# a Security Hub finding without ProductArn (apply --note-findings); RegisterTaskDefinition
# answering throttling after it registered (apply looks and registers nothing twice) or
# before (apply retries once it has looked); a 200 with a truncated body (the revision may
# exist; a rerun reuses it). Against the loopback fake.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-malformed.XXXXXX")
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"
FAST="--yes --poll-interval 0.05"

# --- DescribeServices: {} / null / no taskDefinition: plan says so, exit 2, no crash
fake_start --describe-services empty
run "$A" plan --service c1/web
assert_status 2
assert_match "^ecsfix: .*DescribeServices in cluster c1 described 0 of the 1 services asked for"
fake_stop
fake_start --describe-services null
run "$A" plan --task-definition web
assert_status 2
assert_match "^ecsfix: .*DescribeServices in cluster c1 described 0 of the 2 services asked for"
fake_stop
fake_start --describe-services no-td
run "$A" plan --service c1/web
assert_status 2
assert_match "^ecsfix: .*DescribeServices in cluster c1: web: no taskDefinition"
fake_stop

# --- a finding without ProductArn: left out with a warning; the other one is noted
fake_start --scenario complete --finding-no-product
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --note-findings "$WORK/p.json"
assert_status 0
assert_match "warning: 1 ECS.4 finding\(s\) lack an Id or ProductArn"
assert_match "1 ECS.4 finding\(s\) set to NOTIFIED"
run sh -c "grep '\"op\": \"BatchUpdateFindings\"' '$FAKE_LOG'"
assert_match 'finding/f-web2"'
fake_stop

# --- throttled after registering: apply looks, finds it, registers nothing twice
fake_start --scenario complete --register-throttle 1 --register-throttle-registers
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_status 0
assert_match "RegisterTaskDefinition gave no clear answer"
assert_match "registered web:2 \(found after an unclear answer; not registered twice\)"
assert_match "c1/web: COMPLETED"
run fake_count RegisterTaskDefinition
assert_match "^1$"
fake_stop
# throttled before registering: apply looks, finds nothing, tries again once
fake_start --scenario complete --register-throttle 1
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_status 0
assert_match "not registered; trying again in 1 s \(throttled\)"
assert_match "registered web:2$"
run fake_count RegisterTaskDefinition
assert_match "^2$"
fake_stop

# --- a 200 with a truncated body: may exist; the rerun reuses it
fake_start --scenario complete --register-truncate
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_match "registered web:2 \(found after an unclear answer"
run fake_count RegisterTaskDefinition
assert_match "^1$"
run "$A" apply $FAST "$WORK/p.json"
assert_status 0
assert_match "reusing web:2"
run fake_count RegisterTaskDefinition
assert_match "^1$"

finish
