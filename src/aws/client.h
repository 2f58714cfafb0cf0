/* client.h: one AWS session (config, credentials, region, endpoints, HTTP pool) and the
 * generic signed call with retries and rate limits, for ECS, Security Hub and STS. */
#ifndef ECSFIX_AWS_CLIENT_H
#define ECSFIX_AWS_CLIENT_H

#include <json-c/json.h>
#include <signal.h>
#include <stddef.h>

#include "util/err.h"

struct trace;

enum aws_service {
	AWS_SVC_ECS,         /* JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Op> */
	AWS_SVC_SECURITYHUB, /* rest-json: the op maps to a method and path */
	AWS_SVC_STS,         /* query protocol, XML answer converted to JSON */
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
};

struct aws_client;

/* Loads config files, resolves profile, region and endpoints. Credentials are resolved on
 * the first call. */
int aws_client_new(const struct aws_client_config *cfg, struct aws_client **out, struct err *e);
void aws_client_free(struct aws_client *c);

const char *aws_client_region(const struct aws_client *c);
const char *aws_client_profile(const struct aws_client *c);
const char *aws_client_endpoint(const struct aws_client *c, enum aws_service svc);
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

/* Follows every page of a list call (nextToken/NextToken) and appends the items under
 * items_key to a new array *items (owned). body is borrowed and not modified. */
int aws_paginate(struct aws_client *c, enum aws_service svc, const char *op, json_object *body,
		 const char *items_key, json_object **items, struct err *e);

#endif
