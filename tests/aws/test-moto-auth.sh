#!/bin/sh
# test-moto-auth.sh: the signed client against moto_server with IAM auth on
# (INITIAL_NO_AUTH_ACTION_COUNT): a read-only user lists and describes everything on all
# pages, a wrong secret is a clear signature error (exit 2), a denied RegisterTaskDefinition
# names ecs:RegisterTaskDefinition, and assumed-role credentials (session token) work.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"

AWSCALL=${TOP_BUILDDIR:-.}/tests/aws/awscall
AUTH_AFTER=200
python3 -c 'import boto3' 2>/dev/null || {
	echo "SKIP: boto3 is not installed"
	exit 77
}
moto_start --auth $AUTH_AFTER || exit 1
KEYS=$MOTO_DIR/keys.json
python3 "${TOP_SRCDIR:-.}/tests/aws/moto_setup.py" "$MOTO_URL" $AUTH_AFTER "$KEYS" || {
	echo "setup failed"
	exit 1
}
key() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$KEYS" "$1"; }
RO_ID=$(key 'd["ro"]["id"]')
RO_SECRET=$(key 'd["ro"]["secret"]')
ROLE_ARN=$(key 'd["role_arn"]')
AWS_ACCESS_KEY_ID=$RO_ID AWS_SECRET_ACCESS_KEY=$RO_SECRET AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION
unset AWS_SESSION_TOKEN
# a proxy in the environment must not swallow loopback traffic
NO_PROXY=127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}
no_proxy=$NO_PROXY
export NO_PROXY no_proxy
E="--endpoint-url $MOTO_URL"

# the read-only user: identity, every list on every page, describes
run "$AWSCALL" $E --account
assert_status 0
assert_match '^123456789012$'

run "$AWSCALL" $E --debug --paginate clusterArns ecs ListClusters
assert_status 0
assert_match 'cluster/big'

run "$AWSCALL" $E --debug --paginate serviceArns ecs ListServices '{"cluster":"big"}'
assert_status 0
assert_match 'aws: ListServices: 105 serviceArns in [0-9]+ page'
assert_match 'service/big/svc-000'
assert_match 'service/big/svc-104'
assert_match '"maxResults":100'

run "$AWSCALL" $E ecs DescribeServices \
	'{"cluster":"big","services":["svc-000","svc-001","svc-002","svc-003","svc-004","svc-005","svc-006","svc-007","svc-008","svc-009"]}'
assert_status 0
assert_match '"serviceName": "svc-009"'
assert_match 'attempts=1 http=200'

run "$AWSCALL" $E --paginate families ecs ListTaskDefinitionFamilies '{"status":"ACTIVE"}'
assert_status 0
assert_match '"api"'
assert_match '"web"'
assert_match '"worker"'

run "$AWSCALL" $E --debug --paginate taskDefinitionArns ecs ListTaskDefinitions \
	'{"familyPrefix":"web","sort":"DESC"}'
assert_status 0
assert_match 'task-definition/web:3'
assert_match 'task-definition/web:1'

run "$AWSCALL" $E ecs DescribeTaskDefinition '{"taskDefinition":"web:3","include":["TAGS"]}'
assert_status 0
assert_match '"privileged": true'

# Security Hub pages: moto honours MaxResults/NextToken here
run "$AWSCALL" $E --debug --paginate Findings securityhub GetFindings '{"MaxResults":1}'
assert_status 0
assert_match 'aws: GetFindings: 3 Findings in 3 page'
assert_match '"Id": "finding-0"'
assert_match '"Id": "finding-2"'

# 40 concurrent describes through the pool, all signed and allowed
run "$AWSCALL" $E --many 40 ecs DescribeClusters '{"clusters":["big"]}'
assert_status 0
assert_match '"ok": 40'

# denied: RegisterTaskDefinition names the IAM action to grant
run "$AWSCALL" $E ecs RegisterTaskDefinition \
	'{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","memory":128}]}'
assert_status 2
assert_match '^awscall: RegisterTaskDefinition: .*not authorized to perform: ecs:RegisterTaskDefinition \(HTTP 403, AccessDenied(Exception)?(, request id [^)]*)?\) \(grant ecs:RegisterTaskDefinition\)$'
assert_match 'attempts=1 '

# a wrong secret key: a clear signature error, exit 2, no retry storm
run env AWS_SECRET_ACCESS_KEY=wrongwrongwrongwrong "$AWSCALL" $E ecs ListClusters
assert_status 2
assert_match '^awscall: ListClusters: .*signature.* \(HTTP 403, SignatureDoesNotMatch(, request id [^)]*)?\) \(check the secret access key from'
assert_match 'attempts=1 '
# an unknown access key
run env AWS_ACCESS_KEY_ID=AKIANOTKNOWNTOMOTO00 "$AWSCALL" $E ecs ListClusters
assert_status 2
assert_match '\(HTTP 403, InvalidClientTokenId(, request id [^)]*)?\) \(check the access key from'

# assumed role: temporary credentials with a session token
run "$AWSCALL" $E sts AssumeRole "{\"RoleArn\":\"$ROLE_ARN\",\"RoleSessionName\":\"ecsfix-test\"}"
assert_status 0
assert_match '"SessionToken": "'
CREDS=$OUT
tmp() { echo "$CREDS" | sed -n '/^{/,$p' | python3 -c 'import json,sys; print(json.load(sys.stdin)["Credentials"][sys.argv[1]])' "$1"; }
T_ID=$(tmp AccessKeyId)
T_SECRET=$(tmp SecretAccessKey)
T_TOKEN=$(tmp SessionToken)
run env AWS_ACCESS_KEY_ID="$T_ID" AWS_SECRET_ACCESS_KEY="$T_SECRET" AWS_SESSION_TOKEN="$T_TOKEN" \
	"$AWSCALL" $E --debug --paginate serviceArns ecs ListServices '{"cluster":"big"}'
assert_status 0
assert_match 'aws: ListServices: 105 serviceArns'
assert_match 'X-Amz-Security-Token: \*\*\*\*'
assert_no_match "$T_SECRET"
run env AWS_ACCESS_KEY_ID="$T_ID" AWS_SECRET_ACCESS_KEY="$T_SECRET" AWS_SESSION_TOKEN="$T_TOKEN" \
	"$AWSCALL" $E --account
assert_status 0
assert_match '^123456789012$'
# the role may not register either
run env AWS_ACCESS_KEY_ID="$T_ID" AWS_SECRET_ACCESS_KEY="$T_SECRET" AWS_SESSION_TOKEN="$T_TOKEN" \
	"$AWSCALL" $E ecs RegisterTaskDefinition \
	'{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","memory":128}]}'
assert_status 2
assert_match '\(grant ecs:RegisterTaskDefinition\)$'
# the session token matters: without it the temporary key is refused
run env AWS_ACCESS_KEY_ID="$T_ID" AWS_SECRET_ACCESS_KEY="$T_SECRET" \
	"$AWSCALL" $E ecs ListClusters
assert_status 2

finish
