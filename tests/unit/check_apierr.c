/* check_apierr.c: unit tests of AWS error parsing (aws/apierr) and the XML reader (aws/xml). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "aws/apierr.h"
#include "aws/xml.h"
#include "util/err.h"
#include "util/jsonx.h"

struct apierr_case {
	long status;
	const char *error_type; /* header */
	const char *request_id; /* header */
	const char *body;
	const char *msg;  /* expected err.msg */
	const char *code; /* expected err.code */
};

static const struct apierr_case apierr_cases[] = {
    /* JSON 1.1: __type with a namespace and a ':' suffix, message / Message */
    {400, "", "r1", "{\"__type\":\"com.amazonaws.ecs#ClientException\",\"message\":\"bad\"}",
     "Op: bad (HTTP 400, ClientException, request id r1)", "ClientException"},
    {400, "", "r1", "{\"__type\":\"ThrottlingException:http://x/y\",\"Message\":\"Rate exceeded\"}",
     "Op: Rate exceeded (HTTP 400, ThrottlingException, request id r1)", "ThrottlingException"},
    {400, "", "", "{\"__type\":\"a#b#ServerException\"}",
     "Op: ServerException (HTTP 400, ServerException)", "ServerException"},
    /* rest-json: the header wins over the body's Code */
    {429, "LimitExceededException:http://internal/", "r2",
     "{\"Code\":\"Other\",\"Message\":\"slow down\"}",
     "Op: slow down (HTTP 429, LimitExceededException, request id r2)", "LimitExceededException"},
    /* XML from moto / STS / proxies, request id from the body */
    {403, "", "",
     "<?xml version=\"1.0\"?><ErrorResponse><Error><Code>AccessDenied</Code><Message>no &amp; "
     "never</Message></Error><RequestId>x-9</RequestId></ErrorResponse>",
     "Op: no & never (HTTP 403, AccessDenied, request id x-9)", "AccessDenied"},
    /* HTML, empty, truncated, plain text */
    {502, "", "", "<!DOCTYPE html><html><head><title>Bad\n Gateway</title></head></html>",
     "Op: unexpected HTML page \"Bad Gateway\" instead of an AWS answer (HTTP 502)", "502"},
    {503, "", "r3", "", "Op: empty error response (HTTP 503, request id r3)", "503"},
    {500, "", "", "  \n ", "Op: empty error response (HTTP 500)", "500"},
    {400, "", "", "{\"__type\":\"InvalidParameterException\",\"message\":\"cut",
     NULL /* prefix checked below */, "InvalidParameterException"},
    {500, "", "", "Internal error\nmore", "Op: unexpected response: Internal error more (HTTP 500)",
     "500"},
    {403, "", "", "<Error><Code>SignatureDoesNotMatch</Code></Error>",
     "Op: SignatureDoesNotMatch (HTTP 403, SignatureDoesNotMatch)", "SignatureDoesNotMatch"},
};

START_TEST(test_apierr_cases)
{
	const struct apierr_case *c = &apierr_cases[_i];
	struct apierr_response r;
	struct err e;
	char rid[128] = "";

	r.op = "Op";
	r.http_status = c->status;
	r.error_type = c->error_type;
	r.request_id = c->request_id;
	r.body = c->body;
	r.body_len = strlen(c->body);
	err_clear(&e);
	ck_assert_int_eq(apierr_from_response(&r, rid, sizeof rid, &e), -1);
	if (c->msg != NULL)
		ck_assert_str_eq(e.msg, c->msg);
	else
		ck_assert_msg(strncmp(e.msg, "Op: malformed error response (", 30) == 0 &&
				  strstr(e.msg, "(HTTP 400, InvalidParameterException)") != NULL,
			      "got %s", e.msg);
	ck_assert_str_eq(e.code, c->code);
	ck_assert_int_eq(e.http_status, (int)c->status);
	ck_assert_ptr_null(strchr(e.msg, '\n'));
}
END_TEST

START_TEST(test_apierr_request_id_from_body)
{
	struct apierr_response r = {
	    "Op", 403, "", "", "<E><Code>X</Code><RequestId>b-1</RequestId></E>", 0};
	struct err e;
	char rid[128] = "";

	r.body_len = strlen(r.body);
	apierr_from_response(&r, rid, sizeof rid, &e);
	ck_assert_str_eq(rid, "b-1");
}
END_TEST

START_TEST(test_apierr_classes)
{
	ck_assert(apierr_is_throttling("ThrottlingException", 400));
	ck_assert(apierr_is_throttling("", 429));
	ck_assert(!apierr_is_throttling("ClientException", 400));
	ck_assert(apierr_is_transient("ServerException", 500));
	ck_assert(apierr_is_transient("", 503));
	ck_assert(apierr_is_transient("RequestTimeout", 400));
	ck_assert(!apierr_is_transient("ClientException", 400));
	ck_assert(apierr_is_access_denied("AccessDeniedException", 400));
	ck_assert(apierr_is_access_denied("UnauthorizedOperation", 403));
	ck_assert(apierr_is_access_denied("403", 403));
	ck_assert(!apierr_is_access_denied("SignatureDoesNotMatch", 403));
	ck_assert(!apierr_is_access_denied("InvalidClientTokenId", 403));
	ck_assert(apierr_is_credentials("ExpiredTokenException"));
	ck_assert(apierr_is_clock_skew("RequestExpired"));
	ck_assert(!apierr_is_clock_skew("ClientException"));
}
END_TEST

START_TEST(test_apierr_clean_code)
{
	char a[] = "aws.protocoltests#FooError:http://internal.amazon.com/";
	char b[] = " Plain ";

	apierr_clean_code(a);
	apierr_clean_code(b);
	ck_assert_str_eq(a, "FooError");
	ck_assert_str_eq(b, "Plain");
}
END_TEST

START_TEST(test_xml_to_json)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n<!-- c -->\n<AssumeRoleResponse xmlns=\"https://sts\">"
	    "<AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId>"
	    "<SessionToken><![CDATA[a<b]]></SessionToken></Credentials>"
	    "<Empty/><List><member>1</member><member>2</member></List>"
	    "<One><member>x</member></One><Rep>a</Rep><Rep>b</Rep>"
	    "<Ent>&lt;&#65;&#x42;&gt;&quot;</Ent></AssumeRoleResult></AssumeRoleResponse>\n";
	json_object *out = NULL, *want = NULL;
	struct err e;
	static const char expect[] =
	    "{\"AssumeRoleResponse\":{\"AssumeRoleResult\":{\"Credentials\":{\"AccessKeyId\":"
	    "\"ASIA\",\"SessionToken\":\"a<b\"},\"Empty\":\"\",\"List\":[\"1\",\"2\"],"
	    "\"One\":[\"x\"],\"Rep\":[\"a\",\"b\"],\"Ent\":\"<AB>\\\"\"}}}";

	ck_assert_int_eq(xml_to_json(doc, strlen(doc), &out, &e), 0);
	ck_assert_int_eq(jsonx_parse(expect, strlen(expect), &want, &e), 0);
	ck_assert_msg(jsonx_equal(out, want), "got %s", json_object_to_json_string(out));
	json_object_put(out);
	json_object_put(want);
}
END_TEST

START_TEST(test_xml_malformed)
{
	static const char *const bad[] = {"",     "<a>", "<a><b></a>",       "<a></a>junk",
					  "text", "<a",  "<a><![CDATA[x</a>"};
	json_object *out = NULL;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		err_clear(&e);
		ck_assert_msg(xml_to_json(bad[i], strlen(bad[i]), &out, &e) == -1, "%s", bad[i]);
		ck_assert_ptr_null(out);
		ck_assert(strncmp(e.msg, "XML: ", 5) == 0);
	}
}
END_TEST

START_TEST(test_xml_find_text)
{
	static const char doc[] = "<E><CodeX>no</CodeX><Code>Throttling</Code><Message>a &amp; b";
	char *s;

	s = xml_find_text(doc, strlen(doc), "Code");
	ck_assert_str_eq(s, "Throttling");
	free(s);
	s = xml_find_text(doc, strlen(doc), "Message"); /* truncated: up to the end */
	ck_assert_str_eq(s, "a & b");
	free(s);
	ck_assert_ptr_null(xml_find_text(doc, strlen(doc), "RequestId"));
}
END_TEST

static Suite *apierr_suite(void)
{
	Suite *s = suite_create("apierr");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_apierr_cases, 0,
			    (int)(sizeof apierr_cases / sizeof *apierr_cases));
	tcase_add_test(tc, test_apierr_request_id_from_body);
	tcase_add_test(tc, test_apierr_classes);
	tcase_add_test(tc, test_apierr_clean_code);
	tcase_add_test(tc, test_xml_to_json);
	tcase_add_test(tc, test_xml_malformed);
	tcase_add_test(tc, test_xml_find_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(apierr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
