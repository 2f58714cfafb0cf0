/* trace.c: the --debug trace, with every registered secret redacted before it is written. */
#include "config.h"

#include "util/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fileio.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

struct trace {
	FILE *fp;
	int owned;
	char **secrets;
	size_t nsecrets;
	pthread_mutex_t lock;
};

struct trace *trace_open(const char *path, struct err *e)
{
	struct trace *t;
	FILE *fp;
	int fd = file_open_private(path, 0, e);

	if (fd < 0)
		return NULL;
	fp = fdopen(fd, "a");
	if (fp == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	t = trace_new(fp, NULL);
	t->owned = 1;
	return t;
}

struct trace *trace_new(FILE *stream, const char *path)
{
	struct trace *t;

	if (path != NULL) {
		struct err e;

		err_clear(&e);
		errno = 0;
		t = trace_open(path, &e);
		if (t == NULL && errno == 0)
			errno = EINVAL;
		return t;
	}
	t = xcalloc(1, sizeof *t);
	t->fp = stream;
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void trace_free(struct trace *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->owned)
		fclose(t->fp);
	for (i = 0; i < t->nsecrets; i++)
		free(t->secrets[i]);
	free(t->secrets);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

int trace_enabled(const struct trace *t)
{
	return t != NULL && t->fp != NULL;
}

void trace_add_secret(struct trace *t, const char *secret)
{
	size_t i;

	if (t == NULL || secret == NULL || strlen(secret) < 4)
		return;
	pthread_mutex_lock(&t->lock);
	for (i = 0; i < t->nsecrets; i++) {
		if (strcmp(t->secrets[i], secret) == 0)
			goto out;
	}
	t->secrets = xreallocarray(t->secrets, t->nsecrets + 1, sizeof *t->secrets);
	/* longest first, so a secret that extends another is hidden whole */
	for (i = t->nsecrets; i > 0 && strlen(t->secrets[i - 1]) < strlen(secret); i--)
		t->secrets[i] = t->secrets[i - 1];
	t->secrets[i] = xstrdup(secret);
	t->nsecrets++;
out:
	pthread_mutex_unlock(&t->lock);
}

/* Caller holds the lock. */
static char *trace_redact_locked(struct trace *t, const char *s)
{
	char *cur = xstrdup(s);
	size_t i;

	for (i = 0; i < t->nsecrets; i++) {
		const char *sec = t->secrets[i], *p, *start;
		size_t slen = strlen(sec);
		struct strbuf sb;

		if (strstr(cur, sec) == NULL)
			continue;
		strbuf_init(&sb);
		start = cur;
		while ((p = strstr(start, sec)) != NULL) {
			strbuf_append(&sb, start, (size_t)(p - start));
			strbuf_puts(&sb, "****");
			start = p + slen;
		}
		strbuf_puts(&sb, start);
		free(cur);
		cur = strbuf_take(&sb);
		strbuf_done(&sb);
	}
	return cur;
}

char *trace_redact(struct trace *t, const char *s)
{
	char *r;

	if (t == NULL)
		return xstrdup(s);
	pthread_mutex_lock(&t->lock);
	r = trace_redact_locked(t, s);
	pthread_mutex_unlock(&t->lock);
	return r;
}

void trace_printf(struct trace *t, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32], *msg, *red;
	va_list ap;

	if (!trace_enabled(t))
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
	pthread_mutex_lock(&t->lock);
	red = trace_redact_locked(t, msg);
	/* headers and bodies come from the wire: no control reaches the terminal raw */
	fprintf(t->fp, "[%s.%03ld] ", stamp, ts.tv_nsec / 1000000L);
	sanitize_fputs(red, t->fp, SANITIZE_TEXT);
	fputc('\n', t->fp);
	fflush(t->fp);
	pthread_mutex_unlock(&t->lock);
	free(red);
	free(msg);
}
