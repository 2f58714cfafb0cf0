#!/bin/sh
# test-moto-lib.sh: tests/lib/moto.sh stops moto_server by PID when the script ends, keeps the
# script's exit status, also on a signal (even SIGKILL), keeps a previous EXIT trap (bash), and skips (77)
# when moto_server is missing. The real moto_server once (boto3 reaches it); the lifecycle
# cases run a stand-in moto_server (a tiny HTTP server) so the self-test stays short.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
top=${TOP_SRCDIR:-.}
command -v moto_server >/dev/null 2>&1 || { echo "SKIP: no moto_server"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-motolib.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/moto_server" <<'PY'
#!/usr/bin/env python3
# a stand-in for moto_server -H HOST -p PORT: answers every request with 200 {}
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    do_POST = do_GET
    def log_message(self, *a):
        pass
http.server.HTTPServer((sys.argv[sys.argv.index("-H") + 1], int(sys.argv[sys.argv.index("-p") + 1])), H).serve_forever()
PY
chmod +x "$tmp/bin/moto_server"
STANDIN_PATH=$tmp/bin:$PATH

cat >"$tmp/child.sh" <<'SH'
. "$TOP_SRCDIR/tests/lib/moto.sh"
[ "${WITH_TRAP:-}" = 1 ] && trap 'echo previous-exit-trap-ran' EXIT
moto_start || exit 9
echo "$MOTO_PID" >"$PIDFILE"
echo "url=$MOTO_URL region=$AWS_REGION"
[ "${REAL:-}" = 1 ] && python3 -c 'import boto3; print("clusters", boto3.client("ecs").list_clusters()["clusterArns"])'
case $MODE in
fail) false; exit 3 ;;
sleep) while :; do sleep 0.1; done ;;
esac
exit 0
SH

alive() { kill -0 "$(cat "$tmp/pid")" 2>/dev/null; }

# the real moto_server: boto3 reaches it; stopped when the script fails
run env TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=fail REAL=1 sh "$tmp/child.sh"
assert_status 3
assert_match "^url=http://127\.0\.0\.1:[0-9]+ region=us-east-1$"
assert_match "^clusters \[\]$"
run alive
assert_status 1

# wait_pid: until the child wrote moto's PID (60 s at most)
wait_pid() {
	i=0
	while [ ! -s "$tmp/pid" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}
# wait_gone: until moto's PID is gone (60 s at most)
wait_gone() {
	i=0
	while alive && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}

for sh in sh bash; do
	rm -f "$tmp/pid"
	run env PATH="$STANDIN_PATH" TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=fail $sh "$tmp/child.sh"
	assert_status 3
	assert_match "^url=http://127\.0\.0\.1:[0-9]+ region=us-east-1$"
	run alive
	assert_status 1

	# a signal: the child is killed with TERM while it runs; moto goes with it
	rm -f "$tmp/pid"
	env PATH="$STANDIN_PATH" TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=sleep $sh "$tmp/child.sh" >/dev/null 2>&1 &
	child=$!
	wait_pid
	run alive
	assert_status 0
	kill -TERM $child
	wait $child
	STATUS=$?
	LAST="$sh child.sh killed by TERM"
	assert_status 143
	wait_gone
	run alive
	assert_status 1

	# SIGKILL: no trap runs, but moto_server gets SIGTERM from the kernel (PDEATHSIG)
	rm -f "$tmp/pid"
	env PATH="$STANDIN_PATH" TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=sleep $sh "$tmp/child.sh" >/dev/null 2>&1 &
	child=$!
	wait_pid
	kill -KILL $child
	wait $child 2>/dev/null
	wait_gone
	run alive
	LAST="moto_server after $sh child.sh got SIGKILL"
	assert_status 1
done

# no moto_server on PATH: skip
run env TOP_SRCDIR="$top" PATH="/usr/bin:/bin" PIDFILE="$tmp/pid" MODE=ok sh -c '
	. "$TOP_SRCDIR/tests/lib/moto.sh"
	command -v moto_server >/dev/null && { echo "moto_server is in /usr/bin: cannot test"; exit 77; }
	moto_start; echo "not reached"'
assert_status 77
assert_no_match "not reached"

finish
