/* tui_backend_fixture.c: a backend without AWS for the TUI's unit tests: the scan reads a
 * report file, plans are derived from the report, changes are simulated and remembered.
 * Test code only: the shipped binary has the live backend alone. */
#include "config.h"

#include "tui_fixture.h"

#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct fixture {
	struct backend_fixture_config cfg;
	char *path;
	json_object *report; /* the simulated account (after changes) */
};

static void fixture_sleep(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	if (ms > 0)
		nanosleep(&ts, NULL);
}

static int fixture_load(struct fixture *f, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (f->report)
		return 0;
	rc = file_read_all(f->path, 256u << 20, &buf, &len, e);
	if (rc == 0)
		rc = jsonx_parse(buf, len, &f->report, e);
	free(buf);
	if (rc)
		err_prefix(e, "fixture %s", f->path);
	return rc;
}

static int fixture_open(void *ctx, struct tui_session_info *info, struct err *e)
{
	struct fixture *f = ctx;

	if (fixture_load(f, e))
		return -1;
	info->profile = "fixture";
	info->region = jsonx_str(f->report, "region");
	info->account = jsonx_str(f->report, "account");
	info->endpoint = jsonx_str(f->report, "endpoint");
	return 0;
}

static int fixture_scan(void *ctx, tui_scan_progress_fn progress, void *pctx, json_object **report,
			struct err *e)
{
	struct fixture *f = ctx;
	const int steps = 10;

	if (fixture_load(f, e))
		return -1;
	for (int i = 0; i < steps && f->cfg.scan_ms > 0; i++) {
		if (f->cfg.cancel && *f->cfg.cancel)
			return err_set(e, "scan cancelled");
		progress(pctx, "DescribeServices", (size_t)i, (size_t)steps);
		fixture_sleep(f->cfg.scan_ms / steps);
	}
	*report = jsonx_clone(f->report);
	return 0;
}

static json_object *fixture_find(json_object *arr, const char *arn)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *a = jsonx_str(o, "arn");

		if (a && arn && strcmp(a, arn) == 0)
			return o;
	}
	return NULL;
}

static int fixture_is_root(const char *u)
{
	return u == NULL || strcmp(u, "root") == 0 || strcmp(u, "0") == 0 ||
	       strncmp(u, "0:", 2) == 0;
}

static int fixture_plan(void *ctx, json_object *report, const char *target,
			const struct tui_plan_opts *o, json_object **plan, struct err *e)
{
	json_object *svc = fixture_find(jsonx_array(report, "services"), target);
	const char *tdarn = svc ? jsonx_str(svc, "taskDefinition") : target;
	json_object *td = fixture_find(jsonx_array(report, "taskDefinitions"), tdarn);
	json_object *p, *before, *after, *notes, *svcs, *cs;
	const char *net;
	struct strbuf d;
	int changes = 0;

	(void)ctx;
	if (td == NULL)
		return err_set(e, "no task definition %s in the scan", tdarn ? tdarn : "?");
	if (o->user && fixture_is_root(o->user))
		return err_set(e, "--user \"%s\" is root", o->user);
	net = jsonx_str(td, "networkMode");
	cs = jsonx_array(td, "containers");
	strbuf_init(&d);
	strbuf_printf(&d, "--- %s:%lld\n+++ %s (new revision)\n", jsonx_str(td, "family"),
		      (long long)jsonx_int(td, "revision", 0), jsonx_str(td, "family"));
	if (o->network_mode && (net == NULL || strcmp(o->network_mode, net) != 0)) {
		strbuf_printf(&d,
			      "@@ networkMode @@\n-  \"networkMode\": \"%s\",\n+  "
			      "\"networkMode\": \"%s\",\n",
			      net ? net : "bridge", o->network_mode);
		changes = 1;
	}
	for (size_t i = 0; cs && i < json_object_array_length(cs); i++) {
		json_object *c = json_object_array_get_idx(cs, i);
		int priv = jsonx_bool(c, "privileged") == 1;
		const char *user = jsonx_str(c, "user");

		if (!priv && !(o->user && fixture_is_root(user)))
			continue;
		strbuf_printf(&d, "@@ containerDefinitions[%zu] @@\n     \"name\": \"%s\",\n", i,
			      jsonx_str(c, "name"));
		if (priv)
			strbuf_puts(&d,
				    "-    \"privileged\": true,\n+    \"privileged\": false,\n");
		if (o->user && fixture_is_root(user)) {
			if (user)
				strbuf_printf(&d, "-    \"user\": \"%s\",\n", user);
			strbuf_printf(&d, "+    \"user\": \"%s\",\n", o->user);
		}
		strbuf_printf(&d, "     \"image\": \"%s\",\n", jsonx_str(c, "image"));
		changes = 1;
	}
	p = json_object_new_object();
	json_object_object_add(p, "target", json_object_new_string(tdarn));
	json_object_object_add(p, "family", json_object_new_string(jsonx_str(td, "family")));
	json_object_object_add(p, "revision", json_object_new_int64(jsonx_int(td, "revision", 0)));
	json_object_object_add(p, "diff", json_object_new_string(d.buf ? d.buf : ""));
	strbuf_done(&d);
	before = jsonx_clone(jsonx_array(td, "checks"));
	after = json_object_new_array();
	notes = json_object_new_array();
	for (size_t i = 0; before && i < json_object_array_length(before); i++) {
		json_object *c = jsonx_clone(json_object_array_get_idx(before, i));
		const char *ctl = jsonx_str(c, "control");
		int fixed = 0;

		if (strcmp(ctl, "ECS.4") == 0)
			fixed = 1;
		else if (strcmp(ctl, "ECS.20") == 0)
			fixed = o->user && !fixture_is_root(o->user);
		else if (strcmp(ctl, "ECS.17") == 0 || strcmp(ctl, "ECS.1") == 0)
			fixed = o->network_mode && strcmp(o->network_mode, "host") != 0;
		if (fixed) {
			json_object_object_add(c, "status", json_object_new_string("PASSED"));
			json_object_object_add(c, "reason", json_object_new_string("fixed"));
		}
		json_object_array_add(after, c);
		if (!fixed && strcmp(jsonx_str(c, "status"), "FAILED") == 0)
			json_object_array_add(
			    notes,
			    json_object_new_string(
				strcmp(ctl, "ECS.20") == 0
				    ? "ECS.20 stays FAILED: the containers run as root (u sets a "
				      "user)"
				    : "host network mode stays: ECS.17 stays FAILED (n chooses "
				      "bridge or awsvpc)"));
	}
	if (o->network_mode && strcmp(o->network_mode, "awsvpc") == 0)
		json_object_array_add(
		    notes, json_object_new_string("awsvpc: the services get networkConfiguration "
						  "with the subnets and security groups given"));
	svcs = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(jsonx_array(report, "services")); i++) {
		json_object *s = json_object_array_get_idx(jsonx_array(report, "services"), i);
		json_object *x;

		if (strcmp(jsonx_str(s, "taskDefinition") ? jsonx_str(s, "taskDefinition") : "",
			   tdarn) != 0)
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "cluster",
				       json_object_new_string(jsonx_str(s, "cluster")));
		json_object_object_add(x, "name", json_object_new_string(jsonx_str(s, "name")));
		json_object_object_add(x, "arn", json_object_new_string(jsonx_str(s, "arn")));
		json_object_object_add(x, "runningCount",
				       json_object_new_int64(jsonx_int(s, "runningCount", 0)));
		json_object_object_add(x, "desiredCount",
				       json_object_new_int64(jsonx_int(s, "desiredCount", 0)));
		json_object_object_add(x, "selected", json_object_new_boolean(1));
		json_object_array_add(svcs, x);
	}
	json_object_object_add(p, "checksBefore", before ? before : json_object_new_array());
	json_object_object_add(p, "checksAfter", after);
	json_object_object_add(p, "notes", notes);
	json_object_object_add(p, "services", svcs);
	json_object_object_add(p, "changes", json_object_new_boolean(changes));
	*plan = p;
	return 0;
}

static int fixture_write(void *ctx, json_object *plan, const char *path, struct err *e)
{
	char *text = jsonx_pretty(plan);
	int rc = file_write_atomic(path, text, strlen(text), 0600, 0, e);

	(void)ctx;
	free(text);
	return rc;
}

/* The family's highest revision in the simulated account. */
static long long fixture_last_rev(struct fixture *f, const char *family)
{
	json_object *tds = jsonx_array(f->report, "taskDefinitions");
	long long rev = 0;

	for (size_t i = 0; tds && i < json_object_array_length(tds); i++) {
		json_object *t = json_object_array_get_idx(tds, i);
		const char *fam = jsonx_str(t, "family");

		if (fam && family && strcmp(fam, family) == 0 && jsonx_int(t, "revision", 0) > rev)
			rev = jsonx_int(t, "revision", 0);
	}
	return rev;
}

/* Remembers the change: the services of the plan now run a new, fixed revision. */
static char *fixture_commit(struct fixture *f, json_object *plan)
{
	json_object *tds = jsonx_array(f->report, "taskDefinitions");
	json_object *old = fixture_find(tds, jsonx_str(plan, "target")), *nw, *cs, *ch;
	long long rev = fixture_last_rev(f, jsonx_str(plan, "family"));
	char *arn;
	const char *slash;
	slash = strrchr(jsonx_str(plan, "target"), '/');
	arn = xasprintf("%.*s/%s:%lld", (int)(slash - jsonx_str(plan, "target")),
			jsonx_str(plan, "target"), jsonx_str(plan, "family"), rev + 1);
	if (old == NULL)
		return arn;
	nw = jsonx_clone(old);
	json_object_object_add(nw, "arn", json_object_new_string(arn));
	json_object_object_add(nw, "revision", json_object_new_int64(rev + 1));
	json_object_object_add(nw, "latestActive", json_object_new_boolean(1));
	json_object_object_add(nw, "latestActiveArn", json_object_new_string(arn));
	cs = jsonx_array(nw, "containers");
	for (size_t i = 0; cs && i < json_object_array_length(cs); i++)
		json_object_object_add(json_object_array_get_idx(cs, i), "privileged",
				       json_object_new_boolean(0));
	json_object_object_add(nw, "checks", jsonx_clone(jsonx_array(plan, "checksAfter")));
	json_object_object_add(nw, "services", json_object_new_array());
	ch = jsonx_array(nw, "services");
	json_object_object_add(old, "latestActive", json_object_new_boolean(0));
	json_object_object_add(old, "services", json_object_new_array());
	for (size_t i = 0; i < json_object_array_length(jsonx_array(f->report, "services")); i++) {
		json_object *s = json_object_array_get_idx(jsonx_array(f->report, "services"), i);
		int failing = 0;

		if (fixture_find(jsonx_array(plan, "services"), jsonx_str(s, "arn")) == NULL)
			continue;
		json_object_object_add(s, "taskDefinition", json_object_new_string(arn));
		json_object_array_add(ch, json_object_new_string(jsonx_str(s, "arn")));
		for (size_t k = 0; k < json_object_array_length(jsonx_array(nw, "checks")); k++)
			failing |=
			    strcmp(
				jsonx_str(json_object_array_get_idx(jsonx_array(nw, "checks"), k),
					  "status"),
				"FAILED") == 0;
		json_object_object_add(s, "status",
				       json_object_new_string(failing ? "FAILED" : "PASSED"));
	}
	json_object_array_add(tds, nw);
	return arn;
}

static int fixture_change(struct fixture *f, json_object *plan, tui_apply_progress_fn progress,
			  void *pctx, volatile sig_atomic_t *cancel, json_object **outcome,
			  int rollback, struct err *e)
{
	json_object *svcs = jsonx_array(plan, "services"), *o;
	char *reg = xasprintf("%s:%lld", jsonx_str(plan, "family"),
			      fixture_last_rev(f, jsonx_str(plan, "family")) + 1);
	char *arn = NULL;
	int failed = 0;

	if (!rollback) {
		progress(pctx, TUI_STEP_REGISTER, reg, "RegisterTaskDefinition", 0, 0,
			 TUI_STEP_RUNNING);
		fixture_sleep(f->cfg.step_ms);
		progress(pctx, TUI_STEP_REGISTER, reg, "registered", 0, 0, TUI_STEP_DONE);
	}
	for (size_t i = 0; svcs && i < json_object_array_length(svcs) && !failed; i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		char *name = xasprintf("%s/%s", jsonx_str(s, "cluster"), jsonx_str(s, "name"));
		long desired = (long)jsonx_int(s, "desiredCount", 1);

		progress(pctx, TUI_STEP_UPDATE, name,
			 rollback ? "UpdateService back to the old revision" : "UpdateService", 0,
			 0, TUI_STEP_RUNNING);
		fixture_sleep(f->cfg.step_ms);
		progress(pctx, TUI_STEP_UPDATE, name, "deployment started", 0, 0, TUI_STEP_DONE);
		for (long r = 0; r <= desired; r++) {
			if (cancel && *cancel) {
				free(name);
				free(reg);
				return err_set(e,
					       "change cancelled (the deployment goes on in ECS)");
			}
			if (!rollback && f->cfg.fail && r * 2 >= desired) {
				progress(pctx, TUI_STEP_EVENT, name,
					 "deployment failed: tasks failed to start", r, desired, 0);
				progress(pctx, TUI_STEP_ROLLOUT, name, "FAILED", r, desired,
					 TUI_STEP_FAILED);
				failed = 1;
				break;
			}
			progress(pctx, TUI_STEP_ROLLOUT, name,
				 r == desired ? "COMPLETED" : "IN_PROGRESS", r, desired,
				 r == desired ? TUI_STEP_DONE : TUI_STEP_RUNNING);
			if (r > 0)
				progress(pctx, TUI_STEP_EVENT, name, "has started 1 tasks", r,
					 desired, 0);
			fixture_sleep(f->cfg.step_ms);
		}
		if (!failed)
			progress(pctx, TUI_STEP_EVENT, name, "has reached a steady state.", desired,
				 desired, 0);
		free(name);
	}
	o = json_object_new_object();
	if (rollback) {
		json_object_object_add(o, "status", json_object_new_string("ROLLED_BACK"));
		json_object_object_add(
		    o, "message", json_object_new_string("the services run their old revision"));
	} else if (failed) {
		json_object_object_add(o, "status", json_object_new_string("FAILED"));
		json_object_object_add(o, "message", json_object_new_string("the rollout failed"));
	} else {
		arn = fixture_commit(f, plan);
		json_object_object_add(o, "status", json_object_new_string("COMPLETED"));
		json_object_object_add(
		    o, "message", json_object_new_string("every service runs the new revision"));
		json_object_object_add(o, "newTaskDefinition", json_object_new_string(arn));
	}
	free(arn);
	free(reg);
	*outcome = o;
	return 0;
}

static int fixture_apply(void *ctx, json_object *plan, tui_apply_progress_fn progress, void *pctx,
			 volatile sig_atomic_t *cancel, json_object **outcome, struct err *e)
{
	return fixture_change(ctx, plan, progress, pctx, cancel, outcome, 0, e);
}

static int fixture_rollback(void *ctx, json_object *plan, tui_apply_progress_fn progress,
			    void *pctx, volatile sig_atomic_t *cancel, json_object **outcome,
			    struct err *e)
{
	return fixture_change(ctx, plan, progress, pctx, cancel, outcome, 1, e);
}

static void fixture_close(void *ctx)
{
	struct fixture *f = ctx;

	json_object_put(f->report);
	free(f->path);
	free(f);
}

static int fixture_deregister(void *ctx, const char *arn, json_object **verify, struct err *e)
{
	(void)ctx;
	(void)arn;
	(void)e;
	*verify = NULL;
	return 0;
}

static const struct tui_backend_ops fixture_ops = {
    .open = fixture_open,
    .scan = fixture_scan,
    .plan = fixture_plan,
    .write_plan = fixture_write,
    .apply = fixture_apply,
    .rollback = fixture_rollback,
    .deregister = fixture_deregister,
    .close = fixture_close,
};

void backend_fixture_new(const struct backend_fixture_config *cfg, struct tui_backend *out)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	f->cfg = *cfg;
	f->path = xstrdup(cfg->report);
	f->cfg.report = f->path;
	out->ops = &fixture_ops;
	out->ctx = f;
}
