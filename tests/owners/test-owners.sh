#!/bin/sh
# test-owners.sh: owners in scan (revision tag, else service tag, else none; --owner-tags and
# the config file), and least privilege in plan (--cap-add/--device: privileged false plus
# exactly the capability, nothing else; invalid names and Fargate exit 2), against moto.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
moto_start || exit 1
python3 "$TOP_SRCDIR/tests/owners/seed_owners.py" "$MOTO_URL" || { echo "FAIL: seeding"; exit 1; }
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"
HOME=$tmp
ECSFIX_CONFIG=$tmp/none.json
export HOME ECSFIX_CONFIG

jcheck() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("FAIL: %s" % sys.argv[2])
sys.exit(0 if ok else 1)' "$1" "$2"
}
# json_run FILE ARGS...: ecsfix ARGS > FILE, status in STATUS
json_run() {
	_f=$1
	shift
	"$ECSFIX_BIN" "$@" >"$_f" 2>"$_f.err"
	STATUS=$? LAST="$*" OUT=$(cat "$_f.err")
}

# scan JSON: owner and source for every service and revision
json_run "$tmp/scan.json" scan --cluster own --output json --no-findings
assert_status 1
run jcheck "$tmp/scan.json" '{s["name"]: s["owner"] for s in r["services"]} == {"s-tagged": {"name": "alice", "source": "tag:owner"}, "s-untagged": {"name": "payments", "source": "service-tag:team"}, "s-bare": None}'
assert_status 0
run jcheck "$tmp/scan.json" '{t["family"]: t["owner"] and t["owner"]["name"] for t in r["taskDefinitions"]} == {"tagged": "alice", "untagged": "payments", "bare": None}'
assert_status 0
# the table's OWNER column
run "$ECSFIX_BIN" scan --cluster own --no-findings
assert_status 1
assert_match '^STATUS +CLUSTER +SERVICE .* OWNER$'
assert_match '^FAILED +own +s-tagged .* alice$'
assert_match '^FAILED +own +s-untagged .* payments$'
assert_match '^FAILED +own +s-bare .* -$'
# other keys: --owner-tags, then the config file (the option wins)
json_run "$tmp/squad.json" scan --cluster own --output json --no-findings --owner-tags squad,env
run jcheck "$tmp/squad.json" '{s["name"]: s["owner"] and s["owner"]["source"] for s in r["services"]} == {"s-tagged": "tag:squad", "s-untagged": "tag:env", "s-bare": None}'
assert_status 0
echo '{"ownerTags": ["env"]}' >"$ECSFIX_CONFIG"
json_run "$tmp/cfg.json" scan --cluster own --output json --no-findings
run jcheck "$tmp/cfg.json" '{s["name"]: s["owner"] and s["owner"]["name"] for s in r["services"]} == {"s-tagged": None, "s-untagged": "prod", "s-bare": None}'
assert_status 0
json_run "$tmp/cfg2.json" scan --cluster own --output json --no-findings --owner-tags owner
run jcheck "$tmp/cfg2.json" '[s["owner"]["name"] for s in r["services"] if s["owner"]] == ["alice"]'
assert_status 0
echo '{"ownerTags": 7}' >"$ECSFIX_CONFIG"
run "$ECSFIX_BIN" scan --cluster own --no-findings
assert_status 2
assert_match "^ecsfix: $ECSFIX_CONFIG: ownerTags must be"
rm -f "$ECSFIX_CONFIG"
run "$ECSFIX_BIN" scan --cluster own --owner-tags 'a,,b'
assert_status 2
assert_match '^ecsfix: --owner-tags: '
run "$ECSFIX_BIN" scan --group-by owner
assert_status 2
assert_match 'goes with --output markdown'

# --cap-add NET_ADMIN: privileged false and exactly that capability, nothing else
json_run "$tmp/cap.json" plan --task-definition tagged --cap-add NET_ADMIN --format json
assert_status 0
run python3 - "$tmp/cap.json" <<'PY'
import copy, json, sys
p = json.load(open(sys.argv[1]))
want = copy.deepcopy(p["source"]["document"])
c = want["containerDefinitions"][0]
assert c["privileged"] is True
c["privileged"] = False
c["linuxParameters"] = {"capabilities": {"add": ["NET_ADMIN"]}}
assert p["proposed"] == want, (p["proposed"], want)
assert p["options"]["capAdd"] == ["NET_ADMIN"]
PY
assert_status 0
# merged with a device, recorded in the plan file
run "$ECSFIX_BIN" plan --task-definition tagged --cap-add sys_ptrace,NET_ADMIN \
	--device /dev/fuse --device /dev/snd:/dev/snd:rw -o "$tmp/cap.plan"
assert_status 0
assert_match 'linuxParameters.capabilities.add \+ SYS_PTRACE'
assert_match 'linuxParameters.devices \+ /dev/snd -> /dev/snd \["read","write"\]'
run jcheck "$tmp/cap.plan" 'r["options"]["capAdd"] == ["SYS_PTRACE", "NET_ADMIN"] and r["options"]["devices"] == [{"hostPath": "/dev/fuse"}, {"hostPath": "/dev/snd", "containerPath": "/dev/snd", "permissions": ["read", "write"]}] and r["proposed"]["containerDefinitions"][0]["linuxParameters"]["devices"][1]["hostPath"] == "/dev/snd"'
assert_status 0
# invalid names, bad devices, Fargate: exit 2, one line
for args in "--cap-add NET_ADMINN" "--cap-add NET_ADMIN,,SYS_TIME" "--device dev/fuse" \
	"--device /dev/a:/dev/b:rx"; do
	# shellcheck disable=SC2086 # word splitting wanted
	run "$ECSFIX_BIN" plan --task-definition tagged $args
	assert_status 2
	assert_match '^ecsfix: plan: '
	[ "$(echo "$OUT" | wc -l)" -eq 1 ] || _fail "more than one line"
done
run "$ECSFIX_BIN" plan --task-definition fg --cap-add NET_ADMIN
assert_status 2
assert_match 'Fargate accepts only SYS_PTRACE'
run "$ECSFIX_BIN" plan --task-definition fg --cap-add SYS_PTRACE --format json
assert_status 0
run "$ECSFIX_BIN" plan --task-definition fg --device /dev/fuse
assert_status 2
assert_match 'Fargate does not support host devices'
run "$ECSFIX_BIN" plan --task-definition tagged --format yaml
assert_status 2
finish
