/* audit.c: the append-only audit log of account changes, one JSON line per step. */
#include "config.h"

#include "core/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

struct audit_log {
	int fd;
	char *path;
};

char *audit_default_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (state != NULL && state[0] == '/')
		return xasprintf("%s/ecsfix/audit.jsonl", state);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/state/ecsfix/audit.jsonl", home);
	return NULL;
}

int audit_open(const char *path, struct audit_log **out, struct err *e)
{
	struct audit_log *a;
	char *p, *dir, *slash;
	int fd;

	*out = NULL;
	p = path != NULL ? xstrdup(path) : audit_default_path();
	if (p == NULL)
		return err_set(e, "audit log: no place for it"),
		       err_hint(e, "set XDG_STATE_HOME or HOME, or give --audit-log FILE");
	dir = xstrdup(p);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (file_mkdirs(dir, 0700, e)) {
			free(dir);
			free(p);
			return err_prefix(e, "audit log");
		}
	}
	free(dir);
	/* created 0600; an existing log is made 0600; a symbolic link, another user's file or a
	 * directory every user can write to is refused, never silently appended to */
	fd = file_open_private(p, 1, e);
	if (fd < 0) {
		free(p);
		return err_prefix(e, "audit log");
	}
	a = xcalloc(1, sizeof *a);
	a->fd = fd;
	a->path = p;
	*out = a;
	return 0;
}

static void audit_put(json_object *o, const char *key, const char *v)
{
	if (v != NULL && v[0] != '\0')
		json_object_object_add(o, key, json_object_new_string(v));
}

int audit_append(struct audit_log *a, const struct audit_entry *en, struct err *e)
{
	json_object *o = json_object_new_object();
	char when[32], *line, *full;
	size_t len, off = 0;
	int rc = 0;

	time_iso8601(time(NULL), when, sizeof when);
	audit_put(o, "time", when);
	audit_put(o, "region", en->region);
	audit_put(o, "account", en->account);
	audit_put(o, "roleArn", en->role_arn);
	audit_put(o, "action", en->action);
	audit_put(o, "service", en->service);
	audit_put(o, "oldTaskDefinition", en->old_arn);
	audit_put(o, "newTaskDefinition", en->new_arn);
	audit_put(o, "deploymentId", en->deployment_id);
	audit_put(o, "requestId", en->request_id);
	audit_put(o, "outcome", en->outcome);
	audit_put(o, "detail", en->detail);
	line = jsonx_compact(o);
	json_object_put(o);
	full = xasprintf("%s\n", line);
	free(line);
	len = strlen(full);
	while (off < len) {
		ssize_t n = write(a->fd, full + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = err_set(e, "audit log %s: %s", a->path, strerror(errno));
			break;
		}
		off += (size_t)n;
	}
	free(full);
	return rc;
}

const char *audit_path(const struct audit_log *a)
{
	return a->path;
}

void audit_close(struct audit_log *a)
{
	if (a == NULL)
		return;
	close(a->fd);
	free(a->path);
	free(a);
}
