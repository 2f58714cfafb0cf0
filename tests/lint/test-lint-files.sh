#!/bin/sh
# test-lint-files.sh: what 'lint --fix' does to files: a FIFO is refused without hanging, mode,
# owner and hard links are kept, leftovers of a killed --fix are removed; --cap-add/--device;
# exceptions from .ecsfix.json; --user validation; notes from the corpus (no portMappings).
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
D="$TOP_SRCDIR/tests/data/lint"
T=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-lint.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
mkdir .git # the repository root for .ecsfix.json

# a FIFO: refused at once (nobody writes to it: opening it would block)
mkfifo pipe.json
run timeout 120 "$ECSFIX_BIN" lint pipe.json
assert_status 2
assert_match '^ecsfix: pipe\.json: not a regular file \(a FIFO\): ecsfix lints files$'

# mode and owner kept; a hard link edited in place, so both names see the fix
cp "$D/register-2space.json" m.json
chmod 640 m.json
run "$ECSFIX_BIN" lint --fix m.json
assert_status 0
_checks=$((_checks + 1))
[ "$(stat -c %a m.json)" = 640 ] || _fail "mode $(stat -c %a m.json), expected 640"
if [ "$(id -u)" -eq 0 ]; then
	cp "$D/register-2space.json" o.json
	chown 65534:65534 o.json
	run "$ECSFIX_BIN" lint --fix o.json
	assert_status 0
	_checks=$((_checks + 1))
	[ "$(stat -c %u:%g o.json)" = 65534:65534 ] || _fail "owner $(stat -c %u:%g o.json)"
fi
cp "$D/register-2space.json" h.json
ln h.json h2.json
ino=$(stat -c %i h.json)
run "$ECSFIX_BIN" lint --fix h.json
assert_status 0
assert_match '^h\.json: note: h\.json has 2 hard links: written in place so every link sees the fix'
_checks=$((_checks + 1))
[ "$(stat -c %i h.json)" = "$ino" ] && cmp -s h.json h2.json &&
	cmp -s h.json "$D/expected/register-2space.json" || _fail "the hard link was not fixed in place"

# leftovers of a killed --fix (their process is gone) are removed; a live one's stays
dead=$(sh -c 'echo $$')
cp "$D/register-2space.json" k.json
echo partial >"k.json.ecsfix-tmp.$dead"
echo busy >"k.json.ecsfix-tmp.$$"
run "$ECSFIX_BIN" lint --fix k.json
assert_match "^k\.json: note: removed .*k\.json\.ecsfix-tmp\.$dead, left by an interrupted --fix$"
_checks=$((_checks + 1))
[ ! -e "k.json.ecsfix-tmp.$dead" ] && [ -e "k.json.ecsfix-tmp.$$" ] || _fail "leftovers: $(ls)"
rm -f "k.json.ecsfix-tmp.$$"

# --cap-add / --device: privileged false plus what the container needs, merged
cp "$D/register-2space.json" c.json
run "$ECSFIX_BIN" lint --fix --cap-add net_admin,SYS_PTRACE --device /dev/fuse:/dev/fuse:rw c.json
assert_status 0
assert_match '^c\.json:5: fixed: container "web": linuxParameters added \(capabilities\)$'
assert_match '^c\.json:40: fixed: container "agent": \["NET_ADMIN"\] added to linuxParameters\.capabilities\.add$'
assert_match '^c\.json:38: fixed: container "agent": linuxParameters\.devices added$'
_checks=$((_checks + 1))
grep -q '"linuxParameters": { "capabilities": { "add": \[ "NET_ADMIN", "SYS_PTRACE" \] }, "devices": \[ { "hostPath": "/dev/fuse", "containerPath": "/dev/fuse", "permissions": \[ "read", "write" \] } \] }' c.json ||
	_fail "web has no linuxParameters: $(cat c.json)"
_checks=$((_checks + 1))
grep -q '"SYS_PTRACE", "NET_ADMIN"$' c.json || _fail "agent's add list not merged: $(cat c.json)"
cp "$D/register-2space.json" c2.json
run "$ECSFIX_BIN" lint --fix --cap-add NET_ADMINS c2.json
assert_status 2
assert_match '^ecsfix: lint: --cap-add: "NET_ADMINS" is not a Linux capability ECS accepts'
run "$ECSFIX_BIN" lint --fix --device dev/fuse c2.json
assert_status 2
assert_match '^ecsfix: lint: --device: "dev/fuse" is not HOST\[:CONTAINER\[:PERMS\]\]'
printf '{"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",\n "containerDefinitions": [{"name": "a", "privileged": true, "user": "1000"}]}\n' >fg.json
run "$ECSFIX_BIN" lint --fix --cap-add NET_ADMIN fg.json
assert_status 2
assert_match 'Fargate accepts only --cap-add SYS_PTRACE and no --device; the file is unchanged'
run "$ECSFIX_BIN" lint --fix --cap-add SYS_PTRACE fg.json
assert_status 0

# --user is UID[:GID] or name[:group], nothing else
run "$ECSFIX_BIN" lint --fix --user '1000; rm -rf /' m.json
assert_status 2
assert_match '^ecsfix: lint: --user "1000; rm -rf /" is not UID\[:GID\] or name\[:group\]'
printf '{"family": "u", "containerDefinitions": [{"name": "a", "image": "a"}]}\n' >u.json
run "$ECSFIX_BIN" lint --fix --user 'app:staff' u.json
assert_status 0
assert_match '^u\.json:1: fixed: container "a": user \(not set\) -> "app:staff"$'
# --user on a container that mounts the Docker socket: a note
printf '{"family": "d", "volumes": [{"name": "sock", "host": {"sourcePath": "/var/run/docker.sock"}}],\n "containerDefinitions": [{"name": "agent", "image": "a",\n  "mountPoints": [{"sourceVolume": "sock", "containerPath": "/var/run/docker.sock"}]}]}\n' >sock.json
run "$ECSFIX_BIN" lint --fix --user 1000 sock.json
assert_status 0
assert_match '^sock\.json: note: container "agent" mounts /var/run/docker\.sock: it talks to the Docker daemon, which needs access to the socket'

# leaving host mode without portMappings: a note that nothing is published
printf '{"family": "h", "networkMode": "host",\n "containerDefinitions": [{"name": "a", "image": "a", "user": "1000"}]}\n' >np.json
run "$ECSFIX_BIN" lint --fix --network-mode bridge np.json
assert_status 0
assert_match 'container "a" declares no portMappings: in host mode it used the instance.s ports directly; in bridge mode nothing is published'

# exceptions: EXCEPTED does not fail; an expired one fails again with a note
printf '{"family": "x", "containerDefinitions": [\n {"name": "web", "image": "w", "user": "1000", "privileged": true}]}\n' >sub.json
mkdir -p sub && mv sub.json sub/td.json
cat >.ecsfix.json <<'JSON'
{"exceptions": [{"family": "x", "container": "web", "controls": ["ECS.4"],
  "reason": "needs the GPU driver", "approvedBy": "security", "until": "2999-12-31"}]}
JSON
run "$ECSFIX_BIN" lint sub/td.json
assert_status 0
assert_match '^sub/td\.json:2: ECS\.4 EXCEPTED container "web": privileged is true.* \(excepted: needs the GPU driver, until 2999-12-31\)$'
run "$ECSFIX_BIN" lint --output json sub/td.json
assert_match '"status": "EXCEPTED"'
assert_match '"approvedBy": "security"'
run "$ECSFIX_BIN" lint --no-exceptions sub/td.json
assert_status 1
sed -i 's/2999-12-31/2001-01-31/' .ecsfix.json
run "$ECSFIX_BIN" lint sub/td.json
assert_status 1
assert_match '^sub/td\.json:2: ECS\.4 container "web": privileged is true.* \(its exception expired on 2001-01-31\)$'
assert_match 'note: .*\.ecsfix\.json: the exception for ECS\.4 web expired on 2001-01-31: it fails again$'
echo 'not json' >.ecsfix.json
run "$ECSFIX_BIN" lint sub/td.json
assert_status 1
assert_match 'note: .*\.ecsfix\.json: no exceptions applied'

# the pre-commit hook definitions: valid, and their file pattern picks the files lint reads
if python3 -c 'import yaml' 2>/dev/null; then
	run python3 - "$TOP_SRCDIR/.pre-commit-hooks.yaml" <<'PY'
import re, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
for h in hooks:
    assert {"id", "name", "entry", "language", "files"} <= set(h), h
    assert h["entry"].startswith("ecsfix lint") and h["language"] == "system", h
    pat = re.compile(h["files"])
    for yes in ("deploy/taskdef.json", "ecs/app-task-definition.json", "infra/main.tf",
                "cloudformation/service.yaml", "cdk.out/Stack.template.json"):
        assert pat.search(yes), (h["id"], yes)
    for no in ("package.json", "docs/readme.yaml", "main.go"):
        assert not pat.search(no), (h["id"], no)
print("hooks:", " ".join(h["id"] for h in hooks))
PY
	assert_status 0
	assert_match '^hooks: ecsfix-lint ecsfix-lint-fix$'
fi
finish
