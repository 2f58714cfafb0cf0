/* cred_static.c: the static keys of a profile (aws_access_key_id, aws_secret_access_key). */
#include "config.h"

#include "aws/cred_provider.h"

#include <stdlib.h>

#include "aws/aws_config.h"
#include "util/err.h"
#include "util/xmalloc.h"

int cred_static(struct aws_cred_chain *ch, const char *profile, struct aws_credentials *c,
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

int cred_has_static(const struct aws_config *cfg, const char *profile)
{
	return cred_nonempty(aws_config_get(cfg, profile, "aws_access_key_id")) != NULL;
}
