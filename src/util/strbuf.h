/* strbuf.h: a growable, always NUL-terminated byte buffer. */
#ifndef ECSFIX_UTIL_STRBUF_H
#define ECSFIX_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf; /* always NUL-terminated once initialised */
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_done(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_append(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
/* Appends code point cp (at most 0x10FFFF) encoded as UTF-8. */
void strbuf_put_utf8(struct strbuf *sb, unsigned long cp);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hands the buffer to the caller (free() it) and leaves sb empty (no allocation: appending
 * again is fine, strbuf_done is not needed). */
char *strbuf_take(struct strbuf *sb);

#endif
