/* credentials.c: the SDK credential provider chain (env, profile, STS, SSO, process,
 * container, IMDSv2), cached and refreshed five minutes before expiry. */
#include "config.h"

#include "aws/credentials.h"

#include "aws/cred_provider.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws_config.h"
#include "aws/http.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/trace.h"
#include "util/xmalloc.h"

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

void cred_set(struct aws_cred_chain *ch, struct aws_credentials *c, const char *akid,
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

const char *cred_nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int cred_true(const char *v)
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

struct http_pool *cred_pool(struct aws_cred_chain *ch, struct err *e)
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
int cred_http(struct aws_cred_chain *ch, struct http_request *req, const char *what, struct err *e)
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
int cred_url_parts(const char *url, char **host, char **path)
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
int cred_from_json(struct aws_cred_chain *ch, json_object *o, const char *k_akid,
		   const char *k_secret, const char *k_token, const char *k_exp, char *provider,
		   struct aws_credentials *c, struct err *e)
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

/* ---- profiles ---- */

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
