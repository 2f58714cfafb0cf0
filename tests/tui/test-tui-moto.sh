#!/bin/sh
# test-tui-moto.sh: the TUI end to end under tmux against the demo account in moto: find the
# web service (storefront) by filter, open its diff, see "privileged": false, approve with
# yes, follow the steps to the end, and check in moto (boto3) that both services on the
# revision (two clusters) run the new one; a service left out in the approval stays on the old
# revision; AccessDenied in the status line; resize to 80x24 mid-way; w brings the change view
# back, r scans again; quitting restores the terminal. First, --read-only refuses. moto never
# starts a deployment (tests/lib/MOTO-NOTES.md): the rollouts end NOT_FOLLOWED.
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
'$ECSFIX_BIN' $1; echo TUI-EXITED=\$?; exec sleep 60"
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
step "scanned, with 1 error: GetFindings" 30
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

# 2. the change: the revision is the unit (both storefront services, two clusters, one
# approval); moto starts no deployment, so the rollouts end NOT_FOLLOWED within seconds
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
step "[x] Update prod-eu/storefront (running 3 / desired 3)"
step "[x] Update staging/storefront (running 1 / desired 1)"
# Space leaves the chosen one out, and takes it back
tui_keys Down Space
step "[ ] Leave staging/storefront"
step "1 of 2 services left out"
tui_keys Space
step "[x] Update staging/storefront"
tui_screen >"$WORK/approve.screen"
tui_keys y e s Enter
step "Outcome: " 60
run tui_screen
assert_match "Outcome: NOT_FOLLOWED"
tui_keys g
step "[x] register web-storefront:5: registered"
run tui_screen
assert_match "update prod-eu/storefront"
assert_match "update staging/storefront"
tui_keys G
step "Verification (read back from the account)"
step "staging/storefront runs web-storefront:5"
tui_screen >"$WORK/change.screen"
# Esc leaves the change view, w brings it back; r after the end scans again
tui_keys Escape Escape Escape
step "CLUSTER"
tui_keys w
step "Change: web-storefront"
step "r refresh" 60
tui_keys r
step "scanned:" 60
tui_keys q
step "TUI-EXITED=0"
run tui_screen
assert_no_match "CLUSTER|ecsfix  profile"
tui_stop
run service_td prod-eu storefront
assert_match "^web-storefront:5 privileged=(False|None),(False|None)$"
run service_td staging storefront
assert_match "^web-storefront:5 "

# 3. a service left out stays where it is: monitoring-agent in prod-eu and staging, staging
# left out in the approval dialog
launch ""
step "scanned:" 30
tui_keys / m o n i t o r i n g Enter
step "[/monitoring]"
tui_keys d
step '"privileged": false' 30
tui_keys a
step "[x] Update staging/monitoring-agent"
run tui_screen
assert_match "> \[x\] Update prod-eu/monitoring-agent"
tui_keys Down Space
step "[ ] Leave staging/monitoring-agent"
tui_keys y e s Enter
step "Outcome: " 60
tui_keys q
step "TUI-EXITED=0"
tui_stop
run service_td prod-eu monitoring-agent
assert_match "^monitoring-agent:4 privileged=(False|None)$"
run service_td staging monitoring-agent
assert_match "^monitoring-agent:3 privileged=True$"
if [ -n "${ECSFIX_TUI_CAPTURE:-}" ]; then
	cp "$WORK/diff.screen" "$ECSFIX_TUI_CAPTURE.diff"
	cp "$WORK/home.screen" "$ECSFIX_TUI_CAPTURE.home"
	cp "$WORK/approve.screen" "$ECSFIX_TUI_CAPTURE.approve80"
	cp "$WORK/change.screen" "$ECSFIX_TUI_CAPTURE.change"
fi
finish
