#!/usr/bin/env bash
# try.sh: the README's "Try it" command. Installs what is missing, builds ecsfix in build/try,
# starts moto_server (a local AWS emulator) on a free loopback port, seeds the demo account
# (scripts/seed_demo.py), puts the rollout simulator in front of it (scripts/rollout_sim.py:
# deployments come up over a few seconds and complete, and ci/gitlab-runner's new revisions
# fail their health checks and roll back, as on AWS) and runs ecsfix against it with
# throw-away credentials and a temporary HOME, so nothing of yours (~/.aws, real AWS) is
# touched. The emulator and the simulator are stopped by PID when ecsfix exits. Arguments go
# to ecsfix: `bash scripts/try.sh scan`. Everything try.sh says of itself goes to stderr, so
# `bash scripts/try.sh scan --output json | python3 -m json.tool` works.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
say() { echo "== try: $*" >&2; }
bash scripts/deps.sh >&2 || {
	echo "try: could not install dependencies" >&2
	exit 2
}

build=build/try
jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -x configure ]; then
	say "autoreconf"
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi >&2
fi
if [ ! -f "$build/Makefile" ]; then
	say "configure ($build)"
	mkdir -p "$build"
	(cd "$build" && "$top/configure" -q >&2)
fi
say "make"
make -s -C "$build" -j"$jobs" >"$build/make.log" 2>&1 || {
	cat "$build/make.log" >&2
	echo "try: the build failed" >&2
	exit 2
}

export TOP_SRCDIR=$top PYTHONDONTWRITEBYTECODE=1
. "$top/tests/lib/moto.sh"
moto_start >&2
say "moto_server on $MOTO_URL (pid $MOTO_PID)"

home=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-try.XXXXXX")
cleanup_add "rm -rf '$home'"
export HOME=$home
export AWS_CONFIG_FILE=$home/.aws/config AWS_SHARED_CREDENTIALS_FILE=$home/.aws/credentials
export XDG_STATE_HOME=$home/.local/state XDG_CONFIG_HOME=$home/.config
moto_seed_demo --keys-out "$home/keys.json" >&2

# the rollout simulator in front of moto; its failing services come from the seed's table
fails=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import seed_demo
print(" ".join("--fail " + s for s in seed_demo.ROLLOUT_FAILS))' "$top/scripts")
# shellcheck disable=SC2086 # word splitting wanted
python3 "$top/scripts/rollout_sim.py" --target "$MOTO_URL" --port-file "$home/sim.port" \
	$fails >"$home/sim.log" 2>&1 &
sim_pid=$!
cleanup_add "kill $sim_pid 2>/dev/null"
i=0
while [ ! -s "$home/sim.port" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$home/sim.port" ]; then
	cat "$home/sim.log" >&2
	echo "try: the rollout simulator did not start" >&2
	exit 2
fi
url=http://127.0.0.1:$(cat "$home/sim.port")
say "rollout simulator on $url (pid $sim_pid) in front of moto_server"

say "ecsfix --endpoint-url $url --region us-east-1 $*"
status=0
"$top/$build/ecsfix" --endpoint-url "$url" --region us-east-1 "$@" || status=$?
say "ecsfix exited with status $status; stopping the simulator and moto_server"
exit $status
