/* trace.h: the --debug trace, with every registered secret redacted before it is written. */
#ifndef ECSFIX_UTIL_TRACE_H
#define ECSFIX_UTIL_TRACE_H

#include <stdarg.h>
#include <stdio.h>

struct trace;

struct err;

/* Opens a trace on an already-open stream (not closed by trace_free) or, when path is not
 * NULL, on the file path as trace_open does. NULL stream and path: a disabled trace on which
 * every call is a cheap no-op. Returns NULL if the file can't be opened (errno set; trace_open
 * says why in words). */
struct trace *trace_new(FILE *stream, const char *path);
/* A trace appended to the file path (file_open_private: created 0600, an existing file made
 * 0600; a symbolic link, a FIFO or another user's file refused). NULL with e set on failure. */
struct trace *trace_open(const char *path, struct err *e);
void trace_free(struct trace *t);
int trace_enabled(const struct trace *t);
/* Registers a secret (copied): any later output containing it shows "****" instead.
 * Strings shorter than 4 bytes are ignored. Thread-safe. */
void trace_add_secret(struct trace *t, const char *secret);
/* Writes one formatted message, prefixed with a timestamp, secrets redacted, terminal
 * controls shown visibly (sanitize_fputs, newlines and tabs kept). Thread-safe. */
void trace_printf(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Redacts the registered secrets in s (returned copy is the caller's). */
char *trace_redact(struct trace *t, const char *s);

#endif
