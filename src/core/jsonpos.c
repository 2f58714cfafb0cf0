/* jsonpos.c: a small JSON tokenizer that records byte offsets and lines of every value. */
#include "config.h"

#include "core/jsonpos.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define JSONPOS_MAX_DEPTH 64

struct jsonpos_state {
	struct jsonpos_doc *doc;
	size_t pos;
	int line;
	struct err *e;
};

static int jsonpos_fail(struct jsonpos_state *s, const char *what)
{
	s->doc->err_pos = s->pos;
	s->doc->err_what = what;
	return err_set(s->e, "invalid JSON at line %d: %s", s->line, what);
}

static void jsonpos_ws(struct jsonpos_state *s)
{
	const char *b = s->doc->buf;

	while (s->pos < s->doc->len) {
		char c = b[s->pos];

		if (c == '\n')
			s->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			break;
		s->pos++;
	}
}

static int jsonpos_node_new(struct jsonpos_state *s, int parent, enum jsonpos_type t)
{
	struct jsonpos_doc *d = s->doc;
	struct jsonpos_node *n;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->nodes = xreallocarray(d->nodes, d->cap, sizeof(*d->nodes));
	}
	n = &d->nodes[d->n];
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->start = s->pos;
	n->line = s->line;
	n->parent = parent;
	n->first_child = -1;
	n->next = -1;
	n->last_child = -1;
	return (int)d->n++;
}

static int jsonpos_hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (a byte >= 0x80), 0 when invalid (overlong forms,
 * surrogates and code points over U+10FFFF included), as json-c checks. */
static size_t jsonpos_utf8_len(const unsigned char *p, size_t avail)
{
	unsigned cp;
	size_t n, k;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, cp = p[0] & 0x1Fu;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, cp = p[0] & 0x0Fu;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, cp = p[0] & 0x07u;
	else
		return 0;
	if (avail < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* A string at s->pos (the opening quote); decoded into out when out is not NULL. */
static int jsonpos_string(struct jsonpos_state *s, struct strbuf *out)
{
	const char *b = s->doc->buf;
	size_t len = s->doc->len;

	s->pos++;
	for (;;) {
		unsigned char c;

		if (s->pos >= len)
			return jsonpos_fail(s, "unterminated string");
		c = (unsigned char)b[s->pos];
		if (c == '"') {
			s->pos++;
			return 0;
		}
		if (c < 0x20)
			return jsonpos_fail(s, "control character in a string");
		if (c >= 0x80) {
			size_t n =
			    jsonpos_utf8_len((const unsigned char *)b + s->pos, len - s->pos);

			if (n == 0)
				return jsonpos_fail(s, "invalid UTF-8 in a string");
			if (out != NULL)
				strbuf_append(out, b + s->pos, n);
			s->pos += n;
			continue;
		}
		if (c != '\\') {
			if (out != NULL)
				strbuf_putc(out, (char)c);
			s->pos++;
			continue;
		}
		if (s->pos + 1 >= len)
			return jsonpos_fail(s, "unterminated string");
		c = (unsigned char)b[s->pos + 1];
		s->pos += 2;
		if (c == 'u') {
			unsigned cp, lo;

			if (s->pos + 4 > len || jsonpos_hex4(b + s->pos, &cp))
				return jsonpos_fail(s, "bad \\u escape");
			s->pos += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && s->pos + 6 <= len && b[s->pos] == '\\' &&
			    b[s->pos + 1] == 'u' && jsonpos_hex4(b + s->pos + 2, &lo) == 0 &&
			    lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s->pos += 6;
			}
			if (out != NULL)
				strbuf_put_utf8(out, cp);
			continue;
		}
		if (strchr("\"\\/bfnrt", (int)c) == NULL || c == '\0')
			return jsonpos_fail(s, "bad escape in a string");
		if (out != NULL) {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

			strbuf_putc(out, to[strchr(from, (int)c) - from]);
		}
	}
}

static int jsonpos_number(struct jsonpos_state *s)
{
	const char *b = s->doc->buf;
	size_t len = s->doc->len, p = s->pos, digits;

	if (p < len && b[p] == '-')
		p++;
	if (p < len && b[p] == '0') {
		p++;
	} else {
		for (digits = 0; p < len && b[p] >= '0' && b[p] <= '9'; p++)
			digits++;
		if (digits == 0)
			return jsonpos_fail(s, "unexpected character");
	}
	if (p < len && b[p] == '.') {
		p++;
		for (digits = 0; p < len && b[p] >= '0' && b[p] <= '9'; p++)
			digits++;
		if (digits == 0)
			return jsonpos_fail(s, "bad number");
	}
	if (p < len && (b[p] == 'e' || b[p] == 'E')) {
		p++;
		if (p < len && (b[p] == '+' || b[p] == '-'))
			p++;
		for (digits = 0; p < len && b[p] >= '0' && b[p] <= '9'; p++)
			digits++;
		if (digits == 0)
			return jsonpos_fail(s, "bad number");
	}
	s->pos = p;
	return 0;
}

static int jsonpos_value(struct jsonpos_state *s, int parent, int depth, int *out);

/* Links child as the last child of parent. */
static void jsonpos_link(struct jsonpos_doc *d, int parent, int child, int *last)
{
	if (*last < 0)
		d->nodes[parent].first_child = child;
	else
		d->nodes[*last].next = child;
	*last = child;
	d->nodes[parent].last_child = child;
	d->nodes[parent].nchildren++;
}

static int jsonpos_container(struct jsonpos_state *s, int self, int depth, int is_obj)
{
	struct jsonpos_doc *d = s->doc;
	char close = is_obj ? '}' : ']';
	int last = -1;

	if (depth >= JSONPOS_MAX_DEPTH)
		return jsonpos_fail(s, "nested too deeply");
	s->pos++;
	jsonpos_ws(s);
	if (s->pos < d->len && d->buf[s->pos] == close) {
		s->pos++;
		return 0;
	}
	for (;;) {
		size_t kstart = 0, kend = 0;
		char *key = NULL;
		int child, kline = 0;

		if (is_obj) {
			struct strbuf sb;

			if (s->pos >= d->len || d->buf[s->pos] != '"')
				return jsonpos_fail(s, "expected a member name");
			kstart = s->pos;
			kline = s->line;
			strbuf_init(&sb);
			if (jsonpos_string(s, &sb)) {
				strbuf_done(&sb);
				return -1;
			}
			kend = s->pos;
			key = strbuf_take(&sb);
			strbuf_done(&sb);
			jsonpos_ws(s);
			if (s->pos >= d->len || d->buf[s->pos] != ':') {
				free(key);
				return jsonpos_fail(s, "expected ':'");
			}
			s->pos++;
			jsonpos_ws(s);
		}
		if (jsonpos_value(s, self, depth + 1, &child)) {
			free(key);
			return -1;
		}
		d->nodes[child].key = key;
		d->nodes[child].key_start = kstart;
		d->nodes[child].key_end = kend;
		d->nodes[child].key_line = kline;
		jsonpos_link(d, self, child, &last);
		jsonpos_ws(s);
		if (s->pos >= d->len)
			return jsonpos_fail(s, "truncated: the document ends too early");
		if (d->buf[s->pos] == ',') {
			s->pos++;
			jsonpos_ws(s);
			continue;
		}
		if (d->buf[s->pos] == close) {
			s->pos++;
			return 0;
		}
		return jsonpos_fail(s, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int jsonpos_value(struct jsonpos_state *s, int parent, int depth, int *out)
{
	struct jsonpos_doc *d = s->doc;
	static const struct {
		const char *word;
		enum jsonpos_type type;
	} words[] = {{"true", JSONPOS_TRUE}, {"false", JSONPOS_FALSE}, {"null", JSONPOS_NULL}};
	int self, rc = -1;
	size_t i;
	char c;

	if (s->pos >= d->len)
		return jsonpos_fail(s, "truncated: the document ends too early");
	c = d->buf[s->pos];
	if (c == '{' || c == '[') {
		self = jsonpos_node_new(s, parent, c == '{' ? JSONPOS_OBJECT : JSONPOS_ARRAY);
		rc = jsonpos_container(s, self, depth, c == '{');
	} else if (c == '"') {
		self = jsonpos_node_new(s, parent, JSONPOS_STRING);
		rc = jsonpos_string(s, NULL);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		self = jsonpos_node_new(s, parent, JSONPOS_NUMBER);
		rc = jsonpos_number(s);
	} else {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t n = strlen(words[i].word);

			if (d->len - s->pos >= n &&
			    memcmp(d->buf + s->pos, words[i].word, n) == 0) {
				self = jsonpos_node_new(s, parent, words[i].type);
				s->pos += n;
				rc = 0;
				break;
			}
		}
		if (rc)
			return jsonpos_fail(s, "unexpected character");
	}
	if (rc)
		return rc;
	d->nodes[self].end = s->pos;
	*out = self;
	return 0;
}

int jsonpos_parse(const char *buf, size_t len, struct jsonpos_doc *doc, struct err *e)
{
	struct jsonpos_state s = {doc, 0, 1, e};
	int root;

	memset(doc, 0, sizeof(*doc));
	doc->buf = buf;
	doc->len = len;
	jsonpos_ws(&s);
	if (jsonpos_value(&s, -1, 0, &root))
		goto fail;
	jsonpos_ws(&s);
	if (s.pos != len) {
		jsonpos_fail(&s, "text after the document");
		goto fail;
	}
	return 0;
fail:
	jsonpos_done(doc);
	return -1;
}

void jsonpos_done(struct jsonpos_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n; i++) {
		free(doc->nodes[i].key);
		free(doc->nodes[i].str);
		free(doc->nodes[i].unknown);
	}
	free(doc->nodes);
	doc->nodes = NULL;
	doc->n = 0;
	doc->cap = 0;
}

int jsonpos_member(const struct jsonpos_doc *d, int obj, const char *key)
{
	int c, found = -1;

	if (obj < 0 || d->nodes[obj].type != JSONPOS_OBJECT)
		return -1;
	for (c = d->nodes[obj].first_child; c >= 0; c = d->nodes[c].next)
		if (strcmp(d->nodes[c].key, key) == 0)
			found = c;
	return found;
}

int jsonpos_element(const struct jsonpos_doc *d, int arr, size_t i)
{
	int c;

	if (arr < 0 || d->nodes[arr].type != JSONPOS_ARRAY)
		return -1;
	for (c = d->nodes[arr].first_child; c >= 0 && i > 0; c = d->nodes[c].next)
		i--;
	return c;
}

int jsonpos_line_of(const struct jsonpos_doc *d, size_t off)
{
	size_t i;
	int line = 1;

	for (i = 0; i < off && i < d->len; i++)
		line += d->buf[i] == '\n';
	return line;
}

int jsonpos_add(struct jsonpos_doc *d, int parent, enum jsonpos_type t, size_t start, size_t end,
		int line)
{
	struct jsonpos_state s = {d, start, line, NULL};
	int self = jsonpos_node_new(&s, parent, t), last;

	d->nodes[self].end = end;
	if (parent >= 0) {
		last = d->nodes[parent].last_child;
		jsonpos_link(d, parent, self, &last);
	}
	return self;
}

int jsonpos_graft(struct jsonpos_doc *d, int parent, const struct jsonpos_doc *src, int from,
		  size_t off, int line_off)
{
	const struct jsonpos_node fc = src->nodes[from], *f = &fc; /* src may be d: copied */
	int self =
	    jsonpos_add(d, parent, f->type, f->start + off, f->end + off, f->line + line_off);
	struct jsonpos_node *n;
	char *text = f->str == NULL && (f->type == JSONPOS_STRING || f->type == JSONPOS_NUMBER)
			 ? jsonpos_text(src, from)
			 : NULL;
	int c;

	n = &d->nodes[self];
	if (f->key != NULL) {
		n->key = xstrdup(f->key);
		n->key_start = f->key_start + off;
		n->key_end = f->key_end + off;
		n->key_line = f->key_line + line_off;
	}
	n->str = f->str != NULL ? xstrdup(f->str) : text;
	n->unknown = f->unknown != NULL ? xstrdup(f->unknown) : NULL;
	n->block = f->block;
	n->quote = f->quote;
	for (c = src->nodes[from].first_child; c >= 0; c = src->nodes[c].next)
		if (src != d || c != self)
			jsonpos_graft(d, self, src, c, off, line_off);
	return self;
}

char *jsonpos_text(const struct jsonpos_doc *d, int i)
{
	const struct jsonpos_node *n = &d->nodes[i];
	struct jsonpos_state s = {(struct jsonpos_doc *)d, n->start, n->line, NULL};
	struct err e;
	struct strbuf sb;
	char *out;

	if (n->str != NULL)
		return xstrdup(n->str);
	if (n->type != JSONPOS_STRING)
		return xstrndup(d->buf + n->start, n->end - n->start);
	err_clear(&e);
	s.e = &e;
	strbuf_init(&sb);
	if (jsonpos_string(&s, &sb))
		strbuf_reset(&sb);
	out = strbuf_take(&sb);
	strbuf_done(&sb);
	return out;
}

json_object *jsonpos_to_json(const struct jsonpos_doc *d, int i)
{
	const struct jsonpos_node *n = &d->nodes[i];
	json_object *o;
	char *t;
	int c;

	/* an unknown string keeps its text (rules only read known values; the rest of the
	 * document stays itself); other unknown values become a marker */
	if (n->unknown != NULL &&
	    !(n->type == JSONPOS_STRING && (n->str != NULL || d->buf[n->start] == '"')))
		return json_object_new_string(JSONPOS_UNKNOWN_VALUE);
	switch (n->type) {
	case JSONPOS_OBJECT:
		o = json_object_new_object();
		for (c = n->first_child; c >= 0; c = d->nodes[c].next)
			json_object_object_add(o, d->nodes[c].key, jsonpos_to_json(d, c));
		return o;
	case JSONPOS_ARRAY:
		o = json_object_new_array();
		for (c = n->first_child; c >= 0; c = d->nodes[c].next)
			json_object_array_add(o, jsonpos_to_json(d, c));
		return o;
	case JSONPOS_STRING:
		t = jsonpos_text(d, i);
		o = json_object_new_string(t);
		free(t);
		return o;
	case JSONPOS_NUMBER:
		t = jsonpos_text(d, i);
		if (strpbrk(t, ".eE") != NULL)
			o = json_object_new_double(strtod(t, NULL));
		else
			o = json_object_new_int64(strtoll(t, NULL, 10));
		free(t);
		return o;
	case JSONPOS_TRUE:
		return json_object_new_boolean(1);
	case JSONPOS_FALSE:
		return json_object_new_boolean(0);
	case JSONPOS_NULL:
	default:
		return NULL;
	}
}

int jsonpos_find_duplicate(const struct jsonpos_doc *d, int *first, int *second)
{
	size_t i;
	int a, b;

	for (i = 0; i < d->n; i++) {
		if (d->nodes[i].type != JSONPOS_OBJECT || d->nodes[i].nchildren < 2)
			continue;
		/* quadratic only in the members of one object: task definitions have few */
		for (a = d->nodes[i].first_child; a >= 0; a = d->nodes[a].next)
			for (b = d->nodes[a].next; b >= 0 && d->nodes[i].nchildren <= 512;
			     b = d->nodes[b].next)
				if (strcmp(d->nodes[a].key, d->nodes[b].key) == 0) {
					*first = a;
					*second = b;
					return 0;
				}
	}
	return -1;
}

size_t jsonpos_utf8_bad(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		n = jsonpos_utf8_len(u + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}
