# tui layer: the only code that includes curses.
noinst_LIBRARIES += src/tui/libtui.a
src_tui_libtui_a_SOURCES = \
	src/tui/action.c src/tui/action.h \
	src/tui/backend.h \
	src/tui/backend_live.c \
	src/tui/draw.c src/tui/draw.h \
	src/tui/keymap.c src/tui/keymap.h \
	src/tui/list.c src/tui/list.h \
	src/tui/role.h \
	src/tui/state.c src/tui/state.h \
	src/tui/tui.c src/tui/tui.h \
	src/tui/views.c src/tui/views.h \
	src/tui/views_change.c \
	src/tui/views_lists.c \
	src/tui/worker.c src/tui/worker.h
src_tui_libtui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_tui tests/unit/check_tui_render
TESTS += tests/unit/check_tui tests/unit/check_tui_render
tests_unit_check_tui_SOURCES = tests/unit/check_tui.c tests/unit/tui_fixture.h \
	tests/unit/tui_backend_fixture.c
tests_unit_check_tui_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_tui_LDADD = src/tui/libtui.a src/util/libutil.a $(JSONC_LIBS) $(CHECK_LIBS) \
	$(LIBS)
tests_unit_check_tui_render_SOURCES = tests/unit/check_tui_render.c tests/unit/tui_fixture.h \
	tests/unit/tui_backend_fixture.c
tests_unit_check_tui_render_CFLAGS = $(CHECK_TEST_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_check_tui_render_LDADD = src/tui/libtui.a src/util/libutil.a $(NCURSES_LIBS) \
	$(JSONC_LIBS) $(CHECK_LIBS) $(LIBS)
endif

# End-to-end TUI tests under tmux (tests/lib/tmux.sh), one by one for distcheck.
TESTS += tests/tui/test-tui-basics.sh tests/tui/test-tui-defects.sh tests/tui/test-tui-moto.sh \
	tests/tui/test-tui-rollout.sh tests/tui/test-tui-owners.sh tests/tui/test-tui-org.sh
EXTRA_DIST += tests/tui/tui-lib.sh tests/tui/test-tui-basics.sh tests/tui/test-tui-defects.sh \
	tests/tui/test-tui-moto.sh tests/tui/test-tui-rollout.sh tests/tui/test-tui-owners.sh \
	tests/tui/test-tui-org.sh
