#!/bin/sh
# test-owners-markdown.sh: 'plan --format markdown' (the message for the owner) and 'scan
# --output markdown --group-by owner' render with a Markdown parser (Python-Markdown, Debian's
# python3-markdown) into what they promise: services, controls and why, the diff, the
# question, the commands; one section per owner.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
mdpy=""
for py in python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import markdown' 2>/dev/null; then
		mdpy=$py
		break
	fi
done
if [ -z "$mdpy" ]; then
	echo "SKIP: no python3 with the markdown module (apt-get install python3-markdown)"
	exit 77
fi
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
moto_start || exit 1
python3 "$TOP_SRCDIR/tests/owners/seed_owners.py" "$MOTO_URL" || { echo "FAIL: seeding"; exit 1; }
moto_seed_demo -q >/dev/null || { echo "FAIL: seeding the demo account"; exit 1; }
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"
HOME=$tmp
export HOME

# render FILE.md: FILE.json is what the parser saw
render() {
	"$mdpy" "$TOP_SRCDIR/tests/owners/md_check.py" "$1" >"${1%.md}.json"
}
mdcheck() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("FAIL: %s" % sys.argv[2])
    print(json.dumps(r, ensure_ascii=False)[:3000])
sys.exit(0 if ok else 1)' "$1" "$2"
}

# the message about the demo's Docker-in-Docker runner
"$ECSFIX_BIN" plan --task-definition ci-runner --format markdown >"$tmp/plan.md" 2>"$tmp/err"
STATUS=$? LAST="plan --format markdown" OUT=$(cat "$tmp/err")
assert_status 0
render "$tmp/plan.md"
run mdcheck "$tmp/plan.json" 'r["headings"][0][0] == 1 and "ci-runner:2" in r["headings"][0][1] and "ECS.4" in r["headings"][0][1]'
assert_status 0
run mdcheck "$tmp/plan.json" '[h[1] for h in r["headings"][1:]] == ["Where it runs", "What fails, and why it matters", "The proposed change", "The question for you", "How to apply it"]'
assert_status 0
# services: a real table with the one service
run mdcheck "$tmp/plan.json" 'r["tables"][0][0][:2] == ["Cluster", "Service"] and r["tables"][0][1][:3] == ["ci", "gitlab-runner", "2 / 2"]'
assert_status 0
# the controls, why it matters, the owner (UTF-8 intact)
run mdcheck "$tmp/plan.json" '"ECS.4" in r["text"] and "ECS.20" in r["text"] and "take over the EC2 instance" in r["text"] and "Łukasz Wiśniewski" in r["text"]'
assert_status 0
# the diff as a diff block; the question; the commands in a shell block
run mdcheck "$tmp/plan.json" 'any(c[0] == "language-diff" and "-      \"privileged\": true" in c[1] and "+      \"privileged\": false" in c[1] for c in r["code"])'
assert_status 0
run mdcheck "$tmp/plan.json" '"Does container dind need privileged: true?" in r["text"] and "which ones?" in r["text"]'
assert_status 0
run mdcheck "$tmp/plan.json" 'any(c[0] == "language-sh" and "ecsfix plan --task-definition ci-runner:2 -o ci-runner.plan" in c[1] and "ecsfix apply ci-runner.plan" in c[1] and "ecsfix except ci-runner" in c[1] for c in r["code"])'
assert_status 0
# the Docker-in-Docker note, with its link
grep -q 'runs Docker-in-Docker: .*https://docs.docker.com/engine/security/rootless/' "$tmp/plan.md" ||
	_fail "no Docker-in-Docker note in the message"
# options carried into the commands
"$ECSFIX_BIN" plan --task-definition tagged --cap-add NET_ADMIN --user 1000 --format markdown \
	>"$tmp/cap.md" 2>"$tmp/err"
STATUS=$? LAST="plan --cap-add --format markdown" OUT=$(cat "$tmp/err")
assert_status 0
render "$tmp/cap.md"
run mdcheck "$tmp/cap.json" 'any("ecsfix plan --task-definition tagged:1 --user 1000 --cap-add NET_ADMIN -o tagged.plan" in c[1] for c in r["code"]) and "alice" in r["text"]'
assert_status 0

# the scan, one section per owner (failing owners first, none last)
"$ECSFIX_BIN" scan --output markdown --group-by owner >"$tmp/scan.md" 2>"$tmp/err"
STATUS=$? LAST="scan --output markdown --group-by owner" OUT=$(cat "$tmp/err")
assert_status 1
render "$tmp/scan.md"
run mdcheck "$tmp/scan.json" '[h[1] for h in r["headings"] if h[0] == 2] == ["alice", "François Lefèvre", "payments", "Zoë Ødegård", "Łukasz Wiśniewski", "No owner found"]'
assert_status 0
run mdcheck "$tmp/scan.json" 'len(r["tables"]) == 6 and all(t[0][0] == "Status" for t in r["tables"]) and sorted(row[2] for t in r["tables"] for row in t[1:]) == sorted(["reporting", "s-tagged", "s-untagged", "monitoring-agent", "monitoring-agent", "payments", "storefront", "storefront", "gitlab-runner", "s-bare"])'
assert_status 0
# without grouping: one table with an Owner column
"$ECSFIX_BIN" scan --cluster own --output markdown >"$tmp/flat.md" 2>"$tmp/err"
render "$tmp/flat.md"
run mdcheck "$tmp/flat.json" 'len(r["tables"]) == 1 and r["tables"][0][0][-1] == "Owner" and len(r["tables"][0]) == 4'
assert_status 0
finish
