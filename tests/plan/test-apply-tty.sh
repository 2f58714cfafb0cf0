#!/bin/sh
# test-apply-tty.sh: apply on a terminal (tmux): it asks to type yes, shows the rollout, and
# after a FAILED rollout asks whether to roll back; "yes" moves the service back to the old
# revision (seen by the fake) and the exit status is 1. Typing anything but yes at the first
# question changes nothing.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-applytty.XXXXXX")
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"

# the exit status, printed by a wrapper shell (tmux's pane_dead_status is not always set)
status_of_pane() {
	tui_wait_for "exit=" 60 >/dev/null
	tui_screen | sed -n 's/^exit=\([0-9]*\)$/\1/p'
}
apply_in_tmux() {
	tui_start 100 30 sh -c '"$0" "$@"; echo "exit=$?"' "$ECSFIX_BIN" --no-color apply \
		--poll-interval 0.05 "$WORK/p.json"
}

fake_start --scenario fail
"$ECSFIX_BIN" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"

# "no" at the confirmation: nothing happens
apply_in_tmux
tui_wait_for "Type yes to carry out this plan:" || echo "FAIL: no confirmation question"
tui_keys -l no
tui_keys Enter
run status_of_pane
assert_match "^2$"
run tui_screen
assert_match "not confirmed; nothing changed"
run fake_count RegisterTaskDefinition
assert_match "^0$"
tui_stop

# "yes", the rollout fails, "yes" to the rollback
apply_in_tmux
tui_wait_for "Type yes to carry out this plan:" || echo "FAIL: no confirmation question"
tui_keys -l yes
tui_keys Enter
tui_wait_for "Type yes to move them back to web:1" 20 || echo "FAIL: no rollback question"
run tui_screen
assert_match "c1/web: FAILED: deployment ecs-svc/[0-9]+ FAILED"
tui_keys -l yes
tui_keys Enter
# the verification: the service runs the old revision again, the failed one is the latest
# ACTIVE revision (Security Hub would show green): no CI/CD advice, an offer to deregister
tui_wait_for "Type yes to deregister web:2" 20 || echo "FAIL: no deregister question"
run tui_screen
assert_match "c1/web: ROLLED_BACK: moved back to web:1"
assert_match "c1/web runs web:1: ECS.4 FAILED"
assert_match "web:2, the new revision that failed, is now the family's latest ACTIVE revision"
assert_no_match "ecsfix lint --fix"
tui_keys -l yes
tui_keys Enter
run status_of_pane
assert_match "^1$"
run tui_screen
assert_match "deregistered web:2"
run sh -c "grep '\"op\": \"DeregisterTaskDefinition\"' '$FAKE_LOG'"
assert_match 'task-definition/web:2"'
run sh -c "cat \"\$XDG_STATE_HOME/ecsfix/audit.jsonl\""
assert_match '"action":"deregister".*web:2.*"outcome":"ok"'
run sh -c "grep '\"op\": \"UpdateService\"' '$FAKE_LOG' | tail -1"
assert_match '"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"'

finish
