/* state.c: the TUI state machine: the view stack, prompts, jobs and the actions every view
 * shares; the other actions go to the view on top (its request hook). Pure: no curses, no
 * I/O (the loop in tui.c performs the effects). */
#include "config.h"

#include "tui/state.h"

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <assert.h>
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

void tui_state_set(char **dst, const char *src)
{
	char *copy = src ? xstrdup(src) : NULL;

	free(*dst);
	*dst = copy;
}

void tui_state_status(struct tui_state *st, enum tui_role role, const char *hint, const char *fmt,
		      ...)
{
	va_list ap;

	free(st->status);
	va_start(ap, fmt);
	st->status = xvasprintf(fmt, ap);
	va_end(ap);
	tui_state_set(&st->hint, hint);
	st->status_role = role;
}

static void state_status_clear(struct tui_state *st)
{
	free(st->status);
	free(st->hint);
	st->status = st->hint = NULL;
}

static struct tui_view_state *state_top(struct tui_state *st)
{
	assert(st->depth > 0);
	return &st->stack[st->depth - 1];
}

const struct tui_view_state *tui_state_view(const struct tui_state *st)
{
	assert(st->depth > 0);
	return &st->stack[st->depth - 1];
}

static const struct tui_view_ops *state_ops_of(const struct tui_state *st, enum tui_view_id id)
{
	assert((unsigned)id < TUI_VIEW__COUNT && st->views[id] != NULL);
	return st->views[id];
}

const struct tui_view_ops *tui_state_ops(const struct tui_state *st)
{
	return state_ops_of(st, tui_state_view(st)->id);
}

const struct tui_list *tui_state_list(const struct tui_state *st)
{
	return &tui_state_view(st)->list;
}

int tui_state_page(const struct tui_state *st)
{
	int page = st->rows - 3 - (tui_state_ops(st)->list ? 1 : 0);

	return page > 1 ? page : 1;
}

void tui_state_rebuild(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);

	tui_list_clear(&v->list);
	state_ops_of(st, v->id)->build(st, v);
	tui_list_clamp(&v->list, (size_t)tui_state_page(st));
}

/* Rebuilds a growing text view, staying at its end if it was there (tail -f). */
static void state_follow(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);
	size_t page = (size_t)tui_state_page(st);
	int at_end = tui_list_at_end(&v->list, page);

	tui_state_rebuild(st);
	tui_list_follow(&v->list, page, at_end);
}

static void state_view_done(struct tui_view_state *v)
{
	tui_list_done(&v->list);
	free(v->subject);
	free(v->filter);
	memset(v, 0, sizeof *v);
}

void tui_state_push(struct tui_state *st, enum tui_view_id id, const char *subject)
{
	const struct tui_view_ops *ops = state_ops_of(st, id);
	struct tui_view_state *v;
	char *copy = subject ? xstrdup(subject) : NULL;

	if (st->depth == sizeof st->stack / sizeof st->stack[0]) {
		/* full: forget the oldest view above the home list */
		state_view_done(&st->stack[1]);
		memmove(&st->stack[1], &st->stack[2], (st->depth - 2) * sizeof st->stack[0]);
		st->depth--;
	}
	v = &st->stack[st->depth++];
	memset(v, 0, sizeof *v);
	v->id = id;
	v->subject = copy;
	tui_list_init(&v->list, ops->ncols, ops->list);
	tui_state_rebuild(st);
}

void tui_state_pop(struct tui_state *st)
{
	if (st->depth <= 1)
		return;
	state_view_done(state_top(st));
	st->depth--;
	tui_state_rebuild(st);
}

void tui_state_home(struct tui_state *st, enum tui_view_id id)
{
	while (st->depth > 1)
		tui_state_pop(st);
	state_view_done(&st->stack[0]);
	st->stack[0].id = id;
	tui_list_init(&st->stack[0].list, state_ops_of(st, id)->ncols, state_ops_of(st, id)->list);
	tui_state_rebuild(st);
}

static int state_too_small(int rows, int cols)
{
	return rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS;
}

void tui_state_init(struct tui_state *st, const struct tui_view_ops *const *views, int read_only,
		    int rows, int cols)
{
	memset(st, 0, sizeof *st);
	st->views = views;
	st->read_only = read_only;
	st->rows = rows;
	st->cols = cols;
	st->too_small = state_too_small(rows, cols);
	st->depth = 1;
	st->stack[0].id = TUI_VIEW_SERVICES;
	tui_list_init(&st->stack[0].list, state_ops_of(st, TUI_VIEW_SERVICES)->ncols, 1);
	if (read_only)
		tui_state_status(st, TUI_ROLE_WARN, NULL,
				 "read-only: actions that change the account are disabled");
}

static void state_lines_clear(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i]);
		v[i] = NULL;
	}
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
	state_lines_clear(st->events, sizeof st->events / sizeof st->events[0]);
	state_lines_clear(st->messages, sizeof st->messages / sizeof st->messages[0]);
	json_object_put(st->outcome);
	st->outcome = NULL;
	st->change_failed = 0;
}

void tui_state_done(struct tui_state *st)
{
	while (st->depth > 0)
		state_view_done(&st->stack[--st->depth]);
	free(st->profile);
	free(st->region);
	free(st->account);
	free(st->endpoint);
	json_object_put(st->report);
	json_object_put(st->td_by_arn);
	json_object_put(st->svc_by_arn);
	json_object_put(st->finding_by_id);
	json_object_put(st->plan);
	free(st->shown_user);
	free(st->shown_netmode);
	free(st->shown_subnets);
	free(st->shown_secgroups);
	free(st->plan_target);
	free(st->opt_user);
	free(st->opt_netmode);
	free(st->opt_subnets);
	free(st->opt_secgroups);
	free(st->opt_caps);
	free(st->shown_caps);
	free(st->exc_reason);
	free(st->exc_until);
	free(st->status);
	free(st->hint);
	free(st->busy_what);
	state_steps_clear(st);
	free(st->fx_path);
	memset(st, 0, sizeof *st);
}

enum tui_context tui_state_context(const struct tui_state *st)
{
	/* too small: only q means something (nothing can be seen, nothing typed blind) */
	if (st->too_small)
		return TUI_CTX_GLOBAL;
	if (st->prompt == TUI_PROMPT_APPROVE)
		return TUI_CTX_APPROVE;
	if (st->prompt != TUI_PROMPT_NONE)
		return TUI_CTX_PROMPT;
	return tui_state_ops(st)->ctx;
}

int tui_state_busy_changing(const struct tui_state *st)
{
	return st->job == TUI_JOB_APPLY || st->job == TUI_JOB_ROLLBACK;
}

json_object *tui_state_td(const struct tui_state *st, const char *arn)
{
	json_object *td = NULL;

	if (st->td_by_arn && arn)
		json_object_object_get_ex(st->td_by_arn, arn, &td);
	return td;
}

json_object *tui_state_svc(const struct tui_state *st, const char *arn)
{
	json_object *s = NULL;

	if (st->svc_by_arn && arn)
		json_object_object_get_ex(st->svc_by_arn, arn, &s);
	return s;
}

static const char *const state_prompt_labels[] = {
    [TUI_PROMPT_NONE] = "",
    [TUI_PROMPT_FILTER] = "/",
    [TUI_PROMPT_COMMAND] = ":",
    [TUI_PROMPT_USER] = "Run the containers as user (uid[:gid] or name, empty: keep): ",
    [TUI_PROMPT_SUBNETS] = "awsvpc subnets (comma list): ",
    [TUI_PROMPT_SECGROUPS] = "awsvpc security groups (comma list): ",
    [TUI_PROMPT_PLAN_PATH] = "Write the plan to: ",
    [TUI_PROMPT_MESSAGE_PATH] = "Write the message for the owner to: ",
    [TUI_PROMPT_CAPS] = "Capabilities instead of privileged (comma list, e.g. NET_ADMIN): ",
    [TUI_PROMPT_EXC_REASON] = "Why privileged is needed (the owner's answer): ",
    [TUI_PROMPT_EXC_UNTIL] = "The exception holds until (YYYY-MM-DD): ",
    [TUI_PROMPT_EXC_APPROVE] = "Type yes and Enter to record the exception, Esc cancels: ",
    [TUI_PROMPT_OVERWRITE] = "The file exists. Overwrite it? y/n ",
    [TUI_PROMPT_APPROVE] = "Type yes and Enter to make the change, Esc cancels: ",
    [TUI_PROMPT_DEREGISTER] = "Type yes and Enter to deregister it, Esc cancels: ",
    [TUI_PROMPT_QUIT] = "A change is in flight. Quit (it stops following; ECS goes on)? y/n ",
};

const char *tui_state_prompt_label(const struct tui_state *st)
{
	return (unsigned)st->prompt < sizeof state_prompt_labels / sizeof state_prompt_labels[0]
		   ? state_prompt_labels[st->prompt]
		   : "";
}

void tui_state_prompt(struct tui_state *st, enum tui_prompt_kind k, const char *prefill)
{
	st->prompt = k;
	st->input_len = 0;
	st->input[0] = '\0';
	st->input_fresh = 0;
	if (prefill && *prefill) {
		snprintf(st->input, sizeof st->input, "%s", prefill);
		st->input_len = strlen(st->input);
		st->input_fresh = 1;
	}
}

unsigned tui_state_busy(struct tui_state *st)
{
	tui_state_status(st, TUI_ROLE_WARN, NULL, "busy: %s (wait until it is done)",
			 st->busy_what ? st->busy_what : "working");
	return TUI_RX_STATUS;
}

static void state_job(struct tui_state *st, enum tui_job job, unsigned fx, const char *what)
{
	st->job = job;
	st->fx |= fx;
	tui_state_set(&st->busy_what, what);
	st->busy_done = st->busy_total = 0;
}

unsigned tui_state_rescan(struct tui_state *st)
{
	if (st->job != TUI_JOB_NONE)
		return tui_state_busy(st);
	state_job(st, TUI_JOB_SCAN, TUI_FX_SCAN, "scanning");
	return TUI_RX_STATUS | TUI_RX_HEADER;
}

unsigned tui_state_request_plan(struct tui_state *st)
{
	/* The diff on screen stays until the new one arrives (or the options are refused). */
	state_job(st, TUI_JOB_PLAN, TUI_FX_PLAN, "computing the plan");
	if (tui_state_view(st)->id == TUI_VIEW_DIFF)
		tui_state_rebuild(st);
	return TUI_RX_ALL;
}

/* ---- the line helper for text views ---- */

/* The byte length of the longest prefix of s that fits width display columns (UTF-8: a
 * character is one column here; wide characters are rare in these texts). */
static size_t state_fit(const char *s, int width)
{
	size_t i = 0;
	int cols = 0;

	while (s[i] && cols < width) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cols++;
	}
	return i;
}

void tui_state_line(struct tui_state *st, struct tui_view_state *v, enum tui_role role,
		    const char *fmt, ...)
{
	int full = st->cols > 20 ? st->cols - 1 : 79, width = full;
	const char *p;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	/* Long sentences wrap at a blank, continuing indented by four. */
	for (p = s; *p;) {
		size_t cut = state_fit(p, width), k = cut;
		char *part;

		if (p[cut] != '\0') {
			while (k > cut / 2 && p[k] != ' ')
				k--;
			if (p[k] == ' ')
				cut = k;
		}
		part = xasprintf("%s%.*s", p == s ? "" : "    ", (int)cut, p);
		tui_list_add(&v->list, role, NULL, (const char *const *)&part, 1);
		free(part);
		p += cut;
		while (*p == ' ')
			p++;
		width = full - 4;
	}
	if (*s == '\0')
		tui_list_add(&v->list, role, NULL, NULL, 0);
	free(s);
}

/* ---- prompts ---- */

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
		tui_state_status(st, TUI_ROLE_ERROR,
				 ":services :clusters :taskdefs :findings :owners :accounts :quit",
				 "unknown command: %s", cmd);
		return TUI_RX_STATUS;
	}
	return state_dispatch(st, a);
}

/* Quit: during a change, cancel it and leave a summary for after the screen is restored. */
static unsigned state_quit(struct tui_state *st)
{
	st->prompt = TUI_PROMPT_NONE;
	if (tui_state_busy_changing(st))
		st->quit_after_cancel = 1;
	st->fx |= TUI_FX_CANCEL;
	return TUI_RX_QUIT;
}

static unsigned state_prompt_accept(struct tui_state *st)
{
	enum tui_prompt_kind k = st->prompt;
	char in[sizeof st->input];

	snprintf(in, sizeof in, "%s", st->input);
	st->prompt = TUI_PROMPT_NONE;
	switch (k) {
	case TUI_PROMPT_FILTER:
		return TUI_RX_ALL;
	case TUI_PROMPT_COMMAND:
		return TUI_RX_ALL | state_command(st, in);
	case TUI_PROMPT_QUIT:
		/* y/n answers without Enter (state_prompt_char); Enter means no */
		return TUI_RX_ALL;
	case TUI_PROMPT_NONE:
		return TUI_RX_ALL;
	default:
		if (tui_state_ops(st)->prompt_done == NULL)
			return TUI_RX_ALL;
		return TUI_RX_ALL | tui_state_ops(st)->prompt_done(st, state_top(st), k, in);
	}
}

static unsigned state_prompt_cancel(struct tui_state *st)
{
	enum tui_prompt_kind k = st->prompt;

	st->prompt = TUI_PROMPT_NONE;
	if (k == TUI_PROMPT_FILTER) {
		free(state_top(st)->filter);
		state_top(st)->filter = NULL;
		tui_state_rebuild(st);
		return TUI_RX_ALL;
	}
	if (k != TUI_PROMPT_COMMAND && k != TUI_PROMPT_QUIT && tui_state_ops(st)->prompt_done)
		/* the view hears of it: NULL input means cancelled */
		return TUI_RX_ALL | tui_state_ops(st)->prompt_done(st, state_top(st), k, NULL);
	return TUI_RX_ALL;
}

static void state_filter_changed(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);

	tui_state_set(&v->filter, st->input_len ? st->input : NULL);
	v->list.sel = v->list.top = 0;
	tui_state_rebuild(st);
}

/* A y/n prompt takes the answer without Enter. */
static unsigned state_prompt_yes_no(struct tui_state *st, int ch)
{
	int yes = ch == 'y' || ch == 'Y';

	if (!yes && ch != 'n' && ch != 'N')
		return TUI_RX_NONE;
	if (st->prompt == TUI_PROMPT_QUIT) {
		if (yes)
			return state_quit(st);
		st->prompt = TUI_PROMPT_NONE;
		return TUI_RX_ALL;
	}
	snprintf(st->input, sizeof st->input, "%s", yes ? "y" : "n");
	st->input_len = 1;
	return state_prompt_accept(st);
}

/* A key typed into the prompt (UTF-8 encoded into the input). */
static unsigned state_prompt_char(struct tui_state *st, int ch)
{
	char enc[5];
	size_t n = 0;

	if (ch < 0x20 || ch == 0x7f || ch >= TUI_KEY_SPECIAL)
		return TUI_RX_NONE;
	if (st->prompt == TUI_PROMPT_QUIT || st->prompt == TUI_PROMPT_OVERWRITE)
		return state_prompt_yes_no(st, ch);
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
	if (st->input_fresh) {
		/* the prefilled text is selected: typing replaces it */
		st->input_len = 0;
		st->input[0] = '\0';
		st->input_fresh = 0;
	}
	if (st->input_len + n >= sizeof st->input)
		return TUI_RX_NONE;
	memcpy(st->input + st->input_len, enc, n);
	st->input_len += n;
	st->input[st->input_len] = '\0';
	if (st->prompt == TUI_PROMPT_FILTER) {
		state_filter_changed(st);
		return TUI_RX_ALL;
	}
	return TUI_RX_STATUS;
}

static unsigned state_prompt_erase(struct tui_state *st)
{
	if (st->input_len == 0)
		return TUI_RX_NONE;
	if (st->input_fresh) {
		st->input_len = 0; /* erases the selected text */
		st->input_fresh = 0;
	} else {
		do
			st->input_len--;
		while (st->input_len > 0 &&
		       ((unsigned char)st->input[st->input_len] & 0xc0) == 0x80);
	}
	st->input[st->input_len] = '\0';
	if (st->prompt == TUI_PROMPT_FILTER) {
		state_filter_changed(st);
		return TUI_RX_ALL;
	}
	return TUI_RX_STATUS;
}

static unsigned state_prompt_action(struct tui_state *st, enum tui_action a)
{
	switch (a) {
	case TUI_ACT_PROMPT_ACCEPT:
		return state_prompt_accept(st);
	case TUI_ACT_PROMPT_CANCEL:
		return state_prompt_cancel(st);
	case TUI_ACT_PROMPT_ERASE:
		return state_prompt_erase(st);
	case TUI_ACT_TOGGLE_SERVICE:
	case TUI_ACT_MOVE_UP:
	case TUI_ACT_MOVE_DOWN:
		/* the approval dialog's list of services: the view's */
		if (st->prompt == TUI_PROMPT_APPROVE && tui_state_ops(st)->request) {
			unsigned rx = tui_state_ops(st)->request(st, state_top(st), a);

			return rx == TUI_RX_PASS ? TUI_RX_NONE : rx;
		}
		return TUI_RX_NONE;
	default:
		return TUI_RX_NONE;
	}
}

/* ---- actions every view shares ---- */

static unsigned state_back(struct tui_state *st)
{
	struct tui_view_state *v = state_top(st);

	if (v->filter) {
		free(v->filter);
		v->filter = NULL;
		tui_state_rebuild(st);
		return TUI_RX_ALL;
	}
	if (st->depth > 1) {
		tui_state_pop(st);
		return TUI_RX_ALL;
	}
	return TUI_RX_NONE;
}

/* w: the change view, from anywhere, while a change runs or after it ended. */
static unsigned state_change_view(struct tui_state *st)
{
	if (!st->change_seen) {
		tui_state_status(st, TUI_ROLE_STATUS, NULL, "no change in this session yet");
		return TUI_RX_STATUS;
	}
	for (size_t i = st->depth; i-- > 0;)
		if (st->stack[i].id == TUI_VIEW_APPLY) {
			while (st->depth > i + 1)
				tui_state_pop(st);
			return TUI_RX_ALL;
		}
	tui_state_push(st, TUI_VIEW_APPLY, NULL);
	return TUI_RX_ALL;
}

static unsigned state_move(struct tui_state *st, long delta)
{
	struct tui_view_state *v = state_top(st);

	return tui_list_move(&v->list, delta, (size_t)tui_state_page(st)) ? TUI_RX_BODY
									  : TUI_RX_NONE;
}

/* The actions the state keeps for itself; TUI_RX_PASS for the others. */
static unsigned state_common(struct tui_state *st, enum tui_action a)
{
	long page = tui_state_page(st);
	long n = (long)state_top(st)->list.nrows;

	switch (a) {
	case TUI_ACT_MOVE_DOWN:
		return state_move(st, 1);
	case TUI_ACT_MOVE_UP:
		return state_move(st, -1);
	case TUI_ACT_PAGE_DOWN:
		return state_move(st, page);
	case TUI_ACT_PAGE_UP:
		return state_move(st, -page);
	case TUI_ACT_FIRST:
		return state_move(st, -n - 1);
	case TUI_ACT_LAST:
		return state_move(st, n);
	case TUI_ACT_COMMAND:
		tui_state_prompt(st, TUI_PROMPT_COMMAND, NULL);
		return TUI_RX_STATUS;
	case TUI_ACT_HELP:
		if (state_top(st)->id != TUI_VIEW_HELP)
			tui_state_push(st, TUI_VIEW_HELP, NULL);
		return TUI_RX_ALL;
	case TUI_ACT_REDRAW:
		return TUI_RX_ALL | TUI_RX_CLEAR;
	case TUI_ACT_QUIT:
		if (tui_state_busy_changing(st)) {
			tui_state_prompt(st, TUI_PROMPT_QUIT, NULL);
			return TUI_RX_STATUS;
		}
		return state_quit(st);
	case TUI_ACT_CHANGE_VIEW:
		return state_change_view(st);
	case TUI_ACT_VIEW_SERVICES:
	case TUI_ACT_VIEW_CLUSTERS:
	case TUI_ACT_VIEW_TASKDEFS:
	case TUI_ACT_VIEW_FINDINGS:
	case TUI_ACT_VIEW_OWNERS:
	case TUI_ACT_VIEW_ACCOUNTS:
		tui_state_home(st, a == TUI_ACT_VIEW_SERVICES   ? TUI_VIEW_SERVICES
				   : a == TUI_ACT_VIEW_CLUSTERS ? TUI_VIEW_CLUSTERS
				   : a == TUI_ACT_VIEW_TASKDEFS ? TUI_VIEW_TASKDEFS
				   : a == TUI_ACT_VIEW_FINDINGS ? TUI_VIEW_FINDINGS
				   : a == TUI_ACT_VIEW_OWNERS   ? TUI_VIEW_OWNERS
								: TUI_VIEW_ACCOUNTS);
		return TUI_RX_ALL;
	default:
		return TUI_RX_PASS;
	}
}

/* After the view: what is left for the state (back, refresh, filter), or a refusal. */
static unsigned state_fallback(struct tui_state *st, enum tui_action a)
{
	switch (a) {
	case TUI_ACT_BACK:
		return state_back(st);
	case TUI_ACT_REFRESH:
		return tui_state_rescan(st);
	case TUI_ACT_FILTER:
		tui_state_status(st, TUI_ROLE_WARN, NULL, "this view has no filter");
		return TUI_RX_STATUS;
	case TUI_ACT_NONE:
		return TUI_RX_NONE;
	default:
		tui_state_status(st, TUI_ROLE_WARN, NULL, "%s: not here (%s)", tui_action_name(a),
				 tui_action_help(a));
		return TUI_RX_STATUS;
	}
}

static unsigned state_dispatch(struct tui_state *st, enum tui_action a)
{
	struct tui_view_state *v = state_top(st);
	const struct tui_view_ops *ops = state_ops_of(st, v->id);
	unsigned rx;

	if (st->too_small)
		return a == TUI_ACT_QUIT ? state_quit(st) : TUI_RX_NONE;
	if (st->prompt != TUI_PROMPT_NONE)
		return state_prompt_action(st, a);
	/* --read-only: the one place where actions that change the account are removed. */
	if (st->read_only && (tui_action_flags(a) & TUI_AF_WRITES)) {
		tui_state_status(st, TUI_ROLE_WARN, "started with --read-only",
				 "read-only: %s is disabled", tui_action_name(a));
		return TUI_RX_STATUS;
	}
	if (a != TUI_ACT_NONE)
		state_status_clear(st); /* a new action: the last message has been seen */
	rx = state_common(st, a);
	if (rx != TUI_RX_PASS)
		return rx;
	rx = ops->request ? ops->request(st, v, a) : TUI_RX_PASS;
	if (rx != TUI_RX_PASS)
		return rx;
	return state_fallback(st, a);
}

unsigned tui_state_action(struct tui_state *st, enum tui_action a)
{
	struct tui_event ev = {.type = TUI_EV_ACTION, .action = a};

	return tui_state_apply(st, &ev);
}

/* ---- worker events ---- */

static void state_index(struct tui_state *st)
{
	static const struct {
		const char *array;
		size_t offset;
	} idx[] = {
	    {"taskDefinitions", offsetof(struct tui_state, td_by_arn)},
	    {"services", offsetof(struct tui_state, svc_by_arn)},
	    {"findings", offsetof(struct tui_state, finding_by_id)},
	};

	for (size_t k = 0; k < sizeof idx / sizeof idx[0]; k++) {
		json_object **map = (json_object **)((char *)st + idx[k].offset);
		json_object *arr = jsonx_array(st->report, idx[k].array);

		json_object_put(*map);
		*map = json_object_new_object();
		for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr, i);
			const char *arn = jsonx_str(o, k == 2 ? "id" : "arn");

			if (arn)
				json_object_object_add(*map, arn, json_object_get(o));
		}
	}
}

/* Several accounts or regions in the report (its targets, or its services)? */
static int state_multi_target(json_object *report)
{
	json_object *t = jsonx_array(report, "targets"), *svcs = jsonx_array(report, "services");
	const char *acct = NULL, *region = NULL;

	if (t && json_object_array_length(t) > 1)
		return 1;
	for (size_t i = 0; svcs && i < json_object_array_length(svcs); i++) {
		json_object *s = json_object_array_get_idx(svcs, i);
		const char *a = jsonx_str(s, "accountId"), *r = jsonx_str(s, "region");

		if ((a && acct && strcmp(a, acct)) || (r && region && strcmp(r, region)))
			return 1;
		acct = a ? a : acct;
		region = r ? r : region;
	}
	return 0;
}

static const char *state_plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static unsigned state_scan_done(struct tui_state *st, struct tui_event *ev)
{
	json_object *sum, *errs;

	json_object_put(st->report);
	st->report = ev->doc;
	ev->doc = NULL;
	state_index(st);
	st->multi_target = state_multi_target(st->report);
	if (st->job == TUI_JOB_SCAN)
		st->job = TUI_JOB_NONE;
	sum = jsonx_obj(st->report, "summary");
	errs = jsonx_array(st->report, "errors");
	if (errs && json_object_array_length(errs) > 0) {
		json_object *e0 = json_object_array_get_idx(errs, 0);
		const char *call = jsonx_str(e0, "call") ? jsonx_str(e0, "call") : "?";
		const char *why = jsonx_str(e0, "reason") ? jsonx_str(e0, "reason") : "?";
		size_t cl = strlen(call), n = json_object_array_length(errs);

		/* the reason may already name the call */
		if (strncmp(why, call, cl) == 0 && why[cl] == ':')
			why += cl + 1 + (why[cl + 1] == ' ');
		tui_state_status(st, TUI_ROLE_WARN, NULL, "scanned, with %zu %s: %s: %s", n,
				 state_plural((long long)n, "error", "errors"), call, why);
	} else {
		long long ns = jsonx_int(sum, "services", 0),
			  nt = jsonx_int(sum, "taskDefinitions", 0);

		tui_state_status(st, TUI_ROLE_STATUS, NULL,
				 "scanned: %lld %s, %lld failing, %lld task %s", ns,
				 state_plural(ns, "service", "services"),
				 (long long)jsonx_int(sum, "servicesFailing", 0), nt,
				 state_plural(nt, "definition", "definitions"));
	}
	/* every view on the stack shows the new report */
	for (size_t i = 0; i + 1 < st->depth; i++) {
		tui_list_clear(&st->stack[i].list);
		st->views[st->stack[i].id]->build(st, &st->stack[i]);
	}
	tui_state_rebuild(st);
	return TUI_RX_ALL;
}

/* Appends line to a ring of recent lines (newest last). */
static void state_ring(char **ring, size_t n, char *line)
{
	size_t i;

	for (i = 0; i < n && ring[i]; i++)
		;
	if (i == n) {
		free(ring[0]);
		memmove(&ring[0], &ring[1], (n - 1) * sizeof ring[0]);
		i = n - 1;
	}
	ring[i] = line;
}

static unsigned state_step(struct tui_state *st, struct tui_event *ev)
{
	const struct tui_step *in = &ev->step;
	struct tui_step *s = NULL;

	if (in->kind == TUI_STEP_EVENT || in->kind == TUI_STEP_MESSAGE) {
		char *line = in->kind == TUI_STEP_EVENT
				 ? xasprintf("%s: %s", in->subject ? in->subject : "",
					     in->text ? in->text : "")
				 : xstrdup(in->text ? in->text : "");

		if (in->kind == TUI_STEP_EVENT)
			state_ring(st->events, sizeof st->events / sizeof st->events[0], line);
		else
			state_ring(st->messages, sizeof st->messages / sizeof st->messages[0],
				   line);
	} else {
		for (size_t i = 0; i < st->nsteps; i++)
			if (st->steps[i].kind == in->kind && in->subject &&
			    strcmp(st->steps[i].subject, in->subject) == 0)
				s = &st->steps[i];
		if (s == NULL) {
			st->steps = xreallocarray(st->steps, st->nsteps + 1, sizeof *st->steps);
			s = &st->steps[st->nsteps++];
			memset(s, 0, sizeof *s);
			s->kind = in->kind;
			s->subject = xstrdup(in->subject ? in->subject : "");
		}
		tui_state_set(&s->text, in->text);
		if (in->desired >= 0) {
			s->running = in->running;
			s->desired = in->desired;
		}
		s->state = in->state;
	}
	if (tui_state_view(st)->id == TUI_VIEW_APPLY)
		state_follow(st);
	return TUI_RX_BODY;
}

static unsigned state_apply_done(struct tui_state *st, struct tui_event *ev)
{
	const char *status;
	int rollback = st->job == TUI_JOB_ROLLBACK;

	json_object_put(st->outcome);
	st->outcome = ev->doc;
	ev->doc = NULL;
	status = jsonx_str(st->outcome, "status");
	/* b rolls back a FAILED rollout; one ECS rolled back already has nothing to undo */
	st->change_failed = !rollback && (status == NULL || strcmp(status, "FAILED") == 0);
	st->job = TUI_JOB_NONE;
	tui_state_status(st, st->change_failed ? TUI_ROLE_ERROR : TUI_ROLE_GOOD, NULL, "change %s",
			 status ? status : "ended");
	/* The account changed: read it again so the lists show the new revision. */
	state_job(st, TUI_JOB_SCAN, TUI_FX_SCAN, "scanning");
	if (tui_state_view(st)->id == TUI_VIEW_APPLY)
		state_follow(st);
	return TUI_RX_ALL;
}

static unsigned state_job_failed(struct tui_state *st, struct tui_event *ev)
{
	enum tui_job was = st->job;
	enum tui_view_id on = tui_state_view(st)->id;

	st->job = TUI_JOB_NONE;
	if (was == TUI_JOB_PLAN && on == TUI_VIEW_DIFF && tui_state_ops(st)->prompt_done) {
		/* the diff view restores the options the plan had and says why */
		tui_state_ops(st)->prompt_done(st, state_top(st), TUI_PROMPT_NONE, ev->text);
		tui_state_rebuild(st);
		return TUI_RX_ALL;
	}
	tui_state_status(st, TUI_ROLE_ERROR, ev->hint, "%s", ev->text ? ev->text : "failed");
	if (was == TUI_JOB_APPLY || was == TUI_JOB_ROLLBACK) {
		/* the change stopped before it changed anything: the change view says so */
		json_object_put(st->outcome);
		st->outcome = json_object_new_object();
		json_object_object_add(st->outcome, "status", json_object_new_string("FAILED"));
		json_object_object_add(st->outcome, "message",
				       json_object_new_string(ev->text ? ev->text : "failed"));
		st->change_failed = 0;
	}
	if (on == TUI_VIEW_DIFF || on == TUI_VIEW_APPLY || st->report == NULL)
		tui_state_rebuild(st);
	return TUI_RX_ALL;
}

static unsigned state_plan_done(struct tui_state *st, struct tui_event *ev)
{
	/* A plan for a diff left meanwhile: the one asked for next is on its way. */
	if (ev->subject && (st->plan_target == NULL || strcmp(ev->subject, st->plan_target)))
		return TUI_RX_NONE;
	json_object_put(st->plan);
	st->plan = ev->doc;
	ev->doc = NULL;
	st->plan_applied = 0;
	if (st->job == TUI_JOB_PLAN)
		st->job = TUI_JOB_NONE;
	tui_state_set(&st->shown_user, st->opt_user);
	tui_state_set(&st->shown_netmode, st->opt_netmode);
	tui_state_set(&st->shown_subnets, st->opt_subnets);
	tui_state_set(&st->shown_secgroups, st->opt_secgroups);
	tui_state_set(&st->shown_caps, st->opt_caps);
	if (tui_state_view(st)->id == TUI_VIEW_DIFF)
		tui_state_rebuild(st);
	return TUI_RX_ALL;
}

static unsigned state_resize(struct tui_state *st, int rows, int cols)
{
	st->rows = rows;
	st->cols = cols;
	st->too_small = state_too_small(rows, cols);
	tui_state_rebuild(st); /* text views wrap to the width */
	return TUI_RX_ALL | TUI_RX_CLEAR;
}

static unsigned state_session(struct tui_state *st, struct tui_event *ev)
{
	tui_state_set(&st->profile, ev->session.profile);
	tui_state_set(&st->region, ev->session.region);
	tui_state_set(&st->account, ev->session.account);
	tui_state_set(&st->endpoint, ev->session.endpoint);
	return TUI_RX_HEADER;
}

unsigned tui_state_apply(struct tui_state *st, struct tui_event *ev)
{
	switch (ev->type) {
	case TUI_EV_ACTION:
		return state_dispatch(st, ev->action);
	case TUI_EV_CHAR:
		if (st->prompt == TUI_PROMPT_NONE || st->too_small)
			return TUI_RX_NONE;
		return state_prompt_char(st, ev->ch);
	case TUI_EV_RESIZE:
		return state_resize(st, ev->rows, ev->cols);
	case TUI_EV_TICK:
		if (st->job == TUI_JOB_NONE)
			return TUI_RX_NONE;
		st->spinner++;
		return TUI_RX_HEADER;
	case TUI_EV_SESSION:
		return state_session(st, ev);
	case TUI_EV_PROGRESS:
		tui_state_set(&st->busy_what, ev->text);
		st->busy_done = ev->a;
		st->busy_total = ev->b;
		return TUI_RX_HEADER;
	case TUI_EV_SCAN_DONE:
		return state_scan_done(st, ev);
	case TUI_EV_PLAN_DONE:
		return state_plan_done(st, ev);
	case TUI_EV_WRITE_DONE:
		tui_state_status(st, TUI_ROLE_GOOD, NULL,
				 "plan written to %s (review it, then: ecsfix apply %s)", ev->text,
				 ev->text);
		return TUI_RX_STATUS;
	case TUI_EV_MESSAGE_DONE:
		tui_state_status(
		    st, TUI_ROLE_GOOD, NULL,
		    "message for the owner written to %s (paste it into a ticket or chat)",
		    ev->text);
		return TUI_RX_STATUS;
	case TUI_EV_EXCEPTION_DONE:
		if (st->job == TUI_JOB_EXCEPTION)
			st->job = TUI_JOB_NONE;
		tui_state_status(st, TUI_ROLE_GOOD, NULL, "%s (r: scan again to see it EXCEPTED)",
				 ev->text ? ev->text : "exception recorded");
		return TUI_RX_ALL;
	case TUI_EV_WRITE_EXISTS:
		tui_state_set(&st->fx_path, ev->text);
		tui_state_prompt(st, TUI_PROMPT_OVERWRITE, NULL);
		return TUI_RX_STATUS;
	case TUI_EV_STEP:
		return state_step(st, ev);
	case TUI_EV_DEREGISTER_DONE:
		if (st->job == TUI_JOB_DEREGISTER)
			st->job = TUI_JOB_NONE;
		if (ev->doc && st->outcome) { /* the verification read again */
			json_object_object_add(st->outcome, "verify", ev->doc);
			ev->doc = NULL;
		} else if (jsonx_obj(st->outcome, "verify")) {
			json_object_object_del(jsonx_obj(st->outcome, "verify"), "failedNewArn");
		}
		tui_state_status(
		    st, TUI_ROLE_GOOD, NULL,
		    "deregistered %s: the family's latest ACTIVE revision is again one a "
		    "service runs",
		    ev->text && strrchr(ev->text, '/') ? strrchr(ev->text, '/') + 1
		    : ev->text                         ? ev->text
						       : "the revision");
		if (tui_state_view(st)->id == TUI_VIEW_APPLY)
			tui_state_rebuild(st);
		return TUI_RX_ALL;
	case TUI_EV_APPLY_DONE:
		return state_apply_done(st, ev);
	case TUI_EV_JOB_FAILED:
		return state_job_failed(st, ev);
	}
	return TUI_RX_NONE;
}

void tui_state_hints(const struct tui_state *st, char *buf, size_t len)
{
	const struct tui_view_ops *ops = tui_state_ops(st);
	enum tui_context ctx = tui_state_context(st);
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ops->nhints; i++) {
		enum tui_action a = ops->hints[i];
		char keys[64], *sp;
		int w;

		if (st->read_only && (tui_action_flags(a) & TUI_AF_WRITES))
			continue;
		if (ops->offers && !ops->offers(st, a))
			continue;
		keymap_keys_for(ctx, a, keys, sizeof keys);
		if (keys[0] == '\0')
			keymap_keys_for(TUI_CTX_GLOBAL, a, keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		sp = strchr(keys, ' ');
		if (sp)
			*sp = '\0';
		w = snprintf(buf + used, len - used, "%s%s %s", used ? "  " : "", keys,
			     tui_action_name(a));
		if (w < 0 || (size_t)w >= len - used)
			break;
		if (st->cols > 0 && used + (size_t)w > (size_t)st->cols) {
			buf[used] = '\0'; /* does not fit the line: leave it to ? */
			continue;
		}
		used += (size_t)w;
	}
}

char *tui_state_exit_summary(const struct tui_state *st)
{
	struct strbuf sb;
	static const char *const kinds[] = {"register", "update", "rollout", "event", "message"};
	static const char *const states[] = {"pending", "running", "done", "failed"};

	if (!st->quit_after_cancel)
		return NULL;
	strbuf_init(&sb);
	strbuf_printf(&sb, "ecsfix: quit during the change of %s; what happened:\n",
		      st->plan && jsonx_str(st->plan, "family") ? jsonx_str(st->plan, "family")
								: "the revision");
	for (size_t i = 0; i < st->nsteps; i++) {
		const struct tui_step *s = &st->steps[i];

		strbuf_printf(&sb, "  %s %s: %s (%s", kinds[s->kind], s->subject,
			      s->text ? s->text : "", states[s->state]);
		if (s->kind == TUI_STEP_ROLLOUT)
			strbuf_printf(&sb, ", %ld/%ld running", s->running, s->desired);
		strbuf_puts(&sb, ")\n");
	}
	if (st->nsteps == 0)
		strbuf_puts(&sb, "  nothing was changed yet\n");
	strbuf_puts(
	    &sb, "ECS goes on with any deployment already started; ecsfix stopped following it.\n"
		 "To resume: run ecsfix again, open the same diff (d) and approve it: the "
		 "revision already registered is reused and services already moved are "
		 "followed, not updated twice.\n");
	return strbuf_take(&sb);
}

void tui_event_free(struct tui_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->text);
	free(ev->hint);
	free(ev->subject);
	free(ev->session.profile);
	free(ev->session.region);
	free(ev->session.account);
	free(ev->session.endpoint);
	free(ev->step.subject);
	free(ev->step.text);
	json_object_put(ev->doc);
	free(ev);
}
