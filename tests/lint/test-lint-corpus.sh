#!/bin/sh
# test-lint-corpus.sh: the real-world corpus (tests/data/lint/realworld), see corpus.py.
command -v python3 >/dev/null 2>&1 || exit 77
exec python3 "$TOP_SRCDIR/tests/lint/corpus.py" "$ECSFIX_BIN" "$TOP_SRCDIR/tests/data/lint/realworld" \
	"$TOP_SRCDIR/tests/data/lint/realworld.expected"
