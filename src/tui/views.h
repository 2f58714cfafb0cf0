/* views.h: each view as data + callbacks (tig's view_ops): its columns, key context and a
 * builder that fills the state's rows of plain data from the report, plan or change. */
#ifndef ECSFIX_TUI_VIEWS_H
#define ECSFIX_TUI_VIEWS_H

#include "tui/state.h"

struct tui_view_ops {
	enum tui_view_id id;
	const char *name;
	const struct tui_column *cols;
	size_t ncols;
	enum tui_context ctx;
	int list;       /* a selectable list (else a scrolling text) */
	int filterable; /* '/' applies */
	/* Fills st's rows (tui_state_row_add) for the view state v. */
	void (*build)(struct tui_state *st, const struct tui_view_state *v);
	/* The title line. Returns a new string. */
	char *(*title)(const struct tui_state *st, const struct tui_view_state *v);
};

const struct tui_view_ops *views_get(enum tui_view_id id);

/* Row helpers for builders: adds a row of n cells (copied); returns it. */
struct tui_row *tui_state_row_add(struct tui_state *st, enum tui_role role, const char *ref,
				  size_t n, ...);
void tui_state_rows_clear(struct tui_state *st);

/* "web:5" from a task definition ARN (or the input if it is not one). */
const char *views_td_short(const char *arn);

#endif
