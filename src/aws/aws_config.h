/* aws_config.h: the shared AWS config and credentials files, and region/endpoint resolution. */
#ifndef ECSFIX_AWS_CONFIG_H
#define ECSFIX_AWS_CONFIG_H

#include <stddef.h>

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
 * "portal.sso", or "oidc" for SSO-OIDC): cli_endpoint, AWS_ENDPOINT_URL_<SERVICE> (ECS,
 * SECURITYHUB, STS, SSO, SSO_OIDC), AWS_ENDPOINT_URL, the profile's endpoint settings
 * (its services section, then endpoint_url), then the regional default for the region's
 * partition (STS: the global endpoint without a region). Caller frees. */
char *aws_config_endpoint(const struct aws_config *cfg, const char *profile, const char *service_id,
			  const char *region, const char *cli_endpoint);

/* ---- Parser access (tests, tools) and file locations ---- */

enum aws_config_file_kind { AWS_CONFIG_FILE_CONFIG, AWS_CONFIG_FILE_CREDENTIALS };
enum aws_config_section_type { AWS_CONFIG_PROFILE, AWS_CONFIG_SSO_SESSION, AWS_CONFIG_SERVICES };

/* An empty collection, for aws_config_parse. */
struct aws_config *aws_config_new(void);
/* Parses one file's text (kind decides the section rules) and merges it into cfg, the new
 * file's properties winning (parse the config file first, then the credentials file).
 * Errors are "<filename> line N: <cross-SDK message>". */
int aws_config_parse(struct aws_config *cfg, const char *text, size_t len,
		     enum aws_config_file_kind kind, const char *filename, struct err *e);

/* Visits every section (once with key == NULL) and every property. A value that starts with
 * '\n' is a sub-property block (see aws_config_subprops). */
typedef void (*aws_config_visit_fn)(void *arg, enum aws_config_section_type type, const char *name,
				    const char *key, const char *value);
void aws_config_foreach(const struct aws_config *cfg, aws_config_visit_fn fn, void *arg);
/* Splits a sub-property block ("\nk = v\nk2 = v2") into its valid "k = v" pairs (keys lower
 * case, values verbatim); returns how many, or -1 if value is not such a block. */
typedef void (*aws_config_sub_fn)(void *arg, const char *key, const char *value);
int aws_config_subprops(const char *value, aws_config_sub_fn fn, void *arg);

/* Where a profile's key (or, key NULL, the profile) was defined: "<file> line N", or both
 * file names when the profile does not exist. Caller frees. */
char *aws_config_origin(const struct aws_config *cfg, const char *profile, const char *key);
/* The path that was (or would have been) read for a file kind, or NULL. Borrowed. */
const char *aws_config_path(const struct aws_config *cfg, enum aws_config_file_kind kind);

/* The environment seen by the file-location rules; NULL everywhere means the process
 * environment on this (POSIX) platform. */
struct aws_config_env {
	const char *(*get)(void *arg, const char *name);
	void *arg;
	int windows;               /* use '\\' and USERPROFILE, HOMEDRIVE+HOMEPATH */
	const char *language_home; /* fallback home (the passwd entry), or NULL */
};
/* Home directory: HOME; on Windows USERPROFILE, HOMEDRIVE+HOMEPATH; then the language home
 * (passwd). NULL when none. Caller frees. */
char *aws_config_home(const struct aws_config_env *env);
/* Config and credentials paths (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE with ~
 * expanded, else <home>/.aws/...; caller frees, NULL without a home) and the selected
 * profile (AWS_PROFILE or "default", borrowed). Any out pointer may be NULL. */
void aws_config_locate(const struct aws_config_env *env, char **config_path,
		       char **credentials_path, const char **profile);
/* DNS suffix of a region's partition: "amazonaws.com", "amazonaws.com.cn", ... */
const char *aws_config_dns_suffix(const char *region);

#endif
