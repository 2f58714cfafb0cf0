/* findings_update.h: Security Hub finding updates (a note, a workflow status: NOTIFIED after a
 * fix, SUPPRESSED for an exception, NEW when one is removed) on the findings of a task
 * definition family, matched exactly as the scan matches them (scan_report_finding). Used by
 * 'ecsfix apply --note-findings', 'ecsfix except' and the TUI (on a worker thread). */
#ifndef ECSFIX_CORE_FINDINGS_UPDATE_H
#define ECSFIX_CORE_FINDINGS_UPDATE_H

#include <json-c/json.h>
#include <stddef.h>

struct aws_client;
struct err;

/* Workflow states, as bits of findings_sel.skip_workflow. */
enum {
	FINDINGS_WF_NEW = 1u << 0,
	FINDINGS_WF_NOTIFIED = 1u << 1,
	FINDINGS_WF_RESOLVED = 1u << 2,
	FINDINGS_WF_SUPPRESSED = 1u << 3,
};

/* Which findings. */
struct findings_sel {
	const char *family;     /* task definition family (required) */
	long revision;          /* that revision only; 0: every revision of the family */
	unsigned controls;      /* rules mask (core/rules.h); 0: every control the scan reads */
	unsigned skip_workflow; /* FINDINGS_WF_* bits: findings in these states are left alone */
	int failed_only;        /* 1: only findings whose Compliance.Status is not PASSED */
	/* Extra test on the ASFF finding (e.g. "its note is an ecsfix exception"), or NULL. */
	int (*keep)(json_object *asff, void *ctx);
	void *keep_ctx;
};

/* The Workflow.Status word -> FINDINGS_WF_* bit (0 for unknown or NULL). */
unsigned findings_workflow_bit(const char *status);

/* 1 when ASFF finding asff is one the scan reports (handled control, task definition
 * resource, ACTIVE record) and s selects it. Pure. */
int findings_select(json_object *asff, const struct findings_sel *s);

/* The note text cut to Security Hub's 512 characters (at a UTF-8 boundary). Caller frees. */
char *findings_note_text(const char *text);

/*
 * GetFindings (all pages; the filters are sent for AWS and applied again here, since
 * emulators ignore them) -> *found: the selected ASFF findings (owned array). *malformed
 * (may be NULL): findings that would be selected but lack a string Id or ProductArn (they
 * cannot be updated; say so).
 */
int findings_read(struct aws_client *c, const struct findings_sel *s, json_object **found,
		  size_t *malformed, struct err *e);

/* What to change; NULL members are left alone (at least one must be set). */
struct findings_change {
	const char *workflow;   /* "NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED" */
	const char *note;       /* cut to 512 characters */
	const char *updated_by; /* Note.UpdatedBy; NULL: "ecsfix" */
};

struct findings_outcome {
	size_t processed;          /* ProcessedFindings */
	size_t unprocessed;        /* UnprocessedFindings */
	char request_id[128];      /* of the last BatchUpdateFindings call */
	char unprocessed_why[256]; /* the first UnprocessedFindings ErrorCode: ErrorMessage */
};

/*
 * BatchUpdateFindings on found (ASFF findings or {"Id","ProductArn"} identifiers), by 100.
 * Returns 0 when every call succeeded (some findings may still be unprocessed: see out),
 * -1 (e set; out holds what was done before) on a failed call.
 */
int findings_apply(struct aws_client *c, json_object *found, const struct findings_change *ch,
		   struct findings_outcome *out, struct err *e);

#endif
