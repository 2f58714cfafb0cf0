#!/bin/sh
# test-demo-seed.sh: seeds the demo account into a private moto_server and checks that the
# account is what scripts/seed_demo.py's tables promise (clusters, the shared web revision,
# privileged flags, the reporting trap, findings by control), then the same in moto's IAM auth
# mode with the two seeded users.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
top=${TOP_SRCDIR:-.}
export PYTHONDONTWRITEBYTECODE=1 # the source tree may be read-only (distcheck)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-seedtest.XXXXXX")
cleanup_add "rm -rf '$tmp'"

moto_start || exit 1

run moto_seed_demo --keys-out "$tmp/keys.json"
assert_status 0
assert_match "^seeded .*: 4 clusters, 8 families, 18 task definition revisions, 9 services"

run stat -c %a "$tmp/keys.json"
assert_match "^600$"

# a second run refuses instead of making a mess
run moto_seed_demo
assert_status 1
assert_match "already seeded"

# the account against the tables
run python3 - "$top/scripts" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import boto3
import seed_demo as d

ecs = boto3.client("ecs")
sh = boto3.client("securityhub")
R, A = "us-east-1", d.ACCOUNT
bad, good = [], []
def check(cond, what):
    (good if cond else bad).append(what)
    if not cond:
        print("FAIL " + what)

# clusters with tags, non-ASCII values intact
cl = ecs.describe_clusters(clusters=[c["name"] for c in d.CLUSTERS], include=["TAGS"])
check(sorted(c["clusterName"] for c in cl["clusters"]) == sorted(c["name"] for c in d.CLUSTERS),
      "clusters prod-eu staging ci tools exist")
tags = {t["key"]: t["value"] for c in cl["clusters"] if c["clusterName"] == "prod-eu"
        for t in c["tags"]}
check(tags.get("cost-centre") == "équipe-données", "prod-eu tag cost-centre=équipe-données")

def rules(td):
    cs = td["containerDefinitions"]
    return {
        "ECS.4": "FAILED" if any(c.get("privileged") for c in cs) else "PASSED",
        "ECS.17": "FAILED" if td.get("networkMode") == "host" else "PASSED",
        "ECS.20": "FAILED" if any(c.get("user") in (None, "", "root", "0")
                                  or str(c.get("user")).startswith("0:") for c in cs)
                  else "PASSED",
    }

# families: revisions, INACTIVE ones, the rules on the latest ACTIVE revision match EXPECT
for fam, spec in d.FAMILIES.items():
    n = len(spec["revisions"])
    active = ecs.list_task_definitions(familyPrefix=fam, status="ACTIVE")["taskDefinitionArns"]
    want = ["arn:aws:ecs:%s:%s:task-definition/%s:%d" % (R, A, fam, i + 1)
            for i, r in enumerate(spec["revisions"]) if not r.get("inactive")]
    check(sorted(active) == sorted(want), "%s: ACTIVE revisions %s" % (fam, [w.rsplit(":", 1)[1] for w in want]))
    r = ecs.describe_task_definition(taskDefinition="%s:%d" % (fam, n), include=["TAGS"])
    check(rules(r["taskDefinition"]) == d.EXPECT[fam], "%s:%d rules = %s" % (fam, n, d.EXPECT[fam]))
    check(any(t["key"] == "owner" for t in r.get("tags", [])), "%s:%d has an owner tag" % (fam, n))
    images = {c["image"] for i in range(n) for c in
              ecs.describe_task_definition(taskDefinition="%s:%d" % (fam, i + 1))["taskDefinition"]["containerDefinitions"]}
    check(n == 1 or len(images) > len(spec["base"]["containerDefinitions"]),
          "%s: revisions differ in images" % fam)
inactive = ecs.list_task_definitions(familyPrefix="monitoring-agent", status="INACTIVE")["taskDefinitionArns"]
check(inactive == ["arn:aws:ecs:%s:%s:task-definition/monitoring-agent:1" % (R, A)],
      "monitoring-agent:1 is INACTIVE")

agent = ecs.describe_task_definition(taskDefinition="monitoring-agent:3")["taskDefinition"]
paths = {v["host"]["sourcePath"] for v in agent["volumes"]}
check(agent["networkMode"] == "host" and "/var/run/docker.sock" in paths and "/proc/" in paths
      and len(agent["containerDefinitions"][0]["mountPoints"]) == 3
      and agent["containerDefinitions"][0]["privileged"] is True,
      "monitoring-agent: host mode, privileged, docker.sock and /proc mounted")
web = ecs.describe_task_definition(taskDefinition="web-storefront:4")["taskDefinition"]
priv = {c["name"]: bool(c.get("privileged")) for c in web["containerDefinitions"]}
check(web["networkMode"] == "awsvpc" and priv == {"app": False, "envoy": True},
      "web-storefront:4: awsvpc, only the envoy sidecar is privileged")
web1 = ecs.describe_task_definition(taskDefinition="web-storefront:1")["taskDefinition"]
check(not any(c.get("privileged") for c in web1["containerDefinitions"]),
      "web-storefront:1 was not privileged yet")
dind = ecs.describe_task_definition(taskDefinition="ci-runner:2")["taskDefinition"]
dc = [c for c in dind["containerDefinitions"] if c["name"] == "dind"][0]
check(dind["networkMode"] == "bridge" and dc["privileged"] and dc["portMappings"][0]["hostPort"] == 2376,
      "ci-runner:2: bridge, privileged dind with hostPort 2376")
fg = ecs.describe_task_definition(taskDefinition="billing-api:2")["taskDefinition"]
c0 = fg["containerDefinitions"][0]
check(fg["requiresCompatibilities"] == ["FARGATE"] and c0["user"] == "1000:1000"
      and c0["readonlyRootFilesystem"] is True and not c0.get("privileged"),
      "billing-api:2: Fargate, non-root, read-only root fs")

# services
for s in d.SERVICES:
    r = ecs.describe_services(cluster=s["cluster"], services=[s["name"]], include=["TAGS"])
    ok = len(r["services"]) == 1
    if ok:
        v = r["services"][0]
        fam, rev = s["taskDefinition"].rsplit(":", 1)
        ok = (v["taskDefinition"] == "arn:aws:ecs:%s:%s:task-definition/%s:%s" % (R, A, fam, rev)
              and v["runningCount"] == s["desiredCount"] == v["desiredCount"]
              and v["deploymentController"]["type"] == s.get("deploymentController", "ECS")
              and v["schedulingStrategy"] == s.get("schedulingStrategy", "REPLICA")
              and any(t["key"] == "owner" for t in v.get("tags", [])))
    check(ok, "service %s/%s runs %s" % (s["cluster"], s["name"], s["taskDefinition"]))
shared = [ecs.describe_services(cluster=c, services=["storefront"])["services"][0]
          for c in ("prod-eu", "staging")]
check(shared[0]["taskDefinition"] == shared[1]["taskDefinition"]
      and shared[0]["serviceArn"] != shared[1]["serviceArn"]
      and shared[0]["networkConfiguration"]["awsvpcConfiguration"]["subnets"],
      "storefront in prod-eu and staging run the same revision (awsvpc)")
rep = ecs.describe_services(cluster="tools", services=["reporting"])["services"][0]
rep_td = ecs.describe_task_definition(taskDefinition=rep["taskDefinition"])["taskDefinition"]
check(rep_td["revision"] == 1 and rep_td["containerDefinitions"][0]["privileged"] is True
      and d.EXPECT["reporting"]["ECS.4"] == "PASSED",
      "trap: tools/reporting runs privileged reporting:1 while reporting:2 passes ECS.4")
check(ecs.list_services(cluster="ci")["serviceArns"] ==
      ["arn:aws:ecs:%s:%s:service/ci/gitlab-runner" % (R, A)], "ci runs only gitlab-runner")

# findings: page through with a small page size
fs, tok = [], None
while True:
    kw = {"MaxResults": 7}
    if tok:
        kw["NextToken"] = tok
    r = sh.get_findings(**kw)
    fs += r["Findings"]
    tok = r.get("NextToken")
    if not tok:
        break
consolidated = [f for f in fs if f["GeneratorId"].startswith("security-control/ECS.")
                and f["GeneratorId"].split("/")[1] in ("ECS.4", "ECS.17", "ECS.20")
                and f["RecordState"] == "ACTIVE"]
got = {(f["Resources"][0]["Id"], f["Compliance"]["SecurityControlId"]): f["Compliance"]["Status"]
       for f in consolidated}
want = {("arn:aws:ecs:%s:%s:task-definition/%s:%d" % (R, A, fam, len(d.FAMILIES[fam]["revisions"])), c): st
        for fam, m in d.EXPECT.items() for c, st in m.items()}
check(got == want and len(consolidated) == len(want),
      "%d consolidated ECS.4/17/20 findings on the latest revisions match EXPECT" % len(want))
check(all(f["Resources"][0]["Type"] == "AwsEcsTaskDefinition"
          and f["Compliance"]["SecurityControlId"] == f["GeneratorId"].split("/")[1]
          for f in consolidated), "consolidated findings: resource type and control id")
controls = {f["GeneratorId"] for f in fs}
check({"security-control/S3.1", "security-control/EC2.19", "security-control/ECS.2",
       "security-control/ECS.5"} <= controls, "noise findings of other controls are present")
check(sum(1 for f in fs if f["GeneratorId"] ==
          "aws-foundational-security-best-practices/v/1.0.0/ECS.4") == 1,
      "one per-standard ECS.4 finding")
check(sum(1 for f in fs if f["RecordState"] == "ARCHIVED") == 1, "one ARCHIVED finding")
failed4 = sorted(f["Resources"][0]["Id"].rsplit("/", 1)[1] for f in consolidated
                 if f["Compliance"]["SecurityControlId"] == "ECS.4" and f["Compliance"]["Status"] == "FAILED")
check(failed4 == ["ci-runner:2", "legacy-batch:2", "monitoring-agent:3", "payments-api:2",
                  "web-storefront:4"], "ECS.4 FAILED on exactly: %s" % failed4)
print("account: %d checks ok, %d failed" % (len(good), len(bad)))
sys.exit(1 if bad else 0)
PY
assert_status 0
assert_match "^account: [0-9]+ checks ok, 0 failed"

# IAM auth mode: after the seed every request must be signed by a seeded user
moto_stop
moto_start --auth 150 || exit 1
run moto_seed_demo -q --unicode-names --keys-out "$tmp/keys.json"
assert_status 0
run python3 - "$tmp/keys.json" <<'PY'
import json, re, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
keys = json.load(open(sys.argv[1]))
def client(svc, user=None, secret=None):
    kw = {}
    if user:
        kw = dict(aws_access_key_id=keys[user]["AccessKeyId"],
                  aws_secret_access_key=secret or keys[user]["SecretAccessKey"])
    return boto3.client(svc, config=Config(retries={"max_attempts": 1}), **kw)
def code(f):
    try:
        f()
        return "OK"
    except ClientError as e:
        # moto answers auth errors with an XML body even for JSON APIs: boto3 then only
        # knows the HTTP status, the code is in the text
        m = re.search(r"<Code>([^<]+)</Code>", str(e))
        return m.group(1) if m else e.response["Error"]["Code"]
reg = dict(family="auth-probe", containerDefinitions=[{"name": "a", "image": "a", "memory": 64}])
print("default-keys", code(lambda: client("ecs").list_clusters()))
print("readonly-list", code(lambda: client("ecs", "ecsfix-readonly").list_clusters()))
print("readonly-findings", code(lambda: client("securityhub", "ecsfix-readonly").get_findings(MaxResults=1)))
print("readonly-whoami", code(lambda: client("sts", "ecsfix-readonly").get_caller_identity()))
print("readonly-register", code(lambda: client("ecs", "ecsfix-readonly").register_task_definition(**reg)))
print("bad-secret", code(lambda: client("ecs", "ecsfix-readonly", "x" * 40).list_clusters()))
print("remediator-register", code(lambda: client("ecs", "ecsfix-remediator").register_task_definition(**reg)))
print("unicode", client("ecs", "ecsfix-readonly").describe_services(cluster="équipe-données", services=["café-api"])["services"][0]["serviceArn"])
print("remediator-delete", code(lambda: client("ecs", "ecsfix-remediator").delete_service(cluster="ci", service="gitlab-runner", force=True)))
PY
assert_status 0
assert_match "^default-keys InvalidClientTokenId$"
assert_match "^readonly-list OK$"
assert_match "^readonly-findings OK$"
assert_match "^readonly-whoami OK$"
assert_match "^readonly-register AccessDenied"
assert_match "^bad-secret SignatureDoesNotMatch$"
assert_match "^remediator-register OK$"
assert_match "^remediator-delete AccessDenied"
assert_match "^unicode arn:aws:ecs:us-east-1:123456789012:service/équipe-données/café-api$"

# moto_use_keys: the same through the AWS-CLI-style environment
moto_use_keys "$tmp/keys.json" ecsfix-readonly
run python3 -c 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])'
assert_status 0
assert_match "user/ecsfix-readonly$"

finish
