# cli layer: main, option parsing, one file per command.
bin_PROGRAMS += ecsfix
ecsfix_SOURCES = \
	src/cli/cli.h \
	src/cli/common.c \
	src/cli/main.c \
	src/cli/cmd_apply.c \
	src/cli/cmd_except.c \
	src/cli/cmd_cache.c \
	src/cli/cmd_lint.c \
	src/cli/cmd_plan.c \
	src/cli/cmd_scan.c \
	src/cli/cmd_tui.c
ecsfix_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
ecsfix_LDADD = $(ECSFIX_LIBS) $(ECSFIX_EXT_LIBS)
