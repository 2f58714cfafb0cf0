# Reliability and security tests across commands: terminal-safe output against a hostile
# server and files, private files (trace, audit log), credentials over plain http.
TESTS += tests/reliability/test-output-safe.sh tests/reliability/test-private-files.sh \
	tests/reliability/test-scan-timeout.sh
EXTRA_DIST += tests/reliability/test-output-safe.sh tests/reliability/test-private-files.sh \
	tests/reliability/test-scan-timeout.sh \
	tests/reliability/evil_proxy.py tests/reliability/check_output.py
