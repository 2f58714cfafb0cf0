#!/bin/sh
# test-lint-check.sh: 'ecsfix lint' on each accepted shape and format: lines, controls, exit codes,
# text, json and sarif output.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
D="$TOP_SRCDIR/tests/data/lint"
cd "$D" || exit 2

# The same task definition in every shape and format: two privileged containers, exit 1.
for f in register-2space register-4space register-tab describe containers; do
	run "$ECSFIX_BIN" lint "$f.json"
	assert_status 1
	assert_match "^$f\.json:[0-9]+: ECS\.4 container \"web\": privileged is true"
	assert_match "^$f\.json:[0-9]+: ECS\.4 container \"agent\": privileged is true"
	assert_no_match "ECS\.4 container \"log\""
	assert_no_match "ECS\.20"
done
# LINE is the line of the offending value, in each format
run "$ECSFIX_BIN" lint register-2space.json
want=$(grep -n '"privileged": true' register-2space.json | cut -d: -f1 | tr '\n' ' ')
got=$(echo "$OUT" | grep ECS.4 | cut -d: -f2 | tr '\n' ' ')
_checks=$((_checks + 1))
[ "$want" = "$got" ] || _fail "ECS.4 lines '$got', expected '$want'"
run "$ECSFIX_BIN" lint register-tab.json
assert_match '^register-tab\.json:10: ECS\.4 container "web"'
assert_match '^register-tab\.json:36: ECS\.4 container "agent"'
run "$ECSFIX_BIN" lint describe.json
assert_match '^describe\.json:12: ECS\.4 container "web"'
run "$ECSFIX_BIN" lint register-min.json
assert_status 1
assert_match '^register-min\.json:1: ECS\.4 container "web"'

# Exact text output, with information-only controls marked
run "$ECSFIX_BIN" lint host-root.json
assert_status 1
expected='host-root.json:3: ECS.17: networkMode is host: containers share the instance'"'"'s network stack and ports; use bridge or awsvpc (--network-mode)
host-root.json:6: ECS.20 container "daemon": no user is set, so the container runs as the image'"'"'s user, usually root: set "user" to a non-root UID (e.g. --user 1000)
host-root.json:6: ECS.5 container "daemon": readonlyRootFilesystem is not set: the container can write to its root filesystem (set it to true and mount volumes where it writes) (information)
host-root.json:9: ECS.4 container "daemon": privileged is true: the container gets all capabilities and the host'"'"'s devices, as root on the instance; set it to false (add only the capabilities it needs under linuxParameters.capabilities)
host-root.json:23: ECS.20 container "helper": user "root" is root: set "user" to a non-root UID (e.g. --user 1000)
host-root.json:23: ECS.1 container "helper": runs as root in host network mode without being privileged: set a non-root user (--user) or leave host mode (--network-mode) (information)'
_checks=$((_checks + 1))
[ "$OUT" = "$expected" ] || _fail "text output differs from the expected lines"

# --controls chooses what decides the exit code
run "$ECSFIX_BIN" lint clean.json
assert_status 0
assert_no_match "ECS\.(4|17|20) "
run "$ECSFIX_BIN" lint --controls ECS.5 clean.json
assert_status 1
assert_match '^clean\.json:[0-9]+: ECS\.5 container "app": readonlyRootFilesystem is not set: .*writes\)$'
run "$ECSFIX_BIN" lint --controls ECS.17 register-2space.json
assert_status 0
assert_match "ECS\.4 container \"web\": .*\(information\)$"
run "$ECSFIX_BIN" lint --controls ecs.4,ECS.17 host-root.json
assert_status 1
run "$ECSFIX_BIN" lint --controls ECS.99 clean.json
assert_status 2
assert_match "^ecsfix: lint: --controls: unknown control \"ECS.99\" \(known controls: ECS.4, "
run "$ECSFIX_BIN" lint --output yaml clean.json
assert_status 2
run "$ECSFIX_BIN" lint
assert_status 2
assert_match "no files given"
run "$ECSFIX_BIN" lint --user 1000 clean.json
assert_status 2
assert_match "only apply with --fix"
run "$ECSFIX_BIN" lint --fix --user root clean.json
assert_status 2
assert_match "is root"

# Several files: the worst status wins
run "$ECSFIX_BIN" lint clean.json register-2space.json
assert_status 1
run "$ECSFIX_BIN" lint clean.json /nonexistent/x.json register-2space.json
assert_status 2
assert_match "register-2space\.json:10: ECS\.4"

if ! command -v python3 >/dev/null 2>&1; then
	echo "python3 missing: json/sarif structure not checked"
	finish
	exit $?
fi

# --output json
run "$ECSFIX_BIN" lint --output json register-2space.json clean.json /nonexistent/x.json
assert_status 2
echo "$OUT" | sed -n '/^{/,$p' >"${TMPDIR:-/tmp}/ecsfix-lint-$$.json"
run python3 - "${TMPDIR:-/tmp}/ecsfix-lint-$$.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["files"]
assert [x["file"] for x in f] == ["register-2space.json", "clean.json", "/nonexistent/x.json"], f
e4 = [x for x in f[0]["findings"] if x["control"] == "ECS.4"]
assert [(x["container"], x["line"], x["decides"], x["severity"]) for x in e4] == \
    [("web", 10, True, "HIGH"), ("agent", 36, True, "HIGH")], e4
assert f[0]["shape"] == "register"
assert all(not x["decides"] for x in f[1]["findings"]), f[1]
assert "No such file" in f[2]["error"], f[2]
assert d["summary"]["errors"] == 1 and d["summary"]["deciding"] == 2, d["summary"]
print("json ok")
PY
assert_status 0
assert_match "json ok"

# --output sarif: SARIF 2.1.0 with rules, results and start lines
run "$ECSFIX_BIN" lint --output sarif describe.json host-root.json
assert_status 1
echo "$OUT" >"${TMPDIR:-/tmp}/ecsfix-lint-$$.json"
run python3 - "${TMPDIR:-/tmp}/ecsfix-lint-$$.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0" and "sarif" in d["$schema"]
run = d["runs"][0]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
assert ids[:3] == ["ECS.4", "ECS.17", "ECS.20"], ids
res = run["results"]
for r in res:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["region"]["startLine"] >= 1
got = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"])
             for r in res if r["ruleId"] in ("ECS.4", "ECS.17", "ECS.5"))
assert ("ECS.4", "describe.json", 12, "error") in got, got
assert ("ECS.17", "host-root.json", 3, "error") in got, got
assert ("ECS.5", "host-root.json", 6, "note") in got, got
assert run["invocations"][0]["executionSuccessful"] is True
print("sarif ok")
PY
assert_status 0
assert_match "sarif ok"
rm -f "${TMPDIR:-/tmp}/ecsfix-lint-$$.json"

finish
