/* check_hints.c: unit tests of the least-privilege hints table (core/hints.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/hints.h"
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

static size_t count_with(char **v, size_t n, const char *a, const char *b)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += strstr(v[i], a) != NULL && (b == NULL || strstr(v[i], b) != NULL);
	return k;
}

static void free_lines(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

#define TD                                                                                         \
	"{'taskDefinition':{'family':'agent','pidMode':'host','volumes':["                         \
	"{'name':'sock','host':{'sourcePath':'/var/run/docker.sock'}},"                            \
	"{'name':'proc','host':{'sourcePath':'/proc/'}},"                                          \
	"{'name':'devx','host':{'sourcePath':'/devx'}},"                                           \
	"{'name':'cg','host':{'sourcePath':'/sys/fs/cgroup'}},{'name':'efs'}],"                    \
	"'containerDefinitions':["                                                                 \
	"{'name':'dd','image':'public.ecr.aws/datadog/agent:7','privileged':true,'mountPoints':["  \
	"{'sourceVolume':'sock','containerPath':'/var/run/docker.sock'},"                          \
	"{'sourceVolume':'proc','containerPath':'/host/proc'},"                                    \
	"{'sourceVolume':'devx','containerPath':'/x'},{'sourceVolume':'efs'},{'sourceVolume':7},"  \
	"{'sourceVolume':'cg','containerPath':'/host/sys/fs/cgroup'}]},"                           \
	"{'name':'builder','image':'docker:24-dind','privileged':true},"                           \
	"{'name':'app','image':'nginx','mountPoints':[{'sourceVolume':'sock'}]}]}}"

START_TEST(test_hints_agent)
{
	json_object *td = to_json(TD);
	char **v = NULL;
	size_t n = 0, i;

	ck_assert_uint_eq(hints_for_taskdef(td, 1, &v, &n), 6);
	ck_assert_uint_eq(count_with(v, n, "container \"dd\" mounts the Docker socket",
				     "https://docs.docker.com/"),
			  1);
	ck_assert_uint_eq(count_with(v, n, "container \"dd\" mounts the host's /proc", NULL), 1);
	ck_assert_uint_eq(count_with(v, n, "container \"dd\" mounts the host's /sys", NULL), 1);
	ck_assert_uint_eq(count_with(v, n, "mounts the host's /dev", NULL), 0); /* /devx */
	ck_assert_uint_eq(count_with(v, n, "container \"dd\" runs the Datadog Agent", NULL), 1);
	ck_assert_uint_eq(
	    count_with(v, n, "container \"builder\" runs Docker-in-Docker", "ecsfix except"), 1);
	ck_assert_uint_eq(
	    count_with(v, n, "the task shares the host's process namespace", "SYS_PTRACE"), 1);
	ck_assert_uint_eq(count_with(v, n, "\"app\"", NULL), 0); /* not privileged */
	for (i = 0; i < n; i++)
		ck_assert_ptr_null(strchr(v[i], '\n'));
	/* every container */
	ck_assert_uint_eq(hints_for_taskdef(td, 0, &v, &n), 7);
	ck_assert_uint_eq(count_with(v, n, "container \"app\" mounts the Docker socket", NULL), 1);
	ck_assert(hints_mounts_docker_socket(
	    td, json_object_array_get_idx(
		    jsonx_array(jsonx_obj(td, "taskDefinition"), "containerDefinitions"), 2)));
	free_lines(v, n);
	json_object_put(td);
}
END_TEST

START_TEST(test_hints_none)
{
	json_object *td = to_json("{'family':'x','pidMode':'host','containerDefinitions':[{'name':"
				  "'a','image':'nginx'}]}");
	json_object *bad = to_json("{'family':'x','volumes':7,'containerDefinitions':[7,{'name':"
				   "3,'privileged':true,'image':5,'mountPoints':{}}]}");
	char **v = NULL;
	size_t n = 0;

	/* pidMode host without a privileged container: nothing to say for the fix */
	ck_assert_uint_eq(hints_for_taskdef(td, 1, &v, &n), 0);
	ck_assert_uint_eq(hints_for_taskdef(bad, 1, &v, &n), 0);
	ck_assert_uint_eq(hints_for_taskdef(td, 0, &v, &n), 1);
	free_lines(v, n);
	json_object_put(td);
	json_object_put(bad);
}
END_TEST

START_TEST(test_hints_table)
{
	size_t i;

	ck_assert_uint_ge(hints_count(), 10);
	for (i = 0; i < hints_count(); i++) {
		const struct hint_def *h = hints_get(i);

		ck_assert_int_eq(strncmp(h->link, "https://", 8), 0);
		ck_assert_ptr_nonnull(h->what);
		ck_assert_uint_gt(strlen(h->need), 20);
	}
	ck_assert_ptr_null(hints_get(hints_count()));
}
END_TEST

static Suite *hints_suite(void)
{
	Suite *s = suite_create("hints");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hints_agent);
	tcase_add_test(tc, test_hints_none);
	tcase_add_test(tc, test_hints_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hints_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
