/* apply_findings.c: --note-findings: the family's open ECS.4 Security Hub findings set to
 * NOTIFIED with a note naming the new revision (core/findings_update), audit-logged. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "core/apply.h"
#include "core/apply_ctx.h"
#include "core/findings_update.h"
#include "core/plan.h"
#include "core/rules.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

/* --note-findings: the family's open ECS.4 findings -> NOTIFIED with a note naming new_arn.
 * The findings are matched as the scan matches them (core/findings_update). */
int apply_note_findings(struct apply_ctx *x, struct err *e)
{
	struct findings_sel sel = {x->p->family,
				   0,
				   1u << rules_index("ECS.4"),
				   FINDINGS_WF_RESOLVED | FINDINGS_WF_SUPPRESSED,
				   0,
				   NULL,
				   NULL};
	struct findings_change ch = {"NOTIFIED", NULL, "ecsfix"};
	struct findings_outcome o;
	json_object *found = NULL;
	char *note = NULL;
	size_t bad = 0;
	int rc = -1;

	if (findings_read(x->c, &sel, &found, &bad, e))
		return err_prefix(e, "reading the ECS.4 findings");
	if (bad > 0)
		apply_simple(x, APPLY_STEP_NOTE, NULL,
			     "warning: %zu ECS.4 finding(s) lack an Id or ProductArn and are left "
			     "as they are",
			     bad);
	if (json_object_array_length(found) == 0) {
		apply_simple(x, APPLY_STEP_NOTE, NULL, "no open ECS.4 finding for family %s",
			     x->p->family);
		rc = 0;
		goto out;
	}
	note = xasprintf("ecsfix: fixed in %s (privileged: false); Security Hub resolves this "
			 "finding on its next evaluation",
			 x->r->new_arn);
	ch.note = note;
	if (findings_apply(x->c, found, &ch, &o, e)) {
		apply_audit(x, "note-findings", NULL, x->p->source_arn, x->r->new_arn, NULL,
			    o.request_id, e->code[0] ? e->code : "error", e->msg);
		err_prefix(e, "setting the ECS.4 findings to NOTIFIED");
		goto out;
	}
	x->r->findings_noted = o.processed;
	apply_audit(x, "note-findings", NULL, x->p->source_arn, x->r->new_arn, NULL, o.request_id,
		    o.unprocessed > 0 ? "partial" : "ok",
		    o.unprocessed > 0 ? o.unprocessed_why : NULL);
	apply_simple(x, APPLY_STEP_NOTE, NULL, "%zu ECS.4 finding(s) set to NOTIFIED",
		     x->r->findings_noted);
	rc = 0;
out:
	free(note);
	json_object_put(found);
	return rc;
}
