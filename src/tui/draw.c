/* draw.c: renders the state with ncursesw: one list widget draws every view's rows. */
#include "config.h"

#include "tui/draw.h"
#include "tui/views.h"

#include "util/strbuf.h"
#include "util/xmalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Converts UTF-8 to wide characters; invalid bytes become '?'. Returns a new array. */
static wchar_t *draw_wide(const char *s, size_t *n)
{
	size_t len = strlen(s), k = 0;
	wchar_t *w = xcalloc(len + 2, sizeof *w);
	mbstate_t ps;

	memset(&ps, 0, sizeof ps);
	while (*s) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &ps);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			r = 1;
		}
		if (wcwidth(wc) < 0)
			wc = L'?';
		w[k++] = wc;
		s += r;
	}
	w[k] = L'\0';
	*n = k;
	return w;
}

int draw_width(const char *s)
{
	size_t n;
	wchar_t *w = draw_wide(s, &n);
	int width = 0;

	for (size_t i = 0; i < n; i++)
		width += wcwidth(w[i]);
	free(w);
	return width;
}

/* The display width of w[0..n). */
static int draw_wwidth(const wchar_t *w, size_t n)
{
	int width = 0;

	for (size_t i = 0; i < n; i++)
		width += wcwidth(w[i]);
	return width;
}

/* Cuts w to fit width cells with a '~' marker; tail: keep the part from the last ':' (the
 * revision of family:N) and cut before it. Returns the width used. */
static int draw_fit(wchar_t *w, size_t n, int width, int tail)
{
	size_t fit, keep = n;
	int used = 0, kw = 0;

	if (draw_wwidth(w, n) <= width)
		return draw_wwidth(w, n);
	if (tail) {
		for (size_t i = n; i-- > 0;)
			if (w[i] == L':') {
				keep = i;
				break;
			}
		kw = draw_wwidth(w + keep, n - keep);
		if (keep == n || kw + 2 > width)
			keep = n, kw = 0;
	}
	for (fit = 0; fit < keep; fit++) {
		int cw = wcwidth(w[fit]);

		if (used + cw + 1 + kw > width)
			break;
		used += cw;
	}
	w[fit++] = L'~';
	used++;
	if (kw) {
		memmove(w + fit, w + keep, (n - keep) * sizeof *w);
		fit += n - keep;
		used += kw;
	}
	w[fit] = L'\0';
	return used;
}

/* Puts s at (y, x) in exactly width cells: truncated with '~' when too long (tail: the
 * ":N" kept), padded with blanks, right-aligned if asked. Wide characters never straddle
 * the edge. */
static void draw_cell_ex(int y, int x, int width, const char *s, int right, int tail, attr_t attr)
{
	size_t n;
	wchar_t *w;
	int used, pad;

	if (width <= 0)
		return;
	w = draw_wide(s ? s : "", &n);
	used = draw_fit(w, n, width, tail);
	pad = width - used;
	attrset(attr);
	move(y, x);
	if (right)
		for (int i = 0; i < pad; i++)
			addch(' ');
	addwstr(w);
	if (!right)
		for (int i = 0; i < pad; i++)
			addch(' ');
	attrset(A_NORMAL);
	free(w);
}

static void draw_cell(int y, int x, int width, const char *s, int right, attr_t attr)
{
	draw_cell_ex(y, x, width, s, right, 0, attr);
}

void draw_theme_init(struct draw_theme *th, int use_color)
{
	static const struct {
		enum tui_role role;
		short fg;
		unsigned long color_attr, mono_attr;
	} map[] = {
	    {TUI_ROLE_NORMAL, -1, A_NORMAL, A_NORMAL},
	    {TUI_ROLE_TITLE, -1, A_BOLD, A_BOLD},
	    {TUI_ROLE_COLHEAD, -1, A_BOLD | A_UNDERLINE, A_UNDERLINE},
	    {TUI_ROLE_SELECTED, -1, A_REVERSE, A_REVERSE},
	    {TUI_ROLE_BAD, COLOR_RED, A_BOLD, A_BOLD},
	    {TUI_ROLE_WARN, COLOR_YELLOW, A_NORMAL, A_NORMAL},
	    {TUI_ROLE_GOOD, COLOR_GREEN, A_NORMAL, A_NORMAL},
	    {TUI_ROLE_DIM, -1, A_DIM, A_DIM},
	    {TUI_ROLE_ADD, COLOR_GREEN, A_NORMAL, A_BOLD},
	    {TUI_ROLE_DEL, COLOR_RED, A_NORMAL, A_DIM},
	    {TUI_ROLE_HUNK, COLOR_CYAN, A_NORMAL, A_UNDERLINE},
	    {TUI_ROLE_HEADER, -1, A_REVERSE, A_REVERSE},
	    {TUI_ROLE_STATUS, -1, A_NORMAL, A_NORMAL},
	    {TUI_ROLE_ERROR, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE},
	    {TUI_ROLE_DIALOG, -1, A_NORMAL, A_NORMAL},
	};
	int color = use_color && has_colors();

	if (color) {
		start_color();
		use_default_colors();
	}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		unsigned long a = color ? map[i].color_attr : map[i].mono_attr;

		if (color && map[i].fg >= 0) {
			short pair = (short)(i + 1);

			init_pair(pair, map[i].fg, -1);
			a |= COLOR_PAIR(pair);
		}
		th->attr[map[i].role] = a;
	}
}

static void draw_header(const struct tui_state *st, const struct draw_theme *th)
{
	static const char spin[] = "|/-\\";
	struct strbuf sb;
	char right[160] = "";

	strbuf_init(&sb);
	strbuf_printf(&sb, " ecsfix  profile %s  %s  account %s  %s%s",
		      st->profile ? st->profile : "default", st->region ? st->region : "?",
		      st->account ? st->account : "?", st->endpoint ? st->endpoint : "",
		      st->read_only ? "  READ-ONLY" : "");
	if (st->job != TUI_JOB_NONE) {
		if (st->busy_total > 0)
			snprintf(right, sizeof right, "%c %s %ld/%ld ", spin[st->spinner % 4],
				 st->busy_what ? st->busy_what : "working", st->busy_done,
				 st->busy_total);
		else
			snprintf(right, sizeof right, "%c %s ", spin[st->spinner % 4],
				 st->busy_what ? st->busy_what : "working");
	}
	{
		int rw = draw_width(right), lw = COLS - rw;

		draw_cell(0, 0, lw, sb.buf, 0, (attr_t)th->attr[TUI_ROLE_HEADER]);
		draw_cell(0, lw, rw, right, 1, (attr_t)th->attr[TUI_ROLE_HEADER]);
	}
	strbuf_done(&sb);
}

/* Column widths: the columns that fit (multi ones only with several targets; the highest
 * drop first when the minimums do not fit; 0 = hidden), minimums, the spare width shared by
 * flex; what rounding leaves goes to the last flexible column, so a row always fills the
 * width (nothing stale is left). */
static void draw_widths(const struct tui_column *cols, size_t n, int total, int multi, int *w)
{
	int sum = 0, flex = 0, spare, given = 0;
	size_t last = n;

	for (size_t i = 0; i < n; i++)
		w[i] = cols[i].multi && !multi ? 0 : cols[i].width;
	for (;;) {
		size_t worst = n;

		sum = -1;
		for (size_t i = 0; i < n; i++)
			if (w[i]) {
				sum += w[i] + 1;
				if (cols[i].drop > 0 &&
				    (worst == n || cols[i].drop >= cols[worst].drop))
					worst = i;
			}
		if (sum <= total || worst == n)
			break;
		w[worst] = 0;
	}
	for (size_t i = 0; i < n; i++)
		if (w[i] && cols[i].flex) {
			flex += cols[i].flex;
			last = i;
		}
	spare = total - sum;
	for (size_t i = 0; i < n && flex > 0 && spare > 0; i++)
		if (w[i] && cols[i].flex) {
			w[i] += spare * cols[i].flex / flex;
			given += spare * cols[i].flex / flex;
		}
	if (last < n && spare > given)
		w[last] += spare - given;
	if (n == 1)
		w[0] = total;
}

static void draw_colheads(int y, const struct tui_column *cols, size_t ncols, const int *w,
			  const struct draw_theme *th)
{
	int x = 0;

	for (size_t c = 0; c < ncols; c++) {
		if (w[c] == 0)
			continue;
		draw_cell(y, x, w[c] + (x + w[c] < COLS ? 1 : 0), cols[c].title,
			  cols[c].right && c + 1 == ncols, (attr_t)th->attr[TUI_ROLE_COLHEAD]);
		x += w[c] + 1;
	}
	if (x - 1 < COLS) {
		move(y, x - 1);
		clrtoeol();
	}
}

static void draw_row(int y, const struct tui_row *r, int selected, const struct tui_column *cols,
		     size_t ncols, const int *w, const struct draw_theme *th)
{
	attr_t a = (attr_t)th->attr[r->role], gap = A_NORMAL;
	int x = 0;

	if (selected) {
		a = (attr_t)(th->attr[TUI_ROLE_SELECTED] | (th->attr[r->role] & ~A_REVERSE));
		gap = (attr_t)th->attr[TUI_ROLE_SELECTED];
	}
	for (size_t c = 0; c < ncols && x < COLS; c++) {
		int cw = x + w[c] > COLS ? COLS - x : w[c];

		if (w[c] == 0)
			continue;
		draw_cell_ex(y, x, cw, r->cells[c], cols[c].right, cols[c].tail, a);
		if (c + 1 < ncols && x + w[c] < COLS)
			draw_cell(y, x + w[c], 1, " ", 0, gap);
		x += w[c] + 1;
	}
	if (x - 1 < COLS) {
		move(y, x - 1);
		clrtoeol();
	}
}

/* What an empty list says. */
static const char *draw_empty(const struct tui_state *st, const struct tui_view_state *v)
{
	if (v->filter)
		return "  no matches (Esc clears the filter, / changes it)";
	if (st->report != NULL)
		return "  nothing here";
	if (st->job == TUI_JOB_SCAN)
		return "  loading... (keys work meanwhile; ? for help)";
	return "  nothing loaded (the status line says why; r tries again)";
}

static void draw_body(const struct tui_state *st, const struct draw_theme *th)
{
	const struct tui_view_state *v = tui_state_view(st);
	const struct tui_view_ops *ops = tui_state_ops(st);
	const struct tui_list *l = &v->list;
	int w[16], y = 1, page = tui_state_page(st);
	char *title = ops->title(st, v), pos[48];

	snprintf(pos, sizeof pos, " %zu/%zu ", l->nrows ? (ops->list ? l->sel : l->top) + 1 : 0,
		 l->nrows);
	draw_cell(y, 0, COLS - (int)strlen(pos), title, 0, (attr_t)th->attr[TUI_ROLE_TITLE]);
	draw_cell(y, COLS - (int)strlen(pos), (int)strlen(pos), pos, 1,
		  (attr_t)th->attr[TUI_ROLE_DIM]);
	free(title);
	y++;
	draw_widths(ops->cols, ops->ncols, COLS, st->multi_target, w);
	if (ops->list)
		draw_colheads(y++, ops->cols, ops->ncols, w, th);
	for (int i = 0; i < page; i++, y++) {
		size_t r = l->top + (size_t)i;

		if (r < l->nrows) {
			draw_row(y, &l->rowv[r], ops->list && r == l->sel, ops->cols, ops->ncols, w,
				 th);
			continue;
		}
		draw_cell(y, 0, COLS, r == 0 && ops->list ? draw_empty(st, v) : "", 0,
			  (attr_t)th->attr[TUI_ROLE_DIM]);
	}
}

/* A message on the last line; a long one (an error with its hint) takes up to three lines,
 * over the end of the body, cut at blanks. */
static void draw_status_lines(const char *msg, attr_t attr)
{
	const char *parts[3];
	size_t lens[3], n = 0, len = strlen(msg);

	while (len > 0 && n < 3) {
		size_t take = len;

		if (draw_width(msg) > COLS && n < 2) {
			size_t k;

			/* the longest prefix, cut at a blank, that fits */
			for (k = len; k > 0; k--) {
				char *probe;
				int fits;

				if (msg[k] != ' ' && msg[k] != '\0')
					continue;
				probe = xstrndup(msg, k);
				fits = draw_width(probe) <= COLS;
				free(probe);
				if (fits)
					break;
			}
			if (k > 0)
				take = k;
		}
		parts[n] = msg;
		lens[n++] = take;
		msg += take;
		len -= take;
		while (*msg == ' ') {
			msg++;
			len--;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char *p = xstrndup(parts[i], lens[i]);

		draw_cell(LINES - (int)n + (int)i, 0, COLS, p, 0, attr);
		free(p);
	}
}

static void draw_status(const struct tui_state *st, const struct draw_theme *th)
{
	int y = LINES - 1;

	if (st->prompt != TUI_PROMPT_NONE) {
		const char *label = tui_state_prompt_label(st);
		int lw = draw_width(label);

		/* what the question is about, above it (the approval dialog shows it inside) */
		if (st->status && st->prompt != TUI_PROMPT_APPROVE)
			draw_cell(y - 1, 0, COLS, st->status, 0, (attr_t)th->attr[st->status_role]);

		draw_cell(y, 0, lw, label, 0, (attr_t)th->attr[TUI_ROLE_TITLE]);
		draw_cell(y, lw, COLS - lw, "", 0, A_NORMAL);
		/* prefilled text is shown selected: typing replaces it */
		draw_cell(y, lw, draw_width(st->input), st->input, 0,
			  st->input_fresh ? (attr_t)th->attr[TUI_ROLE_SELECTED] : A_NORMAL);
		move(y, lw + draw_width(st->input) < COLS ? lw + draw_width(st->input) : COLS - 1);
		return;
	}
	if (st->status) {
		char *line =
		    st->hint ? xasprintf("%s (%s)", st->status, st->hint) : xstrdup(st->status);

		draw_status_lines(line, (attr_t)th->attr[st->status_role]);
		free(line);
	} else {
		char hints[256];

		tui_state_hints(st, hints, sizeof hints);
		draw_cell(y, 0, COLS, hints, 0, (attr_t)th->attr[TUI_ROLE_DIM]);
	}
}

/* The approval dialog: a box in the middle summing up what will happen. */
static void draw_dialog(const struct tui_state *st, const struct draw_theme *th)
{
	char *text = views_approval_text(st), *line, *save = NULL;
	int width = COLS - 8, y = 4, x = 4, n = 0;
	attr_t a = (attr_t)(th->attr[TUI_ROLE_DIALOG] | A_BOLD);

	for (char *p = text; *p; p++)
		n += *p == '\n';
	draw_cell(y++, x, width, "+- Approve the change ", 0, a);
	draw_cell(y - 1, x + 22, width - 22, "", 0, a);
	mvhline(y - 1, x + 22, '-', width - 23);
	mvaddch(y - 1, x + width - 1, '+');
	draw_cell(y, x, width - 1, "|", 0, a);
	draw_cell(y++, x + width - 1, 1, "|", 0, a);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* wrap long lines at width - 4 */
		size_t len = strlen(line);

		while (len > 0 && y < LINES - 3) {
			size_t take = len > (size_t)(width - 4) ? (size_t)(width - 4) : len;
			char *part;

			if (take < len)
				for (size_t k = take; k > take / 2; k--)
					if (line[k] == ' ') {
						take = k;
						break;
					}
			part = xasprintf("|  %.*s", (int)take, line);
			draw_cell(y, x, width - 1, part, 0, (attr_t)th->attr[TUI_ROLE_DIALOG]);
			draw_cell(y++, x + width - 1, 1, "|", 0, a);
			free(part);
			line += take;
			len -= take;
			while (*line == ' ') {
				line++;
				len--;
			}
		}
	}
	draw_cell(y, x, width - 1, "|", 0, a);
	draw_cell(y++, x + width - 1, 1, "|", 0, a);
	if (st->status) {
		char *msg = xasprintf("|  %s", st->status);

		draw_cell(y, x, width - 1, msg, 0, (attr_t)th->attr[st->status_role]);
		draw_cell(y++, x + width - 1, 1, "|", 0, a);
		free(msg);
	}
	draw_cell(y, x, width - 1, "|  Type yes and Enter to go; Esc cancels.", 0, a);
	draw_cell(y++, x + width - 1, 1, "|", 0, a);
	draw_cell(y, x, width, "+", 0, a);
	mvhline(y, x + 1, '-', width - 2);
	mvaddch(y, x + width - 1, '+');
	(void)n;
	free(text);
}

static void draw_too_small(void)
{
	char msg[128];

	erase();
	snprintf(msg, sizeof msg, "terminal too small: %dx%d (ecsfix needs %dx%d)", COLS, LINES,
		 TUI_MIN_COLS, TUI_MIN_ROWS);
	mvaddnstr(LINES / 2, 0, msg, COLS);
	if (LINES > 1)
		mvaddnstr(LINES / 2 + 1 < LINES ? LINES / 2 + 1 : 0, 0, "resize it, or q to quit",
			  COLS);
}

void draw_screen(const struct tui_state *st, const struct draw_theme *th, unsigned rx)
{
	if (rx & TUI_RX_CLEAR)
		clear();
	if (st->too_small || COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS) {
		draw_too_small();
		refresh();
		return;
	}
	curs_set(st->prompt != TUI_PROMPT_NONE ? 1 : 0);
	if (rx & TUI_RX_HEADER)
		draw_header(st, th);
	if (rx & (TUI_RX_BODY | TUI_RX_STATUS))
		draw_body(st, th);
	if (st->prompt == TUI_PROMPT_APPROVE)
		draw_dialog(st, th);
	draw_status(st, th);
	refresh();
}

char *draw_dump(void)
{
	struct strbuf sb;
	wchar_t line[1024];

	strbuf_init(&sb);
	for (int y = 0; y < LINES; y++) {
		char mb[4096];
		size_t n;
		int len = mvinnwstr(y, 0, line, COLS < 1023 ? COLS : 1023);

		if (len < 0)
			len = 0;
		line[len] = L'\0';
		n = wcstombs(mb, line, sizeof mb - 1);
		if (n == (size_t)-1)
			n = 0;
		mb[n] = '\0';
		while (n > 0 && mb[n - 1] == ' ')
			mb[--n] = '\0';
		strbuf_puts(&sb, mb);
		strbuf_putc(&sb, '\n');
	}
	{
		char *out = strbuf_take(&sb);

		strbuf_done(&sb);
		return out;
	}
}
