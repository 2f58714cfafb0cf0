#!/bin/sh
# test-layers.sh: the real tree passes the layering/banned-function check, and the
# deliberately bad sample tree fails it for each of its three violations.
here=${TOP_SRCDIR:-.}/tests/layers
sh "$here/check-layers.sh" "${TOP_SRCDIR:-.}/src" || { echo "FAIL: real tree"; exit 1; }
out=$(sh "$here/check-layers.sh" "$here/bad-tree/src") && { echo "FAIL: bad tree passed"; exit 1; }
for want in 'core/bad.c:3' 'aws/bad.c:3' 'util/bad.c:5'; do
	case $out in
	*"$want"*) ;;
	*) echo "FAIL: violation $want not reported"; echo "$out"; exit 1 ;;
	esac
done
echo "ok: layering and banned functions"
