/* credentials.h: the SDK credential provider chain, with refresh of temporary credentials. */
#ifndef ECSFIX_AWS_CREDENTIALS_H
#define ECSFIX_AWS_CREDENTIALS_H

#include <time.h>

struct aws_config;
struct err;
struct http_pool;
struct trace;

struct aws_credentials {
	char *access_key_id;
	char *secret_access_key;
	char *session_token; /* NULL for long-term keys */
	time_t expiration;   /* 0: does not expire */
	char *provider;      /* where they came from, e.g. "environment", "profile dev
				(assume role)", for messages; never secret */
};
void aws_credentials_done(struct aws_credentials *c);

struct aws_cred_chain_config {
	const struct aws_config *cfg; /* borrowed */
	const char *profile;          /* resolved profile name */
	int profile_explicit;         /* --profile or AWS_PROFILE given: skip environment keys */
	const char *region;           /* for STS and SSO */
	struct http_pool *pool;       /* borrowed: STS, SSO, IMDS and container calls */
	struct trace *trace;          /* borrowed: secrets found are registered for redaction */
	const char *sts_endpoint;     /* override (tests), or NULL for the resolved one */
};

struct aws_cred_chain;

/* Creates the chain; nothing is resolved until the first aws_cred_chain_get. A chain is
 * used by one thread at a time (like its pool). With pool NULL the chain makes its own. */
struct aws_cred_chain *aws_cred_chain_new(const struct aws_cred_chain_config *cfg);
void aws_cred_chain_free(struct aws_cred_chain *chain);

/* Current credentials, resolved on first use and refreshed when they expire within five
 * minutes. *out is borrowed until the next call. Failure names the provider and the cause
 * (file, profile, HTTP error) in one line. */
int aws_cred_chain_get(struct aws_cred_chain *chain, const struct aws_credentials **out,
		       struct err *e);

/* Parses an ISO-8601 UTC time ("2026-11-29T12:34:56Z", optional fraction and offset). */
int aws_cred_parse_time(const char *s, time_t *out);

#endif
