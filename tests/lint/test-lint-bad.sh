#!/bin/sh
# test-lint-bad.sh: bad input is one clear line and exit 2; other files are still checked; a
# file is never half-written.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
D="$TOP_SRCDIR/tests/data/lint"
T=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-lint.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$T"; rm -rf "$T"' EXIT
cd "$T" || exit 2

bad() { # FILE PATTERN
	run "$ECSFIX_BIN" lint --fix "$1"
	assert_status 2
	assert_match "^ecsfix: $1: $2"
	_checks=$((_checks + 1))
	# one line, or one line and the offending line with a caret under the column
	case "$(echo "$OUT" | wc -l)" in
	1) ;;
	3) echo "$OUT" | sed -n 3p | grep -Eq '^ +\| +\^$' || _fail "no caret line" ;;
	*) _fail "not one line (or one line and a caret excerpt)" ;;
	esac
}

: >empty.json
bad empty.json "empty file"
printf '  \n\t\n' >blank.json
bad blank.json "empty file"
printf '{"family": "x", "containerDefinitions": [\n  {"name": "a", "privileged": true,}\n]}\n' >comma.json
bad comma.json "not valid JSON: line 2, column 36: expected a member name \(a comma before a closing bracket: remove it\)"
printf '{"containerDefinitions": [{"name": "a"' >trunc.json
bad trunc.json "not valid JSON: .*truncated"
printf '{"containerDefinitions": [{"name": "caf\351"}]}\n' >latin1.json
bad latin1.json "not UTF-8 text \(invalid byte 0xe9 at line 1\)"
printf '{"family": "x"}\n' >noshape.json
bad noshape.json "wrong shape: not a task definition"
printf '[]\n' >emptyarr.json
bad emptyarr.json "wrong shape: an empty array"
printf '[1, 2]\n' >numarr.json
bad numarr.json "wrong shape: an array whose items"
printf '"just a string"\n' >str.json
bad str.json "wrong shape"
printf '{"containerDefinitions": {"name": "a"}}\n' >cdobj.json
bad cdobj.json "wrong shape"
printf '{"containerDefinitions": [1]}\n' >cdnum.json
bad cdnum.json "wrong shape: containerDefinitions is not an array of objects"
mkdir dir.json
bad dir.json "not a regular file \(a directory\)"
bad missing.json "No such file or directory"
# over 10 MiB
head -c 11000000 /dev/zero | tr '\0' ' ' >huge.json
bad huge.json "too large"
# deep nesting
awk 'BEGIN { for (i = 0; i < 200; i++) printf "["; for (i = 0; i < 200; i++) printf "]"; print "" }' >deep.json
bad deep.json "not valid JSON"
# Permission checks need an unprivileged user: as root, drop to nobody with setpriv.
AS=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chmod 755 "$T"
	else
		AS=skip
	fi
fi
if [ "$AS" != skip ]; then
	# unreadable
	cp "$D/register-2space.json" noread.json
	chmod 000 noread.json
	run $AS "$ECSFIX_BIN" lint noread.json
	assert_status 2
	assert_match "^ecsfix: noread\.json: Permission denied$"
	chmod 644 noread.json
	# an unwritable directory: the file stays whole and unchanged, exit 2
	mkdir ro
	cp "$D/register-2space.json" ro/t.json
	chmod 555 ro
	chmod 666 ro/t.json
	run $AS "$ECSFIX_BIN" lint --fix ro/t.json
	assert_status 2
	assert_match "^ecsfix: ro/t\.json: cannot write the fixed file"
	_checks=$((_checks + 1))
	cmp -s ro/t.json "$D/register-2space.json" || _fail "ro/t.json changed"
	_checks=$((_checks + 1))
	[ "$(ls -a ro | wc -l)" -eq 3 ] || _fail "files left in ro: $(ls -a ro)"
	chmod 755 ro
else
	echo "running as root without setpriv: permission checks skipped"
fi

# other files are still processed and fixed; exit 2 wins
cp "$D/register-2space.json" good.json
run "$ECSFIX_BIN" lint --fix comma.json good.json missing.json
assert_status 2
assert_match "^ecsfix: comma\.json: not valid JSON"
assert_match "^ecsfix: missing\.json: "
assert_match "^good\.json:10: fixed: container \"web\": privileged true -> false"
_checks=$((_checks + 1))
cmp -s good.json "$D/expected/register-2space.json" || _fail "good.json was not fixed"
# bad files were not touched
_checks=$((_checks + 1))
[ "$(cat comma.json)" = "$(printf '{"family": "x", "containerDefinitions": [\n  {"name": "a", "privileged": true,}\n]}')" ] ||
	_fail "comma.json changed"
_checks=$((_checks + 1))
[ ! -e missing.json ] || _fail "missing.json was created"
# no temporary files left behind
_checks=$((_checks + 1))
[ "$(ls -a | grep -c '\.tmp\|~$')" -eq 0 ] || _fail "temporary files left: $(ls -a)"

finish
