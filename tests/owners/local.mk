# owners (issue 14): unit tests of owner resolution, capabilities, exceptions and the
# markdown reports; integration tests of 'except' against moto and a loopback fake of
# Security Hub's BatchUpdateFindings.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_owner tests/unit/check_hints
TESTS += tests/unit/check_owner tests/unit/check_hints
tests_unit_check_hints_SOURCES = tests/unit/check_hints.c
tests_unit_check_hints_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_hints_LDADD = $(CORE_CHECK_LDADD)
tests_unit_check_owner_SOURCES = tests/unit/check_owner.c
tests_unit_check_owner_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_owner_LDADD = $(CORE_CHECK_LDADD)
check_PROGRAMS += tests/unit/check_exceptions tests/unit/check_report_md
TESTS += tests/unit/check_exceptions tests/unit/check_report_md
tests_unit_check_report_md_SOURCES = tests/unit/check_report_md.c
tests_unit_check_report_md_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_report_md_LDADD = src/core/libcore.a src/aws/libaws.a src/util/libutil.a \
	$(CURL_LIBS) $(JSONC_LIBS) $(CRYPTO_LIBS) $(CHECK_LIBS) $(LIBS)
tests_unit_check_exceptions_SOURCES = tests/unit/check_exceptions.c
tests_unit_check_exceptions_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_exceptions_LDADD = src/core/libcore.a src/aws/libaws.a src/util/libutil.a \
	$(CURL_LIBS) $(JSONC_LIBS) $(CRYPTO_LIBS) $(CHECK_LIBS) $(LIBS)
endif

TESTS += tests/owners/test-except.sh
EXTRA_DIST += tests/owners/test-except.sh tests/owners/fake_batch_update.py
TESTS += tests/owners/test-owners.sh
EXTRA_DIST += tests/owners/test-owners.sh tests/owners/seed_owners.py tests/owners/md_check.py
TESTS += tests/owners/test-owners-markdown.sh
EXTRA_DIST += tests/owners/test-owners-markdown.sh
