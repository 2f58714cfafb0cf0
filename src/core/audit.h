/* audit.h: the append-only audit log of account changes, one JSON line per step
 * ($XDG_STATE_HOME/ecsfix/audit.jsonl, mode 0600). */
#ifndef ECSFIX_CORE_AUDIT_H
#define ECSFIX_CORE_AUDIT_H

struct err;

struct audit_entry {
	const char *region;
	const char *account;
	const char *role_arn;      /* the role the change was made as, or NULL (own credentials) */
	const char *action;        /* "register", "reuse", "update-service", "rollout", "rollback",
				      "note-findings", "deregister", "refused", "interrupted" */
	const char *service;       /* service ARN or NULL */
	const char *old_arn;       /* revision before */
	const char *new_arn;       /* revision after */
	const char *deployment_id; /* or NULL */
	const char *request_id;    /* of the AWS call, or NULL */
	const char *outcome;       /* "ok", "COMPLETED", "FAILED", "AccessDeniedException", ... */
	const char *detail;        /* free text, or NULL */
};

struct audit_log;

/* The default path: $XDG_STATE_HOME/ecsfix/audit.jsonl, else ~/.local/state/ecsfix/...
 * Caller frees; NULL when neither XDG_STATE_HOME nor HOME is set. */
char *audit_default_path(void);

/* Opens (creating it and its directory, mode 0600/0700) the log at path (NULL: default).
 * Refused: a symbolic link, a file of another user, a directory any user can write to. */
int audit_open(const char *path, struct audit_log **out, struct err *e);
/* Appends one line {"time", "region", ...} (absent fields omitted) with one write. */
int audit_append(struct audit_log *a, const struct audit_entry *en, struct err *e);
const char *audit_path(const struct audit_log *a);
void audit_close(struct audit_log *a);

#endif
