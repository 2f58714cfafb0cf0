#!/bin/sh
# plan-bench.sh: how long `ecsfix plan --service X` takes on a large account now that a plan
# covers every service, in every cluster, that runs X's revision (ListClusters, ListServices
# and DescribeServices of every cluster), and how many requests it sends.
#
# usage: bench/plan-bench.sh [--clusters N] [--services N] [--families N] [--delay-ms MS]
#                            [--ecsfix PATH]
# Starts a private moto_server, seeds it (bench/seed_large.py), puts bench/delay_proxy.py
# (MS per request, default 20; it counts the requests) in front of it and prints the wall
# time and the requests per operation. Prints figures; never fails a build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
TOP_SRCDIR=$top
clusters=20 services=500 families=300 delay=20
ecsfix=${ECSFIX_BIN:-$top/build/dev/ecsfix}
while [ $# -gt 0 ]; do
	case $1 in
	--clusters) clusters=$2; shift 2 ;;
	--services) services=$2; shift 2 ;;
	--families) families=$2; shift 2 ;;
	--delay-ms) delay=$2; shift 2 ;;
	--ecsfix) ecsfix=$2; shift 2 ;;
	-h | --help) sed -n '2,10p' "$0"; exit 0 ;;
	*) echo "plan-bench: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -x "$ecsfix" ] || { echo "plan-bench: no ecsfix binary at $ecsfix (--ecsfix PATH)" >&2; exit 2; }
. "$top/tests/lib/moto.sh"
moto_start || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-planbench.XXXXXX")
cleanup_add "rm -rf '$work'"
echo "seeding $clusters clusters, $services services, $families families..." >&2
python3 "$here/seed_large.py" --endpoint-url "$MOTO_URL" --clusters "$clusters" \
	--services "$services" --families "$families" >"$work/seed.json" || exit 2
python3 "$here/delay_proxy.py" --target "$MOTO_URL" --delay-ms "$delay" \
	--port-file "$work/proxy.port" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
cleanup_add "kill $proxy_pid 2>/dev/null"
i=0
while [ ! -s "$work/proxy.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$work/proxy.port" ] || { echo "plan-bench: the proxy did not start" >&2; exit 2; }
export AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$work/proxy.port")
# a service of family 0 (privileged in seed_large's scheme)
svc=$(AWS_ENDPOINT_URL=$MOTO_URL python3 -c 'import boto3
e = boto3.client("ecs")
for c in e.list_clusters()["clusterArns"]:
    arns = e.list_services(cluster=c)["serviceArns"]
    for i in range(0, len(arns), 10):
        for s in e.describe_services(cluster=c, services=arns[i:i + 10])["services"]:
            if "task-definition/bench-app-000:" in s["taskDefinition"]:
                print(c.rsplit("/", 1)[1] + "/" + s["serviceName"])
                raise SystemExit')
for mode in "" --only-this-service; do
	python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/__proxy/reset", data=b"", method="POST")).read()' "$AWS_ENDPOINT_URL"
	t0=$(python3 -c 'import time; print(time.monotonic())')
	env ${RATE:+ECSFIX_RATE_SCALE=$RATE} "$ecsfix" plan --service "$svc" $mode >"$work/out" 2>&1
	rc=$?
	t1=$(python3 -c 'import time; print(time.monotonic())')
	python3 - "$t0" "$t1" "$rc" "${mode:-(revision-wide)}" "$(grep -o 'Services to move ([^)]*)' "$work/out")" "$AWS_ENDPOINT_URL" <<'PY'
import json, sys, urllib.request
t0, t1, rc, mode, moved, url = sys.argv[1:]
st = json.loads(urllib.request.urlopen(url + "/__proxy/stats").read())
print("plan --service %s: %.2f s, exit %s, %d requests %s; %s" % (
    mode, float(t1) - float(t0), rc, st["total"], json.dumps(st["ops"]), moved))
PY
done
