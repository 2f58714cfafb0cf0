/* lint_tf.c: a tokenizer for Terraform's HCL2 native syntax (strings with ${} templates,
 * heredocs, #, // and block comments) that finds aws_ecs_task_definition resources and reads
 * their container definitions (jsonencode(...), heredoc JSON, file(), templatefile()) into a
 * jsonpos tree over the .tf file's own bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/lint_read.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define LINT_TF_MAX_DEPTH 64

struct lint_tf {
	struct jsonpos_doc *d;
	const char *b;
	size_t len, pos;
	int line;
	struct err *e;
	size_t err_off;
	struct lint_tf_resource *res;
	size_t nres;
};

static int lint_tf_fail(struct lint_tf *t, size_t at, const char *what)
{
	t->err_off = at;
	return err_set(t->e, "%s", what);
}

static int lint_tf_idc(char c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* Skips spaces and comments; newlines too when nl is set. */
static int lint_tf_ws(struct lint_tf *t, int nl)
{
	while (t->pos < t->len) {
		char c = t->b[t->pos];

		if (c == ' ' || c == '\t' || c == '\r') {
			t->pos++;
		} else if (c == '\n' && nl) {
			t->line++;
			t->pos++;
		} else if (c == '#' ||
			   (c == '/' && t->pos + 1 < t->len && t->b[t->pos + 1] == '/')) {
			while (t->pos < t->len && t->b[t->pos] != '\n')
				t->pos++;
		} else if (c == '/' && t->pos + 1 < t->len && t->b[t->pos + 1] == '*') {
			size_t at = t->pos;

			for (t->pos += 2; t->pos + 1 < t->len &&
					  !(t->b[t->pos] == '*' && t->b[t->pos + 1] == '/');
			     t->pos++)
				t->line += t->b[t->pos] == '\n';
			if (t->pos + 1 >= t->len)
				return lint_tf_fail(t, at, "unterminated /* comment");
			t->pos += 2;
		} else {
			break;
		}
	}
	return 0;
}

static int lint_tf_skip_expr(struct lint_tf *t, int depth);

/* Skips a ${ } or %{ } template sequence at t->pos. */
static int lint_tf_skip_interp(struct lint_tf *t, int depth)
{
	size_t at = t->pos;

	t->pos += 2;
	for (;;) {
		if (lint_tf_skip_expr(t, depth + 1))
			return -1;
		if (lint_tf_ws(t, 1))
			return -1;
		if (t->pos >= t->len)
			return lint_tf_fail(t, at, "unterminated ${ in a string");
		if (t->b[t->pos] == '}') {
			t->pos++;
			return 0;
		}
		t->pos++; /* a separator such as ',' or '~' */
	}
}

/* Skips a quoted string at t->pos; *interp set when it has a template sequence; decoded text
 * into sb (when not NULL). */
static int lint_tf_string(struct lint_tf *t, int depth, int *interp, struct strbuf *sb)
{
	size_t at = t->pos;

	*interp = 0;
	t->pos++;
	while (t->pos < t->len) {
		char c = t->b[t->pos];

		if (c == '"') {
			t->pos++;
			return 0;
		}
		if (c == '\n')
			break;
		if (c == '\\' && t->pos + 1 < t->len) {
			char n = t->b[t->pos + 1];
			unsigned long cp = 0;
			size_t k;

			for (k = 2; n == 'u' && k < 6 && t->pos + k < t->len &&
				    strchr("0123456789abcdefABCDEF", t->b[t->pos + k]) != NULL &&
				    t->b[t->pos + k] != '\0';
			     k++)
				cp = cp * 16 +
				     (unsigned long)(t->b[t->pos + k] <= '9'
							 ? t->b[t->pos + k] - '0'
							 : (t->b[t->pos + k] | 0x20) - 'a' + 10);
			if (n == 'u' && k == 6) { /* \uNNNN */
				if (sb != NULL)
					strbuf_put_utf8(sb, cp);
				t->pos += 6;
				continue;
			}
			if (sb != NULL)
				strbuf_putc(sb, n == 'n'   ? '\n'
						: n == 't' ? '\t'
						: n == 'r' ? '\r'
							   : n);
			t->pos += 2;
			continue;
		}
		if ((c == '$' || c == '%') && t->pos + 2 < t->len && t->b[t->pos + 1] == c &&
		    t->b[t->pos + 2] == '{') {
			if (sb != NULL) {
				strbuf_putc(sb, c);
				strbuf_putc(sb, '{');
			}
			t->pos += 3;
			continue;
		}
		if ((c == '$' || c == '%') && t->pos + 1 < t->len && t->b[t->pos + 1] == '{') {
			size_t is = t->pos;

			*interp = 1;
			if (depth >= LINT_TF_MAX_DEPTH)
				return lint_tf_fail(t, t->pos, "nested too deeply");
			if (lint_tf_skip_interp(t, depth))
				return -1;
			if (sb != NULL)
				strbuf_append(sb, t->b + is, t->pos - is);
			continue;
		}
		if (sb != NULL)
			strbuf_putc(sb, c);
		t->pos++;
	}
	return lint_tf_fail(t, at, "unterminated string");
}

/* A heredoc <<ID or <<-ID at t->pos: [*cs, *ce) is its content. */
static int lint_tf_heredoc(struct lint_tf *t, size_t *cs, size_t *ce)
{
	size_t at = t->pos, id, idl, ls;

	t->pos += 2;
	if (t->pos < t->len && t->b[t->pos] == '-')
		t->pos++;
	id = t->pos;
	while (t->pos < t->len && lint_tf_idc(t->b[t->pos], t->pos == id))
		t->pos++;
	idl = t->pos - id;
	while (t->pos < t->len && (t->b[t->pos] == ' ' || t->b[t->pos] == '\r'))
		t->pos++;
	if (idl == 0 || t->pos >= t->len || t->b[t->pos] != '\n')
		return lint_tf_fail(t, at, "a heredoc must start with <<ID and a new line");
	t->pos++;
	t->line++;
	*cs = t->pos;
	for (;;) {
		size_t s = t->pos, e;

		if (t->pos >= t->len)
			return lint_tf_fail(t, at, "unterminated heredoc");
		while (t->pos < t->len && t->b[t->pos] != '\n')
			t->pos++;
		e = t->pos;
		ls = s;
		while (ls < e && (t->b[ls] == ' ' || t->b[ls] == '\t'))
			ls++;
		while (e > ls && t->b[e - 1] == '\r')
			e--;
		if (e - ls == idl && memcmp(t->b + ls, t->b + id, idl) == 0) {
			*ce = s;
			return 0;
		}
		if (t->pos < t->len) {
			t->pos++;
			t->line++;
		}
	}
}

/* Skips one expression: stops at a newline, ',' or a closing bracket at depth 0. */
static int lint_tf_skip_expr(struct lint_tf *t, int depth)
{
	int nest = 0, interp;
	size_t cs, ce;

	if (depth >= LINT_TF_MAX_DEPTH)
		return lint_tf_fail(t, t->pos, "nested too deeply");
	for (;;) {
		char c;

		if (lint_tf_ws(t, nest > 0))
			return -1;
		if (t->pos >= t->len)
			return 0;
		c = t->b[t->pos];
		if (c == '"') {
			if (lint_tf_string(t, depth, &interp, NULL))
				return -1;
		} else if (c == '<' && t->pos + 2 < t->len && t->b[t->pos + 1] == '<' &&
			   (t->b[t->pos + 2] == '-' || lint_tf_idc(t->b[t->pos + 2], 1))) {
			if (lint_tf_heredoc(t, &cs, &ce))
				return -1;
		} else if (c == '(' || c == '[' || c == '{') {
			nest++;
			t->pos++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (nest == 0)
				return 0;
			nest--;
			t->pos++;
		} else if ((c == '\n' || c == ',') && nest == 0) {
			return 0;
		} else {
			t->pos++;
		}
	}
}

/* Links m as the last child of n (prev: n's last child, -1 when none). */
static void jsonpos_link_last(struct jsonpos_doc *d, int n, int m, int prev)
{
	if (prev < 0)
		d->nodes[n].first_child = m;
	else
		d->nodes[prev].next = m;
	d->nodes[n].last_child = m;
	d->nodes[n].nchildren++;
}

/* Drops node n, the last node added, and its children (the last nodes too). */
static void lint_tf_drop(struct lint_tf *t, int n)
{
	struct jsonpos_doc *d = t->d;
	int p = d->nodes[n].parent, c, prev = -1;
	size_t i;

	if (p >= 0) {
		for (c = d->nodes[p].first_child; c >= 0 && c != n; c = d->nodes[c].next)
			prev = c;
		if (prev < 0)
			d->nodes[p].first_child = -1;
		else
			d->nodes[prev].next = -1;
		d->nodes[p].last_child = prev;
		d->nodes[p].nchildren--;
	}
	for (i = (size_t)n; i < d->n; i++) {
		free(d->nodes[i].key);
		free(d->nodes[i].str);
		free(d->nodes[i].unknown);
	}
	d->n = (size_t)n;
}

/* An expression we do not evaluate: an unknown node with its text. */
static int lint_tf_unknown(struct lint_tf *t, int parent, size_t start, int line, int depth)
{
	size_t end;
	int n;

	t->pos = start;
	if (lint_tf_skip_expr(t, depth))
		return -1;
	end = t->pos;
	while (end > start && strchr(" \t\r", t->b[end - 1]) != NULL)
		end--;
	if (end == start) /* e.g. a ')' where a value should be: nothing to stand for */
		return lint_tf_fail(t, start,
				    t->pos < t->len ? "unexpected character" : "expected a value");
	n = jsonpos_add(t->d, parent, JSONPOS_STRING, start, end, line);
	{
		const char *nl = memchr(t->b + start, '\n', end - start);
		size_t shown = nl != NULL ? (size_t)(nl - (t->b + start)) : end - start;

		if (shown > 60)
			shown = 60;
		t->d->nodes[n].unknown =
		    xasprintf("%.*s%s", (int)shown, t->b + start, shown < end - start ? "..." : "");
	}
	return n;
}

/* After a primary value: at a terminator the value stands alone. */
static int lint_tf_at_end(struct lint_tf *t)
{
	size_t save = t->pos;
	int line = t->line, end;

	if (lint_tf_ws(t, 0))
		return 0;
	end = t->pos >= t->len || strchr("\n,)]}", t->b[t->pos]) != NULL;
	t->pos = save;
	t->line = line;
	return end;
}

static int lint_tf_value(struct lint_tf *t, int parent, int depth);
static int lint_tf_value_or_unknown(struct lint_tf *t, int parent, int depth);

/* { k = v, ... } or [ v, ... ] */
static int lint_tf_collection(struct lint_tf *t, int parent, int depth)
{
	size_t start = t->pos;
	int line = t->line, is_obj = t->b[t->pos] == '{', n, v, interp;
	char close = is_obj ? '}' : ']';

	n = jsonpos_add(t->d, parent, is_obj ? JSONPOS_OBJECT : JSONPOS_ARRAY, start, start, line);
	t->pos++;
	for (;;) {
		size_t ks = 0, ke = 0;
		int kline = 0;
		char *key = NULL;

		if (lint_tf_ws(t, 1))
			return -1;
		if (t->pos >= t->len)
			return lint_tf_fail(t, start, is_obj ? "unclosed {" : "unclosed [");
		if (t->b[t->pos] == ',') {
			t->pos++;
			continue;
		}
		if (t->b[t->pos] == close) {
			t->pos++;
			break;
		}
		if (is_obj) {
			struct strbuf sb;

			ks = t->pos;
			kline = t->line;
			strbuf_init(&sb);
			if (t->b[t->pos] == '"') {
				if (lint_tf_string(t, depth, &interp, &sb)) {
					strbuf_done(&sb);
					return -1;
				}
			} else if (lint_tf_idc(t->b[t->pos], 1)) {
				while (t->pos < t->len && lint_tf_idc(t->b[t->pos], 0))
					strbuf_putc(&sb, t->b[t->pos++]);
			} else {
				strbuf_done(&sb);
				return lint_tf_fail(t, t->pos, "expected an attribute name in {}");
			}
			ke = t->pos;
			key = strbuf_take(&sb);
			strbuf_done(&sb);
			if (lint_tf_ws(t, 0) || t->pos >= t->len ||
			    (t->b[t->pos] != '=' && t->b[t->pos] != ':')) {
				free(key);
				return lint_tf_fail(t, t->pos, "expected '=' after a name in {}");
			}
			t->pos++;
			if (lint_tf_ws(t, 0)) {
				free(key);
				return -1;
			}
		}
		v = lint_tf_value_or_unknown(t, n, depth + 1);
		if (v < 0) {
			free(key);
			return -1;
		}
		if (is_obj) {
			t->d->nodes[v].key = key;
			t->d->nodes[v].key_start = ks;
			t->d->nodes[v].key_end = ke;
			t->d->nodes[v].key_line = kline;
		}
	}
	t->d->nodes[n].end = t->pos;
	return n;
}

/* merge({...}, {...}) of object literals: one object with the members of each, a later key
 * replacing an earlier one, as Terraform does. -2 when an argument is not a literal object. */
static int lint_tf_merge(struct lint_tf *t, int parent, int depth)
{
	struct jsonpos_doc *d = t->d;
	size_t start = t->pos;
	int line = t->line, n, a, m, prev = -1, ok = 1;

	n = jsonpos_add(d, parent, JSONPOS_OBJECT, start, start, line);
	t->pos += 6;
	for (;;) {
		if (lint_tf_ws(t, 1))
			return -1;
		if (t->pos >= t->len)
			return lint_tf_fail(t, start, "unclosed merge(");
		if (t->b[t->pos] == ',') {
			t->pos++;
			continue;
		}
		if (t->b[t->pos] == ')') {
			t->pos++;
			break;
		}
		a = lint_tf_value_or_unknown(t, n, depth + 1);
		if (a < 0)
			return -1;
		ok = ok && d->nodes[a].type == JSONPOS_OBJECT && d->nodes[a].unknown == NULL;
	}
	if (!ok || !lint_tf_at_end(t)) {
		lint_tf_drop(t, n);
		return -2;
	}
	/* the members of every argument become the members of n */
	a = d->nodes[n].first_child;
	d->nodes[n].first_child = d->nodes[n].last_child = -1;
	d->nodes[n].nchildren = 0;
	while (a >= 0) {
		int next_arg = d->nodes[a].next;

		for (m = d->nodes[a].first_child; m >= 0;) {
			int next = d->nodes[m].next, c, before = -1;

			/* a later key replaces an earlier one */
			for (c = d->nodes[n].first_child; c >= 0; before = c, c = d->nodes[c].next)
				if (strcmp(d->nodes[c].key, d->nodes[m].key) == 0)
					break;
			if (c >= 0) {
				if (before < 0)
					d->nodes[n].first_child = d->nodes[c].next;
				else
					d->nodes[before].next = d->nodes[c].next;
				if (d->nodes[n].last_child == c)
					d->nodes[n].last_child = before;
				d->nodes[n].nchildren--;
				d->nodes[c].parent = -1;
			}
			d->nodes[m].parent = n;
			d->nodes[m].next = -1;
			prev = d->nodes[n].last_child;
			jsonpos_link_last(d, n, m, prev);
			m = next;
		}
		d->nodes[a].type = JSONPOS_NULL;
		d->nodes[a].first_child = d->nodes[a].last_child = -1;
		d->nodes[a].nchildren = 0;
		d->nodes[a].parent = -1;
		a = next_arg;
	}
	d->nodes[n].end = t->pos;
	return n;
}

static int lint_tf_value(struct lint_tf *t, int parent, int depth)
{
	size_t start = t->pos;
	int line = t->line, n, interp;
	char c;

	if (depth >= LINT_TF_MAX_DEPTH)
		return lint_tf_fail(t, t->pos, "nested too deeply");
	if (t->pos >= t->len)
		return lint_tf_fail(t, t->pos, "expected a value");
	c = t->b[t->pos];
	if (c == '{' || c == '[') {
		size_t p = t->pos + 1;

		while (p < t->len && strchr(" \t\r\n", t->b[p]) != NULL)
			p++;
		if (t->len - p > 4 && memcmp(t->b + p, "for", 3) == 0 &&
		    !lint_tf_idc(t->b[p + 3], 0))
			return lint_tf_unknown(t, parent, start, line,
					       depth); /* a for expression */
		n = lint_tf_collection(t, parent, depth);
		if (n < 0 || lint_tf_at_end(t))
			return n;
		/* [..][0], {..}[k], [for ...]: not a plain value */
		lint_tf_drop(t, n);
		return -2;
	}
	if (c == '"') {
		struct strbuf sb;

		strbuf_init(&sb);
		if (lint_tf_string(t, depth, &interp, &sb)) {
			strbuf_done(&sb);
			return -1;
		}
		if (!interp && lint_tf_at_end(t)) {
			n = jsonpos_add(t->d, parent, JSONPOS_STRING, start, t->pos, line);
			t->d->nodes[n].str = strbuf_take(&sb);
			t->d->nodes[n].quote = '"';
			strbuf_done(&sb);
			return n;
		}
		strbuf_done(&sb);
		return lint_tf_unknown(t, parent, start, line, depth);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		size_t p = t->pos + (c == '-');

		while (p < t->len && ((t->b[p] >= '0' && t->b[p] <= '9') || t->b[p] == '.'))
			p++;
		t->pos = p;
		if (p > start + (c == '-') && lint_tf_at_end(t)) {
			n = jsonpos_add(t->d, parent, JSONPOS_NUMBER, start, p, line);
			t->d->nodes[n].str = xstrndup(t->b + start, p - start);
			return n;
		}
		return lint_tf_unknown(t, parent, start, line, depth);
	}
	if (t->len - start > 6 && memcmp(t->b + start, "merge(", 6) == 0) {
		n = lint_tf_merge(t, parent, depth);
		if (n != -2)
			return n;
		t->pos = start;
		t->line = line;
	}
	if (lint_tf_idc(c, 1)) {
		static const struct {
			const char *w;
			enum jsonpos_type type;
		} words[] = {
		    {"true", JSONPOS_TRUE}, {"false", JSONPOS_FALSE}, {"null", JSONPOS_NULL}};
		size_t p = t->pos, i;

		while (p < t->len && lint_tf_idc(t->b[p], 0))
			p++;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (p - start != strlen(words[i].w) ||
			    memcmp(t->b + start, words[i].w, p - start) != 0)
				continue;
			t->pos = p;
			if (!lint_tf_at_end(t))
				break;
			return jsonpos_add(t->d, parent, words[i].type, start, p, line);
		}
	}
	return lint_tf_unknown(t, parent, start, line, depth);
}

/* A value that may be a collection followed by more (then unknown). */
static int lint_tf_value_or_unknown(struct lint_tf *t, int parent, int depth)
{
	size_t start = t->pos;
	int line = t->line, n = lint_tf_value(t, parent, depth);

	if (n == -2) {
		t->line = line;
		n = lint_tf_unknown(t, parent, start, line, depth);
	}
	return n;
}

/* The first argument of name( ... ) at t->pos (just after the name): a node, or -1. */
static int lint_tf_call_arg(struct lint_tf *t, int parent)
{
	int n;

	if (lint_tf_ws(t, 0) || t->pos >= t->len || t->b[t->pos] != '(')
		return -1;
	t->pos++;
	if (lint_tf_ws(t, 1))
		return -1;
	n = lint_tf_value_or_unknown(t, parent, 1);
	if (n < 0)
		return -1;
	if (lint_tf_ws(t, 1))
		return -1;
	return n;
}

static void lint_tf_set_key(struct lint_tf *t, int n, const char *key, size_t ks, size_t ke,
			    int kline)
{
	free(t->d->nodes[n].key);
	t->d->nodes[n].key = xstrdup(key);
	t->d->nodes[n].key_start = ks;
	t->d->nodes[n].key_end = ke;
	t->d->nodes[n].key_line = kline;
}

/* Template placeholders in heredoc JSON: strings holding one, and values that are one. */
static void lint_tf_mark_unknown(struct jsonpos_doc *sub, const struct lint_span *sp, size_t nsp)
{
	size_t i, k, s0, s1;

	for (i = 0; i < sub->n; i++) {
		struct jsonpos_node *x = &sub->nodes[i];

		if (x->type == JSONPOS_STRING) {
			char *txt = jsonpos_text(sub, (int)i);

			if (lint_template_find(txt, strlen(txt), &s0, &s1))
				x->unknown = xstrdup(txt);
			free(txt);
			continue;
		}
		for (k = 0; k < nsp; k++)
			if (sp[k].start <= x->start && x->start < sp[k].end) {
				x->unknown =
				    xstrndup(sub->buf + sp[k].start, sp[k].end - sp[k].start);
				break;
			}
	}
}

/* container_definitions = ... */
static int lint_tf_cds(struct lint_tf *t, int obj, struct lint_tf_resource *r, size_t ks, size_t ke,
		       int kline)
{
	size_t start = t->pos, cs, ce;
	int line = t->line, n = -1;
	const char *b = t->b;

	if (t->len - start > 12 && memcmp(b + start, "jsonencode", 10) == 0 &&
	    !lint_tf_idc(b[start + 10], 0)) {
		t->pos += 10;
		n = lint_tf_call_arg(t, obj);
		if (n >= 0 && t->pos < t->len && b[t->pos] == ')') {
			t->pos++;
			if (lint_tf_at_end(t))
				goto done;
		}
		if (t->e->msg[0] != '\0')
			return -1;
		if (n >= 0)
			lint_tf_drop(t, n);
		t->pos = start;
		t->line = line;
	} else if (b[start] == '<' && start + 2 < t->len && b[start + 1] == '<') {
		struct jsonpos_doc sub;
		struct lint_span *spans = NULL;
		char *masked = NULL;
		struct err e2;
		size_t nsp;

		if (lint_tf_heredoc(t, &cs, &ce))
			return -1;
		err_clear(&e2);
		nsp = lint_template_mask(b + cs, ce - cs, &masked, &spans);
		if (jsonpos_parse(masked, ce - cs, &sub, &e2) == 0) {
			lint_tf_mark_unknown(&sub, spans, nsp);
			sub.buf = b + cs; /* decode from the file's bytes */
			n = jsonpos_graft(t->d, obj, &sub, 0, cs, line);
			jsonpos_done(&sub);
			free(masked);
			free(spans);
			t->pos = ce;
			while (t->pos < t->len && b[t->pos] != '\n')
				t->pos++;
			goto done;
		}
		free(masked);
		free(spans);
		t->pos = start;
		t->line = line;
	} else if ((t->len - start > 5 && memcmp(b + start, "file", 4) == 0 &&
		    b[start + 4] == '(') ||
		   (t->len - start > 13 && memcmp(b + start, "templatefile", 12) == 0 &&
		    b[start + 12] == '(')) {
		int interp;
		struct strbuf sb;

		r->ref_fn = b[start] == 'f' ? "file" : "templatefile";
		t->pos = start + strlen(r->ref_fn) + 1;
		if (lint_tf_ws(t, 1))
			return -1;
		if (t->pos < t->len && b[t->pos] == '"') {
			strbuf_init(&sb);
			if (lint_tf_string(t, 1, &interp, &sb)) {
				strbuf_done(&sb);
				return -1;
			}
			r->ref_path = strbuf_take(&sb);
			strbuf_done(&sb);
			if (strncmp(r->ref_path, "${path.module}/", 15) == 0 ||
			    strncmp(r->ref_path, "${path.root}/", 13) == 0) {
				char *p = xstrdup(strchr(r->ref_path, '/') + 1);

				free(r->ref_path);
				r->ref_path = p;
			}
			if (strstr(r->ref_path, "${") != NULL) {
				free(r->ref_path);
				r->ref_path = NULL;
			}
		}
		t->pos = start;
		t->line = line;
	}
	n = lint_tf_unknown(t, obj, start, line, 0);
	if (n < 0)
		return -1;
done:
	lint_tf_set_key(t, n, "containerDefinitions", ks, ke, kline);
	return 0;
}

/* The attributes of a resource body that the rules read, renamed as in the API. */
static const struct {
	const char *hcl, *api;
} lint_tf_attrs[] = {
    {"network_mode", "networkMode"},
    {"requires_compatibilities", "requiresCompatibilities"},
    {"pid_mode", "pidMode"},
    {"family", "family"},
    {"operating_system_family", "operatingSystemFamily"},
    {"cpu_architecture", "cpuArchitecture"},
};

static int lint_tf_body(struct lint_tf *t, int obj, struct lint_tf_resource *r, int depth);

/* Where an item's name is in the file. */
struct lint_tf_name {
	char text[64];
	size_t start, end;
	int line;
};

/* NAME = value: the attributes the rules read become members of obj, the rest is skipped. */
static int lint_tf_attribute(struct lint_tf *t, int obj, struct lint_tf_resource *r, int depth,
			     const struct lint_tf_name *nm)
{
	size_t i;
	int n;

	t->pos++;
	if (lint_tf_ws(t, 0))
		return -1;
	if (r != NULL && strcmp(nm->text, "container_definitions") == 0)
		return lint_tf_cds(t, obj, r, nm->start, nm->end, nm->line);
	for (i = 0; r != NULL && i < sizeof(lint_tf_attrs) / sizeof(lint_tf_attrs[0]); i++) {
		if (strcmp(nm->text, lint_tf_attrs[i].hcl) != 0)
			continue;
		n = lint_tf_value_or_unknown(t, obj, depth + 1);
		if (n < 0)
			return -1;
		lint_tf_set_key(t, n, lint_tf_attrs[i].api, nm->start, nm->end, nm->line);
		return 0;
	}
	return lint_tf_skip_expr(t, depth);
}

/* A block's labels up to its '{' (consumed): the first two kept (caller frees). */
static int lint_tf_labels(struct lint_tf *t, int depth, size_t at, char *labels[2])
{
	size_t nl = 0;
	int interp;

	while (t->pos < t->len && t->b[t->pos] != '{') {
		if (t->b[t->pos] == '"') {
			struct strbuf sb;

			strbuf_init(&sb);
			if (lint_tf_string(t, depth, &interp, &sb)) {
				strbuf_done(&sb);
				return -1;
			}
			if (nl < 2)
				labels[nl++] = strbuf_take(&sb);
			strbuf_done(&sb);
		} else if (lint_tf_idc(t->b[t->pos], 1)) {
			size_t s = t->pos;

			while (t->pos < t->len && lint_tf_idc(t->b[t->pos], 0))
				t->pos++;
			if (nl < 2)
				labels[nl++] = xstrndup(t->b + s, t->pos - s);
		} else {
			return lint_tf_fail(t, t->pos, "expected '=' or a block");
		}
		if (lint_tf_ws(t, 0))
			return -1;
	}
	if (t->pos >= t->len)
		return lint_tf_fail(t, at, "a block without {");
	t->pos++;
	return 0;
}

/* NAME LABELS { body }: a task definition resource, its runtime_platform, or skipped. */
static int lint_tf_block(struct lint_tf *t, int obj, struct lint_tf_resource *r, int depth,
			 const struct lint_tf_name *nm)
{
	char *labels[2] = {NULL, NULL};
	int rc = -1, n;

	if (lint_tf_labels(t, depth, nm->start, labels))
		goto out;
	if (depth == 0 && strcmp(nm->text, "resource") == 0 && labels[1] != NULL &&
	    strcmp(labels[0], "aws_ecs_task_definition") == 0) {
		struct lint_tf_resource *nr;

		n = jsonpos_add(t->d, -1, JSONPOS_OBJECT, t->pos - 1, t->pos, nm->line);
		t->res = xreallocarray(t->res, t->nres + 1, sizeof(*t->res));
		nr = &t->res[t->nres++];
		memset(nr, 0, sizeof(*nr));
		nr->address = xasprintf("aws_ecs_task_definition.%s", labels[1]);
		nr->node = n;
		nr->line = nm->line;
		/* nothing in a resource body adds resources: nr stays valid */
		if (lint_tf_body(t, n, nr, depth + 1))
			goto out;
		t->d->nodes[n].end = t->pos;
	} else if (r != NULL && depth == 1 && strcmp(nm->text, "runtime_platform") == 0) {
		n = jsonpos_add(t->d, obj, JSONPOS_OBJECT, t->pos - 1, t->pos, nm->line);
		lint_tf_set_key(t, n, "runtimePlatform", nm->start, nm->end, nm->line);
		if (lint_tf_body(t, n, r, depth + 1))
			goto out;
		t->d->nodes[n].end = t->pos;
	} else if (lint_tf_body(t, -1, NULL, depth + 1)) {
		goto out;
	}
	rc = 0;
out:
	free(labels[0]);
	free(labels[1]);
	return rc;
}

/* One item of a body at t->pos (an identifier): an attribute or a block. */
static int lint_tf_item(struct lint_tf *t, int obj, struct lint_tf_resource *r, int depth)
{
	struct lint_tf_name nm;
	size_t l;

	nm.start = t->pos;
	nm.line = t->line;
	while (t->pos < t->len && lint_tf_idc(t->b[t->pos], 0))
		t->pos++;
	nm.end = t->pos;
	l = nm.end - nm.start < sizeof(nm.text) ? nm.end - nm.start : sizeof(nm.text) - 1;
	memcpy(nm.text, t->b + nm.start, l);
	nm.text[l] = '\0';
	if (lint_tf_ws(t, 0))
		return -1;
	if (t->pos < t->len && t->b[t->pos] == '=' &&
	    !(t->pos + 1 < t->len && t->b[t->pos + 1] == '='))
		return lint_tf_attribute(t, obj, r, depth, &nm);
	return lint_tf_block(t, obj, r, depth, &nm);
}

/* Items until '}' (consumed) or the end of the file at depth 0. */
static int lint_tf_body(struct lint_tf *t, int obj, struct lint_tf_resource *r, int depth)
{
	size_t open = t->pos;

	if (depth >= LINT_TF_MAX_DEPTH)
		return lint_tf_fail(t, t->pos, "nested too deeply");
	for (;;) {
		if (lint_tf_ws(t, 1))
			return -1;
		if (t->pos >= t->len) {
			if (depth == 0)
				return 0;
			return lint_tf_fail(t, open > 0 ? open - 1 : 0, "unclosed { of a block");
		}
		if (t->b[t->pos] == '}') {
			if (depth == 0)
				return lint_tf_fail(t, t->pos, "a } closes nothing");
			t->pos++;
			return 0;
		}
		if (!lint_tf_idc(t->b[t->pos], 1))
			return lint_tf_fail(t, t->pos, "expected an attribute or a block name");
		if (lint_tf_item(t, obj, r, depth))
			return -1;
	}
}

int lint_tf_read(const char *buf, size_t len, struct jsonpos_doc *d, struct lint_tf_resource **res,
		 size_t *nres, struct err *e, size_t *err_off)
{
	struct lint_tf t;

	memset(d, 0, sizeof(*d));
	d->buf = buf;
	d->len = len;
	memset(&t, 0, sizeof(t));
	err_clear(e);
	t.d = d;
	t.b = buf;
	t.len = len;
	t.line = 1;
	t.e = e;
	if (lint_tf_body(&t, -1, NULL, 0)) {
		*err_off = t.err_off;
		lint_tf_resources_free(t.res, t.nres);
		jsonpos_done(d);
		return -1;
	}
	*res = t.res;
	*nres = t.nres;
	return 0;
}

void lint_tf_resources_free(struct lint_tf_resource *res, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(res[i].address);
		free(res[i].ref_path);
	}
	free(res);
}
