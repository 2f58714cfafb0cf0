/* client.h: one AWS session (config, credentials, region, endpoints, HTTP pool) and the
 * generic signed call with retries and rate limits, for ECS, Security Hub and STS. */
#ifndef ECSFIX_AWS_CLIENT_H
#define ECSFIX_AWS_CLIENT_H

#include <json-c/json.h>
#include <signal.h>
#include <stddef.h>

#include "util/err.h"

struct aws_credentials;
struct http_pool;
struct trace;

enum aws_service {
	AWS_SVC_ECS,           /* JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Op> */
	AWS_SVC_SECURITYHUB,   /* rest-json: the op maps to a method and path */
	AWS_SVC_STS,           /* query protocol, XML answer converted to JSON */
	AWS_SVC_EC2,           /* query protocol (DescribeRegions), the <OpResponse> as JSON */
	AWS_SVC_ORGANIZATIONS, /* JSON 1.1, global (us-east-1) */
};

struct aws_client_config {
	const char *profile;      /* --profile, or NULL */
	const char *region;       /* --region, or NULL */
	const char *endpoint_url; /* --endpoint-url, or NULL */
	const char *ca_bundle;    /* --ca-bundle, or NULL (then AWS_CA_BUNDLE, ca_bundle) */
	int no_verify_ssl;        /* --no-verify-ssl */
	struct trace *trace;      /* borrowed; NULL: no trace */
	int max_in_flight;        /* 0: default */
	/* Set asynchronously (SIGINT handler): calls not yet sent fail with code "Cancelled",
	 * and waits (backoff, rate limits) stop early. May be NULL. */
	volatile sig_atomic_t *cancel;
	/* Tuning; 0 means the default. */
	long connect_timeout_ms; /* default 10 s */
	long timeout_ms;         /* whole request, default 60 s */
	size_t max_response;     /* response body cap, default 64 MiB */
	int max_attempts;        /* default AWS_MAX_ATTEMPTS, else 3 */
	int retry_no_jitter;     /* 1: sleep the whole backoff, no random part (tests) */
	/* Another client whose HTTP pool (and so the global concurrency limit) this one shares;
	 * it must outlive this one. NULL: a pool of its own. */
	struct aws_client *share;
};

struct aws_client;

/* Loads config files, resolves profile, region and endpoints. Credentials are resolved on
 * the first call. */
int aws_client_new(const struct aws_client_config *cfg, struct aws_client **out, struct err *e);
void aws_client_free(struct aws_client *c);

const char *aws_client_region(const struct aws_client *c);
const char *aws_client_profile(const struct aws_client *c);
const char *aws_client_endpoint(const struct aws_client *c, enum aws_service svc);
/* A setting of the client's profile in the AWS config file (e.g. "ecsfix_regions"), or NULL.
 * Borrowed. */
const char *aws_client_setting(const struct aws_client *c, const char *key);
/* The global concurrency limit of the client's pool. */
size_t aws_client_max_in_flight(const struct aws_client *c);
/* Uses these temporary credentials (e.g. from AssumeRole) instead of the provider chain from
 * now on; expiration is ISO-8601 or NULL; source names them in messages (a role ARN). */
void aws_client_set_credentials(struct aws_client *c, const char *access_key_id,
				const char *secret_access_key, const char *session_token,
				const char *expiration, const char *source);

/* The account id (STS GetCallerIdentity, asked once and cached). Borrowed. */
int aws_client_account(struct aws_client *c, const char **account, struct err *e);

struct aws_request {
	/* in */
	enum aws_service service;
	const char *op;    /* "DescribeServices", "GetFindings", "AssumeRole", ... */
	json_object *body; /* borrowed request members; NULL means {} */

	/* out */
	int status;           /* 0 success, -1 failure (err says why) */
	json_object *resp;    /* owned; the parsed answer on success */
	long http_status;     /* last attempt's HTTP status, 0 if none */
	char request_id[128]; /* last attempt's request id, or "" */
	int attempts;         /* attempts made */
	struct err err;       /* on failure: "<Op>: <message> (HTTP <n>, <code>, request id
				 <id>)" with err.code the AWS error code (AccessDeniedException,
				 ThrottlingException, ...) and, for access denied, a hint naming
				 the IAM action to grant, e.g. "grant ecs:RegisterTaskDefinition" */
};

/*
 * More on the out fields:
 *  - resp: the JSON body for ECS and Security Hub ({} for an empty body); for STS the
 *    content of <OpResult> converted from XML, every leaf a string, e.g. AssumeRole ->
 *    {"Credentials":{"AccessKeyId","SecretAccessKey","SessionToken","Expiration"},
 *    "AssumedRoleUser":{...}}, GetCallerIdentity -> {"Account","Arn","UserId"}.
 *  - err.code when the failure is not an AWS error code: the HTTP status digits ("502")
 *    for an answer naming no code; "ConnectionError", "RequestTimeout" (transport; message
 *    "<Op>: <curl text> (request not sent|no complete answer, N attempts)"), "TLSError",
 *    "ResponseTooLarge", "Cancelled", "MalformedResponse" (a 2xx that is not JSON/XML),
 *    "UnknownOperation" (not in the operation table of client.c).
 *  - Idempotency: RegisterTaskDefinition, CreateService, RunTask, StartTask and UpdateService
 *    with forceNewDeployment:true are repeated only after a failure proving they were not
 *    processed (no request byte sent, or a 4xx clock-skew answer; a throttling answer is
 *    not proof: the caller looks before repeating, as apply does for RegisterTaskDefinition).
 * Everything else (reads, UpdateService, DeregisterTaskDefinition, BatchUpdateFindings, STS) is
 *    retried on throttling, 5xx and transport errors.
 *  - Environment: AWS_MAX_ATTEMPTS (attempts, default 3), AWS_CA_BUNDLE,
 *    ECSFIX_RATE_SCALE (multiplies every token bucket).
 * A client is used by one thread at a time.
 */
void aws_request_init(struct aws_request *r, enum aws_service svc, const char *op,
		      json_object *body);
/* Frees resp and resets the out fields. */
void aws_request_done(struct aws_request *r);

/* One call: signs, sends, retries (standard mode: up to 3 attempts, full-jitter backoff, on
 * throttling, 5xx and connection errors; non-idempotent ops such as RegisterTaskDefinition
 * only when the failure proves they were not processed), parses. Returns r->status. */
int aws_call(struct aws_client *c, struct aws_request *r);

/* reqs[0..n) concurrently through the pool, each within its API group's token bucket.
 * Returns 0 when all succeeded, -1 when any failed (each request carries its own outcome). */
int aws_call_many(struct aws_client *c, struct aws_request *reqs, size_t n);

/*
 * Streaming: requests are submitted one by one and come back as each finishes (after its
 * retries), in the order they finish. Every client submitting to a stream shares the HTTP
 * pool of the stream's client (aws_client_config.share); each keeps its own token buckets,
 * retry quota and credentials (account x region). The pool's max_in_flight is the global
 * limit. r and tag are borrowed until r comes back from aws_stream_next, which blocks until
 * one request is finished and returns NULL when none is pending. One thread uses a stream.
 */
struct aws_stream;
struct aws_stream *aws_stream_new(struct aws_client *c);
void aws_stream_submit(struct aws_stream *st, struct aws_client *c, struct aws_request *r,
		       void *tag);
struct aws_request *aws_stream_next(struct aws_stream *st, void **tag);
/* Requests submitted and not yet returned by aws_stream_next. */
size_t aws_stream_pending(const struct aws_stream *st);
/* Waits for what is pending (the answers are dropped) and frees the stream. */
void aws_stream_free(struct aws_stream *st);

/* One STS call (AssumeRole, AssumeRoleWithWebIdentity) for the credential providers, through
 * the same signed-request path as every other call (signing, retries, errors, XML answer as
 * JSON), outside any client: signed with src (NULL: unsigned), to endpoint, signing for
 * region, over pool. Returns r->status. */
struct aws_sts_call {
	struct http_pool *pool;
	struct trace *trace;
	const char *endpoint;
	const char *region;
	const struct aws_credentials *src;
};
int aws_sts_call(const struct aws_sts_call *call, struct aws_request *r);

/* The guard of a paged listing: every token seen is remembered, so a server that repeats a
 * token or cycles between tokens is caught, and the number of pages is capped. */
struct aws_page_guard {
	json_object *seen;
	int pages;
};
void aws_page_guard_init(struct aws_page_guard *g);
void aws_page_guard_done(struct aws_page_guard *g);
/* Before asking for the page of token: 0, or -1 with e set (code RepeatedPageToken or
 * TooManyPages, message "<op>: the service repeated a page token after N pages"). */
int aws_page_guard_next(struct aws_page_guard *g, const char *op, const char *token, struct err *e);

/* Follows every page of a list call (nextToken/NextToken) and appends the items under
 * items_key to a new array *items (owned). body is borrowed and not modified. Guarded
 * (struct aws_page_guard). */
int aws_paginate(struct aws_client *c, enum aws_service svc, const char *op, json_object *body,
		 const char *items_key, json_object **items, struct err *e);

#endif
