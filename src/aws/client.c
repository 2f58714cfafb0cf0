/* client.c: the signed AWS call (not built yet). */
#include "config.h"

#include "aws/client.h"

int aws_client_new(const struct aws_client_config *cfg, struct aws_client **out, struct err *e)
{
	(void)cfg;
	*out = NULL;
	return err_set(e, "the AWS client is not built yet");
}

void aws_client_free(struct aws_client *c)
{
	(void)c;
}

const char *aws_client_region(const struct aws_client *c)
{
	(void)c;
	return "";
}

const char *aws_client_profile(const struct aws_client *c)
{
	(void)c;
	return "";
}

const char *aws_client_endpoint(const struct aws_client *c, enum aws_service svc)
{
	(void)c;
	(void)svc;
	return "";
}

int aws_client_account(struct aws_client *c, const char **account, struct err *e)
{
	(void)c;
	*account = NULL;
	return err_set(e, "the AWS client is not built yet");
}
