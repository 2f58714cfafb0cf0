#!/bin/sh
# test-tui-org.sh: issue 11 in the TUI, under tmux: an organization in moto
# (tests/scan/seed_org.py: 3 members x 2 regions; the Audit role cannot be assumed in the third)
# scanned with --organization --role-name Audit --regions: the header counts the targets while
# it loads (moto behind the delay proxy), ACCOUNT and REGION columns, :accounts with the
# unreachable member UNKNOWN and why, Enter and /region: filtering, and a fix in a member
# account planned and applied there (through the target's assumed role), checked with boto3.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
. "${TOP_SRCDIR:-.}/tests/tui/tui-lib.sh"

AUTH=200
moto_start --auth $AUTH || exit 1
tui_lib_init
moto_python "$TOP_SRCDIR/tests/scan/seed_org.py" --pad-requests-to $AUTH >"$WORK/seed.json" ||
	{ echo "FAIL: seeding the organization"; exit 1; }
seed() {
	python3 -c 'import json, sys; print(eval(sys.argv[2], {}, json.load(open(sys.argv[1]))))' \
		"$WORK/seed.json" "$1"
}
AWS_ACCESS_KEY_ID=$(seed 'keys["AccessKeyId"]')
AWS_SECRET_ACCESS_KEY=$(seed 'keys["SecretAccessKey"]')
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
M0=$(seed 'members[0]')
M2=$(seed 'members[2]')
python3 "$TOP_SRCDIR/bench/delay_proxy.py" --target "$MOTO_URL" --delay-ms 150 \
	--port-file "$WORK/proxy.port" >/dev/null 2>&1 &
proxy=$!
cleanup_add "kill $proxy"
i=0
while [ ! -s "$WORK/proxy.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$WORK/proxy.port")

# what member M0 runs in us-east-1 (boto3 through the Audit role)
member_td() {
	moto_python - "$M0" <<'PY'
import sys, boto3
sts = boto3.client("sts")
c = sts.assume_role(RoleArn="arn:aws:iam::%s:role/Audit" % sys.argv[1],
                    RoleSessionName="check")["Credentials"]
ecs = boto3.client("ecs", region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                   aws_secret_access_key=c["SecretAccessKey"],
                   aws_session_token=c["SessionToken"])
s = ecs.describe_services(cluster="apps", services=["web"])["services"][0]
print(s["taskDefinition"].rsplit("/", 1)[1])
PY
}

TUI_W=140 TUI_H=34 launch "--organization --role-name Audit --regions us-east-1,eu-west-1"
step "targets " 60
step "scanned" 120
run tui_screen
assert_match "ACCOUNT +REGION +CLUSTER +SERVICE"
assert_match "$M0 +us-east-1 +apps +web"
assert_match "$M0 +eu-west-1 +apps +web"
tui_keys : a c c o u n t s Enter
step "Accounts and regions: 8"
run tui_screen
assert_match "$M2 +us-east-1 +UNKNOWN .*cannot assume arn:aws:iam::$M2:role/Audit"
assert_match "$M0 +eu-west-1 +COMPLETE +1 +1"
tui_keys : s e r v i c e s Enter / r e g i o n : e u - w e s t Enter
step "[/region:eu-west]"
run tui_screen
assert_no_match "us-east-1 +apps"
assert_match "$M0 +eu-west-1 +apps +web"
# several terms: all must match
tui_keys / a c c o u n t : "$M0" Space r e g i o n : u s - e a s t Enter
step "[/account:$M0 region:us-east]"
run tui_screen
assert_match "$M0 +us-east-1 +apps +web"
assert_no_match "eu-west-1 +apps|$M2"
run member_td
assert_match "^web-us-east-1:1$"
tui_keys d
step '"privileged": false' 60
tui_keys a
step "Approve the change"
tui_keys y e s Enter
# the seed's Audit role may read only: the change is refused in the member account, by its
# role (so it went there, and nowhere else)
step "Outcome: FAILED" 120
run tui_screen
assert_match "assumed-role/Audit"
assert_match "$M0"
assert_no_match "ecsfix lint --fix|b: roll"
tui_keys q
restored 0
tui_stop
run member_td
assert_match "^web-us-east-1:1$"
finish
