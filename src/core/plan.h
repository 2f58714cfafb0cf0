/* plan.h: the remediation plan: the fixed revision to register and the services to move onto
 * it, as a versioned JSON document ("ecsfixPlan": 1) with a derived view for display.
 * Used by 'ecsfix plan', 'ecsfix apply' and the TUI (on a worker thread). */
#ifndef ECSFIX_CORE_PLAN_H
#define ECSFIX_CORE_PLAN_H

#include <json-c/json.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diff.h"
#include "core/rules.h"
#include "core/transform.h"

struct aws_client;
struct err;

#define PLAN_FORMAT_VERSION 1

/* What to plan for. Either services (all must run the same revision) or task_definition.
 * The unit of remediation is the revision: for services too, the plan covers every service,
 * in every cluster, that runs their revision, unless only_this_service. */
struct plan_request {
	const char *const *services; /* "CLUSTER/SERVICE" (cluster name or ARN; service name or
					ARN); a full service ARN alone is accepted too */
	size_t nservices;
	int only_this_service; /* 1: only the named services, not every one on the revision */
	int no_move_to;    /* 1: re-register from the source even when a newer ACTIVE revision of
			      the family already passes the deciding controls (options.moveTo) */
	unsigned controls; /* the deciding controls (rules mask); 0: rules_default_mask() */
	const char *task_definition; /* "FAMILY", "FAMILY:REV" or an ARN: that revision (the
					latest ACTIVE one for a bare family) and every service, in
					every cluster, that runs it */
	/* Options (transform_options + the service network configuration). */
	const char *user;                    /* non-root user for root containers, or NULL */
	enum transform_network network_mode; /* TRANSFORM_NET_KEEP: unchanged */
	const char *const *subnets;          /* awsvpc: required when a service moves to it */
	size_t nsubnets;
	const char *const *security_groups; /* awsvpc: optional (VPC default SG) */
	size_t nsecurity_groups;
	int assign_public_ip; /* -1 unset (DISABLED), 0 DISABLED, 1 ENABLED */
	/* Least privilege instead of privileged (transform_options): capability names and ECS
	 * Device objects (borrowed array, or NULL); recorded as options.capAdd/devices. */
	const char *const *cap_add;
	size_t ncap_add;
	json_object *devices;
	/* The role c's credentials were assumed from (recorded as the plan's roleArn, which
	 * apply assumes again), or NULL: the base credentials (session_target_assume). */
	const char *role_arn;
};

/* Progress while a plan is built: one line saying what is being read. Called on the
 * building thread. */
typedef void (*plan_progress_fn)(void *ctx, const char *what);

/* One service of the plan (derived from the document; strings borrowed from it). */
struct plan_service {
	const char *arn;
	const char *name;
	const char *cluster_arn;
	const char *cluster;         /* cluster name */
	const char *task_definition; /* the revision ARN it runs now (= the plan's source) */
	const char *controller;      /* "ECS", "CODE_DEPLOY", "EXTERNAL" */
	const char *launch_type;     /* may be NULL */
	const char *scheduling;      /* "REPLICA", "DAEMON" (may be NULL) */
	int64_t desired, running;
	int update;              /* 1: apply can move it (ECS controller) */
	int selected;            /* 1: apply moves it (update == 1 and not left out); change it
				    with plan_service_set_selected only */
	const char *skip_reason; /* update == 0: why (CODE_DEPLOY/EXTERNAL) */
	json_object *network_configuration; /* to set with UpdateService, or NULL */
};

/*
 * A plan: the document (what is written to and read from a plan file; the contract) plus a
 * view derived from it. Everything is read-only for the caller; plan_free releases it.
 *
 * The document ("ecsfixPlan": 1):
 *   {"ecsfixPlan":1, "ecsfixVersion", "createdAt" (ISO 8601), "region", "account",
 *    "roleArn" (the role assumed in the account, arn:aws:iam::ACCOUNT:role/NAME; null or
 *               absent: the base credentials, e.g. --profile),
 *    "source": {"taskDefinitionArn", "family", "revision", "digest" ("sha256:<hex>" of the
 *               canonical register-input form of the source revision), "document" (that
 *               register-input form: the diff baseline)},
 *    "proposed": <RegisterTaskDefinition request of the fixed revision; with moveTo, the
 *                 register-input form of that revision (nothing is registered)>,
 *    "options": {"user", "networkMode", "subnets", "securityGroups", "assignPublicIp",
 *                "moveTo" (ARN of an existing ACTIVE revision that passes the deciding
 *                controls: the services move to it; absent or null: register the fix)},
 *    "services": [{"serviceArn", "serviceName", "clusterArn", "cluster", "taskDefinition",
 *                  "deploymentController", "launchType", "schedulingStrategy",
 *                  "desiredCount", "runningCount", "update": bool, "selected": bool,
 *                  "skipReason", "networkConfiguration"}],
 *   Every service, in every cluster, that runs the source revision is listed (unless the
 *   plan was made with only_this_service); "selected" is true by default for ECS-controller
 *   services, always false for skipped (CODE_DEPLOY/EXTERNAL) ones; apply moves only the
 *   selected ones.
 *    "changes": [text], "notes": [text], "iamActions": [text]}
 */
struct plan {
	json_object *doc; /* owned */

	/* The derived view (borrowed from doc, or owned by the plan). */
	const char *region;
	const char *account;
	const char *role_arn; /* roleArn, or NULL */
	const char *source_arn;
	const char *family;
	const char *digest;
	json_object *baseline; /* source.document */
	json_object *proposed;
	const char *move_to; /* options.moveTo: move to this existing revision, register nothing;
				NULL: register (or reuse) the fix */
	struct plan_service *services;
	size_t nservices;
	size_t nupdate;             /* services with update == 1 */
	size_t nselected;           /* services with selected == 1 */
	const char *const *changes; /* one line per changed value; nchanges == 0: nothing to do */
	size_t nchanges;
	const char *const *notes; /* cross-control effects and things to do as well */
	size_t nnotes;
	const char *const *iam_actions; /* IAM actions apply needs */
	size_t niam_actions;
	struct rule_results before; /* rules on the baseline */
	struct rule_results after;  /* rules on the proposal */
	struct diff diff;           /* baseline -> proposed (hunks for the TUI) */
	char *diff_text;            /* unified diff ("" when equal) */
};

/*
 * Reads the account (DescribeServices, ListClusters/ListServices for a task definition,
 * DescribeTaskDefinition) and builds the plan. Changes nothing in the account.
 * Returns 0 with *out set (plan_free), also when there is nothing to do (nchanges == 0);
 * -1 (e set) on a bad request (services on different revisions, unknown service, bad option)
 * or a failed call. cancel (may be NULL) stops early with err code "Cancelled".
 */
int plan_build(struct aws_client *c, const struct plan_request *rq, plan_progress_fn progress,
	       void *ctx, volatile sig_atomic_t *cancel, struct plan **out, struct err *e);

/* Takes a plan document (checks the version and shape; derives the view). On success the
 * plan owns doc; on failure doc is released. */
int plan_from_json_take(json_object *doc, struct plan **out, struct err *e);
/* Reads and checks a plan file. */
int plan_load(const char *path, struct plan **out, struct err *e);
/* Writes the document (jsonx_pretty) atomically with mode 0600. */
int plan_write(const struct plan *p, const char *path, struct err *e);
void plan_free(struct plan *p);

/* Selects (on) or leaves out (!on) service i for apply, in the view and the document alike
 * (so plan_write records it). A skipped service (update == 0) is never selected: on is then
 * ignored. Keeps nselected. */
void plan_service_set_selected(struct plan *p, size_t i, int on);

/* 1 when applying the plan changes something (a value changes). */
int plan_has_changes(const struct plan *p);

/* The human summary 'ecsfix plan' prints: source and target, the diff, the rule results
 * before/after, notes, services to move and to skip, IAM actions. color: ANSI colours.
 * Caller frees. */
char *plan_format_text(const struct plan *p, int color);

/* "sha256:<hex>" of the canonical form (keys sorted, compact) of doc. Caller frees. */
char *plan_digest(json_object *doc);

/* Parses "CLUSTER/SERVICE" (or a service ARN) into *cluster and *service (caller frees;
 * cluster may come back NULL for an ARN without one, meaning the default cluster). */
int plan_parse_service_ref(const char *ref, char **cluster, char **service, struct err *e);

/*
 * The one place a plan's options become the proposal: transforms the source revision's
 * DescribeTaskDefinition answer (desc) with options (the plan document's "options": user,
 * networkMode; options added later, e.g. capAdd/devices, go here too). moveTo is not read
 * here. plan_build and apply (which recomputes the proposal from the live source) both call
 * it. Fills tr (transform_result_init first); -1 (e set) on a bad option or document.
 */
int plan_options_propose(json_object *desc, json_object *options, struct transform_result *tr,
			 struct err *e);
/* The networkConfiguration the services get from options (awsvpc when baseline is not), or
 * NULL. Caller owns it. */
json_object *plan_options_network(json_object *options, json_object *baseline);

/* Shared with apply (they read the account too). */
/* The latest ACTIVE revision ARN of family (*arn NULL when none; caller frees). */
int plan_latest_active_arn(struct aws_client *c, const char *family, char **arn, struct err *e);
/* Every service, in every cluster, whose taskDefinition is td_arn (DescribeServices entries;
 * *services owned by the caller). */
int plan_find_services(struct aws_client *c, const char *td_arn, volatile sig_atomic_t *cancel,
		       json_object **services, struct err *e);
/* "family:rev" of a task definition ARN (borrowed from arn; arn itself when not an ARN). */
const char *plan_td_name(const char *arn);
/* 1 when a and b name the same revision (ARN or family:rev). */
int plan_td_equal(const char *a, const char *b);

#endif
