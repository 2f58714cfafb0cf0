# core layer: rules, the remediation transform, diff, lint, scan, plan, apply. No curses.
noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES = \
	src/core/diff.c src/core/diff.h \
	src/core/rules.c src/core/rules.h \
	src/core/scan.h \
	src/core/transform.c src/core/transform.h \
	src/core/session.c src/core/session.h \
	src/core/version.c src/core/version.h
