/* apply.c: carries out a plan: checks it is still current, registers (or reuses) the fixed
 * revision once, updates the services, follows each rollout by deployment id, rolls back on
 * request, notes findings, and writes every step to the audit log. */
#include "config.h"

#include "core/apply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/audit.h"
#include "core/plan.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define APPLY_DEFAULT_TIMEOUT_S 1800
#define APPLY_DEFAULT_POLL_MS   5000
#define APPLY_MAX_POLL_MS       15000
#define APPLY_MAX_EVENTS        8

static const char *const apply_outcome_names[] = {
    "PENDING", "COMPLETED", "FAILED", "ROLLED_BACK", "SKIPPED", "NOT_FOLLOWED", "LEFT_OUT",
};

static const char *const apply_step_names[] = {
    "CHECK", "REGISTER", "REUSE", "UPDATE", "ROLLOUT", "ROLLBACK", "NOTE", "DONE",
};

const char *apply_outcome_name(enum apply_outcome o)
{
	if ((size_t)o < sizeof apply_outcome_names / sizeof apply_outcome_names[0])
		return apply_outcome_names[o];
	return "?";
}

const char *apply_step_name(enum apply_step s)
{
	if ((size_t)s < sizeof apply_step_names / sizeof apply_step_names[0])
		return apply_step_names[s];
	return "?";
}

void apply_result_init(struct apply_result *r)
{
	memset(r, 0, sizeof *r);
}

void apply_result_done(struct apply_result *r)
{
	size_t i;

	for (i = 0; i < r->nservices; i++) {
		struct apply_service_result *s = &r->services[i];
		free(s->arn);
		free(s->name);
		free(s->cluster);
		free(s->old_arn);
		free(s->deployment_id);
		free(s->rollback_deployment_id);
		free(s->reason);
	}
	free(r->services);
	free(r->new_arn);
	free(r->reminder);
	apply_result_init(r);
}

int apply_result_exit(const struct apply_result *r)
{
	size_t i;

	if (r->interrupted)
		return 130;
	for (i = 0; i < r->nservices; i++) {
		if (r->services[i].outcome == APPLY_OUTCOME_FAILED ||
		    r->services[i].outcome == APPLY_OUTCOME_ROLLED_BACK)
			return 1;
	}
	return 0;
}

/* ---- pure parts ---- */

static const char *apply_td_short(const char *s)
{
	return plan_td_name(s);
}

enum apply_svc_state apply_service_state(json_object *service, const char *source_arn,
					 const char *target_arn, char **why)
{
	const char *st, *td;

	*why = NULL;
	if (service == NULL) {
		*why = xstrdup("the service no longer exists");
		return APPLY_SVC_GONE;
	}
	st = jsonx_str(service, "status");
	if (st != NULL && strcmp(st, "ACTIVE") != 0) {
		*why = xasprintf("the service is %s", st);
		return APPLY_SVC_GONE;
	}
	td = jsonx_str(service, "taskDefinition");
	if (plan_td_equal(td, source_arn))
		return APPLY_SVC_ON_SOURCE;
	if (target_arn != NULL && plan_td_equal(td, target_arn))
		return APPLY_SVC_ON_TARGET;
	*why =
	    xasprintf("it now runs %s, the plan was made for %s",
		      td ? apply_td_short(td) : "(no task definition)", apply_td_short(source_arn));
	return APPLY_SVC_MOVED_ON;
}

static json_object *apply_find_deployment(json_object *service, const char *id, const char *status,
					  const char *td)
{
	json_object *deps = jsonx_array(service, "deployments");
	size_t i;

	for (i = 0; deps != NULL && i < json_object_array_length(deps); i++) {
		json_object *d = json_object_array_get_idx(deps, i);
		if (id != NULL &&
		    (jsonx_str(d, "id") == NULL || strcmp(jsonx_str(d, "id"), id) != 0))
			continue;
		if (status != NULL &&
		    (jsonx_str(d, "status") == NULL || strcmp(jsonx_str(d, "status"), status) != 0))
			continue;
		if (td != NULL && !plan_td_equal(jsonx_str(d, "taskDefinition"), td))
			continue;
		return d;
	}
	return NULL;
}

void apply_classify(json_object *service, const char *deployment_id, const char *old_arn,
		    const char *new_arn, struct apply_follow_state *out)
{
	json_object *d, *primary, *deps;
	const char *st, *rs, *svc_td;

	memset(out, 0, sizeof *out);
	if (service == NULL) {
		out->follow = APPLY_FOLLOW_GONE;
		return;
	}
	st = jsonx_str(service, "status");
	if (st != NULL && strcmp(st, "ACTIVE") != 0) {
		out->follow = APPLY_FOLLOW_GONE;
		return;
	}
	svc_td = jsonx_str(service, "taskDefinition");
	deps = jsonx_array(service, "deployments");
	primary = apply_find_deployment(service, NULL, "PRIMARY", NULL);
	d = deployment_id != NULL ? apply_find_deployment(service, deployment_id, NULL, NULL)
				  : apply_find_deployment(service, NULL, "PRIMARY", new_arn);
	if (d == NULL) {
		/* our deployment vanished (or never showed): where is the service now? */
		if (primary != NULL) {
			out->running = jsonx_int(primary, "runningCount", 0);
			out->desired = jsonx_int(primary, "desiredCount", 0);
			out->pending = jsonx_int(primary, "pendingCount", 0);
			out->failed = jsonx_int(primary, "failedTasks", 0);
			out->rollout_state = jsonx_str(primary, "rolloutState");
			out->rollout_reason = jsonx_str(primary, "rolloutStateReason");
			if (out->rollout_reason != NULL && out->rollout_reason[0] == '\0')
				out->rollout_reason = NULL;
		}
		if ((primary != NULL &&
		     plan_td_equal(jsonx_str(primary, "taskDefinition"), old_arn)) ||
		    (primary == NULL && plan_td_equal(svc_td, old_arn))) {
			/* with no id known, a service that says "new" has not started its
			 * deployment yet (moto never does); one that says "old" went back */
			if (deployment_id == NULL && !plan_td_equal(svc_td, old_arn))
				out->follow = APPLY_FOLLOW_IN_PROGRESS;
			else
				out->follow = APPLY_FOLLOW_ROLLED_BACK;
			return;
		}
		if (primary != NULL &&
		    plan_td_equal(jsonx_str(primary, "taskDefinition"), new_arn)) {
			out->follow = APPLY_FOLLOW_SUPERSEDED;
			out->deployment_id = jsonx_str(primary, "id");
			return;
		}
		if (primary == NULL && plan_td_equal(svc_td, new_arn)) {
			/* no deployments reported (e.g. not an ECS controller): cannot follow */
			out->follow = APPLY_FOLLOW_IN_PROGRESS;
			return;
		}
		out->follow = APPLY_FOLLOW_MOVED_ON;
		return;
	}
	out->running = jsonx_int(d, "runningCount", 0);
	out->desired = jsonx_int(d, "desiredCount", 0);
	out->pending = jsonx_int(d, "pendingCount", 0);
	out->failed = jsonx_int(d, "failedTasks", 0);
	out->rollout_state = rs = jsonx_str(d, "rolloutState");
	out->rollout_reason = jsonx_str(d, "rolloutStateReason");
	if (out->rollout_reason != NULL && out->rollout_reason[0] == '\0')
		out->rollout_reason = NULL;
	if (rs != NULL && strcmp(rs, "COMPLETED") == 0) {
		out->follow = APPLY_FOLLOW_COMPLETED;
		return;
	}
	if (rs != NULL && strcmp(rs, "FAILED") == 0) {
		/* a circuit breaker with rollback starts a new PRIMARY on the old revision */
		if (primary != NULL && primary != d &&
		    plan_td_equal(jsonx_str(primary, "taskDefinition"), old_arn))
			out->follow = APPLY_FOLLOW_ROLLED_BACK;
		else
			out->follow = APPLY_FOLLOW_FAILED;
		return;
	}
	if (primary != NULL && primary != d &&
	    plan_td_equal(jsonx_str(primary, "taskDefinition"), old_arn)) {
		out->follow = APPLY_FOLLOW_ROLLED_BACK;
		return;
	}
	if (rs == NULL) {
		/* no rolloutState (e.g. behind a Classic Load Balancer): the botocore
		 * ServicesStable condition on our PRIMARY deployment */
		const char *ds = jsonx_str(d, "status");
		if (ds != NULL && strcmp(ds, "PRIMARY") == 0 && deps != NULL &&
		    json_object_array_length(deps) == 1 && out->running == out->desired) {
			out->follow = APPLY_FOLLOW_COMPLETED;
			return;
		}
	}
	out->follow = APPLY_FOLLOW_IN_PROGRESS;
}

/* Normalises a register-input document for comparison: drops null, empty lists and empty
 * objects, and per container what AWS fills in by itself. */
static void apply_normalize(json_object *o, int in_container, int port_fold)
{
	struct json_object_iterator it, end;
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			apply_normalize(json_object_array_get_idx(o, i), in_container, port_fold);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	for (;;) {
		const char *drop = NULL;

		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		while (!json_object_iter_equal(&it, &end)) {
			const char *k = json_object_iter_peek_name(&it);
			json_object *v = json_object_iter_peek_value(&it);

			if (v == NULL ||
			    (json_object_is_type(v, json_type_array) &&
			     json_object_array_length(v) == 0) ||
			    (json_object_is_type(v, json_type_object) &&
			     json_object_object_length(v) == 0) ||
			    (in_container == 1 && strcmp(k, "cpu") == 0 &&
			     json_object_is_type(v, json_type_int) &&
			     json_object_get_int(v) == 0) ||
			    (in_container == 1 && strcmp(k, "essential") == 0 &&
			     json_object_is_type(v, json_type_boolean) &&
			     json_object_get_boolean(v))) {
				drop = k;
				break;
			}
			json_object_iter_next(&it);
		}
		if (drop == NULL)
			break;
		json_object_object_del(o, drop);
	}
	if (in_container == 2 && port_fold) {
		/* a portMappings entry */
		json_object *hp = NULL, *cp = NULL;
		if (json_object_object_get_ex(o, "hostPort", &hp) &&
		    json_object_object_get_ex(o, "containerPort", &cp) &&
		    json_object_get_int64(hp) == json_object_get_int64(cp))
			json_object_object_del(o, "hostPort");
		return;
	}
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	while (!json_object_iter_equal(&it, &end)) {
		const char *k = json_object_iter_peek_name(&it);
		int sub = 3;

		if (in_container == 0 && strcmp(k, "containerDefinitions") == 0)
			sub = 1;
		else if (in_container == 1 && strcmp(k, "portMappings") == 0)
			sub = 2;
		apply_normalize(json_object_iter_peek_value(&it), sub, port_fold);
		json_object_iter_next(&it);
	}
}

static json_object *apply_normalized(json_object *doc)
{
	json_object *c = jsonx_clone(doc);
	const char *mode = jsonx_str(doc, "networkMode");
	int fold = mode != NULL && (strcmp(mode, "awsvpc") == 0 || strcmp(mode, "host") == 0);

	apply_normalize(c, 0, fold);
	return c;
}

int apply_docs_equal(json_object *a, json_object *b, char **where)
{
	json_object *na, *nb;
	int eq;

	if (where != NULL)
		*where = NULL;
	if (a == NULL || b == NULL)
		return a == b;
	na = apply_normalized(a);
	nb = apply_normalized(b);
	eq = jsonx_equal(na, nb);
	if (!eq && where != NULL) {
		struct json_object_iterator it = json_object_iter_begin(na),
					    end = json_object_iter_end(na);
		while (!json_object_iter_equal(&it, &end)) {
			const char *k = json_object_iter_peek_name(&it);
			json_object *vb = NULL;
			if (!json_object_object_get_ex(nb, k, &vb) ||
			    !jsonx_equal(json_object_iter_peek_value(&it), vb)) {
				*where = xstrdup(k);
				break;
			}
			json_object_iter_next(&it);
		}
		if (*where == NULL) {
			it = json_object_iter_begin(nb);
			end = json_object_iter_end(nb);
			while (!json_object_iter_equal(&it, &end)) {
				const char *k = json_object_iter_peek_name(&it);
				if (!json_object_object_get_ex(na, k, NULL)) {
					*where = xstrdup(k);
					break;
				}
				json_object_iter_next(&it);
			}
		}
		if (*where == NULL)
			*where = xstrdup("(document)");
	}
	json_object_put(na);
	json_object_put(nb);
	return eq;
}

/* ---- the run ---- */

struct apply_ctx {
	struct aws_client *c;
	const struct plan *p;
	const struct apply_options *o;
	apply_progress_fn fn;
	void *pctx;
	volatile sig_atomic_t *cancel;
	struct audit_log *audit;
	struct apply_result *r;
};

static int apply_cancelled(struct apply_ctx *x)
{
	if (x->cancel != NULL && *x->cancel) {
		x->r->interrupted = 1;
		return 1;
	}
	return 0;
}

static void apply_report(struct apply_ctx *x, struct apply_progress *pg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void apply_report(struct apply_ctx *x, struct apply_progress *pg, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (x->fn == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	pg->text = s;
	x->fn(x->pctx, pg);
	free(s);
}

static void apply_simple(struct apply_ctx *x, enum apply_step step,
			 const struct apply_service_result *s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void apply_simple(struct apply_ctx *x, enum apply_step step,
			 const struct apply_service_result *s, const char *fmt, ...)
{
	struct apply_progress pg;
	va_list ap;
	char *t;

	memset(&pg, 0, sizeof pg);
	pg.step = step;
	pg.new_arn = x->r->new_arn;
	if (s != NULL) {
		pg.service = s->name;
		pg.cluster = s->cluster;
		pg.deployment_id = s->deployment_id;
		pg.old_arn = s->old_arn;
		pg.outcome = s->outcome;
	} else {
		pg.old_arn = x->p->source_arn;
	}
	va_start(ap, fmt);
	t = xvasprintf(fmt, ap);
	va_end(ap);
	apply_report(x, &pg, "%s", t);
	free(t);
}

static void apply_audit(struct apply_ctx *x, const char *action, const char *service,
			const char *old_arn, const char *new_arn, const char *dep,
			const char *request_id, const char *outcome, const char *detail)
{
	struct audit_entry en;
	struct err e;

	if (x->audit == NULL)
		return;
	memset(&en, 0, sizeof en);
	en.region = x->p->region;
	en.account = x->p->account;
	en.action = action;
	en.service = service;
	en.old_arn = old_arn;
	en.new_arn = new_arn;
	en.deployment_id = dep;
	en.request_id = request_id;
	en.outcome = outcome;
	en.detail = detail;
	err_clear(&e);
	if (audit_append(x->audit, &en, &e))
		apply_simple(x, APPLY_STEP_NOTE, NULL, "warning: %s", e.msg);
}

/* One call; body taken; resp owned by the caller; request id copied out. */
static int apply_call(struct apply_ctx *x, enum aws_service svc, const char *op, json_object *body,
		      json_object **resp, char *reqid, size_t reqid_size, long *http_status,
		      struct err *e)
{
	struct aws_request r;
	int rc;

	aws_request_init(&r, svc, op, body);
	rc = aws_call(x->c, &r);
	if (reqid != NULL)
		snprintf(reqid, reqid_size, "%s", r.request_id);
	if (http_status != NULL)
		*http_status = r.http_status;
	if (rc == 0) {
		if (resp != NULL) {
			*resp = r.resp;
			r.resp = NULL;
		}
	} else {
		err_copy(e, &r.err);
	}
	aws_request_done(&r);
	json_object_put(body);
	return rc;
}

/* The register-input form of revision arn (DescribeTaskDefinition include TAGS). */
static int apply_describe_td(struct apply_ctx *x, const char *arn, json_object **doc, struct err *e)
{
	json_object *body = json_object_new_object(), *inc = json_object_new_array(), *resp = NULL;
	int rc;

	*doc = NULL;
	json_object_object_add(body, "taskDefinition", json_object_new_string(arn));
	json_object_array_add(inc, json_object_new_string("TAGS"));
	json_object_object_add(body, "include", inc);
	if (apply_call(x, AWS_SVC_ECS, "DescribeTaskDefinition", body, &resp, NULL, 0, NULL, e))
		return err_prefix(e, "reading %s", apply_td_short(arn));
	rc = transform_register_input(resp, doc, e);
	json_object_put(resp);
	return rc;
}

/* The latest ACTIVE revision of the family if it equals the proposal (*arn NULL if not). */
static int apply_find_equal(struct apply_ctx *x, char **arn, struct err *e)
{
	char *latest = NULL, *where = NULL;
	json_object *doc = NULL;

	*arn = NULL;
	if (plan_latest_active_arn(x->c, x->p->family, &latest, e))
		return err_prefix(e, "looking for an equal revision of %s", x->p->family);
	if (latest == NULL || plan_td_equal(latest, x->p->source_arn)) {
		free(latest);
		return 0;
	}
	if (apply_describe_td(x, latest, &doc, e)) {
		free(latest);
		return -1;
	}
	if (apply_docs_equal(doc, x->p->proposed, &where))
		*arn = latest;
	else
		free(latest);
	free(where);
	json_object_put(doc);
	return 0;
}

/* DescribeServices of one service; *svc NULL when missing. */
static int apply_describe_service(struct apply_ctx *x, const char *cluster, const char *arn,
				  json_object **svc, json_object **resp_out, struct err *e)
{
	json_object *body = json_object_new_object(), *list = json_object_new_array(), *resp = NULL;

	*svc = NULL;
	json_object_object_add(body, "cluster", json_object_new_string(cluster));
	json_object_array_add(list, json_object_new_string(arn));
	json_object_object_add(body, "services", list);
	if (apply_call(x, AWS_SVC_ECS, "DescribeServices", body, &resp, NULL, 0, NULL, e))
		return -1;
	list = jsonx_array(resp, "services");
	if (list != NULL && json_object_array_length(list) > 0)
		*svc = json_object_array_get_idx(list, 0);
	*resp_out = resp;
	return 0;
}

static int apply_is_ambiguous(const struct err *e, long http_status)
{
	if (strcmp(e->code, "Cancelled") == 0)
		return 0;
	return http_status == 0 || http_status >= 500 || strcmp(e->code, "RequestTimeout") == 0 ||
	       strcmp(e->code, "Timeout") == 0;
}

/* Registers the proposal once. On an answer that leaves open whether AWS registered it
 * (timeout, connection lost, 5xx), looks for it before anything else. */
static int apply_register(struct apply_ctx *x, struct err *e)
{
	json_object *resp = NULL, *doc = NULL;
	char reqid[128] = "", *found = NULL, *where = NULL;
	long http = 0;
	const char *arn;
	int rc = -1;

	if (apply_call(x, AWS_SVC_ECS, "RegisterTaskDefinition", jsonx_clone(x->p->proposed), &resp,
		       reqid, sizeof reqid, &http, e)) {
		struct err e2;

		if (!apply_is_ambiguous(e, http)) {
			apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid,
				    e->code[0] ? e->code : "error", e->msg);
			return err_prefix(e, "registering the new revision of %s", x->p->family);
		}
		apply_simple(x, APPLY_STEP_NOTE, NULL,
			     "RegisterTaskDefinition gave no clear answer (%s); looking whether it "
			     "was registered before anything else",
			     e->msg);
		err_clear(&e2);
		if (apply_find_equal(x, &found, &e2)) {
			apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid,
				    "unknown", e2.msg);
			err_prefix(e,
				   "registering the new revision of %s (and looking for it "
				   "afterwards failed: %s)",
				   x->p->family, e2.msg);
			return err_hint(e, "run 'ecsfix apply' again: it looks before registering");
		}
		if (found == NULL) {
			apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid,
				    "not-registered", e->msg);
			err_prefix(e, "registering the new revision of %s", x->p->family);
			return err_hint(e, "nothing was registered; run 'ecsfix apply' again");
		}
		x->r->new_arn = found;
		x->r->registered = 1;
		apply_audit(x, "register", NULL, x->p->source_arn, found, NULL, reqid, "ok",
			    "found after an unclear answer");
		apply_simple(x, APPLY_STEP_REGISTER, NULL,
			     "registered %s (found after an unclear answer; not registered twice)",
			     apply_td_short(found));
		return 0;
	}
	arn = jsonx_str(jsonx_obj(resp, "taskDefinition"), "taskDefinitionArn");
	if (arn == NULL) {
		err_set(e, "RegisterTaskDefinition: no taskDefinitionArn in the answer");
		goto out;
	}
	x->r->new_arn = xstrdup(arn);
	x->r->registered = 1;
	apply_audit(x, "register", NULL, x->p->source_arn, arn, NULL, reqid, "ok", NULL);
	apply_simple(x, APPLY_STEP_REGISTER, NULL, "registered %s", apply_td_short(arn));
	/* re-read and compare with the plan */
	if (apply_describe_td(x, arn, &doc, e))
		goto out;
	if (!apply_docs_equal(doc, x->p->proposed, &where)) {
		err_set(e, "the registered revision %s differs from the plan at \"%s\"",
			apply_td_short(arn), where);
		err_hint(e,
			 "no service was updated; compare with 'aws ecs describe-task-definition'");
		apply_audit(x, "verify", NULL, x->p->source_arn, arn, NULL, NULL, "mismatch",
			    where);
		goto out;
	}
	rc = 0;
out:
	free(where);
	json_object_put(doc);
	json_object_put(resp);
	return rc;
}

/* Newest event id of service (events are newest first). */
static const char *apply_newest_event(json_object *service)
{
	json_object *ev = jsonx_array(service, "events");

	if (ev == NULL || json_object_array_length(ev) == 0)
		return NULL;
	return jsonx_str(json_object_array_get_idx(ev, 0), "id");
}

struct apply_follow_item {
	size_t index; /* in r->services */
	const char *old_arn, *new_arn;
	char *deployment_id;
	char *last_event;
	int done;
	int rollback; /* following a rollback */
};

static void apply_fail(struct apply_service_result *s, enum apply_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void apply_fail(struct apply_service_result *s, enum apply_outcome o, const char *fmt, ...)
{
	va_list ap;

	free(s->reason);
	va_start(ap, fmt);
	s->reason = xvasprintf(fmt, ap);
	va_end(ap);
	s->outcome = o;
}

static void apply_events(struct apply_follow_item *it, json_object *service, const char **evs,
			 size_t *nev)
{
	json_object *ev = jsonx_array(service, "events");
	size_t i, n = 0, k;

	*nev = 0;
	if (ev == NULL)
		return;
	for (i = 0; i < json_object_array_length(ev) && n < APPLY_MAX_EVENTS; i++) {
		json_object *e = json_object_array_get_idx(ev, i);
		const char *id = jsonx_str(e, "id");
		if (it->last_event != NULL && id != NULL && strcmp(id, it->last_event) == 0)
			break;
		n++;
	}
	/* oldest first */
	for (k = 0; k < n; k++)
		evs[k] = jsonx_str(json_object_array_get_idx(ev, n - 1 - k), "message");
	*nev = n;
	if (n > 0 && apply_newest_event(service) != NULL) {
		free(it->last_event);
		it->last_event = xstrdup(apply_newest_event(service));
	}
}

/* Follows items until each is done, the timeout or cancel. Returns 0 (outcomes in r). */
static int apply_follow(struct apply_ctx *x, struct apply_follow_item *items, size_t n)
{
	int64_t start = time_mono_ms();
	int64_t timeout_ms =
	    (int64_t)(x->o->timeout_s > 0 ? x->o->timeout_s : APPLY_DEFAULT_TIMEOUT_S) * 1000;
	int64_t wait = x->o->poll_ms > 0 ? x->o->poll_ms : APPLY_DEFAULT_POLL_MS;
	size_t i, left = n;

	for (i = 0; i < n; i++)
		if (items[i].done)
			left--;
	while (left > 0) {
		for (i = 0; i < n; i++) {
			struct apply_follow_item *it = &items[i];
			struct apply_service_result *s = &x->r->services[it->index];
			struct apply_follow_state fs;
			struct apply_progress pg;
			json_object *svc = NULL, *resp = NULL;
			const char *evs[APPLY_MAX_EVENTS];
			size_t nev = 0;
			struct err e;

			if (it->done)
				continue;
			if (apply_cancelled(x))
				return 0;
			err_clear(&e);
			if (apply_describe_service(x, x->p->services[it->index].cluster_arn, s->arn,
						   &svc, &resp, &e)) {
				if (strcmp(e.code, "Cancelled") == 0) {
					x->r->interrupted = 1;
					return 0;
				}
				apply_simple(x, APPLY_STEP_NOTE, s, "reading %s: %s (retrying)",
					     s->name, e.msg);
				continue;
			}
			apply_classify(svc, it->deployment_id, it->old_arn, it->new_arn, &fs);
			if (fs.follow == APPLY_FOLLOW_SUPERSEDED) {
				apply_simple(x, APPLY_STEP_NOTE, s,
					     "%s: deployment %s was replaced by %s on the same "
					     "revision; following that one",
					     s->name, it->deployment_id ? it->deployment_id : "-",
					     fs.deployment_id);
				free(it->deployment_id);
				it->deployment_id = xstrdup(fs.deployment_id);
				if (!it->rollback) {
					free(s->deployment_id);
					s->deployment_id = xstrdup(fs.deployment_id);
				}
				apply_classify(svc, it->deployment_id, it->old_arn, it->new_arn,
					       &fs);
			}
			apply_events(it, svc, evs, &nev);
			memset(&pg, 0, sizeof pg);
			pg.step = it->rollback ? APPLY_STEP_ROLLBACK : APPLY_STEP_ROLLOUT;
			pg.service = s->name;
			pg.cluster = s->cluster;
			pg.deployment_id = it->deployment_id;
			pg.old_arn = it->old_arn;
			pg.new_arn = it->new_arn;
			pg.running = fs.running;
			pg.desired = fs.desired;
			pg.failed = fs.failed;
			pg.pending = fs.pending;
			pg.rollout_state = fs.rollout_state;
			pg.rollout_reason = fs.rollout_reason;
			pg.events = evs;
			pg.nevents = nev;
			pg.outcome = s->outcome;
			apply_report(
			    x, &pg, "%s: %s %lld/%lld running, %lld pending, %lld failed%s%s",
			    s->name, fs.rollout_state ? fs.rollout_state : "IN_PROGRESS",
			    (long long)fs.running, (long long)fs.desired, (long long)fs.pending,
			    (long long)fs.failed, fs.rollout_reason ? ": " : "",
			    fs.rollout_reason ? fs.rollout_reason : "");
			switch (fs.follow) {
			case APPLY_FOLLOW_COMPLETED:
				it->done = 1;
				if (it->rollback)
					apply_fail(s, APPLY_OUTCOME_ROLLED_BACK,
						   "moved back to %s after the failure",
						   apply_td_short(it->new_arn));
				else
					s->outcome = APPLY_OUTCOME_COMPLETED;
				break;
			case APPLY_FOLLOW_FAILED:
				it->done = 1;
				apply_fail(s, APPLY_OUTCOME_FAILED, "deployment %s FAILED%s%s",
					   it->deployment_id ? it->deployment_id : "",
					   fs.rollout_reason ? ": " : "",
					   fs.rollout_reason ? fs.rollout_reason : "");
				break;
			case APPLY_FOLLOW_ROLLED_BACK:
				it->done = 1;
				if (it->rollback)
					apply_fail(s, APPLY_OUTCOME_FAILED,
						   "the rollback deployment was rolled back too");
				else
					apply_fail(
					    s, APPLY_OUTCOME_ROLLED_BACK,
					    "the deployment failed and was rolled back (circuit "
					    "breaker): the service runs %s again, still privileged",
					    apply_td_short(it->old_arn));
				break;
			case APPLY_FOLLOW_MOVED_ON:
				it->done = 1;
				apply_fail(s, APPLY_OUTCOME_FAILED,
					   "deployment %s disappeared and the service runs %s",
					   it->deployment_id ? it->deployment_id : "",
					   apply_td_short(jsonx_str(svc, "taskDefinition")));
				break;
			case APPLY_FOLLOW_GONE:
				it->done = 1;
				apply_fail(s, APPLY_OUTCOME_FAILED,
					   "the service is gone or draining");
				break;
			default:
				break;
			}
			if (it->done) {
				apply_audit(x, it->rollback ? "rollback-rollout" : "rollout",
					    s->arn, it->old_arn, it->new_arn, it->deployment_id,
					    NULL, apply_outcome_name(s->outcome), s->reason);
				left--;
			}
			json_object_put(resp);
		}
		if (left == 0)
			break;
		if (time_mono_ms() - start >= timeout_ms) {
			for (i = 0; i < n; i++) {
				struct apply_service_result *s = &x->r->services[items[i].index];
				if (items[i].done)
					continue;
				items[i].done = 1;
				apply_fail(s, APPLY_OUTCOME_FAILED,
					   "timed out after %d s following deployment %s",
					   x->o->timeout_s > 0 ? x->o->timeout_s
							       : APPLY_DEFAULT_TIMEOUT_S,
					   items[i].deployment_id ? items[i].deployment_id
								  : "(none started yet)");
				apply_audit(x, "rollout", s->arn, items[i].old_arn,
					    items[i].new_arn, items[i].deployment_id, NULL,
					    "TIMEOUT", s->reason);
			}
			break;
		}
		/* sleep in slices so Ctrl-C is quick */
		{
			int64_t until = time_mono_ms() + wait;
			int64_t limit = start + timeout_ms;
			if (until > limit)
				until = limit;
			while (time_mono_ms() < until) {
				if (apply_cancelled(x))
					return 0;
				time_sleep_ms(
				    until - time_mono_ms() > 100 ? 100 : until - time_mono_ms());
			}
		}
		wait = wait * 3 / 2;
		if (wait > APPLY_MAX_POLL_MS)
			wait = APPLY_MAX_POLL_MS;
	}
	return 0;
}

/* UpdateService of s to td (with network configuration nc or NULL). Fills *dep (the PRIMARY
 * deployment on td, or NULL) and *last_event. */
static int apply_update_service(struct apply_ctx *x, size_t index, const char *td, json_object *nc,
				const char *action, char **dep, char **last_event, struct err *e)
{
	struct apply_service_result *s = &x->r->services[index];
	json_object *body = json_object_new_object(), *resp = NULL, *svc, *d;
	char reqid[128] = "";
	int rc;

	*dep = NULL;
	*last_event = NULL;
	json_object_object_add(body, "cluster",
			       json_object_new_string(x->p->services[index].cluster_arn));
	json_object_object_add(body, "service", json_object_new_string(s->arn));
	json_object_object_add(body, "taskDefinition", json_object_new_string(td));
	if (nc != NULL)
		json_object_object_add(body, "networkConfiguration", jsonx_clone(nc));
	rc = apply_call(x, AWS_SVC_ECS, "UpdateService", body, &resp, reqid, sizeof reqid, NULL, e);
	if (rc) {
		apply_audit(x, action, s->arn, s->old_arn, td, NULL, reqid,
			    e->code[0] ? e->code : "error", e->msg);
		return err_prefix(e, "updating service %s", s->name);
	}
	svc = jsonx_obj(resp, "service");
	d = apply_find_deployment(svc, NULL, "PRIMARY", td);
	if (d != NULL && jsonx_str(d, "id") != NULL)
		*dep = xstrdup(jsonx_str(d, "id"));
	if (apply_newest_event(svc) != NULL)
		*last_event = xstrdup(apply_newest_event(svc));
	apply_audit(x, action, s->arn, strcmp(action, "rollback") == 0 ? x->r->new_arn : s->old_arn,
		    td, *dep, reqid, "ok", nc != NULL ? "with networkConfiguration" : NULL);
	json_object_put(resp);
	return 0;
}

static void apply_reminder(struct apply_ctx *x)
{
	x->r->reminder = xasprintf(
	    "Reminder: the files that define task definition family %s (CI/CD pipeline, "
	    "CloudFormation, Terraform, CDK, a task-definition JSON) must change too, or the next "
	    "deploy brings privileged back: run 'ecsfix lint --fix FILE' on them.",
	    x->p->family);
	apply_simple(x, APPLY_STEP_NOTE, NULL, "%s", x->r->reminder);
}

/* 1 when finding f is an active ECS.4 finding on a revision of the plan's family. */
static int apply_finding_matches(const struct plan *p, json_object *f)
{
	json_object *res = jsonx_array(f, "Resources");
	const char *ctl = jsonx_str(jsonx_obj(f, "Compliance"), "SecurityControlId");
	const char *gen = jsonx_str(f, "GeneratorId");
	const char *rs = jsonx_str(f, "RecordState");
	const char *ws = jsonx_str(jsonx_obj(f, "Workflow"), "Status");
	size_t i;

	if (!((ctl != NULL && strcmp(ctl, "ECS.4") == 0) ||
	      (gen != NULL && strstr(gen, "ECS.4") != NULL &&
	       strstr(gen, "ECS.4")[strlen("ECS.4")] == '\0')))
		return 0;
	if (rs != NULL && strcmp(rs, "ACTIVE") != 0)
		return 0;
	if (ws != NULL && (strcmp(ws, "RESOLVED") == 0 || strcmp(ws, "SUPPRESSED") == 0))
		return 0;
	for (i = 0; res != NULL && i < json_object_array_length(res); i++) {
		const char *id = jsonx_str(json_object_array_get_idx(res, i), "Id");
		const char *name = id ? plan_td_name(id) : NULL;
		size_t fl = strlen(p->family);

		if (name != NULL && strncmp(name, p->family, fl) == 0 && name[fl] == ':')
			return 1;
	}
	return 0;
}

/* --note-findings: the family's ECS.4 findings -> NOTIFIED with a note naming new_arn. */
static int apply_note_findings(struct apply_ctx *x, struct err *e)
{
	json_object *body = json_object_new_object(), *filters = json_object_new_object();
	json_object *items = NULL, *ids = json_object_new_array(), *f, *note, *wf, *resp = NULL;
	char reqid[128] = "", *text;
	size_t i;
	int rc = -1;

	/* filters for AWS; the results are filtered again here */
	f = json_object_new_array();
	json_object_array_add(f, json_object_new_object());
	json_object_object_add(json_object_array_get_idx(f, 0), "Value",
			       json_object_new_string("ECS.4"));
	json_object_object_add(json_object_array_get_idx(f, 0), "Comparison",
			       json_object_new_string("EQUALS"));
	json_object_object_add(filters, "ComplianceSecurityControlId", f);
	f = json_object_new_array();
	json_object_array_add(f, json_object_new_object());
	json_object_object_add(json_object_array_get_idx(f, 0), "Value",
			       json_object_new_string("ACTIVE"));
	json_object_object_add(json_object_array_get_idx(f, 0), "Comparison",
			       json_object_new_string("EQUALS"));
	json_object_object_add(filters, "RecordState", f);
	json_object_object_add(body, "Filters", filters);
	json_object_object_add(body, "MaxResults", json_object_new_int(100));
	rc = aws_paginate(x->c, AWS_SVC_SECURITYHUB, "GetFindings", body, "Findings", &items, e);
	json_object_put(body);
	if (rc) {
		err_prefix(e, "reading the ECS.4 findings");
		goto out;
	}
	rc = -1;
	for (i = 0; i < json_object_array_length(items) && json_object_array_length(ids) < 100;
	     i++) {
		json_object *fi = json_object_array_get_idx(items, i), *id;
		if (!apply_finding_matches(x->p, fi))
			continue;
		id = json_object_new_object();
		json_object_object_add(id, "Id", json_object_new_string(jsonx_str(fi, "Id")));
		json_object_object_add(id, "ProductArn",
				       json_object_new_string(jsonx_str(fi, "ProductArn")));
		json_object_array_add(ids, id);
	}
	if (json_object_array_length(ids) == 0) {
		apply_simple(x, APPLY_STEP_NOTE, NULL, "no open ECS.4 finding for family %s",
			     x->p->family);
		rc = 0;
		goto out;
	}
	body = json_object_new_object();
	json_object_object_add(body, "FindingIdentifiers", json_object_get(ids));
	wf = json_object_new_object();
	json_object_object_add(wf, "Status", json_object_new_string("NOTIFIED"));
	json_object_object_add(body, "Workflow", wf);
	note = json_object_new_object();
	text = xasprintf("ecsfix: fixed in %s (privileged: false); Security Hub resolves this "
			 "finding on its next evaluation",
			 x->r->new_arn);
	if (strlen(text) > 512)
		text[512] = '\0';
	json_object_object_add(note, "Text", json_object_new_string(text));
	free(text);
	json_object_object_add(note, "UpdatedBy", json_object_new_string("ecsfix"));
	json_object_object_add(body, "Note", note);
	if (apply_call(x, AWS_SVC_SECURITYHUB, "BatchUpdateFindings", body, &resp, reqid,
		       sizeof reqid, NULL, e)) {
		apply_audit(x, "note-findings", NULL, x->p->source_arn, x->r->new_arn, NULL, reqid,
			    e->code[0] ? e->code : "error", e->msg);
		err_prefix(e, "setting the ECS.4 findings to NOTIFIED");
		goto out;
	}
	f = jsonx_array(resp, "ProcessedFindings");
	x->r->findings_noted = f ? json_object_array_length(f) : 0;
	apply_audit(x, "note-findings", NULL, x->p->source_arn, x->r->new_arn, NULL, reqid, "ok",
		    NULL);
	apply_simple(x, APPLY_STEP_NOTE, NULL, "%zu ECS.4 finding(s) set to NOTIFIED",
		     x->r->findings_noted);
	rc = 0;
out:
	json_object_put(resp);
	json_object_put(items);
	json_object_put(ids);
	return rc;
}

/* --deregister-old: only when no service runs the source any more. */
static int apply_deregister_old(struct apply_ctx *x, struct err *e)
{
	json_object *svcs = NULL, *body, *resp = NULL;
	char reqid[128] = "";
	size_t n;

	if (plan_find_services(x->c, x->p->source_arn, x->cancel, &svcs, e))
		return err_prefix(e, "checking who still runs %s",
				  apply_td_short(x->p->source_arn));
	n = json_object_array_length(svcs);
	if (n > 0) {
		apply_simple(x, APPLY_STEP_NOTE, NULL,
			     "not deregistering %s: %zu service(s) still run it (first: %s)",
			     apply_td_short(x->p->source_arn), n,
			     jsonx_str(json_object_array_get_idx(svcs, 0), "serviceName"));
		json_object_put(svcs);
		return 0;
	}
	json_object_put(svcs);
	body = json_object_new_object();
	json_object_object_add(body, "taskDefinition", json_object_new_string(x->p->source_arn));
	if (apply_call(x, AWS_SVC_ECS, "DeregisterTaskDefinition", body, &resp, reqid, sizeof reqid,
		       NULL, e)) {
		apply_audit(x, "deregister", NULL, x->p->source_arn, NULL, NULL, reqid,
			    e->code[0] ? e->code : "error", e->msg);
		return err_prefix(e, "deregistering %s", apply_td_short(x->p->source_arn));
	}
	json_object_put(resp);
	x->r->deregistered_old = 1;
	apply_audit(x, "deregister", NULL, x->p->source_arn, NULL, NULL, reqid, "ok", NULL);
	apply_simple(x, APPLY_STEP_NOTE, NULL, "deregistered %s", apply_td_short(x->p->source_arn));
	return 0;
}

/* Checks region, account and the source digest. */
static int apply_check_source(struct apply_ctx *x, struct err *e)
{
	const char *region = aws_client_region(x->c), *account = NULL;
	json_object *doc = NULL;
	char *digest;
	int rc = 0;

	if (region == NULL || strcmp(region, x->p->region) != 0)
		return err_set(e, "the plan is for region %s, this session is in %s", x->p->region,
			       region ? region : "(none)"),
		       err_hint(e, "use --region %s", x->p->region);
	if (aws_client_account(x->c, &account, e))
		return -1;
	if (strcmp(account, x->p->account) != 0)
		return err_set(e, "the plan is for account %s, these credentials are for %s",
			       x->p->account, account),
		       err_hint(e, "use the profile of account %s", x->p->account);
	if (apply_describe_td(x, x->p->source_arn, &doc, e))
		return -1;
	digest = plan_digest(doc);
	if (strcmp(digest, x->p->digest) != 0) {
		err_set(e,
			"the source revision %s is not what the plan was made from (digest %s, "
			"plan %s)",
			apply_td_short(x->p->source_arn), digest, x->p->digest);
		rc = err_hint(e, "make the plan again");
	}
	free(digest);
	json_object_put(doc);
	return rc;
}

int apply_run(struct aws_client *c, const struct plan *p, const struct apply_options *o,
	      apply_progress_fn progress, void *ctx, volatile sig_atomic_t *cancel,
	      struct apply_result *r, struct err *e)
{
	struct apply_ctx x = {c, p, o, progress, ctx, cancel, NULL, r};
	struct apply_follow_item *items = NULL;
	enum apply_svc_state *states = NULL;
	char *target = NULL;
	struct strbuf stale;
	size_t i, nitems = 0;
	int rc = -1, all_ok;

	strbuf_init(&stale);
	apply_result_done(r);
	if (o->read_only) {
		err_set(e, "apply changes the account and --read-only is set");
		return err_hint(e, "drop --read-only to apply");
	}
	if (!plan_has_changes(p)) {
		err_set(e, "the plan changes nothing");
		return err_hint(e, "nothing to apply");
	}
	if (audit_open(o->audit_log, &x.audit, e))
		return -1;
	r->nservices = p->nservices;
	r->services = xcalloc(p->nservices + 1, sizeof *r->services);
	states = xcalloc(p->nservices + 1, sizeof *states);
	items = xcalloc(p->nservices + 1, sizeof *items);
	for (i = 0; i < p->nservices; i++) {
		struct apply_service_result *s = &r->services[i];
		s->arn = xstrdup(p->services[i].arn);
		s->name = xstrdup(p->services[i].name);
		s->cluster = xstrdup(p->services[i].cluster);
		s->old_arn = xstrdup(p->services[i].task_definition);
	}

	/* 1. the plan against the account */
	apply_simple(&x, APPLY_STEP_CHECK, NULL, "checking the plan against account %s (%s)",
		     p->account, p->region);
	if (apply_check_source(&x, e))
		goto refused;
	if (apply_find_equal(&x, &target, e))
		goto out;
	for (i = 0; i < p->nservices; i++) {
		json_object *svc = NULL, *resp = NULL;
		char *why = NULL;

		if (!p->services[i].selected)
			continue;
		if (apply_cancelled(&x))
			goto interrupted;
		if (apply_describe_service(&x, p->services[i].cluster_arn, p->services[i].arn, &svc,
					   &resp, e))
			goto out;
		states[i] = apply_service_state(svc, p->services[i].task_definition, target, &why);
		if (states[i] == APPLY_SVC_MOVED_ON || states[i] == APPLY_SVC_GONE)
			strbuf_printf(&stale, "%s%s/%s: %s", stale.len ? "; " : "",
				      p->services[i].cluster, p->services[i].name, why);
		free(why);
		json_object_put(resp);
	}
	if (stale.len > 0) {
		err_set(e, "the plan is stale: %s", stale.buf);
		err_hint(e, "nothing was changed; make the plan again");
		goto refused;
	}
	if (apply_cancelled(&x))
		goto interrupted;

	/* 2. register or reuse */
	if (target != NULL) {
		r->new_arn = target;
		target = NULL;
		r->registered = 0;
		apply_audit(&x, "reuse", NULL, p->source_arn, r->new_arn, NULL, NULL, "ok", NULL);
		apply_simple(&x, APPLY_STEP_REUSE, NULL,
			     "reusing %s: it equals the proposed revision (nothing registered)",
			     apply_td_short(r->new_arn));
	} else if (apply_register(&x, e)) {
		goto out;
	}

	/* 3. update */
	for (i = 0; i < p->nservices; i++) {
		struct apply_service_result *s = &r->services[i];
		struct apply_follow_item *it;
		char *dep = NULL, *last = NULL;

		if (!p->services[i].update) {
			apply_fail(s, APPLY_OUTCOME_SKIPPED, "%s",
				   p->services[i].skip_reason ? p->services[i].skip_reason
							      : "not updated");
			apply_audit(&x, "skip", s->arn, s->old_arn, r->new_arn, NULL, NULL,
				    "SKIPPED", s->reason);
			apply_simple(&x, APPLY_STEP_NOTE, s, "%s: skipped: %s", s->name, s->reason);
			continue;
		}
		if (!p->services[i].selected) {
			apply_fail(s, APPLY_OUTCOME_LEFT_OUT,
				   "left out of this apply: it still runs %s",
				   apply_td_short(s->old_arn));
			apply_audit(&x, "skip", s->arn, s->old_arn, r->new_arn, NULL, NULL,
				    "LEFT_OUT", s->reason);
			apply_simple(&x, APPLY_STEP_NOTE, s, "%s: %s", s->name, s->reason);
			continue;
		}
		if (apply_cancelled(&x))
			goto interrupted;
		if (states[i] == APPLY_SVC_ON_TARGET) {
			json_object *svc = NULL, *resp = NULL, *d;

			if (apply_describe_service(&x, p->services[i].cluster_arn, s->arn, &svc,
						   &resp, e))
				goto out;
			d = apply_find_deployment(svc, NULL, "PRIMARY", r->new_arn);
			if (d != NULL && jsonx_str(d, "id") != NULL)
				dep = xstrdup(jsonx_str(d, "id"));
			if (apply_newest_event(svc) != NULL)
				last = xstrdup(apply_newest_event(svc));
			json_object_put(resp);
			apply_simple(&x, APPLY_STEP_UPDATE, s,
				     "%s: already on %s (an earlier apply)", s->name,
				     apply_td_short(r->new_arn));
		} else {
			if (apply_update_service(&x, i, r->new_arn,
						 p->services[i].network_configuration,
						 "update-service", &dep, &last, e))
				goto out;
			s->deployment_id = dep ? xstrdup(dep) : NULL;
			apply_simple(&x, APPLY_STEP_UPDATE, s, "%s: UpdateService -> %s%s%s",
				     s->name, apply_td_short(r->new_arn),
				     dep ? ", deployment " : "", dep ? dep : "");
		}
		if (s->deployment_id == NULL && dep != NULL)
			s->deployment_id = xstrdup(dep);
		it = &items[nitems++];
		it->index = i;
		it->old_arn = s->old_arn;
		it->new_arn = r->new_arn;
		it->deployment_id = dep;
		it->last_event = last;
		s->outcome = APPLY_OUTCOME_NOT_FOLLOWED;
	}

	/* 4. follow */
	if (!o->no_wait && nitems > 0) {
		apply_follow(&x, items, nitems);
		if (r->interrupted)
			goto interrupted;
		if (o->rollback_on_failure) {
			for (i = 0; i < p->nservices; i++) {
				if (r->services[i].outcome != APPLY_OUTCOME_FAILED)
					continue;
				if (apply_rollback(c, p, o, i, progress, ctx, cancel, r, e))
					apply_simple(&x, APPLY_STEP_NOTE, &r->services[i],
						     "%s: rollback: %s", r->services[i].name,
						     e->msg);
				err_clear(e);
			}
			if (r->interrupted)
				goto interrupted;
		}
	}

	/* 5. afterwards */
	all_ok = 1;
	for (i = 0; i < p->nservices; i++) {
		enum apply_outcome oc = r->services[i].outcome;
		if (oc != APPLY_OUTCOME_COMPLETED && oc != APPLY_OUTCOME_SKIPPED)
			all_ok = 0;
	}
	if (o->note_findings) {
		struct err e2;
		err_clear(&e2);
		if (apply_note_findings(&x, &e2))
			apply_simple(&x, APPLY_STEP_NOTE, NULL, "warning: %s%s%s%s", e2.msg,
				     e2.hint[0] ? " (" : "", e2.hint, e2.hint[0] ? ")" : "");
	}
	if (o->deregister_old) {
		struct err e2;
		err_clear(&e2);
		if (!all_ok || o->no_wait)
			apply_simple(&x, APPLY_STEP_NOTE, NULL,
				     "not deregistering %s: only after every rollout completed",
				     apply_td_short(p->source_arn));
		else if (apply_deregister_old(&x, &e2))
			apply_simple(&x, APPLY_STEP_NOTE, NULL, "warning: %s", e2.msg);
	}
	apply_reminder(&x);
	for (i = 0; i < p->nservices; i++)
		apply_simple(&x, APPLY_STEP_DONE, &r->services[i], "%s/%s: %s%s%s",
			     r->services[i].cluster, r->services[i].name,
			     apply_outcome_name(r->services[i].outcome),
			     r->services[i].reason ? ": " : "",
			     r->services[i].reason ? r->services[i].reason : "");
	apply_simple(&x, APPLY_STEP_DONE, NULL, "%s %s", r->registered ? "registered" : "reused",
		     apply_td_short(r->new_arn));
	rc = 0;
	goto out;
interrupted:
	r->interrupted = 1;
	apply_audit(&x, "interrupted", NULL, p->source_arn, r->new_arn, NULL, NULL, "interrupted",
		    "rerun 'ecsfix apply' with the same plan to continue");
	apply_simple(&x, APPLY_STEP_DONE, NULL,
		     "interrupted: the account is consistent; run apply again to continue");
	rc = 0;
	goto out;
refused:
	apply_audit(&x, "refused", NULL, p->source_arn, NULL, NULL, NULL, "refused", e->msg);
out:
	if (rc && strcmp(e->code, "Cancelled") == 0) {
		r->interrupted = 1;
		rc = 0;
	}
	for (i = 0; i < nitems; i++) {
		free(items[i].deployment_id);
		free(items[i].last_event);
	}
	free(items);
	free(states);
	free(target);
	strbuf_done(&stale);
	audit_close(x.audit);
	return rc;
}

int apply_rollback(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		   size_t index, apply_progress_fn progress, void *ctx,
		   volatile sig_atomic_t *cancel, struct apply_result *r, struct err *e)
{
	struct apply_ctx x = {c, p, o, progress, ctx, cancel, NULL, r};
	struct apply_follow_item *items;
	size_t i, n = 0;
	int rc = 0;

	if (o->read_only) {
		err_set(e, "rollback changes the account and --read-only is set");
		return -1;
	}
	if (r->new_arn == NULL || r->nservices != p->nservices)
		return err_set(e, "nothing to roll back");
	if (audit_open(o->audit_log, &x.audit, e))
		return -1;
	items = xcalloc(p->nservices + 1, sizeof *items);
	for (i = 0; i < p->nservices; i++) {
		struct apply_service_result *s = &r->services[i];
		char *dep = NULL, *last = NULL;

		if (index != (size_t)-1 && index != i)
			continue;
		if (s->outcome != APPLY_OUTCOME_FAILED &&
		    !(index == i && s->outcome != APPLY_OUTCOME_SKIPPED &&
		      s->outcome != APPLY_OUTCOME_ROLLED_BACK &&
		      s->outcome != APPLY_OUTCOME_PENDING))
			continue;
		if (apply_cancelled(&x))
			break;
		if (p->services[i].network_configuration != NULL) {
			apply_fail(s, APPLY_OUTCOME_FAILED,
				   "%s; cannot roll back automatically: the service now has an "
				   "awsvpc networkConfiguration the old revision cannot use",
				   s->reason ? s->reason : "failed");
			rc = err_set(e, "%s: %s", s->name, s->reason);
			continue;
		}
		if (apply_update_service(&x, i, s->old_arn, NULL, "rollback", &dep, &last, e)) {
			rc = -1;
			continue;
		}
		free(s->rollback_deployment_id);
		s->rollback_deployment_id = dep ? xstrdup(dep) : NULL;
		apply_simple(&x, APPLY_STEP_ROLLBACK, s, "%s: rolling back to %s%s%s", s->name,
			     apply_td_short(s->old_arn), dep ? ", deployment " : "",
			     dep ? dep : "");
		items[n].index = i;
		items[n].old_arn = r->new_arn;
		items[n].new_arn = s->old_arn;
		items[n].deployment_id = dep;
		items[n].last_event = last;
		items[n].rollback = 1;
		n++;
	}
	if (n > 0 && !o->no_wait) {
		apply_follow(&x, items, n);
		for (i = 0; i < n; i++) {
			struct apply_service_result *s = &r->services[items[i].index];
			if (s->outcome != APPLY_OUTCOME_ROLLED_BACK && rc == 0)
				rc = err_set(e, "%s: the rollback did not complete: %s", s->name,
					     s->reason ? s->reason : "");
		}
	} else {
		for (i = 0; i < n; i++)
			apply_fail(&r->services[items[i].index], APPLY_OUTCOME_ROLLED_BACK,
				   "moved back to %s (rollback not followed)",
				   apply_td_short(items[i].new_arn));
	}
	for (i = 0; i < n; i++) {
		free(items[i].deployment_id);
		free(items[i].last_event);
	}
	free(items);
	audit_close(x.audit);
	return rc;
}
