#!/usr/bin/env bash
# test.sh: the README's test command: installs what is missing, builds with -Werror, runs
# `make check`, then the ASan/UBSan build's `make check`, then `make distcheck`, then prints
# one summary line.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
bash scripts/deps.sh || { echo "test: could not install dependencies"; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
summary=()
status=0

step() { # name, dir, configure flags...
	local name=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	echo "== $name: configure $*"
	(cd "$dir" && "$top/configure" -q "$@") || return 1
	echo "== $name: make"
	make -s -C "$dir" -j"$jobs" || return 1
	echo "== $name: make check"
	make -s -C "$dir" -j"$jobs" check || {
		find "$dir" -name '*.log' -newer "$dir/config.status" -exec grep -l -E '^(FAIL|ERROR)' {} + |
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

autoreconf -fi >/dev/null 2>&1 || { echo "test: autoreconf failed"; autoreconf -fi; exit 2; }
if step "werror" build/werror --enable-werror; then
	summary+=("werror: $(counts build/werror)")
else
	summary+=("werror: FAILED ($(counts build/werror))")
	status=1
fi
if step "sanitizers" build/sanitizers --enable-werror --enable-sanitizers; then
	summary+=("asan+ubsan: $(counts build/sanitizers)")
else
	summary+=("asan+ubsan: FAILED ($(counts build/sanitizers))")
	status=1
fi
echo "== distcheck"
if make -s -C build/werror distcheck >build/distcheck.log 2>&1; then
	summary+=("distcheck: ok")
else
	tail -40 build/distcheck.log
	summary+=("distcheck: FAILED (build/distcheck.log)")
	status=1
fi
secs=$(($(date +%s) - start))
if [ $status -eq 0 ]; then word=PASSED; else word=FAILED; fi
echo "ecsfix tests $word in ${secs}s: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"
exit $status
