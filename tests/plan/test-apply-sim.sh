#!/bin/sh
# test-apply-sim.sh: apply against moto with the rollout simulator in front of it
# (scripts/rollout_sim.py), where deployments behave as on AWS: one apply on the revision that
# storefront runs in prod-eu and staging moves both and follows both to COMPLETED, then
# verifies them; ci/gitlab-runner's new revision fails its health checks, the circuit breaker
# rolls back: ROLLED_BACK, the warning that the failed revision is now the latest ACTIVE one,
# no CI/CD advice, and --deregister-failed deregisters it. A plan for one of two services on a
# revision: the verification names the other one and the false green. Against plain moto (no
# deployment ever starts) apply ends at once with NOT_FOLLOWED instead of waiting.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
. "${TOP_SRCDIR:-.}/tests/plan/sim.sh"
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-applysim.XXXXXX")
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"
ARN=arn:aws:ecs:us-east-1:123456789012
FAST="--yes --poll-interval 0.2 --timeout 600"

moto_start || exit 1
moto_seed_demo -q || { echo "FAIL: seed"; exit 1; }
sim_start --fail ci/gitlab-runner --rise 2 --fail-after 3

moto_td() { # CLUSTER SERVICE -> taskDefinition, asked of moto itself (not the simulator)
	AWS_ENDPOINT_URL=$MOTO_URL python3 -c "import boto3,sys
print(boto3.client('ecs').describe_services(cluster=sys.argv[1],services=[sys.argv[2]])['services'][0]['taskDefinition'])" "$1" "$2"
}

# --- one revision, two services in two clusters: both move, both COMPLETED, verified
run "$A" plan --service prod-eu/storefront -o "$WORK/web.json"
assert_status 0
assert_match "Services to move \(2 of the 2 that run web-storefront:4\)"
run "$A" apply $FAST "$WORK/web.json"
assert_status 0
assert_match "prod-eu/storefront: COMPLETED"
assert_match "staging/storefront: COMPLETED"
assert_match "rollout: prod-eu/storefront: IN_PROGRESS [0-2]/3 running"
assert_match "ECS event staging/storefront: .*has reached a steady state"
assert_match "staging/storefront runs web-storefront:5: ECS.4 PASSED, ECS.17 PASSED, ECS.20 PASSED"
assert_match "prod-eu/storefront runs web-storefront:5: ECS.4 PASSED"
assert_match "Security Hub evaluates only the latest ACTIVE revision, web-storefront:5, on its next check: ECS.4 PASSED"
assert_match "ecsfix lint --fix"
assert_no_match "NOT_FOLLOWED"
run moto_td prod-eu storefront
assert_match "task-definition/web-storefront:5$"
run moto_td staging storefront
assert_match "task-definition/web-storefront:5$"

# --- a failing rollout: rolled back by the circuit breaker; no CI/CD advice; the warning
run "$A" plan --service ci/gitlab-runner -o "$WORK/ci.json"
assert_status 0
run "$A" apply $FAST --deregister-failed "$WORK/ci.json"
assert_status 1
assert_match "ci/gitlab-runner: ROLLED_BACK: the deployment failed and was rolled back"
assert_match "ECS event ci/gitlab-runner: .*failed container health checks"
assert_match "ci/gitlab-runner runs ci-runner:2: ECS.4 FAILED"
assert_match "ci/gitlab-runner still runs ci-runner:2, the revision that fails the controls"
assert_match "ci-runner:3, the new revision that failed, is now the family's latest ACTIVE revision"
assert_match "deregistered ci-runner:3"
assert_no_match "ecsfix lint --fix|CI/CD"
run moto_td ci gitlab-runner
assert_match "task-definition/ci-runner:2$"
run sh -c "AWS_ENDPOINT_URL=\$MOTO_URL python3 -c \"import boto3
print(boto3.client('ecs').describe_task_definition(taskDefinition='ci-runner:3')['taskDefinition']['status'])\""
assert_match "^INACTIVE$"
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"rollout".*ci/gitlab-runner.*"outcome":"ROLLED_BACK"'
assert_match '"action":"deregister".*ci-runner:3.*"outcome":"ok"'

# --- only one of two services on a revision: the other is verified too (not in the plan),
# and the false green is named
run "$A" plan --service prod-eu/monitoring-agent --only-this-service --user 1000 \
	-o "$WORK/agent.json"
assert_status 0
assert_match "Services to move \(1 of the 1 that run monitoring-agent:3\)"
run "$A" apply $FAST "$WORK/agent.json"
assert_status 0
assert_match "prod-eu/monitoring-agent: COMPLETED"
assert_match "staging/monitoring-agent runs monitoring-agent:3: ECS.4 FAILED.* \(not in this plan\)"
assert_match "Security Hub will show ECS.4, ECS.20 green although staging/monitoring-agent still runs monitoring-agent:3"

# --- plain moto: UpdateService starts no deployment: NOT_FOLLOWED at once, no waiting
AWS_ENDPOINT_URL=$MOTO_URL
export AWS_ENDPOINT_URL
run "$A" plan --service ci/gitlab-runner -o "$WORK/ci2.json"
assert_status 0
run "$A" apply $FAST "$WORK/ci2.json"
assert_status 0
assert_match "ci/gitlab-runner: NOT_FOLLOWED: the answer shows no deployment on ci-runner:4"
assert_no_match "rollout: .*IN_PROGRESS"
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"rollout".*gitlab-runner.*"outcome":"NOT_FOLLOWED"'

finish
