#!/bin/sh
# test-tui-owners.sh: issue 14 in the TUI, under tmux on the demo account in moto (with
# tests/owners/fake_batch_update.py in front for the one Security Hub call moto lacks): the
# OWNER column, /owner: filtering, :owners with its counts and Enter, and in the diff c
# (capabilities instead of privileged; an unknown name refused, the diff kept), m (the message
# for the owner, Markdown, mode 0600) and x (an exception: reason, date, typed yes; the
# findings suppressed with the note).
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
. "${TOP_SRCDIR:-.}/tests/tui/tui-lib.sh"

moto_start
moto_seed_demo -q >/dev/null || exit 99
tui_lib_init
python3 "$TOP_SRCDIR/tests/owners/fake_batch_update.py" "$MOTO_URL" "$WORK/hub.port" \
	"$WORK/hub.log" >"$WORK/hub.out" 2>&1 &
hub=$!
cleanup_add "kill $hub"
i=0
while [ ! -s "$WORK/hub.port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$WORK/hub.port")
export AWS_ENDPOINT_URL

TUI_W=130 TUI_H=34 launch ""
step "scanned: 9 services" 30
run tui_screen
assert_match "ci +gitlab-runner .* Łukasz Wiśniewski"
tui_keys / o w n e r : z o Enter
step "[/owner:zo]"
run tui_screen
assert_match "storefront"
assert_no_match "gitlab-runner"
tui_keys Escape : o w n e r s Enter
step "Owners: 3"
run tui_screen
assert_match "Zoë Ødegård +5 +5 +3 +3"
assert_match "Łukasz Wiśniewski +1 +1 +1 +1"
tui_keys G Enter
step "[/owner:Łukasz Wiśniewski]"
run tui_screen
assert_match "gitlab-runner"
assert_no_match "storefront"
tui_keys d
step '"privileged": false' 30
# c: capabilities instead of privileged; an unknown one is refused and the diff stays
tui_keys c N E T _ A D M I N Enter
step "capabilities NET_ADMIN" 30
step '"NET_ADMIN"' 30
tui_keys c B O G U S Enter
step "not applied:" 30
run tui_screen
assert_match "BOGUS"
assert_match "capabilities NET_ADMIN"
# m: the message for the owner
tui_keys m Enter
step "message for the owner written to ./ecsfix-message-ci-runner-2.md"
run stat -c %a "$WORK/ecsfix-message-ci-runner-2.md"
assert_match "^600$"
run cat "$WORK/ecsfix-message-ci-runner-2.md"
assert_match "^# Task definition .ci-runner:2."
assert_match "NET_ADMIN"
# x: an exception, typed approval
tui_keys x
step "Why privileged is needed"
tui_keys -l "docker-in-docker builds need it"
tui_keys Enter
step "The exception holds until"
tui_keys -l "2099-12-31"
tui_keys Enter
step "Type yes and Enter to record the exception"
step "ECS.4 findings of ci-runner are suppressed until 2099-12-31"
tui_keys y e s Enter
step "exception recorded on ci-runner until 2099-12-31" 30
tui_keys q
restored 0
tui_stop
run cat "$WORK/hub.log"
assert_match '"Status": *"SUPPRESSED"'
assert_match "docker-in-docker builds need it"

# --read-only: no x either
launch "--read-only"
step "scanned:" 30
tui_keys / g i t l a b Enter d
step '"privileged": false' 30
tui_keys x
step "read-only: exception is disabled"
tui_keys q
restored 0
tui_stop

finish
