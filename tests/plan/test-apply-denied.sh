#!/bin/sh
# test-apply-denied.sh: moto in IAM auth mode with the demo's users: the read-only user can
# plan, but apply stops with a clear AccessDenied naming ecs:RegisterTaskDefinition and leaves
# nothing half-done (no new revision, no service touched); the remediator user can apply.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-applydenied.XXXXXX")
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"

moto_start --auth 200 || exit 1
moto_seed_demo -q --keys-out "$WORK/keys.json" || { echo "FAIL: seed"; exit 1; }

as_user() { # USER: export that user's keys
	AWS_ACCESS_KEY_ID=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]]['AccessKeyId'])" "$WORK/keys.json" "$1")
	AWS_SECRET_ACCESS_KEY=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]]['SecretAccessKey'])" "$WORK/keys.json" "$1")
	export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
}
state() { # revisions of web-storefront and the service's revision, as the remediator sees them
	python3 -c "import boto3
e=boto3.client('ecs')
n=len(e.list_task_definitions(familyPrefix='web-storefront',status='ACTIVE')['taskDefinitionArns'])
s=e.describe_services(cluster='prod-eu',services=['storefront'])['services'][0]['taskDefinition']
print(n, s.split('/')[-1])"
}

as_user ecsfix-readonly
run "$A" plan --service prod-eu/storefront -o "$WORK/web.json"
assert_status 0
assert_match "privileged"

run "$A" apply --yes --no-wait "$WORK/web.json"
assert_status 2
assert_match "^ecsfix: registering the new revision of web-storefront: .*AccessDenied"
assert_match "ecs:RegisterTaskDefinition"
echo "$OUT" | grep '^ecsfix:' # shown in the log
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"register".*"outcome":"AccessDenied'

as_user ecsfix-remediator
run state
assert_match "^4 web-storefront:4$"

run "$A" apply --yes --no-wait "$WORK/web.json"
assert_status 0
run state
assert_match "^5 web-storefront:5$"

finish
