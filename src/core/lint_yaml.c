/* lint_yaml.c: YAML (CloudFormation templates) read with libyaml into a jsonpos tree, with the
 * byte positions of every value, so lint can report lines and edit values in place. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/lint_read.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define LINT_YAML_MAX_DEPTH 64

struct lint_yaml_frame {
	int node;
	int is_map;
	char *key; /* a mapping's key waiting for its value */
	size_t key_start, key_end;
	int key_line;
};

struct lint_yaml_anchor {
	char *name;
	int node;
};

struct lint_yaml {
	struct jsonpos_doc *d;
	const char *buf;
	size_t len;
	size_t cidx, boff; /* libyaml counts characters: a cursor from characters to bytes */
	struct lint_yaml_frame stack[LINT_YAML_MAX_DEPTH];
	size_t depth;
	struct lint_yaml_anchor *anchors;
	size_t nanchors;
	int root;
};

static size_t lint_yaml_byte(struct lint_yaml *y, size_t cidx)
{
	while (y->cidx < cidx && y->boff < y->len) {
		unsigned char c = (unsigned char)y->buf[y->boff];
		size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

		y->boff += w;
		y->cidx++;
	}
	while (y->cidx > cidx && y->boff > 0) {
		y->boff--;
		while (y->boff > 0 && ((unsigned char)y->buf[y->boff] & 0xC0) == 0x80)
			y->boff--;
		y->cidx--;
	}
	return y->boff > y->len ? y->len : y->boff;
}

static int lint_yaml_plain_number(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	return digits > 0 && s[i] == '\0' && s[0] != '+';
}

static int lint_yaml_std_tag(const char *tag)
{
	return tag == NULL || strcmp(tag, "!") == 0 || strncmp(tag, "tag:yaml.org,2002:", 18) == 0;
}

/* "!Ref Param" for a tagged value: its text on that line, tag included. */
static char *lint_yaml_unknown(struct lint_yaml *y, size_t start)
{
	size_t e = start;

	while (e < y->len && y->buf[e] != '\n' && e - start < 60)
		e++;
	while (e > start && (y->buf[e - 1] == ' ' || y->buf[e - 1] == '\r'))
		e--;
	return xstrndup(y->buf + start, e - start);
}

/* Links a new value node where the parser is: the root, an item, or a mapping's value. */
static int lint_yaml_place(struct lint_yaml *y, enum jsonpos_type t, size_t start, size_t end,
			   int line, int *is_key)
{
	struct lint_yaml_frame *f = y->depth > 0 ? &y->stack[y->depth - 1] : NULL;
	int n;

	*is_key = 0;
	if (f != NULL && f->is_map && f->key == NULL) {
		*is_key = 1;
		return -1;
	}
	n = jsonpos_add(y->d, f != NULL ? f->node : -1, t, start, end, line);
	if (f == NULL) {
		y->root = n;
	} else if (f->is_map) {
		struct jsonpos_node *x = &y->d->nodes[n];

		x->key = f->key;
		x->key_start = f->key_start;
		x->key_end = f->key_end;
		x->key_line = f->key_line;
		f->key = NULL;
	}
	return n;
}

static void lint_yaml_anchor(struct lint_yaml *y, const yaml_char_t *name, int node)
{
	if (name == NULL || node < 0)
		return;
	y->anchors = xreallocarray(y->anchors, y->nanchors + 1, sizeof(*y->anchors));
	y->anchors[y->nanchors].name = xstrdup((const char *)name);
	y->anchors[y->nanchors].node = node;
	y->nanchors++;
}

/* The end of a block collection: the end of its last descendant. */
static size_t lint_yaml_block_end(const struct jsonpos_doc *d, int n)
{
	while (d->nodes[n].last_child >= 0)
		n = d->nodes[n].last_child;
	return d->nodes[n].end;
}

/* Where an event is: bytes [start, end) and its line. */
struct lint_yaml_at {
	size_t start, end;
	int line;
};

static int lint_yaml_scalar(struct lint_yaml *y, yaml_event_t *ev, const struct lint_yaml_at *at)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	struct lint_yaml_frame *f = y->depth > 0 ? &y->stack[y->depth - 1] : NULL;
	enum jsonpos_type t = JSONPOS_STRING;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, n, is_key;

	if (f != NULL && f->is_map && f->key == NULL) {
		f->key = xstrdup(v);
		f->key_start = at->start;
		f->key_end = at->end;
		f->key_line = at->line;
		return 0;
	}
	if (plain && lint_yaml_std_tag(tag)) {
		if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0)
			t = JSONPOS_TRUE;
		else if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 ||
			 strcmp(v, "FALSE") == 0)
			t = JSONPOS_FALSE;
		else if (v[0] == '\0' || strcmp(v, "null") == 0 || strcmp(v, "~") == 0)
			t = JSONPOS_NULL;
		else if (lint_yaml_plain_number(v))
			t = JSONPOS_NUMBER;
	}
	n = lint_yaml_place(y, t, at->start, at->end, at->line, &is_key);
	y->d->nodes[n].str = xstrdup(v);
	y->d->nodes[n].quote = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE   ? '\''
			       : ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? '"'
											  : 0;
	y->d->nodes[n].block = plain;
	if (!lint_yaml_std_tag(tag))
		y->d->nodes[n].unknown = lint_yaml_unknown(y, at->start);
	lint_yaml_anchor(y, ev->data.scalar.anchor, n);
	return 0;
}

/* A mapping or sequence starts: a node, and a frame for its items. */
static int lint_yaml_start(struct lint_yaml *y, yaml_event_t *ev, const struct lint_yaml_at *at,
			   struct err *e, size_t *err_off)
{
	int is_map = ev->type == YAML_MAPPING_START_EVENT, n, is_key;
	const char *tag = is_map ? (const char *)ev->data.mapping_start.tag
				 : (const char *)ev->data.sequence_start.tag;
	int block = is_map ? ev->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE
			   : ev->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE;
	struct lint_yaml_frame *f;

	*err_off = at->start;
	if (y->depth >= LINT_YAML_MAX_DEPTH)
		return err_set(e, "nested too deeply (over %d levels)", LINT_YAML_MAX_DEPTH);
	n = lint_yaml_place(y, is_map ? JSONPOS_OBJECT : JSONPOS_ARRAY, at->start, at->end,
			    at->line, &is_key);
	if (is_key)
		return err_set(e, "a mapping or sequence used as a key is not supported");
	y->d->nodes[n].block = block;
	if (!lint_yaml_std_tag(tag))
		y->d->nodes[n].unknown = lint_yaml_unknown(y, at->start);
	lint_yaml_anchor(y, is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor,
			 n);
	f = &y->stack[y->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->is_map = is_map;
	return 0;
}

/* A mapping or sequence ends: a block one ends with its last value (libyaml's mark is at the
 * next token), a flow one after its bracket. */
static void lint_yaml_end(struct lint_yaml *y, const struct lint_yaml_at *at)
{
	struct lint_yaml_frame *f = &y->stack[--y->depth];
	struct jsonpos_node *x;

	free(f->key);
	f->key = NULL;
	x = &y->d->nodes[f->node];
	x->end = x->block ? lint_yaml_block_end(y->d, f->node)
			  : (at->end > at->start ? at->end : at->start);
	if (x->end < x->start)
		x->end = x->start;
}

/* *name: a copy of the anchor's tree; under "<<" its members merged here. */
static int lint_yaml_alias(struct lint_yaml *y, yaml_event_t *ev, const struct lint_yaml_at *at,
			   struct err *e, size_t *err_off)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct lint_yaml_frame *f = y->depth > 0 ? &y->stack[y->depth - 1] : NULL;
	size_t i;
	int from = -1, n, c;

	*err_off = at->start;
	for (i = y->nanchors; i > 0 && from < 0; i--)
		if (strcmp(y->anchors[i - 1].name, name) == 0)
			from = y->anchors[i - 1].node;
	if (from < 0)
		return err_set(e, "alias *%s names no anchor before it", name);
	if (f != NULL && f->is_map && f->key == NULL)
		return err_set(e, "an alias used as a key is not supported");
	if (f != NULL && f->is_map && strcmp(f->key, "<<") == 0 &&
	    y->d->nodes[from].type == JSONPOS_OBJECT) {
		for (c = y->d->nodes[from].first_child; c >= 0; c = y->d->nodes[c].next)
			jsonpos_graft(y->d, f->node, y->d, c, 0, 0);
		free(f->key);
		f->key = NULL;
		return 0;
	}
	n = jsonpos_graft(y->d, f != NULL ? f->node : -1, y->d, from, 0, 0);
	free(y->d->nodes[n].key);
	y->d->nodes[n].key = NULL;
	if (f == NULL) {
		y->root = n;
	} else if (f->is_map) {
		struct jsonpos_node *x = &y->d->nodes[n];

		x->key = f->key;
		x->key_start = f->key_start;
		x->key_end = f->key_end;
		x->key_line = f->key_line;
		f->key = NULL;
	}
	return 0;
}

static int lint_yaml_event(struct lint_yaml *y, yaml_event_t *ev, struct err *e, size_t *err_off)
{
	struct lint_yaml_at at;

	at.start = lint_yaml_byte(y, ev->start_mark.index);
	at.end = lint_yaml_byte(y, ev->end_mark.index);
	at.line = (int)ev->start_mark.line + 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return lint_yaml_scalar(y, ev, &at);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return lint_yaml_start(y, ev, &at, e, err_off);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		lint_yaml_end(y, &at);
		return 0;
	case YAML_ALIAS_EVENT:
		return lint_yaml_alias(y, ev, &at, e, err_off);
	default:
		return 0;
	}
}

int lint_yaml_read(const char *buf, size_t len, struct jsonpos_doc *d, struct err *e,
		   size_t *err_off)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct lint_yaml y;
	int rc = -1, docs = 0;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->buf = buf;
	d->len = len;
	memset(&y, 0, sizeof(y));
	y.d = d;
	y.buf = buf;
	y.len = len;
	y.root = -1;
	*err_off = 0;
	if (!yaml_parser_initialize(&p))
		return err_set(e, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		yaml_event_type_t t;

		if (!yaml_parser_parse(&p, &ev)) {
			*err_off = lint_yaml_byte(&y, p.problem_mark.index);
			err_set(e, "%s%s%s", p.problem ? p.problem : "not valid YAML",
				p.context ? " " : "", p.context ? p.context : "");
			goto out;
		}
		t = ev.type;
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			yaml_event_delete(&ev);
			break; /* the first document only */
		}
		if (lint_yaml_event(&y, &ev, e, err_off)) {
			yaml_event_delete(&ev);
			goto out;
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	if (y.root != 0) {
		err_set(e, "an empty YAML document");
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < y.depth; i++)
		free(y.stack[i].key);
	for (i = 0; i < y.nanchors; i++)
		free(y.anchors[i].name);
	free(y.anchors);
	yaml_parser_delete(&p);
	if (rc)
		jsonpos_done(d);
	return rc;
}
