# Fuzz targets (libFuzzer), one per parser of untrusted input. With --enable-fuzzing (clang)
# they are libFuzzer programs: `make fuzz-targets`, then tests/fuzz/run.sh. Otherwise the same
# targets are linked with a replay main (tests/fuzz/replay.c) and `make check` runs each once
# over its seeds (tests/fuzz/seeds.py: tests/data and tests/fuzz/seeds/<target>/, where the
# reproducers of fixed bugs go).
FUZZ_TARGETS = tests/fuzz/fuzz_lint tests/fuzz/fuzz_plan tests/fuzz/fuzz_jsonpos \
	tests/fuzz/fuzz_xml tests/fuzz/fuzz_config tests/fuzz/fuzz_sigv4 \
	tests/fuzz/fuzz_scan_report
check_PROGRAMS += $(FUZZ_TARGETS)
noinst_LIBRARIES += tests/fuzz/libfuzzutil.a
tests_fuzz_libfuzzutil_a_SOURCES = tests/fuzz/fuzz_util.c tests/fuzz/fuzz.h
if FUZZING
FUZZ_MAIN_LIB =
FUZZ_PROG_FLAGS = $(FUZZ_LDFLAGS)
else
noinst_LIBRARIES += tests/fuzz/libfuzzreplay.a
tests_fuzz_libfuzzreplay_a_SOURCES = tests/fuzz/replay.c
FUZZ_MAIN_LIB = tests/fuzz/libfuzzreplay.a
FUZZ_PROG_FLAGS =
endif
FUZZ_LDADD = $(FUZZ_MAIN_LIB) tests/fuzz/libfuzzutil.a $(ECSFIX_LIBS) $(ECSFIX_EXT_LIBS)

tests_fuzz_fuzz_lint_SOURCES = tests/fuzz/fuzz_lint.c
tests_fuzz_fuzz_lint_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_lint_LDFLAGS = $(FUZZ_PROG_FLAGS)
tests_fuzz_fuzz_plan_SOURCES = tests/fuzz/fuzz_plan.c
tests_fuzz_fuzz_plan_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_plan_LDFLAGS = $(FUZZ_PROG_FLAGS)
tests_fuzz_fuzz_jsonpos_SOURCES = tests/fuzz/fuzz_jsonpos.c
tests_fuzz_fuzz_jsonpos_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_jsonpos_LDFLAGS = $(FUZZ_PROG_FLAGS)
tests_fuzz_fuzz_xml_SOURCES = tests/fuzz/fuzz_xml.c
tests_fuzz_fuzz_xml_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_xml_LDFLAGS = $(FUZZ_PROG_FLAGS)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_PROG_FLAGS)
tests_fuzz_fuzz_sigv4_SOURCES = tests/fuzz/fuzz_sigv4.c
tests_fuzz_fuzz_sigv4_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_sigv4_LDFLAGS = $(FUZZ_PROG_FLAGS)
tests_fuzz_fuzz_scan_report_SOURCES = tests/fuzz/fuzz_scan_report.c
tests_fuzz_fuzz_scan_report_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_scan_report_LDFLAGS = $(FUZZ_PROG_FLAGS)

fuzz-targets: $(FUZZ_TARGETS)
.PHONY: fuzz-targets

if !FUZZING
TESTS += tests/fuzz/test-fuzz-replay.sh
endif
EXTRA_DIST += tests/fuzz/test-fuzz-replay.sh tests/fuzz/run.sh tests/fuzz/seeds.py \
	tests/fuzz/seeds tests/fuzz/findings
