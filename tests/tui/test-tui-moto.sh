#!/bin/sh
# test-tui-moto.sh: the TUI end to end under tmux against the demo account in moto: find the
# web service (storefront) by filter, open its diff, see "privileged": false, approve with
# yes, follow the steps to the end, and check in moto (boto3) that the service runs the new
# revision (and the other service on the old one stays); AccessDenied in the status line; resize to 80x24 mid-way; quitting restores the terminal. First,
# --read-only refuses. moto never moves a deployment (tests/lib/MOTO-NOTES.md), so the change
# runs with ECSFIX_TUI_APPLY_NO_WAIT=1 (outcome UPDATED); following a rollout to COMPLETED is
# covered by test-tui-fixture.sh and by the plan helper's fake-ECS tests of apply.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"

moto_start
moto_seed_demo -q >/dev/null || exit 99
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-tui.XXXXXX") || exit 99
cleanup_add "rm -rf '$WORK'"
export XDG_STATE_HOME=$WORK/state

step() {
	run tui_wait_for "$1" "${2:-15}"
	assert_status 0
}
# launch ARGS [ENV...]: ecsfix on the demo account; then a line with its exit status.
launch() {
	tui_start 100 30 sh -c "trap : INT; cd '$WORK' && env AWS_ENDPOINT_URL='$AWS_ENDPOINT_URL' ${2:-} \
AWS_REGION=$AWS_REGION AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \
AWS_SECRET_ACCESS_KEY='$AWS_SECRET_ACCESS_KEY' XDG_STATE_HOME='$XDG_STATE_HOME' \
ECSFIX_TUI_APPLY_NO_WAIT=1 '$ECSFIX_BIN' $1; echo TUI-EXITED=\$?; exec sleep 60"
}
# The revision a service runs, from moto.
service_td() {
	moto_python - "$1" "$2" <<'PY'
import sys, boto3
ecs = boto3.client("ecs")
s = ecs.describe_services(cluster=sys.argv[1], services=[sys.argv[2]])["services"][0]
td = ecs.describe_task_definition(taskDefinition=s["taskDefinition"])["taskDefinition"]
print(s["taskDefinition"].rsplit("/", 1)[1],
      "privileged=" + ",".join(str(c.get("privileged")) for c in td["containerDefinitions"]))
PY
}

run service_td prod-eu storefront
assert_match "^web-storefront:4 .*True"

# 0. access denied: Security Hub only (the rest is shown), then everything (nothing loaded)
python3 "$TOP_SRCDIR/tests/scan/stub_denied.py" "$WORK/stub.port" &
stub=$!
cleanup_add "kill $stub"
i=0
while [ ! -s "$WORK/stub.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
DENY=http://127.0.0.1:$(cat "$WORK/stub.port")
launch "" "AWS_ENDPOINT_URL_SECURITYHUB=$DENY"
step "scanned, with 1 errors: GetFindings" 30
run tui_screen
assert_match "is not"
assert_match "securityhub:GetFindings"
assert_match "prod-eu +storefront"
tui_keys q
step "TUI-EXITED=0"
tui_stop
launch "" "AWS_ENDPOINT_URL_ECS=$DENY"
step "nothing loaded" 30
run tui_screen
assert_match "ListClusters: .*is not"
tui_keys q
step "TUI-EXITED=0"
tui_stop

# 1. --read-only refuses
launch --read-only
step "scanned: 9 services" 30
tui_keys / s t o r e f r o n t Enter
step "[/storefront]"
tui_keys d
step '"privileged": false' 30
tui_keys a
step "read-only: approve is disabled (started with --read-only)"
run tui_screen
assert_no_match "Approve the change"
tui_keys q
step "TUI-EXITED=0"
tui_stop
run service_td prod-eu storefront
assert_match "^web-storefront:4 "

# 2. the change
launch ""
step "scanned: 9 services" 30
run tui_screen
assert_match "prod-eu +storefront +web-storefront:4 +EC2 +3/3 yes +awsvpc"
tui_screen >"$WORK/home.screen"
tui_keys / s t o r e f r o n t Enter
step "[/storefront]"
tui_keys Enter
step "The people to ask before changing it"
tui_keys d
step '"privileged": false' 30
tui_resize 80 24
step "Diff: web-storefront"
run tui_screen
assert_no_match "^.{81}"
# the screen captures for the README (ECSFIX_TUI_CAPTURE=PREFIX keeps them)
tui_screen >"$WORK/diff.screen"
tui_keys a
step "Approve the change"
tui_keys y e s Enter
step "Outcome: " 120
run tui_screen
assert_match "Outcome: UPDATED"
assert_match "\[x\] register web-storefront:5: registered"
assert_match "update prod-eu/storefront"
assert_match "ecsfix lint --fix"
tui_keys q
step "TUI-EXITED=0"
run tui_screen
assert_no_match "CLUSTER|ecsfix  profile"
tui_stop
run service_td prod-eu storefront
assert_match "^web-storefront:5 privileged=(False|None),(False|None)$"
# the unit of remediation is the revision (issue 10): the other user of the revision moves too
run service_td staging storefront
assert_match "^web-storefront:5 "
if [ -n "${ECSFIX_TUI_CAPTURE:-}" ]; then
	cp "$WORK/diff.screen" "$ECSFIX_TUI_CAPTURE.diff"
	cp "$WORK/home.screen" "$ECSFIX_TUI_CAPTURE.home"
fi
finish
