#!/bin/sh
# test-tui-basics.sh: the TUI end to end under tmux on the demo account in moto (the real
# core; the shipped binary has no fixture backend): filter, detail, diff, resize to 80x24,
# a user option, the plan file (mode 0600), colours and --no-color, keys while a slow scan
# loads (moto behind tests/lib's delay proxy), the "terminal too small" screen, SIGINT /
# SIGTERM / SIGHUP and q restoring the terminal, an unreachable endpoint shown as an error.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
. "${TOP_SRCDIR:-.}/tests/tui/tui-lib.sh"

moto_start
moto_seed_demo -q >/dev/null || exit 99
tui_lib_init

# 1. filter, detail, diff, 80x24, user, plan file
launch ""
step "scanned: 9 services, 7 failing" 30
run tui_screen
assert_match "ci +gitlab-runner +ci-runner:2 +EC2 +2/2 yes +bridge +root"
tui_keys / s t o r e f r o n t Enter
step "[/storefront]"
run tui_screen
assert_no_match "gitlab-runner"
tui_keys Enter
step "The people to ask before changing it"
step "owner: Zoë Ødegård"
tui_keys d
step '"privileged": false' 30
tui_resize 80 24
step "Diff: web-storefront"
run tui_screen
assert_no_match "^.{81}"
tui_keys u Enter
step 'Options: user 1000' 30
tui_keys p Enter
step "plan written to ./ecsfix-plan-web-storefront-4.json"
run stat -c %a "$WORK/ecsfix-plan-web-storefront-4.json"
assert_match "^600$"
tui_keys q
restored 0
tui_stop

# 2. colours: failing rows in red by default; none with --no-color
launch ""
step "scanned:" 30
run _tui capture-pane -e -p -t "$TUI_TARGET"
assert_match "$(printf '\033')\[[0-9;]*31m"
tui_keys q
restored 0
tui_stop
launch "--no-color"
step "scanned:" 30
run _tui capture-pane -e -p -t "$TUI_TARGET"
assert_no_match "$(printf '\033')\[[0-9;]*3[1-6]m"
assert_match "$(printf '\033')\[[0-9;]*7m"
tui_keys q
restored 0
tui_stop

# 3. a slow account (every request +300 ms): keys work while it loads, the header shows the
# progress; then SIGINT, SIGTERM, SIGHUP restore the terminal with 128+signal
python3 "$TOP_SRCDIR/bench/delay_proxy.py" --target "$MOTO_URL" --delay-ms 300 \
	--port-file "$WORK/proxy.port" >/dev/null 2>&1 &
proxy=$!
cleanup_add "kill $proxy"
i=0
while [ ! -s "$WORK/proxy.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
SLOW=http://127.0.0.1:$(cat "$WORK/proxy.port")
launch "" "AWS_ENDPOINT_URL=$SLOW"
step "loading... (keys work meanwhile"
tui_keys '?'
step "Everywhere"
run tui_screen
assert_no_match "scanned:"
tui_keys Escape
step "loading..."
tui_keys C-c
restored 130
tui_stop
for sig in TERM HUP; do
	rm -f "$WORK/pid"
	tui_start 100 30 sh -c "cd '$WORK' && sh -c 'echo \$\$ >pid; exec env \
AWS_ENDPOINT_URL=$SLOW $ECSFIX_BIN'; echo TUI-EXITED=\$?; exec sleep 60"
	step "loading..."
	kill -$sig "$(cat "$WORK/pid")"
	case $sig in TERM) restored 143 ;; HUP) restored 129 ;; esac
	tui_stop
done

# 4. too small, then back
launch ""
step "scanned:" 30
tui_resize 70 20
step "terminal too small: 70x20 (ecsfix needs 80x24)"
tui_resize 100 30
step "CLUSTER"
tui_keys q
restored 0
tui_stop

# 5. nothing listens: the error and its cause in the status line, no crash; r tries again
launch "" "AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1"
step "nothing loaded (the status line says why; r tries again)" 60
run tui_screen
assert_match "127.0.0.1:9|onnect"
tui_keys r
step "nothing loaded" 60
tui_keys q
restored 0
tui_stop

finish
