#!/bin/sh
# test-lint-fix.sh: 'ecsfix lint --fix' changes only the fixed values' bytes, in every shape and
# format; mode kept; a second run changes nothing.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
D="$TOP_SRCDIR/tests/data/lint"
T=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-lint.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

check_same() { # FILE EXPECTED
	_checks=$((_checks + 1))
	cmp -s "$1" "$2" || { LAST="cmp $1 $2"; OUT=$(diff "$2" "$1"); _fail "fixed file differs"; }
}

for f in register-2space register-4space register-tab register-min describe containers; do
	cp "$D/$f.json" "$f.json"
	chmod 640 "$f.json"
	run "$ECSFIX_BIN" lint --fix "$f.json"
	assert_status 0
	assert_match "^$f\.json:[0-9]+: fixed: container \"web\": privileged true -> false$"
	assert_match "^$f\.json:[0-9]+: fixed: container \"agent\": privileged true -> false$"
	assert_no_match "ECS\.4"
	check_same "$f.json" "$D/expected/$f.json"
	# mode preserved
	_checks=$((_checks + 1))
	[ "$(stat -c %a "$f.json")" = 640 ] || _fail "mode $(stat -c %a "$f.json"), expected 640"
	# exactly one changed line per privileged container (minified: the one line)
	if [ "$f" != register-min ]; then
		_checks=$((_checks + 1))
		n=$(diff "$D/$f.json" "$f.json" | grep -c '^[<>]')
		[ "$n" -eq 4 ] || _fail "diff has $n changed lines, expected 2 removed + 2 added"
		_checks=$((_checks + 1))
		diff "$D/$f.json" "$f.json" | grep '^>' | grep -vq '"privileged": false' &&
			_fail "a changed line is not a privileged:false line"
	fi
	# the only difference in bytes: true -> false, twice
	_checks=$((_checks + 1))
	[ "$(sed 's/"privileged":\( *\)true/"privileged":\1false/g' "$D/$f.json" | cmp - "$f.json" &&
		echo same)" = same ] || _fail "bytes other than the privileged values changed"
	# idempotent: nothing left to fix, file untouched
	cp "$f.json" before.json
	run "$ECSFIX_BIN" lint --fix "$f.json"
	assert_status 0
	assert_no_match "fixed:"
	check_same "$f.json" before.json
done

# --user and --network-mode: user set or inserted in the file's own layout, host -> awsvpc
for f in host-root host-root-min; do
	cp "$D/$f.json" "$f.json"
	run "$ECSFIX_BIN" lint --fix --user 1000 --network-mode awsvpc "$f.json"
	assert_status 0
	assert_match "fixed: networkMode host -> awsvpc"
	assert_match "fixed: container \"daemon\": user \(not set\) -> \"1000\""
	assert_match "fixed: container \"helper\": user \"root\" -> \"1000\""
	assert_match "fixed: container \"daemon\": hostname removed"
	assert_match "note: an awsvpc service needs subnets and security groups"
	check_same "$f.json" "$D/expected/$f.user-awsvpc.json"
done
# only --fix: host mode and root stay, the cross-control effect is explained, exit 1
cp "$D/host-root.json" h.json
run "$ECSFIX_BIN" lint --fix h.json
assert_status 1
assert_match "note: container \"daemon\": privileged:false makes ECS.1 fail because it runs as root in host mode"
assert_match "^h\.json:6: ECS\.1 container \"daemon\""
assert_match "^h\.json:3: ECS\.17"
# bridge keeps hostPort
cp "$D/host-root.json" b.json
run "$ECSFIX_BIN" lint --fix --network-mode bridge --user 1000:1000 b.json
assert_status 0
_checks=$((_checks + 1))
grep -q '"hostPort": 8125' b.json && grep -q '"hostname": "daemon"' b.json &&
	grep -q '"networkMode": "bridge"' b.json || _fail "bridge conversion lost hostPort or hostname"

# CRLF line endings: the inserted member uses CRLF too
cp "$D/crlf.json" crlf.json
run "$ECSFIX_BIN" lint --fix --user 1000 crlf.json
assert_status 0
check_same crlf.json "$D/expected/crlf.user.json"

# a byte order mark is kept
printf '\357\273\277' >bom.json
cat "$D/register-2space.json" >>bom.json
run "$ECSFIX_BIN" lint --fix bom.json
assert_status 0
printf '\357\273\277' >bom-want.json
cat "$D/expected/register-2space.json" >>bom-want.json
check_same bom.json bom-want.json

# a symbolic link is written through, and stays a link
cp "$D/register-4space.json" target.json
ln -s target.json link.json
run "$ECSFIX_BIN" lint --fix link.json
assert_status 0
_checks=$((_checks + 1))
[ -L link.json ] || _fail "link.json is no longer a symbolic link"
check_same target.json "$D/expected/register-4space.json"

# json output of a fix
cp "$D/register-2space.json" j.json
run "$ECSFIX_BIN" lint --fix --output json j.json
assert_status 0
assert_match '"change": "container \\"web\\": privileged true -> false"'
assert_match '"written": true'

finish
