/* check_verify.c: verify_judge, the pure part of the verification after an apply: what
 * Security Hub will show (it evaluates the latest ACTIVE revision only), the false-green
 * warning, the offer to deregister a failed new revision, and when CI/CD advice is given. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/apply.h"
#include "core/plan.h"
#include "core/verify.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

#define TD(r) "arn:aws:ecs:us-east-1:123456789012:task-definition/web:" #r
#define SVC(c, n, sel)                                                                             \
	"{\"serviceArn\":\"arn:aws:ecs:us-east-1:123456789012:service/" c "/" n                    \
	"\",\"serviceName\":\"" n "\",\"clusterArn\":\"arn:aws:ecs:us-east-1:123456789012:"        \
	"cluster/" c "\",\"taskDefinition\":\"" TD(4) "\",\"deploymentController\":\"ECS\","       \
						      "\"update\":true,\"selected\":" sel "}"

static const char *cv_plan =
    "{\"ecsfixPlan\":1,\"region\":\"us-east-1\",\"account\":\"123456789012\",\"source\":{"
    "\"taskDefinitionArn\":\"" TD(
	4) "\",\"family\":\"web\",\"digest\":\"sha256:00\","
	   "\"document\":{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"s\",\"user\":"
	   "\"1\","
	   "\"privileged\":true}]}},\"proposed\":{\"family\":\"web\",\"containerDefinitions\":[{"
	   "\"name\":\"s\",\"user\":\"1\",\"privileged\":false}]},\"options\":{},\"services\":"
	   "[" SVC("prod", "web", "true") "," SVC("staging", "web",
						  "false") "],\"changes\":[\"x\"]}";

/* One case: what prod/web and staging/web run after the apply, its outcomes. */
static const struct {
	const char *name;
	int prod_rev, staging_rev; /* revision each runs: 4 privileged, 5 fixed */
	int latest_rev;
	enum apply_outcome prod_outcome;
	int registered;
	int false_green;
	int deregister_offer;
	int cicd;
	const char *line;     /* a line that must be there */
	const char *not_line; /* one that must not, or NULL */
} cv_cases[] = {
    {"moved; staging left out on the old one", 5, 4, 5, APPLY_OUTCOME_COMPLETED, 1, 1, 0, 1,
     "Security Hub will show ECS.4 green although staging/web still runs web:4", NULL},
    {"moved; both on the new one", 5, 5, 5, APPLY_OUTCOME_COMPLETED, 1, 0, 0, 1,
     "Security Hub evaluates only the latest ACTIVE revision, web:5, on its next check: ECS.4 "
     "PASSED",
     "green although"},
    {"rolled back: the failed new revision is the latest", 4, 4, 5, APPLY_OUTCOME_ROLLED_BACK, 1, 1,
     1, 0, "web:5, the new revision that failed, is now the family's latest ACTIVE revision", NULL},
    {"rolled back onto a reused revision: not ours to deregister", 4, 4, 5,
     APPLY_OUTCOME_ROLLED_BACK, 0, 1, 0, 0, "prod/web still runs web:4",
     "new revision that failed"},
    {"failed, still on the new one: in use, no offer", 5, 4, 5, APPLY_OUTCOME_FAILED, 1, 1, 0, 0,
     "staging/web still runs web:4", "new revision that failed"},
    {"latest still fails: no false green", 4, 4, 4, APPLY_OUTCOME_ROLLED_BACK, 1, 0, 0, 0,
     "on its next check: ECS.4 FAILED", "green although"},
};

static void cv_service(struct verify_service *s, const char *cluster, int rev, int selected,
		       int new_rev)
{
	memset(s, 0, sizeof *s);
	s->cluster = xstrdup(cluster);
	s->name = xstrdup("web");
	s->selected = selected;
	s->task_definition =
	    xasprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/web:%d", rev);
	s->on_new = rev == new_rev;
	s->controls = xcalloc(2, sizeof *s->controls);
	s->controls[0].control = "ECS.4";
	s->controls[0].status = rev == 4 ? RULE_FAILED : RULE_PASSED;
	s->ncontrols = 1;
	s->passes = rev != 4;
	s->text = xstrdup("");
}

START_TEST(test_judge)
{
	struct plan *p = NULL;
	struct apply_result r;
	struct apply_service_result rs[2];
	struct verify_result v;
	struct err e;
	json_object *doc = NULL;
	size_t i;
	int found = 0, not_found = 1;

	err_clear(&e);
	ck_assert_int_eq(jsonx_parse(cv_plan, strlen(cv_plan), &doc, &e), 0);
	ck_assert_msg(plan_from_json_take(doc, &p, &e) == 0, "%s", e.msg);
	apply_result_init(&r);
	memset(rs, 0, sizeof rs);
	rs[0].outcome = cv_cases[_i].prod_outcome;
	rs[1].outcome = APPLY_OUTCOME_LEFT_OUT;
	r.services = rs;
	r.nservices = 2;
	r.registered = cv_cases[_i].registered;
	r.new_arn = (char *)TD(5);

	verify_result_init(&v);
	v.services = xcalloc(3, sizeof *v.services);
	cv_service(&v.services[0], "prod", cv_cases[_i].prod_rev, 1, 5);
	cv_service(&v.services[1], "staging", cv_cases[_i].staging_rev, 0, 5);
	v.nservices = 2;
	v.latest_arn = xasprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/web:%d",
				 cv_cases[_i].latest_rev);
	v.latest_controls = xcalloc(2, sizeof *v.latest_controls);
	v.latest_controls[0].control = "ECS.4";
	v.latest_controls[0].status = cv_cases[_i].latest_rev == 4 ? RULE_FAILED : RULE_PASSED;
	v.nlatest_controls = 1;
	v.latest_passes = cv_cases[_i].latest_rev != 4;

	verify_judge(p, &r, 0, &v);
	ck_assert_msg(v.false_green == cv_cases[_i].false_green, "%s: false_green %d",
		      cv_cases[_i].name, v.false_green);
	ck_assert_msg((v.failed_new_arn != NULL) == cv_cases[_i].deregister_offer,
		      "%s: failed_new_arn %s", cv_cases[_i].name,
		      v.failed_new_arn ? v.failed_new_arn : "(null)");
	ck_assert_msg(v.cicd_advice == cv_cases[_i].cicd, "%s: cicd %d", cv_cases[_i].name,
		      v.cicd_advice);
	ck_assert_ptr_nonnull(v.securityhub);
	for (i = 0; i < v.nlines; i++) {
		if (strstr(v.lines[i], cv_cases[_i].line) != NULL)
			found = 1;
		if (cv_cases[_i].not_line && strstr(v.lines[i], cv_cases[_i].not_line) != NULL)
			not_found = 0;
	}
	ck_assert_msg(found, "%s: no line with \"%s\"", cv_cases[_i].name, cv_cases[_i].line);
	ck_assert_msg(not_found, "%s: a line with \"%s\"", cv_cases[_i].name,
		      cv_cases[_i].not_line);
	verify_result_done(&v);
	plan_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("judge");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_judge, 0, sizeof cv_cases / sizeof cv_cases[0]);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
