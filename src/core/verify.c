/* verify.c: after an apply, reads back what the touched services run and the family's latest
 * ACTIVE revision, evaluates the deciding controls on them, and says what Security Hub will
 * make of it. Reads the account only. */
#include "config.h"

#include "core/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/apply.h"
#include "core/plan.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* A revision read once: its deciding-control verdicts. */
struct verify_td {
	char *arn;
	struct verify_control *controls;
	size_t ncontrols;
	int passes;
};

struct verify_ctx {
	struct aws_client *c;
	unsigned controls;
	struct verify_td *tds;
	size_t ntds;
};

void verify_result_init(struct verify_result *v)
{
	memset(v, 0, sizeof *v);
}

void verify_result_done(struct verify_result *v)
{
	size_t i;

	for (i = 0; i < v->nservices; i++) {
		free(v->services[i].cluster);
		free(v->services[i].name);
		free(v->services[i].task_definition);
		free(v->services[i].controls);
		free(v->services[i].text);
	}
	free(v->services);
	free(v->latest_arn);
	free(v->latest_controls);
	free(v->failed_new_arn);
	free(v->securityhub);
	for (i = 0; i < v->nlines; i++)
		free(v->lines[i]);
	free(v->lines);
	verify_result_init(v);
}

static void verify_line(struct verify_result *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void verify_line(struct verify_result *v, const char *fmt, ...)
{
	va_list ap;

	v->lines = xreallocarray(v->lines, v->nlines + 1, sizeof *v->lines);
	va_start(ap, fmt);
	v->lines[v->nlines++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* The deciding-control verdicts of revision arn (read once per run). */
static int verify_td_get(struct verify_ctx *x, const char *arn, const struct verify_td **out,
			 struct err *e)
{
	json_object *body, *inc, *resp = NULL, *doc = NULL;
	struct aws_request rq;
	struct rule_results rr;
	struct verify_td *t;
	size_t i;
	int rc;

	for (i = 0; i < x->ntds; i++) {
		if (plan_td_equal(x->tds[i].arn, arn)) {
			*out = &x->tds[i];
			return 0;
		}
	}
	body = json_object_new_object();
	inc = json_object_new_array();
	json_object_object_add(body, "taskDefinition", json_object_new_string(arn));
	json_object_array_add(inc, json_object_new_string("TAGS"));
	json_object_object_add(body, "include", inc);
	aws_request_init(&rq, AWS_SVC_ECS, "DescribeTaskDefinition", body);
	rc = aws_call(x->c, &rq);
	if (rc)
		err_copy(e, &rq.err);
	else
		resp = json_object_get(rq.resp);
	aws_request_done(&rq);
	json_object_put(body);
	if (rc || jsonx_obj(resp, "taskDefinition") == NULL ||
	    transform_register_input(resp, &doc, e)) {
		json_object_put(resp);
		if (rc == 0 && e->msg[0] == '\0')
			err_set(e, "no taskDefinition in the answer");
		return err_prefix(e, "reading %s", plan_td_name(arn));
	}
	json_object_put(resp);
	rule_results_init(&rr);
	rc = rules_evaluate(doc, &rr, e);
	json_object_put(doc);
	if (rc) {
		rule_results_done(&rr);
		return -1;
	}
	x->tds = xreallocarray(x->tds, x->ntds + 1, sizeof *x->tds);
	t = &x->tds[x->ntds++];
	memset(t, 0, sizeof *t);
	t->arn = xstrdup(arn);
	t->controls = xcalloc(rules_count() + 1, sizeof *t->controls);
	t->passes = 1;
	for (i = 0; i < rules_count(); i++) {
		const char *id = rules_get(i)->id;
		struct verify_control *vc;

		if (!(x->controls & (1u << i)))
			continue;
		vc = &t->controls[t->ncontrols++];
		vc->control = id;
		vc->status = rules_failed(&rr, id) > 0 ? RULE_FAILED : RULE_PASSED;
		if (vc->status == RULE_FAILED)
			t->passes = 0;
	}
	rule_results_done(&rr);
	*out = t;
	return 0;
}

/* "ECS.4 PASSED, ECS.17 PASSED" */
static char *verify_controls_text(const struct verify_control *c, size_t n, int failed_only)
{
	struct strbuf sb;
	char *s;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		if (failed_only && c[i].status != RULE_FAILED)
			continue;
		strbuf_printf(&sb, "%s%s%s%s", sb.len ? ", " : "", c[i].control,
			      failed_only ? "" : " ",
			      failed_only ? "" : rules_status_name(c[i].status));
	}
	s = strbuf_take(&sb);
	strbuf_done(&sb);
	return s;
}

static struct verify_control *verify_copy(const struct verify_td *t)
{
	struct verify_control *c = xcalloc(t->ncontrols + 1, sizeof *c);

	memcpy(c, t->controls, t->ncontrols * sizeof *c);
	return c;
}

/* The verdicts and text of vs (cluster, name, task_definition set). */
static int verify_evaluate(struct verify_ctx *x, const char *new_arn, struct verify_service *vs,
			   struct err *e)
{
	const struct verify_td *t = NULL;
	char *ctl;

	if (verify_td_get(x, vs->task_definition, &t, e))
		return -1;
	vs->on_new = new_arn != NULL && plan_td_equal(vs->task_definition, new_arn);
	vs->controls = verify_copy(t);
	vs->ncontrols = t->ncontrols;
	vs->passes = t->passes;
	ctl = verify_controls_text(t->controls, t->ncontrols, 0);
	vs->text = xasprintf("%s/%s runs %s: %s", vs->cluster, vs->name,
			     plan_td_name(vs->task_definition), ctl);
	free(ctl);
	return 0;
}

/* The services still on the source revision that the plan does not list (a plan made with
 * only_this_service): added to v, not selected. */
static int verify_others(struct verify_ctx *x, const struct plan *p, const char *new_arn,
			 struct verify_result *v, struct err *e)
{
	json_object *svcs = NULL;
	size_t i, j, n;

	if (plan_find_services(x->c, p->source_arn, NULL, &svcs, e))
		return err_prefix(e, "looking for services still on %s",
				  plan_td_name(p->source_arn));
	n = json_object_array_length(svcs);
	v->services = xreallocarray(v->services, v->nservices + n + 1, sizeof *v->services);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		const char *arn = jsonx_str(s, "serviceArn"), *cl = jsonx_str(s, "clusterArn");
		struct verify_service *vs;

		for (j = 0; j < p->nservices && strcmp(p->services[j].arn, arn) != 0; j++)
			;
		if (j < p->nservices)
			continue;
		vs = &v->services[v->nservices++];
		memset(vs, 0, sizeof *vs);
		vs->cluster = xstrdup(cl && strrchr(cl, '/') ? strrchr(cl, '/') + 1 : "?");
		vs->name = xstrdup(strrchr(arn, '/') ? strrchr(arn, '/') + 1 : arn);
		vs->task_definition = xstrdup(jsonx_str(s, "taskDefinition"));
		if (verify_evaluate(x, new_arn, vs, e)) {
			json_object_put(svcs);
			return -1;
		}
		verify_line(v, "%s (not in this plan)", vs->text);
	}
	json_object_put(svcs);
	return 0;
}

/* What service i of the plan runs now. */
static int verify_service(struct verify_ctx *x, const struct plan *p, size_t i, const char *new_arn,
			  struct verify_service *vs, struct err *e)
{
	const struct plan_service *ps = &p->services[i];
	json_object *body = json_object_new_object(), *list = json_object_new_array(), *s = NULL;
	struct aws_request rq;
	const char *td;
	int rc;

	vs->cluster = xstrdup(ps->cluster);
	vs->name = xstrdup(ps->name);
	json_object_object_add(body, "cluster", json_object_new_string(ps->cluster_arn));
	json_object_array_add(list, json_object_new_string(ps->arn));
	json_object_object_add(body, "services", list);
	aws_request_init(&rq, AWS_SVC_ECS, "DescribeServices", body);
	rc = aws_call(x->c, &rq);
	if (rc) {
		err_copy(e, &rq.err);
	} else {
		list = jsonx_array(rq.resp, "services");
		s = list && json_object_array_length(list) > 0 ? json_object_array_get_idx(list, 0)
							       : NULL;
		td = jsonx_str(s, "taskDefinition");
		vs->task_definition = td ? xstrdup(td) : NULL;
	}
	aws_request_done(&rq);
	json_object_put(body);
	if (rc)
		return err_prefix(e, "reading service %s/%s", ps->cluster, ps->name);
	if (vs->task_definition == NULL) {
		vs->text =
		    xasprintf("%s/%s: not found (deleted or draining?)", ps->cluster, ps->name);
		return 0;
	}
	return verify_evaluate(x, new_arn, vs, e);
}

/* The family's latest ACTIVE revision and its verdicts. */
static int verify_latest(struct verify_ctx *x, const struct plan *p, struct verify_result *v,
			 struct err *e)
{
	const struct verify_td *t = NULL;

	if (plan_latest_active_arn(x->c, p->family, &v->latest_arn, e))
		return err_prefix(e, "reading the latest revision of %s", p->family);
	if (v->latest_arn == NULL)
		return 0;
	if (verify_td_get(x, v->latest_arn, &t, e))
		return -1;
	v->latest_controls = verify_copy(t);
	v->nlatest_controls = t->ncontrols;
	v->latest_passes = t->passes;
	return 0;
}

/* The status of control in c[0..n), RULE_NOT_APPLICABLE when absent. */
static enum rule_status verify_status(const struct verify_control *c, size_t n, const char *control)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].control, control) == 0)
			return c[i].status;
	return RULE_NOT_APPLICABLE;
}

/* The controls that pass on the latest revision and fail on what service s runs: Security
 * Hub shows them green although s is not fixed. Caller frees ("" when none). */
static char *verify_false_green(const struct verify_result *v, const struct verify_service *s)
{
	struct strbuf sb;
	char *t;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; s->task_definition != NULL && i < v->nlatest_controls; i++) {
		const char *ctl = v->latest_controls[i].control;
		if (v->latest_controls[i].status == RULE_PASSED &&
		    verify_status(s->controls, s->ncontrols, ctl) == RULE_FAILED)
			strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", ctl);
	}
	t = strbuf_take(&sb);
	strbuf_done(&sb);
	return t;
}

/* What Security Hub will do, and the warnings after a failure. */
static void verify_conclude(const struct plan *p, const struct apply_result *r, int noted,
			    int any_bad, struct verify_result *v)
{
	const char *latest = v->latest_arn ? plan_td_name(v->latest_arn) : NULL;
	char *ctl;
	size_t i;
	int new_in_use = 0;

	if (latest == NULL) {
		v->securityhub =
		    xasprintf("Security Hub has no ACTIVE revision of %s to evaluate", p->family);
		verify_line(v, "%s", v->securityhub);
		return;
	}
	ctl = verify_controls_text(v->latest_controls, v->nlatest_controls, 0);
	v->securityhub =
	    xasprintf("Security Hub evaluates only the latest ACTIVE revision, %s, "
		      "on its next check: %s%s",
		      latest, ctl, noted ? " (the findings are NOTIFIED until then)" : "");
	free(ctl);
	verify_line(v, "%s", v->securityhub);
	for (i = 0; i < v->nservices; i++) {
		const struct verify_service *s = &v->services[i];
		char *fg = verify_false_green(v, s);

		if (s->on_new)
			new_in_use = 1;
		if (fg[0] != '\0') {
			v->false_green = 1;
			verify_line(v,
				    "Security Hub will show %s green although %s/%s still runs %s, "
				    "which fails it",
				    fg, s->cluster, s->name, plan_td_name(s->task_definition));
		}
		free(fg);
	}
	if (!any_bad)
		return;
	for (i = 0; i < v->nservices; i++) {
		const struct verify_service *s = &v->services[i];
		if (s->task_definition != NULL && !s->passes && !s->on_new)
			verify_line(v, "%s/%s still runs %s, the revision that fails the controls",
				    s->cluster, s->name, plan_td_name(s->task_definition));
	}
	if (r->registered && r->new_arn != NULL && plan_td_equal(v->latest_arn, r->new_arn) &&
	    !new_in_use) {
		v->failed_new_arn = xstrdup(r->new_arn);
		verify_line(
		    v,
		    "%s, the new revision that failed, is now the family's latest ACTIVE "
		    "revision, and no service runs it: Security Hub evaluates it instead of "
		    "%s. Deregister it so the findings stay true.",
		    latest, plan_td_name(p->source_arn));
	}
}

void verify_judge(const struct plan *p, const struct apply_result *r, int noted,
		  struct verify_result *v)
{
	size_t i;
	int any_bad = 0;

	for (i = 0; i < p->nservices && i < r->nservices; i++) {
		enum apply_outcome oc = r->services[i].outcome;
		if (p->services[i].selected &&
		    (oc == APPLY_OUTCOME_FAILED || oc == APPLY_OUTCOME_ROLLED_BACK))
			any_bad = 1;
	}
	if (v->latest_arn != NULL) {
		char *ctl = verify_controls_text(v->latest_controls, v->nlatest_controls, 0);
		verify_line(v, "the latest ACTIVE revision of %s is %s: %s", p->family,
			    plan_td_name(v->latest_arn), ctl);
		free(ctl);
	}
	verify_conclude(p, r, noted, any_bad, v);
	v->cicd_advice = !any_bad;
	for (i = 0; i < v->nservices; i++)
		if (v->services[i].selected && !v->services[i].passes)
			v->cicd_advice = 0;
}

int verify_run(struct aws_client *c, const struct plan *p, const struct apply_result *r,
	       unsigned controls, int noted, struct verify_result *v, struct err *e)
{
	struct verify_ctx x;
	size_t i;
	int rc = -1;

	verify_result_done(v);
	memset(&x, 0, sizeof x);
	x.c = c;
	x.controls = controls ? controls : rules_default_mask();
	v->services = xcalloc(p->nservices + 1, sizeof *v->services);
	for (i = 0; i < p->nservices; i++) {
		struct verify_service *vs = &v->services[v->nservices++];

		vs->selected = p->services[i].selected;
		if (verify_service(&x, p, i, r->new_arn, vs, e))
			goto out;
		verify_line(v, "%s%s", vs->text,
			    vs->selected ? ""
			    : p->services[i].update
				? " (left out of this apply)"
				: " (skipped: not an ECS deployment controller)");
	}
	if (verify_others(&x, p, r->new_arn, v, e) || verify_latest(&x, p, v, e))
		goto out;
	verify_judge(p, r, noted, v);
	rc = 0;
out:
	for (i = 0; i < x.ntds; i++) {
		free(x.tds[i].arn);
		free(x.tds[i].controls);
	}
	free(x.tds);
	return rc;
}
