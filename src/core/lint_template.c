/* lint_template.c: template placeholders in task-definition JSON (${X}, $X, {{x}}, $$$X$$$,
 * %{if}, <<X>>), masked so that a JSON reader sees the rest at unchanged offsets. */
#include "config.h"

#include <string.h>

#include "core/lint_read.h"
#include "util/xmalloc.h"

static int lint_tpl_ident(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Length of a placeholder starting at s[0] (0: none). */
static size_t lint_tpl_at(const char *s, size_t len)
{
	size_t i, depth;

	if (len >= 3 && (s[0] == '$' || s[0] == '%') && s[1] == '{') {
		for (i = 2, depth = 1; i < len && s[i] != '\n'; i++) {
			if (s[i] == '{')
				depth++;
			else if (s[i] == '}' && --depth == 0)
				return i + 1;
		}
		return 0;
	}
	if (len >= 4 && s[0] == '{' && s[1] == '{') {
		for (i = 2; i + 1 < len && s[i] != '\n'; i++)
			if (s[i] == '}' && s[i + 1] == '}')
				return i + 2;
		return 0;
	}
	if (len >= 3 && s[0] == '$' && s[1] == '$') {
		for (i = 0; i < len && s[i] == '$'; i++)
			;
		if (i < 2 || i >= len || !lint_tpl_ident(s[i]))
			return 0;
		while (i < len && lint_tpl_ident(s[i]))
			i++;
		while (i < len && s[i] == '$')
			i++;
		return i;
	}
	if (len >= 2 && s[0] == '$' &&
	    ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= 'a' && s[1] <= 'z') || s[1] == '_')) {
		for (i = 1; i < len && lint_tpl_ident(s[i]); i++)
			;
		return i;
	}
	if (len >= 5 && s[0] == '<' && s[1] == '<' && lint_tpl_ident(s[2])) {
		for (i = 2; i < len && (lint_tpl_ident(s[i]) || s[i] == '.' || s[i] == '-'); i++)
			;
		return i + 1 < len && s[i] == '>' && s[i + 1] == '>' ? i + 2 : 0;
	}
	return 0;
}

int lint_template_find(const char *s, size_t len, size_t *start, size_t *end)
{
	size_t i, n;

	for (i = 0; i < len; i++) {
		if (s[i] != '$' && s[i] != '%' && s[i] != '{' && s[i] != '<')
			continue;
		n = lint_tpl_at(s + i, len - i);
		if (n > 0) {
			*start = i;
			*end = i + n;
			return 1;
		}
	}
	return 0;
}

size_t lint_template_mask(const char *buf, size_t len, char **masked, struct lint_span **spans)
{
	char *m = xmalloc(len + 1), stack[128], last = 0;
	size_t i = 0, depth = 0, ns = 0, n, k;
	struct lint_span *sp = NULL;
	int in_str = 0;

	memcpy(m, buf, len);
	m[len] = '\0';
	while (i < len) {
		char c = buf[i];

		if (in_str) {
			if (c == '\\') {
				i += 2;
				continue;
			}
			if (c == '"') {
				in_str = 0;
				i++;
				continue;
			}
			n = (c == '$' || c == '%' || c == '{' || c == '<')
				? lint_tpl_at(buf + i, len - i)
				: 0;
			/* inside a string a placeholder stays; quotes in it would end the string */
			for (k = 0; k < n; k++)
				if (m[i + k] == '"' || m[i + k] == '\\')
					m[i + k] = '_';
			i += n > 0 ? n : 1;
			continue;
		}
		n = (c == '$' || c == '%' || c == '{' || c == '<') ? lint_tpl_at(buf + i, len - i)
								   : 0;
		if (n > 0) {
			int member = depth > 0 && depth <= sizeof(stack) &&
				     stack[depth - 1] == '{' && (last == '{' || last == ',');

			sp = xreallocarray(sp, ns + 1, sizeof(*sp));
			sp[ns].start = i;
			sp[ns].end = i + n;
			ns++;
			memset(m + i, ' ', n);
			if (c == '%' || member) {
				/* a directive or a whole member: nothing */
			} else if (n >= 4) {
				memcpy(m + i, "null", 4);
				last = 'v';
			} else {
				m[i] = '0';
				last = 'v';
			}
			i += n;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			last = 'v';
		} else if (c == '{' || c == '[') {
			if (depth < sizeof(stack))
				stack[depth] = c;
			depth++;
			last = c;
		} else if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
			last = 'v';
		} else if (c == ',' || c == ':') {
			last = c;
		} else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			last = 'v';
		}
		i++;
	}
	*masked = m;
	*spans = sp;
	return ns;
}
