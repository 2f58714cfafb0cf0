/* action.c: the names, help texts and flags of the TUI actions (from the X-macro list). */
#include "config.h"

#include "tui/action.h"

#include <string.h>

static const struct {
	const char *name;
	const char *help;
	unsigned flags;
} action_table[] = {
#define X(id, name, help, flags) {name, help, flags},
    TUI_ACTIONS(X)
#undef X
};

const char *tui_action_name(enum tui_action a)
{
	return (unsigned)a < TUI_ACT__COUNT ? action_table[a].name : "none";
}

const char *tui_action_help(enum tui_action a)
{
	return (unsigned)a < TUI_ACT__COUNT ? action_table[a].help : "";
}

unsigned tui_action_flags(enum tui_action a)
{
	return (unsigned)a < TUI_ACT__COUNT ? action_table[a].flags : 0;
}

enum tui_action tui_action_from_name(const char *name)
{
	for (size_t i = 0; i < TUI_ACT__COUNT; i++)
		if (strcmp(action_table[i].name, name) == 0)
			return (enum tui_action)i;
	return TUI_ACT_NONE;
}
