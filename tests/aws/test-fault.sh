#!/bin/sh
# test-fault.sh: the aws client against a scripted loopback stub (tests/aws/fault_stub.py):
# retries and backoff on throttling, 5xx, resets and timeouts; RegisterTaskDefinition never
# repeated once it may have reached the server; one-line errors from JSON, rest-json, XML,
# HTML, empty and truncated bodies; the response cap; a --debug trace without secrets;
# NO_PROXY for 127.0.0.1; connection reuse.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/cleanup.sh"

command -v python3 >/dev/null 2>&1 || {
	echo "SKIP: python3 is not installed"
	exit 77
}
AWSCALL=${TOP_BUILDDIR:-.}/tests/aws/awscall
STUB=${TOP_SRCDIR:-.}/tests/aws/fault_stub.py
DIR=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-fault.XXXXXX") || exit 1
cleanup_add "rm -rf '$DIR'"

python3 "$STUB" "$DIR/port" >"$DIR/stub.log" 2>&1 &
STUB_PID=$!
cleanup_add "kill $STUB_PID"
i=0
while [ ! -s "$DIR/port" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$DIR/port" ] || {
	echo "the stub did not start"
	cat "$DIR/stub.log"
	exit 1
}
URL=http://127.0.0.1:$(cat "$DIR/port")

SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAULTSECRET
TOKEN=FQoGZXIvYXdzSESSIONTOKENfaultstub0123456789
AWS_ACCESS_KEY_ID=AKIDFAULTSTUB AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_MAX_ATTEMPTS http_proxy https_proxy \
	HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# stub_script JSON: queue the answers for the next requests (and clear the log)
stub_script() {
	python3 - "$URL/__script" "$1" <<'EOF'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST")).read()
EOF
}
# stub_log EXPR: prints EXPR evaluated with l = the requests seen since the last script
stub_log() {
	python3 - "$URL/__log" "$1" <<'EOF'
import json, sys, urllib.request
l = json.load(urllib.request.urlopen(sys.argv[1]))
gaps = [b["t"] - a["t"] for a, b in zip(l, l[1:])]
print(eval(sys.argv[2]))
EOF
}
# check_log EXPR WHAT: asserts that EXPR (python, over l and gaps) is True
check_log() {
	OUT=$(stub_log "$1")
	LAST="stub log: $2"
	_checks=$((_checks + 1))
	[ "$OUT" = "True" ] || _fail "$1 is $OUT; log: $(stub_log 'l')"
}

J_THROTTLE='{"status":400,"body":"{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"}'
J_500='{"status":500,"body":"{\"__type\":\"ServerException\",\"message\":\"Service unavailable\"}"}'
J_OK='{"status":200,"body":"{\"clusterArns\":[\"arn:aws:ecs:us-east-1:123456789012:cluster/c1\"]}"}'

# 1. throttling, then a 500, then success: three attempts, the answer printed
stub_script "[$J_THROTTLE,$J_500,$J_OK]"
run "$AWSCALL" --endpoint-url "$URL" ecs ListClusters
assert_status 0
assert_match 'attempts=3 http=200'
assert_match 'cluster/c1'
check_log 'len(l) == 3' "three requests"
check_log 'all(r["target"] == "AmazonEC2ContainerServiceV20141113.ListClusters" for r in l)' \
	"X-Amz-Target on every attempt"
check_log 'all(r["headers"]["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDFAULTSTUB/") for r in l)' \
	"every attempt signed"
check_log 'len(set(r["headers"]["x-amz-date"] for r in l)) >= 1 and all(r["body"] == "{}" for r in l)' \
	"empty input sends {}"

# 2. backoff grows: 500, 500, success without jitter (50 ms then 100 ms). The delays the
# client decided are read from its trace, never measured: no wall-clock assertion.
stub_script "[$J_500,$J_500,$J_OK]"
run "$AWSCALL" --debug --no-jitter --endpoint-url "$URL" ecs ListClusters
assert_status 0
assert_match 'attempts=3'
assert_match 'ListClusters attempt 1/3 failed: .*; retrying in 50 ms$'
assert_match 'ListClusters attempt 2/3 failed: .*; retrying in 100 ms$'
check_log 'len(l) == 3' "three requests"

# 3. throttling backs off from a 1 s base
stub_script "[$J_THROTTLE,$J_OK]"
run "$AWSCALL" --debug --no-jitter --endpoint-url "$URL" ecs ListClusters
assert_status 0
assert_match 'attempts=2'
assert_match 'ListClusters attempt 1/3 failed: .*Rate exceeded.*; retrying in 1000 ms$'

# 4. throttled three times: give up with the one-line error
stub_script "[$J_THROTTLE,$J_THROTTLE,$J_THROTTLE,$J_OK]"
run "$AWSCALL" --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match 'attempts=3 http=400 code=ThrottlingException'
assert_match '^awscall: ListClusters: Rate exceeded \(HTTP 400, ThrottlingException, request id stub-[0-9]+\) \(.*throttl'
check_log 'len(l) == 3' "no fourth attempt"

# 5. connection resets are retried
stub_script '[{"reset":true},{"reset":true},{"reset":true}]'
run "$AWSCALL" --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match 'attempts=3 http=0 code=ConnectionError'
assert_match 'ListClusters: .*(reset|Empty reply|Recv failure)'
check_log 'len(l) == 3' "three attempts on resets"

# 6. a slow answer beyond the timeout is retried (reads are idempotent)
stub_script "[{\"sleep\":6},$J_OK]"
run "$AWSCALL" --timeout-ms 1500 --endpoint-url "$URL" ecs ListClusters
assert_status 0
assert_match 'attempts=2 http=200'

# 7. RegisterTaskDefinition is not repeated after a 500 that reached the server
stub_script "[$J_500,$J_OK]"
run "$AWSCALL" --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match 'attempts=1 http=500 code=ServerException'
assert_match 'RegisterTaskDefinition: Service unavailable \(HTTP 500, ServerException, request id stub-[0-9]+\) \(RegisterTaskDefinition may have been carried out; check before repeating it\)'
check_log 'len(l) == 1' "RegisterTaskDefinition sent once after a 500"

# 8. ... nor after a timeout
stub_script "[{\"sleep\":6},$J_OK]"
run "$AWSCALL" --timeout-ms 1500 --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match 'attempts=1 http=0 code=RequestTimeout'
check_log 'len(l) == 1' "RegisterTaskDefinition sent once after a timeout"

# 9. ... nor after a reset, nor after a throttling answer (it does not prove the call was
# not processed: apply looks for the revision before repeating it)
stub_script '[{"reset":true},{"status":200}]'
run "$AWSCALL" --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match 'attempts=1 '
check_log 'len(l) == 1' "RegisterTaskDefinition sent once after a reset"
stub_script "[$J_THROTTLE,{\"status\":200,\"body\":\"{\\\"taskDefinition\\\":{\\\"revision\\\":2}}\"}]"
run "$AWSCALL" --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match 'attempts=1 http=400'
check_log 'len(l) == 1' "RegisterTaskDefinition not repeated after throttling"

# 10. ... and when the connection never got established (nothing listens there)
DEAD=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run "$AWSCALL" --endpoint-url "http://127.0.0.1:$DEAD" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match 'attempts=3 http=0 code=ConnectionError'
assert_match '^awscall: RegisterTaskDefinition: .*(refused|connect).* \(request not sent, 3 attempts\) \(check the endpoint http://127.0.0.1:[0-9]+/, the network and the proxy settings\)$'

# a bad endpoint URL is refused before any call
run "$AWSCALL" --endpoint-url "ftp://127.0.0.1:$DEAD" ecs ListClusters
assert_status 2
assert_match '^awscall: bad ECS endpoint URL "ftp://127.0.0.1:[0-9]+" \(use an http:// or https:// URL'

# 11. UpdateService with forceNewDeployment is not repeated after a 500; without it, it is
stub_script "[$J_500,$J_OK]"
run "$AWSCALL" --endpoint-url "$URL" ecs UpdateService '{"service":"s","forceNewDeployment":true}'
assert_status 2
check_log 'len(l) == 1' "forced UpdateService sent once"
stub_script "[$J_500,$J_OK]"
run "$AWSCALL" --endpoint-url "$URL" ecs UpdateService '{"service":"s","taskDefinition":"web:2"}'
assert_status 0
check_log 'len(l) == 2' "UpdateService retried"

# 12. error bodies that are not JSON 1.1, each one line with HTTP status, code, request id
stub_script '[{"status":502,"headers":{"Content-Type":"text/html"},"body":"<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>"}]'
run "$AWSCALL" --max-attempts 1 --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match '^awscall: ListClusters: unexpected HTML page "502 Bad Gateway" instead of an AWS answer \(HTTP 502, request id stub-[0-9]+\)$'
assert_match 'code=502'

stub_script '[{"status":403,"headers":{"Content-Type":"text/xml","x-amzn-RequestId":""},"body":"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ecs:RegisterTaskDefinition</Message><Type>Sender</Type></Error></Errors><RequestId>xml-req-7</RequestId></ErrorResponse>"}]'
run "$AWSCALL" --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match '^awscall: RegisterTaskDefinition: User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ecs:RegisterTaskDefinition \(HTTP 403, AccessDenied, request id xml-req-7\) \(grant ecs:RegisterTaskDefinition\)$'
assert_match 'attempts=1 http=403 code=AccessDenied'

stub_script '[{"status":400,"body":"{\"__type\":\"com.amazonaws.ecs#AccessDeniedException:http://internal\",\"Message\":\"not allowed\"}"}]'
run "$AWSCALL" --endpoint-url "$URL" ecs DescribeServices '{"services":["a"]}'
assert_status 2
assert_match '^awscall: DescribeServices: not allowed \(HTTP 400, AccessDeniedException, request id stub-[0-9]+\) \(grant ecs:DescribeServices\)$'

stub_script '[{"status":500,"body":""}]'
run "$AWSCALL" --max-attempts 1 --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match '^awscall: ListClusters: empty error response \(HTTP 500, request id stub-[0-9]+\)$'

stub_script '[{"status":400,"body":"{\"__type\":\"ClientException\",\"message\":\"Container.image should not be nu"}]'
run "$AWSCALL" --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 2
assert_match '^awscall: RegisterTaskDefinition: malformed error response \(.*\) \(HTTP 400, ClientException, request id stub-[0-9]+\)$'

stub_script '[{"status":400,"headers":{"x-amzn-ErrorType":"InvalidInputException:http://internal.amazon.com/coral/com.amazon.securityhub/","Content-Type":"application/json"},"body":"{\"Message\":\"Invalid filter value\",\"Code\":\"InvalidInputException\"}"}]'
run "$AWSCALL" --endpoint-url "$URL" securityhub GetFindings '{"Filters":{}}'
assert_status 2
assert_match '^awscall: GetFindings: Invalid filter value \(HTTP 400, InvalidInputException, request id stub-[0-9]+\)$'
check_log 'l[0]["method"] == "POST" and l[0]["path"] == "/findings" and l[0]["headers"]["content-type"] == "application/json" and "x-amz-target" not in l[0]["headers"]' \
	"GetFindings is POST /findings"

stub_script '[{"status":200,"headers":{"Content-Type":"application/json"},"body":"{\"ProcessedFindings\":[],\"UnprocessedFindings\":[]}"}]'
run "$AWSCALL" --endpoint-url "$URL" securityhub BatchUpdateFindings '{"FindingIdentifiers":[{"Id":"x","ProductArn":"p"}],"Workflow":{"Status":"NOTIFIED"}}'
assert_status 0
check_log 'l[0]["method"] == "PATCH" and l[0]["path"] == "/findings/batchupdate"' \
	"BatchUpdateFindings is PATCH /findings/batchupdate"

stub_script '[{"status":200,"body":"{\"clusterArns\": [\"a\", "}]'
run "$AWSCALL" --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match '^awscall: ListClusters: malformed answer: .*\(HTTP 200, request id stub-[0-9]+\)$'

# 13. STS: query protocol out, XML in, converted to JSON; errors in XML
stub_script '[{"status":200,"headers":{"Content-Type":"text/xml"},"body":"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::210987654321:user/u&amp;1</Arn><UserId>AIDA</UserId><Account>210987654321</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"}]'
run "$AWSCALL" --endpoint-url "$URL" --account
assert_status 0
assert_match '^210987654321$'
check_log 'l[0]["body"] == "Action=GetCallerIdentity&Version=2011-06-15" and l[0]["headers"]["content-type"].startswith("application/x-www-form-urlencoded") and "json" not in l[0]["headers"].get("accept", "")' \
	"STS query protocol body"
stub_script '[{"status":403,"headers":{"Content-Type":"text/xml","x-amzn-RequestId":""},"body":"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error><RequestId>sts-req-1</RequestId></ErrorResponse>"}]'
run "$AWSCALL" --endpoint-url "$URL" sts AssumeRole '{"RoleArn":"arn:aws:iam::1:role/r","RoleSessionName":"s"}'
assert_status 2
assert_match '^awscall: AssumeRole: The request signature we calculated does not match the signature you provided\. \(HTTP 403, SignatureDoesNotMatch, request id sts-req-1\) \(check the secret access key from '
check_log '"RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr" in l[0]["body"] and "RoleSessionName=s" in l[0]["body"]' \
	"AssumeRole parameters form-encoded"

# 14. the response cap aborts the transfer and is not retried
stub_script '[{"big":50000},{"big":50000},{"big":50000}]'
run "$AWSCALL" --max-response 10000 --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match 'attempts=1 http=200 code=ResponseTooLarge'
assert_match 'ListClusters: response larger than 10000 bytes'

# 15. --debug: the trace shows the exchange but no secret key, session token or signature
AWS_SESSION_TOKEN=$TOKEN
export AWS_SESSION_TOKEN
stub_script '[{"status":200,"body":"{\"clusterArns\":[],\"SecretAccessKey\":\"leakedSECRETinBODY\"}"}]'
# (the answer on stdout is the caller's; the trace is stderr)
"$AWSCALL" --debug --endpoint-url "$URL" ecs ListClusters >/dev/null 2>"$DIR/trace"
STATUS=$?
OUT=$(cat "$DIR/trace")
LAST="awscall --debug ListClusters (trace)"
assert_status 0
assert_match 'http: > POST http://127.0.0.1:[0-9]+/'
assert_match 'Authorization: \*\*\*\*'
assert_match 'X-Amz-Security-Token: \*\*\*\*'
assert_match 'http: < 200 POST'
assert_no_match "$SECRET"
assert_no_match "$TOKEN"
assert_no_match 'leakedSECRETinBODY'
SIG=$(stub_log 'l[0]["headers"]["authorization"].split("Signature=")[1]')
LAST="signature from the stub log"
_checks=$((_checks + 1))
[ ${#SIG} -eq 64 ] || _fail "no signature found: $SIG"
assert_no_match "$SIG"
check_log 'l[0]["headers"]["x-amz-security-token"] == "'"$TOKEN"'"' "session token sent"
unset AWS_SESSION_TOKEN

# 16. NO_PROXY reaches 127.0.0.1 directly even with a dead proxy configured
stub_script "[$J_OK]"
run env http_proxy="http://127.0.0.1:$DEAD" HTTP_PROXY="http://127.0.0.1:$DEAD" \
	NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
	"$AWSCALL" --max-attempts 1 --endpoint-url "$URL" ecs ListClusters
assert_status 0
assert_match 'cluster/c1'

# 17. many calls concurrently reuse kept-alive connections
stub_script '[]'
run "$AWSCALL" --many 40 --endpoint-url "$URL" ecs DescribeClusters '{"clusters":["c1"]}'
assert_status 0
assert_match '"ok": 40'
check_log 'len(l) == 40' "forty requests"
check_log 'len(set(r["peer"] for r in l)) <= 16' "at most 16 connections for 40 requests"

# 17b. aws_call_many: each request keeps its own outcome
stub_script "[$J_OK,{\"status\":400,\"body\":\"{\\\"__type\\\":\\\"ClientException\\\",\\\"message\\\":\\\"nope\\\"}\"},$J_OK]"
run "$AWSCALL" --many 3 --endpoint-url "$URL" ecs DescribeClusters '{"clusters":["c1"]}'
assert_status 2
assert_match '"ok": 2'
assert_match '"failed": 1'
assert_match '^awscall: DescribeClusters: nope \(HTTP 400, ClientException, request id stub-[0-9]+\)$'
check_log 'len(l) == 3' "a client error is not retried"

# 18. pages: nextToken followed with the same filters and maxResults 100 (moto does not page
# ListServices, so the stub does)
stub_script '[{"status":200,"body":"{\"serviceArns\":[\"s1\",\"s2\"],\"nextToken\":\"tok-1\"}"},{"status":200,"body":"{\"serviceArns\":[\"s3\",\"s4\"],\"nextToken\":\"tok-2\"}"},{"status":200,"body":"{\"serviceArns\":[\"s5\"]}"}]'
run "$AWSCALL" --debug --endpoint-url "$URL" --paginate serviceArns ecs ListServices '{"cluster":"big","launchType":"EC2"}'
assert_status 0
assert_match 'aws: ListServices: 5 serviceArns in 3 page'
assert_match '"s5"'
check_log '[__import__("json").loads(r["body"]).get("nextToken") for r in l] == [None, "tok-1", "tok-2"]' \
	"nextToken passed on"
check_log 'all(__import__("json").loads(r["body"])["cluster"] == "big" and __import__("json").loads(r["body"])["launchType"] == "EC2" and __import__("json").loads(r["body"])["maxResults"] == 100 for r in l)' \
	"filters and maxResults kept on every page"
stub_script '[{"status":200,"headers":{"Content-Type":"application/json"},"body":"{\"Findings\":[{\"Id\":\"f1\"}],\"NextToken\":\"T\"}"},{"status":200,"headers":{"Content-Type":"application/json"},"body":"{\"Findings\":[{\"Id\":\"f2\"}],\"NextToken\":\"T\"}"}]'
run "$AWSCALL" --endpoint-url "$URL" --paginate Findings securityhub GetFindings '{}'
assert_status 2
assert_match 'GetFindings: the service repeated a page token'
check_log '__import__("json").loads(l[1]["body"]) == {"MaxResults": 100, "NextToken": "T"}' \
	"Security Hub NextToken/MaxResults"

# 19. clock skew: a signature-expired answer with a Date an hour ahead is corrected once
stub_script '[{"status":400,"date_offset":3600,"body":"{\"__type\":\"InvalidSignatureException\",\"message\":\"Signature expired\"}"},{"status":200}]'
run "$AWSCALL" --endpoint-url "$URL" ecs RegisterTaskDefinition '{"family":"web"}'
assert_status 0
assert_match 'attempts=2 http=200'
check_log '3500 < (__import__("calendar").timegm(__import__("time").strptime(l[1]["headers"]["x-amz-date"], "%Y%m%dT%H%M%SZ")) - __import__("calendar").timegm(__import__("time").strptime(l[0]["headers"]["x-amz-date"], "%Y%m%dT%H%M%SZ"))) < 3700' \
	"the second attempt is signed with the server's clock"
# ... but a signature error without skew is not retried
stub_script '[{"status":400,"body":"{\"__type\":\"InvalidSignatureException\",\"message\":\"bad sig\"}"},{"status":200}]'
run "$AWSCALL" --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match 'attempts=1 http=400 code=InvalidSignatureException'
assert_match '\(check the secret access key from environment\)$'

# 20. cancellation stops a slow transfer and a backoff wait early
stub_script '[{"sleep":3},{"status":200}]'
run "$AWSCALL" --cancel-after-ms 300 --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match 'code=Cancelled'
assert_match '^awscall: ListClusters: cancelled$'
stub_script "[$J_THROTTLE,$J_THROTTLE,$J_OK]"
run "$AWSCALL" --no-jitter --cancel-after-ms 300 --endpoint-url "$URL" ecs ListClusters
assert_status 2
assert_match 'code=Cancelled'
check_log 'len(l) == 1' "no attempt after the cancel"

# 21. credentials in an answer (STS XML) never reach the trace
stub_script '[{"status":200,"headers":{"Content-Type":"text/xml"},"body":"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAXMLKEY</AccessKeyId><SecretAccessKey>xmlSECRETvalue123</SecretAccessKey><SessionToken>xmlTOKENvalue456</SessionToken><Expiration>2026-11-29T09:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"}]'
"$AWSCALL" --debug --endpoint-url "$URL" sts AssumeRole '{"RoleArn":"arn:aws:iam::1:role/r","RoleSessionName":"ss","TokenCode":"mfa123456","SerialNumber":"arn:aws:iam::1:mfa/u"}' >"$DIR/out" 2>"$DIR/trace"
STATUS=$?
OUT=$(cat "$DIR/trace")
LAST="awscall --debug AssumeRole (trace)"
assert_status 0
assert_match '<SecretAccessKey>\*\*\*\*</SecretAccessKey>'
assert_no_match 'xmlSECRETvalue123'
assert_no_match 'xmlTOKENvalue456'
assert_no_match 'mfa123456'
assert_match 'TokenCode=\*\*\*\*'
assert_match 'RoleSessionName=ss'
OUT=$(cat "$DIR/out")
LAST="awscall AssumeRole (answer)"
assert_match '"SecretAccessKey": "xmlSECRETvalue123"'

# 22. TLS: verified by default; --ca-bundle trusts a private CA; --no-verify-ssl skips it
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/key.pem" -out "$DIR/cert.pem" \
		-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
		>/dev/null 2>&1; then
	python3 "$STUB" "$DIR/tlsport" "$DIR/cert.pem" "$DIR/key.pem" >"$DIR/tls.log" 2>&1 &
	TLS_PID=$!
	cleanup_add "kill $TLS_PID"
	i=0
	while [ ! -s "$DIR/tlsport" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	TLS_URL=https://127.0.0.1:$(cat "$DIR/tlsport")
	run env -u AWS_CA_BUNDLE "$AWSCALL" --endpoint-url "$TLS_URL" ecs ListClusters
	assert_status 2
	assert_match 'attempts=1 http=0 code=TLSError'
	assert_match '^awscall: ListClusters: TLS: .*certificate.* \(the certificate of https://127.0.0.1:[0-9]+/ is not trusted: use --ca-bundle FILE or AWS_CA_BUNDLE'
	run "$AWSCALL" --ca-bundle "$DIR/cert.pem" --endpoint-url "$TLS_URL" ecs ListClusters
	assert_status 0
	assert_match 'attempts=1 http=200'
	run env AWS_CA_BUNDLE="$DIR/cert.pem" "$AWSCALL" --endpoint-url "$TLS_URL" ecs ListClusters
	assert_status 0
	run "$AWSCALL" --no-verify-ssl --endpoint-url "$TLS_URL" ecs ListClusters
	assert_status 0
else
	echo "note: openssl not available, TLS checks skipped"
fi

finish
