#!/bin/sh
# test-scan-org.sh: one scan across an organization in moto (tests/scan/seed_org.py: 3 member
# accounts x 2 regions, a role "Audit" the scanner may assume in two of them): the member
# whose role cannot be assumed is UNKNOWN with the reason, the others are complete; every
# entry carries accountId and region; findings are joined per account and region; the table
# gets ACCOUNT and REGION columns and fits 80 columns.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
AUTH=200
moto_start --auth $AUTH || exit 1
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"
moto_python "${TOP_SRCDIR:-.}/tests/scan/seed_org.py" --pad-requests-to $AUTH >"$tmp/seed.json" ||
	{ echo "FAIL: seeding the organization"; exit 1; }
AWS_ACCESS_KEY_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"]["AccessKeyId"])' "$tmp/seed.json")
AWS_SECRET_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"]["SecretAccessKey"])' "$tmp/seed.json")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
unset AWS_SESSION_TOKEN AWS_PROFILE
# the same keys as a profile, for --findings-from
printf '[mgmt]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >"$tmp/credentials"
AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials AWS_CONFIG_FILE=$tmp/config
export AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE
: >"$tmp/config"

jcheck() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
seed = json.load(open(sys.argv[2]))
m = seed["members"]
ok = eval(sys.argv[3])
if not ok:
    print("FAIL: %s" % sys.argv[3])
    print(json.dumps(r.get("targets"), indent=1)[:3000])
sys.exit(0 if ok else 1)' "$1" "$tmp/seed.json" "$2"
}

# the organization, 2 regions, findings per target
"$ECSFIX_BIN" scan --organization --role-name Audit --regions us-east-1,eu-west-1 \
	--output json >"$tmp/org.json" 2>"$tmp/org.err"
STATUS=$? LAST="scan --organization" OUT=$(cat "$tmp/org.err")
assert_status 1
# 4 accounts (the management one with its own credentials) x 2 regions
run jcheck "$tmp/org.json" 'len(r["targets"]) == 8'
assert_status 0
run jcheck "$tmp/org.json" '[t["status"] for t in r["targets"] if t["accountId"] == m[2]] == ["UNKNOWN", "UNKNOWN"]'
assert_status 0
run jcheck "$tmp/org.json" 'all("AssumeRole" in t["reason"] and "Audit" in t["reason"] for t in r["targets"] if t["accountId"] == m[2])'
assert_status 0
run jcheck "$tmp/org.json" 'all(t["status"] == "COMPLETE" and t["services"] == t["servicesFailing"] == 1 for t in r["targets"] if t["accountId"] in m[:2])'
assert_status 0
run jcheck "$tmp/org.json" 'all(t["roleArn"] == "arn:aws:iam::%s:role/Audit" % t["accountId"] for t in r["targets"] if t["accountId"] in m)'
assert_status 0
run jcheck "$tmp/org.json" 'all(t["roleArn"] is None for t in r["targets"] if t["accountId"] == "123456789012")'
assert_status 0
run jcheck "$tmp/org.json" 'sorted({t["accountName"] for t in r["targets"] if t["accountId"] in m}) == ["member-0", "member-1", "member-2"]'
assert_status 0
# each reachable member: its service in each region, on its own revision, with its finding
run jcheck "$tmp/org.json" 'sorted((s["accountId"], s["region"]) for s in r["services"]) == sorted((a, g) for a in m[:2] for g in ("us-east-1", "eu-west-1"))'
assert_status 0
run jcheck "$tmp/org.json" 'all(s["arn"].split(":")[4] == s["accountId"] and s["arn"].split(":")[3] == s["region"] and s["status"] == "FAILED" for s in r["services"])'
assert_status 0
run jcheck "$tmp/org.json" 'all(len(s["findings"]) == 1 and s["findings"][0] == "finding-%s-%s" % (s["accountId"], s["region"]) for s in r["services"])'
assert_status 0
run jcheck "$tmp/org.json" 'all(f["accountId"] in m[:2] and f["region"] in ("us-east-1", "eu-west-1") for f in r["findings"]) and len(r["findings"]) == 4'
assert_status 0
run jcheck "$tmp/org.json" 'all(x["accountId"] and x["region"] for k in ("clusters", "taskDefinitions") for x in r[k])'
assert_status 0
run jcheck "$tmp/org.json" 'r["account"] is None and r["region"] is None and r["summary"]["exitCode"] == 1'
assert_status 0
# progress per target on stderr
run cat "$tmp/org.err"
assert_match "\[8/8\]"
assert_match "UNKNOWN: cannot assume arn:aws:iam::[0-9]+:role/Audit"

# listed accounts, one region, the table at 80 columns
M0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["members"][0])' "$tmp/seed.json")
M2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["members"][2])' "$tmp/seed.json")
COLUMNS=80 "$ECSFIX_BIN" scan --accounts "$M0,$M2" --role-name Audit --region eu-west-1 \
	>"$tmp/table.txt" 2>"$tmp/table.err"
STATUS=$? LAST="scan --accounts (table)" OUT=$(cat "$tmp/table.txt")
assert_status 1
assert_match '^STATUS +ACCOUNT +'
assert_match "^FAILED +$M0 "
assert_no_match 'REGION'
awk '/^$/ { exit } length($0) > 80 { bad = 1 } END { exit bad }' "$tmp/table.txt" ||
	_fail "a line of the table is wider than 80 columns"
assert_match "^  $M2 eu-west-1: AssumeRole: .*not authorized"
run cat "$tmp/table.err"
assert_match "$M2 eu-west-1 as arn:aws:iam::$M2:role/Audit: UNKNOWN"

# findings once from the aggregator (the management account), filtered to the targets
"$ECSFIX_BIN" scan --accounts "$M0" --role-name Audit --regions us-east-1,eu-west-1 \
	--findings-from mgmt@us-east-1 --output json >"$tmp/agg.json" 2>/dev/null
STATUS=$? LAST="scan --findings-from"
assert_status 1
run jcheck "$tmp/agg.json" 'len(r["targets"]) == 2 and all(t["status"] == "COMPLETE" for t in r["targets"])'
assert_status 0

# every enabled region (EC2 DescribeRegions) of the caller's account
"$ECSFIX_BIN" scan --all-regions --no-findings --output json >"$tmp/all.json" 2>/dev/null
STATUS=$? LAST="scan --all-regions"
assert_status 0
run jcheck "$tmp/all.json" 'len(r["targets"]) > 10 and len({t["region"] for t in r["targets"]}) == len(r["targets"]) and "eu-west-1" in {t["region"] for t in r["targets"]} and all(t["status"] == "COMPLETE" for t in r["targets"])'
assert_status 0

# several --profile values: one target each (here the same account; each profile's region)
printf '[profile mgmt]\nregion = us-east-1\n[profile mgmt2]\nregion = eu-west-1\n' >"$tmp/config"
printf '[mgmt2]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >>"$tmp/credentials"
env -u AWS_REGION -u AWS_DEFAULT_REGION "$ECSFIX_BIN" scan --profile mgmt --profile mgmt2 --output json >"$tmp/prof.json" 2>/dev/null
STATUS=$? LAST="scan --profile mgmt --profile mgmt2"
assert_status 0
run jcheck "$tmp/prof.json" '[(t["accountId"], t["region"], t["status"]) for t in r["targets"]] == [("123456789012", "us-east-1", "COMPLETE"), ("123456789012", "eu-west-1", "COMPLETE")]'
assert_status 0

# the session name names ecsfix and the user; the external id is passed on
USER=alice "$ECSFIX_BIN" --debug="$tmp/trace.txt" scan --accounts "$M0" --role-name Audit \
	--external-id ext-7 --no-findings >/dev/null 2>&1
STATUS=$? LAST="scan --debug (session name)"
assert_status 1
run grep -c 'RoleSessionName=ecsfix-alice' "$tmp/trace.txt"
assert_match '^[1-9]'
run grep -c 'ExternalId=ext-7' "$tmp/trace.txt"
assert_match '^[1-9]'

# the config-file equivalents, in the profile's section
cat >>"$tmp/config" <<EOF2
[profile cfg]
ecsfix_accounts = $M0
ecsfix_role_name = Audit
ecsfix_regions = us-east-1, eu-west-1
EOF2
printf '[cfg]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >>"$tmp/credentials"
"$ECSFIX_BIN" scan --profile cfg --no-findings --output json >"$tmp/cfg.json" 2>/dev/null
STATUS=$? LAST="scan --profile cfg (ecsfix_* settings)"
assert_status 1
run jcheck "$tmp/cfg.json" '[(t["accountId"], t["region"], t["status"]) for t in r["targets"]] == [(m[0], "us-east-1", "COMPLETE"), (m[0], "eu-west-1", "COMPLETE")]'
assert_status 0

# without --role-name: a clear error
run "$ECSFIX_BIN" scan --accounts "$M0"
assert_status 2
assert_match '^ecsfix: --accounts and --organization need --role-name NAME'
run "$ECSFIX_BIN" scan --accounts 12345 --role-name Audit
assert_status 2
assert_match '^ecsfix: --accounts: "12345" is not valid'

finish
