# util layer: allocation, buffers, errors, JSON helpers, trace, files, time.
noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = \
	src/util/err.c src/util/err.h \
	src/util/fileio.c src/util/fileio.h \
	src/util/jsonx.c src/util/jsonx.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/timeutil.c src/util/timeutil.h \
	src/util/trace.c src/util/trace.h \
	src/util/xmalloc.c src/util/xmalloc.h

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_util
TESTS += tests/unit/check_util
tests_unit_check_util_SOURCES = tests/unit/check_util.c
tests_unit_check_util_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_util_LDADD = src/util/libutil.a $(JSONC_LIBS) $(CHECK_LIBS) $(LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_sanitize
TESTS += tests/unit/check_sanitize
tests_unit_check_sanitize_SOURCES = tests/unit/check_sanitize.c
tests_unit_check_sanitize_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_sanitize_LDADD = src/util/libutil.a $(JSONC_LIBS) $(CHECK_LIBS) $(LIBS)
endif
