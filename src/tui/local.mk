# tui layer: the only code that includes curses.
noinst_LIBRARIES += src/tui/libtui.a
src_tui_libtui_a_SOURCES = \
	src/tui/action.h \
	src/tui/backend.h \
	src/tui/backend_fixture.c \
	src/tui/backend_live.c \
	src/tui/draw.c src/tui/draw.h \
	src/tui/keymap.c src/tui/keymap.h \
	src/tui/state.c src/tui/state.h \
	src/tui/tui.c src/tui/tui.h \
	src/tui/views.c src/tui/views.h \
	src/tui/worker.c src/tui/worker.h
src_tui_libtui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
