/* session.h: an AWS session for the layers above core (the TUI never includes aws/). */
#ifndef ECSFIX_CORE_SESSION_H
#define ECSFIX_CORE_SESSION_H

#include <signal.h>

struct aws_client; /* opaque here */
struct err;
struct trace;

struct session_config {
	const char *profile;
	const char *region;
	const char *endpoint_url;
	const char *ca_bundle;
	int no_verify_ssl;
	struct trace *trace;           /* borrowed, may be NULL */
	volatile sig_atomic_t *cancel; /* may be NULL */
};

int session_open(const struct session_config *cfg, struct aws_client **out, struct err *e);
void session_close(struct aws_client *c);
const char *session_region(const struct aws_client *c);
const char *session_profile(const struct aws_client *c);
/* The ECS endpoint in use (for the header line). */
const char *session_endpoint(const struct aws_client *c);
/* The account id (one STS call, cached). */
int session_account(struct aws_client *c, const char **account, struct err *e);

#endif
