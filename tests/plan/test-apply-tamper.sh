#!/bin/sh
# test-apply-tamper.sh: apply trusts nothing in the plan file (issue 12 item 1): it rebuilds
# the proposal from the live source revision and the plan's options. Edited plans (another
# image, a task role, privileged:true on another container, source.document and proposed
# edited together, an extra service of another family, moveTo edited to a failing, a
# host-mode or an older revision)
# are refused with "the plan file was changed after it was made" (or "stale" for a service
# that does not run the source), and nothing is registered or updated; an untouched plan
# shows the diff apply computed itself and goes through. Against the loopback fake.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-tamper.XXXXXX")
. "${TOP_SRCDIR:-.}/tests/plan/fake.sh"
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state
mkdir -p "$HOME"
A="$ECSFIX_BIN"
PFX=arn:aws:ecs:us-east-1:123456789012

fake_start --scenario complete --other-family
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"

# edit PYTHON-STATEMENTS: the plan as p (a dict), edited, written to edited.json
edit() {
	python3 - "$WORK/p.json" "$WORK/edited.json" "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(p, open(sys.argv[2], "w"), indent=2)
PY
}
refused() { # WHAT PATTERN: apply edited.json is refused, nothing registered or updated
	run "$A" apply --yes --poll-interval 0.05 "$WORK/edited.json"
	assert_status 2
	assert_match "$2"
	run fake_count RegisterTaskDefinition
	assert_match "^0$"
	run fake_count UpdateService
	assert_match "^0$"
}

CHANGED="the plan file was changed after it was made"
edit 'p["proposed"]["containerDefinitions"][0]["image"] = "evil/miner:1"'
refused "another image" "$CHANGED: its proposal differs from what the options make of the source at \"containerDefinitions\""
edit 'p["proposed"]["taskRoleArn"] = "arn:aws:iam::123456789012:role/admin"'
refused "a task role" "$CHANGED: its proposal differs .* at \"taskRoleArn\""
edit 'p["proposed"]["containerDefinitions"][0]["privileged"] = True'
refused "privileged on another container" "$CHANGED"
edit '
for k in ("document",):
    p["source"][k]["containerDefinitions"][0]["image"] = "evil/miner:1"
p["proposed"]["containerDefinitions"][0]["image"] = "evil/miner:1"'
refused "document and proposal together" "$CHANGED: its source.document or family is not the revision web:1"
edit 'p["options"]["networkMode"] = "awsvpc"'
refused "options edited" "$CHANGED: its proposal differs"
edit '
s = dict(p["services"][0])
s.update(serviceArn="'$PFX':service/c1/api", serviceName="api")
p["services"].append(s)'
refused "an extra service of another family" "the plan is stale: c1/api: it now runs api:1, the plan was made for web:1"
edit '
s = dict(p["services"][0])
s.update(serviceArn="'$PFX':service/c1/api", serviceName="api", taskDefinition="'$PFX':task-definition/api:1")
p["services"].append(s)'
refused "a service recorded on another revision" "$CHANGED: service c1/api is recorded on api:1, not on the source web:1"
edit '
p["options"]["moveTo"] = p["source"]["taskDefinitionArn"]
p["proposed"] = p["source"]["document"]
p["changes"] = ["x"]'
refused "moveTo a failing revision" "web:1 fails a deciding control: nothing to move to"
edit 'p["services"][0]["networkConfiguration"] = {"awsvpcConfiguration": {"subnets": ["subnet-evil"]}}'
refused "a networkConfiguration added" "$CHANGED: the networkConfiguration of c1/web"
run cat "$XDG_STATE_HOME/ecsfix/audit.jsonl"
assert_match '"action":"refused".*changed after it was made'

# moveTo edited to web:2 (the latest ACTIVE revision, host mode): a deciding control (ECS.17)
# would go from PASSED to FAILED: refused; with --controls ECS.4 it is only a warning
fake_stop
fake_start --scenario complete --host-revision
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
edit '
import copy
d = copy.deepcopy(p["source"]["document"])
d["networkMode"] = "host"
for c in d["containerDefinitions"]:
    c.pop("privileged", None)
    for pm in c.get("portMappings", []):
        pm["hostPort"] = pm["containerPort"]
p["options"]["moveTo"] = p["source"]["taskDefinitionArn"].replace("web:1", "web:2")
p["proposed"] = d'
refused "moveTo a host-mode revision" "the proposal makes ECS.17 fail on \(task\)"
run "$A" apply --yes --poll-interval 0.05 --controls ECS.4 "$WORK/edited.json"
assert_status 0
assert_match "warning: ECS.17 becomes FAILED on \(task\)"
assert_match "moving to web:2, an existing revision"
run fake_count RegisterTaskDefinition
assert_match "^0$"
# moveTo that is not the family's latest ACTIVE revision: refused
fake_stop
fake_start --scenario complete --host-revision
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"
edit 'p["options"]["moveTo"] = p["source"]["taskDefinitionArn"]; p["proposed"] = p["source"]["document"]'
refused "moveTo an older revision" "moveTo web:1 is not the latest ACTIVE revision of web \(web:2 is\)"
fake_stop
fake_start --scenario complete --other-family
"$A" plan --service c1/web -o "$WORK/p.json" >/dev/null || echo "FAIL: plan"

# the untouched plan: the diff shown is the one apply computed; it goes through
run "$A" apply --yes --poll-interval 0.05 "$WORK/p.json"
assert_status 0
assert_match '^\+\+\+ b/web:new'
assert_match '^\+      "privileged": false'
assert_match "c1/web: COMPLETED"
run fake_count RegisterTaskDefinition
assert_match "^1$"

finish
