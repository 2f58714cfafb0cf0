/* credentials.c: the SDK credential provider chain (env, profile, STS, SSO, process,
 * container, IMDSv2), cached and refreshed five minutes before expiry. */
#include "config.h"

#include "aws/credentials.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aws/aws_config.h"
#include "aws/client.h"
#include "aws/http.h"
#include "aws/sigv4.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/trace.h"
#include "util/xmalloc.h"

#define CRED_REFRESH_WINDOW 300 /* seconds before expiry that count as expired */
#define CRED_MAX_HOPS       16
#define CRED_PROCESS_MAX    (1u << 20)
#define CRED_IMDS_DEFAULT   "http://169.254.169.254"
#define CRED_ECS_HOST       "http://169.254.170.2"

/* Outcome of one provider: found, not configured here (try the next), or failed. */
enum { CRED_FOUND = 0, CRED_NONE = 1, CRED_FAIL = -1 };

struct aws_cred_chain {
	struct aws_cred_chain_config cfg; /* strings below are our copies */
	char *profile;
	char *region;
	char *sts_endpoint;
	struct http_pool *own_pool; /* created on first use when cfg.pool is NULL */
	struct aws_credentials cur;
	int have;
};

void aws_credentials_done(struct aws_credentials *c)
{
	if (!c)
		return;
	if (c->secret_access_key)
		memset(c->secret_access_key, 0, strlen(c->secret_access_key));
	free(c->access_key_id);
	free(c->secret_access_key);
	free(c->session_token);
	free(c->provider);
	memset(c, 0, sizeof *c);
}

static void cred_set(struct aws_cred_chain *ch, struct aws_credentials *c, const char *akid,
		     const char *secret, const char *token, time_t expiration, char *provider_take)
{
	memset(c, 0, sizeof *c);
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token && *token ? xstrdup(token) : NULL;
	c->expiration = expiration;
	c->provider = provider_take;
	trace_add_secret(ch->cfg.trace, secret);
	if (c->session_token)
		trace_add_secret(ch->cfg.trace, c->session_token);
}

static const char *cred_nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int cred_true(const char *v)
{
	return v && strcasecmp(v, "true") == 0;
}

/* ---- time ---- */

/* Parses "2026-11-29T12:34:56Z" (optionally ".fff" and "Z"/"+hh:mm"/"-hh:mm"). */
int aws_cred_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0;
	long off = 0;
	const char *p;
	time_t t;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return -1;
	p = s + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
			return -1;
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	} else if (*p != '\0') {
		return -1;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t - off;
	return 0;
}

/* ---- HTTP helpers ---- */

static struct http_pool *cred_pool(struct aws_cred_chain *ch, struct err *e)
{
	struct http_options o;

	if (ch->cfg.pool)
		return ch->cfg.pool;
	if (!ch->own_pool) {
		memset(&o, 0, sizeof o);
		o.trace = ch->cfg.trace;
		o.max_response = 1 << 20;
		if (http_pool_new(&o, &ch->own_pool, e) != 0)
			return NULL;
	}
	return ch->own_pool;
}

/* One request; a transport failure is an error naming what. The caller frees req. */
static int cred_http(struct aws_cred_chain *ch, struct http_request *req, const char *what,
		     struct err *e)
{
	struct http_pool *pool = cred_pool(ch, e);

	if (!pool)
		return err_prefix(e, "%s", what);
	http_perform(pool, req, 1);
	if (req->transport_error) {
		err_set(e, "%s: %s %s: %s", what, req->method, req->url,
			req->errmsg[0] ? req->errmsg : "transfer failed");
		return -1;
	}
	return 0;
}

/* Splits an http(s) URL into its Host header value and path-with-query (caller frees). */
static int cred_url_parts(const char *url, char **host, char **path)
{
	const char *p = strstr(url, "://"), *slash;

	if (!p)
		return -1;
	p += 3;
	slash = strchr(p, '/');
	*host = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
	*path = xstrdup(slash ? slash : "/");
	if (strncasecmp(url, "https://", 8) == 0) {
		size_t n = strlen(*host);

		if (n > 4 && strcmp(*host + n - 4, ":443") == 0)
			(*host)[n - 4] = '\0';
	} else {
		size_t n = strlen(*host);

		if (n > 3 && strcmp(*host + n - 3, ":80") == 0)
			(*host)[n - 3] = '\0';
	}
	return **host ? 0 : -1;
}

/* ---- parsing credential documents ---- */

/* Fills c from a JSON object with the given key names (container, IMDS, process). */
static int cred_from_json(struct aws_cred_chain *ch, json_object *o, const char *k_akid,
			  const char *k_secret, const char *k_token, const char *k_exp,
			  char *provider, struct aws_credentials *c, struct err *e)
{
	const char *akid = jsonx_str(o, k_akid), *secret = jsonx_str(o, k_secret);
	const char *token = k_token ? jsonx_str(o, k_token) : NULL;
	const char *exp = jsonx_str(o, k_exp);
	time_t t = 0;

	if (!cred_nonempty(akid) || !cred_nonempty(secret)) {
		err_set(e, "%s: the response has no %s/%s", provider, k_akid, k_secret);
		free(provider);
		return -1;
	}
	if (exp && aws_cred_parse_time(exp, &t) != 0) {
		err_set(e, "%s: bad %s \"%s\"", provider, k_exp, exp);
		free(provider);
		return -1;
	}
	cred_set(ch, c, akid, secret, token, t, provider);
	return 0;
}

/* ---- providers ---- */

static int cred_env(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e)
{
	const char *akid = cred_nonempty(getenv("AWS_ACCESS_KEY_ID"));
	const char *secret = cred_nonempty(getenv("AWS_SECRET_ACCESS_KEY"));
	const char *token = cred_nonempty(getenv("AWS_SECURITY_TOKEN"));
	const char *exp = cred_nonempty(getenv("AWS_CREDENTIAL_EXPIRATION"));
	time_t t = 0;

	if (!akid)
		return CRED_NONE;
	if (!secret) {
		err_set(e,
			"environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
		err_hint(e, "set both, or unset AWS_ACCESS_KEY_ID to use a profile");
		return CRED_FAIL;
	}
	if (!token)
		token = cred_nonempty(getenv("AWS_SESSION_TOKEN"));
	if (exp && aws_cred_parse_time(exp, &t) != 0) {
		err_set(e, "environment: bad AWS_CREDENTIAL_EXPIRATION \"%s\"", exp);
		return CRED_FAIL;
	}
	cred_set(ch, c, akid, secret, token, t, xstrdup("environment"));
	return CRED_FOUND;
}

static int cred_container(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e)
{
	const char *rel = cred_nonempty(getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
	const char *full = cred_nonempty(getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
	const char *tokfile = cred_nonempty(getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
	const char *tokenv = cred_nonempty(getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
	char *url = NULL, *token = NULL, *authz = NULL, *host = NULL, *path = NULL;
	const char *hdrs[2];
	size_t nh = 0;
	struct http_request req;
	json_object *doc = NULL;
	int rc = CRED_FAIL;

	memset(&req, 0, sizeof req);
	if (!rel && !full)
		return CRED_NONE;
	if (rel) {
		url = xasprintf("%s%s%s", CRED_ECS_HOST, rel[0] == '/' ? "" : "/", rel);
	} else {
		static const char *const allowed[] = {"localhost", "[::1]", "169.254.170.2",
						      "169.254.170.23", "[fd00:ec2::23]"};
		struct in_addr a4;
		size_t i;
		int ok = 0;
		char *h;

		url = xstrdup(full);
		if (cred_url_parts(url, &host, &path) != 0 || strchr(host, '@')) {
			err_set(e,
				"container credentials: bad AWS_CONTAINER_CREDENTIALS_FULL_URI %s",
				full);
			goto out;
		}
		h = xstrdup(host);
		if (h[0] != '[' && strchr(h, ':'))
			*strchr(h, ':') = '\0';
		else if (h[0] == '[' && strstr(h, "]:"))
			strstr(h, "]:")[1] = '\0';
		ok = strncasecmp(full, "https://", 8) == 0;
		/* any 127.0.0.0/8 address (an IP literal, not a name that starts with 127.) */
		if (!ok && inet_pton(AF_INET, h, &a4) == 1)
			ok = (ntohl(a4.s_addr) >> 24) == 127;
		for (i = 0; !ok && i < sizeof allowed / sizeof allowed[0]; i++)
			ok = strcasecmp(h, allowed[i]) == 0;
		free(h);
		if (!ok || strncasecmp(full, "http", 4) != 0) {
			err_set(e,
				"container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI %s is "
				"not allowed",
				full);
			err_hint(e,
				 "use https, a loopback address, 169.254.170.2 or 169.254.170.23");
			goto out;
		}
	}
	if (tokfile) {
		size_t len;

		if (file_read_all(tokfile, 16384, &token, &len, e) != 0) {
			err_prefix(e,
				   "container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
			goto out;
		}
		while (len > 0 && (token[len - 1] == '\n' || token[len - 1] == '\r'))
			token[--len] = '\0';
	} else if (tokenv) {
		token = xstrdup(tokenv);
	}
	if (token && strpbrk(token, "\r\n")) {
		err_set(e, "container credentials: the authorization token contains a line break");
		goto out;
	}
	hdrs[nh++] = "Accept: application/json";
	if (token) {
		trace_add_secret(ch->cfg.trace, token);
		authz = xasprintf("Authorization: %s", token);
		hdrs[nh++] = authz;
	}
	req.method = "GET";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = nh;
	req.timeout_ms = 5000;
	if (cred_http(ch, &req, "container credentials", e) != 0)
		goto out;
	if (req.status != 200) {
		err_set(e, "container credentials: %s answered HTTP %ld", url, req.status);
		goto out;
	}
	if (jsonx_parse(req.resp, req.resp_len, &doc, e) != 0) {
		err_prefix(e, "container credentials: %s", url);
		goto out;
	}
	if (cred_from_json(ch, doc, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
			   xstrdup("container credentials"), c, e) != 0)
		goto out;
	rc = CRED_FOUND;
out:
	json_object_put(doc);
	http_request_done(&req);
	if (token)
		memset(token, 0, strlen(token));
	free(token);
	free(authz);
	free(url);
	free(host);
	free(path);
	return rc;
}

/* IMDSv2 (v1 fallback unless disabled). Unreachable IMDS is CRED_NONE unless required. */
static int cred_imds(struct aws_cred_chain *ch, int required, struct aws_credentials *c,
		     struct err *e)
{
	const char *base = cred_nonempty(getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"));
	const char *mode = cred_nonempty(getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"));
	int v1_disabled = cred_true(getenv("AWS_EC2_METADATA_V1_DISABLED"));
	char *b = NULL, *url = NULL, *token = NULL, *thdr = NULL, *role = NULL;
	const char *hdrs[1];
	struct http_request req;
	json_object *doc = NULL;
	int rc = required ? CRED_FAIL : CRED_NONE;
	size_t n;

	memset(&req, 0, sizeof req);
	if (cred_true(getenv("AWS_EC2_METADATA_DISABLED"))) {
		if (!required)
			return CRED_NONE;
		err_set(e, "instance metadata: disabled by AWS_EC2_METADATA_DISABLED");
		return CRED_FAIL;
	}
	if (!base)
		base = mode && strcasecmp(mode, "IPv6") == 0 ? "http://[fd00:ec2::254]"
							     : CRED_IMDS_DEFAULT;
	b = xstrdup(base);
	n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';

	/* 1. session token */
	url = xasprintf("%s/latest/api/token", b);
	hdrs[0] = "x-aws-ec2-metadata-token-ttl-seconds: 21600";
	req.method = "PUT";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = 1;
	req.timeout_ms = 1000;
	if (cred_http(ch, &req, "instance metadata", e) == 0 && req.status == 200 &&
	    req.resp_len > 0) {
		token = xstrdup(req.resp);
		trace_add_secret(ch->cfg.trace, token);
		thdr = xasprintf("x-aws-ec2-metadata-token: %s", token);
	} else if (req.status == 400) {
		err_set(e, "instance metadata: the token request was refused (HTTP 400)");
		goto out;
	} else if (v1_disabled || (req.transport_error && req.status == 0 && !required)) {
		if (!req.transport_error)
			err_set(e,
				"instance metadata: no IMDSv2 token (HTTP %ld) and IMDSv1 is "
				"disabled",
				req.status);
		goto out;
	}
	http_request_done(&req);
	free(url);

	/* 2. role name */
	url = xasprintf("%s/latest/meta-data/iam/security-credentials/", b);
	hdrs[0] = thdr;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = thdr ? 1 : 0;
	req.timeout_ms = 1000;
	if (cred_http(ch, &req, "instance metadata", e) != 0)
		goto out;
	if (req.status != 200 || req.resp_len == 0) {
		err_set(e, "instance metadata: no instance profile role (HTTP %ld)", req.status);
		goto out;
	}
	n = strcspn(req.resp, "\r\n");
	role = xstrndup(req.resp, n);
	http_request_done(&req);
	free(url);

	/* 3. credentials */
	url = xasprintf("%s/latest/meta-data/iam/security-credentials/%s", b, role);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = thdr ? 1 : 0;
	req.timeout_ms = 1000;
	if (cred_http(ch, &req, "instance metadata", e) != 0)
		goto out;
	if (req.status != 200) {
		err_set(e, "instance metadata: credentials for role %s: HTTP %ld", role,
			req.status);
		goto out;
	}
	if (jsonx_parse(req.resp, req.resp_len, &doc, e) != 0) {
		err_prefix(e, "instance metadata: credentials for role %s", role);
		rc = CRED_FAIL;
		goto out;
	}
	if (jsonx_str(doc, "Code") && strcmp(jsonx_str(doc, "Code"), "Success") != 0) {
		err_set(e, "instance metadata: %s: %s", jsonx_str(doc, "Code"),
			jsonx_str(doc, "Message") ? jsonx_str(doc, "Message") : "no credentials");
		goto out;
	}
	rc = cred_from_json(ch, doc, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
			    xasprintf("instance metadata (role %s)", role), c, e) == 0
		 ? CRED_FOUND
		 : CRED_FAIL;
out:
	json_object_put(doc);
	http_request_done(&req);
	free(b);
	free(url);
	free(token);
	free(thdr);
	free(role);
	return rc;
}

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

static int cred_process(struct aws_cred_chain *ch, const char *profile, const char *cmd,
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

/* ---- STS AssumeRole ---- */

/* An STS call through the client's signed-request path (signed with src, or unsigned when
 * src is NULL), reading the Credentials of the answer. who names the caller in messages
 * ("profile x"). */
static int cred_sts_post(struct aws_cred_chain *ch, const char *profile, const char *who,
			 const char *action, const char *role_arn, json_object *body,
			 const struct aws_credentials *src, struct aws_credentials *c,
			 struct err *e)
{
	const struct aws_config *cfg = ch->cfg.cfg;
	const char *region =
	    ch->region ? ch->region : cred_nonempty(aws_config_get(cfg, profile, "region"));
	const char *op = strchr(action, ' ') != NULL ? strchr(action, ' ') + 1 : action;
	struct http_pool *pool = cred_pool(ch, e);
	struct aws_sts_call call;
	struct aws_request r;
	json_object *cr;
	char *endpoint = NULL;
	const char *akid, *secret, *token, *exp;
	time_t t = 0;
	int rc = CRED_FAIL;

	if (pool == NULL)
		return CRED_FAIL;
	endpoint = ch->sts_endpoint ? xstrdup(ch->sts_endpoint)
				    : aws_config_endpoint(cfg, profile, "sts", region, NULL);
	memset(&call, 0, sizeof call);
	call.pool = pool;
	call.trace = ch->cfg.trace;
	call.endpoint = endpoint;
	/* the global endpoint signs for us-east-1 */
	call.region =
	    region && strcmp(endpoint, "https://sts.amazonaws.com") != 0 ? region : "us-east-1";
	call.src = src;
	aws_request_init(&r, AWS_SVC_STS, op, body);
	if (aws_sts_call(&call, &r) != 0) {
		if (r.http_status > 0)
			err_set(e, "%s: %s %s: HTTP %ld %s (%s)", who, action, role_arn,
				r.http_status, r.err.code, r.err.msg);
		else
			err_set(e, "%s: %s %s: %s", who, action, role_arn, r.err.msg);
		snprintf(e->code, sizeof e->code, "%s", r.err.code);
		e->http_status = (int)r.http_status;
		if (strstr(r.err.code, "AccessDenied") != NULL)
			err_hint(e,
				 "the source credentials (%s) need sts:AssumeRole on %s, and the "
				 "role's trust policy must allow them",
				 src && src->provider ? src->provider : "web identity", role_arn);
		goto out;
	}
	cr = jsonx_obj(r.resp, "Credentials");
	akid = jsonx_str(cr, "AccessKeyId");
	secret = jsonx_str(cr, "SecretAccessKey");
	token = jsonx_str(cr, "SessionToken");
	exp = jsonx_str(cr, "Expiration");
	if (!cred_nonempty(akid) || !cred_nonempty(secret) || !cred_nonempty(token) || !exp ||
	    aws_cred_parse_time(exp, &t) != 0) {
		err_set(e, "%s: %s %s: the response has no complete Credentials", who, action,
			role_arn);
		goto out;
	}
	cred_set(ch, c, akid, secret, token, t,
		 xasprintf("%s (%s %s)", who, src ? "assume role" : "web identity", role_arn));
	rc = CRED_FOUND;
out:
	aws_request_done(&r);
	free(endpoint);
	return rc;
}

static char *cred_session_name(const char *configured)
{
	return configured ? xstrdup(configured) : xasprintf("ecsfix-session-%ld", (long)time(NULL));
}

static int cred_assume_role(struct aws_cred_chain *ch, const char *profile,
			    const struct aws_credentials *src, struct aws_credentials *c,
			    struct err *e)
{
	const struct aws_config *cfg = ch->cfg.cfg;
	const char *role_arn = aws_config_get(cfg, profile, "role_arn");
	const char *ext = cred_nonempty(aws_config_get(cfg, profile, "external_id"));
	const char *dur = cred_nonempty(aws_config_get(cfg, profile, "duration_seconds"));
	char *session = NULL, *who = xasprintf("profile %s", profile);
	json_object *body = json_object_new_object();
	int rc = CRED_FAIL;

	if (aws_config_get(cfg, profile, "mfa_serial")) {
		err_set(e, "profile %s: mfa_serial (an MFA code prompt) is not supported", profile);
		err_hint(e, "use credential_process or temporary keys for MFA-protected roles");
		goto out;
	}
	if (dur) {
		char *end;
		long d = strtol(dur, &end, 10);

		if (*end || d < 900 || d > 43200) {
			char *where = aws_config_origin(cfg, profile, "duration_seconds");

			err_set(e, "%s: duration_seconds must be 900..43200, not \"%s\"", where,
				dur);
			free(where);
			goto out;
		}
	}
	session =
	    cred_session_name(cred_nonempty(aws_config_get(cfg, profile, "role_session_name")));
	json_object_object_add(body, "RoleArn", json_object_new_string(role_arn));
	json_object_object_add(body, "RoleSessionName", json_object_new_string(session));
	if (dur)
		json_object_object_add(body, "DurationSeconds", json_object_new_string(dur));
	if (ext)
		json_object_object_add(body, "ExternalId", json_object_new_string(ext));
	rc = cred_sts_post(ch, profile, who, "STS AssumeRole", role_arn, body, src, c, e);
out:
	json_object_put(body);
	free(session);
	free(who);
	return rc;
}

/* AssumeRoleWithWebIdentity (unsigned): the token file is read on every call. */
static int cred_web_identity(struct aws_cred_chain *ch, const char *profile, const char *who,
			     const char *role_arn, const char *token_file, const char *session_name,
			     struct aws_credentials *c, struct err *e)
{
	char *token = NULL, *session = cred_session_name(session_name);
	json_object *body = json_object_new_object();
	size_t len = 0;
	int rc = CRED_FAIL;

	if (file_read_all(token_file, 1 << 20, &token, &len, e) != 0) {
		err_prefix(e, "%s: web identity token", who);
		goto out;
	}
	while (len > 0 &&
	       (token[len - 1] == '\n' || token[len - 1] == '\r' || token[len - 1] == ' '))
		token[--len] = '\0';
	trace_add_secret(ch->cfg.trace, token);
	json_object_object_add(body, "RoleArn", json_object_new_string(role_arn));
	json_object_object_add(body, "RoleSessionName", json_object_new_string(session));
	json_object_object_add(body, "WebIdentityToken", json_object_new_string(token));
	{
		/* the form-encoded token is what a trace would show */
		char *enc = sigv4_uri_encode(token, 0);

		trace_add_secret(ch->cfg.trace, enc);
		free(enc);
	}
	rc = cred_sts_post(ch, profile, who, "STS AssumeRoleWithWebIdentity", role_arn, body, NULL,
			   c, e);
out:
	json_object_put(body);
	if (token)
		memset(token, 0, strlen(token));
	free(token);
	free(session);
	return rc;
}

/* ---- SSO ---- */

static char *cred_sha1_hex(const char *s)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char *hex = xmalloc(41);

	if (!EVP_Digest(s, strlen(s), md, &n, EVP_sha1(), NULL) || n != 20)
		fatal("SHA-1 failed");
	for (i = 0; i < 20; i++) {
		hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
	}
	hex[40] = '\0';
	return hex;
}

/* Refreshes an sso-session token through SSO-OIDC CreateToken (unsigned rest-json) and
 * rewrites the cache file (0600, atomically). doc is updated in place. */
static int cred_sso_refresh(struct aws_cred_chain *ch, const char *profile, const char *sso_region,
			    const char *cache, json_object *doc, struct err *e)
{
	const char *cid = jsonx_str(doc, "clientId"), *csec = jsonx_str(doc, "clientSecret");
	const char *rtok = jsonx_str(doc, "refreshToken");
	const char *regexp = jsonx_str(doc, "registrationExpiresAt");
	const char *hdrs[2] = {"Content-Type: application/json", "Accept: application/json"};
	char *base = NULL, *url = NULL, *body = NULL, *text = NULL;
	json_object *in = NULL, *resp = NULL;
	struct http_request req;
	time_t reg = 0, now = time(NULL);
	char exp[32];
	int64_t ttl;
	int rc = -1;

	memset(&req, 0, sizeof req);
	if (!cred_nonempty(cid) || !cred_nonempty(csec) || !cred_nonempty(rtok) || !regexp ||
	    aws_cred_parse_time(regexp, &reg) != 0 || reg <= now) {
		err_set(e, "no usable refresh token in the cache");
		goto out;
	}
	trace_add_secret(ch->cfg.trace, csec);
	trace_add_secret(ch->cfg.trace, rtok);
	in = json_object_new_object();
	json_object_object_add(in, "clientId", json_object_new_string(cid));
	json_object_object_add(in, "clientSecret", json_object_new_string(csec));
	json_object_object_add(in, "grantType", json_object_new_string("refresh_token"));
	json_object_object_add(in, "refreshToken", json_object_new_string(rtok));
	body = jsonx_compact(in);
	base = aws_config_endpoint(ch->cfg.cfg, profile, "oidc", sso_region, NULL);
	url = xasprintf("%s/token", base);
	req.method = "POST";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = 2;
	req.body = body;
	req.body_len = strlen(body);
	req.timeout_ms = 30000;
	if (cred_http(ch, &req, "SSO-OIDC CreateToken", e) != 0)
		goto out;
	if (req.status != 200 || jsonx_parse(req.resp, req.resp_len, &resp, e) != 0 ||
	    !cred_nonempty(jsonx_str(resp, "accessToken"))) {
		err_set(e, "SSO-OIDC CreateToken: HTTP %ld%s%s", req.status,
			req.error_type[0] ? " " : "", req.error_type);
		goto out;
	}
	trace_add_secret(ch->cfg.trace, jsonx_str(resp, "accessToken"));
	ttl = jsonx_int(resp, "expiresIn", 3600);
	now += (time_t)ttl;
	time_iso8601(now, exp, sizeof exp);
	json_object_object_add(doc, "accessToken",
			       json_object_new_string(jsonx_str(resp, "accessToken")));
	json_object_object_add(doc, "expiresAt", json_object_new_string(exp));
	if (cred_nonempty(jsonx_str(resp, "refreshToken"))) {
		trace_add_secret(ch->cfg.trace, jsonx_str(resp, "refreshToken"));
		json_object_object_add(doc, "refreshToken",
				       json_object_new_string(jsonx_str(resp, "refreshToken")));
	}
	text = jsonx_pretty(doc);
	if (file_write_atomic(cache, text, strlen(text), 0600, 0, e) != 0)
		goto out;
	rc = 0;
out:
	http_request_done(&req);
	json_object_put(in);
	json_object_put(resp);
	free(base);
	free(url);
	free(body);
	free(text);
	return rc;
}

static int cred_sso(struct aws_cred_chain *ch, const char *profile, struct aws_credentials *c,
		    struct err *e)
{
	const struct aws_config *cfg = ch->cfg.cfg;
	const char *session = cred_nonempty(aws_config_get(cfg, profile, "sso_session"));
	const char *account = cred_nonempty(aws_config_get(cfg, profile, "sso_account_id"));
	const char *role = cred_nonempty(aws_config_get(cfg, profile, "sso_role_name"));
	const char *start_url, *sso_region, *key, *tok, *exps;
	char *home = NULL, *cache = NULL, *hash = NULL, *buf = NULL, *base = NULL, *url = NULL;
	char *enc_role = NULL, *enc_acct = NULL, *hdr = NULL, *where = NULL;
	const char *hdrs[1];
	json_object *doc = NULL, *resp = NULL, *rcred;
	struct http_request req;
	size_t len;
	time_t t = 0;
	int rc = CRED_FAIL;
	int64_t ms;

	memset(&req, 0, sizeof req);
	where = aws_config_origin(cfg, profile, NULL);
	if (session) {
		if (!aws_config_section_get(cfg, "sso-session", session, "sso_start_url") &&
		    !aws_config_section_get(cfg, "sso-session", session, "sso_region")) {
			err_set(e, "profile %s: sso_session \"%s\" has no [sso-session %s] section",
				profile, session, session);
			err_hint(e, "add it to %s",
				 aws_config_path(cfg, AWS_CONFIG_FILE_CONFIG)
				     ? aws_config_path(cfg, AWS_CONFIG_FILE_CONFIG)
				     : "~/.aws/config");
			goto out;
		}
		start_url = aws_config_section_get(cfg, "sso-session", session, "sso_start_url");
		sso_region = aws_config_section_get(cfg, "sso-session", session, "sso_region");
		key = session;
	} else {
		start_url = aws_config_get(cfg, profile, "sso_start_url");
		sso_region = aws_config_get(cfg, profile, "sso_region");
		key = start_url;
	}
	if (!cred_nonempty(start_url) || !cred_nonempty(sso_region) || !account || !role) {
		err_set(e,
			"profile %s (%s): SSO needs sso_start_url, sso_region, sso_account_id "
			"and sso_role_name; %s is missing",
			profile, where,
			!cred_nonempty(start_url)    ? "sso_start_url"
			: !cred_nonempty(sso_region) ? "sso_region"
			: !account                   ? "sso_account_id"
						     : "sso_role_name");
		goto out;
	}
	home = aws_config_home(NULL);
	hash = cred_sha1_hex(key);
	cache = xasprintf("%s/.aws/sso/cache/%s.json", home ? home : "", hash);
	if (access(cache, F_OK) != 0) {
		err_set(e, "profile %s: no SSO token cached (%s)", profile, cache);
		err_hint(e, "run: aws sso login --profile %s", profile);
		goto out;
	}
	if (file_read_all(cache, 1 << 20, &buf, &len, e) != 0 ||
	    jsonx_parse(buf, len, &doc, e) != 0) {
		err_prefix(e, "profile %s: SSO token cache", profile);
		goto out;
	}
	tok = jsonx_str(doc, "accessToken");
	exps = jsonx_str(doc, "expiresAt");
	if (!cred_nonempty(tok) || !exps || aws_cred_parse_time(exps, &t) != 0) {
		err_set(e, "profile %s: SSO token cache %s has no accessToken/expiresAt", profile,
			cache);
		err_hint(e, "run: aws sso login --profile %s", profile);
		goto out;
	}
	trace_add_secret(ch->cfg.trace, tok);
	/* the sso-session form refreshes a token that has less than 15 minutes left */
	if (session && t - time(NULL) < 900) {
		struct err re;

		err_clear(&re);
		if (cred_sso_refresh(ch, profile, sso_region, cache, doc, &re) == 0) {
			tok = jsonx_str(doc, "accessToken");
			exps = jsonx_str(doc, "expiresAt");
			if (aws_cred_parse_time(exps, &t) != 0)
				t = 0;
		} else if (t <= time(NULL)) {
			err_set(e, "profile %s: the SSO token expired at %s (refresh: %s)", profile,
				exps, re.msg);
			err_hint(e, "run: aws sso login --profile %s", profile);
			goto out;
		}
	}
	if (t <= time(NULL)) {
		err_set(e, "profile %s: the SSO token expired at %s", profile, exps);
		err_hint(e, "run: aws sso login --profile %s", profile);
		goto out;
	}
	base = aws_config_endpoint(cfg, profile, "portal.sso", sso_region, NULL);
	enc_role = sigv4_uri_encode(role, 0);
	enc_acct = sigv4_uri_encode(account, 0);
	url = xasprintf("%s/federation/credentials?role_name=%s&account_id=%s", base, enc_role,
			enc_acct);
	hdr = xasprintf("x-amz-sso_bearer_token: %s", tok);
	hdrs[0] = hdr;
	req.method = "GET";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = 1;
	req.timeout_ms = 30000;
	if (cred_http(ch, &req, "SSO GetRoleCredentials", e) != 0) {
		err_prefix(e, "profile %s", profile);
		goto out;
	}
	if (req.status == 401 || req.status == 403) {
		err_set(e, "profile %s: SSO GetRoleCredentials: HTTP %ld %s", profile, req.status,
			req.error_type[0] ? req.error_type : "UnauthorizedException");
		err_hint(e, "run: aws sso login --profile %s", profile);
		goto out;
	}
	if (req.status != 200 || jsonx_parse(req.resp, req.resp_len, &resp, e) != 0) {
		err_set(e, "profile %s: SSO GetRoleCredentials for %s/%s: HTTP %ld", profile,
			account, role, req.status);
		goto out;
	}
	rcred = jsonx_obj(resp, "roleCredentials");
	ms = jsonx_int(rcred, "expiration", 0);
	if (!cred_nonempty(jsonx_str(rcred, "accessKeyId")) ||
	    !cred_nonempty(jsonx_str(rcred, "secretAccessKey"))) {
		err_set(e, "profile %s: SSO GetRoleCredentials returned no roleCredentials",
			profile);
		goto out;
	}
	cred_set(ch, c, jsonx_str(rcred, "accessKeyId"), jsonx_str(rcred, "secretAccessKey"),
		 jsonx_str(rcred, "sessionToken"), (time_t)(ms / 1000),
		 xasprintf("profile %s (sso %s/%s)", profile, account, role));
	rc = CRED_FOUND;
out:
	http_request_done(&req);
	json_object_put(doc);
	json_object_put(resp);
	free(home);
	free(cache);
	free(hash);
	free(buf);
	free(base);
	free(url);
	free(enc_role);
	free(enc_acct);
	free(hdr);
	free(where);
	return rc;
}

/* ---- profiles ---- */

static int cred_static(struct aws_cred_chain *ch, const char *profile, struct aws_credentials *c,
		       struct err *e)
{
	const struct aws_config *cfg = ch->cfg.cfg;
	const char *akid = cred_nonempty(aws_config_get(cfg, profile, "aws_access_key_id"));
	const char *secret = cred_nonempty(aws_config_get(cfg, profile, "aws_secret_access_key"));
	const char *token = cred_nonempty(aws_config_get(cfg, profile, "aws_security_token"));

	if (!token)
		token = cred_nonempty(aws_config_get(cfg, profile, "aws_session_token"));
	if (!akid && !secret)
		return CRED_NONE;
	if (!akid || !secret) {
		char *where = aws_config_origin(
		    cfg, profile, akid ? "aws_access_key_id" : "aws_secret_access_key");

		err_set(e, "%s: profile %s has %s but no %s", where, profile,
			akid ? "aws_access_key_id" : "aws_secret_access_key",
			akid ? "aws_secret_access_key" : "aws_access_key_id");
		err_hint(e, "add the missing key or remove the partial one");
		free(where);
		return CRED_FAIL;
	}
	cred_set(ch, c, akid, secret, token, 0, xasprintf("profile %s (static keys)", profile));
	return CRED_FOUND;
}

static int cred_has_static(const struct aws_config *cfg, const char *profile)
{
	return cred_nonempty(aws_config_get(cfg, profile, "aws_access_key_id")) != NULL;
}

static int cred_profile(struct aws_cred_chain *ch, const char *profile, const char **visited,
			size_t nvisited, struct aws_credentials *c, struct err *e);

static int cred_role(struct aws_cred_chain *ch, const char *profile, const char **visited,
		     size_t nvisited, struct aws_credentials *c, struct err *e)
{
	const struct aws_config *cfg = ch->cfg.cfg;
	const char *src = cred_nonempty(aws_config_get(cfg, profile, "source_profile"));
	const char *cs = cred_nonempty(aws_config_get(cfg, profile, "credential_source"));
	struct aws_credentials source;
	char *where = aws_config_origin(cfg, profile, "role_arn");
	int rc = CRED_FAIL;
	size_t i;

	memset(&source, 0, sizeof source);
	if (src && cs) {
		err_set(e, "%s: profile %s has both source_profile and credential_source", where,
			profile);
		err_hint(e, "keep exactly one of them");
		goto out;
	}
	if (!src && !cs) {
		err_set(e,
			"%s: profile %s has role_arn but neither source_profile nor "
			"credential_source",
			where, profile);
		err_hint(e, "add source_profile = NAME or credential_source = Environment");
		goto out;
	}
	if (cs) {
		if (strcmp(cs, "Environment") == 0)
			rc = cred_env(ch, &source, e);
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			rc = cred_imds(ch, 1, &source, e);
		else if (strcmp(cs, "EcsContainer") == 0)
			rc = cred_container(ch, &source, e);
		else {
			err_set(e, "%s: profile %s: unknown credential_source \"%s\"", where,
				profile, cs);
			err_hint(e, "use Environment, Ec2InstanceMetadata or EcsContainer");
			goto out;
		}
		if (rc == CRED_NONE) {
			err_set(e, "profile %s: credential_source %s provided no credentials",
				profile, cs);
			rc = CRED_FAIL;
		}
		if (rc != CRED_FOUND)
			goto out;
	} else {
		struct strbuf path;

		for (i = 0; i < nvisited; i++) {
			if (strcmp(visited[i], src) != 0)
				continue;
			if (strcmp(src, profile) == 0 && cred_has_static(cfg, src)) {
				rc = cred_static(ch, src, &source, e);
				if (rc != CRED_FOUND)
					goto out;
				goto assume;
			}
			strbuf_init(&path);
			for (i = 0; i < nvisited; i++)
				strbuf_printf(&path, "%s -> ", visited[i]);
			strbuf_puts(&path, src);
			err_set(e, "profile %s: source_profile loop: %s", profile, path.buf);
			err_hint(e, "fix source_profile in %s", where);
			strbuf_done(&path);
			goto out;
		}
		if (nvisited >= CRED_MAX_HOPS) {
			err_set(e, "profile %s: more than %d chained roles", profile,
				CRED_MAX_HOPS);
			goto out;
		}
		if (!aws_config_has_profile(cfg, src)) {
			char *w = aws_config_origin(cfg, profile, "source_profile");

			err_set(e, "%s: profile %s: source_profile %s does not exist", w, profile,
				src);
			free(w);
			goto out;
		}
		visited[nvisited] = src;
		/* a source profile with static keys ends the chain */
		if (cred_has_static(cfg, src))
			rc = cred_static(ch, src, &source, e);
		else
			rc = cred_profile(ch, src, visited, nvisited + 1, &source, e);
		if (rc == CRED_NONE) {
			err_set(e, "profile %s: source_profile %s has no credentials", profile,
				src);
			rc = CRED_FAIL;
		}
		if (rc != CRED_FOUND)
			goto out;
	}
assume:
	rc = cred_assume_role(ch, profile, &source, c, e);
out:
	aws_credentials_done(&source);
	free(where);
	return rc;
}

/* One profile, in the Rust SDK's order: role_arn, SSO, credential_process, static keys. */
static int cred_profile(struct aws_cred_chain *ch, const char *profile, const char **visited,
			size_t nvisited, struct aws_credentials *c, struct err *e)
{
	const struct aws_config *cfg = ch->cfg.cfg;
	const char *proc;

	if (nvisited == 0)
		visited[nvisited++] = profile;
	if (cred_nonempty(aws_config_get(cfg, profile, "role_arn"))) {
		const char *wit =
		    cred_nonempty(aws_config_get(cfg, profile, "web_identity_token_file"));

		if (wit) {
			char *who = xasprintf("profile %s", profile);
			int rc = cred_web_identity(
			    ch, profile, who, aws_config_get(cfg, profile, "role_arn"), wit,
			    cred_nonempty(aws_config_get(cfg, profile, "role_session_name")), c, e);

			free(who);
			return rc;
		}
		return cred_role(ch, profile, visited, nvisited, c, e);
	}
	if (aws_config_get(cfg, profile, "sso_session") ||
	    aws_config_get(cfg, profile, "sso_account_id") ||
	    aws_config_get(cfg, profile, "sso_role_name"))
		return cred_sso(ch, profile, c, e);
	proc = cred_nonempty(aws_config_get(cfg, profile, "credential_process"));
	if (proc)
		return cred_process(ch, profile, proc, c, e);
	return cred_static(ch, profile, c, e);
}

/* ---- the chain ---- */

struct aws_cred_chain *aws_cred_chain_new(const struct aws_cred_chain_config *cfg)
{
	struct aws_cred_chain *ch = xcalloc(1, sizeof *ch);

	ch->cfg = *cfg;
	ch->profile = xstrdup(cfg->profile ? cfg->profile : "default");
	ch->region = cred_nonempty(cfg->region) ? xstrdup(cfg->region) : NULL;
	ch->sts_endpoint = cred_nonempty(cfg->sts_endpoint) ? xstrdup(cfg->sts_endpoint) : NULL;
	ch->cfg.profile = ch->profile;
	ch->cfg.region = ch->region;
	ch->cfg.sts_endpoint = ch->sts_endpoint;
	return ch;
}

void aws_cred_chain_free(struct aws_cred_chain *chain)
{
	if (!chain)
		return;
	aws_credentials_done(&chain->cur);
	http_pool_free(chain->own_pool);
	free(chain->profile);
	free(chain->region);
	free(chain->sts_endpoint);
	free(chain);
}

static int cred_resolve(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e)
{
	const char *visited[CRED_MAX_HOPS + 2];
	int rc;

	if (!ch->cfg.profile_explicit) {
		rc = cred_env(ch, c, e);
		if (rc != CRED_NONE)
			return rc;
	}
	if (aws_config_has_profile(ch->cfg.cfg, ch->profile)) {
		rc = cred_profile(ch, ch->profile, visited, 0, c, e);
		if (rc != CRED_NONE)
			return rc;
	} else if (ch->cfg.profile_explicit || strcmp(ch->profile, "default") != 0) {
		char *where = aws_config_origin(ch->cfg.cfg, ch->profile, NULL);

		err_set(e, "profile %s not found in %s", ch->profile, where);
		err_hint(e, "check --profile/AWS_PROFILE, or run: aws configure --profile %s",
			 ch->profile);
		free(where);
		return CRED_FAIL;
	}
	if (cred_nonempty(getenv("AWS_WEB_IDENTITY_TOKEN_FILE")) &&
	    cred_nonempty(getenv("AWS_ROLE_ARN")))
		return cred_web_identity(ch, ch->profile, "environment", getenv("AWS_ROLE_ARN"),
					 getenv("AWS_WEB_IDENTITY_TOKEN_FILE"),
					 cred_nonempty(getenv("AWS_ROLE_SESSION_NAME")), c, e);
	rc = cred_container(ch, c, e);
	if (rc != CRED_NONE)
		return rc;
	if (!cred_nonempty(getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) &&
	    !cred_nonempty(getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"))) {
		struct err ie;

		err_clear(&ie);
		rc = cred_imds(ch, 0, c, &ie);
		if (rc == CRED_FOUND)
			return rc;
		if (rc == CRED_FAIL) {
			err_copy(e, &ie);
			return rc;
		}
	}
	err_set(e, "no AWS credentials found (profile %s)", ch->profile);
	err_hint(e, "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, use --profile, or run: aws "
		    "configure");
	return CRED_FAIL;
}

int aws_cred_chain_get(struct aws_cred_chain *chain, const struct aws_credentials **out,
		       struct err *e)
{
	struct aws_credentials fresh;
	time_t now = time(NULL);

	*out = NULL;
	if (chain->have &&
	    (chain->cur.expiration == 0 || chain->cur.expiration - now > CRED_REFRESH_WINDOW)) {
		*out = &chain->cur;
		return 0;
	}
	memset(&fresh, 0, sizeof fresh);
	if (cred_resolve(chain, &fresh, e) != CRED_FOUND) {
		aws_credentials_done(&fresh);
		/* a failed refresh keeps credentials that have not expired yet */
		if (chain->have && chain->cur.expiration > now) {
			*out = &chain->cur;
			return 0;
		}
		return -1;
	}
	aws_credentials_done(&chain->cur);
	chain->cur = fresh;
	chain->have = 1;
	*out = &chain->cur;
	return 0;
}
