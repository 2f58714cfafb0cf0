#!/bin/sh
# test-lint-formats.sh: CloudFormation (YAML block/flow, comments, anchors, short tags; JSON with
# intrinsic functions), Terraform (.tf with jsonencode, heredoc, file(), templatefile(); a plan),
# templates with placeholders: verdicts, UNKNOWN, byte-exact --fix, --output github, errors
# with a caret.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
D="$TOP_SRCDIR/tests/data/lint/shapes"
T=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-lint.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cp -r "$D"/. "$T"/
cd "$T" || exit 2

# CloudFormation YAML: resource logical ids, lines of the values, tags are UNKNOWN
run "$ECSFIX_BIN" lint cfn.yaml
assert_status 1
assert_match '^cfn\.yaml:15: ECS\.17 resource Web: networkMode is host'
assert_match '^cfn\.yaml:19: ECS\.4 resource Web container "web": privileged is true'
assert_match '^cfn\.yaml:20: ECS\.20 resource Web container "web": user "0" is root'
assert_match '^cfn\.yaml:25: ECS\.4 resource Web container "sidecar": privileged is true'
assert_match '^cfn\.yaml:29: ECS\.17 UNKNOWN resource Conditional: cannot decide: networkMode is a CloudFormation function \(!Ref Mode\)'
assert_match '^cfn\.yaml:33: ECS\.4 UNKNOWN resource Conditional container "agent": cannot decide: privileged is a CloudFormation function \(!If \[Debug, true, false\]\)'
assert_match '^cfn\.yaml:34: ECS\.20 UNKNOWN resource Conditional container "agent"'
assert_no_match 'ECS\.20 resource Web container "sidecar"'
# a merge key: the anchor's members count as written here; the finding is at the anchor
printf 'x-base: &base\n  Image: app\n  Privileged: true\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - <<: *base\n          Name: merged\n          User: "1000"\n' >merge.yaml
run "$ECSFIX_BIN" lint merge.yaml
assert_status 1
assert_match '^merge\.yaml:3: ECS\.4 resource T container "merged": privileged is true'
# UNKNOWN alone does not fail
run "$ECSFIX_BIN" lint --controls ECS.4 cfn.json
assert_status 1
assert_match '^cfn\.json:8: ECS\.4 resource Task container "app": privileged is true'
assert_match '^cfn\.json:6: ECS\.17 UNKNOWN resource Task: cannot decide: networkMode is a CloudFormation function \(\{"Ref": "Mode"\}\).*\(information\)$'
run "$ECSFIX_BIN" lint --controls ECS.17 cfn.json
assert_status 0
# SARIF carries the logical id; JSON the status
run "$ECSFIX_BIN" lint --output sarif cfn.yaml
assert_match '"name": "Web"'
assert_match '"kind": "review"'
run "$ECSFIX_BIN" lint --output json cfn.yaml
assert_match '"shape": "cloudformation"'
assert_match '"status": "UNKNOWN"'
assert_match '"resource": "Conditional"'

# Terraform: every form of container_definitions; file() and templatefile() are linted too
run "$ECSFIX_BIN" lint main.tf
assert_status 1
assert_match '^main\.tf:4: ECS\.17 resource aws_ecs_task_definition\.encoded: networkMode is host'
assert_match '^main\.tf:9: ECS\.4 resource aws_ecs_task_definition\.encoded container "web"'
assert_match '^main\.tf:10: ECS\.20 resource aws_ecs_task_definition\.encoded container "web": user "root" is root'
assert_match '^main\.tf:16: ECS\.4 UNKNOWN resource aws_ecs_task_definition\.encoded container "agent": cannot decide: privileged is a Terraform expression \(var\.debug\)'
assert_match '^main\.tf:25: ECS\.4 resource aws_ecs_task_definition\.heredoc container "app"'
assert_match '^main\.tf:25: ECS\.20 UNKNOWN resource aws_ecs_task_definition\.heredoc container "app"'
assert_match '^defs/containers\.json: note: loaded by main\.tf \(aws_ecs_task_definition\.file\)$'
assert_match '^defs/containers\.json:2: ECS\.4 container "from-file"'
assert_match '^defs/containers\.tpl: note: loaded by main\.tf \(aws_ecs_task_definition\.template\)$'
assert_match '^defs/containers\.tpl:2: ECS\.4 container "from-template"'
assert_no_match 'aws_s3_bucket'
# a plan: reported by address, never fixed
run "$ECSFIX_BIN" lint plan.json
assert_status 1
assert_match '^plan\.json:6: ECS\.17 resource aws_ecs_task_definition\.app: networkMode is host'
assert_match '^plan\.json:14: ECS\.4 resource aws_ecs_task_definition\.app container "app"'
cp plan.json plan.orig
run "$ECSFIX_BIN" lint --fix plan.json
assert_match 'note: --fix does not apply: a Terraform plan is computed: fix the \.tf files'
_checks=$((_checks + 1))
cmp -s plan.json plan.orig || _fail "plan.json changed"
# templates: placeholders are UNKNOWN values, named; --strict-json refuses them
run "$ECSFIX_BIN" lint template.json
assert_status 1
assert_match '^template\.json:3: ECS\.17 UNKNOWN: cannot decide: networkMode is a placeholder \(\$\{MODE\}\)'
assert_match '^template\.json:8: ECS\.4 container "app": privileged is true'
assert_match '^template\.json:10: ECS\.20 UNKNOWN container "app": cannot decide: user is a placeholder \(\$APP_UID\)'
assert_match '^template\.json: note: line 12: a container definition that is \$SIDECAR_JSON: not checked'
run "$ECSFIX_BIN" lint --strict-json template.json
assert_status 2
assert_match '^ecsfix: template\.json: not valid JSON: line 7, column 17: expected a member name \(this looks like a template placeholder \(\{\{image\}\}\)\)$'
assert_match '^ +7 \|       "image": \{\{image\}\},$'
assert_match '^ +\| +\^$'

# a placeholder in a file that is valid JSON all the same
printf '{"family": "f", "networkMode": "${MODE}",\n "containerDefinitions": [{"name": "a", "user": "1000"}]}\n' >valid.json
run "$ECSFIX_BIN" lint valid.json
assert_status 0
assert_match '^valid\.json:1: ECS\.17 UNKNOWN: cannot decide: networkMode is a placeholder \(\$\{MODE\}\)'
run "$ECSFIX_BIN" lint --strict-json valid.json
assert_status 0
assert_no_match 'UNKNOWN'

# --fix: only the values (and the members it adds or removes), byte for byte
run "$ECSFIX_BIN" lint --fix --user 1000 --network-mode awsvpc cfn.yaml cfn.json main.tf template.json
for f in cfn.yaml cfn.json main.tf template.json defs/containers.json defs/containers.tpl; do
	_checks=$((_checks + 1))
	cmp -s "$f" "$D/expected/$f.fixed" || _fail "$f differs from expected/$f.fixed: $(diff "$D/expected/$f.fixed" "$f")"
done
assert_match '^cfn\.yaml:15: fixed: Web: networkMode host -> awsvpc$'
assert_match '^cfn\.yaml: note: Conditional: networkMode is !Ref Mode: not changed'
# fixed files read back clean for what was decidable
run "$ECSFIX_BIN" lint cfn.yaml
assert_status 0

# --cap-add in CloudFormation YAML: PascalCase, in the mapping's own style
cp "$D/cfn.yaml" caps.yaml
run "$ECSFIX_BIN" lint --fix --cap-add NET_ADMIN caps.yaml
assert_status 1
assert_match '^caps\.yaml:17: fixed: Web: container "web": linuxParameters added \(capabilities\)$'
_checks=$((_checks + 1))
grep -q '^        - LinuxParameters: { "Capabilities": { "Add": \[ "NET_ADMIN" \] } }$' caps.yaml &&
	grep -q '^          Name: web$' caps.yaml &&
	grep -q 'Privileged: .false., User: "1000", LinuxParameters: { "Capabilities": { "Add": \[ "NET_ADMIN" \] } }}$' caps.yaml ||
	_fail "caps.yaml: $(diff "$D/cfn.yaml" caps.yaml)"
run "$ECSFIX_BIN" lint --controls ECS.4 caps.yaml
assert_status 0

# ... and into block lists that are there: new items after the last, in the same layout
run "$ECSFIX_BIN" lint --fix --cap-add NET_ADMIN,SYS_PTRACE --device /dev/fuse cfn-caps.yaml
assert_status 1
assert_match '^cfn-caps\.yaml:11: fixed: T: container "a": \["NET_ADMIN"\] added to linuxParameters\.capabilities\.add$'
_checks=$((_checks + 1))
cmp -s cfn-caps.yaml "$D/expected/cfn-caps.yaml.fixed" || _fail "cfn-caps.yaml: $(diff "$D/expected/cfn-caps.yaml.fixed" cfn-caps.yaml)"

# --output github: workflow annotations
cp "$D/cfn.yaml" gh.yaml
run "$ECSFIX_BIN" lint --output github gh.yaml broken.json
assert_status 2
assert_match '^::error file=gh\.yaml,line=19,title=ECS\.4::ECS\.4 resource Web container "web": privileged is true'
assert_match '^::warning file=gh\.yaml,line=29,title=ECS\.17 UNKNOWN::'
assert_match '^::error file=broken\.json,line=2,title=ecsfix%3A cannot check::broken\.json: not valid JSON: line 2, column 1: truncated'

# errors people can act on
printf '{\n  "family": "x",\n  "containerDefinitions": [\n    {"name": "a"}\n    {"name": "b"}\n  ]\n}\n' >comma.json
run "$ECSFIX_BIN" lint comma.json
assert_status 2
assert_match "^ecsfix: comma\.json: not valid JSON: line 5, column 5: expected ',' or '\]' \(is a comma missing at the end of line 4\?\)$"
assert_no_match 'invalid JSON'
printf 'local x = 1;\n{ family: x }\n' >td.jsonnet
run "$ECSFIX_BIN" lint td.jsonnet
assert_match '^ecsfix: td\.jsonnet: a Jsonnet file'
printf 'family: x\ncontainerDefinitions: []\n' >td.yaml
run "$ECSFIX_BIN" lint td.yaml
assert_match '^ecsfix: td\.yaml: YAML that is not a CloudFormation template'
printf 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {ContainerDefinitions: [\n' >bad.yaml
run "$ECSFIX_BIN" lint bad.yaml
assert_status 2
assert_match '^ecsfix: bad\.yaml: not valid YAML: line [0-9]+, column [0-9]+: '
printf '{"containerDefinitions": [{"name": "a", "privileged": "true"}]}\n' >strbool.json
run "$ECSFIX_BIN" lint strbool.json
assert_status 2
assert_match '^ecsfix: strbool\.json: line 1: privileged is "true", not a boolean: ECS rejects it'
printf '{\n  "containerDefinitions": [{"name": "a",\n    "privileged": false,\n    "privileged": true}]\n}\n' >dup.json
run "$ECSFIX_BIN" lint dup.json
assert_status 2
assert_match '^ecsfix: dup\.json: "privileged" is set twice, at lines 3 and 4'
run "$ECSFIX_BIN" lint --output sarif comma.json
assert_match '"startLine": 5'
finish
