/* views_change.c: the views of a change: the diff (options, approval, plan file) and the
 * change itself (steps, rollout progress, ECS events, ecsfix's messages, the outcome). */
#include "config.h"

#include "tui/views.h"

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int views_plan_changes(const struct tui_state *st)
{
	return st->plan != NULL && !st->plan_applied && jsonx_bool(st->plan, "changes") == 1;
}

unsigned views_open_diff(struct tui_state *st, const char *target)
{
	char *t;

	if (target == NULL) {
		tui_state_status(st, TUI_ROLE_WARN, NULL,
				 "select a service or a task definition first, then d");
		return TUI_RX_STATUS;
	}
	t = xstrdup(target);
	if (st->plan_target == NULL || strcmp(st->plan_target, t) != 0) {
		tui_state_set(&st->plan_target, t);
		tui_state_set(&st->opt_user, NULL);
		tui_state_set(&st->opt_netmode, NULL);
		tui_state_set(&st->opt_subnets, NULL);
		tui_state_set(&st->opt_secgroups, NULL);
		tui_state_set(&st->opt_caps, NULL);
		json_object_put(st->plan);
		st->plan = NULL;
	}
	tui_state_push(st, TUI_VIEW_DIFF, t);
	free(t);
	if ((st->plan == NULL || st->plan_applied) && st->job != TUI_JOB_PLAN) {
		if (st->job != TUI_JOB_NONE)
			return tui_state_busy(st);
		tui_state_request_plan(st);
	}
	return TUI_RX_ALL;
}

/* ---- the approval dialog ---- */

static int views_selected(json_object *svc)
{
	return jsonx_bool(svc, "selected") != 0;
}

static void views_approval_services(const struct tui_state *st, struct strbuf *sb)
{
	json_object *svcs = jsonx_array(st->plan, "services");
	json_object *skipped = jsonx_array(st->plan, "skipped");
	size_t n = views_len(svcs), nsel = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		int sel = views_selected(s);

		nsel += sel != 0;
		strbuf_printf(sb, "%s [%c] %s %s/%s (running %lld / desired %lld)\n",
			      i == st->approve_cursor ? ">" : " ", sel ? 'x' : ' ',
			      sel ? "Update" : "Leave", views_str(s, "cluster", "?"),
			      views_str(s, "name", "?"), (long long)jsonx_int(s, "runningCount", 0),
			      (long long)jsonx_int(s, "desiredCount", 0));
	}
	for (size_t i = 0; i < views_len(skipped); i++) {
		json_object *s = json_object_array_get_idx(skipped, i);

		strbuf_printf(sb, "  [-] Skip %s/%s: %s.\n", views_str(s, "cluster", "?"),
			      views_str(s, "name", "?"), views_str(s, "reason", "not moved"));
	}
	if (n == 0)
		strbuf_puts(sb, "No service is updated.\n");
	else if (nsel < n)
		strbuf_printf(sb, "%zu of %zu %s left out: %s running the privileged revision.\n",
			      n - nsel, n, n == 1 ? "service" : "services",
			      n - nsel == 1 ? "it keeps" : "they keep");
	if (n > 1)
		strbuf_puts(sb,
			    "Up/Down choose a service, Space leaves it out or takes it back.\n");
}

char *views_approval_text(const struct tui_state *st)
{
	struct strbuf sb;
	const char *move = jsonx_str(st->plan, "moveTo");

	strbuf_init(&sb);
	if (move)
		strbuf_printf(&sb,
			      "Move the services from %s to %s, an existing revision that passes: "
			      "nothing is registered",
			      views_td_short(jsonx_str(st->plan, "target")), views_td_short(move));
	else
		strbuf_printf(&sb, "Register a new revision of %s from %s with privileged=false",
			      views_str(st->plan, "family", "?"),
			      views_td_short(jsonx_str(st->plan, "target")));
	if (st->opt_user)
		strbuf_printf(&sb, ", user %s", st->opt_user);
	if (st->opt_netmode)
		strbuf_printf(&sb, ", network mode %s", st->opt_netmode);
	strbuf_puts(&sb, ".\n");
	views_approval_services(st, &sb);
	strbuf_puts(&sb, "Each update is followed to the end of its rollout. Old revisions stay "
			 "registered; a failed rollout offers a rollback.");
	return strbuf_take(&sb);
}

/* ---- the diff ---- */

static void views_diff_text(struct tui_view_state *v, const char *diff)
{
	for (const char *line = diff; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xstrndup(line, len);
		enum tui_role role = TUI_ROLE_NORMAL;

		if (strncmp(l, "+++", 3) == 0 || strncmp(l, "---", 3) == 0)
			role = TUI_ROLE_TITLE;
		else if (l[0] == '+')
			role = TUI_ROLE_ADD;
		else if (l[0] == '-')
			role = TUI_ROLE_DEL;
		else if (l[0] == '@')
			role = TUI_ROLE_HUNK;
		tui_list_add(&v->list, role, NULL, (const char *const *)&l, 1);
		free(l);
		line = nl ? nl + 1 : NULL;
	}
}

static void views_diff_services(struct tui_state *st, struct tui_view_state *v)
{
	json_object *svcs = jsonx_array(st->plan, "services");
	json_object *skipped = jsonx_array(st->plan, "skipped");
	const char *move = jsonx_str(st->plan, "moveTo");

	tui_state_line(st, v, TUI_ROLE_TITLE, "Services on %s (every cluster) that will move to %s",
		       views_td_short(jsonx_str(st->plan, "target")),
		       move ? views_td_short(move) : "the fixed revision");
	for (size_t i = 0; i < views_len(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);

		tui_state_line(st, v, views_selected(s) ? TUI_ROLE_NORMAL : TUI_ROLE_DIM,
			       "  [%c] %s/%s (running %lld / desired %lld)%s",
			       views_selected(s) ? 'x' : ' ', views_str(s, "cluster", "?"),
			       views_str(s, "name", "?"),
			       (long long)jsonx_int(s, "runningCount", 0),
			       (long long)jsonx_int(s, "desiredCount", 0),
			       views_selected(s) ? "" : "  left out");
	}
	if (views_len(svcs) == 0)
		tui_state_line(st, v, TUI_ROLE_DIM, "  (none: only a new revision is registered)");
	for (size_t i = 0; i < views_len(skipped); i++) {
		json_object *s = json_object_array_get_idx(skipped, i);

		tui_state_line(st, v, TUI_ROLE_WARN, "  [-] skipped %s/%s: %s",
			       views_str(s, "cluster", "?"), views_str(s, "name", "?"),
			       views_str(s, "reason", "not moved"));
	}
}

/* The key line under the diff, from the key table (what is offered now). */
static void views_diff_keys(struct tui_state *st, struct tui_view_state *v)
{
	static const struct {
		enum tui_action a;
		const char *label;
	} keys[] = {{TUI_ACT_SET_USER, "user"},
		    {TUI_ACT_SET_NETWORK, "network mode"},
		    {TUI_ACT_SET_CAPS, "capabilities"},
		    {TUI_ACT_WRITE_PLAN, "write plan"},
		    {TUI_ACT_WRITE_MESSAGE, "message for the owner"},
		    {TUI_ACT_EXCEPTION, "exception"},
		    {TUI_ACT_APPROVE, "approve"},
		    {TUI_ACT_BACK, "back"}};
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char k[64], *sp;

		if (st->read_only && (tui_action_flags(keys[i].a) & TUI_AF_WRITES))
			continue;
		if (keys[i].a == TUI_ACT_APPROVE && !views_plan_changes(st))
			continue;
		keymap_keys_for(TUI_CTX_DIFF, keys[i].a, k, sizeof k);
		if (k[0] == '\0')
			keymap_keys_for(TUI_CTX_GLOBAL, keys[i].a, k, sizeof k);
		if ((sp = strchr(k, ' ')) != NULL)
			*sp = '\0';
		strbuf_printf(&sb, "%s%s: %s", sb.len ? "  " : "", k, keys[i].label);
	}
	tui_state_line(st, v, TUI_ROLE_DIM, "%s", sb.buf ? sb.buf : "");
	strbuf_done(&sb);
}

static void views_diff_build(struct tui_state *st, struct tui_view_state *v)
{
	json_object *p = st->plan;

	tui_state_line(st, v, TUI_ROLE_DIM, "Options: user %s   network mode %s%s%s%s%s%s%s",
		       st->opt_user ? st->opt_user : "(keep)",
		       st->opt_netmode ? st->opt_netmode : "(keep)",
		       st->opt_subnets ? "  subnets " : "", st->opt_subnets ? st->opt_subnets : "",
		       st->opt_secgroups ? "  security groups " : "",
		       st->opt_secgroups ? st->opt_secgroups : "",
		       st->opt_caps ? "  capabilities " : "", st->opt_caps ? st->opt_caps : "");
	if (st->job == TUI_JOB_PLAN)
		tui_state_line(st, v, TUI_ROLE_DIM, "Computing the proposed revision...");
	if (p == NULL) {
		if (st->job != TUI_JOB_PLAN)
			tui_state_line(st, v, TUI_ROLE_WARN, "No plan: %s",
				       st->status ? st->status : "it could not be computed");
		return;
	}
	if (st->plan_applied)
		tui_state_line(st, v, TUI_ROLE_WARN,
			       "This plan was applied (w shows the change). Press d to plan again "
			       "from the account as it is now.");
	if (jsonx_str(p, "moveTo"))
		tui_state_line(st, v, TUI_ROLE_GOOD,
			       "Move to %s: a newer revision of the family already passes. The "
			       "services move to it and nothing is registered (re-registering from "
			       "%s would drop what changed since).",
			       views_td_short(jsonx_str(p, "moveTo")),
			       views_td_short(jsonx_str(p, "target")));
	if (!views_plan_changes(st))
		tui_state_line(st, v, TUI_ROLE_GOOD,
			       "Nothing to change: no container of %s is privileged and the "
			       "options change nothing. No approval is needed.",
			       views_str(p, "family", "this revision"));
	views_diff_text(v, jsonx_str(p, "diff"));
	views_checks(st, v, jsonx_array(p, "checksBefore"), "Rule results before");
	views_checks(st, v, jsonx_array(p, "checksAfter"), "Rule results after");
	views_notes(st, v, jsonx_array(p, "notes"), NULL);
	views_diff_services(st, v);
	views_diff_keys(st, v);
}

static char *views_diff_title(const struct tui_state *st, const struct tui_view_state *v)
{
	const char *move = jsonx_str(st->plan, "moveTo");

	if (move)
		return xasprintf("Diff: %s -> %s", views_str(st->plan, "family", "?"),
				 views_td_short(move));
	return xasprintf("Diff: %s -> fixed revision",
			 st->plan ? views_str(st->plan, "family", views_td_short(v->subject))
				  : views_td_short(v->subject));
}

static unsigned views_diff_network(struct tui_state *st)
{
	if (st->opt_netmode == NULL) {
		tui_state_set(&st->opt_netmode, "bridge");
	} else if (strcmp(st->opt_netmode, "bridge") == 0) {
		tui_state_set(&st->opt_netmode, "awsvpc");
		tui_state_prompt(st, TUI_PROMPT_SUBNETS, st->opt_subnets);
		return TUI_RX_ALL;
	} else {
		tui_state_set(&st->opt_netmode, NULL);
		tui_state_set(&st->opt_subnets, NULL);
		tui_state_set(&st->opt_secgroups, NULL);
	}
	return tui_state_request_plan(st);
}

static unsigned views_diff_write(struct tui_state *st, const char *what, const char *ext)
{
	char *path;

	if (st->plan == NULL) {
		tui_state_status(st, TUI_ROLE_WARN, NULL, "no plan yet: wait for the diff");
		return TUI_RX_STATUS;
	}
	path =
	    xasprintf("./ecsfix-%s-%s%s", what, views_td_short(jsonx_str(st->plan, "target")), ext);
	for (char *c = path + 2; *c; c++)
		if (*c == ':' || *c == '/')
			*c = '-';
	tui_state_prompt(st, st->fx_message ? TUI_PROMPT_MESSAGE_PATH : TUI_PROMPT_PLAN_PATH, path);
	free(path);
	return TUI_RX_STATUS;
}

static unsigned views_diff_approve(struct tui_state *st)
{
	if (st->job != TUI_JOB_NONE)
		return tui_state_busy(st);
	if (st->plan == NULL) {
		tui_state_status(st, TUI_ROLE_WARN, NULL, "no plan yet: wait for the diff");
		return TUI_RX_STATUS;
	}
	if (st->plan_applied) {
		tui_state_status(
		    st, TUI_ROLE_WARN, NULL,
		    "this plan was applied already (w shows the change); d plans again "
		    "from the account as it is now");
		return TUI_RX_STATUS;
	}
	if (!views_plan_changes(st)) {
		tui_state_status(st, TUI_ROLE_STATUS, NULL,
				 "nothing to change: there is nothing to approve");
		return TUI_RX_STATUS;
	}
	st->approve_cursor = 0;
	tui_state_prompt(st, TUI_PROMPT_APPROVE, NULL);
	return TUI_RX_ALL;
}

/* The approval dialog: choose a service (Up/Down), leave it out or take it back (Space). */
static unsigned views_diff_toggle(struct tui_state *st, enum tui_action a)
{
	json_object *svcs = jsonx_array(st->plan, "services"), *s;
	size_t n = views_len(svcs);

	if (n == 0)
		return TUI_RX_NONE;
	if (a == TUI_ACT_MOVE_UP && st->approve_cursor > 0)
		st->approve_cursor--;
	else if (a == TUI_ACT_MOVE_DOWN && st->approve_cursor + 1 < n)
		st->approve_cursor++;
	else if (a == TUI_ACT_TOGGLE_SERVICE) {
		s = json_object_array_get_idx(svcs,
					      st->approve_cursor < n ? st->approve_cursor : 0);
		json_object_object_add(s, "selected", json_object_new_boolean(!views_selected(s)));
		tui_state_rebuild(st);
	}
	return TUI_RX_ALL;
}

static unsigned views_diff_request(struct tui_state *st, struct tui_view_state *v,
				   enum tui_action a)
{
	(void)v;
	switch (a) {
	case TUI_ACT_TOGGLE_SERVICE:
	case TUI_ACT_MOVE_UP:
	case TUI_ACT_MOVE_DOWN:
		return st->prompt == TUI_PROMPT_APPROVE ? views_diff_toggle(st, a) : TUI_RX_PASS;
	case TUI_ACT_DIFF:
		return TUI_RX_NONE;
	case TUI_ACT_SET_USER:
		tui_state_prompt(st, TUI_PROMPT_USER, st->opt_user ? st->opt_user : "1000");
		return TUI_RX_STATUS;
	case TUI_ACT_SET_NETWORK:
		return views_diff_network(st);
	case TUI_ACT_WRITE_PLAN:
		st->fx_message = 0;
		return views_diff_write(st, "plan", ".json");
	case TUI_ACT_WRITE_MESSAGE:
		st->fx_message = 1;
		return views_diff_write(st, "message", ".md");
	case TUI_ACT_SET_CAPS:
		tui_state_prompt(st, TUI_PROMPT_CAPS, st->opt_caps);
		return TUI_RX_STATUS;
	case TUI_ACT_EXCEPTION:
		if (st->plan == NULL) {
			tui_state_status(st, TUI_ROLE_WARN, NULL, "no plan yet: wait for the diff");
			return TUI_RX_STATUS;
		}
		tui_state_prompt(st, TUI_PROMPT_EXC_REASON, st->exc_reason);
		return TUI_RX_STATUS;
	case TUI_ACT_APPROVE:
		return views_diff_approve(st);
	default:
		return TUI_RX_PASS;
	}
}

/* The options the plan on screen was made with (after a refused choice). */
static void views_diff_restore(struct tui_state *st)
{
	tui_state_set(&st->opt_user, st->shown_user);
	tui_state_set(&st->opt_netmode, st->shown_netmode);
	tui_state_set(&st->opt_subnets, st->shown_subnets);
	tui_state_set(&st->opt_secgroups, st->shown_secgroups);
	tui_state_set(&st->opt_caps, st->shown_caps);
}

static unsigned views_diff_refused(struct tui_state *st, const char *why)
{
	char *text = views_keys_for_flags(why);

	views_diff_restore(st);
	tui_state_status(st, TUI_ROLE_ERROR, NULL, "not applied: %s; %s", text,
			 st->plan ? "the diff keeps the previous choice"
				  : "no diff could be computed");
	free(text);
	return TUI_RX_ALL;
}

static unsigned views_diff_start(struct tui_state *st)
{
	tui_state_set(&st->busy_what, "applying the change");
	st->fx |= TUI_FX_APPLY;
	st->job = TUI_JOB_APPLY;
	st->change_seen = 1;
	st->plan_applied = 1;
	for (size_t i = 0; i < st->nsteps; i++) {
		free(st->steps[i].subject);
		free(st->steps[i].text);
	}
	st->nsteps = 0;
	for (size_t i = 0; i < sizeof st->events / sizeof st->events[0]; i++) {
		free(st->events[i]);
		free(st->messages[i]);
		st->events[i] = st->messages[i] = NULL;
	}
	json_object_put(st->outcome);
	st->outcome = NULL;
	st->change_failed = 0;
	tui_state_status(st, TUI_ROLE_STATUS, NULL, "approved: making the change");
	tui_state_push(st, TUI_VIEW_APPLY, NULL);
	return TUI_RX_ALL;
}

/* YYYY-MM-DD, digits in place (the core checks the calendar). */
static int views_date_ok(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
			return 0;
	return s[sizeof shape - 1] == '\0';
}

/* x: the reason, the last day, then a typed yes. */
static unsigned views_diff_exception(struct tui_state *st, enum tui_prompt_kind k, const char *in)
{
	switch (k) {
	case TUI_PROMPT_EXC_REASON:
		if (in[0] == '\0') {
			tui_state_status(st, TUI_ROLE_WARN, NULL,
					 "an exception needs a reason: nothing was recorded");
			return TUI_RX_ALL;
		}
		tui_state_set(&st->exc_reason, in);
		tui_state_prompt(st, TUI_PROMPT_EXC_UNTIL, st->exc_until);
		return TUI_RX_ALL;
	case TUI_PROMPT_EXC_UNTIL:
		if (!views_date_ok(in)) {
			tui_state_prompt(st, TUI_PROMPT_EXC_UNTIL, in);
			tui_state_status(st, TUI_ROLE_WARN, NULL, "a date as YYYY-MM-DD, please");
			return TUI_RX_ALL;
		}
		tui_state_set(&st->exc_until, in);
		tui_state_prompt(st, TUI_PROMPT_EXC_APPROVE, NULL);
		tui_state_status(st, TUI_ROLE_WARN, NULL,
				 "Security Hub's ECS.4 findings of %s are suppressed until %s: %s",
				 views_str(st->plan, "family", "?"), st->exc_until, st->exc_reason);
		return TUI_RX_ALL;
	case TUI_PROMPT_EXC_APPROVE:
		if (strcmp(in, "yes") != 0) {
			tui_state_prompt(st, TUI_PROMPT_EXC_APPROVE, NULL);
			tui_state_status(st, TUI_ROLE_WARN, NULL,
					 "not approved: type the word yes, or Esc to cancel");
			return TUI_RX_ALL;
		}
		if (st->job != TUI_JOB_NONE)
			return tui_state_busy(st);
		st->fx |= TUI_FX_EXCEPTION;
		st->job = TUI_JOB_EXCEPTION;
		tui_state_set(&st->busy_what, "recording the exception");
		return TUI_RX_ALL;
	default:
		return TUI_RX_ALL;
	}
}

static unsigned views_diff_prompt_done(struct tui_state *st, struct tui_view_state *v,
				       enum tui_prompt_kind k, const char *in)
{
	(void)v;
	if (k == TUI_PROMPT_NONE) /* the plan for the new options failed: in says why */
		return views_diff_refused(st, in ? in : "the plan failed");
	if (in == NULL) { /* cancelled */
		if (k == TUI_PROMPT_SUBNETS || k == TUI_PROMPT_SECGROUPS)
			views_diff_restore(st);
		if (k == TUI_PROMPT_APPROVE || k == TUI_PROMPT_EXC_REASON ||
		    k == TUI_PROMPT_EXC_UNTIL || k == TUI_PROMPT_EXC_APPROVE)
			tui_state_status(st, TUI_ROLE_STATUS, NULL,
					 "cancelled: nothing was changed");
		return TUI_RX_ALL;
	}
	switch (k) {
	case TUI_PROMPT_USER:
		tui_state_set(&st->opt_user, in[0] ? in : NULL);
		return tui_state_request_plan(st);
	case TUI_PROMPT_SUBNETS:
		tui_state_set(&st->opt_subnets, in[0] ? in : NULL);
		tui_state_prompt(st, TUI_PROMPT_SECGROUPS, st->opt_secgroups);
		return TUI_RX_ALL;
	case TUI_PROMPT_SECGROUPS:
		tui_state_set(&st->opt_secgroups, in[0] ? in : NULL);
		return tui_state_request_plan(st);
	case TUI_PROMPT_PLAN_PATH:
	case TUI_PROMPT_MESSAGE_PATH:
		if (in[0] == '\0')
			return TUI_RX_ALL;
		tui_state_set(&st->fx_path, in);
		st->fx_overwrite = 0;
		st->fx |= st->fx_message ? TUI_FX_WRITE_MESSAGE : TUI_FX_WRITE_PLAN;
		return TUI_RX_ALL;
	case TUI_PROMPT_CAPS:
		tui_state_set(&st->opt_caps, in[0] ? in : NULL);
		return tui_state_request_plan(st);
	case TUI_PROMPT_EXC_REASON:
	case TUI_PROMPT_EXC_UNTIL:
	case TUI_PROMPT_EXC_APPROVE:
		return views_diff_exception(st, k, in);
	case TUI_PROMPT_OVERWRITE:
		if (in[0] != 'y') {
			tui_state_status(st, TUI_ROLE_STATUS, NULL,
					 "not written: %s exists (p to choose another name)",
					 st->fx_path ? st->fx_path : "the file");
			return TUI_RX_ALL;
		}
		st->fx_overwrite = 1;
		st->fx |= st->fx_message ? TUI_FX_WRITE_MESSAGE : TUI_FX_WRITE_PLAN;
		return TUI_RX_ALL;
	case TUI_PROMPT_APPROVE:
		if (strcmp(in, "yes") != 0) {
			tui_state_prompt(st, TUI_PROMPT_APPROVE, NULL);
			tui_state_status(st, TUI_ROLE_WARN, NULL,
					 "not approved: type the word yes, or Esc to cancel");
			return TUI_RX_ALL;
		}
		if (st->job != TUI_JOB_NONE)
			return tui_state_busy(st);
		return views_diff_start(st);
	default:
		return TUI_RX_ALL;
	}
}

static const enum tui_action views_diff_hints[] = {
    TUI_ACT_APPROVE,   TUI_ACT_SET_USER,   TUI_ACT_SET_NETWORK,
    TUI_ACT_SET_CAPS,  TUI_ACT_WRITE_PLAN, TUI_ACT_WRITE_MESSAGE,
    TUI_ACT_EXCEPTION, TUI_ACT_BACK,       TUI_ACT_HELP};

static int views_diff_offers(const struct tui_state *st, enum tui_action a)
{
	return a != TUI_ACT_APPROVE || views_plan_changes(st);
}

static const struct tui_column views_text_cols[] = {{"", 10, 1, 0, 0, 0, 0}};

const struct tui_view_ops views_diff_ops = {
    .id = TUI_VIEW_DIFF,
    .name = "diff",
    .cols = views_text_cols,
    .ncols = 1,
    .ctx = TUI_CTX_DIFF,
    .build = views_diff_build,
    .title = views_diff_title,
    .request = views_diff_request,
    .prompt_done = views_diff_prompt_done,
    .hints = views_diff_hints,
    .nhints = sizeof views_diff_hints / sizeof views_diff_hints[0],
    .offers = views_diff_offers,
};

/* ---- the change ---- */

static void views_bar(char *buf, size_t len, long done, long total)
{
	size_t w = 20, fill = total > 0 && done > 0 ? (size_t)(done * (long)w / total) : 0;

	if (fill > w)
		fill = w;
	if (len < w + 3)
		return;
	buf[0] = '[';
	for (size_t i = 0; i < w; i++)
		buf[1 + i] = i < fill ? '#' : '.';
	buf[w + 1] = ']';
	buf[w + 2] = '\0';
}

static void views_apply_steps(struct tui_state *st, struct tui_view_state *v)
{
	static const char *const marks[] = {"[ ]", "[>]", "[x]", "[!]"};

	for (size_t i = 0; i < st->nsteps; i++) {
		const struct tui_step *s = &st->steps[i];
		enum tui_role role = s->state == TUI_STEP_FAILED ? TUI_ROLE_BAD
				     : s->state == TUI_STEP_DONE ? TUI_ROLE_GOOD
								 : TUI_ROLE_NORMAL;
		const char *mark = (unsigned)s->state < 4 ? marks[s->state] : "[?]";

		if (s->kind == TUI_STEP_ROLLOUT) {
			char bar[32] = "";

			views_bar(bar, sizeof bar, s->running, s->desired);
			tui_state_line(st, v, role, "%s rollout %s %s %ld/%ld running  %s", mark,
				       s->subject, bar, s->running, s->desired,
				       s->text ? s->text : "");
		} else {
			tui_state_line(st, v, role, "%s %s %s: %s", mark,
				       s->kind == TUI_STEP_REGISTER ? "register" : "update",
				       s->subject, s->text ? s->text : "");
		}
	}
}

static void views_apply_ring(struct tui_state *st, struct tui_view_state *v, char *const *ring,
			     size_t n, const char *title)
{
	if (ring[0] == NULL)
		return;
	tui_state_line(st, v, TUI_ROLE_TITLE, "%s", title);
	for (size_t i = 0; i < n; i++)
		if (ring[i])
			tui_state_line(st, v, TUI_ROLE_DIM, "  %s", ring[i]);
}

/* After the rollouts: what each service runs now, and what Security Hub will do. */
static void views_apply_verify(struct tui_state *st, struct tui_view_state *v, json_object *vf)
{
	json_object *lines = jsonx_array(vf, "lines");

	if (vf == NULL) {
		if (jsonx_str(st->outcome, "verifyError"))
			tui_state_line(st, v, TUI_ROLE_WARN, "Verification failed: %s",
				       jsonx_str(st->outcome, "verifyError"));
		return;
	}
	tui_state_line(st, v, TUI_ROLE_TITLE, "Verification (read back from the account)");
	for (size_t i = 0; i < views_len(lines); i++) {
		const char *l = json_object_get_string(json_object_array_get_idx(lines, i));

		tui_state_line(st, v,
			       l && (strstr(l, "FAILED") || strstr(l, "falsely")) ? TUI_ROLE_BAD
										  : TUI_ROLE_NORMAL,
			       "  %s", l ? l : "");
	}
}

/* What to do next, by outcome: CI advice only when everything moved and passes; after a
 * failure, the truth, the rollback and the deregistration offers. */
static void views_apply_next(struct tui_state *st, struct tui_view_state *v, const char *status)
{
	json_object *vf = jsonx_obj(st->outcome, "verify");
	int ok = strcmp(status, "COMPLETED") == 0 || strcmp(status, "NOT_FOLLOWED") == 0;
	const char *src = views_td_short(jsonx_str(st->plan, "target"));
	const char *nw = views_td_short(jsonx_str(st->outcome, "newTaskDefinition"));
	const char *failed = jsonx_str(vf, "failedNewArn");

	if (vf ? jsonx_bool(vf, "cicdAdvice") == 1 : ok) {
		tui_state_line(st, v, TUI_ROLE_TITLE,
			       "Next: make the fix permanent in CI/CD: run 'ecsfix lint --fix' on "
			       "the task definition files in your repository, or the next deploy "
			       "brings privileged back.");
		return;
	}
	if (ok)
		return;
	if (vf == NULL) /* the verification says it otherwise */
		tui_state_line(st, v, TUI_ROLE_WARN,
			       "The services still run %s, which is privileged: nothing is fixed.",
			       src);
	if (jsonx_str(st->outcome, "newTaskDefinition") && vf == NULL)
		tui_state_line(st, v, TUI_ROLE_WARN,
			       "%s is now the family's latest ACTIVE revision: Security Hub "
			       "evaluates that one and will show ECS.4 PASSED while the services "
			       "run %s.",
			       nw, src);
	if (st->change_failed && !st->read_only)
		tui_state_line(st, v, TUI_ROLE_WARN,
			       "b: roll the services back to their old revision   Esc: leave them "
			       "as they are");
	if (failed && !st->read_only)
		tui_state_line(st, v, TUI_ROLE_WARN,
			       "D: deregister %s (no service runs it), so that Security Hub "
			       "evaluates the revision the services run",
			       views_td_short(failed));
}

static void views_apply_build(struct tui_state *st, struct tui_view_state *v)
{
	json_object *o = st->outcome;

	views_apply_steps(st, v);
	views_apply_ring(st, v, st->events, sizeof st->events / sizeof st->events[0],
			 "ECS service events");
	views_apply_ring(st, v, st->messages, sizeof st->messages / sizeof st->messages[0],
			 "ecsfix");
	if (tui_state_busy_changing(st)) {
		tui_state_line(st, v, TUI_ROLE_DIM,
			       "Working... (Esc leaves this view, w brings it back; q asks before "
			       "quitting)");
		return;
	}
	if (o == NULL)
		return;
	tui_state_line(st, v,
		       strcmp(views_str(o, "status", ""), "COMPLETED") == 0 ||
			       strcmp(views_str(o, "status", ""), "NOT_FOLLOWED") == 0
			   ? TUI_ROLE_GOOD
			   : TUI_ROLE_BAD,
		       "Outcome: %s  %s", views_str(o, "status", "?"), views_str(o, "message", ""));
	if (jsonx_str(o, "newTaskDefinition"))
		tui_state_line(st, v, TUI_ROLE_NORMAL, "New revision: %s",
			       views_td_short(jsonx_str(o, "newTaskDefinition")));
	views_apply_verify(st, v, jsonx_obj(o, "verify"));
	views_apply_next(st, v, views_str(o, "status", ""));
	tui_state_line(st, v, TUI_ROLE_DIM, "r: scan again   Esc: back (w brings this view back)");
}

static char *views_apply_title(const struct tui_state *st, const struct tui_view_state *v)
{
	(void)v;
	return xasprintf("Change: %s", st->plan ? views_str(st->plan, "family", "?") : "(no plan)");
}

static unsigned views_apply_request(struct tui_state *st, struct tui_view_state *v,
				    enum tui_action a)
{
	(void)v;
	if (a == TUI_ACT_DEREGISTER) {
		const char *arn = jsonx_str(jsonx_obj(st->outcome, "verify"), "failedNewArn");

		if (st->job != TUI_JOB_NONE)
			return tui_state_busy(st);
		if (arn == NULL) {
			tui_state_status(st, TUI_ROLE_WARN, NULL, "nothing to deregister");
			return TUI_RX_STATUS;
		}
		tui_state_prompt(st, TUI_PROMPT_DEREGISTER, NULL);
		tui_state_status(st, TUI_ROLE_WARN, NULL, "deregister %s?", views_td_short(arn));
		return TUI_RX_ALL;
	}
	if (a != TUI_ACT_ROLLBACK)
		return TUI_RX_PASS;
	if (st->job != TUI_JOB_NONE)
		return tui_state_busy(st);
	if (!st->change_failed || st->plan == NULL) {
		tui_state_status(st, TUI_ROLE_WARN, NULL, "nothing to roll back");
		return TUI_RX_STATUS;
	}
	st->change_failed = 0;
	st->fx |= TUI_FX_ROLLBACK;
	st->job = TUI_JOB_ROLLBACK;
	tui_state_set(&st->busy_what, "rolling back");
	tui_state_rebuild(st);
	return TUI_RX_ALL;
}

static unsigned views_apply_prompt_done(struct tui_state *st, struct tui_view_state *v,
					enum tui_prompt_kind k, const char *in)
{
	(void)v;
	if (k != TUI_PROMPT_DEREGISTER)
		return TUI_RX_ALL;
	if (in == NULL) {
		tui_state_status(st, TUI_ROLE_STATUS, NULL, "cancelled: nothing was deregistered");
		return TUI_RX_ALL;
	}
	if (strcmp(in, "yes") != 0) {
		tui_state_prompt(st, TUI_PROMPT_DEREGISTER, NULL);
		tui_state_status(st, TUI_ROLE_WARN, NULL,
				 "not approved: type the word yes, or Esc to cancel");
		return TUI_RX_ALL;
	}
	if (st->job != TUI_JOB_NONE)
		return tui_state_busy(st);
	st->fx |= TUI_FX_DEREGISTER;
	st->job = TUI_JOB_DEREGISTER;
	tui_state_set(&st->busy_what, "deregistering");
	return TUI_RX_ALL;
}

static const enum tui_action views_apply_hints[] = {TUI_ACT_ROLLBACK, TUI_ACT_DEREGISTER,
						    TUI_ACT_REFRESH, TUI_ACT_BACK, TUI_ACT_QUIT};

static int views_apply_offers(const struct tui_state *st, enum tui_action a)
{
	if (a == TUI_ACT_ROLLBACK)
		return st->change_failed && st->job == TUI_JOB_NONE;
	if (a == TUI_ACT_DEREGISTER)
		return jsonx_str(jsonx_obj(st->outcome, "verify"), "failedNewArn") != NULL;
	if (a == TUI_ACT_REFRESH)
		return !tui_state_busy_changing(st);
	return 1;
}

const struct tui_view_ops views_apply_ops = {
    .id = TUI_VIEW_APPLY,
    .name = "apply",
    .cols = views_text_cols,
    .ncols = 1,
    .ctx = TUI_CTX_APPLY,
    .build = views_apply_build,
    .title = views_apply_title,
    .request = views_apply_request,
    .prompt_done = views_apply_prompt_done,
    .hints = views_apply_hints,
    .nhints = sizeof views_apply_hints / sizeof views_apply_hints[0],
    .offers = views_apply_offers,
};
