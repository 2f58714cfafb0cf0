/* cred_process.c: the credential_process provider: runs the profile's command, reads its JSON. */
#include "config.h"

#include "aws/cred_provider.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "aws/aws_config.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- credential_process ---- */

static char *cred_first_line(const char *s)
{
	size_t n;

	while (*s == '\n' || *s == '\r' || *s == ' ')
		s++;
	n = strcspn(s, "\r\n");
	return xstrndup(s, n);
}

/* Runs cmd with /bin/sh -c (the profile's own command line, nothing interpolated into it),
 * collecting stdout and stderr. */
static int cred_run(const char *cmd, struct strbuf *out, struct strbuf *errout, int *status,
		    struct err *e)
{
	int po[2] = {-1, -1}, pe[2] = {-1, -1};
	pid_t pid;
	struct pollfd fds[2];
	int open_fds = 2, rc = -1;

	if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		err_set(e, "cannot create a pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		err_set(e, "cannot fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	fds[0].fd = po[0];
	fds[1].fd = pe[0];
	fds[0].events = fds[1].events = POLLIN;
	while (open_fds > 0) {
		int i;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			char buf[4096];
			ssize_t r;
			struct strbuf *sb = i == 0 ? out : errout;

			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(fds[i].fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(fds[i].fd);
				if (i == 0)
					po[0] = -1;
				else
					pe[0] = -1;
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			if (sb->len + (size_t)r <= CRED_PROCESS_MAX)
				strbuf_append(sb, buf, (size_t)r);
		}
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			err_set(e, "waitpid: %s", strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	if (po[0] >= 0)
		close(po[0]);
	if (po[1] >= 0)
		close(po[1]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pe[1] >= 0)
		close(pe[1]);
	return rc;
}

int cred_process(struct aws_cred_chain *ch, const char *profile, const char *cmd,
		 struct aws_credentials *c, struct err *e)
{
	struct strbuf out, errout;
	int status = 0, rc = CRED_FAIL;
	json_object *doc = NULL, *ver = NULL;
	char *where = aws_config_origin(ch->cfg.cfg, profile, "credential_process");

	strbuf_init(&out);
	strbuf_init(&errout);
	if (cred_run(cmd, &out, &errout, &status, e) != 0) {
		err_prefix(e, "profile %s: credential_process", profile);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *line = cred_first_line(errout.buf);

		if (WIFEXITED(status))
			err_set(e, "profile %s: credential_process exited with status %d%s%s",
				profile, WEXITSTATUS(status), *line ? ": " : "", line);
		else
			err_set(e, "profile %s: credential_process was killed by signal %d",
				profile, WTERMSIG(status));
		err_hint(e, "check the command in %s", where);
		free(line);
		goto out;
	}
	if (jsonx_parse(out.buf, out.len, &doc, e) != 0) {
		err_prefix(e, "profile %s: credential_process printed malformed JSON", profile);
		err_hint(e, "the command in %s must print Version 1 JSON", where);
		goto out;
	}
	if (!json_object_object_get_ex(doc, "Version", &ver) ||
	    !json_object_is_type(ver, json_type_int) || json_object_get_int64(ver) != 1) {
		err_set(e, "profile %s: credential_process output has no \"Version\": 1", profile);
		err_hint(e, "the command in %s must print Version 1 JSON", where);
		goto out;
	}
	if (cred_from_json(ch, doc, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
			   xasprintf("profile %s (credential_process)", profile), c, e) != 0)
		goto out;
	rc = CRED_FOUND;
out:
	json_object_put(doc);
	strbuf_done(&out);
	strbuf_done(&errout);
	free(where);
	return rc;
}
