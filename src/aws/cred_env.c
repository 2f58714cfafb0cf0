/* cred_env.c: the environment provider: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN. */
#include "config.h"

#include "aws/cred_provider.h"

#include <stdlib.h>

#include "aws/aws_config.h"
#include "util/err.h"
#include "util/xmalloc.h"

int cred_env(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e)
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
