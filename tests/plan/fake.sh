# fake.sh: start tests/plan/fake_ecs.py on a free loopback port for one test. Source it.
#   fake_start ARGS...   start it (ARGS: --scenario NAME, --register-sleep S, ...), export
#                        AWS_ENDPOINT_URL and test credentials; stopped by PID on exit.
#   FAKE_LOG             the fake's call log (one JSON line per call)
# Exits 77 (skip) when python3 is missing.
. "$TOP_SRCDIR/tests/lib/cleanup.sh"

fake_stop() {
	if [ -n "${FAKE_PID:-}" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=""
	fi
}

fake_start() {
	if ! command -v python3 >/dev/null 2>&1; then
		echo "SKIP: python3 is not installed"
		exit 77
	fi
	FAKE_DIR=$WORK/fake
	mkdir -p "$FAKE_DIR"
	FAKE_LOG=$FAKE_DIR/calls.jsonl
	: >"$FAKE_LOG"
	rm -f "$FAKE_DIR/port"
	python3 "$TOP_SRCDIR/tests/plan/fake_ecs.py" --port-file "$FAKE_DIR/port" \
		--log "$FAKE_LOG" "$@" >"$FAKE_DIR/fake.out" 2>&1 &
	FAKE_PID=$!
	cleanup_add fake_stop
	_i=0
	while [ ! -s "$FAKE_DIR/port" ] && [ $_i -lt 600 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ ! -s "$FAKE_DIR/port" ]; then
		echo "fake_ecs did not start:"
		cat "$FAKE_DIR/fake.out"
		exit 1
	fi
	AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$FAKE_DIR/port")
	AWS_REGION=us-east-1
	AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
	export AWS_ENDPOINT_URL AWS_REGION AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
	unset AWS_SESSION_TOKEN AWS_PROFILE
}

# fake_count OP: how many OP calls the fake saw
fake_count() {
	grep -c "\"op\": \"$1\"" "$FAKE_LOG"
}
