/* state.h: the TUI as a pure state machine: events in, redraw flags and effects out. No
 * curses, no I/O: the loop in tui.c performs the effects and draws. */
#ifndef ECSFIX_TUI_STATE_H
#define ECSFIX_TUI_STATE_H

#include "tui/action.h"
#include "tui/keymap.h"

#include <json-c/json.h>
#include <stddef.h>

/* Semantic colour roles (htop/ncdu): drawing code never names a colour. */
#define TUI_ROLES(X)                                                                               \
	X(NORMAL)                                                                                  \
	X(TITLE)                                                                                   \
	X(COLHEAD)                                                                                 \
	X(SELECTED)                                                                                \
	X(BAD)                                                                                     \
	X(WARN)                                                                                    \
	X(GOOD)                                                                                    \
	X(DIM)                                                                                     \
	X(ADD)                                                                                     \
	X(DEL)                                                                                     \
	X(HUNK)                                                                                    \
	X(HEADER)                                                                                  \
	X(STATUS)                                                                                  \
	X(ERROR)                                                                                   \
	X(DIALOG)

enum tui_role {
#define X(id) TUI_ROLE_##id,
	TUI_ROLES(X)
#undef X
	    TUI_ROLE__COUNT
};

#define TUI_VIEWS(X)                                                                               \
	X(SERVICES, "services")                                                                    \
	X(CLUSTERS, "clusters")                                                                    \
	X(TASKDEFS, "taskdefs")                                                                    \
	X(FINDINGS, "findings")                                                                    \
	X(DETAIL, "detail")                                                                        \
	X(DIFF, "diff")                                                                            \
	X(APPLY, "apply")                                                                          \
	X(HELP, "help")

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
};

/* Effects the loop must perform after tui_state_apply (bits in state.fx). */
enum {
	TUI_FX_SCAN = 1 << 0,
	TUI_FX_PLAN = 1 << 1,
	TUI_FX_WRITE_PLAN = 1 << 2, /* path in state.fx_path */
	TUI_FX_APPLY = 1 << 3,
	TUI_FX_ROLLBACK = 1 << 4,
	TUI_FX_CANCEL = 1 << 5,
};

/* One row of plain data; one list widget draws every view. */
struct tui_row {
	char **cells; /* ncols cells (owned) */
	enum tui_role role;
	char *ref; /* what Enter opens (an ARN or a view name), owned, may be NULL */
};

struct tui_column {
	const char *title;
	int width; /* minimum width */
	int flex;  /* share of the spare width */
	int right; /* right-aligned */
};

enum tui_prompt_kind {
	TUI_PROMPT_NONE,
	TUI_PROMPT_FILTER,
	TUI_PROMPT_COMMAND,
	TUI_PROMPT_USER,
	TUI_PROMPT_SUBNETS,
	TUI_PROMPT_SECGROUPS,
	TUI_PROMPT_PLAN_PATH,
	TUI_PROMPT_APPROVE,
	TUI_PROMPT_QUIT,
};

struct tui_view_state {
	enum tui_view_id id;
	size_t sel, top;
	char *subject; /* detail/diff: the ARN (service or task definition) */
	char *filter;  /* list views: the filter, NULL when none */
};

enum tui_job { TUI_JOB_NONE, TUI_JOB_SCAN, TUI_JOB_PLAN, TUI_JOB_APPLY, TUI_JOB_ROLLBACK };

struct tui_step {
	int kind;
	char *subject, *text;
	long running, desired;
	int state;
};

enum tui_event_type {
	TUI_EV_ACTION,     /* action */
	TUI_EV_CHAR,       /* ch: text typed into a prompt */
	TUI_EV_RESIZE,     /* rows, cols */
	TUI_EV_TICK,       /* spinner */
	TUI_EV_SESSION,    /* text: "profile\tregion\taccount\tendpoint" */
	TUI_EV_PROGRESS,   /* text (what), a (done), b (total) */
	TUI_EV_SCAN_DONE,  /* doc: the report (taken) */
	TUI_EV_PLAN_DONE,  /* doc: the plan (taken), subject: the target it was asked for */
	TUI_EV_WRITE_DONE, /* text: the path written */
	TUI_EV_STEP,       /* kind, subject, text, a running, b desired, state */
	TUI_EV_APPLY_DONE, /* doc: the outcome (taken) */
	TUI_EV_JOB_FAILED, /* text, hint */
};

struct tui_event {
	enum tui_event_type type;
	enum tui_action action;
	int ch;
	int rows, cols;
	int kind, state;
	long a, b;
	char *text, *hint, *subject; /* owned by the event */
	json_object *doc;            /* owned by the event until the state takes it */
};

struct tui_state {
	int read_only;
	int rows, cols;
	char *profile, *region, *account, *endpoint;

	json_object *report;    /* owned */
	json_object *td_by_arn; /* owned index: arn -> task definition (borrowed entries) */
	json_object *svc_by_arn;

	struct tui_view_state stack[8];
	size_t depth; /* stack[depth - 1] is on screen */
	struct tui_row *rowv;
	size_t nrows, rowcap;

	/* The diff: its subject, the options and the plan computed for them. */
	char *plan_target;
	char *opt_user, *opt_netmode, *opt_subnets, *opt_secgroups;
	json_object *plan; /* owned */

	enum tui_prompt_kind prompt;
	char input[256];
	size_t input_len;

	char *status; /* one line, owned */
	char *hint;
	enum tui_role status_role;

	enum tui_job job; /* what the worker is doing */
	char *busy_what;
	long busy_done, busy_total;
	unsigned spinner;

	struct tui_step *steps;
	size_t nsteps;
	char *events[6]; /* recent service events, newest last */
	json_object *outcome;
	int change_failed;

	unsigned fx;
	char *fx_path;
};

void tui_state_init(struct tui_state *st, int read_only, int rows, int cols);
void tui_state_done(struct tui_state *st);

/* Applies one event; returns TUI_RX_* flags. Takes ownership of ev->doc when it keeps it
 * (sets it to NULL). */
unsigned tui_state_apply(struct tui_state *st, struct tui_event *ev);
/* Convenience: an action event. */
unsigned tui_state_action(struct tui_state *st, enum tui_action a);

/* The context keys are looked up in, from the view and prompt on screen. */
enum tui_context tui_state_context(const struct tui_state *st);
const struct tui_view_state *tui_state_view(const struct tui_state *st);
/* The columns of the view on screen (ncols set). */
const struct tui_column *tui_state_columns(const struct tui_state *st, size_t *ncols);
const char *tui_view_name(enum tui_view_id id);
/* Number of body lines a page has at the current size. */
int tui_state_page(const struct tui_state *st);
/* The prompt's label ("/", ":", "user: " ...). */
const char *tui_state_prompt_label(const struct tui_state *st);
/* The approval dialog's lines (summary of what will happen), one per \n (caller frees). */
char *tui_state_approval_text(const struct tui_state *st);
/* Key hints for the status line, generated from the key table. */
void tui_state_hints(const struct tui_state *st, char *buf, size_t len);
/* A change is in flight (apply or rollback running). */
int tui_state_busy_changing(const struct tui_state *st);

void tui_event_free(struct tui_event *ev);

#endif
