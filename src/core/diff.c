/* diff.c: line diff (LCS on the changed middle) of two texts or two JSON documents, with
 * context hunks and unified output. */
#include "config.h"

#include "core/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* Above this many LCS cells the middle is shown as deleted then added (never for task
 * definitions, which are at most 64 KiB). */
#define DIFF_MAX_CELLS (8u * 1024u * 1024u)

struct diff_span {
	const char *p;
	size_t len;
};

struct diff_op {
	char kind;
	size_t old_i, new_i; /* 0-based positions before this op */
};

static struct diff_span *diff_split(const char *text, size_t *n)
{
	struct diff_span *v = NULL;
	size_t cap = 0;
	const char *p = text != NULL ? text : "";

	*n = 0;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[*n].p = p;
		v[*n].len = len;
		(*n)++;
		p += len + (nl != NULL ? 1 : 0);
	}
	return v;
}

static int diff_same(const struct diff_span *a, const struct diff_span *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

void diff_init(struct diff *d)
{
	memset(d, 0, sizeof(*d));
}

void diff_done(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->nlines; i++)
		free(d->lines[i].text);
	free(d->lines);
	free(d->hunks);
	diff_init(d);
}

static void diff_op_push(struct diff_op **ops, size_t *n, size_t *cap, char kind, size_t oi,
			 size_t ni)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 128;
		*ops = xreallocarray(*ops, *cap, sizeof(**ops));
	}
	(*ops)[*n].kind = kind;
	(*ops)[*n].old_i = oi;
	(*ops)[*n].new_i = ni;
	(*n)++;
}

/* The edit script turning a into b: common prefix, LCS of the middle, common suffix. */
static struct diff_op *diff_script(const struct diff_span *a, size_t na, const struct diff_span *b,
				   size_t nb, size_t *nops)
{
	struct diff_op *ops = NULL;
	size_t cap = 0, pre = 0, suf = 0, i, j, ma, mb;
	uint32_t *L = NULL;

	*nops = 0;
	while (pre < na && pre < nb && diff_same(&a[pre], &b[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && diff_same(&a[na - 1 - suf], &b[nb - 1 - suf]))
		suf++;
	for (i = 0; i < pre; i++)
		diff_op_push(&ops, nops, &cap, DIFF_CONTEXT, i, i);
	ma = na - pre - suf;
	mb = nb - pre - suf;
	if (ma > 0 && mb > 0 && (ma + 1) * (mb + 1) <= DIFF_MAX_CELLS) {
		/* L[i][j] = LCS length of a[pre+i..] and b[pre+j..] within the middle. */
		L = xcalloc((ma + 1) * (mb + 1), sizeof(*L));
		for (i = ma; i-- > 0;)
			for (j = mb; j-- > 0;) {
				uint32_t *cell = &L[i * (mb + 1) + j];

				if (diff_same(&a[pre + i], &b[pre + j]))
					*cell = L[(i + 1) * (mb + 1) + j + 1] + 1;
				else {
					uint32_t down = L[(i + 1) * (mb + 1) + j];
					uint32_t right = L[i * (mb + 1) + j + 1];

					*cell = down >= right ? down : right;
				}
			}
	}
	i = 0;
	j = 0;
	while (i < ma || j < mb) {
		if (L != NULL && i < ma && j < mb && diff_same(&a[pre + i], &b[pre + j])) {
			diff_op_push(&ops, nops, &cap, DIFF_CONTEXT, pre + i, pre + j);
			i++;
			j++;
		} else if (i < ma && (j == mb || L == NULL ||
				      L[(i + 1) * (mb + 1) + j] >= L[i * (mb + 1) + j + 1])) {
			diff_op_push(&ops, nops, &cap, DIFF_DEL, pre + i, pre + j);
			i++;
		} else {
			diff_op_push(&ops, nops, &cap, DIFF_ADD, pre + i, pre + j);
			j++;
		}
	}
	for (i = 0; i < suf; i++)
		diff_op_push(&ops, nops, &cap, DIFF_CONTEXT, na - suf + i, nb - suf + i);
	free(L);
	return ops;
}

static void diff_line_push(struct diff *d, size_t *cap, const struct diff_op *op,
			   const struct diff_span *a, const struct diff_span *b)
{
	struct diff_line *l;
	const struct diff_span *s = op->kind == DIFF_ADD ? &b[op->new_i] : &a[op->old_i];

	if (d->nlines == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		d->lines = xreallocarray(d->lines, *cap, sizeof(*d->lines));
	}
	l = &d->lines[d->nlines++];
	l->kind = op->kind;
	l->text = xstrndup(s->p, s->len);
	l->old_no = op->kind == DIFF_ADD ? 0 : (int)op->old_i + 1;
	l->new_no = op->kind == DIFF_DEL ? 0 : (int)op->new_i + 1;
	if (op->kind == DIFF_ADD)
		d->nadded++;
	else if (op->kind == DIFF_DEL)
		d->ndeleted++;
}

void diff_texts(const char *old_text, const char *new_text, int context, struct diff *out)
{
	struct diff_span *a, *b;
	struct diff_op *ops;
	size_t na, nb, nops, k, lcap = 0, ctx = context < 0 ? 0 : (size_t)context;

	diff_init(out);
	a = diff_split(old_text, &na);
	b = diff_split(new_text, &nb);
	ops = diff_script(a, na, b, nb, &nops);
	k = 0;
	while (k < nops) {
		size_t first, last, start, end, m;
		struct diff_hunk *h;

		while (k < nops && ops[k].kind == DIFF_CONTEXT)
			k++;
		if (k == nops)
			break;
		first = k;
		last = k;
		/* Extend while the next change is within 2*ctx context lines. */
		for (m = k + 1; m < nops; m++) {
			if (ops[m].kind == DIFF_CONTEXT)
				continue;
			if (m - last - 1 > 2 * ctx)
				break;
			last = m;
		}
		start = first > ctx ? first - ctx : 0;
		end = last + ctx + 1 < nops ? last + ctx + 1 : nops;
		out->hunks = xreallocarray(out->hunks, out->nhunks + 1, sizeof(*out->hunks));
		h = &out->hunks[out->nhunks++];
		h->first = out->nlines;
		h->old_start = (int)ops[start].old_i + 1;
		h->new_start = (int)ops[start].new_i + 1;
		h->old_count = 0;
		h->new_count = 0;
		for (m = start; m < end; m++) {
			if (ops[m].kind != DIFF_ADD)
				h->old_count++;
			if (ops[m].kind != DIFF_DEL)
				h->new_count++;
			diff_line_push(out, &lcap, &ops[m], a, b);
		}
		/* GNU convention: an empty side starts at the line before. */
		if (h->old_count == 0)
			h->old_start--;
		if (h->new_count == 0)
			h->new_start--;
		h->count = out->nlines - h->first;
		k = end;
	}
	free(ops);
	free(a);
	free(b);
}

void diff_json(json_object *old_doc, json_object *new_doc, int context, struct diff *out)
{
	char *a = jsonx_pretty(old_doc), *b = jsonx_pretty(new_doc);

	diff_texts(a, b, context, out);
	free(a);
	free(b);
}

static void diff_range(struct strbuf *sb, char sign, int start, int count)
{
	if (count == 1)
		strbuf_printf(sb, "%c%d", sign, start);
	else
		strbuf_printf(sb, "%c%d,%d", sign, start, count);
}

char *diff_unified(const struct diff *d, const char *old_label, const char *new_label)
{
	struct strbuf sb;
	size_t h, i;
	char *out;

	if (d->nhunks == 0)
		return xstrdup("");
	strbuf_init(&sb);
	strbuf_printf(&sb, "--- %s\n+++ %s\n", old_label, new_label);
	for (h = 0; h < d->nhunks; h++) {
		const struct diff_hunk *hk = &d->hunks[h];

		strbuf_puts(&sb, "@@ ");
		diff_range(&sb, '-', hk->old_start, hk->old_count);
		strbuf_putc(&sb, ' ');
		diff_range(&sb, '+', hk->new_start, hk->new_count);
		strbuf_puts(&sb, " @@\n");
		for (i = hk->first; i < hk->first + hk->count; i++) {
			strbuf_putc(&sb, d->lines[i].kind);
			strbuf_puts(&sb, d->lines[i].text);
			strbuf_putc(&sb, '\n');
		}
	}
	out = strbuf_take(&sb);
	strbuf_done(&sb);
	return out;
}
