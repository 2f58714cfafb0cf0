#!/bin/sh
# test-apply-register-drop.sh: RegisterTaskDefinition whose connection drops after the server
# registered (no answer at all): apply must look, find the revision and register nothing more.
# libcurl re-sends by itself a request whose reused keep-alive connection died without an
# answer; aws/http.c gives non-idempotent calls a fresh connection so that cannot happen.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-applydrop.XXXXXX")
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"
FAST="--yes --poll-interval 0.05"

# --- the connection drops after the fake registered: same
fake_start --scenario complete --register-drop
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
run "$A" apply $FAST "$WORK/p.json"
assert_status 0
assert_match "not registered twice"
run fake_count RegisterTaskDefinition
assert_match "^1$"
fake_stop

finish
