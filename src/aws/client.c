/* client.c: the signed AWS call: operation table, retries, rate limits, pages, errors. */
#include "config.h"

#include "aws/client.h"

#include <assert.h>
#include <curl/curl.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/apierr.h"
#include "aws/aws_config.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "aws/xml.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/trace.h"
#include "util/xmalloc.h"

#define CLIENT_DEFAULT_ATTEMPTS 3
#define CLIENT_SKEW_TOLERANCE_S 240
#define CLIENT_SLEEP_SLICE_MS   50
#define CLIENT_MAX_PAGES        100000

/* Rate-limit groups: the ECS throttling categories (aws-api.md section 4) and Security
 * Hub's documented limits. Our buckets pace this client only; AWS's are per account. */
enum client_group {
	GRP_NONE,
	GRP_ECS_CLUSTER_READ,
	GRP_ECS_CLUSTER_MODIFY,
	GRP_ECS_TD_MODIFY,
	GRP_ECS_TD_READ,
	GRP_ECS_TD_DELETE,
	GRP_ECS_TAG_MODIFY,
	GRP_ECS_TAG_READ,
	GRP_ECS_SVC_MODIFY,
	GRP_ECS_SVC_READ,
	GRP_ECS_SVC_DEPLOY,
	GRP_ECS_RES_READ,
	GRP_ECS_RES_MODIFY,
	GRP_SH_GET_FINDINGS,
	GRP_SH_BATCH_UPDATE,
	GRP_SH_OTHER,
	GRP_ORG_READ,
	GRP_COUNT
};

struct client_limit {
	double burst; /* bucket size */
	double rate;  /* tokens per second */
};

static const struct client_limit client_limits[GRP_COUNT] = {
    [GRP_NONE] = {0, 0},
    [GRP_ECS_CLUSTER_READ] = {50, 20},
    [GRP_ECS_CLUSTER_MODIFY] = {20, 1},
    [GRP_ECS_TD_MODIFY] = {20, 1},
    [GRP_ECS_TD_READ] = {50, 20},
    [GRP_ECS_TD_DELETE] = {5, 1},
    [GRP_ECS_TAG_MODIFY] = {20, 10},
    [GRP_ECS_TAG_READ] = {50, 20},
    [GRP_ECS_SVC_MODIFY] = {50, 5},
    [GRP_ECS_SVC_READ] = {100, 20},
    [GRP_ECS_SVC_DEPLOY] = {50, 20},
    [GRP_ECS_RES_READ] = {100, 20},
    [GRP_ECS_RES_MODIFY] = {100, 40},
    [GRP_SH_GET_FINDINGS] = {6, 3},
    [GRP_SH_BATCH_UPDATE] = {30, 10},
    [GRP_SH_OTHER] = {30, 10},
    [GRP_ORG_READ] = {5, 1}, /* Organizations: about one request per second per account */
};

enum client_protocol {
	PROTO_JSON,      /* JSON 1.1 with X-Amz-Target <target>.<Op> */
	PROTO_REST_JSON, /* the op maps to a method and a path */
	PROTO_QUERY,     /* form-encoded Action=<Op>&Version=<version>, XML answer */
};

struct client_service {
	const char *endpoint_id; /* for aws_config_endpoint */
	const char *signing;     /* SigV4 service name */
	const char *iam_prefix;  /* IAM action prefix */
	const char *label;       /* for messages */
	enum client_protocol proto;
	const char *target;        /* PROTO_JSON: the X-Amz-Target prefix */
	const char *version;       /* PROTO_QUERY: the API version */
	const char *global_region; /* a global service: its endpoint and signing region */
	int result_wrapper;        /* PROTO_QUERY: the answer is in <OpResponse><OpResult> */
};

static const struct client_service client_services[] = {
    [AWS_SVC_ECS] = {"ecs", "ecs", "ecs", "ECS", PROTO_JSON, "AmazonEC2ContainerServiceV20141113",
		     NULL, NULL, 0},
    [AWS_SVC_SECURITYHUB] = {"securityhub", "securityhub", "securityhub", "Security Hub",
			     PROTO_REST_JSON, NULL, NULL, NULL, 0},
    [AWS_SVC_STS] = {"sts", "sts", "sts", "STS", PROTO_QUERY, NULL, "2011-06-15", NULL, 1},
    [AWS_SVC_EC2] = {"ec2", "ec2", "ec2", "EC2", PROTO_QUERY, NULL, "2016-11-15", NULL, 0},
    [AWS_SVC_ORGANIZATIONS] = {"organizations", "organizations", "organizations", "Organizations",
			       PROTO_JSON, "AWSOrganizationsV20161128", NULL, "us-east-1", 0},
};

#define CLIENT_NSERVICES (sizeof client_services / sizeof *client_services)

/*
 * The operations. idempotent = 0 means a repeat could do the work twice, so the call is
 * retried only when the failure proves the first attempt was not processed (the connection
 * never carried the request, or a 4xx throttling / clock-skew answer that AWS gives before
 * acting). Decisions:
 *  - RegisterTaskDefinition, CreateService, RunTask, StartTask: not idempotent (each call
 *    creates something new).
 *  - UpdateService, DeregisterTaskDefinition, BatchUpdateFindings, CreateCluster: set a
 *    state to given values; a repeat leaves the same state, so they are retried like reads.
 *    UpdateService with "forceNewDeployment": true starts a deployment each time and is
 *    treated as not idempotent (see client_op_idempotent).
 *  - STS AssumeRole / GetCallerIdentity: a repeat only issues another session: idempotent.
 * page_size: maxResults/MaxResults that aws_paginate asks for when the body has none.
 */
struct client_op {
	enum aws_service svc;
	const char *name;
	const char *method; /* rest-json only; the others POST "/" */
	const char *path;
	int idempotent;
	enum client_group group;
	int page_size;
};

static const struct client_op client_ops[] = {
    {AWS_SVC_ECS, "ListClusters", NULL, NULL, 1, GRP_ECS_CLUSTER_READ, 100},
    {AWS_SVC_ECS, "DescribeClusters", NULL, NULL, 1, GRP_ECS_CLUSTER_READ, 0},
    {AWS_SVC_ECS, "CreateCluster", NULL, NULL, 1, GRP_ECS_CLUSTER_MODIFY, 0},
    {AWS_SVC_ECS, "ListServices", NULL, NULL, 1, GRP_ECS_SVC_READ, 100},
    {AWS_SVC_ECS, "DescribeServices", NULL, NULL, 1, GRP_ECS_SVC_READ, 0},
    {AWS_SVC_ECS, "CreateService", NULL, NULL, 0, GRP_ECS_SVC_MODIFY, 0},
    {AWS_SVC_ECS, "UpdateService", NULL, NULL, 1, GRP_ECS_SVC_MODIFY, 0},
    {AWS_SVC_ECS, "ListServiceDeployments", NULL, NULL, 1, GRP_ECS_SVC_DEPLOY, 100},
    {AWS_SVC_ECS, "DescribeServiceDeployments", NULL, NULL, 1, GRP_ECS_SVC_DEPLOY, 0},
    {AWS_SVC_ECS, "ListTaskDefinitionFamilies", NULL, NULL, 1, GRP_ECS_TD_READ, 100},
    {AWS_SVC_ECS, "ListTaskDefinitions", NULL, NULL, 1, GRP_ECS_TD_READ, 100},
    {AWS_SVC_ECS, "DescribeTaskDefinition", NULL, NULL, 1, GRP_ECS_TD_READ, 0},
    {AWS_SVC_ECS, "RegisterTaskDefinition", NULL, NULL, 0, GRP_ECS_TD_MODIFY, 0},
    {AWS_SVC_ECS, "DeregisterTaskDefinition", NULL, NULL, 1, GRP_ECS_TD_MODIFY, 0},
    {AWS_SVC_ECS, "DeleteTaskDefinitions", NULL, NULL, 1, GRP_ECS_TD_DELETE, 0},
    {AWS_SVC_ECS, "ListTagsForResource", NULL, NULL, 1, GRP_ECS_TAG_READ, 0},
    {AWS_SVC_ECS, "TagResource", NULL, NULL, 1, GRP_ECS_TAG_MODIFY, 0},
    {AWS_SVC_ECS, "ListTasks", NULL, NULL, 1, GRP_ECS_RES_READ, 100},
    {AWS_SVC_ECS, "DescribeTasks", NULL, NULL, 1, GRP_ECS_RES_READ, 0},
    {AWS_SVC_ECS, "ListContainerInstances", NULL, NULL, 1, GRP_ECS_RES_READ, 100},
    {AWS_SVC_ECS, "DescribeContainerInstances", NULL, NULL, 1, GRP_ECS_RES_READ, 0},
    {AWS_SVC_ECS, "RunTask", NULL, NULL, 0, GRP_ECS_RES_MODIFY, 0},
    {AWS_SVC_ECS, "StartTask", NULL, NULL, 0, GRP_ECS_RES_MODIFY, 0},
    {AWS_SVC_SECURITYHUB, "GetFindings", "POST", "/findings", 1, GRP_SH_GET_FINDINGS, 100},
    {AWS_SVC_SECURITYHUB, "BatchUpdateFindings", "PATCH", "/findings/batchupdate", 1,
     GRP_SH_BATCH_UPDATE, 0},
    {AWS_SVC_SECURITYHUB, "BatchImportFindings", "POST", "/findings/import", 1, GRP_SH_BATCH_UPDATE,
     0},
    {AWS_SVC_STS, "GetCallerIdentity", NULL, NULL, 1, GRP_NONE, 0},
    {AWS_SVC_STS, "AssumeRole", NULL, NULL, 1, GRP_NONE, 0},
    {AWS_SVC_STS, "AssumeRoleWithWebIdentity", NULL, NULL, 1, GRP_NONE, 0},
    {AWS_SVC_EC2, "DescribeRegions", NULL, NULL, 1, GRP_NONE, 0},
    {AWS_SVC_ORGANIZATIONS, "ListAccounts", NULL, NULL, 1, GRP_ORG_READ, 20},
};

/* An endpoint parsed once, when the client is made. */
struct client_endpoint {
	char *base;     /* the URL without trailing '/' */
	char *hostport; /* the Host header: host[:port] */
	char *path;     /* the URL's path without trailing '/' ("" for none) */
};

struct client_bucket {
	double tokens;
	int64_t last_ms;
};

struct aws_client {
	struct aws_config *cfg;
	char *profile;
	char *region;
	char *endpoints[CLIENT_NSERVICES];
	struct client_endpoint parsed[CLIENT_NSERVICES]; /* the endpoints, parsed once */
	struct http_pool *pool;
	int pool_owned;
	struct aws_cred_chain *chain;
	struct aws_credentials fixed; /* aws_client_set_credentials; access_key_id NULL: none */
	int fixed_borrowed;           /* fixed is not ours (aws_sts_call) */
	int anonymous;                /* unsigned calls (aws_sts_call without credentials) */
	struct trace *trace;
	volatile sig_atomic_t *cancel;
	char *account;
	struct client_bucket buckets[GRP_COUNT];
	long skew_s; /* server clock minus ours, learned from a skew error */
	uint64_t rng;
	int max_attempts;
	int no_jitter;
	int max_in_flight;
	int quota;         /* retry quota (standard mode) */
	double rate_scale; /* ECSFIX_RATE_SCALE: multiplies every bucket (raised quotas) */
};

/* One request's progress through aws_call_many. */
struct client_slot {
	struct aws_request *r;
	const struct client_op *op;
	int idempotent;
	int done;
	int64_t not_before_ms;
	int last_cost;
	/* the attempt being sent */
	char *url;
	char *body;
	size_t body_len;
	char **hdrs;
	size_t nhdrs;
};

static const struct client_op *client_op_find(enum aws_service svc, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof client_ops / sizeof *client_ops; i++) {
		if (client_ops[i].svc == svc && strcmp(client_ops[i].name, name) == 0)
			return &client_ops[i];
	}
	return NULL;
}

static int client_op_idempotent(const struct client_op *op, json_object *body)
{
	if (strcmp(op->name, "UpdateService") == 0 && jsonx_bool(body, "forceNewDeployment") == 1)
		return 0;
	return op->idempotent;
}

static int client_cancelled(const struct aws_client *c)
{
	return c->cancel != NULL && *c->cancel;
}

/* Sleeps up to ms, in slices, returning early when cancelled. */
static void client_sleep(const struct aws_client *c, int64_t ms)
{
	int64_t end = time_mono_ms() + ms, now;

	while (!client_cancelled(c) && (now = time_mono_ms()) < end)
		time_sleep_ms(end - now < CLIENT_SLEEP_SLICE_MS ? end - now
								: CLIENT_SLEEP_SLICE_MS);
}

/* xorshift64*: jitter only, not cryptographic. Returns [0, 1). */
static double client_random(struct aws_client *c)
{
	uint64_t x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return (double)((x * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Milliseconds until a token of group g is there (0: now). */
static int64_t client_bucket_wait(struct aws_client *c, enum client_group g, int64_t now)
{
	struct client_bucket *b = &c->buckets[g];
	const struct client_limit *l = &client_limits[g];

	double rate = l->rate * c->rate_scale, burst = l->burst * c->rate_scale;

	if (rate <= 0)
		return 0;
	b->tokens += (double)(now - b->last_ms) * rate / 1000.0;
	if (b->tokens > burst)
		b->tokens = burst;
	b->last_ms = now;
	if (b->tokens >= 1.0)
		return 0;
	return (int64_t)((1.0 - b->tokens) * 1000.0 / rate) + 1;
}

static void client_bucket_take(struct aws_client *c, enum client_group g)
{
	if (client_limits[g].rate > 0)
		c->buckets[g].tokens -= 1.0;
}

/* Parses an endpoint: an http(s) URL with a host. */
static int client_endpoint_parse(const char *url, const char *label, struct client_endpoint *ep,
				 struct err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	size_t n;
	int rc = -1;

	memset(ep, 0, sizeof *ep);
	if (url == NULL || u == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		err_set(e, "bad %s endpoint URL \"%s\"", label, url != NULL ? url : "");
		err_hint(
		    e, "use an http:// or https:// URL, e.g. https://ecs.us-east-1.amazonaws.com");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		path = NULL;
	ep->hostport = port != NULL ? xasprintf("%s:%s", host, port) : xstrdup(host);
	n = path != NULL ? strlen(path) : 0;
	while (n > 0 && path[n - 1] == '/')
		n--;
	ep->path = xstrndup(path != NULL ? path : "", n);
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	ep->base = xstrndup(url, n);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	if (u != NULL)
		curl_url_cleanup(u);
	return rc;
}

static void client_endpoint_done(struct client_endpoint *ep)
{
	free(ep->base);
	free(ep->hostport);
	free(ep->path);
	memset(ep, 0, sizeof *ep);
}

int aws_client_new(const struct aws_client_config *cfg, struct aws_client **out, struct err *e)
{
	struct aws_client *c;
	struct http_options ho;
	struct aws_cred_chain_config cc;
	const char *ca, *env;
	size_t i;
	int rc = -1, g;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->trace = cfg->trace;
	c->cancel = cfg->cancel;
	c->no_jitter = cfg->retry_no_jitter;
	c->max_in_flight = cfg->max_in_flight > 0 ? cfg->max_in_flight : 16;
	c->quota = AWS_RETRY_QUOTA_MAX;
	c->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)time_mono_ms() ^
		 (uint64_t)(uintptr_t)c;
	if (c->rng == 0)
		c->rng = 88172645463325252ULL;
	c->max_attempts = cfg->max_attempts;
	if (c->max_attempts <= 0 && (env = getenv("AWS_MAX_ATTEMPTS")) != NULL && *env != '\0') {
		char *end;
		long v;

		errno = 0;
		v = strtol(env, &end, 10);
		if (errno != 0 || *end != '\0' || v <= 0 || v > 20) {
			err_set(e, "AWS_MAX_ATTEMPTS: \"%s\" is not a number from 1 to 20", env);
			goto out;
		}
		c->max_attempts = (int)v;
	}
	if (c->max_attempts <= 0)
		c->max_attempts = CLIENT_DEFAULT_ATTEMPTS;
	/* Accounts with raised ECS quotas (and emulators) may scale the buckets. */
	c->rate_scale = 1.0;
	if ((env = getenv("ECSFIX_RATE_SCALE")) != NULL && *env != '\0') {
		char *end;

		errno = 0;
		c->rate_scale = strtod(env, &end);
		if (errno != 0 || *end != '\0' || !(c->rate_scale > 0) || c->rate_scale > 1e6) {
			err_set(e, "ECSFIX_RATE_SCALE: \"%s\" is not a positive number", env);
			goto out;
		}
	}
	for (g = 0; g < GRP_COUNT; g++) {
		c->buckets[g].tokens = client_limits[g].burst * c->rate_scale;
		c->buckets[g].last_ms = time_mono_ms();
	}

	if (aws_config_load(NULL, NULL, &c->cfg, e) != 0)
		goto out;
	c->profile = xstrdup(aws_config_profile_name(cfg->profile));
	if ((cfg->profile != NULL || getenv("AWS_PROFILE") != NULL) &&
	    !aws_config_has_profile(c->cfg, c->profile)) {
		err_set(e, "profile \"%s\" not found in the AWS config or credentials file",
			c->profile);
		err_hint(e, "check --profile / AWS_PROFILE, AWS_CONFIG_FILE and "
			    "AWS_SHARED_CREDENTIALS_FILE");
		goto out;
	}
	if (aws_config_region(c->cfg, c->profile, cfg->region, &c->region, e) != 0)
		goto out;
	for (i = 0; i < CLIENT_NSERVICES; i++) {
		c->endpoints[i] = aws_config_endpoint(
		    c->cfg, c->profile, client_services[i].endpoint_id,
		    client_services[i].global_region != NULL ? client_services[i].global_region
							     : c->region,
		    cfg->endpoint_url);
		if (client_endpoint_parse(c->endpoints[i], client_services[i].label, &c->parsed[i],
					  e) != 0)
			goto out;
	}

	ca = cfg->ca_bundle;
	if (ca == NULL && (env = getenv("AWS_CA_BUNDLE")) != NULL && *env != '\0')
		ca = env;
	if (ca == NULL)
		ca = aws_config_get(c->cfg, c->profile, "ca_bundle");
	memset(&ho, 0, sizeof ho);
	ho.ca_bundle = ca;
	ho.no_verify_ssl = cfg->no_verify_ssl;
	ho.connect_timeout_ms = cfg->connect_timeout_ms;
	ho.timeout_ms = cfg->timeout_ms;
	ho.max_response = cfg->max_response;
	ho.max_in_flight = c->max_in_flight;
	ho.trace = cfg->trace;
	ho.cancel = cfg->cancel;
	if (cfg->share != NULL) {
		c->pool = cfg->share->pool;
		c->max_in_flight = cfg->share->max_in_flight;
	} else {
		if (http_pool_new(&ho, &c->pool, e) != 0)
			goto out;
		c->pool_owned = 1;
	}

	memset(&cc, 0, sizeof cc);
	cc.cfg = c->cfg;
	cc.profile = c->profile;
	cc.profile_explicit = cfg->profile != NULL || getenv("AWS_PROFILE") != NULL;
	cc.region = c->region;
	cc.pool = c->pool;
	cc.trace = cfg->trace;
	cc.sts_endpoint = NULL;
	c->chain = aws_cred_chain_new(&cc);
	trace_printf(c->trace, "aws: profile %s, region %s, ecs %s, securityhub %s, sts %s",
		     c->profile, c->region, c->endpoints[AWS_SVC_ECS],
		     c->endpoints[AWS_SVC_SECURITYHUB], c->endpoints[AWS_SVC_STS]);
	*out = c;
	c = NULL;
	rc = 0;
out:
	aws_client_free(c);
	return rc;
}

void aws_client_free(struct aws_client *c)
{
	size_t i;

	if (c == NULL)
		return;
	aws_cred_chain_free(c->chain);
	aws_credentials_done(&c->fixed);
	if (c->pool_owned)
		http_pool_free(c->pool);
	for (i = 0; i < CLIENT_NSERVICES; i++) {
		free(c->endpoints[i]);
		client_endpoint_done(&c->parsed[i]);
	}
	aws_config_free(c->cfg);
	free(c->profile);
	free(c->region);
	free(c->account);
	free(c);
}

const char *aws_client_setting(const struct aws_client *c, const char *key)
{
	return aws_config_get(c->cfg, c->profile, key);
}

size_t aws_client_max_in_flight(const struct aws_client *c)
{
	return (size_t)c->max_in_flight;
}

void aws_client_set_credentials(struct aws_client *c, const char *access_key_id,
				const char *secret_access_key, const char *session_token,
				const char *expiration, const char *source)
{
	aws_credentials_done(&c->fixed);
	c->fixed.access_key_id = xstrdup(access_key_id);
	c->fixed.secret_access_key = xstrdup(secret_access_key);
	c->fixed.session_token = session_token != NULL ? xstrdup(session_token) : NULL;
	c->fixed.expiration = 0;
	if (expiration != NULL)
		aws_cred_parse_time(expiration, &c->fixed.expiration);
	c->fixed.provider = xasprintf("%s (assumed role)", source != NULL ? source : "a role");
	trace_add_secret(c->trace, c->fixed.secret_access_key);
	trace_add_secret(c->trace, c->fixed.session_token);
}

/* The credentials to sign with: those set on the client, else the chain's. */
static int client_credentials(struct aws_client *c, const struct aws_credentials **out,
			      struct err *e)
{
	static const struct aws_credentials anonymous = {NULL, NULL, NULL, 0, NULL};

	if (c->anonymous) {
		*out = &anonymous;
		return 0;
	}
	if (c->fixed.access_key_id != NULL) {
		*out = &c->fixed;
		return 0;
	}
	return aws_cred_chain_get(c->chain, out, e);
}

const char *aws_client_region(const struct aws_client *c)
{
	return c->region;
}

const char *aws_client_profile(const struct aws_client *c)
{
	return c->profile;
}

const char *aws_client_endpoint(const struct aws_client *c, enum aws_service svc)
{
	if ((size_t)svc >= CLIENT_NSERVICES || c->endpoints[svc] == NULL)
		return "";
	return c->endpoints[svc];
}

void aws_request_init(struct aws_request *r, enum aws_service svc, const char *op,
		      json_object *body)
{
	memset(r, 0, sizeof *r);
	r->service = svc;
	r->op = op;
	r->body = body;
	err_clear(&r->err);
}

void aws_request_done(struct aws_request *r)
{
	json_object_put(r->resp);
	r->resp = NULL;
	r->status = 0;
	r->http_status = 0;
	r->request_id[0] = '\0';
	r->attempts = 0;
	err_clear(&r->err);
}

/* Form-encodes a JSON value for the query protocol: Key=v, List.member.N=v, A.B=v. */
static void client_form_flatten(struct strbuf *sb, const char *prefix, json_object *v)
{
	char *enc, *key;

	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, child)
		{
			key = prefix[0] != '\0' ? xasprintf("%s.%s", prefix, k) : xstrdup(k);
			client_form_flatten(sb, key, child);
			free(key);
		}
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		size_t i, n = json_object_array_length(v);

		for (i = 0; i < n; i++) {
			key = xasprintf("%s.member.%zu", prefix, i + 1);
			client_form_flatten(sb, key, json_object_array_get_idx(v, i));
			free(key);
		}
		return;
	}
	if (v == NULL)
		return;
	enc = sigv4_uri_encode(prefix, 0);
	strbuf_printf(sb, "&%s=", enc);
	free(enc);
	enc = sigv4_uri_encode(json_object_get_string(v), 0);
	strbuf_puts(sb, enc);
	free(enc);
}

static void client_slot_clear_attempt(struct client_slot *s)
{
	size_t i;

	free(s->url);
	free(s->body);
	for (i = 0; i < s->nhdrs; i++)
		free(s->hdrs[i]);
	free(s->hdrs);
	s->url = s->body = NULL;
	s->hdrs = NULL;
	s->nhdrs = 0;
	s->body_len = 0;
}

static void client_slot_header(struct client_slot *s, const char *name, const char *value)
{
	s->hdrs = xreallocarray(s->hdrs, s->nhdrs + 1, sizeof *s->hdrs);
	s->hdrs[s->nhdrs++] = xasprintf("%s: %s", name, value);
}

/* Builds and signs the next attempt of s into h. */
static int client_slot_build(struct aws_client *c, struct client_slot *s,
			     const struct aws_credentials *cr, struct http_request *h,
			     struct err *e)
{
	const struct client_op *op = s->op;
	const struct client_service *svc = &client_services[op->svc];
	const struct client_endpoint *ep = &c->parsed[op->svc];
	const char *hostport = ep->hostport;
	struct sigv4_header sh[6];
	struct sigv4_input in;
	struct sigv4_output so;
	char *path = NULL;
	char amz_date[17], target[160];
	const char *ctype, *method = op->method != NULL ? op->method : "POST";
	size_t nsh = 0;
	int rc = -1;

	memset(&so, 0, sizeof so);
	if (ep->base == NULL) {
		err_set(e, "%s: no %s endpoint", op->name, client_services[op->svc].label);
		goto out;
	}
	path = xasprintf("%s%s", ep->path, op->path != NULL ? op->path : "/");
	s->url = xasprintf("%s%s", ep->base, op->path != NULL ? op->path : "/");

	if (svc->proto == PROTO_QUERY) {
		struct strbuf sb;

		strbuf_init(&sb);
		strbuf_printf(&sb, "Action=%s&Version=%s", op->name, svc->version);
		if (s->r->body != NULL)
			client_form_flatten(&sb, "", s->r->body);
		s->body_len = sb.len;
		s->body = sb.buf; /* handed over */
		ctype = "application/x-www-form-urlencoded; charset=utf-8";
	} else {
		if (s->r->body != NULL) {
			s->body = jsonx_compact(s->r->body);
		} else {
			s->body = xstrdup("{}");
		}
		s->body_len = strlen(s->body);
		ctype =
		    svc->proto == PROTO_JSON ? "application/x-amz-json-1.1" : "application/json";
	}

	sigv4_amz_date(time(NULL) + c->skew_s, amz_date);
	sh[nsh++] = (struct sigv4_header){"host", hostport};
	sh[nsh++] = (struct sigv4_header){"x-amz-date", amz_date};
	sh[nsh++] = (struct sigv4_header){"content-type", ctype};
	if (svc->proto == PROTO_JSON) {
		snprintf(target, sizeof target, "%s.%s", svc->target, op->name);
		sh[nsh++] = (struct sigv4_header){"x-amz-target", target};
	}
	if (cr->session_token != NULL && *cr->session_token != '\0')
		sh[nsh++] = (struct sigv4_header){"x-amz-security-token", cr->session_token};
	memset(&in, 0, sizeof in);
	in.method = method;
	in.path = path;
	in.query = NULL;
	in.headers = sh;
	in.nheaders = nsh;
	in.payload = s->body;
	in.payload_len = s->body_len;
	in.region = svc->global_region != NULL ? svc->global_region : c->region;
	in.service = svc->signing;
	in.amz_date = amz_date;
	in.normalize_path = 1;
	if (cr->access_key_id != NULL &&
	    sigv4_sign(&in, cr->access_key_id, cr->secret_access_key, &so, e) != 0) {
		err_prefix(e, "%s: signing", op->name);
		goto out;
	}
	/* the signature only travels in Authorization, which http.c never traces */
	client_slot_header(s, "Host", hostport);
	client_slot_header(s, "X-Amz-Date", amz_date);
	client_slot_header(s, "Content-Type", ctype);
	if (svc->proto == PROTO_JSON)
		client_slot_header(s, "X-Amz-Target", target);
	if (cr->session_token != NULL && *cr->session_token != '\0')
		client_slot_header(s, "X-Amz-Security-Token", cr->session_token);
	if (cr->access_key_id != NULL)
		client_slot_header(s, "Authorization", so.authorization);
	/* STS would answer JSON to this (undocumented, Expiration as a number): keep its XML */
	if (svc->proto != PROTO_QUERY)
		client_slot_header(s, "Accept", "application/json");

	memset(h, 0, sizeof *h);
	h->method = method;
	h->url = s->url;
	h->headers = (const char *const *)s->hdrs;
	h->nheaders = s->nhdrs;
	h->body = s->body;
	h->body_len = s->body_len;
	/* libcurl silently re-sends a request whose kept-alive connection turns out dead,
	 * which could do a non-idempotent call twice: give those a connection of their own. */
	h->fresh_connect = !s->idempotent;
	rc = 0;
out:
	sigv4_output_done(&so);
	free(path);
	return rc;
}

/* The successful answer as JSON: the body for ECS and Security Hub (empty means {}), the
 * <OpResult> element for STS. */
static int client_parse_success(const struct client_slot *s, const struct http_request *h,
				json_object **out, struct err *e)
{
	const char *b = h->resp;
	size_t i;

	*out = NULL;
	for (i = 0; i < h->resp_len && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r'); i++)
		;
	if (i == h->resp_len) {
		*out = json_object_new_object();
		return 0;
	}
	if (client_services[s->op->svc].proto == PROTO_QUERY && b[i] == '<') {
		json_object *doc = NULL, *resp, *result;
		char name[128];

		if (xml_to_json(h->resp, h->resp_len, &doc, e) != 0)
			return -1;
		snprintf(name, sizeof name, "%sResponse", s->op->name);
		resp = jsonx_obj(doc, name);
		snprintf(name, sizeof name, "%sResult", s->op->name);
		result = jsonx_obj(resp, name);
		if (!client_services[s->op->svc].result_wrapper && resp != NULL) {
			*out = json_object_get(resp); /* EC2: the members are in <OpResponse> */
		} else if (result != NULL) {
			*out = json_object_get(result);
		} else if (resp != NULL && json_object_object_get_ex(resp, name, NULL)) {
			*out = json_object_new_object(); /* <OpResult/> */
		} else {
			json_object_put(doc);
			return err_set(e, "XML answer without <%sResult>", s->op->name);
		}
		json_object_put(doc);
		return 0;
	}
	if (jsonx_parse(h->resp, h->resp_len, out, e) != 0)
		return -1;
	if (s->op->svc == AWS_SVC_STS) {
		/* JSON flavour: {"<Op>Response":{"<Op>Result":{...}}} */
		char name[128];
		json_object *resp, *result;

		snprintf(name, sizeof name, "%sResponse", s->op->name);
		resp = jsonx_obj(*out, name);
		snprintf(name, sizeof name, "%sResult", s->op->name);
		result = jsonx_obj(resp, name);
		if (result != NULL) {
			json_object *r = json_object_get(result);

			json_object_put(*out);
			*out = r;
		}
	}
	if (!json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return err_set(e, "the answer is not a JSON object");
	}
	return 0;
}

static void client_hint(struct aws_client *c, struct client_slot *s, const char *provider)
{
	struct err *e = &s->r->err;
	const struct client_service *svc = &client_services[s->op->svc];

	if (apierr_is_access_denied(e->code, e->http_status)) {
		err_hint(e, "grant %s:%s", svc->iam_prefix, s->op->name);
	} else if (apierr_is_credentials(e->code)) {
		if (strstr(e->code, "Expired") != NULL)
			err_hint(e, "the temporary credentials from %s have expired; refresh them",
				 provider);
		else if (strstr(e->code, "Signature") != NULL)
			err_hint(e, "check the secret access key from %s", provider);
		else
			err_hint(e, "check the access key from %s", provider);
	} else if (s->op->svc == AWS_SVC_SECURITYHUB &&
		   strcmp(e->code, "InvalidAccessException") == 0) {
		err_hint(e, "enable Security Hub in %s, or check %s:%s", c->region, svc->iam_prefix,
			 s->op->name);
	} else if (apierr_is_throttling(e->code, e->http_status)) {
		err_hint(e, "the API is throttling this account; try again later");
	}
}

/* Certificate problems: retrying cannot help. */
static int client_tls_error(int code)
{
	switch (code) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return 1;
	default:
		return 0;
	}
}

/* Decides about the attempt that just finished in h. */
static void client_slot_finish(struct aws_client *c, struct client_slot *s, struct http_request *h,
			       const char *provider)
{
	struct aws_request *r = s->r;
	int retryable = 0, throttled = 0, skewed = 0;
	struct aws_retry_in ri;
	struct aws_retry_out ro;
	int64_t delay;

	r->attempts++;
	r->http_status = h->status;
	snprintf(r->request_id, sizeof r->request_id, "%s", h->request_id);
	json_object_put(r->resp);
	r->resp = NULL;
	err_clear(&r->err);

	if (h->transport_error != 0) {
		if (h->too_large) {
			err_set(&r->err, "%s: %s", s->op->name, h->errmsg);
			snprintf(r->err.code, sizeof r->err.code, "ResponseTooLarge");
		} else if (h->transport_error == CURLE_ABORTED_BY_CALLBACK) {
			err_set(&r->err, "%s: cancelled", s->op->name);
			snprintf(r->err.code, sizeof r->err.code, "Cancelled");
		} else if (client_tls_error(h->transport_error)) {
			err_set(&r->err, "%s: TLS: %s", s->op->name, h->errmsg);
			snprintf(r->err.code, sizeof r->err.code, "TLSError");
			err_hint(&r->err,
				 "the certificate of %s is not trusted: use --ca-bundle FILE or "
				 "AWS_CA_BUNDLE (--no-verify-ssl only for a test endpoint)",
				 s->url);
		} else {
			err_set(&r->err, "%s: %s (%s, %d attempt%s)", s->op->name, h->errmsg,
				h->maybe_sent ? "no complete answer" : "request not sent",
				r->attempts, r->attempts == 1 ? "" : "s");
			snprintf(r->err.code, sizeof r->err.code, "%s",
				 h->transport_error == CURLE_OPERATION_TIMEDOUT
				     ? "RequestTimeout"
				     : "ConnectionError");
			err_hint(&r->err,
				 "check the endpoint %s, the network and the proxy settings",
				 s->url);
			retryable = 1;
		}
	} else if (h->status >= 200 && h->status < 300) {
		json_object *resp = NULL;

		if (client_parse_success(s, h, &resp, &r->err) == 0) {
			r->resp = resp;
			r->status = 0;
			s->done = 1;
			c->quota += s->last_cost > 0 ? s->last_cost : 1;
			if (c->quota > AWS_RETRY_QUOTA_MAX)
				c->quota = AWS_RETRY_QUOTA_MAX;
			return;
		}
		err_prefix(&r->err, "%s: malformed answer", s->op->name);
		snprintf(r->err.msg + strlen(r->err.msg), sizeof r->err.msg - strlen(r->err.msg),
			 " (HTTP %ld%s%s)", h->status, h->request_id[0] ? ", request id " : "",
			 h->request_id);
		snprintf(r->err.code, sizeof r->err.code, "MalformedResponse");
		r->err.http_status = (int)h->status;
	} else {
		struct apierr_response ar;

		ar.op = s->op->name;
		ar.http_status = h->status;
		ar.error_type = h->error_type;
		ar.request_id = h->request_id;
		ar.body = h->resp;
		ar.body_len = h->resp_len;
		apierr_from_response(&ar, r->request_id, sizeof r->request_id, &r->err);
		throttled = apierr_is_throttling(r->err.code, h->status);
		retryable = throttled || apierr_is_transient(r->err.code, h->status);
		if (apierr_is_clock_skew(r->err.code) && h->date[0] != '\0') {
			time_t server = curl_getdate(h->date, NULL), now = time(NULL) + c->skew_s;

			if (server > 0 && (server - now > CLIENT_SKEW_TOLERANCE_S ||
					   now - server > CLIENT_SKEW_TOLERANCE_S)) {
				c->skew_s = (long)(server - time(NULL));
				trace_printf(c->trace, "aws: clock skew of %ld s; corrected",
					     c->skew_s);
				skewed = retryable = 1;
			}
		}
	}

	memset(&ri, 0, sizeof ri);
	ri.transport = h->transport_error != 0;
	ri.maybe_sent = h->maybe_sent;
	ri.http_status = h->status;
	ri.throttled = throttled;
	ri.transient = retryable && !throttled;
	ri.skewed = skewed;
	ri.idempotent = s->idempotent;
	ri.attempts = r->attempts;
	ri.max_attempts = c->max_attempts;
	ri.quota = c->quota;
	ri.cancelled = client_cancelled(c);
	if (!retryable)
		ri.transport = 0; /* TLS, cancelled, too large: final */
	aws_retry_decide(&ri, &ro);
	switch (ro.verdict) {
	case AWS_RETRY_NO:
		goto fail;
	case AWS_RETRY_NO_QUOTA:
		trace_printf(c->trace, "aws: retry quota exhausted; %s not retried", s->op->name);
		goto fail;
	case AWS_RETRY_MAYBE_DONE:
		trace_printf(c->trace,
			     "aws: %s attempt %d failed and is not retried: it is not idempotent "
			     "and may have been processed",
			     s->op->name, r->attempts);
		err_hint(&r->err, "%s may have been carried out; check before repeating it",
			 s->op->name);
		r->status = -1;
		s->done = 1;
		return;
	case AWS_RETRY_YES:
		break;
	}
	c->quota -= ro.cost;
	s->last_cost = ro.cost;
	delay = ro.delay_ms;
	if (ro.jitter && !c->no_jitter)
		delay = (int64_t)(client_random(c) * (double)delay);
	s->not_before_ms = time_mono_ms() + delay;
	trace_printf(c->trace, "aws: %s attempt %d/%d failed: %s; retrying in %lld ms", s->op->name,
		     r->attempts, c->max_attempts, r->err.msg, (long long)delay);
	return;
fail:
	client_hint(c, s, provider);
	r->status = -1;
	s->done = 1;
}

/* One request's progress through a stream. */
struct stream_slot {
	struct client_slot cs;
	struct aws_client *c;
	void *tag;
	char *provider; /* of the credentials that signed the attempt in flight */
	struct http_request h;
};

struct aws_stream {
	struct aws_client *c;      /* the pool's owner: cancel flag, pool */
	int id;                    /* the http stream */
	struct stream_slot **wait; /* not in flight: new, backing off or waiting for a token */
	size_t nwait, capwait;
	struct stream_slot **done; /* finished, in order */
	size_t ndone, capdone, donehead;
	size_t nflight;
};

struct aws_stream *aws_stream_new(struct aws_client *c)
{
	struct aws_stream *st = xcalloc(1, sizeof *st);

	st->c = c;
	st->id = http_stream_open(c->pool);
	return st;
}

static void stream_push(struct stream_slot ***arr, size_t *n, size_t *cap, struct stream_slot *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*arr = xreallocarray(*arr, *cap, sizeof **arr);
	}
	(*arr)[(*n)++] = s;
}

static void stream_done(struct aws_stream *st, struct stream_slot *s)
{
	s->cs.done = 1;
	if (st->donehead > 0 && st->donehead == st->ndone)
		st->donehead = st->ndone = 0;
	stream_push(&st->done, &st->ndone, &st->capdone, s);
}

void aws_stream_submit(struct aws_stream *st, struct aws_client *c, struct aws_request *r,
		       void *tag)
{
	struct stream_slot *s = xcalloc(1, sizeof *s);

	assert(c->pool == st->c->pool);
	s->c = c;
	s->tag = tag;
	s->cs.r = r;
	aws_request_done(r);
	s->cs.op = client_op_find(r->service, r->op);
	if (s->cs.op == NULL) {
		err_set(&r->err, "%s: unknown %s operation", r->op,
			(size_t)r->service < CLIENT_NSERVICES ? client_services[r->service].label
							      : "AWS");
		snprintf(r->err.code, sizeof r->err.code, "UnknownOperation");
		r->status = -1;
		stream_done(st, s);
		return;
	}
	s->cs.idempotent = client_op_idempotent(s->cs.op, r->body);
	stream_push(&st->wait, &st->nwait, &st->capwait, s);
}

size_t aws_stream_pending(const struct aws_stream *st)
{
	return st->nwait + st->nflight + (st->ndone - st->donehead);
}

static void stream_fail(struct aws_stream *st, struct stream_slot *s, const struct err *e)
{
	err_copy(&s->cs.r->err, e);
	s->cs.r->status = -1;
	stream_done(st, s);
}

/* Starts what may start now (global limit, back-off, the client's token bucket); returns
 * the time of the next start that is due, or INT64_MAX. */
static int64_t stream_start(struct aws_stream *st)
{
	struct http_pool *pool = st->c->pool;
	int64_t now = time_mono_ms(), wake = INT64_MAX;
	size_t i = 0;

	while (i < st->nwait && http_in_flight(pool) < http_capacity(pool)) {
		struct stream_slot *s = st->wait[i];
		struct client_slot *cs = &s->cs;
		const struct aws_credentials *cr = NULL;
		struct err e;
		int64_t w;

		if (cs->not_before_ms > now) {
			wake = cs->not_before_ms < wake ? cs->not_before_ms : wake;
			i++;
			continue;
		}
		w = client_bucket_wait(s->c, cs->op->group, now);
		if (w > 0) {
			wake = now + w < wake ? now + w : wake;
			i++;
			continue;
		}
		memmove(&st->wait[i], &st->wait[i + 1], (st->nwait - i - 1) * sizeof *st->wait);
		st->nwait--;
		err_clear(&e);
		if (client_credentials(s->c, &cr, &e) != 0) {
			err_prefix(&e, "%s", cs->op->name);
			stream_fail(st, s, &e);
			continue;
		}
		trace_add_secret(s->c->trace, cr->secret_access_key);
		trace_add_secret(s->c->trace, cr->session_token);
		if (client_slot_build(s->c, cs, cr, &s->h, &e) != 0) {
			client_slot_clear_attempt(cs);
			stream_fail(st, s, &e);
			continue;
		}
		free(s->provider);
		s->provider = xstrdup(cr->provider != NULL ? cr->provider : "the credentials");
		client_bucket_take(s->c, cs->op->group);
		http_start(pool, st->id, &s->h);
		st->nflight++;
		now = time_mono_ms();
	}
	return wake;
}

struct aws_request *aws_stream_next(struct aws_stream *st, void **tag)
{
	for (;;) {
		int64_t wake, now;
		struct http_request *h;

		if (st->donehead < st->ndone) {
			struct stream_slot *s = st->done[st->donehead++];
			struct aws_request *r = s->cs.r;

			if (tag != NULL)
				*tag = s->tag;
			free(s->provider);
			free(s);
			return r;
		}
		if (st->nwait == 0 && st->nflight == 0)
			return NULL;
		if (client_cancelled(st->c)) {
			while (st->nwait > 0) {
				struct stream_slot *s = st->wait[--st->nwait];

				err_set(&s->cs.r->err, "%s: cancelled", s->cs.op->name);
				snprintf(s->cs.r->err.code, sizeof s->cs.r->err.code, "Cancelled");
				s->cs.r->status = -1;
				stream_done(st, s);
			}
		}
		wake = stream_start(st);
		if (st->donehead < st->ndone)
			continue;
		now = time_mono_ms();
		if (st->nflight > 0) {
			long timeout = wake == INT64_MAX ? 1000 : (long)(wake - now);

			h = http_next(st->c->pool, st->id, timeout > 0 ? timeout : 1);
			if (h != NULL) {
				struct stream_slot *s =
				    (struct stream_slot *)(void *)((char *)h -
								   offsetof(struct stream_slot, h));

				st->nflight--;
				client_slot_finish(s->c, &s->cs, h, s->provider);
				http_request_done(h);
				client_slot_clear_attempt(&s->cs);
				if (s->cs.done)
					stream_done(st, s);
				else
					stream_push(&st->wait, &st->nwait, &st->capwait, s);
			}
		} else if (st->nwait > 0) {
			/* waiting for a token, a back-off, or room taken by another stream */
			client_sleep(st->c, wake == INT64_MAX ? CLIENT_SLEEP_SLICE_MS
							      : (wake > now ? wake - now : 0));
		}
	}
}

void aws_stream_free(struct aws_stream *st)
{
	void *tag;

	if (st == NULL)
		return;
	/* finish what is live so no transfer points at freed memory */
	while (aws_stream_next(st, &tag) != NULL)
		;
	free(st->wait);
	free(st->done);
	free(st);
}

int aws_call_many(struct aws_client *c, struct aws_request *reqs, size_t n)
{
	struct aws_stream *st;
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	st = aws_stream_new(c);
	for (i = 0; i < n; i++)
		aws_stream_submit(st, c, &reqs[i], NULL);
	while (aws_stream_next(st, NULL) != NULL)
		;
	aws_stream_free(st);
	for (i = 0; i < n; i++) {
		if (reqs[i].status != 0)
			rc = -1;
	}
	return rc;
}

int aws_call(struct aws_client *c, struct aws_request *r)
{
	aws_call_many(c, r, 1);
	return r->status;
}

void aws_page_guard_init(struct aws_page_guard *g)
{
	g->seen = json_object_new_object();
	g->pages = 0;
}

void aws_page_guard_done(struct aws_page_guard *g)
{
	json_object_put(g->seen);
	g->seen = NULL;
}

int aws_page_guard_next(struct aws_page_guard *g, const char *op, const char *token, struct err *e)
{
	g->pages++;
	if (json_object_object_get_ex(g->seen, token, NULL)) {
		err_set(e, "%s: the service repeated a page token after %d page%s", op, g->pages,
			g->pages == 1 ? "" : "s");
		err_hint(e, "the listing is incomplete; try again later");
		snprintf(e->code, sizeof e->code, "RepeatedPageToken");
		return -1;
	}
	if (g->pages >= CLIENT_MAX_PAGES) {
		err_set(e, "%s: more than %d pages", op, CLIENT_MAX_PAGES);
		snprintf(e->code, sizeof e->code, "TooManyPages");
		return -1;
	}
	json_object_object_add(g->seen, token, NULL);
	return 0;
}

int aws_paginate(struct aws_client *c, enum aws_service svc, const char *op, json_object *body,
		 const char *items_key, json_object **items, struct err *e)
{
	const struct client_op *o = client_op_find(svc, op);
	const char *token_key = svc == AWS_SVC_SECURITYHUB ? "NextToken" : "nextToken";
	const char *max_key = svc == AWS_SVC_SECURITYHUB ? "MaxResults" : "maxResults";
	json_object *req = NULL, *all = json_object_new_array();
	struct aws_page_guard g;
	int pages = 0, rc = -1;

	*items = NULL;
	aws_page_guard_init(&g);
	req = body != NULL ? jsonx_clone(body) : json_object_new_object();
	if (o != NULL && o->page_size > 0 && !json_object_object_get_ex(req, max_key, NULL))
		json_object_object_add(req, max_key, json_object_new_int(o->page_size));
	for (;;) {
		struct aws_request r;
		json_object *arr;
		const char *next;
		size_t i, len;

		aws_request_init(&r, svc, op, req);
		if (aws_call(c, &r) != 0) {
			err_copy(e, &r.err);
			aws_request_done(&r);
			goto out;
		}
		arr = jsonx_array(r.resp, items_key);
		len = arr != NULL ? json_object_array_length(arr) : 0;
		for (i = 0; i < len; i++)
			json_object_array_add(all,
					      json_object_get(json_object_array_get_idx(arr, i)));
		next = jsonx_str(r.resp, token_key);
		pages++;
		if (next == NULL || *next == '\0') {
			aws_request_done(&r);
			break;
		}
		if (aws_page_guard_next(&g, op, next, e) != 0) {
			aws_request_done(&r);
			goto out;
		}
		json_object_object_add(req, token_key, json_object_new_string(next));
		aws_request_done(&r);
	}
	trace_printf(c->trace, "aws: %s: %zu %s in %d page(s)", op, json_object_array_length(all),
		     items_key, pages);
	*items = all;
	all = NULL;
	rc = 0;
out:
	aws_page_guard_done(&g);
	json_object_put(req);
	json_object_put(all);
	return rc;
}

int aws_client_account(struct aws_client *c, const char **account, struct err *e)
{
	struct aws_request r;
	const char *a;

	*account = NULL;
	if (c->account != NULL) {
		*account = c->account;
		return 0;
	}
	aws_request_init(&r, AWS_SVC_STS, "GetCallerIdentity", NULL);
	if (aws_call(c, &r) != 0) {
		err_copy(e, &r.err);
		aws_request_done(&r);
		return -1;
	}
	a = jsonx_str(r.resp, "Account");
	if (a == NULL || *a == '\0') {
		aws_request_done(&r);
		return err_set(e, "GetCallerIdentity: the answer has no Account");
	}
	c->account = xstrdup(a);
	aws_request_done(&r);
	*account = c->account;
	return 0;
}

int aws_sts_call(const struct aws_sts_call *call, struct aws_request *r)
{
	struct aws_client c;
	struct err e;
	int rc;

	memset(&c, 0, sizeof c);
	c.pool = call->pool;
	c.trace = call->trace;
	c.region = (char *)call->region;
	c.max_attempts = CLIENT_DEFAULT_ATTEMPTS;
	c.max_in_flight = (int)http_capacity(call->pool);
	c.quota = AWS_RETRY_QUOTA_MAX;
	c.rate_scale = 1.0;
	c.rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)time_mono_ms() ^ 88172645463325252ULL;
	if (call->src != NULL) {
		c.fixed = *call->src; /* borrowed: never freed here */
		c.fixed_borrowed = 1;
	} else {
		c.anonymous = 1;
	}
	err_clear(&e);
	if (client_endpoint_parse(call->endpoint, "STS", &c.parsed[AWS_SVC_STS], &e) != 0) {
		aws_request_done(r);
		err_copy(&r->err, &e);
		r->status = -1;
		return -1;
	}
	c.endpoints[AWS_SVC_STS] = (char *)call->endpoint;
	rc = aws_call(&c, r);
	client_endpoint_done(&c.parsed[AWS_SVC_STS]);
	return rc;
}
