/* apply_check.c: apply trusts nothing in a plan file: checks it against the account before
 * anything changes (region and account, the live source, the proposal rebuilt from the live
 * source and the plan's options, the deciding controls, the services). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/apply.h"
#include "core/apply_ctx.h"
#include "core/audit.h"
#include "core/diff.h"
#include "core/plan.h"
#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define APPLY_CHANGED "the plan file was changed after it was made"

void apply_check_init(struct apply_check *ck)
{
	memset(ck, 0, sizeof *ck);
}

void apply_check_done(struct apply_check *ck)
{
	size_t i;

	free(ck->target);
	free(ck->diff_text);
	for (i = 0; i < ck->nwarnings; i++)
		free(ck->warnings[i]);
	free(ck->warnings);
	apply_check_init(ck);
}

/* ---- 1. the check ---- */

static void apply_check_warn(struct apply_check *ck, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void apply_check_warn(struct apply_check *ck, const char *fmt, ...)
{
	va_list ap;

	ck->warnings = xreallocarray(ck->warnings, ck->nwarnings + 1, sizeof *ck->warnings);
	va_start(ap, fmt);
	ck->warnings[ck->nwarnings++] = xvasprintf(fmt, ap);
	va_end(ap);
}

static int apply_check_where(struct apply_ctx *x, struct err *e)
{
	const char *region = aws_client_region(x->c), *account = NULL;

	if (region == NULL || strcmp(region, x->p->region) != 0)
		return err_set(e, "the plan is for region %s, this session is in %s", x->p->region,
			       region ? region : "(none)"),
		       err_hint(e, "use --region %s", x->p->region);
	if (aws_client_account(x->c, &account, e))
		return -1;
	if (strcmp(account, x->p->account) == 0)
		return 0;
	if (x->o->role_arn != NULL)
		return err_set(e, "the plan is for account %s, the credentials of %s are for %s",
			       x->p->account, x->o->role_arn, account),
		       err_hint(e, "the plan's roleArn must be a role in account %s",
				x->p->account);
	return err_set(e, "the plan is for account %s, these credentials are for %s", x->p->account,
		       account),
	       err_hint(e, "use the profile of account %s%s", x->p->account,
			x->p->role_arn ? ", or apply with the plan's roleArn" : "");
}

/* The live source equals the plan's source (digest and document). */
static int apply_check_source(json_object *live, const struct plan *p, struct err *e)
{
	char *digest = plan_digest(live);
	const char *fam = jsonx_str(live, "family");
	int rc = 0;

	if (strcmp(digest, p->digest) != 0) {
		err_set(e,
			"the source revision %s is not what the plan was made from (digest %s, "
			"plan %s)",
			plan_td_name(p->source_arn), digest, p->digest);
		rc = err_hint(e, "make the plan again");
	} else if (fam == NULL || strcmp(fam, p->family) != 0 || !jsonx_equal(live, p->baseline)) {
		err_set(e, APPLY_CHANGED ": its source.document or family is not the revision %s",
			plan_td_name(p->source_arn));
		rc = err_hint(e, "nothing was changed; make the plan again");
	}
	free(digest);
	return rc;
}

/* moveTo must be what plan chooses: the family's latest ACTIVE revision (that it passes the
 * deciding controls is checked with the proposal). */
static int apply_check_move_to(struct apply_ctx *x, struct err *e)
{
	const struct plan *p = x->p;
	char *latest = NULL;
	int rc = 0;

	if (plan_latest_active_arn(x->c, p->family, &latest, e))
		return err_prefix(e, "reading the latest revision of %s", p->family);
	if (latest == NULL || !plan_td_equal(latest, p->move_to))
		rc = err_set(e,
			     "the plan is stale or was changed: moveTo %s is not the latest "
			     "ACTIVE revision of %s (%s is)",
			     plan_td_name(p->move_to), p->family,
			     latest ? plan_td_name(latest) : "none"),
		err_hint(e, "nothing was changed; make the plan again");
	free(latest);
	return rc;
}

/* The proposal from the live account: the moveTo revision as it is, or the live source
 * transformed with the plan's options. *out owned by the caller. */
static int apply_recompute(struct apply_ctx *x, json_object *desc, json_object **out, struct err *e)
{
	const struct plan *p = x->p;
	struct transform_result tr;
	size_t fl = strlen(p->family);
	int rc;

	*out = NULL;
	if (p->move_to != NULL) {
		json_object *resp = NULL;
		const char *name = plan_td_name(p->move_to), *st;

		if (strncmp(name, p->family, fl) != 0 || name[fl] != ':')
			return err_set(e, APPLY_CHANGED ": moveTo %s is not a revision of %s", name,
				       p->family),
			       err_hint(e, "nothing was changed; make the plan again");
		if (apply_check_move_to(x, e) || apply_describe_td_raw(x, p->move_to, &resp, e))
			return -1;
		st = jsonx_str(jsonx_obj(resp, "taskDefinition"), "status");
		if (st != NULL && strcmp(st, "ACTIVE") != 0)
			rc = err_set(e, "the plan is stale: %s is %s", name, st);
		else
			rc = transform_register_input(resp, out, e);
		json_object_put(resp);
		return rc;
	}
	transform_result_init(&tr);
	rc = plan_options_propose(desc, jsonx_obj(p->doc, "options"), &tr, e);
	if (rc == 0) {
		*out = tr.request;
		tr.request = NULL;
	}
	transform_result_done(&tr);
	return rc;
}

/* No deciding control goes PASSED -> FAILED; others only warn. A moveTo target must pass
 * every deciding control. */
static int apply_check_controls(struct apply_ctx *x, json_object *live, json_object *proposal,
				struct apply_check *ck, struct err *e)
{
	struct rule_results before, after;
	size_t i;
	int rc = 0;

	rule_results_init(&before);
	rule_results_init(&after);
	if (rules_evaluate(live, &before, e) || rules_evaluate(proposal, &after, e)) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < after.n && rc == 0; i++) {
		const struct rule_result *a = &after.v[i];
		const struct rule_result *b =
		    rules_result_for(&before, a->control, a->container_index);
		const char *where = a->container ? a->container : "(task)";

		if (a->status != RULE_FAILED || (b != NULL && b->status == RULE_FAILED))
			continue;
		if (rules_mask_has(x->controls, a->control))
			rc = err_set(e, "the proposal makes %s fail on %s (%s)", a->control, where,
				     a->reason ? a->reason : "FAILED"),
			err_hint(e, "nothing was changed; choose other options and plan again");
		else
			apply_check_warn(ck, "%s becomes FAILED on %s: %s", a->control, where,
					 a->reason ? a->reason : "");
	}
	if (rc == 0 && x->p->move_to != NULL && rules_failed_mask(&after, x->controls) > 0)
		rc = err_set(e, "%s fails a deciding control: nothing to move to",
			     plan_td_name(x->p->move_to));
out:
	rule_results_done(&before);
	rule_results_done(&after);
	return rc;
}

/* Every service of the plan runs the source (as recorded) with the networkConfiguration the
 * options give. */
static int apply_check_entries(struct apply_ctx *x, json_object *live, struct err *e)
{
	const struct plan *p = x->p;
	json_object *nc =
	    p->move_to ? NULL : plan_options_network(jsonx_obj(p->doc, "options"), live);
	size_t i;
	int rc = 0;

	for (i = 0; i < p->nservices && rc == 0; i++) {
		const struct plan_service *s = &p->services[i];

		if (!plan_td_equal(s->task_definition, p->source_arn))
			rc = err_set(e,
				     APPLY_CHANGED ": service %s/%s is recorded on %s, not on "
						   "the source %s",
				     s->cluster, s->name, plan_td_name(s->task_definition),
				     plan_td_name(p->source_arn));
		else if (s->selected && !((nc == NULL && s->network_configuration == NULL) ||
					  jsonx_equal(nc, s->network_configuration)))
			rc = err_set(e,
				     APPLY_CHANGED ": the networkConfiguration of %s/%s is not "
						   "what the options give",
				     s->cluster, s->name);
	}
	if (rc)
		err_hint(e, "nothing was changed; make the plan again");
	json_object_put(nc);
	return rc;
}

/* Each selected service, live: still on the source (or already on target), ECS controller. */
int apply_check_services(struct apply_ctx *x, const char *target, enum apply_svc_state *states,
			 struct err *e)
{
	const struct plan *p = x->p;
	struct strbuf stale;
	size_t i;
	int rc = 0;

	strbuf_init(&stale);
	for (i = 0; i < p->nservices; i++) {
		json_object *svc = NULL, *resp = NULL;
		const char *ctl;
		char *why = NULL;

		if (!p->services[i].selected)
			continue;
		if (apply_cancel_err(x, e) ||
		    apply_describe_service(x, p->services[i].cluster_arn, p->services[i].arn, &svc,
					   &resp, e)) {
			rc = -1;
			break;
		}
		states[i] = apply_service_state(svc, p->source_arn, target, &why);
		ctl = jsonx_str(jsonx_obj(svc, "deploymentController"), "type");
		if (why == NULL && ctl != NULL && strcmp(ctl, "ECS") != 0)
			why = xasprintf("its deployment controller is %s", ctl);
		if (why != NULL)
			strbuf_printf(&stale, "%s%s/%s: %s", stale.len ? "; " : "",
				      p->services[i].cluster, p->services[i].name, why);
		free(why);
		json_object_put(resp);
	}
	if (rc == 0 && stale.len > 0) {
		err_set(e, "the plan is stale: %s", stale.buf);
		rc = err_hint(e, "nothing was changed; make the plan again");
	}
	strbuf_done(&stale);
	return rc;
}

/* The whole check; fills ck and x->proposal. */
int apply_check_all(struct apply_ctx *x, struct apply_check *ck, struct err *e)
{
	const struct plan *p = x->p;
	json_object *desc = NULL, *live = NULL, *proposal = NULL;
	struct diff d;
	char *where = NULL, *la, *lb;
	int rc = -1;

	diff_init(&d);
	if (apply_check_where(x, e) || apply_describe_td_raw(x, p->source_arn, &desc, e) ||
	    transform_register_input(desc, &live, e) || apply_check_source(live, p, e) ||
	    apply_recompute(x, desc, &proposal, e))
		goto out;
	if (!jsonx_equal(proposal, p->proposed)) {
		apply_docs_equal(proposal, p->proposed, &where);
		err_set(e, APPLY_CHANGED ": its proposal differs from what %s at \"%s\"",
			p->move_to ? "the moveTo revision is" : "the options make of the source",
			where ? where : "(document)");
		err_hint(e, "nothing was changed; make the plan again");
		goto out;
	}
	if (apply_check_controls(x, live, proposal, ck, e) || apply_check_entries(x, live, e))
		goto out;
	diff_json(live, proposal, DIFF_CONTEXT_DEFAULT, &d);
	la = xasprintf("a/%s", plan_td_name(p->source_arn));
	lb = p->move_to ? xasprintf("b/%s", plan_td_name(p->move_to))
			: xasprintf("b/%s:new", p->family);
	free(ck->diff_text);
	ck->diff_text = diff_unified(&d, la, lb);
	free(ck->target);
	ck->target = xstrdup(lb + 2);
	free(la);
	free(lb);
	json_object_put(x->proposal);
	x->proposal = proposal;
	proposal = NULL;
	rc = 0;
out:
	free(where);
	diff_done(&d);
	json_object_put(desc);
	json_object_put(live);
	json_object_put(proposal);
	return rc;
}

int apply_check_plan(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		     struct apply_check *ck, struct err *e)
{
	struct apply_result r;
	struct apply_ctx x = {c, p, o, NULL, NULL, NULL, NULL, &r, NULL, 0};
	enum apply_svc_state *states = xcalloc(p->nservices + 1, sizeof *states);
	char *equal = NULL;
	int rc = -1;

	apply_result_init(&r);
	apply_check_done(ck);
	x.controls = o->controls ? o->controls : rules_default_mask();
	if (audit_open(o->audit_log, &x.audit, e))
		goto out;
	if (apply_check_all(&x, ck, e) || (!p->move_to && apply_find_equal(&x, &equal, e)) ||
	    apply_check_services(&x, p->move_to ? p->move_to : equal, states, e)) {
		if (strcmp(e->code, "Cancelled") != 0)
			apply_audit(&x, "refused", NULL, p->source_arn, NULL, NULL, NULL, "refused",
				    e->msg);
		goto out;
	}
	rc = 0;
out:
	free(equal);
	free(states);
	json_object_put(x.proposal);
	audit_close(x.audit);
	return rc;
}
