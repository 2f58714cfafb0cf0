/* cred_imds.c: the EC2 instance metadata provider (IMDSv2, IMDSv1 fallback unless disabled). */
#include "config.h"

#include "aws/cred_provider.h"

#include <stdlib.h>
#include <string.h>

#include "aws/aws_config.h"
#include "aws/http.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/trace.h"
#include "util/xmalloc.h"

int cred_imds(struct aws_cred_chain *ch, int required, struct aws_credentials *c, struct err *e)
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
