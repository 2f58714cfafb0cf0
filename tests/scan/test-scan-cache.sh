#!/bin/sh
# test-scan-cache.sh: the revision cache against moto (the demo account), requests counted by
# bench/delay_proxy.py: a rescan describes no revision it has seen; stale tags are refreshed
# with ListTagsForResource only; --no-cache bypasses it; a truncated, edited or foreign cache
# file is ignored with a warning; the files are 0600 in a 0700 directory; cache clear.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
moto_start || exit 1
moto_seed_demo >/dev/null || { echo "FAIL: seeding the demo account"; exit 1; }
tmp=$(mktemp -d)
cleanup_add "rm -rf '$tmp'"
python3 "${TOP_SRCDIR:-.}/bench/delay_proxy.py" --target "$MOTO_URL" --delay-ms 0 \
	--port-file "$tmp/proxy.port" >"$tmp/proxy.log" 2>&1 &
cleanup_add "kill $!"
i=0
while [ ! -s "$tmp/proxy.port" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$tmp/proxy.port" ] || { echo "FAIL: the proxy did not start"; exit 1; }
PROXY=http://127.0.0.1:$(cat "$tmp/proxy.port")
AWS_ENDPOINT_URL=$PROXY XDG_CACHE_HOME=$tmp/cache
export AWS_ENDPOINT_URL XDG_CACHE_HOME
# the proxy is not AWS: its answers are kept apart (a hash of the endpoint in the name)
CACHE=$(python3 -c 'import hashlib, sys
print("%s/cache/ecsfix/taskdefs-123456789012-us-east-1-%s.json" % (sys.argv[1], hashlib.sha256(sys.argv[2].encode()).hexdigest()[:12]))' "$tmp" "$PROXY")

reset() {
	python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/__proxy/reset", data=b"", method="POST")).read()' "$PROXY"
}
# calls OP: requests for OP since the last reset
calls() {
	python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "/__proxy/stats"))["ops"].get(sys.argv[2], 0))' "$PROXY" "$1"
}
# scan_json NAME ARGS: scan --output json into $tmp/NAME.json, stderr into $tmp/NAME.err
scan_json() {
	name=$1
	shift
	reset
	"$ECSFIX_BIN" scan --output json "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
	STATUS=$? LAST="scan $*" OUT=$(cat "$tmp/$name.err")
}
# same FILE1 FILE2: the reports agree (services, revisions, findings), generatedAt aside
same() {
	python3 -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for r in (a, b):
    r.pop("generatedAt")
    for t in r["targets"]:
        t.pop("calls")
if a != b:
    import difflib
    for k in a:
        if a[k] != b.get(k):
            print("\n".join(list(difflib.unified_diff(
                json.dumps(a[k], indent=1, sort_keys=True).splitlines(),
                json.dumps(b.get(k), indent=1, sort_keys=True).splitlines(), k, k,
                lineterm=""))[:30]))
sys.exit(0 if a == b else 1)' "$1" "$2"
}

# 1. first scan: every revision described, the cache written (0600 in a 0700 directory)
scan_json first
assert_status 1
N=$(calls DescribeTaskDefinition)
[ "$N" -gt 5 ] || _fail "first scan: $N DescribeTaskDefinition calls"
[ -f "$CACHE" ] || _fail "no cache file $CACHE"
[ "$(stat -c %a "$CACHE")" = 600 ] || _fail "cache file mode $(stat -c %a "$CACHE")"
[ "$(stat -c %a "$tmp/cache/ecsfix")" = 700 ] || _fail "cache directory mode"

# 2. rescan: no DescribeTaskDefinition at all, the same report
scan_json second
assert_status 1
[ "$(calls DescribeTaskDefinition)" -eq 0 ] || _fail "rescan: $(calls DescribeTaskDefinition) DescribeTaskDefinition calls"
[ "$(calls ListTagsForResource)" -eq 0 ] || _fail "rescan: tags read although fresh"
same "$tmp/first.json" "$tmp/second.json" || _fail "the rescan's report differs"
assert_no_match 'warning'

# 3. tags older than --tags-max-age: only the tags are read again
scan_json tags --tags-max-age 0
assert_status 1
[ "$(calls DescribeTaskDefinition)" -eq 0 ] || _fail "stale tags: $(calls DescribeTaskDefinition) describes"
[ "$(calls ListTagsForResource)" -eq "$N" ] || _fail "stale tags: $(calls ListTagsForResource) tag reads, expected $N"
same "$tmp/first.json" "$tmp/tags.json" || _fail "the report with refreshed tags differs"

# 4. --no-cache: every revision described again, the cache file untouched
cp "$CACHE" "$tmp/saved.json"
scan_json nocache --no-cache
[ "$(calls DescribeTaskDefinition)" -eq "$N" ] || _fail "--no-cache: $(calls DescribeTaskDefinition) describes"
cmp -s "$CACHE" "$tmp/saved.json" || _fail "--no-cache wrote the cache"

# 5. a truncated file: ignored with a warning, everything described, rewritten
head -c 200 "$tmp/saved.json" >"$CACHE"
scan_json truncated
assert_status 1
assert_match "^ecsfix: warning: revision cache .*taskdefs-123456789012-us-east-1-[0-9a-f]{12}.json ignored: not a JSON document"
[ "$(calls DescribeTaskDefinition)" -eq "$N" ] || _fail "truncated cache: $(calls DescribeTaskDefinition) describes"
same "$tmp/first.json" "$tmp/truncated.json" || _fail "a truncated cache changed the report"

# 6. an edited entry (a privileged container made non-privileged): the digest catches it
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for e in d["entries"].values():
    for c in e["answer"]["taskDefinition"]["containerDefinitions"]:
        c["privileged"] = False
json.dump(d, open(sys.argv[1], "w"))' "$CACHE"
scan_json edited
assert_status 1
assert_match "ignored: its digest does not match"
[ "$(calls DescribeTaskDefinition)" -eq "$N" ] || _fail "edited cache: $(calls DescribeTaskDefinition) describes"
same "$tmp/first.json" "$tmp/edited.json" || _fail "an edited cache changed the report"

# 7. another format; a file readable by others
echo '{"format": "something-else", "version": 1}' >"$CACHE"
chmod 600 "$CACHE"
scan_json foreign
assert_match "ignored: another format or version"
chmod 644 "$CACHE"
scan_json open --no-findings
assert_match "ignored: not owned by you with mode 0600"
[ "$(stat -c %a "$CACHE")" = 600 ] || _fail "the rewritten cache is not 0600"

# 8. cache clear
run "$ECSFIX_BIN" cache clear
assert_status 0
assert_match "removed 1 revision cache file"
[ ! -e "$CACHE" ] || _fail "cache clear left $CACHE"
run "$ECSFIX_BIN" cache
assert_status 2
finish
