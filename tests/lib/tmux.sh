# tmux.sh: drive a full-screen program in a private tmux server for end-to-end TUI tests.
# Source it (sh or bash). Exits 77 (skip) when tmux is missing.
#   tui_start W H CMD...   start CMD in a detached W x H session (the pane stays after CMD
#                          exits, so its last screen and status can still be read)
#   tui_keys KEYS...       tmux send-keys (key names like Enter Escape Up C-c, or text;
#                          use `tui_keys -l TEXT` for literal text)
#   tui_wait_for TEXT [SECS]  poll the screen every 0.1 s until it contains TEXT (a fixed
#                          string); on timeout print the screen and return 1. SECS default:
#                          $TUI_WAIT, 60 s (generous for a loaded machine; the poll ends
#                          as soon as the text is there)
#   tui_wait_gone TEXT [SECS] the reverse: until TEXT is no longer on the screen
#   tui_screen             print the current screen (capture-pane -p)
#   tui_resize W H         resize the window (the program gets SIGWINCH)
#   tui_wait_exit [SECS]   wait until the program exited; return 1 on timeout
#   tui_status             print the program's exit status once it exited (empty before)
#   tui_stop               kill the tmux server (also done automatically on exit)
# TUI_SOCKET names the private server (tmux -L); nothing touches the user's tmux.
_tui_top=${TOP_SRCDIR:-}
if [ -z "$_tui_top" ] && [ -n "${BASH_SOURCE:-}" ]; then
	# shellcheck disable=SC3054 # bash only (BASH_SOURCE checked)
	_tui_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
. "${_tui_top:-.}/tests/lib/cleanup.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed"
	exit 77
fi
TUI_SOCKET=ecsfix-test-$$
TUI_TARGET=tui:0.0
TUI_WAIT=${TUI_WAIT:-60}

_tui() {
	tmux -L "$TUI_SOCKET" -f /dev/null "$@"
}

tui_stop() {
	_tui kill-server >/dev/null 2>&1
	# tmux 3.3 leaves the socket file behind
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCKET"
	return 0
}

tui_start() {
	_tui_w=$1
	_tui_h=$2
	shift 2
	cleanup_add tui_stop
	# TERM inside: tmux sets it from default-terminal; keep a known value.
	_tui new-session -d -s tui -x "$_tui_w" -y "$_tui_h" \
		-e LC_ALL="${LC_ALL:-C.UTF-8}" "$@" || return 1
	# watchdog: even if this script is SIGKILLed (no trap runs), the server goes within 1 s
	(
		while kill -0 $$ 2>/dev/null; do sleep 1; done
		tmux -L "$TUI_SOCKET" -f /dev/null kill-server
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCKET"
	) </dev/null >/dev/null 2>&1 &
	_tui set-option -g window-size manual
	_tui set-option -g remain-on-exit on
	_tui set-option -g status off
	_tui resize-window -t tui -x "$_tui_w" -y "$_tui_h"
}

tui_keys() {
	_tui send-keys -t "$TUI_TARGET" "$@"
}

tui_screen() {
	_tui capture-pane -p -t "$TUI_TARGET"
}

tui_resize() {
	_tui resize-window -t tui -x "$1" -y "$2"
}

tui_status() {
	if _tui_dead; then
		_tui display-message -p -t "$TUI_TARGET" '#{pane_dead_status}'
	fi
	return 0
}

# _tui_poll SECS CMD...: run CMD every 0.1 s until it succeeds; 1 on timeout.
_tui_poll() {
	_tui_n=$(awk -v s="$1" 'BEGIN { printf "%d", s * 10 }')
	shift
	while [ "$_tui_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_tui_n=$((_tui_n - 1))
	done
	"$@"
}

_tui_has() {
	tui_screen | grep -qF -- "$1"
}
_tui_lacks() {
	! tui_screen | grep -qF -- "$1"
}
_tui_dead() {
	# pane_dead is set when the pty closes, and the exit status a moment later, once tmux
	# has reaped the process: dead means both (or a signal), never a half-known state.
	case $(_tui display-message -p -t "$TUI_TARGET" \
		'#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}' 2>/dev/null) in
	1:?*) return 0 ;;
	*) return 1 ;;
	esac
}

_tui_show_screen() {
	echo "---- screen (${_tui_w}x${_tui_h}) ----"
	tui_screen | sed 's/^/    |/'
	echo "----"
}

tui_wait_for() {
	if _tui_poll "${2:-$TUI_WAIT}" _tui_has "$1"; then
		return 0
	fi
	echo "tui_wait_for: '$1' did not appear within ${2:-$TUI_WAIT} s"
	_tui_show_screen
	return 1
}

tui_wait_gone() {
	if _tui_poll "${2:-$TUI_WAIT}" _tui_lacks "$1"; then
		return 0
	fi
	echo "tui_wait_gone: '$1' is still on the screen after ${2:-$TUI_WAIT} s"
	_tui_show_screen
	return 1
}

tui_wait_exit() {
	if _tui_poll "${1:-$TUI_WAIT}" _tui_dead; then
		return 0
	fi
	echo "tui_wait_exit: the program is still running after ${1:-$TUI_WAIT} s"
	_tui_show_screen
	return 1
}
