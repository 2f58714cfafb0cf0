# tui-lib.sh: shared steps of the TUI tmux tests on moto. Source it after assert.sh, tmux.sh
# and moto.sh (moto started).
#   tui_lib_init          a private work dir ($WORK, removed on exit) and XDG_STATE_HOME
#   launch ARGS [ENV...]  ecsfix ARGS on moto in a 100x30 pane (ENV: VAR=value words); then a
#                         line TUI-EXITED=<status> (the pane stays: its text can be read)
#   step TEXT [SECS]      wait for TEXT on the screen (a failed check shows the screen)
#   gone TEXT [SECS]      wait until TEXT has left the screen
#   restored STATUS       the program exited with STATUS and left no UI on the pane
tui_lib_init() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-tui.XXXXXX") || exit 99
	cleanup_add "rm -rf '$WORK'"
	XDG_STATE_HOME=$WORK/state
	export XDG_STATE_HOME
}

step() {
	run tui_wait_for "$1" "${2:-20}"
	assert_status 0
}

gone() {
	run tui_wait_gone "$1" "${2:-20}"
	assert_status 0
}

launch() {
	tui_start "${TUI_W:-100}" "${TUI_H:-30}" sh -c "trap : INT; cd '$WORK' && \
env AWS_ENDPOINT_URL='$AWS_ENDPOINT_URL' AWS_REGION=$AWS_REGION \
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY='$AWS_SECRET_ACCESS_KEY' \
XDG_STATE_HOME='$XDG_STATE_HOME' ${2:-} '$ECSFIX_BIN' $1 2>'$WORK/stderr'; \
echo TUI-EXITED=\$?; exec sleep 60"
}

restored() {
	step "TUI-EXITED=$1" 20
	run tui_screen
	assert_no_match "CLUSTER|ecsfix  profile"
}
