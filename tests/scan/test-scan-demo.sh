#!/bin/sh
# test-scan-demo.sh: `ecsfix scan --output json` on the demo account in moto: every service,
# the right revisions, per-container results, findings joined (other controls absent), the
# traps in notes, the table's summary line, exit codes.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
moto_start || exit 1
moto_seed_demo >/dev/null || { echo "FAIL: seeding the demo account"; exit 1; }
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"

"$ECSFIX_BIN" scan --output json >"$tmp/report.json" 2>"$tmp/err"
STATUS=$?
OUT=$(cat "$tmp/err")
LAST="ecsfix scan --output json"
assert_status 1

# The truth, read with boto3 straight from moto (not through ecsfix).
python3 - >"$tmp/truth.json" <<'EOF'
import json, boto3
ecs = boto3.client("ecs")
svcs = {}
for c in ecs.list_clusters()["clusterArns"]:
    arns = ecs.list_services(cluster=c)["serviceArns"]
    for i in range(0, len(arns), 10):
        for s in ecs.describe_services(cluster=c, services=arns[i:i + 10])["services"]:
            svcs[s["serviceArn"]] = s["taskDefinition"]
print(json.dumps(svcs))
EOF

run python3 - "$tmp/report.json" "$tmp/truth.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
fails = []
def check(cond, what):
    if not cond:
        fails.append(what)

# contract fields, in order
check(list(r)[:12] == ["region", "account", "endpoint", "generatedAt", "controls", "clusters",
                       "services", "taskDefinitions", "findings", "errors", "targets", "summary"],
      "top-level keys/order: %s" % list(r))
check(r["region"] == "us-east-1", "region")
check(r["account"] == "123456789012", "account from the ARNs")
check(r["controls"] == ["ECS.4", "ECS.17", "ECS.20"], "default controls %s" % r["controls"])
check(r["errors"] == [], "no errors: %s" % r["errors"])
check(r["targets"] == [{"accountId": "123456789012", "region": "us-east-1", "roleArn": None,
                        "status": "COMPLETE", "reason": None, "accountName": None,
                        "calls": r["targets"][0]["calls"],
                        "services": len(r["services"]),
                        "servicesFailing": r["summary"]["servicesFailing"],
                        "servicesUnknown": r["summary"]["servicesUnknown"]}],
      "one target, complete: %s" % r["targets"])
for key in ("clusters", "services", "taskDefinitions", "findings"):
    check(all(x["accountId"] == "123456789012" and x["region"] == "us-east-1" for x in r[key]),
          "accountId and region on every entry of %s" % key)

# every service, running the revision moto says
got = {s["arn"]: s for s in r["services"]}
check(set(got) == set(truth), "services: %s vs %s" % (sorted(got), sorted(truth)))
for arn, td in truth.items():
    check(arn in got and got[arn]["taskDefinition"] == td, "revision of %s" % arn)
by = {(s["cluster"], s["name"]): s for s in r["services"]}
tds = {t["arn"]: t for t in r["taskDefinitions"]}
def td_of(cluster, name):
    return tds.get(by[(cluster, name)]["taskDefinition"])

# problems first
rank = {"FAILED": 0, "UNKNOWN": 1, "PASSED": 2}
ranks = [rank[s["status"]] for s in r["services"]]
check(ranks == sorted(ranks), "services sorted problems first: %s" % ranks)

ma = by[("prod-eu", "monitoring-agent")]
check(ma["status"] == "FAILED" and ma["failing"] == ["ECS.4", "ECS.17", "ECS.20"],
      "monitoring-agent failing %s" % ma["failing"])
check(ma["schedulingStrategy"] == "DAEMON", "DAEMON")
check(ma["taskDefinition"].endswith(":3"), "monitoring-agent runs :3")

# per-container results: storefront's envoy sidecar is privileged, app is not
sf = td_of("prod-eu", "storefront")
c = {x["name"]: x for x in sf["containers"]}
check(c["envoy"]["privileged"] is True and c["app"]["privileged"] in (False, None),
      "storefront containers %s" % c)
e4 = {x["container"]: x["status"] for x in sf["checks"] if x["control"] == "ECS.4"}
check(e4 == {"app": "PASSED", "envoy": "FAILED"}, "ECS.4 per container %s" % e4)
check(sf["networkMode"] == "awsvpc", "storefront awsvpc")
check(by[("prod-eu", "storefront")]["failing"] == ["ECS.4"], "storefront fails only ECS.4")
check(by[("prod-eu", "storefront")]["networkConfiguration"] is not None, "networkConfiguration")
# one revision, two services in two clusters
check(len(sf["services"]) == 2, "web-storefront:4 used by 2 services: %s" % sf["services"])
check(any("also used by 1 other service: staging/storefront" in n
          for n in by[("prod-eu", "storefront")]["notes"]),
      "shared-revision note: %s" % by[("prod-eu", "storefront")]["notes"])

# the trap: reporting's finding is green on the latest revision, the service runs :1
rep = by[("tools", "reporting")]
check(rep["status"] == "FAILED", "reporting FAILED")
check(any(n.startswith("Security Hub shows ECS.4 PASSED for reporting:2 (the latest revision) "
                       "but this service still runs reporting:1, which is privileged")
          for n in rep["notes"]), "green-finding trap note: %s" % rep["notes"])
rt = td_of("tools", "reporting")
check(rt["latestActive"] is False and rt["latestActiveArn"].endswith("reporting:2"),
      "reporting:1 is not the latest")
check(any(t["arn"].endswith("reporting:2") and t["latestActive"] for t in r["taskDefinitions"]),
      "reporting:2 described as the latest ACTIVE")

# CODE_DEPLOY
pay = by[("prod-eu", "payments")]
check(pay["deploymentController"] == "CODE_DEPLOY", "payments controller")
check(any("deployment controller CODE_DEPLOY" in n for n in pay["notes"]), "CODE_DEPLOY note")

# clean ones
check(by[("prod-eu", "billing-api")]["status"] == "PASSED", "billing-api PASSED")
check(by[("tools", "grafana")]["status"] == "PASSED", "grafana PASSED")
check(by[("prod-eu", "billing-api")]["launchType"] == "FARGATE", "FARGATE")

# each revision described once; without --all-families no unused family
arns = [t["arn"] for t in r["taskDefinitions"]]
check(len(arns) == len(set(arns)), "a revision listed twice")
check(not any("/legacy-batch:" in a for a in arns), "legacy-batch without --all-families")

# findings: only handled controls, only ACTIVE, joined
handled = {"ECS.1", "ECS.4", "ECS.17", "ECS.20"}
check(r["findings"] and all(f["control"] in handled for f in r["findings"]),
      "other controls' findings present: %s" % sorted({f["control"] for f in r["findings"]}))
check(all(f["resource"].startswith("arn:aws:ecs:") for f in r["findings"]), "ECS resources only")
check(any(f["generatorId"].startswith("aws-foundational-security-best-practices/")
          for f in r["findings"]), "per-standard ECS.4 finding kept")
fid = {f["id"]: f for f in r["findings"]}
for t in r["taskDefinitions"]:
    for i in t["findings"]:
        check(fid[i]["resource"] == t["arn"], "finding %s joined to %s" % (i, t["arn"]))
ma_td = td_of("prod-eu", "monitoring-agent")
check(len(ma_td["findings"]) >= 3, "monitoring-agent:3 findings %s" % ma_td["findings"])
check(set(ma["findings"]) >= set(ma_td["findings"]), "service gets its revision's findings")
f0 = fid[ma_td["findings"][0]]
check(ma["arn"] in f0["services"] and by[("staging", "monitoring-agent")]["arn"] in f0["services"],
      "finding joined to both services")

s = r["summary"]
check(s["services"] == len(truth) and s["exitCode"] == 1, "summary %s" % s)
check(s["servicesFailing"] == sum(1 for x in r["services"] if x["status"] == "FAILED"),
      "servicesFailing")
cl = {c["name"]: c for c in r["clusters"]}
check(set(cl) == {"prod-eu", "staging", "ci", "tools"}, "clusters %s" % sorted(cl))
check(cl["tools"]["services"] == 2 and cl["tools"]["servicesFailing"] == 1, "tools counts")
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
EOF
assert_status 0

# --all-families adds the unused family whose latest revision is privileged
run "$ECSFIX_BIN" scan --all-families --output json
assert_status 1
assert_match '"arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/legacy-batch:[0-9]+"'

# the table: aligned header, the notes under their service, a summary line; no colour in a pipe
run "$ECSFIX_BIN" scan
assert_status 1
assert_match '^STATUS +CLUSTER +SERVICE +REVISION'
assert_match '^FAILED +tools +reporting +reporting:1 '
assert_match '^ +note: Security Hub shows ECS.4 PASSED for reporting:2'
assert_match '^Summary: 9 services in 4 clusters: [0-9]+ failing, 0 unknown'
assert_no_match "$(printf '\033')"

# on a terminal: colour by status and a progress bar on stderr (script(1) gives a pty)
if command -v script >/dev/null 2>&1; then
	run env TERM=xterm script -qec "$ECSFIX_BIN scan" /dev/null
	assert_status 1
	assert_match "$(printf '\033')\\[31mFAILED"
	assert_match "$(printf '\033')\\[32mPASSED"
	assert_match 'scanning (clusters|services|task definitions|findings) +\[[#-]+\] [0-9]+/[0-9]+ calls'
	run env TERM=xterm NO_COLOR=1 script -qec "$ECSFIX_BIN scan" /dev/null
	assert_no_match "$(printf '\033')\\[3[12]m"
fi
finish
