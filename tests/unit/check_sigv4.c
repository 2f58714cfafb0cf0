/* check_sigv4.c: SigV4 against every case of both copies of the official AWS test suite. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/sigv4.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define AKID          "AKIDEXAMPLE"
#define SECRET        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN_VANILLA "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

/* Expected case counts: a smaller number means data went missing. */
#define CRT_CASES  38
#define BOTO_CASES 34

#define MAX_HEADERS 32

struct req {
	char *method;
	char *path;
	char *query; /* NULL when none */
	struct sigv4_header h[MAX_HEADERS];
	char *names[MAX_HEADERS];
	char *values[MAX_HEADERS];
	size_t nh;
	char *body;
	size_t body_len;
};

static char *data_dir(void)
{
	const char *d = getenv("ECSFIX_SIGV4_DATA");
	const char *top = getenv("TOP_SRCDIR");

	if (d && *d)
		return xstrdup(d);
	return xasprintf("%s/tests/data/sigv4", top && *top ? top : ".");
}

static char *slurp(const char *path)
{
	struct err e;
	char *buf = NULL;
	size_t len;

	err_clear(&e);
	if (file_read_all(path, 1 << 20, &buf, &len, &e) != 0) {
		ck_abort_msg("%s", e.msg);
		return xstrdup("");
	}
	return buf;
}

static void rstrip(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void req_add(struct req *r, const char *name, const char *value)
{
	ck_assert_uint_lt(r->nh, MAX_HEADERS);
	r->names[r->nh] = xstrdup(name);
	r->values[r->nh] = xstrdup(value);
	r->nh++;
}

static const char *req_get(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nh; i++)
		if (strcasecmp(r->names[i], name) == 0)
			return r->values[i];
	return NULL;
}

/* Parses a raw request file: request line, "Name:value" headers with folded continuation
 * lines, then an optional blank line and body. */
static void req_parse(const char *text, struct req *r)
{
	const char *p = text, *eol, *sp1, *sp2;
	char *target, *q;

	memset(r, 0, sizeof *r);
	eol = strchr(p, '\n');
	if (!eol)
		eol = p + strlen(p);
	sp1 = memchr(p, ' ', (size_t)(eol - p));
	ck_assert_ptr_nonnull(sp1);
	for (sp2 = eol; sp2 > sp1 && *sp2 != ' '; sp2--)
		;
	ck_assert(sp2 > sp1);
	r->method = xstrndup(p, (size_t)(sp1 - p));
	target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	q = strchr(target, '?');
	if (q) {
		*q = '\0';
		r->query = xstrdup(q + 1);
	}
	r->path = target;
	p = *eol ? eol + 1 : eol;
	while (*p) {
		const char *colon;
		size_t len;

		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		len = (size_t)(eol - p);
		if (len == 0) { /* blank line: the body follows */
			p = *eol ? eol + 1 : eol;
			r->body_len = strlen(p);
			r->body = xstrdup(p);
			break;
		}
		if (*p == ' ' || *p == '\t') { /* folded continuation of the previous header */
			char *v;

			ck_assert_uint_gt(r->nh, 0);
			v = xasprintf("%s\n%.*s", r->values[r->nh - 1], (int)len, p);
			free(r->values[r->nh - 1]);
			r->values[r->nh - 1] = v;
		} else {
			char *name, *value;

			colon = memchr(p, ':', len);
			ck_assert_ptr_nonnull(colon);
			name = xstrndup(p, (size_t)(colon - p));
			value = xstrndup(colon + 1, (size_t)(eol - colon - 1));
			req_add(r, name, value);
			free(name);
			free(value);
		}
		p = *eol ? eol + 1 : eol;
	}
}

static void req_done(struct req *r)
{
	size_t i;

	for (i = 0; i < r->nh; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->method);
	free(r->path);
	free(r->query);
	free(r->body);
}

static void req_sign(struct req *r, int normalize, const char *amz_date, struct sigv4_output *out)
{
	struct sigv4_input in;
	struct err e;
	size_t i;

	for (i = 0; i < r->nh; i++) {
		r->h[i].name = r->names[i];
		r->h[i].value = r->values[i];
	}
	memset(&in, 0, sizeof in);
	in.method = r->method;
	in.path = r->path;
	in.query = r->query;
	in.headers = r->h;
	in.nheaders = r->nh;
	in.payload = r->body;
	in.payload_len = r->body_len;
	in.region = "us-east-1";
	in.service = "service";
	in.amz_date = amz_date;
	in.normalize_path = normalize;
	err_clear(&e);
	ck_assert_msg(sigv4_sign(&in, AKID, SECRET, out, &e) == 0, "%s", e.msg);
}

static int check_file_eq(const char *casename, const char *what, const char *got, const char *path,
			 int strip)
{
	char *want = slurp(path);
	int ok;

	if (strip)
		rstrip(want);
	ok = strcmp(got, want) == 0;
	if (!ok)
		fprintf(stderr, "%s: %s differs\n--- want\n%s\n--- got\n%s\n", casename, what, want,
			got);
	free(want);
	return ok;
}

/* Runs one aws-c-auth case (context.json + request.txt + header-*.txt); 1 if it passes. */
static int run_crt_case(const char *dir, const char *name)
{
	char *path = xasprintf("%s/context.json", dir);
	char *ctx_text = slurp(path), *text, *sha = NULL;
	json_object *ctx = NULL, *cred;
	struct err e;
	struct req r;
	struct sigv4_output out;
	const char *token, *ts;
	char amz_date[17], hash[65];
	size_t i, j;
	int ok = 1;

	free(path);
	ck_assert_msg(jsonx_parse(ctx_text, strlen(ctx_text), &ctx, &e) == 0, "%s: %s", name,
		      e.msg);
	free(ctx_text);
	cred = jsonx_obj(ctx, "credentials");
	ck_assert_str_eq(jsonx_str(cred, "access_key_id"), AKID);
	ck_assert_str_eq(jsonx_str(cred, "secret_access_key"), SECRET);
	ck_assert_str_eq(jsonx_str(ctx, "region"), "us-east-1");
	ck_assert_str_eq(jsonx_str(ctx, "service"), "service");
	ts = jsonx_str(ctx, "timestamp");
	ck_assert_ptr_nonnull(ts);
	/* "2015-08-30T12:36:00Z" -> "20150830T123600Z" */
	for (i = 0, j = 0; ts[i] && j < 16; i++)
		if (ts[i] != '-' && ts[i] != ':')
			amz_date[j++] = ts[i];
	amz_date[j] = '\0';
	ck_assert_str_eq(amz_date, "20150830T123600Z");

	path = xasprintf("%s/request.txt", dir);
	text = slurp(path);
	free(path);
	req_parse(text, &r);
	free(text);
	/* what the signer's caller adds (the aws-c-auth harness does the same) */
	req_add(&r, "X-Amz-Date", amz_date);
	token = jsonx_str(cred, "token");
	if (token && jsonx_bool(ctx, "omit_session_token") != 1)
		req_add(&r, "X-Amz-Security-Token", token);
	if (jsonx_bool(ctx, "sign_body") == 1) {
		sigv4_sha256_hex(r.body ? r.body : "", r.body_len, hash);
		sha = hash;
		req_add(&r, "x-amz-content-sha256", sha);
	}
	req_sign(&r, jsonx_bool(ctx, "normalize") != 0, amz_date, &out);

	path = xasprintf("%s/header-canonical-request.txt", dir);
	ok &= check_file_eq(name, "canonical request", out.canonical_request, path, 0);
	free(path);
	path = xasprintf("%s/header-string-to-sign.txt", dir);
	ok &= check_file_eq(name, "string to sign", out.string_to_sign, path, 0);
	free(path);
	path = xasprintf("%s/header-signature.txt", dir);
	ok &= check_file_eq(name, "signature", out.signature, path, 1);
	free(path);
	/* the signed request carries the Authorization header we produced */
	path = xasprintf("%s/header-signed-request.txt", dir);
	text = slurp(path);
	free(path);
	if (!strstr(text, out.authorization)) {
		fprintf(stderr, "%s: Authorization %s not in the signed request\n", name,
			out.authorization);
		ok = 0;
	}
	free(text);
	sigv4_output_done(&out);
	req_done(&r);
	json_object_put(ctx);
	return ok;
}

/* Runs one classic case dir/<name>.{req,creq,sts,authz}; 1 if it passes. */
static int run_boto_case(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s.req", dir, name);
	char *text = slurp(path), *want;
	struct req r;
	struct sigv4_output out;
	const char *date;
	const char *sig;
	int ok = 1;

	free(path);
	req_parse(text, &r);
	free(text);
	/* botocore's harness adds the token for this case only (post-sts-header-before has it
	 * already in the .req; post-sts-header-after is signed without it) */
	if (strcmp(name, "get-vanilla-with-session-token") == 0)
		req_add(&r, "X-Amz-Security-Token", TOKEN_VANILLA);
	date = req_get(&r, "X-Amz-Date");
	ck_assert_ptr_nonnull(date);
	req_sign(&r, 1, date, &out);

	path = xasprintf("%s/%s.creq", dir, name);
	ok &= check_file_eq(name, "canonical request", out.canonical_request, path, 0);
	free(path);
	path = xasprintf("%s/%s.sts", dir, name);
	ok &= check_file_eq(name, "string to sign", out.string_to_sign, path, 0);
	free(path);
	path = xasprintf("%s/%s.authz", dir, name);
	ok &= check_file_eq(name, "authorization", out.authorization, path, 1);
	want = slurp(path);
	free(path);
	sig = strstr(want, "Signature=");
	ck_assert_ptr_nonnull(sig);
	if (strncmp(sig + 10, out.signature, 64) != 0) {
		fprintf(stderr, "%s: signature differs\n", name);
		ok = 0;
	}
	free(want);
	sigv4_output_done(&out);
	req_done(&r);
	return ok;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Walks dir for classic cases (a folder X holding X.req), recursing into group folders. */
static void walk_boto(const char *dir, int *ran, int *passed)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		char *sub, *req;

		if (de->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", dir, de->d_name);
		if (!is_dir(sub)) {
			free(sub);
			continue;
		}
		req = xasprintf("%s/%s.req", sub, de->d_name);
		if (access(req, R_OK) == 0) {
			(*ran)++;
			*passed += run_boto_case(sub, de->d_name);
		} else {
			walk_boto(sub, ran, passed);
		}
		free(req);
		free(sub);
	}
	closedir(d);
}

START_TEST(test_sigv4_suite_aws_c_auth)
{
	char *base = data_dir(), *dir = xasprintf("%s/aws-c-auth-v4", base);
	DIR *d = opendir(dir);
	struct dirent *de;
	int ran = 0, passed = 0;

	ck_assert_msg(d != NULL, "cannot open %s (set TOP_SRCDIR or ECSFIX_SIGV4_DATA)", dir);
	while ((de = readdir(d)) != NULL) {
		char *sub = xasprintf("%s/%s", dir, de->d_name);
		char *ctx = xasprintf("%s/context.json", sub);

		if (de->d_name[0] != '.' && access(ctx, R_OK) == 0) {
			ran++;
			passed += run_crt_case(sub, de->d_name);
		}
		free(ctx);
		free(sub);
	}
	closedir(d);
	printf("sigv4: aws-c-auth-v4: %d cases ran, %d passed\n", ran, passed);
	ck_assert_int_ge(ran, CRT_CASES);
	ck_assert_int_eq(passed, ran);
	free(dir);
	free(base);
}
END_TEST

START_TEST(test_sigv4_suite_botocore)
{
	char *base = data_dir(), *dir = xasprintf("%s/botocore-aws4_testsuite", base);
	int ran = 0, passed = 0;

	walk_boto(dir, &ran, &passed);
	printf("sigv4: botocore-aws4_testsuite: %d cases ran, %d passed\n", ran, passed);
	ck_assert_int_ge(ran, BOTO_CASES);
	ck_assert_int_eq(passed, ran);
	free(dir);
	free(base);
}
END_TEST

START_TEST(test_sigv4_uri_encode)
{
	char *s = sigv4_uri_encode("arn:aws:iam::1:role/a b+c~", 0);

	ck_assert_str_eq(s, "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc~");
	free(s);
	s = sigv4_uri_encode("/a b/c", 1);
	ck_assert_str_eq(s, "/a%20b/c");
	free(s);
}
END_TEST

START_TEST(test_sigv4_bad_input)
{
	struct sigv4_header h[] = {{"Host", "example.amazonaws.com"}};
	struct sigv4_input in = {.method = "GET",
				 .path = "/",
				 .headers = h,
				 .nheaders = 1,
				 .region = "us-east-1",
				 .service = "sts",
				 .amz_date = "2015-08-30",
				 .normalize_path = 1};
	struct sigv4_output out;
	struct err e;
	char d[17];

	err_clear(&e);
	ck_assert_int_eq(sigv4_sign(&in, AKID, SECRET, &out, &e), -1);
	ck_assert(strstr(e.msg, "x-amz-date") != NULL);
	in.amz_date = "20150830T123600Z";
	ck_assert_int_eq(sigv4_sign(&in, "", SECRET, &out, &e), -1);
	ck_assert_int_eq(sigv4_sign(&in, AKID, SECRET, &out, &e), 0);
	ck_assert_str_eq(out.signed_headers, "host");
	sigv4_output_done(&out);
	sigv4_amz_date(1440938160, d);
	ck_assert_str_eq(d, "20150830T123600Z");
}
END_TEST

static Suite *sigv4_suite(void)
{
	Suite *s = suite_create("sigv4");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sigv4_suite_aws_c_auth);
	tcase_add_test(tc, test_sigv4_suite_botocore);
	tcase_add_test(tc, test_sigv4_uri_encode);
	tcase_add_test(tc, test_sigv4_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sigv4_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
