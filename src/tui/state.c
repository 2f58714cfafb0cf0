/* state.c: the TUI state machine: actions and worker events in, redraw flags and effects
 * out. Pure: no curses, no I/O (the loop in tui.c performs the effects). */
#include "config.h"

#include "tui/state.h"
#include "tui/backend.h"
#include "tui/views.h"

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_view_names[] = {
#define X(id, name) name,
    TUI_VIEWS(X)
#undef X
};

const char *tui_view_name(enum tui_view_id id)
{
	return (unsigned)id < TUI_VIEW__COUNT ? state_view_names[id] : "?";
}

static void state_set(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

static void state_status(struct tui_state *st, enum tui_role role, const char *hint,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void state_status(struct tui_state *st, enum tui_role role, const char *hint,
			 const char *fmt, ...)
{
	va_list ap;

	free(st->status);
	va_start(ap, fmt);
	st->status = xvasprintf(fmt, ap);
	va_end(ap);
	state_set(&st->hint, hint);
	st->status_role = role;
}

void tui_state_rows_clear(struct tui_state *st)
{
	const struct tui_view_ops *ops = views_get(tui_state_view(st)->id);

	for (size_t i = 0; i < st->nrows; i++) {
		for (size_t c = 0; c < ops->ncols; c++)
			free(st->rowv[i].cells[c]);
		free(st->rowv[i].cells);
		free(st->rowv[i].ref);
	}
	st->nrows = 0;
}

struct tui_row *tui_state_row_add(struct tui_state *st, enum tui_role role, const char *ref,
				  size_t n, ...)
{
	const struct tui_view_ops *ops = views_get(tui_state_view(st)->id);
	struct tui_row *r;
	va_list ap;

	if (st->nrows == st->rowcap) {
		st->rowcap = st->rowcap ? st->rowcap * 2 : 64;
		st->rowv = xreallocarray(st->rowv, st->rowcap, sizeof *st->rowv);
	}
	r = &st->rowv[st->nrows++];
	r->role = role;
	r->ref = ref ? xstrdup(ref) : NULL;
	r->cells = xcalloc(ops->ncols, sizeof *r->cells);
	va_start(ap, n);
	for (size_t i = 0; i < ops->ncols; i++) {
		const char *s = i < n ? va_arg(ap, const char *) : "";

		r->cells[i] = xstrdup(s ? s : "");
	}
	va_end(ap);
	return r;
}

const struct tui_view_state *tui_state_view(const struct tui_state *st)
{
	return &st->stack[st->depth - 1];
}

static struct tui_view_state *state_top(struct tui_state *st)
{
	return &st->stack[st->depth - 1];
}

int tui_state_page(const struct tui_state *st)
{
	const struct tui_view_ops *ops = views_get(tui_state_view(st)->id);
	int page = st->rows - 3 - (ops->list ? 1 : 0);

	return page > 1 ? page : 1;
}

/* Keeps the selection (lists) or the scroll offset (texts) in range and visible. */
static void state_clamp(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);
	const struct tui_view_ops *ops = views_get(v->id);
	size_t page = (size_t)tui_state_page(st);

	if (!ops->list) {
		size_t max = st->nrows > page ? st->nrows - page : 0;

		if (v->top > max)
			v->top = max;
		v->sel = v->top;
		return;
	}
	if (st->nrows == 0) {
		v->sel = v->top = 0;
		return;
	}
	if (v->sel >= st->nrows)
		v->sel = st->nrows - 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + page)
		v->top = v->sel - page + 1;
	if (st->nrows > page && v->top > st->nrows - page)
		v->top = st->nrows - page;
	if (st->nrows <= page)
		v->top = 0;
}

static void state_rebuild(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);

	tui_state_rows_clear(st);
	views_get(v->id)->build(st, v);
	state_clamp(st);
}

/* Rebuilds a growing text view, staying at its end if it was there (tail -f). */
static void state_follow(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);
	size_t page = (size_t)tui_state_page(st);
	int at_end = v->top + page >= st->nrows;

	state_rebuild(st);
	if (at_end && st->nrows > page)
		v->top = st->nrows - page;
}

static void state_push(struct tui_state *st, enum tui_view_id id, const char *subject)
{
	struct tui_view_state *v;

	tui_state_rows_clear(st);
	if (st->depth == sizeof st->stack / sizeof st->stack[0]) {
		free(st->stack[1].subject);
		free(st->stack[1].filter);
		memmove(&st->stack[1], &st->stack[2], (st->depth - 2) * sizeof st->stack[0]);
		st->depth--;
	}
	v = &st->stack[st->depth++];
	memset(v, 0, sizeof *v);
	v->id = id;
	v->subject = subject ? xstrdup(subject) : NULL;
	state_rebuild(st);
}

static void state_pop(struct tui_state *st)
{
	struct tui_view_state *v;

	if (st->depth <= 1)
		return;
	tui_state_rows_clear(st);
	v = state_top(st);
	free(v->subject);
	free(v->filter);
	st->depth--;
	state_rebuild(st);
}

static void state_home(struct tui_state *st, enum tui_view_id id)
{
	while (st->depth > 1)
		state_pop(st);
	tui_state_rows_clear(st);
	free(st->stack[0].filter);
	st->stack[0].filter = NULL;
	st->stack[0].id = id;
	st->stack[0].sel = st->stack[0].top = 0;
	state_rebuild(st);
}

void tui_state_init(struct tui_state *st, int read_only, int rows, int cols)
{
	memset(st, 0, sizeof *st);
	st->read_only = read_only;
	st->rows = rows;
	st->cols = cols;
	st->depth = 1;
	st->stack[0].id = TUI_VIEW_SERVICES;
	if (read_only)
		state_status(st, TUI_ROLE_WARN, NULL,
			     "read-only: actions that change the account are disabled");
}

static void state_steps_clear(struct tui_state *st)
{
	for (size_t i = 0; i < st->nsteps; i++) {
		free(st->steps[i].subject);
		free(st->steps[i].text);
	}
	free(st->steps);
	st->steps = NULL;
	st->nsteps = 0;
	for (size_t i = 0; i < sizeof st->events / sizeof st->events[0]; i++) {
		free(st->events[i]);
		st->events[i] = NULL;
	}
	json_object_put(st->outcome);
	st->outcome = NULL;
	st->change_failed = 0;
}

void tui_state_done(struct tui_state *st)
{
	while (st->depth > 1)
		state_pop(st);
	tui_state_rows_clear(st);
	free(st->stack[0].filter);
	free(st->stack[0].subject);
	free(st->rowv);
	free(st->profile);
	free(st->region);
	free(st->account);
	free(st->endpoint);
	json_object_put(st->report);
	json_object_put(st->td_by_arn);
	json_object_put(st->svc_by_arn);
	json_object_put(st->plan);
	free(st->plan_target);
	free(st->opt_user);
	free(st->opt_netmode);
	free(st->opt_subnets);
	free(st->opt_secgroups);
	free(st->status);
	free(st->hint);
	free(st->busy_what);
	state_steps_clear(st);
	free(st->fx_path);
	memset(st, 0, sizeof *st);
}

enum tui_context tui_state_context(const struct tui_state *st)
{
	if (st->prompt != TUI_PROMPT_NONE)
		return TUI_CTX_PROMPT;
	return views_get(tui_state_view(st)->id)->ctx;
}

const struct tui_column *tui_state_columns(const struct tui_state *st, size_t *ncols)
{
	const struct tui_view_ops *ops = views_get(tui_state_view(st)->id);

	*ncols = ops->ncols;
	return ops->cols;
}

int tui_state_busy_changing(const struct tui_state *st)
{
	return st->job == TUI_JOB_APPLY || st->job == TUI_JOB_ROLLBACK;
}

const char *tui_state_prompt_label(const struct tui_state *st)
{
	switch (st->prompt) {
	case TUI_PROMPT_FILTER:
		return "/";
	case TUI_PROMPT_COMMAND:
		return ":";
	case TUI_PROMPT_USER:
		return "Run the containers as user (uid[:gid] or name, empty: keep): ";
	case TUI_PROMPT_SUBNETS:
		return "awsvpc subnets (comma list): ";
	case TUI_PROMPT_SECGROUPS:
		return "awsvpc security groups (comma list): ";
	case TUI_PROMPT_PLAN_PATH:
		return "Write the plan to: ";
	case TUI_PROMPT_APPROVE:
		return "Type yes and Enter to make the change, Esc cancels: ";
	case TUI_PROMPT_QUIT:
		return "A change is in flight. Quit anyway (it is cancelled)? y/n: ";
	case TUI_PROMPT_NONE:
		break;
	}
	return "";
}

char *tui_state_approval_text(const struct tui_state *st)
{
	struct strbuf sb;
	json_object *svcs = jsonx_array(st->plan, "services");
	size_t n = svcs ? json_object_array_length(svcs) : 0;

	strbuf_init(&sb);
	strbuf_printf(&sb, "Register a new revision of %s from %s with privileged=false",
		      jsonx_str(st->plan, "family") ? jsonx_str(st->plan, "family") : "?",
		      views_td_short(jsonx_str(st->plan, "target")));
	if (st->opt_user)
		strbuf_printf(&sb, ", user %s", st->opt_user);
	if (st->opt_netmode)
		strbuf_printf(&sb, ", network mode %s", st->opt_netmode);
	strbuf_puts(&sb, ".\n");
	if (n == 0)
		strbuf_puts(&sb, "No service is updated.\n");
	for (size_t i = 0; i < n && i < 6; i++) {
		json_object *s = json_object_array_get_idx(svcs, i);

		strbuf_printf(&sb, "Update %s/%s to it and follow the rollout (%lld tasks).\n",
			      jsonx_str(s, "cluster") ? jsonx_str(s, "cluster") : "?",
			      jsonx_str(s, "name") ? jsonx_str(s, "name") : "?",
			      (long long)jsonx_int(s, "desiredCount", 0));
	}
	if (n > 6)
		strbuf_printf(&sb, "... and %zu more services.\n", n - 6);
	strbuf_puts(&sb, "Old revisions stay registered; a failed rollout offers a rollback.");
	{
		char *out = strbuf_take(&sb);

		strbuf_done(&sb);
		return out;
	}
}

void tui_state_hints(const struct tui_state *st, char *buf, size_t len)
{
	static const enum tui_action list_hints[] = {TUI_ACT_OPEN,    TUI_ACT_DIFF, TUI_ACT_FILTER,
						     TUI_ACT_COMMAND, TUI_ACT_HELP, TUI_ACT_QUIT};
	static const enum tui_action diff_hints[] = {TUI_ACT_SET_USER, TUI_ACT_SET_NETWORK,
						     TUI_ACT_WRITE_PLAN, TUI_ACT_APPROVE,
						     TUI_ACT_BACK};
	static const enum tui_action apply_hints[] = {TUI_ACT_ROLLBACK, TUI_ACT_BACK, TUI_ACT_QUIT};
	enum tui_context ctx = tui_state_context(st);
	const enum tui_action *h = list_hints;
	size_t n = sizeof list_hints / sizeof list_hints[0], used = 0;

	if (ctx == TUI_CTX_DIFF) {
		h = diff_hints;
		n = sizeof diff_hints / sizeof diff_hints[0];
	} else if (ctx == TUI_CTX_APPLY) {
		h = apply_hints;
		n = sizeof apply_hints / sizeof apply_hints[0];
	}
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char keys[64], *sp;
		int w;

		if (st->read_only && (tui_action_flags(h[i]) & TUI_AF_WRITES))
			continue;
		keymap_keys_for(ctx, h[i], keys, sizeof keys);
		if (keys[0] == '\0')
			keymap_keys_for(TUI_CTX_GLOBAL, h[i], keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		sp = strchr(keys, ' ');
		if (sp)
			*sp = '\0';
		w = snprintf(buf + used, len - used, "%s%s %s", used ? "  " : "", keys,
			     tui_action_name(h[i]));
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* The ARN the diff is about: the selected service or task definition, or the detail's. */
static const char *state_target(const struct tui_state *st)
{
	const struct tui_view_state *v = tui_state_view(st);

	switch (v->id) {
	case TUI_VIEW_SERVICES:
	case TUI_VIEW_TASKDEFS:
	case TUI_VIEW_FINDINGS:
		return st->nrows ? st->rowv[v->sel].ref : NULL;
	case TUI_VIEW_DETAIL:
	case TUI_VIEW_DIFF:
		return v->subject;
	default:
		return NULL;
	}
}

static unsigned state_request_plan(struct tui_state *st)
{
	if (st->job != TUI_JOB_NONE && st->job != TUI_JOB_PLAN) {
		state_status(st, TUI_ROLE_WARN, NULL, "busy; the diff is recomputed when done");
	}
	json_object_put(st->plan);
	st->plan = NULL;
	st->fx |= TUI_FX_PLAN;
	st->job = TUI_JOB_PLAN;
	state_set(&st->busy_what, "computing the plan");
	if (tui_state_view(st)->id == TUI_VIEW_DIFF)
		state_rebuild(st);
	return TUI_RX_ALL;
}

static unsigned state_open_diff(struct tui_state *st)
{
	const char *target = state_target(st);
	char *t;

	if (target == NULL) {
		state_status(st, TUI_ROLE_WARN, NULL,
			     "select a service or a task definition first, then d");
		return TUI_RX_STATUS;
	}
	if (tui_state_view(st)->id == TUI_VIEW_DIFF)
		return TUI_RX_NONE;
	t = xstrdup(target);
	if (st->plan_target == NULL || strcmp(st->plan_target, t) != 0) {
		state_set(&st->plan_target, t);
		state_set(&st->opt_user, NULL);
		state_set(&st->opt_netmode, NULL);
		state_set(&st->opt_subnets, NULL);
		state_set(&st->opt_secgroups, NULL);
		json_object_put(st->plan);
		st->plan = NULL;
	}
	state_push(st, TUI_VIEW_DIFF, t);
	free(t);
	if (st->plan == NULL && st->job != TUI_JOB_PLAN)
		state_request_plan(st);
	return TUI_RX_ALL;
}

static void state_prompt(struct tui_state *st, enum tui_prompt_kind k, const char *init)
{
	st->prompt = k;
	st->input_len = 0;
	st->input[0] = '\0';
	if (init) {
		snprintf(st->input, sizeof st->input, "%s", init);
		st->input_len = strlen(st->input);
	}
}

static unsigned state_move(struct tui_state *st, long delta)
{
	struct tui_view_state *v = state_top(st);
	const struct tui_view_ops *ops = views_get(v->id);
	size_t *pos = ops->list ? &v->sel : &v->top;

	if (delta < 0 && (size_t)-delta > *pos)
		*pos = 0;
	else if (delta < 0)
		*pos -= (size_t)-delta;
	else
		*pos += (size_t)delta;
	if (*pos >= st->nrows)
		*pos = st->nrows ? st->nrows - 1 : 0;
	state_clamp(st);
	return TUI_RX_BODY;
}

static unsigned state_open(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);
	const char *ref;
	char *copy;

	if (!views_get(v->id)->list || st->nrows == 0)
		return TUI_RX_NONE;
	ref = st->rowv[v->sel].ref;
	if (ref == NULL) {
		state_status(st, TUI_ROLE_WARN, NULL, "nothing to open here");
		return TUI_RX_STATUS;
	}
	copy = xstrdup(ref);
	if (v->id == TUI_VIEW_CLUSTERS) {
		state_push(st, TUI_VIEW_SERVICES, NULL);
		state_top(st)->filter = copy;
		state_rebuild(st);
		return TUI_RX_ALL;
	}
	state_push(st, TUI_VIEW_DETAIL, copy);
	free(copy);
	return TUI_RX_ALL;
}

static unsigned state_dispatch(struct tui_state *st, enum tui_action a);

static unsigned state_command(struct tui_state *st, const char *cmd)
{
	enum tui_action a;

	while (*cmd == ':' || *cmd == ' ')
		cmd++;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "q!") == 0)
		cmd = "quit";
	a = tui_action_from_name(cmd);
	if (a == TUI_ACT_NONE || a >= TUI_ACT_PROMPT_ACCEPT) {
		state_status(st, TUI_ROLE_ERROR, ":services :clusters :taskdefs :findings :quit",
			     "unknown command: %s", cmd);
		return TUI_RX_STATUS;
	}
	return state_dispatch(st, a);
}

static unsigned state_prompt_accept(struct tui_state *st)
{
	enum tui_prompt_kind k = st->prompt;
	const char *in = st->input;

	st->prompt = TUI_PROMPT_NONE;
	switch (k) {
	case TUI_PROMPT_FILTER:
		return TUI_RX_ALL;
	case TUI_PROMPT_COMMAND: {
		char cmd[sizeof st->input];

		snprintf(cmd, sizeof cmd, "%s", in);
		return TUI_RX_ALL | state_command(st, cmd);
	}
	case TUI_PROMPT_USER:
		state_set(&st->opt_user, in[0] ? in : NULL);
		return state_request_plan(st);
	case TUI_PROMPT_SUBNETS:
		state_set(&st->opt_subnets, in[0] ? in : NULL);
		state_prompt(st, TUI_PROMPT_SECGROUPS, st->opt_secgroups);
		return TUI_RX_ALL;
	case TUI_PROMPT_SECGROUPS:
		state_set(&st->opt_secgroups, in[0] ? in : NULL);
		return state_request_plan(st);
	case TUI_PROMPT_PLAN_PATH:
		if (in[0] == '\0')
			return TUI_RX_ALL;
		state_set(&st->fx_path, in);
		st->fx |= TUI_FX_WRITE_PLAN;
		return TUI_RX_ALL;
	case TUI_PROMPT_APPROVE:
		if (strcmp(in, "yes") != 0) {
			state_prompt(st, TUI_PROMPT_APPROVE, NULL);
			state_status(st, TUI_ROLE_WARN, NULL,
				     "not approved: type the word yes, or Esc to cancel");
			return TUI_RX_ALL;
		}
		state_steps_clear(st);
		st->fx |= TUI_FX_APPLY;
		st->job = TUI_JOB_APPLY;
		state_set(&st->busy_what, "applying the change");
		state_status(st, TUI_ROLE_STATUS, NULL, "approved: making the change");
		state_push(st, TUI_VIEW_APPLY, NULL);
		return TUI_RX_ALL;
	case TUI_PROMPT_QUIT:
		if (in[0] == 'y' || in[0] == 'Y') {
			st->fx |= TUI_FX_CANCEL;
			return TUI_RX_QUIT;
		}
		return TUI_RX_ALL;
	case TUI_PROMPT_NONE:
		break;
	}
	return TUI_RX_ALL;
}

static unsigned state_prompt_cancel(struct tui_state *st)
{
	if (st->prompt == TUI_PROMPT_FILTER) {
		free(state_top(st)->filter);
		state_top(st)->filter = NULL;
		state_rebuild(st);
	}
	if (st->prompt == TUI_PROMPT_SUBNETS || st->prompt == TUI_PROMPT_SECGROUPS) {
		state_set(&st->opt_netmode, NULL);
		state_request_plan(st);
	}
	if (st->prompt == TUI_PROMPT_APPROVE)
		state_status(st, TUI_ROLE_STATUS, NULL, "cancelled: nothing was changed");
	st->prompt = TUI_PROMPT_NONE;
	return TUI_RX_ALL;
}

/* A key typed into the prompt (UTF-8 encoded into the input). */
static unsigned state_prompt_char(struct tui_state *st, int ch)
{
	char enc[5];
	size_t n = 0;

	if (ch < 0x20 || ch == 0x7f || ch >= TUI_KEY_SPECIAL)
		return TUI_RX_NONE;
	if (ch < 0x80) {
		enc[n++] = (char)ch;
	} else if (ch < 0x800) {
		enc[n++] = (char)(0xc0 | (ch >> 6));
		enc[n++] = (char)(0x80 | (ch & 0x3f));
	} else if (ch < 0x10000) {
		enc[n++] = (char)(0xe0 | (ch >> 12));
		enc[n++] = (char)(0x80 | ((ch >> 6) & 0x3f));
		enc[n++] = (char)(0x80 | (ch & 0x3f));
	} else {
		enc[n++] = (char)(0xf0 | (ch >> 18));
		enc[n++] = (char)(0x80 | ((ch >> 12) & 0x3f));
		enc[n++] = (char)(0x80 | ((ch >> 6) & 0x3f));
		enc[n++] = (char)(0x80 | (ch & 0x3f));
	}
	if (st->input_len + n >= sizeof st->input)
		return TUI_RX_NONE;
	memcpy(st->input + st->input_len, enc, n);
	st->input_len += n;
	st->input[st->input_len] = '\0';
	if (st->prompt == TUI_PROMPT_FILTER) {
		state_set(&state_top(st)->filter, st->input);
		state_rebuild(st);
		return TUI_RX_ALL;
	}
	return TUI_RX_STATUS;
}

static unsigned state_prompt_erase(struct tui_state *st)
{
	if (st->input_len == 0)
		return TUI_RX_NONE;
	do
		st->input_len--;
	while (st->input_len > 0 && ((unsigned char)st->input[st->input_len] & 0xc0) == 0x80);
	st->input[st->input_len] = '\0';
	if (st->prompt == TUI_PROMPT_FILTER) {
		state_set(&state_top(st)->filter, st->input_len ? st->input : NULL);
		state_rebuild(st);
		return TUI_RX_ALL;
	}
	return TUI_RX_STATUS;
}

static unsigned state_dispatch(struct tui_state *st, enum tui_action a)
{
	struct tui_view_state *v = state_top(st);
	const struct tui_view_ops *ops = views_get(v->id);

	/* --read-only: the one place where actions that change the account are removed. */
	if (st->read_only && (tui_action_flags(a) & TUI_AF_WRITES)) {
		state_status(st, TUI_ROLE_WARN, "started with --read-only",
			     "read-only: %s is disabled", tui_action_name(a));
		return TUI_RX_STATUS;
	}
	if (st->prompt == TUI_PROMPT_NONE && a != TUI_ACT_NONE) {
		/* A new action: the last message has been seen. */
		free(st->status);
		free(st->hint);
		st->status = st->hint = NULL;
	}
	if (st->prompt != TUI_PROMPT_NONE) {
		if (a == TUI_ACT_PROMPT_ACCEPT)
			return state_prompt_accept(st);
		if (a == TUI_ACT_PROMPT_CANCEL)
			return state_prompt_cancel(st);
		if (a == TUI_ACT_PROMPT_ERASE)
			return state_prompt_erase(st);
		return TUI_RX_NONE;
	}
	switch (a) {
	case TUI_ACT_MOVE_DOWN:
		return state_move(st, 1);
	case TUI_ACT_MOVE_UP:
		return state_move(st, -1);
	case TUI_ACT_PAGE_DOWN:
		return state_move(st, tui_state_page(st));
	case TUI_ACT_PAGE_UP:
		return state_move(st, -(long)tui_state_page(st));
	case TUI_ACT_FIRST:
		return state_move(st, -(long)st->nrows - 1);
	case TUI_ACT_LAST:
		return state_move(st, (long)st->nrows);
	case TUI_ACT_OPEN:
		return state_open(st);
	case TUI_ACT_BACK:
		if (v->filter) {
			free(v->filter);
			v->filter = NULL;
			state_rebuild(st);
			return TUI_RX_ALL;
		}
		if (st->depth > 1) {
			state_pop(st);
			return TUI_RX_ALL;
		}
		return TUI_RX_NONE;
	case TUI_ACT_FILTER:
		if (!ops->filterable) {
			state_status(st, TUI_ROLE_WARN, NULL, "this view has no filter");
			return TUI_RX_STATUS;
		}
		state_prompt(st, TUI_PROMPT_FILTER, v->filter);
		return TUI_RX_STATUS;
	case TUI_ACT_COMMAND:
		state_prompt(st, TUI_PROMPT_COMMAND, NULL);
		return TUI_RX_STATUS;
	case TUI_ACT_DIFF:
		return state_open_diff(st);
	case TUI_ACT_SET_USER:
		state_prompt(st, TUI_PROMPT_USER, st->opt_user ? st->opt_user : "1000");
		return TUI_RX_STATUS;
	case TUI_ACT_SET_NETWORK:
		if (st->opt_netmode == NULL) {
			state_set(&st->opt_netmode, "bridge");
		} else if (strcmp(st->opt_netmode, "bridge") == 0) {
			state_set(&st->opt_netmode, "awsvpc");
			state_prompt(st, TUI_PROMPT_SUBNETS, st->opt_subnets);
			return TUI_RX_ALL;
		} else {
			state_set(&st->opt_netmode, NULL);
			state_set(&st->opt_subnets, NULL);
			state_set(&st->opt_secgroups, NULL);
		}
		return state_request_plan(st);
	case TUI_ACT_WRITE_PLAN: {
		char *path;

		if (st->plan == NULL) {
			state_status(st, TUI_ROLE_WARN, NULL, "no plan yet: wait for the diff");
			return TUI_RX_STATUS;
		}
		path = xasprintf("./ecsfix-plan-%s.json",
				 views_td_short(jsonx_str(st->plan, "target")));
		for (char *c = path + 2; *c; c++)
			if (*c == ':' || *c == '/')
				*c = '-';
		state_prompt(st, TUI_PROMPT_PLAN_PATH, path);
		free(path);
		return TUI_RX_STATUS;
	}
	case TUI_ACT_APPROVE:
		if (st->plan == NULL || st->job != TUI_JOB_NONE) {
			state_status(st, TUI_ROLE_WARN, NULL, "wait: %s",
				     st->plan ? "the worker is busy" : "no plan yet");
			return TUI_RX_STATUS;
		}
		if (!jsonx_bool(st->plan, "changes")) {
			state_status(st, TUI_ROLE_STATUS, NULL, "nothing to change");
			return TUI_RX_STATUS;
		}
		state_prompt(st, TUI_PROMPT_APPROVE, NULL);
		return TUI_RX_ALL;
	case TUI_ACT_ROLLBACK:
		if (!st->change_failed || st->job != TUI_JOB_NONE || st->plan == NULL) {
			state_status(st, TUI_ROLE_WARN, NULL, "nothing to roll back");
			return TUI_RX_STATUS;
		}
		st->change_failed = 0;
		st->fx |= TUI_FX_ROLLBACK;
		st->job = TUI_JOB_ROLLBACK;
		state_set(&st->busy_what, "rolling back");
		state_rebuild(st);
		return TUI_RX_ALL;
	case TUI_ACT_REFRESH:
		if (st->job != TUI_JOB_NONE) {
			state_status(st, TUI_ROLE_WARN, NULL, "busy: %s",
				     st->busy_what ? st->busy_what : "working");
			return TUI_RX_STATUS;
		}
		st->fx |= TUI_FX_SCAN;
		st->job = TUI_JOB_SCAN;
		state_set(&st->busy_what, "scanning");
		st->busy_done = st->busy_total = 0;
		return TUI_RX_STATUS | TUI_RX_HEADER;
	case TUI_ACT_HELP:
		if (v->id != TUI_VIEW_HELP)
			state_push(st, TUI_VIEW_HELP, NULL);
		return TUI_RX_ALL;
	case TUI_ACT_REDRAW:
		return TUI_RX_ALL | TUI_RX_CLEAR;
	case TUI_ACT_QUIT:
		if (tui_state_busy_changing(st)) {
			state_prompt(st, TUI_PROMPT_QUIT, NULL);
			return TUI_RX_STATUS;
		}
		st->fx |= TUI_FX_CANCEL;
		return TUI_RX_QUIT;
	case TUI_ACT_VIEW_SERVICES:
		state_home(st, TUI_VIEW_SERVICES);
		return TUI_RX_ALL;
	case TUI_ACT_VIEW_CLUSTERS:
		state_home(st, TUI_VIEW_CLUSTERS);
		return TUI_RX_ALL;
	case TUI_ACT_VIEW_TASKDEFS:
		state_home(st, TUI_VIEW_TASKDEFS);
		return TUI_RX_ALL;
	case TUI_ACT_VIEW_FINDINGS:
		state_home(st, TUI_VIEW_FINDINGS);
		return TUI_RX_ALL;
	default:
		return TUI_RX_NONE;
	}
}

unsigned tui_state_action(struct tui_state *st, enum tui_action a)
{
	struct tui_event ev = {.type = TUI_EV_ACTION, .action = a};

	return tui_state_apply(st, &ev);
}

static void state_index(struct tui_state *st)
{
	json_object *arr;

	json_object_put(st->td_by_arn);
	json_object_put(st->svc_by_arn);
	st->td_by_arn = json_object_new_object();
	st->svc_by_arn = json_object_new_object();
	arr = jsonx_array(st->report, "taskDefinitions");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *td = json_object_array_get_idx(arr, i);
		const char *arn = jsonx_str(td, "arn");

		if (arn)
			json_object_object_add(st->td_by_arn, arn, json_object_get(td));
	}
	arr = jsonx_array(st->report, "services");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *s = json_object_array_get_idx(arr, i);
		const char *arn = jsonx_str(s, "arn");

		if (arn)
			json_object_object_add(st->svc_by_arn, arn, json_object_get(s));
	}
}

static unsigned state_scan_done(struct tui_state *st, struct tui_event *ev)
{
	json_object *sum, *errs;

	json_object_put(st->report);
	st->report = ev->doc;
	ev->doc = NULL;
	state_index(st);
	if (st->job == TUI_JOB_SCAN)
		st->job = TUI_JOB_NONE;
	sum = jsonx_obj(st->report, "summary");
	errs = jsonx_array(st->report, "errors");
	if (errs && json_object_array_length(errs) > 0) {
		json_object *e0 = json_object_array_get_idx(errs, 0);
		const char *call = jsonx_str(e0, "call") ? jsonx_str(e0, "call") : "?";
		const char *why = jsonx_str(e0, "reason") ? jsonx_str(e0, "reason") : "?";
		size_t cl = strlen(call);

		/* the reason may already name the call */
		if (strncmp(why, call, cl) == 0 && why[cl] == ':')
			why += cl + 1 + (why[cl + 1] == ' ');
		state_status(st, TUI_ROLE_WARN, NULL, "scanned, with %zu errors: %s: %s",
			     json_object_array_length(errs), call, why);
	} else {
		state_status(st, TUI_ROLE_STATUS, NULL,
			     "scanned: %lld services, %lld failing, %lld task definitions",
			     (long long)jsonx_int(sum, "services", 0),
			     (long long)jsonx_int(sum, "servicesFailing", 0),
			     (long long)jsonx_int(sum, "taskDefinitions", 0));
	}
	state_rebuild(st);
	return TUI_RX_ALL;
}

static unsigned state_step(struct tui_state *st, struct tui_event *ev)
{
	struct tui_step *s = NULL;
	const size_t nev = sizeof st->events / sizeof st->events[0];

	if (ev->kind == TUI_STEP_EVENT) {
		size_t i;

		for (i = 0; i < nev && st->events[i]; i++)
			;
		if (i == nev) {
			free(st->events[0]);
			memmove(&st->events[0], &st->events[1], (nev - 1) * sizeof st->events[0]);
			i = nev - 1;
		}
		st->events[i] =
		    xasprintf("%s: %s", ev->subject ? ev->subject : "", ev->text ? ev->text : "");
	} else {
		for (size_t i = 0; i < st->nsteps; i++)
			if (st->steps[i].kind == ev->kind && ev->subject &&
			    strcmp(st->steps[i].subject, ev->subject) == 0)
				s = &st->steps[i];
		if (s == NULL) {
			st->steps = xreallocarray(st->steps, st->nsteps + 1, sizeof *st->steps);
			s = &st->steps[st->nsteps++];
			memset(s, 0, sizeof *s);
			s->kind = ev->kind;
			s->subject = xstrdup(ev->subject ? ev->subject : "");
		}
		state_set(&s->text, ev->text);
		s->running = ev->a;
		s->desired = ev->b;
		s->state = ev->state;
	}
	if (tui_state_view(st)->id == TUI_VIEW_APPLY)
		state_follow(st);
	return TUI_RX_BODY;
}

unsigned tui_state_apply(struct tui_state *st, struct tui_event *ev)
{
	enum tui_view_id on = tui_state_view(st)->id;

	switch (ev->type) {
	case TUI_EV_ACTION:
		return state_dispatch(st, ev->action);
	case TUI_EV_CHAR:
		if (st->prompt == TUI_PROMPT_NONE)
			return TUI_RX_NONE;
		return state_prompt_char(st, ev->ch);
	case TUI_EV_RESIZE:
		st->rows = ev->rows;
		st->cols = ev->cols;
		state_rebuild(st); /* text views wrap to the width */
		return TUI_RX_ALL | TUI_RX_CLEAR;
	case TUI_EV_TICK:
		if (st->job == TUI_JOB_NONE)
			return TUI_RX_NONE;
		st->spinner++;
		return TUI_RX_HEADER;
	case TUI_EV_SESSION: {
		char *dup = xstrdup(ev->text ? ev->text : ""), *save = NULL, *f[4] = {0};
		char *p = dup;

		for (int i = 0; i < 4; i++) {
			char *tab = strchr(p, '\t');

			f[i] = p;
			if (tab == NULL)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		(void)save;
		state_set(&st->profile, f[0] && *f[0] ? f[0] : NULL);
		state_set(&st->region, f[1] && *f[1] ? f[1] : NULL);
		state_set(&st->account, f[2] && *f[2] ? f[2] : NULL);
		state_set(&st->endpoint, f[3] && *f[3] ? f[3] : NULL);
		free(dup);
		return TUI_RX_HEADER;
	}
	case TUI_EV_PROGRESS:
		state_set(&st->busy_what, ev->text);
		st->busy_done = ev->a;
		st->busy_total = ev->b;
		return TUI_RX_HEADER;
	case TUI_EV_SCAN_DONE:
		return state_scan_done(st, ev);
	case TUI_EV_PLAN_DONE:
		/* A plan for a diff left meanwhile: the one asked for next is on its way. */
		if (ev->subject &&
		    (st->plan_target == NULL || strcmp(ev->subject, st->plan_target)))
			return TUI_RX_NONE;
		json_object_put(st->plan);
		st->plan = ev->doc;
		ev->doc = NULL;
		if (st->job == TUI_JOB_PLAN)
			st->job = TUI_JOB_NONE;
		if (on == TUI_VIEW_DIFF)
			state_rebuild(st);
		return TUI_RX_ALL;
	case TUI_EV_WRITE_DONE:
		state_status(st, TUI_ROLE_GOOD, NULL,
			     "plan written to %s (review it, then: ecsfix apply %s)", ev->text,
			     ev->text);
		return TUI_RX_STATUS;
	case TUI_EV_STEP:
		return state_step(st, ev);
	case TUI_EV_APPLY_DONE: {
		const char *status;

		json_object_put(st->outcome);
		st->outcome = ev->doc;
		ev->doc = NULL;
		status = jsonx_str(st->outcome, "status");
		st->change_failed =
		    st->job == TUI_JOB_APPLY && (status == NULL || strcmp(status, "FAILED") == 0 ||
						 strcmp(status, "ROLLED_BACK") == 0);
		st->job = TUI_JOB_NONE;
		state_status(st, st->change_failed ? TUI_ROLE_ERROR : TUI_ROLE_GOOD, NULL,
			     "change %s", status ? status : "ended");
		if (tui_state_view(st)->id == TUI_VIEW_APPLY)
			state_follow(st);
		/* The account changed: read it again so the lists show the new revision. */
		st->fx |= TUI_FX_SCAN;
		st->job = TUI_JOB_SCAN;
		state_set(&st->busy_what, "scanning");
		return TUI_RX_ALL;
	}
	case TUI_EV_JOB_FAILED: {
		enum tui_job was = st->job;

		st->job = TUI_JOB_NONE;
		state_status(st, TUI_ROLE_ERROR, ev->hint, "%s", ev->text ? ev->text : "failed");
		if (was == TUI_JOB_APPLY)
			st->change_failed = 1;
		if (on == TUI_VIEW_DIFF || on == TUI_VIEW_APPLY)
			state_rebuild(st);
		return TUI_RX_ALL;
	}
	}
	return TUI_RX_NONE;
}

void tui_event_free(struct tui_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->text);
	free(ev->hint);
	free(ev->subject);
	json_object_put(ev->doc);
	free(ev);
}
