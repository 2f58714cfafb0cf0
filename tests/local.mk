# Project-wide tests: layering and banned functions, formatting, CLI basics; the test
# harness self-tests (tests/lib/tmux.sh, tests/lib/moto.sh + the demo account).
# Test scripts are listed one by one (a directory in EXTRA_DIST would be copied from the
# build tree, logs and all, when it exists there).
TESTS += tests/layers/test-layers.sh tests/layers/test-format.sh tests/cli/test-cli.sh
EXTRA_DIST += tests/layers/test-layers.sh tests/layers/test-format.sh tests/cli/test-cli.sh \
	tests/layers/check-layers.sh tests/layers/bad-tree
TESTS += tests/harness/test-tmux-harness.sh tests/harness/test-moto-lib.sh \
	tests/harness/test-demo-seed.sh
EXTRA_DIST += tests/harness/test-tmux-harness.sh tests/harness/test-moto-lib.sh \
	tests/harness/test-demo-seed.sh

format:
	cd $(top_srcdir) && clang-format -i `find src tests -path tests/layers/bad-tree -prune -o -name '*.[ch]' -print`
.PHONY: format
