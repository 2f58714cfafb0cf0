/* check_rules.c: unit tests of the rules table (core/rules.c), as a table of cases. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

/* Parses JSON written with ' for " (readable tables). */
static json_object *rules_test_json(const char *text)
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

#define C1(x)         "{'family':'f','containerDefinitions':[{'name':'app'" x "}]}"
#define LINUX_HOST(x) "{'networkMode':'host','containerDefinitions':[{'name':'app'" x "}]}"
#define WIN(x)                                                                                     \
	"{'runtimePlatform':{'operatingSystemFamily':'WINDOWS_SERVER_2022_CORE'},"                 \
	"'containerDefinitions':[{'name':'app'" x "}]}"
#define FARGATE(x)                                                                                 \
	"{'requiresCompatibilities':['FARGATE'],'networkMode':'awsvpc','containerDefinitions':[{"  \
	"'name':'app'" x "}]}"

static const struct {
	const char *taskdef;
	const char *control;
	int cidx;
	enum rule_status want;
	const char *reason; /* substring of the reason */
} rule_cases[] = {
    /* ECS.4 */
    {C1(""), "ECS.4", 0, RULE_PASSED, "not set"},
    {C1(",'privileged':false"), "ECS.4", 0, RULE_PASSED, "is false"},
    {C1(",'privileged':true"), "ECS.4", 0, RULE_FAILED, "privileged is true"},
    {C1(",'privileged':'true'"), "ECS.4", 0, RULE_PASSED, "not set"}, /* not a boolean */
    {C1(",'privileged':null"), "ECS.4", 0, RULE_PASSED, NULL},
    {"{'containerDefinitions':[{'name':'a'},{'name':'b','privileged':true},{'name':'c',"
     "'privileged':false}]}",
     "ECS.4", 1, RULE_FAILED, "set it to false"},
    {"{'containerDefinitions':[{'name':'a'},{'name':'b','privileged':true},{'name':'c',"
     "'privileged':false}]}",
     "ECS.4", 0, RULE_PASSED, NULL},
    {"{'containerDefinitions':[{'name':'a'},{'name':'b','privileged':true},{'name':'c',"
     "'privileged':false}]}",
     "ECS.4", 2, RULE_PASSED, NULL},
    {FARGATE(",'privileged':true"), "ECS.4", 0, RULE_FAILED, "Fargate does not allow"},
    {FARGATE(""), "ECS.4", 0, RULE_PASSED, NULL},
    {WIN(",'privileged':true"), "ECS.4", 0, RULE_FAILED, "Windows"},
    /* wrapped describe shape */
    {"{'taskDefinition':{'containerDefinitions':[{'name':'x','privileged':true}]},'tags':[]}",
     "ECS.4", 0, RULE_FAILED, NULL},
    /* ECS.17 */
    {C1(""), "ECS.17", -1, RULE_PASSED, "not set (bridge)"},
    {FARGATE(""), "ECS.17", -1, RULE_PASSED, "awsvpc"},
    {"{'networkMode':'bridge','containerDefinitions':[]}", "ECS.17", -1, RULE_PASSED, "bridge"},
    {"{'networkMode':'awsvpc'}", "ECS.17", -1, RULE_PASSED, "awsvpc"},
    {"{'networkMode':'none'}", "ECS.17", -1, RULE_PASSED, "none"},
    {LINUX_HOST(""), "ECS.17", -1, RULE_FAILED, "networkMode is host"},
    /* ECS.20: user forms */
    {C1(""), "ECS.20", 0, RULE_FAILED, "no user is set"},
    {C1(",'user':''"), "ECS.20", 0, RULE_FAILED, "no user is set"},
    {C1(",'user':'root'"), "ECS.20", 0, RULE_FAILED, "\"root\" is root"},
    {C1(",'user':'0'"), "ECS.20", 0, RULE_FAILED, "\"0\" is root"},
    {C1(",'user':'00'"), "ECS.20", 0, RULE_FAILED, NULL},
    {C1(",'user':'0:0'"), "ECS.20", 0, RULE_FAILED, NULL},
    {C1(",'user':'0:1000'"), "ECS.20", 0, RULE_FAILED, NULL},
    {C1(",'user':'root:wheel'"), "ECS.20", 0, RULE_FAILED, NULL},
    {C1(",'user':':1000'"), "ECS.20", 0, RULE_FAILED, NULL},
    {C1(",'user':'1000'"), "ECS.20", 0, RULE_PASSED, "\"1000\""},
    {C1(",'user':'1000:1000'"), "ECS.20", 0, RULE_PASSED, NULL},
    {C1(",'user':'1000:0'"), "ECS.20", 0, RULE_PASSED, NULL},
    {C1(",'user':'10'"), "ECS.20", 0, RULE_PASSED, NULL},
    {C1(",'user':'app'"), "ECS.20", 0, RULE_PASSED, NULL},
    {C1(",'user':'rootless'"), "ECS.20", 0, RULE_PASSED, NULL},
    {C1(",'user':1000"), "ECS.20", 0, RULE_FAILED, NULL}, /* not a string: ignored */
    {WIN(""), "ECS.20", 0, RULE_NOT_APPLICABLE, "Windows"},
    {FARGATE(""), "ECS.20", 0, RULE_FAILED, NULL},
    {"{'containerDefinitions':[{'name':'a','user':'1000'},{'name':'b'}]}", "ECS.20", 1, RULE_FAILED,
     NULL},
    /* ECS.1 */
    {C1(""), "ECS.1", 0, RULE_PASSED, "not host"},
    {LINUX_HOST(""), "ECS.1", 0, RULE_FAILED, "root in host network mode"},
    {LINUX_HOST(",'privileged':false,'user':'root'"), "ECS.1", 0, RULE_FAILED, NULL},
    {LINUX_HOST(",'privileged':true"), "ECS.1", 0, RULE_PASSED, "ECS.4 fails them"},
    {LINUX_HOST(",'user':'1000'"), "ECS.1", 0, RULE_PASSED, NULL},
    {"{'networkMode':'host','runtimePlatform':{'operatingSystemFamily':'WINDOWS_SERVER_"
     "2019_FULL'},'containerDefinitions':[{'name':'w'}]}",
     "ECS.1", 0, RULE_NOT_APPLICABLE, NULL},
    /* ECS.3 */
    {C1(""), "ECS.3", -1, RULE_PASSED, "not set"},
    {"{'pidMode':'task'}", "ECS.3", -1, RULE_PASSED, "task"},
    {"{'pidMode':'host'}", "ECS.3", -1, RULE_FAILED, "pidMode is host"},
    /* ECS.5 */
    {C1(""), "ECS.5", 0, RULE_FAILED, "not set"},
    {C1(",'readonlyRootFilesystem':false"), "ECS.5", 0, RULE_FAILED, "is false"},
    {C1(",'readonlyRootFilesystem':true"), "ECS.5", 0, RULE_PASSED, NULL},
    /* ECS.8 */
    {C1(",'environment':[{'name':'A','value':'1'}]"), "ECS.8", 0, RULE_PASSED, NULL},
    {C1(",'environment':[{'name':'A','value':'1'},{'name':'AWS_SECRET_ACCESS_KEY','value':"
	"'x'},{'name':'AWS_ACCESS_KEY_ID','value':'y'}]"),
     "ECS.8", 0, RULE_FAILED, "AWS_SECRET_ACCESS_KEY, AWS_ACCESS_KEY_ID"},
    {C1(",'environment':[{'name':'ECS_ENGINE_AUTH_DATA','value':'x'}]"), "ECS.8", 0, RULE_FAILED,
     "secrets"},
    {C1(",'environmentFiles':[{'value':'arn:aws:s3:::b/AWS_SECRET_ACCESS_KEY','type':'s3'}]"),
     "ECS.8", 0, RULE_PASSED, NULL},
};

START_TEST(test_rule_case)
{
	json_object *td = rules_test_json(rule_cases[_i].taskdef);
	struct rule_results r;
	const struct rule_result *res;
	struct err e;

	rule_results_init(&r);
	err_clear(&e);
	ck_assert_int_eq(rules_evaluate(td, &r, &e), 0);
	res = rules_result_for(&r, rule_cases[_i].control, rule_cases[_i].cidx);
	ck_assert_msg(res != NULL, "case %d: no %s result", _i, rule_cases[_i].control);
	ck_assert_msg(res->status == rule_cases[_i].want, "case %d (%s %s): got %s: %s", _i,
		      rule_cases[_i].control, rule_cases[_i].taskdef,
		      rules_status_name(res->status), res->reason);
	if (rule_cases[_i].reason != NULL)
		ck_assert_msg(strstr(res->reason, rule_cases[_i].reason) != NULL,
			      "case %d: reason \"%s\" lacks \"%s\"", _i, res->reason,
			      rule_cases[_i].reason);
	if (rule_cases[_i].cidx >= 0)
		ck_assert_ptr_nonnull(res->container);
	else
		ck_assert_ptr_null(res->container);
	rule_results_done(&r);
	json_object_put(td);
}
END_TEST

START_TEST(test_rules_shape_and_counts)
{
	json_object *td = rules_test_json(
	    "{'networkMode':'host','pidMode':'host','containerDefinitions':[{'name':'a',"
	    "'privileged':true},{'name':'b','user':'1000','readonlyRootFilesystem':true},{'name':"
	    "'c','environment':[{'name':'x'},{'name':'AWS_ACCESS_KEY_ID','value':'k'}]}]}");
	struct rule_results r;
	const struct rule_result *res;
	struct err e;

	rule_results_init(&r);
	err_clear(&e);
	ck_assert_int_eq(rules_evaluate(td, &r, &e), 0);
	/* 5 container controls x 3 containers + 2 task controls */
	ck_assert_uint_eq(r.n, 17);
	ck_assert_uint_eq(rules_failed(&r, "ECS.4"), 1);
	ck_assert_uint_eq(rules_failed(&r, "ecs.17"), 1);
	ck_assert_uint_eq(rules_failed(&r, "ECS.20"), 2);
	ck_assert_uint_eq(rules_failed(&r, "ECS.1"), 1); /* c: root, host, not privileged */
	ck_assert_uint_eq(rules_failed(&r, "ECS.3"), 1);
	ck_assert_uint_eq(rules_failed(&r, "ECS.5"), 2);
	ck_assert_uint_eq(rules_failed(&r, "ECS.8"), 1);
	ck_assert_uint_eq(rules_failed_mask(&r, rules_default_mask()), 4);
	ck_assert_uint_eq(rules_failed_mask(&r, rules_all_mask()), 9);
	/* first results come in table order: ECS.4 for each container */
	ck_assert_str_eq(r.v[0].control, "ECS.4");
	ck_assert_str_eq(r.v[0].container, "a");
	ck_assert_str_eq(r.v[0].key, "privileged");
	ck_assert_int_eq(r.v[0].present, 1);
	ck_assert_int_eq(r.v[1].present, 0);
	res = rules_result_for(&r, "ECS.8", 2);
	ck_assert_int_eq(res->item_index, 1);
	ck_assert_str_eq(res->key, "environment");
	res = rules_result_for(&r, "ECS.17", -1);
	ck_assert_str_eq(res->key, "networkMode");
	ck_assert_int_eq(res->container_index, -1);
	rule_results_done(&r);
	ck_assert_uint_eq(r.n, 0);
	json_object_put(td);
}
END_TEST

START_TEST(test_rules_bad_shapes)
{
	static const char *const bad[] = {"[1]", "{'containerDefinitions':{}}",
					  "{'containerDefinitions':[1]}", "'x'"};
	struct rule_results r;
	struct err e;
	size_t i;

	rule_results_init(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_object *td = rules_test_json(bad[i]);

		err_clear(&e);
		ck_assert_int_eq(rules_evaluate(td, &r, &e), -1);
		ck_assert(e.msg[0] != '\0');
		json_object_put(td);
	}
	ck_assert_int_eq(rules_evaluate(NULL, &r, &e), -1);
	rule_results_done(&r);
}
END_TEST

START_TEST(test_rules_controls)
{
	unsigned m = 0;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(rules_parse_controls("ECS.4,ECS.17,ECS.20", &m, &e), 0);
	ck_assert_uint_eq(m, rules_default_mask());
	ck_assert_int_eq(rules_parse_controls(" ecs.4 , ECS.8", &m, &e), 0);
	ck_assert(rules_mask_has(m, "ECS.4"));
	ck_assert(rules_mask_has(m, "ECS.8"));
	ck_assert(!rules_mask_has(m, "ECS.17"));
	ck_assert_int_eq(rules_parse_controls("all", &m, &e), 0);
	ck_assert_uint_eq(m, rules_all_mask());
	ck_assert_int_eq(rules_parse_controls("ECS.4,ECS.99", &m, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "ECS.99"));
	ck_assert_ptr_nonnull(strstr(e.hint, "ECS.17"));
	ck_assert_int_eq(rules_parse_controls("ECS.4,", &m, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "empty"));
	ck_assert_int_eq(rules_parse_controls("", &m, &e), -1);
	ck_assert_uint_eq(rules_count(), 7);
	ck_assert_str_eq(rules_get(0)->id, "ECS.4");
	ck_assert_ptr_null(rules_get(7));
	ck_assert_ptr_nonnull(rules_find("ecs.20"));
	ck_assert_ptr_null(rules_find("ECS.2"));
	ck_assert_int_eq(rules_find("ECS.5")->info_only, 1);
	ck_assert_int_eq(rules_find("ECS.4")->decides_by_default, 1);
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_rule_case, 0, sizeof rule_cases / sizeof rule_cases[0]);
	tcase_add_test(tc, test_rules_shape_and_counts);
	tcase_add_test(tc, test_rules_bad_shapes);
	tcase_add_test(tc, test_rules_controls);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rules_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
