/* worker.h: the worker thread that owns the backend (the AWS session) while it scans, plans
 * and changes; results and progress come back as events through a pipe the UI polls. */
#ifndef ECSFIX_TUI_WORKER_H
#define ECSFIX_TUI_WORKER_H

#include "tui/backend.h"
#include "tui/state.h"

#include <signal.h>

struct worker;

/* Starts the thread (which first opens the backend). The backend is the worker's until
 * worker_free, which closes it. cancel (borrowed, shared with the backend's session) is set
 * by worker_cancel and cleared before each job. Returns NULL (e set) if the thread cannot start. */
struct worker *worker_new(const struct tui_backend *b, volatile sig_atomic_t *cancel,
			  struct err *e);
/* Closes the backend after cancelling the job at hand and joins the thread. NULL is a no-op. */
void worker_free(struct worker *w);
/* The fd to poll for events (readable when worker_next has one). */
int worker_fd(const struct worker *w);
/* The next event (the caller frees it with tui_event_free), or NULL when none is ready. */
struct tui_event *worker_next(struct worker *w);

/* Queue jobs (copies are taken; documents are cloned by the caller and taken here). */
void worker_scan(struct worker *w);
void worker_plan(struct worker *w, json_object *report_take, const char *target,
		 const struct tui_plan_opts *o);
/* Writes the plan to path; when path exists and !overwrite, nothing is written and a
 * TUI_EV_WRITE_EXISTS event asks. */
void worker_write_plan(struct worker *w, json_object *plan_take, const char *path, int overwrite);
void worker_apply(struct worker *w, json_object *plan_take, int rollback);
/* Writes the message for the owner about the plan (like worker_write_plan). */
void worker_write_message(struct worker *w, json_object *plan_take, const char *path,
			  int overwrite);
/* Records an exception on the family of target (a task definition ARN). */
void worker_record_exception(struct worker *w, const char *target, const char *reason,
			     const char *until);
/* Deregisters arn (the failed new revision of the last change). */
void worker_deregister(struct worker *w, const char *arn);
/* Asks the job at hand to stop (the backend sees the cancel flag). */
void worker_cancel(struct worker *w);

#endif
