/* xmalloc.h: allocation wrappers that never return NULL (abort on exhaustion). */
#ifndef ECSFIX_UTIL_XMALLOC_H
#define ECSFIX_UTIL_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Called once before abort() on out-of-memory or fatal(); the TUI sets it to restore the
 * terminal. NULL means no hook. */
void xmalloc_set_fatal_hook(void (*hook)(void));

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of n elements of size each, overflow-checked. */
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Prints "ecsfix: fatal: ..." after running the hook, then aborts. For bugs only. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
