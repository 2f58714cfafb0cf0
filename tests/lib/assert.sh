# assert.sh: tiny assertions for shell tests. Source it; call finish at the end.
# run CMD...: runs CMD, keeps stdout+stderr in $OUT and the status in $STATUS.
_fails=0
_checks=0
run() {
	OUT=$("$@" 2>&1)
	STATUS=$?
	LAST="$*"
}
_fail() {
	_fails=$((_fails + 1))
	echo "FAIL: $LAST: $1"
	echo "$OUT" | sed 's/^/    | /' | head -40
}
assert_status() {
	_checks=$((_checks + 1))
	[ "$STATUS" -eq "$1" ] || _fail "exit status $STATUS, expected $1"
}
assert_match() {
	_checks=$((_checks + 1))
	echo "$OUT" | grep -Eq -- "$1" || _fail "output does not match /$1/"
}
assert_no_match() {
	_checks=$((_checks + 1))
	echo "$OUT" | grep -Eq -- "$1" && _fail "output matches /$1/ but must not"
	return 0
}
finish() {
	echo "$_checks checks, $_fails failed"
	[ "$_fails" -eq 0 ]
}
