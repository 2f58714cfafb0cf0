/* apply.h: carries out a plan: register (or reuse) the fixed revision, update the services,
 * follow each rollout, roll back on request, audit every step. Synchronous; progress goes
 * through a callback, so the CLI runs it directly and the TUI on a worker thread. */
#ifndef ECSFIX_CORE_APPLY_H
#define ECSFIX_CORE_APPLY_H

#include <json-c/json.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct aws_client;
struct err;
struct plan;

enum apply_step {
	APPLY_STEP_CHECK,    /* plan checked against the account (stale? region/account) */
	APPLY_STEP_REGISTER, /* a new revision was registered (new_arn) */
	APPLY_STEP_REUSE,    /* an equal revision exists and is reused (new_arn) */
	APPLY_STEP_UPDATE,   /* UpdateService sent for service (deployment_id) */
	APPLY_STEP_ROLLOUT,  /* rollout progress of service (counts, rollout_state, events) */
	APPLY_STEP_ROLLBACK, /* service moved back to the old revision */
	APPLY_STEP_NOTE,     /* information (skipped service, reminder, findings, deregister) */
	APPLY_STEP_DONE,     /* end: outcome of service, or of everything when service NULL */
};

enum apply_outcome {
	APPLY_OUTCOME_PENDING = 0,  /* not reached yet (interrupted or error before) */
	APPLY_OUTCOME_COMPLETED,    /* the new deployment reached rolloutState COMPLETED */
	APPLY_OUTCOME_FAILED,       /* rolloutState FAILED, service gone, or timeout */
	APPLY_OUTCOME_ROLLED_BACK,  /* back on the old revision (circuit breaker or ecsfix) */
	APPLY_OUTCOME_SKIPPED,      /* not an ECS deployment controller: not touched */
	APPLY_OUTCOME_NOT_FOLLOWED, /* updated, not followed: --no-wait, or UpdateService's
				       answer carried no deployment on the new revision (some
				       emulators never start one): nothing to follow */
	APPLY_OUTCOME_LEFT_OUT,     /* not selected in the plan: not touched */
};

/* Who speaks in a progress report: ecsfix itself, or ECS (a service event, verbatim). */
enum apply_kind {
	APPLY_KIND_MESSAGE = 0, /* ecsfix's own message (text) */
	APPLY_KIND_ECS_EVENT,   /* one ECS service event: text is its message, event_time its
				   createdAt (seconds since the epoch, 0 when unknown) */
};

/* One progress report (the typed event the TUI consumes). Everything is borrowed for the
 * duration of the callback only. ROLLOUT/ROLLBACK reports carry the counts of the followed
 * deployment and, in events, the ECS service events new since the last report. With
 * apply_options.ecs_events, each new ECS event also comes as its own report of kind
 * APPLY_KIND_ECS_EVENT (step ROLLOUT or ROLLBACK, service set), oldest first, before that
 * ROLLOUT report. */
struct apply_progress {
	enum apply_kind kind;
	enum apply_step step;
	const char *service; /* service name, NULL for plan-wide steps */
	const char *cluster; /* cluster name, or NULL */
	const char *deployment_id;
	const char *old_arn, *new_arn;
	int64_t running, desired, failed, pending; /* of the followed deployment (ROLLOUT) */
	const char *rollout_state;                 /* "IN_PROGRESS", "COMPLETED", "FAILED", NULL */
	const char *rollout_reason;                /* rolloutStateReason, or NULL */
	const char *const *events; /* service events new since the last report, oldest first
				      (also sent one by one as APPLY_KIND_ECS_EVENT reports when
				      apply_options.ecs_events) */
	size_t nevents;
	int64_t event_time;         /* APPLY_KIND_ECS_EVENT: createdAt, seconds (0: unknown) */
	enum apply_outcome outcome; /* DONE (and ROLLBACK) */
	const char *text;           /* the whole report as one plain line */
};

typedef void (*apply_progress_fn)(void *ctx, const struct apply_progress *p);

struct apply_options {
	int no_wait;             /* stop after the UpdateService calls */
	int rollback_on_failure; /* move a failed service back to its old revision at once */
	int timeout_s;           /* following a rollout: give up after this (0: 1800 s) */
	int poll_ms;             /* first polling interval (0: 5000 ms; backoff to 15 s) */
	int note_findings;       /* Security Hub ECS.4 findings of the family -> NOTIFIED + note */
	int deregister_old;      /* after success, deregister the source if no service runs it */
	int read_only;           /* refuse (the global --read-only) */
	int ecs_events;    /* 1: each ECS service event also as an APPLY_KIND_ECS_EVENT report */
	unsigned controls; /* deciding controls (rules mask; 0: ECS.4, ECS.17, ECS.20): apply
			      refuses a proposal that turns one of them from PASSED to FAILED */
	const char *audit_log; /* NULL: $XDG_STATE_HOME/ecsfix/audit.jsonl */
	/* The role the client's credentials were assumed from (the plan's roleArn, assumed by
	 * the caller with session_target_client), recorded in every audit line; NULL: the
	 * client's own credentials (apply_check_plan checks the account they resolve to in
	 * either case). */
	const char *role_arn;
};

struct apply_service_result {
	char *arn, *name, *cluster;
	char *old_arn;       /* the revision it ran (the plan's source) */
	char *deployment_id; /* of the update (NULL when not updated) */
	char *rollback_deployment_id;
	enum apply_outcome outcome;
	char *reason; /* a sentence: why FAILED/SKIPPED/ROLLED_BACK; NULL otherwise */
};

struct apply_result {
	char *new_arn;  /* the fixed revision (registered or reused); NULL if not reached */
	int registered; /* 1: registered by this run; 0: reused */
	struct apply_service_result *services; /* in plan order */
	size_t nservices;
	int interrupted;       /* cancel was set */
	size_t findings_noted; /* --note-findings: findings set to NOTIFIED */
	int deregistered_old;  /* --deregister-old done */
	char *reminder;        /* the CI/CD reminder text; NULL after a failure or rollback */
	int moved_to;          /* 1: new_arn is the plan's moveTo (an existing revision) */
};

void apply_result_init(struct apply_result *r);
void apply_result_done(struct apply_result *r); /* frees; leaves r initialised */

/* The exit code for the CLI: 130 interrupted, 1 any FAILED/ROLLED_BACK, else 0. */
int apply_result_exit(const struct apply_result *r);

/* What apply computes itself from the live source revision and the plan's options before it
 * changes anything (the CLI shows this diff, not the one in the plan file). */
struct apply_check {
	char *target;    /* "web:5" (moveTo) or "web:new": what the services move to */
	char *diff_text; /* unified diff live source -> recomputed proposal ("" when equal) */
	char **warnings; /* non-deciding controls turning FAILED (e.g. ECS.1), and the like */
	size_t nwarnings;
};
void apply_check_init(struct apply_check *ck);
void apply_check_done(struct apply_check *ck);

/*
 * Checks plan p against the account without changing anything: region and account; the live
 * source revision equals the plan's source (digest and document); the proposal rebuilt from
 * the live source and the plan's options (plan_options_propose), or the live moveTo
 * revision, equals the plan's "proposed"; no deciding control (o->controls) goes from PASSED
 * to FAILED; every selected service runs the source revision with the networkConfiguration
 * the options give. Errors: "the plan file was changed after it was made: ..." (an edited
 * plan), "the plan is stale: ..." (the account moved on), region/account mismatches.
 * A refusal is audit-logged ("refused"). apply_run makes the same check first.
 */
int apply_check_plan(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		     struct apply_check *ck, struct err *e);

/*
 * Carries out plan p (DESIGN.md section 3). The caller has already asked for confirmation.
 * 0: the run went to its end (outcomes in r may still be FAILED/ROLLED_BACK); -1 (e set): an
 * error that stopped it (stale plan, region/account mismatch, AccessDenied, read-only): r
 * says how far it got. cancel (may be NULL) stops at the next safe point: r->interrupted.
 * Rerunning after an interruption continues and registers nothing new.
 */
int apply_run(struct aws_client *c, const struct plan *p, const struct apply_options *o,
	      apply_progress_fn progress, void *ctx, volatile sig_atomic_t *cancel,
	      struct apply_result *r, struct err *e);

/*
 * Moves the services of r whose outcome is FAILED back to their old revision and follows
 * that rollout (index: one service of r, or (size_t)-1 for every failed one). Updates r:
 * ROLLED_BACK on success. 0 when the rollbacks completed; -1 (e set) otherwise.
 */
int apply_rollback(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		   size_t index, apply_progress_fn progress, void *ctx,
		   volatile sig_atomic_t *cancel, struct apply_result *r, struct err *e);

/*
 * Deregisters revision arn (the failed new revision after a rollback, so that the family's
 * latest ACTIVE revision is again one a service runs and Security Hub does not show green
 * falsely). Refuses when a service still runs it (plan_find_services) or read_only.
 * Audit-logged ("deregister"). The caller asks for a typed approval first.
 */
int apply_deregister(struct aws_client *c, const struct plan *p, const struct apply_options *o,
		     const char *arn, struct err *e);

const char *apply_outcome_name(enum apply_outcome o); /* "COMPLETED", ... */
const char *apply_step_name(enum apply_step s);       /* "REGISTER", ... */

/* Pure parts (unit-tested). */

/* Where a service stands relative to the plan. */
enum apply_svc_state {
	APPLY_SVC_ON_SOURCE, /* still runs the planned revision: update it */
	APPLY_SVC_ON_TARGET, /* already runs the fixed revision (an earlier apply): follow it */
	APPLY_SVC_MOVED_ON,  /* runs another revision: the plan is stale */
	APPLY_SVC_GONE,      /* missing, DRAINING or INACTIVE */
};
/* service: one DescribeServices "services" entry (NULL: missing). target_arn may be NULL
 * (no equal revision exists yet). *why (caller frees) says what moved on. */
enum apply_svc_state apply_service_state(json_object *service, const char *source_arn,
					 const char *target_arn, char **why);

/* Equality of two register-input documents, ignoring what AWS fills in on its own (empty
 * lists and objects, null values, hostPort == containerPort in awsvpc/host mode). When they
 * differ and where is not NULL, *where (caller frees) names the first difference. */
int apply_docs_equal(json_object *a, json_object *b, char **where);

#endif
