#!/bin/sh
# test-tui-rollout.sh: the change followed to its end under tmux, with deployments that behave
# as on AWS (scripts/rollout_sim.py in front of moto): one approval on web-storefront:4 moves
# both services (two clusters), both rollouts COMPLETE with real progress and ECS events apart
# from ecsfix's messages, the verification per service, the CI/CD advice, r scans again; then
# ci/gitlab-runner's new revision fails its health checks and the circuit breaker rolls back:
# ROLLED_BACK, no CI/CD advice, the warning, and D deregisters the failed revision after a
# typed yes (checked with boto3). The diff behind a finished change offers no second approval.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
. "${TOP_SRCDIR:-.}/tests/tui/tui-lib.sh"

moto_start
moto_seed_demo -q >/dev/null || exit 99
tui_lib_init
python3 "$TOP_SRCDIR/scripts/rollout_sim.py" --target "$MOTO_URL" --port-file "$WORK/sim.port" \
	--fail ci/gitlab-runner --rise 3 --fail-after 3 >"$WORK/sim.log" 2>&1 &
sim=$!
cleanup_add "kill $sim"
i=0
while [ ! -s "$WORK/sim.port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$WORK/sim.port")
export AWS_ENDPOINT_URL

td_status() {
	moto_python - "$1" <<'PY'
import sys, boto3
ecs = boto3.client("ecs", endpoint_url=__import__("os").environ["MOTO_URL"])
print(ecs.describe_task_definition(taskDefinition=sys.argv[1])["taskDefinition"]["status"])
PY
}

# 1. both storefront services, one approval, followed to COMPLETED
launch ""
step "scanned: 9 services" 30
tui_keys / s t o r e f r o n t Enter d
step '"privileged": false' 30
tui_keys a
step "[x] Update staging/storefront"
tui_screen >"$WORK/approve.screen"
tui_keys y e s Enter
step "[>] rollout" 60
step "Outcome: COMPLETED" 120
run tui_screen
assert_match "\[x\] rollout prod-eu/storefront \[#{20}\] 3/3 running  COMPLETED"
assert_match "\[x\] rollout staging/storefront \[#{20}\] 1/1 running  COMPLETED"
assert_match "ECS service events"
assert_match "has reached a steady state"
tui_keys G
step "Verification (read back from the account)"
step "prod-eu/storefront runs web-storefront:5"
step "staging/storefront runs web-storefront:5"
step "ecsfix lint --fix"
step "r refresh" 60
tui_screen >"$WORK/done.screen"
tui_keys r
step "scanned:" 60
# the diff behind the change is spent: it offers no second approval
tui_keys Escape
step "This plan was applied" 30
run tui_screen
assert_no_match "a: approve|a approve"
tui_keys a
step "applied already" 30
tui_keys q
restored 0
tui_stop

# 2. a failing rollout: rolled back, the truth, no CI/CD advice, deregister the failed revision
launch ""
step "scanned:" 30
tui_keys / g i t l a b Enter d
step '"privileged": false' 30
tui_keys a y e s Enter
step "Outcome: ROLLED_BACK" 120
step "scanned:" 60 # the rescan after the change is done
tui_keys G
step "ci/gitlab-runner still runs ci-runner:2"
step "D: deregister ci-runner:3"
tui_screen >"$WORK/failed.screen"
run tui_screen
assert_no_match "ecsfix lint --fix|b: roll the services back"
tui_keys D
step "Type yes and Enter to deregister it"
tui_keys y e s Enter
step "deregistered ci-runner:3" 60
# the verification is read again: no stale warning, no second offer
tui_keys G
step "ci/gitlab-runner still runs ci-runner:2"
gone "D: deregister ci-runner:3"
run tui_screen
assert_no_match "is now the family's latest ACTIVE revision"
tui_keys q
restored 0
tui_stop
run td_status ci-runner:3
assert_match "^INACTIVE$"
# the screen captures for the README (ECSFIX_TUI_CAPTURE=PREFIX keeps them)
if [ -n "${ECSFIX_TUI_CAPTURE:-}" ]; then
	for f in approve done failed; do cp "$WORK/$f.screen" "$ECSFIX_TUI_CAPTURE.$f"; done
fi

finish
