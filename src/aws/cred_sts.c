/* cred_sts.c: the STS providers: AssumeRole (role_arn + source_profile/credential_source) and
 * AssumeRoleWithWebIdentity, through the client's signed-request path. */
#include "config.h"

#include "aws/cred_provider.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws_config.h"
#include "aws/client.h"
#include "aws/sigv4.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/trace.h"
#include "util/xmalloc.h"

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

char *cred_session_name(const char *configured)
{
	return configured ? xstrdup(configured) : xasprintf("ecsfix-session-%ld", (long)time(NULL));
}

int cred_assume_role(struct aws_cred_chain *ch, const char *profile,
		     const struct aws_credentials *src, struct aws_credentials *c, struct err *e)
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
int cred_web_identity(struct aws_cred_chain *ch, const char *profile, const char *who,
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
