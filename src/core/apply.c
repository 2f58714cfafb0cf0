/* apply.c: carries out a plan: checks it against the account (core/apply_check.c), registers
 * (or reuses, or moves to) the fixed revision once, updates the selected services, follows
 * each rollout by deployment id (classified by core/rollout.c), rolls back on request, notes
 * findings (core/apply_findings.c), and writes every step to the audit log. */
#include "config.h"

#include "core/apply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/apierr.h"
#include "aws/client.h"
#include "core/apply_ctx.h"
#include "core/audit.h"
#include "core/plan.h"
#include "core/rollout.h"
#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define APPLY_DEFAULT_TIMEOUT_S 1800
#define APPLY_DEFAULT_POLL_MS   5000
#define APPLY_MAX_POLL_MS       15000
#define APPLY_MAX_EVENTS        8
#define APPLY_REGISTER_TRIES    3

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
	return s != NULL ? plan_td_name(s) : "(none)";
}

enum apply_svc_state apply_service_state(json_object *service, const char *source_arn,
					 const char *target_arn, char **why)
{
	const char *st, *td;

	*why = NULL;
	if (!json_object_is_type(service, json_type_object)) {
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

/* ---- the run: context and calls ---- */

int apply_cancelled(struct apply_ctx *x)
{
	if (x->cancel != NULL && *x->cancel) {
		x->r->interrupted = 1;
		return 1;
	}
	return 0;
}

/* 1 (e set to "interrupted", code Cancelled) when cancel is set. */
int apply_cancel_err(struct apply_ctx *x, struct err *e)
{
	if (!apply_cancelled(x))
		return 0;
	err_set(e, "interrupted");
	snprintf(e->code, sizeof e->code, "Cancelled");
	return 1;
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

void apply_simple(struct apply_ctx *x, enum apply_step step, const struct apply_service_result *s,
		  const char *fmt, ...)
{
	struct apply_progress pg;
	va_list ap;
	char *t;

	memset(&pg, 0, sizeof pg);
	pg.kind = APPLY_KIND_MESSAGE;
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

void apply_audit(struct apply_ctx *x, const char *action, const char *service, const char *old_arn,
		 const char *new_arn, const char *dep, const char *request_id, const char *outcome,
		 const char *detail)
{
	struct audit_entry en;
	struct err e;

	if (x->audit == NULL)
		return;
	memset(&en, 0, sizeof en);
	en.region = x->p->region;
	en.account = x->p->account;
	en.role_arn = x->o->role_arn;
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
int apply_call(struct apply_ctx *x, enum aws_service svc, const char *op, json_object *body,
	       json_object **resp, char *reqid, size_t reqid_size, long *http_status, struct err *e)
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

/* DescribeTaskDefinition (include TAGS) of arn; *resp owned by the caller, checked to hold a
 * taskDefinition object. */
int apply_describe_td_raw(struct apply_ctx *x, const char *arn, json_object **resp, struct err *e)
{
	json_object *body = json_object_new_object(), *inc = json_object_new_array();

	*resp = NULL;
	json_object_object_add(body, "taskDefinition", json_object_new_string(arn));
	json_object_array_add(inc, json_object_new_string("TAGS"));
	json_object_object_add(body, "include", inc);
	if (apply_call(x, AWS_SVC_ECS, "DescribeTaskDefinition", body, resp, NULL, 0, NULL, e))
		return err_prefix(e, "reading %s", apply_td_short(arn));
	if (jsonx_obj(*resp, "taskDefinition") == NULL) {
		json_object_put(*resp);
		*resp = NULL;
		return err_set(e, "reading %s: the answer has no taskDefinition object",
			       apply_td_short(arn));
	}
	return 0;
}

/* The register-input form of revision arn. */
int apply_describe_td(struct apply_ctx *x, const char *arn, json_object **doc, struct err *e)
{
	json_object *resp = NULL;
	int rc;

	*doc = NULL;
	if (apply_describe_td_raw(x, arn, &resp, e))
		return -1;
	rc = transform_register_input(resp, doc, e);
	json_object_put(resp);
	return rc;
}

/* The latest ACTIVE revision of the family if it equals the proposal (*arn NULL if not). */
int apply_find_equal(struct apply_ctx *x, char **arn, struct err *e)
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
	if (apply_docs_equal(doc, x->proposal, &where))
		*arn = latest;
	else
		free(latest);
	free(where);
	json_object_put(doc);
	return 0;
}

/* DescribeServices of one service; *svc NULL when missing (or not an object). */
int apply_describe_service(struct apply_ctx *x, const char *cluster, const char *arn,
			   json_object **svc, json_object **resp_out, struct err *e)
{
	json_object *body = json_object_new_object(), *list = json_object_new_array(), *resp = NULL;
	json_object *s;

	*svc = NULL;
	*resp_out = NULL;
	json_object_object_add(body, "cluster", json_object_new_string(cluster));
	json_object_array_add(list, json_object_new_string(arn));
	json_object_object_add(body, "services", list);
	if (apply_call(x, AWS_SVC_ECS, "DescribeServices", body, &resp, NULL, 0, NULL, e))
		return -1;
	list = jsonx_array(resp, "services");
	s = list != NULL && json_object_array_length(list) > 0 ? json_object_array_get_idx(list, 0)
							       : NULL;
	if (json_object_is_type(s, json_type_object))
		*svc = s;
	*resp_out = resp;
	return 0;
}

/* ---- 2. register, reuse or move to ---- */

static int apply_is_ambiguous(const struct err *e, long http_status)
{
	if (strcmp(e->code, "Cancelled") == 0)
		return 0;
	return http_status == 0 || http_status >= 500 || strcmp(e->code, "RequestTimeout") == 0 ||
	       strcmp(e->code, "Timeout") == 0 || strcmp(e->code, "MalformedResponse") == 0 ||
	       apierr_is_throttling(e->code, http_status) ||
	       (http_status >= 200 && http_status < 300);
}

/* After an unclear answer to RegisterTaskDefinition: is the revision there? 0 with
 * *registered set when found (x->r->new_arn filled); 1 when not found and a retry is safe
 * (throttling); -1 (e set) otherwise. */
static int apply_register_look(struct apply_ctx *x, const char *reqid, long http, int *registered,
			       struct err *e)
{
	char *found = NULL;
	struct err e2;
	int throttled = apierr_is_throttling(e->code, http);
	int got_200 = http >= 200 && http < 300;

	apply_simple(x, APPLY_STEP_NOTE, NULL,
		     "RegisterTaskDefinition gave no clear answer (%s); looking whether it was "
		     "registered before anything else",
		     e->msg);
	err_clear(&e2);
	if (apply_find_equal(x, &found, &e2)) {
		apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid, "unknown",
			    e2.msg);
		err_prefix(e,
			   "registering the new revision of %s (and looking for it afterwards "
			   "failed: %s)",
			   x->p->family, e2.msg);
		return err_hint(e, "the revision may exist; run 'ecsfix apply' again: it looks "
				   "before registering and reuses it");
	}
	if (found != NULL) {
		x->r->new_arn = found;
		*registered = 1;
		apply_audit(x, "register", NULL, x->p->source_arn, found, NULL, reqid, "ok",
			    "found after an unclear answer");
		apply_simple(x, APPLY_STEP_REGISTER, NULL,
			     "registered %s (found after an unclear answer; not registered twice)",
			     apply_td_short(found));
		return 0;
	}
	if (throttled)
		return 1;
	apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid,
		    got_200 ? "unknown" : "not-registered", e->msg);
	err_prefix(e, "registering the new revision of %s", x->p->family);
	if (got_200)
		return err_hint(e, "the answer could not be read: the revision may exist; run "
				   "'ecsfix apply' again: it reuses an equal revision instead of "
				   "registering twice");
	return err_hint(e, "nothing was registered; run 'ecsfix apply' again");
}

static int apply_wait(struct apply_ctx *x, int64_t ms, int64_t limit);

/* Reads the registered revision arn back and compares it with the proposal. */
static int apply_read_back(struct apply_ctx *x, const char *arn, struct err *e)
{
	json_object *doc = NULL;
	char *where = NULL;
	int rc = 0;

	if (apply_describe_td(x, arn, &doc, e))
		return -1;
	if (!apply_docs_equal(doc, x->proposal, &where)) {
		err_set(e, "the registered revision %s differs from the plan at \"%s\"",
			apply_td_short(arn), where);
		err_hint(e,
			 "no service was updated; compare with 'aws ecs describe-task-definition'");
		apply_audit(x, "verify", NULL, x->p->source_arn, arn, NULL, NULL, "mismatch",
			    where);
		rc = -1;
	}
	free(where);
	json_object_put(doc);
	return rc;
}

/* Registers the proposal once. On an answer that leaves open whether AWS registered it
 * (timeout, connection lost, 5xx, throttling, an unreadable 200), looks for it before
 * anything else, and retries only when it is not there and the answer was throttling. */
static int apply_register(struct apply_ctx *x, struct err *e)
{
	json_object *resp = NULL;
	char reqid[128] = "";
	long http = 0;
	const char *arn;
	int rc = -1, tries, registered = 0;

	for (tries = 1;; tries++) {
		int look;

		err_clear(e);
		if (apply_call(x, AWS_SVC_ECS, "RegisterTaskDefinition", jsonx_clone(x->proposal),
			       &resp, reqid, sizeof reqid, &http, e) == 0)
			break;
		if (!apply_is_ambiguous(e, http)) {
			apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid,
				    e->code[0] ? e->code : "error", e->msg);
			return err_prefix(e, "registering the new revision of %s", x->p->family);
		}
		look = apply_register_look(x, reqid, http, &registered, e);
		if (look <= 0)
			return look;
		if (tries >= APPLY_REGISTER_TRIES) {
			apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid,
				    "not-registered", e->msg);
			err_prefix(e, "registering the new revision of %s", x->p->family);
			return err_hint(e,
					"throttled %d times and nothing was registered; run "
					"'ecsfix apply' again later",
					tries);
		}
		apply_simple(x, APPLY_STEP_NOTE, NULL,
			     "not registered; trying again in %d s (throttled)", tries);
		apply_wait(x, 1000 * (int64_t)tries, INT64_MAX);
		if (apply_cancel_err(x, e))
			return -1;
	}
	arn = jsonx_str(jsonx_obj(resp, "taskDefinition"), "taskDefinitionArn");
	if (arn == NULL) {
		err_set(e, "RegisterTaskDefinition: no taskDefinitionArn in the answer");
		err_hint(e, "the revision may exist; run 'ecsfix apply' again: it reuses an equal "
			    "revision instead of registering twice");
		apply_audit(x, "register", NULL, x->p->source_arn, NULL, NULL, reqid, "unknown",
			    e->msg);
		goto out;
	}
	x->r->new_arn = xstrdup(arn);
	x->r->registered = 1;
	apply_audit(x, "register", NULL, x->p->source_arn, arn, NULL, reqid, "ok", NULL);
	apply_simple(x, APPLY_STEP_REGISTER, NULL, "registered %s", apply_td_short(arn));
	rc = apply_read_back(x, arn, e);
out:
	json_object_put(resp);
	return rc;
}

/* The revision the services move to: moveTo, an equal existing one, or a new one. */
static int apply_target(struct apply_ctx *x, char *equal, struct err *e)
{
	struct apply_result *r = x->r;
	const struct plan *p = x->p;

	if (p->move_to != NULL) {
		r->new_arn = xstrdup(p->move_to);
		r->moved_to = 1;
		apply_audit(x, "move-to", NULL, p->source_arn, r->new_arn, NULL, NULL, "ok", NULL);
		apply_simple(x, APPLY_STEP_REUSE, NULL,
			     "moving to %s, an existing revision that passes (nothing registered)",
			     apply_td_short(r->new_arn));
		free(equal);
		return 0;
	}
	if (equal != NULL) {
		r->new_arn = equal;
		apply_audit(x, "reuse", NULL, p->source_arn, r->new_arn, NULL, NULL, "ok", NULL);
		apply_simple(x, APPLY_STEP_REUSE, NULL,
			     "reusing %s: it equals the proposed revision (nothing registered)",
			     apply_td_short(r->new_arn));
		return 0;
	}
	return apply_register(x, e);
}

/* ---- 3. update ---- */

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

/* Newest event id of service (events are newest first). */
static const char *apply_newest_event(json_object *service)
{
	json_object *ev = jsonx_array(service, "events");

	if (ev == NULL || json_object_array_length(ev) == 0)
		return NULL;
	return jsonx_str(json_object_array_get_idx(ev, 0), "id");
}

/* UpdateService of s to td (with network configuration nc or NULL). Fills *dep (the PRIMARY
 * deployment on td the answer shows, or NULL) and *last_event. */
static int apply_update_service(struct apply_ctx *x, size_t index, const char *td, json_object *nc,
				const char *action, char **dep, char **last_event, struct err *e)
{
	struct apply_service_result *s = &x->r->services[index];
	json_object *body = json_object_new_object(), *resp = NULL, *svc;
	char reqid[128] = "";
	const char *id;

	*dep = NULL;
	*last_event = NULL;
	json_object_object_add(body, "cluster",
			       json_object_new_string(x->p->services[index].cluster_arn));
	json_object_object_add(body, "service", json_object_new_string(s->arn));
	json_object_object_add(body, "taskDefinition", json_object_new_string(td));
	if (nc != NULL)
		json_object_object_add(body, "networkConfiguration", jsonx_clone(nc));
	if (apply_call(x, AWS_SVC_ECS, "UpdateService", body, &resp, reqid, sizeof reqid, NULL,
		       e)) {
		apply_audit(x, action, s->arn, s->old_arn, td, NULL, reqid,
			    e->code[0] ? e->code : "error", e->msg);
		return err_prefix(e, "updating service %s", s->name);
	}
	svc = jsonx_obj(resp, "service");
	id = rollout_started(svc, td);
	if (id != NULL)
		*dep = xstrdup(id);
	if (apply_newest_event(svc) != NULL)
		*last_event = xstrdup(apply_newest_event(svc));
	apply_audit(x, action, s->arn, strcmp(action, "rollback") == 0 ? x->r->new_arn : s->old_arn,
		    td, *dep, reqid, "ok", nc != NULL ? "with networkConfiguration" : NULL);
	json_object_put(resp);
	return 0;
}

/* No deployment to follow: say so at once (NOT_FOLLOWED), never wait on the old one. */
static void apply_not_followed(struct apply_ctx *x, struct apply_service_result *s)
{
	apply_fail(s, APPLY_OUTCOME_NOT_FOLLOWED,
		   "the answer shows no deployment on %s, so there is no rollout to follow (ECS "
		   "always starts one; an emulator does not): check the service with 'aws ecs "
		   "describe-services'",
		   apply_td_short(x->r->new_arn));
	apply_audit(x, "rollout", s->arn, s->old_arn, x->r->new_arn, NULL, NULL, "NOT_FOLLOWED",
		    s->reason);
	apply_simple(x, APPLY_STEP_NOTE, s, "%s/%s: NOT_FOLLOWED: %s", s->cluster, s->name,
		     s->reason);
}

/* A service the plan does not move: skipped (controller) or left out (not selected). */
static void apply_not_moved(struct apply_ctx *x, size_t i)
{
	struct apply_service_result *s = &x->r->services[i];
	const struct plan_service *ps = &x->p->services[i];

	if (!ps->update)
		apply_fail(s, APPLY_OUTCOME_SKIPPED, "%s",
			   ps->skip_reason ? ps->skip_reason : "not updated");
	else
		apply_fail(s, APPLY_OUTCOME_LEFT_OUT, "left out of this apply: it still runs %s",
			   apply_td_short(s->old_arn));
	apply_audit(x, "skip", s->arn, s->old_arn, x->r->new_arn, NULL, NULL,
		    apply_outcome_name(s->outcome), s->reason);
	apply_simple(x, APPLY_STEP_NOTE, s, "%s/%s: %s: %s", s->cluster, s->name,
		     ps->update ? "left out" : "skipped", s->reason);
}

/* A service already on the target (an earlier apply): its PRIMARY deployment on it. */
static int apply_already_there(struct apply_ctx *x, size_t i, char **dep, char **last,
			       struct err *e)
{
	struct apply_service_result *s = &x->r->services[i];
	json_object *svc = NULL, *resp = NULL;
	const char *id;

	if (apply_describe_service(x, x->p->services[i].cluster_arn, s->arn, &svc, &resp, e))
		return -1;
	id = rollout_started(svc, x->r->new_arn);
	*dep = id ? xstrdup(id) : NULL;
	*last = apply_newest_event(svc) ? xstrdup(apply_newest_event(svc)) : NULL;
	json_object_put(resp);
	apply_simple(x, APPLY_STEP_UPDATE, s, "%s/%s: already on %s (an earlier apply)", s->cluster,
		     s->name, apply_td_short(x->r->new_arn));
	return 0;
}

/* UpdateService for every selected service; the ones with a deployment go to items. */
static int apply_update_all(struct apply_ctx *x, const enum apply_svc_state *states,
			    struct apply_follow_item *items, size_t *nitems, struct err *e)
{
	const struct plan *p = x->p;
	size_t i;

	for (i = 0; i < p->nservices; i++) {
		struct apply_service_result *s = &x->r->services[i];
		char *dep = NULL, *last = NULL;

		if (!p->services[i].selected) {
			apply_not_moved(x, i);
			continue;
		}
		if (apply_cancelled(x))
			return 0;
		if (states[i] == APPLY_SVC_ON_TARGET) {
			if (apply_already_there(x, i, &dep, &last, e))
				return -1;
		} else {
			if (apply_update_service(x, i, x->r->new_arn,
						 p->services[i].network_configuration,
						 "update-service", &dep, &last, e))
				return -1;
			apply_simple(x, APPLY_STEP_UPDATE, s, "%s/%s: UpdateService -> %s%s%s",
				     s->cluster, s->name, apply_td_short(x->r->new_arn),
				     dep ? ", deployment " : "", dep ? dep : "");
		}
		free(s->deployment_id);
		s->deployment_id = dep ? xstrdup(dep) : NULL;
		s->outcome = APPLY_OUTCOME_NOT_FOLLOWED;
		if (dep == NULL && !x->o->no_wait) {
			apply_not_followed(x, s);
			free(last);
			continue;
		}
		items[*nitems].index = i;
		items[*nitems].old_arn = s->old_arn;
		items[*nitems].new_arn = x->r->new_arn;
		items[*nitems].deployment_id = dep;
		items[*nitems].last_event = last;
		(*nitems)++;
	}
	return 0;
}

/* ---- 4. follow ---- */

/* The ECS events of service new since it->last_event, oldest first, each reported as an
 * APPLY_KIND_ECS_EVENT; evs gets their messages for the ROLLOUT report. */
static void apply_events(struct apply_ctx *x, struct apply_follow_item *it, json_object *service,
			 const char **evs, size_t *nev)
{
	const struct apply_service_result *s = &x->r->services[it->index];
	json_object *ev = jsonx_array(service, "events");
	size_t i, n = 0, k;

	*nev = 0;
	for (i = 0; ev != NULL && i < json_object_array_length(ev) && n < APPLY_MAX_EVENTS; i++) {
		const char *id = jsonx_str(json_object_array_get_idx(ev, i), "id");
		if (it->last_event != NULL && id != NULL && strcmp(id, it->last_event) == 0)
			break;
		n++;
	}
	for (k = 0; k < n; k++) {
		json_object *one = json_object_array_get_idx(ev, n - 1 - k), *t = NULL;
		const char *msg = jsonx_str(one, "message");
		struct apply_progress pg;

		if (msg == NULL)
			continue;
		evs[(*nev)++] = msg;
		if (!x->o->ecs_events)
			continue;
		memset(&pg, 0, sizeof pg);
		pg.kind = APPLY_KIND_ECS_EVENT;
		pg.step = it->rollback ? APPLY_STEP_ROLLBACK : APPLY_STEP_ROLLOUT;
		pg.service = s->name;
		pg.cluster = s->cluster;
		pg.deployment_id = it->deployment_id;
		pg.old_arn = it->old_arn;
		pg.new_arn = it->new_arn;
		pg.outcome = s->outcome;
		if (json_object_object_get_ex(one, "createdAt", &t) &&
		    (json_object_is_type(t, json_type_double) ||
		     json_object_is_type(t, json_type_int)))
			pg.event_time = (int64_t)json_object_get_double(t);
		apply_report(x, &pg, "%s", msg);
	}
	if (n > 0 && apply_newest_event(service) != NULL) {
		free(it->last_event);
		it->last_event = xstrdup(apply_newest_event(service));
	}
}

/* The ROLLOUT (or ROLLBACK) progress report of one poll. */
static void apply_follow_report(struct apply_ctx *x, struct apply_follow_item *it,
				const struct rollout_state *fs, const char *const *evs, size_t nev)
{
	const struct apply_service_result *s = &x->r->services[it->index];
	struct apply_progress pg;
	const char *word;

	memset(&pg, 0, sizeof pg);
	pg.kind = APPLY_KIND_MESSAGE;
	pg.step = it->rollback ? APPLY_STEP_ROLLBACK : APPLY_STEP_ROLLOUT;
	pg.service = s->name;
	pg.cluster = s->cluster;
	pg.deployment_id = it->deployment_id;
	pg.old_arn = it->old_arn;
	pg.new_arn = it->new_arn;
	pg.running = fs->running;
	pg.desired = fs->desired;
	pg.failed = fs->failed;
	pg.pending = fs->pending;
	pg.rollout_state = fs->rollout_state;
	pg.rollout_reason = fs->rollout_reason;
	pg.events = evs;
	pg.nevents = nev;
	pg.outcome = s->outcome;
	/* the state of our deployment; what happened when it is gone */
	word = fs->verdict == ROLLOUT_ROLLED_BACK || fs->verdict == ROLLOUT_MOVED_ON ||
		       fs->verdict == ROLLOUT_GONE
		   ? rollout_verdict_name(fs->verdict)
	       : fs->rollout_state ? fs->rollout_state
				   : "IN_PROGRESS";
	apply_report(x, &pg, "%s/%s: %s %lld/%lld running, %lld pending, %lld failed%s%s",
		     s->cluster, s->name, word, (long long)fs->running, (long long)fs->desired,
		     (long long)fs->pending, (long long)fs->failed, fs->rollout_reason ? ": " : "",
		     fs->rollout_reason ? fs->rollout_reason : "");
}

/* The outcome a final verdict gives; 1 when the item is done. */
static int apply_follow_outcome(struct apply_follow_item *it, json_object *svc,
				const struct rollout_state *fs, struct apply_service_result *s)
{
	const char *dep = it->deployment_id ? it->deployment_id : "";

	switch (fs->verdict) {
	case ROLLOUT_COMPLETED:
		if (it->rollback)
			apply_fail(s, APPLY_OUTCOME_ROLLED_BACK,
				   "moved back to %s after the failure",
				   apply_td_short(it->new_arn));
		else
			s->outcome = APPLY_OUTCOME_COMPLETED;
		return 1;
	case ROLLOUT_FAILED:
		apply_fail(s, APPLY_OUTCOME_FAILED, "deployment %s FAILED%s%s", dep,
			   fs->rollout_reason ? ": " : "",
			   fs->rollout_reason ? fs->rollout_reason : "");
		return 1;
	case ROLLOUT_ROLLED_BACK:
		if (it->rollback)
			apply_fail(s, APPLY_OUTCOME_FAILED,
				   "the rollback deployment was rolled back too");
		else
			apply_fail(
			    s, APPLY_OUTCOME_ROLLED_BACK,
			    "the deployment failed and was rolled back (circuit breaker): the "
			    "service runs %s again, still privileged",
			    apply_td_short(it->old_arn));
		return 1;
	case ROLLOUT_MOVED_ON:
		apply_fail(s, APPLY_OUTCOME_FAILED,
			   "deployment %s disappeared and the service runs %s", dep,
			   apply_td_short(jsonx_str(svc, "taskDefinition")));
		return 1;
	case ROLLOUT_GONE:
		apply_fail(s, APPLY_OUTCOME_FAILED, "the service is gone or draining");
		return 1;
	default:
		return 0;
	}
}

/* One poll of one item; 1 when it is done now. */
static int apply_follow_one(struct apply_ctx *x, struct apply_follow_item *it)
{
	struct apply_service_result *s = &x->r->services[it->index];
	struct rollout_state fs;
	json_object *svc = NULL, *resp = NULL;
	const char *evs[APPLY_MAX_EVENTS];
	size_t nev = 0;
	struct err e;
	int done;

	err_clear(&e);
	if (apply_describe_service(x, x->p->services[it->index].cluster_arn, s->arn, &svc, &resp,
				   &e)) {
		if (strcmp(e.code, "Cancelled") == 0)
			x->r->interrupted = 1;
		else
			apply_simple(x, APPLY_STEP_NOTE, s, "reading %s/%s: %s (retrying)",
				     s->cluster, s->name, e.msg);
		return 0;
	}
	rollout_classify(svc, it->deployment_id, it->old_arn, it->new_arn, &fs);
	if (fs.verdict == ROLLOUT_SUPERSEDED) {
		apply_simple(
		    x, APPLY_STEP_NOTE, s,
		    "%s/%s: deployment %s was replaced by %s on the same revision; following "
		    "that one",
		    s->cluster, s->name, it->deployment_id ? it->deployment_id : "-",
		    fs.deployment_id);
		free(it->deployment_id);
		it->deployment_id = xstrdup(fs.deployment_id);
		if (!it->rollback) {
			free(s->deployment_id);
			s->deployment_id = xstrdup(fs.deployment_id);
		}
		rollout_classify(svc, it->deployment_id, it->old_arn, it->new_arn, &fs);
	}
	apply_events(x, it, svc, evs, &nev);
	apply_follow_report(x, it, &fs, evs, nev);
	done = apply_follow_outcome(it, svc, &fs, s);
	if (done)
		apply_audit(x, it->rollback ? "rollback-rollout" : "rollout", s->arn, it->old_arn,
			    it->new_arn, it->deployment_id, NULL, apply_outcome_name(s->outcome),
			    s->reason);
	json_object_put(resp);
	return done;
}

static void apply_follow_timeout(struct apply_ctx *x, struct apply_follow_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct apply_service_result *s = &x->r->services[items[i].index];
		if (items[i].done)
			continue;
		items[i].done = 1;
		apply_fail(s, APPLY_OUTCOME_FAILED, "timed out after %d s following deployment %s",
			   x->o->timeout_s > 0 ? x->o->timeout_s : APPLY_DEFAULT_TIMEOUT_S,
			   items[i].deployment_id ? items[i].deployment_id : "(none)");
		apply_audit(x, "rollout", s->arn, items[i].old_arn, items[i].new_arn,
			    items[i].deployment_id, NULL, "TIMEOUT", s->reason);
	}
}

/* Sleeps until ms later (or limit), in slices so Ctrl-C is quick; 1 when cancelled. */
static int apply_wait(struct apply_ctx *x, int64_t ms, int64_t limit)
{
	int64_t until = time_mono_ms() + ms;

	if (until > limit)
		until = limit;
	while (time_mono_ms() < until) {
		if (apply_cancelled(x))
			return 1;
		time_sleep_ms(until - time_mono_ms() > 100 ? 100 : until - time_mono_ms());
	}
	return 0;
}

/* Follows items until each is done, the timeout or cancel (outcomes in r). */
static void apply_follow(struct apply_ctx *x, struct apply_follow_item *items, size_t n)
{
	int64_t start = time_mono_ms();
	int64_t timeout_ms =
	    (int64_t)(x->o->timeout_s > 0 ? x->o->timeout_s : APPLY_DEFAULT_TIMEOUT_S) * 1000;
	int64_t wait = x->o->poll_ms > 0 ? x->o->poll_ms : APPLY_DEFAULT_POLL_MS;
	size_t i, left = 0;

	for (i = 0; i < n; i++)
		left += !items[i].done;
	while (left > 0) {
		for (i = 0; i < n; i++) {
			if (items[i].done)
				continue;
			if (apply_cancelled(x) || x->r->interrupted)
				return;
			if (apply_follow_one(x, &items[i])) {
				items[i].done = 1;
				left--;
			}
		}
		if (left == 0 || x->r->interrupted)
			return;
		if (time_mono_ms() - start >= timeout_ms) {
			apply_follow_timeout(x, items, n);
			return;
		}
		if (apply_wait(x, wait, start + timeout_ms))
			return;
		wait = wait * 3 / 2;
		if (wait > APPLY_MAX_POLL_MS)
			wait = APPLY_MAX_POLL_MS;
	}
}

static void apply_items_free(struct apply_follow_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].deployment_id);
		free(items[i].last_event);
	}
	free(items);
}

/* ---- 5. afterwards ---- */

/* Deregisters arn when no service runs it; *done 1 when deregistered. */
static int apply_deregister_if_unused(struct apply_ctx *x, const char *arn, int *done,
				      struct err *e)
{
	json_object *svcs = NULL, *body, *resp = NULL;
	char reqid[128] = "";
	size_t n;

	*done = 0;
	if (plan_find_services(x->c, arn, x->cancel, &svcs, e))
		return err_prefix(e, "checking who still runs %s", apply_td_short(arn));
	n = json_object_array_length(svcs);
	if (n > 0) {
		const char *first = jsonx_str(json_object_array_get_idx(svcs, 0), "serviceName");

		err_set(e, "not deregistering %s: %zu service(s) still run it (first: %s)",
			apply_td_short(arn), n, first ? first : "?");
		json_object_put(svcs);
		return -1;
	}
	json_object_put(svcs);
	body = json_object_new_object();
	json_object_object_add(body, "taskDefinition", json_object_new_string(arn));
	if (apply_call(x, AWS_SVC_ECS, "DeregisterTaskDefinition", body, &resp, reqid, sizeof reqid,
		       NULL, e)) {
		apply_audit(x, "deregister", NULL, arn, NULL, NULL, reqid,
			    e->code[0] ? e->code : "error", e->msg);
		return err_prefix(e, "deregistering %s", apply_td_short(arn));
	}
	json_object_put(resp);
	*done = 1;
	apply_audit(x, "deregister", NULL, arn, NULL, NULL, reqid, "ok", NULL);
	apply_simple(x, APPLY_STEP_NOTE, NULL, "deregistered %s", apply_td_short(arn));
	return 0;
}

int apply_deregister(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		     const char *arn, struct err *e)
{
	struct apply_result r;
	struct apply_ctx x = {c, p, o, NULL, NULL, NULL, NULL, &r, NULL, 0};
	int done = 0, rc;
	size_t fl = strlen(p->family);
	const char *name = plan_td_name(arn);

	if (o->read_only)
		return err_set(e, "deregistering changes the account and --read-only is set"),
		       err_hint(e, "drop --read-only");
	if (strncmp(name, p->family, fl) != 0 || name[fl] != ':')
		return err_set(e, "%s is not a revision of %s", name, p->family);
	apply_result_init(&r);
	if (audit_open(o->audit_log, &x.audit, e))
		return -1;
	rc = apply_deregister_if_unused(&x, arn, &done, e);
	audit_close(x.audit);
	return rc;
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

/* Note findings, deregister the old revision, remind about CI/CD (only when nothing
 * failed), and report each outcome. */
static void apply_after(struct apply_ctx *x)
{
	const struct plan *p = x->p;
	struct apply_result *r = x->r;
	int all_ok = 1, any_bad = 0, done = 0;
	struct err e2;
	size_t i;

	for (i = 0; i < p->nservices; i++) {
		enum apply_outcome oc = r->services[i].outcome;
		if (oc != APPLY_OUTCOME_COMPLETED && oc != APPLY_OUTCOME_SKIPPED &&
		    oc != APPLY_OUTCOME_LEFT_OUT)
			all_ok = 0;
		if (oc == APPLY_OUTCOME_FAILED || oc == APPLY_OUTCOME_ROLLED_BACK)
			any_bad = 1;
	}
	err_clear(&e2);
	if (x->o->note_findings && !any_bad && apply_note_findings(x, &e2))
		apply_simple(x, APPLY_STEP_NOTE, NULL, "warning: %s%s%s%s", e2.msg,
			     e2.hint[0] ? " (" : "", e2.hint, e2.hint[0] ? ")" : "");
	err_clear(&e2);
	if (x->o->deregister_old) {
		if (!all_ok || x->o->no_wait)
			apply_simple(x, APPLY_STEP_NOTE, NULL,
				     "not deregistering %s: only after every rollout completed",
				     apply_td_short(p->source_arn));
		else if (apply_deregister_if_unused(x, p->source_arn, &done, &e2))
			apply_simple(x, APPLY_STEP_NOTE, NULL, "%s", e2.msg);
		r->deregistered_old = done;
	}
	if (!any_bad)
		apply_reminder(x);
	for (i = 0; i < p->nservices; i++)
		apply_simple(x, APPLY_STEP_DONE, &r->services[i], "%s/%s: %s%s%s",
			     r->services[i].cluster, r->services[i].name,
			     apply_outcome_name(r->services[i].outcome),
			     r->services[i].reason ? ": " : "",
			     r->services[i].reason ? r->services[i].reason : "");
	apply_simple(x, APPLY_STEP_DONE, NULL, "%s %s",
		     r->moved_to     ? "moved to"
		     : r->registered ? "registered"
				     : "reused",
		     apply_td_short(r->new_arn));
}

/* ---- the run ---- */

static int apply_begin(struct apply_ctx *x, struct err *e)
{
	const struct plan *p = x->p;
	size_t i;

	if (x->o->read_only) {
		err_set(e, "apply changes the account and --read-only is set");
		return err_hint(e, "drop --read-only to apply");
	}
	if (!plan_has_changes(p)) {
		err_set(e, "the plan changes nothing");
		return err_hint(e, "nothing to apply");
	}
	if (audit_open(x->o->audit_log, &x->audit, e))
		return -1;
	x->r->nservices = p->nservices;
	x->r->services = xcalloc(p->nservices + 1, sizeof *x->r->services);
	for (i = 0; i < p->nservices; i++) {
		struct apply_service_result *s = &x->r->services[i];
		s->arn = xstrdup(p->services[i].arn);
		s->name = xstrdup(p->services[i].name);
		s->cluster = xstrdup(p->services[i].cluster);
		s->old_arn = xstrdup(p->services[i].task_definition);
	}
	return 0;
}

/* Rolls back the FAILED services at once (--rollback-on-failure). */
static void apply_auto_rollback(struct apply_ctx *x, struct err *e)
{
	size_t i;

	for (i = 0; i < x->p->nservices; i++) {
		if (x->r->services[i].outcome != APPLY_OUTCOME_FAILED)
			continue;
		if (apply_rollback(x->c, x->p, x->o, i, x->fn, x->pctx, x->cancel, x->r, e))
			apply_simple(x, APPLY_STEP_NOTE, &x->r->services[i], "%s: rollback: %s",
				     x->r->services[i].name, e->msg);
		err_clear(e);
	}
}

int apply_run(struct aws_client *c, const struct plan *p, const struct apply_options *o,
	      apply_progress_fn progress, void *ctx, volatile sig_atomic_t *cancel,
	      struct apply_result *r, struct err *e)
{
	struct apply_ctx x = {c, p, o, progress, ctx, cancel, NULL, r, NULL, 0};
	struct apply_follow_item *items = NULL;
	enum apply_svc_state *states = NULL;
	struct apply_check ck;
	char *equal = NULL;
	size_t nitems = 0;
	int rc = -1;

	apply_result_done(r);
	apply_check_init(&ck);
	x.controls = o->controls ? o->controls : rules_default_mask();
	if (apply_begin(&x, e))
		return -1;
	states = xcalloc(p->nservices + 1, sizeof *states);
	items = xcalloc(p->nservices + 1, sizeof *items);
	/* 1. the plan against the account */
	apply_simple(&x, APPLY_STEP_CHECK, NULL, "checking the plan against account %s (%s)",
		     p->account, p->region);
	if (apply_check_all(&x, &ck, e))
		goto refused;
	if (!p->move_to && apply_find_equal(&x, &equal, e))
		goto out;
	if (apply_check_services(&x, p->move_to ? p->move_to : equal, states, e))
		goto refused;
	if (apply_cancelled(&x))
		goto interrupted;
	/* 2. register, reuse or move to; 3. update */
	if (apply_target(&x, equal, e))
		goto out;
	if (apply_update_all(&x, states, items, &nitems, e))
		goto out;
	if (apply_cancelled(&x))
		goto interrupted;
	/* 4. follow */
	if (!o->no_wait && nitems > 0) {
		apply_follow(&x, items, nitems);
		if (!r->interrupted && o->rollback_on_failure)
			apply_auto_rollback(&x, e);
		if (r->interrupted)
			goto interrupted;
	}
	/* 5. afterwards */
	apply_after(&x);
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
	if (strcmp(e->code, "Cancelled") != 0)
		apply_audit(&x, "refused", NULL, p->source_arn, NULL, NULL, NULL, "refused",
			    e->msg);
out:
	if (rc && strcmp(e->code, "Cancelled") == 0) {
		r->interrupted = 1;
		rc = 0;
	}
	apply_items_free(items, nitems);
	free(states);
	apply_check_done(&ck);
	json_object_put(x.proposal);
	audit_close(x.audit);
	return rc;
}

/* 1 when service s of r may be rolled back by a call for index. */
static int apply_rollback_wanted(const struct apply_service_result *s, size_t index, size_t i)
{
	if (index != (size_t)-1 && index != i)
		return 0;
	if (s->outcome == APPLY_OUTCOME_FAILED)
		return 1;
	return index == i && s->outcome != APPLY_OUTCOME_SKIPPED &&
	       s->outcome != APPLY_OUTCOME_LEFT_OUT && s->outcome != APPLY_OUTCOME_ROLLED_BACK &&
	       s->outcome != APPLY_OUTCOME_PENDING;
}

/* UpdateService of service i back to its old revision; *it filled when there is a
 * deployment to follow (it->deployment_id set), else the outcome is set already. */
static int apply_rollback_start(struct apply_ctx *x, size_t i, struct apply_follow_item *it,
				struct err *e)
{
	struct apply_service_result *s = &x->r->services[i];
	char *dep = NULL, *last = NULL;

	memset(it, 0, sizeof *it);
	if (x->p->services[i].network_configuration != NULL) {
		apply_fail(s, APPLY_OUTCOME_FAILED,
			   "%s; cannot roll back automatically: the service now has an awsvpc "
			   "networkConfiguration the old revision cannot use",
			   s->reason ? s->reason : "failed");
		return err_set(e, "%s: %s", s->name, s->reason);
	}
	if (apply_update_service(x, i, s->old_arn, NULL, "rollback", &dep, &last, e))
		return -1;
	free(s->rollback_deployment_id);
	s->rollback_deployment_id = dep ? xstrdup(dep) : NULL;
	apply_simple(x, APPLY_STEP_ROLLBACK, s, "%s/%s: rolling back to %s%s%s", s->cluster,
		     s->name, apply_td_short(s->old_arn), dep ? ", deployment " : "",
		     dep ? dep : "");
	if (dep == NULL || x->o->no_wait) {
		apply_fail(s, APPLY_OUTCOME_ROLLED_BACK, "moved back to %s (rollback not followed)",
			   apply_td_short(s->old_arn));
		free(dep);
		free(last);
		return 0;
	}
	it->index = i;
	it->old_arn = x->r->new_arn;
	it->new_arn = s->old_arn;
	it->deployment_id = dep;
	it->last_event = last;
	it->rollback = 1;
	return 0;
}

int apply_rollback(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		   size_t index, apply_progress_fn progress, void *ctx,
		   volatile sig_atomic_t *cancel, struct apply_result *r, struct err *e)
{
	struct apply_ctx x = {c, p, o, progress, ctx, cancel, NULL, r, NULL, 0};
	struct apply_follow_item *items;
	size_t i, n = 0;
	int rc = 0;

	if (o->read_only)
		return err_set(e, "rollback changes the account and --read-only is set");
	if (r->new_arn == NULL || r->nservices != p->nservices)
		return err_set(e, "nothing to roll back");
	if (audit_open(o->audit_log, &x.audit, e))
		return -1;
	items = xcalloc(p->nservices + 1, sizeof *items);
	for (i = 0; i < p->nservices; i++) {
		if (!apply_rollback_wanted(&r->services[i], index, i))
			continue;
		if (apply_cancelled(&x))
			break;
		if (apply_rollback_start(&x, i, &items[n], e))
			rc = -1;
		else if (items[n].deployment_id != NULL)
			n++;
	}
	if (n > 0)
		apply_follow(&x, items, n);
	for (i = 0; i < n; i++) {
		struct apply_service_result *s = &r->services[items[i].index];
		if (s->outcome != APPLY_OUTCOME_ROLLED_BACK && rc == 0)
			rc = err_set(e, "%s: the rollback did not complete: %s", s->name,
				     s->reason ? s->reason : "");
	}
	apply_items_free(items, n);
	audit_close(x.audit);
	return rc;
}
