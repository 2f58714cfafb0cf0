#!/bin/sh
# org-bench.sh: one scan across an organization: requests against the lower bound, wall time
# against one target scanned alone (targets run in parallel, not one after another), peak RSS;
# then a rescan with the revision cache.
#
# usage: bench/org-bench.sh [--members N] [--regions LIST] [--services N] [--families N]
#                           [--delay-ms MS] [--ecsfix PATH]
# Starts a private moto_server, seeds it (bench/seed_org.py: N member accounts, each with one
# cluster per region), puts bench/delay_proxy.py (+MS per request, default 20) in front, and
# prints figures. A benchmark prints figures; it never fails a build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
TOP_SRCDIR=$top
members=10 regions=us-east-1,eu-west-1 services=25 families=5 delay=20
ecsfix=${ECSFIX_BIN:-$top/build/dev/ecsfix}
while [ $# -gt 0 ]; do
	case $1 in
	--members) members=$2; shift 2 ;;
	--regions) regions=$2; shift 2 ;;
	--services) services=$2; shift 2 ;;
	--families) families=$2; shift 2 ;;
	--delay-ms) delay=$2; shift 2 ;;
	--ecsfix) ecsfix=$2; shift 2 ;;
	-h | --help) sed -n '2,10p' "$0"; exit 0 ;;
	*) echo "org-bench: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -x "$ecsfix" ] || { echo "org-bench: no ecsfix at $ecsfix (--ecsfix PATH)" >&2; exit 2; }
. "$top/tests/lib/moto.sh"
moto_start || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-orgbench.XXXXXX")
cleanup_add "rm -rf '$work'"
echo "seeding $members members x $regions, $services services, $families families each..." >&2
python3 "$here/seed_org.py" --endpoint-url "$MOTO_URL" --members "$members" --regions "$regions" \
	--services "$services" --families "$families" >"$work/seed.json" 2>/dev/null || exit 2
python3 "$here/delay_proxy.py" --target "$MOTO_URL" --delay-ms "$delay" \
	--port-file "$work/proxy.port" >"$work/proxy.log" 2>&1 &
cleanup_add "kill $! 2>/dev/null"
i=0
while [ ! -s "$work/proxy.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PROXY=http://127.0.0.1:$(cat "$work/proxy.port")
export AWS_ENDPOINT_URL=$PROXY XDG_CACHE_HOME=$work/cache
M0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["members"][0])' "$work/seed.json")
R0=${regions%%,*}

# measure NAME CMD...: wall, peak RSS, exit status and requests per call into $work/NAME.*
measure() {
	name=$1
	shift
	python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/__proxy/reset", data=b"", method="POST")).read()' "$PROXY"
	python3 - "$work/$name" "$@" <<'EOF'
import json, resource, subprocess, sys, time
out = sys.argv[1]
t0 = time.monotonic()
with open(out + ".stdout", "wb") as so, open(out + ".stderr", "wb") as se:
    rc = subprocess.call(sys.argv[2:], stdout=so, stderr=se)
json.dump({"wall": time.monotonic() - t0, "rc": rc,
           "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss},
          open(out + ".run", "w"))
EOF
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "/__proxy/stats").read().decode())' "$PROXY" >"$work/$name.requests"
	echo "$name" >>"$work/names"
}

echo "one target alone (the floor of a target)..." >&2
measure single "$ecsfix" scan --accounts "$M0" --role-name Audit --region "$R0" --output json --no-cache
echo "the organization, every region, paced to the ECS limits..." >&2
measure org "$ecsfix" scan --organization --role-name Audit --regions "$regions" --output json --no-cache
echo "the same, filling the revision cache, then the rescan..." >&2
measure org_fill "$ecsfix" scan --organization --role-name Audit --regions "$regions" --output json
measure org_rescan "$ecsfix" scan --organization --role-name Audit --regions "$regions" --output json

python3 - "$work" "$delay" <<'EOF'
import json, math, os, sys
work, delay = sys.argv[1], sys.argv[2]
seed = json.load(open(os.path.join(work, "seed.json")))
m, r, s, f = len(seed["members"]), len(seed["regions"]), seed["services"], seed["families"]
# per member target: AssumeRole, ListClusters, DescribeClusters, ListServices,
# DescribeServices by 10, DescribeTaskDefinition per revision, ListTaskDefinitions (one page of
# all ACTIVE when several families are in use, else one per family), GetFindings
per = {"AssumeRole": 1, "ListClusters": 1, "DescribeClusters": 1,
       "ListServices": math.ceil(s / 100.0), "DescribeServices": math.ceil(s / 10.0),
       "DescribeTaskDefinition": f, "ListTaskDefinitions": 1, "GetFindings": 1}
bound = {k: v * m * r for k, v in per.items()}
# the management account (no role, no clusters) in each region; ListAccounts; the caller's id
bound["ListClusters"] += r
bound["GetFindings"] += r
bound["ListAccounts"] = 1
bound["GetCallerIdentity"] = 1
total = sum(bound.values())
rows = {}
for name in open(os.path.join(work, "names")).read().split():
    rows[name] = (json.load(open(os.path.join(work, name + ".run"))),
                  json.load(open(os.path.join(work, name + ".requests"))))
print("Organization benchmark: %d member accounts x %d regions x %d services (%d families); "
      "+%s ms per request" % (m, r, s, f, delay))
print()
print("| %-34s | %8s | %8s | %11s | %13s | %4s |" % ("", "wall (s)", "requests", "lower bound",
                                                     "peak RSS (MB)", "exit"))
print("|%s|%s|%s|%s|%s|%s|" % ("-" * 36, "-" * 10, "-" * 10, "-" * 13, "-" * 15, "-" * 6))
labels = {"single": "one member x one region alone", "org": "organization (no cache)",
          "org_fill": "organization (filling the cache)", "org_rescan": "organization rescan (cache)"}
for name, (run, req) in rows.items():
    print("| %-34s | %8.2f | %8d | %11s | %13.1f | %4d |" % (
        labels.get(name, name), run["wall"], req["total"],
        str(total) if name.startswith("org") else "-", run["rss_kb"] / 1024.0, run["rc"]))
print()
if "org" in rows and "single" in rows:
    print("organization wall time = %.2f x one target alone (target: at most 1.2 x the slowest "
          "target's floor)" % (rows["org"][0]["wall"] / rows["single"][0]["wall"]))
if "org_rescan" in rows and "org_fill" in rows:
    print("rescan: %d DescribeTaskDefinition calls, %.0f%% of the first scan's wall time" % (
        rows["org_rescan"][1]["ops"].get("DescribeTaskDefinition", 0),
        100.0 * rows["org_rescan"][0]["wall"] / rows["org_fill"][0]["wall"]))
print("organization requests per call: %s" % json.dumps(rows["org"][1]["ops"], sort_keys=True))
print("lower bound per call:           %s" % json.dumps(bound, sort_keys=True))
EOF
exit 0
