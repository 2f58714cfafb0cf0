# aws layer: SigV4, config files, credentials, HTTP, the signed client, API calls.
noinst_LIBRARIES += src/aws/libaws.a
src_aws_libaws_a_SOURCES = \
	src/aws/aws_config.h \
	src/aws/client.c src/aws/client.h \
	src/aws/credentials.h \
	src/aws/http.c src/aws/http.h \
	src/aws/sigv4.h
src_aws_libaws_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CRYPTO_CFLAGS)
