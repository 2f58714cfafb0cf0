/* keymap.c: the default key table, key-name parsing and lookup; no curses here. */
#include "config.h"

#include "tui/keymap.h"

#include <stdio.h>
#include <string.h>

static const char *const keymap_contexts[] = {
#define X(id, name) name,
    TUI_CONTEXTS(X)
#undef X
};

/* The default bindings (DESIGN.md section 4). Help and the man page are generated from it. */
static const struct tui_binding keymap_default[] = {
    {TUI_CTX_GLOBAL, "j", TUI_ACT_MOVE_DOWN},
    {TUI_CTX_GLOBAL, "<Down>", TUI_ACT_MOVE_DOWN},
    {TUI_CTX_GLOBAL, "k", TUI_ACT_MOVE_UP},
    {TUI_CTX_GLOBAL, "<Up>", TUI_ACT_MOVE_UP},
    {TUI_CTX_GLOBAL, "<PgDn>", TUI_ACT_PAGE_DOWN},
    {TUI_CTX_GLOBAL, "<C-f>", TUI_ACT_PAGE_DOWN},
    {TUI_CTX_GLOBAL, "<PgUp>", TUI_ACT_PAGE_UP},
    {TUI_CTX_GLOBAL, "<C-b>", TUI_ACT_PAGE_UP},
    {TUI_CTX_GLOBAL, "g", TUI_ACT_FIRST},
    {TUI_CTX_GLOBAL, "<Home>", TUI_ACT_FIRST},
    {TUI_CTX_GLOBAL, "G", TUI_ACT_LAST},
    {TUI_CTX_GLOBAL, "<End>", TUI_ACT_LAST},
    {TUI_CTX_GLOBAL, "<Enter>", TUI_ACT_OPEN},
    {TUI_CTX_GLOBAL, "<Right>", TUI_ACT_OPEN},
    {TUI_CTX_GLOBAL, "<Esc>", TUI_ACT_BACK},
    {TUI_CTX_GLOBAL, "h", TUI_ACT_BACK},
    {TUI_CTX_GLOBAL, "<Left>", TUI_ACT_BACK},
    {TUI_CTX_GLOBAL, "/", TUI_ACT_FILTER},
    {TUI_CTX_GLOBAL, ":", TUI_ACT_COMMAND},
    {TUI_CTX_GLOBAL, "d", TUI_ACT_DIFF},
    {TUI_CTX_GLOBAL, "r", TUI_ACT_REFRESH},
    {TUI_CTX_GLOBAL, "?", TUI_ACT_HELP},
    {TUI_CTX_GLOBAL, "<C-l>", TUI_ACT_REDRAW},
    {TUI_CTX_GLOBAL, "q", TUI_ACT_QUIT},
    {TUI_CTX_GLOBAL, "w", TUI_ACT_CHANGE_VIEW},
    {TUI_CTX_DIFF, "u", TUI_ACT_SET_USER},
    {TUI_CTX_DIFF, "n", TUI_ACT_SET_NETWORK},
    {TUI_CTX_DIFF, "p", TUI_ACT_WRITE_PLAN},
    {TUI_CTX_DIFF, "c", TUI_ACT_SET_CAPS},
    {TUI_CTX_DIFF, "m", TUI_ACT_WRITE_MESSAGE},
    {TUI_CTX_DIFF, "x", TUI_ACT_EXCEPTION},
    {TUI_CTX_DIFF, "a", TUI_ACT_APPROVE},
    {TUI_CTX_APPLY, "b", TUI_ACT_ROLLBACK},
    {TUI_CTX_APPLY, "D", TUI_ACT_DEREGISTER},
    {TUI_CTX_HELP, "q", TUI_ACT_QUIT_PAGE},
    {TUI_CTX_APPROVE, "<Space>", TUI_ACT_TOGGLE_SERVICE},
    {TUI_CTX_APPROVE, "<Down>", TUI_ACT_MOVE_DOWN},
    {TUI_CTX_APPROVE, "<Up>", TUI_ACT_MOVE_UP},
    {TUI_CTX_PROMPT, "<Enter>", TUI_ACT_PROMPT_ACCEPT},
    {TUI_CTX_PROMPT, "<Esc>", TUI_ACT_PROMPT_CANCEL},
    {TUI_CTX_PROMPT, "<Backspace>", TUI_ACT_PROMPT_ERASE},
};

static const struct {
	const char *name;
	int key;
} keymap_names[] = {
    {"<Enter>", TUI_KEY_ENTER}, {"<Esc>", TUI_KEY_ESC},   {"<Backspace>", TUI_KEY_BACKSPACE},
    {"<Up>", TUI_KEY_UP},       {"<Down>", TUI_KEY_DOWN}, {"<Left>", TUI_KEY_LEFT},
    {"<Right>", TUI_KEY_RIGHT}, {"<PgUp>", TUI_KEY_PGUP}, {"<PgDn>", TUI_KEY_PGDN},
    {"<Home>", TUI_KEY_HOME},   {"<End>", TUI_KEY_END},   {"<Tab>", TUI_KEY_TAB},
    {"<Space>", ' '},
};

const struct tui_binding *keymap_bindings(size_t *n)
{
	*n = sizeof keymap_default / sizeof keymap_default[0];
	return keymap_default;
}

const char *keymap_context_name(enum tui_context c)
{
	return (unsigned)c < TUI_CTX__COUNT ? keymap_contexts[c] : "?";
}

/* Decodes one UTF-8 character filling all of s; -1 if s is not exactly one character. */
static int keymap_utf8_one(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int cp, n;

	if (p[0] < 0x80) {
		cp = p[0];
		n = 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		n = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		n = 3;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		n = 4;
	} else
		return -1;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (p[n] != '\0' || cp <= 32 || cp == 127)
		return -1;
	return cp;
}

int keymap_parse_key(const char *name)
{
	size_t len;

	if (name == NULL || name[0] == '\0')
		return -1;
	for (size_t i = 0; i < sizeof keymap_names / sizeof keymap_names[0]; i++)
		if (strcmp(name, keymap_names[i].name) == 0)
			return keymap_names[i].key;
	len = strlen(name);
	if (len == 5 && strncmp(name, "<C-", 3) == 0 && name[4] == '>' && name[3] >= 'a' &&
	    name[3] <= 'z')
		return name[3] - 'a' + 1;
	if (name[0] == '<' && len > 1)
		return -1;
	return keymap_utf8_one(name);
}

void keymap_key_name(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof keymap_names / sizeof keymap_names[0]; i++)
		if (keymap_names[i].key == key) {
			snprintf(buf, len, "%s", keymap_names[i].name);
			return;
		}
	if (key >= 1 && key <= 26) {
		snprintf(buf, len, "<C-%c>", 'a' + key - 1);
	} else if (key > 32 && key < 0x80) {
		snprintf(buf, len, "%c", key);
	} else if (key >= 0x80 && key < 0x800) {
		snprintf(buf, len, "%c%c", 0xc0 | (key >> 6), 0x80 | (key & 0x3f));
	} else if (key >= 0x800 && key < 0x10000) {
		snprintf(buf, len, "%c%c%c", 0xe0 | (key >> 12), 0x80 | ((key >> 6) & 0x3f),
			 0x80 | (key & 0x3f));
	} else {
		snprintf(buf, len, "<%d>", key);
	}
}

static enum tui_action keymap_find(enum tui_context ctx, int key)
{
	for (size_t i = 0; i < sizeof keymap_default / sizeof keymap_default[0]; i++)
		if (keymap_default[i].ctx == ctx && keymap_parse_key(keymap_default[i].key) == key)
			return keymap_default[i].action;
	return TUI_ACT_NONE;
}

int keymap_takes_text(enum tui_context ctx)
{
	return ctx == TUI_CTX_PROMPT || ctx == TUI_CTX_APPROVE;
}

enum tui_action keymap_lookup(enum tui_context ctx, int key)
{
	enum tui_action a = keymap_find(ctx, key);

	if (a == TUI_ACT_NONE && ctx == TUI_CTX_APPROVE)
		return keymap_find(TUI_CTX_PROMPT, key);
	if (a == TUI_ACT_NONE && ctx != TUI_CTX_PROMPT && ctx != TUI_CTX_GLOBAL)
		a = keymap_find(TUI_CTX_GLOBAL, key);
	return a;
}

void keymap_keys_for(enum tui_context ctx, enum tui_action a, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof keymap_default / sizeof keymap_default[0]; i++) {
		int n;

		if (keymap_default[i].ctx != ctx || keymap_default[i].action != a)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
			     keymap_default[i].key);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}
