/* action.h: every TUI action in one X-macro list: enum, name (for :commands, scripts and the
 * key table) and help text, so the help screen can never drift from the keys. */
#ifndef ECSFIX_TUI_ACTION_H
#define ECSFIX_TUI_ACTION_H

/* Flags: TUI_AF_WRITES marks an action that changes the AWS account (removed by --read-only). */
#define TUI_AF_WRITES 1u

/* X(ID, "name", "help", flags) */
#define TUI_ACTIONS(X)                                                                             \
	X(NONE, "none", "Do nothing", 0)                                                           \
	X(MOVE_DOWN, "move-down", "Select the next line", 0)                                       \
	X(MOVE_UP, "move-up", "Select the previous line", 0)                                       \
	X(PAGE_DOWN, "page-down", "Move one page down", 0)                                         \
	X(PAGE_UP, "page-up", "Move one page up", 0)                                               \
	X(FIRST, "first", "Go to the first line", 0)                                               \
	X(LAST, "last", "Go to the last line", 0)                                                  \
	X(OPEN, "open", "Open the selected item", 0)                                               \
	X(BACK, "back", "Go back (closes the view; in a list, clears the filter first)", 0)        \
	X(FILTER, "filter", "Filter the list (Esc clears)", 0)                                     \
	X(COMMAND, "command",                                                                      \
	  "Command: :services :clusters :taskdefs :findings :owners :accounts :quit", 0)           \
	X(DIFF, "diff", "Diff of the proposed revision for the selected service or revision", 0)   \
	X(SET_USER, "set-user", "In the diff: set a non-root user for the containers", 0)          \
	X(SET_NETWORK, "set-network", "In the diff: cycle the network mode keep/bridge/awsvpc", 0) \
	X(WRITE_PLAN, "write-plan", "In the diff: write the plan to a file (for ecsfix apply)", 0) \
	X(SET_CAPS, "set-caps", "In the diff: add capabilities instead of privileged", 0)          \
	X(WRITE_MESSAGE, "write-message",                                                          \
	  "In the diff: write the message for the owner (Markdown)", 0)                            \
	X(EXCEPTION, "exception",                                                                  \
	  "In the diff: record an exception (privileged is needed; reason, until, typed yes)",     \
	  TUI_AF_WRITES)                                                                           \
	X(APPROVE, "approve", "In the diff: approve the change (type yes and Enter)",              \
	  TUI_AF_WRITES)                                                                           \
	X(ROLLBACK, "rollback", "After a failed change: roll the services back", TUI_AF_WRITES)    \
	X(CHANGE_VIEW, "change", "Back to the change running, or the last one", 0)                 \
	X(TOGGLE_SERVICE, "toggle", "In the approval: leave the service out, or take it back", 0)  \
	X(DEREGISTER, "deregister", "After a failed change: deregister the failed new revision",   \
	  TUI_AF_WRITES)                                                                           \
	X(REFRESH, "refresh", "Scan the account again", 0)                                         \
	X(HELP, "help", "Show this help", 0)                                                       \
	X(REDRAW, "redraw", "Redraw the screen", 0)                                                \
	X(QUIT, "quit", "Quit (asks while a change is in flight)", 0)                              \
	X(QUIT_PAGE, "close", "Close this page (as in less and man)", 0)                           \
	X(VIEW_SERVICES, "services", "Show the services (home)", 0)                                \
	X(VIEW_CLUSTERS, "clusters", "Show the clusters", 0)                                       \
	X(VIEW_TASKDEFS, "taskdefs", "Show the task definitions", 0)                               \
	X(VIEW_FINDINGS, "findings", "Show the Security Hub findings", 0)                          \
	X(VIEW_OWNERS, "owners", "Show the owners and what of theirs fails", 0)                    \
	X(VIEW_ACCOUNTS, "accounts", "Show the accounts and regions scanned", 0)                   \
	X(PROMPT_ACCEPT, "prompt-accept", "In a prompt: accept", 0)                                \
	X(PROMPT_CANCEL, "prompt-cancel", "In a prompt: cancel", 0)                                \
	X(PROMPT_ERASE, "prompt-erase", "In a prompt: erase a character", 0)

enum tui_action {
#define X(id, name, help, flags) TUI_ACT_##id,
	TUI_ACTIONS(X)
#undef X
	    TUI_ACT__COUNT
};

/* The action's name, help text and TUI_AF_* flags; TUI_ACT_NONE for an unknown name. */
const char *tui_action_name(enum tui_action a);
const char *tui_action_help(enum tui_action a);
unsigned tui_action_flags(enum tui_action a);
enum tui_action tui_action_from_name(const char *name);

#endif
