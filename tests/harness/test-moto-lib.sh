#!/bin/sh
# test-moto-lib.sh: tests/lib/moto.sh stops moto_server by PID when the script ends, keeps the
# script's exit status, also on a signal (even SIGKILL), keeps a previous EXIT trap (bash), and skips (77)
# when moto_server is missing.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
top=${TOP_SRCDIR:-.}
command -v moto_server >/dev/null 2>&1 || { echo "SKIP: no moto_server"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-motolib.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/child.sh" <<'SH'
. "$TOP_SRCDIR/tests/lib/moto.sh"
[ "${WITH_TRAP:-}" = 1 ] && trap 'echo previous-exit-trap-ran' EXIT
moto_start || exit 9
echo "$MOTO_PID" >"$PIDFILE"
echo "url=$MOTO_URL region=$AWS_REGION"
python3 -c 'import boto3; print("clusters", boto3.client("ecs").list_clusters()["clusterArns"])'
case $MODE in
fail) false; exit 3 ;;
sleep) while :; do sleep 0.1; done ;;
esac
exit 0
SH

alive() { kill -0 "$(cat "$tmp/pid")" 2>/dev/null; }

for sh in sh bash; do
	run env TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=fail $sh "$tmp/child.sh"
	assert_status 3
	assert_match "^url=http://127\.0\.0\.1:[0-9]+ region=us-east-1$"
	assert_match "^clusters \[\]$"
	run alive
	assert_status 1

	# a signal: the child is killed with TERM while it runs; moto goes with it
	rm -f "$tmp/pid"
	env TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=sleep $sh "$tmp/child.sh" >/dev/null 2>&1 &
	child=$!
	i=0
	while [ ! -s "$tmp/pid" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	run alive
	assert_status 0
	kill -TERM $child
	wait $child
	STATUS=$?
	LAST="$sh child.sh killed by TERM"
	assert_status 143
	sleep 0.2
	run alive
	assert_status 1

	# SIGKILL: no trap runs, but moto_server gets SIGTERM from the kernel (PDEATHSIG)
	rm -f "$tmp/pid"
	env TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=sleep $sh "$tmp/child.sh" >/dev/null 2>&1 &
	child=$!
	i=0
	while [ ! -s "$tmp/pid" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL $child
	wait $child 2>/dev/null
	i=0
	while alive && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	run alive
	LAST="moto_server after $sh child.sh got SIGKILL"
	assert_status 1
done

# bash: an EXIT trap set before moto_start still runs
run env TOP_SRCDIR="$top" PIDFILE="$tmp/pid" MODE=ok WITH_TRAP=1 bash "$tmp/child.sh"
assert_status 0
assert_match "^previous-exit-trap-ran$"
run alive
assert_status 1

# no moto_server on PATH: skip
run env TOP_SRCDIR="$top" PATH="/usr/bin:/bin" PIDFILE="$tmp/pid" MODE=ok sh -c '
	. "$TOP_SRCDIR/tests/lib/moto.sh"
	command -v moto_server >/dev/null && { echo "moto_server is in /usr/bin: cannot test"; exit 77; }
	moto_start; echo "not reached"'
assert_status 77
assert_no_match "not reached"

finish
