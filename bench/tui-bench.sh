#!/bin/sh
# tui-bench.sh: how responsive the TUI is while it scans a large account: time to the first
# frame, and key-to-redraw latency for keys pressed during the scan and after it.
#
# usage: bench/tui-bench.sh [--clusters N] [--services N] [--families N] [--revisions N]
#                           [--delay-ms MS] [--keys N] [--ecsfix PATH]
# Starts a private moto_server, seeds it (bench/seed_large.py), puts bench/delay_proxy.py
# (MS per request, default 20) in front, runs ecsfix in a private tmux server with
# ECSFIX_TUI_BENCH=FILE (the TUI writes its own timings there: first frame after start, and
# per key the time from reading the key to the refreshed screen), sends N keys (default 40,
# j/k every 50 ms) while the scan runs and N after it, and prints the figures.
# Targets: first frame < 100 ms, key-to-redraw < 50 ms. It never fails a build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
TOP_SRCDIR=$top
export TOP_SRCDIR
clusters=20 services=500 families=300 revisions=3 delay=20 keys=40
ecsfix=${ECSFIX_BIN:-}
while [ $# -gt 0 ]; do
	case $1 in
	--clusters) clusters=$2; shift 2 ;;
	--services) services=$2; shift 2 ;;
	--families) families=$2; shift 2 ;;
	--revisions) revisions=$2; shift 2 ;;
	--delay-ms) delay=$2; shift 2 ;;
	--keys) keys=$2; shift 2 ;;
	--ecsfix) ecsfix=$2; shift 2 ;;
	-h | --help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "tui-bench: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ -z "$ecsfix" ]; then
	for c in "$top/build/dev/ecsfix" "$top/ecsfix" "$(command -v ecsfix 2>/dev/null)"; do
		[ -n "$c" ] && [ -x "$c" ] && ecsfix=$c && break
	done
fi
[ -n "$ecsfix" ] && [ -x "$ecsfix" ] || {
	echo "tui-bench: no ecsfix binary (build it, or pass --ecsfix PATH)" >&2
	exit 2
}
. "$top/tests/lib/moto.sh"
. "$top/tests/lib/tmux.sh"
moto_start || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-tuibench.XXXXXX")
cleanup_add "rm -rf '$work'"

echo "seeding $clusters clusters, $services services, $families families x $revisions revisions..." >&2
python3 "$here/seed_large.py" --endpoint-url "$MOTO_URL" --clusters "$clusters" \
	--services "$services" --families "$families" --revisions "$revisions" \
	>"$work/seed.json" || exit 2
python3 "$here/delay_proxy.py" --target "$MOTO_URL" --delay-ms "$delay" \
	--port-file "$work/proxy.port" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
cleanup_add "kill $proxy_pid 2>/dev/null"
i=0
while [ ! -s "$work/proxy.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$work/proxy.port" ] || { echo "tui-bench: the proxy did not start" >&2; exit 2; }
PROXY=http://127.0.0.1:$(cat "$work/proxy.port")

timings=$work/timings
start_ms=$(date +%s%3N)
tui_start 120 40 sh -c "env AWS_ENDPOINT_URL='$PROXY' AWS_REGION=$AWS_REGION \
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY='$AWS_SECRET_ACCESS_KEY' \
ECSFIX_TUI_BENCH='$timings' '$ecsfix'; exec sleep 60"
tui_wait_for "ecsfix  profile" 10 >/dev/null || { echo "tui-bench: no first frame" >&2; exit 2; }
# keys while the scan runs (as long as it runs), then after it
n=0
while [ $n -lt "$keys" ] && ! grep -q scan_done "$timings" 2>/dev/null; do
	if [ $((n % 2)) -eq 0 ]; then tui_keys j; else tui_keys k; fi
	sleep 0.05
	n=$((n + 1))
done
tui_wait_for "scanned:" 600 >/dev/null || echo "tui-bench: the scan did not finish" >&2
n=0
while [ $n -lt "$keys" ]; do
	if [ $((n % 2)) -eq 0 ]; then tui_keys j; else tui_keys k; fi
	sleep 0.05
	n=$((n + 1))
done
sleep 0.5
rows=$(tui_screen | sed -n 's/^Services: \([0-9]*\),.*/\1/p')
tui_keys q
sleep 0.3
tui_stop

awk -v start="$start_ms" -v services="$services" -v rows="${rows:-?}" '
function pct(a, n, p,   i, j, t, k) {
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	k = int(n * p + 0.999); if (k < 1) k = 1; if (k > n) k = n; return a[k]
}
/^first_frame_ms/ { ff = $2 }
/^first_frame_epoch_ms/ { ffe = $2 - start }
/^scan_done_ms/ { sd = $2 }
/^key_ms/ { if ($3 == "scanning") { s[++ns] = $2; ss += $2 } else { d[++nd] = $2; ds += $2 } }
END {
	printf "ecsfix TUI benchmark (%d services)\n", services
	printf "  first frame:              %7.1f ms after start (%.1f ms after launch, incl. tmux/exec)  target < 100 ms\n", ff, ffe
	printf "  scan done:                %7.1f ms after start\n", sd
	if (ns) printf "  key-to-redraw, scanning:  median %.2f ms  p95 %.2f ms  max %.2f ms  (%d keys)  target < 50 ms\n", pct(s, ns, 0.5), pct(s, ns, 0.95), pct(s, ns, 1), ns
	if (nd) printf "  key-to-redraw, idle:      median %.2f ms  p95 %.2f ms  max %.2f ms  (%d keys, %s services listed)\n", pct(d, nd, 0.5), pct(d, nd, 0.95), pct(d, nd, 1), nd, rows
}' "$timings"
exit 0
