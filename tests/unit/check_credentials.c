/* check_credentials.c: the credential provider chain: order, profiles, roles, SSO,
 * credential_process, container, IMDSv2, refresh and errors, against a loopback stub. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "aws/aws_config.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/sigv4.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/trace.h"
#include "util/xmalloc.h"

/* The stub's address and log, set by main() before the tests fork. */
static const char *stub_url(void)
{
	const char *u = getenv("CRED_STUB_URL");

	return u && *u ? u : NULL;
}

static char *top_path(const char *rel)
{
	const char *top = getenv("TOP_SRCDIR");

	return xasprintf("%s/%s", top && *top ? top : ".", rel);
}

static void clear_env(void)
{
	static const char *const vars[] = {"AWS_ACCESS_KEY_ID",
					   "AWS_SECRET_ACCESS_KEY",
					   "AWS_SESSION_TOKEN",
					   "AWS_SECURITY_TOKEN",
					   "AWS_CREDENTIAL_EXPIRATION",
					   "AWS_PROFILE",
					   "AWS_REGION",
					   "AWS_DEFAULT_REGION",
					   "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
					   "AWS_CONTAINER_CREDENTIALS_FULL_URI",
					   "AWS_CONTAINER_AUTHORIZATION_TOKEN",
					   "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
					   "AWS_EC2_METADATA_SERVICE_ENDPOINT",
					   "AWS_ENDPOINT_URL",
					   "AWS_ENDPOINT_URL_SSO",
					   "AWS_ENDPOINT_URL_STS"};
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
}

static struct aws_config *cfg_text(const char *config, const char *creds)
{
	struct aws_config *cfg = aws_config_new();
	struct err e;

	err_clear(&e);
	if (config)
		ck_assert_msg(aws_config_parse(cfg, config, strlen(config), AWS_CONFIG_FILE_CONFIG,
					       "/t/config", &e) == 0,
			      "%s", e.msg);
	if (creds)
		ck_assert_msg(aws_config_parse(cfg, creds, strlen(creds),
					       AWS_CONFIG_FILE_CREDENTIALS, "/t/credentials",
					       &e) == 0,
			      "%s", e.msg);
	return cfg;
}

struct run {
	struct aws_config *cfg;
	struct aws_cred_chain *chain;
	struct trace *trace;
	const struct aws_credentials *c;
	struct err e;
	int rc;
};

static void run_chain(struct run *r, struct aws_config *cfg, const char *profile, int explicit_,
		      const char *sts)
{
	struct aws_cred_chain_config cc;

	memset(r, 0, sizeof *r);
	r->cfg = cfg;
	r->trace = trace_new(NULL, NULL);
	memset(&cc, 0, sizeof cc);
	cc.cfg = cfg;
	cc.profile = profile;
	cc.profile_explicit = explicit_;
	cc.region = "us-east-1";
	cc.trace = r->trace;
	cc.sts_endpoint = sts;
	r->chain = aws_cred_chain_new(&cc);
	err_clear(&r->e);
	r->rc = aws_cred_chain_get(r->chain, &r->c, &r->e);
}

static void run_done(struct run *r)
{
	aws_cred_chain_free(r->chain);
	aws_config_free(r->cfg);
	trace_free(r->trace);
}

#define ASSERT_OK(r) ck_assert_msg((r)->rc == 0, "chain failed: %s", (r)->e.msg)
#define ASSERT_FAILS(r, needle)                                                                    \
	do {                                                                                       \
		ck_assert_msg((r)->rc == -1, "chain should fail");                                 \
		ck_assert_msg(strstr((r)->e.msg, needle) != NULL, "error \"%s\" lacks \"%s\"",     \
			      (r)->e.msg, needle);                                                 \
		ck_assert_msg(strchr((r)->e.msg, '\n') == NULL, "multi-line error");               \
	} while (0)

/* Reads the stub log from offset (updated); caller frees. */
static char *log_since(long *offset)
{
	const char *path = getenv("CRED_STUB_LOG");
	FILE *f = path ? fopen(path, "r") : NULL;
	char *buf;
	long end, n;

	if (!f)
		return xstrdup("");
	fseek(f, 0, SEEK_END);
	end = ftell(f);
	fseek(f, *offset, SEEK_SET);
	n = end - *offset;
	buf = xmalloc((size_t)n + 1);
	n = (long)fread(buf, 1, (size_t)n, f);
	buf[n] = '\0';
	fclose(f);
	*offset = end;
	return buf;
}

static long log_size(void)
{
	long off = 0;

	free(log_since(&off));
	return off;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

#define NEED_STUB()                                                                                \
	do {                                                                                       \
		if (!stub_url()) {                                                                 \
			printf("credentials: python3 stub unavailable, %s skipped\n", __func__);   \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* ---- chain order ---- */

START_TEST(test_env_beats_profile)
{
	struct run r;

	clear_env();
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	run_chain(&r,
		  cfg_text(NULL, "[default]\naws_access_key_id = AKIDFILE\n"
				 "aws_secret_access_key = filesecret\n"),
		  "default", 0, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "AKIDENV");
	ck_assert_str_eq(r.c->session_token, "envtoken");
	ck_assert_str_eq(r.c->provider, "environment");
	/* the secret is registered for redaction */
	{
		char *red = trace_redact(r.trace, "x envsecret envtoken y");

		ck_assert_str_eq(red, "x **** **** y");
		free(red);
	}
	run_done(&r);
}
END_TEST

START_TEST(test_explicit_profile_skips_env)
{
	struct run r;

	clear_env();
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	run_chain(&r,
		  cfg_text("[profile dev]\nregion = eu-west-1\n",
			   "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devs\n"),
		  "dev", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "AKIDDEV");
	ck_assert_ptr_null(r.c->session_token);
	ck_assert_int_eq(r.c->expiration, 0);
	ck_assert(strstr(r.c->provider, "profile dev") != NULL);
	run_done(&r);
}
END_TEST

START_TEST(test_env_partial_keys)
{
	struct run r;

	clear_env();
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "AWS_SECRET_ACCESS_KEY is not");
	run_done(&r);
}
END_TEST

START_TEST(test_missing_profile)
{
	struct run r;

	clear_env();
	run_chain(&r, cfg_text("[profile other]\n", ""), "ghost", 1, NULL);
	ASSERT_FAILS(&r, "profile ghost not found in /t/config or /t/credentials");
	run_done(&r);
	/* the implicit default may be missing: then nothing is found */
	run_chain(&r, cfg_text("[profile other]\n", NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "no AWS credentials found");
	ck_assert(strstr(r.e.hint, "AWS_ACCESS_KEY_ID") != NULL);
	run_done(&r);
}
END_TEST

START_TEST(test_partial_profile_keys)
{
	struct run r;

	clear_env();
	run_chain(&r, cfg_text(NULL, "[default]\nregion = x\naws_access_key_id = AKIDHALF\n"),
		  "default", 0, NULL);
	ASSERT_FAILS(&r, "/t/credentials line 3: profile default has aws_access_key_id but no "
			 "aws_secret_access_key");
	run_done(&r);
}
END_TEST

START_TEST(test_source_profile_loop)
{
	struct run r;

	clear_env();
	run_chain(&r,
		  cfg_text("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
			   "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
			   NULL),
		  "a", 1, NULL);
	ASSERT_FAILS(&r, "source_profile loop: a -> b -> a");
	run_done(&r);
	run_chain(
	    &r,
	    cfg_text("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n", NULL),
	    "a", 1, NULL);
	ASSERT_FAILS(&r, "source_profile loop: a -> a");
	run_done(&r);
	run_chain(&r,
		  cfg_text("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
			   "credential_source = Environment\n",
			   NULL),
		  "a", 1, NULL);
	ASSERT_FAILS(&r, "both source_profile and credential_source");
	run_done(&r);
	run_chain(&r, cfg_text("[profile a]\nrole_arn = arn:aws:iam::1:role/a\n", NULL), "a", 1,
		  NULL);
	ASSERT_FAILS(&r, "/t/config line 2: profile a has role_arn but neither");
	run_done(&r);
	run_chain(&r,
		  cfg_text("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = nope\n",
			   NULL),
		  "a", 1, NULL);
	ASSERT_FAILS(&r, "source_profile nope does not exist");
	run_done(&r);
}
END_TEST

/* ---- credential_process ---- */

static char *process_profile(const char *mode)
{
	char *script = top_path("tests/data/credentials/cred_process.sh");
	char *text = xasprintf("[profile p]\ncredential_process = /bin/sh '%s' %s\n", script, mode);

	free(script);
	return text;
}

START_TEST(test_process_ok)
{
	struct run r;
	char *t = process_profile("ok");

	clear_env();
	run_chain(&r, cfg_text(t, NULL), "p", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "AKIDPROC");
	ck_assert_str_eq(r.c->session_token, "proctoken");
	ck_assert_int_eq(r.c->expiration, 0);
	ck_assert_str_eq(r.c->provider, "profile p (credential_process)");
	run_done(&r);
	free(t);
	/* quoting is the shell's: an argument with spaces and a $ arrives intact */
	t = process_profile("args 'AKID $HOME x'");
	run_chain(&r, cfg_text(t, NULL), "p", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "AKID $HOME x");
	run_done(&r);
	free(t);
}
END_TEST

START_TEST(test_process_errors)
{
	struct run r;
	char *t = process_profile("fail");

	clear_env();
	run_chain(&r, cfg_text(t, NULL), "p", 1, NULL);
	ASSERT_FAILS(&r, "profile p: credential_process exited with status 1: boom: the token "
			 "expired");
	ck_assert(strstr(r.e.msg, "second line") == NULL);
	ck_assert(strstr(r.e.hint, "/t/config line 2") != NULL);
	run_done(&r);
	free(t);
	t = process_profile("badjson");
	run_chain(&r, cfg_text(t, NULL), "p", 1, NULL);
	ASSERT_FAILS(&r, "credential_process printed malformed JSON");
	run_done(&r);
	free(t);
	t = process_profile("v2");
	run_chain(&r, cfg_text(t, NULL), "p", 1, NULL);
	ASSERT_FAILS(&r, "\"Version\": 1");
	run_done(&r);
	free(t);
}
END_TEST

START_TEST(test_process_refresh)
{
	struct run r;
	char counter[] = "/tmp/ecsfix-cred-counter-XXXXXX";
	int fd = mkstemp(counter);
	char *mode, *t;
	const struct aws_credentials *c2;

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(counter);
	mode = xasprintf("soon '%s'", counter);
	t = process_profile(mode);
	clear_env();
	run_chain(&r, cfg_text(t, NULL), "p", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "AKIDSOON1");
	ck_assert(r.c->expiration > time(NULL) && r.c->expiration <= time(NULL) + 61);
	/* expiring within five minutes: the next get runs the process again */
	ck_assert_int_eq(aws_cred_chain_get(r.chain, &c2, &r.e), 0);
	ck_assert_str_eq(c2->access_key_id, "AKIDSOON2");
	run_done(&r);
	unlink(counter);
	free(mode);
	free(t);
}
END_TEST

START_TEST(test_static_no_refresh)
{
	struct run r;
	const struct aws_credentials *c2;

	clear_env();
	run_chain(&r,
		  cfg_text(NULL, "[default]\naws_access_key_id = A1\naws_secret_access_key = "
				 "S1\naws_session_token = T1\n"),
		  "default", 0, NULL);
	ASSERT_OK(&r);
	ck_assert_int_eq(aws_cred_chain_get(r.chain, &c2, &r.e), 0);
	ck_assert_ptr_eq(c2, r.c);
	ck_assert_str_eq(c2->session_token, "T1");
	run_done(&r);
}
END_TEST

START_TEST(test_parse_time)
{
	time_t t;

	ck_assert_int_eq(aws_cred_parse_time("2015-08-30T12:36:00Z", &t), 0);
	ck_assert_int_eq((long)t, 1440938160L);
	ck_assert_int_eq(aws_cred_parse_time("2015-08-30T12:36:00.123Z", &t), 0);
	ck_assert_int_eq((long)t, 1440938160L);
	ck_assert_int_eq(aws_cred_parse_time("2015-08-30T14:36:00+02:00", &t), 0);
	ck_assert_int_eq((long)t, 1440938160L);
	ck_assert_int_eq(aws_cred_parse_time("2015-08-30", &t), -1);
	ck_assert_int_eq(aws_cred_parse_time("2015-13-30T12:36:00Z", &t), -1);
	ck_assert_int_eq(aws_cred_parse_time("2015-08-30T12:36:00Zjunk", &t), -1);
}
END_TEST

/* ---- HTTP providers against the stub ---- */

START_TEST(test_container)
{
	struct run r;
	char *url, *tokfile;
	long off;
	char *log;

	NEED_STUB();
	clear_env();
	off = log_size();
	url = xasprintf("%s/container/creds", stub_url());
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token", 1);
	tokfile = xstrdup("/tmp/ecsfix-ctok-XXXXXX");
	{
		int fd = mkstemp(tokfile);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "ctok-abc\n", 9), 9);
		close(fd);
	}
	/* the token file wins over the token variable; its newline is trimmed */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_OK(&r);
	ck_assert(strncmp(r.c->access_key_id, "ASIACONTCREDS", 13) == 0);
	ck_assert(strncmp(r.c->session_token, "container-token-", 16) == 0);
	ck_assert(r.c->expiration > time(NULL) + 3000);
	ck_assert_str_eq(r.c->provider, "container credentials");
	log = log_since(&off);
	ck_assert(strstr(log, "\"authorization\": \"ctok-abc\"") != NULL);
	ck_assert(strstr(log, "\"accept\": \"application/json\"") != NULL);
	free(log);
	run_done(&r);

	/* a token variable alone; a wrong one is a clear HTTP error */
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "container credentials: ");
	ck_assert(strstr(r.e.msg, "HTTP 401") != NULL);
	run_done(&r);

	/* a body that is not JSON */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ctok-abc", 1);
	free(url);
	url = xasprintf("%s/container/bad", stub_url());
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "container credentials: ");
	run_done(&r);

	/* hosts outside the allow-list are refused before any request */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "is not allowed");
	run_done(&r);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.example.com/creds", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "is not allowed");
	run_done(&r);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1@example.com/creds", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "bad AWS_CONTAINER_CREDENTIALS_FULL_URI");
	run_done(&r);
	unlink(tokfile);
	free(tokfile);
	free(url);
}
END_TEST

START_TEST(test_container_refresh)
{
	struct run r;
	char *url;
	const struct aws_credentials *c2;
	char first[64];

	NEED_STUB();
	clear_env();
	url = xasprintf("%s/container/soon", stub_url());
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ctok-abc", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_OK(&r);
	snprintf(first, sizeof first, "%s", r.c->access_key_id);
	ck_assert_int_eq(aws_cred_chain_get(r.chain, &c2, &r.e), 0);
	ck_assert_str_ne(c2->access_key_id, first);
	ck_assert(strncmp(c2->access_key_id, "ASIACONTSOON", 12) == 0);
	run_done(&r);
	free(url);
}
END_TEST

START_TEST(test_imds)
{
	struct run r;
	long off;
	char *log;

	NEED_STUB();
	clear_env();
	off = log_size();
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub_url(), 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIAIMDS");
	ck_assert_str_eq(r.c->session_token, "imds-session");
	ck_assert_str_eq(r.c->provider, "instance metadata (role stub-role)");
	log = log_since(&off);
	/* token PUT first, then both GETs carry the token */
	ck_assert(strstr(log, "\"method\": \"PUT\"") < strstr(log, "\"method\": \"GET\""));
	ck_assert_int_eq(count_of(log, "\"x-aws-ec2-metadata-token-ttl-seconds\": \"21600\""), 1);
	ck_assert_int_eq(count_of(log, "\"x-aws-ec2-metadata-token\": \"imds-token-123\""), 2);
	free(log);
	run_done(&r);
	/* an IMDS without v2 tokens: IMDSv1 GETs, unless v1 is disabled */
	{
		char *v1 = xasprintf("%s/v1only", stub_url());

		setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", v1, 1);
		run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
		ASSERT_OK(&r);
		ck_assert_str_eq(r.c->access_key_id, "ASIAIMDSV1");
		run_done(&r);
		setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
		run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
		ASSERT_FAILS(&r, "no AWS credentials found");
		run_done(&r);
		/* credential_source = Ec2InstanceMetadata makes the failure the error */
		run_chain(&r,
			  cfg_text("[profile i]\nrole_arn = arn:aws:iam::1:role/x\n"
				   "credential_source = Ec2InstanceMetadata\n",
				   NULL),
			  "i", 1, stub_url());
		ASSERT_FAILS(&r, "IMDSv1 is disabled");
		run_done(&r);
		unsetenv("AWS_EC2_METADATA_V1_DISABLED");
		setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub_url(), 1);
		free(v1);
		free(log_since(&off));
	}
	/* disabled: no request at all */
	setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, NULL);
	ASSERT_FAILS(&r, "no AWS credentials found");
	log = log_since(&off);
	ck_assert_str_eq(log, "");
	free(log);
	run_done(&r);
}
END_TEST

START_TEST(test_assume_role_chain)
{
	struct run r;
	long off;
	char *log, *second;

	NEED_STUB();
	clear_env();
	off = log_size();
	run_chain(&r,
		  cfg_text("[profile base]\naws_access_key_id = AKIDSRC\n"
			   "aws_secret_access_key = srcsecret\n"
			   "[profile first]\nrole_arn = arn:aws:iam::123456789012:role/first\n"
			   "source_profile = base\nexternal_id = ext-42\nduration_seconds = 900\n"
			   "role_session_name = my-session\n"
			   "[profile second]\nrole_arn = arn:aws:iam::123456789012:role/second\n"
			   "source_profile = first\n",
			   NULL),
		  "second", 1, stub_url());
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIAROLESECOND");
	ck_assert_str_eq(r.c->session_token, "tok-ASIAROLESECOND");
	ck_assert(r.c->expiration > time(NULL) + 3000);
	ck_assert(strstr(r.c->provider, "assume role arn:aws:iam::123456789012:role/second"));
	log = log_since(&off);
	ck_assert_int_eq(count_of(log, "Action=AssumeRole&Version=2011-06-15"), 2);
	/* first hop: signed with the static keys, with the profile's parameters */
	ck_assert(strstr(log, "Credential=AKIDSRC/") != NULL);
	ck_assert(strstr(log, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ffirst") != NULL);
	ck_assert(strstr(log, "RoleSessionName=my-session") != NULL);
	ck_assert(strstr(log, "DurationSeconds=900") != NULL);
	ck_assert(strstr(log, "ExternalId=ext-42") != NULL);
	/* second hop: signed with the first role's temporary credentials and token */
	second = strstr(log, "role%2Fsecond");
	ck_assert_ptr_nonnull(second);
	ck_assert(strstr(log, "Credential=ASIAROLEFIRST/") != NULL);
	ck_assert(strstr(log, "\"x-amz-security-token\": \"tok-ASIAROLEFIRST\"") != NULL);
	ck_assert(strstr(log, "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"));
	/* the secrets of every hop are registered for redaction */
	{
		char *red = trace_redact(r.trace, "sec-ASIAROLEFIRST tok-ASIAROLESECOND srcsecret");

		ck_assert_str_eq(red, "**** **** ****");
		free(red);
	}
	free(log);
	run_done(&r);
}
END_TEST

START_TEST(test_assume_role_errors)
{
	struct run r;

	NEED_STUB();
	clear_env();
	run_chain(
	    &r,
	    cfg_text("[profile base]\naws_access_key_id = AKIDSRC\n"
		     "aws_secret_access_key = srcsecret\n"
		     "[profile d]\nrole_arn = arn:aws:iam::1:role/denied\nsource_profile = base\n",
		     NULL),
	    "d", 1, stub_url());
	ASSERT_FAILS(&r, "profile d: STS AssumeRole arn:aws:iam::1:role/denied: HTTP 403 "
			 "AccessDenied");
	ck_assert_str_eq(r.e.code, "AccessDenied");
	ck_assert(strstr(r.e.hint, "sts:AssumeRole") != NULL);
	run_done(&r);
	/* a wrong secret: the stub's own SigV4 check refuses it */
	run_chain(
	    &r,
	    cfg_text("[profile base]\naws_access_key_id = AKIDSRC\n"
		     "aws_secret_access_key = wrongsecret\n"
		     "[profile d]\nrole_arn = arn:aws:iam::1:role/ok\nsource_profile = base\n",
		     NULL),
	    "d", 1, stub_url());
	ASSERT_FAILS(&r, "SignatureDoesNotMatch");
	run_done(&r);
	/* credential_source = Environment uses the environment keys even with --profile */
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	run_chain(&r,
		  cfg_text("[profile e]\nrole_arn = arn:aws:iam::1:role/fromenv\n"
			   "credential_source = Environment\n",
			   NULL),
		  "e", 1, stub_url());
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIAROLEFROMENV");
	run_done(&r);
	run_chain(&r,
		  cfg_text("[profile e]\nrole_arn = arn:aws:iam::1:role/x\n"
			   "credential_source = environment\n",
			   NULL),
		  "e", 1, stub_url());
	ASSERT_FAILS(&r, "unknown credential_source");
	run_done(&r);
	run_chain(&r,
		  cfg_text("[profile e]\nrole_arn = arn:aws:iam::1:role/x\n"
			   "credential_source = Environment\nduration_seconds = 60\n",
			   NULL),
		  "e", 1, stub_url());
	ASSERT_FAILS(&r, "/t/config line 4: duration_seconds must be 900..43200");
	run_done(&r);
}
END_TEST

START_TEST(test_web_identity)
{
	struct run r;
	char tok[] = "/tmp/ecsfix-wit-XXXXXX";
	int fd = mkstemp(tok);
	char *conf;
	long off;
	char *log;

	NEED_STUB();
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "eyJ-web-identity-token\n", 23), 23);
	close(fd);
	clear_env();
	off = log_size();
	/* from the environment (after the profile, which has no credentials here) */
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/ci", 1);
	setenv("AWS_ROLE_SESSION_NAME", "gha", 1);
	run_chain(&r, cfg_text(NULL, NULL), "default", 0, stub_url());
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIAWEBCI");
	ck_assert(strstr(r.c->provider, "web identity arn:aws:iam::1:role/ci") != NULL);
	log = log_since(&off);
	ck_assert(strstr(log, "Action=AssumeRoleWithWebIdentity") != NULL);
	ck_assert(strstr(log, "RoleSessionName=gha") != NULL);
	ck_assert(strstr(log, "\"authorization\"") == NULL); /* unsigned */
	free(log);
	{
		char *red = trace_redact(r.trace, "eyJ-web-identity-token");

		ck_assert_str_eq(red, "****");
		free(red);
	}
	run_done(&r);
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_ROLE_ARN");
	/* from a profile */
	conf = xasprintf("[profile w]\nrole_arn = arn:aws:iam::1:role/prof\n"
			 "web_identity_token_file = %s\n",
			 tok);
	run_chain(&r, cfg_text(conf, NULL), "w", 1, stub_url());
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIAWEBPROF");
	run_done(&r);
	free(conf);
	/* a token STS rejects */
	fd = open(tok, O_WRONLY | O_TRUNC);
	ck_assert_int_eq(write(fd, "stale", 5), 5);
	close(fd);
	conf = xasprintf("[profile w]\nrole_arn = arn:aws:iam::1:role/prof\n"
			 "web_identity_token_file = %s\n",
			 tok);
	run_chain(&r, cfg_text(conf, NULL), "w", 1, stub_url());
	ASSERT_FAILS(&r, "profile w: STS AssumeRoleWithWebIdentity arn:aws:iam::1:role/prof: "
			 "HTTP 400 InvalidIdentityToken");
	run_done(&r);
	free(conf);
	unlink(tok);
}
END_TEST

static char *sso_home_extra(const char *cache_key, const char *token, long expires_in,
			    const char *extra, char **cache_file)
{
	char *home = xstrdup("/tmp/ecsfix-sso-XXXXXX"), *dir, *file, *json;
	char exp[32];
	time_t t = time(NULL) + expires_in;
	struct err e;
	/* sha1 of the key, computed by the shell's sha1sum to stay independent of our code */
	char *cmd;
	FILE *p;
	char hash[64] = "";

	ck_assert_ptr_nonnull(mkdtemp(home));
	dir = xasprintf("%s/.aws/sso/cache", home);
	err_clear(&e);
	ck_assert_int_eq(file_mkdirs(dir, 0700, &e), 0);
	cmd = xasprintf("printf '%%s' '%s' | sha1sum", cache_key);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert(fscanf(p, "%40s", hash) == 1);
	pclose(p);
	strftime(exp, sizeof exp, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	file = xasprintf("%s/%s.json", dir, hash);
	json = xasprintf("{\"startUrl\": \"https://x.awsapps.com/start\", \"region\": "
			 "\"us-east-1\", \"accessToken\": \"%s\", \"expiresAt\": \"%s\"%s}",
			 token, exp, extra);
	ck_assert_int_eq(file_write_atomic(file, json, strlen(json), 0600, 0, &e), 0);
	setenv("HOME", home, 1);
	free(cmd);
	free(dir);
	if (cache_file)
		*cache_file = file;
	else
		free(file);
	free(json);
	return home;
}

static char *sso_home(const char *cache_key, const char *token, long expires_in)
{
	return sso_home_extra(cache_key, token, expires_in, "", NULL);
}

START_TEST(test_sso_refresh)
{
	static const char conf[] = "[profile dev]\nsso_session = my-sso\nsso_account_id = 1\n"
				   "sso_role_name = R\n[sso-session my-sso]\n"
				   "sso_start_url = https://x\nsso_region = us-east-1\n";
	struct run r;
	char *home, *cache = NULL, *text = NULL, *extra;
	size_t len;
	struct stat st;
	struct err e;
	time_t later = time(NULL) + 86400;
	char reg[32];

	NEED_STUB();
	clear_env();
	setenv("AWS_ENDPOINT_URL_SSO", stub_url(), 1);
	setenv("AWS_ENDPOINT_URL_SSO_OIDC", stub_url(), 1);
	strftime(reg, sizeof reg, "%Y-%m-%dT%H:%M:%SZ", gmtime(&later));
	extra = xasprintf(", \"clientId\": \"cid\", \"clientSecret\": \"csecret\", "
			  "\"refreshToken\": \"refresh-good\", \"registrationExpiresAt\": \"%s\"",
			  reg);
	/* expired, but refreshable: CreateToken, then the cache is rewritten (0600) */
	home = sso_home_extra("my-sso", "old-token", -60, extra, &cache);
	run_chain(&r, cfg_text(conf, NULL), "dev", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIASSO1R");
	err_clear(&e);
	ck_assert_int_eq(file_read_all(cache, 1 << 20, &text, &len, &e), 0);
	ck_assert(strstr(text, "\"sso-token-xyz\"") != NULL);
	ck_assert(strstr(text, "\"refresh-good-2\"") != NULL);
	ck_assert(strstr(text, "\"clientId\": \"cid\"") != NULL);
	ck_assert_int_eq(stat(cache, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	{
		char *red = trace_redact(r.trace, "csecret refresh-good-2");

		ck_assert_str_eq(red, "**** ****");
		free(red);
	}
	run_done(&r);
	free(text);
	free(cache);
	free(home);
	free(extra);
	/* a refresh token the service rejects: the expired token is an error */
	extra = xasprintf(", \"clientId\": \"cid\", \"clientSecret\": \"csecret\", "
			  "\"refreshToken\": \"revoked\", \"registrationExpiresAt\": \"%s\"",
			  reg);
	home = sso_home_extra("my-sso", "old-token", -60, extra, NULL);
	run_chain(&r, cfg_text(conf, NULL), "dev", 1, NULL);
	ASSERT_FAILS(&r, "the SSO token expired");
	ck_assert(strstr(r.e.msg, "CreateToken: HTTP 400") != NULL);
	run_done(&r);
	free(home);
	free(extra);
}
END_TEST

START_TEST(test_sso)
{
	struct run r;
	char *home;
	long off;
	char *log;

	NEED_STUB();
	clear_env();
	setenv("AWS_ENDPOINT_URL_SSO", stub_url(), 1);
	off = log_size();
	home = sso_home("my-sso", "sso-token-xyz", 3600);
	run_chain(&r,
		  cfg_text("[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\n"
			   "sso_role_name = ReadOnly\n[sso-session my-sso]\n"
			   "sso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n",
			   NULL),
		  "dev", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIASSO111122223333ReadOnly");
	ck_assert_str_eq(r.c->session_token, "sso-session");
	ck_assert(r.c->expiration > time(NULL) + 3000);
	log = log_since(&off);
	ck_assert(
	    strstr(log, "/federation/credentials?role_name=ReadOnly&account_id=111122223333"));
	ck_assert(strstr(log, "\"x-amz-sso_bearer_token\": \"sso-token-xyz\""));
	free(log);
	/* the bearer token is a secret too */
	{
		char *red = trace_redact(r.trace, "sso-token-xyz");

		ck_assert_str_eq(red, "****");
		free(red);
	}
	run_done(&r);

	/* legacy keys: the cache is named by the start URL */
	free(home);
	home = sso_home("https://legacy.awsapps.com/start", "sso-token-xyz", 3600);
	run_chain(&r,
		  cfg_text("[profile old]\nsso_start_url = https://legacy.awsapps.com/start\n"
			   "sso_region = us-east-1\nsso_account_id = 222\nsso_role_name = Admin\n",
			   NULL),
		  "old", 1, NULL);
	ASSERT_OK(&r);
	ck_assert_str_eq(r.c->access_key_id, "ASIASSO222Admin");
	run_done(&r);

	/* an expired token, a rejected token, a missing setting */
	free(home);
	home = sso_home("my-sso", "sso-token-xyz", -60);
	run_chain(&r,
		  cfg_text("[profile dev]\nsso_session = my-sso\nsso_account_id = 1\n"
			   "sso_role_name = R\n[sso-session my-sso]\n"
			   "sso_start_url = https://x\nsso_region = us-east-1\n",
			   NULL),
		  "dev", 1, NULL);
	ASSERT_FAILS(&r, "the SSO token expired");
	ck_assert(strstr(r.e.hint, "aws sso login --profile dev") != NULL);
	run_done(&r);
	free(home);
	home = sso_home("my-sso", "revoked-token", 3600);
	run_chain(&r,
		  cfg_text("[profile dev]\nsso_session = my-sso\nsso_account_id = 1\n"
			   "sso_role_name = R\n[sso-session my-sso]\n"
			   "sso_start_url = https://x\nsso_region = us-east-1\n",
			   NULL),
		  "dev", 1, NULL);
	ASSERT_FAILS(&r, "HTTP 401 UnauthorizedException");
	run_done(&r);
	run_chain(&r, cfg_text("[profile dev]\nsso_session = nope\nsso_account_id = 1\n", NULL),
		  "dev", 1, NULL);
	ASSERT_FAILS(&r, "has no [sso-session nope] section");
	run_done(&r);
	run_chain(&r,
		  cfg_text("[profile dev]\nsso_start_url = https://x\nsso_region = us-east-1\n"
			   "sso_account_id = 1\n",
			   NULL),
		  "dev", 1, NULL);
	ASSERT_FAILS(&r, "sso_role_name is missing");
	run_done(&r);
	free(home);
}
END_TEST

/* ---- against moto_server with IAM authentication on ---- */

/* GetCallerIdentity signed with c; returns the HTTP status, *body the response. */
static long moto_caller_identity(const char *url, const struct aws_credentials *c, char **body)
{
	static const char form[] = "Action=GetCallerIdentity&Version=2011-06-15";
	struct http_pool *pool = NULL;
	struct http_request req;
	struct sigv4_header sh[4];
	struct sigv4_input in;
	struct sigv4_output so;
	struct err e;
	char date[17], *host = xstrdup(url + strlen("http://"));
	char *hh, *hd, *ht, *ha;
	const char *hdrs[5];
	long status;

	err_clear(&e);
	ck_assert_int_eq(http_pool_new(&(struct http_options){0}, &pool, &e), 0);
	sigv4_amz_date(time(NULL), date);
	sh[0] = (struct sigv4_header){"Content-Type", "application/x-www-form-urlencoded"};
	sh[1] = (struct sigv4_header){"Host", host};
	sh[2] = (struct sigv4_header){"X-Amz-Date", date};
	sh[3] = (struct sigv4_header){"X-Amz-Security-Token", c->session_token};
	memset(&in, 0, sizeof in);
	in.method = "POST";
	in.path = "/";
	in.headers = sh;
	in.nheaders = 4;
	in.payload = form;
	in.payload_len = strlen(form);
	in.region = "us-east-1";
	in.service = "sts";
	in.amz_date = date;
	in.normalize_path = 1;
	ck_assert_int_eq(sigv4_sign(&in, c->access_key_id, c->secret_access_key, &so, &e), 0);
	hh = xasprintf("Host: %s", host);
	hd = xasprintf("X-Amz-Date: %s", date);
	ht = xasprintf("X-Amz-Security-Token: %s", c->session_token);
	ha = xasprintf("Authorization: %s", so.authorization);
	hdrs[0] = "Content-Type: application/x-www-form-urlencoded";
	hdrs[1] = hh;
	hdrs[2] = hd;
	hdrs[3] = ht;
	hdrs[4] = ha;
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.headers = hdrs;
	req.nheaders = 5;
	req.body = form;
	req.body_len = strlen(form);
	http_perform(pool, &req, 1);
	status = req.status;
	*body = xstrdup(req.resp ? req.resp : "");
	http_request_done(&req);
	http_pool_free(pool);
	sigv4_output_done(&so);
	free(host);
	free(hh);
	free(hd);
	free(ht);
	free(ha);
	return status;
}

START_TEST(test_moto_assume_role)
{
	const char *url = getenv("MOTO_URL");
	struct run r;
	char *conf, *body = NULL;

	if (!url || !*url) {
		printf("credentials: moto_server unavailable, %s skipped\n", __func__);
		return;
	}
	clear_env();
	/* the STS endpoint comes from the environment, as a user would set it */
	setenv("AWS_ENDPOINT_URL_STS", url, 1);
	conf = xasprintf("[profile base]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
			 "[profile r]\nrole_arn = %s\nsource_profile = base\n"
			 "role_session_name = ecsfix-moto\n",
			 getenv("MOTO_AKID"), getenv("MOTO_SECRET"), getenv("MOTO_ROLE"));
	run_chain(&r, cfg_text(conf, NULL), "r", 1, NULL);
	ASSERT_OK(&r);
	ck_assert(strncmp(r.c->access_key_id, "ASIA", 4) == 0);
	ck_assert_ptr_nonnull(r.c->session_token);
	ck_assert(r.c->expiration > time(NULL) + 600);
	/* the temporary credentials and their token sign a call moto accepts */
	ck_assert_int_eq(moto_caller_identity(url, r.c, &body), 200);
	ck_assert_msg(strstr(body, "assumed-role/ecsfix-role/ecsfix-moto") != NULL, "%s", body);
	free(body);
	run_done(&r);
	free(conf);
	/* a wrong secret key: moto refuses the signature, and we say so in one line */
	conf = xasprintf("[profile base]\naws_access_key_id = %s\naws_secret_access_key = wrong\n"
			 "[profile r]\nrole_arn = %s\nsource_profile = base\n",
			 getenv("MOTO_AKID"), getenv("MOTO_ROLE"));
	run_chain(&r, cfg_text(conf, NULL), "r", 1, NULL);
	ASSERT_FAILS(&r, "SignatureDoesNotMatch");
	ck_assert_int_eq(r.e.http_status, 403);
	run_done(&r);
	free(conf);
}
END_TEST

static Suite *credentials_suite(void)
{
	Suite *s = suite_create("credentials");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_env_beats_profile);
	tcase_add_test(tc, test_explicit_profile_skips_env);
	tcase_add_test(tc, test_env_partial_keys);
	tcase_add_test(tc, test_missing_profile);
	tcase_add_test(tc, test_partial_profile_keys);
	tcase_add_test(tc, test_source_profile_loop);
	tcase_add_test(tc, test_process_ok);
	tcase_add_test(tc, test_process_errors);
	tcase_add_test(tc, test_process_refresh);
	tcase_add_test(tc, test_static_no_refresh);
	tcase_add_test(tc, test_parse_time);
	tcase_add_test(tc, test_container);
	tcase_add_test(tc, test_container_refresh);
	tcase_add_test(tc, test_imds);
	tcase_add_test(tc, test_assume_role_chain);
	tcase_add_test(tc, test_assume_role_errors);
	tcase_add_test(tc, test_sso);
	tcase_add_test(tc, test_sso_refresh);
	tcase_add_test(tc, test_web_identity);
	tcase_add_test(tc, test_moto_assume_role);
	suite_add_tcase(s, tc);
	return s;
}

/* Starts the python3 stub; returns its pid (0 when python3 is missing). */
static pid_t stub_start(FILE **pipe_out, char **log_path)
{
	char *script = top_path("tests/lib/cred_stub.py"), *cmd,
	     logtmp[] = "/tmp/ecsfix-stub-log-XXXXXX";
	int fd = mkstemp(logtmp), port = 0, pid = 0;
	FILE *p;

	if (fd < 0)
		return 0;
	close(fd);
	if (system("python3 -c 'import http.server' >/dev/null 2>&1") != 0) {
		unlink(logtmp);
		free(script);
		return 0;
	}
	cmd = xasprintf("exec python3 '%s' '%s'", script, logtmp);
	p = popen(cmd, "r");
	free(cmd);
	free(script);
	if (!p || fscanf(p, "%d %d", &port, &pid) != 2) {
		if (p)
			pclose(p);
		unlink(logtmp);
		return 0;
	}
	*pipe_out = p;
	*log_path = xstrdup(logtmp);
	cmd = xasprintf("http://127.0.0.1:%d", port);
	setenv("CRED_STUB_URL", cmd, 1);
	setenv("CRED_STUB_LOG", logtmp, 1);
	free(cmd);
	return (pid_t)pid;
}

/* Starts moto_server with IAM auth through tests/lib/moto_sts.py; returns its pid or 0. */
static pid_t moto_start(void)
{
	char *script = top_path("tests/lib/moto_sts.py"), *cmd;
	char url[128], akid[128], secret[128], role[256];
	int pid = 0;
	FILE *p;

	cmd = xasprintf("python3 '%s' 2>/dev/null", script);
	p = popen(cmd, "r");
	free(cmd);
	free(script);
	if (!p)
		return 0;
	if (fscanf(p, "%127s %127s %127s %255s %d", url, akid, secret, role, &pid) != 5)
		pid = 0;
	pclose(p);
	if (!pid)
		return 0;
	setenv("MOTO_URL", url, 1);
	setenv("MOTO_AKID", akid, 1);
	setenv("MOTO_SECRET", secret, 1);
	setenv("MOTO_ROLE", role, 1);
	return (pid_t)pid;
}

int main(void)
{
	SRunner *sr = srunner_create(credentials_suite());
	FILE *stub = NULL;
	char *log = NULL;
	pid_t pid = stub_start(&stub, &log);
	pid_t moto = moto_start();
	int failed;

	if (!pid)
		printf("credentials: python3 not usable: HTTP provider tests will be skipped\n");
	if (!moto)
		printf("credentials: moto_server not usable: the moto test will be skipped\n");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (pid) {
		kill(pid, SIGTERM);
		pclose(stub);
		unlink(log);
		free(log);
	}
	if (moto)
		kill(moto, SIGTERM);
	if (failed)
		return EXIT_FAILURE;
	return pid && moto ? EXIT_SUCCESS : 77; /* some providers were not tested */
}
