# aws layer: SigV4, config files, credentials, HTTP, the signed client, API calls.
noinst_LIBRARIES += src/aws/libaws.a
src_aws_libaws_a_SOURCES = \
	src/aws/apierr.c src/aws/apierr.h \
	src/aws/aws_config.c src/aws/aws_config.h \
	src/aws/client.c src/aws/client.h \
	src/aws/credentials.c src/aws/credentials.h src/aws/cred_provider.h \
	src/aws/cred_container.c src/aws/cred_env.c src/aws/cred_imds.c \
	src/aws/cred_process.c src/aws/cred_sso.c src/aws/cred_static.c src/aws/cred_sts.c \
	src/aws/http.c src/aws/http.h \
	src/aws/retry.c src/aws/retry.h \
	src/aws/sigv4.c src/aws/sigv4.h \
	src/aws/xml.c src/aws/xml.h
src_aws_libaws_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CRYPTO_CFLAGS)

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_sigv4
TESTS += tests/unit/check_sigv4
tests_unit_check_sigv4_SOURCES = tests/unit/check_sigv4.c
check_PROGRAMS += tests/unit/check_retry
TESTS += tests/unit/check_retry
tests_unit_check_retry_SOURCES = tests/unit/check_retry.c
tests_unit_check_retry_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_retry_LDADD = src/aws/libaws.a $(CHECK_LIBS) $(LIBS)
tests_unit_check_sigv4_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_sigv4_LDADD = src/aws/libaws.a src/util/libutil.a $(JSONC_LIBS) $(CRYPTO_LIBS) \
	$(CHECK_LIBS) $(LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_aws_config
TESTS += tests/unit/check_aws_config
tests_unit_check_aws_config_SOURCES = tests/unit/check_aws_config.c
tests_unit_check_aws_config_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_aws_config_LDADD = src/aws/libaws.a src/util/libutil.a $(JSONC_LIBS) \
	$(CHECK_LIBS) $(LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_credentials
TESTS += tests/unit/check_credentials
tests_unit_check_credentials_SOURCES = tests/unit/check_credentials.c
tests_unit_check_credentials_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_credentials_LDADD = src/aws/libaws.a src/util/libutil.a $(CURL_LIBS) \
	$(JSONC_LIBS) $(CRYPTO_LIBS) $(CHECK_LIBS) $(LIBS)
endif

# Test driver for the signed client (fault and moto tests), not installed.
check_PROGRAMS += tests/aws/awscall
tests_aws_awscall_SOURCES = tests/aws/awscall.c
tests_aws_awscall_LDADD = src/aws/libaws.a src/util/libutil.a $(CURL_LIBS) $(JSONC_LIBS) \
	$(CRYPTO_LIBS) $(LIBS)
TESTS += tests/aws/test-fault.sh
EXTRA_DIST += tests/aws/test-fault.sh tests/aws/fault_stub.py
TESTS += tests/aws/test-moto-auth.sh
EXTRA_DIST += tests/aws/test-moto-auth.sh tests/aws/moto_setup.py

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_apierr
TESTS += tests/unit/check_apierr
tests_unit_check_apierr_SOURCES = tests/unit/check_apierr.c
tests_unit_check_apierr_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_apierr_LDADD = src/aws/libaws.a src/util/libutil.a $(JSONC_LIBS) \
	$(CHECK_LIBS) $(LIBS)
endif
