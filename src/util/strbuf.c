/* strbuf.c: a growable, always NUL-terminated byte buffer. */
#include "config.h"

#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

void strbuf_init(struct strbuf *sb)
{
	sb->cap = 64;
	sb->len = 0;
	sb->buf = xmalloc(sb->cap);
	sb->buf[0] = '\0';
}

void strbuf_done(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

void strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_append(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
	strbuf_append(sb, &c, 1);
}

void strbuf_put_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80) {
		strbuf_putc(sb, (char)cp);
	} else if (cp < 0x800) {
		strbuf_putc(sb, (char)(0xC0 | (cp >> 6)));
		strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_putc(sb, (char)(0xE0 | (cp >> 12)));
		strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_putc(sb, (char)(0xF0 | (cp >> 18)));
		strbuf_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
		strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
	}
}

void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatal("bad format string: %s", fmt);
	strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

char *strbuf_take(struct strbuf *sb)
{
	char *p = sb->buf != NULL ? sb->buf : xstrdup("");

	/* Leaves sb empty without allocating: strbuf_done is optional afterwards, and the next
	 * append allocates again. */
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}
