/* xml.c: the little XML AWS query services answer with (STS), converted to JSON. */
#include "config.h"

#include "aws/xml.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define XML_MAX_DEPTH 64

struct xml_parser {
	const char *s;
	size_t len;
	size_t pos;
	struct err *e;
};

/* Appends the text s[0..len) with entities decoded. */
static void xml_decode_into(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *semi;
		size_t n;

		if (s[i] != '&' || (semi = memchr(s + i, ';', len - i)) == NULL ||
		    (n = (size_t)(semi - s - i)) > 10) {
			strbuf_putc(sb, s[i++]);
			continue;
		}
		if (n == 3 && strncmp(s + i, "&lt", 3) == 0) {
			strbuf_putc(sb, '<');
		} else if (n == 3 && strncmp(s + i, "&gt", 3) == 0) {
			strbuf_putc(sb, '>');
		} else if (n == 4 && strncmp(s + i, "&amp", 4) == 0) {
			strbuf_putc(sb, '&');
		} else if (n == 5 && strncmp(s + i, "&quot", 5) == 0) {
			strbuf_putc(sb, '"');
		} else if (n == 5 && strncmp(s + i, "&apos", 5) == 0) {
			strbuf_putc(sb, '\'');
		} else if (n > 2 && s[i + 1] == '#') {
			char num[12];
			char *end;
			unsigned long cp;
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';

			memcpy(num, s + i + 2 + hex, n - 2 - (size_t)hex);
			num[n - 2 - (size_t)hex] = '\0';
			cp = strtoul(num, &end, hex ? 16 : 10);
			if (*end != '\0' || cp == 0 || cp > 0x10FFFF) {
				strbuf_putc(sb, s[i++]);
				continue;
			}
			strbuf_put_utf8(sb, cp);
		} else {
			strbuf_putc(sb, s[i++]);
			continue;
		}
		i += n + 1;
	}
}

/* Skips <?...?>, <!--...-->, <!...> at pos; returns 1 if something was skipped. */
static int xml_skip_misc(struct xml_parser *p)
{
	const char *s = p->s + p->pos, *end;
	size_t left = p->len - p->pos;

	if (left >= 4 && strncmp(s, "<!--", 4) == 0) {
		const char *q = s + 4;

		while ((size_t)(q - s) + 3 <= left && strncmp(q, "-->", 3) != 0)
			q++;
		p->pos = (size_t)(q - p->s) + 3;
		if (p->pos > p->len)
			p->pos = p->len;
		return 1;
	}
	if (left >= 2 && (strncmp(s, "<?", 2) == 0 || strncmp(s, "<!", 2) == 0)) {
		end = memchr(s, '>', left);
		p->pos = end != NULL ? (size_t)(end - p->s) + 1 : p->len;
		return 1;
	}
	return 0;
}

static void xml_skip_space(struct xml_parser *p)
{
	while (p->pos < p->len && isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

/* Adds value under name to obj; a repeated name turns the member into an array. */
static void xml_add(json_object *obj, const char *name, json_object *value)
{
	json_object *prev;

	if (!json_object_object_get_ex(obj, name, &prev)) {
		json_object_object_add(obj, name, value);
		return;
	}
	if (!json_object_is_type(prev, json_type_array)) {
		json_object *arr = json_object_new_array();

		json_object_array_add(arr, json_object_get(prev));
		json_object_object_add(obj, name, arr);
		prev = arr;
	}
	json_object_array_add(prev, value);
}

static int xml_element(struct xml_parser *p, int depth, char **name_out, json_object **out);

/* Parses the content after <name ...> up to and including </name>. */
static int xml_content(struct xml_parser *p, int depth, const char *name, json_object **out)
{
	struct strbuf text;
	json_object *obj = NULL;
	int members = 0, rc = -1;

	strbuf_init(&text);
	for (;;) {
		const char *lt;

		if (p->pos >= p->len) {
			err_set(p->e, "XML: element <%s> is not closed", name);
			goto out;
		}
		lt = memchr(p->s + p->pos, '<', p->len - p->pos);
		if (lt == NULL) {
			err_set(p->e, "XML: element <%s> is not closed", name);
			goto out;
		}
		xml_decode_into(&text, p->s + p->pos, (size_t)(lt - p->s) - p->pos);
		p->pos = (size_t)(lt - p->s);
		if (p->len - p->pos >= 9 && strncmp(lt, "<![CDATA[", 9) == 0) {
			const char *q = lt + 9;

			while ((size_t)(q - p->s) + 3 <= p->len && strncmp(q, "]]>", 3) != 0)
				q++;
			if ((size_t)(q - p->s) + 3 > p->len) {
				err_set(p->e, "XML: unterminated CDATA");
				goto out;
			}
			strbuf_append(&text, lt + 9, (size_t)(q - lt - 9));
			p->pos = (size_t)(q - p->s) + 3;
			continue;
		}
		if (xml_skip_misc(p))
			continue;
		if (p->len - p->pos >= 2 && lt[1] == '/') {
			size_t nlen = strlen(name);
			const char *gt;

			if (p->len - p->pos < 3 + nlen || strncmp(lt + 2, name, nlen) != 0 ||
			    (lt[2 + nlen] != '>' && !isspace((unsigned char)lt[2 + nlen])) ||
			    (gt = memchr(lt, '>', p->len - p->pos)) == NULL) {
				err_set(p->e, "XML: mismatched closing tag in <%s>", name);
				goto out;
			}
			p->pos = (size_t)(gt - p->s) + 1;
			break;
		} else {
			char *cname = NULL;
			json_object *child = NULL;

			if (obj == NULL)
				obj = json_object_new_object();
			if (xml_element(p, depth + 1, &cname, &child) != 0)
				goto out;
			if (strcmp(cname, "member") == 0)
				members = 1;
			xml_add(obj, cname, child);
			free(cname);
		}
	}
	if (obj == NULL) {
		*out = json_object_new_string(text.buf);
	} else if (members) {
		json_object *m = NULL;

		json_object_object_get_ex(obj, "member", &m);
		if (json_object_is_type(m, json_type_array)) {
			*out = json_object_get(m);
		} else {
			*out = json_object_new_array();
			json_object_array_add(*out, json_object_get(m));
		}
	} else {
		*out = obj;
		obj = NULL;
	}
	rc = 0;
out:
	json_object_put(obj);
	strbuf_done(&text);
	return rc;
}

/* Parses one element at p->pos ('<'). */
static int xml_element(struct xml_parser *p, int depth, char **name_out, json_object **out)
{
	size_t start, nend;
	const char *gt;
	char *name;
	int rc;

	*name_out = NULL;
	*out = NULL;
	if (depth > XML_MAX_DEPTH)
		return err_set(p->e, "XML: nested too deeply");
	if (p->pos >= p->len || p->s[p->pos] != '<')
		return err_set(p->e, "XML: expected an element at offset %zu", p->pos);
	start = ++p->pos;
	while (p->pos < p->len && !isspace((unsigned char)p->s[p->pos]) && p->s[p->pos] != '>' &&
	       p->s[p->pos] != '/')
		p->pos++;
	nend = p->pos;
	if (nend == start)
		return err_set(p->e, "XML: empty element name at offset %zu", start);
	gt = memchr(p->s + p->pos, '>', p->len - p->pos);
	if (gt == NULL)
		return err_set(p->e, "XML: unterminated tag at offset %zu", start - 1);
	name = xstrndup(p->s + start, nend - start);
	p->pos = (size_t)(gt - p->s) + 1;
	if (gt[-1] == '/') {
		*out = json_object_new_string("");
		*name_out = name;
		return 0;
	}
	rc = xml_content(p, depth, name, out);
	if (rc != 0) {
		free(name);
		return rc;
	}
	*name_out = name;
	return 0;
}

int xml_to_json(const char *buf, size_t len, json_object **out, struct err *e)
{
	struct xml_parser p = {buf, len, 0, e};
	json_object *root = NULL, *value = NULL;
	char *name = NULL;

	*out = NULL;
	for (;;) {
		xml_skip_space(&p);
		if (!xml_skip_misc(&p))
			break;
	}
	if (p.pos >= p.len)
		return err_set(e, "XML: no element");
	if (xml_element(&p, 0, &name, &value) != 0)
		return -1;
	for (;;) {
		xml_skip_space(&p);
		if (!xml_skip_misc(&p))
			break;
	}
	if (p.pos < p.len) {
		free(name);
		json_object_put(value);
		return err_set(e, "XML: trailing data at offset %zu", p.pos);
	}
	root = json_object_new_object();
	json_object_object_add(root, name, value);
	free(name);
	*out = root;
	return 0;
}

char *xml_find_text(const char *buf, size_t len, const char *name)
{
	size_t nlen = strlen(name), i;

	for (i = 0; i + nlen + 2 <= len; i++) {
		const char *v, *end;
		struct strbuf sb;

		if (buf[i] != '<' || strncmp(buf + i + 1, name, nlen) != 0 ||
		    (buf[i + 1 + nlen] != '>' && buf[i + 1 + nlen] != ' '))
			continue;
		v = memchr(buf + i, '>', len - i);
		if (v == NULL)
			return NULL;
		v++;
		end = memchr(v, '<', len - (size_t)(v - buf));
		if (end == NULL)
			end = buf + len;
		strbuf_init(&sb);
		xml_decode_into(&sb, v, (size_t)(end - v));
		return sb.buf; /* handed over */
	}
	return NULL;
}
