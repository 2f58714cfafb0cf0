/* verify.h: after an apply, what the account looks like: each touched service's revision and
 * its verdict on the deciding controls, the family's latest ACTIVE revision, and what
 * Security Hub will do. Typed data for the CLI and the TUI; reads the account only. */
#ifndef ECSFIX_CORE_VERIFY_H
#define ECSFIX_CORE_VERIFY_H

#include <stddef.h>

#include "core/rules.h"

struct aws_client;
struct err;
struct plan;
struct apply_result;

/* The verdict of one deciding control on one revision (worst over its containers). */
struct verify_control {
	const char *control; /* borrowed from the rules table: "ECS.4" */
	enum rule_status status;
};

/* One service of the plan. */
struct verify_service {
	char *cluster, *name;
	int selected;          /* 1: the apply was to move it (else left out or skipped) */
	char *task_definition; /* the revision it runs now (ARN), NULL when it is gone */
	int on_new;            /* 1: runs the plan's new revision */
	struct verify_control *controls; /* the deciding controls on task_definition */
	size_t ncontrols;
	int passes; /* 1: every deciding control PASSED (or not applicable) */
	char *text; /* "staging/storefront runs web-storefront:5: ECS.4 PASSED, ..." */
};

struct verify_result {
	struct verify_service *services; /* every service of the plan, in plan order, then any
					    other service still on the source revision */
	size_t nservices;
	char *latest_arn; /* the family's latest ACTIVE revision (NULL: none) */
	struct verify_control *latest_controls;
	size_t nlatest_controls;
	int latest_passes;
	int false_green; /* latest passes while a touched service still runs a failing revision:
			    Security Hub will show green although a service is not fixed */
	char *failed_new_arn; /* the new revision when it is the latest ACTIVE one and a rollout
				 failed or was rolled back: offer to deregister it (NULL: no) */
	int cicd_advice;      /* 1: everything moved and passes: remind to fix CI/CD */
	char *securityhub;    /* a sentence: what Security Hub will do */
	char **lines;         /* the whole verification as plain lines (for text output) */
	size_t nlines;
};

void verify_result_init(struct verify_result *v);
void verify_result_done(struct verify_result *v); /* frees; leaves v initialised */

/*
 * Re-describes every service of p (those the apply moved, left out or skipped), finds any
 * other service still on the source revision (a plan made with only_this_service), reads the
 * family's latest ACTIVE revision, evaluates the deciding controls (controls: rules mask,
 * 0 = default) on what each runs, then verify_judge. noted: --note-findings set findings to
 * NOTIFIED. 0 with v filled; -1 (e set) when the account could not be read.
 */
int verify_run(struct aws_client *c, const struct plan *p, const struct apply_result *r,
	       unsigned controls, int noted, struct verify_result *v, struct err *e);

/*
 * The pure part of verify_run: from v's services and latest revision (filled by the caller)
 * and r's outcomes, adds the latest-revision line, securityhub, the false-green warnings
 * (a control the latest revision passes and a service's revision fails), after a failure or
 * rollback the services still on a failing revision and failed_new_arn (registered by this
 * apply, now the latest ACTIVE revision, run by no service), and cicd_advice.
 */
void verify_judge(const struct plan *p, const struct apply_result *r, int noted,
		  struct verify_result *v);

#endif
