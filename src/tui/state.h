/* state.h: the TUI as a pure state machine: events in, redraw flags and effects out. No
 * curses, no I/O: the loop in tui.c performs the effects and draws. Views are a table of
 * callbacks (tig's view_ops) handed to the state at init: the state runs the stack, the
 * prompts and the actions every view shares, and passes the others to the view on top. */
#ifndef ECSFIX_TUI_STATE_H
#define ECSFIX_TUI_STATE_H

#include "tui/action.h"
#include "tui/backend.h"
#include "tui/keymap.h"
#include "tui/list.h"
#include "tui/role.h"

#include <json-c/json.h>
#include <stddef.h>

#define TUI_VIEWS(X)                                                                               \
	X(SERVICES, "services")                                                                    \
	X(CLUSTERS, "clusters")                                                                    \
	X(TASKDEFS, "taskdefs")                                                                    \
	X(FINDINGS, "findings")                                                                    \
	X(DETAIL, "detail")                                                                        \
	X(DIFF, "diff")                                                                            \
	X(APPLY, "apply")                                                                          \
	X(HELP, "help")                                                                            \
	X(OWNERS, "owners")                                                                        \
	X(ACCOUNTS, "accounts")

enum tui_view_id {
#define X(id, name) TUI_VIEW_##id,
	TUI_VIEWS(X)
#undef X
	    TUI_VIEW__COUNT
};

/* Redraw flags (htop's reactions). */
enum {
	TUI_RX_NONE = 0,
	TUI_RX_HEADER = 1 << 0,
	TUI_RX_BODY = 1 << 1,
	TUI_RX_STATUS = 1 << 2,
	TUI_RX_ALL = TUI_RX_HEADER | TUI_RX_BODY | TUI_RX_STATUS,
	TUI_RX_CLEAR = 1 << 3, /* repaint everything from scratch (resize, <C-l>) */
	TUI_RX_QUIT = 1 << 4,
	TUI_RX_PASS = 1 << 5, /* a view's request hook: not mine, the state decides */
};

/* Effects the loop must perform after tui_state_apply (bits in state.fx). */
enum {
	TUI_FX_SCAN = 1 << 0,
	TUI_FX_PLAN = 1 << 1,
	TUI_FX_WRITE_PLAN = 1 << 2, /* path in state.fx_path */
	TUI_FX_APPLY = 1 << 3,
	TUI_FX_ROLLBACK = 1 << 4,
	TUI_FX_CANCEL = 1 << 5,
	TUI_FX_DEREGISTER = 1 << 6,    /* the outcome's verify.failedNewArn */
	TUI_FX_WRITE_MESSAGE = 1 << 7, /* the owner's message, path in state.fx_path */
	TUI_FX_EXCEPTION = 1 << 8,     /* record exc_reason until exc_until on the plan's family */
};

enum tui_prompt_kind {
	TUI_PROMPT_NONE,
	TUI_PROMPT_FILTER,
	TUI_PROMPT_COMMAND,
	TUI_PROMPT_USER,
	TUI_PROMPT_SUBNETS,
	TUI_PROMPT_SECGROUPS,
	TUI_PROMPT_PLAN_PATH,
	TUI_PROMPT_MESSAGE_PATH,
	TUI_PROMPT_CAPS,
	TUI_PROMPT_EXC_REASON,
	TUI_PROMPT_EXC_UNTIL,
	TUI_PROMPT_EXC_APPROVE,
	TUI_PROMPT_OVERWRITE,
	TUI_PROMPT_APPROVE,
	TUI_PROMPT_DEREGISTER,
	TUI_PROMPT_QUIT,
};

/* One view on the stack: its list widget, what it shows and its filter. */
struct tui_view_state {
	enum tui_view_id id;
	struct tui_list list;
	char *subject; /* detail/diff: the ARN (service or task definition) */
	char *filter;  /* list views: the filter, NULL when none */
};

struct tui_state;

/* A view: data + callbacks. request gets every action the state does not keep for itself
 * (moving, prompts, views, help, quit) and returns TUI_RX_* flags, or TUI_RX_PASS when the
 * action means nothing here (the state then says so). prompt_done gets the text of a prompt
 * the view opened (tui_state_prompt). */
struct tui_view_ops {
	enum tui_view_id id;
	const char *name;
	const struct tui_column *cols;
	size_t ncols;
	enum tui_context ctx;
	int list;       /* a selectable list (else a scrolling text) */
	int filterable; /* '/' applies */
	/* Fills v->list (tui_state_line, tui_list_add) from the state. */
	void (*build)(struct tui_state *st, struct tui_view_state *v);
	/* The title line. Returns a new string. */
	char *(*title)(const struct tui_state *st, const struct tui_view_state *v);
	unsigned (*request)(struct tui_state *st, struct tui_view_state *v, enum tui_action a);
	unsigned (*prompt_done)(struct tui_state *st, struct tui_view_state *v,
				enum tui_prompt_kind k, const char *input);
	/* The actions the status line suggests here, and (optional) whether one is offered
	 * now (e.g. no approve when there is nothing to change). */
	const enum tui_action *hints;
	size_t nhints;
	int (*offers)(const struct tui_state *st, enum tui_action a);
};

enum tui_job {
	TUI_JOB_NONE,
	TUI_JOB_SCAN,
	TUI_JOB_PLAN,
	TUI_JOB_APPLY,
	TUI_JOB_ROLLBACK,
	TUI_JOB_DEREGISTER,
	TUI_JOB_EXCEPTION
};

struct tui_step {
	enum tui_step_kind kind;
	char *subject, *text;
	long running, desired;
	enum tui_step_state state;
};

enum tui_event_type {
	TUI_EV_ACTION,          /* action */
	TUI_EV_CHAR,            /* ch: text typed into a prompt */
	TUI_EV_RESIZE,          /* rows, cols */
	TUI_EV_TICK,            /* spinner */
	TUI_EV_SESSION,         /* session: profile, region, account, endpoint */
	TUI_EV_PROGRESS,        /* text (what), a (done), b (total) */
	TUI_EV_SCAN_DONE,       /* doc: the report (taken) */
	TUI_EV_PLAN_DONE,       /* doc: the plan (taken), subject: the target it was asked for */
	TUI_EV_WRITE_DONE,      /* text: the path written */
	TUI_EV_WRITE_EXISTS,    /* text: the path, which exists (nothing written) */
	TUI_EV_MESSAGE_DONE,    /* text: the path of the message for the owner written */
	TUI_EV_EXCEPTION_DONE,  /* text: what was recorded */
	TUI_EV_STEP,            /* step: one step of a change */
	TUI_EV_APPLY_DONE,      /* doc: the outcome (taken) */
	TUI_EV_DEREGISTER_DONE, /* text: the revision deregistered */
	TUI_EV_JOB_FAILED,      /* text, hint */
};

struct tui_event {
	enum tui_event_type type;
	enum tui_action action;
	int ch;
	int rows, cols;
	long a, b;
	char *text, *hint, *subject; /* owned by the event */
	struct {
		char *profile, *region, *account, *endpoint; /* owned, may be NULL */
	} session;
	struct tui_step step; /* TUI_EV_STEP: subject and text owned by the event */
	json_object *doc;     /* owned by the event until the state takes it */
};

struct tui_state {
	const struct tui_view_ops *const *views; /* TUI_VIEW__COUNT entries, borrowed */
	int read_only;
	int rows, cols;
	int too_small;    /* below TUI_MIN: nothing but resize and quit act */
	int multi_target; /* the report spans several accounts or regions */
	char *profile, *region, *account, *endpoint;

	json_object *report;    /* owned */
	json_object *td_by_arn; /* owned index: arn -> task definition (borrowed entries) */
	json_object *svc_by_arn;
	json_object *finding_by_id;

	struct tui_view_state stack[8];
	size_t depth; /* stack[depth - 1] is on screen */

	/* The diff: its subject, the options and the plan computed for them. */
	char *plan_target;
	char *opt_user, *opt_netmode, *opt_subnets, *opt_secgroups, *opt_caps;
	/* the options of the plan on screen (restored when new ones are refused) */
	char *shown_user, *shown_netmode, *shown_subnets, *shown_secgroups, *shown_caps;
	char *exc_reason, *exc_until; /* x: the exception being asked for */
	json_object *plan;            /* owned */

	enum tui_prompt_kind prompt;
	size_t approve_cursor; /* the approval dialog: the service space toggles */
	char input[256];
	size_t input_len;
	int input_fresh; /* the text was prefilled and not touched yet: typing replaces it */

	char *status; /* one line, owned */
	char *hint;
	enum tui_role status_role;

	enum tui_job job; /* what the worker is doing */
	char *busy_what;
	long busy_done, busy_total;
	unsigned spinner;

	/* The change (apply or rollback): kept after it ends, until the next one. */
	int change_seen;  /* a change ran in this session: w brings its view back */
	int plan_applied; /* the plan on screen started a change: it is spent (d plans anew) */
	struct tui_step *steps;
	size_t nsteps;
	char *events[6];   /* recent ECS service events, newest last */
	char *messages[6]; /* ecsfix's own messages, newest last */
	json_object *outcome;
	int change_failed;
	int quit_after_cancel; /* quit asked during a change: exit 130 with a summary */

	unsigned fx;
	char *fx_path;
	int fx_overwrite; /* TUI_FX_WRITE_*: the user agreed to replace the file */
	int fx_message;   /* the path prompt and overwrite question are for the message */
};

/* Width and height below which the UI shows only "terminal too small". */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

void tui_state_init(struct tui_state *st, const struct tui_view_ops *const *views, int read_only,
		    int rows, int cols);
void tui_state_done(struct tui_state *st);

/* Applies one event; returns TUI_RX_* flags. Takes ownership of ev->doc when it keeps it
 * (sets it to NULL). */
unsigned tui_state_apply(struct tui_state *st, struct tui_event *ev);
/* Convenience: an action event. */
unsigned tui_state_action(struct tui_state *st, enum tui_action a);

/* The context keys are looked up in, from the view and prompt on screen. */
enum tui_context tui_state_context(const struct tui_state *st);
const struct tui_view_state *tui_state_view(const struct tui_state *st);
const struct tui_view_ops *tui_state_ops(const struct tui_state *st);
/* The list of the view on screen. */
const struct tui_list *tui_state_list(const struct tui_state *st);
const char *tui_view_name(enum tui_view_id id);
/* Number of body lines a page has at the current size. */
int tui_state_page(const struct tui_state *st);
/* The prompt's label ("/", ":", "user: " ...). */
const char *tui_state_prompt_label(const struct tui_state *st);
/* Key hints for the status line, generated from the key table. */
void tui_state_hints(const struct tui_state *st, char *buf, size_t len);
/* A change is in flight (apply or rollback running). */
int tui_state_busy_changing(const struct tui_state *st);
/* What the process prints on stderr after curses ends (a change interrupted by quit:
 * what happened and how to resume); NULL when nothing. Caller frees. */
char *tui_state_exit_summary(const struct tui_state *st);

/* For views (their request and build hooks). */
void tui_state_status(struct tui_state *st, enum tui_role role, const char *hint, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));
void tui_state_set(char **dst, const char *src);
void tui_state_push(struct tui_state *st, enum tui_view_id id, const char *subject);
void tui_state_pop(struct tui_state *st);
/* Replaces the stack by the list view id (the home of the :services ... commands). */
void tui_state_home(struct tui_state *st, enum tui_view_id id);
void tui_state_rebuild(struct tui_state *st);
/* Opens a prompt with the text prefilled (selected: typing replaces it). */
void tui_state_prompt(struct tui_state *st, enum tui_prompt_kind k, const char *prefill);
/* A line of a text view, wrapped at the width (continuations indented). */
void tui_state_line(struct tui_state *st, struct tui_view_state *v, enum tui_role role,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "busy: <what>" for an action refused while the worker works (one wording). */
unsigned tui_state_busy(struct tui_state *st);
/* Starts a scan (refused with tui_state_busy while a job runs). */
unsigned tui_state_rescan(struct tui_state *st);
/* Asks for the plan of plan_target with the options chosen. */
unsigned tui_state_request_plan(struct tui_state *st);
json_object *tui_state_td(const struct tui_state *st, const char *arn);
json_object *tui_state_svc(const struct tui_state *st, const char *arn);

void tui_event_free(struct tui_event *ev);

#endif
