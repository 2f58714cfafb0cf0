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
