/* worker.c: one thread runs the backend's jobs in order; events go to the UI through a pipe
 * (a pointer per write, atomic since it is smaller than PIPE_BUF). */
#include "config.h"

#include "tui/worker.h"

#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum worker_kind {
	WORKER_SCAN,
	WORKER_PLAN,
	WORKER_WRITE,
	WORKER_APPLY,
	WORKER_ROLLBACK,
	WORKER_DEREGISTER,
	WORKER_MESSAGE,
	WORKER_EXCEPTION
};

struct worker_job {
	enum worker_kind kind;
	json_object *doc;
	char *target, *path;
	char *user, *netmode, *subnets, *secgroups, *caps;
	char *reason, *until;
	int overwrite;
	struct worker_job *next;
};

struct worker {
	struct tui_backend b;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct worker_job *head, *tail;
	int stop;
	volatile sig_atomic_t *cancel;
	int fds[2];
};

static char *worker_dup(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void worker_post(struct worker *w, struct tui_event *ev)
{
	ssize_t n;

	do
		n = write(w->fds[1], &ev, sizeof ev);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof ev)
		tui_event_free(ev);
}

static struct tui_event *worker_event(enum tui_event_type t)
{
	struct tui_event *ev = xcalloc(1, sizeof *ev);

	ev->type = t;
	return ev;
}

static void worker_fail(struct worker *w, const struct err *e)
{
	struct tui_event *ev = worker_event(TUI_EV_JOB_FAILED);

	ev->text = xstrdup(e->msg[0] ? e->msg : "failed");
	ev->hint = e->hint[0] ? xstrdup(e->hint) : NULL;
	worker_post(w, ev);
}

static void worker_scan_progress(void *pctx, const char *what, size_t done, size_t total)
{
	struct worker *w = pctx;
	struct tui_event *ev = worker_event(TUI_EV_PROGRESS);

	ev->text = xstrdup(what ? what : "");
	ev->a = (long)done;
	ev->b = (long)total;
	worker_post(w, ev);
}

static void worker_apply_progress(void *pctx, enum tui_step_kind kind, const char *subject,
				  const char *text, long running, long desired,
				  enum tui_step_state state)
{
	struct worker *w = pctx;
	struct tui_event *ev = worker_event(TUI_EV_STEP);

	ev->step.kind = kind;
	ev->step.subject = xstrdup(subject ? subject : "");
	ev->step.text = text ? xstrdup(text) : NULL;
	ev->step.running = running;
	ev->step.desired = desired;
	ev->step.state = state;
	worker_post(w, ev);
}

static void worker_job_free(struct worker_job *j)
{
	json_object_put(j->doc);
	free(j->target);
	free(j->path);
	free(j->user);
	free(j->netmode);
	free(j->subnets);
	free(j->secgroups);
	free(j->caps);
	free(j->reason);
	free(j->until);
	free(j);
}

static void worker_run(struct worker *w, struct worker_job *j)
{
	struct err e;
	json_object *out = NULL;
	struct tui_event *ev;
	int rc = -1;

	err_clear(&e);
	switch (j->kind) {
	case WORKER_SCAN:
		rc = w->b.ops->scan(w->b.ctx, worker_scan_progress, w, &out, &e);
		if (rc == 0) {
			ev = worker_event(TUI_EV_SCAN_DONE);
			ev->doc = out;
			worker_post(w, ev);
		}
		break;
	case WORKER_PLAN: {
		struct tui_plan_opts o = {j->user, j->netmode, j->subnets, j->secgroups, j->caps};

		rc = w->b.ops->plan(w->b.ctx, j->doc, j->target, &o, &out, &e);
		if (rc == 0) {
			ev = worker_event(TUI_EV_PLAN_DONE);
			ev->doc = out;
			ev->subject = j->target ? xstrdup(j->target) : NULL;
			worker_post(w, ev);
		}
		break;
	}
	case WORKER_EXCEPTION: {
		char *summary = NULL;

		rc = w->b.ops->record_exception(w->b.ctx, j->target, j->reason, j->until, &summary,
						&e);
		if (rc == 0) {
			ev = worker_event(TUI_EV_EXCEPTION_DONE);
			ev->text = summary;
			worker_post(w, ev);
		}
		break;
	}
	case WORKER_MESSAGE:
	case WORKER_WRITE:
		if (!j->overwrite && access(j->path, F_OK) == 0) {
			ev = worker_event(TUI_EV_WRITE_EXISTS);
			ev->text = xstrdup(j->path);
			worker_post(w, ev);
			rc = 0;
			break;
		}
		rc = (j->kind == WORKER_WRITE ? w->b.ops->write_plan : w->b.ops->write_message)(
		    w->b.ctx, j->doc, j->path, &e);
		if (rc == 0) {
			ev = worker_event(j->kind == WORKER_WRITE ? TUI_EV_WRITE_DONE
								  : TUI_EV_MESSAGE_DONE);
			ev->text = xstrdup(j->path);
			worker_post(w, ev);
		}
		break;
	case WORKER_DEREGISTER:
		rc = w->b.ops->deregister(w->b.ctx, j->target, &out, &e);
		if (rc == 0) {
			ev = worker_event(TUI_EV_DEREGISTER_DONE);
			ev->text = xstrdup(j->target);
			ev->doc = out;
			out = NULL;
			worker_post(w, ev);
		}
		break;
	case WORKER_APPLY:
	case WORKER_ROLLBACK:
		rc = (j->kind == WORKER_APPLY ? w->b.ops->apply : w->b.ops->rollback)(
		    w->b.ctx, j->doc, worker_apply_progress, w, w->cancel, &out, &e);
		if (rc == 0) {
			ev = worker_event(TUI_EV_APPLY_DONE);
			ev->doc = out;
			worker_post(w, ev);
		}
		break;
	}
	if (rc != 0)
		worker_fail(w, &e);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct tui_session_info info = {0};
	struct err e;

	err_clear(&e);
	if (w->b.ops->open(w->b.ctx, &info, &e) == 0) {
		struct tui_event *ev = worker_event(TUI_EV_SESSION);

		ev->session.profile = worker_dup(info.profile);
		ev->session.region = worker_dup(info.region);
		ev->session.account = worker_dup(info.account);
		ev->session.endpoint = worker_dup(info.endpoint);
		worker_post(w, ev);
	} else {
		worker_fail(w, &e);
	}
	for (;;) {
		struct worker_job *j;

		pthread_mutex_lock(&w->lock);
		while (!w->stop && w->head == NULL)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		j = w->head;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		*w->cancel = 0;
		worker_run(w, j);
		worker_job_free(j);
	}
	return NULL;
}

struct worker *worker_new(const struct tui_backend *b, volatile sig_atomic_t *cancel, struct err *e)
{
	struct worker *w = xcalloc(1, sizeof *w);
	sigset_t all, old;
	int rc;

	w->b = *b;
	w->cancel = cancel;
	if (pipe(w->fds) != 0) {
		free(w);
		return err_set(e, "cannot create the worker pipe: %s", strerror(errno)), NULL;
	}
	fcntl(w->fds[0], F_SETFL, fcntl(w->fds[0], F_GETFL) | O_NONBLOCK);
	fcntl(w->fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(w->fds[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	/* Signals go to the UI thread only. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close(w->fds[0]);
		close(w->fds[1]);
		free(w);
		return err_set(e, "cannot start the worker thread: %s", strerror(rc)), NULL;
	}
	return w;
}

void worker_free(struct worker *w)
{
	struct tui_event *ev;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	*w->cancel = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	/* Drain while joining so a worker blocked on a full pipe can finish; a job that does
	 * not stop within 3 s is left behind (the process is exiting). */
	for (int tries = 0;; tries++) {
		struct timespec ts = {0, 10 * 1000 * 1000};

		if (pthread_tryjoin_np(w->thread, NULL) == 0)
			break;
		if (tries == 300) {
			pthread_detach(w->thread);
			return;
		}
		while ((ev = worker_next(w)) != NULL)
			tui_event_free(ev);
		nanosleep(&ts, NULL);
	}
	while ((ev = worker_next(w)) != NULL)
		tui_event_free(ev);
	while (w->head) {
		struct worker_job *j = w->head;

		w->head = j->next;
		worker_job_free(j);
	}
	if (w->b.ops->close)
		w->b.ops->close(w->b.ctx);
	close(w->fds[0]);
	close(w->fds[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

int worker_fd(const struct worker *w)
{
	return w->fds[0];
}

struct tui_event *worker_next(struct worker *w)
{
	struct tui_event *ev = NULL;
	ssize_t n;

	do
		n = read(w->fds[0], &ev, sizeof ev);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof ev ? ev : NULL;
}

static void worker_queue(struct worker *w, struct worker_job *j)
{
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void worker_scan(struct worker *w)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = WORKER_SCAN;
	worker_queue(w, j);
}

void worker_plan(struct worker *w, json_object *report_take, const char *target,
		 const struct tui_plan_opts *o)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = WORKER_PLAN;
	j->doc = report_take;
	j->target = worker_dup(target);
	j->user = worker_dup(o->user);
	j->netmode = worker_dup(o->network_mode);
	j->subnets = worker_dup(o->subnets);
	j->secgroups = worker_dup(o->security_groups);
	j->caps = worker_dup(o->cap_add);
	worker_queue(w, j);
}

void worker_write_plan(struct worker *w, json_object *plan_take, const char *path, int overwrite)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = WORKER_WRITE;
	j->overwrite = overwrite;
	j->doc = plan_take;
	j->path = worker_dup(path);
	worker_queue(w, j);
}

void worker_apply(struct worker *w, json_object *plan_take, int rollback)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = rollback ? WORKER_ROLLBACK : WORKER_APPLY;
	j->doc = plan_take;
	worker_queue(w, j);
}

void worker_write_message(struct worker *w, json_object *plan_take, const char *path, int overwrite)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = WORKER_MESSAGE;
	j->overwrite = overwrite;
	j->doc = plan_take;
	j->path = worker_dup(path);
	worker_queue(w, j);
}

void worker_record_exception(struct worker *w, const char *target, const char *reason,
			     const char *until)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = WORKER_EXCEPTION;
	j->target = worker_dup(target);
	j->reason = worker_dup(reason);
	j->until = worker_dup(until);
	worker_queue(w, j);
}

void worker_deregister(struct worker *w, const char *arn)
{
	struct worker_job *j = xcalloc(1, sizeof *j);

	j->kind = WORKER_DEREGISTER;
	j->target = worker_dup(arn);
	worker_queue(w, j);
}

void worker_cancel(struct worker *w)
{
	*w->cancel = 1;
}
