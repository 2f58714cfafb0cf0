/* check_aws_config.c: config/credentials parsing against the cross-SDK suites, file
 * locations, bad files, region and endpoint resolution. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/aws_config.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

/* Expected case counts: fewer means data went missing. */
#define RS_PARSER_CASES   65
#define PY_PARSER_CASES   118
#define RS_LOCATION_CASES 9
#define PY_LOCATION_CASES 10

static json_object *load_suite(const char *file)
{
	const char *d = getenv("ECSFIX_AWS_CONFIG_DATA");
	const char *top = getenv("TOP_SRCDIR");
	char *path, *buf = NULL;
	size_t len;
	json_object *doc = NULL;
	struct err e;

	if (d && *d)
		path = xasprintf("%s/%s", d, file);
	else
		path = xasprintf("%s/tests/data/aws-config/%s", top && *top ? top : ".", file);
	err_clear(&e);
	if (file_read_all(path, 1 << 20, &buf, &len, &e) != 0) {
		ck_abort_msg("%s (set TOP_SRCDIR or ECSFIX_AWS_CONFIG_DATA)", e.msg);
		return NULL;
	}
	if (jsonx_parse(buf, len, &doc, &e) != 0)
		ck_abort_msg("%s: %s", path, e.msg);
	free(buf);
	free(path);
	return doc;
}

/* smithy-rs and smithy-python word some messages differently (see the data README); our
 * parser uses the smithy-python wording, and this maps the smithy-rs phrase to it. */
static const struct {
	const char *rs;
	const char *ours;
} rs_messages[] = {
    {"Profile definition must end with ']'", "Section definition must end with ']'"},
    {"Expected a profile definition", "Expected a section definition"},
    {"Expected an '=' sign defining a sub-property",
     "Expected an '=' sign defining a property in sub-property"},
    {"Sub-property did not have a name", "Property did not have a name in sub-property"},
};

static const char *map_rs_message(const char *want)
{
	size_t i;

	for (i = 0; i < sizeof rs_messages / sizeof rs_messages[0]; i++)
		if (strcmp(want, rs_messages[i].rs) == 0)
			return rs_messages[i].ours;
	return want;
}

struct collect {
	json_object *profiles;
	json_object *sessions;
	int structured; /* smithy-python: sub-property blocks become objects */
};

static void collect_sub(void *arg, const char *key, const char *value)
{
	json_object_object_add(arg, key, json_object_new_string(value));
}

static void collect_visit(void *arg, enum aws_config_section_type type, const char *name,
			  const char *key, const char *value)
{
	struct collect *c = arg;
	json_object *map, *sec;

	if (type == AWS_CONFIG_PROFILE)
		map = c->profiles;
	else if (type == AWS_CONFIG_SSO_SESSION)
		map = c->sessions;
	else
		return;
	if (!json_object_object_get_ex(map, name, &sec)) {
		sec = json_object_new_object();
		json_object_object_add(map, name, sec);
	}
	if (!key)
		return;
	if (c->structured && value[0] == '\n') {
		json_object *sub = json_object_new_object();

		ck_assert_int_ge(aws_config_subprops(value, collect_sub, sub), 0);
		json_object_object_add(sec, key, sub);
	} else {
		json_object_object_add(sec, key, json_object_new_string(value));
	}
}

/* Runs one parser case; returns 1 when it passes (and prints why when not). */
static int run_parser_case(json_object *t, int idx, int python)
{
	json_object *in = jsonx_obj(t, "input"), *out = jsonx_obj(t, "output"), *want;
	const char *cf = jsonx_str(in, "configFile"), *kf = jsonx_str(in, "credentialsFile");
	const char *werr = jsonx_str(out, "errorContaining");
	const char *name = jsonx_str(t, "name");
	struct aws_config *cfg = aws_config_new();
	struct collect c = {json_object_new_object(), json_object_new_object(), python};
	struct err e;
	int rc = 0, ok = 1;

	err_clear(&e);
	if (cf)
		rc = aws_config_parse(cfg, cf, strlen(cf), AWS_CONFIG_FILE_CONFIG, "config", &e);
	if (rc == 0 && kf)
		rc = aws_config_parse(cfg, kf, strlen(kf), AWS_CONFIG_FILE_CREDENTIALS,
				      "credentials", &e);
	if (werr) {
		const char *w = python ? werr : map_rs_message(werr);

		if (rc == 0 || !strstr(e.msg, w)) {
			fprintf(stderr, "case %d (%s): want error \"%s\", got %s\n", idx, name, w,
				rc ? e.msg : "success");
			ok = 0;
		} else if (strncmp(e.msg, "config line ", 12) != 0) {
			fprintf(stderr, "case %d: error does not name file and line: %s\n", idx,
				e.msg);
			ok = 0;
		}
		goto out;
	}
	if (rc != 0) {
		fprintf(stderr, "case %d (%s): unexpected error %s\n", idx, name, e.msg);
		ok = 0;
		goto out;
	}
	aws_config_foreach(cfg, collect_visit, &c);
	if (python) {
		/* smithy-python compares only the maps a case names */
		want = jsonx_obj(out, "profiles");
		if (want && !jsonx_equal(want, c.profiles))
			ok = 0;
		want = jsonx_obj(out, "ssoSessions");
		if (want && !jsonx_equal(want, c.sessions))
			ok = 0;
	} else {
		/* smithy-rs compares profiles, and sso_sessions defaulting to {} */
		json_object *conf = jsonx_obj(out, "config"), *empty = json_object_new_object();

		want = jsonx_obj(conf, "profiles");
		if (!want || !jsonx_equal(want, c.profiles))
			ok = 0;
		want = jsonx_obj(conf, "sso_sessions");
		if (!jsonx_equal(want ? want : empty, c.sessions))
			ok = 0;
		json_object_put(empty);
	}
	if (!ok)
		fprintf(stderr, "case %d (%s): got profiles %s sessions %s; want %s\n", idx, name,
			json_object_to_json_string(c.profiles),
			json_object_to_json_string(c.sessions), json_object_to_json_string(out));
out:
	json_object_put(c.profiles);
	json_object_put(c.sessions);
	aws_config_free(cfg);
	return ok;
}

static void run_parser_suite(const char *file, int python, int expected)
{
	json_object *doc = load_suite(file), *tests = jsonx_array(doc, "tests");
	size_t i, n = tests ? json_object_array_length(tests) : 0;
	int passed = 0;

	for (i = 0; i < n; i++)
		passed += run_parser_case(json_object_array_get_idx(tests, i), (int)i, python);
	printf("aws-config: %s: %zu cases ran, %d passed\n", file, n, passed);
	ck_assert_int_ge((int)n, expected);
	ck_assert_int_eq(passed, (int)n);
	json_object_put(doc);
}

START_TEST(test_parser_smithy_rs)
{
	run_parser_suite("profile-parser-tests.json", 0, RS_PARSER_CASES);
}
END_TEST

START_TEST(test_parser_smithy_python)
{
	run_parser_suite("config-file-parser-tests.json", 1, PY_PARSER_CASES);
}
END_TEST

static const char *env_from_json(void *arg, const char *name)
{
	return jsonx_str(arg, name);
}

static void run_location_suite(const char *file, int expected)
{
	json_object *doc = load_suite(file), *tests = jsonx_array(doc, "tests");
	size_t i, n = tests ? json_object_array_length(tests) : 0;
	int passed = 0;

	for (i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tests, i);
		struct aws_config_env env;
		char *cpath = NULL, *kpath = NULL;
		const char *profile = NULL, *want_profile = jsonx_str(t, "profile");
		int ok;

		env.get = env_from_json;
		env.arg = jsonx_obj(t, "environment");
		env.windows = strcmp(jsonx_str(t, "platform"), "windows") == 0;
		/* "ignored" stays literal: it would show up in a wrong result */
		env.language_home = jsonx_str(t, "languageSpecificHome");
		aws_config_locate(&env, &cpath, &kpath, &profile);
		ok = cpath && kpath && strcmp(cpath, jsonx_str(t, "configLocation")) == 0 &&
		     strcmp(kpath, jsonx_str(t, "credentialsLocation")) == 0 &&
		     (!want_profile || strcmp(profile, want_profile) == 0);
		if (!ok)
			fprintf(stderr, "%s case %zu (%s): got %s %s %s\n", file, i,
				jsonx_str(t, "name"), cpath ? cpath : "(null)",
				kpath ? kpath : "(null)", profile);
		passed += ok;
		free(cpath);
		free(kpath);
	}
	printf("aws-config: %s: %zu cases ran, %d passed\n", file, n, passed);
	ck_assert_int_ge((int)n, expected);
	ck_assert_int_eq(passed, (int)n);
	json_object_put(doc);
}

START_TEST(test_location_smithy_rs)
{
	run_location_suite("file-location-tests.json", RS_LOCATION_CASES);
}
END_TEST

START_TEST(test_location_smithy_python)
{
	run_location_suite("config-file-location-tests.json", PY_LOCATION_CASES);
}
END_TEST

/* A private temporary directory (removed by the forked test's exit is not needed: mkdtemp
 * under TMPDIR, cleaned by the caller). */
static char *make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/ecsfix-cfg-XXXXXX", base && *base ? base : "/tmp");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

START_TEST(test_load_files_and_bad_files)
{
	char *dir = make_tmpdir();
	char *cfgp = xasprintf("%s/config", dir), *credp = xasprintf("%s/credentials", dir);
	char *sub = xasprintf("%s/adir", dir), *origin;
	struct aws_config *cfg = NULL;
	struct err e;

	err_clear(&e);
	/* missing files are fine */
	ck_assert_int_eq(aws_config_load(cfgp, credp, &cfg, &e), 0);
	ck_assert(!aws_config_has_profile(cfg, "default"));
	aws_config_free(cfg);

	write_file(cfgp, "# settings\n[default]\nregion = eu-west-1\n[profile dev]\n"
			 "region = us-west-2\naws_access_key_id = FROMCONFIG\n"
			 "s3 =\n  addressing_style = path\n");
	write_file(credp, "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
	ck_assert_int_eq(aws_config_load(cfgp, credp, &cfg, &e), 0);
	ck_assert_str_eq(aws_config_get(cfg, "default", "region"), "eu-west-1");
	ck_assert_str_eq(aws_config_get(cfg, "dev", "region"), "us-west-2");
	/* the credentials file wins */
	ck_assert_str_eq(aws_config_get(cfg, "dev", "aws_access_key_id"), "AKIDDEV");
	ck_assert_str_eq(aws_config_get_sub(cfg, "dev", "s3", "addressing_style"), "path");
	ck_assert_ptr_null(aws_config_get_sub(cfg, "dev", "s3", "nope"));
	ck_assert_ptr_null(aws_config_get(cfg, "nope", "region"));
	origin = aws_config_origin(cfg, "dev", "aws_access_key_id");
	ck_assert(strstr(origin, "credentials line 2") != NULL);
	free(origin);
	origin = aws_config_origin(cfg, "dev", "region");
	ck_assert(strstr(origin, "config line 5") != NULL);
	free(origin);
	aws_config_free(cfg);
	cfg = NULL;

	/* unreadable (a directory where the file should be) */
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(aws_config_load(sub, credp, &cfg, &e), -1);
	ck_assert_ptr_null(cfg);
	ck_assert_msg(strstr(e.msg, sub) != NULL, "%s", e.msg);
	ck_assert(strchr(e.msg, '\n') == NULL);

	/* malformed section header */
	write_file(cfgp, "[default]\nregion = x\n[profile dev\nregion = y\n");
	ck_assert_int_eq(aws_config_load(cfgp, credp, &cfg, &e), -1);
	ck_assert_msg(strstr(e.msg, cfgp) && strstr(e.msg, "line 3") &&
			  strstr(e.msg, "must end with ']'"),
		      "%s", e.msg);
	ck_assert(strchr(e.msg, '\n') == NULL);

	/* property before any section, in the credentials file */
	write_file(cfgp, "[default]\n");
	write_file(credp, "aws_access_key_id = A\n[default]\n");
	ck_assert_int_eq(aws_config_load(cfgp, credp, &cfg, &e), -1);
	ck_assert_msg(strstr(e.msg, credp) && strstr(e.msg, "line 1") &&
			  strstr(e.msg, "Expected a section definition"),
		      "%s", e.msg);

	/* ':' is not a delimiter */
	write_file(credp, "[default]\n\naws_access_key_id: A\n");
	ck_assert_int_eq(aws_config_load(cfgp, credp, &cfg, &e), -1);
	ck_assert_msg(strstr(e.msg, "line 3: Expected an '=' sign"), "%s", e.msg);

	rm_rf(dir);
	free(cfgp);
	free(credp);
	free(sub);
	free(dir);
}
END_TEST

START_TEST(test_default_locations_and_tilde)
{
	char *dir = make_tmpdir(), *awsdir = xasprintf("%s/.aws", dir), *p;
	struct aws_config *cfg = NULL;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(mkdir(awsdir, 0700), 0);
	p = xasprintf("%s/config", awsdir);
	write_file(p, "[profile home]\nregion = ap-south-1\n");
	free(p);
	p = xasprintf("%s/creds2", awsdir);
	write_file(p, "[tilde]\naws_access_key_id = X\n");
	free(p);
	setenv("HOME", dir, 1);
	unsetenv("AWS_CONFIG_FILE");
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/creds2", 1);
	ck_assert_int_eq(aws_config_load(NULL, NULL, &cfg, &e), 0);
	ck_assert_str_eq(aws_config_get(cfg, "home", "region"), "ap-south-1");
	ck_assert_str_eq(aws_config_get(cfg, "tilde", "aws_access_key_id"), "X");
	aws_config_free(cfg);
	setenv("AWS_PROFILE", "picked", 1);
	ck_assert_str_eq(aws_config_profile_name(NULL), "picked");
	ck_assert_str_eq(aws_config_profile_name("cli"), "cli");
	unsetenv("AWS_PROFILE");
	ck_assert_str_eq(aws_config_profile_name(NULL), "default");
	rm_rf(dir);
	free(awsdir);
	free(dir);
}
END_TEST

static struct aws_config *parse_text(const char *config, const char *creds)
{
	struct aws_config *cfg = aws_config_new();
	struct err e;

	err_clear(&e);
	ck_assert_msg(aws_config_parse(cfg, config, strlen(config), AWS_CONFIG_FILE_CONFIG,
				       "config", &e) == 0,
		      "%s", e.msg);
	if (creds)
		ck_assert(aws_config_parse(cfg, creds, strlen(creds), AWS_CONFIG_FILE_CREDENTIALS,
					   "credentials", &e) == 0);
	return cfg;
}

START_TEST(test_region_order)
{
	struct aws_config *cfg =
	    parse_text("[profile p]\nregion = eu-central-1\n[profile none]\n", NULL);
	struct err e;
	char *r;

	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	ck_assert_int_eq(aws_config_region(cfg, "p", NULL, &r, &e), 0);
	ck_assert_str_eq(r, "eu-central-1");
	free(r);
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	ck_assert_int_eq(aws_config_region(cfg, "p", NULL, &r, &e), 0);
	ck_assert_str_eq(r, "us-west-1");
	free(r);
	setenv("AWS_REGION", "us-east-2", 1);
	ck_assert_int_eq(aws_config_region(cfg, "p", NULL, &r, &e), 0);
	ck_assert_str_eq(r, "us-east-2");
	free(r);
	ck_assert_int_eq(aws_config_region(cfg, "p", "ca-central-1", &r, &e), 0);
	ck_assert_str_eq(r, "ca-central-1");
	free(r);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	ck_assert_int_eq(aws_config_region(cfg, "none", NULL, &r, &e), -1);
	ck_assert_ptr_null(r);
	ck_assert(strstr(e.msg, "no AWS region") != NULL);
	ck_assert(strstr(e.hint, "--region") != NULL);
	aws_config_free(cfg);
}
END_TEST

START_TEST(test_endpoint_order)
{
	struct aws_config *cfg =
	    parse_text("[profile p]\nendpoint_url = http://profile:1\nservices = local\n"
		       "[profile q]\nendpoint_url = http://q-profile:2/\n"
		       "[profile ign]\nendpoint_url = http://x\nignore_configured_endpoint_urls = "
		       "true\n[services local]\necs =\n  endpoint_url = http://svc-ecs:3\n",
		       NULL);
	char *u;

	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_ECS");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	/* regional defaults per partition */
	u = aws_config_endpoint(cfg, "none", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "https://ecs.eu-west-1.amazonaws.com");
	free(u);
	u = aws_config_endpoint(cfg, "none", "securityhub", "cn-north-1", NULL);
	ck_assert_str_eq(u, "https://securityhub.cn-north-1.amazonaws.com.cn");
	free(u);
	u = aws_config_endpoint(cfg, "none", "ecs", "us-gov-west-1", NULL);
	ck_assert_str_eq(u, "https://ecs.us-gov-west-1.amazonaws.com");
	free(u);
	u = aws_config_endpoint(cfg, "none", "sts", "eu-west-1", NULL);
	ck_assert_str_eq(u, "https://sts.eu-west-1.amazonaws.com");
	free(u);
	u = aws_config_endpoint(cfg, "none", "sts", NULL, NULL);
	ck_assert_str_eq(u, "https://sts.amazonaws.com");
	free(u);
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	u = aws_config_endpoint(cfg, "none", "sts", "eu-west-1", NULL);
	ck_assert_str_eq(u, "https://sts.amazonaws.com");
	free(u);
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	u = aws_config_endpoint(cfg, "none", "portal.sso", "us-east-1", NULL);
	ck_assert_str_eq(u, "https://portal.sso.us-east-1.amazonaws.com");
	free(u);
	/* profile: services section beats endpoint_url, which beats the default */
	u = aws_config_endpoint(cfg, "p", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://svc-ecs:3");
	free(u);
	u = aws_config_endpoint(cfg, "p", "securityhub", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://profile:1");
	free(u);
	u = aws_config_endpoint(cfg, "q", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://q-profile:2");
	free(u);
	u = aws_config_endpoint(cfg, "ign", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "https://ecs.eu-west-1.amazonaws.com");
	free(u);
	/* environment beats the profile; the service-specific variable beats the global one */
	setenv("AWS_ENDPOINT_URL", "http://global:4", 1);
	u = aws_config_endpoint(cfg, "p", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://global:4");
	free(u);
	setenv("AWS_ENDPOINT_URL_ECS", "http://env-ecs:5/", 1);
	u = aws_config_endpoint(cfg, "p", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://env-ecs:5");
	free(u);
	setenv("AWS_ENDPOINT_URL_SSO", "http://env-sso:6", 1);
	u = aws_config_endpoint(cfg, "p", "portal.sso", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://env-sso:6");
	free(u);
	u = aws_config_endpoint(cfg, "p", "securityhub", "eu-west-1", NULL);
	ck_assert_str_eq(u, "http://global:4");
	free(u);
	/* --endpoint-url beats everything */
	u = aws_config_endpoint(cfg, "p", "ecs", "eu-west-1", "http://cli:7");
	ck_assert_str_eq(u, "http://cli:7");
	free(u);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	u = aws_config_endpoint(cfg, "p", "ecs", "eu-west-1", NULL);
	ck_assert_str_eq(u, "https://ecs.eu-west-1.amazonaws.com");
	free(u);
	aws_config_free(cfg);
}
END_TEST

/* Random files built from the grammar's pieces never crash the parser, and an error is
 * always one line naming the file and a line number. */
START_TEST(test_parser_garbage)
{
	static const char *const pieces[] = {
	    "[",       "]", "=", " ",        "\t",           "\n",
	    "\r\n",    "#", ";", "profile ", "sso-session ", "services ",
	    "default", "a", "B", "x y",      "\xc3\xa9",     "  k = v\n",
	    "s3 =\n"};
	unsigned int seed = 12345;
	int i, j, errors = 0;

	for (i = 0; i < 3000; i++) {
		char buf[512];
		size_t len = 0;
		struct aws_config *cfg = aws_config_new();
		struct err e;
		int n;

		if (i % 3 != 0) { /* mostly start inside a section, to get past line 1 */
			memcpy(buf, "[default]\n", 10);
			len = 10;
		}
		n = 1 + (int)(rand_r(&seed) % 40);
		for (j = 0; j < n; j++) {
			const char *p = pieces[rand_r(&seed) % (sizeof pieces / sizeof pieces[0])];
			size_t l = strlen(p);

			if (len + l >= sizeof buf)
				break;
			memcpy(buf + len, p, l);
			len += l;
		}
		buf[len] = '\0';
		err_clear(&e);
		if (aws_config_parse(cfg, buf, len,
				     i % 2 ? AWS_CONFIG_FILE_CREDENTIALS : AWS_CONFIG_FILE_CONFIG,
				     "fuzz", &e) != 0) {
			errors++;
			ck_assert_msg(strncmp(e.msg, "fuzz line ", 10) == 0, "%s", e.msg);
			ck_assert(strchr(e.msg, '\n') == NULL);
		}
		aws_config_free(cfg);
	}
	/* both outcomes happened, so the generator exercised the error paths too */
	printf("aws-config: garbage: %d of 3000 random files rejected\n", errors);
	ck_assert_int_gt(errors, 100);
	ck_assert_int_lt(errors, 2900);
}
END_TEST

static Suite *aws_config_suite(void)
{
	Suite *s = suite_create("aws_config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parser_smithy_rs);
	tcase_add_test(tc, test_parser_smithy_python);
	tcase_add_test(tc, test_location_smithy_rs);
	tcase_add_test(tc, test_location_smithy_python);
	tcase_add_test(tc, test_load_files_and_bad_files);
	tcase_add_test(tc, test_default_locations_and_tilde);
	tcase_add_test(tc, test_region_order);
	tcase_add_test(tc, test_endpoint_order);
	tcase_add_test(tc, test_parser_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(aws_config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
