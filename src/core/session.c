/* session.c: an AWS session for the layers above core (the TUI never includes aws/). */
#include "config.h"

#include "core/session.h"

#include <string.h>

#include "aws/client.h"

int session_open(const struct session_config *cfg, struct aws_client **out, struct err *e)
{
	struct aws_client_config ac;

	memset(&ac, 0, sizeof ac);
	ac.profile = cfg->profile;
	ac.region = cfg->region;
	ac.endpoint_url = cfg->endpoint_url;
	ac.ca_bundle = cfg->ca_bundle;
	ac.no_verify_ssl = cfg->no_verify_ssl;
	ac.trace = cfg->trace;
	ac.cancel = cfg->cancel;
	return aws_client_new(&ac, out, e);
}

void session_close(struct aws_client *c)
{
	aws_client_free(c);
}

const char *session_region(const struct aws_client *c)
{
	return aws_client_region(c);
}

const char *session_profile(const struct aws_client *c)
{
	return aws_client_profile(c);
}

const char *session_endpoint(const struct aws_client *c)
{
	return aws_client_endpoint(c, AWS_SVC_ECS);
}

int session_account(struct aws_client *c, const char **account, struct err *e)
{
	return aws_client_account(c, account, e);
}
