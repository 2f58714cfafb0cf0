# Project-wide tests: layering and banned functions, formatting, CLI basics.
TESTS += tests/layers/test-layers.sh tests/layers/test-format.sh tests/cli/test-cli.sh

format:
	cd $(top_srcdir) && clang-format -i `find src tests -path tests/layers/bad-tree -prune -o -name '*.[ch]' -print`
.PHONY: format
