#!/bin/sh
# test-scan-timeout.sh: scan --timeout SECONDS against a server that accepts connections and
# never answers: exit 2 with one line naming the timeout (without it a dead server takes three
# attempts of 60 s); a bad value is refused. Nothing here measures time: the server never
# answers, so only the timeout can end the scan.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/cleanup.sh"
command -v python3 >/dev/null 2>&1 || {
	echo "SKIP: python3 is not installed"
	exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-scantimeout.XXXXXX") || exit 99
cleanup_add "rm -rf '$tmp'"
export AWS_ACCESS_KEY_ID=AKIDTIMEOUT AWS_SECRET_ACCESS_KEY=secretsecretsecret AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL

python3 -c 'import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(50)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    conns.append(s.accept()[0])' "$tmp/port" &
hang=$!
cleanup_add "kill $hang"
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done

run "$ECSFIX_BIN" --endpoint-url "http://127.0.0.1:$(cat "$tmp/port")" scan --timeout 1.5
assert_status 2
assert_match '^ecsfix: scan: no complete answer within 1\.5 s \(--timeout\)'
[ "$(echo "$OUT" | wc -l)" -eq 1 ] || _fail "more than one line: $OUT"

run "$ECSFIX_BIN" scan --timeout soon
assert_status 2
assert_match '^ecsfix: scan: --timeout: "soon" is not a number of seconds$'
run "$ECSFIX_BIN" scan --timeout 0
assert_status 2

finish
