/* check_lint.c: unit tests of the position tokenizer (core/jsonpos.c, checked against json-c)
 * and of lint's byte-exact --fix (core/lint.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/caps.h"
#include "core/jsonpos.h"
#include "core/lint_read.h"
#include "core/lint.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/jsonx.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static char *cl_read(const char *rel, size_t *len)
{
	const char *top = getenv("TOP_SRCDIR");
	char *path = xasprintf("%s/%s", top ? top : ".", rel), *buf;
	struct err e;

	err_clear(&e);
	if (file_read_all(path, 1 << 20, &buf, len, &e))
		ck_abort_msg("%s: %s", path, e.msg);
	free(path);
	return buf;
}

/* Walks json-c's tree and ours together: same types, keys, children and scalar values. */
static void cl_walk(const struct jsonpos_doc *d, int n, json_object *j)
{
	const struct jsonpos_node *p = &d->nodes[n];
	int c;
	size_t i = 0;

	switch (json_object_get_type(j)) {
	case json_type_object:
		ck_assert_int_eq(p->type, JSONPOS_OBJECT);
		ck_assert_uint_eq(p->nchildren, (size_t)json_object_object_length(j));
		for (c = p->first_child; c >= 0; c = d->nodes[c].next) {
			json_object *v;

			ck_assert(json_object_object_get_ex(j, d->nodes[c].key, &v));
			ck_assert_int_eq(jsonpos_member(d, n, d->nodes[c].key), c);
			cl_walk(d, c, v);
		}
		return;
	case json_type_array:
		ck_assert_int_eq(p->type, JSONPOS_ARRAY);
		ck_assert_uint_eq(p->nchildren, json_object_array_length(j));
		for (c = p->first_child; c >= 0; c = d->nodes[c].next, i++) {
			ck_assert_int_eq(jsonpos_element(d, n, i), c);
			cl_walk(d, c, json_object_array_get_idx(j, i));
		}
		return;
	default: {
		/* the value's own bytes parse to the same value */
		json_object *v = NULL;
		struct err e;
		/* json-c needs a byte after a top-level number or literal to know it ended */
		char *span = xasprintf("%.*s ", (int)(p->end - p->start), d->buf + p->start);

		err_clear(&e);
		ck_assert_msg(jsonx_parse(span, strlen(span), &v, &e) == 0, "span %.*s: %s",
			      (int)(p->end - p->start), d->buf + p->start, e.msg);
		ck_assert_msg(jsonx_equal(v, j), "span %.*s", (int)(p->end - p->start),
			      d->buf + p->start);
		json_object_put(v);
		free(span);
	}
	}
}

static const char *const cl_files[] = {
    "tests/data/taskdefs/maximal-describe.json",
    "tests/data/lint/register-2space.json",
    "tests/data/lint/register-tab.json",
    "tests/data/lint/register-min.json",
    "tests/data/lint/crlf.json",
    "tests/data/lint/containers.json",
};

START_TEST(test_jsonpos_matches_jsonc_files)
{
	size_t len;
	char *buf = cl_read(cl_files[_i], &len);
	struct jsonpos_doc d;
	json_object *j;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(jsonx_parse(buf, len, &j, &e), 0);
	ck_assert_int_eq(jsonpos_parse(buf, len, &d, &e), 0);
	cl_walk(&d, 0, j);
	json_object_put(j);
	jsonpos_done(&d);
	free(buf);
}
END_TEST

static const char *const cl_docs[] = {
    "{\"a\\u0062c\": [1, -0, 2.5e+3, -1.25E-2, 0.0], \"\\ud83d\\ude80\": \"\\\"q\\\\\\/\\n\"}",
    "  [true, false, null, {}, [], \"\", {\"\": 0}]  ",
    "{\"dup\": 1, \"dup\": 2}",
    "[\"\xc3\xa9t\xc3\xa9 \xe2\x9c\x93\"]",
};

START_TEST(test_jsonpos_matches_jsonc_docs)
{
	const char *s = cl_docs[_i];
	struct jsonpos_doc d;
	json_object *j;
	struct err e;

	err_clear(&e);
	ck_assert_int_eq(jsonx_parse(s, strlen(s), &j, &e), 0);
	ck_assert_int_eq(jsonpos_parse(s, strlen(s), &d, &e), 0);
	if (json_object_is_type(j, json_type_object) && json_object_object_length(j) == 1 &&
	    d.nodes[0].nchildren == 2) {
		/* duplicate keys: json-c keeps the last value; so does jsonpos_member */
		int m = jsonpos_member(&d, 0, "dup");

		ck_assert_int_eq(m, d.nodes[d.nodes[0].first_child].next);
		ck_assert_int_eq(json_object_get_int(json_object_object_get(j, "dup")), 2);
	} else {
		cl_walk(&d, 0, j);
	}
	json_object_put(j);
	jsonpos_done(&d);
}
END_TEST

static const char *const cl_bad[] = {
    "",
    "{",
    "[1,]",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "[01]",
    "[.5]",
    "[1e]",
    "[-]",
    "tru",
    "[nul]",
    "\"a\\x\"",
    "{} {}",
    "[1] x",
    "{1: 2}",
    "\"\\u12\"",
    /* invalid UTF-8 in strings: a stray byte, a sequence cut short */
    "\"\xff\"",
    "\"\xe2\x82\"",
};

START_TEST(test_jsonpos_rejects_like_jsonc)
{
	const char *s = cl_bad[_i];
	struct jsonpos_doc d;
	json_object *j = NULL;
	struct err e;

	err_clear(&e);
	ck_assert_msg(jsonx_parse(s, strlen(s), &j, &e) == -1, "json-c accepts %s", s);
	ck_assert_msg(jsonpos_parse(s, strlen(s), &d, &e) == -1, "jsonpos accepts %s", s);
	ck_assert_ptr_nonnull(strstr(e.msg, "line"));
}
END_TEST

/* json-c's strict mode still takes these; RFC 8259 and AWS do not: lint says "not valid JSON" */
static const char *const cl_lax[] = {"[1.]", "[\"a\tb\"]", "[\"a\nb\"]", "[NaN]", "[-01]"};

START_TEST(test_jsonpos_stricter_than_jsonc)
{
	const char *s = cl_lax[_i];
	struct lint_options o = {
	    .controls = 0, .fix = 0, .user = NULL, .network_mode = TRANSFORM_NET_KEEP};
	struct lint_report r;
	struct jsonpos_doc d;
	char *fixed;
	size_t flen;
	struct err e;

	err_clear(&e);
	ck_assert_msg(jsonpos_parse(s, strlen(s), &d, &e) == -1, "jsonpos accepts %s", s);
	lint_report_init(&r);
	ck_assert_int_eq(lint_buffer(s, strlen(s), &o, &r, &fixed, &flen), -1);
	ck_assert_msg(strstr(r.err.msg, "not valid JSON") != NULL, "%s", r.err.msg);
	lint_report_done(&r);
}
END_TEST

/* Overlong forms, surrogates and code points over U+10FFFF are not UTF-8 (RFC 3629), though
 * json-c takes them; valid text passes. */
START_TEST(test_jsonpos_utf8)
{
	struct jsonpos_doc d;
	struct err e;
	char *t;

	err_clear(&e);
	ck_assert_int_eq(jsonpos_parse("\"\xf4\x90\x80\x80\"", 6, &d, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "invalid UTF-8"));
	ck_assert_int_eq(jsonpos_parse("\"\xc0\xaf\"", 4, &d, &e), -1);
	ck_assert_int_eq(jsonpos_parse("\"\xed\xa0\x80\"", 5, &d, &e), -1);
	ck_assert_int_eq(jsonpos_parse("\"caf\xc3\xa9 \xf0\x9f\x90\xb3\"", 12, &d, &e), 0);
	t = jsonpos_text(&d, 0);
	ck_assert_str_eq(t, "caf\xc3\xa9 \xf0\x9f\x90\xb3");
	free(t);
	jsonpos_done(&d);
}
END_TEST

START_TEST(test_jsonpos_lines)
{
	const char *s = "{\n  \"a\": [\n    1,\n\n    \"x\"\n  ],\r\n  \"b\": true\n}\n";
	struct jsonpos_doc d;
	struct err e;
	int a, b;

	err_clear(&e);
	ck_assert_int_eq(jsonpos_parse(s, strlen(s), &d, &e), 0);
	a = jsonpos_member(&d, 0, "a");
	b = jsonpos_member(&d, 0, "b");
	ck_assert_int_eq(d.nodes[a].line, 2);
	ck_assert_int_eq(d.nodes[jsonpos_element(&d, a, 0)].line, 3);
	ck_assert_int_eq(d.nodes[jsonpos_element(&d, a, 1)].line, 5);
	ck_assert_int_eq(jsonpos_element(&d, a, 2), -1);
	ck_assert_int_eq(d.nodes[b].line, 7);
	ck_assert_int_eq(jsonpos_line_of(&d, d.nodes[b].key_start), 7);
	ck_assert_uint_eq(d.nodes[b].end - d.nodes[b].start, 4);
	ck_assert_int_eq(jsonpos_member(&d, 0, "c"), -1);
	ck_assert_int_eq(jsonpos_member(&d, a, "a"), -1);
	jsonpos_done(&d);
}
END_TEST

/* Replaces the first occurrence of from (which must exist) with to. */
static void cl_replace(char **s, const char *from, const char *to)
{
	char *p = strstr(*s, from), *n;

	ck_assert_msg(p != NULL, "\"%s\" not found", from);
	n = xasprintf("%.*s%s%s", (int)(p - *s), *s, to, p + strlen(from));
	free(*s);
	*s = n;
}

/* The maximal task definition: --fix changes exactly the intended bytes. */
START_TEST(test_lint_fix_maximal_bytes)
{
	size_t len, flen;
	char *buf = cl_read("tests/data/taskdefs/maximal-describe.json", &len), *fixed, *want;
	struct lint_options o = {
	    .controls = 0, .fix = 1, .user = "1000", .network_mode = TRANSFORM_NET_AWSVPC};
	struct lint_report r;

	o.controls = rules_default_mask();
	lint_report_init(&r);
	ck_assert_int_eq(lint_buffer(buf, len, &o, &r, &fixed, &flen), 0);
	ck_assert_int_eq(r.error, 0);
	ck_assert_int_eq(r.shape, LINT_SHAPE_DESCRIBE);
	ck_assert_uint_eq(r.nfixes, 7);
	ck_assert_uint_eq(lint_report_deciding(&r), 0);
	want = xstrdup(buf);
	cl_replace(&want, "\"networkMode\": \"host\"", "\"networkMode\": \"awsvpc\"");
	cl_replace(&want, "        \"links\": [\"sidecar:side\"],\n", "");
	cl_replace(&want, ", \"hostPort\": 19090", "");
	cl_replace(&want, "        \"hostname\": \"app.internal\",\n", "");
	cl_replace(&want, "\"user\": \"0\"", "\"user\": \"1000\"");
	cl_replace(&want, "\"privileged\": true", "\"privileged\": false");
	cl_replace(&want,
		   "        \"extraHosts\": [{\"hostname\": \"db\", \"ipAddress\": "
		   "\"10.0.0.10\"}],\n",
		   "");
	ck_assert_uint_eq(flen, strlen(want));
	ck_assert_str_eq(fixed, want);
	free(fixed);
	free(want);
	lint_report_done(&r);
	/* without options only the privileged value changes */
	o.user = NULL;
	o.network_mode = TRANSFORM_NET_KEEP;
	ck_assert_int_eq(lint_buffer(buf, len, &o, &r, &fixed, &flen), 0);
	want = xstrdup(buf);
	cl_replace(&want, "\"privileged\": true", "\"privileged\": false");
	ck_assert_str_eq(fixed, want);
	ck_assert_uint_eq(r.nfixes, 1);
	ck_assert_int_eq(r.fixes[0].line, 49);
	free(fixed);
	free(want);
	lint_report_done(&r);
	free(buf);
}
END_TEST

static const struct {
	const char *in, *user, *want;
} cl_insert_cases[] = {
    /* one member per line, 2 spaces */
    {"[\n  {\n    \"name\": \"a\",\n    \"privileged\": true\n  }\n]\n", "1000",
     "[\n  {\n    \"name\": \"a\",\n    \"privileged\": false,\n    \"user\": \"1000\"\n  }\n]\n"},
    /* tabs */
    {"[\n\t{\n\t\t\"name\": \"a\"\n\t}\n]", "app",
     "[\n\t{\n\t\t\"name\": \"a\",\n\t\t\"user\": \"app\"\n\t}\n]"},
    /* minified and spaced one-liners */
    {"[{\"name\":\"a\",\"memory\":5}]", "1000:1000",
     "[{\"name\":\"a\",\"memory\":5,\"user\":\"1000:1000\"}]"},
    {"[{\"name\": \"a\", \"memory\": 5}]", "1000",
     "[{\"name\": \"a\", \"memory\": 5, \"user\": \"1000\"}]"},
    {"[{ \"name\" : \"a\" }]", "1000", "[{ \"name\" : \"a\", \"user\" : \"1000\" }]"},
    {"[{}]", "1000", "[{\"user\": \"1000\"}]"},
    /* a user that needs escaping, and a root user replaced in place */
    {"[{\"name\":\"a\",\"user\":\"root\",\"x\":1}]", "a\"b",
     "[{\"name\":\"a\",\"user\":\"a\\\"b\",\"x\":1}]"},
    {"[{\"name\":\"a\",\"user\":0}]", "1000", "[{\"name\":\"a\",\"user\":\"1000\"}]"},
    /* not root: untouched */
    {"[{\"name\":\"a\",\"user\":\"1000\"}]", "2000", NULL},
};

START_TEST(test_lint_fix_insert_layouts)
{
	struct lint_options o = {.controls = 0,
				 .fix = 1,
				 .user = cl_insert_cases[_i].user,
				 .network_mode = TRANSFORM_NET_KEEP};
	struct lint_report r;
	const char *in = cl_insert_cases[_i].in;
	char *fixed;
	size_t flen;

	o.controls = rules_default_mask();
	lint_report_init(&r);
	ck_assert_int_eq(lint_buffer(in, strlen(in), &o, &r, &fixed, &flen), 0);
	if (cl_insert_cases[_i].want == NULL) {
		ck_assert_ptr_null(fixed);
	} else {
		ck_assert_ptr_nonnull(fixed);
		ck_assert_str_eq(fixed, cl_insert_cases[_i].want);
	}
	free(fixed);
	lint_report_done(&r);
}
END_TEST

static const struct {
	const char *in, *want;
} cl_awsvpc_cases[] = {
    /* hostPort first, middle, last, and equal to containerPort (kept) */
    {"{\"networkMode\":\"host\",\"containerDefinitions\":[{\"name\":\"a\",\"portMappings\":["
     "{\"hostPort\":1,\"containerPort\":80},{\"containerPort\":81,\"hostPort\":2,\"protocol\":"
     "\"tcp\"},{\"containerPort\":82,\"hostPort\":3},{\"containerPort\":83,\"hostPort\":83}]}]}",
     "{\"networkMode\":\"awsvpc\",\"containerDefinitions\":[{\"name\":\"a\",\"portMappings\":["
     "{\"containerPort\":80},{\"containerPort\":81,\"protocol\":\"tcp\"},{\"containerPort\":82},"
     "{\"containerPort\":83,\"hostPort\":83}]}]}"},
    /* the first two members both removed; networkMode absent (bridge) gets inserted */
    {"{\"containerDefinitions\":[{\"links\":[\"b\"],\"hostname\":\"h\",\"name\":\"a\"}],"
     "\"family\":\"f\"}",
     "{\"containerDefinitions\":[{\"name\":\"a\"}],\"family\":\"f\",\"networkMode\":\"awsvpc\"}"},
    /* the only member removed */
    {"{\"networkMode\":\"host\",\"containerDefinitions\":[{\"extraHosts\":[]}]}",
     "{\"networkMode\":\"awsvpc\",\"containerDefinitions\":[{}]}"},
};

START_TEST(test_lint_fix_awsvpc_deletions)
{
	struct lint_options o = {
	    .controls = 0, .fix = 1, .user = NULL, .network_mode = TRANSFORM_NET_AWSVPC};
	struct lint_report r;
	const char *in = cl_awsvpc_cases[_i].in;
	char *fixed;
	size_t flen;

	o.controls = rules_default_mask();
	lint_report_init(&r);
	ck_assert_msg(lint_buffer(in, strlen(in), &o, &r, &fixed, &flen) == 0, "%s", r.err.msg);
	ck_assert_ptr_nonnull(fixed);
	ck_assert_str_eq(fixed, cl_awsvpc_cases[_i].want);
	free(fixed);
	lint_report_done(&r);
}
END_TEST

START_TEST(test_caps_parse)
{
	const char **v;
	size_t n;
	struct err e;

	err_clear(&e);
	ck_assert_uint_eq(caps_count(), 38);
	ck_assert_str_eq(caps_canonical("cap_net_admin"), "NET_ADMIN");
	ck_assert_ptr_null(caps_canonical("NET_ADMINS"));
	ck_assert_int_eq(caps_parse_list(" sys_ptrace, NET_ADMIN,SYS_PTRACE", &v, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0], "SYS_PTRACE");
	ck_assert_str_eq(v[1], "NET_ADMIN");
	ck_assert_int_eq(caps_fargate_ok(v, 1), 1);
	ck_assert_int_eq(caps_fargate_ok(v, 2), 0);
	free(v);
	ck_assert_int_eq(caps_parse_list("NET_ADMIN,FOO", &v, &n, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "\"FOO\""));
	ck_assert_int_eq(caps_parse_list("NET_ADMIN,", &v, &n, &e), -1);
}
END_TEST

START_TEST(test_template_mask)
{
	static const char in[] = "{\"a\": $X, \"b\": \"${y \"q\"}\", $$$M$$$\n \"c\": [{{z}}],\n"
				 " %{if x~}\"d\": <<D>>,%{endif}\n \"e\": 1}";
	struct lint_span *sp;
	struct jsonpos_doc d;
	char *m;
	size_t n = lint_template_mask(in, sizeof(in) - 1, &m, &sp);
	struct err e;
	size_t s0, s1;

	err_clear(&e);
	ck_assert_uint_eq(n, 6); /* $X $$$M$$$ {{z}} %{if x~} <<D>> %{endif} */
	ck_assert_uint_eq(strlen(m), sizeof(in) - 1);
	ck_assert_int_eq(jsonpos_parse(m, strlen(m), &d, &e), 0);
	ck_assert_int_eq(d.nodes[jsonpos_member(&d, 0, "a")].type, JSONPOS_NUMBER); /* "$X" -> 0 */
	ck_assert_int_eq(d.nodes[jsonpos_member(&d, 0, "d")].type, JSONPOS_NULL);
	ck_assert_int_ge(jsonpos_member(&d, 0, "e"), 0);
	jsonpos_done(&d);
	ck_assert_int_eq(lint_template_find("user-${id}", 10, &s0, &s1), 1);
	ck_assert_uint_eq(s0, 5);
	ck_assert_uint_eq(s1, 10);
	ck_assert_int_eq(lint_template_find("1000:1000", 9, &s0, &s1), 0);
	free(m);
	free(sp);
}
END_TEST

/* YAML positions are bytes, though libyaml counts characters: UTF-8 before the value. */
START_TEST(test_yaml_utf8_fix)
{
	static const char in[] =
	    "# caf\xc3\xa9 \xe2\x82\xac\nResources:\n  T: # \xf0\x9f\x90\xb3\n"
	    "    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
	    "      ContainerDefinitions:\n        - {Name: 'd\xc3\xa9j\xc3\xa0', "
	    "Privileged: true, User: \"1000\"}\n";
	static const char want[] =
	    "# caf\xc3\xa9 \xe2\x82\xac\nResources:\n  T: # \xf0\x9f\x90\xb3\n"
	    "    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
	    "      ContainerDefinitions:\n        - {Name: 'd\xc3\xa9j\xc3\xa0', "
	    "Privileged: false, User: \"1000\"}\n";
	struct lint_options o = {.controls = 0, .fix = 1};
	struct lint_report r;
	char *fixed;
	size_t n;

	lint_report_init(&r);
	ck_assert_int_eq(lint_buffer_named("t.yaml", in, sizeof(in) - 1, &o, &r, &fixed, &n), 0);
	ck_assert_ptr_nonnull(fixed);
	ck_assert_str_eq(fixed, want);
	ck_assert_uint_eq(r.nfixes, 1);
	ck_assert_int_eq(r.fixes[0].line, 7);
	free(fixed);
	lint_report_done(&r);
}
END_TEST

/* HCL: comments and strings that hold braces, nested templates, heredocs. */
START_TEST(test_tf_reader)
{
	static const char in[] =
	    "/* } { */\nlocals { x = \"${ {a = \"}\"}.a }\" } # }\n"
	    "resource \"aws_ecs_task_definition\" \"t\" { // {\n"
	    "  network_mode = \"host\"\n"
	    "  container_definitions = jsonencode([{ name = \"a\", \"privileged\" = true,\n"
	    "    env = [for k, v in var.e : { name = k }] }])\n"
	    "  runtime_platform {\n    operating_system_family = \"LINUX\"\n  }\n}\n"
	    "resource \"aws_ecs_task_definition\" \"h\" {\n  container_definitions = <<-EOT\n"
	    "    [{\"name\": \"b\", \"user\": \"${var.u}\"}]\n    EOT\n}\n";
	static const char esc[] = "resource \"aws_ecs_task_definition\" \"u\" {\n"
				  "  container_definitions = jsonencode([{ name = "
				  "\"caf\\u00e9 \\\"$${x}\\\"\" }])\n}\n";
	static const char stray[] = "resource \"aws_ecs_task_definition\" \"x\" {\n"
				    "  container_definitions = jsonencode([{ a = 1 } ) ])\n}\n";
	struct jsonpos_doc d;
	struct lint_tf_resource *res;
	size_t n, off;
	struct err e;
	int cds, c0;

	err_clear(&e);
	ck_assert_msg(lint_tf_read(in, sizeof(in) - 1, &d, &res, &n, &e, &off) == 0, "%s", e.msg);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(res[0].address, "aws_ecs_task_definition.t");
	ck_assert_int_eq(res[0].line, 3);
	ck_assert_int_ge(jsonpos_member(&d, res[0].node, "networkMode"), 0);
	ck_assert_int_ge(jsonpos_member(&d, res[0].node, "runtimePlatform"), 0);
	cds = jsonpos_member(&d, res[0].node, "containerDefinitions");
	c0 = jsonpos_element(&d, cds, 0);
	ck_assert_int_eq(d.nodes[jsonpos_member(&d, c0, "privileged")].type, JSONPOS_TRUE);
	ck_assert_ptr_nonnull(d.nodes[jsonpos_member(&d, c0, "env")].unknown);
	cds = jsonpos_member(&d, res[1].node, "containerDefinitions");
	c0 = jsonpos_element(&d, cds, 0);
	ck_assert_int_eq(d.nodes[jsonpos_member(&d, c0, "user")].line, 13);
	ck_assert_ptr_nonnull(d.nodes[jsonpos_member(&d, c0, "user")].unknown);
	lint_tf_resources_free(res, n);
	jsonpos_done(&d);
	ck_assert_int_eq(
	    lint_tf_read("resource \"a\" \"b\" {\n  x = \"y\n}\n", 28, &d, &res, &n, &e, &off), -1);
	ck_assert_str_eq(e.msg, "unterminated string");
	/* a stray ')' in a list: an error, not an endless list of empty values */
	ck_assert_int_eq(lint_tf_read(stray, sizeof(stray) - 1, &d, &res, &n, &e, &off), -1);
	ck_assert_str_eq(e.msg, "unexpected character");
	ck_assert_uint_eq(off, (size_t)(strchr(stray, ')') - stray));
	ck_assert_int_eq(lint_tf_read(esc, sizeof(esc) - 1, &d, &res, &n, &e, &off), 0);
	cds = jsonpos_member(&d, res[0].node, "containerDefinitions");
	c0 = jsonpos_member(&d, jsonpos_element(&d, cds, 0), "name");
	ck_assert_str_eq(d.nodes[c0].str, "caf\xc3\xa9 \"${x}\""); /* $${ is a literal ${ */
	lint_tf_resources_free(res, n);
	jsonpos_done(&d);
}
END_TEST

/* Every prefix of every shape: an answer, never a crash (ASan builds check the memory). */
START_TEST(test_lint_prefixes)
{
	static const char *const files[] = {"cfn.yaml", "cfn.json", "main.tf", "plan.json",
					    "template.json"};
	size_t len, k;
	char *name = xasprintf("tests/data/lint/shapes/%s", files[_i]);
	char *buf = cl_read(name, &len);
	struct lint_options o = {
	    .controls = 0, .fix = 1, .user = "1000", .network_mode = TRANSFORM_NET_AWSVPC};

	for (k = 0; k <= len; k++) {
		struct lint_report r;
		char *fixed, *copy = xmalloc(k + 1);
		size_t n;

		memcpy(copy, buf, k);
		lint_report_init(&r);
		if (lint_buffer_named(files[_i], copy, k, &o, &r, &fixed, &n) != 0)
			ck_assert_int_eq(r.error, 1);
		free(fixed);
		lint_report_done(&r);
		free(copy);
	}
	free(buf);
	free(name);
}
END_TEST

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_jsonpos_matches_jsonc_files, 0,
			    sizeof cl_files / sizeof cl_files[0]);
	tcase_add_loop_test(tc, test_jsonpos_matches_jsonc_docs, 0,
			    sizeof cl_docs / sizeof cl_docs[0]);
	tcase_add_loop_test(tc, test_jsonpos_rejects_like_jsonc, 0,
			    sizeof cl_bad / sizeof cl_bad[0]);
	tcase_add_loop_test(tc, test_jsonpos_stricter_than_jsonc, 0,
			    sizeof cl_lax / sizeof cl_lax[0]);
	tcase_add_test(tc, test_jsonpos_lines);
	tcase_add_test(tc, test_jsonpos_utf8);
	tcase_add_test(tc, test_lint_fix_maximal_bytes);
	tcase_add_loop_test(tc, test_lint_fix_insert_layouts, 0,
			    sizeof cl_insert_cases / sizeof cl_insert_cases[0]);
	tcase_add_loop_test(tc, test_lint_fix_awsvpc_deletions, 0,
			    sizeof cl_awsvpc_cases / sizeof cl_awsvpc_cases[0]);
	tcase_add_test(tc, test_caps_parse);
	tcase_add_test(tc, test_template_mask);
	tcase_add_test(tc, test_yaml_utf8_fix);
	tcase_add_test(tc, test_tf_reader);
	tcase_add_loop_test(tc, test_lint_prefixes, 0, 5);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lint_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
