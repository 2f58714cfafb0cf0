#!/bin/sh
# test-tui-fixture.sh: the TUI end to end under tmux, on the fixture backend (a report file,
# changes simulated): filter, detail, diff, resize to 80x24 mid-way, approval (no, then yes),
# rollout, rescan showing the new revision, plan file mode 0600, --read-only refusing, a
# failed rollout with rollback, terminal too small, SIGINT/SIGTERM/SIGHUP and q restoring the
# terminal, an unreadable report shown as an error.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"

REPORT=$TOP_SRCDIR/tests/data/tui/report.json
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-tui.XXXXXX") || exit 99
cleanup_add "rm -rf '$WORK'"

# step TEXT [SECS]: wait for TEXT on the screen (a failed check shows the screen).
step() {
	run tui_wait_for "$1" "${2:-10}"
	assert_status 0
}
# launch ENV ARGS: ecsfix in the work dir; then a line with its exit status (the pane stays
# open: tmux loses the text of a pane whose program has exited).
launch() {
	tui_start 100 30 sh -c "trap : INT; cd '$WORK' && env ECSFIX_TUI_FIXTURE='$REPORT' \
ECSFIX_TUI_FIXTURE_STEP_MS=30 $1 '$ECSFIX_BIN' $2; echo TUI-EXITED=\$?; exec sleep 60"
}
# A restored terminal: the exit line, and none of the UI left on the pane.
restored() {
	step "TUI-EXITED=$1" 10
	run tui_screen
	assert_no_match "CLUSTER|ecsfix  profile"
}

# 1. the whole change
launch "" ""
step "scanned: 5 services, 4 failing"
run tui_screen
assert_match "prod +node-agent +node-agent:3 +EC2 +3/3 yes +host +root"
assert_match "データ +画像サービス +画像処理:2"
tui_keys / w e b Enter
step "[/web]"
run tui_screen
assert_no_match "node-agent"
tui_keys Enter
step "The people to ask before changing it"
step "owner: alice@example.com   team: payments"
tui_keys d
step '+    "privileged": false,'
tui_resize 80 24
step "Diff: web"
run tui_screen
assert_no_match "^.{81}"
tui_keys u Enter
step '+    "user": "1000",'
tui_keys p Enter
step "plan written to ./ecsfix-plan-web-5.json"
run stat -c %a "$WORK/ecsfix-plan-web-5.json"
assert_match "^600$"
tui_keys a
step "Approve the change"
step "Update staging/web to it"
tui_keys n o Enter
step "not approved: type the word yes"
tui_keys y e s Enter
step "Outcome: COMPLETED" 20
step "ecsfix lint --fix"
run tui_screen
assert_match "rollout prod/web \[#+\] 2/2 running"
tui_keys : s e r v i c e s Enter
step "CLUSTER"
run tui_screen
assert_match "prod +web +web:8 .* - +bridge +ok"
tui_keys q
restored 0
tui_stop

# keys work while the scan loads (a 3 s scan): help opens, the header shows the progress
launch "ECSFIX_TUI_FIXTURE_SCAN_MS=3000" ""
step "loading... (keys work meanwhile"
tui_keys ?
step "Keys (generated from the key table)"
run tui_screen
assert_match "DescribeServices [0-9]+/10"
assert_no_match "scanned:"
tui_keys Escape
step "scanned: 5 services" 15
tui_keys q
restored 0
tui_stop

# colours: failing rows in red by default; none with --no-color
launch "" ""
step "scanned:"
run _tui capture-pane -e -p -t "$TUI_TARGET"
assert_match "$(printf '\033')\[[0-9;]*31m"
tui_keys q
restored 0
tui_stop
launch "" "--no-color"
step "scanned:"
run _tui capture-pane -e -p -t "$TUI_TARGET"
assert_no_match "$(printf '\033')\[[0-9;]*3[1-6]m"
assert_match "$(printf '\033')\[[0-9;]*7m"
tui_keys q
restored 0
tui_stop

# 2. --read-only: approve is refused in the status line, nothing is asked
launch "" "--read-only"
step "READ-ONLY"
tui_keys / w e b Enter d
step '+    "privileged": false,'
tui_keys a
step "read-only: approve is disabled (started with --read-only)"
run tui_screen
assert_no_match "Approve the change|Type yes"
tui_keys ?
step "(disabled: --read-only)"
tui_keys q
restored 0
tui_stop

# 3. a failed rollout offers the rollback; quitting while it runs asks first
launch "ECSFIX_TUI_FIXTURE_FAIL=1" ""
step "scanned:"
tui_keys j d
step '+    "privileged": false,'
tui_keys a y e s Enter
step "The change failed. b: roll the services back" 20
tui_keys b
step "Outcome: ROLLED_BACK" 20
tui_keys Escape Escape
step "Services: 5"
# 4. too small, then back
tui_resize 70 20
step "terminal too small: 70x20 (ecsfix needs 80x24)"
tui_resize 100 30
step "CLUSTER"
# 5. SIGINT restores the terminal too, exit 130
tui_keys C-c
restored 130
tui_stop

# 6. SIGTERM and SIGHUP while a change is in flight: terminal restored, 128+signal
for sig in TERM HUP; do
	rm -f "$WORK/pid"
	tui_start 100 30 sh -c "cd '$WORK' && sh -c 'echo \$\$ >pid; exec env \
ECSFIX_TUI_FIXTURE=$REPORT ECSFIX_TUI_FIXTURE_STEP_MS=2000 $ECSFIX_BIN'; \
echo TUI-EXITED=\$?; exec sleep 60"
	step "scanned:"
	tui_keys j d
	step '+    "privileged": false,'
	tui_keys a y e s Enter
	step "[>] register"
	kill -$sig "$(cat "$WORK/pid")"
	case $sig in TERM) restored 143 ;; HUP) restored 129 ;; esac
	tui_stop
done

# 7. an unreadable report: the error and its cause in the status line, no crash
tui_start 100 30 sh -c "env ECSFIX_TUI_FIXTURE=/nonexistent/report.json '$ECSFIX_BIN'; \
echo TUI-EXITED=\$?; exec sleep 60"
step "fixture /nonexistent/report.json"
step "nothing loaded (the status line says why; r tries again)"
tui_keys r
step "fixture /nonexistent/report.json"
tui_keys q
restored 0
tui_stop

finish
