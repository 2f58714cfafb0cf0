/* sanitize.c: makes text safe to show on a terminal, and JSON text valid UTF-8 without controls. */
#include "config.h"

#include "util/sanitize.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

size_t sanitize_utf8_decode(const unsigned char *s, size_t len, unsigned long *cp)
{
	unsigned long c, min;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, C0/C1 overlong lead, or > U+10FFFF */
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Code points that act on a terminal or reorder what it shows. */
static int sanitize_is_unsafe_cp(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static int sanitize_keeps_ctl(unsigned char c, unsigned flags)
{
	return (c == '\n' && (flags & SANITIZE_KEEP_NL)) ||
	       (c == '\t' && (flags & SANITIZE_KEEP_TAB));
}

int sanitize_needed(const char *s, size_t len, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, n;

	while (i < len) {
		if (u[i] < 0x80) {
			if ((u[i] < 0x20 && !sanitize_keeps_ctl(u[i], flags)) || u[i] == 0x7F)
				return 1;
			i++;
			continue;
		}
		n = sanitize_utf8_decode(u + i, len - i, &cp);
		if (n == 0 || sanitize_is_unsafe_cp(cp))
			return 1;
		i += n;
	}
	return 0;
}

void sanitize_append(struct strbuf *sb, const char *s, size_t len, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, n, run = 0;

	/* copies runs of safe bytes at once */
	while (i < len) {
		if (u[i] < 0x80) {
			if ((u[i] < 0x20 && !sanitize_keeps_ctl(u[i], flags)) || u[i] == 0x7F) {
				strbuf_append(sb, s + run, i - run);
				strbuf_printf(sb, "\\x%02x", u[i]);
				run = ++i;
			} else {
				i++;
			}
			continue;
		}
		n = sanitize_utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			strbuf_append(sb, s + run, i - run);
			strbuf_puts(sb, "\xEF\xBF\xBD"); /* U+FFFD */
			run = ++i;
		} else if (sanitize_is_unsafe_cp(cp)) {
			strbuf_append(sb, s + run, i - run);
			strbuf_printf(sb, "\\u%04lx", cp);
			run = i += n;
		} else {
			i += n;
		}
	}
	strbuf_append(sb, s + run, len - run);
}

char *sanitize_str(const char *s, unsigned flags)
{
	struct strbuf sb;

	if (s == NULL)
		return xstrdup("");
	strbuf_init(&sb);
	sanitize_append(&sb, s, strlen(s), flags);
	return strbuf_take(&sb);
}

int sanitize_fputs(const char *s, FILE *fp, unsigned flags)
{
	struct strbuf sb;
	size_t len = strlen(s);
	int r;

	if (!sanitize_needed(s, len, flags))
		return fputs(s, fp);
	strbuf_init(&sb);
	sanitize_append(&sb, s, len, flags);
	r = fputs(sb.buf, fp);
	strbuf_done(&sb);
	return r;
}

int sanitize_fputs_colored(FILE *fp, const char *plain, const char *colored, unsigned flags)
{
	if (colored != NULL && !sanitize_needed(plain, strlen(plain), flags))
		return fputs(colored, fp);
	return sanitize_fputs(plain, fp, flags);
}

int sanitize_vfprintf(FILE *fp, unsigned flags, const char *fmt, va_list ap)
{
	struct strbuf raw, out;
	int r;

	strbuf_init(&raw);
	strbuf_vprintf(&raw, fmt, ap);
	strbuf_init(&out);
	sanitize_append(&out, raw.buf, raw.len, flags);
	r = fputs(out.buf, fp);
	strbuf_done(&raw);
	strbuf_done(&out);
	return r;
}

int sanitize_fprintf(FILE *fp, unsigned flags, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sanitize_vfprintf(fp, flags, fmt, ap);
	va_end(ap);
	return r;
}

char *sanitize_printf(unsigned flags, const char *fmt, ...)
{
	struct strbuf raw, out;
	va_list ap;

	strbuf_init(&raw);
	va_start(ap, fmt);
	strbuf_vprintf(&raw, fmt, ap);
	va_end(ap);
	strbuf_init(&out);
	sanitize_append(&out, raw.buf, raw.len, flags);
	strbuf_done(&raw);
	return strbuf_take(&out);
}

void sanitize_json_append(struct strbuf *sb, const char *json, size_t len)
{
	const unsigned char *u = (const unsigned char *)json;
	int in_str = 0, esc = 0;
	unsigned long cp;
	size_t i = 0, n, run = 0;

	while (i < len) {
		unsigned char c = u[i];

		if (!in_str || esc || (c >= 0x20 && c < 0x7F)) {
			if (esc)
				esc = 0;
			else if (c == '"')
				in_str = !in_str;
			else if (c == '\\' && in_str)
				esc = 1;
			i++;
			continue;
		}
		if (c < 0x80) { /* a raw control or DEL inside a string */
			strbuf_append(sb, json + run, i - run);
			strbuf_printf(sb, "\\u%04x", c);
			run = ++i;
			continue;
		}
		n = sanitize_utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			strbuf_append(sb, json + run, i - run);
			strbuf_puts(sb, "\\ufffd");
			run = ++i;
		} else if (sanitize_is_unsafe_cp(cp)) {
			strbuf_append(sb, json + run, i - run);
			strbuf_printf(sb, "\\u%04lx", cp);
			run = i += n;
		} else {
			i += n;
		}
	}
	strbuf_append(sb, json + run, len - run);
}

json_object *sanitize_json_copy(json_object *o, unsigned flags)
{
	json_object *out;
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_string: {
		const char *s = json_object_get_string(o);
		size_t len = (size_t)json_object_get_string_len(o);
		struct strbuf sb;

		if (!sanitize_needed(s, len, flags))
			return json_object_get(o);
		strbuf_init(&sb);
		sanitize_append(&sb, s, len, flags);
		out = json_object_new_string_len(sb.buf, (int)sb.len);
		strbuf_done(&sb);
		return out;
	}
	case json_type_array:
		n = json_object_array_length(o);
		out = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(
			    out, sanitize_json_copy(json_object_array_get_idx(o, i), flags));
		return out;
	case json_type_object:
		out = json_object_new_object();
		json_object_object_foreach(o, key, val)
		{
			char *k = sanitize_str(key, flags);

			json_object_object_add(out, k, sanitize_json_copy(val, flags));
			free(k);
		}
		return out;
	default: /* null, booleans, numbers: shared (they hold no text) */
		return json_object_get(o);
	}
}
