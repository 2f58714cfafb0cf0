/* sanitize.h: makes text from the account, the wire or a file safe to show on a terminal or in a
 * text report, and JSON text always valid UTF-8 with every control escaped. */
#ifndef ECSFIX_UTIL_SANITIZE_H
#define ECSFIX_UTIL_SANITIZE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf;

/*
 * What a terminal could act on is shown visibly instead of being written:
 *   C0 controls and DEL    -> \xNN        ("\x1b" for ESC; "\x0a" for a newline by default)
 *   C1 controls U+0080..9F -> \u00NN      (U+009B, the one-byte CSI, shows as "\u009b")
 *   bidi overrides/isolates U+202A..E, U+2066..9 -> \u202e etc. (they reorder what is shown)
 *   invalid UTF-8          -> U+FFFD      (one per byte that is not part of a valid sequence;
 *                                          overlong forms, surrogates, > U+10FFFF included)
 * Everything else, including valid non-ASCII text and backslashes, passes unchanged.
 */
enum sanitize_flags {
	SANITIZE_KEEP_NL = 1 << 0,  /* '\n' passes (multi-line text: diffs, reports) */
	SANITIZE_KEEP_TAB = 1 << 1, /* '\t' passes */
	SANITIZE_TEXT = SANITIZE_KEEP_NL | SANITIZE_KEEP_TAB,
};

/* Appends s[0..len) to sb, sanitized. */
void sanitize_append(struct strbuf *sb, const char *s, size_t len, unsigned flags);
/* A sanitized copy of s (NULL gives ""); the caller frees it. */
char *sanitize_str(const char *s, unsigned flags);
/* 1 when s[0..len) would change under sanitize_append with these flags, else 0. */
int sanitize_needed(const char *s, size_t len, unsigned flags);
/* Writes s sanitized to fp; returns what fputs returns. */
int sanitize_fputs(const char *s, FILE *fp, unsigned flags);
/* Formats, then writes the whole result sanitized (the format's own text too: colour codes
 * must be written separately). Returns what fputs returns. */
int sanitize_fprintf(FILE *fp, unsigned flags, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sanitize_vfprintf(FILE *fp, unsigned flags, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* For text a formatter makes with or without the program's own colour codes: writes colored
 * when plain (the same text without colours) needs no sanitizing, else plain sanitized. A
 * hostile name costs the colours, never the terminal. colored NULL: no colour wanted. */
int sanitize_fputs_colored(FILE *fp, const char *plain, const char *colored, unsigned flags);
/* Formats into a sanitized copy (caller frees). */
char *sanitize_printf(unsigned flags, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A deep copy of o (owned by the caller) with every string value and object key sanitized,
 * for code that prints parts of a document as text (a table from a report). */
struct json_object *sanitize_json_copy(struct json_object *o, unsigned flags);

/* JSON text (the output of a JSON serializer, json-c's included) made valid UTF-8 and free of
 * raw controls: DEL, C1 controls and bidi overrides become \u escapes, invalid UTF-8 becomes
 * \ufffd, C0 controls (only possible inside strings of a broken serializer) become \u00NN.
 * Bytes outside strings are never non-ASCII in valid JSON, so this keeps the document valid
 * and equal in meaning except for the invalid bytes. Appends to sb. */
void sanitize_json_append(struct strbuf *sb, const char *json, size_t len);

/* Decodes one UTF-8 sequence at s[0..len) (len >= 1). Returns its length (1..4) and sets *cp,
 * or returns 0 when s does not start with a valid, shortest-form sequence of a scalar value. */
size_t sanitize_utf8_decode(const unsigned char *s, size_t len, unsigned long *cp);

#endif
