#!/bin/sh
# test-private-files.sh: files that hold account data or secrets, and where credentials go.
# --debug=FILE creates the trace 0600, makes an existing 0644 file 0600, refuses a symbolic
# link (the target untouched) and a FIFO at once; the audit log is refused in a directory every
# user can write to (nothing changed in the account) and when it is a symbolic link; a plain
# http:// endpoint other than the loopback gets a warning, the loopback none.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-private.XXXXXX") || exit 99
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN --no-color"
printf '%s\n' '{"family": "f", "containerDefinitions": [{"name": "c", "image": "i", "user": "1"}]}' \
	>"$WORK/td.json"

fake_start --scenario complete --only-web

# --debug=FILE: created 0600
run $A --debug="$WORK/trace.log" plan --service c1/web
assert_status 0
run stat -c %a "$WORK/trace.log"
assert_match '^600$'
run grep -c 'http: > POST' "$WORK/trace.log"
assert_match '^[1-9]'
# an existing 0644 trace is made 0600, not kept
: >"$WORK/old.log"
chmod 644 "$WORK/old.log"
run $A --debug="$WORK/old.log" plan --service c1/web
assert_status 0
run stat -c %a "$WORK/old.log"
assert_match '^600$'
# a symbolic link is refused, its target untouched
echo "precious" >"$WORK/target"
chmod 644 "$WORK/target"
ln -s "$WORK/target" "$WORK/link.log"
run $A --debug="$WORK/link.log" plan --service c1/web
assert_status 2
assert_match '^ecsfix: debug trace: .*link\.log: is a symbolic link \(refused, not followed\)'
run cat "$WORK/target"
assert_match '^precious$'
run stat -c %a "$WORK/target"
assert_match '^644$'
# a FIFO: refused at once (no reader to wait for)
mkfifo "$WORK/fifo"
run $A --debug="$WORK/fifo" plan --service c1/web
assert_status 2
assert_match 'fifo: not a regular file'

# the audit log: in a directory every user can write to, refused before any change
run $A plan --service c1/web -o "$WORK/p.json"
assert_status 0
mkdir -p "$WORK/shared"
chmod 1777 "$WORK/shared"
: >"$FAKE_LOG"
run $A apply --yes --audit-log "$WORK/shared/audit.jsonl" "$WORK/p.json"
assert_status 2
assert_match '^ecsfix: .*audit log: .*shared/audit.jsonl: the directory .*shared is writable by every user \(refused\) \(keep it in a private directory'
run grep -c 'RegisterTaskDefinition\|UpdateService' "$FAKE_LOG"
assert_match '^0$'
[ -e "$WORK/shared/audit.jsonl" ] && _fail "the audit log was created"
# ... and a symbolic link as the log
mkdir -p "$XDG_STATE_HOME/ecsfix"
ln -s "$WORK/target" "$XDG_STATE_HOME/ecsfix/audit.jsonl"
run $A apply --yes "$WORK/p.json"
assert_status 2
assert_match 'audit.jsonl: is a symbolic link'
run grep -c 'RegisterTaskDefinition\|UpdateService' "$FAKE_LOG"
assert_match '^0$'
rm "$XDG_STATE_HOME/ecsfix/audit.jsonl"

# credentials over plain http to another host: a warning; to the loopback: none
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run $A --endpoint-url "http://127.0.0.1:$port" plan --service c1/web
assert_no_match 'without encryption'
run $A --endpoint-url "http://localhost:$port" plan --service c1/web
assert_no_match 'without encryption'
run env AWS_ENDPOINT_URL_SECURITYHUB="http://192.0.2.1:$port" $A plan --service c1/web
assert_match '^ecsfix: warning: credentials are sent to http://192\.0\.2\.1:[0-9]+ without encryption'

finish
