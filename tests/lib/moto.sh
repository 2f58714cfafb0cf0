# moto.sh: a private moto_server for tests and the demo. Source it (sh or bash).
#   moto_start [--auth N]  start moto_server on a free 127.0.0.1 port, wait until it
#                          answers, export MOTO_URL, MOTO_PID, MOTO_LOG, AWS_ENDPOINT_URL,
#                          (MOTO_DIR: a private directory, removed with the server),
#                          AWS_REGION=us-east-1 and test credentials; stop it by PID when
#                          the script exits (and, on Linux, when the script is SIGKILLed). --auth N: moto checks SigV4 signatures and
#                          IAM policies after the first N requests
#                          (INITIAL_NO_AUTH_ACTION_COUNT=N).
#   moto_stop              stop it now (also done automatically on exit).
#   moto_seed_demo [ARGS]  run scripts/seed_demo.py against it (ARGS: --keys-out FILE,
#                          --unicode-names, -q); in --auth mode it pads to N requests.
#   moto_python ARGS       python3 with the same environment (boto3 scripts).
#   moto_use_keys FILE USER  export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of USER
#                          (ecsfix-readonly, ecsfix-remediator) from a --keys-out FILE.
# Exits 77 (skip) when python3 or moto_server is missing.
# The source tree: $TOP_SRCDIR (make check), else found from this file (bash), else ".".
if [ -n "${TOP_SRCDIR:-}" ]; then
	_moto_top=$TOP_SRCDIR
elif [ -n "${BASH_SOURCE:-}" ]; then
	# shellcheck disable=SC3054 # bash only (BASH_SOURCE checked)
	_moto_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
else
	_moto_top=.
fi
. "$_moto_top/tests/lib/cleanup.sh"

# Runs argv[1:] in place (same PID) after asking Linux to send it SIGTERM when the script that
# started it dies, so even a script killed with SIGKILL leaves no emulator behind.
_moto_exec='import ctypes, os, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, 15, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGTERM
except Exception:
    pass
os.execvp(sys.argv[1], sys.argv[1:])'

_moto_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# _moto_ping URL: true when moto answers (any HTTP status) within 1 second.
_moto_ping() {
	if command -v curl >/dev/null 2>&1; then
		curl -s -o /dev/null --max-time 1 "$1/moto-api/" && return 0
		return 1
	fi
	python3 -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)
except urllib.error.HTTPError:
    pass
except Exception:
    sys.exit(1)' "$1"
}

moto_stop() {
	if [ -n "${MOTO_PID:-}" ]; then
		kill "$MOTO_PID" 2>/dev/null || :
		# give it 5 s to go, then force
		_moto_i=0
		while kill -0 "$MOTO_PID" 2>/dev/null && [ $_moto_i -lt 50 ]; do
			sleep 0.1
			_moto_i=$((_moto_i + 1))
		done
		kill -9 "$MOTO_PID" 2>/dev/null || :
		wait "$MOTO_PID" 2>/dev/null || :
		MOTO_PID=""
	fi
	if [ -n "${MOTO_DIR:-}" ]; then
		rm -rf "$MOTO_DIR"
		MOTO_DIR=""
	fi
}

moto_start() {
	_moto_auth=""
	while [ $# -gt 0 ]; do
		case $1 in
		--auth)
			_moto_auth=${2:?--auth needs a count}
			shift 2
			;;
		--auth=*)
			_moto_auth=${1#--auth=}
			shift
			;;
		*)
			echo "moto_start: unknown argument '$1'" >&2
			return 2
			;;
		esac
	done
	if ! command -v python3 >/dev/null 2>&1; then
		echo "SKIP: python3 is not installed"
		exit 77
	fi
	if ! command -v moto_server >/dev/null 2>&1; then
		echo "SKIP: moto_server is not installed (pip install 'moto[server]')"
		exit 77
	fi
	if [ -n "${MOTO_PID:-}" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
		echo "moto_start: moto_server is already running (pid $MOTO_PID); moto_stop first" >&2
		return 1
	fi
	MOTO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-moto.XXXXXX") || return 1
	MOTO_LOG=$MOTO_DIR/moto.log
	cleanup_add moto_stop
	_moto_try=0
	while [ $_moto_try -lt 5 ]; do
		_moto_try=$((_moto_try + 1))
		_moto_port=$(_moto_free_port) || return 1
		if [ -n "$_moto_auth" ]; then
			INITIAL_NO_AUTH_ACTION_COUNT=$_moto_auth \
				python3 -c "$_moto_exec" moto_server -H 127.0.0.1 -p "$_moto_port" \
				>"$MOTO_LOG" 2>&1 &
		else
			python3 -c "$_moto_exec" moto_server -H 127.0.0.1 -p "$_moto_port" \
				>"$MOTO_LOG" 2>&1 &
		fi
		MOTO_PID=$!
		MOTO_URL="http://127.0.0.1:$_moto_port"
		_moto_i=0
		while [ $_moto_i -lt 1200 ]; do # 120 s: a loaded machine starts python slowly
			if ! kill -0 "$MOTO_PID" 2>/dev/null; then
				break # died (port taken?): try another port
			fi
			if _moto_ping "$MOTO_URL"; then
				MOTO_AUTH=$_moto_auth
				export MOTO_URL MOTO_PID MOTO_LOG MOTO_AUTH
				AWS_ENDPOINT_URL=$MOTO_URL
				AWS_REGION=us-east-1
				AWS_DEFAULT_REGION=us-east-1
				AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
				AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
				AWS_EC2_METADATA_DISABLED=true
				export AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION AWS_ACCESS_KEY_ID \
					AWS_SECRET_ACCESS_KEY AWS_EC2_METADATA_DISABLED
				unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
				return 0
			fi
			sleep 0.1
			_moto_i=$((_moto_i + 1))
		done
		if kill -0 "$MOTO_PID" 2>/dev/null; then
			break # alive but not answering: give up
		fi
		wait "$MOTO_PID" 2>/dev/null || :
	done
	echo "moto_start: moto_server did not answer on $MOTO_URL; its log:" >&2
	sed 's/^/    | /' "$MOTO_LOG" | tail -40 >&2
	moto_stop
	return 1
}

moto_python() {
	python3 "$@"
}

moto_use_keys() {
	_moto_k=$(python3 -c 'import json, sys
k = json.load(open(sys.argv[1]))[sys.argv[2]]
print(k["AccessKeyId"], k["SecretAccessKey"])' "$1" "$2") || return 1
	AWS_ACCESS_KEY_ID=${_moto_k%% *}
	AWS_SECRET_ACCESS_KEY=${_moto_k#* }
	export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
}

# In auth mode the seed pads its requests to the --auth count, so that every request after
# the seed must be signed by a known IAM user (the keys: moto_seed_demo --keys-out FILE).
moto_seed_demo() {
	if [ -n "${MOTO_AUTH:-}" ]; then
		set -- --pad-requests-to "$MOTO_AUTH" "$@"
	fi
	python3 "$_moto_top/scripts/seed_demo.py" --endpoint-url "$MOTO_URL" "$@"
}
