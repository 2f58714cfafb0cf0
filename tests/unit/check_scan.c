/* check_scan.c: unit tests of the scan's pure half: ARN helpers, entries, join, traps, sort. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scan_report.h"
#include "util/err.h"
#include "util/jsonx.h"

#define ACCT "arn:aws:ecs:us-east-1:123456789012:"

static json_object *parse(const char *s)
{
	json_object *o = NULL;
	struct err e;

	err_clear(&e);
	ck_assert_msg(jsonx_parse(s, strlen(s), &o, &e) == 0, "%s", e.msg);
	return o;
}

START_TEST(test_arn_helpers)
{
	char *fam = NULL;
	long rev = 0;
	char acct[16];

	ck_assert_str_eq(scan_report_arn_tail(ACCT "cluster/prod"), "prod");
	ck_assert_str_eq(scan_report_arn_tail(ACCT "service/prod/web"), "web");
	ck_assert_str_eq(scan_report_arn_tail("plain"), "plain");
	ck_assert_int_eq(scan_report_td_split(ACCT "task-definition/web:17", &fam, &rev), 0);
	ck_assert_str_eq(fam, "web");
	ck_assert_int_eq(rev, 17);
	free(fam);
	ck_assert_int_eq(scan_report_td_split("web", &fam, &rev), 0);
	ck_assert_str_eq(fam, "web");
	ck_assert_int_eq(rev, 0);
	free(fam);
	ck_assert_int_eq(scan_report_td_split("web:x", &fam, &rev), -1);
	ck_assert_ptr_null(fam);
	ck_assert_int_eq(scan_report_td_split("web:", &fam, &rev), -1);
	ck_assert_int_eq(scan_report_td_split(":3", &fam, &rev), -1);
	scan_report_arn_account(ACCT "cluster/prod", acct, sizeof acct);
	ck_assert_str_eq(acct, "123456789012");
	scan_report_arn_account("prod", acct, sizeof acct);
	ck_assert_str_eq(acct, "");
}
END_TEST

START_TEST(test_finding_filter)
{
	char buf[64];
	json_object *a, *f;

	/* consolidated, handled control, task definition: kept */
	a = parse("{\"Id\":\"f1\",\"GeneratorId\":\"security-control/ECS.4\","
		  "\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":\"ECS.4\"},"
		  "\"RecordState\":\"ACTIVE\",\"Workflow\":{\"Status\":\"NEW\"},"
		  "\"Severity\":{\"Label\":\"HIGH\"},\"Title\":\"t\","
		  "\"Resources\":[{\"Type\":\"AwsEcsTaskDefinition\",\"Id\":\"" ACCT
		  "task-definition/web:5\"}]}");
	f = scan_report_finding(a);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(jsonx_str(f, "control"), "ECS.4");
	ck_assert_str_eq(jsonx_str(f, "status"), "FAILED");
	ck_assert_str_eq(jsonx_str(f, "severity"), "HIGH");
	ck_assert_str_eq(jsonx_str(f, "taskDefinition"), ACCT "task-definition/web:5");
	json_object_put(f);
	json_object_put(a);
	/* per-standard generator id, no SecurityControlId */
	a = parse("{\"GeneratorId\":\"aws-foundational-security-best-practices/v/1.0.0/ECS.17\"}");
	ck_assert_str_eq(scan_report_finding_control(a, buf, sizeof buf), "ECS.17");
	json_object_put(a);
	/* another control: dropped */
	a = parse("{\"Id\":\"f2\",\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":"
		  "\"ECS.5\"},\"Resources\":[{\"Type\":\"AwsEcsTaskDefinition\",\"Id\":\"x\"}]}");
	ck_assert_ptr_null(scan_report_finding(a));
	json_object_put(a);
	/* archived: dropped */
	a = parse(
	    "{\"Id\":\"f3\",\"RecordState\":\"ARCHIVED\",\"Compliance\":{\"SecurityControlId\":"
	    "\"ECS.4\"},\"Resources\":[{\"Type\":\"AwsEcsTaskDefinition\",\"Id\":\"x\"}]}");
	ck_assert_ptr_null(scan_report_finding(a));
	json_object_put(a);
	/* another resource type: dropped */
	a = parse("{\"Id\":\"f4\",\"Compliance\":{\"SecurityControlId\":\"ECS.4\"},"
		  "\"Resources\":[{\"Type\":\"AwsS3Bucket\",\"Id\":\"x\"}]}");
	ck_assert_ptr_null(scan_report_finding(a));
	json_object_put(a);
}
END_TEST

/* A task definition describe answer: family:rev, network mode, one container privileged or
 * not, running as user. */
static json_object *td_resp(const char *family, int rev, const char *net, int priv,
			    const char *user)
{
	char buf[1024];

	snprintf(buf, sizeof buf,
		 "{\"taskDefinition\":{\"taskDefinitionArn\":\"" ACCT
		 "task-definition/%s:%d\",\"family\":\"%s\",\"revision\":%d,"
		 "\"status\":\"ACTIVE\",\"networkMode\":\"%s\",\"containerDefinitions\":"
		 "[{\"name\":\"app\",\"image\":\"x\",\"privileged\":%s%s%s%s}]},"
		 "\"tags\":[{\"key\":\"owner\",\"value\":\"équipe\"}]}",
		 family, rev, family, rev, net, priv ? "true" : "false", user ? ",\"user\":\"" : "",
		 user ? user : "", user ? "\"" : "");
	return parse(buf);
}

/* Checks as core/rules would give them, for ECS.4 only. */
static json_object *checks(int priv)
{
	char buf[256];

	snprintf(
	    buf, sizeof buf,
	    "[{\"control\":\"ECS.4\",\"status\":\"%s\",\"container\":\"app\",\"reason\":\"r\"}]",
	    priv ? "FAILED" : "PASSED");
	return parse(buf);
}

static json_object *svc_raw(const char *cluster, const char *name, const char *td,
			    const char *controller)
{
	char buf[1024];

	snprintf(buf, sizeof buf,
		 "{\"clusterArn\":\"" ACCT
		 "cluster/%s\",\"serviceName\":\"%s\",\"serviceArn\":\"" ACCT
		 "service/%s/%s\",\"taskDefinition\":\"" ACCT
		 "task-definition/%s\",\"launchType\":\"EC2\",\"desiredCount\":2,"
		 "\"runningCount\":2,\"pendingCount\":0,\"schedulingStrategy\":\"REPLICA\","
		 "\"deploymentController\":{\"type\":\"%s\"},\"deployments\":[]}",
		 cluster, name, cluster, name, td, controller);
	return parse(buf);
}

static json_object *build_report(void)
{
	json_object *r = json_object_new_object();
	json_object *cl = json_object_new_array(), *sv = json_object_new_array();
	json_object *tds = json_object_new_array(), *fs = json_object_new_array();
	json_object *raw, *ctl = json_object_new_array();
	json_object *a;

	json_object_array_add(ctl, json_object_new_string("ECS.4"));
	json_object_object_add(r, "controls", ctl);
	raw = parse("{\"clusterName\":\"prod\",\"clusterArn\":\"" ACCT
		    "cluster/prod\",\"status\":\"ACTIVE\"}");
	json_object_array_add(cl, scan_report_cluster(raw));
	json_object_put(raw);
	raw = parse("{\"clusterName\":\"staging\",\"clusterArn\":\"" ACCT
		    "cluster/staging\",\"status\":\"ACTIVE\"}");
	json_object_array_add(cl, scan_report_cluster(raw));
	json_object_put(raw);
	/* web:5 privileged, run by prod/web and staging/web; web:7 clean and latest */
	raw = svc_raw("prod", "web", "web:5", "ECS");
	json_object_array_add(sv, scan_report_service(raw));
	json_object_put(raw);
	raw = svc_raw("staging", "web", "web:5", "ECS");
	json_object_array_add(sv, scan_report_service(raw));
	json_object_put(raw);
	/* api:2 clean, CODE_DEPLOY */
	raw = svc_raw("prod", "api", "api:2", "CODE_DEPLOY");
	json_object_array_add(sv, scan_report_service(raw));
	json_object_put(raw);
	/* a MISSING service */
	json_object_array_add(sv, scan_report_service_unknown(ACCT "service/prod/gone",
							      ACCT "cluster/prod",
							      "DescribeServices: gone: MISSING"));
	raw = td_resp("web", 5, "awsvpc", 1, "1000");
	json_object_array_add(tds, scan_report_taskdef(raw, checks(1)));
	json_object_put(raw);
	raw = td_resp("web", 7, "awsvpc", 0, "1000");
	json_object_array_add(tds, scan_report_taskdef(raw, checks(0)));
	json_object_put(raw);
	raw = td_resp("api", 2, "bridge", 0, "1000");
	json_object_array_add(tds, scan_report_taskdef(raw, checks(0)));
	json_object_put(raw);
	a = parse("{\"Id\":\"fp\",\"Compliance\":{\"Status\":\"PASSED\",\"SecurityControlId\":"
		  "\"ECS.4\"},\"Resources\":[{\"Type\":\"AwsEcsTaskDefinition\",\"Id\":\"" ACCT
		  "task-definition/web:7\"}]}");
	json_object_array_add(fs, scan_report_finding(a));
	json_object_put(a);
	json_object_object_add(r, "clusters", cl);
	json_object_object_add(r, "services", sv);
	json_object_object_add(r, "taskDefinitions", tds);
	json_object_object_add(r, "findings", fs);
	json_object_object_add(r, "errors", json_object_new_array());
	return r;
}

static json_object *find_service(json_object *r, const char *cluster, const char *name)
{
	json_object *sv = jsonx_array(r, "services");
	size_t i;

	for (i = 0; i < json_object_array_length(sv); i++) {
		json_object *s = json_object_array_get_idx(sv, i);

		if (strcmp(jsonx_str(s, "cluster"), cluster) == 0 &&
		    strcmp(jsonx_str(s, "name"), name) == 0)
			return s;
	}
	return NULL;
}

static int notes_match(json_object *svc, const char *needle)
{
	json_object *notes = jsonx_array(svc, "notes");
	size_t i;

	for (i = 0; i < json_object_array_length(notes); i++) {
		if (strstr(json_object_get_string(json_object_array_get_idx(notes, i)), needle))
			return 1;
	}
	return 0;
}

START_TEST(test_finish_join_and_traps)
{
	json_object *r = build_report();
	json_object *latest = parse("{\"web\":\"" ACCT "task-definition/web:7\",\"api\":\"" ACCT
				    "task-definition/api:2\"}");
	json_object *s, *sv, *sum, *tds, *td;

	scan_report_finish(r, latest, NULL);
	sv = jsonx_array(r, "services");
	/* problems first: FAILED (prod/web, staging/web), UNKNOWN (prod/gone), PASSED */
	ck_assert_str_eq(jsonx_str(json_object_array_get_idx(sv, 0), "status"), "FAILED");
	ck_assert_str_eq(jsonx_str(json_object_array_get_idx(sv, 0), "cluster"), "prod");
	ck_assert_str_eq(jsonx_str(json_object_array_get_idx(sv, 1), "cluster"), "staging");
	ck_assert_str_eq(jsonx_str(json_object_array_get_idx(sv, 2), "status"), "UNKNOWN");
	ck_assert_str_eq(jsonx_str(json_object_array_get_idx(sv, 3), "status"), "PASSED");

	s = find_service(r, "prod", "web");
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(jsonx_array(s, "failing"), 0)),
	    "ECS.4");
	ck_assert_msg(notes_match(s, "Security Hub shows ECS.4 PASSED for web:7 (the latest "
				     "revision) but this service still runs web:5, which is "
				     "privileged"),
		      "green-finding trap note missing");
	ck_assert(notes_match(s, "also used by 1 other service: staging/web"));
	s = find_service(r, "prod", "api");
	ck_assert(notes_match(s, "deployment controller CODE_DEPLOY"));
	ck_assert_int_eq(json_object_array_length(jsonx_array(s, "notes")), 1);
	s = find_service(r, "prod", "gone");
	ck_assert_str_eq(jsonx_str(s, "unknown"), "DescribeServices: gone: MISSING");

	/* the finding on web:7 joins to web:7, which no service runs */
	tds = jsonx_array(r, "taskDefinitions");
	td = json_object_array_get_idx(tds, 2); /* api:2, web:5, web:7 */
	ck_assert_str_eq(jsonx_str(td, "arn"), ACCT "task-definition/web:7");
	ck_assert_int_eq(jsonx_bool(td, "latestActive"), 1);
	ck_assert_int_eq(json_object_array_length(jsonx_array(td, "findings")), 1);
	ck_assert_int_eq(json_object_array_length(jsonx_array(td, "services")), 0);
	td = json_object_array_get_idx(tds, 1);
	ck_assert_int_eq(jsonx_bool(td, "latestActive"), 0);
	ck_assert_str_eq(jsonx_str(td, "latestActiveArn"), ACCT "task-definition/web:7");
	ck_assert_int_eq(json_object_array_length(jsonx_array(td, "services")), 2);
	ck_assert_str_eq(jsonx_str(td, "result"), "FAILED");
	ck_assert_str_eq(jsonx_str(jsonx_obj(td, "tags"), "owner"), "équipe");

	sum = jsonx_obj(r, "summary");
	ck_assert_int_eq(jsonx_int(sum, "services", -1), 4);
	ck_assert_int_eq(jsonx_int(sum, "servicesFailing", -1), 2);
	ck_assert_int_eq(jsonx_int(sum, "servicesUnknown", -1), 1);
	ck_assert_int_eq(jsonx_int(sum, "taskDefinitionsFailing", -1), 1);
	ck_assert_int_eq(jsonx_int(sum, "findingsPassed", -1), 1);
	ck_assert_int_eq(jsonx_int(sum, "exitCode", -1), 1);
	/* cluster counts */
	ck_assert_int_eq(
	    jsonx_int(json_object_array_get_idx(jsonx_array(r, "clusters"), 0), "services", -1), 3);
	ck_assert_int_eq(jsonx_int(json_object_array_get_idx(jsonx_array(r, "clusters"), 0),
				   "servicesFailing", -1),
			 1);
	json_object_put(latest);
	json_object_put(r);
}
END_TEST

START_TEST(test_exit_codes)
{
	json_object *r = build_report();
	json_object *latest = json_object_new_object();
	json_object *ctl = json_object_new_array();

	/* ECS.17 decides: nothing fails it, but a service is UNKNOWN -> 2 */
	json_object_array_add(ctl, json_object_new_string("ECS.17"));
	json_object_object_add(r, "controls", ctl);
	scan_report_finish(r, latest, "GetFindings: AccessDeniedException");
	ck_assert_int_eq(scan_report_exit_code(r), 2);
	ck_assert_str_eq(jsonx_str(r, "findingsUnknown"), "GetFindings: AccessDeniedException");
	/* without the unknown service -> 0 */
	json_object_array_del_idx(jsonx_array(r, "services"), 0, 1);
	ck_assert_int_eq(scan_report_exit_code(r), 0);
	json_object_put(latest);
	json_object_put(r);
}
END_TEST

START_TEST(test_write_json_equals_pretty)
{
	json_object *r = build_report();
	json_object *latest = json_object_new_object();
	char *buf = NULL, *want;
	size_t len = 0;
	FILE *fp;

	scan_report_finish(r, latest, NULL);
	json_object_object_add(r, "empty", json_object_new_array());
	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(scan_report_write_json(fp, r), 0);
	fclose(fp);
	want = jsonx_pretty(r);
	ck_assert_str_eq(buf, want);
	free(want);
	free(buf);
	json_object_put(latest);
	json_object_put(r);
}
END_TEST

static Suite *scan_suite(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_arn_helpers);
	tcase_add_test(tc, test_finding_filter);
	tcase_add_test(tc, test_finish_join_and_traps);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_write_json_equals_pretty);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
