#!/bin/sh
# test-plan-moto.sh: plan and apply end to end against the demo account in moto: the web
# service moves to a revision equal to the old one but for the sidecar's privileged flag;
# rerunning registers nothing; the second service on that revision reuses it; a stale plan
# is refused; the host-mode agent moves to awsvpc with a networkConfiguration; plan errors
# and "nothing to do"; audit log and plan file modes. (moto never moves a deployment, so
# apply runs with --no-wait here; the follower is tested against tests/plan/fake_ecs.py.)
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-planmoto.XXXXXX")
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"
ARN=arn:aws:ecs:us-east-1:123456789012

moto_start || exit 1
moto_seed_demo -q || { echo "FAIL: seed"; exit 1; }

py() { python3 -c "$@"; }
revisions() { # FAMILY -> number of revisions (ACTIVE and INACTIVE)
	py "import boto3,sys
e=boto3.client('ecs')
print(sum(len(e.list_task_definitions(familyPrefix=sys.argv[1],status=s)['taskDefinitionArns']) for s in ('ACTIVE','INACTIVE')))" "$1"
}
service_td() { # CLUSTER SERVICE -> taskDefinition
	py "import boto3,sys
print(boto3.client('ecs').describe_services(cluster=sys.argv[1],services=[sys.argv[2]])['services'][0]['taskDefinition'])" "$1" "$2"
}

# --- the unit of remediation is the revision: a plan for prod-eu/storefront covers
# staging/storefront too (same revision, another cluster), each selected
run "$A" plan --service prod-eu/storefront -o "$WORK/web-all.json"
assert_status 0
assert_match 'Services to move \(2 of the 2 that run web-storefront:4\)'
assert_match 'prod-eu/storefront  web-storefront:4 -> new revision'
assert_match 'staging/storefront  web-storefront:4 -> new revision'
run py "import json,sys
p=json.load(open(sys.argv[1]))
print(sorted((s['cluster'],s['selected']) for s in p['services']), p['options'].get('moveTo'))" "$WORK/web-all.json"
assert_match "^\[\('prod-eu', True\), \('staging', True\)\] None$"

# --- plan for the web service only: the diff, the controls, the services, the IAM actions
run "$A" plan --service prod-eu/storefront --only-this-service -o "$WORK/web.json"
assert_status 0
assert_match '^-      "privileged": true,'
assert_match '^\+      "privileged": false,'
assert_match 'ECS.4  envoy +FAILED -> PASSED'
assert_match 'prod-eu/storefront  web-storefront:4 -> new revision'
assert_match 'ecs:RegisterTaskDefinition'
assert_match 'iam:PassRole on'
run stat -c %a "$WORK/web.json"
assert_match "^600$"
run py "import json,sys
p=json.load(open(sys.argv[1]))
print(p['ecsfixPlan'], p['region'], p['account'], p['source']['taskDefinitionArn'], p['source']['digest'][:7], len(p['services']), p['services'][0]['deploymentController'])" "$WORK/web.json"
assert_match "^1 us-east-1 123456789012 $ARN:task-definition/web-storefront:4 sha256: 1 ECS$"
# plan changed nothing
run revisions web-storefront
assert_match "^4$"

# --- apply: a new revision equal to the old except the sidecar's privileged
run "$A" apply --yes --no-wait "$WORK/web.json"
assert_status 0
assert_match "registered web-storefront:5"
assert_match "prod-eu/storefront: NOT_FOLLOWED"
run service_td prod-eu storefront
assert_match "^$ARN:task-definition/web-storefront:5$"
run py "import boto3
e=boto3.client('ecs')
out=('taskDefinitionArn','revision','status','requiresAttributes','compatibilities','registeredAt','registeredBy','deregisteredAt','deleteRequestedAt')
def get(r):
    d=e.describe_task_definition(taskDefinition='web-storefront:%d'%r,include=['TAGS'])
    t={k:v for k,v in d['taskDefinition'].items() if k not in out}
    return t,d.get('tags')
a,ta=get(4); b,tb=get(5)
assert ta==tb and ta, (ta,tb)
for c in a['containerDefinitions']:
    if c['name']=='envoy':
        assert c['privileged'] is True
        c['privileged']=False
assert a==b, (a,b)
print('equal but privileged')"
assert_status 0
assert_match "^equal but privileged$"

# --- the same plan again: nothing registered, nothing moves
run "$A" apply --yes --no-wait "$WORK/web.json"
assert_status 0
assert_match "reusing web-storefront:5"
run revisions web-storefront
assert_match "^5$"

# --- the second service on revision 4: revision 5 (latest, clean) exists: move to it
run "$A" plan --service staging/storefront -o "$WORK/web2.json"
assert_status 0
assert_match "move to: web-storefront:5, an existing revision"
assert_match "staging/storefront  web-storefront:4 -> web-storefront:5"
run "$A" plan --service staging/storefront --no-move-to
assert_status 0
assert_match "register: a new revision of web-storefront"
assert_match "is not the family's latest ACTIVE revision \(web-storefront:5 is\)"
run "$A" apply --yes --no-wait "$WORK/web2.json"
assert_status 0
assert_match "moving to web-storefront:5, an existing revision"
run revisions web-storefront
assert_match "^5$"
run service_td staging storefront
assert_match "^$ARN:task-definition/web-storefront:5$"

# --- a stale plan: the service moved to another revision in between
run "$A" plan --task-definition ci-runner -o "$WORK/ci.json"
assert_status 0
assert_match "ci/gitlab-runner  ci-runner:2 -> new revision"
if command -v aws >/dev/null 2>&1; then
	aws ecs update-service --cluster ci --service gitlab-runner \
		--task-definition "$ARN:task-definition/ci-runner:1" >/dev/null ||
		echo "FAIL: aws ecs update-service"
else
	py "import boto3
boto3.client('ecs').update_service(cluster='ci',service='gitlab-runner',taskDefinition='$ARN:task-definition/ci-runner:1')"
fi
n=$(revisions ci-runner)
run "$A" apply --yes --no-wait "$WORK/ci.json"
assert_status 2
assert_match "the plan is stale: ci/gitlab-runner: it now runs ci-runner:1, the plan was made for ci-runner:2"
run revisions ci-runner
assert_match "^$n$"
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"refused".*"outcome":"refused"'

# --- the host-mode DAEMON agent to awsvpc: both services get a networkConfiguration
SUBNET=$(py "import boto3
print(boto3.client('ec2').describe_subnets(Filters=[{'Name':'cidr-block','Values':['10.20.1.0/24']}])['Subnets'][0]['SubnetId'])")
SG=$(py "import boto3
print(boto3.client('ec2').describe_security_groups(Filters=[{'Name':'group-name','Values':['storefront']}])['SecurityGroups'][0]['GroupId'])")
run "$A" plan --task-definition monitoring-agent --network-mode awsvpc --user 1000 \
	--subnets "$SUBNET" --security-groups "$SG" -o "$WORK/agent.json"
assert_status 0
assert_match '^-  "networkMode": "host",'
assert_match '^\+  "networkMode": "awsvpc",'
assert_match 'ECS.17 \(task\) +FAILED -> PASSED'
assert_match 'prod-eu/monitoring-agent .*\+ networkConfiguration \(awsvpc\)'
assert_match 'staging/monitoring-agent .*\+ networkConfiguration \(awsvpc\)'
run "$A" apply --yes --no-wait "$WORK/agent.json"
assert_status 0
run py "import boto3
e=boto3.client('ecs')
for c in ('prod-eu','staging'):
    s=e.describe_services(cluster=c,services=['monitoring-agent'])['services'][0]
    nc=s['networkConfiguration']['awsvpcConfiguration']
    td=e.describe_task_definition(taskDefinition=s['taskDefinition'])['taskDefinition']
    print(c, nc['subnets'], nc['securityGroups'], nc.get('assignPublicIp'), td['networkMode'], td['revision'])"
assert_match "^prod-eu \['$SUBNET'\] \['$SG'\] DISABLED awsvpc 4$"
assert_match "^staging \['$SUBNET'\] \['$SG'\] DISABLED awsvpc 4$"
# already awsvpc and fixed: nothing to do; a service moving to awsvpc needs subnets
run "$A" plan --task-definition web-storefront:5 --network-mode awsvpc
assert_status 1
run "$A" plan --task-definition ci-runner:1 --network-mode awsvpc
assert_status 2
assert_match "needs --subnets"

# --- CODE_DEPLOY services are skipped with the reason
run "$A" plan --task-definition payments-api -o "$WORK/pay.json"
assert_status 0
assert_match "Services to move \(0 of the 1 that run payments-api:2\)"
assert_match "prod-eu/payments: deployment controller CODE_DEPLOY"

# --- the reporting trap: the service runs reporting:1 (privileged), reporting:2 passes
run "$A" plan --service tools/reporting -o "$WORK/rep.json"
assert_status 0
assert_match "move to: reporting:2"
assert_match "reporting:2, the family's latest ACTIVE revision, already passes ECS.4, ECS.17, ECS.20"
assert_no_match "still runs as root"
assert_match '^\+\+\+ b/reporting:2$' # the diff names the revision moved to
run "$A" plan --service tools/reporting --no-move-to
assert_status 0
assert_match "register: a new revision of reporting"
assert_match '^\+\+\+ b/reporting:new$'
n=$(revisions reporting)
run "$A" apply --yes --no-wait "$WORK/rep.json"
assert_status 0
assert_match "done: moved to reporting:2"
run service_td tools reporting
assert_match "task-definition/reporting:2$"
run revisions reporting
assert_match "^$n$"

# --- plan errors and nothing to do
run "$A" plan --service prod-eu/storefront --service tools/reporting
assert_status 2
assert_match "the services run different revisions"
run "$A" plan --service prod-eu/nosuch
assert_status 2
assert_match "nosuch"
run "$A" plan --service prod-eu/billing-api
assert_status 1
assert_match "Nothing to do"
run "$A" plan --service storefront
assert_status 2
assert_match "not CLUSTER/SERVICE"

# --- --note-findings: moto has no BatchUpdateFindings: a warning, the apply still succeeds
run "$A" plan --task-definition legacy-batch -o "$WORK/legacy.json"
assert_status 0
run "$A" apply --yes --no-wait --note-findings "$WORK/legacy.json"
assert_status 0
assert_match "warning: setting the ECS.4 findings to NOTIFIED"

# --- the audit log
run stat -c %a "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match "^600$"
run py "import json,sys
lines=[json.loads(l) for l in open(sys.argv[1])]
need={'time','region','account','action','outcome'}
assert all(need <= set(l) for l in lines), lines
print(len(lines), sorted({l['action'] for l in lines}))" "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_status 0
assert_match "'register'"
assert_match "'reuse'"
assert_match "'move-to'"
assert_match "'update-service'"
assert_match "'refused'"

finish
