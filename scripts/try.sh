#!/usr/bin/env bash
# try.sh: the README's "Try it" command. Installs what is missing, builds ecsfix in build/try,
# starts moto_server (a local AWS emulator) on a free loopback port, seeds the demo account
# (scripts/seed_demo.py) and runs ecsfix against it with throw-away credentials and a
# temporary HOME, so nothing of yours (~/.aws, real AWS) is touched. The emulator is stopped
# by PID when ecsfix exits. Arguments go to ecsfix: `bash scripts/try.sh scan`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh || {
	echo "try: could not install dependencies" >&2
	exit 2
}

build=build/try
jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -x configure ]; then
	echo "== try: autoreconf"
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
if [ ! -f "$build/Makefile" ]; then
	echo "== try: configure ($build)"
	mkdir -p "$build"
	(cd "$build" && "$top/configure" -q)
fi
echo "== try: make"
make -s -C "$build" -j"$jobs" >"$build/make.log" 2>&1 || {
	cat "$build/make.log" >&2
	echo "try: the build failed" >&2
	exit 2
}

export TOP_SRCDIR=$top
. "$top/tests/lib/moto.sh"
moto_start
echo "== try: moto_server on $MOTO_URL (pid $MOTO_PID)"

home=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-try.XXXXXX")
cleanup_add "rm -rf '$home'"
export HOME=$home
export AWS_CONFIG_FILE=$home/.aws/config AWS_SHARED_CREDENTIALS_FILE=$home/.aws/credentials
export XDG_STATE_HOME=$home/.local/state XDG_CONFIG_HOME=$home/.config
moto_seed_demo --keys-out "$home/keys.json"

echo "== try: ecsfix --endpoint-url $MOTO_URL --region us-east-1 $*"
status=0
"$top/$build/ecsfix" --endpoint-url "$MOTO_URL" --region us-east-1 "$@" || status=$?
echo "== try: ecsfix exited with status $status; stopping moto_server (pid $MOTO_PID)"
exit $status
