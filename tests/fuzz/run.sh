#!/bin/sh
# run.sh: runs the libFuzzer targets of a --enable-fuzzing build, each for a bounded time.
#   tests/fuzz/run.sh BUILDDIR [SECONDS] [TARGET...]
# SECONDS per target (default 20); TARGET among lint plan jsonpos xml config sigv4
# scan_report (default all). Each starts from its seeds (tests/fuzz/seeds.py) plus the corpus
# it grew last time (BUILDDIR/fuzz-corpus/TARGET). A crash leaves its input in
# BUILDDIR/fuzz-crashes/ and makes the run fail; copy it into tests/fuzz/seeds/TARGET/ with
# the fix, so `make check` replays it from then on. FUZZ_JOBS=N runs N targets at a time.
# Longer runs, e.g. an hour each:
#   CC=clang ./configure --enable-fuzzing && make fuzz-targets && tests/fuzz/run.sh . 3600
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: run.sh BUILDDIR [SECONDS] [TARGET...]}
secs=${2:-20}
shift
[ $# -gt 0 ] && shift
targets=${*:-lint plan jsonpos xml config sigv4 scan_report}
mkdir -p "$build/fuzz-crashes" "$build/fuzz-corpus"
# FUZZ_JOBS targets at a time (each fuzzer uses one core)
jobs=${FUZZ_JOBS:-1}

# fuzz_one TARGET: one target for $secs seconds; its verdict in $build/fuzz-TARGET.verdict
fuzz_one() {
	t=$1
	bin=$build/tests/fuzz/fuzz_$t
	verdict=$build/fuzz-$t.verdict
	if [ ! -x "$bin" ]; then
		echo "fuzz $t: FAILED ($bin is missing: make fuzz-targets)" >"$verdict"
		return
	fi
	seeds=$build/fuzz-seeds/$t
	rm -rf "$seeds"
	python3 "$top/tests/fuzz/seeds.py" "$t" "$seeds" "$top" >/dev/null
	mkdir -p "$build/fuzz-corpus/$t"
	log=$build/fuzz-$t.log
	# -rss_limit_mb: the targets parse documents of a few MB at most
	if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$build/fuzz-crashes/$t-" \
		"$build/fuzz-corpus/$t" "$seeds" >"$log" 2>&1; then
		echo "fuzz $t: ok, $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") runs in ${secs}s" >"$verdict"
	else
		{
			echo "fuzz $t: FAILED (log $log, input in $build/fuzz-crashes/)"
			grep -E 'ERROR|SUMMARY|==[0-9]+==|runtime error|Test unit written' "$log" | head -12
		} >"$verdict"
	fi
}

running=0
for t in $targets; do
	rm -f "$build/fuzz-$t.verdict"
	fuzz_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
status=0
for t in $targets; do
	cat "$build/fuzz-$t.verdict" 2>/dev/null || echo "fuzz $t: FAILED (no verdict)"
	grep -q '^fuzz [a-z0-9_]*: ok' "$build/fuzz-$t.verdict" 2>/dev/null || status=1
done
exit $status
