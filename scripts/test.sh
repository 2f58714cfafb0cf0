#!/usr/bin/env bash
# test.sh: the README's test command: installs what is missing, builds with -Werror and runs
# `make check`, then the ASan/UBSan build's `make check` with `make distcheck` beside it, then
# the libFuzzer targets for a bounded time each (clang), then prints the time of each phase
# and one summary line.
#   FUZZ_SECONDS=N  seconds per fuzz target (default 20; 0 skips the fuzz phase)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
bash scripts/deps.sh || { echo "test: could not install dependencies"; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)
fuzz_secs=${FUZZ_SECONDS:-20}
start=$(date +%s)
summary=()
times=()
status=0

# timed NAME CMD...: runs CMD and records how long it took (for the figures in the README)
timed() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	"$@"
	rc=$?
	times+=("$name $(($(date +%s) - t0))s")
	return $rc
}

conf() { # dir, configure flags...
	local dir=$1
	shift
	mkdir -p "$dir"
	echo "== $dir: configure $*"
	(cd "$dir" && "$top/configure" -q "$@")
}

build() { # dir, configure flags...
	conf "$@" || return 1
	echo "== $1: make"
	make -s -C "$1" -j"$jobs"
}

# Tests mostly wait (emulators starting, screens polled): twice as many as there are cores.
check() { # dir
	echo "== $1: make check"
	make -s -C "$1" -j"$((jobs * 2))" check || {
		find "$1" -name '*.log' -newer "$1/config.status" -exec grep -l -E '^(FAIL|ERROR)' {} + |
			while read -r f; do echo "---- $f"; tail -40 "$f"; done
		return 1
	}
}

counts() { # dir -> "N pass, M skip" from the automake test-suite.log
	local log=$1/test-suite.log
	[ -f "$log" ] || { echo "no log"; return; }
	awk '/^# PASS:/{p=$3} /^# SKIP:/{s=$3} /^# FAIL:/{f=$3} /^# ERROR:/{e=$3}
		END{printf "%d pass, %d skip, %d fail", p, s, f+e}' "$log"
}

# variant NAME DIR FLAGS...: build and check one configuration
variant() {
	local name=$1 dir=$2
	shift 2
	if timed "$name-build" build "$dir" "$@" && timed "$name-check" check "$dir"; then
		summary+=("$name: $(counts "$dir")")
	else
		summary+=("$name: FAILED ($(counts "$dir"))")
		status=1
	fi
}

autoreconf -fi >/dev/null 2>&1 || { echo "test: autoreconf failed"; autoreconf -fi; exit 2; }
variant werror build/werror --enable-werror
# distcheck: the tarball builds out of tree from a read-only source and passes the tests that
# read the source tree's data (units, layers, format, CLI, lint, fuzz seeds); the emulator and
# terminal tests already ran twice above. It runs beside the ASan/UBSan build (the suite must
# pass with a second copy running anyway). Then every file git tracks must be in the tarball.
quick_tests=$(cd "$top" && { ls tests/unit/check_*.c | sed 's/\.c$//'; ls tests/lint/test-*.sh; } 2>/dev/null | tr '\n' ' ')
quick_tests="$quick_tests tests/layers/test-layers.sh tests/layers/test-format.sh tests/cli/test-cli.sh tests/fuzz/test-fuzz-replay.sh"
echo "== distcheck (beside the sanitizers build; log: build/distcheck.log)"
(
	t0=$(date +%s)
	make -s -C build/werror -j"$((jobs * 2))" distcheck TESTS="$quick_tests" >build/distcheck.log 2>&1
	echo "$? $(($(date +%s) - t0))" >build/distcheck.status
) &
distcheck_pid=$!
variant asan+ubsan build/sanitizers --enable-werror --enable-sanitizers
wait $distcheck_pid
read -r dc_rc dc_secs <build/distcheck.status
times+=("distcheck ${dc_secs}s")
if [ "$dc_rc" -eq 0 ] && git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	missing=$(comm -23 <(git -C "$top" ls-files | grep -v -E '^(\.ci/|\.gitignore$|m4/\.keep$)' | sort) \
		<(tar tzf build/werror/ecsfix-*.tar.gz | sed 's|^[^/]*/||' | sort))
	if [ -n "$missing" ]; then
		echo "distcheck: tracked files missing from the tarball (add them to EXTRA_DIST):"
		echo "$missing" | sed 's/^/  /'
		dc_rc=1
	fi
fi
if [ "$dc_rc" -eq 0 ]; then
	summary+=("distcheck: ok")
else
	tail -40 build/distcheck.log
	summary+=("distcheck: FAILED (build/distcheck.log)")
	status=1
fi
if [ "$fuzz_secs" -gt 0 ] 2>/dev/null; then
	if command -v clang >/dev/null 2>&1; then
		echo "== fuzz: ${fuzz_secs}s per target"
		if timed fuzz-build conf build/fuzz CC=clang --enable-fuzzing &&
			timed fuzz-make make -s -C build/fuzz -j"$jobs" fuzz-targets &&
			timed fuzz-run env FUZZ_JOBS="$jobs" sh tests/fuzz/run.sh build/fuzz "$fuzz_secs"; then
			summary+=("fuzz: ok")
		else
			summary+=("fuzz: FAILED (build/fuzz/fuzz-*.log)")
			status=1
		fi
	else
		summary+=("fuzz: FAILED (clang is not installed)")
		status=1
	fi
fi
secs=$(($(date +%s) - start))
if [ $status -eq 0 ]; then word=PASSED; else word=FAILED; fi
echo "phases: ${times[*]}"
echo "ecsfix tests $word in ${secs}s: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"
exit $status
