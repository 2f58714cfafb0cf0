/* apierr.h: AWS error answers (JSON 1.1, rest-json, XML, HTML, empty) as one-line errors. */
#ifndef ECSFIX_AWS_APIERR_H
#define ECSFIX_AWS_APIERR_H

#include <stddef.h>

struct err;

struct apierr_response {
	const char *op;         /* "RegisterTaskDefinition" */
	long http_status;       /* > 0 */
	const char *error_type; /* x-amzn-ErrorType header, or "" / NULL */
	const char *request_id; /* from the headers, or "" / NULL */
	const char *body;
	size_t body_len;
};

/* Fills e with "<Op>: <message> (HTTP <n>, <code>, request id <id>)" (the code and request
 * id parts are left out when unknown), e->code = the AWS error code (the HTTP status digits
 * when the answer names none), e->http_status. Codes follow botocore: x-amzn-ErrorType,
 * else __type / code / Code / <Code>; the part before ':' and after the last '#'. When the
 * headers had no request id and the body has one, it is copied into rid (may be NULL).
 * Returns -1. */
int apierr_from_response(const struct apierr_response *r, char *rid, size_t rid_size,
			 struct err *e);

/* Normalises a raw error code in place: cut at ':', keep what follows the last '#'. */
void apierr_clean_code(char *code);

/* Classification (standard retry mode, aws-credentials.md section 5). */
int apierr_is_throttling(const char *code, long http_status);
int apierr_is_transient(const char *code, long http_status);
int apierr_is_clock_skew(const char *code);
int apierr_is_access_denied(const char *code, long http_status);
/* Signature, unknown key, expired token: the credentials are at fault. */
int apierr_is_credentials(const char *code);

#endif
