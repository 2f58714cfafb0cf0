#!/bin/sh
# aws-pool.sh: figures for the aws client's pool and rate limits, against the loopback
# fault stub (tests/aws/fault_stub.py): concurrency with a 50 ms server, connection reuse,
# and the token-bucket pacing of ECS API groups. Prints figures; never fails a build.
# Usage: bench/aws-pool.sh [BUILDDIR]   (default: build/dev)
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/dev}
awscall=$build/tests/aws/awscall
[ -x "$awscall" ] || {
	echo "build $awscall first (make -C $build tests/aws/awscall)"
	exit 0
}
dir=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-bench.XXXXXX") || exit 0
python3 "$top/tests/aws/fault_stub.py" "$dir/port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE
trap 'exit 129' HUP
while [ ! -s "$dir/port" ]; do sleep 0.1; done
url=http://127.0.0.1:$(cat "$dir/port")
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1 \
	AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
script() {
	python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/__script", data=sys.argv[2].encode(), method="POST")).read()' "$url" "$1"
}
peers() {
	python3 -c 'import json, sys, urllib.request
l = json.load(urllib.request.urlopen(sys.argv[1] + "/__log"))
print(len(l), "requests over", len(set(r["peer"] for r in l)), "connections")' "$url"
}
now() { python3 -c 'import time; print(time.monotonic())'; }
timed() {
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	python3 -c "print('%.2f s' % ($t1 - $t0))"
}

slow=$(python3 -c 'import json; print(json.dumps([{"sleep": 0.05}] * 64))')
script "$slow"
printf '64 DescribeTaskDefinition, server 50 ms each, pool of 16: '
timed "$awscall" --endpoint-url "$url" --many 64 ecs DescribeTaskDefinition '{"taskDefinition":"a:1"}'
peers
script "$slow"
printf '64 DescribeTaskDefinition, one after another (AWS_MAX_ATTEMPTS=1, 64 processes): '
t0=$(now)
i=0
while [ $i -lt 64 ]; do
	"$awscall" --endpoint-url "$url" ecs DescribeTaskDefinition '{"taskDefinition":"a:1"}' >/dev/null 2>&1
	i=$((i + 1))
done
t1=$(now)
python3 -c "print('%.2f s' % ($t1 - $t0))"
script '[]'
printf '200 DescribeClusters (cluster read: burst 50, 20/s; expect >= 7.5 s): '
timed "$awscall" --endpoint-url "$url" --many 200 ecs DescribeClusters '{}'
script '[]'
printf '200 DescribeServices (service read: burst 100, 20/s; expect >= 5 s): '
timed "$awscall" --endpoint-url "$url" --many 200 ecs DescribeServices '{"services":["a"]}'
script '[]'
printf '25 RegisterTaskDefinition (task definition modify: burst 20, 1/s; expect >= 5 s): '
timed "$awscall" --endpoint-url "$url" --many 25 ecs RegisterTaskDefinition '{"family":"a"}'
