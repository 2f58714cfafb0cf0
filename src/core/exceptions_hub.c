/* exceptions_hub.c: recording and removing exceptions in Security Hub (BatchUpdateFindings
 * through core/findings_update) and the audit log. The pure half is exceptions.c. */
#include "config.h"

#include "core/exceptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/audit.h"
#include "core/owner.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

struct exceptions_keep_ctx {
	const char *family;
	long revision;
};

/* Findings holding an ecsfix exception of the family (revision: that scope only). */
static int exceptions_keep_ours(json_object *asff, void *ctx)
{
	const struct exceptions_keep_ctx *k = ctx;
	struct exception_rec x;
	int ok;

	if (exceptions_from_note(jsonx_str(jsonx_obj(asff, "Note"), "Text"), &x))
		return 0;
	ok = strcmp(x.family, k->family) == 0 && (k->revision == 0 || x.revision == k->revision);
	exception_rec_done(&x);
	return ok;
}

static int exceptions_audit(struct aws_client *c, const char *path, const char *action,
			    const char *scope, const char *detail, const struct findings_outcome *o,
			    char **written, struct err *e)
{
	struct audit_log *log = NULL;
	struct audit_entry en;
	const char *account = NULL;
	struct err ignore;
	char outcome[64];

	memset(&en, 0, sizeof en);
	err_clear(&ignore);
	if (aws_client_account(c, &account, &ignore))
		account = NULL;
	en.region = aws_client_region(c);
	en.account = account;
	en.action = action;
	en.old_arn = scope;
	en.request_id = o->request_id[0] != '\0' ? o->request_id : NULL;
	snprintf(outcome, sizeof outcome, "%s", o->unprocessed > 0 ? "partial" : "ok");
	en.outcome = outcome;
	en.detail = detail;
	if (audit_open(path, &log, e) || audit_append(log, &en, e)) {
		audit_close(log);
		return -1;
	}
	*written = xstrdup(audit_path(log));
	audit_close(log);
	return 0;
}

int exceptions_record(struct aws_client *c, const struct exception_rec *x, const char *audit_path,
		      struct exceptions_result *out, struct err *e)
{
	struct findings_sel sel = {x->family, x->revision, x->controls, FINDINGS_WF_RESOLVED,
				   1,         NULL,        NULL};
	struct findings_change ch = {"SUPPRESSED", NULL, NULL};
	json_object *found = NULL, *detail, *j;
	char *note, *scope = exceptions_scope_name(x->family, x->revision), *dtext = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	note = exceptions_note(x, e);
	if (note == NULL)
		goto out;
	if (findings_read(c, &sel, &found, NULL, e))
		goto out;
	out->findings = json_object_array_length(found);
	if (out->findings == 0) {
		json_object *ctl = jsonx_array(j = exceptions_to_json(x), "controls");
		struct strbuf ids;
		size_t i;

		strbuf_init(&ids);
		for (i = 0; i < json_object_array_length(ctl); i++)
			strbuf_printf(&ids, "%s%s", i > 0 ? "/" : "",
				      json_object_get_string(json_object_array_get_idx(ctl, i)));
		err_set(e,
			"no failing Security Hub finding of %s for %s: nothing would hold the "
			"exception",
			ids.buf, scope);
		err_hint(e, "check the family name; Security Hub evaluates the latest ACTIVE "
			    "revision, so give FAMILY or that revision");
		strbuf_done(&ids);
		json_object_put(j);
		goto out;
	}
	ch.note = note;
	ch.updated_by = x->approved_by;
	if (findings_apply(c, found, &ch, &out->outcome, e)) {
		err_prefix(e, "suppressing the findings of %s", scope);
		goto out;
	}
	detail = exceptions_to_json(x);
	json_object_object_add(detail, "findings", json_object_new_int64((int64_t)out->findings));
	dtext = jsonx_compact(detail);
	json_object_put(detail);
	if (exceptions_audit(c, audit_path, "except", scope, dtext, &out->outcome, &out->audit_path,
			     e)) {
		err_prefix(e, "%zu finding(s) of %s are SUPPRESSED, but the audit log",
			   out->findings, scope);
		goto out;
	}
	rc = 0;
out:
	free(dtext);
	free(note);
	free(scope);
	json_object_put(found);
	return rc;
}

int exceptions_remove(struct aws_client *c, const char *family, long revision,
		      const char *audit_path, struct exceptions_result *out, struct err *e)
{
	struct exceptions_keep_ctx k = {family, revision};
	struct findings_sel sel = {
	    family, 0, 0, ~FINDINGS_WF_SUPPRESSED & 0xFu, 0, exceptions_keep_ours, &k};
	struct findings_change ch = {"NEW", NULL, "ecsfix"};
	char *scope = exceptions_scope_name(family, revision), *note = NULL;
	json_object *found = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (findings_read(c, &sel, &found, NULL, e))
		goto out;
	out->findings = json_object_array_length(found);
	if (out->findings == 0) {
		err_set(e, "no exception recorded for %s", scope);
		err_hint(e, "'ecsfix scan' shows the EXCEPTED revisions and their scope");
		goto out;
	}
	note = xasprintf("ecsfix: exception for %s removed; the finding counts again", scope);
	ch.note = note;
	if (findings_apply(c, found, &ch, &out->outcome, e)) {
		err_prefix(e, "reopening the findings of %s", scope);
		goto out;
	}
	if (exceptions_audit(c, audit_path, "except-remove", scope, NULL, &out->outcome,
			     &out->audit_path, e)) {
		err_prefix(e, "%zu finding(s) of %s are NEW again, but the audit log",
			   out->findings, scope);
		goto out;
	}
	rc = 0;
out:
	free(note);
	free(scope);
	json_object_put(found);
	return rc;
}

int exceptions_caller(struct aws_client *c, char **who, struct err *e)
{
	struct aws_request r;
	int rc;

	*who = NULL;
	aws_request_init(&r, AWS_SVC_STS, "GetCallerIdentity", NULL);
	rc = aws_call(c, &r);
	if (rc == 0) {
		*who = owner_principal_name(jsonx_str(r.resp, "Arn"));
		if (*who == NULL)
			rc = err_set(e, "GetCallerIdentity: no Arn in the answer");
	} else {
		err_copy(e, &r.err);
	}
	aws_request_done(&r);
	return rc;
}
