/* check_rollout.c: the rollout classification (core/rollout.c) as a table of DescribeServices
 * answers and what each says about the followed deployment; and where an UpdateService answer
 * shows the deployment it started (or none: NOT_FOLLOWED). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/rollout.h"
#include "util/err.h"
#include "util/jsonx.h"

#define OLD   "arn:aws:ecs:us-east-1:123456789012:task-definition/web:4"
#define NEW   "arn:aws:ecs:us-east-1:123456789012:task-definition/web:5"
#define OTHER "arn:aws:ecs:us-east-1:123456789012:task-definition/web:6"

static json_object *cr_json(const char *text)
{
	json_object *o = NULL;
	struct err e;

	err_clear(&e);
	if (jsonx_parse(text, strlen(text), &o, &e) != 0)
		ck_abort_msg("bad test JSON: %s", e.msg);
	return o;
}

/* ---- rollout_classify ---- */

#define DEP(id, st, td, rs, run, des)                                                              \
	"{\"id\":\"" id "\",\"status\":\"" st "\",\"taskDefinition\":\"" td                        \
	"\",\"rolloutState\":\"" rs "\",\"runningCount\":" #run ",\"desiredCount\":" #des          \
	",\"pendingCount\":0,\"failedTasks\":0}"
#define SVC(td, deps)                                                                              \
	"{\"status\":\"ACTIVE\",\"taskDefinition\":\"" td "\",\"deployments\":[" deps "]}"

static const struct {
	const char *name;
	const char *service;
	const char *dep; /* followed id, or NULL */
	enum rollout_verdict want;
	int64_t running;
} cr_cases[] = {
    {"in progress",
     SVC(NEW, DEP("d2", "PRIMARY", NEW, "IN_PROGRESS", 1, 3) "," DEP("d1", "ACTIVE", OLD,
								     "COMPLETED", 3, 3)),
     "d2", ROLLOUT_IN_PROGRESS, 1},
    {"completed", SVC(NEW, DEP("d2", "PRIMARY", NEW, "COMPLETED", 3, 3)), "d2", ROLLOUT_COMPLETED,
     3},
    {"failed, no rollback",
     SVC(NEW,
	 DEP("d2", "PRIMARY", NEW, "FAILED", 0, 3) "," DEP("d1", "ACTIVE", OLD, "COMPLETED", 3, 3)),
     "d2", ROLLOUT_FAILED, 0},
    /* circuit breaker with rollback: ours FAILED and no longer PRIMARY; a PRIMARY on old */
    {"failed, rolling back",
     SVC(OLD, DEP("d3", "PRIMARY", OLD, "IN_PROGRESS", 1, 3) "," DEP("d2", "ACTIVE", NEW, "FAILED",
								     0, 3)),
     "d2", ROLLOUT_ROLLED_BACK, 0},
    /* the deployment disappeared and the service is back on the old revision: never stable */
    {"vanished, on old", SVC(OLD, DEP("d3", "PRIMARY", OLD, "COMPLETED", 3, 3)), "d2",
     ROLLOUT_ROLLED_BACK, 3},
    {"vanished, newer PRIMARY on new", SVC(NEW, DEP("d9", "PRIMARY", NEW, "IN_PROGRESS", 0, 3)),
     "d2", ROLLOUT_SUPERSEDED, 0},
    {"vanished, third revision", SVC(OTHER, DEP("d9", "PRIMARY", OTHER, "COMPLETED", 3, 3)), "d2",
     ROLLOUT_MOVED_ON, 3},
    /* no rolloutState (Classic LB): one PRIMARY deployment with running == desired */
    {"no rolloutState, steady",
     "{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW
     "\",\"deployments\":[{\"id\":\"d2\",\"status\":\"PRIMARY\",\"taskDefinition\":\"" NEW
     "\",\"runningCount\":2,\"desiredCount\":2}]}",
     "d2", ROLLOUT_COMPLETED, 2},
    {"no rolloutState, two deployments",
     "{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW
     "\",\"deployments\":[{\"id\":\"d2\",\"status\":\"PRIMARY\",\"taskDefinition\":\"" NEW
     "\",\"runningCount\":2,\"desiredCount\":2},{\"id\":\"d1\",\"status\":\"ACTIVE\","
     "\"taskDefinition\":\"" OLD "\",\"runningCount\":1,\"desiredCount\":0}]}",
     "d2", ROLLOUT_IN_PROGRESS, 2},
    /* no id known (UpdateService answer had no PRIMARY on new): found by revision */
    {"no id, PRIMARY on new", SVC(NEW, DEP("d2", "PRIMARY", NEW, "COMPLETED", 3, 3)), NULL,
     ROLLOUT_COMPLETED, 3},
    {"no id, nothing started (moto)", SVC(NEW, DEP("d1", "PRIMARY", OLD, "IN_PROGRESS", 0, 3)),
     NULL, ROLLOUT_IN_PROGRESS, 0},
    {"draining", "{\"status\":\"DRAINING\",\"taskDefinition\":\"" NEW "\",\"deployments\":[]}",
     "d2", ROLLOUT_GONE, 0},
    {"missing", NULL, "d2", ROLLOUT_GONE, 0},
    /* malformed answers: never a crash, never COMPLETED */
    {"deployments not a list",
     "{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW "\",\"deployments\":{}}", "d2",
     ROLLOUT_IN_PROGRESS, 0},
    {"deployment entries of the wrong type",
     "{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW "\",\"deployments\":[1,\"x\",null,"
     "{\"id\":7,\"status\":\"PRIMARY\"}]}",
     "d2", ROLLOUT_MOVED_ON, 0},
    {"counts of the wrong type",
     "{\"status\":\"ACTIVE\",\"taskDefinition\":\"" NEW "\",\"deployments\":[{\"id\":\"d2\","
     "\"status\":\"PRIMARY\",\"taskDefinition\":\"" NEW "\",\"rolloutState\":\"IN_PROGRESS\","
     "\"runningCount\":\"3\",\"desiredCount\":null}]}",
     "d2", ROLLOUT_IN_PROGRESS, 0},
    {"service not an object", "[]", "d2", ROLLOUT_GONE, 0},
    {"no status, no deployments, on old", "{\"taskDefinition\":\"" OLD "\"}", "d2",
     ROLLOUT_ROLLED_BACK, 0},
};

START_TEST(test_classify)
{
	json_object *svc = cr_cases[_i].service ? cr_json(cr_cases[_i].service) : NULL;
	struct rollout_state fs;

	rollout_classify(svc, cr_cases[_i].dep, OLD, NEW, &fs);
	ck_assert_msg(fs.verdict == cr_cases[_i].want, "%s: got %d, want %d", cr_cases[_i].name,
		      fs.verdict, cr_cases[_i].want);
	ck_assert_int_eq(fs.running, cr_cases[_i].running);
	if (fs.verdict == ROLLOUT_SUPERSEDED)
		ck_assert_str_eq(fs.deployment_id, "d9");
	json_object_put(svc);
}
END_TEST

/* ---- rollout_started: the deployment an UpdateService answer shows ---- */

static const struct {
	const char *name;
	const char *service;
	const char *want; /* id, or NULL: nothing to follow */
} cr_started[] = {
    {"AWS: a new PRIMARY on new",
     SVC(NEW, DEP("d2", "PRIMARY", NEW, "IN_PROGRESS", 0, 3) "," DEP("d1", "ACTIVE", OLD,
								     "COMPLETED", 3, 3)),
     "d2"},
    /* moto: the old PRIMARY stays, on the old revision: nothing to follow */
    {"emulator: old PRIMARY only", SVC(NEW, DEP("d1", "PRIMARY", OLD, "IN_PROGRESS", 0, 3)), NULL},
    {"no deployments", "{\"taskDefinition\":\"" NEW "\",\"deployments\":[]}", NULL},
    {"deployments missing", "{\"taskDefinition\":\"" NEW "\"}", NULL},
    {"PRIMARY on new without an id",
     "{\"deployments\":[{\"status\":\"PRIMARY\",\"taskDefinition\":\"" NEW "\"}]}", NULL},
    {"not an object", "[]", NULL},
};

START_TEST(test_started)
{
	json_object *svc = cr_json(cr_started[_i].service);
	const char *id = rollout_started(svc, NEW);

	if (cr_started[_i].want == NULL)
		ck_assert_msg(id == NULL, "%s: got %s", cr_started[_i].name, id);
	else
		ck_assert_msg(id != NULL && strcmp(id, cr_started[_i].want) == 0, "%s: got %s",
			      cr_started[_i].name, id ? id : "(null)");
	json_object_put(svc);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(rollout_verdict_name(ROLLOUT_ROLLED_BACK), "ROLLED_BACK");
	ck_assert_str_eq(rollout_verdict_name((enum rollout_verdict)99), "?");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rollout");
	TCase *tc = tcase_create("pure");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_classify, 0, sizeof cr_cases / sizeof cr_cases[0]);
	tcase_add_loop_test(tc, test_started, 0, sizeof cr_started / sizeof cr_started[0]);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
