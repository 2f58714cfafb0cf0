# Project-wide tests: layering and banned functions, formatting, CLI basics; the test
# harness self-tests (tests/lib/moto.sh, tests/lib/tmux.sh, the demo account).
TESTS += tests/layers/test-layers.sh tests/layers/test-format.sh tests/cli/test-cli.sh
TESTS += tests/harness/test-tmux-harness.sh tests/harness/test-demo-seed.sh
EXTRA_DIST += tests/harness

format:
	cd $(top_srcdir) && clang-format -i `find src tests -path tests/layers/bad-tree -prune -o -name '*.[ch]' -print`
.PHONY: format
