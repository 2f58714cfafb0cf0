/* err.h: the error message carried out of every fallible function. */
#ifndef ECSFIX_UTIL_ERR_H
#define ECSFIX_UTIL_ERR_H

/*
 * Fallible functions return 0 on success and -1 on failure, filling a caller-provided
 * struct err. The message is one line, "<what failed>: <why>", and the hint (optional) says
 * what to do about it; the CLI prints "ecsfix: <msg> (<hint>)".
 */
struct err {
	char msg[1024];
	char hint[512];
	char code[128];  /* machine-readable cause when known, e.g. an AWS error code */
	int http_status; /* 0 when not an HTTP failure */
};

void err_clear(struct err *e);
/* Sets the message (replacing any previous one) and clears hint and code; returns -1. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the hint; returns -1. */
int err_hint(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Puts "<prefix>: " in front of the current message; returns -1. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies src into dst (either may be the other's alias: then it is a no-op). */
void err_copy(struct err *dst, const struct err *src);

#endif
