/* apply_ctx.h: internal to apply (core/apply.c, apply_check.c, apply_findings.c): the
 * context of one run and the AWS helpers they share. Other modules use core/apply.h. */
#ifndef ECSFIX_CORE_APPLY_CTX_H
#define ECSFIX_CORE_APPLY_CTX_H

#include <json-c/json.h>
#include <signal.h>
#include <stddef.h>

#include "aws/client.h"
#include "core/apply.h"

struct audit_log;
struct err;
struct plan;

struct apply_ctx {
	struct aws_client *c;
	const struct plan *p;
	const struct apply_options *o;
	apply_progress_fn fn;
	void *pctx;
	volatile sig_atomic_t *cancel;
	struct audit_log *audit;
	struct apply_result *r;
	json_object *proposal; /* recomputed by the check (owned); what is registered */
	unsigned controls;
};

/* 1 when cancel is set (r->interrupted set too). */
int apply_cancelled(struct apply_ctx *x);
/* 1 (e set to "interrupted", code Cancelled) when cancel is set. */
int apply_cancel_err(struct apply_ctx *x, struct err *e);
/* A plain progress report (APPLY_KIND_MESSAGE) about s (NULL: the whole plan). */
void apply_simple(struct apply_ctx *x, enum apply_step step, const struct apply_service_result *s,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* One audit line (a failure to write it is reported as a warning). */
void apply_audit(struct apply_ctx *x, const char *action, const char *service, const char *old_arn,
		 const char *new_arn, const char *dep, const char *request_id, const char *outcome,
		 const char *detail);
/* One call; body taken; *resp owned by the caller; the request id copied out. */
int apply_call(struct apply_ctx *x, enum aws_service svc, const char *op, json_object *body,
	       json_object **resp, char *reqid, size_t reqid_size, long *http_status,
	       struct err *e);
/* DescribeTaskDefinition (include TAGS) of arn, checked to hold a taskDefinition object. */
int apply_describe_td_raw(struct apply_ctx *x, const char *arn, json_object **resp, struct err *e);
/* The register-input form of revision arn. */
int apply_describe_td(struct apply_ctx *x, const char *arn, json_object **doc, struct err *e);
/* The latest ACTIVE revision of the family if it equals x->proposal (*arn NULL if not). */
int apply_find_equal(struct apply_ctx *x, char **arn, struct err *e);
/* DescribeServices of one service; *svc NULL when missing; *resp_out owns it. */
int apply_describe_service(struct apply_ctx *x, const char *cluster, const char *arn,
			   json_object **svc, json_object **resp_out, struct err *e);

/* core/apply_findings.c: --note-findings (x->r->findings_noted set). */
int apply_note_findings(struct apply_ctx *x, struct err *e);

/* core/apply_check.c: the whole check of the plan against the account (fills ck and
 * x->proposal), and the live state of each selected service (states[i]). */
int apply_check_all(struct apply_ctx *x, struct apply_check *ck, struct err *e);
int apply_check_services(struct apply_ctx *x, const char *target, enum apply_svc_state *states,
			 struct err *e);

#endif
