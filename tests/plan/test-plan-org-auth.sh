#!/bin/sh
# test-plan-org-auth.sh: plan and apply in member accounts with moto's IAM evaluated (auth
# mode, tests/scan/seed_org.py: the "scanner" user may assume the read-only role "Audit" in
# members 0 and 1 only): a plan through Audit works (the role may read) and records it; apply
# with that plan is refused by IAM for RegisterTaskDefinition (so the role's credentials, not
# the scanner's, made the call) and changes nothing; a role that cannot be assumed is a clear
# one-line error for plan and for apply.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-planorgauth.XXXXXX")
cleanup_add "rm -rf '$WORK'"
export HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_CACHE_HOME=$WORK/cache
mkdir -p "$HOME"
A="$ECSFIX_BIN"
R=us-east-1
AUTH=200
moto_start --auth $AUTH || exit 1
moto_python "${TOP_SRCDIR:-.}/tests/scan/seed_org.py" --pad-requests-to $AUTH >"$WORK/seed.json" ||
	{ echo "FAIL: seeding the organization"; exit 1; }
moto_use_keys "$WORK/seed.json" keys || exit 1
member() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["members"][int(sys.argv[2])])' "$WORK/seed.json" "$1"; }
M0=$(member 0) M2=$(member 2)
ROLE0=arn:aws:iam::$M0:role/Audit

# a role the base credentials may not assume: one line naming it, exit 2
run "$A" --accounts "$M2" --role-name Audit --region $R plan --service apps/web
assert_status 2
assert_match "^ecsfix: cannot assume arn:aws:iam::$M2:role/Audit: .*AccessDenied.* \(the base credentials need sts:AssumeRole on it and its trust policy must allow them; give --external-id if it requires one\)$"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || { LAST="one line"; _fail "not one line"; }

# plan through Audit: it may read
run "$A" --accounts "$M0" --role-name Audit --region $R plan --service apps/web -o "$WORK/m0.json"
assert_status 0
assert_match "Plan for web-$R:1 \(account $M0, $R, as $ROLE0\)"

# apply: the role may not register (IAM evaluated for the role), nothing changes
run "$A" --region $R apply --yes --no-wait --audit-log "$WORK/audit.jsonl" "$WORK/m0.json"
assert_status 2
assert_match "RegisterTaskDefinition"
assert_match "AccessDenied"
# the plan's role edited to one that cannot be assumed
python3 -c 'import json,sys
p = json.load(open(sys.argv[1])); p["roleArn"] = "arn:aws:iam::%s:role/Audit" % sys.argv[2]
json.dump(p, open(sys.argv[3], "w"))' "$WORK/m0.json" "$M2" "$WORK/m2.json"
run "$A" --region $R apply --yes --no-wait --audit-log "$WORK/audit.jsonl" "$WORK/m2.json"
assert_status 2
assert_match "^ecsfix: cannot assume arn:aws:iam::$M2:role/Audit: "
# read back as M0 (through Audit): still one revision, the service on it
run "$A" --accounts "$M0" --role-name Audit --region $R scan --output json --no-cache
run python3 -c 'import json,sys
r = json.loads(sys.argv[1])
print(sorted(t["arn"] for t in r["taskDefinitions"]), [s["taskDefinition"] for s in r["services"]])' "$OUT"
assert_match "^\['arn:aws:ecs:$R:$M0:task-definition/web-$R:1'\] \['arn:aws:ecs:$R:$M0:task-definition/web-$R:1'\]$"
run python3 -c 'import json,sys
for l in open(sys.argv[1]):
    l = json.loads(l); print(l["action"], l["account"], l.get("roleArn"), l["outcome"])' "$WORK/audit.jsonl"
# the denied register, recorded with the role it was tried as
assert_match "^register $M0 $ROLE0 AccessDenied"
assert_no_match " ok$"
finish
