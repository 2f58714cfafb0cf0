#!/bin/sh
# test-cli.sh: global options, --help, --version, unknown options and commands.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"

run "$ECSFIX_BIN" --version
assert_status 0
assert_match "^ecsfix [0-9]+\.[0-9]+\.[0-9]+$"

run "$ECSFIX_BIN" --help
assert_status 0
assert_match "usage: ecsfix"
for c in scan lint plan apply tui; do assert_match "^  $c "; done

run "$ECSFIX_BIN" --bogus
assert_status 2
assert_match "unknown option '--bogus'"

run "$ECSFIX_BIN" frobnicate
assert_status 2
assert_match "unknown command 'frobnicate'"

run "$ECSFIX_BIN" --region
assert_status 2
assert_match "needs a value"

run "$ECSFIX_BIN" scan --help
assert_status 0
assert_match "usage: ecsfix scan"

# global options are accepted after the command too
run "$ECSFIX_BIN" lint --no-color --help
assert_status 0
finish
