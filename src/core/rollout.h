/* rollout.h: what a DescribeServices (or UpdateService) answer says about a rollout: which
 * deployment to follow and whether it is still going, completed, failed or rolled back.
 * Pure: no I/O; every member read is type-checked. Used by apply (core/apply.c). */
#ifndef ECSFIX_CORE_ROLLOUT_H
#define ECSFIX_CORE_ROLLOUT_H

#include <json-c/json.h>
#include <stdint.h>

enum rollout_verdict {
	ROLLOUT_IN_PROGRESS,
	ROLLOUT_COMPLETED,
	ROLLOUT_FAILED,      /* rolloutState FAILED (service still on the new revision) */
	ROLLOUT_ROLLED_BACK, /* our deployment failed or vanished, service on the old one */
	ROLLOUT_SUPERSEDED,  /* vanished, a newer PRIMARY on the new revision: follow it */
	ROLLOUT_MOVED_ON,    /* vanished, the service runs some third revision */
	ROLLOUT_GONE,        /* service missing/DRAINING/INACTIVE */
};

struct rollout_state {
	enum rollout_verdict verdict;
	const char *deployment_id; /* SUPERSEDED: the new PRIMARY's id (borrowed from service) */
	int64_t running, desired, failed, pending;
	const char *rollout_state, *rollout_reason; /* borrowed from service; NULL when absent */
};

/* Classifies service (a DescribeServices entry, NULL: missing) for the followed deployment
 * deployment_id, which moves the service from old_arn to new_arn. */
void rollout_classify(json_object *service, const char *deployment_id, const char *old_arn,
		      const char *new_arn, struct rollout_state *out);

/* The deployment of service matching id, status and task definition td (each NULL: any);
 * NULL when none. Entries that are not objects are ignored. */
json_object *rollout_find_deployment(json_object *service, const char *id, const char *status,
				     const char *td);

/* The id of the deployment an UpdateService answer's service started on td: its PRIMARY
 * deployment on td. NULL when the answer carries none (ECS always starts one; emulators do
 * not): there is then nothing to follow. Borrowed from service. */
const char *rollout_started(json_object *service, const char *td);

/* "verdict" words: "IN_PROGRESS", "COMPLETED", ... */
const char *rollout_verdict_name(enum rollout_verdict v);

#endif
