# core layer: rules, the remediation transform, diff, lint, scan, plan, apply. No curses.
noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES = \
	src/core/apply.c src/core/apply.h src/core/apply_check.c src/core/apply_ctx.h \
	src/core/apply_findings.c \
	src/core/audit.c src/core/audit.h \
	src/core/cache.c src/core/cache.h \
	src/core/caps.c src/core/caps.h \
	src/core/diff.c src/core/diff.h \
	src/core/jsonpos.c src/core/jsonpos.h \
	src/core/lint.c src/core/lint.h \
	src/core/lint_exc.c src/core/lint_exc.h \
	src/core/lint_read.h src/core/lint_template.c src/core/lint_tf.c src/core/lint_yaml.c \
	src/core/plan.c src/core/plan.h \
	src/core/rollout.c src/core/rollout.h \
	src/core/rules.c src/core/rules.h \
	src/core/scan.c src/core/scan.h \
	src/core/scan_report.c src/core/scan_report.h \
	src/core/transform.c src/core/transform.h \
	src/core/verify.c src/core/verify.h \
	src/core/session.c src/core/session.h \
	src/core/version.c src/core/version.h

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_rules tests/unit/check_transform tests/unit/check_diff \
	tests/unit/check_lint
TESTS += tests/unit/check_rules tests/unit/check_transform tests/unit/check_diff \
	tests/unit/check_lint
CORE_CHECK_LDADD = src/core/libcore.a src/util/libutil.a $(JSONC_LIBS) $(CHECK_LIBS) $(LIBS)
tests_unit_check_rules_SOURCES = tests/unit/check_rules.c
tests_unit_check_rules_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_rules_LDADD = $(CORE_CHECK_LDADD)
tests_unit_check_transform_SOURCES = tests/unit/check_transform.c
tests_unit_check_transform_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_transform_LDADD = $(CORE_CHECK_LDADD)
tests_unit_check_diff_SOURCES = tests/unit/check_diff.c
tests_unit_check_diff_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_diff_LDADD = $(CORE_CHECK_LDADD)
check_PROGRAMS += tests/unit/check_scan
TESTS += tests/unit/check_scan
tests_unit_check_scan_SOURCES = tests/unit/check_scan.c
tests_unit_check_scan_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_scan_LDADD = $(CORE_CHECK_LDADD)
# scan_run against a fake client (no libaws: the test defines the client functions)
check_PROGRAMS += tests/unit/check_scan_run
TESTS += tests/unit/check_scan_run
tests_unit_check_scan_run_SOURCES = tests/unit/check_scan_run.c
tests_unit_check_scan_run_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_scan_run_LDADD = $(CORE_CHECK_LDADD)
tests_unit_check_lint_SOURCES = tests/unit/check_lint.c
tests_unit_check_lint_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_lint_LDADD = $(CORE_CHECK_LDADD)
endif

TESTS += tests/lint/test-lint-check.sh tests/lint/test-lint-fix.sh tests/lint/test-lint-bad.sh \
	tests/lint/test-lint-corpus.sh tests/lint/test-lint-formats.sh tests/lint/test-lint-files.sh
EXTRA_DIST += tests/lint/test-lint-check.sh tests/lint/test-lint-fix.sh tests/lint/test-lint-bad.sh \
	tests/lint/test-lint-corpus.sh tests/lint/corpus.py tests/lint/test-lint-formats.sh tests/lint/test-lint-files.sh \
	.pre-commit-hooks.yaml
# scan: integration tests against moto (tests/lib/moto.sh), and their stub.
TESTS += tests/scan/test-scan-demo.sh tests/scan/test-scan-options.sh tests/scan/test-scan-faults.sh \
	tests/scan/test-scan-org.sh tests/scan/test-scan-cache.sh
EXTRA_DIST += tests/scan/stub_denied.py tests/scan/test-scan-demo.sh tests/scan/test-scan-options.sh \
	tests/scan/test-scan-faults.sh tests/scan/test-scan-org.sh tests/scan/seed_org.py \
	tests/scan/test-scan-cache.sh

# plan/apply: end to end against moto and the scripted fake ECS (tests/plan).
TESTS += tests/plan/test-plan-moto.sh tests/plan/test-apply-fake.sh tests/plan/test-apply-denied.sh \
	tests/plan/test-apply-tty.sh \
	tests/plan/test-apply-register-drop.sh tests/plan/test-apply-sim.sh \
	tests/plan/test-apply-tamper.sh tests/plan/test-apply-malformed.sh tests/plan/test-plan-org.sh \
	tests/plan/test-plan-org-auth.sh
EXTRA_DIST += tests/plan/test-plan-moto.sh tests/plan/test-apply-fake.sh tests/plan/test-apply-denied.sh \
	tests/plan/test-apply-tty.sh \
	tests/plan/test-apply-register-drop.sh tests/plan/fake.sh tests/plan/fake_ecs.py \
	tests/plan/test-apply-sim.sh tests/plan/sim.sh tests/plan/test-apply-tamper.sh \
	tests/plan/test-apply-malformed.sh tests/plan/test-plan-org.sh \
	tests/plan/test-plan-org-auth.sh

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_apply
TESTS += tests/unit/check_apply
tests_unit_check_apply_SOURCES = tests/unit/check_apply.c
tests_unit_check_apply_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_apply_LDADD = src/core/libcore.a src/aws/libaws.a src/util/libutil.a \
	$(CURL_LIBS) $(JSONC_LIBS) $(CRYPTO_LIBS) $(CHECK_LIBS) $(LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_rollout
TESTS += tests/unit/check_rollout
tests_unit_check_rollout_SOURCES = tests/unit/check_rollout.c
tests_unit_check_rollout_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_rollout_LDADD = src/core/libcore.a src/aws/libaws.a src/util/libutil.a \
	$(CURL_LIBS) $(JSONC_LIBS) $(CRYPTO_LIBS) $(CHECK_LIBS) $(LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_verify
TESTS += tests/unit/check_verify
tests_unit_check_verify_SOURCES = tests/unit/check_verify.c
tests_unit_check_verify_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_unit_check_verify_LDADD = src/core/libcore.a src/aws/libaws.a src/util/libutil.a \
	$(CURL_LIBS) $(JSONC_LIBS) $(CRYPTO_LIBS) $(CHECK_LIBS) $(LIBS)
endif
