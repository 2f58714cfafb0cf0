/* backend_live.c: the backend on the real account, through core/ (session, scan, plan,
 * apply). Runs on the worker thread, which owns the session. */
#include "config.h"

#include "tui/backend.h"

#include "core/scan.h"
#include "core/session.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

struct live {
	struct session_config cfg;
	struct aws_client *client;
	struct err open_err; /* why the session could not be opened: every job says it */
};

static int live_open(void *ctx, struct tui_session_info *info, struct err *e)
{
	struct live *l = ctx;
	const char *account = NULL;

	if (session_open(&l->cfg, &l->client, e)) {
		err_copy(&l->open_err, e);
		return -1;
	}
	info->profile = session_profile(l->client);
	info->region = session_region(l->client);
	info->endpoint = session_endpoint(l->client);
	if (session_account(l->client, &account, e) == 0)
		info->account = account;
	return 0;
}

static int live_missing(struct err *e, const char *what)
{
	err_set(e, "%s is not built yet in this tree", what);
	return err_hint(e, "merge the scan and plan branches, or run with ECSFIX_TUI_FIXTURE");
}

static int live_scan(void *ctx, tui_scan_progress_fn progress, void *pctx, json_object **report,
		     struct err *e)
{
	struct live *l = ctx;
	struct scan_options so = {0};

	if (l->client == NULL) {
		err_copy(e, &l->open_err);
		return -1;
	}
	return scan_run(l->client, &so, progress, pctx, report, e);
}

static int live_plan(void *ctx, json_object *report, const char *target,
		     const struct tui_plan_opts *o, json_object **plan, struct err *e)
{
	(void)ctx;
	(void)report;
	(void)target;
	(void)o;
	(void)plan;
	return live_missing(e, "the plan engine");
}

static int live_write(void *ctx, json_object *plan, const char *path, struct err *e)
{
	(void)ctx;
	(void)plan;
	(void)path;
	return live_missing(e, "the plan engine");
}

static int live_apply(void *ctx, json_object *plan, tui_apply_progress_fn progress, void *pctx,
		      volatile sig_atomic_t *cancel, json_object **outcome, struct err *e)
{
	(void)ctx;
	(void)plan;
	(void)progress;
	(void)pctx;
	(void)cancel;
	(void)outcome;
	return live_missing(e, "the apply engine");
}

static void live_close(void *ctx)
{
	struct live *l = ctx;

	session_close(l->client);
	free(l);
}

static const struct tui_backend_ops live_ops = {
    live_open, live_scan, live_plan, live_write, live_apply, live_apply, live_close,
};

void backend_live_new(const struct session_config *cfg, struct tui_backend *out)
{
	struct live *l = xcalloc(1, sizeof *l);

	l->cfg = *cfg;
	out->ops = &live_ops;
	out->ctx = l;
}
