#!/bin/sh
# test-fuzz-replay.sh: every fuzz target (tests/fuzz, linked with the replay main in builds
# without --enable-fuzzing) runs once over its seeds: the test data of the tree and the saved
# reproducers of fixed bugs (tests/fuzz/seeds/<target>/). A crash or an oracle's abort fails.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/cleanup.sh"
command -v python3 >/dev/null 2>&1 || {
	echo "SKIP: python3 is not installed"
	exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-fuzzreplay.XXXXXX") || exit 99
cleanup_add "rm -rf '$tmp'"
for t in lint plan jsonpos xml config sigv4 scan_report; do
	python3 "$TOP_SRCDIR/tests/fuzz/seeds.py" "$t" "$tmp/$t" "$TOP_SRCDIR" >/dev/null
	run "$TOP_BUILDDIR/tests/fuzz/fuzz_$t" "$tmp/$t"
	assert_status 0
	assert_match "^replay: [1-9][0-9]* inputs$"
done
finish
