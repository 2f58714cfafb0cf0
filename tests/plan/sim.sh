# sim.sh: start scripts/rollout_sim.py in front of the test's moto_server (moto_start first).
# Source it.
#   sim_start ARGS...  start it (ARGS: --fail CLUSTER/SERVICE, --rise S, --fail-after S),
#                      export SIM_URL and point AWS_ENDPOINT_URL at it; stopped by PID on exit.
sim_stop() {
	if [ -n "${SIM_PID:-}" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=""
	fi
}

sim_start() {
	_sim_dir=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-sim.XXXXXX")
	cleanup_add "rm -rf '$_sim_dir'"
	python3 "$TOP_SRCDIR/scripts/rollout_sim.py" --target "$MOTO_URL" \
		--port-file "$_sim_dir/port" "$@" >"$_sim_dir/sim.out" 2>&1 &
	SIM_PID=$!
	cleanup_add sim_stop
	_i=0
	while [ ! -s "$_sim_dir/port" ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ ! -s "$_sim_dir/port" ]; then
		echo "rollout_sim did not start:"
		cat "$_sim_dir/sim.out"
		exit 1
	fi
	SIM_URL=http://127.0.0.1:$(cat "$_sim_dir/port")
	AWS_ENDPOINT_URL=$SIM_URL
	export SIM_URL AWS_ENDPOINT_URL
}
