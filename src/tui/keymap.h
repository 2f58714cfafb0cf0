/* keymap.h: the default key bindings as data, key names (tmux/tig style) and lookup. */
#ifndef ECSFIX_TUI_KEYMAP_H
#define ECSFIX_TUI_KEYMAP_H

#include "tui/action.h"

#include <stddef.h>

/* Key codes: Unicode code points for characters, control keys as 1..31, and these
 * specials above the Unicode range (curses codes are translated to them in tui.c). */
enum {
	TUI_KEY_ESC = 27,
	TUI_KEY_SPECIAL = 0x110000,
	TUI_KEY_ENTER,
	TUI_KEY_BACKSPACE,
	TUI_KEY_UP,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_TAB,
};

/* Contexts: a lookup tries the context, then GLOBAL (except PROMPT, which takes text, and
 * APPROVE, the approval dialog: a prompt with a list of services, which falls back to
 * PROMPT). */
#define TUI_CONTEXTS(X)                                                                            \
	X(GLOBAL, "global")                                                                        \
	X(LIST, "list")                                                                            \
	X(DIFF, "diff")                                                                            \
	X(APPLY, "apply")                                                                          \
	X(HELP, "help")                                                                            \
	X(APPROVE, "approval")                                                                     \
	X(PROMPT, "prompt")

enum tui_context {
#define X(id, name) TUI_CTX_##id,
	TUI_CONTEXTS(X)
#undef X
	    TUI_CTX__COUNT
};

struct tui_binding {
	enum tui_context ctx;
	const char *key; /* "j", "<Enter>", "<C-l>", "<PgDn>" */
	enum tui_action action;
};

/* The default table (one const array) and its length. */
const struct tui_binding *keymap_bindings(size_t *n);
const char *keymap_context_name(enum tui_context c);

/* Parses a key name; returns the key code, or -1 if the name is not valid. */
int keymap_parse_key(const char *name);
/* Writes the name of key into buf (at least 16 bytes). */
void keymap_key_name(int key, char *buf, size_t len);

/* 1 when keys bound to nothing in ctx are text for a prompt (PROMPT, APPROVE). */
int keymap_takes_text(enum tui_context ctx);

/* The action bound to key in ctx (falling back to GLOBAL), or TUI_ACT_NONE. */
enum tui_action keymap_lookup(enum tui_context ctx, int key);

/* All key names bound to action in ctx, joined with " " into buf; "" when none. */
void keymap_keys_for(enum tui_context ctx, enum tui_action a, char *buf, size_t len);

#endif
