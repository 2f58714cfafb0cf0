/* findings_update.c: notes and workflow changes on the Security Hub findings of a family. */
#include "config.h"

#include "core/findings_update.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/rules.h"
#include "core/scan_report.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

/* BatchUpdateFindings takes at most 100 identifiers; a note at most 512 characters. */
#define FINDINGS_BATCH    100
#define FINDINGS_NOTE_MAX 512

unsigned findings_workflow_bit(const char *status)
{
	static const char *const names[] = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"};
	size_t i;

	for (i = 0; status != NULL && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(status, names[i]) == 0)
			return 1u << i;
	return 0;
}

int findings_select(json_object *asff, const struct findings_sel *s)
{
	json_object *entry = scan_report_finding(asff);
	const char *control = jsonx_str(entry, "control");
	const char *td = jsonx_str(entry, "taskDefinition");
	const char *wf = jsonx_str(jsonx_obj(asff, "Workflow"), "Status");
	const char *comp = jsonx_str(jsonx_obj(asff, "Compliance"), "Status");
	char *family = NULL;
	long rev = 0;
	int ok = 0;

	if (entry == NULL || td == NULL || control == NULL || s->family == NULL)
		goto out;
	if (s->controls != 0 && !rules_mask_has(s->controls, control))
		goto out;
	if (scan_report_td_split(td, &family, &rev) || strcmp(family, s->family) != 0 ||
	    (s->revision > 0 && rev != s->revision))
		goto out;
	if ((findings_workflow_bit(wf) & s->skip_workflow) != 0)
		goto out;
	if (s->failed_only && comp != NULL && strcmp(comp, "PASSED") == 0)
		goto out;
	if (jsonx_str(asff, "ProductArn") == NULL)
		goto out;
	ok = s->keep == NULL || s->keep(asff, s->keep_ctx);
out:
	free(family);
	json_object_put(entry);
	return ok;
}

char *findings_note_text(const char *text)
{
	size_t n = strlen(text), chars = 0, i;

	/* count characters (code points), not bytes */
	for (i = 0; i < n; i++) {
		if (((unsigned char)text[i] & 0xC0) == 0x80)
			continue;
		if (chars == FINDINGS_NOTE_MAX)
			break;
		chars++;
	}
	return xstrndup(text, i);
}

static json_object *findings_filter(const char *value, const char *comparison)
{
	json_object *f = json_object_new_object();

	json_object_object_add(f, "Value", json_object_new_string(value));
	json_object_object_add(f, "Comparison", json_object_new_string(comparison));
	return f;
}

/* 1 when f lacks a string Id or ProductArn but would be selected with them. */
static int findings_malformed(json_object *f, const struct findings_sel *s)
{
	json_object *copy;
	int hit;

	if (!json_object_is_type(f, json_type_object) ||
	    (jsonx_str(f, "Id") != NULL && jsonx_str(f, "ProductArn") != NULL))
		return 0;
	copy = jsonx_clone(f);
	if (jsonx_str(copy, "Id") == NULL)
		json_object_object_add(copy, "Id", json_object_new_string("?"));
	if (jsonx_str(copy, "ProductArn") == NULL)
		json_object_object_add(copy, "ProductArn", json_object_new_string("?"));
	hit = findings_select(copy, s);
	json_object_put(copy);
	return hit;
}

int findings_read(struct aws_client *c, const struct findings_sel *s, json_object **found,
		  size_t *malformed, struct err *e)
{
	json_object *body = json_object_new_object(), *filters = json_object_new_object();
	json_object *ids = json_object_new_array(), *arr, *items = NULL;
	char *prefix;
	size_t i, n;
	int rc;

	*found = NULL;
	if (malformed != NULL)
		*malformed = 0;
	for (i = 0; i < scan_report_nhandled_controls; i++)
		if (s->controls == 0 ||
		    rules_mask_has(s->controls, scan_report_handled_controls[i]))
			json_object_array_add(
			    ids, findings_filter(scan_report_handled_controls[i], "EQUALS"));
	json_object_object_add(filters, "ComplianceSecurityControlId", ids);
	arr = json_object_new_array();
	json_object_array_add(arr, findings_filter("AwsEcsTaskDefinition", "EQUALS"));
	json_object_object_add(filters, "ResourceType", arr);
	arr = json_object_new_array();
	json_object_array_add(arr, findings_filter("ACTIVE", "EQUALS"));
	json_object_object_add(filters, "RecordState", arr);
	/* the resource id of every revision of the family, or of the one revision */
	prefix = s->revision > 0 ? xasprintf(":task-definition/%s:%ld", s->family, s->revision)
				 : xasprintf(":task-definition/%s:", s->family);
	arr = json_object_new_array();
	json_object_array_add(arr, findings_filter(prefix, "CONTAINS"));
	json_object_object_add(filters, "ResourceId", arr);
	free(prefix);
	json_object_object_add(body, "Filters", filters);
	json_object_object_add(body, "MaxResults", json_object_new_int(100));
	rc = aws_paginate(c, AWS_SVC_SECURITYHUB, "GetFindings", body, "Findings", &items, e);
	json_object_put(body);
	if (rc)
		return err_prefix(e, "reading the Security Hub findings of %s", s->family);
	*found = json_object_new_array();
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(items, i);

		if (findings_select(f, s))
			json_object_array_add(*found, json_object_get(f));
		else if (malformed != NULL && findings_malformed(f, s))
			(*malformed)++;
	}
	json_object_put(items);
	return 0;
}

/* One BatchUpdateFindings call on found[from, to). */
static int findings_batch(struct aws_client *c, json_object *found, size_t from, size_t to,
			  const struct findings_change *ch, struct findings_outcome *out,
			  struct err *e)
{
	json_object *body = json_object_new_object(), *ids = json_object_new_array(), *o, *un;
	struct aws_request r;
	size_t i;
	int rc;

	for (i = from; i < to; i++) {
		json_object *f = json_object_array_get_idx(found, i);

		o = json_object_new_object();
		json_object_object_add(o, "Id", json_object_new_string(jsonx_str(f, "Id")));
		json_object_object_add(o, "ProductArn",
				       json_object_new_string(jsonx_str(f, "ProductArn")));
		json_object_array_add(ids, o);
	}
	json_object_object_add(body, "FindingIdentifiers", ids);
	if (ch->workflow != NULL) {
		o = json_object_new_object();
		json_object_object_add(o, "Status", json_object_new_string(ch->workflow));
		json_object_object_add(body, "Workflow", o);
	}
	if (ch->note != NULL) {
		char *text = findings_note_text(ch->note);

		o = json_object_new_object();
		json_object_object_add(o, "Text", json_object_new_string(text));
		json_object_object_add(
		    o, "UpdatedBy",
		    json_object_new_string(ch->updated_by != NULL ? ch->updated_by : "ecsfix"));
		json_object_object_add(body, "Note", o);
		free(text);
	}
	aws_request_init(&r, AWS_SVC_SECURITYHUB, "BatchUpdateFindings", body);
	rc = aws_call(c, &r);
	snprintf(out->request_id, sizeof out->request_id, "%s", r.request_id);
	if (rc) {
		err_copy(e, &r.err);
	} else {
		json_object *p = jsonx_array(r.resp, "ProcessedFindings");

		un = jsonx_array(r.resp, "UnprocessedFindings");
		out->processed += p != NULL ? json_object_array_length(p) : 0;
		out->unprocessed += un != NULL ? json_object_array_length(un) : 0;
		if (un != NULL && json_object_array_length(un) > 0 &&
		    out->unprocessed_why[0] == 0) {
			json_object *u = json_object_array_get_idx(un, 0);
			const char *code = jsonx_str(u, "ErrorCode");
			const char *msg = jsonx_str(u, "ErrorMessage");

			snprintf(out->unprocessed_why, sizeof out->unprocessed_why, "%s%s%s",
				 code != NULL ? code : "unprocessed", msg != NULL ? ": " : "",
				 msg != NULL ? msg : "");
		}
	}
	aws_request_done(&r);
	json_object_put(body);
	return rc;
}

int findings_apply(struct aws_client *c, json_object *found, const struct findings_change *ch,
		   struct findings_outcome *out, struct err *e)
{
	size_t i, n = found != NULL ? json_object_array_length(found) : 0;

	memset(out, 0, sizeof *out);
	if (ch->workflow == NULL && ch->note == NULL)
		return err_set(e, "BatchUpdateFindings: nothing to change");
	for (i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(found, i);

		if (jsonx_str(f, "Id") == NULL || jsonx_str(f, "ProductArn") == NULL)
			return err_set(
			    e, "BatchUpdateFindings: finding %zu has no Id or ProductArn", i);
	}
	for (i = 0; i < n; i += FINDINGS_BATCH)
		if (findings_batch(c, found, i, i + FINDINGS_BATCH < n ? i + FINDINGS_BATCH : n, ch,
				   out, e))
			return -1;
	return 0;
}
