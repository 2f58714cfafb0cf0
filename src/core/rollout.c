/* rollout.c: classifies DescribeServices/UpdateService answers for the deployment apply
 * follows. Pure. */
#include "config.h"

#include "core/rollout.h"

#include <string.h>

#include "core/plan.h"
#include "util/jsonx.h"

static const char *const rollout_verdict_names[] = {
    "IN_PROGRESS", "COMPLETED", "FAILED", "ROLLED_BACK", "SUPERSEDED", "MOVED_ON", "GONE",
};

const char *rollout_verdict_name(enum rollout_verdict v)
{
	if ((size_t)v < sizeof rollout_verdict_names / sizeof rollout_verdict_names[0])
		return rollout_verdict_names[v];
	return "?";
}

static int rollout_str_is(json_object *o, const char *key, const char *want)
{
	const char *v = jsonx_str(o, key);

	return v != NULL && strcmp(v, want) == 0;
}

json_object *rollout_find_deployment(json_object *service, const char *id, const char *status,
				     const char *td)
{
	json_object *deps = jsonx_array(service, "deployments");
	size_t i;

	for (i = 0; deps != NULL && i < json_object_array_length(deps); i++) {
		json_object *d = json_object_array_get_idx(deps, i);

		if (!json_object_is_type(d, json_type_object))
			continue;
		if (id != NULL && !rollout_str_is(d, "id", id))
			continue;
		if (status != NULL && !rollout_str_is(d, "status", status))
			continue;
		if (td != NULL && !plan_td_equal(jsonx_str(d, "taskDefinition"), td))
			continue;
		return d;
	}
	return NULL;
}

const char *rollout_started(json_object *service, const char *td)
{
	return jsonx_str(rollout_find_deployment(service, NULL, "PRIMARY", td), "id");
}

/* Counts and rollout state of deployment d. */
static void rollout_counts(json_object *d, struct rollout_state *out)
{
	out->running = jsonx_int(d, "runningCount", 0);
	out->desired = jsonx_int(d, "desiredCount", 0);
	out->pending = jsonx_int(d, "pendingCount", 0);
	out->failed = jsonx_int(d, "failedTasks", 0);
	out->rollout_state = jsonx_str(d, "rolloutState");
	out->rollout_reason = jsonx_str(d, "rolloutStateReason");
	if (out->rollout_reason != NULL && out->rollout_reason[0] == '\0')
		out->rollout_reason = NULL;
}

/* Our deployment is not (or no longer) in the answer: where is the service now? */
static void rollout_vanished(json_object *service, json_object *primary, const char *deployment_id,
			     const char *old_arn, const char *new_arn, struct rollout_state *out)
{
	const char *svc_td = jsonx_str(service, "taskDefinition");
	const char *ptd = jsonx_str(primary, "taskDefinition");

	if (primary != NULL)
		rollout_counts(primary, out);
	if ((primary != NULL && plan_td_equal(ptd, old_arn)) ||
	    (primary == NULL && plan_td_equal(svc_td, old_arn))) {
		/* with no id known, a service that says "new" has not started its deployment
		 * yet; one that says "old" went back */
		if (deployment_id == NULL && !plan_td_equal(svc_td, old_arn))
			out->verdict = ROLLOUT_IN_PROGRESS;
		else
			out->verdict = ROLLOUT_ROLLED_BACK;
		return;
	}
	if (primary != NULL && plan_td_equal(ptd, new_arn) && jsonx_str(primary, "id") != NULL) {
		out->verdict = ROLLOUT_SUPERSEDED;
		out->deployment_id = jsonx_str(primary, "id");
		return;
	}
	if (primary == NULL && plan_td_equal(svc_td, new_arn)) {
		/* no deployments reported: cannot tell yet */
		out->verdict = ROLLOUT_IN_PROGRESS;
		return;
	}
	out->verdict = ROLLOUT_MOVED_ON;
}

void rollout_classify(json_object *service, const char *deployment_id, const char *old_arn,
		      const char *new_arn, struct rollout_state *out)
{
	json_object *d, *primary, *deps;
	const char *rs, *st;

	memset(out, 0, sizeof *out);
	st = jsonx_str(service, "status");
	if (!json_object_is_type(service, json_type_object) ||
	    (st != NULL && strcmp(st, "ACTIVE") != 0)) {
		out->verdict = ROLLOUT_GONE;
		return;
	}
	deps = jsonx_array(service, "deployments");
	primary = rollout_find_deployment(service, NULL, "PRIMARY", NULL);
	d = deployment_id != NULL ? rollout_find_deployment(service, deployment_id, NULL, NULL)
				  : rollout_find_deployment(service, NULL, "PRIMARY", new_arn);
	if (d == NULL) {
		rollout_vanished(service, primary, deployment_id, old_arn, new_arn, out);
		return;
	}
	rollout_counts(d, out);
	rs = out->rollout_state;
	if (rs != NULL && strcmp(rs, "COMPLETED") == 0) {
		out->verdict = ROLLOUT_COMPLETED;
		return;
	}
	/* a circuit breaker with rollback starts a new PRIMARY on the old revision */
	if (primary != NULL && primary != d &&
	    plan_td_equal(jsonx_str(primary, "taskDefinition"), old_arn)) {
		out->verdict = ROLLOUT_ROLLED_BACK;
		return;
	}
	if (rs != NULL && strcmp(rs, "FAILED") == 0) {
		out->verdict = ROLLOUT_FAILED;
		return;
	}
	if (rs == NULL && rollout_str_is(d, "status", "PRIMARY") && deps != NULL &&
	    json_object_array_length(deps) == 1 && out->running == out->desired) {
		/* no rolloutState (e.g. behind a Classic Load Balancer): the botocore
		 * ServicesStable condition on our PRIMARY deployment */
		out->verdict = ROLLOUT_COMPLETED;
		return;
	}
	out->verdict = ROLLOUT_IN_PROGRESS;
}
