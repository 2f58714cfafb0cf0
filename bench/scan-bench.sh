#!/bin/sh
# scan-bench.sh: how fast and how frugal `ecsfix scan` is on a large account, side by side
# with a sequential boto3 script and the AWS CLI doing the same inventory.
#
# usage: bench/scan-bench.sh [--clusters N] [--services N] [--families N] [--revisions N]
#                            [--delay-ms MS] [--no-awscli] [--ecsfix PATH]
# Starts a private moto_server, seeds it (bench/seed_large.py), puts a loopback proxy adding
# MS (default 20) per request in front of it (bench/delay_proxy.py, which also counts the
# requests), and prints wall time, requests sent vs the lower bound, and peak RSS.
# A benchmark prints figures; it never fails a build (exit 0 unless it cannot run at all).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
TOP_SRCDIR=$top
clusters=20 services=500 families=300 revisions=3 delay=20 awscli=1
ecsfix=${ECSFIX_BIN:-}
while [ $# -gt 0 ]; do
	case $1 in
	--clusters) clusters=$2; shift 2 ;;
	--services) services=$2; shift 2 ;;
	--families) families=$2; shift 2 ;;
	--revisions) revisions=$2; shift 2 ;;
	--delay-ms) delay=$2; shift 2 ;;
	--no-awscli) awscli=0; shift ;;
	--ecsfix) ecsfix=$2; shift 2 ;;
	-h | --help) sed -n '2,11p' "$0"; exit 0 ;;
	*) echo "scan-bench: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ -z "$ecsfix" ]; then
	for c in "$top/build/dev/ecsfix" "$top/ecsfix" "$(command -v ecsfix 2>/dev/null)"; do
		[ -n "$c" ] && [ -x "$c" ] && ecsfix=$c && break
	done
fi
[ -n "$ecsfix" ] && [ -x "$ecsfix" ] || {
	echo "scan-bench: no ecsfix binary (build it, or pass --ecsfix PATH)" >&2
	exit 2
}
. "$top/tests/lib/moto.sh"
moto_start || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-bench.XXXXXX")
cleanup_add "rm -rf '$work'"

echo "seeding $clusters clusters, $services services, $families families x $revisions revisions..." >&2
python3 "$here/seed_large.py" --endpoint-url "$MOTO_URL" --clusters "$clusters" \
	--services "$services" --families "$families" --revisions "$revisions" \
	>"$work/seed.json" || exit 2
python3 "$here/lower_bound.py" >"$work/bound.json" || exit 2

python3 "$here/delay_proxy.py" --target "$MOTO_URL" --delay-ms "$delay" \
	--port-file "$work/proxy.port" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
cleanup_add "kill $proxy_pid 2>/dev/null"
i=0
while [ ! -s "$work/proxy.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$work/proxy.port" ] || { echo "scan-bench: the proxy did not start" >&2; exit 2; }
PROXY=http://127.0.0.1:$(cat "$work/proxy.port")

# measure NAME CMD...: runs CMD through the proxy; appends "name wall rss_kb requests" to
# $work/results and keeps the per-operation counts.
measure() {
	name=$1
	shift
	python3 - "$PROXY" reset <<'EOF'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/__proxy/reset", data=b"", method="POST")).read()
EOF
	if [ -x /usr/bin/time ]; then
		# GNU time forks from a small process: its %M is the command's own peak RSS
		/usr/bin/time -f '%e %M %x' -o "$work/$name.time" "$@" \
			>"$work/$name.stdout" 2>"$work/$name.stderr"
		python3 - "$work/$name" <<'EOF'
import json, sys
wall, rss, rc = open(sys.argv[1] + ".time").read().split()[-3:]
json.dump({"wall": float(wall), "rss_kb": int(rss), "rc": int(rc)}, open(sys.argv[1] + ".run", "w"))
EOF
	else
		python3 - "$work/$name" "$@" <<'EOF'
import json, os, resource, subprocess, sys, time
out = sys.argv[1]
t0 = time.monotonic()
with open(out + ".stdout", "wb") as so, open(out + ".stderr", "wb") as se:
    rc = subprocess.call(sys.argv[2:], stdout=so, stderr=se)
wall = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB; includes the fork
json.dump({"wall": wall, "rss_kb": rss, "rc": rc}, open(out + ".run", "w"))
EOF
	fi
	python3 - "$PROXY" >"$work/$name.requests" <<'EOF'
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "/__proxy/stats").read().decode())
EOF
	echo "$name" >>"$work/names"
}

export AWS_ENDPOINT_URL=$PROXY
export XDG_CACHE_HOME=$work/cache
echo "running ecsfix scan (paced to the ECS rate limits)..." >&2
measure ecsfix "$ecsfix" scan --output json --no-cache
echo "running ecsfix scan (ECSFIX_RATE_SCALE=100: raised quotas; fills the revision cache)..." >&2
measure ecsfix_x100 env ECSFIX_RATE_SCALE=100 "$ecsfix" scan --output json
echo "running ecsfix scan again (ECSFIX_RATE_SCALE=100, with the revision cache)..." >&2
measure ecsfix_rescan env ECSFIX_RATE_SCALE=100 "$ecsfix" scan --output json
echo "running ecsfix scan --no-findings, then again (the cache without Security Hub's pages)..." >&2
measure ecsfix_nf env ECSFIX_RATE_SCALE=100 "$ecsfix" scan --output json --no-findings --no-cache
measure ecsfix_nf_rescan env ECSFIX_RATE_SCALE=100 "$ecsfix" scan --output json --no-findings
echo "running the boto3 script..." >&2
measure boto3 python3 "$here/boto3_scan.py"
if [ $awscli -eq 1 ] && command -v aws >/dev/null 2>&1 && command -v jq >/dev/null 2>&1; then
	echo "running the AWS CLI script (one process per call: slow)..." >&2
	measure awscli sh "$here/awscli_scan.sh"
fi

python3 - "$work" "$delay" <<'EOF'
import json, os, sys
work, delay = sys.argv[1], sys.argv[2]
bound = json.load(open(os.path.join(work, "bound.json")))
acct = bound["account"]
lb = bound["moto"]
labels = {"ecsfix": "ecsfix scan (ECS rate limits)",
          "ecsfix_x100": "ecsfix scan (rate limits x100)",
          "ecsfix_rescan": "ecsfix rescan (x100, cache)",
          "ecsfix_nf": "ecsfix --no-findings (x100)",
          "ecsfix_nf_rescan": "ecsfix --no-findings rescan (cache)",
          "boto3": "boto3 script (sequential)",
          "awscli": "AWS CLI script (sequential)"}
rows = []
for name in open(os.path.join(work, "names")).read().split():
    run = json.load(open(os.path.join(work, name + ".run")))
    req = json.load(open(os.path.join(work, name + ".requests")))
    rows.append((name, run, req))
print("Scan benchmark: %d clusters, %d services, %d families in use, %d revisions in use, "
      "%d ACTIVE revisions, %d findings (%d of handled controls); +%s ms per request" % (
          acct["clusters"], acct["services"], acct["familiesInUse"], acct["revisionsInUse"],
          acct["activeRevisions"], acct["findings"], acct["handledFindings"], delay))
print()
print("| %-31s | %8s | %8s | %11s | %12s | %4s |" % ("", "wall (s)", "requests", "lower bound",
                                                     "peak RSS (MB)", "exit"))
print("|%s|%s|%s|%s|%s|%s|" % ("-" * 33, "-" * 10, "-" * 10, "-" * 13, "-" * 15, "-" * 6))
for name, run, req in rows:
    print("| %-31s | %8.2f | %8d | %11d | %13.1f | %4d |" % (
        labels.get(name, name), run["wall"], req["total"], lb["total"], run["rss_kb"] / 1024.0,
        run["rc"]))
print()
walls = {n: r["wall"] for n, r, _ in rows}
for name in ("ecsfix", "ecsfix_x100"):
    if name in walls and "boto3" in walls and walls[name] > 0:
        print("%s wall time = 1/%.1f of boto3's (target: at most 1/6)" % (
            labels[name], walls["boto3"] / walls[name]))
if "ecsfix_rescan" in walls and walls.get("ecsfix_x100", 0) > 0:
    print("rescan with the cache: %.0f%% of the first scan's wall time (target: at most 25%%)" % (
        100.0 * walls["ecsfix_rescan"] / walls["ecsfix_x100"]))
if "ecsfix_nf_rescan" in walls and walls.get("ecsfix_nf", 0) > 0:
    print("without Security Hub (its pages are sequential): rescan %.0f%% of the first scan" % (
        100.0 * walls["ecsfix_nf_rescan"] / walls["ecsfix_nf"]))
for name, run, req in rows:
    if name.startswith("ecsfix"):
        extra = {k: v - lb.get(k, 0) for k, v in req["ops"].items() if v != lb.get(k, 0)}
        print("%s requests per call: %s" % (name, json.dumps(req["ops"])))
        if extra and "rescan" not in name and name != "ecsfix_nf":
            print("  differences (%s - bound): %s" % (name, json.dumps(extra)))
print("lower bound per call: %s" % json.dumps({k: v for k, v in lb.items() if k != "total"}))
print("lower bound on real AWS (pages of 100, filters applied): %d requests" % bound["aws"]["total"])
EOF
exit 0
