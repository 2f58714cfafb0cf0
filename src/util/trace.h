/* trace.h: the --debug trace, with every registered secret redacted before it is written. */
#ifndef ECSFIX_UTIL_TRACE_H
#define ECSFIX_UTIL_TRACE_H

#include <stdarg.h>
#include <stdio.h>

struct trace;

/* Opens a trace on an already-open stream (not closed by trace_free) or, when path is not
 * NULL, on a new file created mode 0600 (closed by trace_free). NULL stream and path: a
 * disabled trace on which every call is a cheap no-op. Returns NULL if the file can't be
 * opened (errno set). */
struct trace *trace_new(FILE *stream, const char *path);
void trace_free(struct trace *t);
int trace_enabled(const struct trace *t);
/* Registers a secret (copied): any later output containing it shows "****" instead.
 * Strings shorter than 4 bytes are ignored. Thread-safe. */
void trace_add_secret(struct trace *t, const char *secret);
/* Writes one formatted message, prefixed with a timestamp, secrets redacted. Thread-safe. */
void trace_printf(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Redacts the registered secrets in s (returned copy is the caller's). */
char *trace_redact(struct trace *t, const char *s);

#endif
