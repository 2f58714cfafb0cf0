/* trace.c: the --debug trace, with every registered secret redacted before it is written. */
#include "config.h"

#include "util/trace.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

struct trace {
	FILE *fp;
	int owned;
	char **secrets;
	size_t nsecrets;
	pthread_mutex_t lock;
};

struct trace *trace_new(FILE *stream, const char *path)
{
	struct trace *t = xcalloc(1, sizeof *t);

	if (path != NULL) {
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

		if (fd < 0 || (t->fp = fdopen(fd, "a")) == NULL) {
			if (fd >= 0)
				close(fd);
			free(t);
			return NULL;
		}
		t->owned = 1;
	} else {
		t->fp = stream;
	}
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
	fprintf(t->fp, "[%s.%03ld] %s\n", stamp, ts.tv_nsec / 1000000L, red);
	fflush(t->fp);
	pthread_mutex_unlock(&t->lock);
	free(red);
	free(msg);
}
