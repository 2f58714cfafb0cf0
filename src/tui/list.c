/* list.c: the list widget's rows, selection and scroll (no curses). */
#include "config.h"

#include "tui/list.h"

#include "util/xmalloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void tui_list_init(struct tui_list *l, size_t ncols, int selectable)
{
	memset(l, 0, sizeof *l);
	l->ncols = ncols;
	l->selectable = selectable;
}

void tui_list_clear(struct tui_list *l)
{
	for (size_t i = 0; i < l->nrows; i++) {
		for (size_t c = 0; c < l->ncols; c++)
			free(l->rowv[i].cells[c]);
		free(l->rowv[i].cells);
		free(l->rowv[i].ref);
	}
	l->nrows = 0;
}

void tui_list_done(struct tui_list *l)
{
	tui_list_clear(l);
	free(l->rowv);
	memset(l, 0, sizeof *l);
}

struct tui_row *tui_list_add(struct tui_list *l, enum tui_role role, const char *ref,
			     const char *const *cells, size_t n)
{
	struct tui_row *r;

	assert(l->ncols > 0);
	if (l->nrows == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->rowv = xreallocarray(l->rowv, l->cap, sizeof *l->rowv);
	}
	r = &l->rowv[l->nrows++];
	r->role = role;
	r->ref = ref ? xstrdup(ref) : NULL;
	r->cells = xcalloc(l->ncols, sizeof *r->cells);
	for (size_t i = 0; i < l->ncols; i++)
		r->cells[i] = xstrdup(i < n && cells[i] ? cells[i] : "");
	return r;
}

void tui_list_clamp(struct tui_list *l, size_t page)
{
	size_t max = l->nrows > page ? l->nrows - page : 0;

	if (!l->selectable) {
		if (l->top > max)
			l->top = max;
		l->sel = l->top;
		return;
	}
	if (l->nrows == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->nrows)
		l->sel = l->nrows - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top > max)
		l->top = max;
}

int tui_list_move(struct tui_list *l, long delta, size_t page)
{
	size_t *pos = l->selectable ? &l->sel : &l->top;
	size_t was = *pos, was_top = l->top;

	if (delta < 0)
		*pos = (size_t)-delta > *pos ? 0 : *pos - (size_t)-delta;
	else
		*pos = *pos + (size_t)delta < *pos ? (size_t)-1 : *pos + (size_t)delta;
	if (l->selectable && *pos >= l->nrows)
		*pos = l->nrows ? l->nrows - 1 : 0;
	tui_list_clamp(l, page);
	return *pos != was || l->top != was_top;
}

int tui_list_at_end(const struct tui_list *l, size_t page)
{
	return l->top + page >= l->nrows;
}

void tui_list_follow(struct tui_list *l, size_t page, int was_at_end)
{
	if (was_at_end && l->nrows > page)
		l->top = l->nrows - page;
	tui_list_clamp(l, page);
}

const struct tui_row *tui_list_selected(const struct tui_list *l)
{
	return l->selectable && l->sel < l->nrows ? &l->rowv[l->sel] : NULL;
}

void tui_list_sort(struct tui_list *l, int (*cmp)(const struct tui_row *, const struct tui_row *))
{
	/* insertion sort: stable, and lists are a few thousand rows at most */
	for (size_t i = 1; i < l->nrows; i++) {
		struct tui_row r = l->rowv[i];
		size_t j = i;

		while (j > 0 && cmp(&l->rowv[j - 1], &r) > 0) {
			l->rowv[j] = l->rowv[j - 1];
			j--;
		}
		l->rowv[j] = r;
	}
}
