/* check_owner.c: unit tests of owner resolution and the owner-tags setting (core/owner.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/owner.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

static json_object *to_json(const char *text)
{
	char *s, *p;
	json_object *o = NULL;
	struct err e;

	if (text == NULL)
		return NULL;
	s = xstrdup(text);
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	err_clear(&e);
	if (jsonx_parse(s, strlen(s), &o, &e))
		ck_abort_msg("bad test JSON %s: %s", text, e.msg);
	free(s);
	return o;
}

/* One case: revision tags, service tags, registeredBy, the --owner-tags list (NULL:
 * default) -> name and source (NULL: unknown). */
struct owner_case {
	const char *td_tags;
	const char *svc_tags;
	const char *registered_by;
	const char *keys;
	const char *name;
	const char *source;
};

static const struct owner_case owner_cases[] = {
    /* the first key in key order wins, not the first tag */
    {"{'team':'payments','owner':'alice'}", NULL, NULL, NULL, "alice", "tag:owner"},
    {"{'Team':'payments','CostCenter':'cc-42'}", NULL, NULL, NULL, "payments", "tag:Team"},
    {"{'CostCenter':'cc-42'}", NULL, NULL, NULL, "cc-42", "tag:CostCenter"},
    {"{'email':'ops@example.com','contact':'#ops'}", NULL, NULL, NULL, "#ops", "tag:contact"},
    /* the AWS form of tags works too */
    {"[{'key':'env','value':'prod'},{'key':'Owner','value':'bob'}]", NULL, NULL, NULL, "bob",
     "tag:Owner"},
    /* keys are case-sensitive: OWNER is not a default key */
    {"{'OWNER':'carol'}", NULL, NULL, NULL, NULL, NULL},
    /* blank values are skipped; values are trimmed; UTF-8 kept */
    {"{'owner':'  ','team':' équipe-données '}", NULL, NULL, NULL, "équipe-données", "tag:team"},
    /* revision tags win over registeredBy, which wins over service tags */
    {"{'team':'a'}", "{'owner':'b'}", "arn:aws:iam::123456789012:user/dave", NULL, "a", "tag:team"},
    {"{'env':'prod'}", "{'owner':'b'}", "arn:aws:iam::123456789012:user/dave", NULL, "dave",
     "registeredBy"},
    {"{'env':'prod'}", "{'owner':'b'}", NULL, NULL, "b", "service-tag:owner"},
    {"{'env':'prod'}", "{'owner':'b'}", "", NULL, "b", "service-tag:owner"},
    {"{}", "[{'key':'team','value':'web'}]", NULL, NULL, "web", "service-tag:team"},
    {NULL, NULL, "arn:aws:iam::123456789012:user/dave", NULL, "dave", "registeredBy"},
    {NULL, NULL, "arn:aws:iam::123456789012:user/division/eng/erin", NULL, "erin", "registeredBy"},
    {NULL, NULL, "arn:aws:sts::123456789012:assumed-role/deployer/alice@example.com", NULL,
     "alice@example.com", "registeredBy"},
    {NULL, NULL, "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/frank", NULL,
     "frank", "registeredBy"},
    /* machine-made session names give the role */
    {NULL, NULL, "arn:aws:sts::123456789012:assumed-role/ci-deployer/botocore-session-1700000",
     NULL, "ci-deployer", "registeredBy"},
    {NULL, NULL, "arn:aws:sts::123456789012:assumed-role/ec2-build/i-0abc123def4567890", NULL,
     "ec2-build", "registeredBy"},
    {NULL, NULL, "arn:aws:sts::123456789012:assumed-role/gh/1700000000123", NULL, "gh",
     "registeredBy"},
    {NULL, NULL, "arn:aws:sts::123456789012:assumed-role/gh/GitHubActions", NULL, "GitHubActions",
     "registeredBy"},
    {NULL, NULL, "arn:aws:iam::123456789012:role/service-role/deploy", NULL, "deploy",
     "registeredBy"},
    {NULL, NULL, "arn:aws:sts::123456789012:federated-user/gina", NULL, "gina", "registeredBy"},
    {NULL, NULL, "arn:aws:iam::123456789012:root", NULL, "root", "registeredBy"},
    {NULL, NULL, "arn:aws-us-gov:iam::123456789012:user/hal", NULL, "hal", "registeredBy"},
    {NULL, NULL, "jenkins", NULL, "jenkins", "registeredBy"},
    {NULL, NULL, "", NULL, NULL, NULL},
    {"{'owner':'x'}", "{'owner':'y'}", NULL, NULL, "x", "tag:owner"},
    /* configured keys replace the defaults */
    {"{'owner':'alice','squad':'red'}", NULL, NULL, "squad", "red", "tag:squad"},
    {"{'owner':'alice'}", "{'squad':'red'}", NULL, " squad , owner ", "alice", "tag:owner"},
    {"{'owner':'alice'}", NULL, "arn:aws:iam::123456789012:user/dave", "squad", "dave",
     "registeredBy"},
    {"{'owner':'alice'}", "{'squad':'red'}", "arn:aws:iam::123456789012:user/dave", "squad", "dave",
     "registeredBy"},
    /* control characters from the account never reach a terminal */
    {"{'owner':'evil\\u001b[2Jname'}", NULL, NULL, NULL, "evil?[2Jname", "tag:owner"},
    /* wrong types are ignored, not a crash */
    {"{'owner':42}", "'x'", NULL, NULL, NULL, NULL},
    {"[{'key':'owner'},{'value':'v'},7]", "[]", NULL, NULL, NULL, NULL},
};

START_TEST(test_owner_resolve_table)
{
	const struct owner_case *c = &owner_cases[_i];
	json_object *td = to_json(c->td_tags), *svc = to_json(c->svc_tags), *j;
	struct owner_keys k;
	struct owner o;
	struct err e;

	owner_keys_init(&k);
	err_clear(&e);
	if (c->keys != NULL)
		ck_assert_int_eq(owner_keys_parse(&k, c->keys, &e), 0);
	owner_resolve(&k, td, svc, c->registered_by, &o);
	if (c->name == NULL) {
		ck_assert_msg(o.name == NULL, "case %d: got %s", _i, o.name);
		ck_assert_ptr_null(o.source);
		ck_assert_ptr_null(owner_to_json(&o));
	} else {
		ck_assert_msg(o.name != NULL && strcmp(o.name, c->name) == 0,
			      "case %d: name %s, want %s", _i, o.name ? o.name : "(null)", c->name);
		ck_assert_str_eq(o.source, c->source);
		j = json_object_new_object();
		json_object_object_add(j, "owner", owner_to_json(&o));
		ck_assert_str_eq(owner_name_of(j), c->name);
		ck_assert_str_eq(jsonx_str(jsonx_obj(j, "owner"), "source"), c->source);
		json_object_put(j);
	}
	owner_done(&o);
	ck_assert_ptr_null(o.name);
	owner_keys_done(&k);
	json_object_put(td);
	json_object_put(svc);
}
END_TEST

START_TEST(test_owner_keys)
{
	struct owner_keys k;
	struct err e;

	owner_keys_init(&k);
	ck_assert_uint_eq(k.n, 7);
	ck_assert_str_eq(k.v[0], "owner");
	ck_assert_str_eq(k.v[6], "CostCenter");
	err_clear(&e);
	ck_assert_int_eq(owner_keys_parse(&k, "a,,b", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "empty tag key"));
	ck_assert_uint_eq(k.n, 7); /* unchanged on error */
	ck_assert_int_eq(owner_keys_parse(&k, "", &e), -1);
	ck_assert_int_eq(owner_keys_parse(&k, "x", &e), 0);
	ck_assert_uint_eq(k.n, 1);
	ck_assert_str_eq(k.v[0], "x");
	owner_keys_done(&k);
	ck_assert_uint_eq(k.n, 0);
}
END_TEST

static char *write_tmp(const char *content)
{
	char *path = xstrdup("/tmp/check_owner_XXXXXX");
	int fd = mkstemp(path);
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs(content, fp);
	fclose(fp);
	return path;
}

START_TEST(test_owner_keys_load)
{
	struct owner_keys k;
	struct err e;
	char *p;

	err_clear(&e);
	/* missing config: defaults */
	ck_assert_int_eq(owner_keys_load(&k, NULL, "/nonexistent/ecsfix.json", &e), 0);
	ck_assert_uint_eq(k.n, 7);
	owner_keys_done(&k);
	/* the config file's array */
	p = write_tmp("{\"ownerTags\": [\"squad\", \"owner\"], \"other\": 1}");
	ck_assert_int_eq(owner_keys_load(&k, NULL, p, &e), 0);
	ck_assert_uint_eq(k.n, 2);
	ck_assert_str_eq(k.v[0], "squad");
	owner_keys_done(&k);
	/* --owner-tags wins over the file */
	ck_assert_int_eq(owner_keys_load(&k, "team", p, &e), 0);
	ck_assert_uint_eq(k.n, 1);
	ck_assert_str_eq(k.v[0], "team");
	owner_keys_done(&k);
	unlink(p);
	free(p);
	/* a comma string works too; no ownerTags: defaults */
	p = write_tmp("{\"ownerTags\": \"a, b\"}");
	ck_assert_int_eq(owner_keys_load(&k, NULL, p, &e), 0);
	ck_assert_uint_eq(k.n, 2);
	ck_assert_str_eq(k.v[1], "b");
	owner_keys_done(&k);
	unlink(p);
	free(p);
	p = write_tmp("{}");
	ck_assert_int_eq(owner_keys_load(&k, NULL, p, &e), 0);
	ck_assert_uint_eq(k.n, 7);
	owner_keys_done(&k);
	unlink(p);
	free(p);
	/* malformed: one clear error naming the file */
	p = write_tmp("{\"ownerTags\": [1]}");
	ck_assert_int_eq(owner_keys_load(&k, NULL, p, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, p));
	ck_assert_ptr_nonnull(strstr(e.msg, "ownerTags[0]"));
	owner_keys_done(&k);
	unlink(p);
	free(p);
	p = write_tmp("{\"ownerTags\": ");
	ck_assert_int_eq(owner_keys_load(&k, NULL, p, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, p));
	owner_keys_done(&k);
	unlink(p);
	free(p);
	ck_assert_int_eq(owner_keys_load(&k, "a,,", NULL, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "--owner-tags"));
	owner_keys_done(&k);
}
END_TEST

START_TEST(test_owner_config_path)
{
	char *p;

	setenv("ECSFIX_CONFIG", "/x/c.json", 1);
	p = owner_config_path();
	ck_assert_str_eq(p, "/x/c.json");
	free(p);
	unsetenv("ECSFIX_CONFIG");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = owner_config_path();
	ck_assert_str_eq(p, "/xdg/ecsfix/config.json");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	p = owner_config_path();
	ck_assert_str_eq(p, "/home/u/.config/ecsfix/config.json");
	free(p);
}
END_TEST

/* A held-out style report: owner tags on some revisions, registeredBy on others, service tags. */
START_TEST(test_owner_mark_report)
{
	json_object *r = to_json(
	    "{'taskDefinitions':["
	    "{'arn':'td/a:1','tags':{'owner':'alice'},'registeredBy':'arn:aws:iam::1:user/bob',"
	    "'services':['svc/a'],'result':'FAILED'},"
	    "{'arn':'td/b:2','tags':{},'registeredBy':"
	    "'arn:aws:sts::1:assumed-role/deploy/carol@example.com','services':['svc/b'],"
	    "'result':'FAILED'},"
	    "{'arn':'td/c:3','tags':{},'registeredBy':null,'services':['svc/c1','svc/c2'],"
	    "'result':'PASSED'},"
	    "{'arn':'td/d:4','tags':{},'services':[],'result':'EXCEPTED'}],"
	    "'services':["
	    "{'arn':'svc/a','taskDefinition':'td/a:1','tags':{'owner':'svc-owner'},'status':"
	    "'FAILED'},"
	    "{'arn':'svc/b','taskDefinition':'td/b:2','tags':{'owner':'svc-owner'},'status':"
	    "'FAILED'},"
	    "{'arn':'svc/c1','taskDefinition':'td/c:3','tags':{},'status':'PASSED'},"
	    "{'arn':'svc/c2','taskDefinition':'td/c:3','tags':{'team':'web'},'status':'PASSED'},"
	    "{'arn':'svc/x','taskDefinition':'td/unknown:1','status':'UNKNOWN'}]}");
	json_object *sum, *e;

	owner_mark_report(r, NULL);
#define TD_OWNER(i)                                                                                \
	jsonx_obj(json_object_array_get_idx(jsonx_array(r, "taskDefinitions"), i), "owner")
#define SVC_OWNER(i) jsonx_obj(json_object_array_get_idx(jsonx_array(r, "services"), i), "owner")
	ck_assert_str_eq(jsonx_str(TD_OWNER(0), "name"), "alice");
	ck_assert_str_eq(jsonx_str(TD_OWNER(0), "source"), "tag:owner");
	ck_assert_str_eq(jsonx_str(TD_OWNER(1), "name"), "carol@example.com");
	ck_assert_str_eq(jsonx_str(TD_OWNER(1), "source"), "registeredBy");
	ck_assert_str_eq(jsonx_str(TD_OWNER(2), "name"), "web"); /* the second service's tag */
	ck_assert_str_eq(jsonx_str(TD_OWNER(2), "source"), "service-tag:team");
	ck_assert_ptr_null(TD_OWNER(3));
	ck_assert_str_eq(jsonx_str(SVC_OWNER(0), "name"), "alice");
	ck_assert_str_eq(jsonx_str(SVC_OWNER(1), "name"), "carol@example.com");
	ck_assert_ptr_null(SVC_OWNER(2));
	ck_assert_str_eq(jsonx_str(SVC_OWNER(3), "source"), "service-tag:team");
	ck_assert_ptr_null(SVC_OWNER(4));
	/* :owners counts */
	sum = owner_summary(r);
	ck_assert_uint_eq(json_object_array_length(sum), 4);
	e = json_object_array_get_idx(sum, 0); /* failing first, then by name */
	ck_assert_str_eq(jsonx_str(e, "name"), "alice");
	ck_assert_int_eq(jsonx_int(e, "servicesFailing", -1), 1);
	ck_assert_int_eq(jsonx_int(e, "taskDefinitionsFailing", -1), 1);
	e = json_object_array_get_idx(sum, 1);
	ck_assert_str_eq(jsonx_str(e, "name"), "carol@example.com");
	e = json_object_array_get_idx(sum, 2);
	ck_assert_str_eq(jsonx_str(e, "name"), "web");
	ck_assert_int_eq(jsonx_int(e, "services", -1), 1);
	ck_assert_int_eq(jsonx_int(e, "taskDefinitions", -1), 1);
	ck_assert_int_eq(jsonx_int(e, "servicesFailing", -1), 0);
	e = json_object_array_get_idx(sum, 3); /* no owner last */
	ck_assert_ptr_null(jsonx_str(e, "name"));
	ck_assert_int_eq(jsonx_int(e, "services", -1), 2);
	ck_assert_int_eq(jsonx_int(e, "excepted", -1), 1);
	json_object_put(sum);
	json_object_put(r);
}
END_TEST

static Suite *owner_suite(void)
{
	Suite *s = suite_create("owner");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_owner_resolve_table, 0,
			    (int)(sizeof owner_cases / sizeof owner_cases[0]));
	tcase_add_test(tc, test_owner_keys);
	tcase_add_test(tc, test_owner_keys_load);
	tcase_add_test(tc, test_owner_config_path);
	tcase_add_test(tc, test_owner_mark_report);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(owner_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
