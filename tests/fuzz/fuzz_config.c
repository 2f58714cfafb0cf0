/* fuzz_config.c: the shared config and credentials file parser (aws/aws_config). The first
 * byte picks the file kind; then every section, property and sub-property is visited and the
 * lookups the client makes are run. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aws/aws_config.h"
#include "fuzz.h"
#include "util/err.h"

static void fuzz_config_sub(void *arg, const char *key, const char *value)
{
	size_t *n = arg;

	*n += strlen(key) + strlen(value);
}

static void fuzz_config_visit(void *arg, enum aws_config_section_type type, const char *name,
			      const char *key, const char *value)
{
	(void)type;
	(void)name;
	(void)key;
	if (value != NULL && value[0] == '\n')
		aws_config_subprops(value, fuzz_config_sub, arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_config *cfg;
	struct err e;
	size_t n = 0;
	char *s;

	if (size < 1)
		return 0;
	cfg = aws_config_new();
	err_clear(&e);
	if (aws_config_parse(cfg, (const char *)data + 1, size - 1,
			     (data[0] & 1) ? AWS_CONFIG_FILE_CREDENTIALS : AWS_CONFIG_FILE_CONFIG,
			     "fuzz", &e) == 0) {
		aws_config_foreach(cfg, fuzz_config_visit, &n);
		(void)aws_config_get(cfg, "default", "region");
		(void)aws_config_get_sub(cfg, "default", "s3", "endpoint_url");
		s = aws_config_origin(cfg, "default", "region");
		free(s);
		s = aws_config_endpoint(cfg, "default", "ecs", "us-east-1", NULL);
		free(s);
		s = aws_config_endpoint(cfg, "default", "sts", "cn-north-1", NULL);
		free(s);
		(void)aws_config_section_get(cfg, "sso-session", "s", "sso_region");
	}
	aws_config_free(cfg);
	return 0;
}
