/* aws_config.h: the shared AWS config and credentials files, and region/endpoint resolution. */
#ifndef ECSFIX_AWS_CONFIG_H
#define ECSFIX_AWS_CONFIG_H

struct err;
struct aws_config;

/* Loads and merges the config file (AWS_CONFIG_FILE or ~/.aws/config) and the credentials
 * file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials); explicit paths win over the
 * environment. Missing files are fine; an unreadable or malformed file fails with one line
 * naming the file, the line and the problem. */
int aws_config_load(const char *config_path, const char *credentials_path, struct aws_config **out,
		    struct err *e);
void aws_config_free(struct aws_config *cfg);

/* The profile to use: explicit name, else AWS_PROFILE, else "default". Borrowed. */
const char *aws_config_profile_name(const char *explicit_name);
int aws_config_has_profile(const struct aws_config *cfg, const char *profile);
/* A property of a profile ([profile x] / [x] / [default] per the SDK rules), or NULL.
 * Borrowed until aws_config_free. */
const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key);
/* A sub-property ("key =\n  sub = v"), or NULL. */
const char *aws_config_get_sub(const struct aws_config *cfg, const char *profile, const char *key,
			       const char *sub);
/* A property of another section type, e.g. ("sso-session", name, "sso_region"), or NULL. */
const char *aws_config_section_get(const struct aws_config *cfg, const char *type, const char *name,
				   const char *key);

/* Region: cli_region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region. None is an
 * error with a hint. *region is the caller's. */
int aws_config_region(const struct aws_config *cfg, const char *profile, const char *cli_region,
		      char **region, struct err *e);

/* Endpoint base URL (no trailing slash) for a service id ("ecs", "securityhub", "sts",
 * "portal.sso"): cli_endpoint, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
 * endpoint settings, then the regional default for the region's partition. Caller frees. */
char *aws_config_endpoint(const struct aws_config *cfg, const char *profile, const char *service_id,
			  const char *region, const char *cli_endpoint);

#endif
