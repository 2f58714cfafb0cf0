/* session.h: an AWS session for the layers above core (the TUI never includes aws/). */
#ifndef ECSFIX_CORE_SESSION_H
#define ECSFIX_CORE_SESSION_H

#include <signal.h>

struct aws_client; /* opaque here */
struct err;
struct trace;

struct scan_target;

struct session_config {
	const char *profile;
	const char *region;
	const char *endpoint_url;
	const char *ca_bundle;
	int no_verify_ssl;
	struct trace *trace;           /* borrowed, may be NULL */
	volatile sig_atomic_t *cancel; /* may be NULL */
};

int session_open(const struct session_config *cfg, struct aws_client **out, struct err *e);
void session_close(struct aws_client *c);
const char *session_region(const struct aws_client *c);
const char *session_profile(const struct aws_client *c);
/* The ECS endpoint in use (for the header line). */
const char *session_endpoint(const struct aws_client *c);
/* The account id (one STS call, cached). */
int session_account(struct aws_client *c, const char **account, struct err *e);

/* What to scan beyond the current account and region (global options; each unset member
 * falls back to the base profile's config-file setting named in brackets). */
struct session_targets_spec {
	const char *regions;         /* "eu-west-1,us-east-1" [ecsfix_regions] */
	int all_regions;             /* the regions enabled for the account [ecsfix_all_regions] */
	const char *accounts;        /* "111111111111,222222222222" [ecsfix_accounts] */
	int organization;            /* every ACTIVE account of the organization
					[ecsfix_organization] */
	const char *role_name;       /* assumed in each account [ecsfix_role_name] */
	const char *external_id;     /* [ecsfix_external_id] */
	const char *const *profiles; /* several --profile values: one target per profile */
	size_t nprofiles;
	const char *findings_from; /* "PROFILE[@REGION]" [ecsfix_findings_from] */
};

/* The targets resolved from a spec: each with its client, sharing the base client's pool. */
struct session_targets {
	struct scan_target *v;
	size_t n;
	struct aws_client *findings; /* --findings-from, or NULL */
	struct aws_client **clients; /* owned (the base client is not among them) */
	size_t nclients;
	char **strings; /* owned strings the targets point to */
	size_t nstrings;
};

/* 1 when spec (with the base profile's config-file settings) asks for more than the current
 * account and region. */
int session_targets_wanted(struct aws_client *base, const struct session_targets_spec *spec);
/*
 * Resolves the targets: regions (listed, or EC2 DescribeRegions) x accounts (listed, or
 * Organizations ListAccounts, ACTIVE ones; each but the caller's own through
 * arn:aws:iam::ID:role/ROLE assumed with the session name "ecsfix-USER"), or x profiles
 * (each profile's account from STS GetCallerIdentity; a profile whose credentials fail is an
 * unreachable target).
 * Calls are made with base. cfg gives the endpoint and TLS options of the new clients.
 */
int session_targets_open(struct aws_client *base, const struct session_config *cfg,
			 const struct session_targets_spec *spec, struct session_targets *out,
			 struct err *e);
void session_targets_close(struct session_targets *t);
/* For one target outside a scan (plan and apply in a member account): assumes its role now
 * (t->role_arn through t->assume_via, one STS call) and sets the credentials on t->client;
 * nothing to do without a role. Then session_account(t->client) must equal the account the
 * plan was made for. */
int session_target_assume(const struct scan_target *t, struct err *e);

/* A client for one target, sharing base's pool (base must outlive it): in region (NULL:
 * base's), with the credentials of role_arn assumed from base's (session_target_assume;
 * session name "ecsfix-USER"; external_id may be NULL), or base's own when role_arn is NULL.
 * For a plan's account, region and roleArn: apply, and the TUI planning a service of a
 * target of its scan. Then session_account(*out) must be the account expected. */
int session_target_client(struct aws_client *base, const struct session_config *cfg,
			  const char *region, const char *role_arn, const char *external_id,
			  struct aws_client **out, struct err *e);

#endif
