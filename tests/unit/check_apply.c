/* check_apply.c: unit tests of the pure parts of plan and apply: staleness of a service,
 * outcome classification of DescribeServices answers, document equality, the plan digest,
 * plan document checks and the plan file round trip. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/apply.h"
#include "core/plan.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

#define OLD   "arn:aws:ecs:us-east-1:123456789012:task-definition/web:4"
#define NEW   "arn:aws:ecs:us-east-1:123456789012:task-definition/web:5"
#define OTHER "arn:aws:ecs:us-east-1:123456789012:task-definition/web:6"

static json_object *ca_json(const char *text)
{
	json_object *o = NULL;
	struct err e;

	err_clear(&e);
	if (jsonx_parse(text, strlen(text), &o, &e) != 0)
		ck_abort_msg("bad test JSON: %s", e.msg);
	return o;
}

/* ---- apply_service_state ---- */

static const struct {
	const char *service; /* NULL: missing */
	const char *target;
	enum apply_svc_state want;
	const char *why; /* substring of *why, or NULL when none */
} ca_state_cases[] = {
    {"{\"status\":\"ACTIVE\",\"taskDefinition\":\"" OLD "\"}", NULL, APPLY_SVC_ON_SOURCE, NULL},
    /* moto keeps what UpdateService was sent: family:rev */
    {"{\"status\":\"ACTIVE\",\"taskDefinition\":\"web:4\"}", NULL, APPLY_SVC_ON_SOURCE, NULL},
    {"{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW "\"}", NEW, APPLY_SVC_ON_TARGET, NULL},
    {"{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW "\"}", NULL, APPLY_SVC_MOVED_ON,
     "it now runs web:5, the plan was made for web:4"},
    {"{\"status\":\"ACTIVE\",\"taskDefinition\":\"" OTHER "\"}", NEW, APPLY_SVC_MOVED_ON, "web:6"},
    /* web:40 is not web:4 */
    {"{\"status\":\"ACTIVE\",\"taskDefinition\":\"" OLD "0\"}", NULL, APPLY_SVC_MOVED_ON, "web:40"},
    {"{\"status\":\"DRAINING\",\"taskDefinition\":\"" OLD "\"}", NULL, APPLY_SVC_GONE, "DRAINING"},
    {NULL, NULL, APPLY_SVC_GONE, "no longer exists"},
};

START_TEST(test_service_state)
{
	json_object *svc = ca_state_cases[_i].service ? ca_json(ca_state_cases[_i].service) : NULL;
	char *why = NULL;
	enum apply_svc_state st = apply_service_state(svc, OLD, ca_state_cases[_i].target, &why);

	ck_assert_int_eq(st, ca_state_cases[_i].want);
	if (ca_state_cases[_i].why == NULL) {
		ck_assert_ptr_null(why);
	} else {
		ck_assert_ptr_nonnull(why);
		ck_assert_msg(strstr(why, ca_state_cases[_i].why) != NULL, "why: %s", why);
	}
	free(why);
	json_object_put(svc);
}
END_TEST

/* ---- apply_docs_equal ---- */

START_TEST(test_docs_equal)
{
	/* what the plan proposed vs what AWS/moto describe back: defaults filled in */
	json_object *a = ca_json(
	    "{\"family\":\"web\",\"networkMode\":\"awsvpc\",\"containerDefinitions\":[{\"name\":"
	    "\"app\",\"image\":\"x\",\"memory\":5,\"portMappings\":[{\"containerPort\":80}],"
	    "\"privileged\":false}],\"tags\":[{\"key\":\"t\",\"value\":\"v\"}]}");
	json_object *b = ca_json(
	    "{\"family\":\"web\",\"networkMode\":\"awsvpc\",\"volumes\":[],"
	    "\"placementConstraints\":"
	    "[],\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"x\",\"memory\":5,\"cpu\":0,"
	    "\"essential\":true,\"portMappings\":[{\"containerPort\":80,\"hostPort\":80}],"
	    "\"environment\":[],\"mountPoints\":[],\"volumesFrom\":[],\"privileged\":false}],"
	    "\"tags\":[{\"key\":\"t\",\"value\":\"v\"}]}");
	json_object *c;
	char *where = NULL;

	ck_assert_int_eq(apply_docs_equal(a, b, &where), 1);
	ck_assert_ptr_null(where);
	/* a real difference is named */
	c = jsonx_clone(b);
	json_object_object_add(
	    json_object_array_get_idx(json_object_object_get(c, "containerDefinitions"), 0),
	    "privileged", json_object_new_boolean(1));
	ck_assert_int_eq(apply_docs_equal(a, c, &where), 0);
	ck_assert_str_eq(where, "containerDefinitions");
	free(where);
	json_object_put(c);
	/* a different hostPort is a difference in bridge mode too */
	c = jsonx_clone(b);
	json_object_object_add(c, "networkMode", json_object_new_string("bridge"));
	ck_assert_int_eq(apply_docs_equal(a, c, &where), 0);
	free(where);
	json_object_put(c);
	/* tags matter */
	c = jsonx_clone(b);
	json_object_object_del(c, "tags");
	ck_assert_int_eq(apply_docs_equal(a, c, &where), 0);
	ck_assert_str_eq(where, "tags");
	free(where);
	json_object_put(c);
	json_object_put(a);
	json_object_put(b);
}
END_TEST

/* ---- plan_digest, plan_parse_service_ref ---- */

START_TEST(test_digest)
{
	json_object *a = ca_json("{\"b\":1,\"a\":[1,{\"y\":\"/x\",\"x\":null}],\"c\":1.5}");
	json_object *b = ca_json("{\"c\":1.5,\"a\":[1,{\"x\":null,\"y\":\"/x\"}],\"b\":1}");
	json_object *c = ca_json("{\"c\":1.5,\"a\":[{\"x\":null,\"y\":\"/x\"},1],\"b\":1}");
	char *da = plan_digest(a), *db = plan_digest(b), *dc = plan_digest(c);

	ck_assert_int_eq(strncmp(da, "sha256:", 7), 0);
	ck_assert_uint_eq(strlen(da), 7 + 64);
	ck_assert_str_eq(da, db); /* key order does not matter */
	ck_assert_str_ne(da, dc); /* array order does */
	free(da);
	free(db);
	free(dc);
	json_object_put(a);
	json_object_put(b);
	json_object_put(c);
}
END_TEST

START_TEST(test_service_ref)
{
	char *cl = NULL, *sv = NULL;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(plan_parse_service_ref("prod/web", &cl, &sv, &e), 0);
	ck_assert_str_eq(cl, "prod");
	ck_assert_str_eq(sv, "web");
	free(cl);
	free(sv);
	ck_assert_int_eq(
	    plan_parse_service_ref("arn:aws:ecs:us-east-1:1:service/prod/web", &cl, &sv, &e), 0);
	ck_assert_str_eq(cl, "arn:aws:ecs:us-east-1:1:cluster/prod");
	ck_assert_str_eq(sv, "arn:aws:ecs:us-east-1:1:service/prod/web");
	free(cl);
	free(sv);
	ck_assert_int_eq(plan_parse_service_ref("web", &cl, &sv, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "CLUSTER/SERVICE"));
	ck_assert_int_eq(plan_parse_service_ref("prod/", &cl, &sv, &e), -1);
	ck_assert_int_eq(plan_parse_service_ref("", &cl, &sv, &e), -1);
	ck_assert_int_eq(plan_parse_service_ref("arn:aws:ecs:us-east-1:1:cluster/x", &cl, &sv, &e),
			 -1);
}
END_TEST

/* ---- plan documents ---- */

static const char *ca_plan =
    "{\"ecsfixPlan\":1,\"ecsfixVersion\":\"0\",\"createdAt\":\"2026-11-29T00:00:00Z\","
    "\"region\":\"us-east-1\",\"account\":\"123456789012\",\"source\":{\"taskDefinitionArn\":\"" OLD
    "\",\"family\":\"web\",\"revision\":4,\"digest\":\"sha256:00\",\"document\":{\"family\":"
    "\"web\",\"containerDefinitions\":[{\"name\":\"s\",\"image\":\"i\",\"user\":\"1\","
    "\"privileged\":true}]}},\"proposed\":{\"family\":\"web\",\"containerDefinitions\":[{"
    "\"name\":\"s\",\"image\":\"i\",\"user\":\"1\",\"privileged\":false}]},\"options\":{},"
    "\"services\":[{\"serviceArn\":\"arn:aws:ecs:us-east-1:123456789012:service/c/web\","
    "\"serviceName\":\"web\",\"clusterArn\":\"arn:aws:ecs:us-east-1:123456789012:cluster/c\","
    "\"cluster\":\"c\",\"taskDefinition\":\"" OLD "\",\"deploymentController\":\"ECS\","
    "\"update\":true},{\"serviceArn\":\"arn:aws:ecs:us-east-1:123456789012:service/c/cd\","
    "\"serviceName\":\"cd\",\"clusterArn\":\"arn:aws:ecs:us-east-1:123456789012:cluster/c\","
    "\"taskDefinition\":\"" OLD "\",\"deploymentController\":\"CODE_DEPLOY\",\"update\":false,"
    "\"skipReason\":\"CodeDeploy\"}],\"changes\":[\"container \\\"s\\\": privileged true -> "
    "false\"],\"notes\":[],\"iamActions\":[\"ecs:RegisterTaskDefinition\"]}";

START_TEST(test_plan_doc)
{
	struct plan *p = NULL;
	struct err e;
	char path[] = "/tmp/ecsfix-check-plan.XXXXXX";
	char *file, *text;
	struct stat st;
	int fd;

	err_clear(&e);
	ck_assert_int_eq(plan_from_json_take(ca_json(ca_plan), &p, &e), 0);
	ck_assert_str_eq(p->family, "web");
	ck_assert_uint_eq(p->nservices, 2);
	ck_assert_uint_eq(p->nupdate, 1);
	ck_assert_str_eq(p->services[1].cluster, "c"); /* derived from the ARN */
	ck_assert_int_eq(p->services[1].update, 0);
	ck_assert_uint_eq(p->nchanges, 1);
	ck_assert_int_eq(plan_has_changes(p), 1);
	ck_assert_uint_eq(p->diff.nhunks, 1);
	ck_assert_ptr_nonnull(strstr(p->diff_text, "-      \"privileged\": true"));
	ck_assert_uint_eq(rules_failed(&p->before, "ECS.4"), 1);
	ck_assert_uint_eq(rules_failed(&p->after, "ECS.4"), 0);
	text = plan_format_text(p, 0);
	ck_assert_ptr_nonnull(strstr(text, "Services skipped:\n  c/cd: CodeDeploy"));
	ck_assert_ptr_nonnull(strstr(text, "c/web  web:4 -> new revision"));
	free(text);

	/* the file: mode 0600, reads back equal */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	chmod(path, 0644);
	ck_assert_int_eq(plan_write(p, path, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	file = xstrdup(path);
	{
		struct plan *q = NULL;
		ck_assert_int_eq(plan_load(file, &q, &e), 0);
		ck_assert_int_eq(jsonx_equal(q->doc, p->doc), 1);
		plan_free(q);
	}
	unlink(file);
	free(file);
	plan_free(p);
}
END_TEST

/* The approval list's toggle: the view and the document change together; a skipped service
 * is never selected; a plan without "selected" (older ecsfix) selects every updatable one. */
START_TEST(test_plan_selected)
{
	struct plan *p = NULL;
	json_object *svcs;
	struct err e;
	char *text;

	err_clear(&e);
	ck_assert_int_eq(plan_from_json_take(ca_json(ca_plan), &p, &e), 0);
	svcs = json_object_object_get(p->doc, "services");
	ck_assert_int_eq(p->services[0].selected, 1);
	ck_assert_int_eq(p->services[1].selected, 0);
	ck_assert_uint_eq(p->nselected, 1);
	plan_service_set_selected(p, 0, 0);
	ck_assert_int_eq(p->services[0].selected, 0);
	ck_assert_uint_eq(p->nselected, 0);
	ck_assert_int_eq(jsonx_bool(json_object_array_get_idx(svcs, 0), "selected"), 0);
	text = plan_format_text(p, 0);
	ck_assert_ptr_nonnull(strstr(text, "Services to move (0 of the 2 that run web:4)"));
	ck_assert_ptr_nonnull(
	    strstr(text, "Left out (they keep running the old revision):\n  c/web"));
	free(text);
	plan_service_set_selected(p, 0, 0); /* idempotent */
	ck_assert_uint_eq(p->nselected, 0);
	plan_service_set_selected(p, 1, 1); /* CODE_DEPLOY: refused */
	ck_assert_int_eq(p->services[1].selected, 0);
	ck_assert_int_eq(jsonx_bool(json_object_array_get_idx(svcs, 1), "selected"), -1);
	plan_service_set_selected(p, 0, 1);
	ck_assert_uint_eq(p->nselected, 1);
	ck_assert_int_eq(jsonx_bool(json_object_array_get_idx(svcs, 0), "selected"), 1);
	/* what was toggled survives the document round trip */
	plan_service_set_selected(p, 0, 0);
	{
		struct plan *q = NULL;
		ck_assert_int_eq(plan_from_json_take(jsonx_clone(p->doc), &q, &e), 0);
		ck_assert_int_eq(q->services[0].selected, 0);
		ck_assert_uint_eq(q->nselected, 0);
		plan_free(q);
	}
	plan_free(p);
}
END_TEST

static const struct {
	const char *from, *to, *msg;
} ca_bad_plans[] = {
    {"\"update\":false,", "\"update\":false,\"selected\":true,", "selected but cannot be updated"},
    {"\"ecsfixPlan\":1", "\"ecsfixPlan\":2", "version 1"},
    {"\"region\":\"us-east-1\",", "", "missing one of region"},
    {"\"proposed\":{", "\"proposedX\":{", "missing one of"},
    {"\"deploymentController\":\"ECS\"", "\"deploymentController\":null", "services[0]"},
    {"\"update\":false", "\"update\":true", "CODE_DEPLOY and cannot be updated"},
    {"\"services\":[", "\"services\":{\"x\":[", "not a list"},
    {"\"notes\":[]", "\"notes\":\"x\"", "\"notes\" is not a list"},
    {"\"account\":\"123456789012\",", "\"account\":\"123456789012\",\"roleArn\":42,",
     "not an IAM role ARN"},
    {"\"account\":\"123456789012\",",
     "\"account\":\"123456789012\",\"roleArn\":\"arn:aws:iam::123:role/x\",",
     "not an IAM role ARN"},
    {"\"account\":\"123456789012\",",
     "\"account\":\"123456789012\",\"roleArn\":\"arn:aws:iam::123456789012:user/x\",",
     "not an IAM role ARN"},
    {"\"account\":\"123456789012\",",
     "\"account\":\"123456789012\",\"roleArn\":\"arn:aws:iam::123456789012:role/\",",
     "not an IAM role ARN"},
    {"\"account\":\"123456789012\",",
     "\"account\":\"123456789012\",\"roleArn\":\"arn:aws:iam::123456789012:role/a\\u001b[31m\",",
     "not an IAM role ARN"},
    {"\"account\":\"123456789012\",",
     "\"account\":\"123456789012\",\"roleArn\":\"arn:aws:sts::123456789012:assumed-role/a/b\",",
     "not an IAM role ARN"},
};

START_TEST(test_plan_bad)
{
	const char *src = ca_plan;
	const char *at = strstr(src, ca_bad_plans[_i].from);
	struct plan *p = NULL;
	struct err e;
	char *text;
	json_object *doc = NULL;

	ck_assert_ptr_nonnull(at);
	text = xasprintf("%.*s%s%s", (int)(at - src), src, ca_bad_plans[_i].to,
			 at + strlen(ca_bad_plans[_i].from));
	if (strstr(ca_bad_plans[_i].to, "{\"x\":[") != NULL) {
		/* close the extra object: replace the first "}],\"changes\"" */
		char *c = strstr(text, "}],\"changes\"");
		char *fixed;
		ck_assert_ptr_nonnull(c);
		fixed = xasprintf("%.*s}]},\"changes\"%s", (int)(c - text), text,
				  c + strlen("}],\"changes\""));
		free(text);
		text = fixed;
	}
	err_clear(&e);
	ck_assert_int_eq(jsonx_parse(text, strlen(text), &doc, &e), 0);
	ck_assert_int_eq(plan_from_json_take(doc, &p, &e), -1);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(e.msg, ca_bad_plans[_i].msg) != NULL, "msg: %s", e.msg);
	free(text);
}
END_TEST

/* roleArn: null or absent is the base credentials; a role ARN (with a path) is kept and named
 * in the summary. */
START_TEST(test_plan_role)
{
	static const char *const role = "arn:aws:iam::210987654321:role/ops/Remediate";
	const char *at = strstr(ca_plan, "\"source\"");
	struct plan *p = NULL;
	struct err e;
	char *text, *doc;

	err_clear(&e);
	ck_assert_int_eq(plan_from_json_take(ca_json(ca_plan), &p, &e), 0);
	ck_assert_ptr_null(p->role_arn);
	plan_free(p);
	doc = xasprintf("%.*s\"roleArn\":null,%s", (int)(at - ca_plan), ca_plan, at);
	ck_assert_int_eq(plan_from_json_take(ca_json(doc), &p, &e), 0);
	ck_assert_ptr_null(p->role_arn);
	plan_free(p);
	free(doc);
	doc = xasprintf("%.*s\"roleArn\":\"%s\",%s", (int)(at - ca_plan), ca_plan, role, at);
	ck_assert_int_eq(plan_from_json_take(ca_json(doc), &p, &e), 0);
	ck_assert_str_eq(p->role_arn, role);
	text = plan_format_text(p, 0);
	ck_assert_ptr_nonnull(
	    strstr(text, "(account 123456789012, us-east-1, as arn:aws:iam::210987654321:role/"
			 "ops/Remediate)"));
	free(text);
	plan_free(p);
	free(doc);
}
END_TEST

START_TEST(test_result_exit)
{
	struct apply_result r;
	struct apply_service_result s[2];

	apply_result_init(&r);
	memset(s, 0, sizeof s);
	r.services = s;
	r.nservices = 2;
	s[0].outcome = APPLY_OUTCOME_COMPLETED;
	s[1].outcome = APPLY_OUTCOME_SKIPPED;
	ck_assert_int_eq(apply_result_exit(&r), 0);
	s[1].outcome = APPLY_OUTCOME_ROLLED_BACK;
	ck_assert_int_eq(apply_result_exit(&r), 1);
	s[1].outcome = APPLY_OUTCOME_FAILED;
	ck_assert_int_eq(apply_result_exit(&r), 1);
	r.interrupted = 1;
	ck_assert_int_eq(apply_result_exit(&r), 130);
	ck_assert_str_eq(apply_outcome_name(APPLY_OUTCOME_NOT_FOLLOWED), "NOT_FOLLOWED");
	ck_assert_str_eq(apply_step_name(APPLY_STEP_ROLLBACK), "ROLLBACK");
}
END_TEST

static Suite *apply_suite(void)
{
	Suite *s = suite_create("apply");
	TCase *tc = tcase_create("pure");

	tcase_add_loop_test(tc, test_service_state, 0,
			    sizeof ca_state_cases / sizeof ca_state_cases[0]);
	tcase_add_test(tc, test_docs_equal);
	tcase_add_test(tc, test_digest);
	tcase_add_test(tc, test_service_ref);
	tcase_add_test(tc, test_plan_doc);
	tcase_add_test(tc, test_plan_selected);
	tcase_add_test(tc, test_plan_role);
	tcase_add_loop_test(tc, test_plan_bad, 0, sizeof ca_bad_plans / sizeof ca_bad_plans[0]);
	tcase_add_test(tc, test_result_exit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(apply_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
