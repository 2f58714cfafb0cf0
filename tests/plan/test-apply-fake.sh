#!/bin/sh
# test-apply-fake.sh: apply's rollout follower and register-once logic against the scripted
# loopback fake (tests/plan/fake_ecs.py), since moto never moves a deployment: a completed
# rollout, a FAILED rollout (exit 1) with and without --rollback-on-failure, a circuit-breaker
# rollback (failure, never success), a timeout while following, and RegisterTaskDefinition
# answer lost after the fake registered (timeout): apply looks and does not register twice.
# (The dropped-connection case is test-apply-register-drop.sh.) Also --note-findings (Security
# Hub, which moto lacks), --deregister-old, Ctrl-C and a rerun, --read-only, no terminal.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-applyfake.XXXXXX")
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"
FAST="--yes --poll-interval 0.05"

# --- a rollout that completes; the CODE_DEPLOY service is skipped with the reason
fake_start --scenario complete
run "$A" plan --service c1/web --service c1/cd -o "$WORK/p.json"
assert_status 0
assert_match "Services skipped:"
assert_match "c1/cd: deployment controller CODE_DEPLOY"
run "$A" apply $FAST "$WORK/p.json"
assert_status 0
assert_match "registered web:2"
assert_match "c1/web: COMPLETED"
assert_match "c1/cd: SKIPPED"
assert_match "ECS event c1/web: .*steady state"
assert_match "ecsfix lint --fix"
run fake_count UpdateService
assert_match "^1$"
# the CODE_DEPLOY service was never touched
run grep -c '"service": "arn:aws:ecs:us-east-1:123456789012:service/c1/cd"' "$FAKE_LOG"
assert_match "^0$"
# the audit log: one line per step, mode 0600
run stat -c %a "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match "^600$"
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"register".*"newTaskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"'
assert_match '"action":"update-service","service":"arn:aws:ecs:us-east-1:123456789012:service/c1/web","oldTaskDefinition":"[^"]*web:1","newTaskDefinition":"[^"]*web:2","deploymentId":"ecs-svc/[0-9]+","requestId":"fake-[0-9]+","outcome":"ok"'
assert_match '"action":"rollout".*"outcome":"COMPLETED"'
assert_match '"action":"skip".*c1/cd'
# again: nothing registered, nothing updated
run "$A" apply $FAST "$WORK/p.json"
assert_status 0
assert_match "reusing web:2"
run fake_count RegisterTaskDefinition
assert_match "^1$"
run fake_count UpdateService
assert_match "^1$"
fake_stop

# --- FAILED rollout: exit 1, the service stays on the new revision; no rollback unasked
fake_start --scenario fail
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_status 1
assert_match "c1/web: FAILED: deployment ecs-svc/[0-9]+ FAILED: ECS deployment circuit breaker"
run fake_count UpdateService
assert_match "^1$"
fake_stop

# --- FAILED rollout with --rollback-on-failure: UpdateService back to web:1, followed
fake_start --scenario fail
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --rollback-on-failure "$WORK/p.json"
assert_status 1
assert_match "rolling back to web:1"
assert_match "c1/web: ROLLED_BACK: moved back to web:1"
run fake_count UpdateService
assert_match "^2$"
run sh -c "grep '\"op\": \"UpdateService\"' '$FAKE_LOG' | tail -1"
assert_match '"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"'
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"rollback","service":"[^"]*c1/web","oldTaskDefinition":"[^"]*web:2","newTaskDefinition":"[^"]*web:1"'
fake_stop

# --- circuit breaker: the deployment disappears, the service is back on web:1: a failure
fake_start --scenario circuit-breaker
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_status 1
assert_match "c1/web: ROLLED_BACK: the deployment failed and was rolled back \(circuit breaker\)"
assert_no_match "c1/web: COMPLETED"
fake_stop

# --- a rollout that never ends: --timeout gives up with exit 1
fake_start --scenario hang
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --timeout 1 "$WORK/p.json"
assert_status 1
assert_match "c1/web: FAILED: timed out after 1 s"
# --no-wait stops after the update
run "$A" apply --yes --no-wait "$WORK/p.json"
assert_status 0
assert_match "c1/web: NOT_FOLLOWED"
fake_stop

# --- RegisterTaskDefinition times out after the fake registered: look, do not register twice
fake_start --scenario complete --register-sleep 3
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --read-timeout 1 "$WORK/p.json"
assert_status 0
assert_match "no clear answer"
assert_match "registered web:2 \(found after an unclear answer; not registered twice\)"
assert_match "c1/web: COMPLETED"
run fake_count RegisterTaskDefinition
assert_match "^1$"
fake_stop

# --- Ctrl-C while following: exit 130, a consistent state; rerunning continues without
# registering or updating anything again
fake_start --scenario hang
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
"$A" apply $FAST "$WORK/p.json" >"$WORK/int.out" 2>&1 &
apid=$!
i=0
while ! grep -q "^rollout:" "$WORK/int.out" && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $apid
wait $apid
STATUS=$?
OUT=$(cat "$WORK/int.out")
LAST="apply (interrupted)"
assert_status 130
assert_match "interrupted: the account is in a consistent state"
run "$A" apply --yes --no-wait "$WORK/p.json"
assert_status 0
assert_match "reusing web:2"
assert_match "already on web:2"
run fake_count RegisterTaskDefinition
assert_match "^1$"
run fake_count UpdateService
assert_match "^1$"
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"interrupted"'
fake_stop

# --- --note-findings (Security Hub, which moto lacks) and --deregister-old
fake_start --scenario complete --only-web
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --note-findings --deregister-old "$WORK/p.json"
assert_status 0
assert_match "1 ECS.4 finding\(s\) set to NOTIFIED"
assert_match "deregistered web:1"
run sh -c "grep '\"op\": \"BatchUpdateFindings\"' '$FAKE_LOG'"
assert_match 'finding/f-web"'
assert_no_match 'f-webby|f-old|f-ecs5|f-done'
assert_match '"Workflow": \{"Status": "NOTIFIED"\}'
assert_match '"Text": "ecsfix: fixed in arn:aws:ecs:us-east-1:123456789012:task-definition/web:2'
run sh -c "grep '\"op\": \"DeregisterTaskDefinition\"' '$FAKE_LOG'"
assert_match '"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"'
fake_stop
# with another service still on the old revision: not deregistered
fake_start --scenario complete
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --deregister-old "$WORK/p.json"
assert_status 0
assert_match "not deregistering web:1: 1 service\(s\) still run it \(first: cd\)"
run fake_count DeregisterTaskDefinition
assert_match "^0$"
fake_stop
# after a failure: never deregistered
fake_start --scenario fail --only-web
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST --deregister-old "$WORK/p.json"
assert_status 1
assert_match "not deregistering web:1: only after every rollout completed"
run fake_count DeregisterTaskDefinition
assert_match "^0$"
fake_stop

# --- the registered revision differs from the plan: stop before any service is touched
fake_start --scenario complete --register-mangle
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_status 2
assert_match "the registered revision web:2 differs from the plan at \"containerDefinitions\""
run fake_count UpdateService
assert_match "^0$"
fake_stop

# --- another region, an edited plan: refused, nothing changed
fake_start --scenario complete
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" --region eu-west-1 apply --yes "$WORK/p.json"
assert_status 2
assert_match "the plan is for region us-east-1, this session is in eu-west-1"
sed 's/"digest": "sha256:[0-9a-f]*"/"digest": "sha256:0000"/' "$WORK/p.json" >"$WORK/edited.json"
run "$A" apply --yes "$WORK/edited.json"
assert_status 2
assert_match "the source revision web:1 is not what the plan was made from"
run fake_count RegisterTaskDefinition
assert_match "^0$"
fake_stop

# --- read-only refuses before anything
fake_start --scenario complete
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" --read-only apply --yes "$WORK/p.json"
assert_status 2
assert_match "refused: --read-only"
run fake_count RegisterTaskDefinition
assert_match "^0$"
# without a terminal and without --yes: not confirmed, nothing done
run "$A" apply "$WORK/p.json" </dev/null
assert_status 2
assert_match "not confirmed"
run fake_count RegisterTaskDefinition
assert_match "^0$"
fake_stop

finish
