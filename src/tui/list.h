/* list.h: the list widget's data (htop's Panel): it owns its rows of plain text cells, the
 * selection and the scroll offset. A selectable list moves a selection; a text list (the
 * detail, diff, change and help pages) scrolls. Drawing is draw.c's; no curses here. */
#ifndef ECSFIX_TUI_LIST_H
#define ECSFIX_TUI_LIST_H

#include "tui/role.h"

#include <stddef.h>

struct tui_row {
	char **cells; /* ncols cells (owned) */
	enum tui_role role;
	char *ref; /* what Enter opens (an ARN or a name), owned, may be NULL */
};

struct tui_column {
	const char *title;
	int width; /* minimum width */
	int flex;  /* share of the spare width */
	int right; /* right-aligned */
	int tail;  /* when cut, keep the text from the last ':' (the revision of family:N) */
	int drop;  /* > 0: hidden when the minimum widths do not fit, highest first */
	int multi; /* shown only when the report spans several accounts or regions */
};

struct tui_list {
	struct tui_row *rowv;
	size_t nrows, cap;
	size_t ncols;
	size_t sel, top;
	int selectable;
};

void tui_list_init(struct tui_list *l, size_t ncols, int selectable);
/* Frees the rows; the selection and scroll stay (clamped by the next tui_list_clamp). */
void tui_list_clear(struct tui_list *l);
void tui_list_done(struct tui_list *l);
/* Adds a row of n cells (copied; missing cells are empty, NULL cells too); returns it. */
struct tui_row *tui_list_add(struct tui_list *l, enum tui_role role, const char *ref,
			     const char *const *cells, size_t n);
/* Keeps the selection (or the scroll offset of a text list) in range and visible. */
void tui_list_clamp(struct tui_list *l, size_t page);
/* Moves the selection (a text list: the scroll offset) by delta lines, clamped. Returns
 * whether anything moved. */
int tui_list_move(struct tui_list *l, long delta, size_t page);
/* Scrolls a text list to its end if it was there before rows were added (tail -f). */
void tui_list_follow(struct tui_list *l, size_t page, int was_at_end);
int tui_list_at_end(const struct tui_list *l, size_t page);
/* The selected row, or NULL (empty list, or a text list). */
const struct tui_row *tui_list_selected(const struct tui_list *l);
/* Sorts the rows with a stable order (insertion order kept for equal rows). */
void tui_list_sort(struct tui_list *l, int (*cmp)(const struct tui_row *, const struct tui_row *));

#endif
