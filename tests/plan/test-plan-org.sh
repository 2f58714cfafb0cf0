#!/bin/sh
# test-plan-org.sh: plan and apply in a member account of an organization in moto
# (tests/scan/seed_org.py: 3 members x 2 regions, each with apps/web on a privileged revision
# of family web-REGION). plan --accounts M0 --role-name Audit records account, region and
# roleArn; apply assumes that role from the base credentials and registers and updates in M0
# only (read back with boto3 as each account); several targets are refused; a plan whose
# credentials resolve to another account is refused (a --profile plan applied with the base
# credentials, a roleArn edited to another member's role); the audit log holds the role.
# moto runs without auth here: the seed's Audit role may only read, and moto without auth
# does not evaluate policies (the scan tests cover AssumeRole denied).
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-planorg.XXXXXX")
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_CACHE_HOME=$WORK/cache
mkdir -p "$HOME"
A="$ECSFIX_BIN"
R=eu-west-1

moto_start || exit 1
moto_python "${TOP_SRCDIR:-.}/tests/scan/seed_org.py" >"$WORK/seed.json" ||
	{ echo "FAIL: seeding the organization"; exit 1; }
member() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["members"][int(sys.argv[2])])' "$WORK/seed.json" "$1"; }
M0=$(member 0) M1=$(member 1) M2=$(member 2)
BASE=123456789012
ROLE0=arn:aws:iam::$M0:role/Audit

# ACCOUNT -> "revisions-of-web-$R service-taskDefinition" read as that account (boto3)
state() {
	python3 -c 'import boto3, sys
acct, region = sys.argv[1], sys.argv[2]
kw = dict(region_name=region)
if acct != "123456789012":
    c = boto3.client("sts").assume_role(RoleArn="arn:aws:iam::%s:role/Audit" % acct,
                                        RoleSessionName="check")["Credentials"]
    kw.update(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
              aws_session_token=c["SessionToken"])
    assert boto3.client("sts", **kw).get_caller_identity()["Account"] == acct
e = boto3.client("ecs", **kw)
n = sum(len(e.list_task_definitions(familyPrefix="web-" + region, status=s)["taskDefinitionArns"])
        for s in ("ACTIVE", "INACTIVE"))
svc = e.describe_services(cluster="apps", services=["web"])["services"] if e.list_clusters()["clusterArns"] else []
print(n, svc[0]["taskDefinition"] if svc else "-")' "$1" "$R"
}
for acct in $BASE $M0 $M1 $M2; do
	state $acct >"$WORK/before.$acct"
done
run cat "$WORK/before.$M0"
assert_match "^1 arn:aws:ecs:$R:$M0:task-definition/web-$R:1$"
run cat "$WORK/before.$BASE"
assert_match "^0 -$"

# --- plan in member M0 through its role
run "$A" --accounts "$M0" --role-name Audit --region $R plan --service apps/web -o "$WORK/m0.json"
assert_status 0
assert_match "Plan for web-$R:1 \(account $M0, $R, as $ROLE0\)"
assert_match "apply assumes $ROLE0 again"
assert_match "Apply it with: ecsfix --region $R apply $WORK/m0.json$"
run python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))
print(p["account"], p["region"], p["roleArn"], p["source"]["taskDefinitionArn"], [s["serviceArn"] for s in p["services"]])' "$WORK/m0.json"
assert_match "^$M0 $R $ROLE0 arn:aws:ecs:$R:$M0:task-definition/web-$R:1 \['arn:aws:ecs:$R:$M0:service/apps/web'\]$"
run stat -c %a "$WORK/m0.json"
assert_match "^600$"
# --regions with one region works as --region
run "$A" --accounts "$M0" --role-name Audit --regions $R plan --service apps/web --json
assert_status 0
assert_match "\"roleArn\": \"$ROLE0\""

# --- a plan is for one target
run "$A" --accounts "$M0,$M1" --role-name Audit --region $R plan --service apps/web
assert_status 2
assert_match "^ecsfix: plan: the options name 2 targets \(accounts x regions\); a plan is for one account in one region \(give one account"
run "$A" --accounts "$M0" --role-name Audit --regions us-east-1,$R plan --service apps/web
assert_status 2
assert_match "name 2 targets"
run "$A" --accounts "$M0" plan --service apps/web
assert_status 2
assert_match "need --role-name NAME"

# --- apply refuses credentials of another account (a --profile plan for M1, the base keys)
python3 -c 'import boto3, sys
c = boto3.client("sts").assume_role(RoleArn="arn:aws:iam::%s:role/Audit" % sys.argv[1],
                                    RoleSessionName="m1")["Credentials"]
print("[m1]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s"
      % (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]))' "$M1" >"$WORK/credentials"
run env AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" "$A" --profile m1 --region $R plan \
	--service apps/web -o "$WORK/m1.json"
assert_status 0
assert_match "Plan for web-$R:1 \(account $M1, $R\)"
run python3 -c 'import json,sys; p = json.load(open(sys.argv[1])); print(p["account"], p["roleArn"])' "$WORK/m1.json"
assert_match "^$M1 None$"
run "$A" --region $R apply --yes --no-wait --audit-log "$WORK/audit.jsonl" "$WORK/m1.json"
assert_status 2
assert_match "^ecsfix: the plan is for account $M1, these credentials are for $BASE \(use the profile of account $M1\)$"
# a roleArn edited to another member's role: the assumed credentials resolve to M1
python3 -c 'import json,sys
p = json.load(open(sys.argv[1])); p["roleArn"] = "arn:aws:iam::%s:role/Audit" % sys.argv[2]
json.dump(p, open(sys.argv[3], "w"))' "$WORK/m0.json" "$M1" "$WORK/m0-edited.json"
run "$A" --region $R apply --yes --no-wait --audit-log "$WORK/audit.jsonl" "$WORK/m0-edited.json"
assert_status 2
assert_match "^ecsfix: the plan is for account $M0, the credentials of arn:aws:iam::$M1:role/Audit are for $M1"
# target options do not go with apply
run "$A" --accounts "$M0" --role-name Audit --region $R apply --yes "$WORK/m0.json"
assert_status 2
assert_match "^ecsfix: apply: the plan names its account, region and role"
# nothing changed anywhere
for acct in $BASE $M0 $M1 $M2; do
	run state $acct
	assert_match "^$(cat "$WORK/before.$acct")$"
done

# --- apply in M0: registers and updates there, nowhere else
run "$A" --region $R apply --yes --no-wait --audit-log "$WORK/audit.jsonl" "$WORK/m0.json"
assert_status 0
assert_match "registered web-$R:2"
assert_match "apps/web: NOT_FOLLOWED"
run state $M0
assert_match "^2 arn:aws:ecs:$R:$M0:task-definition/web-$R:2$"
for acct in $BASE $M1 $M2; do
	run state $acct
	assert_match "^$(cat "$WORK/before.$acct")$"
done
run python3 -c 'import boto3, sys
c = boto3.client("sts").assume_role(RoleArn=sys.argv[1], RoleSessionName="check")["Credentials"]
e = boto3.client("ecs", region_name=sys.argv[2], aws_access_key_id=c["AccessKeyId"],
                 aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
td = e.describe_task_definition(taskDefinition="web-%s:2" % sys.argv[2])["taskDefinition"]
print([(x["name"], x["privileged"], x["user"]) for x in td["containerDefinitions"]])' "$ROLE0" $R
assert_match "^\[\('app', False, '1000'\)\]$"

# --- the audit log: every line of the apply names the role and the member account
run python3 -c 'import json,sys
lines = [json.loads(l) for l in open(sys.argv[1])]
for l in lines:
    print(l["action"], l.get("account"), l.get("roleArn"))' "$WORK/audit.jsonl"
assert_match "^register $M0 $ROLE0$"
assert_match "^update-service $M0 $ROLE0$"
assert_match "^refused $M1 None$"
assert_no_match "^(register|update-service) .* None$"
run stat -c %a "$WORK/audit.jsonl"
assert_match "^600$"

# a rerun registers nothing: the plan is done
run "$A" --region $R apply --yes --no-wait --audit-log "$WORK/audit.jsonl" "$WORK/m0.json"
run state $M0
assert_match "^2 arn:aws:ecs:$R:$M0:task-definition/web-$R:2$"

finish
