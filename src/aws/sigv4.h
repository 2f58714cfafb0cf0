/* sigv4.h: AWS Signature Version 4 (canonical request, string to sign, signature). */
#ifndef ECSFIX_AWS_SIGV4_H
#define ECSFIX_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

struct err;

struct sigv4_header {
	const char *name;
	const char *value;
};

struct sigv4_input {
	const char *method;
	const char *path;                   /* as sent, e.g. "/" or "/findings" */
	const char *query;                  /* as sent without '?', or NULL */
	const struct sigv4_header *headers; /* every header that will be sent and signed,
					       including host and x-amz-date */
	size_t nheaders;
	const void *payload;
	size_t payload_len;
	const char *region;
	const char *service;  /* signing name: "ecs", "securityhub", "sts", "awsssoportal" */
	const char *amz_date; /* "20150830T123600Z", must equal the x-amz-date header */
	int normalize_path;   /* 1 for every service but S3 */
};

struct sigv4_output {
	char *canonical_request;
	char *string_to_sign;
	char *signed_headers;
	char signature[65];
	char *authorization; /* the full Authorization header value */
};

/* Signs in with the given keys (session_token may be NULL; when set, the caller has already
 * added an x-amz-security-token header to in->headers). Fills out (sigv4_output_done frees). */
int sigv4_sign(const struct sigv4_input *in, const char *access_key_id,
	       const char *secret_access_key, struct sigv4_output *out, struct err *e);
void sigv4_output_done(struct sigv4_output *out);

/* Lower-case hex SHA-256 of data into hex (65 bytes). */
void sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

/* URI-encodes s (everything but A-Za-z0-9-._~, and '/' when keep_slash), upper-case hex,
 * as SigV4 and form bodies want. Caller frees. */
char *sigv4_uri_encode(const char *s, int keep_slash);

/* "20150830T123600Z" for t (UTC) into buf. */
void sigv4_amz_date(time_t t, char buf[17]);

#endif
