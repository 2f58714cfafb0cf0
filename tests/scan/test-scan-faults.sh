#!/bin/sh
# test-scan-faults.sh: `ecsfix scan` against a misbehaving server (tests/aws/fault_stub.py
# answering by operation): a finding without Resources, page tokens that repeat or cycle,
# DescribeServices answering {} or "services": null. Never a crash, never a loop, never
# "No services found" for services that were listed: UNKNOWN and exit 2.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/cleanup.sh"

command -v python3 >/dev/null 2>&1 || {
	echo "SKIP: python3 is not installed"
	exit 77
}
STUB=${TOP_SRCDIR:-.}/tests/aws/fault_stub.py
DIR=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-scanfault.XXXXXX") || exit 1
cleanup_add "rm -rf '$DIR'"
python3 "$STUB" "$DIR/port" >"$DIR/stub.log" 2>&1 &
cleanup_add "kill $!"
i=0
while [ ! -s "$DIR/port" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$DIR/port" ] || {
	echo "the stub did not start"
	exit 1
}
URL=http://127.0.0.1:$(cat "$DIR/port")
AWS_ACCESS_KEY_ID=AKIDSCANFAULT AWS_SECRET_ACCESS_KEY=scanfaultsecret AWS_REGION=us-east-1
AWS_ENDPOINT_URL=$URL HOME=$DIR XDG_CACHE_HOME=$DIR/cache
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_ENDPOINT_URL HOME XDG_CACHE_HOME
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_MAX_ATTEMPTS http_proxy https_proxy HTTP_PROXY \
	HTTPS_PROXY ALL_PROXY all_proxy

routes() {
	python3 - "$URL/__routes" "$1" <<'EOF'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST")).read()
EOF
}
# count OP: requests for OP since the last routes
count() {
	python3 - "$URL/__log" "$1" <<'EOF'
import json, sys, urllib.request
l = json.load(urllib.request.urlopen(sys.argv[1]))
print(sum(1 for r in l if r["target"].endswith("." + sys.argv[2]) or r["path"] == sys.argv[2]))
EOF
}
# scan ARGS: runs ecsfix scan with a time limit (a loop is a failure, not a hang); no revision
# cache: every case answers DescribeTaskDefinition its own way for the same ARN
scan() {
	run timeout 120 "$ECSFIX_BIN" scan --no-cache "$@"
	[ "$STATUS" -ne 124 ] || _fail "scan did not finish within 120 s (endless pagination?)"
}

A=arn:aws:ecs:us-east-1:123456789012
CLUSTERS='"ListClusters":[{"json":{"clusterArns":["'$A':cluster/c1"]}}],
"DescribeClusters":[{"json":{"clusters":[{"clusterName":"c1","clusterArn":"'$A':cluster/c1","status":"ACTIVE"}],"failures":[]}}]'
LIST2='"ListServices":[{"json":{"serviceArns":["'$A':service/c1/web","'$A':service/c1/api"]}}]'
TD='"DescribeTaskDefinition":[{"json":{"taskDefinition":{"taskDefinitionArn":"'$A':task-definition/web:1","family":"web","revision":1,"status":"ACTIVE","containerDefinitions":[{"name":"app","image":"nginx","user":"1000"}]},"tags":[]}}],
"ListTaskDefinitions":[{"json":{"taskDefinitionArns":["'$A':task-definition/web:1"]}}]'
SVC_WEB='{"serviceName":"web","serviceArn":"'$A':service/c1/web","clusterArn":"'$A':cluster/c1","taskDefinition":"'$A':task-definition/web:1","desiredCount":1,"runningCount":1,"deployments":[]}'

# 1. a Security Hub finding without Resources (and one with Resources null, one with a
#    string): skipped, the scan completes
routes "{$CLUSTERS,
\"ListServices\":[{\"json\":{\"serviceArns\":[\"$A:service/c1/web\"]}}],
\"DescribeServices\":[{\"json\":{\"services\":[$SVC_WEB],\"failures\":[]}}],
$TD,
\"/findings\":[{\"json\":{\"Findings\":[{\"Id\":\"f1\",\"GeneratorId\":\"security-control/ECS.4\",\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":\"ECS.4\"},\"RecordState\":\"ACTIVE\"},
 {\"Id\":\"f2\",\"Compliance\":{\"SecurityControlId\":\"ECS.4\"},\"Resources\":null},
 {\"Id\":\"f3\",\"Compliance\":\"x\",\"Resources\":[\"oops\",1]},
 {\"Id\":\"f4\",\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":\"ECS.4\"},\"RecordState\":\"ACTIVE\",\"Resources\":[{\"Type\":\"AwsEcsTaskDefinition\",\"Id\":\"$A:task-definition/web:1\"}]}]}}]}"
scan --output json
assert_status 0
assert_match '"id": "f4"'
assert_no_match '"id": "f1"'

# 2. ListServices repeats its nextToken forever: ends, exit 2, the cluster UNKNOWN
routes "{$CLUSTERS,
\"ListServices\":[{\"json\":{\"serviceArns\":[\"$A:service/c1/web\"],\"nextToken\":\"same\"}}],
\"DescribeServices\":[{\"json\":{\"services\":[$SVC_WEB],\"failures\":[]}}],
$TD}"
scan --no-findings --output json
assert_status 2
assert_match 'page token'
[ "$(count ListServices)" -le 3 ] || _fail "ListServices sent $(count ListServices) times"

# 3. ListClusters cycles between two tokens: ends, exit 2
routes "{\"ListClusters\":{\"cycle\":true,\"actions\":[{\"json\":{\"clusterArns\":[\"$A:cluster/c1\"],\"nextToken\":\"a\"}},{\"json\":{\"clusterArns\":[\"$A:cluster/c1\"],\"nextToken\":\"b\"}}]},
\"DescribeClusters\":[{\"json\":{\"clusters\":[{\"clusterName\":\"c1\",\"clusterArn\":\"$A:cluster/c1\",\"status\":\"ACTIVE\"}],\"failures\":[]}}],
\"ListServices\":[{\"json\":{\"serviceArns\":[]}}]}"
scan --no-findings
assert_status 2
assert_match 'page token'
[ "$(count ListClusters)" -le 4 ] || _fail "ListClusters sent $(count ListClusters) times"

# 4. GetFindings cycles its NextToken: the findings are UNKNOWN, the rest is read
routes "{$CLUSTERS,
\"ListServices\":[{\"json\":{\"serviceArns\":[\"$A:service/c1/web\"]}}],
\"DescribeServices\":[{\"json\":{\"services\":[$SVC_WEB],\"failures\":[]}}],
$TD,
\"/findings\":{\"cycle\":true,\"actions\":[{\"json\":{\"Findings\":[],\"NextToken\":\"x\"}},{\"json\":{\"Findings\":[],\"NextToken\":\"y\"}}]}}"
scan --output json
assert_match '"findingsUnknown": ".*page token'
[ "$(count /findings)" -le 4 ] || _fail "GetFindings sent $(count /findings) times"

# 5. ListServices names two services; DescribeServices answers {}: UNKNOWN, exit 2
for answer in '{}' '{"services":null}' '{"services":[],"failures":[]}' '{"services":[{"serviceName":"web"}]}'; do
	routes "{$CLUSTERS, $LIST2, \"DescribeServices\":[{\"json\":$answer}], $TD}"
	scan --no-findings
	assert_status 2
	assert_no_match 'No services found'
	assert_match 'UNKNOWN'
	scan --no-findings --output json
	assert_status 2
	assert_match '"servicesUnknown": 2'
done

# 6. one of two described, the other neither described nor reported as a failure
routes "{$CLUSTERS, $LIST2, \"DescribeServices\":[{\"json\":{\"services\":[$SVC_WEB]}}], $TD}"
scan --no-findings --output json
assert_status 2
assert_match '"servicesUnknown": 1'
assert_match 'not described'

# 7. DescribeTaskDefinition answers {}: the revision is UNKNOWN, not a crash
routes "{$CLUSTERS,
\"ListServices\":[{\"json\":{\"serviceArns\":[\"$A:service/c1/web\"]}}],
\"DescribeServices\":[{\"json\":{\"services\":[$SVC_WEB],\"failures\":[]}}],
\"DescribeTaskDefinition\":[{\"json\":{}}],
\"ListTaskDefinitions\":[{\"json\":{\"taskDefinitionArns\":[\"$A:task-definition/web:1\"]}}]}"
scan --no-findings --output json
assert_status 2
assert_match '"result": "UNKNOWN"'

# 8. wrong types everywhere: numbers for ARNs, a string for services, null elements
routes "{\"ListClusters\":[{\"json\":{\"clusterArns\":[null,5,\"$A:cluster/c1\"],\"nextToken\":7}}],
\"DescribeClusters\":[{\"json\":{\"clusters\":[5,{\"clusterName\":3}],\"failures\":\"x\"}}],
\"ListServices\":[{\"json\":{\"serviceArns\":[1,null,\"$A:service/c1/web\"]}}],
\"DescribeServices\":[{\"json\":{\"services\":[7,{\"serviceArn\":\"$A:service/c1/web\",\"taskDefinition\":9,\"deployments\":[1,{\"taskDefinition\":false}],\"desiredCount\":\"x\"}]}}],
$TD}"
scan --no-findings --output json
assert_status 2
assert_match '"servicesUnknown": 1'

finish
