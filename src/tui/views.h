/* views.h: the views as data + callbacks (tig's view_ops): columns, key context, a builder
 * that fills the view's list from the report, plan or change, and a request hook for the
 * actions only that view has. The table goes to tui_state_init; state.c never includes
 * this header. Shared by views.c (detail, help, the table), views_lists.c (services,
 * clusters, task definitions, findings) and views_change.c (diff, change). */
#ifndef ECSFIX_TUI_VIEWS_H
#define ECSFIX_TUI_VIEWS_H

#include "tui/state.h"

/* The view table, indexed by enum tui_view_id. */
const struct tui_view_ops *const *views_table(void);

/* The approval dialog's lines (what will happen), one per \n (caller frees). */
char *views_approval_text(const struct tui_state *st);

/* "web:5" from a task definition ARN (or the input if it is not one). */
const char *views_td_short(const char *arn);

/* ---- for the view modules ---- */
extern const struct tui_view_ops views_services_ops, views_clusters_ops, views_taskdefs_ops,
    views_findings_ops, views_diff_ops, views_apply_ops, views_owners_ops, views_accounts_ops;

const char *views_str(json_object *o, const char *key, const char *def);
size_t views_len(json_object *arr);
/* The rule results of a task definition or plan: "Title" then one line per check. */
void views_checks(struct tui_state *st, struct tui_view_state *v, json_object *checks,
		  const char *title);
/* Notes (plan or service), with CLI flags turned into the TUI's keys. */
void views_notes(struct tui_state *st, struct tui_view_state *v, json_object *notes,
		 const char *unknown);
/* text with the CLI flags it names (--user, --network-mode ...) replaced by the keys that
 * do the same here. Returns a new string. */
char *views_keys_for_flags(const char *text);
/* Opens the diff of target (a service or task definition ARN). */
unsigned views_open_diff(struct tui_state *st, const char *target);
/* "1 service" / "2 services". Returns buf. */
const char *views_count(char *buf, size_t len, long long n, const char *one, const char *many);

#endif
