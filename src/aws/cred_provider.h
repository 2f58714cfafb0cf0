/* cred_provider.h: what the credential providers (src/aws/cred_*.c) share with the chain in
 * credentials.c. Private to the aws layer's credential files. */
#ifndef ECSFIX_AWS_CRED_PROVIDER_H
#define ECSFIX_AWS_CRED_PROVIDER_H

#include <json-c/json.h>
#include <time.h>

#include "aws/credentials.h"

struct aws_config;
struct err;
struct http_request;
#define CRED_REFRESH_WINDOW 300 /* seconds before expiry that count as expired */
#define CRED_MAX_HOPS       16
#define CRED_PROCESS_MAX    (1u << 20)
#define CRED_IMDS_DEFAULT   "http://169.254.169.254"
#define CRED_ECS_HOST       "http://169.254.170.2"

/* Outcome of one provider: found, not configured here (try the next), or failed. */
enum { CRED_FOUND = 0, CRED_NONE = 1, CRED_FAIL = -1 };

struct aws_cred_chain {
	struct aws_cred_chain_config cfg; /* strings below are our copies */
	char *profile;
	char *region;
	char *sts_endpoint;
	struct http_pool *own_pool; /* created on first use when cfg.pool is NULL */
	struct aws_credentials cur;
	int have;
};

/* ---- helpers (credentials.c) ---- */

/* Fills c (taking provider) and registers the secrets for redaction. */
void cred_set(struct aws_cred_chain *ch, struct aws_credentials *c, const char *akid,
	      const char *secret, const char *token, time_t expiration, char *provider);
const char *cred_nonempty(const char *s);
int cred_true(const char *v);
/* The pool for provider calls: the configured one, else one of the chain's own. */
struct http_pool *cred_pool(struct aws_cred_chain *ch, struct err *e);
/* One HTTP request through the pool; what names it in messages. */
int cred_http(struct aws_cred_chain *ch, struct http_request *req, const char *what, struct err *e);
int cred_url_parts(const char *url, char **host, char **path);
/* Credentials from a JSON document with the given member names (provider taken). */
int cred_from_json(struct aws_cred_chain *ch, json_object *o, const char *k_akid,
		   const char *k_secret, const char *k_token, const char *k_exp, char *provider,
		   struct aws_credentials *c, struct err *e);

/* ---- providers: CRED_FOUND, CRED_NONE (not configured: the next) or CRED_FAIL ---- */

int cred_env(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e);
int cred_static(struct aws_cred_chain *ch, const char *profile, struct aws_credentials *c,
		struct err *e);
int cred_has_static(const struct aws_config *cfg, const char *profile);
int cred_container(struct aws_cred_chain *ch, struct aws_credentials *c, struct err *e);
int cred_imds(struct aws_cred_chain *ch, int required, struct aws_credentials *c, struct err *e);
int cred_process(struct aws_cred_chain *ch, const char *profile, const char *cmd,
		 struct aws_credentials *c, struct err *e);
char *cred_session_name(const char *configured);
int cred_assume_role(struct aws_cred_chain *ch, const char *profile,
		     const struct aws_credentials *src, struct aws_credentials *c, struct err *e);
int cred_web_identity(struct aws_cred_chain *ch, const char *profile, const char *who,
		      const char *role_arn, const char *token_file, const char *session_name,
		      struct aws_credentials *c, struct err *e);
int cred_sso(struct aws_cred_chain *ch, const char *profile, struct aws_credentials *c,
	     struct err *e);

#endif
