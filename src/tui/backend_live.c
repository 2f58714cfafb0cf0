/* backend_live.c: the backend on the real account, through core/ (session, scan, plan,
 * apply). Runs on the worker thread, which owns the session. */
#include "config.h"

#include "tui/backend.h"

#include "core/apply.h"
#include "core/caps.h"
#include "core/exceptions.h"
#include "core/owner.h"
#include "core/report_md.h"
#include "core/plan.h"
#include "core/rules.h"
#include "core/scan.h"
#include "core/session.h"
#include "core/verify.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct live {
	struct session_config cfg;
	struct session_targets_spec spec;
	struct session_targets targets; /* when the spec asks for several (n > 0) */
	struct aws_client *client;      /* the session's own */
	struct aws_client *change;      /* the client the last plan was made with */
	struct err open_err;            /* why the session could not be opened: every job says it */
	struct plan *plan; /* the plan last applied, and its result (for the rollback) */
	struct apply_result result;
};

static int live_open(void *ctx, struct tui_session_info *info, struct err *e)
{
	struct live *l = ctx;
	const char *account = NULL;

	if (session_open(&l->cfg, &l->client, e)) {
		err_copy(&l->open_err, e);
		return -1;
	}
	if (session_targets_wanted(l->client, &l->spec) &&
	    session_targets_open(l->client, &l->cfg, &l->spec, &l->targets, e)) {
		err_copy(&l->open_err, e);
		session_close(l->client);
		l->client = NULL;
		return -1;
	}
	info->profile = session_profile(l->client);
	info->region = session_region(l->client);
	info->endpoint = session_endpoint(l->client);
	if (session_account(l->client, &account, e) == 0)
		info->account = account;
	return 0;
}

/* A scan of several targets: the header says how many are done and how many regions. */
struct live_scan {
	tui_scan_progress_fn fn;
	void *pctx;
	size_t done, n, regions;
};

static void live_scan_progress(void *ctx, const char *what, size_t done, size_t total)
{
	struct live_scan *ls = ctx;
	char text[160];

	snprintf(text, sizeof text, "targets %zu/%zu, regions %zu: %s", ls->done, ls->n,
		 ls->regions, what ? what : "");
	ls->fn(ls->pctx, text, done, total);
}

static void live_on_target(void *ctx, const struct scan_target_status *t)
{
	struct live_scan *ls = ctx;

	ls->done = t->done_targets;
	ls->n = t->ntargets;
}

static size_t live_regions(const struct session_targets *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		const char *r = session_region(t->v[i].client);
		size_t k;

		for (k = 0; k < i && strcmp(session_region(t->v[k].client), r ? r : "") != 0; k++)
			;
		n += k == i;
	}
	return n;
}

static int live_scan(void *ctx, tui_scan_progress_fn progress, void *pctx, json_object **report,
		     struct err *e)
{
	struct live *l = ctx;
	struct scan_options so = {0};
	struct live_scan ls = {progress, pctx, 0, l->targets.n, live_regions(&l->targets)};

	if (l->client == NULL) {
		err_copy(e, &l->open_err);
		return -1;
	}
	if (l->targets.n == 0)
		return scan_run(l->client, &so, progress, pctx, report, e);
	so.on_target = live_on_target;
	so.findings_from = l->targets.findings;
	return scan_run_targets(l->targets.v, l->targets.n, &so, live_scan_progress, &ls, report,
				e);
}

/* The client of the target that holds arn (region and account from the ARN), its role
 * assumed afresh (the scan's credentials may have expired); the session's own with one
 * target, or when none matches. -1 (e set) when the role cannot be assumed. */
static int live_client_for(struct live *l, const char *arn, struct aws_client **c,
			   const char **role_arn, struct err *e)
{
	char region[64] = "", account[32] = "";

	*c = l->client;
	if (role_arn)
		*role_arn = NULL;
	if (arn == NULL || sscanf(arn, "arn:%*[^:]:ecs:%63[^:]:%31[^:]:", region, account) != 2)
		return 0;
	for (size_t i = 0; i < l->targets.n; i++) {
		const struct scan_target *t = &l->targets.v[i];
		const char *acct = t->account_id, *r = session_region(t->client);
		struct err ignored;

		if (t->unreachable || strcmp(r ? r : "", region) != 0)
			continue;
		err_clear(&ignored);
		if (acct == NULL && session_account(t->client, &acct, &ignored) != 0)
			continue;
		if (acct == NULL || strcmp(acct, account) != 0)
			continue;
		if (session_target_assume(t, e))
			return -1;
		*c = t->client;
		if (role_arn)
			*role_arn = t->role_arn;
		return 0;
	}
	return 0;
}

/* Splits a comma list into a NULL-terminated array (caller frees both). */
static char **live_split(const char *list, size_t *n, char **buf)
{
	char **v, *save = NULL, *tok;

	*n = 0;
	*buf = NULL;
	if (list == NULL || *list == '\0')
		return NULL;
	*buf = xstrdup(list);
	v = xcalloc(strlen(list) + 1, sizeof *v);
	for (tok = strtok_r(*buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		v[(*n)++] = tok;
	return v;
}

static json_object *live_checks(const struct rule_results *r)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < r->n; i++) {
		const struct rule_result *x = &r->v[i];
		json_object *c = json_object_new_object();

		json_object_object_add(c, "control", json_object_new_string(x->control));
		json_object_object_add(c, "status",
				       json_object_new_string(rules_status_name(x->status)));
		json_object_object_add(
		    c, "container",
		    x->container && *x->container ? json_object_new_string(x->container) : NULL);
		json_object_object_add(c, "reason",
				       json_object_new_string(x->reason ? x->reason : ""));
		json_object_array_add(a, c);
	}
	return a;
}

static json_object *live_strings(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* The TUI's view of a core plan (backend.h), with the plan document kept under "plan". */
static json_object *live_plan_view(const struct plan *p)
{
	json_object *o = json_object_new_object(), *svcs = json_object_new_array();
	json_object *skipped = json_object_new_array();
	json_object *notes = live_strings(p->notes, p->nnotes);
	const char *colon = p->source_arn ? strrchr(p->source_arn, ':') : NULL;

	json_object_object_add(o, "target", json_object_new_string(p->source_arn));
	json_object_object_add(o, "family", json_object_new_string(p->family));
	json_object_object_add(o, "revision",
			       json_object_new_int64(colon ? strtoll(colon + 1, NULL, 10) : 0));
	json_object_object_add(o, "diff", json_object_new_string(p->diff_text ? p->diff_text : ""));
	json_object_object_add(o, "checksBefore", live_checks(&p->before));
	json_object_object_add(o, "checksAfter", live_checks(&p->after));
	for (size_t i = 0; i < p->nservices; i++) {
		const struct plan_service *ps = &p->services[i];
		json_object *s = json_object_new_object();

		json_object_object_add(s, "cluster", json_object_new_string(ps->cluster));
		json_object_object_add(s, "name", json_object_new_string(ps->name));
		json_object_object_add(s, "arn", json_object_new_string(ps->arn));
		if (!ps->update) {
			json_object_object_add(
			    s, "reason",
			    json_object_new_string(ps->skip_reason ? ps->skip_reason : "skipped"));
			json_object_array_add(skipped, s);
			continue;
		}
		json_object_object_add(s, "runningCount", json_object_new_int64(ps->running));
		json_object_object_add(s, "desiredCount", json_object_new_int64(ps->desired));
		json_object_object_add(s, "selected", json_object_new_boolean(ps->selected));
		json_object_array_add(svcs, s);
	}
	if (p->move_to)
		json_object_object_add(o, "moveTo", json_object_new_string(p->move_to));
	json_object_object_add(o, "notes", notes);
	json_object_object_add(o, "services", svcs);
	json_object_object_add(o, "skipped", skipped);
	json_object_object_add(o, "changes", json_object_new_boolean(plan_has_changes(p)));
	json_object_object_add(o, "plan", json_object_get(p->doc));
	return o;
}

static int live_plan(void *ctx, json_object *report, const char *target,
		     const struct tui_plan_opts *o, json_object **plan, struct err *e)
{
	struct live *l = ctx;
	struct plan_request rq = {0};
	struct plan *p = NULL;
	char *subnets_buf = NULL, *sgs_buf = NULL;
	char **subnets = NULL, **sgs = NULL;
	const char **caps = NULL;
	const char *svc[1] = {target};
	struct aws_client *client;
	int rc = -1;

	(void)report;
	if (l->client == NULL) {
		err_copy(e, &l->open_err);
		return -1;
	}
	if (target && strstr(target, ":task-definition/"))
		rq.task_definition = target;
	else {
		rq.services = svc;
		rq.nservices = 1;
	}
	rq.user = o->user;
	if (o->network_mode && transform_parse_network(o->network_mode, &rq.network_mode, e))
		goto out;
	subnets = live_split(o->subnets, &rq.nsubnets, &subnets_buf);
	sgs = live_split(o->security_groups, &rq.nsecurity_groups, &sgs_buf);
	rq.subnets = (const char *const *)subnets;
	rq.security_groups = (const char *const *)sgs;
	rq.assign_public_ip = -1;
	if (o->cap_add && caps_parse_list(o->cap_add, &caps, &rq.ncap_add, e))
		goto out;
	rq.cap_add = caps;
	if (live_client_for(l, target, &client, &rq.role_arn, e) ||
	    plan_build(client, &rq, NULL, NULL, l->cfg.cancel, &p, e))
		goto out;
	*plan = live_plan_view(p);
	rc = 0;
out:
	plan_free(p);
	free(caps);
	free(subnets);
	free(subnets_buf);
	free(sgs);
	free(sgs_buf);
	return rc;
}

/* The core plan inside a TUI plan view (a new plan: plan_free). */
static int live_plan_of(json_object *view, struct plan **p, struct err *e)
{
	json_object *doc = NULL;

	if (!json_object_object_get_ex(view, "plan", &doc) || doc == NULL)
		return err_set(e, "no plan document");
	return plan_from_json_take(jsonx_clone(doc), p, e);
}

static int live_write(void *ctx, json_object *plan, const char *path, struct err *e)
{
	struct plan *p = NULL;
	int rc;

	(void)ctx;
	rc = live_plan_of(plan, &p, e);
	if (rc == 0)
		rc = plan_write(p, path, e);
	plan_free(p);
	return rc;
}

/* The services the user left out in the TUI (view "services"[].selected false). */
static void live_select(struct plan *p, json_object *view_services)
{
	for (size_t i = 0; i < p->nservices; i++)
		for (size_t k = 0; view_services && k < json_object_array_length(view_services);
		     k++) {
			json_object *vs = json_object_array_get_idx(view_services, k);
			const char *arn = jsonx_str(vs, "arn");

			if (arn && p->services[i].arn && strcmp(arn, p->services[i].arn) == 0)
				plan_service_set_selected(p, i, jsonx_bool(vs, "selected") != 0);
		}
}

struct live_progress {
	tui_apply_progress_fn fn;
	void *pctx;
};

static void live_rollout(struct live_progress *lp, const struct apply_progress *ap,
			 const char *subject)
{
	enum tui_step_state st = TUI_STEP_RUNNING;

	if (ap->rollout_state && strcmp(ap->rollout_state, "COMPLETED") == 0)
		st = TUI_STEP_DONE;
	else if (ap->rollout_state && strcmp(ap->rollout_state, "FAILED") == 0)
		st = TUI_STEP_FAILED;
	lp->fn(lp->pctx, TUI_STEP_ROLLOUT, subject,
	       ap->rollout_state ? ap->rollout_state : "IN_PROGRESS", (long)ap->running,
	       (long)ap->desired, st);
}

static void live_done(struct live_progress *lp, const struct apply_progress *ap,
		      const char *subject)
{
	int ok = ap->outcome == APPLY_OUTCOME_COMPLETED || ap->outcome == APPLY_OUTCOME_SKIPPED ||
		 ap->outcome == APPLY_OUTCOME_NOT_FOLLOWED || ap->outcome == APPLY_OUTCOME_LEFT_OUT;

	if (ap->service == NULL)
		return;
	/* -1: the counts of the last rollout report stand */
	lp->fn(lp->pctx, TUI_STEP_ROLLOUT, subject, apply_outcome_name(ap->outcome), -1, -1,
	       ok ? TUI_STEP_DONE : TUI_STEP_FAILED);
	if (ap->text && ap->outcome != APPLY_OUTCOME_COMPLETED)
		lp->fn(lp->pctx, TUI_STEP_MESSAGE, "ecsfix", ap->text, 0, 0, TUI_STEP_DONE);
}

static void live_progress(void *ctx, const struct apply_progress *ap)
{
	struct live_progress *lp = ctx;
	char subject[256];
	const char *new_short = ap->new_arn ? strrchr(ap->new_arn, '/') : NULL;

	snprintf(subject, sizeof subject, "%s/%s", ap->cluster ? ap->cluster : "?",
		 ap->service ? ap->service : "?");
	if (ap->kind == APPLY_KIND_ECS_EVENT) {
		lp->fn(lp->pctx, TUI_STEP_EVENT, subject, ap->text, 0, 0, TUI_STEP_DONE);
		return;
	}
	switch (ap->step) {
	case APPLY_STEP_REGISTER:
	case APPLY_STEP_REUSE:
		lp->fn(lp->pctx, TUI_STEP_REGISTER, new_short ? new_short + 1 : "revision",
		       ap->step == APPLY_STEP_REUSE ? ap->text : "registered", 0, 0, TUI_STEP_DONE);
		break;
	case APPLY_STEP_UPDATE:
		lp->fn(lp->pctx, TUI_STEP_UPDATE, subject,
		       ap->deployment_id ? ap->deployment_id : "UpdateService", 0, 0,
		       TUI_STEP_DONE);
		break;
	case APPLY_STEP_ROLLBACK:
		if (ap->rollout_state)
			live_rollout(lp, ap, subject);
		else
			lp->fn(lp->pctx, TUI_STEP_UPDATE, subject,
			       "rolled back to the old revision", 0, 0, TUI_STEP_DONE);
		break;
	case APPLY_STEP_ROLLOUT:
		live_rollout(lp, ap, subject);
		break;
	case APPLY_STEP_DONE:
		live_done(lp, ap, subject);
		break;
	case APPLY_STEP_CHECK:
	case APPLY_STEP_NOTE:
		if (ap->text)
			lp->fn(lp->pctx, TUI_STEP_MESSAGE, "ecsfix", ap->text, 0, 0, TUI_STEP_DONE);
		break;
	}
}

/* The outcome document of backend.h from an apply result. */
static json_object *live_outcome(const struct apply_result *r, int rollback)
{
	json_object *o = json_object_new_object();
	const char *status = "COMPLETED";
	char *msg = NULL;

	for (size_t i = 0; i < r->nservices; i++) {
		enum apply_outcome oc = r->services[i].outcome;

		if (oc == APPLY_OUTCOME_NOT_FOLLOWED && strcmp(status, "COMPLETED") == 0)
			status = "NOT_FOLLOWED";

		if (oc == APPLY_OUTCOME_ROLLED_BACK && strcmp(status, "FAILED") != 0)
			status = "ROLLED_BACK";
		if (oc == APPLY_OUTCOME_FAILED || oc == APPLY_OUTCOME_PENDING)
			status = "FAILED";
		if (oc != APPLY_OUTCOME_COMPLETED && oc != APPLY_OUTCOME_NOT_FOLLOWED &&
		    oc != APPLY_OUTCOME_LEFT_OUT && oc != APPLY_OUTCOME_SKIPPED &&
		    r->services[i].reason && msg == NULL)
			msg = xasprintf("%s: %s", r->services[i].name, r->services[i].reason);
	}
	if (r->interrupted)
		status = "FAILED";
	if (rollback && strcmp(status, "FAILED") != 0)
		status = "ROLLED_BACK";
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(
	    o, "message",
	    json_object_new_string(
		msg                                ? msg
		: r->interrupted                   ? "interrupted"
		: strcmp(status, "COMPLETED") == 0 ? "every service runs the new revision"
		: strcmp(status, "NOT_FOLLOWED") == 0
		    ? "the services were updated, but ECS started no deployment to follow"
		    : ""));
	if (r->new_arn)
		json_object_object_add(o, "newTaskDefinition", json_object_new_string(r->new_arn));
	free(msg);
	return o;
}

/* After the rollouts: what the touched services run, verdicts, what Security Hub will do. */
static void live_verify(struct live *l, json_object *outcome)
{
	struct verify_result v;
	struct err e;
	json_object *o, *lines;

	verify_result_init(&v);
	err_clear(&e);
	if (verify_run(l->change, l->plan, &l->result, 0, l->result.findings_noted > 0, &v, &e)) {
		json_object_object_add(outcome, "verifyError", json_object_new_string(e.msg));
		verify_result_done(&v);
		return;
	}
	o = json_object_new_object();
	lines = json_object_new_array();
	for (size_t i = 0; i < v.nlines; i++)
		json_object_array_add(lines, json_object_new_string(v.lines[i]));
	json_object_object_add(o, "lines", lines);
	if (v.securityhub)
		json_object_object_add(o, "securityhub", json_object_new_string(v.securityhub));
	json_object_object_add(o, "falseGreen", json_object_new_boolean(v.false_green));
	json_object_object_add(o, "cicdAdvice", json_object_new_boolean(v.cicd_advice));
	if (v.failed_new_arn)
		json_object_object_add(o, "failedNewArn", json_object_new_string(v.failed_new_arn));
	json_object_object_add(outcome, "verify", o);
	verify_result_done(&v);
}

static int live_change(struct live *l, json_object *plan, tui_apply_progress_fn progress,
		       void *pctx, volatile sig_atomic_t *cancel, json_object **outcome,
		       int rollback, struct err *e)
{
	struct live_progress lp = {progress, pctx};
	struct apply_options ao = {0};
	int rc;

	ao.ecs_events = 1; /* each ECS event as its own report: the change view lists them */
	ao.poll_ms = 2000; /* a screen follows: the first looks come sooner than the CLI's */

	if (l->client == NULL) {
		err_copy(e, &l->open_err);
		return -1;
	}
	if (!rollback) {
		plan_free(l->plan);
		l->plan = NULL;
		apply_result_done(&l->result);
		if (live_plan_of(plan, &l->plan, e))
			return -1;
		live_select(l->plan, jsonx_array(plan, "services"));
		if (live_client_for(l, jsonx_str(plan, "target"), &l->change, NULL, e))
			return -1;
		rc = apply_run(l->change, l->plan, &ao, live_progress, &lp, cancel, &l->result, e);
	} else {
		if (l->plan == NULL)
			return err_set(e, "nothing to roll back");
		rc = apply_rollback(l->change, l->plan, &ao, (size_t)-1, live_progress, &lp, cancel,
				    &l->result, e);
	}
	if (rc != 0 && !rollback && l->result.new_arn == NULL)
		return -1;
	*outcome = live_outcome(&l->result, rollback);
	if (rc != 0)
		json_object_object_add(*outcome, "message", json_object_new_string(e->msg));
	else
		live_verify(l, *outcome);
	return 0;
}

static int live_apply(void *ctx, json_object *plan, tui_apply_progress_fn progress, void *pctx,
		      volatile sig_atomic_t *cancel, json_object **outcome, struct err *e)
{
	return live_change(ctx, plan, progress, pctx, cancel, outcome, 0, e);
}

static int live_rollback(void *ctx, json_object *plan, tui_apply_progress_fn progress, void *pctx,
			 volatile sig_atomic_t *cancel, json_object **outcome, struct err *e)
{
	return live_change(ctx, plan, progress, pctx, cancel, outcome, 1, e);
}

static int live_deregister(void *ctx, const char *arn, json_object **verify, struct err *e)
{
	struct live *l = ctx;
	struct apply_options ao = {0};
	json_object *tmp;

	*verify = NULL;
	if (l->client == NULL) {
		err_copy(e, &l->open_err);
		return -1;
	}
	if (l->plan == NULL)
		return err_set(e, "nothing to deregister: no change in this session");
	if (apply_deregister(l->change, l->plan, &ao, arn, e))
		return -1;
	/* what the verification said before is no longer true: read it again */
	tmp = json_object_new_object();
	live_verify(l, tmp);
	if (jsonx_obj(tmp, "verify"))
		*verify = json_object_get(jsonx_obj(tmp, "verify"));
	json_object_put(tmp);
	return 0;
}

static int live_write_message(void *ctx, json_object *plan, const char *path, struct err *e)
{
	struct owner_keys keys = {0}; /* owner_keys_load fills it */
	struct plan *p = NULL;
	char *text = NULL;
	int rc = -1;

	(void)ctx;
	if (live_plan_of(plan, &p, e) || owner_keys_load(&keys, NULL, NULL, e))
		goto out;
	text = report_md_plan(p, &keys);
	rc = file_write_atomic(path, text, strlen(text), 0600, 0, e);
out:
	free(text);
	owner_keys_done(&keys);
	plan_free(p);
	return rc;
}

static int live_record_exception(void *ctx, const char *target, const char *reason,
				 const char *until, char **summary, struct err *e)
{
	struct live *l = ctx;
	struct exception_rec x = {0};
	struct aws_client *client;
	struct exceptions_result r = {0};
	char *scope = NULL;
	int rc = -1;

	if (l->client == NULL) {
		err_copy(e, &l->open_err);
		return -1;
	}
	if (live_client_for(l, target, &client, NULL, e) ||
	    exceptions_parse_scope(target, &x.family, &x.revision, e) ||
	    exceptions_parse_date(until, x.until, e) ||
	    exceptions_caller(client, &x.approved_by, e))
		goto out;
	x.reason = xstrdup(reason);
	x.revision = 0; /* the family: its next revisions too, as 'ecsfix except FAMILY' */
	if (rules_parse_controls("ECS.4", &x.controls, e)) /* privileged, as ecsfix except */
		goto out;
	if (exceptions_record(client, &x, NULL, &r, e))
		goto out;
	scope = exceptions_scope_name(x.family, x.revision);
	*summary = xasprintf("exception recorded on %s until %s: %zu finding%s suppressed", scope,
			     x.until, r.findings, r.findings == 1 ? "" : "s");
	rc = 0;
out:
	free(scope);
	exceptions_result_done(&r);
	exception_rec_done(&x);
	return rc;
}

static void live_close(void *ctx)
{
	struct live *l = ctx;

	plan_free(l->plan);
	apply_result_done(&l->result);
	session_targets_close(&l->targets);
	session_close(l->client);
	free(l);
}

static const struct tui_backend_ops live_ops = {
    .open = live_open,
    .scan = live_scan,
    .plan = live_plan,
    .write_plan = live_write,
    .apply = live_apply,
    .rollback = live_rollback,
    .deregister = live_deregister,
    .write_message = live_write_message,
    .record_exception = live_record_exception,
    .close = live_close,
};

void backend_live_new(const struct session_config *cfg, const struct session_targets_spec *targets,
		      struct tui_backend *out)
{
	struct live *l = xcalloc(1, sizeof *l);

	l->cfg = *cfg;
	if (targets)
		l->spec = *targets;
	apply_result_init(&l->result);
	out->ops = &live_ops;
	out->ctx = l;
}
