/* cred_container.c: the container provider: ECS task roles and EKS pod identity
 * (AWS_CONTAINER_CREDENTIALS_*). */
#include "config.h"

#include "aws/cred_provider.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_config.h"
#include "aws/http.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/trace.h"
#include "util/xmalloc.h"

int cred_container(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e)
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
