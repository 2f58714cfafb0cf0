#!/bin/sh
# test-tmux-harness.sh: proves tests/lib/tmux.sh works: start, keys, wait_for, resize,
# capture, exit status, and that wait_for fails on text that never appears.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"

# a trivial "TUI": prints its size, echoes a line, reports its new size on SIGWINCH, exits 3
tui_start 100 30 sh -c '
	trap "echo resized:\$(stty size)" WINCH
	echo ready:$(stty size) héllo
	read x
	echo got:$x
	while ! read y; do :; done
	exit 3'

run tui_wait_for "ready:30 100" 60
assert_status 0
run tui_screen
assert_match "héllo"

tui_keys -l "abc def"
tui_keys Enter
run tui_wait_for "got:abc def" 60
assert_status 0

# a missing text makes wait_for fail and show the screen (how long it polls is not
# asserted: the machine may be loaded; 0.3 s keeps the test short)
run tui_wait_for "never-printed" 0.3
assert_status 1
assert_match "did not appear"
assert_match "got:abc def"
run tui_wait_gone "got:abc def" 0.3
assert_status 1
assert_match "is still on the screen"

tui_resize 80 24
run tui_wait_for "resized:24 80" 60
assert_status 0

run tui_status
assert_match "^$"
tui_keys Enter
run tui_wait_exit 60
assert_status 0
run tui_status
assert_match "^3$"
# the last screen stays readable after the program exited
run tui_screen
assert_match "got:abc def"

# stop and start again in the same test (a second session on a fresh server)
tui_stop
tui_start 80 24 sh -c 'echo second-run; sleep 30'
run tui_wait_for "second-run" 60
assert_status 0
run tui_screen
assert_no_match "got:abc def"

# a test killed with SIGKILL leaves no tmux server behind (the watchdog removes it)
cat >"${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.sh" <<'SH'
. "$TOP_SRCDIR/tests/lib/tmux.sh"
tui_start 40 10 sh -c 'echo up; sleep 60'
tui_wait_for up 60 >/dev/null || exit 1
echo "$TUI_SOCKET"
exec sleep 60
SH
TOP_SRCDIR=${TOP_SRCDIR:-.} sh "${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.sh" >"${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.out" &
child=$!
i=0
while [ ! -s "${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.out" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
sock=$(cat "${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.out")
run tmux -L "$sock" -f /dev/null has-session -t tui
assert_status 0
kill -KILL $child
wait $child 2>/dev/null
# the watchdog notices within a second or so: poll (up to 60 s) until the server is gone
i=0
while tmux -L "$sock" -f /dev/null has-session -t tui 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
run tmux -L "$sock" -f /dev/null has-session -t tui
LAST="tmux server of a SIGKILLed test"
assert_status 1
rm -f "${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.sh" "${TMPDIR:-/tmp}/ecsfix-tmux-kill.$$.out"

finish
