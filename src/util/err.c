/* err.c: the error message carried out of every fallible function. */
#include "config.h"

#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
	e->msg[0] = e->hint[0] = e->code[0] = '\0';
	e->http_status = 0;
}

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	err_clear(e);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int err_hint(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof e->hint, fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[512], old[sizeof e->msg];
	size_t plen, olen;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	olen = strnlen(e->msg, sizeof e->msg - 1);
	memcpy(old, e->msg, olen);
	plen = strlen(prefix);
	memcpy(e->msg, prefix, plen); /* plen < 512 < sizeof e->msg - 2 */
	memcpy(e->msg + plen, ": ", 2);
	if (olen > sizeof e->msg - plen - 3)
		olen = sizeof e->msg - plen - 3;
	memcpy(e->msg + plen + 2, old, olen);
	e->msg[plen + 2 + olen] = '\0';
	return -1;
}

void err_copy(struct err *dst, const struct err *src)
{
	if (dst != src)
		memcpy(dst, src, sizeof *dst);
}
