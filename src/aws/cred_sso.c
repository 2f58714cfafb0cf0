/* cred_sso.c: the IAM Identity Center (SSO) provider: the cached token, its refresh,
 * GetRoleCredentials. */
#include "config.h"

#include "aws/cred_provider.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws_config.h"
#include "aws/http.h"
#include "aws/sigv4.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/trace.h"
#include "util/xmalloc.h"

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

int cred_sso(struct aws_cred_chain *ch, const char *profile, struct aws_credentials *c,
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
