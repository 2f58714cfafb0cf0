/* apply_findings.c: --note-findings: the family's open ECS.4 Security Hub findings set to
 * NOTIFIED with a note naming the new revision (BatchUpdateFindings), audit-logged. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/apply.h"
#include "core/apply_ctx.h"
#include "core/plan.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

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

/* A GetFindings filter {"KEY": [{"Value": value, "Comparison": "EQUALS"}]} added to filters. */
static void apply_filter(json_object *filters, const char *key, const char *value)
{
	json_object *f = json_object_new_array(), *one = json_object_new_object();

	json_object_object_add(one, "Value", json_object_new_string(value));
	json_object_object_add(one, "Comparison", json_object_new_string("EQUALS"));
	json_object_array_add(f, one);
	json_object_object_add(filters, key, f);
}

/* The identifiers {Id, ProductArn} of the open ECS.4 findings of the family (findings
 * without a string Id and ProductArn are left out: they cannot be updated). */
static json_object *apply_finding_ids(struct apply_ctx *x, json_object *items, size_t *bad)
{
	json_object *ids = json_object_new_array();
	size_t i;

	*bad = 0;
	for (i = 0; i < json_object_array_length(items) && json_object_array_length(ids) < 100;
	     i++) {
		json_object *fi = json_object_array_get_idx(items, i), *id;
		const char *fid = jsonx_str(fi, "Id"), *prod = jsonx_str(fi, "ProductArn");

		if (!json_object_is_type(fi, json_type_object) || !apply_finding_matches(x->p, fi))
			continue;
		if (fid == NULL || prod == NULL) {
			(*bad)++;
			continue;
		}
		id = json_object_new_object();
		json_object_object_add(id, "Id", json_object_new_string(fid));
		json_object_object_add(id, "ProductArn", json_object_new_string(prod));
		json_object_array_add(ids, id);
	}
	return ids;
}

/* The BatchUpdateFindings request: ids -> NOTIFIED with a note naming the new revision. */
static json_object *apply_note_body(struct apply_ctx *x, json_object *ids)
{
	json_object *body = json_object_new_object(), *wf = json_object_new_object();
	json_object *note = json_object_new_object();
	char *text;

	json_object_object_add(body, "FindingIdentifiers", json_object_get(ids));
	json_object_object_add(wf, "Status", json_object_new_string("NOTIFIED"));
	json_object_object_add(body, "Workflow", wf);
	text = xasprintf("ecsfix: fixed in %s (privileged: false); Security Hub resolves this "
			 "finding on its next evaluation",
			 x->r->new_arn);
	if (strlen(text) > 512)
		text[512] = '\0';
	json_object_object_add(note, "Text", json_object_new_string(text));
	free(text);
	json_object_object_add(note, "UpdatedBy", json_object_new_string("ecsfix"));
	json_object_object_add(body, "Note", note);
	return body;
}

/* --note-findings: the family's ECS.4 findings -> NOTIFIED with a note naming new_arn. */
int apply_note_findings(struct apply_ctx *x, struct err *e)
{
	json_object *body = json_object_new_object(), *filters = json_object_new_object();
	json_object *items = NULL, *ids = NULL, *resp = NULL, *f;
	char reqid[128] = "";
	size_t bad = 0;
	int rc = -1;

	/* filters for AWS; the results are filtered again here */
	apply_filter(filters, "ComplianceSecurityControlId", "ECS.4");
	apply_filter(filters, "RecordState", "ACTIVE");
	json_object_object_add(body, "Filters", filters);
	json_object_object_add(body, "MaxResults", json_object_new_int(100));
	rc = aws_paginate(x->c, AWS_SVC_SECURITYHUB, "GetFindings", body, "Findings", &items, e);
	json_object_put(body);
	if (rc)
		return err_prefix(e, "reading the ECS.4 findings");
	rc = -1;
	ids = apply_finding_ids(x, items, &bad);
	if (bad > 0)
		apply_simple(x, APPLY_STEP_NOTE, NULL,
			     "warning: %zu ECS.4 finding(s) lack an Id or ProductArn and are left "
			     "as they are",
			     bad);
	if (json_object_array_length(ids) == 0) {
		apply_simple(x, APPLY_STEP_NOTE, NULL, "no open ECS.4 finding for family %s",
			     x->p->family);
		rc = 0;
		goto out;
	}
	if (apply_call(x, AWS_SVC_SECURITYHUB, "BatchUpdateFindings", apply_note_body(x, ids),
		       &resp, reqid, sizeof reqid, NULL, e)) {
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
