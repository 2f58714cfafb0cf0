/* check_transform.c: unit tests of the remediation transform (core/transform.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/caps.h"
#include "core/rules.h"
#include "core/transform.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/xmalloc.h"

static json_object *tt_json(const char *text)
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

static json_object *tt_fixture(const char *name)
{
	const char *top = getenv("TOP_SRCDIR");
	char *path = xasprintf("%s/tests/data/taskdefs/%s", top ? top : ".", name), *buf;
	size_t len;
	json_object *o = NULL;
	struct err e;

	err_clear(&e);
	if (file_read_all(path, 1 << 20, &buf, &len, &e) || jsonx_parse(buf, len, &o, &e))
		ck_abort_msg("fixture %s: %s", path, e.msg);
	free(buf);
	free(path);
	return o;
}

/* The expected register input, built independently of transform.c: every key of the
 * taskDefinition in order except the nine output-only ones, then the non-aws: tags. */
static json_object *tt_expected_register(json_object *describe, const char *tags_json)
{
	static const char *const drop[] = {
	    "taskDefinitionArn",  "revision",        "status",
	    "requiresAttributes", "compatibilities", "registeredAt",
	    "registeredBy",       "deregisteredAt",  "deleteRequestedAt"};
	json_object *td = json_object_object_get(describe, "taskDefinition");
	json_object *out = json_object_new_object();
	size_t i;

	json_object_object_foreach(td, key, val)
	{
		int skip = 0;

		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			skip |= strcmp(key, drop[i]) == 0;
		if (!skip)
			json_object_object_add(out, key, jsonx_clone(val));
	}
	if (tags_json != NULL)
		json_object_object_add(out, "tags", tt_json(tags_json));
	return out;
}

/* Same document, same key order, same values: the pretty forms are equal. */
static void tt_assert_same(json_object *got, json_object *want)
{
	char *g = jsonx_pretty(got), *w = jsonx_pretty(want);

	ck_assert_msg(strcmp(g, w) == 0, "documents differ:\n--- got\n%s\n--- want\n%s", g, w);
	ck_assert(jsonx_equal(got, want));
	free(g);
	free(w);
}

static int tt_has(char **v, size_t n, const char *needle)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(v[i], needle) != NULL)
			return 1;
	return 0;
}

static json_object *tt_container(json_object *doc, size_t i)
{
	return json_object_array_get_idx(json_object_object_get(doc, "containerDefinitions"), i);
}

#define TAGS_KEPT "[{'key':'team','value':'paiements'},{'key':'name','value':'日本語のタグ'}]"

START_TEST(test_transform_maximal_no_options)
{
	json_object *in = tt_fixture("maximal-describe.json");
	json_object *want = tt_expected_register(in, TAGS_KEPT);
	struct transform_result r;
	struct err e;

	transform_result_init(&r);
	err_clear(&e);
	ck_assert_int_eq(transform_build(in, NULL, &r, &e), 0);
	/* baseline: the current revision as a register request */
	tt_assert_same(r.baseline, want);
	/* request: the same except privileged of the first container */
	json_object_object_add(tt_container(want, 0), "privileged", json_object_new_boolean(0));
	tt_assert_same(r.request, want);
	ck_assert_uint_eq(transform_changes(&r), 1);
	ck_assert_str_eq(r.changes[0], "container \"app\": privileged true -> false");
	ck_assert_uint_eq(rules_failed(&r.before, "ECS.4"), 1);
	ck_assert_uint_eq(rules_failed(&r.after, "ECS.4"), 0);
	ck_assert_uint_eq(rules_failed(&r.before, "ECS.1"), 0);
	ck_assert_uint_eq(rules_failed(&r.after, "ECS.1"), 1);
	ck_assert(tt_has(r.notes, r.nnotes, "privileged:false makes ECS.1 fail"));
	ck_assert(tt_has(r.notes, r.nnotes, "add --user"));
	ck_assert(tt_has(r.notes, r.nnotes, "host network mode (ECS.17"));
	/* the input is untouched */
	ck_assert_int_eq(
	    jsonx_bool(tt_container(json_object_object_get(in, "taskDefinition"), 0), "privileged"),
	    1);
	transform_result_done(&r);
	ck_assert_ptr_null(r.request);
	json_object_put(want);
	json_object_put(in);
}
END_TEST

START_TEST(test_transform_maximal_user_awsvpc)
{
	json_object *in = tt_fixture("maximal-describe.json");
	json_object *want = tt_expected_register(in, TAGS_KEPT);
	struct transform_options o = {.user = "1000", .network_mode = TRANSFORM_NET_AWSVPC};
	struct transform_result r;
	json_object *c0, *pm;
	struct err e;

	transform_result_init(&r);
	err_clear(&e);
	ck_assert_int_eq(transform_build(in, &o, &r, &e), 0);
	json_object_object_add(want, "networkMode", json_object_new_string("awsvpc"));
	c0 = tt_container(want, 0);
	json_object_object_add(c0, "privileged", json_object_new_boolean(0));
	json_object_object_add(c0, "user", json_object_new_string("1000"));
	json_object_object_del(c0, "links");
	json_object_object_del(c0, "hostname");
	json_object_object_del(c0, "extraHosts");
	pm = json_object_array_get_idx(json_object_object_get(c0, "portMappings"), 1);
	json_object_object_del(pm, "hostPort"); /* 19090 != 9090; 8080 == 8080 stays */
	tt_assert_same(r.request, want);
	ck_assert_uint_eq(transform_changes(&r), 7);
	ck_assert(tt_has(r.changes, r.nchanges, "networkMode host -> awsvpc"));
	ck_assert(tt_has(r.changes, r.nchanges, "user \"0\" -> \"1000\""));
	ck_assert(tt_has(r.changes, r.nchanges, "portMappings[1].hostPort 19090 removed"));
	ck_assert(tt_has(r.notes, r.nnotes, "--subnets, --security-groups"));
	ck_assert(!tt_has(r.notes, r.nnotes, "ECS.1"));
	ck_assert_uint_eq(rules_failed_mask(&r.after, rules_default_mask()), 0);
	ck_assert_uint_eq(rules_failed(&r.after, "ECS.1"), 0);
	ck_assert_uint_eq(rules_failed(&r.after, "ECS.3"), 1); /* pidMode host is kept */
	transform_result_done(&r);
	json_object_put(want);
	json_object_put(in);
}
END_TEST

START_TEST(test_transform_bridge_and_user_added)
{
	json_object *in = tt_json(
	    "{'taskDefinition':{'family':'w','networkMode':'host','containerDefinitions':[{'name':"
	    "'a','privileged':true,'portMappings':[{'containerPort':80},{'containerPort':81,"
	    "'hostPort':81}],'links':['b']},{'name':'b','user':'1000'}],'revision':3},"
	    "'tags':[{'key':'aws:x','value':'y'}]}");
	struct transform_options o = {.user = "1000:1000", .network_mode = TRANSFORM_NET_BRIDGE};
	struct transform_result r;
	json_object *want;
	struct err e;

	transform_result_init(&r);
	err_clear(&e);
	ck_assert_int_eq(transform_build(in, &o, &r, &e), 0);
	/* aws: tags only: no tags key; user appended last; bridge keeps links and hostPort */
	want = tt_json("{'family':'w','networkMode':'bridge','containerDefinitions':[{'name':'a',"
		       "'privileged':false,'portMappings':[{'containerPort':80},{'containerPort':"
		       "81,'hostPort':81}],'links':['b'],'user':'1000:1000'},{'name':'b','user':"
		       "'1000'}]}");
	tt_assert_same(r.request, want);
	ck_assert_uint_eq(transform_changes(&r), 3);
	ck_assert(tt_has(r.notes, r.nnotes, "containerPort 80 gets a dynamic host port"));
	ck_assert(!tt_has(r.notes, r.nnotes, "containerPort 81"));
	ck_assert(!tt_has(r.notes, r.nnotes, "awsvpc"));
	transform_result_done(&r);
	json_object_put(want);
	json_object_put(in);
}
END_TEST

START_TEST(test_transform_nothing_to_do)
{
	json_object *in = tt_json("{'family':'ok','networkMode':'awsvpc','containerDefinitions':"
				  "[{'name':'a','user':'1000','privileged':false}],'tags':[{'key':"
				  "'t','value':'v'}]}");
	struct transform_options o = {.user = "1000", .network_mode = TRANSFORM_NET_AWSVPC};
	struct transform_result r;
	struct err e;

	transform_result_init(&r);
	err_clear(&e);
	ck_assert_int_eq(transform_build(in, &o, &r, &e), 0);
	ck_assert_uint_eq(transform_changes(&r), 0);
	tt_assert_same(r.request, in); /* a bare register input keeps its own tags */
	tt_assert_same(r.baseline, r.request);
	ck_assert_uint_eq(r.nnotes, 0);
	transform_result_done(&r);
	json_object_put(in);
}
END_TEST

START_TEST(test_transform_errors)
{
	json_object *fg = tt_json("{'requiresCompatibilities':['FARGATE'],'networkMode':'awsvpc',"
				  "'containerDefinitions':[{'name':'a','privileged':true}]}");
	json_object *arr = tt_json("[1,2]");
	struct transform_options root = {.user = "0:0", .network_mode = TRANSFORM_NET_KEEP};
	struct transform_options bridge = {.user = NULL, .network_mode = TRANSFORM_NET_BRIDGE};
	struct transform_result r;
	enum transform_network net;
	struct err e;

	transform_result_init(&r);
	err_clear(&e);
	ck_assert_int_eq(transform_build(fg, &root, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "is root"));
	ck_assert_ptr_null(r.request);
	ck_assert_int_eq(transform_build(fg, &bridge, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "Fargate"));
	ck_assert_ptr_null(r.baseline);
	ck_assert_int_eq(transform_build(arr, NULL, &r, &e), -1);
	ck_assert_int_eq(transform_build(fg, NULL, &r, &e), 0);
	ck_assert_uint_eq(transform_changes(&r), 1);
	transform_result_done(&r);
	ck_assert_int_eq(transform_parse_network("awsvpc", &net, &e), 0);
	ck_assert_int_eq(net, TRANSFORM_NET_AWSVPC);
	ck_assert_int_eq(transform_parse_network("bridge", &net, &e), 0);
	ck_assert_int_eq(net, TRANSFORM_NET_BRIDGE);
	ck_assert_int_eq(transform_parse_network("host", &net, &e), -1);
	ck_assert(transform_is_output_only("deleteRequestedAt"));
	ck_assert(!transform_is_output_only("family"));
	json_object_put(fg);
	json_object_put(arr);
}
END_TEST

START_TEST(test_transform_platforms)
{
	json_object *win = tt_json(
	    "{'family':'w','runtimePlatform':{'operatingSystemFamily':'WINDOWS_SERVER_2022_CORE'},"
	    "'containerDefinitions':[{'name':'iis'}]}");
	json_object *fg = tt_json("{'family':'f','requiresCompatibilities':['FARGATE'],"
				  "'networkMode':'awsvpc','containerDefinitions':[{'name':'a',"
				  "'privileged':true,'user':'root'}]}");
	struct transform_options o = {.user = "1000", .network_mode = TRANSFORM_NET_AWSVPC};
	struct transform_result r;
	struct err e;

	/* Windows: no user is set (ECS.20 does not apply); awsvpc is allowed */
	transform_result_init(&r);
	err_clear(&e);
	ck_assert_int_eq(transform_build(win, &o, &r, &e), 0);
	ck_assert_uint_eq(transform_changes(&r), 1);
	ck_assert_str_eq(r.changes[0], "networkMode (not set) -> awsvpc");
	ck_assert_ptr_null(jsonx_str(tt_container(r.request, 0), "user"));
	transform_result_done(&r);
	/* Fargate: privileged goes, the root user is replaced, awsvpc is already there */
	ck_assert_int_eq(transform_build(fg, &o, &r, &e), 0);
	ck_assert_uint_eq(transform_changes(&r), 2);
	ck_assert_str_eq(jsonx_str(tt_container(r.request, 0), "user"), "1000");
	ck_assert_uint_eq(rules_failed_mask(&r.after, rules_all_mask()), 1); /* ECS.5 only */
	ck_assert_uint_eq(rules_failed(&r.after, "ECS.5"), 1);
	ck_assert(!tt_has(r.notes, r.nnotes, "subnets")); /* no conversion, no note */
	transform_result_done(&r);
	json_object_put(win);
	json_object_put(fg);
}
END_TEST

START_TEST(test_transform_cap_add_maximal)
{
	json_object *in = tt_fixture("maximal-describe.json");
	json_object *want = tt_expected_register(in, TAGS_KEPT);
	const char *caps[] = {"net_raw", "NET_ADMIN"};
	json_object *devs = json_object_new_array(), *c0, *lp;
	struct transform_options o = {.cap_add = caps, .ncap_add = 2, .devices = devs};
	struct transform_result r;
	struct caps_device d;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(caps_parse_device("/dev/snd:/dev/snd:rw", &d, &e), 0);
	json_object_array_add(devs, caps_device_json(&d));
	ck_assert_int_eq(caps_parse_device("/dev/fuse", &d, &e), 0);
	json_object_array_add(devs, caps_device_json(&d));
	transform_result_init(&r);
	ck_assert_int_eq(transform_build(in, &o, &r, &e), 0);
	/* privileged false, NET_RAW appended after what is there, /dev/snd appended; /dev/fuse
	 * is already mapped; every other key and value as it was */
	c0 = tt_container(want, 0);
	json_object_object_add(c0, "privileged", json_object_new_boolean(0));
	lp = json_object_object_get(c0, "linuxParameters");
	json_object_array_add(
	    json_object_object_get(json_object_object_get(lp, "capabilities"), "add"),
	    json_object_new_string("NET_RAW"));
	json_object_array_add(json_object_object_get(lp, "devices"),
			      tt_json("{'hostPath':'/dev/snd','containerPath':'/dev/snd',"
				      "'permissions':['read','write']}"));
	tt_assert_same(r.request, want);
	ck_assert_uint_eq(transform_changes(&r), 3);
	ck_assert(tt_has(r.changes, r.nchanges, "capabilities.add + NET_RAW"));
	ck_assert(!tt_has(r.changes, r.nchanges, "+ NET_ADMIN"));
	ck_assert(
	    tt_has(r.changes, r.nchanges, "devices + /dev/snd -> /dev/snd [\"read\",\"write\"]"));
	ck_assert(tt_has(r.notes, r.nnotes, "1 device(s) already mapped from the same host path"));
	ck_assert(tt_has(r.notes, r.nnotes, "were ignored while it was privileged"));
	ck_assert_uint_eq(rules_failed(&r.after, "ECS.4"), 0);
	transform_result_done(&r);
	json_object_put(want);
	json_object_put(in);
	json_object_put(devs);
}
END_TEST

START_TEST(test_transform_cap_add_minimal)
{
	json_object *in = tt_json("{'family':'f','containerDefinitions':[{'name':'a','image':'x',"
				  "'privileged':true,'memory':128},{'name':'b','image':'y'}]}");
	const char *caps[] = {"NET_ADMIN"};
	struct transform_options o = {.cap_add = caps, .ncap_add = 1};
	struct transform_result r;
	json_object *want;
	struct err e;

	err_clear(&e);
	transform_result_init(&r);
	ck_assert_int_eq(transform_build(in, &o, &r, &e), 0);
	want = tt_json("{'family':'f','containerDefinitions':[{'name':'a','image':'x',"
		       "'privileged':false,'memory':128,'linuxParameters':{'capabilities':{'add':"
		       "['NET_ADMIN']}}},{'name':'b','image':'y'}]}");
	tt_assert_same(r.request, want);
	ck_assert_uint_eq(transform_changes(&r), 2);
	ck_assert(!tt_has(r.notes, r.nnotes, "ignored while"));
	transform_result_done(&r);
	json_object_put(want);
	/* no privileged container: nothing to do, and it says why */
	json_object_put(in);
	in = tt_json("{'family':'f','containerDefinitions':[{'name':'a','image':'x'}]}");
	ck_assert_int_eq(transform_build(in, &o, &r, &e), 0);
	ck_assert_uint_eq(transform_changes(&r), 0);
	ck_assert(tt_has(r.notes, r.nnotes, "no container is privileged"));
	transform_result_done(&r);
	json_object_put(in);
}
END_TEST

START_TEST(test_transform_cap_add_errors)
{
	json_object *fg = tt_json("{'family':'f','requiresCompatibilities':['FARGATE'],"
				  "'networkMode':'awsvpc','containerDefinitions':[{'name':'a',"
				  "'privileged':true}]}");
	json_object *win =
	    tt_json("{'family':'w','runtimePlatform':{'operatingSystemFamily':"
		    "'WINDOWS_SERVER_2022_CORE'},'containerDefinitions':[{'name':'a',"
		    "'privileged':true}]}");
	const char *bad[] = {"NET_ADMINN"}, *net[] = {"NET_ADMIN"}, *ptrace[] = {"sys_ptrace"};
	json_object *devs = json_object_new_array();
	struct transform_options o = {.cap_add = bad, .ncap_add = 1};
	struct caps_device d;
	struct transform_result r;
	struct err e;

	err_clear(&e);
	transform_result_init(&r);
	ck_assert_int_eq(transform_build(fg, &o, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "\"NET_ADMINN\" is not a Linux capability"));
	ck_assert_ptr_null(r.request);
	o.cap_add = net;
	ck_assert_int_eq(transform_build(fg, &o, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "Fargate accepts only SYS_PTRACE"));
	ck_assert_int_eq(transform_build(win, &o, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "Windows"));
	o.cap_add = ptrace;
	ck_assert_int_eq(transform_build(fg, &o, &r, &e), 0);
	ck_assert(tt_has(r.changes, r.nchanges, "capabilities.add + SYS_PTRACE"));
	transform_result_done(&r);
	ck_assert_int_eq(caps_parse_device("/dev/kmsg", &d, &e), 0);
	json_object_array_add(devs, caps_device_json(&d));
	o.ncap_add = 0;
	o.devices = devs;
	ck_assert_int_eq(transform_build(fg, &o, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "Fargate does not support host devices"));
	json_object_put(devs);
	json_object_put(fg);
	json_object_put(win);
}
END_TEST

static Suite *transform_suite(void)
{
	Suite *s = suite_create("transform");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_transform_maximal_no_options);
	tcase_add_test(tc, test_transform_maximal_user_awsvpc);
	tcase_add_test(tc, test_transform_bridge_and_user_added);
	tcase_add_test(tc, test_transform_nothing_to_do);
	tcase_add_test(tc, test_transform_errors);
	tcase_add_test(tc, test_transform_platforms);
	tcase_add_test(tc, test_transform_cap_add_maximal);
	tcase_add_test(tc, test_transform_cap_add_minimal);
	tcase_add_test(tc, test_transform_cap_add_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(transform_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
