#!/bin/sh
# test-format.sh: every C file is formatted by .clang-format (skip without clang-format).
command -v clang-format >/dev/null 2>&1 || { echo "clang-format missing: skip"; exit 77; }
cd "${TOP_SRCDIR:-.}" || exit 99
files=$(find src tests -path tests/layers/bad-tree -prune -o -name '*.[ch]' -print)
clang-format --dry-run -Werror $files || { echo "FAIL: run 'make format'"; exit 1; }
echo "ok: $(echo "$files" | wc -l) files formatted"
