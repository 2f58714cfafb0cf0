/* backend.h: what the TUI asks of the account (scan, plan, apply), as a table of callbacks
 * run on the worker thread. The live backend calls core/; the unit tests have a fixture
 * backend of their own (tests/unit/tui_backend_fixture.c). */
#ifndef ECSFIX_TUI_BACKEND_H
#define ECSFIX_TUI_BACKEND_H

#include <json-c/json.h>
#include <signal.h>
#include <stddef.h>

struct err;

/* The remediation options chosen in the diff view (borrowed strings, NULL: keep). */
struct tui_plan_opts {
	const char *user;
	const char *network_mode; /* NULL keep, "bridge", "awsvpc" */
	const char *subnets;      /* comma list, awsvpc only */
	const char *security_groups;
	const char *cap_add; /* comma list of capabilities instead of privileged, or NULL */
};

/* The header line: owned by the backend, valid until close. */
struct tui_session_info {
	const char *profile, *region, *account, *endpoint;
};

/* EVENT: a service event from ECS; MESSAGE: ecsfix's own words (notes, checks). */
enum tui_step_kind {
	TUI_STEP_REGISTER,
	TUI_STEP_UPDATE,
	TUI_STEP_ROLLOUT,
	TUI_STEP_EVENT,
	TUI_STEP_MESSAGE
};
enum tui_step_state { TUI_STEP_PENDING, TUI_STEP_RUNNING, TUI_STEP_DONE, TUI_STEP_FAILED };

typedef void (*tui_scan_progress_fn)(void *pctx, const char *what, size_t done, size_t total);
/* One step of a change: subject is the family:revision or cluster/service; text a sentence;
 * running/desired -1: unchanged since the last report. Strings are borrowed for the call. */
typedef void (*tui_apply_progress_fn)(void *pctx, enum tui_step_kind kind, const char *subject,
				      const char *text, long running, long desired,
				      enum tui_step_state state);

/*
 * Every callback runs on the worker thread, one at a time, and returns 0 or -1 with e set.
 * Documents returned through json_object ** are the caller's.
 *
 * The plan document the TUI reads (the live backend maps core's plan to it):
 *   {"target", "family", "revision", "diff": "unified diff text",
 *    "checksBefore": [{"control","status","container","reason"}], "checksAfter": [...],
 *    "notes": ["..."],
 *    "services": [{"cluster","name","arn","runningCount","desiredCount","selected"}] (every
 *      service on the revision that apply can move; "selected": false leaves it out; the
 *      TUI toggles it and apply honours it),
 *    "skipped": [{"cluster","name","reason"}] (CODE_DEPLOY/EXTERNAL: never moved),
 *    "moveTo": "<arn>" (the services move to this existing revision: nothing registered),
 *    "changes": true|false}
 * The outcome of apply/rollback: {"status": "COMPLETED|NOT_FOLLOWED|FAILED|ROLLED_BACK",
 *    "message", "newTaskDefinition": "<arn>", "verify": {"lines": [text], "securityhub",
 *    "falseGreen": bool, "failedNewArn": "<arn>" (offer to deregister it), "cicdAdvice": bool}}.
 */
struct tui_backend_ops {
	int (*open)(void *ctx, struct tui_session_info *info, struct err *e);
	int (*scan)(void *ctx, tui_scan_progress_fn progress, void *pctx, json_object **report,
		    struct err *e);
	int (*plan)(void *ctx, json_object *report, const char *target,
		    const struct tui_plan_opts *o, json_object **plan, struct err *e);
	int (*write_plan)(void *ctx, json_object *plan, const char *path, struct err *e);
	int (*apply)(void *ctx, json_object *plan, tui_apply_progress_fn progress, void *pctx,
		     volatile sig_atomic_t *cancel, json_object **outcome, struct err *e);
	int (*rollback)(void *ctx, json_object *plan, tui_apply_progress_fn progress, void *pctx,
			volatile sig_atomic_t *cancel, json_object **outcome, struct err *e);
	/* Deregisters arn (the failed new revision of the plan last applied); *verify (may be
	 * left NULL; caller owns) is the verification read again afterwards, as in the outcome. */
	int (*deregister)(void *ctx, const char *arn, json_object **verify, struct err *e);
	/* Writes the message for the owner (Markdown) about plan to path (mode 0600). */
	int (*write_message)(void *ctx, json_object *plan, const char *path, struct err *e);
	/* Records an exception on target's family (Security Hub findings SUPPRESSED with the
	 * note, audit log); *summary (caller frees) says what was done. */
	int (*record_exception)(void *ctx, const char *target, const char *reason,
				const char *until, char **summary, struct err *e);
	void (*close)(void *ctx);
};

struct tui_backend {
	const struct tui_backend_ops *ops;
	void *ctx;
};

/* The live backend (core/): the session is opened on the worker thread by ops->open. */
struct session_config;
struct session_targets_spec;
/* targets: several accounts and regions to scan (borrowed; nothing asked: the session's
 * own); plans and changes then go through the target that holds the service. */
void backend_live_new(const struct session_config *cfg, const struct session_targets_spec *targets,
		      struct tui_backend *out);

#endif
