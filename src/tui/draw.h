/* draw.h: drawing the state with curses: header, title, one list widget for every view,
 * status line, prompt and approval dialog; colour roles with a monochrome fallback. */
#ifndef ECSFIX_TUI_DRAW_H
#define ECSFIX_TUI_DRAW_H

#include "tui/state.h"

#include <stddef.h>

struct draw_theme {
	unsigned long attr[TUI_ROLE__COUNT]; /* curses attributes per role */
};

/* Sets up the roles: colours when use_color and the terminal has them, else attributes
 * only. Call after the screen is initialised. */
void draw_theme_init(struct draw_theme *th, int use_color);

/* Draws what rx asks for (TUI_RX_*) into stdscr and refreshes once. */
void draw_screen(const struct tui_state *st, const struct draw_theme *th, unsigned rx);

/* The screen's text, row by row ("\n" after each, trailing blanks removed), for tests and
 * `--dump`. Returns a new string. */
char *draw_dump(void);

/* Display width of a UTF-8 string (wcwidth; invalid bytes count 1). */
int draw_width(const char *s);

#endif
