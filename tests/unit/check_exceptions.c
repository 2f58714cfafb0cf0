/* check_exceptions.c: unit tests of recorded exceptions (core/exceptions.c) and of finding
 * selection for Security Hub updates (core/findings_update.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/exceptions.h"
#include "core/findings_update.h"
#include "core/rules.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

static json_object *to_json(const char *text)
{
	char *s = xstrdup(text), *p;
	json_object *o = NULL;
	struct err e;

	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	err_clear(&e);
	if (jsonx_parse(s, strlen(s), &o, &e))
		ck_abort_msg("bad test JSON %s: %s", text, e.msg);
	free(s);
	return o;
}

/* 2026-11-29T12:00:00Z */
#define NOW ((time_t)1795953600)

static unsigned mask_of(const char *list)
{
	unsigned m = 0;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(rules_parse_controls(list, &m, &e), 0);
	return m;
}

START_TEST(test_exceptions_note_roundtrip)
{
	struct exception_rec x = {0}, y;
	struct err e;
	char *note;

	x.family = xstrdup("ci-runner");
	x.revision = 0;
	x.controls = mask_of("ECS.4,ECS.20");
	x.reason = xstrdup("docker-in-docker builds; \"quoted\" — été; see JIRA-12");
	x.approved_by = xstrdup("Zoë Ødegård");
	memcpy(x.until, "2027-03-31", 11);
	err_clear(&e);
	note = exceptions_note(&x, &e);
	ck_assert_ptr_nonnull(note);
	ck_assert_int_eq(strncmp(note, EXCEPTIONS_NOTE_PREFIX, strlen(EXCEPTIONS_NOTE_PREFIX)), 0);
	ck_assert_ptr_nonnull(strstr(note, "\"scope\":\"ci-runner\""));
	ck_assert_ptr_nonnull(strstr(note, "\"controls\":[\"ECS.4\",\"ECS.20\"]"));
	ck_assert_int_eq(exceptions_from_note(note, &y), 0);
	ck_assert_str_eq(y.family, "ci-runner");
	ck_assert_int_eq(y.revision, 0);
	ck_assert_uint_eq(y.controls, x.controls);
	ck_assert_str_eq(y.reason, x.reason);
	ck_assert_str_eq(y.approved_by, x.approved_by);
	ck_assert_str_eq(y.until, "2027-03-31");
	exception_rec_done(&y);
	free(note);
	/* one revision */
	x.revision = 12;
	note = exceptions_note(&x, &e);
	ck_assert_int_eq(exceptions_from_note(note, &y), 0);
	ck_assert_str_eq(y.family, "ci-runner");
	ck_assert_int_eq(y.revision, 12);
	exception_rec_done(&y);
	free(note);
	/* a reason that does not fit 512 characters: refused, saying by how much */
	free(x.reason);
	x.reason = xmalloc(600);
	memset(x.reason, 'r', 599);
	x.reason[599] = '\0';
	ck_assert_ptr_null(exceptions_note(&x, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "Security Hub keeps 512"));
	ck_assert_ptr_nonnull(strstr(e.hint, "shorten --reason"));
	exception_rec_done(&x);
	ck_assert_ptr_null(x.family);
}
END_TEST

static const char *const not_notes[] = {
    NULL,
    "",
    "remediated by someone",
    "ecsfix exception: ",
    "ecsfix exception: {}",
    "ecsfix exception: {\"scope\":\"a\",\"controls\":[\"ECS.4\"],\"reason\":\"r\","
    "\"approvedBy\":\"b\",\"until\":\"2027-02-30\"}",
    "ecsfix exception: {\"scope\":\"a b\",\"controls\":[\"ECS.4\"],\"reason\":\"r\","
    "\"approvedBy\":\"b\",\"until\":\"2027-02-03\"}",
    "ecsfix exception: {\"scope\":\"a\",\"controls\":[\"ECS.99\"],\"reason\":\"r\","
    "\"approvedBy\":\"b\",\"until\":\"2027-02-03\"}",
    "ecsfix exception: {\"scope\":\"a\",\"controls\":\"ECS.4\",\"reason\":\"r\","
    "\"approvedBy\":\"b\",\"until\":\"2027-02-03\"}",
    "ecsfix exception: {\"scope\":\"a\",\"controls\":[\"ECS.4\"],\"reason\":7,"
    "\"approvedBy\":\"b\",\"until\":\"2027-02-03\"}",
    "ecsfix exception: {\"scope\":\"a\",\"controls\":[\"ECS.4\"],\"reason\":\"r\","
    "\"approvedBy\":\"b\",\"until\":\"2027-02-03\"} trailing",
    "ecsfix: exception for a removed; the finding counts again",
};

START_TEST(test_exceptions_not_notes)
{
	struct exception_rec y;

	ck_assert_int_eq(exceptions_from_note(not_notes[_i], &y), -1);
	ck_assert_ptr_null(y.family);
	ck_assert_ptr_null(y.reason);
}
END_TEST

START_TEST(test_exceptions_dates_scopes)
{
	static const char *const good[] = {"2027-03-31", "2028-02-29", "2000-02-29", "1970-01-01"};
	static const char *const bad[] = {"2027-3-31",  "2027-02-29", "1900-02-29", "2027-13-01",
					  "2027-00-10", "2027-01-32", "27-01-01",   "2027-01-01x",
					  "2027/01/01", "",           "+027-01-01", "2027-01-0 "};
	char out[11];
	char *fam;
	long rev;
	size_t i;
	struct err e;

	err_clear(&e);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_int_eq(exceptions_parse_date(good[i], out, &e), 0);
		ck_assert_str_eq(out, good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(exceptions_parse_date(bad[i], out, &e) == -1, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(strstr(e.hint, "YYYY-MM-DD"));
	}
	ck_assert_int_eq(exceptions_parse_date(NULL, out, &e), -1);
	/* until is the last day it holds (UTC) */
	ck_assert_int_eq(exceptions_expired("2026-11-29", NOW), 0);
	ck_assert_int_eq(exceptions_expired("2026-11-28", NOW), 1);
	ck_assert_int_eq(exceptions_expired("2027-01-01", NOW), 0);
	ck_assert_int_eq(exceptions_parse_scope("ci-runner", &fam, &rev, &e), 0);
	ck_assert_str_eq(fam, "ci-runner");
	ck_assert_int_eq(rev, 0);
	free(fam);
	ck_assert_int_eq(exceptions_parse_scope("ci-runner:7", &fam, &rev, &e), 0);
	ck_assert_int_eq(rev, 7);
	free(fam);
	ck_assert_int_eq(
	    exceptions_parse_scope("arn:aws:ecs:us-east-1:123456789012:task-definition/web_1:12",
				   &fam, &rev, &e),
	    0);
	ck_assert_str_eq(fam, "web_1");
	ck_assert_int_eq(rev, 12);
	free(fam);
	ck_assert_int_eq(exceptions_parse_scope("ci-runner:x", &fam, &rev, &e), -1);
	ck_assert_ptr_null(fam);
	ck_assert_int_eq(exceptions_parse_scope("bad name!", &fam, &rev, &e), -1);
	ck_assert_int_eq(exceptions_parse_scope(":3", &fam, &rev, &e), -1);
	ck_assert_int_eq(exceptions_parse_scope("", &fam, &rev, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.hint, "FAMILY"));
}
END_TEST

#define ARN "arn:aws:ecs:us-east-1:123456789012:task-definition/"
#define ASFF(id, ctl, res, comp, wf, extra)                                                        \
	"{'Id':'" id "','ProductArn':'arn:aws:securityhub:us-east-1::product/aws/securityhub',"    \
	"'Compliance':{'Status':'" comp "','SecurityControlId':'" ctl "'},'RecordState':"          \
	"'ACTIVE','Workflow':{'Status':'" wf "'},'Resources':[{'Type':'AwsEcsTaskDefinition',"     \
	"'Id':'" ARN res "'}]" extra "}"

START_TEST(test_findings_select)
{
	json_object *f1 = to_json(ASFF("f1", "ECS.4", "ci-runner:3", "FAILED", "NEW", ""));
	json_object *f2 = to_json(ASFF("f2", "ECS.20", "ci-runner:3", "FAILED", "NOTIFIED", ""));
	json_object *f3 = to_json(ASFF("f3", "ECS.4", "ci-runner-2:3", "FAILED", "NEW", ""));
	json_object *f4 = to_json(ASFF("f4", "ECS.4", "ci-runner:2", "PASSED", "RESOLVED", ""));
	json_object *f5 = to_json(ASFF("f5", "S3.1", "ci-runner:3", "FAILED", "NEW", ""));
	json_object *f6 = to_json(
	    ASFF("f6", "ECS.4", "ci-runner:3", "FAILED", "NEW", ",'RecordState':'ARCHIVED'"));
	struct findings_sel s = {"ci-runner", 0, 0, 0, 0, NULL, NULL};

	ck_assert(findings_select(f1, &s));
	ck_assert(findings_select(f2, &s));
	ck_assert(!findings_select(f3, &s)); /* another family with the same prefix */
	ck_assert(findings_select(f4, &s));
	ck_assert(!findings_select(f5, &s)); /* not a control ecsfix handles */
	ck_assert(!findings_select(f6, &s)); /* archived */
	s.failed_only = 1;
	ck_assert(!findings_select(f4, &s));
	s.controls = mask_of("ECS.4");
	ck_assert(findings_select(f1, &s));
	ck_assert(!findings_select(f2, &s));
	s.revision = 2;
	ck_assert(!findings_select(f1, &s));
	s.revision = 3;
	s.skip_workflow = FINDINGS_WF_NEW | FINDINGS_WF_RESOLVED;
	ck_assert(!findings_select(f1, &s));
	ck_assert_uint_eq(findings_workflow_bit("SUPPRESSED"), FINDINGS_WF_SUPPRESSED);
	ck_assert_uint_eq(findings_workflow_bit("suppressed"), 0);
	ck_assert_uint_eq(findings_workflow_bit(NULL), 0);
	json_object_put(f1);
	json_object_put(f2);
	json_object_put(f3);
	json_object_put(f4);
	json_object_put(f5);
	json_object_put(f6);
}
END_TEST

START_TEST(test_findings_note_text)
{
	char buf[1200], *t;
	size_t i;

	/* 600 two-byte characters: cut at 512 characters, 1024 bytes */
	for (i = 0; i < 600; i++)
		memcpy(buf + 2 * i, "é", 2);
	buf[1200 - 1] = '\0';
	buf[1198] = '\0';
	t = findings_note_text(buf);
	ck_assert_uint_eq(strlen(t), 1024);
	free(t);
	t = findings_note_text("short");
	ck_assert_str_eq(t, "short");
	free(t);
}
END_TEST

/* builds a note with real double quotes inside a JSON string */
static json_object *asff_with_note(const char *id, const char *res, const char *wf,
				   const char *scope, const char *ctls, const char *until)
{
	json_object *f = to_json(ASFF("x", "ECS.4", "x:1", "FAILED", "NEW", ""));
	json_object *note = json_object_new_object(), *res0;
	char *text = xasprintf("ecsfix exception: {\"scope\":\"%s\",\"controls\":[%s],"
			       "\"reason\":\"dind\",\"approvedBy\":\"alice\",\"until\":\"%s\"}",
			       scope, ctls, until);
	char *rid = xasprintf(ARN "%s", res);

	json_object_object_add(f, "Id", json_object_new_string(id));
	json_object_object_add(json_object_object_get(f, "Workflow"), "Status",
			       json_object_new_string(wf));
	res0 = json_object_array_get_idx(json_object_object_get(f, "Resources"), 0);
	json_object_object_add(res0, "Id", json_object_new_string(rid));
	json_object_object_add(note, "Text", json_object_new_string(text));
	json_object_object_add(f, "Note", note);
	free(text);
	free(rid);
	return f;
}

START_TEST(test_exceptions_from_asff)
{
	json_object *f = asff_with_note("a", "ci-runner:3", "SUPPRESSED", "ci-runner",
					"\"ECS.4\",\"ECS.20\"", "2027-01-31");
	json_object *x = exceptions_from_asff(f);

	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(jsonx_str(x, "scope"), "ci-runner");
	ck_assert_str_eq(jsonx_str(x, "reason"), "dind");
	ck_assert_str_eq(jsonx_str(x, "approvedBy"), "alice");
	ck_assert_str_eq(jsonx_str(x, "until"), "2027-01-31");
	ck_assert_uint_eq(json_object_array_length(jsonx_array(x, "controls")), 2);
	json_object_put(x);
	json_object_put(f);
	/* a note written by someone else reaches terminals without control characters */
	f = asff_with_note("a", "ci-runner:3", "SUPPRESSED", "ci-runner", "\"ECS.4\"",
			   "2027-01-31");
	json_object_object_add(
	    json_object_object_get(f, "Note"), "Text",
	    json_object_new_string("ecsfix exception: {\"scope\":\"ci-runner\",\"controls\":"
				   "[\"ECS.4\"],\"reason\":\"a\\u001b[2Jb\",\"approvedBy\":"
				   "\"x\\ny\",\"until\":\"2027-01-31\"}"));
	x = exceptions_from_asff(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(jsonx_str(x, "reason"), "a?[2Jb");
	ck_assert_str_eq(jsonx_str(x, "approvedBy"), "x?y");
	json_object_put(x);
	json_object_put(f);
	/* the same note on a finding that is not SUPPRESSED (reopened by hand): no exception */
	f = asff_with_note("a", "ci-runner:3", "NEW", "ci-runner", "\"ECS.4\"", "2027-01-31");
	ck_assert_ptr_null(exceptions_from_asff(f));
	json_object_put(f);
}
END_TEST

/* A report as scan_report_finish leaves it before the services are decided. */
static json_object *report_with(json_object *findings)
{
	json_object *r = to_json(
	    "{'taskDefinitions':["
	    "{'arn':'" ARN "ci-runner:3','family':'ci-runner','revision':3,'result':'FAILED',"
	    "'failing':['ECS.4','ECS.20']},"
	    "{'arn':'" ARN "ci-runner:2','family':'ci-runner','revision':2,'result':'FAILED',"
	    "'failing':['ECS.4']},"
	    "{'arn':'" ARN "web:1','family':'web','revision':1,'result':'FAILED','failing':["
	    "'ECS.4']},"
	    "{'arn':'" ARN "ci-runner-x:1','family':'ci-runner-x','revision':1,'result':'FAILED',"
	    "'failing':['ECS.4']},"
	    "{'arn':'" ARN "ok:1','family':'ok','revision':1,'result':'PASSED','failing':[]}]}");
	json_object *fs = json_object_new_array();
	size_t i;

	for (i = 0; findings != NULL && i < json_object_array_length(findings); i++) {
		json_object *e = json_object_new_object();
		json_object *x = exceptions_from_asff(json_object_array_get_idx(findings, i));

		if (x != NULL)
			json_object_object_add(e, "exception", x);
		json_object_array_add(fs, e);
	}
	json_object_object_add(r, "findings", fs);
	return r;
}

static json_object *td_of(json_object *r, size_t i)
{
	return json_object_array_get_idx(jsonx_array(r, "taskDefinitions"), i);
}

START_TEST(test_exceptions_mark_report)
{
	json_object *fs = json_object_new_array(), *r;

	/* a family exception for ECS.4 and ECS.20, found on revision 3's finding, applies to
	 * revision 2 too (no finding of its own); not to another family */
	json_object_array_add(fs, asff_with_note("a", "ci-runner:3", "SUPPRESSED", "ci-runner",
						 "\"ECS.4\",\"ECS.20\"", "2026-11-29"));
	/* web: one exception expired, one covering only ECS.20 */
	json_object_array_add(
	    fs, asff_with_note("b", "web:1", "SUPPRESSED", "web", "\"ECS.4\"", "2026-11-28"));
	json_object_array_add(
	    fs, asff_with_note("c", "web:1", "SUPPRESSED", "web:1", "\"ECS.20\"", "2030-01-01"));
	r = report_with(fs);
	ck_assert_uint_eq(exceptions_mark_report(r, NOW), 2);
	ck_assert_str_eq(jsonx_str(td_of(r, 0), "result"), "EXCEPTED");
	ck_assert_str_eq(jsonx_str(jsonx_obj(td_of(r, 0), "exception"), "reason"), "dind");
	ck_assert_str_eq(jsonx_str(jsonx_obj(td_of(r, 0), "exception"), "until"), "2026-11-29");
	ck_assert_int_eq(jsonx_bool(jsonx_obj(td_of(r, 0), "exception"), "expired"), 0);
	ck_assert_str_eq(jsonx_str(td_of(r, 1), "result"), "EXCEPTED");
	/* web: FAILED, showing the later (uncovering) one */
	ck_assert_str_eq(jsonx_str(td_of(r, 2), "result"), "FAILED");
	ck_assert_ptr_nonnull(jsonx_obj(td_of(r, 2), "exception"));
	ck_assert_str_eq(jsonx_str(td_of(r, 3), "result"), "FAILED");
	ck_assert_ptr_null(jsonx_obj(td_of(r, 3), "exception"));
	ck_assert_str_eq(jsonx_str(td_of(r, 4), "result"), "PASSED");
	json_object_put(r);
	/* the next day the family exception has expired: FAILED again, the exception shown */
	r = report_with(fs);
	ck_assert_uint_eq(exceptions_mark_report(r, NOW + 86400), 0);
	ck_assert_str_eq(jsonx_str(td_of(r, 0), "result"), "FAILED");
	ck_assert_int_eq(jsonx_bool(jsonx_obj(td_of(r, 0), "exception"), "expired"), 1);
	json_object_put(r);
	json_object_put(fs);
}
END_TEST

static Suite *exceptions_suite(void)
{
	Suite *s = suite_create("exceptions");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_exceptions_note_roundtrip);
	tcase_add_loop_test(tc, test_exceptions_not_notes, 0,
			    (int)(sizeof not_notes / sizeof not_notes[0]));
	tcase_add_test(tc, test_exceptions_dates_scopes);
	tcase_add_test(tc, test_findings_select);
	tcase_add_test(tc, test_findings_note_text);
	tcase_add_test(tc, test_exceptions_from_asff);
	tcase_add_test(tc, test_exceptions_mark_report);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(exceptions_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
